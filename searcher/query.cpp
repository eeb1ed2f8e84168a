#include "searcher/query.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <unordered_set>

#include "analyzers/tokenizer.h"

namespace lipsteeth::searcher {

namespace {

using analyzers::Token;

// Snowball's English stopword list (snowball.tartarus.org/algorithms/english/stop.txt),
// folded as the tokenizer folds (no apostrophes after possessive stripping).
// Sorted at compile time: a look-up is a binary search, and no set is built
// at start-up.
constexpr std::array kStopwords = [] {
  std::array<std::string_view, 174> w{
      "i", "me", "my", "myself", "we", "our", "ours", "ourselves", "you", "your", "yours",
      "yourself", "yourselves", "he", "him", "his", "himself", "she", "her", "hers", "herself",
      "it", "its", "itself", "they", "them", "their", "theirs", "themselves", "what", "which",
      "who", "whom", "this", "that", "these", "those", "am", "is", "are", "was", "were", "be",
      "been", "being", "have", "has", "had", "having", "do", "does", "did", "doing", "would",
      "should", "could", "ought", "i'm", "you're", "he's", "she's", "it's", "we're", "they're",
      "i've", "you've", "we've", "they've", "i'd", "you'd", "he'd", "she'd", "we'd", "they'd",
      "i'll", "you'll", "he'll", "she'll", "we'll", "they'll", "isn't", "aren't", "wasn't",
      "weren't", "hasn't", "haven't", "hadn't", "doesn't", "don't", "didn't", "won't",
      "wouldn't", "shan't", "shouldn't", "can't", "cannot", "couldn't", "mustn't", "let's",
      "that's", "who's", "what's", "here's", "there's", "when's", "where's", "why's", "how's",
      "a", "an", "the", "and", "but", "if", "or", "because", "as", "until", "while", "of", "at",
      "by", "for", "with", "about", "against", "between", "into", "through", "during", "before",
      "after", "above", "below", "to", "from", "up", "down", "in", "out", "on", "off", "over",
      "under", "again", "further", "then", "once", "here", "there", "when", "where", "why",
      "how", "all", "any", "both", "each", "few", "more", "most", "other", "some", "such", "no",
      "nor", "not", "only", "own", "same", "so", "than", "too", "very"};
  std::sort(w.begin(), w.end());
  return w;
}();

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

// Double quotation marks QueryParser should see as '"'.
std::size_t quote_len(std::string_view s, std::size_t i) {
  if (s[i] == '"') return 1;
  static constexpr std::array<std::string_view, 5> kQuotes{"\u201C", "\u201D", "\u201E", "\u00AB", "\u00BB"};
  for (auto q : kQuotes)
    if (s.substr(i, q.size()) == q) return q.size();
  return 0;
}

bool is_operator(std::string_view w) {
  if (w == "AND" || w == "OR" || w == "NOT" || w == "XOR" || w == "NEAR" || w == "ADJ") return true;
  for (std::string_view op : {std::string_view("NEAR/"), std::string_view("ADJ/")}) {
    if (w.size() > op.size() && w.substr(0, op.size()) == op &&
        std::all_of(w.begin() + static_cast<std::ptrdiff_t>(op.size()), w.end(),
                    [](char c) { return c >= '0' && c <= '9'; }))
      return true;
  }
  return false;
}

std::string lower_ascii(std::string_view s) {
  std::string r(s);
  for (char& c : r)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return r;
}

// What the lexer produces before aliases are found.
struct Item {
  enum class Kind { raw, group } kind = Kind::raw;
  std::string raw;                 // Kind::raw: copied to the output
  bool glue_next = false;          // raw: no space between this and the next item
  std::vector<std::string> terms;  // group: the folded parts (one for a plain word)
  Range surface;
  bool capitalised = false;
  bool quoted = false, negated = false, wildcard = false, title = false;
  char sign = 0;  // '+' or '-' written before the word
  int alias = -1;
  int phrase = -1;
  bool alias_continued = false;  // group absorbed into the previous group's alias
  bool positional = false;       // an operand of NEAR or ADJ: its words as written (positions)
};

// Groups tokens of one run into words: a hyphenated word's parts form one group
// (its compound token is dropped: QueryParser's phrase of parts matches it).
void add_groups(std::string_view run, std::uint32_t base, std::vector<Item>& items, const Item& proto) {
  analyzers::TokenizeOptions topt;
  topt.base = base;
  topt.compounds = true;
  std::vector<Token> tokens = analyzers::tokenize(run, topt);
  for (std::size_t i = 0; i < tokens.size();) {
    Item g = proto;
    g.kind = Item::Kind::group;
    if (tokens[i].kind == Token::Kind::compound) {
      const Token& c = tokens[i];
      g.surface = {c.start, c.end};
      g.capitalised = c.capitalised;
      ++i;
      while (i < tokens.size() && tokens[i].kind == Token::Kind::part && tokens[i].start < c.end) {
        g.terms.push_back(tokens[i].term);
        ++i;
      }
    } else {
      g.surface = {tokens[i].start, tokens[i].end};
      g.capitalised = tokens[i].capitalised;
      g.terms.push_back(tokens[i].term);
      ++i;
    }
    if (!g.terms.empty()) items.push_back(std::move(g));
  }
}

bool plain_for_alias(const Item& it) {
  return it.kind == Item::Kind::group && !it.quoted && !it.wildcard && !it.title && !it.positional;
}

// The words next to NEAR and ADJ are matched by position, which an actor's
// term and a word's stem do not have: they stay words, not aliases.
void mark_positional(std::vector<Item>& items) {
  for (std::size_t i = 0; i < items.size(); ++i) {
    const Item& op = items[i];
    if (op.kind != Item::Kind::raw || !(op.raw.rfind("NEAR", 0) == 0 || op.raw.rfind("ADJ", 0) == 0)) continue;
    // One word on each side (a hyphenated word is one group).
    if (i > 0 && items[i - 1].kind == Item::Kind::group) items[i - 1].positional = true;
    if (i + 1 < items.size() && items[i + 1].kind == Item::Kind::group) items[i + 1].positional = true;
  }
}

// Marks the longest runs of words that name an actor (the index's lexicon
// holds every alias as the query side folds it).
void find_aliases(std::vector<Item>& items, const analyzers::ActorLexicon& lexicon, NormalizedQuery& q) {
  if (lexicon.empty()) return;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (!plain_for_alias(items[i])) continue;
    // Longest run of groups starting at i whose terms name an actor.
    std::string words;
    std::size_t n_terms = 0;
    std::size_t best_end = 0;
    std::string best_id;
    std::vector<std::string> terms, best_terms;
    for (std::size_t j = i; j < items.size() && plain_for_alias(items[j]); ++j) {
      if (j > i && items[j].sign) break;  // "+a -b" are two clauses
      for (const auto& t : items[j].terms) {
        if (!words.empty()) words += ' ';
        words += t;
        terms.push_back(t);
        ++n_terms;
      }
      if (n_terms > lexicon.longest_alias()) break;
      std::string_view id = lexicon.alias_words(words);
      if (id.empty()) continue;
      // "us", "un": pronoun or French article unless capitalised.
      if (j == i && terms.size() == 1 && terms[0].size() <= 3 && !items[i].capitalised) continue;
      best_end = j + 1;
      best_id = std::string(id);
      best_terms = terms;
    }
    if (best_end == 0) continue;
    AliasUse use;
    use.actor_id = best_id;
    use.terms = best_terms;
    use.surface = {items[i].surface.start, items[best_end - 1].surface.end};
    use.negated = items[i].negated;
    const int index = static_cast<int>(q.aliases.size());
    q.aliases.push_back(std::move(use));
    for (std::size_t k = i; k < best_end; ++k) {
      items[k].alias = index;
      items[k].alias_continued = k > i;
    }
    i = best_end - 1;
  }
}

std::string join_terms(const std::vector<std::string>& terms) {
  std::string s;
  for (const auto& t : terms) {
    if (!s.empty()) s += '-';
    s += t;
  }
  return s;
}

}  // namespace

