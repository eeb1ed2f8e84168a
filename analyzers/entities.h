// Actors: the gazetteer (data/actors.tsv) and the alias-aware tagger.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "analyzers/passages.h"
#include "analyzers/tokenizer.h"

namespace lipsteeth::analyzers {

struct Actor {
  std::string id;    // stable, lowercase ascii, e.g. "kim-jong-un"
  std::string name;  // canonical display name, e.g. "Kim Jong-un"
  std::string type;  // person | organization | state | event | weapon | programme | place
  std::vector<std::string> aliases;  // every surface form, canonical name included
  // Forms that name the actor only in article context ("Xi", "Kim", "the
  // North"): tagged when an actor they may stand for is named in full in the
  // same article (docs/gazetteer.md "Short forms"). Not in `aliases`.
  std::vector<std::string> short_forms;
  // For a capital city (a place): the id of its state. The bare city name then
  // tags the state unless used as a place (docs/gazetteer.md "Capitals").
  std::string capital_of;
};

class Gazetteer {
 public:
  // Parses the TSV format documented in docs/gazetteer.md. Throws
  // lipsteeth::InputError naming `origin` and the line on malformed input.
  static Gazetteer parse(std::string_view tsv, std::string_view origin);
  // Reads and parses a file; throws InputError when it cannot be read.
  static Gazetteer load(const std::string& path);
  // The default gazetteer: $LIPSTEETH_ACTORS when set, else actors.tsv in
  // the data folders (analyzers/data_files.h: $LIPSTEETH_DATA_DIR, the
  // installed share/lipsteeth, the source tree's data/ for a binary in its
  // build tree). Returns "" when none exists.
  static std::string default_path();
  // default_path(), or a UsageError saying where it looked and what to do.
  static std::string require_default_path();

  const std::vector<Actor>& actors() const { return actors_; }
  const Actor* find_id(std::string_view id) const;
  // Resolves any alias, the id or the name (folded, as the tagger folds).
  const Actor* find_alias(std::string_view alias) const;
  // Closest known actors to `name` (for "unknown actor" messages).
  std::vector<const Actor*> suggest(std::string_view name, std::size_t max = 3) const;
  // A stable digest of the content (stored in the index: a changed gazetteer
  // forces re-indexing).
  std::string digest() const { return digest_; }
  // The text the gazetteer was parsed from (stored in the index), and its origin.
  const std::string& source() const { return source_; }
  const std::string& origin() const { return origin_; }

 private:
  // find_alias()'s keys, made on its first call (shared by copies; the
  // actors never change after parse).
  struct AliasIndex;
  const AliasIndex& alias_index() const;

  std::vector<Actor> actors_;
  std::string digest_;
  std::string source_;
  std::string origin_;
  std::shared_ptr<std::once_flag> alias_once_ = std::make_shared<std::once_flag>();
  std::shared_ptr<std::shared_ptr<const AliasIndex>> alias_index_ =
      std::make_shared<std::shared_ptr<const AliasIndex>>();
};

struct Mention {
  std::uint32_t actor = 0;    // index into Gazetteer::actors()
  std::uint32_t start = 0;    // byte range in the article text
  std::uint32_t end = 0;
  std::uint32_t passage = 0;  // passage ordinal
  std::string surface;        // the text as written
};

class Tagger {
 public:
  explicit Tagger(const Gazetteer& gazetteer);
  ~Tagger();
  Tagger(Tagger&&) noexcept;
  // Tags one article. `text` is the article body; `passages` its passages;
  // `tokens[i]` the tokens of passage i (article-relative offsets, as
  // tokenize() returns them with base = passage start). Resolves short forms
  // in article context. Mentions come out in text order, byte ranges in
  // `text` (a possessive 's excluded). Rules: docs/gazetteer.md. Safe to call
  // from several threads at once (working memory is per thread); throws only
  // std::bad_alloc.
  std::vector<Mention> tag(std::string_view text, const std::vector<Passage>& passages,
                           const std::vector<std::vector<Token>>& tokens) const;
  const Gazetteer& gazetteer() const { return gazetteer_; }

 private:
  struct Impl;
  const Gazetteer& gazetteer_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace lipsteeth::analyzers
