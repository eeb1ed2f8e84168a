// The search, as a sequence of parts whose data flows one way:
//
//   prepare (prepare.h)       query text -> Prepared: parsed query, filters
//   FacetCount (facets.h)     plans the count; counts what goes first, or
//                             starts it on a second thread
//   rank_passages (scoring.h) Prepared -> Ranking: candidates, re-scored
//   FacetCount::finish        totals and facets into the result
//   assemble_page (results.h) Ranking -> the page of hits
//   spelling_suggestion       "did you mean", and its search when the
//     (suggest.h)             query found nothing, or a few passages where
//                             the correction finds many more
//
// Each part reads what the parts before it made and changes none of it
// (Prepared is read-only once made; the count may narrow the queries the
// ranking runs, never the Prepared).
#include "searcher/searcher.h"

#include <fmt/format.h>

#include "analyzers/error.h"
#include "analyzers/stemmer.h"
#include "analyzers/tokenizer.h"
#include "searcher/facets.h"
#include "searcher/prepare.h"
#include "searcher/query.h"
#include "searcher/results.h"
#include "searcher/scoring.h"
#include "searcher/suggest.h"

namespace lipsteeth::searcher {

namespace {

// Fewer matches than this are weak; the correction is searched instead when
// it finds at least this many and kStrongerBy times as many.
constexpr std::size_t kWeakTotal = 5;
constexpr std::size_t kStrongerBy = 5;

SearchResult run(const Database& db, const SearchOptions& o, const std::string& query_text) {
  analyzers::Stemmer stemmer("english");
  const Prepared p = prepare(db, o, query_text, stemmer);
  SearchResult r;
  r.query = query_text;
  r.parsed = p.forms.match.get_description();
  r.warnings = p.warnings;

  FacetCount count(db, o, query_text, p);
  // Counted first under filters, the ranked pass checks the passages they
  // let through instead of the filters (the same passages).
  const Forms forms = count.through().empty() ? p.forms : forms_under(p, count.through());
  const Ranking ranking = rank_passages(db, o, p, forms, count.ranked_pass_spy(), count.by_wdf(), stemmer);
  r.proximity_read = ranking.proximity_read;
  r.proximity_skipped = ranking.proximity_skipped;
  count.finish([&ranking] { return ranking.or_pass(); }, r);
  assemble_page(db, o, p, ranking, stemmer, r);
  return r;
}

}  // namespace

void check_query_limits(const SearchOptions& o) {
  if (o.max_query_bytes && o.query.size() > o.max_query_bytes)
    throw QueryError(fmt::format("the query is too long: {} bytes, the limit is {} (--max-query-bytes)",
                                 o.query.size(), o.max_query_bytes));
  if (!o.max_query_terms) return;
  // Words as they are indexed (each part of a hyphenated word counts).
  const std::size_t words = analyzers::tokenize(o.query, {.base = 0, .compounds = false}).size();
  if (words > o.max_query_terms)
    throw QueryError(fmt::format("the query has too many words: {}, the limit is {} (--max-query-terms)", words,
                                 o.max_query_terms));
}

SearchResult search(const Database& db, const SearchOptions& options) {
  check_query_limits(options);
  SearchResult r = run(db, options, options.query);
  if (!db.column_problem().empty()) r.warnings.insert(r.warnings.begin(), db.column_problem());
  r.warnings.insert(r.warnings.begin(), db.left_out().begin(), db.left_out().end());
  if (!options.spelling) return r;
  const NormalizedQuery nq = normalize_query(options.query, &db.lexicon());
  analyzers::Stemmer stemmer("english");
  r.suggestion = spelling_suggestion(db.xapian(), db.spelling(), options.query, nq, stemmer);
  // A query that found nothing, or only a few passages where its correction
  // finds many times more, shows the correction's hits (and says so).
  if (!r.suggestion.empty() && r.total < kWeakTotal) {
    SearchResult corrected = run(db, options, r.suggestion);
    if (r.total == 0 || (corrected.total >= kWeakTotal && corrected.total >= kStrongerBy * r.total)) {
      corrected.query = options.query;
      corrected.suggestion = r.suggestion;
      corrected.searched_suggestion = true;
      corrected.original_total = r.total;
      for (auto& w : r.warnings) corrected.warnings.insert(corrected.warnings.begin(), w);
      return corrected;
    }
  }
  return r;
}

}  // namespace lipsteeth::searcher
