// Stemming with Xapian's Snowball English stemmer, memoised. English spelling
// variants are folded first (analyzers/spelling.h): "organisation" and
// "organization" share a stem; "detente" keeps its own.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>

#include <xapian.h>

namespace lipsteeth::analyzers {

// Not thread-safe: use one per thread. Memoises stems, which makes stemming
// nearly free on real text (a few tens of thousands of distinct words).
class Stemmer {
 public:
  explicit Stemmer(const std::string& language = "english");
  // Stem of a folded term. Terms starting with a digit are returned unchanged.
  const std::string& stem(const std::string& term);
  const Xapian::Stem& xapian_stem() const { return stem_; }

 private:
  Xapian::Stem stem_;
  std::unordered_map<std::string, std::string> cache_;
};

}  // namespace lipsteeth::analyzers
