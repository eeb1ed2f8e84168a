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
// Standard input is /dev/null unless `env` ends in a pipe (`printf x |`): a
// search without a query reads its query from a standard input that is not
// a terminal.
Result run(const std::string& args, const std::string& env = "") {
  static int counter = 0;
  const fs::path err_file = fs::temp_directory_path() / ("lipsteeth-cli-err-" + std::to_string(getpid()) + "-" +
                                                         std::to_string(counter++));
  const bool piped = env.find('|') != std::string::npos;
  const std::string cmd = env + " " + std::string(LIPSTEETH_BIN) + " " + args + (piped ? "" : " </dev/null") +
                          " 2>'" + err_file.string() + "'";
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
  // Bold red through fmt's colour API: ESC[1m then ESC[31m, and a reset.
  const std::string coloured = run(search("--color=always coal")).out;
  CHECK(coloured.find("\x1b[1m\x1b[31m") != std::string::npos);
  CHECK(coloured.find("\x1b[0m") != std::string::npos);
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

namespace {

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// Line (1-based) and byte column (1-based) of `byte` in `s`.
std::pair<std::size_t, std::size_t> line_column(const std::string& s, std::size_t byte) {
  std::size_t line = 1, start = 0;
  for (std::size_t i = 0; i < byte; ++i)
    if (s[i] == '\n') {
      ++line;
      start = i + 1;
    }
  return {line, byte - start + 1};
}

std::vector<std::string> lines_of(const std::string& s) {
  std::vector<std::string> v;
  std::size_t at = 0;
  while (at < s.size()) {
    std::size_t nl = s.find('\n', at);
    if (nl == std::string::npos) nl = s.size();
    v.push_back(s.substr(at, nl - at));
    at = nl + 1;
  }
  return v;
}

}  // namespace

TEST_CASE("issue 24: a hit shows path:LINE:COLUMN of its first highlight, its passage number apart",
          "[cli][search]") {
  Result r = run(search("--color=never THAAD"));
  REQUIRE(r.exit_code == 0);
  const std::string first = lines_of(r.out).at(0);
  INFO(first);
  // "1. TITLE (2016)  /tmp/.../corpus/001_....txt:30:834  passage 7"
  const std::size_t txt = first.find(".txt:");
  REQUIRE(txt != std::string::npos);
  const std::size_t path_start = first.rfind("  ", txt) + 2;
  const std::string path = first.substr(path_start, txt + 4 - path_start);
  std::size_t line = 0, column = 0, passage = 0;
  REQUIRE(std::sscanf(first.c_str() + txt + 4, ":%zu:%zu  passage %zu", &line, &column, &passage) == 3);
  const std::vector<std::string> file_lines = lines_of(slurp(path));
  REQUIRE(line >= 1);
  REQUIRE(line <= file_lines.size());
  const std::string& at = file_lines[line - 1];
  REQUIRE(column >= 1);
  // The first highlight of the THAAD passage is the acronym's long form or itself.
  const std::string there = at.substr(column - 1, 8);
  CHECK((there == "Terminal" || there == "THAAD"));
  // The passage number is the JSON's ordinal, not the line.
  auto j = nlohmann::json::parse(run(search("--json -n 1 THAAD")).out);
  CHECK(j.at("hits")[0].at("passage").at("ordinal") == passage);
  CHECK(passage != line);
}

TEST_CASE("issue 24: the JSON gives file bytes, lines and columns of each passage and highlight",
          "[cli][search]") {
  Result r = run(search("--json --limit 5 'North Korea'"));
  REQUIRE(r.exit_code == 0);
  auto j = nlohmann::json::parse(r.out);
  CHECK(j.at("version") == 1);
  REQUIRE_FALSE(j.at("hits").empty());
  for (const auto& h : j.at("hits")) {
    const std::string file = slurp(h.at("article").at("path").get<std::string>());
    const auto& p = h.at("passage");
    const std::string text = p.at("text");
    const std::size_t start = p.at("start").at("byte"), end = p.at("end").at("byte");
    REQUIRE(end - start == text.size());
    CHECK(file.substr(start, end - start) == text);
    const auto [line, column] = line_column(file, start);
    CHECK(p.at("start").at("line") == line);
    CHECK(p.at("start").at("column") == column);
    CHECK(p.at("body_start").is_number_integer());
    for (const auto& hl : p.at("highlights")) {
      const std::size_t s = hl.at("start"), e = hl.at("end"), b = hl.at("byte");
      CHECK(b == start + s);
      CHECK(file.substr(b, e - s) == text.substr(s, e - s));
      const auto [hl_line, hl_column] = line_column(file, b);
      CHECK(hl.at("line") == hl_line);
      CHECK(hl.at("column") == hl_column);
    }
  }
}

TEST_CASE("issue 24: a stored text (HTML) has no file lines: null places, the bare path in text", "[cli][search]") {
  Index own;
  {
    std::ofstream html(own.dir / "corpus" / "brief.html");
    html << "<!DOCTYPE html>\n<html><head><title>Border trade note</title></head>\n<body>\n"
            "<p>Traders at Dandong said the <b>zanthoxylum</b> shipments resumed in March.</p>\n"
            "</body></html>\n";
  }
  REQUIRE(run("index -q --db '" + own.db + "' '" + (own.dir / "corpus").string() + "'").exit_code == 0);
  Result r = run("search --db '" + own.db + "' --json zanthoxylum");
  REQUIRE(r.exit_code == 0);
  auto j = nlohmann::json::parse(r.out);
  const auto& p = j.at("hits").at(0).at("passage");
  CHECK(p.at("start").at("line").is_null());
  CHECK(p.at("highlights").at(0).at("byte").is_null());
  Result t = run("search --db '" + own.db + "' --color=never zanthoxylum");
  CHECK(t.out.find("brief.html  passage 0") != std::string::npos);
}

TEST_CASE("issue 24: reads the query from standard input", "[cli][search]") {
  Result piped = run(search("--json"), "printf 'THAAD\\n' |");
  INFO(piped.err);
  REQUIRE(piped.exit_code == 0);
  auto j = nlohmann::json::parse(piped.out);
  CHECK(j.at("query") == "THAAD");
  CHECK(j.at("total") == nlohmann::json::parse(run(search("--json THAAD")).out).at("total"));
  Result dash = run(search("--json -"), "printf 'THAAD' |");
  CHECK(dash.exit_code == 0);
  CHECK(nlohmann::json::parse(dash.out).at("query") == "THAAD");
  // Nothing on standard input: still the usage error.
  Result empty = run(search(""), "printf '' |");
  CHECK(empty.exit_code == 2);
  CHECK(empty.err.find("standard input") != std::string::npos);
}

TEST_CASE("issue 24: a -word after the query starts is a query word, and -- works too", "[cli][search]") {
  const std::size_t all = nlohmann::json::parse(run(search("--json sanctions")).out).at("total");
  for (const std::string args : {"sanctions -THAAD --json", "--json sanctions -THAAD", "--json -- sanctions -THAAD"}) {
    Result r = run(search(args));
    INFO(args << "\n" << r.err);
    REQUIRE(r.exit_code == 0);
    auto j = nlohmann::json::parse(r.out);
    CHECK(j.at("query") == "sanctions -THAAD");
    CHECK(j.at("total").get<std::size_t>() < all);
    for (const auto& h : j.at("hits")) CHECK(h.at("passage").at("text").get<std::string>().find("THAAD") == std::string::npos);
  }
  // Before any query word, an unknown flag is still an error.
  Result flag = run(search("--limt 3 sanctions"));
  CHECK(flag.exit_code == 2);
}

TEST_CASE("issue 24: bad option values get clean messages and exit 2", "[cli][search]") {
  struct Case {
    const char* args;
    const char* says;
  };
  const Case cases[] = {
      {"--limit -1 coal", "bad --limit -1"},
      {"--offset -3 coal", "bad --offset -3"},
      {"--color=sometimes coal", "'sometimes' is not a colour mode: use auto, always or never"},
      {"--since 2016-13 coal", "bad --since '2016-13'"},
      {"--until 16-03 coal", "bad --until '16-03'"},
      {"--since 2016-05 --until 2016-03 coal", "reversed"},
      {"--year 2016 --since 2016-03 coal", "not both"},
      {"--sort newest coal", "--sort"},
      {"--format xml coal", "--format"},
      {"-l -c coal", "do not go together"},
      {"--json -c coal", "--count prints plain lines"},
      {"-l --format csv coal", "-l/--files-with-matches prints plain lines"},
  };
  for (const auto& c : cases) {
    Result r = run(search(c.args));
    INFO(c.args << "\n" << r.err);
    CHECK(r.exit_code == 2);
    CHECK(r.err.find(c.says) != std::string::npos);
    CHECK(r.err.find("->") == std::string::npos);  // no parser internals
    CHECK(r.out.empty());
  }
}

TEST_CASE("issue 24: a malformed query's warning names the user's words, not internal terms", "[cli][search]") {
  Result r = run(search("--color=never 'Kim Jong Un AND'"));
  CHECK(r.exit_code == 0);
  CHECK(r.err.find("warning: could not read the query as written") != std::string::npos);
  CHECK(r.err.find("Kim Jong Un") != std::string::npos);
  CHECK(r.err.find("xlsalias") == std::string::npos);
  Result c = run(search("'China AND'"));
  CHECK(c.err.find("xlsalias") == std::string::npos);
  CHECK(c.err.find("China") != std::string::npos);
}

TEST_CASE("issue 24: --no-facets keeps the total and its exactness", "[cli][search]") {
  for (const char* q : {"China", "'North Korea'", "nuclear OR coal", "sanctions"}) {
    auto with = nlohmann::json::parse(run(search(std::string("--json ") + q)).out);
    auto without = nlohmann::json::parse(run(search(std::string("--json --no-facets ") + q)).out);
    INFO(q);
    CHECK(without.at("facets").is_null());
    CHECK(without.at("total") == with.at("total"));
    CHECK(without.at("total_exact") == with.at("total_exact"));
    const std::string text = run(search(std::string("--color=never --no-facets ") + q)).out;
    CHECK(text.find("\nabout ") == std::string::npos);  // the total line
    CHECK(text.find(" matching passage") != std::string::npos);
  }
}

TEST_CASE("issue 24: names the words no passage holds, and notices a bare year", "[cli][search]") {
  Result r = run(search("--color=never 'Trump Kim summit'"));
  CHECK(r.exit_code == 0);
  CHECK(r.out.rfind("missing: trump\n", 0) == 0);
  auto j = nlohmann::json::parse(run(search("--json 'Trump Kim summit'")).out);
  CHECK(j.at("missing") == nlohmann::json::array({"trump"}));
  auto held = nlohmann::json::parse(run(search("--json 'Kim summit'")).out);
  CHECK(held.at("missing").empty());
  Result y = run(search("--color=never 'sanctions 2017'"));
  CHECK(y.err.find("'2017' is searched as a word; to keep only passages of 2017, use --year 2017") !=
        std::string::npos);
  CHECK(run(search("--color=never 'sanctions year:2016'")).err.find("--year") == std::string::npos);
}

TEST_CASE("issue 24: -l lists each matching file once, --count prints the total", "[cli][search]") {
  Result l = run(search("-l China"));
  REQUIRE(l.exit_code == 0);
  const std::vector<std::string> files = lines_of(l.out);
  CHECK(files.size() == 5);
  for (const auto& f : files) CHECK(fs::exists(f));
  Result one = run(search("-l THAAD"));
  CHECK(lines_of(one.out).size() == 2);

  auto j = nlohmann::json::parse(run(search("--json China")).out);
  Result c = run(search("--count China"));
  CHECK(c.exit_code == 0);
  CHECK(c.out == std::to_string(j.at("total").get<std::size_t>()) + "\n");
  Result a = run(search("--count --group-by article China"));
  CHECK(a.out == "5\n");
  Result no_file = run(search("-l zzyzxqua"));
  CHECK(no_file.exit_code == 1);
  CHECK(no_file.out.empty());
  Result none = run(search("--count zzyzxqua"));
  CHECK(none.exit_code == 1);
  CHECK(none.out == "0\n");
}

TEST_CASE("issue 24: --sort date puts the newest first, and --since/--until filter below a year", "[cli][search]") {
  auto j = nlohmann::json::parse(run(search("--json --sort date --limit 100 China")).out);
  REQUIRE(j.at("hits").size() > 10);
  std::string prev = "9999";
  for (const auto& h : j.at("hits")) {
    const std::string d = h.at("article").at("date");
    CHECK(d <= prev);
    prev = d;
  }
  // The bundled corpus: 2012-05-20, 2014-02, 2015, 2016-06-02, 2016-09-05.
  struct Case {
    const char* flags;
    std::vector<std::string> dates;
  };
  const Case cases[] = {
      {"--since 2016-06-03", {"2016-09-05"}},
      {"--since 2016-06", {"2016-06-02", "2016-09-05"}},
      {"--until 2014-02", {"2012-05-20", "2014-02"}},
      {"--since 2014 --until 2015", {"2014-02", "2015"}},
      {"--since 2014-01-01 --until 2016-06-02", {"2014-02", "2015", "2016-06-02"}},  // wholly inside
      {"--since 2015-03 --until 2016-06", {"2016-06-02"}},  // 2015 only: not known to be after March
  };
  for (const auto& c : cases) {
    auto r = nlohmann::json::parse(run(search(std::string("--json --group-by article --limit 100 ") + c.flags +
                                              " China"))
                                       .out);
    INFO(c.flags);
    std::vector<std::string> dates;
    for (const auto& h : r.at("hits")) dates.push_back(h.at("article").at("date"));
    std::sort(dates.begin(), dates.end());
    CHECK(dates == c.dates);
    CHECK(r.at("total") == c.dates.size());
  }
  auto f = nlohmann::json::parse(run(search("--json --since 2016-06-03 China")).out);
  CHECK(f.at("facets").at("year") == nlohmann::json({{"2016", f.at("total")}}));
}

TEST_CASE("issue 24: exports CSV and TSV, one row per hit under a header", "[cli][search]") {
  Result csv = run(search("--format csv --limit 3 'North Korea'"));
  REQUIRE(csv.exit_code == 0);
  CHECK(csv.out.rfind("rank,score,path,line,column,passage,id,title,date,year,authors,actors,snippet\r\n", 0) == 0);
  // Records end with CRLF; a quoted field may hold commas and doubled quotes.
  std::size_t records = 0;
  bool quoted = false;
  for (std::size_t i = 0; i < csv.out.size(); ++i) {
    if (csv.out[i] == '"') quoted = !quoted;
    if (!quoted && csv.out.compare(i, 2, "\r\n") == 0) ++records;
  }
  CHECK_FALSE(quoted);
  CHECK(records == 4);
  Result tsv = run(search("--format tsv --limit 3 'North Korea'"));
  const std::vector<std::string> rows = lines_of(tsv.out);
  REQUIRE(rows.size() == 4);
  for (const auto& row : rows) CHECK(std::count(row.begin(), row.end(), '\t') == 12);
  CHECK(rows[1].rfind("1\t", 0) == 0);
}

TEST_CASE("issue 24: snippets wrap at the terminal's width, wide characters counting two", "[cli][search]") {
  Index own;
  {
    std::ofstream f(own.dir / "corpus" / "wide.txt");
    f << "Names in the border press\n\n"
         "The Dandong weekly printed quinquereme notes: 丹东 新义州 鸭绿江 中朝友谊桥 朝鲜 中国 边境 贸易 "
         "口岸 海关 丹东 新义州 鸭绿江 中朝友谊桥 朝鲜 中国 边境 贸易 口岸 海关 and more quinquereme notes "
         "followed in the weekly on the trade through the bridge.\n";
  }
  REQUIRE(run("index -q --db '" + own.db + "' '" + (own.dir / "corpus").string() + "'").exit_code == 0);
  // Columns as a terminal shows them: these CJK ideographs take two.
  auto columns = [](const std::string& s) {
    std::size_t w = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
      const auto c = static_cast<unsigned char>(s[i]);
      if ((c & 0xC0) == 0x80) continue;
      w += c >= 0xE3 && c <= 0xE9 ? 2 : 1;  // U+3000..U+9FFF lead bytes
    }
    return w;
  };
  for (int width : {40, 60, 100}) {
    Result r = run("search --db '" + own.db + "' --color=never quinquereme", "COLUMNS=" + std::to_string(width));
    REQUIRE(r.exit_code == 0);
    std::size_t widest = 0, snippet_lines = 0;
    for (const auto& line : lines_of(r.out)) {
      if (line.rfind("   ", 0) != 0 || line.rfind("   actors:", 0) == 0) continue;
      ++snippet_lines;
      widest = std::max(widest, columns(line));
    }
    INFO(width << "\n" << r.out);
    CHECK(widest <= static_cast<std::size_t>(width));
    CHECK(widest + 12 > static_cast<std::size_t>(width));  // filled, not wrapped short
    CHECK(snippet_lines >= 2);
  }
}

