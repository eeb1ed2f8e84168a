// The searcher: opens an index, parses a query, ranks passages, counts facets
// and builds snippets. It returns data and never prints (the CLI's printers
// in cli/search.cpp turn a SearchResult into text or JSON).
//
// Ranking, in short (docs/search.md says it at length):
//   1. Xapian's BM25 over passages, the query's words OR-ed, with title words
//      (S/ZS terms) added as AND_MAYBE so they only raise passages that match;
//   2. the passages holding every word of the query ranked before the others;
//   3. over the best candidates, the article's other matching passages and the
//      proximity of the query's words in the passage added to the score.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <xapian.h>

#include "analyzers/entities.h"
#include "analyzers/lexicon.h"
#include "analyzers/passage_column.h"
#include "searcher/range.h"

namespace lipsteeth::searcher {

// How an index is opened.
struct OpenOptions {
  // Search the shards that can be opened and leave out, with a warning, one
  // that is down, unreachable or of another version (default: an error
  // naming it). At least one shard must open.
  bool allow_partial = false;
  // A remote shard's connection and each of its replies must come within
  // this many milliseconds, else it counts as down.
  unsigned timeout_ms = 10000;
  // Search on Xapian's built-ins only, as over remote shards, even when
  // every shard is local (to compare both paths). Also set by the
  // environment variable LIPSTEETH_PORTABLE=1.
  bool portable = false;
};

// One shard of an index: how the stub names it and its own handle.
struct Shard {
  std::string name;  // "shard-00/current", "10.0.0.2:33333"
  bool remote = false;
  Xapian::Database db;
};

// An open index: the live Xapian database and the actor lexicon stored in it.
class Database {
 public:
  // Opens the index at `db_dir` ("" = schema::default_db_path()): an index
  // folder, a sharded index folder (indexer/shards.h), or a Xapian stub
  // file listing shards (searcher/layout.h), local or remote. Throws
  // lipsteeth::IndexMissingError when there is no index there, or it (or a
  // shard: the message names it) was built by another schema/analyzer
  // version (the message says how to rebuild it), cannot be opened or
  // reached within o.timeout_ms, or its actor lexicon cannot be read.
  static Database open(const std::string& db_dir, const OpenOptions& o);
  static Database open(const std::string& db_dir = "") { return open(db_dir, OpenOptions{}); }

  const Xapian::Database& xapian() const { return db_; }
  // Aliases and names of the actors, as the index was built with them.
  const analyzers::ActorLexicon& lexicon() const { return *lexicon_; }
  // The gazetteer the index was built with, parsed on first use (only an
  // unknown actor's "did you mean" needs it). Throws IndexMissingError when
  // it cannot be read.
  const analyzers::Gazetteer& gazetteer() const;
  const std::string& path() const { return path_; }
  // The corpus roots the index was built from (schema::derived_path), read
  // on first use.
  const std::vector<std::string>& roots() const;
  // The passage column of the revision opened (analyzers/passage_column.h),
  // or nullptr: then facets and filters read Xapian's values.
  const analyzers::PassageColumn* column() const { return column_.get(); }
  // Why this revision's passage column was refused (damaged: then column()
  // is null and the values are read from Xapian), else "". search() adds it
  // to its warnings.
  const std::string& column_problem() const { return column_problem_; }
  // The index again, over a Xapian handle of its own, for another thread
  // (Xapian's handles are not shared between threads; the lexicon, column and
  // gazetteer are): nothing when it is no longer at `revision` of `uuid`
  // (those of xapian(), read by the caller's thread), or cannot be opened
  // again.
  std::optional<Database> reopen(Xapian::rev revision, const std::string& uuid) const;

