// `lipsteeth analyze`: runs the built binary on real files and checks stdout
// (the documented JSON), stderr and the exit codes 0, 2 and 5.
#include <catch2/catch.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tests/test_support.h"

namespace fs = std::filesystem;
using json = nlohmann::ordered_json;  // keeps key order, which the test checks

namespace {

const std::string kSource = LIPSTEETH_SOURCE_DIR;
const std::string kSeed = kSource + "/corpus/000_8fe11e022d0b9062.txt";

using Run = lipsteeth::testing::CliRun;
using lipsteeth::testing::TempDir;
using lipsteeth::testing::slurp;

Run run(const std::vector<std::string>& args) { return lipsteeth::testing::run_cli("analyze", args); }

json parse(const Run& r) {
  json j;
  REQUIRE_NOTHROW(j = json::parse(r.out));
  REQUIRE(j.is_object());
  REQUIRE(j.contains("files"));
  return j;
}

}  // namespace

TEST_CASE("analyze --json prints the documented object for a seed article", "[cli][analyze]") {
  const Run r = run({kSeed, "--json"});
  CHECK(r.code == 0);
  CHECK(r.err.empty());
  const json j = parse(r);
  REQUIRE(j["files"].size() == 1);
  const json& f = j["files"][0];
  // Every documented key, in the documented order.
  std::vector<std::string> keys;
  for (auto it = f.begin(); it != f.end(); ++it) keys.push_back(it.key());
  const std::vector<std::string> want{"path",    "title",          "title_source", "date",        "date_source",
                                      "year",    "year_source",    "authors",      "authors_source", "url",
                                      "description", "outlet",     "provenance",   "candidates",
                                      "format",  "encoding",       "warnings",     "status",
                                      "reason",  "passages",       "entities",     "actor_counts", "discovered"};
  CHECK(keys == want);
  CHECK(f["path"] == kSeed);
  CHECK(f["title"] == "Delegations Galore: Signs of a Continuing Rift in Sino-NK Relations");
  CHECK(f["title_source"] == "stated");
  // The dateline under the title states the date; provenance says so.
  CHECK(f["date"] == "2012-05-20");
  CHECK(f["date_source"] == "stated");
  CHECK(f["year"] == 2012);
  CHECK(f["year_source"] == "stated");
  CHECK(f["provenance"]["date"]["rule"] == "dateline");
  CHECK(f["provenance"]["date"]["field"] == "By | May 20, 2012 | No Comments");
  CHECK(f["provenance"]["date"]["offset"] == 69);
  CHECK(f["provenance"]["title"]["rule"] == "first-line");
  CHECK(f["candidates"]["date"].is_array());
  CHECK(f["authors"] == json::array({"Brian Gleason"}));
  CHECK(f["authors_source"] == "stated");
  CHECK(f["format"] == "text");
  CHECK(f["encoding"] == "UTF-8");
  CHECK(f["status"] == "ok");
  CHECK(f["reason"] == "");

  // Passages: ordinals in order, byte ranges into the file, their text.
  const std::string text = slurp(kSeed);
  const json& passages = f["passages"];
  REQUIRE(passages.size() > 5);
  for (std::size_t i = 0; i < passages.size(); ++i) {
    const json& p = passages[i];
    INFO("passage " << i);
    CHECK(p["ordinal"] == i);
    const std::size_t start = p["start"], end = p["end"];
    REQUIRE(start < end);
    REQUIRE(end <= text.size());
    CHECK(p["text"] == text.substr(start, end - start));
    CHECK_FALSE(p.contains("terms"));  // only with --terms
  }

  // Entities: each surface is the text at its range, inside its passage.
  const json& entities = f["entities"];
  REQUIRE_FALSE(entities.empty());
  std::map<std::string, int> counted;
  bool hu = false;
  for (const json& e : entities) {
    INFO(e.dump());
    const std::size_t start = e["start"], end = e["end"], passage = e["passage"];
    REQUIRE(passage < passages.size());
    CHECK(start >= passages[passage]["start"].get<std::size_t>());
    CHECK(end <= passages[passage]["end"].get<std::size_t>());
    CHECK(e["surface"] == text.substr(start, end - start));
    CHECK_FALSE(e["name"].get<std::string>().empty());
    CHECK_FALSE(e["type"].get<std::string>().empty());
    ++counted[e["id"]];
    if (e["id"] == "hu-jintao") hu = true;
  }
  CHECK(hu);
  std::map<std::string, int> reported;
  for (auto it = f["actor_counts"].begin(); it != f["actor_counts"].end(); ++it) reported[it.key()] = it.value();
  CHECK(reported == counted);
}

