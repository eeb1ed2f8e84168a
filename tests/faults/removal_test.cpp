// Issue 20, faults 1 and 2: what a run may remove. A vanished, unreadable or
// emptied corpus folder, one file given alone, or a set of paths that would
// replace the corpus must not empty the index.
#include <catch2/catch.hpp>

#include "tests/faults/fault_fixture.h"

using namespace lipsteeth;
using namespace lipsteeth::testing;

namespace {

struct Setup {
  TempDir t;
  fs::path corpus = t.path / "corpus", db = t.path / "db";
  Setup() {
    copy_seed_corpus(corpus);
    spit(corpus / "sub" / "one.txt", slurp(seed_articles()[0]) + "\nA first note kept in a subfolder.\n");
    spit(corpus / "sub" / "two.txt", slurp(seed_articles()[1]) + "\nA second note kept in a subfolder.\n");
  }
  CliResult index(std::vector<std::string> extra, bool unprivileged = false) {
    std::vector<std::string> args = {"index", "--db", db.string(), "-j", "2"};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_cli({args, {}, unprivileged}, t.path);
  }
};

}  // namespace

TEST_CASE("issue 20 fault 1: a vanished corpus folder removes nothing and exits 7", "[faults][removal]") {
  Setup s;
  REQUIRE(s.index({s.corpus.string()}).code == 0);
  REQUIRE(recorded_articles(s.db) == 7);
  fs::rename(s.corpus, s.t.path / "unmounted");

  // The nightly run, with or without its path: the recorded root is gone.
  for (const auto& args : {std::vector<std::string>{}, std::vector<std::string>{s.corpus.string()}}) {
    CliResult gone = s.index(args);
    CHECK(gone.code == 7);
    CHECK_THAT(gone.err, Catch::Contains("is missing") && Catch::Contains("--allow-removal"));
  }
  CliResult r;
  CHECK(recorded_articles(s.db) == 7);
  CHECK(searchable(s.db) > 0);

  // Said explicitly, the articles go.
  r = s.index({"--allow-removal"});
  CHECK(r.code == 5);  // the missing folder is reported as unreadable
  CHECK(recorded_articles(s.db) == 0);
}

TEST_CASE("issue 20 fault 1: an emptied corpus folder removes nothing and exits 7", "[faults][removal]") {
  Setup s;
  REQUIRE(s.index({s.corpus.string()}).code == 0);
  fs::remove_all(s.corpus);
  fs::create_directories(s.corpus);  // an empty mount point
  CliResult r = s.index({});
  CHECK(r.code == 7);
  CHECK_THAT(r.err, Catch::Contains("is empty"));
  CHECK(recorded_articles(s.db) == 7);
  CHECK(indexer::verify_index(s.db.string()).problems.size() == 7);  // each file gone, none removed
}

TEST_CASE("issue 20 fault 1: an unreadable folder keeps its articles, an unreadable root exits 7",
          "[faults][removal]") {
  if (!can_drop_privileges() && ::geteuid() == 0) {
    WARN("skipped: running as root without the right to switch users, chmod 000 cannot stop a read");
    return;
  }
  Setup s;
  open_up(s.t.path);
  const bool as_nobody = can_drop_privileges();
  REQUIRE(s.index({s.corpus.string()}, as_nobody).code == 0);
  REQUIRE(recorded_articles(s.db) == 7);

  fs::permissions(s.corpus / "sub", fs::perms::none);
  CliResult r = s.index({}, as_nobody);
  CHECK(r.code == 5);
  CHECK_THAT(r.err, Catch::Contains("cannot read folder"));
  CHECK_THAT(r.out + r.err, !Catch::Contains("2 removed"));
  CHECK(recorded_articles(s.db) == 7);

  fs::permissions(s.corpus / "sub", fs::perms::all);
  fs::permissions(s.corpus, fs::perms::none);
  r = s.index({}, as_nobody);
  CHECK(r.code == 7);
  CHECK_THAT(r.err, Catch::Contains("cannot be read"));
  CHECK(recorded_articles(s.db) == 7);
  fs::permissions(s.corpus, fs::perms::all);
  CHECK(s.index({}, as_nobody).code == 0);
}

