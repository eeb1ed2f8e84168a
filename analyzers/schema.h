// The index schema shared by the indexer (writes it) and the searcher (reads it).
// See ARCHITECTURE.md "Index schema" for the prose version.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace lipsteeth::schema {

// Bump kSchemaVersion when the layout below changes, kAnalyzerVersion when the
// terms produced for the same text change. A searcher refuses other versions.
inline constexpr const char* kSchemaVersion = "6";
inline constexpr const char* kAnalyzerVersion = "1";

// Term prefixes (Xapian conventions: single capitals are standard, X* are ours).
inline constexpr const char* kStemPrefix = "Z";         // Z + stem, as STEM_SOME
inline constexpr const char* kTitlePrefix = "S";        // S + exact title word (positional); ZS + stem
inline constexpr const char* kYearPrefix = "Y";         // Y2016 (boolean)
// The colon keeps article terms apart from every other X prefix (an id may
// start with "CT", and "XA" is a prefix of "XACT").
inline constexpr const char* kArticlePrefix = "XART:";  // XART: + article key (boolean)
inline constexpr const char* kActorPrefix = "XACT";     // XACT + actor id, wdf = mentions in passage
inline constexpr const char* kTypePrefix = "XT";        // reserved

// Value slots.
inline constexpr unsigned kValueYear = 0;            // sortable_serialise(year); absent when unknown
inline constexpr unsigned kValueArticle = 1;         // article key (collapse key for group-by article)
inline constexpr unsigned kValuePassageOrdinal = 2;  // sortable_serialise(ordinal)
inline constexpr unsigned kValueActors = 3;          // actor ids of the passage, '\t'-separated, sorted
inline constexpr unsigned kValueArticleOrdinal = 4;  // sortable_serialise(article sequence number)
inline constexpr unsigned kValueDate = 5;            // ISO date string ("" when unknown)
inline constexpr unsigned kValueArticleLength = 6;   // sortable_serialise(sum of the article's passage lengths)

// Database metadata keys.
inline constexpr const char* kMetaSchema = "lipsteeth.schema";
inline constexpr const char* kMetaAnalyzer = "lipsteeth.analyzer";
inline constexpr const char* kMetaGazetteer = "lipsteeth.gazetteer";          // gazetteer TSV text
inline constexpr const char* kMetaGazetteerDigest = "lipsteeth.gazetteer.digest";
inline constexpr const char* kMetaLexicon = "lipsteeth.lexicon";              // analyzers::ActorLexicon text
inline constexpr const char* kMetaRoots = "lipsteeth.roots";                  // JSON array of corpus roots
inline constexpr const char* kMetaLastBuild = "lipsteeth.last_build";         // JSON summary of last run
inline constexpr const char* kMetaFilePrefix = "file:";                       // file:<article id> -> JSON state
// Additions for the indexer's incremental runs:
inline constexpr const char* kMetaJsonlPrefix = "jsonl:";      // jsonl:<file id> -> JSON state of a .jsonl file
inline constexpr const char* kMetaNextOrdinal = "lipsteeth.next_ordinal";  // next article ordinal (decimal)
// The zstd dictionary the passage texts are compressed with
// (analyzers/text_codec.h), trained by a full build on a sample of the corpus
// and kept by incremental runs; absent when the corpus was too small to train
// one (then every text is stored plain).
inline constexpr const char* kMetaTextDictionary = "lipsteeth.zdict";

// The query stopwords: dropped from queries outside phrases (the searcher's
// QueryParser stopper), so the index holds no stem (Z, ZS) for them; inside
// a phrase a query uses the exact, positional terms, which are indexed.
const std::vector<std::string_view>& query_stopwords();
bool is_query_stopword(std::string_view folded_term);

// Article key used in terms and values: the article id when short enough for a
// Xapian term, else a hash of it (terms are limited to 245 bytes).
std::string article_key(std::string_view article_id);

// Index location. PATH (a directory) holds a Xapian stub file naming the live
// generation, so that --rebuild can swap a new one in atomically.
inline constexpr const char* kStubName = "current";   // PATH/current: Xapian stub database
inline constexpr const char* kLockName = "lock";      // PATH/lock: flock()ed by the one writer
std::string stub_path(const std::string& db_dir);
// $LIPSTEETH_DB, else $XDG_DATA_HOME/lipsteeth/index, else ~/.local/share/lipsteeth/index.
std::string default_db_path();

}  // namespace lipsteeth::schema
