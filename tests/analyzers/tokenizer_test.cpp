// Tokenizer: Unicode's word-break conformance file and lipsteeth's folding rules.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "analyzers/stemmer.h"
#include "analyzers/tokenizer.h"
#include "tests/analyzers/break_test_file.h"

using lipsteeth::analyzers::fold_term;
using lipsteeth::analyzers::Stemmer;
using lipsteeth::analyzers::Token;
using lipsteeth::analyzers::tokenize;
using lipsteeth::analyzers::TokenizeOptions;
using lipsteeth::analyzers::word_boundaries;
using Kind = lipsteeth::analyzers::Token::Kind;

namespace {

using lipsteeth::testing::BreakCase;
using lipsteeth::testing::read_break_test;

struct Expected {
  std::string term;
  std::uint32_t start;
  std::uint32_t end;
  std::uint32_t position;
  Kind kind;
};

void check_tokens(const std::string& text, const std::vector<Expected>& expected, const TokenizeOptions& options = {}) {
  INFO("text: " << text);
  const std::vector<Token> got = tokenize(text, options);
  REQUIRE(got.size() == expected.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    INFO("token " << i);
    CHECK(got[i].term == expected[i].term);
    CHECK(got[i].start == expected[i].start);
    CHECK(got[i].end == expected[i].end);
    CHECK(got[i].position == expected[i].position);
    CHECK(got[i].kind == expected[i].kind);
  }
}

std::vector<std::string> terms(const std::string& text) {
  std::vector<std::string> out;
  for (const Token& t : tokenize(text)) out.push_back(t.term);
  return out;
}

}  // namespace

// ICU 72's root word rules (CLDR's tailoring of UAX #29, visible in
// RuleBasedBreakIterator::getRules()) define
//   $MidLetter = [\p{Word_Break = MidLetter} - [\: \uFE55 \uFF1A]];
// so COLON (U+003A), SMALL COLON and FULLWIDTH COLON do not join letters
// (WB6/WB7): "a:b" is three segments, as English text wants. (CLDR puts the
// colon back only for Swedish and Finnish.) The installed
// WordBreakTest-15.0.0.txt follows the untailored UAX #29 and joins them,
// on exactly the lines where a colon follows "×". Those lines are the only
// exceptions, and they are checked too: ICU must break before the colon,
// and with a FULL STOP (MidNumLet, which WB6/WB7 treat exactly like
// MidLetter between letters) in the colon's place ICU must give the file's
// boundaries, which shows the colon's class is the only difference.
bool colon_exception(const BreakCase& c) { return c.source.find("\xC3\x97 003A") != std::string::npos; }

TEST_CASE("word boundaries match every line of Unicode's WordBreakTest.txt", "[analyzers][tokenizer]") {
  const auto cases = read_break_test("/usr/share/unicode/auxiliary/WordBreakTest.txt");
  REQUIRE(cases.size() == 1823);
  int passed = 0;
  std::vector<int> exceptions;
  for (const BreakCase& c : cases) {
    INFO("WordBreakTest.txt line " << c.line << ": " << c.source);
    const auto got = word_boundaries(c.text);
    if (!colon_exception(c)) {
      CHECK(got == c.breaks);
      if (got == c.breaks) ++passed;
      continue;
    }
    exceptions.push_back(c.line);
    const std::size_t colon = c.text.find(':');
    REQUIRE(colon != std::string::npos);
    CHECK(std::find(got.begin(), got.end(), static_cast<std::uint32_t>(colon)) != got.end());
    std::string dotted = c.text;
    dotted[colon] = '.';
    CHECK(word_boundaries(dotted) == c.breaks);
  }
  CHECK(exceptions == std::vector<int>{1253, 1254, 1267, 1268, 1283, 1284, 1285, 1286, 1287, 1288, 1289, 1290, 1291,
                                       1292, 1712});
  CHECK(passed + exceptions.size() == cases.size());
  WARN("WordBreakTest.txt: " << passed << " of " << cases.size() << " lines equal; " << exceptions.size()
                             << " colon lines differ as ICU's root tailoring says");
}

TEST_CASE("typographic and ASCII apostrophes fold alike and the possessive goes", "[analyzers][tokenizer]") {
  // “China’s” and "China's": the quotes are punctuation, the apostrophe folds.
  check_tokens("\xE2\x80\x9C" "China\xE2\x80\x99s\xE2\x80\x9D", {{"china", 3, 12, 0, Kind::word}});
  check_tokens("\"China's\"", {{"china", 1, 8, 0, Kind::word}});
  check_tokens("Workers\xE2\x80\x99 Party", {{"workers", 0, 7, 0, Kind::word}, {"party", 11, 16, 1, Kind::word}});
  check_tokens("can't won\xCA\xBCt", {{"can't", 0, 5, 0, Kind::word}, {"won't", 6, 12, 1, Kind::word}});
  CHECK(fold_term("China\xE2\x80\x99s") == "china");
  CHECK(fold_term("China's") == "china");
  CHECK(fold_term("workers'") == "workers");
}

