// The actor lexicon: what a search needs of the gazetteer, precompiled at
// index time and stored in the index (schema::kMetaLexicon), so that a search
// resolves aliases and names without parsing the gazetteer or running the word
// breaker over its aliases.
//
// The stored form is text, one record a line, in three sorted sections:
//   A <tab> id <tab> name <tab> type          every actor (sorted by id)
//   T <tab> folded words <tab> id             an alias as the query side folds it
//                                             ("kim jong un"); the first actor
//                                             of the gazetteer listing it wins
//   K <tab> lookup key <tab> id               what find_alias() compares: the
//                                             folded words joined ("kimjongun"),
//                                             for aliases, ids and short forms
//                                             that name one actor only
// The first line is "lipsteeth-lexicon 1 N", N the most words of any alias.
// Reading it only finds where the sections start (binary searches by tag) and
// where each actor's line starts; look-ups are binary searches over the text
// itself (a search makes a handful, so indexing the thousands of lines first
// would cost more than all of them). The text may be another object's memory
// (the passage column's mapping, analyzers/passage_column.h): no copy.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "analyzers/entities.h"

namespace lipsteeth::analyzers {

class ActorLexicon {
 public:
  struct ActorInfo {
    std::string_view id;
    std::string_view name;
    std::string_view type;
  };

  ActorLexicon() = default;
  // Compiles a gazetteer.
  static ActorLexicon build(const Gazetteer& gazetteer);
  // Reads the stored form. Throws lipsteeth::InputError when its header or
  // sections are not there ("" gives an empty lexicon).
  static ActorLexicon parse(std::string text);
  // The same over `text` kept alive by `keep` (read in place, not copied).
  static ActorLexicon view(std::string_view text, std::shared_ptr<const void> keep);

  // The stored form.
  std::string_view text() const { return text_; }
  bool empty() const { return actors_.first == actors_.second; }
  // Number of actors.
  std::size_t size() const { return actor_lines_.size(); }

  // Every actor, in the stored order (sorted by id): an actor's position here
  // is its rank, the number the index stores for it (schema::PassageValue).
  std::vector<ActorInfo> actors() const;
  // The actor of a rank (its place in actors()); false when out of range.
  bool actor_at(std::size_t rank, ActorInfo& out) const;
  // An actor by id; false when unknown.
  bool find_id(std::string_view id, ActorInfo& out) const;
  // The rank of an actor id (its place in actors()); false when unknown.
  bool rank_of(std::string_view id, std::size_t& rank) const;
  // The actor an alias, id or name names, folded as the tagger folds ("Kim
  // Jong Un", "kim-jong-un", "DPRK"); false when none or several.
  bool find_alias(std::string_view alias, ActorInfo& out) const;
  // The actor id whose alias is exactly these folded query words joined by
  // spaces ("kim jong un"); "" when none.
  std::string_view alias_words(std::string_view words) const;
  // The most words any alias has.
  std::size_t longest_alias() const { return longest_; }

  // The lookup key of a text: its folded words joined, apostrophes dropped
  // (hyphenated words by their parts).
  static std::string lookup_key(std::string_view text);

 private:
  using Section = std::pair<std::size_t, std::size_t>;  // byte range of text_
  // The line of `section` whose key (the field after the tag) is `key`; "" when none.
  std::string_view find(Section section, std::string_view key) const;

  std::shared_ptr<const void> keep_;  // owns the memory text_ shows
  std::string_view text_;
  Section actors_{0, 0}, terms_{0, 0}, keys_{0, 0};
  std::vector<std::uint32_t> actor_lines_;  // where each A line starts in text_ (found by memchr)
  std::size_t longest_ = 0;
};

// For each actor of `gazetteer` (in its order), its rank in the lexicon that
// ActorLexicon::build(gazetteer) makes: the number stored for it in the index.
std::vector<std::uint32_t> actor_ranks(const Gazetteer& gazetteer);

}  // namespace lipsteeth::analyzers
