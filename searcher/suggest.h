// Suggestion: "did you mean" for a query, from the index's spelling data
// (Xapian's, filled by the indexer from the passages' words).
#pragma once

#include <string>

#include <xapian.h>

#include "analyzers/stemmer.h"
#include "searcher/query.h"

namespace lipsteeth::searcher {

// `raw` with each misspelt word corrected, "" when none is: a word is
// misspelt when its spelling data has a word within two edits and the index
// holds neither it nor its stem, or holds it in at most 3 passages against
// at least 20 times as many for the correction (a typo some articles share). Single words only (not wildcards,
// actor names, stopwords or parts of a hyphenated word); a leading capital
// is kept as written.
std::string spelling_suggestion(const Xapian::Database& db, const std::string& raw, const NormalizedQuery& nq,
                                analyzers::Stemmer& stemmer);
// The same, with the corrections from `spelling` (Database::spelling()) and
// the words' frequencies from `db`.
std::string spelling_suggestion(const Xapian::Database& db, const Xapian::Database& spelling, const std::string& raw,
                                const NormalizedQuery& nq, analyzers::Stemmer& stemmer);

}  // namespace lipsteeth::searcher
