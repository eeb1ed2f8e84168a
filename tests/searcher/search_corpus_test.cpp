// The searcher over a real index of the bundled corpus, built once by the
// lipsteeth binary (`lipsteeth index`) in a temporary folder. Expected
// results are checked against what `lipsteeth analyze --json` says about the
// same articles (passages, their text and actors) by brute force.
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <xapian.h>

#include "analyzers/error.h"
#include "analyzers/schema.h"
#include "analyzers/stemmer.h"
#include "analyzers/tokenizer.h"
#include "searcher/searcher.h"

namespace fs = std::filesystem;
using namespace lipsteeth;
using searcher::SearchOptions;
using searcher::SearchResult;

namespace {

std::string capture(const std::string& command, int& status) {
  std::string out;
  FILE* p = popen(command.c_str(), "r");
  REQUIRE(p != nullptr);
  std::array<char, 8192> buf{};
  std::size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0) out.append(buf.data(), n);
  int st = pclose(p);
  status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  return out;
}

// One passage as `lipsteeth analyze` describes it.
struct AnalyzedPassage {
  std::string file;  // corpus file name
  std::string title;  // its article's
  int year = 0;
  std::uint32_t ordinal = 0;
  std::string text;
  std::set<std::string> actors;
};

// The corpus copied to a temporary folder, indexed once for the whole run.
struct Corpus {
  fs::path dir;
  fs::path db;
  std::vector<AnalyzedPassage> passages;
  std::unique_ptr<searcher::Database> database;

