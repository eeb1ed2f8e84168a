// `lipsteeth actors`: runs the built binary and checks stdout, stderr and the
// exit code for the gazetteer listing, --actors, --db and --discover.
#include <catch2/catch.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <xapian.h>

#include "analyzers/schema.h"
#include "tests/test_support.h"

namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

const std::string kSource = LIPSTEETH_SOURCE_DIR;

using Run = lipsteeth::testing::CliRun;
using lipsteeth::testing::TempDir;
using lipsteeth::testing::slurp;

Run run(const std::vector<std::string>& args) { return lipsteeth::testing::run_cli("actors", args); }

std::size_t count_lines(const std::string& s) {
  std::size_t n = 0;
  for (char c : s) n += c == '\n';
  return n;
}

}  // namespace

TEST_CASE("lists the bundled gazetteer as text and JSON", "[cli][actors]") {
  Run text = run({});
  REQUIRE(text.code == 0);
  CHECK(text.err.empty());
  CHECK(text.out.find("kim-jong-un") != std::string::npos);
  CHECK(text.out.find("Kim Jong Un") != std::string::npos);
  CHECK(text.out.find("capital of china") != std::string::npos);

  Run js = run({"--json"});
  REQUIRE(js.code == 0);
  json j = json::parse(js.out);
  REQUIRE(j.is_array());
  CHECK(j.size() >= 300);
  CHECK(j.size() == count_lines(text.out));
  bool seen = false;
  for (const auto& a : j) {
    if (a["id"] != "xi-jinping") continue;
    seen = true;
    CHECK(a["name"] == "Xi Jinping");
    CHECK(a["type"] == "person");
    CHECK(a["short_forms"][0] == "Xi");
  }
  CHECK(seen);
}

TEST_CASE("lists a gazetteer given with --actors and reports a malformed one", "[cli][actors]") {
  TempDir tmp;
  fs::path mine = tmp.write("mine.tsv", "# two actors\nzz\tZorblat\tperson\tZorb|The Zorb\nqq\tQuux Land\tstate\n");
  Run r = run({"--actors", mine.string(), "--json"});
  REQUIRE(r.code == 0);
  json j = json::parse(r.out);
  REQUIRE(j.size() == 2);
  CHECK(j[0]["id"] == "zz");
  CHECK(j[0]["aliases"] == json::array({"Zorblat", "Zorb", "The Zorb"}));
  CHECK(j[1]["type"] == "state");

  fs::path bad = tmp.write("bad.tsv", "zz\tZorblat\tperson\nzz\tAgain\tperson\n");
  Run b = run({"--actors", bad.string()});
  CHECK(b.code == 6);
  CHECK(b.out.empty());
  CHECK(b.err.find("bad.tsv' line 2: duplicate id 'zz'") != std::string::npos);

  Run missing = run({"--actors", (tmp.path / "nope.tsv").string()});
  CHECK(missing.code == 2);
  CHECK(missing.err.find("nope.tsv") != std::string::npos);
}