TEST_CASE("analyze --terms lists each passage's exact terms and Z stems", "[cli][analyze]") {
  const Run r = run({kSeed, "--json", "--terms"});
  CHECK(r.code == 0);
  const json j = parse(r);
  const json& passages = j["files"][0]["passages"];
  REQUIRE_FALSE(passages.empty());
  std::vector<std::string> all;
  for (const json& p : passages) {
    REQUIRE(p.contains("terms"));
    for (const auto& t : p["terms"]) all.push_back(t);
  }
  auto has = [&](const std::string& t) { return std::find(all.begin(), all.end(), t) != all.end(); };
  CHECK(has("delegations"));
  CHECK(has("Zdeleg"));
  CHECK(has("sixparty"));  // hyphenated compound and its parts
  CHECK(has("six"));
  CHECK(has("party"));
  CHECK(has("2012"));
  CHECK_FALSE(has("Z2012"));  // numbers are not stemmed
  CHECK(has("us"));           // "U.S." folds
  CHECK_FALSE(has("the"));    // stopwords are not indexed (only counted)
  CHECK_FALSE(has("of"));
  CHECK_FALSE(has("Zthe"));
  CHECK_FALSE(has("Zof"));
}

TEST_CASE("analyze reads the sidecar only where it governs the file", "[cli][analyze]") {
  TempDir dir;
  const fs::path copy = dir.write("copy.txt", slurp(kSeed));
  const Run bare = run({copy.string(), "--json", "--passages-only"});
  CHECK(bare.code == 0);
  const json f = parse(bare)["files"][0];
  CHECK(f["date"] == "2012-05-20");
  CHECK(f["date_source"] == "stated");
  CHECK_FALSE(f.contains("entities"));  // --passages-only skips tagging

  // A sidecar one level up corrects the copy.
  fs::create_directories(dir.path / "sub");
  const fs::path inner = dir.write("sub/copy.txt", slurp(kSeed));
  dir.write("lipsteeth-meta.tsv", "file\ttitle\tdate\tauthors\nsub/copy.txt\tA Corrected Title\t2012-05\tJin Feng\n");
  const json g = parse(run({inner.string(), "--json", "--passages-only"}))["files"][0];
  CHECK(g["title"] == "A Corrected Title");
  CHECK(g["title_source"] == "sidecar");
  CHECK(g["date"] == "2012-05");
  CHECK(g["year"] == 2012);
  CHECK(g["authors"] == json::array({"Jin Feng"}));
  CHECK(g["authors_source"] == "sidecar");

  // A malformed sidecar is reported with its line; the file is still shown.
  dir.write("lipsteeth-meta.tsv", "file\ttitle\tdate\tauthors\nsub/copy.txt\t\tsometime\t\n");
  const Run bad = run({inner.string(), "--json", "--passages-only"});
  CHECK(bad.code == 5);
  CHECK(bad.err.find("lipsteeth-meta.tsv:2:") != std::string::npos);
  CHECK(parse(bad)["files"][0]["date_source"] == "stated");
}

TEST_CASE("analyze reports unreadable, binary and empty files and goes on with exit code 5", "[cli][analyze]") {
  TempDir dir;
  const fs::path binary = dir.write("image.txt", std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16));
  const fs::path empty = dir.write("empty.txt", "");
  const std::string missing = (dir.path / "missing.txt").string();
  const Run r = run({missing, binary.string(), kSeed, empty.string(), "--json"});
  CHECK(r.code == 5);
  const json j = parse(r);
  REQUIRE(j["files"].size() == 4);
  CHECK(j["files"][0]["status"] == "unreadable");
  CHECK(j["files"][0]["path"] == missing);
  CHECK_FALSE(j["files"][0]["reason"].get<std::string>().empty());
  CHECK(j["files"][0]["year"].is_null());
  CHECK(j["files"][0]["passages"].empty());
  CHECK(j["files"][1]["status"] == "binary");
  CHECK(j["files"][1]["encoding"] == "");
  CHECK_FALSE(j["files"][1]["reason"].get<std::string>().empty());
  CHECK(j["files"][1]["passages"].empty());
  CHECK(j["files"][2]["status"] == "ok");  // the good file between them is analysed
  CHECK_FALSE(j["files"][2]["passages"].empty());
  CHECK(j["files"][3]["status"] == "empty");
  // One line on stderr per bad file, naming it.
  std::vector<std::string> lines;
  std::istringstream es(r.err);
  for (std::string line; std::getline(es, line);) lines.push_back(line);
  REQUIRE(lines.size() == 3);
  CHECK(lines[0].find("missing.txt") != std::string::npos);
  CHECK(lines[1].find("image.txt") != std::string::npos);
  CHECK(lines[2].find("empty.txt") != std::string::npos);
  for (const auto& l : lines) CHECK(l.rfind("lipsteeth: ", 0) == 0);

  // Text output too.
  const Run t = run({missing, kSeed});
  CHECK(t.code == 5);
  CHECK(t.err.find("cannot read") != std::string::npos);
  CHECK(t.out.find("unreadable") != std::string::npos);
  CHECK(t.out.find("Delegations Galore") != std::string::npos);
}

