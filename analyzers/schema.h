// The index schema shared by the indexer (writes it) and the searcher (reads it).
// See ARCHITECTURE.md "Index schema" for the prose version.
#pragma once

#include <bit>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lipsteeth::schema {

// Bump kSchemaVersion when the layout below changes, kAnalyzerVersion when the
// terms produced for the same text change. A searcher refuses other versions.
inline constexpr const char* kSchemaVersion = "12";  // 12: XAU: author terms
inline constexpr const char* kAnalyzerVersion = "2";  // 2: English spelling variants folded before stemming

// Term prefixes (Xapian conventions: single capitals are standard, X* are ours).
inline constexpr const char* kStemPrefix = "Z";         // Z + stem, as STEM_SOME
inline constexpr const char* kTitlePrefix = "S";        // S + exact title word (positional); ZS + stem:
                                                        // on the article's first passage only
inline constexpr const char* kYearPrefix = "Y";         // Y2016 (boolean)
// The colon keeps article terms apart from every other X prefix (an id may
// start with "CT", and "XA" is a prefix of "XACT").
inline constexpr const char* kArticlePrefix = "XART:";  // XART: + article_key(id) (boolean)
inline constexpr const char* kActorPrefix = "XACT";     // XACT + actor id, wdf = mentions in passage
inline constexpr const char* kTypePrefix = "XT";        // reserved
// XAU: + one folded word of one of the article's authors (boolean, on every
// passage): author:NAME in a query (author_terms below).
inline constexpr const char* kAuthorPrefix = "XAU:";
// The passage's stopwords, counted: one term whose wdf is how many the
// passage (and, on its first passage, the title) has, so that a passage's
// length -- the sum of its wdfs, which BM25 reads -- counts every word
// although the stopwords themselves are not indexed (query_stopwords()).
inline constexpr const char* kStopwordsTerm = "XSTOP";

// Value slots.
inline constexpr unsigned kValueYear = 0;            // sortable_serialise(year); absent when unknown
inline constexpr unsigned kValueArticle = 1;         // sortable_serialise(article ordinal): the article's
                                                     // number, kept across updates and renames
inline constexpr unsigned kValuePassageOrdinal = 2;  // sortable_serialise(passage ordinal in its article)
inline constexpr unsigned kValuePassage = 3;         // PassageValue record (below)

// Numbers in the passage value and the passage record: unsigned LEB128
// varints. get_varint reads one from the front of `in`; false when it is cut
// short or longer than 64 bits.
inline void put_varint(std::string& out, std::uint64_t v) {
  while (v >= 0x80) {
    out += static_cast<char>((v & 0x7f) | 0x80);
    v >>= 7;
  }
  out += static_cast<char>(v);
}
// The same over a pointer pair, `p` advancing past it (a facet count reads
// several per match): one byte is the common case.
inline bool read_value_varint(const unsigned char*& p, const unsigned char* end, std::uint64_t& v) {
  if (p == end) return false;
  unsigned b = *p++;
  v = b & 0x7fu;
  if (b < 0x80u) return true;
  for (unsigned shift = 7; p != end && shift < 64; shift += 7) {
    b = *p++;
    v |= std::uint64_t{b & 0x7fu} << shift;
    if (b < 0x80u) return true;
  }
  return false;
}
// Steps over one, as read_value_varint() would read it.
inline bool skip_value_varint(const unsigned char*& p, const unsigned char* end) {
  for (int n = 0; p != end && n < 10; ++n)
    if (*p++ < 0x80u) return true;
  return false;
}
// Steps over `n` at once, eight bytes at a time: the n-th byte below 0x80
// is found in 64-bit words (a facet count and a filter step over five
// varints of every passage they read, nine bytes or more as often as not),
// the last few bytes one by one.
inline bool skip_value_varints(const unsigned char*& p, const unsigned char* end, int n) {
  if constexpr (std::endian::native == std::endian::little) {
    while (n > 0 && end - p >= 8) {
      std::uint64_t w;
      std::memcpy(&w, p, 8);
      std::uint64_t last = ~w & 0x8080808080808080ull;  // the last bytes of varints
      if (!last) break;  // a varint of 9 bytes or more: one by one, as read_value_varint() reads it
      // (No popcount: the baseline x86-64 has no instruction for it.)
      for (;;) {
        if (n == 1) {
          p += (std::countr_zero(last) >> 3) + 1;
          return true;
        }
        --n;
        last &= last - 1;
        if (!last) break;
      }
      p += 8;
    }
  }
  for (int i = 0; i < n; ++i)
    if (!skip_value_varint(p, end)) return false;
  return true;
}

inline bool get_varint(std::string_view& in, std::uint64_t& v) {
  const auto* begin = reinterpret_cast<const unsigned char*>(in.data());
  const auto* p = begin;
  const bool ok = read_value_varint(p, begin + in.size(), v);
  in.remove_prefix(static_cast<std::size_t>(p - begin));
  if (!ok) v = 0;
  return ok;
}

// What a search reads of every passage it matches (facets, grouping) and of
// every candidate it re-ranks, in one value: unsigned LEB128 varints
//   year+1 (0: none)  article-ordinal  article-length  passage-length
//   passage-ordinal  article-passages  actor*
// where the lengths are Xapian's (sums of wdf) and each actor is the rank of
// its id among the ids of the index's actor lexicon (ActorLexicon::actor_ids),
// ascending. A few bytes where strings took tens.
struct PassageValue {
  std::optional<int> year;
  std::uint64_t article = 0;
  std::uint64_t article_length = 0;
  std::uint64_t passage_length = 0;
  // The passage's ordinal in its article, and the article's passages. An
  // article's passages have consecutive docids (a build and an update add
  // them in order), except where an update gave the article more passages
  // than it had: its old ids are reused and the others added after the
  // last. So the article's first passage, which holds its title terms, is
  // usually this docid minus `passage`, and its passages are usually the
  // `passages` docids from there (the searcher checks both).
  std::uint64_t passage = 0;
  std::uint64_t passages = 0;
  std::vector<std::uint32_t> actors;
};
std::string encode_passage_value(const PassageValue& v);

