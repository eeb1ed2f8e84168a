// How aliases and text words are folded and compared: the trie key of a
// word, the case a word shows, the paths an alias walks in the trie. Shared
// by the gazetteer (lookups) and the tagger (matching). Internal to
// analyzers/.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace lipsteeth::analyzers::detail {

// Trie keys drop apostrophes so that "Pyong'an" and "Pyongan" meet.
inline std::string key_of(std::string_view term) {
  std::string k;
  k.reserve(term.size());
  for (char c : term)
    if (c != '\'') k += c;
  return k;
}

// Case a text word must show to match an alias word (docs/gazetteer.md "Case").
enum Casing : std::uint8_t { kAnyCase = 0, kCapitalised = 1, kAllCaps = 2 };

// The surface without a possessive ending ("Kim's", "Kim’s").
inline std::string_view strip_possessive(std::string_view s) {
  if (s.size() > 2 && (s.ends_with("'s") || s.ends_with("'S"))) return s.substr(0, s.size() - 2);
  if (s.size() > 4 && (s.ends_with("\xE2\x80\x99s") || s.ends_with("\xE2\x80\x99S"))) return s.substr(0, s.size() - 4);
  return s;
}

inline Casing casing_of(std::string_view surface) {
  surface = strip_possessive(surface);
  int upper = 0, lower = 0;
  bool first_upper = false, seen = false;
  for (unsigned char c : surface) {
    bool up = c >= 'A' && c <= 'Z', low = c >= 'a' && c <= 'z';
    if (!seen && (up || low || c >= 0x80)) {
      seen = true;
      first_upper = up;
    }
    upper += up;
    lower += low;
  }
  if (upper >= 2 && lower == 0) return kAllCaps;
  return first_upper ? kCapitalised : kAnyCase;
}

inline bool casing_ok(Casing wanted, std::string_view surface, bool capitalised) {
  switch (wanted) {
    case kAnyCase: return true;
    case kCapitalised: return capitalised || casing_of(surface) != kAnyCase;
    case kAllCaps: return casing_of(surface) == kAllCaps;
  }
  return false;
}

// One folded path through the trie for an alias, with the case each step wants.
struct Path {
  std::vector<std::string> keys;
  std::vector<Casing> casing;
};

// The paths of an alias: its words with hyphenated words as parts, and every
// mix of parts and joined compounds; for names of three or more words, also
// the last two joined ("Kim Jongun"). `person`: the alias names a person.
std::vector<Path> alias_paths(std::string_view alias, bool person);

// The key find_alias() and suggest() compare: folded words, parts joined.
std::string lookup_key(std::string_view text);

}  // namespace lipsteeth::analyzers::detail
