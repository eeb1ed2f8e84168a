// Issue 20, faults 3, 4 and 6: an index run killed (kill -9, through the
// LIPSTEETH_FAULT hook) at every phase boundary of a first build, a
// --rebuild and an incremental run. After each kill a reader still finds an
// index, and the next plain run repairs everything without hand work:
// exit 0, verify clean, every article there, no leftover build or trash.
#include <catch2/catch.hpp>

#include <fmt/format.h>

#include "tests/faults/fault_fixture.h"

using namespace lipsteeth;
using namespace lipsteeth::testing;

namespace {

constexpr int kArticles = 40;
constexpr int kKilled = 128 + SIGKILL;

struct Setup {
  TempDir t;
  fs::path corpus = t.path / "corpus", db = t.path / "db";
  Setup() { write_generated_corpus(corpus, kArticles); }
  CliResult index(std::vector<std::string> extra, const std::string& fault = "") {
    std::vector<std::string> args = {"index", "--db", db.string(), "-j", "2", "--batch-mb", "0.05"};
    args.insert(args.end(), extra.begin(), extra.end());
    std::map<std::string, std::string> env;
    if (!fault.empty()) env["LIPSTEETH_FAULT"] = fault;
    return run_cli({args, env, false}, t.path);
  }
  CliResult cli(std::vector<std::string> args) { return run_cli({args, {}, false}, t.path); }

  // The state every recovery must reach.
  void check_recovered() {
    CliResult r = index({});
    INFO(r.err);
    CHECK(r.code == 0);
    CliResult v = cli({"verify", "--db", db.string()});
    INFO(v.err);
    CHECK(v.code == 0);
    CHECK(recorded_articles(db) == kArticles);
    CHECK(entries(db, "build-").empty());
    CHECK(entries(db, "trash-").empty());
    CHECK(entries(db, "gen-").size() == 1);
    CHECK(cli({"search", "--db", db.string(), "item7"}).code == 0);
  }
};

}  // namespace

TEST_CASE("issue 20 fault 3: a --rebuild killed at any phase boundary leaves a live index and recovers",
          "[faults][generations]") {
  const std::string point = GENERATE("after-commit@2", "build-before-merge", "merge-after-compact",
                                     "swap-before-rename", "swap-after-rename", "discard-after-rename",
                                     "swap-after-cleanup");
  INFO("killed at " << point);
  Setup s;
  REQUIRE(s.index({s.corpus.string()}).code == 0);
  const Xapian::doccount before = searchable(s.db);
  CliResult r = s.index({"--rebuild"}, point);
  REQUIRE(r.code == kKilled);
  CHECK(searchable(s.db) == before);  // the old generation or the new one, never none
  s.check_recovered();
}

TEST_CASE("issue 20 fault 3: a first build killed at any phase boundary is resumed", "[faults][generations]") {
  const std::string point = GENERATE("after-commit@1", "after-commit@3", "build-before-merge", "merge-after-compact",
                                     "swap-after-rename");
  INFO("killed at " << point);
  Setup s;
  CliResult r = s.index({s.corpus.string()}, point);
  REQUIRE(r.code == kKilled);
  // What is committed is searchable once the shards are published (after
  // each shard's first commit).
  if (point != "after-commit@1") CHECK(searchable(s.db) > 0);
  s.check_recovered();
}

TEST_CASE("issue 20 fault 3: an incremental run killed at any phase boundary recovers", "[faults][generations]") {
  const std::string point = GENERATE("after-commit@1", "incremental-before-final-commit", "incremental-before-column");
  INFO("killed at " << point);
  Setup s;
  REQUIRE(s.index({s.corpus.string()}).code == 0);
  // Changes of every kind: updated (enough for several commits), added and
  // removed articles.
  for (int i = 10; i < 30; ++i) {
    const fs::path p = s.corpus / fmt::format("a{:05d}.txt", i);
    spit(p, slurp(p) + "\nAn added paragraph about Dandong.\n");
    bump_mtime(p, 5);
  }
  fs::remove(s.corpus / "a00002.txt");
  write_generated_corpus(s.t.path / "more", 1);
  fs::rename(s.t.path / "more" / "a00000.txt", s.corpus / "b00000.txt");
  spit(s.corpus / "b00000.txt", slurp(s.corpus / "b00000.txt") + "\nSomething only the new article says.\n");
  CliResult r = s.index({}, point);
  REQUIRE(r.code == kKilled);
  CHECK(searchable(s.db) > 0);
  CliResult again = s.index({});
  CHECK(again.code == 0);
  CHECK(s.cli({"verify", "--db", s.db.string()}).code == 0);
  CHECK(recorded_articles(s.db) == kArticles);  // one removed, one added
  CHECK(IndexView(s.db).files.count("a00002.txt") == 0);
  CHECK(IndexView(s.db).files.count("b00000.txt") == 1);
}

