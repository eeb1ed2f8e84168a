// Discovered actors (discovery.h).
//
// A candidate is a run of capitalised words joined by single spaces (an
// organisation's name may also hold "of", "for", "and", "on", "the" between
// capitalised words). A run becomes an actor only with evidence: the shape
// of a Korean name with its hyphenated given name, or a cue next to it (a
// title or office before it, "said" beside it, an apposition after it, a
// byline), or, for an organisation, the word it ends with or the acronym the
// text defines for it. Without evidence nothing is discovered, so that the
// capitalised words of headlines, sentence starts and places stay out.
#include "analyzers/discovery.h"

#include <algorithm>
#include <cctype>
#include <unordered_map>
#include <unordered_set>

#include "analyzers/alias_text.h"
#include "analyzers/variants.h"

namespace lipsteeth::analyzers {
namespace {

using detail::strip_possessive;
using Set = std::unordered_set<std::string_view>;

// Built on first use (see tagger.cpp's locative_words()).
const Set& korean_surnames() {
  static const Set s{"kim", "lee", "park", "choi", "jung", "chung", "kang", "cho", "yoon", "yun", "jang", "chang",
                     "lim", "im", "han", "oh", "seo", "suh", "shin", "kwon", "hwang", "ahn", "an", "song", "jeon",
                     "chun", "hong", "yoo", "yu", "ko", "moon", "yang", "son", "bae", "baek", "heo", "nam", "shim",
                     "noh", "roh", "ha", "kwak", "sung", "cha", "joo", "woo", "koo", "min", "ryu", "na", "jin", "ji",
                     "eom", "um", "chae", "won", "bang", "gong", "hyun", "wi", "choe", "ri", "rhee", "yi", "pak",
                     "jo", "ryang", "tae", "kye", "byun", "yeo", "chu", "pyo", "sohn", "kil", "do", "so", "o"};
  return s;
}

const Set& chinese_surnames() {
  static const Set s{"wang", "li", "zhang", "liu", "chen", "yang", "huang", "zhao", "wu", "zhou", "xu", "sun", "ma",
                     "zhu", "hu", "guo", "he", "gao", "lin", "luo", "zheng", "liang", "xie", "song", "tang", "han",
                     "feng", "deng", "cao", "peng", "zeng", "xiao", "tian", "dong", "pan", "yuan", "cai", "jiang",
                     "yu", "du", "ye", "cheng", "wei", "su", "lu", "ding", "ren", "shen", "yao", "fu", "fan", "xi",
                     "qin", "bo", "jia", "meng", "qiu", "geng", "hua", "kong", "mao", "zhai", "shi", "yan", "xing"};
  return s;
}

// Words before a name that say it is a person's.
const Set& person_cues() {
  static const Set s{"mr", "ms", "mrs", "dr", "prof", "professor", "president", "minister", "spokesperson",
                     "spokesman", "spokeswoman", "analyst", "researcher", "fellow", "reporter", "correspondent",
                     "ambassador", "envoy", "gen", "general", "senator", "sen", "rep", "lawmaker", "chairman",
                     "chairwoman", "director", "premier", "secretary", "lady", "commander", "colonel", "col", "adm",
                     "admiral", "lt", "captain", "capt", "vice", "deputy", "chief", "editor", "author", "expert",
                     "scholar", "lecturer", "diplomat", "official", "negotiator", "leader", "sir", "judge", "mayor",
                     "governor", "chancellor", "king", "queen", "prince", "defector", "writer", "columnist"};
  return s;
}

const Set& said_words() {
  static const Set s{"said", "says", "say", "told", "added", "noted", "wrote", "argued", "explained", "warned", "stated"};
  return s;
}

// Last words that make a run an organisation's name.
const Set& org_heads() {
  static const Set s{"university", "institute", "forum", "corp", "corporation", "company", "co", "inc", "ltd",
                     "agency", "ministry", "administration", "association", "foundation", "center", "centre",
                     "council", "committee", "commission", "bank", "group", "society", "bureau", "academy",
                     "department", "daily", "herald", "times", "broadcasting", "organization", "organisation",
                     "federation", "institution", "college", "school", "command", "fund", "trust", "party"};
  return s;
}

// First words of an organisation's name ("Institute for ...").
const Set& org_starts() {
  static const Set s{"university", "institute", "centre", "center", "ministry", "department", "bank", "office",
                     "council", "academy", "school", "college", "federation", "association", "committee"};
  return s;
}

// Capitalised words that start sentences or headings and are not names.
const Set& not_name_words() {
  static const Set s{"the", "a", "an", "in", "on", "at", "but", "and", "or", "this", "that", "these", "those", "it",
                     "its", "he", "she", "they", "we", "i", "if", "as", "for", "from", "to", "of", "by", "with",
                     "after", "before", "when", "while", "however", "meanwhile", "also", "his", "her", "their",
                     "our", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
                     "january", "february", "march", "april", "may", "june", "july", "august", "september",
                     "october", "november", "december", "north", "south", "east", "west", "korean", "chinese",
                     "american", "japanese", "russian", "there", "here", "what", "who", "why", "how", "not",
                     "no", "yes", "all", "some", "many", "most", "photo", "source", "news", "update", "breaking",
                     "read", "more", "full", "story", "copyright", "editor", "reporter", "image", "video",
                     "later", "earlier", "then", "now", "today", "yesterday", "tomorrow", "still", "yet", "so",
                     "because", "although", "though", "since", "until", "during", "despite", "both", "each",
                     "every", "another", "other", "such", "according", "under", "over", "about", "among",
                     "between", "without", "against", "toward", "towards", "through", "into", "across", "around",
                     "near", "like", "unlike", "instead", "indeed", "perhaps", "only", "even", "just", "first",
                     "last", "next", "former", "new", "analysts", "officials", "experts", "critics", "sources",
                     "residents", "people", "state", "media", "why", "where", "which", "whose", "you", "my"};
  return s;
}

const Set& connectors() {
  static const Set s{"of", "for", "and", "on", "the", "de"};
  return s;
}

struct Word {
  const Token* t;
  std::uint32_t passage;
};

bool capitalised_word(std::string_view text, const Token& t) {
  unsigned char c = static_cast<unsigned char>(text[t.start]);
  return c >= 'A' && c <= 'Z';
}

bool all_caps(std::string_view s) {
  bool any = false;
  for (unsigned char c : s) {
    if (c >= 'a' && c <= 'z') return false;
    any |= c >= 'A' && c <= 'Z';
  }
  return any;
}

// The text between two words of a name: one space, or a line break with
// the spaces around it (a name wrapped in its line), never a blank line.
bool one_space(std::string_view text, const Token& a, const Token& b) {
  if (b.start == a.end + 1) return text[a.end] == ' ';
  if (b.start <= a.end || b.start - a.end > 64) return false;
  int newlines = 0;
  for (std::uint32_t k = a.end; k < b.start; ++k) {
    char c = text[k];
    if (c == '\n') ++newlines;
    else if (c != ' ' && c != '\t' && c != '\r') return false;
  }
  return newlines == 1;
}

struct Found {
  std::uint32_t first, last;  // word indices, inclusive
  std::string type;
  std::string evidence;
  std::string acronym;
};

}  // namespace

std::vector<DiscoveredActor> discover_actors(std::string_view text, const std::vector<Passage>& passages,
                                             const std::vector<std::vector<Token>>& tokens,
                                             std::vector<Mention>& tagged, const Gazetteer& gazetteer) {
  (void)passages;
  // Words in text order: plain words and hyphenated compounds, not their parts.
  std::vector<Word> words;
  for (std::uint32_t p = 0; p < tokens.size(); ++p)
    for (const Token& t : tokens[p])
      if (t.kind != Token::Kind::part) words.push_back({&t, p});
  // Which words a gazetteer mention covers.
  std::vector<char> in_mention(words.size(), 0);
  {
    std::size_t m = 0;
    for (std::size_t i = 0; i < words.size(); ++i) {
      while (m < tagged.size() && tagged[m].end <= words[i].t->start) ++m;
      for (std::size_t k = m; k < tagged.size() && tagged[k].start < words[i].t->end; ++k)
        if (tagged[k].end > words[i].t->start) in_mention[i] = 1;
    }
  }
  // Which words are a whole one-word mention of a state or place.
  std::vector<char> place_word(words.size(), 0);
  {
    std::size_t m = 0;
    for (std::size_t w = 0; w < words.size(); ++w) {
      while (m < tagged.size() && tagged[m].end <= words[w].t->start) ++m;
      if (m < tagged.size() && tagged[m].start == words[w].t->start && tagged[m].end <= words[w].t->end) {
        const std::string& type = gazetteer.actors()[tagged[m].actor].type;
        place_word[w] = type == "state" || type == "place";
      }
    }
  }
  auto term = [&](std::size_t i) -> std::string_view { return words[i].t->term; };
  auto surface = [&](std::size_t i) { return text.substr(words[i].t->start, words[i].t->end - words[i].t->start); };
  auto cap = [&](std::size_t i) {
    return capitalised_word(text, *words[i].t) && !all_caps(surface(i)) && !not_name_words().count(term(i));
  };

  std::vector<Found> found;
  std::size_t i = 0;
  while (i < words.size()) {
    // A run starts at an untagged capitalised word, or at a state or place
    // tagged alone that may begin an organisation's name ("China Earthquake
    // Administration"); the latter is no person.
    bool starts_tagged = in_mention[i] && place_word[i];
    if (!cap(i) || (in_mention[i] && !starts_tagged)) {
      ++i;
      continue;
    }
    // A possessive before a name is its owner, not part of it ("Massey's
    // Centre for ...").
    while (!starts_tagged && i + 1 < words.size() && cap(i + 1) && one_space(text, *words[i].t, *words[i + 1].t) &&
           strip_possessive(surface(i)).size() < surface(i).size())
      ++i;
    // A title written before a name is its cue, not part of it ("Dr Marc
    // Lanteigne", "President Lee").
    while (!starts_tagged && i + 1 < words.size() && person_cues().count(term(i)) && cap(i + 1) && !in_mention[i + 1] &&
           one_space(text, *words[i].t, *words[i + 1].t))
      ++i;
    // The run of capitalised words from i (persons: names only; organisations
    // may go on through connectors and over tagged words inside them).
    std::size_t j = i;
    while (j + 1 < words.size() && cap(j + 1) && !in_mention[j + 1] && one_space(text, *words[j].t, *words[j + 1].t))
      ++j;
    std::size_t n = j - i + 1;
    // Cues around the run.
    std::string_view before = i > 0 ? term(i - 1) : std::string_view{};
    bool before_adjacent = i > 0 && words[i].t->start - words[i - 1].t->end <= 2;
    bool title = before_adjacent && person_cues().count(before);
    bool byline = before_adjacent && before == "by" && (i < 2 || words[i - 1].t->start == 0 || text[words[i - 1].t->start - 1] == '\n');
    bool said = (before_adjacent && said_words().count(before)) ||
                (j + 1 < words.size() && said_words().count(term(j + 1)) && words[j + 1].t->start == words[j].t->end + 1);
    std::string_view after = text.substr(words[j].t->end, 6);
    bool apposition = after.starts_with(", a ") || after.starts_with(", an ") || after.starts_with(", the ") ||
                      after.starts_with(", who");
    // ", ministry spokesperson,", ", director of ...": an office within the
    // next few words after the comma.
    if (!apposition && after.starts_with(", "))
      for (std::size_t k = j + 1; k < words.size() && k <= j + 4; ++k) {
        if (person_cues().count(term(k)) && !capitalised_word(text, *words[k].t)) {
          apposition = true;
          break;
        }
        if (text.substr(words[k - 1].t->end, words[k].t->start - words[k - 1].t->end).find_first_of(".;()") !=
            std::string_view::npos && k > j + 1)
          break;
      }
    bool cue = title || byline || said || apposition;
    std::string cue_name = title ? "title" : byline ? "byline" : said ? "said" : apposition ? "apposition" : "";
    bool person_found = false;
    if (n >= 2 && n <= 3 && !starts_tagged) {
      std::string_view first = term(i);
      bool hyphen_given = words[i + 1].t->kind == Token::Kind::compound && n == 2;
      bool ko_given = true;
      for (std::size_t k = i + 1; k <= j; ++k) {
        std::string given;
        for (char c : surface(k))
          if (c != '-') given += c;
        ko_given &= korean_shaped(given);
      }
      if (korean_surnames().count(first) && ko_given && (hyphen_given || cue)) {
        found.push_back({static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(j), "person",
                         hyphen_given ? "korean-name" : "korean-name " + cue_name, ""});
        person_found = true;
      } else if (n == 2 && chinese_surnames().count(first) && pinyin_shaped(surface(j)) && cue) {
        found.push_back({static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(j), "person", "chinese-name " + cue_name, ""});
        person_found = true;
      } else if (cue && !org_heads().count(term(j)) && !org_starts().count(first)) {
        found.push_back({static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(j), "person", cue_name, ""});
        person_found = true;
      }
    }
    if (!person_found) {
      // Organisations: extend through connectors and tagged words while
      // capitalised words follow.
      std::size_t e = j;
      while (e + 2 < words.size()) {
        std::size_t k = e + 1;
        bool joined = one_space(text, *words[e].t, *words[k].t);
        if (joined && connectors().count(term(k)) && !capitalised_word(text, *words[k].t)) {
          // "the" may follow "of" ("Band of the People's ...").
          std::size_t next = k + 1;
          if (next + 1 < words.size() && term(next) == "the" && one_space(text, *words[k].t, *words[next].t)) ++next;
          if (next < words.size() && one_space(text, *words[next - 1].t, *words[next].t) &&
              capitalised_word(text, *words[next].t) && !all_caps(surface(next))) {
            e = next;
            continue;
          }
          break;
        }
        if (joined && capitalised_word(text, *words[k].t) && !all_caps(surface(k))) {
          e = k;
          continue;
        }
        break;
      }
      std::string acronym;
      {
        std::string_view rest = text.substr(words[e].t->end);
        if (rest.starts_with(" (")) {
          std::size_t close = rest.find(')');
          if (close != std::string_view::npos && close > 2 && close < 10) {
            std::string_view a = rest.substr(2, close - 2);
            if (all_caps(a) && a.size() >= 2 &&
                std::all_of(a.begin(), a.end(), [](char c) { return std::isupper(static_cast<unsigned char>(c)) || c == '-' || c == '&'; })) {
              std::string initials;
              for (std::size_t k = i; k <= e; ++k)
                if (!connectors().count(term(k)) || capitalised_word(text, *words[k].t)) {
                  for (char c : surface(k))
                    if (std::isupper(static_cast<unsigned char>(c))) {
                      initials += c;
                      break;
                    }
                  // Capitals inside a hyphenated word count too ("France-Presse").
                  std::string_view s = surface(k);
                  for (std::size_t h = s.find('-'); h != std::string_view::npos && h + 1 < s.size(); h = s.find('-', h + 1))
                    if (std::isupper(static_cast<unsigned char>(s[h + 1]))) initials += s[h + 1];
                }
              std::string letters;
              for (char c : a)
                if (std::isupper(static_cast<unsigned char>(c))) letters += c;
              if (letters == initials || (letters.size() >= 2 && initials.find(letters) == 0 && letters.size() + 1 >= initials.size()))
                acronym = std::string(a);
            }
          }
        }
      }
      // An organisation's name ends at its last organisation word ("Grand
      // National Party Candidate" is the party).
      // A connector after the last one keeps the rest ("Centre for Defence
      // and Security Studies").
      if (acronym.empty() && !org_heads().count(term(e))) {
        for (std::size_t k = e; k > i; --k) {
          if (connectors().count(term(k)) && !capitalised_word(text, *words[k].t)) break;
          if (org_heads().count(term(k))) {
            e = k;
            break;
          }
        }
      }
      std::size_t words_in = e - i + 1;
      bool head = words_in >= 2 && org_heads().count(term(e));
      bool start = words_in >= 3 && org_starts().count(term(i)) && (term(i + 1) == "of" || term(i + 1) == "for");
      if (!acronym.empty() && words_in >= 2)
        found.push_back({static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(e), "organization", "acronym", acronym});
      else if (head || start)
        found.push_back({static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(e), "organization", "org-word", ""});
      j = std::max(j, e);
    }
    i = j + 1;
  }

  // Names the gazetteer knows are not discovered; the rest merge by name.
  std::vector<DiscoveredActor> out;
  std::unordered_map<std::string, std::size_t> by_name;
  auto add_mention = [&](DiscoveredActor& a, std::uint32_t start, std::uint32_t end, std::uint32_t passage) {
    std::string s(text.substr(start, end - start));
    if (std::find(a.surfaces.begin(), a.surfaces.end(), s) == a.surfaces.end()) a.surfaces.push_back(s);
    a.mentions.push_back({start, end, passage, std::move(s)});
  };
  for (const Found& f : found) {
    std::uint32_t start = words[f.first].t->start, end = words[f.last].t->end;
    std::string name(text.substr(start, end - start));
    if (gazetteer.find_alias(name)) continue;
    auto [it, fresh] = by_name.try_emplace(name, out.size());
    if (fresh) {
      out.push_back({name, f.type, {}, {}, {}});
    }
    DiscoveredActor& a = out[it->second];
    for (std::size_t s = 0, e; s < f.evidence.size(); s = e + 1) {
      e = f.evidence.find(' ', s);
      if (e == std::string::npos) e = f.evidence.size();
      std::string ev = f.evidence.substr(s, e - s);
      if (!ev.empty() && std::find(a.evidence.begin(), a.evidence.end(), ev) == a.evidence.end()) a.evidence.push_back(ev);
    }
    add_mention(a, start, end, words[f.first].passage);
    if (!f.acronym.empty() && std::find(a.surfaces.begin(), a.surfaces.end(), f.acronym) == a.surfaces.end())
      a.surfaces.push_back(f.acronym);
  }
  // Later short mentions: a person's surname (first word of a Korean or
  // Chinese name, else last), an organisation's acronym, as whole words.
  for (DiscoveredActor& a : out) {
    std::string key;
    if (a.type == "person") {
      std::vector<std::string> sf = derived_short_forms(a.name);
      if (sf.empty()) continue;
      key = fold_term(sf.front());
    } else if (a.surfaces.size() > 1 && all_caps(a.surfaces.back())) {
      key = fold_term(a.surfaces.back());
    } else {
      continue;
    }
    std::uint32_t first_end = a.mentions.front().end;
    for (std::size_t k = 0; k < words.size(); ++k) {
      const Token& t = *words[k].t;
      if (t.start < first_end || term(k) != key || in_mention[k] || !capitalised_word(text, t)) continue;
      bool inside = false;
      for (const DiscoveredMention& m : a.mentions) inside |= t.start >= m.start && t.end <= m.end;
      if (!inside) add_mention(a, t.start, t.end, words[k].passage);
    }
    std::sort(a.mentions.begin(), a.mentions.end(), [](const auto& x, const auto& y) { return x.start < y.start; });
  }
  // A state or place tagged as the first word of a discovered organisation
  // ("China" in "China Earthquake Administration") is part of its name.
  std::erase_if(tagged, [&](const Mention& m) {
    const std::string& type = gazetteer.actors()[m.actor].type;
    if (type != "state" && type != "place") return false;
    for (const DiscoveredActor& a : out)
      if (a.type == "organization")
        for (const DiscoveredMention& d : a.mentions)
          if (m.start == d.start && m.end < d.end) return true;
    return false;
  });
  return out;
}

}  // namespace lipsteeth::analyzers