TEST_CASE("lists the actors of an index with passage counts by year", "[cli][actors]") {
  TempDir tmp;
  fs::path dbdir = tmp.path / "idx";
  fs::create_directories(dbdir);
  {
    // An index laid out as ARCHITECTURE.md says: a stub naming a glass generation.
    Xapian::WritableDatabase db((dbdir / "gen1").string(), Xapian::DB_CREATE_OR_OPEN | Xapian::DB_BACKEND_GLASS);
    db.set_metadata(lipsteeth::schema::kMetaSchema, lipsteeth::schema::kSchemaVersion);
    db.set_metadata(lipsteeth::schema::kMetaGazetteer,
                    "xi-jinping\tXi Jinping\tperson\nnorth-korea\tNorth Korea\tstate\tDPRK\n");
    auto add = [&](int year, std::vector<std::pair<std::string, int>> actors) {
      Xapian::Document d;
      for (const auto& [id, wdf] : actors) d.add_term(std::string(lipsteeth::schema::kActorPrefix) + id, wdf);
      if (year) d.add_value(lipsteeth::schema::kValueYear, Xapian::sortable_serialise(year));
      db.add_document(d);
    };
    add(2012, {{"north-korea", 3}});
    add(2016, {{"north-korea", 1}, {"xi-jinping", 2}});
    add(2016, {{"xi-jinping", 1}});
    add(0, {{"north-korea", 1}, {"ghost", 1}});
    db.commit();
  }
  std::ofstream(dbdir / lipsteeth::schema::kStubName) << "auto gen1\n";

  Run r = run({"--db", dbdir.string(), "--json"});
  REQUIRE(r.code == 0);
  json j = json::parse(r.out);
  REQUIRE(j.size() == 3);
  CHECK(j[0]["id"] == "north-korea");  // most passages first
  CHECK(j[0]["name"] == "North Korea");
  CHECK(j[0]["passages"] == 3);
  CHECK(j[0]["mentions"] == 5);
  CHECK(j[0]["years"] == json{{"2012", 1}, {"2016", 1}, {"unknown", 1}});
  CHECK(j[1]["id"] == "xi-jinping");
  CHECK(j[1]["years"] == json{{"2016", 2}});
  CHECK(j[2]["id"] == "ghost");
  CHECK(j[2]["name"] == "ghost");

  Run text = run({"--db", dbdir.string()});
  REQUIRE(text.code == 0);
  CHECK(text.out.find("2012:1 2016:1 unknown:1") != std::string::npos);
  CHECK(text.out.find("(not in gazetteer)") != std::string::npos);

  Run none = run({"--db", (tmp.path / "nothing").string()});
  CHECK(none.code == 3);
  CHECK(none.err.find("no index at") != std::string::npos);
}

TEST_CASE("discovers names that are not in the gazetteer", "[cli][actors]") {
  TempDir tmp;
  // New text naming people the gazetteer does not know, and some it does.
  tmp.write("docs/a.txt",
            "Kim Jong-un received Ryu Chol Min, a new vice-minister, and Meng Qingshan of the Liaoning "
            "Provincial Party Committee.\n\nRyu Chol Min later met Xi Jinping in Beijing.\n");
  tmp.write("docs/b.md", "# Notes\n\nMeng Qingshan returned to Shenyang on Tuesday.\n");
  Run r = run({"--discover", (tmp.path / "docs").string(), "--json"});
  REQUIRE(r.code == 0);
  json j = json::parse(r.out);
  auto find = [&](const std::string& name) -> const json* {
    for (const auto& p : j)
      if (p["name"] == name) return &p;
    return nullptr;
  };
  const json* ryu = find("Ryu Chol Min");
  REQUIRE(ryu != nullptr);
  CHECK((*ryu)["count"] == 2);
  CHECK((*ryu)["kind"] == "korean-name");
  CHECK((*ryu)["file"] == "a.txt");
  CHECK((*ryu)["example"].get<std::string>().find("received Ryu Chol Min") != std::string::npos);
  const json* meng = find("Meng Qingshan");
  REQUIRE(meng != nullptr);
  CHECK((*meng)["count"] == 2);
  CHECK((*meng)["files"] == 2);
  CHECK((*meng)["kind"] == "chinese-name");
  CHECK(find("Liaoning Provincial Party Committee") != nullptr);
  // Known actors are not proposed.
  CHECK(find("Kim Jong-un") == nullptr);
  CHECK(find("Xi Jinping") == nullptr);
  CHECK(j[0]["count"] >= j[j.size() - 1]["count"]);

  Run two = run({"--discover", (tmp.path / "docs").string(), "--min-count", "2"});
  REQUIRE(two.code == 0);
  CHECK(two.out.find("Ryu Chol Min") != std::string::npos);
  CHECK(two.out.find("Liaoning Provincial Party Committee\n") == std::string::npos);  // only in an example

  Run bad = run({"--discover", (tmp.path / "nowhere").string()});
  CHECK(bad.code == 2);
  CHECK(bad.err.find("is not a directory") != std::string::npos);
}