TEST_CASE("issue 24: the config file sets the default index and search options", "[cli][search]") {
  const fs::path conf = index().dir / "xdg";
  fs::create_directories(conf / "lipsteeth");
  {
    std::ofstream f(conf / "lipsteeth" / "config");
    f << "# lipsteeth defaults\ndb = " << index().db << "\n\n[search]\nlimit = 1\ncolor = never\n";
  }
  const std::string env = "env -u LIPSTEETH_DB XDG_CONFIG_HOME='" + conf.string() + "'";
  Result r = run("search --json China", env);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(nlohmann::json::parse(r.out).at("hits").size() == 1);
  // The command line overrides the file.
  Result more = run("search --json --limit 3 China", env);
  CHECK(nlohmann::json::parse(more.out).at("hits").size() == 3);
  // A file named with --config; a bad value in it is a usage error.
  {
    std::ofstream f(conf / "bad.ini");
    f << "[search]\nlimit = many\n";
  }
  Result bad = run("--config '" + (conf / "bad.ini").string() + "' search --db '" + index().db + "' China");
  CHECK(bad.exit_code == 2);
  CHECK(bad.err.find("limit") != std::string::npos);
}

TEST_CASE("issue 24: author:NAME keeps the passages of that author's articles, the name not stemmed",
          "[cli][search]") {
  Index own;
  // Only the fixture: the bundled corpus names a Chang too (below).
  fs::remove_all(own.dir / "corpus");
  fs::create_directories(own.dir / "corpus");
  {
    // Shaped like a feed export: one article a line, authors as a list.
    std::ofstream f(own.dir / "corpus" / "feed.jsonl");
    f << R"({"id":"wire-0412","title":"Border crossings reopen","date":"2019-04-12","authors":["Chang Wei","Ana Müller"],"text":"Customs posts at Dandong reopened to lorries as rules on changing cargo manifests eased."})"
      << "\n"
      << R"({"id":"wire-0413","title":"Rail freight notes","date":"2019-04-13","authors":["Li Na"],"text":"Freight through Dandong kept changing routes; Chang, a driver, said the lorries waited."})"
      << "\n";
  }
  REQUIRE(run("index -q --db '" + own.db + "' '" + (own.dir / "corpus").string() + "'").exit_code == 0);
  auto titles = [&](const std::string& query) {
    Result r = run("search --db '" + own.db + "' --json --limit 100 --group-by article " + query);
    std::vector<std::string> out;
    if (r.exit_code != 0) return out;
    const auto j = nlohmann::json::parse(r.out);  // a temporary's member would not outlive the loop's start
    for (const auto& h : j.at("hits")) out.push_back(h.at("article").at("title"));
    std::sort(out.begin(), out.end());
    return out;
  };
  const std::string border = "Border crossings reopen", rail = "Rail freight notes";
  struct Case {
    const char* query;
    std::vector<std::string> titles;
  };
  const Case cases[] = {
      {"author:Chang", {border}},                     // not the article that only mentions a Chang
      {"author:CHANG", {border}},                     // folded as words are
      {"author:muller", {border}},                    // diacritics folded
      {"author:mueller", {}},                         // a spelling the name does not have
      {"'author:\"Wei Chang\"'", {border}},           // every word of the name, in any order
      {"'author:\"Chang Na\"'", {}},                  // words of two authors of two articles
      {"'author:Chang OR author:Li'", {border, rail}},  // either
      {"'Dandong author:Li'", {rail}},                // with words: a filter
      {"'Dandong -author:Li'", {border}},             // and its negation
      {"author:changing", {}},                        // no stemming onto the text's word
      {"Chang", {border, rail}},                      // the word, stemmed, finds "changing" in the text
  };
  for (const auto& c : cases) {
    INFO(c.query);
    CHECK(titles(c.query) == c.titles);
  }
  Result none = run("search --db '" + own.db + "' author:changing");
  CHECK(none.exit_code == 1);
  CHECK(none.err.find("no article of the index has an author named 'changing'") != std::string::npos);
  // The bundled corpus names its authors in lipsteeth-meta.tsv.
  auto j = nlohmann::json::parse(run(search("--json --limit 100 author:Chang")).out);
  REQUIRE_FALSE(j.at("hits").empty());
  for (const auto& h : j.at("hits")) CHECK(h.at("article").at("authors") == nlohmann::json::array({"Gordon G. Chang"}));
  CHECK(run(search("'author:\"\"'")).exit_code == 2);
}

