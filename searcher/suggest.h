// Suggestion: "did you mean" for a query, from the index's spelling data
// (Xapian's, filled by the indexer from the passages' words).
#pragma once

#include <string>

#include <xapian.h>

#include "analyzers/stemmer.h"
#include "searcher/query.h"

namespace lipsteeth::searcher {

// `raw` with each misspelt word corrected, "" when none is: a word is
// misspelt when the index holds neither it nor its stem and its spelling
// data has a word within two edits. Single words only (not wildcards,
// actor names, stopwords or parts of a hyphenated word); a leading capital
// is kept as written.
std::string spelling_suggestion(const Xapian::Database& db, const std::string& raw, const NormalizedQuery& nq,
                                analyzers::Stemmer& stemmer);

}  // namespace lipsteeth::searcher