  // The shards searched (one for an index of one database), in the order
  // of the stub: Xapian numbers their documents in turn (docid d is
  // shards()[(d - 1) % n]'s document (d - 1) / n + 1).
  const std::vector<Shard>& shards() const { return shards_; }
  std::size_t shard_count() const { return shards_.size(); }
  // The handle of the shard that holds document `did` of xapian() (its
  // text dictionary, its metadata).
  const Xapian::Database& shard_of(Xapian::docid did) const;
  // True when the search must run on Xapian's built-in classes only
  // (terms, values, ValueCountMatchSpy, document data): a shard is remote
  // (a stock xapian-tcpsrv knows no lipsteeth posting source or match spy),
  // or OpenOptions::portable asked for it. The answers are the same either
  // way (tests compare them).
  bool portable() const { return portable_; }
  // Articles in the index (every shard's lipsteeth.articles summed).
  double articles() const { return articles_; }
  // Where spelling corrections come from: the index itself, or the
  // spelling data of a sharded index's shards summed (indexer/shards.h),
  // which remote shards cannot serve.
  const Xapian::Database& spelling() const { return spelling_ ? *spelling_ : db_; }
  // Shards left out under OpenOptions::allow_partial, one line each (the
  // shard and why); search() adds them to its warnings.
  const std::vector<std::string>& left_out() const { return left_out_; }

