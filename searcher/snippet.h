// Highlights and snippets: which words of a passage the query matched, and
// the passage's best window.
#pragma once

#include <cstddef>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "searcher/range.h"

namespace lipsteeth::searcher {

// What counts as a match in a passage's text.
struct MatchSet {
  std::set<std::string> exact;     // folded words matched as written (phrase words, unstemmed terms)
  std::set<std::string> stems;     // stems: a word whose stem is one of these matches
  std::vector<std::string> prefixes;  // wildcard prefixes (folded)
  std::set<std::string> actors;    // actor ids: their mentions are highlighted
  // Words that match only together, in this order at consecutive positions
  // (the words of an actor's alias as the query wrote it, "kim jong un"):
  // as the index matches the alias as written, so that a lone "UN" or "Kim"
  // in the passage is not shown as a match of "Kim Jong-un".
  std::vector<std::vector<std::string>> phrases;
  bool empty() const {
    return exact.empty() && stems.empty() && prefixes.empty() && actors.empty() && phrases.empty();
  }
};

// An actor mention inside a passage, bytes relative to the passage text.
struct MentionSpan {
  std::string actor_id;
  Range range;
};

// Byte ranges of `text` (UTF-8) that match: every token whose folded form,
// stem or prefix matches, and every mention of a matched actor. A hyphenated
// word matches as a whole when its compound or any part matches only the part.
// Ranges are sorted and merged when they overlap or touch. Never throws for
// bad input.
std::vector<Range> find_highlights(std::string_view text, const MatchSet& match,
                                   const std::vector<MentionSpan>& mentions = {});

// Extends each highlight that is an acronym of dots ("U.S", "D.P.R.K") over
// the dot after it: UAX #29 leaves an acronym's last dot out of its word
// (the tokenizer's ranges, which the index stores for mentions), where a
// reader sees "U.S." as the name. Ranges stay sorted.
void take_acronym_dots(std::string_view text, std::vector<Range>& highlights);

// The best window of about `target_bytes` of `text`: the one holding the most
// distinct matched words, then the most matches; cut at word boundaries (and
// at a sentence start when one is close); "…" marks a cut. A passage up to
// 1.25 x target_bytes is kept whole. `highlights` are ranges of `text` (as
// find_highlights gives them); the snippet's are moved to its own bytes.
Snippet make_snippet(std::string_view text, const std::vector<Range>& highlights, std::size_t target_bytes);

}  // namespace lipsteeth::searcher
