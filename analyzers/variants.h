// Spellings of a name that follow from a rule rather than from a list:
// romanisation variants of Korean and Chinese names, and the short forms a
// person's full name implies (docs/gazetteer.md "Variants by rule" and
// "Derived short forms").
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace lipsteeth::analyzers {

// Other spellings of `alias` (an actor's name or alias, type as in the
// gazetteer) that the romanisation rules give, the alias itself excluded:
//   Korean words (only words that split into Korean syllables): ong/ung
//   (Jong/Jung, Il-sung/Il-song),
//   -un/-eun, Il/Ill, eo/o (Gaeseong/Kaesong), initial g/k, d/t, b/p, j/ch,
//   initial ny/y (Nyongbyon/Yongbyon);
//   Chinese names of persons and places written in pinyin, every word
//   pinyin: the Wade-Giles form (Mao Zedong -> Mao Tse-tung, Zhou Enlai ->
//   Chou En-lai).
// At most `max` variants, in a stable order. Hyphens, spaces and case need no variant: the tagger folds
// them (alias_text.h).
std::vector<std::string> romanisation_variants(std::string_view alias, std::string_view type, std::size_t max = 12);

// Whether `word` (ASCII letters, any case; apostrophes and diacritics
// ignored) splits wholly into syllables of Korean romanisation.
bool korean_shaped(std::string_view word);
// Whether `word` splits wholly into pinyin syllables.
bool pinyin_shaped(std::string_view word);

// Short forms implied by a person's canonical name, for coreference inside
// an article: the surname ("Bush", "Kim", "Xi": the first word of a Korean
// or Chinese name, else the last word; both words of a two-word name that
// could be either order, "Sung Kim"). A title before it needs no form of its
// own: in "President Bush", "Mr. Sullivan", "Gen. Kim" the surname is the
// mention. Empty for a name of one word.
std::vector<std::string> derived_short_forms(std::string_view name);

}  // namespace lipsteeth::analyzers
