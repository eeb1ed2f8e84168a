// `lipsteeth search` as a user runs it: the built binary over an index of a
// temporary copy of the bundled corpus; stdout, stderr and exit codes.
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

namespace fs = std::filesystem;

namespace {

struct Result {
  int exit_code = -1;
  std::string out, err;
};

// Runs `args` through /bin/sh with stdout and stderr captured separately.
Result run(const std::string& args, const std::string& env = "") {
  static int counter = 0;
  const fs::path err_file = fs::temp_directory_path() / ("lipsteeth-cli-err-" + std::to_string(getpid()) + "-" +
                                                         std::to_string(counter++));
  const std::string cmd = env + " " + std::string(LIPSTEETH_BIN) + " " + args + " 2>'" + err_file.string() + "'";
  Result r;
  FILE* p = popen(cmd.c_str(), "r");
  REQUIRE(p != nullptr);
  std::array<char, 8192> buf{};
  std::size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0) r.out.append(buf.data(), n);
  int st = pclose(p);
  r.exit_code = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  std::ifstream e(err_file);
  r.err.assign(std::istreambuf_iterator<char>(e), {});
  fs::remove(err_file);
  return r;
}

struct Index {
  fs::path dir;
  std::string db;
  Index() {
    std::string tmpl = (fs::temp_directory_path() / "lipsteeth-search-cli-XXXXXX").string();
    REQUIRE(mkdtemp(tmpl.data()) != nullptr);
    dir = tmpl;
    fs::copy(fs::path(LIPSTEETH_SOURCE_DIR) / "corpus", dir / "corpus");
    db = (dir / "idx").string();
    Result r = run("index -q --db '" + db + "' '" + (dir / "corpus").string() + "'");
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
  }
  ~Index() {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
};

const Index& index() {
  static Index i;
  return i;
}

std::string search(const std::string& rest) { return "search --db '" + index().db + "' " + rest; }

}  // namespace

TEST_CASE("prints ranked passages with snippets and facets, exit 0", "[cli][search]") {
  Result r = run(search("--color=never 'six-party talks'"));
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.rfind("1. ", 0) == 0);
  CHECK(r.out.find("[Six-Party Talks]") != std::string::npos);  // highlight without colour
  CHECK(r.out.find("corpus/") != std::string::npos);             // path:passage
  CHECK(r.out.find("matching passages") != std::string::npos);
  CHECK(r.out.find("years: ") != std::string::npos);
  CHECK(r.out.find("actors: ") != std::string::npos);
  CHECK(r.out.find("\x1b[") == std::string::npos);
  CHECK(r.err.empty());
}

TEST_CASE("colours only when asked or on a terminal, and honours NO_COLOR", "[cli][search]") {
  CHECK(run(search("--color=always coal")).out.find("\x1b[1;31m") != std::string::npos);
  // auto: stdout is a pipe here, so no colour; NO_COLOR is honoured as well.
  CHECK(run(search("coal")).out.find("\x1b[") == std::string::npos);
  CHECK(run(search("coal"), "NO_COLOR=1").out.find("\x1b[") == std::string::npos);
}

TEST_CASE("prints the documented JSON schema", "[cli][search]") {
  Result r = run(search("--json --limit 2 'Kim Jong Un'"));
  REQUIRE(r.exit_code == 0);
  auto j = nlohmann::json::parse(r.out);
  CHECK(j.at("query") == "Kim Jong Un");
  CHECK(j.at("total").get<int>() > 2);
  REQUIRE(j.at("hits").size() == 2);
  for (const auto& h : j.at("hits")) {
    CHECK(h.at("rank").is_number_integer());
    CHECK(h.at("score").is_number());
    const auto& a = h.at("article");
    for (const char* k : {"id", "path", "title", "date"}) CHECK(a.at(k).is_string());
    CHECK((a.at("year").is_number_integer() || a.at("year").is_null()));
    CHECK(a.at("authors").is_array());
    const auto& p = h.at("passage");
    CHECK(p.at("ordinal").is_number_integer());
    const std::string text = p.at("text");
    CHECK(p.at("snippet").is_string());
    REQUIRE_FALSE(p.at("highlights").empty());
    for (const auto& hl : p.at("highlights")) {
      const std::size_t s = hl.at("start"), e = hl.at("end");
      REQUIRE(e <= text.size());
      // Byte offsets into passage.text: the name, one of its words ("Kim’s"),
      // or a mention by a longer alias ("Supreme Leader Kim Jong-un").
      const std::string w = text.substr(s, e - s);
      INFO(w);
      CHECK((w.rfind("Kim", 0) == 0 || w.rfind("Jong", 0) == 0 || w.rfind("Un", 0) == 0 ||
             w.find(" Kim Jong") != std::string::npos));
    }
    CHECK(h.at("actors").is_array());
    CHECK(h.at("actors").at(0).at("id").is_string());
  }
  CHECK(j.at("facets").at("year").is_object());
  CHECK(j.at("facets").at("actor").at("kim-jong-un").get<int>() == j.at("total").get<int>());
  CHECK(j.at("suggestion").is_null());
}

TEST_CASE("says 'Did you mean' and searches the correction only when nothing matched", "[cli][search]") {
  Result r = run(search("Pyonyang"));
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("No results for \"Pyonyang\"; showing results for \"Pyongyang\".") != std::string::npos);
  Result j = run(search("--json sanctons"));
  auto o = nlohmann::json::parse(j.out);
  CHECK(o.at("suggestion") == "sanctions");
  CHECK(o.at("searched_suggestion") == true);
}

