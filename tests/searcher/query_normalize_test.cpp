// Query text -> QueryParser text: folding like the index, operators kept,
// actor aliases found, nothing that makes the parser fail.
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <xapian.h>

#include "analyzers/entities.h"
#include "analyzers/lexicon.h"
#include "searcher/query.h"

using lipsteeth::analyzers::ActorLexicon;
using lipsteeth::analyzers::Gazetteer;
using lipsteeth::searcher::kAliasField;
using lipsteeth::searcher::normalize_query;

namespace {

// The real gazetteer, compiled as the indexer stores it for the searcher.
const ActorLexicon& lexicon() {
  static const ActorLexicon lx =
      ActorLexicon::build(Gazetteer::load(std::string(LIPSTEETH_SOURCE_DIR) + "/data/actors.tsv"));
  return lx;
}

std::string alias(int i) { return std::string(kAliasField) + ":" + std::to_string(i); }

}  // namespace

TEST_CASE("folds query words the way the index folds them", "[searcher][query]") {
  struct Case {
    const char* raw;
    const char* text;
  };
  const std::vector<Case> cases{
      {"Sanctions", "sanctions"},
      {"China\u2019s leverage", "china leverage"},      // curly possessive
      {"Beijing's caution", "beijing caution"},        // straight possessive
      {"Caf\u00E9 diplomacy", "cafe diplomacy"},       // diacritics
      {"six-party talks", "six-party talks"},          // hyphen: QueryParser's phrase of parts
      {"Six\u2013Party", "six party"},                 // an en dash separates words, as in the index
      {"1,000 troops", "1000 troops"},                 // digit groups
      {"nuclear, missile; test!", "nuclear missile test"},
  };
  for (const auto& c : cases) {
    INFO(c.raw);
    CHECK(normalize_query(c.raw, nullptr).text == c.text);
  }
}

TEST_CASE("keeps operators, phrases, prefixes and wildcards", "[searcher][query]") {
  struct Case {
    const char* raw;
    const char* text;
  };
  const std::vector<Case> cases{
      {"China AND Russia", "china AND russia"},
      {"China and Russia", "china and russia"},  // lower-case "and" is a word
      {"nuclear NEAR test", "nuclear NEAR test"},
      {"nuclear NEAR/3 test", "nuclear NEAR/3 test"},
      {"\u201CSix-Party Talks\u201D", "\"six-party talks\""},
      {"\"Kim Jong-un\" -Trump", "\"kim jong-un\" -trump"},
      {"+sanctions NOT coal", "+sanctions NOT coal"},
      {"sanct*", "sanct*"},
      {"Title:Thaw", "title:thaw"},
      {"title:\"Subtle Thaw\"", "title:\"subtle thaw\""},
      {"actor:\"Xi Jinping\" economy", "actor:\"Xi Jinping\" economy"},
      {"year:2012..2016 (coal OR iron)", "year:2012..2016 (coal OR iron)"},
  };
  for (const auto& c : cases) {
    INFO(c.raw);
    CHECK(normalize_query(c.raw, nullptr).text == c.text);
  }
  auto q = normalize_query("actor:\"Xi Jinping\" year:2016 coal", nullptr);
  REQUIRE(q.actor_values == std::vector<std::string>{"Xi Jinping"});
  REQUIRE(q.year_values == std::vector<std::string>{"2016"});
}

TEST_CASE("records each word with its byte range, phrase and negation", "[searcher][query]") {
  const std::string raw = "\"Six-Party Talks\" -coal sanct*";
  auto q = normalize_query(raw, nullptr);
  REQUIRE(q.words.size() == 5);
  CHECK(q.words[0].term == "six");
  CHECK(q.words[1].term == "party");
  CHECK(raw.substr(q.words[0].surface.start, q.words[0].surface.end - q.words[0].surface.start) == "Six-Party");
  CHECK(q.words[0].quoted);
  CHECK(q.words[0].phrase == 0);
  CHECK(q.words[2].term == "talks");
  CHECK(q.words[2].phrase == 0);
  CHECK(q.words[3].term == "coal");
  CHECK(q.words[3].negated);
  CHECK_FALSE(q.words[3].quoted);
  CHECK(q.words[4].term == "sanct");
  CHECK(q.words[4].wildcard);
  CHECK(q.cleaned == "six-party talks sanct");
}

