// Issue 20, fault 10 and the build gate: the settings of an index are
// recorded in it and reused by a plain run; options go in any order; a
// gated build becomes live only when it passes its checks.
#include <catch2/catch.hpp>

#include "cli/gate.h"
#include "tests/faults/fault_fixture.h"

using namespace lipsteeth;
using namespace lipsteeth::testing;

namespace {

struct Setup {
  TempDir t;
  fs::path corpus = t.path / "corpus", db = t.path / "db";
  Setup() { copy_seed_corpus(corpus); }
  CliResult cli(std::vector<std::string> args) { return run_cli({args, {}, false}, t.path); }
  CliResult index(std::vector<std::string> extra) {
    std::vector<std::string> args = {"index", "--db", db.string(), "-j", "2"};
    args.insert(args.end(), extra.begin(), extra.end());
    return cli(args);
  }
};

// A gazetteer of two actors, shaped like data/actors.tsv.
const char* kSmallGazetteer =
    "# id, name, type, aliases, flags\n"
    "kim-jong-un\tKim Jong Un\tperson\tKim Jong-un|Kim Jong-eun\n"
    "xi-jinping\tXi Jinping\tperson\tXi Jinping\n";

}  // namespace

TEST_CASE("issue 20 fault 10: a plain run reuses the recorded actor list instead of rebuilding", "[faults][settings]") {
  Setup s;
  const fs::path actors = s.t.path / "my-actors.tsv";
  spit(actors, slurp(fs::path(LIPSTEETH_SOURCE_DIR) / "data" / "actors.tsv"));
  spit(actors, slurp(actors) + "dandong-customs\tDandong Customs\torganization\tDandong customs office\n");
  REQUIRE(s.index({"--actors", actors.string(), s.corpus.string()}).code == 0);
  CliResult r = s.index({"--json"});
  REQUIRE(r.code == 0);
  auto j = nlohmann::json::parse(r.out);
  CHECK(j["mode"] == "incremental");
  CHECK(j["unchanged"] == 5);

  // A changed list rebuilds, and says why.
  spit(actors, kSmallGazetteer);
  r = s.index({});
  CHECK(r.code == 0);
  CHECK_THAT(r.err, Catch::Contains("rebuilt the whole index: the gazetteer changed"));
}

TEST_CASE("issue 20 fault 10: --ext before the corpus path takes one value and is recorded", "[faults][settings]") {
  Setup s;
  spit(s.corpus / "notes.md", "# Notes\n\nA short note in Markdown about Dandong and Sinuiju trade.\n");
  CliResult r = s.index({"--ext", "md", s.corpus.string()});
  INFO(r.err);
  REQUIRE(r.code == 5);  // the .txt files are skipped with a reason
  CHECK_THAT(r.out, Catch::Contains("1 added"));
  // The nightly run keeps to .md: nothing added, nothing removed.
  r = s.index({});
  CHECK_THAT(r.out, Catch::Contains("0 added, 0 updated, 0 removed, 1 unchanged"));
  // Options after the path work the same.
  r = s.index({s.corpus.string(), "--ext", "md,txt", "--json"});
  CHECK(nlohmann::json::parse(r.out)["added"] == 5);
}

TEST_CASE("the gate file's checks are parsed with their lines, malformed ones named", "[faults][gate]") {
  auto checks = cli::parse_gate_text("# nightly checks\n\nmin-articles 5\nmin-hits 3 six-party talks\n"
                                     "expect 000_8fe11e022d0b9062.txt Dandong bridge\n",
                                     "gate.txt");
  REQUIRE(checks.size() == 3);
  CHECK(checks[0].kind == cli::GateCheck::Kind::min_articles);
  CHECK(checks[0].count == 5);
  CHECK(checks[1].count == 3);
  CHECK(checks[1].query == "six-party talks");
  CHECK(checks[1].line == 4);
  CHECK(checks[2].article == "000_8fe11e022d0b9062.txt");
  CHECK(checks[2].query == "Dandong bridge");
  struct Bad {
    const char* text;
    const char* message;
  };
  for (const Bad& b : {Bad{"min-articles\n", "gate.txt:1: min-articles takes one number"},
                       Bad{"min-hits 3\n", "gate.txt:1: min-hits has no query"},
                       Bad{"\nmin-hits many words\n", "gate.txt:2: min-hits takes a number"},
                       Bad{"expect only-an-id\n", "gate.txt:1: expect takes an article id"},
                       Bad{"maximum 3\n", "gate.txt:1: unknown check 'maximum'"}}) {
    INFO(b.text);
    CHECK_THROWS_WITH(cli::parse_gate_text(b.text, "gate.txt"), Catch::Contains(b.message));
  }
}

TEST_CASE("index --gate makes the new generation live only when every check passes", "[faults][gate]") {
  Setup s;
  REQUIRE(s.index({s.corpus.string()}).code == 0);
  const auto live = indexer::read_stub(s.db.string());

  const fs::path good = s.t.path / "good.txt", bad = s.t.path / "bad.txt";
  spit(good, "min-articles 5\nmin-hits 1 Dandong\nexpect 003_d673819c6f11a063.txt Dandong\n");
  spit(bad, "min-articles 5\nmin-hits 1000000 Dandong\nexpect no-such-article.txt Dandong\n");

  CliResult r = s.index({"--gate", bad.string()});
  CHECK(r.code == 8);
  CHECK_THAT(r.err, Catch::Contains("check at line 2") && Catch::Contains("check at line 3") &&
                        Catch::Contains("the live one is unchanged"));
  CHECK_THAT(r.err, !Catch::Contains("check at line 1"));
  CHECK(indexer::read_stub(s.db.string()) == live);
  CHECK(entries(s.db, "build-").empty());
  CHECK(entries(s.db, "gen-").size() == 1);

  r = s.index({"--gate", good.string()});
  CHECK(r.code == 0);
  CHECK(indexer::read_stub(s.db.string()) != live);
  CHECK(s.cli({"verify", "--db", s.db.string()}).code == 0);

  // A malformed checks file stops the run before any build.
  spit(bad, "min-hits lots Dandong\n");
  r = s.index({"--gate", bad.string()});
  CHECK(r.code == 2);
  CHECK_THAT(r.err, Catch::Contains("bad.txt:1"));
}
