// Discovered actors: names no gazetteer holds, found in one article by the
// evidence around them (docs/gazetteer.md "Discovered actors"). Kept apart
// from gazetteer actors: they have no id, only a name, a type and the
// evidence that made them actors.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "analyzers/entities.h"
#include "analyzers/passages.h"
#include "analyzers/tokenizer.h"

namespace lipsteeth::analyzers {

struct DiscoveredMention {
  std::uint32_t start = 0;  // byte range in the article text
  std::uint32_t end = 0;
  std::uint32_t passage = 0;
  std::string surface;
};

struct DiscoveredActor {
  std::string name;  // the fullest form the article writes
  std::string type;  // person | organization
  // Why it is an actor, one or more of: korean-name (surname + hyphenated
  // given name: "Kim Soo-yeon"), chinese-name, title ("Dr", "Professor",
  // "spokesperson" before it), said ("said Hong Min", "Hong Min said"),
  // apposition ("Hong Min, a researcher"), byline ("By Chung Binna"),
  // acronym (a name defined with its initials: "Agence France-Presse (AFP)"),
  // org-word (a name ending in an organisation's word: "Massey University",
  // "Green Pine Associated Corp.", or starting "Institute for ...").
  std::vector<std::string> evidence;
  std::vector<std::string> surfaces;        // distinct forms, first seen first
  std::vector<DiscoveredMention> mentions;  // in text order
};

// Finds the discovered actors of one article. `text`, `passages` and
// `tokens` as for Tagger::tag(); `tagged`: the gazetteer mentions tag()
// returned (a name overlapping one is not discovered; a state or place
// tagged as the first word of a discovered organisation, "China" in "China
// Earthquake Administration", is removed from `tagged`). `gazetteer`: names
// it knows by any alias are not discovered. Order: first mention first.
// Throws only std::bad_alloc.
std::vector<DiscoveredActor> discover_actors(std::string_view text, const std::vector<Passage>& passages,
                                             const std::vector<std::vector<Token>>& tokens,
                                             std::vector<Mention>& tagged, const Gazetteer& gazetteer);

}  // namespace lipsteeth::analyzers
