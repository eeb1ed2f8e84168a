// Spelling variants of English folded onto one form before stemming: British
// spellings onto American ones ("organisation", "defence", "programme",
// "travelled"), and accented loanwords kept out of the stems of English words
// ("détente", folded to "detente", is not "detention"). The tables come from
// SCOWL's word lists (scripts/make-spelling-table.py); see docs/search.md.
#pragma once

#include <string>
#include <string_view>

#include <xapian.h>

namespace lipsteeth::analyzers {

// The American spelling of a folded word (lower case, accents removed), or the
// word itself when it has none. Forms no list holds are folded by the root of
// their -ise verb: "denuclearisation" -> "denuclearization" (from "denuclearise").
std::string american_spelling(std::string_view word);

// Whether a folded word is the plain form of an accented loanword that no
// English word spells so ("detente", "cliche", "emigre").
bool is_loanword(std::string_view word);

// Xapian's Snowball stemmer for `language`; for English, behind the spelling
// fold and the loanword rule, so that the indexer, the query parser and the
// highlighter stem alike.
Xapian::Stem folding_stem(const std::string& language);

}  // namespace lipsteeth::analyzers
