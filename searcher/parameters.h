// The ranking's parameters, shared by the parts of the search that weigh
// passages (prepare.cpp, scoring.cpp, results.cpp).
#pragma once

#include <cstddef>

namespace lipsteeth::searcher {

// Ranking parameters: one configuration for every corpus (docs/search.md,
// "Ranking"; measured in BENCHMARKS.md).
inline constexpr double kK1 = 1.2;              // BM25 term-frequency saturation
inline constexpr double kB = 0.75;              // BM25 length normalisation (title, article, proximity)
// The match's BM25 over passages has none: passages are cut to bounded
// lengths, and with b = 0 Xapian needs no document length, whose look-up
// walks the length list of every passage (a cost that grows with the index,
// not with the matches). Measured on ../shared/eval/ (BENCHMARKS.md).
inline constexpr double kPassageB = 0.0;
inline constexpr double kTitleWeight = 0.5;     // title words, relative to passage words
inline constexpr double kArticleWeight = 1.5;   // article-level BM25 (the article's matching passages pooled)
inline constexpr double kArticleTitle = 2.0;     // title words count this many times in the article's BM25
inline constexpr double kProximityWeight = 1.0; // query words close together
inline constexpr unsigned kProximityWindow = 10;  // words
inline constexpr std::size_t kRerankDepth = 200;  // candidates re-scored for article and proximity
inline constexpr double kAllWordsBoost = 1e6;     // ranks passages with every word first

}  // namespace lipsteeth::searcher