TEST_CASE("replaces actor names in any alias by an alias placeholder", "[searcher][query]") {
  auto q = normalize_query("DPRK missile", &lexicon());
  REQUIRE(q.aliases.size() == 1);
  CHECK(q.aliases[0].actor_id == "north-korea");
  CHECK(q.aliases[0].terms == std::vector<std::string>{"dprk"});
  CHECK(q.text == alias(0) + " missile");

  q = normalize_query("Kim Jong Un visits", &lexicon());
  REQUIRE(q.aliases.size() == 1);
  CHECK(q.aliases[0].actor_id == "kim-jong-un");
  CHECK(q.aliases[0].terms == std::vector<std::string>{"kim", "jong", "un"});
  CHECK(q.aliases[0].surface.start == 0);
  CHECK(q.aliases[0].surface.end == 11);
  CHECK(q.text == alias(0) + " visits");

  // The hyphenated spelling and the possessive name the same actor.
  q = normalize_query("Kim Jong-un's", &lexicon());
  REQUIRE(q.aliases.size() == 1);
  CHECK(q.aliases[0].actor_id == "kim-jong-un");

  q = normalize_query("U.S. troops", &lexicon());
  REQUIRE(q.aliases.size() == 1);
  CHECK(q.aliases[0].actor_id == "united-states");
}

TEST_CASE("reads short lower-case words as words, not actors", "[searcher][query]") {
  // "us" the pronoun, not the United States; quoted words stay exact words.
  auto q = normalize_query("tell us more", &lexicon());
  CHECK(q.aliases.empty());
  CHECK(q.text == "tell us more");
  q = normalize_query("\"North Korea\" economy", &lexicon());
  CHECK(q.aliases.empty());
  CHECK(q.text == "\"north korea\" economy");
}

TEST_CASE("keeps the words next to NEAR and ADJ as words, not actors", "[searcher][query]") {
  // NEAR matches by position, which an actor's term does not have.
  auto q = normalize_query("coal NEAR DPRK", &lexicon());
  CHECK(q.aliases.empty());
  CHECK(q.text == "coal NEAR dprk");
  q = normalize_query("DPRK ADJ/3 coal DPRK", &lexicon());
  REQUIRE(q.aliases.size() == 1);  // the last one is not next to ADJ
  CHECK(q.aliases[0].surface.start == 16);
}

TEST_CASE("never produces text that Xapian's QueryParser rejects for punctuation", "[searcher][query]") {
  // Queries as people paste them: stray quotes, brackets, symbols, claims with punctuation.
  const std::vector<std::string> raws{
      "\"unbalanced quote",
      "((nested",
      "closing))",
      "a \"\" b",
      "what's the 5-HT2A receptor's role?",
      "IL-6/STAT3 signalling (in vitro) -- a review:",
      "* lone star",
      "+ - + -",
      "title:",
      "\u00BFQu\u00E9? \u00ABChina\u00BB",
      "C++ & Rust | 100% of $5 @ #tags ~tilde ^caret",
      "10:30 a.m. U.S.-China",
  };
  Xapian::QueryParser qp;
  qp.add_prefix("title", "S");
  const unsigned flags = Xapian::QueryParser::FLAG_PHRASE | Xapian::QueryParser::FLAG_LOVEHATE |
                         Xapian::QueryParser::FLAG_WILDCARD | Xapian::QueryParser::FLAG_PURE_NOT;
  for (const auto& raw : raws) {
    INFO(raw);
    auto q = normalize_query(raw, nullptr);
    CHECK_NOTHROW(qp.parse_query(q.text, flags));
    CHECK_NOTHROW(qp.parse_query(q.cleaned, 0));
  }
}

TEST_CASE("knows English stopwords", "[searcher][query]") {
  CHECK(lipsteeth::searcher::is_stopword("the"));
  CHECK(lipsteeth::searcher::is_stopword("of"));
  CHECK_FALSE(lipsteeth::searcher::is_stopword("sanctions"));
  CHECK_FALSE(lipsteeth::searcher::is_stopword("china"));
}
