// Fault 8: a damaged passage column must never give wrong totals or facets.
// The column carries a checksum of its bytes, checked when a search opens it;
// a damaged one is refused with a warning, the search reads Xapian's values
// (the same results), verify reports it, and the next index run rewrites it.
#include <catch2/catch.hpp>

#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <xapian.h>

#include "analyzers/passage_column.h"
#include "analyzers/schema.h"
#include "searcher/searcher.h"
#include "tests/indexer/index_fixture.h"

namespace fs = std::filesystem;
using namespace lipsteeth;
using lipsteeth::testing::slurp;
using lipsteeth::testing::spit;

namespace {

int run_lipsteeth(const std::string& args, std::string* err = nullptr) {
  const fs::path errfile = fs::temp_directory_path() / fmt::format("lipsteeth-column-err-{}", ::getpid());
  const int st = std::system((std::string(LIPSTEETH_BIN) + " " + args + " >/dev/null 2>'" + errfile.string() + "'").c_str());
  if (err) *err = slurp(errfile);
  fs::remove(errfile);
  return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

std::vector<fs::path> columns(const fs::path& db) {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(db))
    if (e.path().filename().string().rfind("column-", 0) == 0) out.push_back(e.path());
  return out;
}

// Totals and facets of the searches whose counts the column serves: plain,
// by year, by a common actor (one with a bitmap), grouped by article.
std::string counts(const searcher::Database& db, std::vector<std::string>* warnings = nullptr) {
  std::string s;
  struct Q {
    std::string query;
    std::optional<int> from, to;
    std::vector<std::string> actors;
    bool group = false;
  };
  for (const Q& q : std::vector<Q>{{"China", {}, {}, {}, false},
                                   {"nuclear talks", 2012, 2014, {}, false},
                                   {"sanctions", {}, {}, {"North Korea"}, false},
                                   {"", 2016, 2016, {"China"}, false},
                                   {"Pyongyang", {}, {}, {}, true}}) {
    searcher::SearchOptions o;
    o.query = q.query;
    o.year_from = q.from;
    o.year_to = q.to;
    o.actors = q.actors;
    o.group_by_article = q.group;
    o.limit = 5;
    const searcher::SearchResult r = searcher::search(db, o);
    if (warnings) warnings->insert(warnings->end(), r.warnings.begin(), r.warnings.end());
    s += fmt::format("{} total {} exact {}\n", q.query, r.total, r.total_exact);
    for (const auto& h : r.hits) s += fmt::format("  {}:{}\n", h.article_id, h.ordinal);
    if (r.facets) {
      for (const auto& f : r.facets->year) s += fmt::format("  year {} {}\n", f.key, f.count);
      for (const auto& f : r.facets->actor) s += fmt::format("  actor {} {}\n", f.key, f.count);
    }
  }
  return s;
}

}  // namespace

TEST_CASE("a column with one damaged byte is refused and the totals and facets stay right", "[faults][column]") {
  lipsteeth::testing::TempDir t;
  lipsteeth::testing::write_generated_corpus(t.path / "corpus", 40);
  const indexer::IndexOptions o = lipsteeth::testing::options_for(t);
  indexer::run_index(o);
  const fs::path db = t.path / "db";
  const std::vector<fs::path> cols = columns(db);
  REQUIRE(cols.size() == 1);
  const std::string good = slurp(cols[0]);

  // The truth: Xapian's values, without any column.
  fs::rename(cols[0], t.path / "column.away");
  std::string truth;
  {
    const searcher::Database d = searcher::Database::open(db.string());
    REQUIRE(d.column() == nullptr);
    CHECK(d.column_problem().empty());  // a missing column is no fault
    truth = counts(d);
  }
  fs::rename(t.path / "column.away", cols[0]);
  {
    const searcher::Database d = searcher::Database::open(db.string());
    REQUIRE(d.column() != nullptr);
    std::vector<std::string> warnings;
    CHECK(counts(d, &warnings) == truth);
    CHECK(warnings.empty());
  }

  // One byte in each part of the file: the per-year counts after the header,
  // the offsets, the year bytes, the bitmaps, the values, the lexicon.
  Xapian::Database xdb((db / schema::kStubName).string());
  const std::size_t last = xdb.get_lastdocid();
  std::uint32_t years = 0;
  std::memcpy(&years, good.data() + 72, 4);
  const std::size_t header = 104;
  struct Spot {
    const char* what;
    std::size_t at;
  };
  const std::vector<Spot> spots = {
      {"a year's passage count", header + 4},
      {"an offset", header + years * 8 + 4 * 3 + 1},
      {"a year byte", header + years * 8 + (last + 2) * 4 + 9},
      {"the middle of the file", good.size() / 2},
      {"a value near the end", good.size() - xdb.get_metadata(schema::kMetaLexicon).size() - 3},
      {"the lexicon's last byte", good.size() - 1},
  };
  for (const Spot& s : spots) {
    INFO(s.what << " at byte " << s.at);
    REQUIRE(s.at < good.size());
    std::string bad = good;
    bad[s.at] = static_cast<char>(bad[s.at] ^ 0x10);
    spit(cols[0], bad);
    const searcher::Database d = searcher::Database::open(db.string());
    CHECK(d.column() == nullptr);
    CHECK(d.column_problem().find("damaged (its checksum does not match") != std::string::npos);
    std::vector<std::string> warnings;
    CHECK(counts(d, &warnings) == truth);
    REQUIRE_FALSE(warnings.empty());
    CHECK(warnings[0].find("passage column") != std::string::npos);
  }

  // The command line says so, verify fails, and the next run rewrites it.
  std::string bad = good;
  bad[good.size() / 3] = static_cast<char>(bad[good.size() / 3] ^ 0x01);
  spit(cols[0], bad);
  std::string err;
  CHECK(run_lipsteeth(fmt::format("search --db '{}' China", db.string()), &err) == 0);
  CHECK(err.find("warning") != std::string::npos);
  CHECK(err.find("is damaged") != std::string::npos);
  CHECK(run_lipsteeth(fmt::format("verify --db '{}'", db.string()), &err) == 6);
  indexer::run_index(o);
  CHECK(run_lipsteeth(fmt::format("search --db '{}' China", db.string()), &err) == 0);
  CHECK(err.find("damaged") == std::string::npos);
  const searcher::Database d = searcher::Database::open(db.string());
  CHECK(d.column() != nullptr);
  CHECK(counts(d) == truth);
}