TEST_CASE("issue 20 fault 3: a run killed while resuming a killed rebuild never deletes the live generation",
          "[faults][generations]") {
  Setup s;
  REQUIRE(s.index({s.corpus.string()}).code == 0);
  REQUIRE(s.index({"--rebuild"}, "swap-after-rename").code == kKilled);
  const auto live = indexer::read_stub(s.db.string());
  // The next run is killed too, wherever it gets to.
  for (const char* point : {"after-commit@1", "build-before-merge", "swap-after-rename"}) {
    CliResult r = s.index({}, point);
    CHECK((r.code == kKilled || r.code == 0));
    for (const auto& g : indexer::read_stub(s.db.string())) CHECK(fs::exists(s.db / g / "iamglass"));
    CHECK(searchable(s.db) > 0);
  }
  s.check_recovered();
}

TEST_CASE("issue 20 fault 3: an interrupted build with a damaged shard is discarded with a message",
          "[faults][generations]") {
  Setup s;
  REQUIRE(s.index({s.corpus.string()}).code == 0);
  REQUIRE(s.index({"--rebuild"}, "build-before-merge").code == kKilled);
  const auto builds = entries(s.db, "build-");
  REQUIRE(builds.size() == 1);
  // Half deleted: what a kill during `rm -r` of the build would leave.
  fs::remove(s.db / builds[0] / "shard-01" / "postlist.glass");
  fs::remove(s.db / builds[0] / "shard-01" / "iamglass");
  CliResult r = s.index({"--rebuild"});
  CHECK(r.code == 0);
  CHECK_THAT(r.err, Catch::Contains("discarded the interrupted build " + builds[0]));
  s.check_recovered();
}

TEST_CASE("issue 20 fault 6: verify and stats read every shard of an interrupted first build",
          "[faults][generations]") {
  Setup s;
  REQUIRE(s.index({s.corpus.string()}, "after-commit@4").code == kKilled);
  REQUIRE(indexer::read_stub(s.db.string()).size() == 2);  // the two shards are live
  const std::size_t recorded = recorded_articles(s.db);
  REQUIRE(recorded > 0);
  const auto st = indexer::read_stats(s.db.string());
  CHECK(st.articles == recorded);
  const auto rep = indexer::verify_index(s.db.string());
  for (const auto& p : rep.problems) CHECK_THAT(p, !Catch::Contains("belong to no recorded article"));
  CHECK(rep.articles_checked == recorded);
}

TEST_CASE("issue 20 fault 4: the old generation goes once unused, and stats shows disk use by generation",
          "[faults][generations]") {
  Setup s;
  REQUIRE(s.index({s.corpus.string()}).code == 0);
  const auto first = entries(s.db, "gen-");
  // A search holding the live generation open across the rebuild.
  const fs::path held = s.db / first.at(0) / "postlist.glass";
  int fd = ::open(held.c_str(), O_RDONLY);
  REQUIRE(fd >= 0);
  CliResult r = s.index({"--rebuild"});
  CHECK(r.code == 0);
  CHECK_THAT(r.err, Catch::Contains("kept the old generation " + first[0]));
  auto st = indexer::read_stats(s.db.string());
  std::size_t gens = 0;
  for (const auto& u : st.folders)
    if (u.name.rfind("gen-", 0) == 0) {
      ++gens;
      CHECK(u.bytes > 0);
      CHECK(u.live == (u.name != first[0]));
    }
  CHECK(gens == 2);
  CHECK_THAT(s.cli({"stats", "--db", s.db.string()}).out, Catch::Contains(first[0]) && Catch::Contains("old"));
  ::close(fd);
  // Closed: the next run deletes it.
  CHECK(s.index({}).code == 0);
  CHECK(entries(s.db, "gen-").size() == 1);
  CHECK(entries(s.db, "gen-") != first);
}

TEST_CASE("issue 20 fault 5: a run that cannot start its threads ends with a message, not an abort",
          "[faults][threads]") {
  if (!can_drop_privileges()) {
    WARN("skipped: a process limit binds only an unprivileged user, and these tests cannot switch to one");
    return;
  }
  Setup s;
  open_up(s.t.path);
  // nobody may run a handful of threads: far fewer than 64 jobs want.
  CliRun run{{"index", "--db", s.db.string(), "-j", "64", s.corpus.string()}, {}, true, 6};
  CliResult r = run_cli(run, s.t.path);
  INFO(r.err);
  CHECK(r.code == 6);
  CHECK_THAT(r.err, Catch::StartsWith("lipsteeth: ") && !Catch::Contains("terminate called"));
  // With the threads it may have, the same run completes.
  run.args[4] = "2";
  r = run_cli(run, s.t.path);
  INFO(r.err);
  CHECK(r.code == 0);
  CHECK(recorded_articles(s.db) == kArticles);
}