TEST_CASE("dotted acronyms lose their dots", "[analyzers][tokenizer]") {
  check_tokens("the U.S. and", {{"the", 0, 3, 0, Kind::word}, {"us", 4, 7, 1, Kind::word}, {"and", 9, 12, 2, Kind::word}});
  CHECK(fold_term("U.S.") == "us");
  CHECK(fold_term("US") == "us");
  CHECK(terms("e.g. U.N.") == std::vector<std::string>{"eg", "un"});
  // The possessive of a dotted acronym leaves no stray "s".
  check_tokens("the U.S.\xE2\x80\x99s view", {{"the", 0, 3, 0, Kind::word}, {"us", 4, 7, 1, Kind::word},
                                              {"view", 13, 17, 2, Kind::word}});
  // Not an acronym: a dot between words separates them.
  CHECK(terms("example.com") == std::vector<std::string>{"example", "com"});
  // An acronym joined by a hyphen.
  check_tokens("U.S.-China", {{"uschina", 0, 10, 0, Kind::compound},
                              {"us", 0, 3, 0, Kind::part},
                              {"china", 5, 10, 1, Kind::part}});
}

TEST_CASE("hyphenated words give parts at consecutive positions and the compound", "[analyzers][tokenizer]") {
  check_tokens("the Six-Party talks", {{"the", 0, 3, 0, Kind::word},
                                       {"sixparty", 4, 13, 1, Kind::compound},
                                       {"six", 4, 7, 1, Kind::part},
                                       {"party", 8, 13, 2, Kind::part},
                                       {"talks", 14, 19, 3, Kind::word}});
  check_tokens("Kim Jong-un\xE2\x80\x99s", {{"kim", 0, 3, 0, Kind::word},
                                            {"jongun", 4, 15, 1, Kind::compound},
                                            {"jong", 4, 8, 1, Kind::part},
                                            {"un", 9, 15, 2, Kind::part}});
  check_tokens("Sino-NK", {{"sinonk", 0, 7, 0, Kind::compound}, {"sino", 0, 4, 0, Kind::part}, {"nk", 5, 7, 1, Kind::part}});
  // En dash: two words, no compound.
  check_tokens("China\xE2\x80\x93North", {{"china", 0, 5, 0, Kind::word}, {"north", 8, 13, 1, Kind::word}});
  // A dangling hyphen joins nothing.
  check_tokens("trade- and", {{"trade", 0, 5, 0, Kind::word}, {"and", 7, 10, 1, Kind::word}});
  // Without compounds the parts stay parts.
  TokenizeOptions no_compounds;
  no_compounds.compounds = false;
  check_tokens("Six-Party", {{"six", 0, 3, 0, Kind::part}, {"party", 4, 9, 1, Kind::part}}, no_compounds);
  CHECK(fold_term("six-party") == "sixparty");
}

TEST_CASE("numbers and years survive, digit-group commas go", "[analyzers][tokenizer]") {
  check_tokens("1,000 troops in 2016", {{"1000", 0, 5, 0, Kind::word},
                                        {"troops", 6, 12, 1, Kind::word},
                                        {"in", 13, 15, 2, Kind::word},
                                        {"2016", 16, 20, 3, Kind::word}});
  CHECK(terms("1,400-km") == std::vector<std::string>{"1400km", "1400", "km"});
  CHECK(terms("3.14 and 1,000,000.50") == std::vector<std::string>{"3.14", "and", "1000000.50"});
  CHECK(terms("10,20") == std::vector<std::string>{"10", "20"});
}

TEST_CASE("diacritics, ligatures, width and NBSP fold", "[analyzers][tokenizer]") {
  check_tokens("d\xC3\xA9tente", {{"detente", 0, 8, 0, Kind::word}});
  // Decomposed input (e + combining acute) folds the same.
  check_tokens("de\xCC\x81tente", {{"detente", 0, 9, 0, Kind::word}});
  // fi ligature, fullwidth letters.
  check_tokens("\xEF\xAC\x81nance", {{"finance", 0, 8, 0, Kind::word}});
  CHECK(fold_term("\xEF\xBC\xB5\xEF\xBC\xAE") == "un");
  // NBSP separates words like a space.
  check_tokens("Kim\xC2\xA0Jong\xC2\xA0Un", {{"kim", 0, 3, 0, Kind::word}, {"jong", 5, 9, 1, Kind::word}, {"un", 11, 13, 2, Kind::word}});
  // Non-Latin scripts keep their marks; Korean and Chinese are words.
  CHECK(terms("\xEA\xB9\x80\xEC\xA0\x95\xEC\x9D\x80") == std::vector<std::string>{"\xEA\xB9\x80\xEC\xA0\x95\xEC\x9D\x80"});
  CHECK(fold_term("STRASSE") == "strasse");
  CHECK(fold_term("Stra\xC3\x9F" "e") == "strasse");
}

