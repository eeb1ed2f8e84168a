// Passage scoring: the ranked pass over the prepared query, and the
// re-scoring of its best candidates. Xapian's BM25 over passages finds the
// candidates (passages with every word first); each is then given its title
// words' part, its article's BM25 (the article's matching candidates
// pooled) and the proximity of the query's words in it, and the candidates
// are sorted by the sum, deeper until the page is full.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <xapian.h>

#include "analyzers/stemmer.h"
#include "searcher/facets.h"
#include "searcher/prepare.h"
#include "searcher/searcher.h"

namespace lipsteeth::searcher {

// A query word used for proximity: matched as written or by stem.
struct ProxWord {
  std::string exact;  // folded word
  std::string stem;   // "" when matched as written only
  double idf = 0;
  std::string group;  // words of one name, phrase or hyphenated word: not paired with each other
};

struct Candidate {
  Xapian::docid did = 0;
  double weight = 0;  // Xapian's, without the all-words boost
  bool all_words = false;
  double title = 0;  // title words (kTitleWeight x their BM25 parts)
  double article_weight = 0, proximity = 0;
  double score = 0;
  std::uint64_t article = 0;   // article ordinal
  double article_length = 0;   // sum of the article's passage lengths
  double length = 0;           // the passage's length
  std::uint64_t passage = 0;   // its ordinal in the article
  Xapian::docid first = 0;     // the article's first passage (its title terms)
  Xapian::MSetIterator it;
};

// A query concept for article-level BM25: one word (its stem, or the word as
// written inside a phrase) or one actor; `alts` are the index terms that count.
struct Concept {
  std::vector<std::string> alts;
  std::string title;  // its title term (ZS + stem), counted once per article; "" for none
  double idf = 0;
};

// What one walk over a passage's termlist finds: per-concept wdf and the
// positions of the proximity words.
// The index terms a passage is scanned for, sorted, each with what it feeds:
// a concept's wdf (role 0), a concept's title wdf (role 1) or a proximity
// word's positions (role 2).
struct ScanTerm {
  std::string term;
  int role = 0;
  std::size_t index = 0;
  bool operator<(const ScanTerm& o) const { return term < o.term; }
};

struct PassageScan {
  std::vector<Xapian::termcount> wdf;                // per concept (max over its alts)
  std::vector<Xapian::termcount> title;              // per concept: wdf of its title term
  std::vector<std::vector<Xapian::termpos>> pos;     // per proximity word (read_positions)
  std::vector<Xapian::termcount> title_terms;        // per Prepared::title_terms entry
  // The proximity words' forms the passage has (role 2 terms), with their wdf.
  std::vector<std::pair<const ScanTerm*, Xapian::termcount>> forms;
};



// The candidates of a search, best first, and the passes that found them.
struct Ranking {
  explicit Ranking(const Xapian::Database& db) : enquire(db) {}
  std::vector<Candidate> ranked;  // best first; one per article when grouping
  // The ranked pass (its query as it last ran: --explain reads its matching terms).
  Xapian::Enquire enquire;
  Xapian::MSet mset;  // its candidates, or the AND form's when split
  // With coordination and no count in the ranked pass, the AND and OR forms
  // run as two matches: the OR form's, and its candidates when the AND
  // form has too few (two_forms).
  std::optional<Xapian::Enquire> any_word;
  Xapian::MSet rest;
  bool two_forms = false;
  std::size_t proximity_read = 0, proximity_skipped = 0;  // SearchResult's
  // The OR form's pass, whose bounds are the totals when it counted.
  Xapian::MSet or_pass() const { return !any_word ? mset : two_forms ? rest : any_word->get_mset(0, 0); }
};

// Ranks the passages of `forms` (the prepared query's, or those a count
// narrowed them to) for `o`'s page. `spy`: the count the ranked pass makes
// (FacetCount::ranked_pass_spy), or null; `by_wdf`: FacetCount::by_wdf().
Ranking rank_passages(const Database& db, const SearchOptions& o, const Prepared& p, const Forms& forms,
                      FacetSpy* spy, std::vector<std::pair<Xapian::termcount, Xapian::docid>>* by_wdf,
                      analyzers::Stemmer& stemmer);

// Xapian's BM25Weight for one term alone (k2 = 0, k3 = 1, min_normlen 0.5):
// what --explain shows per term.
double bm25_part(double n_docs, double avlen, double termfreq, double wdf, double doclen, double b);

}  // namespace lipsteeth::searcher