TEST_CASE("analyze warns about a file decoded from another charset and succeeds", "[cli][analyze]") {
  TempDir dir;
  // windows-1252: curly apostrophe 0x92, e-acute 0xE9.
  const fs::path f = dir.write("cp1252.txt",
                               "Beijing\x92s D\xE9tente With Pyongyang\n\nThe leaders met in Beijing and agreed "
                               "to resume talks, the ministry said, and both sides called the meeting cordial.\n");
  const Run r = run({f.string(), "--json", "--passages-only"});
  CHECK(r.code == 0);
  CHECK(r.err.find("cp1252.txt") != std::string::npos);
  const json j = parse(r)["files"][0];
  CHECK(j["encoding"] != "UTF-8");
  CHECK_FALSE(j["warnings"].empty());
  CHECK(j["title"] == "Beijing’s Détente With Pyongyang");
}

TEST_CASE("analyze prints metadata with sources and passages as text", "[cli][analyze]") {
  const Run r = run({kSource + "/corpus/004_1e77538f18e764bb.txt"});
  CHECK(r.code == 0);
  CHECK(r.err.empty());
  CHECK(r.out.find("Are Chinese–North Korean Ties Starting to Fray? [stated]") != std::string::npos);
  CHECK(r.out.find("2014 [inferred]") != std::string::npos);
  CHECK(r.out.find("Gordon G. Chang [sidecar]") != std::string::npos);
  CHECK(r.out.find("#0 [0, ") != std::string::npos);
  CHECK(r.out.find("liu-zhenmin") != std::string::npos);
}

TEST_CASE("analyze reads HTML and Markdown files", "[cli][analyze]") {
  const Run r = run({kSource + "/tests/data/formats/article.html", kSource + "/tests/data/formats/front_matter.md",
                     "--json", "--passages-only"});
  CHECK(r.code == 0);
  const json j = parse(r);
  CHECK(j["files"][0]["format"] == "html");
  CHECK(j["files"][0]["url"] == "https://sinonk.com/2012/05/20/delegations-galore/");
  CHECK(j["files"][0]["passages"][0]["text"].get<std::string>().find('<') == std::string::npos);
  CHECK(j["files"][1]["format"] == "markdown");
  CHECK(j["files"][1]["authors"] == json::array({"Jane Doe", "Lee Min-ho"}));
}

TEST_CASE("analyze usage errors exit with code 2", "[cli][analyze]") {
  const Run none = run({});
  CHECK(none.code == 2);
  CHECK_FALSE(none.err.empty());
  CHECK(none.out.empty());
  const Run flag = run({kSeed, "--no-such-flag"});
  CHECK(flag.code == 2);
  const Run actors = run({kSeed, "--actors", kSource + "/data/no-such-gazetteer.tsv"});
  CHECK(actors.code == 2);
  CHECK(actors.err.find("no-such-gazetteer.tsv") != std::string::npos);
}

TEST_CASE("analyze tags with the gazetteer given by --actors", "[cli][analyze]") {
  TempDir dir;
  // A one-actor gazetteer: only its actor is tagged.
  const fs::path gaz = dir.write("mini.tsv", "# test\nhu-jintao\tHu Jintao\tperson\tHu Jintai\n");
  const Run r = run({kSeed, "--json", "--actors", gaz.string()});
  CHECK(r.code == 0);
  const json f = parse(r)["files"][0];
  REQUIRE_FALSE(f["entities"].empty());
  for (const json& e : f["entities"]) CHECK(e["id"] == "hu-jintao");
  CHECK(f["actor_counts"].size() == 1);
  CHECK(f["actor_counts"]["hu-jintao"].get<int>() >= 3);  // "Hu Jintao" twice, "Hu Jintao’s", "Hu Jintai"
}
