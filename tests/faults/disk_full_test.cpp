// Issue 20, faults 4 and 5: a full disk. On a small tmpfs (mounted here when
// the tests may mount; skipped with the reason otherwise) every run that
// runs out of space ends with an error message and exit 6, never an abort
// (an exception escaping a destructor or thread); a failed --rebuild is
// discarded, not resumed forever; the live index stays searchable, and once
// there is room again the next run completes.
#include <catch2/catch.hpp>

#include <sys/mount.h>

#include "tests/faults/fault_fixture.h"

using namespace lipsteeth;
using namespace lipsteeth::testing;

namespace {

// A tmpfs of `megabytes` at `path` for the test's lifetime.
struct SmallDisk {
  fs::path path;
  std::string error;  // why it could not be mounted ("" when mounted)
  SmallDisk(const fs::path& p, int megabytes) : path(p) {
    fs::create_directories(p);
    const std::string opts = "size=" + std::to_string(megabytes) + "m";
    if (::mount("tmpfs", p.c_str(), "tmpfs", 0, opts.c_str()) != 0) error = std::strerror(errno);
  }
  ~SmallDisk() {
    if (error.empty()) ::umount2(path.c_str(), MNT_DETACH);
  }
};

}  // namespace

TEST_CASE("issue 20 faults 4 and 5: a full disk gives exit 6, never an abort, and loses nothing",
          "[faults][disk]") {
  TempDir t;
  SmallDisk disk(t.path / "disk", 3);
  if (!disk.error.empty()) {
    WARN("skipped: cannot mount a small tmpfs here (" << disk.error << ")");
    return;
  }
  const fs::path db = disk.path / "db", corpus = t.path / "corpus";
  copy_seed_corpus(corpus);
  auto index = [&](std::vector<std::string> extra) {
    std::vector<std::string> args = {"index", "--db", db.string(), "-j", "2"};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_cli({args, {}, false}, t.path);
  };
  REQUIRE(index({corpus.string()}).code == 0);
  const auto live = indexer::read_stub(db.string());
  const Xapian::doccount before = searchable(db);

  // Too much for the disk: 400 articles of 9 KB, stored texts.
  write_generated_corpus(corpus / "bulk", 400);
  int full = 0;
  // Batches of several sizes, so that the disk fills at different points of
  // a run: inside a commit, between commits, in the merge.
  for (const char* batch : {"0.05", "0.2", "1", "8"}) {
    for (const char* mode : {"", "--rebuild"}) {
      std::vector<std::string> extra = {"--store-texts", "--max-removal", "100", "--batch-mb", batch};
      if (*mode) extra.push_back(mode);
      CliResult r = index(extra);
      INFO("batch " << batch << " MB " << mode << ": " << r.err);
      CHECK(r.code != 128 + SIGABRT);
      CHECK((r.code == 0 || r.code == 6));
      if (r.code == 6) {
        ++full;
        CHECK_THAT(r.err, Catch::Contains("lipsteeth: "));
        CHECK_THAT(r.err, !Catch::Contains("terminate called"));
      }
      // A failed build is not left for the next run to fail on again.
      CHECK(entries(db, "build-").empty());
      CHECK(searchable(db) >= before);
    }
  }
  CHECK(full > 0);  // the disk did fill up
  // Room again (the disk made larger): the next run completes and the index
  // is sound.
  REQUIRE(::mount("tmpfs", disk.path.c_str(), "tmpfs", MS_REMOUNT, "size=64m") == 0);
  fs::remove_all(corpus / "bulk");
  CliResult r = index({"--max-removal", "100"});
  INFO(r.err);
  CHECK(r.code == 0);
  CHECK(run_cli({{"verify", "--db", db.string()}, {}, false}, t.path).code == 0);
  CHECK(recorded_articles(db) == 5);
}
