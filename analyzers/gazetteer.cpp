// The actor gazetteer: parsing data/actors.tsv (docs/gazetteer.md), lookups
// by id and alias, suggestions for unknown names.
#include "analyzers/entities.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>
#include <unordered_map>

#include <fmt/format.h>
#include <unicode/uchar.h>
#include <unicode/utf8.h>
#include <unistd.h>

#include "analyzers/alias_text.h"
#include "analyzers/data_files.h"
#include "analyzers/error.h"
#include "analyzers/variants.h"

namespace lipsteeth::analyzers {
namespace {

using detail::lookup_key;

const char* const kTypes[] = {"person", "organization", "state", "event", "weapon", "programme", "place"};

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

std::vector<std::string> split(std::string_view s, char sep) {
  std::vector<std::string> out;
  std::size_t from = 0;
  while (true) {
    std::size_t at = s.find(sep, from);
    std::string_view piece = trim(s.substr(from, at == std::string_view::npos ? s.npos : at - from));
    if (!piece.empty()) out.emplace_back(piece);
    if (at == std::string_view::npos) break;
    from = at + 1;
  }
  return out;
}

bool valid_id(std::string_view id) {
  if (id.empty()) return false;
  for (char c : id)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
  return true;
}

// True when `text` holds a letter or digit, i.e. when lookup_key(text) would
// find a word. Checked this way at load time because the searcher parses the
// gazetteer at every start, and running the word breaker over every alias
// there costs more than the rest of a simple search.
bool has_word_char(std::string_view text) {
  const auto* s = reinterpret_cast<const std::uint8_t*>(text.data());
  const auto n = static_cast<int32_t>(text.size());
  for (int32_t i = 0; i < n;) {
    UChar32 c;
    U8_NEXT(s, i, n, c);
    if (c >= 0 && u_isalnum(c)) return true;
  }
  return false;
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diag = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}

std::uint64_t fnv1a(std::string_view s, std::uint64_t h = 1469598103934665603ULL) {
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return h;
}

// Letters and digits, ASCII lower-cased: how find_alias() compares spellings
// made by rule.
std::string plain_key(std::string_view s) {
  std::string k;
  for (unsigned char c : s)
    if (std::isalnum(c)) k += static_cast<char>(std::tolower(c));
    else if (c >= 0x80) k += static_cast<char>(c);
  return k;
}

// A cheap stand-in for the tagger's folding, to find two actors' aliases
// written alike: letters and digits, ASCII lower-cased, with a mark for an
// alias that asks for capitals ("US" and "us" are different aliases).
std::string alias_key(std::string_view alias) {
  std::string k;
  bool upper = false;
  for (unsigned char c : alias) {
    if (c >= 'A' && c <= 'Z') {
      upper = true;
      k += static_cast<char>(c - 'A' + 'a');
    } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80) {
      k += static_cast<char>(c);
    }
  }
  if (upper) k += '^';
  return k;
}

}  // namespace

// ------------------------------------------------------------------ Gazetteer