 private:
  Database() = default;
  struct Lazy;
  std::string path_;
  Xapian::Database db_;
  std::vector<Shard> shards_;
  bool portable_ = false;
  double articles_ = 0;
  std::shared_ptr<Xapian::Database> spelling_;
  std::vector<std::string> left_out_;
  std::shared_ptr<const analyzers::ActorLexicon> lexicon_;
  std::shared_ptr<Lazy> lazy_;
  std::shared_ptr<const analyzers::PassageColumn> column_;
  std::string column_problem_;
};

// What to search for and how much to return. Every field has a usable default.
struct SearchOptions {
  // The query in lipsteeth's query language (docs/search.md): words, "phrases",
  // AND OR NOT XOR, NEAR, ADJ, wildcard*, +word -word, ( ), and the prefixes
  // title:, actor: and year:. May be empty when a filter is given.
  std::string query;
  // Inclusive year range filter; either end may be open.
  std::optional<int> year_from, year_to;
  // Actors the passages must all name (any alias, the id or the name).
  // Throws UsageError (with the closest known actors) for an unknown one.
  std::vector<std::string> actors;
  std::size_t limit = 10;   // hits returned
  std::size_t offset = 0;   // hits skipped (paging)
  // One hit per article: its best passage; articles ranked; `total` counts articles.
  bool group_by_article = false;
  // Fill Hit::explanation.
  bool explain = false;
  // Count facets by year and actor over all matching passages.
  bool facets = true;
  // Facet counts and totals are exact up to at least this many matches.
  std::size_t exact_up_to = 100000;
  // A count of facets apart from the ranking that walks at least this many
  // postings runs on a second thread, beside the ranking (exact counts the
  // same either way; tests compare both). SIZE_MAX: never.
  std::size_t parallel_count_from = 5000;
  // Target snippet length in bytes (the best window of a longer passage).
  std::size_t snippet_bytes = 280;
  // Offer spelling corrections, and search the correction when the query
  // finds nothing.
  bool spelling = true;
  // Read the query words' positions (for proximity) only for the candidates
  // that can reach the page with them: the page is the same either way
  // (tests compare both); false reads them for every candidate.
  bool bound_proximity = true;
  // Limits on the query's cost (docs/search.md, "Limits"): a longer query, or
  // one of more words (each part of a hyphenated word counts), is refused with a
  // QueryError before anything is parsed or read. 0: no limit.
  std::size_t max_query_bytes = 8192;
  std::size_t max_query_terms = 256;
};

// Throws QueryError when `o.query` passes o.max_query_bytes or o.max_query_terms
// (search() calls it first; exposed for the CLI to check before opening the index).
void check_query_limits(const SearchOptions& o);

struct ActorRef {
  std::string id;    // gazetteer id, e.g. "kim-jong-un"
  std::string name;  // display name
  std::uint32_t mentions = 0;  // in this passage
};

// Why a hit ranked where it did (SearchOptions::explain).
struct TermWeight {
  std::string term;   // the index term ("Zsanction", "XACTnorth-korea", "Skorea", ...)
  std::string field;  // "text", "stem", "title", "actor"
  std::uint32_t wdf = 0;  // occurrences in the passage
  double weight = 0;      // its BM25 part, as Xapian computes it alone
};
struct Explanation {
  double bm25 = 0;        // Xapian's weight of the passage for the query (text and title terms)
  bool all_words = false; // the passage holds every word of the query (ranked first)
  double article = 0;     // from the article's other matching passages
  double proximity = 0;   // from query words close together in the passage
  std::vector<TermWeight> terms;
};

struct Hit {
  std::size_t rank = 0;  // 1-based, counting the offset
  double score = 0;      // bm25 + article + proximity
  // Article
  std::string article_id;  // path relative to the corpus root, or the JSON Lines id
  std::string path;        // file path as indexed
  std::string title;
  std::optional<int> year;
  std::string date;        // ISO 8601, "" when unknown
  std::vector<std::string> authors;
  // Passage
  std::uint32_t ordinal = 0;     // passage number in its article, 0-based
  std::string text;              // the whole passage
  // Where `text` lies in the file at `path`: its first byte there, when the
  // file holds it byte for byte (UTF-8 with LF line ends: schema::SourceRange)
  // and it was read from there; unset for a text stored in the index (HTML,
  // another encoding, CRLF, JSON Lines), whose bytes are not the file's.
  std::optional<std::uint64_t> file_offset;
  std::uint32_t body_start = 0;  // first byte of the passage in the article body
  // Why `text` is empty: the passage is read from its file (see
  // schema::PassageData), and the file changed, moved or cannot be read since
  // it was indexed. "" when the text is there.
  std::string text_error;
  std::vector<Range> highlights; // byte ranges in `text` of every matched form
  Snippet snippet;
  std::vector<ActorRef> actors;  // actors the passage names, most mentioned first
  std::optional<Explanation> explanation;
};

struct FacetValue {
  std::string key;    // "2016", or an actor id
  std::string label;  // "2016", or the actor's name
  std::size_t count = 0;
};
struct Facets {
  std::vector<FacetValue> year;   // by year, ascending
  std::vector<FacetValue> actor;  // by count, descending, then id
  // False when more passages matched than were counted (counts then are
  // scaled estimates).
  bool exact = true;
};

struct SearchResult {
  std::string query;        // as given
  std::string parsed;       // Xapian's description of the query that ran
  std::size_t total = 0;    // matching passages (articles with group_by_article)
  bool total_exact = true;  // false: `total` is Xapian's estimate
  std::vector<Hit> hits;
  std::optional<Facets> facets;
  // "Did you mean" text: the query with misspelt words corrected ("" = none).
  std::string suggestion;
  // True when the hits, total and facets are those of `suggestion`: the query
  // as typed found nothing, or fewer than 5 passages where the suggestion
  // finds at least 5 and 5 times as many.
  bool searched_suggestion = false;
  // With searched_suggestion: the passages the query as typed matched.
  std::size_t original_total = 0;
  // Notes for the user, e.g. how a malformed query was read.
  std::vector<std::string> warnings;
  // The facets were counted on a second thread (SearchOptions::parallel_count_from).
  bool counted_on_thread = false;
  // Candidates whose proximity was scored from their words' positions, and
  // those left without as unable to reach the page (SearchOptions::bound_proximity).
  std::size_t proximity_read = 0, proximity_skipped = 0;
};

// Runs a search. Throws lipsteeth::QueryError for a query that cannot be
// searched (empty, unknown actor: or bad year: value), UsageError for a bad
// option (unknown --actor, reversed year range), Xapian::Error on database
// failure.
SearchResult search(const Database& db, const SearchOptions& options);

// How often a search is started afresh when the index changes under it.
inline constexpr int kSearchAttempts = 8;

// Opens the index at `db_dir` and runs `fn` on it, as a search does. A
// reader of a Xapian database sees the revision it opened until a writer has
// committed twice more (an incremental `lipsteeth index` commits once per
// batch); then reading throws Xapian::DatabaseModifiedError. The index is
// then opened afresh and `fn` runs again from the start, up to `attempts`
// times in all, after a wait that doubles each time (1 ms, 2, ... 64 ms:
// 127 ms in all for 8); after that a lipsteeth::Error says the index kept
// changing.
// `fn` must have no effect but its result (it may run more than once).
// Returns how many attempts it took (1: none failed).
int with_database(const std::string& db_dir, const std::function<void(const Database&)>& fn,
                  int attempts = kSearchAttempts, const OpenOptions& open = {});

}  // namespace lipsteeth::searcher
