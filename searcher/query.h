// Query text -> what Xapian's QueryParser reads, folded as the index is.
//
// The index holds terms folded by analyzers::tokenize() ("U.S." -> "us",
// possessive 's stripped, curly apostrophes folded, hyphenated words as their
// parts). Xapian's QueryParser folds differently, so the query text is
// rewritten first: every word is replaced by its folded form, hyphenated words
// by their folded parts joined with '-' (which QueryParser reads as a phrase),
// while operators (AND OR NOT XOR NEAR ADJ, + - ( ) " *) and field prefixes
// (title: actor: year: author:) are kept. Punctuation QueryParser has no use for
// becomes a space. Words naming an actor in any of its aliases become a
// placeholder `<kAliasField>:<n>` that the searcher expands into "the words
// as written, or the actor's XACT term".
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "analyzers/lexicon.h"
#include "searcher/range.h"

namespace lipsteeth::searcher {

// Field name of the alias placeholder in NormalizedQuery::text.
inline constexpr const char* kAliasField = "xlsalias";

// One word of the query as the index spells it.
struct QueryWord {
  std::string term;      // folded, unprefixed ("sanctioned", "six", "us")
  Range surface;         // bytes of the raw query it came from
  bool quoted = false;   // inside "..." (matched as written, not stemmed)
  bool negated = false;  // after NOT or '-' (must not match)
  bool wildcard = false; // followed by '*': term is a prefix
  bool title = false;    // under title:
  int alias = -1;        // index into NormalizedQuery::aliases, or -1
  int phrase = -1;       // quoted: which phrase (0, 1, ...) it belongs to
};

// A run of words naming an actor.
struct AliasUse {
  std::string actor_id;            // gazetteer id
  std::vector<std::string> terms;  // the folded words as written ("kim", "jong", "un")
  Range surface;                   // bytes of the raw query
  bool negated = false;
};

struct NormalizedQuery {
  std::string text;     // for QueryParser, with FLAG_BOOLEAN | FLAG_PHRASE | ...
  std::string cleaned;  // only the words (and alias placeholders): the fallback
                        // when `text` does not parse
  std::vector<QueryWord> words;
  std::vector<AliasUse> aliases;
  // Values given to actor:, year: and author: (as written), for highlighting and messages.
  std::vector<std::string> actor_values;
  std::vector<std::string> year_values;
  std::vector<std::string> author_values;
  bool has_operators = false;  // the user wrote AND/OR/NOT/XOR/NEAR/ADJ, + or -, ( )
};

// Rewrites `raw` (UTF-8). `lexicon` may be null (no alias detection).
// A single-word alias of at most 3 letters ("US", "UN") is only recognised
// when written with a capital, so that "us" stays a pronoun. Never throws for
// any input.
NormalizedQuery normalize_query(std::string_view raw, const analyzers::ActorLexicon* lexicon);

// English stopwords (Snowball's list): dropped from "all words" and from
// proximity, kept in phrases.
bool is_stopword(std::string_view folded_term);

}  // namespace lipsteeth::searcher
