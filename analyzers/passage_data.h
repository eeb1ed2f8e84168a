// The data stored with each passage document: what a search prints. A
// compact binary record (a search decodes ten of them, so JSON parsing showed
// in its profile): the passage's ordinal and byte range in the article body,
// its actors' mention ranges (relative to the passage text), where its text
// is, and, on the article's first passage only (the lowest document id of its
// XART: term), the article's fields.
//
// The text: when the passage's bytes in its file are exactly its text (a
// UTF-8 file with LF line ends, the common case), the record holds their
// byte range and a hash of them, and a search reads the ten it shows from
// the files (read_source_text): the index stays smaller than the corpus it
// serves. Any other text (HTML, another encoding, CRLF, JSON Lines) is
// stored, compressed with the index's zstd dictionary (analyzers/text_codec.h)
// when that makes it shorter. passage_data.cpp documents the byte layout.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <xapian.h>

namespace lipsteeth::analyzers {
class TextCodec;
}

namespace lipsteeth::schema {

struct ArticleData {
  std::string id;    // path relative to its corpus root, or the JSON Lines id
  std::string path;  // as indexed (absolute)
  std::string title;
  std::optional<int> year;
  std::string date;  // ISO 8601, "" when unknown
  std::vector<std::string> authors;
};

struct MentionData {
  std::uint32_t actor = 0;           // the actor's rank in the index's lexicon (schema::PassageValue)
  std::uint32_t start = 0, end = 0;  // bytes in the passage text
};

// Where a passage's text lies in its article's file.
struct SourceRange {
  std::uint64_t offset = 0;  // first byte in the file; the length is the passage's (end - start)
  std::uint32_t hash = 0;    // text_hash() of those bytes when indexed
};

struct PassageData {
  std::uint32_t ordinal = 0;
  std::uint32_t start = 0, end = 0;  // bytes in the article body
  std::string text;                  // empty when `source` is set: the text is in the file
  std::optional<SourceRange> source;
  std::vector<MentionData> mentions;
  std::optional<ArticleData> article;  // on the article's first passage only
};

// `codec`: the index's text dictionary (null when it has none): the text is
// stored compressed with it when that is shorter, else plain. With `source`
// set, the record holds the range instead and `text` is not stored.
std::string encode_passage(const PassageData& p, const analyzers::TextCodec* codec = nullptr);

// Where decode_passage finds the dictionary a compressed text needs: none,
// a given codec, or the one an index stores in its metadata
// (kMetaTextDictionary), read the first time a record of that database
// needs it and kept for the life of the process. Cheap to construct.
class TextDictionary {
 public:
  TextDictionary() = default;
  TextDictionary(const analyzers::TextCodec* codec) : codec_(codec), resolved_(true) {}  // NOLINT: implicit
  explicit TextDictionary(const Xapian::Database& db) : db_(db) {}
  // Null when there is none. Throws lipsteeth::Error when the stored
  // dictionary cannot be loaded, Xapian::Error when it cannot be read.
  const analyzers::TextCodec* get() const;

 private:
  std::optional<Xapian::Database> db_;
  mutable const analyzers::TextCodec* codec_ = nullptr;
  mutable bool resolved_ = false;
};

// The codec of the dictionary stored in `db`'s metadata, or null when it has
// none; loaded once per database (by its UUID) and process.
const analyzers::TextCodec* stored_text_codec(const Xapian::Database& db);

// False (and `out` partly filled) when `data` is not a whole, well-formed
// record, or its text is compressed and `dictionary` has no codec.
bool decode_passage(std::string_view data, PassageData& out, const TextDictionary& dictionary = {});

// A 32-bit hash of a text (multiply-xorshift over little-endian 8-byte
// words, folded): what tells a passage's bytes in a file from bytes changed
// since (a changed file whose changed bytes hash alike, one time in four
// billion, would show its new bytes there).
std::uint32_t text_hash(std::string_view text);

// Reads a passage's text from `path` into `out`: the (end - start) bytes at
// source.offset, checked against source.hash. False, with `out` empty and
// `why` saying what happened, when the file cannot be read or no longer
// holds that text (changed, moved or deleted since it was indexed).
bool read_source_text(const std::string& path, const PassageData& passage, std::string& out, std::string& why);

}  // namespace lipsteeth::schema