Gazetteer Gazetteer::parse(std::string_view tsv, std::string_view origin) {
  Gazetteer g;
  g.source_ = std::string(tsv);
  g.origin_ = std::string(origin);
  std::unordered_map<std::string, std::size_t> seen;
  std::unordered_map<std::string, std::pair<std::size_t, std::size_t>> alias_owner;  // key -> actor, line
  std::vector<std::size_t> capital_lines;
  std::size_t line_no = 0, from = 0;
  auto fail = [&](const std::string& why) {
    throw InputError(fmt::format("gazetteer '{}' line {}: {}", origin, line_no, why));
  };
  while (from <= tsv.size()) {
    std::size_t nl = tsv.find('\n', from);
    std::string_view line = tsv.substr(from, nl == tsv.npos ? tsv.npos : nl - from);
    from = nl == tsv.npos ? tsv.size() + 1 : nl + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (trim(line).empty() || trim(line).front() == '#') continue;
    std::vector<std::string_view> cols;
    std::size_t c = 0;
    while (true) {
      std::size_t tab = line.find('\t', c);
      cols.push_back(trim(line.substr(c, tab == line.npos ? line.npos : tab - c)));
      if (tab == line.npos) break;
      c = tab + 1;
    }
    if (cols.size() < 3) fail("expected at least 3 tab-separated columns (id, name, type), found " + std::to_string(cols.size()));
    if (cols.size() > 5) fail("expected at most 5 tab-separated columns (id, name, type, aliases, flags)");
    Actor a;
    bool no_derived = false;
    a.id = std::string(cols[0]);
    if (!valid_id(a.id)) fail(fmt::format("id '{}' must be lowercase letters, digits and '-'", a.id));
    if (seen.count(a.id)) fail(fmt::format("duplicate id '{}'", a.id));
    a.name = std::string(cols[1]);
    if (a.name.empty()) fail(fmt::format("actor '{}' has no name", a.id));
    if (!has_word_char(a.name)) fail(fmt::format("name '{}' has no words", a.name));
    a.type = std::string(cols[2]);
    if (std::find(std::begin(kTypes), std::end(kTypes), a.type) == std::end(kTypes))
      fail(fmt::format("type '{}' is not one of person, organization, state, event, weapon, programme, place", a.type));
    a.aliases.push_back(a.name);
    if (cols.size() > 3)
      for (std::string& al : split(cols[3], '|'))
        if (std::find(a.aliases.begin(), a.aliases.end(), al) == a.aliases.end()) a.aliases.push_back(std::move(al));
    if (cols.size() > 4) {
      for (const std::string& flag : split(cols[4], ' ')) {
        std::size_t eq = flag.find('=');
        std::string key = flag.substr(0, eq);
        std::string value = eq == std::string::npos ? "" : flag.substr(eq + 1);
        if (key == "short" && value == "-") {
          no_derived = true;
        } else if (key == "short") {
          for (std::string& sf : split(value, '|')) {
            // "short=the_North": underscores stand for spaces (flags are space-separated).
            std::replace(sf.begin(), sf.end(), '_', ' ');
            a.short_forms.push_back(std::move(sf));
          }
          if (value.empty()) fail("flag 'short=' needs forms, e.g. short=Xi|President_Xi");
        } else if (key == "capital") {
          if (!valid_id(value)) fail("flag 'capital=' needs the id of a state, e.g. capital=china");
          a.capital_of = value;
          capital_lines.push_back(line_no);
        } else {
          fail(fmt::format("unknown flag '{}' (known: short=, capital=)", flag));
        }
      }
    }
    for (const std::string& al : a.aliases)
      if (!has_word_char(al)) fail(fmt::format("alias '{}' has no words", al));
    // A person's surname is a short form by rule (docs/gazetteer.md
    // "Derived short forms"), unless the line says `short=-` (none).
    if (a.type == "person" && !no_derived) {
      for (std::string& sf : derived_short_forms(a.name))
        if (std::find(a.short_forms.begin(), a.short_forms.end(), sf) == a.short_forms.end() &&
            std::find(a.aliases.begin(), a.aliases.end(), sf) == a.aliases.end())
          a.short_forms.push_back(std::move(sf));
    }
    // An alias names one actor: two actors written alike would make every
    // mention ambiguous, and the tagger would tag neither.
    for (const std::string& al : a.aliases) {
      auto [it, fresh] = alias_owner.try_emplace(alias_key(al), g.actors_.size(), line_no);
      if (!fresh && it->second.first != g.actors_.size())
        fail(fmt::format("alias '{}' already names '{}' (line {}); a form shared by several actors belongs in short=",
                         al, g.actors_[it->second.first].id, it->second.second));
    }
    seen.emplace(a.id, g.actors_.size());
    g.actors_.push_back(std::move(a));
  }
  std::size_t k = 0;
  for (const Actor& a : g.actors_) {
    if (a.capital_of.empty()) continue;
    line_no = capital_lines[k++];
    auto it = seen.find(a.capital_of);
    if (it == seen.end()) fail(fmt::format("capital={} names no actor", a.capital_of));
    if (g.actors_[it->second].type != "state") fail(fmt::format("capital={} is not a state", a.capital_of));
  }
  // The digest covers the content, not comments or layout.
  std::uint64_t h = fnv1a("lipsteeth-gazetteer-1");
  for (const Actor& a : g.actors_) {
    std::string rec = a.id + '\t' + a.name + '\t' + a.type + '\t';
    for (const auto& al : a.aliases) rec += al + '|';
    rec += '\t';
    for (const auto& sf : a.short_forms) rec += sf + '|';
    rec += '\t' + a.capital_of + '\n';
    h = fnv1a(rec, h);
  }
  g.digest_ = fmt::format("{:016x}", h);
  return g;
}

