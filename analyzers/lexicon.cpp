#include "analyzers/lexicon.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <map>
#include <set>

#include <fmt/format.h>

#include "analyzers/error.h"
#include "analyzers/tokenizer.h"

namespace lipsteeth::analyzers {

namespace {

constexpr std::string_view kHeader = "lipsteeth-lexicon 1 ";

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
      // A place is matched by the tagger but never indexed as a mention
      // (docs/gazetteer.md): a query naming it searches its words.
      if (std::string w = folded_words(al); !w.empty() && a.type != "place") terms.emplace(std::move(w), a.id);
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

  std::size_t longest = 0;
  for (const auto& [w, id] : terms) longest = std::max<std::size_t>(longest, 1 + std::count(w.begin(), w.end(), ' '));
  std::string text = fmt::format("{}{}\n", kHeader, longest);
  for (const auto& [id, rest] : actors) text += fmt::format("A\t{}\t{}\n", id, rest);
  for (const auto& [w, id] : terms) text += fmt::format("T\t{}\t{}\n", w, id);
  for (const auto& [k, id] : keys) text += fmt::format("K\t{}\t{}\n", k, id);
  return parse(std::move(text));
}

ActorLexicon ActorLexicon::parse(std::string text) {
  auto owned = std::make_shared<const std::string>(std::move(text));
  const std::string_view s = *owned;
  return view(s, std::move(owned));
}

namespace {

// Where the first line of [from, s.size()) whose tag comes at or after `tag`
// in section order (A, T, K) starts; s.size() when none. Lines from `from`
// on are whole and in section order, and s[from - 1] is '\n'.
std::size_t section_start(std::string_view s, std::size_t from, char tag) {
  auto order = [](char c) { return c == 'A' ? 0 : c == 'T' ? 1 : 2; };
  std::size_t lo = from, hi = s.size();  // hi: a line start (or the end)
  while (lo < hi) {
    const std::size_t mid = lo + (hi - lo) / 2;
    const std::size_t start = s.rfind('\n', mid - 1) + 1;  // >= lo
    if (order(s[start]) < order(tag)) {
      const std::size_t end = s.find('\n', start);
      lo = end == std::string_view::npos ? s.size() : end + 1;
    } else {
      hi = start;
    }
  }
  return lo;
}

}  // namespace

ActorLexicon ActorLexicon::view(std::string_view s, std::shared_ptr<const void> keep) {
  ActorLexicon lx;
  lx.keep_ = std::move(keep);
  lx.text_ = s;
  if (s.empty()) return lx;
  const std::size_t nl = s.find('\n');
  std::size_t longest = 0;
  const std::string_view head = s.substr(0, nl);
  if (nl == std::string_view::npos || !head.starts_with(kHeader) || head.size() == kHeader.size())
    throw InputError("actor lexicon: unknown format");
  for (char c : head.substr(kHeader.size())) {
    if (c < '0' || c > '9') throw InputError("actor lexicon: unknown format");
    longest = longest * 10 + static_cast<std::size_t>(c - '0');
  }
  // Sections follow one another: A lines, T lines, K lines.
  const std::size_t a = nl + 1;
  if (s.back() != '\n' || (a < s.size() && !s.substr(a).starts_with("A\t")))
    throw InputError("actor lexicon: sections missing or out of order");
  const std::size_t t = section_start(s, a, 'T'), k = section_start(s, t, 'K');
  // The tag of the line that ends just before `at` (0 when none).
  auto tag_before = [&](std::size_t at) { return at <= a ? '\0' : s[s.rfind('\n', at - 2) + 1]; };
  // Each section's first and last lines carry its tag (the searches above
  // assume the order; this catches a text written otherwise).
  if ((t < k && s[t] != 'T') || (k < s.size() && s[k] != 'K') || (t > a && tag_before(t) != 'A') ||
      (k > t && tag_before(k) != 'T') || (s.size() > k && tag_before(s.size()) != 'K'))
    throw InputError("actor lexicon: sections missing or out of order");
  lx.actors_ = {a, t};
  for (std::size_t at = a; at < t;) {
    lx.actor_lines_.push_back(static_cast<std::uint32_t>(at));
    const void* nl_at = std::memchr(s.data() + at, '\n', t - at);
    if (!nl_at) break;
    at = static_cast<std::size_t>(static_cast<const char*>(nl_at) - s.data()) + 1;
  }
  lx.terms_ = {t, k};
  lx.keys_ = {k, s.size()};
  lx.longest_ = longest;
  return lx;
}

std::string_view ActorLexicon::find(Section section, std::string_view key) const {
  const std::string_view sec = text_.substr(section.first, section.second - section.first);
  // [lo, hi) holds whole lines ("X<tab>key<tab>..."), sorted by key.
  std::size_t lo = 0, hi = sec.size();
  while (lo < hi) {
    const std::size_t mid = lo + (hi - lo) / 2;
    const std::size_t start = mid == 0 ? 0 : sec.rfind('\n', mid - 1) + 1;  // >= lo: sec[lo - 1] is '\n'
    std::size_t end = sec.find('\n', start);
    if (end == std::string_view::npos) end = sec.size();
    const std::string_view line = sec.substr(start, end - start);
    const std::size_t tab = line.find('\t', 2);
    const std::string_view k = line.size() > 2 ? line.substr(2, tab == std::string_view::npos ? line.npos : tab - 2) : "";
    if (k == key) return line;
    if (k < key) {
      lo = end + 1;
    } else {
      hi = start;
    }
  }
  return {};
}

namespace {

// The fields of a line after its tag.
// The tab-separated fields of a line after its tag, without allocating (a
// search looks up the actors of every hit and facet): size() counts them
// all, the first four are kept.
struct Fields {
  std::array<std::string_view, 4> f;
  std::size_t n = 0;
  std::size_t size() const { return n; }
  std::string_view operator[](std::size_t i) const { return f[i]; }
};
Fields fields(std::string_view line) {
  Fields out;
  line.remove_prefix(std::min<std::size_t>(2, line.size()));
  while (true) {
    const std::size_t tab = line.find('\t');
    if (out.n < out.f.size()) out.f[out.n] = line.substr(0, tab);
    ++out.n;
    if (tab == std::string_view::npos) break;
    line.remove_prefix(tab + 1);
  }
  return out;
}

}  // namespace

std::vector<ActorLexicon::ActorInfo> ActorLexicon::actors() const {
  std::vector<ActorInfo> out(actor_lines_.size());
  for (std::size_t r = 0; r < out.size(); ++r) actor_at(r, out[r]);
  return out;
}

bool ActorLexicon::actor_at(std::size_t rank, ActorInfo& out) const {
  if (rank >= actor_lines_.size()) return false;
  const std::size_t start = actor_lines_[rank];
  std::size_t end = text_.find('\n', start);
  if (end == std::string::npos || end > actors_.second) end = actors_.second;
  const auto f = fields(text_.substr(start, end - start));
  out = f.size() == 3 ? ActorInfo{f[0], f[1], f[2]} : ActorInfo{f[0], {}, {}};
  return true;
}

std::vector<std::uint32_t> actor_ranks(const Gazetteer& g) {
  // build() lists each distinct id once, sorted as std::string sorts.
  std::vector<std::string_view> ids;
  for (const Actor& a : g.actors()) ids.push_back(a.id);
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  std::vector<std::uint32_t> out;
  out.reserve(g.actors().size());
  for (const Actor& a : g.actors())
    out.push_back(static_cast<std::uint32_t>(std::lower_bound(ids.begin(), ids.end(), std::string_view(a.id)) - ids.begin()));
  return out;
}

bool ActorLexicon::find_id(std::string_view id, ActorInfo& out) const {
  const std::string_view line = find(actors_, id);
  if (line.empty()) return false;
  const auto f = fields(line);
  if (f.size() != 3) return false;
  out = {f[0], f[1], f[2]};
  return true;
}

bool ActorLexicon::rank_of(std::string_view id, std::size_t& rank) const {
  // A lines are sorted by id, and each starts "A<tab>id<tab>".
  auto id_at = [&](std::uint32_t start) {
    const std::string_view line = text_.substr(start + 2);
    return line.substr(0, line.find('\t'));
  };
  const auto it = std::lower_bound(actor_lines_.begin(), actor_lines_.end(), id,
                                   [&](std::uint32_t start, std::string_view key) { return id_at(start) < key; });
  if (it == actor_lines_.end() || id_at(*it) != id) return false;
  rank = static_cast<std::size_t>(it - actor_lines_.begin());
  return true;
}

bool ActorLexicon::find_alias(std::string_view alias, ActorInfo& out) const {
  if (find_id(alias, out)) return true;
  const std::string k = lookup_key(alias);
  if (k.empty()) return false;
  const std::string_view line = find(keys_, k);
  if (line.empty()) return false;
  const auto f = fields(line);
  return f.size() == 2 && find_id(f[1], out);
}

std::string_view ActorLexicon::alias_words(std::string_view words) const {
  const std::string_view line = find(terms_, words);
  if (line.empty()) return {};
  const auto f = fields(line);
  return f.size() == 2 ? f[1] : std::string_view();
}

}  // namespace lipsteeth::analyzers
