// British spellings folded onto American ones; loanwords kept whole.
#include "analyzers/spelling.h"

#include <algorithm>
#include <array>
#include <utility>

namespace lipsteeth::analyzers {
namespace {

#include "analyzers/spelling_table.inc"

// Endings an -ise verb's root takes: denuclear-is-ation, organ-is-ers.
constexpr std::array<std::string_view, 12> kIseEndings = {
    "e", "ed", "es", "ing", "er", "ers", "able", "ation", "ations", "ational", "ationally", "ationist"};

template <typename Range>
bool contains(const Range& sorted, std::string_view word) {
  return std::binary_search(std::begin(sorted), std::end(sorted), word);
}

class FoldingStem : public Xapian::StemImplementation {
 public:
  explicit FoldingStem(const std::string& language) : snowball_(language) {}

  std::string operator()(const std::string& word) override {
    std::string folded = american_spelling(word);
    if (is_loanword(folded)) return folded;
    if (folded.size() > 1 && folded.back() == 's' &&
        is_loanword(std::string_view(folded).substr(0, folded.size() - 1))) {
      folded.pop_back();
      return folded;
    }
    return snowball_(folded);
  }

  std::string get_description() const override { return "spelling+" + snowball_.get_description(); }

 private:
  Xapian::Stem snowball_;
};

}  // namespace

std::string american_spelling(std::string_view word) {
  auto it = std::lower_bound(std::begin(kFolds), std::end(kFolds), word,
                             [](const auto& fold, std::string_view w) { return fold.first < w; });
  if (it != std::end(kFolds) && it->first == word) return std::string(it->second);
  for (std::string_view ending : kIseEndings) {
    if (word.size() < ending.size() + 2 + 3) continue;
    std::string_view tail = word.substr(word.size() - ending.size() - 2);
    if (tail.substr(0, 2) != "is" || tail.substr(2) != ending) continue;
    std::string_view root = word.substr(0, word.size() - tail.size());
    if (contains(kIseRoots, root)) return std::string(root) + "iz" + std::string(ending);
  }
  return std::string(word);
}

bool is_loanword(std::string_view word) { return contains(kLoanwords, word); }

Xapian::Stem folding_stem(const std::string& language) {
  if (language != "english" && language != "en") return Xapian::Stem(language);
  return Xapian::Stem(new FoldingStem(language));
}

}  // namespace lipsteeth::analyzers