Gazetteer Gazetteer::load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(fmt::format("cannot read gazetteer '{}': {}", path, std::strerror(errno)));
  std::ostringstream buf;
  buf << in.rdbuf();
  if (in.bad()) throw InputError(fmt::format("cannot read gazetteer '{}'", path));
  return parse(buf.str(), path);
}

std::string Gazetteer::default_path() {
  if (const char* env = std::getenv("LIPSTEETH_ACTORS"); env && *env) return env;
  return find_data_file("actors.tsv");
}

std::string Gazetteer::require_default_path() {
  std::string p = default_path();
  if (p.empty())
    throw UsageError(fmt::format("no gazetteer found (looked for {}): pass --actors FILE, or set LIPSTEETH_DATA_DIR "
                                 "to the folder holding actors.tsv",
                                 data_dirs_description("actors.tsv")));
  return p;
}

const Actor* Gazetteer::find_id(std::string_view id) const {
  for (const Actor& a : actors_)
    if (a.id == id) return &a;
  return nullptr;
}

// Every key find_alias() compares, each with the first actor that has it, in
// the order the rules apply: aliases as written, ids, the spellings the
// romanisation rules relate to an alias ("Kim Jung-il", "Mao Tse-tung"), and
// short forms that only one actor has. Made once: the rules run over every
// alias, which took a lookup tens of milliseconds when made per call.
struct Gazetteer::AliasIndex {
  std::unordered_map<std::string, std::size_t> aliases, ids, variants, shorts;
  static constexpr std::size_t kShared = static_cast<std::size_t>(-1);
};

const Gazetteer::AliasIndex& Gazetteer::alias_index() const {
  std::call_once(*alias_once_, [this] {
    auto idx = std::make_shared<AliasIndex>();
    for (std::size_t i = 0; i < actors_.size(); ++i)
      for (const std::string& al : actors_[i].aliases)
        if (std::string k = lookup_key(al); !k.empty()) idx->aliases.emplace(std::move(k), i);
    for (std::size_t i = 0; i < actors_.size(); ++i)
      if (std::string k = lookup_key(actors_[i].id); !k.empty()) idx->ids.emplace(std::move(k), i);
    for (std::size_t i = 0; i < actors_.size(); ++i)
      for (const std::string& al : actors_[i].aliases)
        for (const std::string& v : romanisation_variants(al, actors_[i].type)) idx->variants.emplace(plain_key(v), i);
    for (std::size_t i = 0; i < actors_.size(); ++i)
      for (const std::string& sf : actors_[i].short_forms) {
        std::string k = lookup_key(sf);
        if (k.empty()) continue;
        auto [it, fresh] = idx->shorts.emplace(std::move(k), i);
        if (!fresh && it->second != i) it->second = AliasIndex::kShared;
      }
    *alias_index_ = std::move(idx);
  });
  return **alias_index_;
}

const Actor* Gazetteer::find_alias(std::string_view alias) const {
  if (const Actor* a = find_id(alias)) return a;
  std::string k = lookup_key(alias);
  if (k.empty()) return nullptr;
  const AliasIndex& idx = alias_index();
  if (auto it = idx.aliases.find(k); it != idx.aliases.end()) return &actors_[it->second];
  if (auto it = idx.ids.find(k); it != idx.ids.end()) return &actors_[it->second];
  if (auto it = idx.variants.find(plain_key(alias)); it != idx.variants.end()) return &actors_[it->second];
  if (auto it = idx.shorts.find(k); it != idx.shorts.end() && it->second != AliasIndex::kShared)
    return &actors_[it->second];
  return nullptr;
}

std::vector<const Actor*> Gazetteer::suggest(std::string_view name, std::size_t max) const {
  std::string k = lookup_key(name);
  std::vector<std::pair<std::size_t, const Actor*>> scored;
  if (k.empty()) return {};
  std::size_t limit = std::max<std::size_t>(2, k.size() / 3);
  for (const Actor& a : actors_) {
    std::size_t best = std::numeric_limits<std::size_t>::max();
    for (const std::string& al : a.aliases) best = std::min(best, edit_distance(k, lookup_key(al)));
    for (const std::string& sf : a.short_forms) best = std::min(best, edit_distance(k, lookup_key(sf)));
    if (best <= limit) scored.emplace_back(best, &a);
  }
  std::stable_sort(scored.begin(), scored.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
  std::vector<const Actor*> out;
  for (const auto& [d, a] : scored) {
    if (out.size() >= max) break;
    out.push_back(a);
  }
  return out;
}


}  // namespace lipsteeth::analyzers
