// Tokenizer: its own word-boundary scanner gives exactly what ICU's
// BreakIterator gives, token for token and field for field.
#include <catch2/catch.hpp>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <unicode/utf8.h>

#include "analyzers/tokenizer.h"
#include "tests/analyzers/break_test_file.h"

namespace an = lipsteeth::analyzers;
using an::Token;
using an::TokenizeOptions;

namespace {

std::string utf8(UChar32 c) {
  char buf[U8_MAX_LENGTH];
  std::int32_t n = 0;
  U8_APPEND_UNSAFE(buf, n, c);
  return std::string(buf, static_cast<std::size_t>(n));
}

std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

bool same_token(const Token& a, const Token& b) {
  return a.term == b.term && a.start == b.start && a.end == b.end && a.position == b.position && a.kind == b.kind &&
         a.capitalised == b.capitalised;
}

std::string describe(const std::vector<Token>& tokens) {
  std::ostringstream out;
  for (const Token& t : tokens) {
    out << "[" << t.term << " " << t.start << "-" << t.end << " @" << t.position << " k" << static_cast<int>(t.kind)
        << (t.capitalised ? " C" : "") << "] ";
  }
  return out.str();
}

// The fold_term() of tokens, as fold_term() builds it.
std::string joined(const std::vector<Token>& tokens) {
  if (tokens.empty()) return {};
  if (tokens.size() == 1 || tokens.front().kind == Token::Kind::compound) return tokens.front().term;
  std::string s;
  for (const Token& t : tokens) s += t.term;
  return s;
}

// Counts texts compared and how many took the scanner.
struct Tally {
  int texts = 0;
  int scanned = 0;
};

// tokenize() and tokenize_icu() agree on `text` with `options`, and so do
// word_boundaries() and fold_term(). Returns whether they all agree.
bool agree(const std::string& text, Tally& tally, const TokenizeOptions& options = {}) {
  ++tally.texts;
  if (an::scans_without_icu(text)) ++tally.scanned;
  const std::vector<Token> fast = an::tokenize(text, options);
  const std::vector<Token> icu = an::tokenize_icu(text, options);
  bool equal = fast.size() == icu.size();
  for (std::size_t i = 0; equal && i < fast.size(); ++i) equal = same_token(fast[i], icu[i]);
  const bool bounds = an::word_boundaries(text) == an::word_boundaries_icu(text);
  const bool fold = an::fold_term(text) == joined(an::tokenize_icu(text));
  if (!equal || !bounds || !fold) {
    UNSCOPED_INFO("text: \"" << text << "\" base " << options.base << " compounds " << options.compounds);
    UNSCOPED_INFO("scanner: " << describe(fast));
    UNSCOPED_INFO("ICU:     " << describe(icu));
    UNSCOPED_INFO("boundaries equal: " << bounds << ", fold_term equal: " << fold);
  }
  return equal && bounds && fold;
}

}  // namespace

TEST_CASE("the scanner classifies every code point below U+2080 as ICU does", "[analyzers][tokenizer]") {
  // Each code point in contexts that exercise every rule it could take
  // part in: between letters, digits, ExtendNumLet, spaces, CR and LF, alone
  // and doubled, at either end.
  const std::vector<std::pair<std::string, std::string>> contexts = {
      {"", ""},     {"a", "a"},   {"1", "1"},   {"a", "1"},   {"1", "a"},   {"_", "_"},     {"a", ""},
      {"", "a"},    {"1", ""},    {"", "1"},    {" ", " "},   {"\r", "\n"}, {"a.", ".a"},   {"1,", ",1"},
      {"x", "_y"},  {"U.", "S."}, {"-", "-"},   {"\xE2\x80\x99", "s"},    {"\xC3\xA9", "\xC3\xA9"}};
  Tally tally;
  int failures = 0;
  for (UChar32 c = 1; c < 0x2080; ++c) {
    if (U_IS_SURROGATE(c)) continue;
    const std::string s = utf8(c);
    for (const auto& [before, after] : contexts) {
      if (!agree(before + s + after, tally)) ++failures;
      if (!agree(before + s + s + after, tally)) ++failures;
    }
  }
  CHECK(failures == 0);
  // Most of those texts are the scanner's: letters of every alphabet below
  // U+2080, digits, punctuation, spaces.
  CHECK(tally.scanned > tally.texts * 3 / 4);
  WARN(tally.texts << " texts, " << tally.scanned << " through the scanner");
}