TEST_CASE("exits 1 when nothing matches", "[cli][search]") {
  Result r = run(search("zzyzx"));
  CHECK(r.exit_code == 1);
  CHECK(r.out.find("0 matching passages") != std::string::npos);
  Result j = run(search("--json zzyzx"));
  CHECK(j.exit_code == 1);
  CHECK(nlohmann::json::parse(j.out).at("hits").empty());
}

TEST_CASE("exits 2 on usage and query errors, with a message", "[cli][search]") {
  Result actor = run(search("coal --actor 'Kimm Jong-un'"));
  CHECK(actor.exit_code == 2);
  CHECK(actor.err.find("did you mean: Kim Jong-un") != std::string::npos);
  CHECK(run(search("coal --year 2016..2012")).exit_code == 2);
  CHECK(run(search("coal --year soon")).exit_code == 2);
  CHECK(run(search("'actor:Nobodyatall coal'")).exit_code == 2);
  CHECK(run(search("")).exit_code == 2);
  CHECK(run(search("coal --group-by author")).exit_code == 2);
  // A malformed query is read, with a warning, not refused.
  Result m = run(search("'China AND'"));
  CHECK(m.exit_code == 0);
  CHECK(m.err.find("warning") != std::string::npos);
}

TEST_CASE("exits 3 when the index is missing, saying how to build it", "[cli][search]") {
  Result r = run("search --db '" + (index().dir / "nothing-here").string() + "' coal");
  CHECK(r.exit_code == 3);
  CHECK(r.err.find("lipsteeth index") != std::string::npos);
  CHECK(r.out.empty());
}

TEST_CASE("treats a closed pipe as success", "[cli][search]") {
  // The reader stops after 10 bytes while many hits are still being written;
  // pipefail makes the pipeline's status that of lipsteeth.
  const std::string cmd = "set -o pipefail 2>/dev/null; " + std::string(LIPSTEETH_BIN) + " " +
                          search("--limit 200 --json China") + " | head -c 10 >/dev/null";
  int st = std::system(("bash -c \"" + cmd + "\"").c_str());
  CHECK(WIFEXITED(st));
  CHECK(WEXITSTATUS(st) == 0);
}

TEST_CASE("filters by year and actor and groups by article", "[cli][search]") {
  // Each --actor takes one value: the words after it are the query.
  Result r = run(search("--json --limit 100 --year 2014..2015 --actor DPRK --actor 'Xi Jinping' China"));
  REQUIRE(r.exit_code == 0);
  auto j = nlohmann::json::parse(r.out);
  CHECK(j.at("query") == "China");
  CHECK_FALSE(j.at("hits").empty());
  for (const auto& h : j.at("hits")) {
    int y = h.at("article").at("year");
    CHECK((y == 2014 || y == 2015));
  }
  Result g = run(search("--json --group-by article --limit 100 China"));
  auto gj = nlohmann::json::parse(g.out);
  CHECK(gj.at("total") == 5);
  CHECK(gj.at("hits").size() == 5);
  Result e = run(search("--explain --color=never -n 1 'nuclear test'"));
  CHECK(e.out.find("= bm25 ") != std::string::npos);
}

TEST_CASE("a passage whose file changed or went since indexing is still found, its text said unavailable",
          "[cli][search]") {
  // An index of its own: this test edits its corpus.
  Index own;
  const fs::path corpus = own.dir / "corpus";
  const std::string q = "search --db '" + own.db + "' --color=never --json 'Jang Song-thaek'";
  Result before = run(q);
  REQUIRE(before.exit_code == 0);
  auto j = nlohmann::json::parse(before.out);
  REQUIRE_FALSE(j.at("hits").empty());
  const auto& hit = j.at("hits")[0];
  CHECK_FALSE(hit.at("passage").contains("text_error"));
  const std::string text = hit.at("passage").at("text");
  const fs::path file = corpus / hit.at("article").at("id").get<std::string>();
  REQUIRE(fs::exists(file));

  // The same bytes moved: an edit before the passage shifts it.
  std::string bytes;
  {
    std::ifstream in(file, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), {});
  }
  REQUIRE(bytes.find(text) != std::string::npos);
  {
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out << "An added first line.\n" << bytes;
  }
  Result shifted = run(q);
  REQUIRE(shifted.exit_code == 0);  // the hit is still found: the index is as it was
  j = nlohmann::json::parse(shifted.out);
  const auto& p = j.at("hits")[0].at("passage");
  CHECK(p.at("text") == "");  // never the wrong bytes
  CHECK(p.at("snippet") == "");
  CHECK(p.at("highlights").empty());
  CHECK(p.at("text_error").get<std::string>().find("changed since it was indexed") != std::string::npos);

  fs::remove(file);
  Result gone = run("search --db '" + own.db + "' --color=never 'Jang Song-thaek'");
  CHECK(gone.exit_code == 0);
  CHECK(gone.out.find("passage text unavailable: cannot open") != std::string::npos);
  CHECK(gone.out.find("run `lipsteeth index`") != std::string::npos);

  // The next index run brings the index back to the files.
  Result reindex = run("index -q --db '" + own.db + "' '" + corpus.string() + "'");
  CHECK(reindex.exit_code == 0);
  Result after = run(q);
  if (after.exit_code == 0) {
    j = nlohmann::json::parse(after.out);
    for (const auto& h : j.at("hits")) CHECK_FALSE(h.at("passage").contains("text_error"));
  }
}
