// Query preparation: the query text (normalized by query.h) parsed by
// Xapian's QueryParser with lipsteeth's fields (actor:, year:, title:, the
// alias placeholder), stopwords dropped from phrases, title: clauses turned
// into the passages of their articles, and the --actor / --year filters
// added (filters.h). Its result, Prepared, is what every later part of a
// search reads; none of them changes it.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <xapian.h>

#include "analyzers/stemmer.h"
#include "searcher/filters.h"
#include "searcher/query.h"
#include "searcher/searcher.h"

namespace lipsteeth::searcher {

// The queries a search runs: what matches (facets, totals), how the
// ranked pass weighs it (title and all-words boosts), and with coordination
// the passages with every word (the AND form, filtered).
struct Forms {
  Xapian::Query match;
  Xapian::Query rank;
  Xapian::Query all_words;
};

// A title: clause of the query as the passages it stands for
// (prepare.cpp, title_passages).
struct TitleClause {
  Xapian::Query query;  // the posting source
  std::shared_ptr<const std::vector<Xapian::docid>> passages;
  double weight = 0;
};

// A query made ready to run: parsed, stopwords dropped, title: clauses
// expanded, filters built. Read-only once prepare() returns.
struct Prepared {
  NormalizedQuery nq;
  Forms forms;          // under the --actor and --year filters
  bool coordination = false;           // passages with every word rank first
  bool filtered = false;               // --year, --actor or actor: filters
  Xapian::Query base;                  // forms.match without the filters
  ColumnFilter column_filter;          // the filters, as the passage column checks them
  bool column_filter_ok = false;       // column_filter is them all
  Xapian::Query q_and;                 // with coordination: the AND form, unfiltered
  std::vector<std::string> actor_ids;  // from actor: and --actor
  std::vector<std::string> warnings;
  // Title terms (ZS + stem, or S + number) of the query's words: scored on
  // the candidates, as BM25 parts scaled by kTitleWeight.
  std::vector<std::string> title_terms;
  // The title: clauses (title_passages), by description: --explain lists
  // those a hit matched.
  std::vector<std::pair<std::string, TitleClause>> title_clauses;
};

// Prepares `query_text` for `o` (its filters, not its query). Throws
// QueryError for a query that cannot be searched (only stopwords, empty,
// unknown actor:, bad year:), UsageError for a bad filter.
Prepared prepare(const Database& db, const SearchOptions& o, const std::string& query_text,
                 analyzers::Stemmer& stemmer);

// The forms of `p` under `filter` in place of its filters (none when empty):
// what the ranked pass runs once a count has listed the passages the
// filters let through.
Forms forms_under(const Prepared& p, const Xapian::Query& filter);

}  // namespace lipsteeth::searcher