TEST_CASE("the scanner agrees with ICU on every line of WordBreakTest.txt", "[analyzers][tokenizer]") {
  const auto cases = lipsteeth::testing::read_break_test("/usr/share/unicode/auxiliary/WordBreakTest.txt");
  REQUIRE(cases.size() == 1823);
  Tally tally;
  int failures = 0;
  int ascii = 0;
  for (const auto& c : cases) {
    bool is_ascii = true;
    for (char ch : c.text) is_ascii = is_ascii && static_cast<unsigned char>(ch) < 0x80;
    if (is_ascii) {
      ++ascii;
      CHECK(an::scans_without_icu(c.text));
    }
    if (!agree(c.text, tally)) ++failures;
  }
  CHECK(failures == 0);
  CHECK(ascii > 100);
  CHECK(tally.scanned >= ascii);
  WARN(tally.texts << " lines (" << ascii << " ASCII), " << tally.scanned << " through the scanner");
}

TEST_CASE("the scanner agrees with ICU on the corpus articles", "[analyzers][tokenizer]") {
  std::vector<std::filesystem::path> files;
  for (const char* dir : {LIPSTEETH_SOURCE_DIR "/corpus", "/work/shared/seeds"}) {
    if (!std::filesystem::is_directory(dir)) continue;
    for (const auto& e : std::filesystem::directory_iterator(dir)) {
      if (e.is_regular_file()) files.push_back(e.path());
    }
  }
  REQUIRE(files.size() >= 6);
  Tally tally;
  int failures = 0;
  int lines = 0;
  for (const auto& f : files) {
    INFO(f.string());
    const std::string text = read_file(f);
    TokenizeOptions o;
    o.base = 17;
    if (!agree(text, tally, o)) ++failures;
    o.compounds = false;
    if (!agree(text, tally, o)) ++failures;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
      ++lines;
      if (!agree(line, tally)) ++failures;
    }
  }
  CHECK(failures == 0);
  CHECK(lines > 100);
  // The articles are ASCII plus typographic quotes, dashes and NBSP: nearly
  // every line takes the scanner.
  CHECK(tally.scanned > tally.texts * 9 / 10);
  WARN(files.size() << " files, " << tally.texts << " texts, " << tally.scanned << " through the scanner");
}

TEST_CASE("the scanner agrees with ICU on random strings of tricky pieces", "[analyzers][tokenizer]") {
  const std::vector<std::string> pieces = {
      "a", "b", "Z", "x", "S", "s", "e", "1", "0", "9", "42", ".", ",", "'", "\xE2\x80\x99" /* ’ */,
      "\xE2\x80\x98" /* ‘ */, "-", "_", ":", ";", " ", "  ", "\n", "\r\n", "\r", "\t", "\"",
      "\xE2\x80\x9C" /* “ */, "\xE2\x80\x9D" /* ” */, "\xE2\x80\x93" /* – */, "\xE2\x80\x94" /* — */,
      "\xC2\xA0" /* NBSP */, "\xE2\x80\xA6" /* … */, "\xE2\x80\x90" /* ‐ */, "\xE2\x80\x91" /* ‑ */,
      "\xE2\x80\xAF" /* NNBSP */, "\xC2\xB7" /* · */, "\xE2\x80\xA4" /* ․ */, "\xCA\xBC" /* ʼ */,
      "\xC3\xA9" /* é */, "\xC3\x89" /* É */, "\xC3\x9F" /* ß */, "\xEF\xAC\x81" /* ﬁ */, "@", "/", "(", ")",
      "U.S.", "u.s", "1,000.5", "1,000", "10,20", "3.14", "Six-Party", "Kim's", "Kim\xE2\x80\x99s",
      "rock'n'roll", "e.g.", "a.b.c", "--", "...", "U.S.'s", "U.S.\xE2\x80\x99s", "workers'", "'s", "__",
      "a_b", "_1", "1_", "x:y", "1:2", "1;2", "example.com", "N.Korea", "2016-17", "Jong-un",
      "\xCE\xB1\xCE\xB2" /* αβ */, "\xD0\x96" /* Ж */, "\xE4\xB8\xAD" /* 中 */, "\xCC\x81" /* combining acute */,
      "\xC2\xAD" /* soft hyphen */, "\xEF\xBB\xBF" /* BOM */, "\xFF" /* ill-formed */,
      std::string(70, 'q')};
  std::mt19937 rng(20261130);
  Tally tally;
  int failures = 0;
  for (int n = 0; n < 10000; ++n) {
    std::string text;
    const int count = 1 + static_cast<int>(rng() % 24);
    for (int k = 0; k < count; ++k) text += pieces[rng() % pieces.size()];
    TokenizeOptions o;
    o.base = rng() % 3 == 0 ? 1000 : 0;
    o.compounds = rng() % 4 != 0;
    if (!agree(text, tally, o)) ++failures;
  }
  CHECK(failures == 0);
  CHECK(tally.scanned > tally.texts / 3);
  WARN(tally.texts << " random texts, " << tally.scanned << " through the scanner");
}