TEST_CASE("issue 24: index, stats and verify --json start with the documented version", "[cli][search]") {
  Index own;
  Result idx = run("index --json --db '" + own.db + "' '" + (own.dir / "corpus").string() + "'");
  REQUIRE(idx.exit_code == 0);
  Result stats = run("stats --json --db '" + own.db + "'");
  REQUIRE(stats.exit_code == 0);
  Result verify = run("verify --json --db '" + own.db + "'");
  REQUIRE(verify.exit_code == 0);
  struct Case {
    const Result* r;
    std::vector<const char*> fields;  // some of docs/search.md's
  };
  const Case cases[] = {
      {&idx, {"db", "mode", "added", "unchanged", "articles_total", "passages_total", "skipped", "skipped_files"}},
      {&stats, {"db", "schema", "articles", "passages", "passages_per_year", "roots", "last_build"}},
      {&verify, {"ok", "articles_checked", "problems"}},
  };
  for (const auto& c : cases) {
    INFO(c.r->out);
    CHECK(c.r->out.rfind("{\"version\":1,", 0) == 0);
    const auto j = nlohmann::json::parse(c.r->out);
    for (const char* f : c.fields) CHECK(j.contains(f));
  }
  CHECK(nlohmann::json::parse(idx.out).at("unchanged") == 5);
  CHECK(nlohmann::json::parse(stats.out).at("articles") == 5);
  CHECK(nlohmann::json::parse(verify.out).at("ok") == true);
}