  Corpus() {
    std::string tmpl = (fs::temp_directory_path() / "lipsteeth-search-XXXXXX").string();
    REQUIRE(mkdtemp(tmpl.data()) != nullptr);
    dir = tmpl;
    fs::copy(fs::path(LIPSTEETH_SOURCE_DIR) / "corpus", dir / "corpus");
    db = dir / "idx";
    int status = 0;
    std::string log = capture(std::string(LIPSTEETH_BIN) + " index -q --db '" + db.string() + "' '" +
                                  (dir / "corpus").string() + "' 2>&1",
                              status);
    INFO(log);
    REQUIRE(status == 0);
    database = std::make_unique<searcher::Database>(searcher::Database::open(db.string()));

    std::string files;
    for (const auto& e : fs::directory_iterator(dir / "corpus"))
      if (e.path().extension() == ".txt") files += " '" + e.path().string() + "'";
    std::string json = capture(std::string(LIPSTEETH_BIN) + " analyze --json" + files, status);
    REQUIRE(status == 0);
    auto j = nlohmann::json::parse(json);
    for (const auto& f : j.at("files")) {
      std::map<std::uint32_t, std::set<std::string>> actors;
      for (const auto& e : f.at("entities")) actors[e.at("passage").get<std::uint32_t>()].insert(e.at("id"));
      for (const auto& p : f.at("passages")) {
        AnalyzedPassage a;
        a.file = fs::path(f.at("path").get<std::string>()).filename().string();
        a.year = f.at("year").is_number() ? f.at("year").get<int>() : 0;
        a.title = f.at("title").is_string() ? f.at("title").get<std::string>() : "";
        a.ordinal = p.at("ordinal");
        a.text = p.at("text");
        a.actors = actors[a.ordinal];
        passages.push_back(std::move(a));
      }
    }
    REQUIRE(passages.size() > 50);
  }
  ~Corpus() {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
};

Corpus& corpus() {
  static Corpus c;
  return c;
}

SearchResult run(const std::string& query, SearchOptions o = {}) {
  o.query = query;
  return searcher::search(*corpus().database, o);
}

SearchOptions all_hits() {
  SearchOptions o;
  o.limit = 1000;
  return o;
}

bool has_stem(const std::string& text, const std::string& stem) {
  analyzers::Stemmer s;
  for (const auto& t : analyzers::tokenize(text))
    if (s.stem(t.term) == stem) return true;
  return false;
}

std::string lower(std::string s) {
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

// Facet counts by brute force over the passages `keep` accepts.
template <class Pred>
std::pair<std::map<std::string, std::size_t>, std::map<std::string, std::size_t>> brute_facets(Pred keep) {
  std::map<std::string, std::size_t> years, actors;
  for (const auto& p : corpus().passages) {
    if (!keep(p)) continue;
    if (p.year) ++years[std::to_string(p.year)];
    for (const auto& a : p.actors) ++actors[a];
  }
  return {years, actors};
}

std::map<std::string, std::size_t> as_map(const std::vector<searcher::FacetValue>& v) {
  std::map<std::string, std::size_t> m;
  for (const auto& f : v) m[f.key] = f.count;
  return m;
}

}  // namespace

TEST_CASE("finds every form of a word by its stem", "[searcher][search]") {
  auto r = run("sanctioned", all_hits());
  std::size_t expected = 0;
  for (const auto& p : corpus().passages) expected += has_stem(p.text, "sanction");
  REQUIRE(expected > 3);
  CHECK(r.total == expected);
  CHECK(r.total_exact);
  REQUIRE(r.hits.size() == expected);
  CHECK(r.suggestion.empty());  // "sanctioned" is not misspelt: its stem is indexed
  for (const auto& h : r.hits) {
    REQUIRE_FALSE(h.highlights.empty());
    for (const auto& hl : h.highlights) CHECK(lower(h.text.substr(hl.start, 8)) == "sanction");
  }
}

TEST_CASE("matches a quoted phrase as exact words in order", "[searcher][search]") {
  auto r = run("\"six-party talks\"", all_hits());
  std::size_t expected = 0;
  for (const auto& p : corpus().passages) expected += lower(p.text).find("six-party talks") != std::string::npos;
  REQUIRE(expected >= 3);
  CHECK(r.total == expected);
  for (const auto& h : r.hits) CHECK(lower(h.text).find("six-party talks") != std::string::npos);
  // Unquoted, the name is an actor: the 2014 article's "six-party denuclearization talks" counts too.
  auto loose = run("six-party talks", all_hits());
  bool found_2014 = false;
  for (const auto& h : loose.hits)
    found_2014 |= h.year == 2014 && h.text.find("six-party denuclearization talks") != std::string::npos;
  CHECK(found_2014);
}

// Passages whose words `words` (folded; "" for a stopword the index does not
// hold) appear in order within the phrase's length, as a phrase is matched
// (by brute force over the tokens).
static std::size_t brute_phrase(const std::vector<std::string>& words) {
  std::size_t n = 0;
  for (const auto& p : corpus().passages) {
    std::map<std::string, std::vector<std::uint32_t>> at;
    for (const auto& t : analyzers::tokenize(p.text)) at[t.term].push_back(t.position);
    bool found = false;
    for (std::uint32_t start : at[words[0]]) {
      // Earliest in-order placement of the other words after `start`.
      std::uint32_t last = start;
      bool ok = true;
      for (std::size_t k = 1; k < words.size() && ok; ++k) {
        if (words[k].empty()) continue;
        ok = false;
        for (std::uint32_t q : at[words[k]])
          if (q > last) {
            last = q;
            ok = true;
            break;
          }
      }
      if (ok && last - start < words.size()) found = true;
    }
    n += found;
  }
  return n;
}

TEST_CASE("a phrase with stopwords matches its other words in order within its length", "[searcher][search]") {
  // Stopwords are not indexed: "minister of foreign affairs" is minister,
  // foreign, affairs in this order within four words.
  auto r = run("\"Minister of Foreign Affairs\"", all_hits());
  const std::size_t expected = brute_phrase({"minister", "", "foreign", "affairs"});
  REQUIRE(expected >= 1);
  CHECK(r.total == expected);
  CHECK(r.total_exact);
  for (const auto& h : r.hits) CHECK(lower(h.text).find("minister of foreign affairs") != std::string::npos);
  CHECK(r.warnings.empty());
  // In another order they do not match.
  CHECK(brute_phrase({"affairs", "", "foreign", "minister"}) == 0);
  CHECK(run("\"Affairs of Foreign Minister\"", all_hits()).total == 0);
  // "as close as lips and teeth": close, lips, teeth within six words.
  auto lips = run("\"as close as lips and teeth\"", all_hits());
  CHECK(lips.total == brute_phrase({"close", "", "lips", "", "teeth"}));
  CHECK(lips.total >= 1);
  // A phrase of stopwords only is left out, with a warning; a query of
  // stopwords only is refused.
  auto left_out = run("\"to be or not to be\" Pyongyang", all_hits());
  CHECK(left_out.total == run("Pyongyang", all_hits()).total);
  REQUIRE_FALSE(left_out.warnings.empty());
  CHECK_THAT(left_out.warnings[0], Catch::Contains("stopwords only"));
  CHECK_THROWS_AS(run("the of"), QueryError);
  CHECK_THROWS_AS(run("\"the\""), QueryError);
}

TEST_CASE("a title: word or phrase matches every passage of the articles whose title has it", "[searcher][search]") {
  // The index holds titles on each article's first passage only; a title:
  // clause stands for all the passages of the articles it finds there.
  auto passages_titled = [](auto has) {
    std::set<std::pair<std::string, std::uint32_t>> out;
    for (const auto& p : corpus().passages)
      if (has(p.title)) out.insert({p.file, p.ordinal});
    return out;
  };
  auto found = [](const SearchResult& r) {
    std::set<std::pair<std::string, std::uint32_t>> out;
    for (const auto& h : r.hits) out.insert({fs::path(h.path).filename().string(), h.ordinal});
    return out;
  };
  // "Relations" is in three titles: stemmed, it finds "relations" and "relation".
  const auto relations = passages_titled([](const std::string& t) { return has_stem(t, "relat"); });
  REQUIRE(relations.size() > 30);
  auto r = run("title:relations", all_hits());
  CHECK(r.total == relations.size());
  CHECK(r.total_exact);
  CHECK(found(r) == relations);
  // A phrase of title words, and a hyphenated one.
  const auto rift = passages_titled([](const std::string& t) { return t.find("Continuing Rift") != std::string::npos; });
  REQUIRE(rift.size() == 18);
  CHECK(found(run("title:\"continuing rift\"", all_hits())) == rift);
  CHECK(run("title:\"rift continuing\"", all_hits()).total == 0);
  const auto north_korea = passages_titled([](const std::string& t) { return t.find("China-North Korea") != std::string::npos; });
  REQUIRE(north_korea.size() == 16);
  CHECK(found(run("title:china-north", all_hits())) == north_korea);
  // With other words: passages of those articles that also hold the word
  // (all words first), and a title clause excluded.
  auto both = run("title:relations sanctions", all_hits());
  REQUIRE_FALSE(both.hits.empty());
  CHECK(has_stem(both.hits[0].text, "sanction"));
  CHECK(relations.count({fs::path(both.hits[0].path).filename().string(), both.hits[0].ordinal}) == 1);
  // --explain shows the title clause's part of the score.
  SearchOptions explain = all_hits();
  explain.explain = true;
  auto explained = run("title:relations sanctions", explain);
  REQUIRE(explained.hits[0].explanation);
  bool title_clause = false;
  for (const auto& tw : explained.hits[0].explanation->terms)
    title_clause |= tw.term == "title:ZSrelat" && tw.field == "title" && tw.weight > 0;
  CHECK(title_clause);
  auto without = run("sanctions -title:relations", all_hits());
  REQUIRE_FALSE(without.hits.empty());
  for (const auto& h : without.hits) CHECK(relations.count({fs::path(h.path).filename().string(), h.ordinal}) == 0);
  // Facets count the same passages, filtered or not.
  auto [years, actors] = brute_facets([&](const AnalyzedPassage& p) { return relations.count({p.file, p.ordinal}) > 0; });
  REQUIRE(r.facets);
  CHECK(as_map(r.facets->year) == years);
  CHECK(as_map(r.facets->actor) == actors);
  SearchOptions filtered = all_hits();
  filtered.year_from = 2015;
  filtered.year_to = 2016;
  filtered.actors = {"Xi Jinping"};
  auto f = run("title:relations", filtered);
  auto [f_years, f_actors] = brute_facets([&](const AnalyzedPassage& p) {
    return relations.count({p.file, p.ordinal}) > 0 && p.year >= 2015 && p.year <= 2016 && p.actors.count("xi-jinping");
  });
  REQUIRE(f.facets);
  REQUIRE(f.total > 0);
  CHECK(f.total == f.hits.size());
  CHECK(as_map(f.facets->year) == f_years);
  CHECK(as_map(f.facets->actor) == f_actors);
}

TEST_CASE("NEAR takes an actor's name as a word, by position", "[searcher][search]") {
  // "Pyongyang" is an alias; next to NEAR it stays the word, matched within
  // ten words of "china" (Xapian's window of 11 positions for two terms).
  std::size_t expected = 0;
  for (const auto& p : corpus().passages) {
    std::vector<std::uint32_t> a, b;
    for (const auto& t : analyzers::tokenize(p.text)) {
      if (t.term == "china") a.push_back(t.position);
      if (t.term == "pyongyang") b.push_back(t.position);
    }
    bool near = false;
    for (auto x : a)
      for (auto y : b) near |= (x > y ? x - y : y - x) < 11;
    expected += near;
  }
  REQUIRE(expected >= 1);
  auto r = run("china NEAR Pyongyang", all_hits());
  CHECK(r.total == expected);
  CHECK(r.warnings.empty());
  // With a stopword: the stopword is left out, the word stays.
  CHECK(run("the NEAR Pyongyang", all_hits()).total == run("\"pyongyang\"", all_hits()).total);
}

TEST_CASE("matches an actor named by any alias and ranks it as a literal match", "[searcher][search]") {
  auto r = run("DPRK", all_hits());
  // Every passage naming North Korea in any form, or the literal word.
  auto expected = std::count_if(corpus().passages.begin(), corpus().passages.end(), [](const AnalyzedPassage& p) {
    return p.actors.count("north-korea") || has_stem(p.text, "dprk");
  });
  CHECK(r.total == static_cast<std::size_t>(expected));
  // The top ten hold passages that say "North Korea" without "DPRK".
  int other_forms = 0;
  for (std::size_t i = 0; i < r.hits.size() && i < 10; ++i)
    other_forms += r.hits[i].text.find("DPRK") == std::string::npos;
  CHECK(other_forms >= 3);
  // Their highlights are the actor's mentions.
  for (std::size_t i = 0; i < r.hits.size() && i < 10; ++i) CHECK_FALSE(r.hits[i].highlights.empty());

  auto kim = run("Kim Jong Un", all_hits());
  REQUIRE_FALSE(kim.hits.empty());
  CHECK(kim.hits[0].text.find("Kim Jong-un") != std::string::npos);
  auto us = run("U.S.", all_hits());
  auto expected_us = std::count_if(corpus().passages.begin(), corpus().passages.end(),
                                   [](const AnalyzedPassage& p) { return p.actors.count("united-states") > 0; });
  CHECK(us.total >= static_cast<std::size_t>(expected_us));
}

TEST_CASE("a page of passages with every word is the AND query's page, the total the OR query's", "[searcher][search]") {
  // More passages have both words than a page of 10 re-ranks (50): the
  // search ranks them by the AND form, as an explicit AND does.
  SearchOptions page;
  page.limit = 10;
  page.facets = false;
  const auto both = run("china AND korea", all_hits());
  REQUIRE(both.total >= 50);
  const auto either = run("china korea", all_hits());
  REQUIRE(either.total > both.total);
  const auto r = run("china korea", page);
  const auto a = run("china AND korea", page);
  REQUIRE(r.hits.size() == 10);
  REQUIRE(a.hits.size() == 10);
  for (std::size_t i = 0; i < r.hits.size(); ++i) {
    INFO("hit " << i);
    CHECK(r.hits[i].path == a.hits[i].path);
    CHECK(r.hits[i].ordinal == a.hits[i].ordinal);
    CHECK(r.hits[i].score == Approx(a.hits[i].score).epsilon(1e-9));
  }
  // The total counts the passages with either word (Xapian's estimate
  // without facets), not only those with both.
  CHECK(r.total > both.total);
}

TEST_CASE("ranks passages holding every word before those missing one", "[searcher][search]") {
  auto r = run("coal sanctions", all_hits());
  REQUIRE(r.hits.size() >= 2);
  bool seen_partial = false;
  std::size_t both = 0;
  for (const auto& h : r.hits) {
    const std::string t = lower(h.text);
    const bool all = t.find("coal") != std::string::npos && has_stem(h.text, "sanction");
    both += all;
    if (!all) seen_partial = true;
    if (all) CHECK_FALSE(seen_partial);
  }
  CHECK(both >= 1);
  CHECK(seen_partial);  // a missing word does not empty the list
}

TEST_CASE("filters by year range and actors, and facet counts agree with the filters", "[searcher][search]") {
  auto r = run("China", all_hits());
  REQUIRE(r.facets);
  CHECK(r.facets->exact);
  for (const auto& y : r.facets->year) {
    SearchOptions o = all_hits();
    o.year_from = o.year_to = std::stoi(y.key);
    auto f = run("China", o);
    INFO("year " << y.key);
    CHECK(f.total == y.count);
    for (const auto& h : f.hits) CHECK(h.year == std::stoi(y.key));
  }
  for (std::size_t i = 0; i < r.facets->actor.size() && i < 6; ++i) {
    const auto& a = r.facets->actor[i];
    SearchOptions o = all_hits();
    o.actors = {a.label};  // the display name resolves like any alias
    auto f = run("China", o);
    INFO("actor " << a.key);
    CHECK(f.total == a.count);
  }
  // Inclusive range; several actors mean all of them.
  SearchOptions o = all_hits();
  o.year_from = 2014;
  o.year_to = 2015;
  o.actors = {"DPRK", "Xi Jinping"};
  auto f = run("China", o);
  for (const auto& h : f.hits) {
    CHECK((h.year == 2014 || h.year == 2015));
    std::set<std::string> ids;
    for (const auto& a : h.actors) ids.insert(a.id);
    CHECK(ids.count("north-korea"));
    CHECK(ids.count("xi-jinping"));
  }
}

TEST_CASE("facet counts of a filtered query of three words agree with its filters", "[searcher][search]") {
  // Three words ranked all-words first, and a filter: the counts come from a
  // pass of their own; each year's count is what that year's filter finds.
  SearchOptions o = all_hits();
  o.actors = {"China"};
  auto r = run("border trade sanctions", o);
  REQUIRE(r.facets);
  CHECK(r.facets->exact);
  REQUIRE(r.total > 0);
  std::size_t sum = 0;
  for (const auto& y : r.facets->year) {
    SearchOptions f = o;
    f.year_from = f.year_to = std::stoi(y.key);
    INFO("year " << y.key);
    CHECK(run("border trade sanctions", f).total == y.count);
    sum += y.count;
  }
  SearchOptions wide = o;
  wide.year_from = 1900;
  wide.year_to = 2100;
  CHECK(run("border trade sanctions", wide).total == sum);
  // Every passage it counts names China and has one of the words.
  auto [years, actors] = brute_facets([](const AnalyzedPassage& p) {
    return p.actors.count("china") > 0 &&
           (has_stem(p.text, "border") || has_stem(p.text, "trade") || has_stem(p.text, "sanction"));
  });
  CHECK(as_map(r.facets->year) == years);
  CHECK(as_map(r.facets->actor) == actors);
}

TEST_CASE("counts facets over all matches, as a brute-force count over analyze output does", "[searcher][search]") {
  // A filter-only search: every passage naming Xi Jinping.
  SearchOptions o;
  o.actors = {"Xi"};
  o.limit = 3;
  auto r = searcher::search(*corpus().database, o);
  auto [years, actors] = brute_facets([](const AnalyzedPassage& p) { return p.actors.count("xi-jinping") > 0; });
  REQUIRE(r.facets);
  CHECK(r.hits.size() == 3);
  CHECK(as_map(r.facets->year) == years);
  CHECK(as_map(r.facets->actor) == actors);

  // A word query: passages with a form of "sanction".
  auto w = run("sanctions");
  auto [wy, wa] = brute_facets([](const AnalyzedPassage& p) { return has_stem(p.text, "sanction"); });
  CHECK(as_map(w.facets->year) == wy);
  CHECK(as_map(w.facets->actor) == wa);
}

TEST_CASE("suggests corrections from the index's spelling data", "[searcher][search]") {
  struct Case {
    const char* query;
    const char* suggestion;
  };
  for (const Case& c : {Case{"Jinpin", "Jinping"}, Case{"Pyonyang", "Pyongyang"}, Case{"sanctons", "sanctions"}}) {
    INFO(c.query);
    auto r = run(c.query);
    CHECK(r.suggestion == c.suggestion);
    CHECK(r.searched_suggestion);  // nothing for the misspelling itself
    CHECK(r.total > 0);
    CHECK(r.query == c.query);
  }
  // When the query finds enough, the correction is only offered.
  auto r = run("sanctons nuclear");
  CHECK(r.suggestion == "sanctions nuclear");
  CHECK_FALSE(r.searched_suggestion);
  CHECK(r.total >= 5);
  // When it finds a few passages ("coal" is in one) and the correction five
  // times as many, the correction is searched, and the few are counted.
  r = run("sanctons coal");
  CHECK(r.suggestion == "sanctions coal");
  CHECK(r.searched_suggestion);
  CHECK(r.original_total > 0);
  CHECK(r.original_total < 5);
  CHECK(r.total >= 5 * r.original_total);
}

TEST_CASE("returns one passage per article when grouping", "[searcher][search]") {
  SearchOptions o = all_hits();
  o.group_by_article = true;
  auto r = run("North Korea China", o);
  std::set<std::string> ids;
  for (const auto& h : r.hits) CHECK(ids.insert(h.article_id).second);
  CHECK(r.total == ids.size());
  CHECK(r.total == 5);
  for (std::size_t i = 1; i < r.hits.size(); ++i) CHECK(r.hits[i].rank == i + 1);
}

TEST_CASE("pages through the same ranking with offset and limit", "[searcher][search]") {
  auto full = run("nuclear", all_hits());
  REQUIRE(full.hits.size() > 6);
  SearchOptions o;
  o.offset = 3;
  o.limit = 3;
  auto page = run("nuclear", o);
  REQUIRE(page.hits.size() == 3);
  for (std::size_t i = 0; i < 3; ++i) {
    CHECK(page.hits[i].rank == i + 4);
    CHECK(page.hits[i].article_id == full.hits[i + 3].article_id);
    CHECK(page.hits[i].ordinal == full.hits[i + 3].ordinal);
  }
}

TEST_CASE("facet counts of a three-word query filtered by a rare actor agree with a brute-force count",
          "[searcher][search]") {
  // The rarest actor named with the words: its posting list, not the words',
  // drives the count (searcher/facets.cpp, count_postings); a second actor and a
  // year range are checked on the way.
  auto has_words = [](const AnalyzedPassage& p) {
    return has_stem(p.text, "border") || has_stem(p.text, "trade") || has_stem(p.text, "sanction");
  };
  std::map<std::string, std::size_t> named, with_words;
  for (const auto& p : corpus().passages)
    for (const auto& a : p.actors) {
      ++named[a];
      if (has_words(p)) ++with_words[a];
    }
  std::string rare;
  for (const auto& [a, n] : with_words)
    if (n >= 2 && (rare.empty() || named[a] < named[rare])) rare = a;
  REQUIRE_FALSE(rare.empty());
  INFO("actor " << rare << ", " << named[rare] << " passages");
  SearchOptions o = all_hits();
  o.actors = {rare};
  auto r = run("border trade sanctions", o);
  REQUIRE(r.facets);
  CHECK(r.facets->exact);
  auto [years, actors] = brute_facets([&](const AnalyzedPassage& p) { return p.actors.count(rare) && has_words(p); });
  CHECK(r.total == with_words[rare]);
  CHECK(as_map(r.facets->year) == years);
  CHECK(as_map(r.facets->actor) == actors);
  // And with China too, within 2000..2020.
  o.actors = {rare, "China"};
  o.year_from = 2000;
  o.year_to = 2020;
  r = run("border trade sanctions", o);
  REQUIRE(r.facets);
  std::tie(years, actors) = brute_facets([&](const AnalyzedPassage& p) {
    return p.actors.count(rare) && p.actors.count("china") && p.year >= 2000 && p.year <= 2020 && has_words(p);
  });
  std::size_t total = 0;
  for (const auto& [y, n] : years) total += n;
  CHECK(r.total == total);
  CHECK(as_map(r.facets->year) == years);
  CHECK(as_map(r.facets->actor) == actors);
}

TEST_CASE("explains each hit's score by its parts", "[searcher][search]") {
  SearchOptions o;
  o.explain = true;
  auto r = run("nuclear test", o);
  REQUIRE_FALSE(r.hits.empty());
  for (const auto& h : r.hits) {
    REQUIRE(h.explanation);
    const auto& e = *h.explanation;
    CHECK(h.score == Approx(e.bm25 + e.article + e.proximity));
    REQUIRE_FALSE(e.terms.empty());
    for (const auto& t : e.terms) {
      CHECK(t.weight > 0);
      CHECK(t.wdf > 0);
    }
  }
  // "nuclear test" side by side somewhere: proximity counts for that passage.
  bool close = false;
  for (const auto& h : r.hits) close |= h.explanation->proximity > 0;
  CHECK(close);
}

TEST_CASE("rejects what cannot be searched with errors that say why", "[searcher][search]") {
  SearchOptions o;
  o.actors = {"Kimm Jong-un"};
  try {
    run("coal", o);
    FAIL("no error for an unknown actor");
  } catch (const UsageError& e) {
    CHECK_THAT(e.what(), Catch::Contains("unknown actor 'Kimm Jong-un'"));
    CHECK_THAT(e.what(), Catch::Contains("did you mean: Kim Jong-un"));
  }
  CHECK_THROWS_AS(run("actor:Nobodyatall coal"), QueryError);
  CHECK_THROWS_AS(run("year:twenty coal"), QueryError);
  CHECK_THROWS_AS(run(""), QueryError);
  // Punctuation and stray operators are read, with a warning, not refused.
  auto r = run("China AND");
  CHECK(r.total > 0);
  CHECK_FALSE(r.warnings.empty());
}

TEST_CASE("refuses a missing index or one built by another version", "[searcher][search]") {
  CHECK_THROWS_AS(searcher::Database::open((corpus().dir / "no-such-index").string()), IndexMissingError);
  // A copy of the index whose schema version is changed.
  const fs::path copy = corpus().dir / "old-index";
  fs::copy(corpus().db, copy, fs::copy_options::recursive);
  {
    // The stub names the live generation by a path relative to the stub.
    Xapian::WritableDatabase w(schema::stub_path(copy.string()), Xapian::DB_OPEN);
    w.set_metadata(schema::kMetaSchema, "0");
    w.commit();
  }
  try {
    searcher::Database::open(copy.string());
    FAIL("opened an index of another schema version");
  } catch (const IndexMissingError& e) {
    CHECK_THAT(e.what(), Catch::Contains("rebuild it with `lipsteeth index --rebuild"));
  }
}

TEST_CASE("positions read only where proximity can change the page leave the page as reading them all does",
          "[searcher][search]") {
  // Pages of several sizes and offsets of multi-word queries, with the
  // positions of every candidate read and with those of the candidates that
  // cannot reach the page left unread: the same hits, in the same order, with
  // the same scores and proximity parts. Candidates must have been left
  // unread somewhere, or this compares nothing.
  std::size_t skipped = 0, read = 0;
  for (const std::string q : {"China North Korea border trade", "Kim Jong Un Xi Jinping summit", "nuclear test sanctions",
                              "Hu Jintao visit Pyongyang", "economic reform China", "refugees border China"}) {
    for (std::size_t limit : {1, 2, 3, 5, 10}) {
      for (std::size_t offset : {0, 2}) {
        SearchOptions o;
        o.limit = limit;
        o.offset = offset;
        o.facets = false;
        o.explain = true;
        const SearchResult bounded = run(q, o);
        o.bound_proximity = false;
        const SearchResult full = run(q, o);
        INFO(q << " limit " << limit << " offset " << offset);
        CHECK(full.proximity_skipped == 0);
        skipped += bounded.proximity_skipped;
        read += bounded.proximity_read;
        REQUIRE(bounded.hits.size() == full.hits.size());
        for (std::size_t i = 0; i < full.hits.size(); ++i) {
          INFO("hit " << i);
          CHECK(bounded.hits[i].article_id == full.hits[i].article_id);
          CHECK(bounded.hits[i].ordinal == full.hits[i].ordinal);
          CHECK(bounded.hits[i].score == full.hits[i].score);
          REQUIRE(bounded.hits[i].explanation);
          CHECK(bounded.hits[i].explanation->proximity == full.hits[i].explanation->proximity);
        }
      }
    }
  }
  CHECK(skipped > 0);
  CHECK(read > 0);
}
