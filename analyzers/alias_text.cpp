// Alias paths and lookup keys (alias_text.h).
#include "analyzers/alias_text.h"

#include <algorithm>

#include "analyzers/tokenizer.h"

namespace lipsteeth::analyzers::detail {

// The paths of an alias: its words with hyphenated words as parts, and every
// mix of parts and joined compounds; for names of three or more words, also
// the last two joined ("Kim Jongun").
std::vector<Path> alias_paths(std::string_view alias, bool person) {
  std::vector<Token> tokens = tokenize(alias);
  // Groups: each word is either a plain word or a compound with its parts.
  struct Group {
    Path parts;
    std::string compound;
    Casing compound_casing = kAnyCase;
  };
  std::vector<Group> groups;
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    const Token& t = tokens[i];
    std::string_view surface = alias.substr(t.start, t.end - t.start);
    if (t.kind == Token::Kind::compound) {
      Group g;
      g.compound = key_of(t.term);
      g.compound_casing = casing_of(surface) == kAllCaps ? kAllCaps : casing_of(surface);
      std::size_t j = i + 1;
      for (; j < tokens.size() && tokens[j].kind == Token::Kind::part && tokens[j].end <= t.end; ++j) {
        g.parts.keys.push_back(key_of(tokens[j].term));
        g.parts.casing.push_back(casing_of(alias.substr(tokens[j].start, tokens[j].end - tokens[j].start)));
      }
      i = j - 1;
      groups.push_back(std::move(g));
    } else {
      Group g;
      g.parts.keys.push_back(key_of(t.term));
      g.parts.casing.push_back(casing_of(surface));
      groups.push_back(std::move(g));
    }
  }
  std::vector<Path> paths{Path{}};
  for (const Group& g : groups) {
    std::vector<Path> next;
    for (const Path& p : paths) {
      Path a = p;
      a.keys.insert(a.keys.end(), g.parts.keys.begin(), g.parts.keys.end());
      a.casing.insert(a.casing.end(), g.parts.casing.begin(), g.parts.casing.end());
      next.push_back(std::move(a));
      if (!g.compound.empty() && paths.size() < 8) {
        Path b = p;
        b.keys.push_back(g.compound);
        b.casing.push_back(g.compound_casing);
        next.push_back(std::move(b));
      }
    }
    paths = std::move(next);
  }
  if (person && groups.size() >= 3 && groups.back().compound.empty() && groups[groups.size() - 2].compound.empty()) {
    Path p = paths.front();
    std::size_t n = p.keys.size();
    p.keys[n - 2] += p.keys[n - 1];
    p.keys.pop_back();
    p.casing.pop_back();
    paths.push_back(std::move(p));
  }
  std::erase_if(paths, [](const Path& p) { return p.keys.empty(); });
  return paths;
}

// The key find_alias() and suggest() compare: folded words, parts joined.
std::string lookup_key(std::string_view text) {
  std::string k;
  for (const Token& t : tokenize(text)) {
    if (t.kind == Token::Kind::compound) continue;
    k += key_of(t.term);
  }
  return k;
}

}  // namespace lipsteeth::analyzers::detail