// Reads a PassageValue in place, without allocating (a search reads one per
// matching passage). `ok` turns false on a malformed record.
class PassageValueReader {
 public:
  explicit PassageValueReader(std::string_view v)
      : p_(reinterpret_cast<const unsigned char*>(v.data())), end_(p_ + v.size()) {
    const std::uint64_t y = next();
    year_plus_one = y;
    article = next();
    article_length = next();
    passage_length = next();
    passage = next();
    passages = next();
  }
  // The next actor rank; false at the end (or on a malformed record).
  bool next_actor(std::uint32_t& rank) {
    if (p_ == end_ || !ok) return false;
    const std::uint64_t r = next();
    if (!ok || r > 0xffffffffu) return ok = false;
    rank = static_cast<std::uint32_t>(r);
    return true;
  }
  bool ok = true;
  std::uint64_t year_plus_one = 0;  // 0: no year
  std::uint64_t article = 0, article_length = 0, passage_length = 0, passage = 0, passages = 0;

 private:
  // get_varint's decoding over a pointer pair (a string_view's bookkeeping
  // per byte cost a fifth more).
  std::uint64_t next() {
    std::uint64_t v = 0;
    if (read_value_varint(p_, end_, v)) return v;
    ok = false;
    return 0;
  }
  const unsigned char* p_;
  const unsigned char* end_;
};

// Database metadata keys.
inline constexpr const char* kMetaSchema = "lipsteeth.schema";
inline constexpr const char* kMetaAnalyzer = "lipsteeth.analyzer";
inline constexpr const char* kMetaGazetteer = "lipsteeth.gazetteer";          // gazetteer TSV text
inline constexpr const char* kMetaGazetteerDigest = "lipsteeth.gazetteer.digest";
inline constexpr const char* kMetaLexicon = "lipsteeth.lexicon";              // analyzers::ActorLexicon text
inline constexpr const char* kMetaRoots = "lipsteeth.roots";                  // JSON array of corpus roots
inline constexpr const char* kMetaLastBuild = "lipsteeth.last_build";         // JSON summary of last run
inline constexpr const char* kMetaArticles = "lipsteeth.articles";            // articles in the index (decimal)
inline constexpr const char* kMetaFilePrefix = "file:";                       // file:<article id> -> JSON state
// Additions for the indexer's incremental runs:
inline constexpr const char* kMetaJsonlPrefix = "jsonl:";      // jsonl:<file id> -> JSON state of a .jsonl file
inline constexpr const char* kMetaNextOrdinal = "lipsteeth.next_ordinal";  // next article ordinal (decimal)
// The zstd dictionary the passage texts are compressed with
// (analyzers/text_codec.h), trained by a full build on a sample of the corpus
// and kept by incremental runs; absent when the corpus was too small to train
// one (then every text is stored plain).
inline constexpr const char* kMetaTextDictionary = "lipsteeth.zdict";

// The stopwords: not indexed (no term, stem or position; counted in
// kStopwordsTerm), dropped from queries by the searcher's QueryParser
// stopper, and dropped from phrases, whose other words keep their order and
// the phrase's window ("ministry of foreign affairs": ministry, foreign,
// affairs in that order within four words). About a quarter of the words of
// English text; their positions made a fifth of the position table.
const std::vector<std::string_view>& query_stopwords();
bool is_query_stopword(std::string_view folded_term);

// The XAU: terms of author names: each word folded as analyzers::tokenize
// folds words (case, diacritics; a hyphenated name as its parts), not
// stemmed ("Chang" is no "changing"), each once, in order of appearance.
// The indexer adds those of an article's authors to each of its passages;
// the searcher's author:NAME matches the passages holding all of NAME's.
std::vector<std::string> author_terms(const std::vector<std::string>& names);

// The article key of the XART: term on each of an article's passages: a
// 64-bit hash of the article id, in 11 base64url digits (an id took three
// times that in every passage's term list). Two ids of one index never share
// a key: the indexer skips an article whose key another one has.
std::string article_key(std::string_view article_id);

// Where the corpus walk finds an article's file, from the corpus roots
// (kMetaRoots) and the article's id: ROOT/ID for one root; for several,
// DIR/ID where the root DIR/NAME gives the ids under NAME (a file given by
// name: the root itself). "" when no root gives that id. An article whose
// file is there keeps no path of its own (in its first passage's record and
// its file state): it is derived when read, and follows the corpus when the
// corpus moves.
std::string derived_path(const std::vector<std::string>& roots, std::string_view id);

// Index location. PATH (a directory) holds a Xapian stub file naming the live
// generation, so that --rebuild can swap a new one in atomically.
inline constexpr const char* kStubName = "current";   // PATH/current: Xapian stub database
inline constexpr const char* kLockName = "lock";      // PATH/lock: flock()ed by the one writer
std::string stub_path(const std::string& db_dir);
// $LIPSTEETH_DB, else $XDG_DATA_HOME/lipsteeth/index, else ~/.local/share/lipsteeth/index.
std::string default_db_path();

}  // namespace lipsteeth::schema