TEST_CASE("offsets are shifted by base and capitalisation is recorded", "[analyzers][tokenizer]") {
  TokenizeOptions o;
  o.base = 100;
  const auto got = tokenize("Beijing and \xC3\x89lys\xC3\xA9" "e", o);
  REQUIRE(got.size() == 3);
  CHECK(got[0].start == 100);
  CHECK(got[0].end == 107);
  CHECK(got[0].capitalised);
  CHECK_FALSE(got[1].capitalised);
  CHECK(got[2].term == "elysee");
  CHECK(got[2].start == 112);
  CHECK(got[2].end == 120);
  CHECK(got[2].capitalised);
}

TEST_CASE("punctuation and whitespace give no tokens", "[analyzers][tokenizer]") {
  CHECK(tokenize("").empty());
  CHECK(tokenize(" \n\t \xE2\x80\x94 -- ... \xE2\x80\x9C\xE2\x80\x9D").empty());
  CHECK(fold_term("--") == "");
}

TEST_CASE("words longer than 64 bytes are skipped but keep their position", "[analyzers][tokenizer]") {
  const std::string blob(65, 'q');
  check_tokens("see " + blob + " here", {{"see", 0, 3, 0, Kind::word}, {"here", 70, 74, 2, Kind::word}});
  const std::string word64(64, 'q');
  CHECK(terms(word64) == std::vector<std::string>{word64});
  // A compound over the limit is dropped; its parts stay.
  const std::string part(40, 'a');
  check_tokens(part + "-" + part, {{part, 0, 40, 0, Kind::part}, {part, 41, 81, 1, Kind::part}});
}

TEST_CASE("tokenize gives the same tokens on many threads at once", "[analyzers][tokenizer]") {
  std::ifstream in(std::string(LIPSTEETH_SOURCE_DIR) + "/corpus/000_8fe11e022d0b9062.txt", std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  const std::string text = ss.str();
  const std::vector<Token> expected = tokenize(text);
  REQUIRE(expected.size() > 1500);
  std::vector<int> same(4, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 20; ++i) {
        const std::vector<Token> got = tokenize(text);
        bool equal = got.size() == expected.size();
        for (std::size_t k = 0; equal && k < got.size(); ++k) {
          equal = got[k].term == expected[k].term && got[k].start == expected[k].start &&
                  got[k].position == expected[k].position;
        }
        same[t] += equal ? 1 : 0;
      }
    });
  }
  for (auto& th : threads) th.join();
  CHECK(same == std::vector<int>{20, 20, 20, 20});
}

TEST_CASE("the seed articles tokenise with exact offsets", "[analyzers][tokenizer]") {
  for (const char* name : {"000_8fe11e022d0b9062.txt", "001_3787f9e5d4cdb258.txt", "002_4385b82e47fa7daf.txt",
                           "003_d673819c6f11a063.txt", "004_1e77538f18e764bb.txt"}) {
    INFO(name);
    std::ifstream in(std::string(LIPSTEETH_SOURCE_DIR) + "/corpus/" + name, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    const std::string text = ss.str();
    std::uint32_t last_position = 0;
    std::uint32_t last_start = 0;
    for (const Token& t : tokenize(text)) {
      // Each word or part, re-folded from its own bytes, gives its own term.
      if (t.kind != Kind::compound) CHECK(fold_term(text.substr(t.start, t.end - t.start)) == t.term);
      CHECK(t.start >= last_start);
      CHECK(t.position >= last_position);
      CHECK(t.position <= last_position + 1);
      last_start = t.start;
      last_position = t.position;
    }
  }
  // Terms that the articles' typography must not change.
  std::ifstream in(std::string(LIPSTEETH_SOURCE_DIR) + "/corpus/000_8fe11e022d0b9062.txt", std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  const auto t0 = terms(ss.str());
  CHECK(std::find(t0.begin(), t0.end(), "sinonk") != t0.end());
  CHECK(std::find(t0.begin(), t0.end(), "unha") != t0.end());
  CHECK(std::find(t0.begin(), t0.end(), "1000") != t0.end());
  CHECK(std::find(t0.begin(), t0.end(), "north") != t0.end());
  for (const std::string& t : t0) CHECK(t.find("\xE2\x80\x99") == std::string::npos);
}

TEST_CASE("stemmer stems words and leaves numbers", "[analyzers][stemmer]") {
  Stemmer s;
  CHECK(s.stem("relations") == "relat");
  CHECK(s.stem("launches") == "launch");
  CHECK(s.stem("1990s") == "1990s");
  CHECK(s.stem("2016") == "2016");
  // Memoised answers are the same answers.
  CHECK(s.stem("relations") == "relat");
}
