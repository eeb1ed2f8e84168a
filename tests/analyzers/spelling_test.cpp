// Spelling variants: British and American spellings share a stem; accented
// loanwords and words that only look alike do not; a search for one spelling
// finds and highlights the other.
#include <algorithm>
#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "analyzers/spelling.h"
#include "analyzers/stemmer.h"
#include "analyzers/tokenizer.h"
#include "tests/test_support.h"

namespace fs = std::filesystem;
using lipsteeth::testing::run_cli;
using lipsteeth::testing::TempDir;
using lipsteeth::analyzers::american_spelling;
using lipsteeth::analyzers::fold_term;
using lipsteeth::analyzers::is_loanword;
using lipsteeth::analyzers::Stemmer;

namespace {

// The stem of a word as written, through the indexer's own folding.
std::string stem_of(Stemmer& stemmer, const std::string& written) { return stemmer.stem(fold_term(written)); }

}  // namespace

TEST_CASE("British and American spellings of a word share one stem", "[spelling]") {
  struct Pair {
    const char* british;
    const char* american;
  };
  const Pair pairs[] = {
      {"denuclearisation", "denuclearization"},  // no list holds it: the root of "denuclearise"
      {"denuclearise", "denuclearize"},
      {"organisation", "organization"},
      {"organisations", "organizations"},
      {"normalised", "normalized"},
      {"recognising", "recognizing"},
      {"militarisation", "militarization"},
      {"analysed", "analyzed"},
      {"defence", "defense"},
      {"offence", "offense"},
      {"programme", "program"},
      {"programmes", "programs"},
      {"centre", "center"},
      {"centres", "centers"},
      {"theatre", "theater"},
      {"colour", "color"},
      {"behaviour", "behavior"},
      {"neighbouring", "neighboring"},
      {"labour", "labor"},
      {"travelled", "traveled"},
      {"cancelled", "canceled"},
      {"modelling", "modeling"},
      {"catalogue", "catalog"},
      {"judgement", "judgment"},
      {"paediatric", "pediatric"},
      {"Organisation", "ORGANIZATION"},  // case is folded first
  };
  Stemmer stemmer;
  for (const Pair& p : pairs) {
    INFO(p.british << " / " << p.american);
    CHECK(stem_of(stemmer, p.british) == stem_of(stemmer, p.american));
  }
}

TEST_CASE("a fold keeps a word's family together", "[spelling]") {
  // Every form of the verb and its nouns falls on the stem the American forms have.
  Stemmer stemmer;
  const std::string stem = stem_of(stemmer, "organize");
  for (const char* w : {"organise", "organised", "organises", "organising", "organisation", "organization",
                        "organized", "organizing"}) {
    INFO(w);
    CHECK(stem_of(stemmer, w) == stem);
  }
  const std::string wise = stem_of(stemmer, "wise");
  CHECK(stem_of(stemmer, "wisely") == wise);  // not a -ise verb: untouched
  CHECK(stem_of(stemmer, "promise") == stem_of(stemmer, "promised"));
  CHECK(stem_of(stemmer, "exercise") == stem_of(stemmer, "exercises"));
}

TEST_CASE("words that only look alike keep their own stems", "[spelling]") {
  struct Pair {
    const char* a;
    const char* b;
  };
  const Pair apart[] = {
      {"détente", "detention"},  // accent folding must not make the loanword an English stem
      {"detente", "detention"},  // typed without its accent, the same
      {"détente", "detent"},
      {"attaché", "attach"},
      {"exposé", "expose"},      // "expose" is an English word: folded alike, by the plain form
      {"cliché", "click"},
      {"émigré", "emigrate"},
      {"precise", "precize"},    // -ise words that are not -ize verbs stay as written
      {"surprise", "surprize"},
  };
  Stemmer stemmer;
  for (const Pair& p : apart) {
    INFO(p.a << " / " << p.b);
    if (std::string(p.a) == "exposé") {
      CHECK(stem_of(stemmer, p.a) == stem_of(stemmer, p.b));
      continue;
    }
    CHECK(stem_of(stemmer, p.a) != stem_of(stemmer, p.b));
  }
  // A loanword keeps its plural with it.
  CHECK(stem_of(stemmer, "détentes") == stem_of(stemmer, "détente"));
  CHECK(stem_of(stemmer, "clichés") == stem_of(stemmer, "cliché"));
}

TEST_CASE("american_spelling folds only British spellings", "[spelling]") {
  CHECK(american_spelling("defence") == "defense");
  CHECK(american_spelling("denuclearisation") == "denuclearization");
  CHECK(american_spelling("denuclearisations") == "denuclearizations");
  CHECK(american_spelling("defense") == "defense");
  CHECK(american_spelling("sanctions") == "sanctions");
  CHECK(american_spelling("analysis") == "analysis");  // "is" of a word that is not a root + is + ending
  CHECK(american_spelling("crisis") == "crisis");
  CHECK(american_spelling("paradise") == "paradise");
  CHECK(american_spelling("") == "");
  CHECK(is_loanword("detente"));
  CHECK(is_loanword("emigre"));
  CHECK_FALSE(is_loanword("detention"));
  CHECK_FALSE(is_loanword("resume"));  // résumé's plain form is an English word
}

TEST_CASE("a search in one spelling finds and highlights the other", "[spelling][cli]") {
  const TempDir tmp("lipsteeth-spelling");
  const fs::path dir = tmp.path;
  tmp.write("corpus/british.txt",
            "Talks on denuclearisation\n\n"
            "The organisation said the defence programme of the North would be the centre of the talks on "
            "denuclearisation, which the delegates travelled to Beijing to discuss.\n");
  tmp.write("corpus/detente.txt",
            "A thaw\n\nThe détente between the two capitals lasted a summer before the détentes of old returned.\n");
  tmp.write("corpus/detention.txt",
            "Camps\n\nThe detention of defectors returned to the North was condemned by the commission.\n");
  const std::string db = (dir / "idx").string();
  const auto indexed = run_cli("index", {"-q", "--db", db, (dir / "corpus").string()});
  INFO(indexed.err);
  REQUIRE(indexed.code == 0);

  struct Case {
    const char* query;
    const char* file;   // the one file expected
    const char* shown;  // a highlighted word in its snippet
  };
  const Case cases[] = {
      {"denuclearization", "british.txt", "denuclearisation"},
      {"defense program", "british.txt", "defence"},
      {"organization center", "british.txt", "organisation"},
      {"traveled", "british.txt", "travelled"},
      {"detente", "detente.txt", "détente"},
      {"detention", "detention.txt", "detention"},
  };
  for (const Case& c : cases) {
    INFO(c.query);
    const auto r = run_cli("search", {"--json", "--db", db, c.query});
    INFO(r.out << r.err);
    REQUIRE(r.code == 0);
    const auto j = nlohmann::json::parse(r.out);
    REQUIRE(j["hits"].size() == 1);
    const auto& hit = j["hits"][0];
    CHECK(hit["article"]["id"] == c.file);
    const std::string snippet = hit["passage"]["snippet"];
    std::vector<std::string> shown;
    for (const auto& h : hit["passage"]["highlights"])
      shown.push_back(snippet.substr(h["start"].get<std::size_t>(), h["end"].get<std::size_t>() - h["start"].get<std::size_t>()));
    INFO("highlighted: " << nlohmann::json(shown).dump());
    CHECK(std::find(shown.begin(), shown.end(), c.shown) != shown.end());
  }
}