bool is_stopword(std::string_view folded_term) {
  return std::binary_search(kStopwords.begin(), kStopwords.end(), folded_term);
}

NormalizedQuery normalize_query(std::string_view raw, const analyzers::ActorLexicon* lexicon) {
  NormalizedQuery q;
  std::vector<Item> items;
  bool in_quote = false;
  bool quote_title = false;  // the open quote belongs to title:
  bool negate_next = false;  // after NOT
  int phrases = 0;
  const std::size_t n = raw.size();
  std::size_t i = 0;

  auto push_raw = [&](std::string s, bool glue = false) {
    Item r;
    r.raw = std::move(s);
    r.glue_next = glue;
    items.push_back(std::move(r));
  };

  while (i < n) {
    if (is_space(raw[i])) {
      ++i;
      continue;
    }
    if (std::size_t ql = quote_len(raw, i)) {
      if (!in_quote) {
        push_raw("\"", true);
        in_quote = true;
        ++phrases;
      } else {
        // Closing quote: glue it to the previous item.
        if (!items.empty() && items.back().kind == Item::Kind::raw && items.back().raw == "\"") {
          items.pop_back();  // empty phrase ""
        } else {
          push_raw("\"");
          if (items.size() >= 2) items[items.size() - 2].glue_next = true;
        }
        in_quote = false;
        quote_title = false;
        negate_next = false;
      }
      q.has_operators = true;
      i += ql;
      continue;
    }
    if (raw[i] == '(' || raw[i] == ')') {
      if (!in_quote) {
        push_raw(std::string(1, raw[i]), raw[i] == '(');
        if (raw[i] == ')' && items.size() >= 2) items[items.size() - 2].glue_next = true;
        q.has_operators = true;
      }
      ++i;
      continue;
    }
    // A run: up to whitespace, a quote or a parenthesis.
    std::size_t j = i;
    while (j < n && !is_space(raw[j]) && !quote_len(raw, j) && raw[j] != '(' && raw[j] != ')') ++j;
    std::string_view run = raw.substr(i, j - i);
    const auto base = static_cast<std::uint32_t>(i);
    i = j;

    if (in_quote) {
      Item proto;
      proto.quoted = true;
      proto.phrase = phrases - 1;
      proto.title = quote_title;
      proto.negated = negate_next;
      add_groups(run, base, items, proto);
      continue;
    }
    if (is_operator(run)) {
      push_raw(std::string(run));
      negate_next = run == "NOT";
      q.has_operators = true;
      continue;
    }
    Item proto;
    proto.negated = negate_next;
    negate_next = false;
    std::size_t k = 0;
    while (k < run.size() && (run[k] == '+' || run[k] == '-')) ++k;
    if (k > 0 && k < run.size()) {
      proto.sign = run[k - 1];
      if (proto.sign == '-') proto.negated = true;
      q.has_operators = true;
    }
    std::string_view rest = run.substr(k);
    const auto rest_base = static_cast<std::uint32_t>(base + k);

    // Field prefixes.
    auto colon = rest.find(':');
    if (colon != std::string_view::npos && colon > 0) {
      std::string field = lower_ascii(rest.substr(0, colon));
      std::string_view value = rest.substr(colon + 1);
      if (field == "actor" || field == "year" || field == "author") {
        std::vector<std::string>& values =
            field == "actor" ? q.actor_values : field == "year" ? q.year_values : q.author_values;
        std::string sign = proto.sign ? std::string(1, proto.sign) : std::string();
        if (value.empty() && i < n && quote_len(raw, i)) {
          // actor:"Kim Jong Un": copy the quoted value as it is.
          std::size_t ql = quote_len(raw, i);
          std::size_t e = i + ql;
          while (e < n && !quote_len(raw, e)) ++e;
          std::string v(raw.substr(i + ql, e - i - ql));
          if (e < n) e += quote_len(raw, e);
          i = e;
          std::string cleaned_v;
          for (char c : v) cleaned_v += (c == '"') ? ' ' : c;
          values.push_back(cleaned_v);
          push_raw(sign + field + ":\"" + cleaned_v + "\"");
        } else if (!value.empty()) {
          values.push_back(std::string(value));
          push_raw(sign + field + ":" + std::string(value));
        }
        continue;
      }
      if (field == "title") {
        std::string sign = proto.sign ? std::string(1, proto.sign) : std::string();
        proto.sign = 0;
        proto.title = true;
        if (value.empty()) {
          if (i < n && quote_len(raw, i)) {
            push_raw(sign + "title:", true);
            quote_title = true;
          }
          continue;
        }
        push_raw(sign + "title:", true);
        rest = value;
        const std::size_t before = items.size();
        add_groups(rest, static_cast<std::uint32_t>(rest_base + colon + 1), items, proto);
        // title:a-b keeps one clause; title:a,b is read as title:a b.
        for (std::size_t g = before + 1; g < items.size(); ++g) items[g].title = false;
        continue;
      }
    }
    // Wildcard: word* (a '*' elsewhere is punctuation).
    bool wildcard = false;
    if (rest.size() > 1 && rest.back() == '*') {
      wildcard = true;
      while (!rest.empty() && rest.back() == '*') rest.remove_suffix(1);
    }
    const std::size_t before = items.size();
    add_groups(rest, rest_base, items, proto);
    if (items.size() > before) {
      // The sign belongs to the first word, the wildcard to the last.
      for (std::size_t g = before + 1; g < items.size(); ++g) items[g].sign = 0;
      if (wildcard) items.back().wildcard = true;
    }
  }
  if (in_quote) {
    // Unbalanced quote: close it.
    if (!items.empty() && items.back().kind == Item::Kind::raw && items.back().raw == "\"") {
      items.pop_back();
    } else {
      push_raw("\"");
      if (items.size() >= 2) items[items.size() - 2].glue_next = true;
    }
  }

  mark_positional(items);
  if (lexicon) find_aliases(items, *lexicon, q);

  // Emit.
  bool glue = true;
  auto emit = [&](std::string& out, std::string_view s, bool& g) {
    if (!g && !out.empty()) out += ' ';
    out += s;
  };
  for (const Item& it : items) {
    if (it.kind == Item::Kind::raw) {
      emit(q.text, it.raw, glue);
      glue = it.glue_next;
      continue;
    }
    // Words.
    for (std::size_t k = 0; k < it.terms.size(); ++k) {
      QueryWord w;
      w.term = it.terms[k];
      w.surface = it.surface;
      w.quoted = it.quoted;
      w.negated = it.negated;
      w.wildcard = it.wildcard && k + 1 == it.terms.size();
      w.title = it.title;
      w.alias = it.alias;
      w.phrase = it.phrase;
      q.words.push_back(std::move(w));
    }
    if (it.alias_continued) continue;
    std::string s;
    if (it.sign) s += it.sign;
    if (it.alias >= 0) {
      s += std::string(kAliasField) + ":" + std::to_string(it.alias);
    } else {
      s += join_terms(it.terms);
      if (it.wildcard) s += '*';
    }
    emit(q.text, s, glue);
    glue = it.glue_next;
    if (!it.negated) {
      std::string c = it.alias >= 0 ? std::string(kAliasField) + ":" + std::to_string(it.alias)
                                    : join_terms(it.terms);
      if (!q.cleaned.empty()) q.cleaned += ' ';
      q.cleaned += c;
    }
  }
  return q;
}

}  // namespace lipsteeth::searcher
