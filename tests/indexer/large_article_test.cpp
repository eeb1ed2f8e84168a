// A very large article is analysed window by window and its documents leave
// the builder one at a time (bounded memory): what it indexes must be what
// the whole article analysed at once gives, and every passage's stored
// length must be its document's.
#include <catch2/catch.hpp>

#include <map>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <xapian.h>

#include "analyzers/article.h"
#include "analyzers/entities.h"
#include "analyzers/schema.h"
#include "analyzers/stemmer.h"
#include "indexer/documents.h"
#include "tests/indexer/index_fixture.h"

namespace {

using namespace lipsteeth;
using analyzers::AnalyzeOptions;
using analyzers::Article;
using analyzers::Gazetteer;
using analyzers::Tagger;

const Gazetteer& gazetteer() {
  static const Gazetteer g = Gazetteer::load(Gazetteer::default_path());
  return g;
}

const Tagger& tagger() {
  static const Tagger t(gazetteer());
  return t;
}

// A report of `n` paragraphs, each its own passage, each naming its actors
// in full (so that no short form depends on an earlier window).
std::string long_report(int n) {
  std::string s = "Sanctions, summits and the border: a long report\n\nJune 2, 2016\n\n";
  const char* topics[] = {"the Six-Party Talks", "the THAAD deployment", "sanctions of the UN Security Council",
                          "trade through Dandong", "the Yongbyon reactor"};
  for (int i = 0; i < n; ++i)
    s += fmt::format(
        "In meeting {}, Xi Jinping and Kim Jong-un spoke in Pyongyang of {}, while the ministers of "
        "both states counted {} refugees and {} trucks crossing the bridge that week.\n\n",
        i, topics[i % 5], 100 + i * 7, 3 * i + 1);
  return s;
}

struct Snapshot {
  std::map<std::string, std::pair<Xapian::termcount, std::vector<Xapian::termpos>>> terms;
  std::map<Xapian::valueno, std::string> values;
  std::string data;
  bool operator==(const Snapshot& o) const { return terms == o.terms && values == o.values && data == o.data; }
};

Snapshot snapshot(const Xapian::Document& d) {
  Snapshot s;
  for (auto t = d.termlist_begin(); t != d.termlist_end(); ++t)
    s.terms[*t] = {t.get_wdf(), std::vector<Xapian::termpos>(t.positionlist_begin(), t.positionlist_end())};
  for (auto v = d.values_begin(); v != d.values_end(); ++v) s.values[v.get_valueno()] = *v;
  s.data = d.get_data();
  return s;
}

indexer::ArticleContext context() {
  indexer::ArticleContext c;
  c.ordinal = 7;
  c.gazetteer = &gazetteer();
  return c;
}

}  // namespace

TEST_CASE("an article longer than the window indexes as the whole article does", "[indexer][large]") {
  const std::string text = long_report(300);
  AnalyzeOptions whole;
  whole.tagger = &tagger();
  AnalyzeOptions windowed = whole;
  windowed.window_passages = 64;
  Article a = analyzers::analyze_article(text, "report.txt", "report.txt", whole);
  Article b = analyzers::analyze_article(text, "report.txt", "report.txt", windowed);
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  REQUIRE(a.passages.size() > 4 * windowed.window_passages);
  CHECK_FALSE(a.windowed);
  CHECK(b.windowed);
  CHECK(b.tokens.empty());
  CHECK(a.metadata.title == b.metadata.title);
  CHECK(a.metadata.year == b.metadata.year);

  // The same mentions, window by window.
  REQUIRE(a.mentions.size() == b.mentions.size());
  REQUIRE(a.mentions.size() >= 2 * a.passages.size());
  for (std::size_t i = 0; i < a.mentions.size(); ++i) {
    INFO("mention " << i);
    CHECK(a.mentions[i].actor == b.mentions[i].actor);
    CHECK(a.mentions[i].start == b.mentions[i].start);
    CHECK(a.mentions[i].end == b.mentions[i].end);
    CHECK(a.mentions[i].passage == b.mentions[i].passage);
  }

  // The same documents, whether collected at once or handed over one by one.
  analyzers::Stemmer stemmer;
  indexer::SpellingCounts spelling_a, spelling_b;
  std::vector<Xapian::Document> docs_a;
  indexer::build_passage_documents(a, context(), stemmer, spelling_a, docs_a);
  std::vector<Snapshot> docs_b;
  indexer::build_passage_documents(b, context(), stemmer, spelling_b,
                                   [&](Xapian::Document&& d) { docs_b.push_back(snapshot(d)); });
  REQUIRE(docs_a.size() == a.passages.size());
  REQUIRE(docs_b.size() == docs_a.size());
  for (std::size_t i = 0; i < docs_a.size(); ++i) {
    INFO("passage " << i);
    CHECK(snapshot(docs_a[i]) == docs_b[i]);
  }
  CHECK(spelling_a == spelling_b);
  CHECK(spelling_a.at("refugees") == 300u);
}

TEST_CASE("each passage's stored length is its document's, and the article's their sum", "[indexer][large]") {
  AnalyzeOptions o;
  o.tagger = &tagger();
  std::vector<std::pair<std::string, std::string>> articles;
  for (const auto& p : testing::seed_articles()) articles.emplace_back(p.filename().string(), testing::slurp(p));
  articles.emplace_back("report.txt", long_report(40));
  for (const auto& [name, bytes] : articles) {
    INFO(name);
    Article a = analyzers::analyze_article(bytes, name, name, o);
    REQUIRE(a.ok());
    analyzers::Stemmer stemmer;
    indexer::SpellingCounts spelling;
    std::vector<Xapian::Document> docs;
    indexer::build_passage_documents(a, context(), stemmer, spelling, docs);
    REQUIRE(docs.size() > 1);
    // The title's stems (ZS terms, on the first passage) count in every
    // passage's length.
    Xapian::termcount title_stems = 0;
    for (auto t = docs[0].termlist_begin(); t != docs[0].termlist_end(); ++t)
      if ((*t).rfind(std::string(schema::kStemPrefix) + schema::kTitlePrefix, 0) == 0) title_stems += t.get_wdf();
    CHECK(title_stems > 0);
    std::uint64_t total = 0;
    for (std::size_t i = 0; i < docs.size(); ++i) {
      INFO("passage " << i);
      std::uint64_t wdf = i == 0 ? 0 : title_stems;
      for (auto t = docs[i].termlist_begin(); t != docs[i].termlist_end(); ++t) wdf += t.get_wdf();
      schema::PassageValueReader v(docs[i].get_value(schema::kValuePassage));
      REQUIRE(v.ok);
      CHECK(v.passage_length == wdf);
      CHECK(v.passage == i);
      CHECK(v.passages == docs.size());
      total += wdf;
    }
    for (const auto& d : docs) CHECK(schema::PassageValueReader(d.get_value(schema::kValuePassage)).article_length == total);
  }
}