TEST_CASE("issue 24: search --help lists every option and the query prefixes", "[cli][search]") {
  Result r = run("search --help");
  REQUIRE(r.exit_code == 0);
  for (const char* o : {"--db", "--year", "--since", "--until", "--actor", "--limit", "--offset", "--sort", "--json",
                        "--format", "--files-with-matches", "--count", "--group-by", "--explain", "--no-facets",
                        "--color", "--config", "author:NAME", "actor:NAME", "title:", "year:", "standard input"}) {
    INFO(o);
    CHECK(r.out.find(o) != std::string::npos);
  }
}

TEST_CASE("a typo few passages share is searched as its correction, and both counts are shown", "[cli][search]") {
  Index own;
  fs::remove_all(own.dir / "corpus");
  fs::create_directories(own.dir / "corpus");
  auto article = [&](const std::string& name, const std::string& sentence, int paragraphs) {
    std::ofstream f(own.dir / "corpus" / (name + ".txt"));
    f << "Notes on " << name << "\n\n";
    for (int i = 0; i < paragraphs; ++i)
      f << "Paragraph " << i << " of the notes: " << sentence
        << " The officials said little else that afternoon, and the meeting ended early.\n\n";
  };
  article("common", "the sanctions were tightened again by the council.", 30);
  article("typo", "the sanctoins were tightened again by the council.", 1);
  REQUIRE(run("index -q --db '" + own.db + "' '" + (own.dir / "corpus").string() + "'").exit_code == 0);
  Result t = run("search --db '" + own.db + "' --color=never sanctoins");
  CHECK(t.exit_code == 0);
  CHECK(t.out.rfind("Showing results for \"sanctions\" (30 passages); \"sanctoins\" matched 1.\n", 0) == 0);
  auto j = nlohmann::json::parse(run("search --db '" + own.db + "' --json sanctoins").out);
  CHECK(j.at("searched_suggestion") == true);
  CHECK(j.at("original_total") == 1);
  CHECK(j.at("total") == 30);
  auto none = nlohmann::json::parse(run("search --db '" + own.db + "' --json sanctinos").out);
  CHECK(none.at("original_total") == 0);
  auto plain = nlohmann::json::parse(run("search --db '" + own.db + "' --json sanctions").out);
  CHECK(plain.at("original_total").is_null());
}
