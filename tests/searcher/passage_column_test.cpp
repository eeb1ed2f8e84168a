// The passage column (analyzers/passage_column.h): written by every index run,
// equal to Xapian's values, used by a search only for the revision it names,
// and never changing a result: every search here runs with the column and
// without it (the file moved away) and must give the same hits and counts.
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <xapian.h>

#include "analyzers/passage_column.h"
#include "analyzers/schema.h"
#include "searcher/searcher.h"

namespace fs = std::filesystem;
using namespace lipsteeth;

namespace {

int run_lipsteeth(const std::string& args) {
  const int st = std::system((std::string(LIPSTEETH_BIN) + " " + args + " >/dev/null 2>&1").c_str());
  return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

struct Index {
  fs::path dir, corpus, db;
  Index() {
    std::string tmpl = (fs::temp_directory_path() / "lipsteeth-column-XXXXXX").string();
    REQUIRE(mkdtemp(tmpl.data()) != nullptr);
    dir = tmpl;
    corpus = dir / "corpus";
    db = dir / "idx";
    fs::copy(fs::path(LIPSTEETH_SOURCE_DIR) / "corpus", corpus);
    REQUIRE(run_lipsteeth(fmt::format("index -q --db '{}' '{}'", db.string(), corpus.string())) == 0);
  }
  ~Index() {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
  std::vector<fs::path> columns() const {
    std::vector<fs::path> out;
    for (const auto& e : fs::directory_iterator(db))
      if (e.path().filename().string().rfind("column-", 0) == 0) out.push_back(e.path());
    return out;
  }
};

// What a search gives, in a form two searches can be compared by.
std::string outline(const searcher::SearchResult& r) {
  std::string s = fmt::format("total {} exact {}\n", r.total, r.total_exact);
  for (const auto& h : r.hits) s += fmt::format("{}:{} {:.6f}\n", h.path, h.ordinal, h.score);
  if (r.facets) {
    for (const auto& f : r.facets->year) s += fmt::format("year {} {}\n", f.key, f.count);
    for (const auto& f : r.facets->actor) s += fmt::format("actor {} {}\n", f.key, f.count);
  }
  return s;
}

struct Case {
  std::string query;
  std::optional<int> from, to;
  std::vector<std::string> actors;
  bool group = false;
  std::size_t exact_up_to = 100000;
  std::size_t limit = 50;
};

// `parallel_from`: SearchOptions::parallel_count_from; `threaded` counts the
// searches whose facets were counted on a second thread.
std::vector<std::string> run_all(const fs::path& db, const std::vector<Case>& cases,
                                 std::size_t parallel_from = searcher::SearchOptions{}.parallel_count_from,
                                 std::size_t* threaded = nullptr) {
  const auto d = searcher::Database::open(db.string());
  std::vector<std::string> out;
  for (const auto& c : cases) {
    searcher::SearchOptions o;
    o.query = c.query;
    o.year_from = c.from;
    o.year_to = c.to;
    o.actors = c.actors;
    o.group_by_article = c.group;
    o.exact_up_to = c.exact_up_to;
    o.limit = c.limit;
    o.parallel_count_from = parallel_from;
    const auto r = searcher::search(d, o);
    if (threaded && r.counted_on_thread) ++*threaded;
    out.push_back(outline(r));
  }
  return out;
}

}  // namespace

TEST_CASE("the passage column holds every passage's value, by docid", "[searcher][column]") {
  Index ix;
  const auto cols = ix.columns();
  REQUIRE(cols.size() == 1);
  Xapian::Database xdb((ix.db / schema::kStubName).string());
  CHECK(cols[0].filename().string() == analyzers::PassageColumn::file_name(xdb));
  const auto col = analyzers::PassageColumn::open(xdb, ix.db.string());
  REQUIRE(col != nullptr);
  REQUIRE(col->lastdocid() == xdb.get_lastdocid());
  std::size_t with_value = 0;
  for (Xapian::docid d = 1; d <= xdb.get_lastdocid(); ++d) {
    INFO("docid " << d);
    const std::string v = xdb.get_document(d).get_value(schema::kValuePassage);
    CHECK(col->value(d) == v);
    with_value += !v.empty();
  }
  CHECK(with_value == xdb.get_doccount());
  CHECK(col->value(0).empty());
  CHECK(col->value(xdb.get_lastdocid() + 1).empty());
  // Passages per year: as many as the year's term indexes.
  for (auto t = xdb.allterms_begin(schema::kYearPrefix); t != xdb.allterms_end(schema::kYearPrefix); ++t) {
    const int y = std::stoi((*t).substr(1));
    CHECK(col->passages_in_years(y, y) == t.get_termfreq());
  }
  // Each passage's year byte, and its bit in the bitmap of each actor named
  // by one passage in 32 or more (at most 32 of them): as its value says.
  REQUIRE(col->year_bytes() != nullptr);
  std::map<std::uint32_t, std::size_t> named;
  for (Xapian::docid d = 1; d <= xdb.get_lastdocid(); ++d) {
    schema::PassageValueReader r(col->value(d));
    REQUIRE(r.ok);
    CHECK(col->year_bytes()[d] == (r.year_plus_one ? r.year_plus_one - col->year_base() + 1 : 0));
    std::vector<std::uint32_t> actors;
    for (std::uint32_t a = 0; r.next_actor(a);) {
      actors.push_back(a);
      ++named[a];
    }
    for (std::uint32_t rank : col->bitmap_ranks()) {
      INFO("docid " << d << " rank " << rank);
      const bool bit = (col->actor_bitmap(rank)[d / 64] >> (d % 64)) & 1u;
      CHECK(bit == (std::find(actors.begin(), actors.end(), rank) != actors.end()));
    }
  }
  std::size_t common = 0;
  for (const auto& [rank, n] : named) common += n * 32 >= xdb.get_doccount();
  CHECK(col->bitmap_ranks().size() == std::min<std::size_t>(common, 32));
  CHECK_FALSE(col->bitmap_ranks().empty());
  for (std::uint32_t rank : col->bitmap_ranks()) CHECK(named[rank] * 32 >= xdb.get_doccount());
  CHECK(col->actor_bitmap(static_cast<std::uint32_t>(-1)) == nullptr);
}

TEST_CASE("a filter by an actor without a bitmap reads the values, with the same results", "[searcher][column]") {
  Index ix;
  Xapian::Database xdb((ix.db / schema::kStubName).string());
  const auto col = analyzers::PassageColumn::open(xdb, ix.db.string());
  REQUIRE(col != nullptr);
  // The actors the passages name, by how many; one that has no bitmap, and
  // one that has and is named beside it.
  std::map<std::uint32_t, std::size_t> named;
  std::vector<std::vector<std::uint32_t>> actors_of(xdb.get_lastdocid() + 1);
  for (Xapian::docid d = 1; d <= xdb.get_lastdocid(); ++d) {
    schema::PassageValueReader r(col->value(d));
    for (std::uint32_t a = 0; r.next_actor(a);) {
      ++named[a];
      actors_of[d].push_back(a);
    }
  }
  const auto d = searcher::Database::open(ix.db.string());
  std::string rare, common;
  std::uint32_t rare_rank = 0;
  for (const auto& [rank, n] : named) {
    analyzers::ActorLexicon::ActorInfo a;
    REQUIRE(d.lexicon().actor_at(rank, a));
    if (col->actor_bitmap(rank) == nullptr && n >= 2 && rare.empty()) {
      rare = std::string(a.id);
      rare_rank = rank;
    }
  }
  for (const auto& actors : actors_of)
    if (common.empty() && std::find(actors.begin(), actors.end(), rare_rank) != actors.end())
      for (std::uint32_t rank : actors)
        if (col->actor_bitmap(rank) != nullptr && common.empty()) {
          analyzers::ActorLexicon::ActorInfo a;
          REQUIRE(d.lexicon().actor_at(rank, a));
          common = std::string(a.id);
        }
  REQUIRE_FALSE(rare.empty());
  REQUIRE_FALSE(common.empty());
  const std::vector<Case> cases = {
      {"", {}, {}, {rare}, false},
      {"", {}, {}, {rare, common}, false},
      {"sanctions", 1990, 2030, {common}, false, 100000, 3},
      {"border trade", 1990, 2030, {rare}, true},
  };
  const std::vector<std::string> with = run_all(ix.db, cases);
  fs::rename(ix.columns().at(0), ix.dir / "moved");
  const std::vector<std::string> without = run_all(ix.db, cases);
  for (std::size_t i = 0; i < cases.size(); ++i) {
    INFO("query " << cases[i].query << " actors " << cases[i].actors.size());
    CHECK(with[i] == without[i]);
    CHECK(with[i].find("total 0 ") == std::string::npos);
  }
}

TEST_CASE("searches give the same hits and counts with the column and without it", "[searcher][column]") {
  Index ix;
  // Years of the corpus, for ranges wide enough to be read from the column
  // and narrow ones that stay year terms.
  const auto d = searcher::Database::open(ix.db.string());
  searcher::SearchOptions all;
  all.actors = {"China"};
  const auto r = searcher::search(d, all);
  REQUIRE(r.facets);
  REQUIRE(r.facets->year.size() >= 2);
  const int lo = std::stoi(r.facets->year.front().key), hi = std::stoi(r.facets->year.back().key);
  const std::vector<Case> cases = {
      {"China", {}, {}, {}, false},
      {"nuclear sanctions", {}, {}, {}, false},
      {"\"six-party talks\"", {}, {}, {}, true},
      {"China", lo, hi, {}, false},
      {"China", lo, lo, {}, false},
      {"China", lo + 1, hi, {"DPRK"}, false},
      {"Kim Jong Un", lo, hi - 1, {"North Korea"}, true},
      {"", lo, hi, {"Xi Jinping"}, false},
      {"", 1000, 3000, {}, false},
      {"border", hi + 1, hi + 20, {}, false},
      // Filtered ORs of terms: counted from the posting lists, then ranked
      // among the passages the count let through.
      {"border trade sanctions", lo, hi, {"China"}, false},
      {"nuclear sanctions", {}, {}, {"North Korea"}, true},
      {"sanctions", lo + 1, hi, {}, false},
      {"Pyongyang Beijing", {}, {}, {"China", "North Korea"}, false},
      // One term, filtered: ranked among the passages of highest wdf the
      // count let through, as many as the ranking asks for (fewer than
      // match: a short page; grouped, asked for again, twice as many).
      {"sanctions", lo, hi, {}, false, 100000, 2},
      {"border", {}, {}, {"China"}, false, 100000, 3},
      {"Xi Jinping", lo, hi, {}, false, 100000, 2},
      {"sanctions", lo, hi, {"China"}, true, 100000, 3},
      // Counted up to 5 matches, the rest estimated and the counts scaled.
      {"China", {}, {}, {}, false, 5},
      {"nuclear sanctions", {}, {}, {}, false, 5},
  };
  const std::vector<std::string> with = run_all(ix.db, cases);
  // Filters and facets agree with the column: a wide range counts what the
  // year facets of its unfiltered query add up to.
  std::size_t in_range = 0;
  for (const auto& y : r.facets->year) in_range += y.count;
  searcher::SearchOptions wide = all;
  wide.year_from = lo;
  wide.year_to = hi;
  CHECK(searcher::search(d, wide).total == in_range);

  const auto cols = ix.columns();
  REQUIRE(cols.size() == 1);
  fs::rename(cols[0], ix.dir / "moved");
  REQUIRE(searcher::Database::open(ix.db.string()).column() == nullptr);
  const std::vector<std::string> without = run_all(ix.db, cases);
  for (std::size_t i = 0; i < cases.size(); ++i) {
    INFO("query " << cases[i].query << " " << cases[i].from.value_or(0) << ".." << cases[i].to.value_or(0));
    CHECK(with[i] == without[i]);
  }
  CHECK(with[0] != with[1]);  // the outlines tell searches apart
}

TEST_CASE("facets counted on a second thread equal those counted in line", "[searcher][column]") {
  Index ix;
  const std::vector<Case> cases = {
      {"China", {}, {}, {}, false},
      {"nuclear sanctions", {}, {}, {}, false},
      {"nuclear sanctions", {}, {}, {}, true},
      {"Kim Jong Un", {}, {}, {}, false},
      {"border trade sanctions", 1990, 2030, {"China"}, false},
      {"Pyongyang Beijing", {}, {}, {"China", "North Korea"}, false},
      {"sanctions", 2000, 2030, {}, true},
      // Cut short at 5: the rest estimated, on both ways alike.
      {"China", {}, {}, {}, false, 5},
      {"border trade sanctions", {}, {}, {"China"}, false, 5},
      // Not ORs of terms: counted by a pass of the matcher, on the thread
      // over the query prepared again.
      {"\"six-party talks\"", {}, {}, {}, false},
      {"\"six-party talks\" China", {}, {}, {}, true},
      {"China NOT sanctions", {}, {}, {}, false},
      {"China AND border trade sanctions", {}, {}, {}, false, 5},
      // Filtered and not an OR of terms: counted by the ranked pass itself
      // in line, by a pass of its own on the thread.
      {"\"six-party talks\"", {}, {}, {"China"}, false},
      {"\"six-party talks\" OR border", 1990, 2030, {}, true},
  };
  // On the thread: every count but that of a filtered OR of terms whose
  // words have fewer than 1.5 times as many postings as the cap (those
  // count first, in line, and rank among the passages that passed).
  const std::size_t expect_threaded = 12;
  std::size_t threaded = 0, never = 0;
  const std::vector<std::string> in_line = run_all(ix.db, cases, SIZE_MAX, &never);
  const std::vector<std::string> on_thread = run_all(ix.db, cases, 0, &threaded);
  CHECK(never == 0);
  if (std::thread::hardware_concurrency() >= 2) CHECK(threaded == expect_threaded);
  else CHECK(threaded == 0);
  // Cut short at the cap, the counts are estimates, scaled from different
  // samples (the whole match's first passages in line, the first ranges'
  // on the thread): the same hits, both marked estimates.
  auto hits_of = [](const std::string& outline) {
    std::string out;
    std::istringstream in(outline);
    for (std::string line; std::getline(in, line);)
      if (line.rfind("total ", 0) != 0 && line.rfind("year ", 0) != 0 && line.rfind("actor ", 0) != 0)
        out += line + "\n";
    return out;
  };
  for (std::size_t i = 0; i < cases.size(); ++i) {
    INFO("query " << cases[i].query);
    if (cases[i].exact_up_to >= 100000) {
      CHECK(in_line[i] == on_thread[i]);
      CHECK(in_line[i].find(" exact true\n") != std::string::npos);
    } else {
      CHECK(hits_of(in_line[i]) == hits_of(on_thread[i]));
      CHECK(in_line[i].find(" exact false\n") != std::string::npos);
      CHECK(on_thread[i].find(" exact false\n") != std::string::npos);
    }
  }
  CHECK(in_line[0] != in_line[1]);
}

TEST_CASE("a filtered count cut short at exact_up_to ranks by the filters themselves", "[searcher][column]") {
  Index ix;
  const auto d = searcher::Database::open(ix.db.string());
  REQUIRE(d.column() != nullptr);
  searcher::SearchOptions o;
  o.query = "border trade sanctions";
  o.actors = {"China"};
  o.limit = 50;
  const auto whole = searcher::search(d, o);
  REQUIRE(whole.total > 5);
  CHECK(whole.total_exact);
  o.exact_up_to = 5;
  const auto cut = searcher::search(d, o);
  CHECK_FALSE(cut.total_exact);
  REQUIRE(cut.facets);
  CHECK_FALSE(cut.facets->exact);
  // The page is the same: only the counts are estimates.
  REQUIRE(cut.hits.size() == whole.hits.size());
  for (std::size_t i = 0; i < cut.hits.size(); ++i) {
    CHECK(cut.hits[i].path == whole.hits[i].path);
    CHECK(cut.hits[i].ordinal == whole.hits[i].ordinal);
    CHECK(cut.hits[i].score == whole.hits[i].score);
  }
}

TEST_CASE("years that span 255 or more get no year bytes, and filter the same from the values",
          "[searcher][column]") {
  // Three articles dated 1800, 2016 and 2090: the column keeps no year
  // bytes (one byte holds 254 years), and the filters read the values.
  std::string tmpl = (fs::temp_directory_path() / "lipsteeth-column-years-XXXXXX").string();
  REQUIRE(mkdtemp(tmpl.data()) != nullptr);
  const fs::path dir = tmpl, corpus = dir / "corpus", db = dir / "idx";
  fs::create_directories(corpus);
  for (const char* date : {"1800-06-01", "2016-03-28", "2090-01-01"}) {
    std::ofstream(corpus / (std::string(date) + ".md"))
        << "---\ntitle: Sanctions on the border, " << date << "\ndate: " << date << "\n---\n\n"
        << "China and North Korea argued over sanctions at the border.\n\n"
        << "Beijing said the sanctions on North Korea would hold, and China closed the border.\n";
  }
  REQUIRE(run_lipsteeth(fmt::format("index -q --db '{}' '{}'", db.string(), corpus.string())) == 0);
  {
    Xapian::Database xdb((db / schema::kStubName).string());
    const auto col = analyzers::PassageColumn::open(xdb, db.string());
    REQUIRE(col != nullptr);
    CHECK(col->year_bytes() == nullptr);
    CHECK(col->passages_in_years(1800, 1800) > 0);
    CHECK(col->passages_in_years(2090, 2090) > 0);
  }
  const std::vector<Case> cases = {
      {"sanctions", 1790, 1810, {}, false},
      {"sanctions", 2000, 2100, {"China"}, false},
      {"border sanctions", 1800, 2016, {"North Korea"}, false},
      {"\"the border\"", 2017, 2200, {}, false},
  };
  const std::vector<std::string> with = run_all(db, cases);
  fs::path moved = dir / "moved";
  for (const auto& e : fs::directory_iterator(db))
    if (e.path().filename().string().rfind("column-", 0) == 0) fs::rename(e.path(), moved);
  const std::vector<std::string> without = run_all(db, cases);
  for (std::size_t i = 0; i < cases.size(); ++i) {
    INFO("query " << cases[i].query);
    CHECK(with[i] == without[i]);
    CHECK(with[i].find("total 0 ") == std::string::npos);
  }
  std::error_code ec;
  fs::remove_all(dir, ec);
}

TEST_CASE("a column of another revision or cut short is not used", "[searcher][column]") {
  Index ix;
  const auto old_cols = ix.columns();
  REQUIRE(old_cols.size() == 1);
  const std::string old_bytes = slurp(old_cols[0]);
  // A changed file: the next run commits a new revision and its column
  // replaces the old one.
  fs::path first;
  for (const auto& e : fs::directory_iterator(ix.corpus))
    if (first.empty() || e.path() < first) first = e.path();
  std::ofstream(first, std::ios::app) << "\nA new closing paragraph on Dandong trade, written later.\n";
  REQUIRE(run_lipsteeth(fmt::format("index -q --db '{}' '{}'", ix.db.string(), ix.corpus.string())) == 0);
  const auto cols = ix.columns();
  REQUIRE(cols.size() == 1);
  CHECK(cols[0] != old_cols[0]);
  Xapian::Database xdb((ix.db / schema::kStubName).string());
  REQUIRE(analyzers::PassageColumn::open(xdb, ix.db.string()) != nullptr);
  const std::string new_bytes = slurp(cols[0]);

  // The old revision's column under the new name: refused by its header.
  std::ofstream(cols[0], std::ios::binary | std::ios::trunc) << old_bytes;
  CHECK(analyzers::PassageColumn::open(xdb, ix.db.string()) == nullptr);
  // Cut short, or one byte longer: refused by its size.
  std::ofstream(cols[0], std::ios::binary | std::ios::trunc) << new_bytes.substr(0, new_bytes.size() - 1);
  CHECK(analyzers::PassageColumn::open(xdb, ix.db.string()) == nullptr);
  std::ofstream(cols[0], std::ios::binary | std::ios::trunc) << new_bytes << 'x';
  CHECK(analyzers::PassageColumn::open(xdb, ix.db.string()) == nullptr);
  // Whole again: used.
  std::ofstream(cols[0], std::ios::binary | std::ios::trunc) << new_bytes;
  CHECK(analyzers::PassageColumn::open(xdb, ix.db.string()) != nullptr);
  // And the new passage is found, in its year, with or without the column.
  searcher::SearchOptions o;
  o.query = "Dandong trade written later";
  const auto d = searcher::Database::open(ix.db.string());
  const auto r = searcher::search(d, o);
  REQUIRE_FALSE(r.hits.empty());
  CHECK(r.hits[0].path == first.string());
}

TEST_CASE("verify compares the passage column with the index, and the next run rewrites it", "[searcher][column]") {
  Index ix;
  const std::string verify = fmt::format("verify --db '{}'", ix.db.string());
  REQUIRE(run_lipsteeth(verify) == 0);
  const auto cols = ix.columns();
  REQUIRE(cols.size() == 1);
  // One byte of the last passage's value changed (its last actor or length;
  // the actor lexicon follows it): the header and size still fit, so only a
  // comparison with the index sees it.
  const std::string lexicon = Xapian::Database((ix.db / schema::kStubName).string()).get_metadata(schema::kMetaLexicon);
  REQUIRE_FALSE(lexicon.empty());
  const std::string good = slurp(cols[0]);
  REQUIRE(good.size() > lexicon.size());
  CHECK(good.substr(good.size() - lexicon.size()) == lexicon);
  std::string bytes = good;
  bytes[bytes.size() - lexicon.size() - 1] ^= 0x01;
  std::ofstream(cols[0], std::ios::binary | std::ios::trunc) << bytes;
  CHECK(run_lipsteeth(verify) == 6);
  // One byte of the lexicon changed: seen too.
  bytes = good;
  bytes[bytes.size() - 2] ^= 0x01;
  std::ofstream(cols[0], std::ios::binary | std::ios::trunc) << bytes;
  CHECK(run_lipsteeth(verify) == 6);
  // The first passage's year byte, or its bit in the first actor bitmap
  // (sections placed as passage_column.h lays them out): seen too.
  const std::uint32_t last = Xapian::Database((ix.db / schema::kStubName).string()).get_lastdocid();
  std::uint32_t years = 0, bitmaps = 0;
  std::memcpy(&years, good.data() + 72, 4);
  std::memcpy(&bitmaps, good.data() + 88, 4);
  REQUIRE(bitmaps > 0);
  auto pad8 = [](std::size_t n) { return (n + 7) / 8 * 8; };
  const std::size_t at_years = pad8(104 + std::size_t{years} * 8 + (std::size_t{last} + 2) * 4);
  const std::size_t at_bitmaps = pad8(pad8(at_years + last + 1) + std::size_t{bitmaps} * 4);
  for (const std::size_t at : {at_years + 1, at_bitmaps}) {
    bytes = good;
    bytes[at] ^= 0x02;  // docid 1
    std::ofstream(cols[0], std::ios::binary | std::ios::trunc) << bytes;
    CHECK(run_lipsteeth(verify) == 6);
  }
  std::ofstream(cols[0], std::ios::binary | std::ios::trunc) << good;
  CHECK(run_lipsteeth(verify) == 0);
  // What verify's message says to do.
  REQUIRE(run_lipsteeth(fmt::format("index -q --db '{}' '{}'", ix.db.string(), ix.corpus.string())) == 0);
  CHECK(run_lipsteeth(verify) == 0);
  REQUIRE(ix.columns().size() == 1);
  CHECK(ix.columns()[0] != cols[0]);
}