TEST_CASE("issue 20 fault 2: indexing one file of the corpus leaves the others alone", "[faults][removal]") {
  Setup s;
  REQUIRE(s.index({s.corpus.string()}).code == 0);
  spit(s.corpus / "more" / "new.txt", slurp(seed_articles()[2]) + "\nA new article dropped in by hand.\n");
  CliResult r = s.index({(s.corpus / "more" / "new.txt").string()});
  CHECK(r.code == 0);
  CHECK_THAT(r.out, Catch::Contains("1 added, 0 updated, 0 removed"));
  CHECK(recorded_articles(s.db) == 8);
  // Its id is the one a run over the whole corpus gives it.
  CHECK(IndexView(s.db).files.count("more/new.txt") == 1);
  CHECK(s.index({}).out.find("0 added, 0 updated, 0 removed") != std::string::npos);

  // A subfolder given alone: its files that are gone are removed, no others.
  fs::remove(s.corpus / "sub" / "one.txt");
  fs::remove(s.corpus / k000);
  r = s.index({(s.corpus / "sub").string()});
  CHECK(r.code == 0);
  CHECK_THAT(r.out, Catch::Contains("1 removed"));
  CHECK(IndexView(s.db).files.count(k000) == 1);
}

TEST_CASE("issue 20 fault 2: paths that would replace the corpus change nothing and exit 7", "[faults][removal]") {
  Setup s;
  REQUIRE(s.index({s.corpus.string()}).code == 0);
  spit(s.t.path / "elsewhere" / "extra.txt", slurp(seed_articles()[3]) + "\nAn article outside the corpus.\n");
  CliResult r = s.index({(s.t.path / "elsewhere" / "extra.txt").string()});
  CHECK(r.code == 7);
  CHECK_THAT(r.err, Catch::Contains("would remove") && Catch::Contains("--allow-removal"));
  CHECK(recorded_articles(s.db) == 7);
  // A path that does not exist is a mistake in the command, not a vanished folder.
  r = s.index({(s.t.path / "no-such-folder").string()});
  CHECK(r.code == 2);
  CHECK_THAT(r.err, Catch::Contains("no-such-folder") && Catch::Contains("No such file"));
  // The recorded corpus is still the one the nightly run walks.
  CHECK(s.index({}).code == 0);
  CHECK(recorded_articles(s.db) == 7);
}

TEST_CASE("issue 20: a run removing more than --max-removal of the index removes nothing", "[faults][removal]") {
  Setup s;
  REQUIRE(s.index({s.corpus.string()}).code == 0);
  for (const auto& p : seed_articles()) fs::remove(s.corpus / p.filename());  // 5 of 7 gone
  CliResult r = s.index({});
  CHECK(r.code == 7);
  CHECK_THAT(r.err, Catch::Contains("5 of the index's 7 articles"));
  CHECK(recorded_articles(s.db) == 7);
  r = s.index({"--max-removal", "80"});
  CHECK(r.code == 0);
  CHECK(recorded_articles(s.db) == 2);
}

TEST_CASE("issue 20: --rebuild refuses to drop the articles of a missing corpus folder", "[faults][removal]") {
  Setup s;
  REQUIRE(s.index({s.corpus.string()}).code == 0);
  const auto gens = entries(s.db, "gen-");
  fs::rename(s.corpus, s.t.path / "gone");
  CliResult r = s.index({"--rebuild"});
  CHECK(r.code == 7);
  CHECK_THAT(r.err, Catch::Contains("refused to build a new index"));
  CHECK(entries(s.db, "gen-") == gens);
  CHECK(entries(s.db, "build-").empty());
  CHECK(recorded_articles(s.db) == 7);
}
