// The relevance harness end to end on a small slice of Cranfield
// (bench/testdata/eval/cranfield200: 200 documents, 20 queries): bench/eval.py
// indexes the JSON Lines file through the CLI, runs every query through
// `lipsteeth search --json --group-by article`, writes a TREC run file and
// scores it with score.py. Checks the pipeline, not the full-collection targets.
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

namespace fs = std::filesystem;

namespace {

const fs::path kSource = LIPSTEETH_SOURCE_DIR;
const fs::path kFixture = kSource / "bench" / "testdata" / "eval";

std::string quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

struct Result {
  int exit_code = -1;
  std::string output;  // stdout and stderr together, for failure messages
};

Result run(const std::string& command) {
  Result r;
  FILE* p = popen((command + " 2>&1").c_str(), "r");
  REQUIRE(p != nullptr);
  std::array<char, 4096> buf{};
  std::size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0) r.output.append(buf.data(), n);
  int status = pclose(p);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

struct TempDir {
  fs::path path;
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "lipsteeth-eval-XXXXXX").string();
    REQUIRE(mkdtemp(tmpl.data()) != nullptr);
    path = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

std::set<std::string> fixture_doc_ids() {
  std::set<std::string> ids;
  std::ifstream in(kFixture / "cranfield200" / "docs.jsonl");
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty()) ids.insert(nlohmann::json::parse(line).at("id").get<std::string>());
  }
  return ids;
}

std::set<std::string> fixture_query_ids() {
  std::set<std::string> ids;
  std::ifstream in(kFixture / "cranfield200" / "queries.tsv");
  std::string line;
  while (std::getline(in, line)) ids.insert(line.substr(0, line.find('\t')));
  return ids;
}

struct RunLine {
  std::string qid, q0, doc, tag;
  long rank = 0;
  double score = 0;
};

}  // namespace

TEST_CASE("the relevance harness indexes, searches, writes a TREC run and scores it",
          "[cli][eval]") {
  REQUIRE(fs::exists(kFixture / "cranfield200" / "docs.jsonl"));
  TempDir tmp;
  Result r = run("python3 " + quote((kSource / "bench" / "eval.py").string()) +
                 " --no-build --skip-baseline --lipsteeth " + quote(LIPSTEETH_BIN) +
                 " --eval-dir " + quote(kFixture.string()) + " --out " + quote(tmp.path.string()));
  INFO(r.output);
  REQUIRE(r.exit_code == 0);

  const auto docs = fixture_doc_ids();
  const auto queries = fixture_query_ids();
  REQUIRE(docs.size() == 200);
  REQUIRE(queries.size() == 20);

  // The run file: "qid Q0 docid rank score tag", ranks 1..n per query, scores
  // not increasing down the ranking, each document once per query.
  std::ifstream in(tmp.path / "cranfield200" / "lipsteeth.run");
  REQUIRE(in);
  std::map<std::string, std::vector<RunLine>> by_query;
  std::string line;
  std::size_t lines = 0;
  while (std::getline(in, line)) {
    ++lines;
    INFO("run line: " << line);
    std::istringstream ls(line);
    RunLine l;
    std::string extra;
    REQUIRE(static_cast<bool>(ls >> l.qid >> l.q0 >> l.doc >> l.rank >> l.score >> l.tag));
    REQUIRE_FALSE(static_cast<bool>(ls >> extra));
    CHECK(l.q0 == "Q0");
    CHECK(l.tag == "lipsteeth");
    CHECK(queries.count(l.qid) == 1);
    CHECK(docs.count(l.doc) == 1);
    by_query[l.qid].push_back(l);
  }
  REQUIRE(lines > 0);
  for (const auto& [qid, rows] : by_query) {
    INFO("query " << qid);
    CHECK(rows.size() <= 100);
    std::set<std::string> seen;
    for (std::size_t i = 0; i < rows.size(); ++i) {
      CHECK(rows[i].rank == static_cast<long>(i + 1));
      CHECK(seen.insert(rows[i].doc).second);
      if (i > 0) CHECK(rows[i].score <= rows[i - 1].score);
    }
  }

  // Cranfield query 2 ("structural and aeroelastic problems ... high speed
  // aircraft") has document 12 ("some structural and aerelastic considerations
  // of high speed flight") as a complete answer; it is in the slice and shares
  // most of the query's words, so it must come back near the top.
  REQUIRE(by_query.count("2") == 1);
  const auto& q2 = by_query["2"];
  bool found = false;
  for (std::size_t i = 0; i < q2.size() && i < 10; ++i) found = found || q2[i].doc == "12";
  CHECK(found);

  // The scores that score.py computed: numbers in [0, 1]; no query failed
  // (queries go in as typed, "-dash" and final full stops included).
  std::ifstream rj(tmp.path / "results.json");
  REQUIRE(rj);
  const auto results = nlohmann::json::parse(rj);
  const auto& lip = results.at("cranfield200").at("lipsteeth");
  CHECK(lip.at("query_errors").empty());
  for (const char* m : {"MAP", "nDCG@10", "P@10", "Recall@100"}) {
    INFO(m);
    const auto& v = lip.at("scores").at(m);
    REQUIRE(v.is_number());
    CHECK(v.get<double>() >= 0.0);
    CHECK(v.get<double>() <= 1.0);
  }
  // Something relevant was found at all (the slice is small and easy).
  CHECK(lip.at("scores").at("Recall@100").get<double>() > 0.0);
}
