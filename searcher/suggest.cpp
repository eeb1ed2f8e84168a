#include "searcher/suggest.h"

#include <algorithm>
#include <set>
#include <utility>
#include <vector>

#include "analyzers/schema.h"

namespace lipsteeth::searcher {
namespace {

// A word held by at most this many passages may be a typo of a word within
// two edits that at least kMoreCommon times as many passages hold.
constexpr Xapian::doccount kRareWord = 3;
constexpr Xapian::doccount kMoreCommon = 20;

}  // namespace

std::string spelling_suggestion(const Xapian::Database& db, const std::string& raw, const NormalizedQuery& nq,
                                analyzers::Stemmer& stemmer) {
  return spelling_suggestion(db, db, raw, nq, stemmer);
}

std::string spelling_suggestion(const Xapian::Database& db, const Xapian::Database& spelling, const std::string& raw,
                                const NormalizedQuery& nq, analyzers::Stemmer& stemmer) {
  std::vector<std::pair<Range, std::string>> fixes;
  std::set<std::uint32_t> done;
  for (std::size_t i = 0; i < nq.words.size(); ++i) {
    const QueryWord& w = nq.words[i];
    if (w.wildcard || w.alias >= 0 || done.count(w.surface.start)) continue;
    // Only single-word groups: a hyphenated word shares its surface.
    bool single = (i == 0 || nq.words[i - 1].surface.start != w.surface.start) &&
                  (i + 1 == nq.words.size() || nq.words[i + 1].surface.start != w.surface.start);
    done.insert(w.surface.start);
    if (!single || w.term.size() < 3 || schema::is_query_stopword(w.term)) continue;
    // A word the index holds, as written or by its stem, is not misspelt,
    // unless it is rare and a word within two edits is far more common: a
    // typo that a few passages share ("sanctoins" beside "sanctions").
    const bool digit = w.term[0] >= '0' && w.term[0] <= '9';
    const Xapian::doccount held =
        std::max(db.get_termfreq(w.term), digit ? 0 : db.get_termfreq(schema::kStemPrefix + stemmer.stem(w.term)));
    if (held > kRareWord) continue;
    std::string s = spelling.get_spelling_suggestion(w.term, 2);
    if (s.empty() || s == w.term) continue;
    if (held > 0) {
      const Xapian::doccount theirs =
          std::max(db.get_termfreq(s), db.get_termfreq(schema::kStemPrefix + stemmer.stem(s)));
      if (theirs < kMoreCommon * held) continue;
    }
    // Keep a leading capital as written.
    const char first = raw[w.surface.start];
    if (first >= 'A' && first <= 'Z' && s[0] >= 'a' && s[0] <= 'z') s[0] = static_cast<char>(s[0] - 'a' + 'A');
    fixes.emplace_back(w.surface, s);
  }
  if (fixes.empty()) return {};
  std::string out;
  std::size_t at = 0;
  for (const auto& [r, s] : fixes) {
    out.append(raw, at, r.start - at);
    out += s;
    at = r.end;
  }
  out.append(raw, at, std::string::npos);
  return out;
}

}  // namespace lipsteeth::searcher
