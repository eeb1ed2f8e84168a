// From an analysed article to the Xapian documents of its passages (one per
// passage, laid out as analyzers/schema.h says), and JSON Lines records.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <xapian.h>

#include "analyzers/article.h"
#include "analyzers/stemmer.h"
#include "analyzers/text_codec.h"

namespace lipsteeth::indexer {

// Words for Xapian's spelling dictionary, with their frequencies, gathered
// over a batch and written at commit (one add_spelling call per word).
using SpellingCounts = std::unordered_map<std::string, Xapian::termcount>;

struct ArticleContext {
  std::string path;             // shown in results (absolute); "" when schema::derived_path gives it
  std::uint64_t ordinal = 0;    // article sequence number (value slot 1)
  const analyzers::Gazetteer* gazetteer = nullptr;  // resolves Mention::actor to ids
  // The lexicon rank of each gazetteer actor (analyzers::actor_ranks), stored
  // in value slot 3; null: computed from `gazetteer` for this article.
  const std::vector<std::uint32_t>* actor_ranks = nullptr;
  // Count words into `spelling`. A full build leaves this off and derives the
  // spelling dictionary from the finished term list instead (add_spelling_from_terms).
  bool count_spelling = true;
  // The index's text dictionary: passage texts the index stores (those not
  // read from their files, see schema::PassageData) are compressed with it
  // (null: plain).
  const analyzers::TextCodec* codec = nullptr;
  // Store every passage's text, also those that are their file's bytes
  // (by default those are read back from the file: schema::PassageData).
  bool store_text = false;
  // When not null (a full build), counts the hyphenated words' joined forms
  // ("sixparty"): a term that occurs only so is no spelling correction.
  SpellingCounts* compounds = nullptr;
};

// Adds every unprefixed, alphabetic term of `source` to `target`'s spelling
// dictionary with its collection frequency, except those that occur only as
// the joined form of hyphenated words (as many times as `compounds` counts).
// Does not commit.
void add_spelling_from_terms(const Xapian::Database& source, Xapian::WritableDatabase& target,
                             const SpellingCounts& compounds = {});

// Receives the documents of an article's passages, in passage order.
using DocumentSink = std::function<void(Xapian::Document&&)>;

// Builds one document per passage of `article`, in order, and hands each to
// `sink` as soon as it is built, so that only one is in memory at a time.
// `stemmer` is the calling thread's; `spelling` collects words. Requires
// article.tokens to be kept (AnalyzeOptions::keep_tokens), and empties each
// passage's tokens once its document is built.
void build_passage_documents(analyzers::Article& article, const ArticleContext& context,
                             analyzers::Stemmer& stemmer, SpellingCounts& spelling, const DocumentSink& sink);

// The same, appending the documents to `out`.
void build_passage_documents(analyzers::Article& article, const ArticleContext& context,
                             analyzers::Stemmer& stemmer, SpellingCounts& spelling,
                             std::vector<Xapian::Document>& out);

// One line of a JSON Lines file, parsed.
struct JsonlRecord {
  std::string id;
  std::string text;
  analyzers::Metadata stated;  // title, date/year, authors, url as the record gives them
};

// Parses one line: a JSON object with string "id" (or an integer), string
// "text", and optional "title", "date" (ISO 8601), "authors" (array of
// strings or one string) and "url". Returns "" and fills `record` on success,
// else the reason the line is malformed. Never throws.
std::string parse_jsonl_record(std::string_view line, JsonlRecord& record);

// Year of an ISO 8601 date ("2016-06-02" -> 2016), if it starts with one.
std::optional<int> year_of_date(std::string_view date);

}  // namespace lipsteeth::indexer
