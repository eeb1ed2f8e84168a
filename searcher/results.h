// Result assembly: the page of hits from the ranked candidates. Each hit's
// article fields, its passage text (from the index, or read from its file
// and checked against the stored hash), its actors, highlights and snippet
// (snippet.h), and with --explain the parts of its score.
#pragma once

#include "analyzers/stemmer.h"
#include "searcher/prepare.h"
#include "searcher/scoring.h"
#include "searcher/searcher.h"

namespace lipsteeth::searcher {

// Appends to r.hits the hits o.offset .. o.offset + o.limit of `ranking`.
void assemble_page(const Database& db, const SearchOptions& o, const Prepared& p, const Ranking& ranking,
                   analyzers::Stemmer& stemmer, SearchResult& r);

}  // namespace lipsteeth::searcher
