// Tokenisation: UAX #29 word boundaries (ICU) plus lipsteeth's folding rules.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace lipsteeth::analyzers {

struct Token {
  enum class Kind : std::uint8_t {
    word,      // an ordinary word, number or acronym
    part,      // one part of a hyphenated word ("six" in "Six-Party"); parts get consecutive positions
    compound,  // the hyphenated word joined ("sixparty"), at the position of its first part
  };
  // Folded form: ICU NFKC case fold, diacritics removed from Latin letters,
  // typographic apostrophes folded, possessive 's stripped, dots of acronyms
  // removed ("U.S." -> "us"), digit-group commas removed ("1,000" -> "1000").
  std::string term;
  // Byte range [start, end) in the text handed to tokenize() plus `base`.
  std::uint32_t start = 0;
  std::uint32_t end = 0;
  // Word position, 0-based, counted from the first token of the call.
  // Parts of "Six-Party" take two positions; the compound shares the first.
  std::uint32_t position = 0;
  Kind kind = Kind::word;
  // True when the surface form starts with an upper-case letter (used by
  // the tagger and by stemming policy: Xapian's STEM_SOME does not stem those).
  bool capitalised = false;
};

// Folded terms longer than this (bytes) are not emitted, as Xapian's
// TermGenerator skips words over its default max_word_length of 64: such
// "words" are runs of base64, hashes or URLs, and Xapian refuses terms over
// 245 bytes. The word still takes its position, so phrases stay honest.
inline constexpr std::size_t kMaxTermBytes = 64;

struct TokenizeOptions {
  // Added to every byte offset (use the passage's start so offsets are article-relative).
  std::uint32_t base = 0;
  // Emit the joined compound token for hyphenated words.
  bool compounds = true;
};

// Splits `text` (UTF-8) into tokens. Punctuation and whitespace yield none.
// Tokens come in text order; a compound comes just before its first part.
// Ill-formed UTF-8 is read as U+FFFD (offsets still count the real bytes).
// Throws lipsteeth::Error only when ICU's data is missing.
std::vector<Token> tokenize(std::string_view text, const TokenizeOptions& options = {});

// Byte offsets of the UAX #29 word boundaries that tokenize() starts from
// (ICU's word BreakIterator, root locale), 0 and text.size() included. For
// tests against Unicode's WordBreakTest.txt and for debugging.
std::vector<std::uint32_t> word_boundaries(std::string_view text);

// The same two, always with ICU's BreakIterator. tokenize() and
// word_boundaries() find the boundaries of most texts (those made only of
// characters below U+2080 that need no rules for marks, emoji, Hebrew or
// dictionary scripts) with their own scanner of ICU's root word rules, and
// must give exactly what these give; for tests and benchmarks.
std::vector<Token> tokenize_icu(std::string_view text, const TokenizeOptions& options = {});
std::vector<std::uint32_t> word_boundaries_icu(std::string_view text);
// Whether tokenize() and word_boundaries() take their own scanner for `text`.
bool scans_without_icu(std::string_view text);

// Folds a single word the same way tokenize() folds the words it finds
// (used for query words and gazetteer aliases). Returns "" for punctuation.
// A hyphenated word gives its compound ("Six-Party" -> "sixparty"); a word
// that tokenize() would split ("example.com") gives its terms joined.
std::string fold_term(std::string_view word);

}  // namespace lipsteeth::analyzers
