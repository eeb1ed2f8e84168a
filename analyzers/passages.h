// Sentences and passages.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace lipsteeth::analyzers {

struct Span {
  std::uint32_t start = 0;  // byte offset, inclusive
  std::uint32_t end = 0;    // byte offset, exclusive
};

struct Passage {
  std::uint32_t ordinal = 0;  // 0-based, in article order
  std::uint32_t start = 0;    // byte range in the article text
  std::uint32_t end = 0;
};

struct PassageOptions {
  // A paragraph shorter than this (bytes) is too short to stand alone
  // (caption, heading, byline) and is merged into a neighbour: the next
  // paragraph, or the previous one at the end of the article.
  std::uint32_t min_bytes = 100;
  // Paragraphs longer than this are split at sentence boundaries into
  // passages of at most max_bytes (a single longer sentence stays whole up to
  // 2 * max_bytes; beyond that it is cut at white space). See passages.cpp.
  std::uint32_t max_bytes = 1500;
};

// ICU sentence boundaries (UAX #29) in `text`; spans cover all of text.
std::vector<Span> split_sentences(std::string_view text);

// Passages of `text` (an article body): paragraphs separated by blank lines,
// short captions/headings attached to a neighbour, long paragraphs split.
// Leading/trailing whitespace is excluded from each passage's range.
std::vector<Passage> split_passages(std::string_view text, const PassageOptions& options = {});

}  // namespace lipsteeth::analyzers
