// The whole analysis of one article: what the indexer indexes and what
// `lipsteeth analyze` shows.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analyzers/decode.h"
#include "analyzers/discovery.h"
#include "analyzers/entities.h"
#include "analyzers/metadata.h"
#include "analyzers/passages.h"
#include "analyzers/tokenizer.h"

namespace lipsteeth::analyzers {

struct AnalyzeOptions {
  PassageOptions passages;
  const Tagger* tagger = nullptr;  // null: no entity tagging
  bool keep_tokens = true;         // false drops tokens after tagging (saves memory)
  // Also find discovered actors (analyzers/discovery.h); needs `tagger`.
  // Off for indexing: the index holds gazetteer actors only.
  bool discover = false;
  // Tokenise and tag at most this many passages at a time and keep no
  // tokens (Article::windowed; passage_tokens() gives them again): the
  // tokens of a very large file at once take many times its size. A short
  // form ("Kim") is then resolved only to the actors its window names in
  // full. 0: the whole article at once. Discovery needs the whole article
  // and is skipped when windows are used.
  std::size_t window_passages = 0;
};

struct Article {
  std::string path;   // as given
  std::string id;     // identity in the index: path relative to the corpus root, or a JSONL id
  Format format = Format::text;
  DecodeResult decoded;  // decoded.text is the raw decoded text (before format stripping)
  std::string text;      // the body: decoded text with markup/front matter removed
  // Where the body lies byte for byte in the file, when it does (UTF-8 with
  // LF line ends, with or without a BOM or front matter): a passage's text is
  // then the file's bytes at raw_base + start. Unset for JSON Lines records.
  std::optional<std::uint64_t> raw_base;
  Metadata metadata;
  std::vector<Passage> passages;
  std::vector<std::vector<Token>> tokens;  // per passage, article-relative offsets
  std::vector<Mention> mentions;           // in text order
  std::vector<DiscoveredActor> discovered;  // with options.discover only
  // Tokenised window by window (AnalyzeOptions::window_passages): `tokens`
  // is empty, and passage_tokens() tokenises a passage again.
  bool windowed = false;
  bool ok() const { return decoded.status == DecodeStatus::ok; }
};

// Decodes, reads the format, extracts metadata, splits passages, tokenises
// each passage and tags actors. A file that cannot be decoded comes back with
// decoded.status != ok and no passages; it never throws for bad content.
Article analyze_article(std::string_view bytes, std::string path, std::string id,
                        const AnalyzeOptions& options);

// The tokens of passage `i` of `article`, as the analysis made them
// (article-relative offsets).
std::vector<Token> passage_tokens(const Article& article, std::size_t i);

// Same, for text already decoded (JSON Lines input): title/date/authors given
// by the record are passed in `stated` and take precedence.
Article analyze_text(std::string text, std::string id, Metadata stated, const AnalyzeOptions& options);

}  // namespace lipsteeth::analyzers
