#include "analyzers/lexicon.h"

#include <algorithm>
#include <cstring>
#include <map>
#include <set>

#include <fmt/format.h>

#include "analyzers/error.h"
#include "analyzers/tokenizer.h"

namespace lipsteeth::analyzers {

namespace {

constexpr std::string_view kHeader = "lipsteeth-lexicon 1\n";

std::string folded_words(std::string_view alias) {
  TokenizeOptions topt;
  topt.compounds = false;  // "Kim Jong-un" -> kim jong un, as the query side sees it
  std::string words;
  for (const Token& t : tokenize(alias, topt)) {
    if (!words.empty()) words += ' ';
    words += t.term;
  }
  return words;
}

}  // namespace

std::string ActorLexicon::lookup_key(std::string_view text) {
  std::string k;
  for (const Token& t : tokenize(text)) {
    if (t.kind == Token::Kind::compound) continue;
    for (char c : t.term)
      if (c != '\'') k += c;
  }
  return k;
}

ActorLexicon ActorLexicon::build(const Gazetteer& g) {
  std::map<std::string, std::string> terms, keys;  // emplace: the first actor listing one keeps it
  std::map<std::string, std::string> actors;       // id -> "name\ttype"
  for (const Actor& a : g.actors()) {
    actors.emplace(a.id, a.name + '\t' + a.type);
    for (const std::string& al : a.aliases) {
      if (std::string w = folded_words(al); !w.empty()) terms.emplace(std::move(w), a.id);
      if (std::string k = lookup_key(al); !k.empty()) keys.emplace(std::move(k), a.id);
    }
  }
  for (const Actor& a : g.actors())
    if (std::string k = lookup_key(a.id); !k.empty()) keys.emplace(std::move(k), a.id);
  // A short form stands for an actor only when no other actor shares it.
  std::map<std::string, std::set<std::string>> shorts;
  for (const Actor& a : g.actors())
    for (const std::string& sf : a.short_forms)
      if (std::string k = lookup_key(sf); !k.empty()) shorts[k].insert(a.id);
  for (const auto& [k, ids] : shorts)
    if (ids.size() == 1) keys.emplace(k, *ids.begin());

  std::string text(kHeader);
  for (const auto& [id, rest] : actors) text += fmt::format("A\t{}\t{}\n", id, rest);
  for (const auto& [w, id] : terms) text += fmt::format("T\t{}\t{}\n", w, id);
  for (const auto& [k, id] : keys) text += fmt::format("K\t{}\t{}\n", k, id);
  return parse(std::move(text));
}

ActorLexicon ActorLexicon::parse(std::string text) {
  ActorLexicon lx;
  lx.text_ = std::move(text);
  lx.index();
  return lx;
}

ActorLexicon& ActorLexicon::operator=(const ActorLexicon& other) {
  if (this != &other) {
    text_ = other.text_;
    index();
  }
  return *this;
}

void ActorLexicon::index() {
  actors_.clear();
  terms_.clear();
  keys_.clear();
  longest_ = 0;
  std::string_view s = text_;
  if (s.empty()) return;
  if (s.substr(0, kHeader.size()) != kHeader) throw InputError("actor lexicon: unknown format");
  s.remove_prefix(kHeader.size());
  std::size_t line_no = 1;
  while (!s.empty()) {
    ++line_no;
    const std::size_t nl = s.find('\n');
    std::string_view line = s.substr(0, nl);
    s.remove_prefix(nl == std::string_view::npos ? s.size() : nl + 1);
    std::string_view f[4];
    std::size_t n = 0;
    while (n < 4) {
      const std::size_t tab = line.find('\t');
      f[n++] = line.substr(0, tab);
      if (tab == std::string_view::npos) break;
      line.remove_prefix(tab + 1);
    }
    std::vector<Line>* into = nullptr;
    Line l;
    if (f[0] == "A" && n == 4) {
      into = &actors_;
      l = {f[1], f[1], f[2], f[3]};
    } else if (f[0] == "T" && n == 3) {
      into = &terms_;
      l = {f[1], f[2], {}, {}};
      longest_ = std::max<std::size_t>(longest_, 1 + std::count(f[1].begin(), f[1].end(), ' '));
    } else if (f[0] == "K" && n == 3) {
      into = &keys_;
      l = {f[1], f[2], {}, {}};
    } else {
      throw InputError(fmt::format("actor lexicon: malformed line {}", line_no));
    }
    if (!into->empty() && !(into->back().key < l.key))
      throw InputError(fmt::format("actor lexicon: line {} out of order", line_no));
    into->push_back(l);
  }
}

const ActorLexicon::Line* ActorLexicon::find(const std::vector<Line>& lines, std::string_view key) {
  auto it = std::lower_bound(lines.begin(), lines.end(), key, [](const Line& l, std::string_view k) { return l.key < k; });
  return it != lines.end() && it->key == key ? &*it : nullptr;
}

bool ActorLexicon::find_id(std::string_view id, ActorInfo& out) const {
  const Line* l = find(actors_, id);
  if (!l) return false;
  out = {l->id, l->extra1, l->extra2};
  return true;
}

bool ActorLexicon::find_alias(std::string_view alias, ActorInfo& out) const {
  if (find_id(alias, out)) return true;
  const std::string k = lookup_key(alias);
  if (k.empty()) return false;
  const Line* l = find(keys_, k);
  return l && find_id(l->id, out);
}

std::string_view ActorLexicon::alias_words(std::string_view words) const {
  const Line* l = find(terms_, words);
  return l ? l->id : std::string_view();
}

}  // namespace lipsteeth::analyzers
