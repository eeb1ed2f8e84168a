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
// Parsing is one pass that records where the lines are; look-ups are binary
// searches over them.
#pragma once

#include <cstddef>
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
  // Reads the stored form. Throws lipsteeth::InputError when it is malformed.
  static ActorLexicon parse(std::string text);

  ActorLexicon(const ActorLexicon& other) { *this = other; }
  ActorLexicon& operator=(const ActorLexicon& other);
  ActorLexicon(ActorLexicon&&) noexcept = default;
  ActorLexicon& operator=(ActorLexicon&&) noexcept = default;

  // The stored form.
  const std::string& text() const { return text_; }
  bool empty() const { return actors_.empty(); }
  std::size_t size() const { return actors_.size(); }

  // An actor by id; false when unknown.
  bool find_id(std::string_view id, ActorInfo& out) const;
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
  // Rebuilds the line indexes over text_.
  void index();
  struct Line {
    std::string_view key, id, extra1, extra2;
  };
  static const Line* find(const std::vector<Line>& lines, std::string_view key);

  std::string text_;
  std::vector<Line> actors_, terms_, keys_;
  std::size_t longest_ = 0;
};

}  // namespace lipsteeth::analyzers