TEST_CASE("the scanner's word statuses follow ICU's root rules", "[analyzers][tokenizer]") {
  // Hand-checked cases: a lone ExtendNumLet is no word, two are one.
  Tally tally;
  for (const char* text : {"_", "__", "a_", "_a", "1_", "_ _", "a@b.c", "a:b", "1:2", "1;2", "a;b", "a\xC2\xB7" "b",
                           "1\xC2\xB7" "2", "a'b", "1'2", "a\xE2\x80\x99" "b", "a.1", "1.a", "a1.2", "\r\n\r\n"}) {
    CHECK(an::scans_without_icu(text));
    CHECK(agree(text, tally));
  }
  CHECK(an::tokenize("_").empty());
  REQUIRE(an::tokenize("__").size() == 1);
  CHECK(an::word_boundaries("a@b.c") == std::vector<std::uint32_t>{0, 5});
  CHECK(an::word_boundaries("a:b") == std::vector<std::uint32_t>{0, 1, 2, 3});
  CHECK(an::word_boundaries("a\xC2\xB7" "b") == std::vector<std::uint32_t>{0, 4});
  CHECK(an::word_boundaries("1;2") == std::vector<std::uint32_t>{0, 3});
  // Texts with a character the scanner leaves to ICU.
  CHECK_FALSE(an::scans_without_icu("\xE4\xB8\xAD"));
  CHECK_FALSE(an::scans_without_icu("de\xCC\x81tente"));
  CHECK_FALSE(an::scans_without_icu("\xEF\xBB\xBF" "text"));
}

TEST_CASE("threads that meet new characters at once get the same tokens", "[analyzers][tokenizer]") {
  // The scanner learns the classes of code points a block of 128 at a time,
  // on first use: here four threads need the same blocks at the same moment
  // (Latin-1, Latin Extended-A, Greek, Cyrillic, general punctuation).
  std::string text;
  for (int i = 0; i < 50; ++i) {
    text += "Caf\xC3\xA9 \xC5\x81\xC3\xB3" "d\xC5\xBA \xCE\xB1\xCE\xB2\xCE\xB3 \xD0\x96\xD0\xB8\xD0\xB2"
            " Kim\xE2\x80\x99s \xE2\x80\x9CU.S.\xE2\x80\x9D 1,000 \xE2\x80\x94 ";
  }
  std::vector<std::vector<Token>> got(4);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) threads.emplace_back([&, t] { got[static_cast<std::size_t>(t)] = an::tokenize(text); });
  for (auto& th : threads) th.join();
  CHECK(an::scans_without_icu(text));
  const std::vector<Token> expected = an::tokenize_icu(text);
  REQUIRE(expected.size() == 50 * 7);
  for (const auto& g : got) {
    REQUIRE(g.size() == expected.size());
    bool equal = true;
    for (std::size_t i = 0; i < g.size(); ++i) equal = equal && same_token(g[i], expected[i]);
    CHECK(equal);
  }
}
