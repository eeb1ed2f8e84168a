// Stemming with Xapian's Snowball stemmer behind the spelling fold, memoised per instance.
#include "analyzers/stemmer.h"

#include "analyzers/spelling.h"

namespace lipsteeth::analyzers {

Stemmer::Stemmer(const std::string& language) : stem_(folding_stem(language)) {}

const std::string& Stemmer::stem(const std::string& term) {
  auto it = cache_.find(term);
  if (it != cache_.end()) return it->second;
  // Numbers and years are not words: "2016" and "1000" stay as they are
  // (Snowball would leave most alone anyway, but "1990s" would lose its s).
  // Bound the memo: a pathological input (random strings) must not grow it forever.
  if (cache_.size() >= (1u << 20)) cache_.clear();
  std::string stemmed = (!term.empty() && term[0] >= '0' && term[0] <= '9') ? term : stem_(term);
  return cache_.emplace(term, std::move(stemmed)).first->second;
}

}  // namespace lipsteeth::analyzers
