// The actor gazetteer and the tagger.
//
// The tagger walks a trie whose edges are folded tokens (the same terms
// tokenize() produces, apostrophes dropped). Most words of a text start no
// alias, and a check of fixed size turns them away whatever the gazetteer's
// size: a word in lower case can start only an alias whose first word
// accepts any case, a small set in any gazetteer, looked for first by its
// first two bytes and last byte in a 4 KB bitmap, then in a 4 KB filter; any
// other word is tested in a 16 KB filter of start words. Only where a match
// may start or go on is a term looked up (one hash probe to a vocabulary id
// and the root's child), then one probe per trie edge followed. Hyphenated
// words are walked both as their parts ("kim jong un") and as the compound
// ("kim jongun"), so spacing and hyphenation do not matter. Case matters only
// where the alias says so (docs/gazetteer.md "Case"): "US" must be written in
// capitals, names must be capitalised, a lower-case alias matches any case.
#include "analyzers/entities.h"

#include <algorithm>
#include <cstring>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <span>
#include <sstream>
#include <unordered_map>
#include <unordered_set>

#include <fmt/format.h>
#include <unicode/uchar.h>
#include <unicode/utf8.h>
#include <unistd.h>

#include "analyzers/data_files.h"
#include "analyzers/error.h"

namespace lipsteeth::analyzers {
namespace {

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

// Trie keys drop apostrophes so that "Pyong'an" and "Pyongan" meet.
std::string key_of(std::string_view term) {
  std::string k;
  k.reserve(term.size());
  for (char c : term)
    if (c != '\'') k += c;
  return k;
}

// Case a text word must show to match an alias word (docs/gazetteer.md "Case").
enum Casing : std::uint8_t { kAnyCase = 0, kCapitalised = 1, kAllCaps = 2 };

// The surface without a possessive ending ("Kim's", "Kim’s").
std::string_view strip_possessive(std::string_view s) {
  if (s.size() > 2 && (s.ends_with("'s") || s.ends_with("'S"))) return s.substr(0, s.size() - 2);
  if (s.size() > 4 && (s.ends_with("\xE2\x80\x99s") || s.ends_with("\xE2\x80\x99S"))) return s.substr(0, s.size() - 4);
  return s;
}

Casing casing_of(std::string_view surface) {
  surface = strip_possessive(surface);
  int upper = 0, lower = 0;
  bool first_upper = false, seen = false;
  for (unsigned char c : surface) {
    bool up = c >= 'A' && c <= 'Z', low = c >= 'a' && c <= 'z';
    if (!seen && (up || low || c >= 0x80)) {
      seen = true;
      first_upper = up;
    }
    upper += up;
    lower += low;
  }
  if (upper >= 2 && lower == 0) return kAllCaps;
  return first_upper ? kCapitalised : kAnyCase;
}

bool casing_ok(Casing wanted, std::string_view surface, bool capitalised) {
  switch (wanted) {
    case kAnyCase: return true;
    case kCapitalised: return capitalised || casing_of(surface) != kAnyCase;
    case kAllCaps: return casing_of(surface) == kAllCaps;
  }
  return false;
}

// One folded path through the trie for an alias, with the case each step wants.
struct Path {
  std::vector<std::string> keys;
  std::vector<Casing> casing;
};

// The paths of an alias: its words with hyphenated words as parts, and every
// mix of parts and joined compounds; for names of three or more words, also
// the last two joined ("Kim Jongun").
std::vector<Path> alias_paths(std::string_view alias, bool person) {
  std::vector<Token> tokens = tokenize(alias);
  // Groups: each word is either a plain word or a compound with its parts.
  struct Group {
    Path parts;
    std::string compound;
    Casing compound_casing = kAnyCase;
  };
  std::vector<Group> groups;
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    const Token& t = tokens[i];
    std::string_view surface = alias.substr(t.start, t.end - t.start);
    if (t.kind == Token::Kind::compound) {
      Group g;
      g.compound = key_of(t.term);
      g.compound_casing = casing_of(surface) == kAllCaps ? kAllCaps : casing_of(surface);
      std::size_t j = i + 1;
      for (; j < tokens.size() && tokens[j].kind == Token::Kind::part && tokens[j].end <= t.end; ++j) {
        g.parts.keys.push_back(key_of(tokens[j].term));
        g.parts.casing.push_back(casing_of(alias.substr(tokens[j].start, tokens[j].end - tokens[j].start)));
      }
      i = j - 1;
      groups.push_back(std::move(g));
    } else {
      Group g;
      g.parts.keys.push_back(key_of(t.term));
      g.parts.casing.push_back(casing_of(surface));
      groups.push_back(std::move(g));
    }
  }
  std::vector<Path> paths{Path{}};
  for (const Group& g : groups) {
    std::vector<Path> next;
    for (const Path& p : paths) {
      Path a = p;
      a.keys.insert(a.keys.end(), g.parts.keys.begin(), g.parts.keys.end());
      a.casing.insert(a.casing.end(), g.parts.casing.begin(), g.parts.casing.end());
      next.push_back(std::move(a));
      if (!g.compound.empty() && paths.size() < 8) {
        Path b = p;
        b.keys.push_back(g.compound);
        b.casing.push_back(g.compound_casing);
        next.push_back(std::move(b));
      }
    }
    paths = std::move(next);
  }
  if (person && groups.size() >= 3 && groups.back().compound.empty() && groups[groups.size() - 2].compound.empty()) {
    Path p = paths.front();
    std::size_t n = p.keys.size();
    p.keys[n - 2] += p.keys[n - 1];
    p.keys.pop_back();
    p.casing.pop_back();
    paths.push_back(std::move(p));
  }
  std::erase_if(paths, [](const Path& p) { return p.keys.empty(); });
  return paths;
}

// The key find_alias() and suggest() compare: folded words, parts joined.
std::string lookup_key(std::string_view text) {
  std::string k;
  for (const Token& t : tokenize(text)) {
    if (t.kind == Token::Kind::compound) continue;
    k += key_of(t.term);
  }
  return k;
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

// Whether a word of eight bytes (zero-padded) holds '\'': the classic "has
// zero byte" test on x XOR 0x2727...
inline bool apostrophe_in(std::uint64_t x) {
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL, kHighs = 0x8080808080808080ULL;
  x ^= kOnes * '\'';
  return ((x - kOnes) & ~x & kHighs) != 0;
}

// Whether `s` contains '\'', eight bytes at a time.
bool has_apostrophe(std::string_view s) {
  std::size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    std::uint64_t x;
    std::memcpy(&x, s.data() + i, 8);
    if (apostrophe_in(x)) return true;
  }
  for (; i < s.size(); ++i)
    if (s[i] == '\'') return true;
  return false;
}

// A word's hash, from at most its first and last eight bytes (a few
// instructions, where a byte loop costs one multiply per byte), and whether
// it holds an apostrophe, read from the same loads when they cover the word.
struct Probe {
  std::uint64_t hash;
  bool apostrophe;
};

inline Probe probe(std::string_view s) {
  std::uint64_t a = 0, b = 0;
  std::size_t n = s.size();
  if (n >= 8) {
    std::memcpy(&a, s.data(), 8);
    std::memcpy(&b, s.data() + n - 8, 8);
  } else if (n >= 4) {
    std::uint32_t x, y;
    std::memcpy(&x, s.data(), 4);
    std::memcpy(&y, s.data() + n - 4, 4);
    a = x;
    b = y;
  } else if (n > 0) {
    a = static_cast<unsigned char>(s[0]) | static_cast<unsigned>(static_cast<unsigned char>(s[n / 2])) << 8 |
        static_cast<unsigned>(static_cast<unsigned char>(s[n - 1])) << 16;
  }
  // Up to sixteen bytes, a and b hold every byte of the word.
  bool apostrophe = n <= 16 ? apostrophe_in(a) || apostrophe_in(b) : has_apostrophe(s);
  std::uint64_t h = (a ^ 0x9E3779B97F4A7C15ULL) * 0xbf58476d1ce4e5b9ULL;
  h ^= (b + n) * 0x94d049bb133111ebULL;
  return {h ^ (h >> 31), apostrophe};
}

inline std::uint64_t quick_hash(std::string_view s) { return probe(s).hash; }

// Open-addressing tables for the tagger's hot path: one probe, usually one
// cache line, instead of std::unordered_map's node chains.
class FlatVocab {
 public:
  static constexpr std::uint32_t kMissing = std::numeric_limits<std::uint32_t>::max();
  // Stores `terms`, each with the trie node that an alias starting with it
  // reaches (kMissing: none starts with it). A term's id in the frozen
  // tagger is its slot's index, returned by find(); ids come out in the
  // order of `terms`.
  std::vector<std::uint32_t> build(const std::vector<std::pair<std::string, std::uint32_t>>& terms) {
    std::size_t cap = 64;
    while (cap * 3 < terms.size() * 4) cap <<= 1;  // at most 3/4 full
    slots_.assign(cap, Slot{});
    mask_ = cap - 1;
    pool_.clear();
    std::fill(std::begin(filter_), std::end(filter_), 0);
    std::vector<std::uint32_t> ids;
    ids.reserve(terms.size());
    for (const auto& [term, root] : terms) {
      std::uint64_t h = quick_hash(term);
      std::size_t i = h & mask_;
      while (slots_[i].off_len != kFree) i = (i + 1) & mask_;
      std::uint32_t len = static_cast<std::uint32_t>(std::min<std::size_t>(term.size(), 255));
      slots_[i] = Slot{head(term), static_cast<std::uint32_t>(pool_.size()) << 8 | len, root};
      pool_ += term;
      filter_[block(h)] |= bits(h);
      ids.push_back(static_cast<std::uint32_t>(i));
    }
    return ids;
  }
  // The node an alias starting with term `id` reaches, or kMissing.
  std::uint32_t root_child(std::uint32_t id) const { return slots_[id].root; }
  // What a word may start, for a word written in lower case (see
  // lower_case()) and for any other.
  enum Start : std::uint8_t {
    kStartsNone = 0,
    kStarts = 1,           // some alias may start with it
    kStartsIfCased = 2,    // only if the next word is not in lower case ("the North")
  };
  // Marks a term that starts some alias (call after build()), with what it
  // may start written in lower case and otherwise.
  void mark_start(std::string_view term, Start lower, Start other) {
    if (lower != kStartsNone && !term.empty()) {
      unsigned e = ends(term);
      lower_ends_[e >> 6] |= std::uint64_t{1} << (e & 63);
    }
    std::uint64_t h = quick_hash(term);
    if (lower != kStartsNone) lower_start_[lower_block(h)][lower - 1] |= bits(h);
    if (other != kStartsNone) start_[block(h)][other - 1] |= bits(h);
  }
  // kStartsNone when the word probed certainly starts no alias ("of", "and",
  // most words). `lower`: the word is written in lower case, so that only an
  // alias accepting its first word in any case may start there, and those
  // are few ("the North", "six-party talks") in any gazetteer. kStartsIfCased
  // when every alias it may start goes on with a word that must be
  // capitalised. A word with an apostrophe is keyed without it: it may start
  // one.
  // For a word in lower case, a first check that needs no hash: false when
  // no word that may start an alias in lower case has the same first two
  // bytes and last byte. Keys drop apostrophes: a word with one there passes.
  bool may_start_lower(std::string_view term) const {
    if (term.empty() || term.front() == '\'' || term[term.size() > 1] == '\'' || term.back() == '\'') return true;
    unsigned e = ends(term);
    return (lower_ends_[e >> 6] >> (e & 63)) & 1;
  }
  Start may_start(const Probe& w, bool lower) const {
    if (w.apostrophe) return kStarts;
    const std::uint64_t* b = lower ? lower_start_[lower_block(w.hash)] : start_[block(w.hash)];
    const std::uint64_t m = bits(w.hash);
    if ((b[0] & m) == m) return kStarts;
    if ((b[1] & m) == m) return kStartsIfCased;
    return kStartsNone;
  }
  // The id of a term (apostrophes already dropped), or kMissing.
  std::uint32_t find(std::string_view term) const { return find(term, quick_hash(term)); }
  std::uint32_t find(std::string_view term, std::uint64_t h) const {
    if (slots_.empty() || term.size() > 255) return kMissing;
    // Most words of a text are in no alias: an 8 KB filter (which stays in
    // the L1 cache) turns them away before the table is touched.
    if ((filter_[block(h)] & bits(h)) != bits(h)) return kMissing;
    std::uint64_t first = head(term);
    for (std::size_t i = h & mask_;; i = (i + 1) & mask_) {
      const Slot& s = slots_[i];
      if (s.off_len == kFree) return kMissing;
      if (s.head != first || (s.off_len & 0xff) != term.size()) continue;
      // Words of up to eight bytes are settled by `head`.
      if (term.size() <= 8 || std::memcmp(pool_.data() + (s.off_len >> 8) + 8, term.data() + 8, term.size() - 8) == 0)
        return static_cast<std::uint32_t>(i);
    }
  }

 private:
  // The first eight bytes of a word, zero-padded.
  static std::uint64_t head(std::string_view s) {
    std::uint64_t h = 0;
    std::memcpy(&h, s.data(), std::min<std::size_t>(s.size(), 8));
    return h;
  }
  static constexpr std::uint32_t kFree = 0;  // off_len of an empty slot (no term is empty)
  struct Slot {  // 16 bytes: a look-up and the root's child read one cache line
    std::uint64_t head = 0;
    std::uint32_t off_len = kFree;  // pool offset << 8 | length
    std::uint32_t root = kMissing;
  };
  std::vector<Slot> slots_;
  std::string pool_;
  std::size_t mask_ = 0;
  // Blocked Bloom filters: a word of 64 bits chosen by the hash, two bits
  // set in it per term (few false positives even for a large gazetteer).
  static std::size_t block(std::uint64_t h) { return (h >> 54) & 1023; }
  static std::uint64_t bits(std::uint64_t h) { return std::uint64_t{1} << ((h >> 44) & 63) | std::uint64_t{1} << ((h >> 38) & 63); }
  std::uint64_t filter_[1024] = {};
  // Filters of start words (kStarts, kStartsIfCased side by side, so that a
  // word's test reads one cache line): the few that may start an alias in
  // lower case in 4 KB, behind a 4 KB bitmap of their first two bytes and
  // last byte (five bits of each); all of them in 16 KB.
  static std::size_t lower_block(std::uint64_t h) { return (h >> 54) & 255; }
  static unsigned ends(std::string_view s) {
    return (s.front() & 31u) << 10 | (s[s.size() > 1] & 31u) << 5 | (s.back() & 31u);
  }
  std::uint64_t lower_ends_[512] = {};  // 32768 bits by ends()
  std::uint64_t lower_start_[256][2] = {};
  std::uint64_t start_[1024][2] = {};
};

class FlatEdges {
 public:
  static constexpr std::uint32_t kMissing = std::numeric_limits<std::uint32_t>::max();
  void build(const std::unordered_map<std::uint64_t, std::uint32_t>& edges) {
    std::size_t cap = 64;
    while (cap * 3 < edges.size() * 4) cap <<= 1;  // at most 3/4 full
    slots_.assign(cap, Slot{});
    mask_ = cap - 1;
    for (const auto& [key, node] : edges) {
      std::size_t i = mix(key) & mask_;
      while (slots_[i].node != kMissing) i = (i + 1) & mask_;
      slots_[i] = Slot{key, node};
    }
  }
  std::uint32_t find(std::uint64_t key) const {
    if (slots_.empty()) return kMissing;
    for (std::size_t i = mix(key) & mask_;; i = (i + 1) & mask_) {
      if (slots_[i].node == kMissing) return kMissing;
      if (slots_[i].key == key) return slots_[i].node;
    }
  }

 private:
  static std::uint64_t mix(std::uint64_t k) {
    k ^= k >> 29;
    k *= 0xbf58476d1ce4e5b9ULL;
    return k ^ (k >> 32);
  }
  struct Slot {
    std::uint64_t key = 0;
    std::uint32_t node = kMissing;
  } __attribute__((packed));  // 12 bytes: the table is read at random
  std::vector<Slot> slots_;
  std::size_t mask_ = 0;
};

struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

}  // namespace

// ------------------------------------------------------------------ Gazetteer

Gazetteer Gazetteer::parse(std::string_view tsv, std::string_view origin) {
  Gazetteer g;
  g.source_ = std::string(tsv);
  g.origin_ = std::string(origin);
  std::unordered_map<std::string, std::size_t> seen;
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
        if (key == "short") {
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

const Actor* Gazetteer::find_alias(std::string_view alias) const {
  if (const Actor* a = find_id(alias)) return a;
  std::string k = lookup_key(alias);
  if (k.empty()) return nullptr;
  for (const Actor& a : actors_)
    for (const std::string& al : a.aliases)
      if (lookup_key(al) == k) return &a;
  for (const Actor& a : actors_)
    if (lookup_key(a.id) == k) return &a;
  // A short form stands for one actor only when no other actor shares it.
  const Actor* only = nullptr;
  for (const Actor& a : actors_)
    for (const std::string& sf : a.short_forms)
      if (lookup_key(sf) == k) {
        if (only && only != &a) return nullptr;
        only = &a;
      }
  return only;
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

// --------------------------------------------------------------------- Tagger

struct Tagger::Impl {
  static constexpr std::uint32_t kNone = std::numeric_limits<std::uint32_t>::max();

  // The trie as built, from the gazetteer's aliases.
  struct Entry {
    std::uint32_t actor = 0;
    bool short_form = false;
    bool metonymic = false;  // the bare name of a capital: state or place by context
    std::vector<Casing> casing;
  };
  struct Node {
    std::vector<std::uint32_t> entries;  // into `entries`; non-empty: an alias ends here
    // Some alias going on from here accepts its next word in any case; when
    // false, a word written in lower case ends the walk ("the North" goes on
    // only with a capitalised word).
    bool any_case_next = false;
  };
  std::unordered_map<std::string, std::uint32_t, StringHash, std::equal_to<>> vocab;
  std::unordered_map<std::uint64_t, std::uint32_t> edges;  // (node << 32 | term id) -> node
  std::vector<Node> nodes{Node{}};
  std::vector<Entry> entries;
  // Per start term: bit 0, some alias starting with it accepts it in lower
  // case and ends there or goes on with a word in any case; bit 1, one
  // accepts it in lower case and goes on with a capitalised word; bits 2
  // and 3, the same for any alias starting with it, whatever its case.
  std::unordered_map<std::uint32_t, std::uint8_t> start_kinds;

  std::uint32_t term_id(const std::string& key) {
    auto [it, fresh] = vocab.try_emplace(key, static_cast<std::uint32_t>(vocab.size()));
    return it->second;
  }
  void insert(const Path& path, Entry entry) {
    std::uint32_t node = 0;
    for (std::size_t d = 0; d < path.keys.size(); ++d) {
      const std::uint32_t term = term_id(path.keys[d]);
      if (path.casing[d] == kAnyCase) nodes[node].any_case_next = true;
      if (d == 0) {
        bool goes_on_any = path.keys.size() == 1 || path.casing[1] == kAnyCase;
        std::uint8_t k = goes_on_any ? 4 : 8;
        if (path.casing[0] == kAnyCase) k |= goes_on_any ? 1 : 2;
        start_kinds[term] |= k;
      }
      std::uint64_t edge = (std::uint64_t{node} << 32) | term;
      auto it = edges.find(edge);
      if (it == edges.end()) {
        nodes.emplace_back();
        it = edges.emplace(edge, static_cast<std::uint32_t>(nodes.size() - 1)).first;
      }
      node = it->second;
    }
    entry.casing = path.casing;
    // The same actor and kind reached by the same path twice: keep one entry,
    // unless the case wanted differs ("Six-Party Talks" and "six-party talks").
    for (std::uint32_t e : nodes[node].entries) {
      const Entry& old = entries[e];
      if (old.actor == entry.actor && old.short_form == entry.short_form && old.casing == entry.casing) return;
    }
    nodes[node].entries.push_back(static_cast<std::uint32_t>(entries.size()));
    entries.push_back(std::move(entry));
  }

  // The frozen trie that tag() reads, laid out so that a match touches few
  // cache lines: a term's look-up gives the root's child from the same slot;
  // a node is eight bytes; the aliases ending at a node lie side by side,
  // sixteen bytes each, their casing packed.
  static constexpr std::uint32_t kMaxWords = 32;  // longest match, in words
  struct Hit {
    std::uint64_t casing = 0;  // two bits per word (Casing), first word lowest
    std::uint32_t actor = 0;
    std::uint8_t words = 0;    // path length; kMaxWords + 1 for longer ones (never matched)
    bool short_form = false;
    bool metonymic = false;
    Casing casing_at(std::uint32_t k) const { return static_cast<Casing>((casing >> (2 * k)) & 3); }
  };
  struct NodeInfo {
    std::uint32_t first = 0;  // into `hits`
    std::uint32_t count : 31 = 0;
    std::uint32_t any_case_next : 1 = 0;
  };
  FlatVocab flat_vocab;
  FlatEdges flat_edges;  // below the root
  std::vector<NodeInfo> node_info;
  std::vector<Hit> hits;
  std::vector<std::uint32_t> capital_state;  // per actor: state index, or kNone

  std::span<const Hit> hits_at(std::uint32_t node) const {
    const NodeInfo& n = node_info[node];
    return {hits.data() + n.first, n.count};
  }
  std::uint32_t child(std::uint32_t node, std::uint32_t term) const {
    if (node == 0) return flat_vocab.root_child(term);
    return flat_edges.find((std::uint64_t{node} << 32) | term);
  }

  void freeze() {
    std::vector<std::uint32_t> root(vocab.size(), kNone);
    for (const auto& [key, node] : edges)
      if ((key >> 32) == 0) root[static_cast<std::uint32_t>(key)] = node;
    std::vector<std::pair<std::string, std::uint32_t>> terms;
    std::vector<std::uint32_t> built_id;  // per entry of `terms`: its id when built
    terms.reserve(vocab.size());
    for (const auto& [term, id] : vocab) {
      terms.emplace_back(term, root[id]);
      built_id.push_back(id);
    }
    std::vector<std::uint32_t> frozen_ids = flat_vocab.build(terms);
    std::vector<std::uint32_t> frozen(vocab.size());
    for (std::size_t i = 0; i < terms.size(); ++i) frozen[built_id[i]] = frozen_ids[i];
    std::unordered_map<std::uint64_t, std::uint32_t> below_root;
    for (const auto& [key, node] : edges)
      if ((key >> 32) != 0) below_root.emplace((key >> 32) << 32 | frozen[static_cast<std::uint32_t>(key)], node);
    flat_edges.build(below_root);
    for (std::size_t i = 0; i < terms.size(); ++i) {
      if (terms[i].second == kNone) continue;
      auto it = start_kinds.find(built_id[i]);
      std::uint8_t k = it == start_kinds.end() ? 0 : it->second;
      auto kind = [](bool any, bool cased_only) {
        return any ? FlatVocab::kStarts : cased_only ? FlatVocab::kStartsIfCased : FlatVocab::kStartsNone;
      };
      flat_vocab.mark_start(terms[i].first, kind(k & 1, k & 2), kind(k & 4, k & 8));
    }
    node_info.resize(nodes.size());
    for (std::size_t n = 0; n < nodes.size(); ++n) {
      NodeInfo& info = node_info[n];
      info.first = static_cast<std::uint32_t>(hits.size());
      info.count = static_cast<std::uint32_t>(nodes[n].entries.size());
      info.any_case_next = nodes[n].any_case_next;
      for (std::size_t i = 0; i < info.count; ++i) {
        const Entry& e = entries[nodes[n].entries[i]];
        Hit h;
        h.actor = e.actor;
        h.short_form = e.short_form;
        h.metonymic = e.metonymic;
        h.words = static_cast<std::uint8_t>(std::min<std::size_t>(e.casing.size(), kMaxWords + 1));
        for (std::uint32_t k = 0; k < h.words && k < kMaxWords; ++k) h.casing |= std::uint64_t{e.casing[k]} << (2 * k);
        hits.push_back(h);
      }
    }
    // The trie as built is no longer needed.
    vocab = {};
    edges = {};
    nodes = {};
    entries = {};
    start_kinds = {};
  }
};

Tagger::Tagger(const Gazetteer& gazetteer) : gazetteer_(gazetteer), impl_(std::make_unique<Impl>()) {
  const auto& actors = gazetteer.actors();
  std::unordered_map<std::string_view, std::uint32_t> by_id;
  for (std::uint32_t i = 0; i < actors.size(); ++i) by_id.emplace(actors[i].id, i);
  impl_->capital_state.assign(actors.size(), Impl::kNone);
  for (std::uint32_t i = 0; i < actors.size(); ++i) {
    const Actor& a = actors[i];
    bool person = a.type == "person";
    if (!a.capital_of.empty())
      if (auto it = by_id.find(a.capital_of); it != by_id.end()) impl_->capital_state[i] = it->second;
    for (const std::string& al : a.aliases) {
      for (const Path& p : alias_paths(al, person)) {
        Impl::Entry e;
        e.actor = i;
        e.metonymic = impl_->capital_state[i] != Impl::kNone && p.keys.size() == 1;
        impl_->insert(p, std::move(e));
      }
    }
    for (const std::string& sf : a.short_forms) {
      for (const Path& p : alias_paths(sf, false)) {
        Impl::Entry e;
        e.actor = i;
        e.short_form = true;
        impl_->insert(p, std::move(e));
      }
    }
  }
  impl_->freeze();
}

Tagger::~Tagger() = default;
Tagger::Tagger(Tagger&&) noexcept = default;

namespace {

// Words before a capital that make it a place ("a week in Beijing").
// Built on first use: a static set would be built at every start of the
// program, whatever the subcommand.
const std::unordered_set<std::string_view>& locative_words() {
  static const std::unordered_set<std::string_view> words{
    "in",      "at",      "near",     "inside",  "outside", "around", "within", "via",     "across",
    "throughout", "leave", "leaving", "left",  "reach",   "reached", "visit",  "visits", "visited",
    "visiting", "toured", "touring", "landed", "outskirts", "downtown", "streets"};
  return words;
}
// Words before "to"/"from"/"into" (up to five words back) that make the
// capital after it a destination or origin, hence a place.
const std::unordered_set<std::string_view>& motion_words() {
  static const std::unordered_set<std::string_view> words{
    "visit",   "visits",    "visited",   "visiting", "trip",      "trips",     "travel",  "travels",
    "traveled", "travelled", "traveling", "travelling", "return", "returns",   "returned", "returning",
    "flew",    "fly",       "flies",     "flight",   "flights",   "went",      "go",      "goes",
    "going",   "gone",      "came",      "come",     "comes",     "coming",    "moved",   "move",
    "sent",    "send",      "sends",     "sending",  "delegation", "delegations", "arrived", "arrive",
    "journey", "journeys",  "road",      "train",    "trains",    "railway",   "route",   "drive",
    "drove",   "defected",  "fled",      "flee",     "escaped",   "dispatched", "back",   "tour",
    "bus",     "border",    "deported",  "repatriated", "shipped", "transported", "headed", "bound"};
  return words;
}

// Whether the text between two words of an alias may be crossed: spaces,
// hyphens, apostrophes, commas and acronym dots may ("One Belt, One Road",
// "U.S.-China"); brackets, quotes, dashes and sentence ends may not
// ("(WPK) Politburo" is two mentions).
bool joinable(std::string_view text, std::uint32_t prev_start, std::uint32_t from, std::uint32_t to) {
  if (to <= from) return true;
  std::string_view gap = text.substr(from, to - from);
  bool initial = from - prev_start == 1;  // "Robert S. Ross"
  if (gap.size() > 8) return false;
  for (std::size_t i = 0; i < gap.size(); ++i) {
    unsigned char c = gap[i];
    if (c == ' ' || c == '-' || c == '\'' || c == ',') continue;
    if (c == '.' && (initial || i + 1 == gap.size() || gap[i + 1] != ' ')) continue;  // "U.S.-China", not "Korea. China"
    if (c == 0xE2 && i + 2 < gap.size() && static_cast<unsigned char>(gap[i + 1]) == 0x80) {
      unsigned char d = gap[i + 2];
      if (d == 0x99 || d == 0x90 || d == 0x91) {  // ’ and the Unicode hyphens
        i += 2;
        continue;
      }
    }
    if (c == 0xC2 && i + 1 < gap.size() && static_cast<unsigned char>(gap[i + 1]) == 0xA0) {  // NBSP
      ++i;
      continue;
    }
    return false;
  }
  return true;
}

// Terms of a slot not looked up yet: most words are looked up only if a
// match in progress reaches them.
constexpr std::uint32_t kLater = std::numeric_limits<std::uint32_t>::max() - 1;

struct Slot {            // one main token (a word or a hyphen part)
  std::uint32_t tok;     // index into the passage's tokens
  std::uint32_t term = kLater;  // vocabulary id, kNone or kLater
  std::uint32_t comp = std::numeric_limits<std::uint32_t>::max();  // compound token index starting here
  std::uint32_t comp_term = kLater;
  std::uint32_t comp_span = 0;  // parts the compound covers
  std::uint32_t strip_s_term = kLater;  // "Chinas" -> "china"
};

// A token written in lower case: its first byte an ASCII lower-case letter.
// Such a token can match only an alias word that accepts any case
// (docs/gazetteer.md "Case"; casing_ok()).
inline bool lower_case(std::string_view text, const Token& t) {
  unsigned char c = text[t.start];
  return !t.capitalised && c >= 'a' && c <= 'z';
}

struct Candidate {
  std::uint32_t passage = 0;   // index into passages
  std::uint32_t first = 0;     // slot index of the first token
  std::uint32_t len = 0;       // slots covered
  std::uint32_t start = 0, end = 0;  // bytes
  std::uint32_t node = 0;      // trie node (entries) of the match
  std::uint32_t last_tok = 0;  // token index of the last matched token
  bool short_only = false;
  bool bare_possessive = false;  // matched via "Chinas" -> "China"
};

}  // namespace

std::vector<Mention> Tagger::tag(std::string_view text, const std::vector<Passage>& passages,
                                 const std::vector<std::vector<Token>>& tokens) const {
  const Impl& im = *impl_;
  constexpr std::uint32_t kNone = Impl::kNone;
  // Working buffers, kept per thread so that their memory is reused from
  // one article to the next (a Tagger is shared by the indexer's threads).
  struct Buffers {
    std::vector<std::vector<Slot>> slots;
    std::vector<Candidate> chosen, cands;
    std::vector<std::uint8_t> used;
    std::vector<std::uint32_t> starters;  // slots where an alias may start
    std::string scratch;
    std::vector<std::uint32_t> resolved;
    std::vector<std::uint8_t> as_place;
    std::vector<std::uint32_t> stamp, first_full, last_full;  // per actor
    std::uint32_t generation = 0;
  };
  thread_local Buffers buf;
  std::vector<Candidate>& chosen = buf.chosen;
  std::vector<Candidate>& cands = buf.cands;
  std::vector<std::uint8_t>& used = buf.used;
  std::string& scratch = buf.scratch;
  std::vector<std::uint32_t>& starters = buf.starters;
  chosen.clear();
  // Per passage: the slots, then the longest match at each slot, then the
  // non-overlapping choice (longest first), so that "Chairman Kim Jong-un"
  // yields "Kim Jong-un" rather than "Chairman Kim".
  const std::size_t npassages = std::min(passages.size(), tokens.size());
  if (buf.slots.size() < npassages) buf.slots.resize(npassages);
  std::vector<std::vector<Slot>>& all_slots = buf.slots;
  for (std::uint32_t p = 0; p < npassages; ++p) {
    const std::vector<Token>& toks = tokens[p];
    std::vector<Slot>& slots = all_slots[p];
    slots.clear();
    starters.clear();
    slots.reserve(toks.size());
    auto lookup = [&](const std::string& term) -> std::uint32_t {
      Probe w = probe(term);
      if (!w.apostrophe) return im.flat_vocab.find(term, w.hash);
      scratch = key_of(term);
      return im.flat_vocab.find(scratch);
    };
    // The slots, and those where an alias may start. This pass costs the
    // same whatever the gazetteer's size: per word, bit tests in fixed-size
    // filters (for most words in lower case, one bit of a small bitmap
    // without hashing). Terms are looked up only where a match may start or
    // go on.
    const std::size_t ntoks = toks.size();
    std::uint32_t pending = kNone, pending_end = 0;
    bool if_cased = false;  // the last starter holds only if this slot is not in lower case
    for (std::uint32_t i = 0; i < ntoks; ++i) {
      const Token& t = toks[i];
      if (t.kind == Token::Kind::compound) {
        pending = i;
        pending_end = t.end;
        continue;
      }
      Slot s;
      s.tok = i;
      bool lower = lower_case(text, t);
      FlatVocab::Start may = lower && !im.flat_vocab.may_start_lower(t.term) ? FlatVocab::kStartsNone
                                                                            : im.flat_vocab.may_start(probe(t.term), lower);
      if (pending != kNone) {
        if (t.kind == Token::Kind::part && t.start == toks[pending].start) {
          s.comp = pending;
          std::uint32_t span = 0;
          for (std::uint32_t j = i; j < ntoks && toks[j].kind == Token::Kind::part && toks[j].end <= pending_end; ++j)
            ++span;
          s.comp_span = span;
          const bool comp_lower = lower_case(text, toks[pending]);
          // The compound's next word is not this slot's: no condition on it.
          const std::string& comp = toks[pending].term;
          if (may != FlatVocab::kStarts && (!comp_lower || im.flat_vocab.may_start_lower(comp)) &&
              im.flat_vocab.may_start(probe(comp), comp_lower))
            may = FlatVocab::kStarts;
          lower = lower && comp_lower;
        }
        pending = kNone;
      }
      if (if_cased) {
        if (lower) starters.pop_back();
        if_cased = false;
      }
      // "Chinas stance": a possessive without its apostrophe (the word itself
      // known to no alias, checked when a match reaches it).
      if (may != FlatVocab::kStarts && t.capitalised && t.kind == Token::Kind::word && t.term.size() > 3 &&
          t.term.back() == 's' &&
          im.flat_vocab.may_start(probe(std::string_view(t.term).substr(0, t.term.size() - 1)), false))
        may = FlatVocab::kStarts;
      if (may != FlatVocab::kStartsNone) {
        starters.push_back(static_cast<std::uint32_t>(slots.size()));
        if_cased = may == FlatVocab::kStartsIfCased;
      }
      slots.push_back(s);
    }
    cands.clear();
    for (std::uint32_t i : starters) {
      Candidate best;
      bool found = false;
      // Depth-first over (node, slot) with the tokens used so far, for the case check.
      // Each frame knows the tokens that led to it through `trail` (a
      // parent-linked list), since word and compound paths branch.
      struct Frame {
        std::uint32_t node, slot;
        std::uint32_t depth;
        std::int32_t last;  // index into trail, -1 at the root
      };
      struct Step {
        std::uint32_t tok;
        std::int32_t parent;
      };
      Step trail[256];
      std::int32_t nt = 0;
      std::uint32_t used_toks[32];
      Frame stack[64];
      std::uint32_t sp = 0;
      stack[sp++] = {0, i, 0, -1};
      while (sp) {
        Frame f = stack[--sp];
        if (f.slot >= slots.size() || f.depth >= 32) continue;
        Slot& s = slots[f.slot];
        const Token& t = toks[s.tok];
        if (s.term == kLater) s.term = lookup(t.term);
        if (s.comp_term == kLater) s.comp_term = s.comp == kNone ? kNone : lookup(toks[s.comp].term);
        auto visit = [&](std::uint32_t term, std::uint32_t tok, std::uint32_t next_slot, bool bare) {
          if (term == kNone) return;
          std::uint32_t node = im.child(f.node, term);
          if (node == kNone) return;
          if (f.last >= 0) {
            const Token& prev = toks[trail[f.last].tok];
            if (!joinable(text, prev.start, prev.end, toks[tok].start)) return;
          }
          if (nt >= 256) return;
          trail[nt] = {tok, f.last};
          std::int32_t me = nt++;
          const Impl::NodeInfo& n = im.node_info[node];
          if (n.count) {
            for (std::int32_t at = me, k = static_cast<std::int32_t>(f.depth); at >= 0 && k >= 0; at = trail[at].parent, --k)
              used_toks[k] = trail[at].tok;
            bool any = false, any_full = false;
            for (const Impl::Hit& en : im.hits_at(node)) {
              bool ok = en.words == f.depth + 1;
              for (std::uint32_t k = 0; ok && k <= f.depth; ++k) {
                const Token& tk = toks[used_toks[k]];
                ok = casing_ok(en.casing_at(k), text.substr(tk.start, tk.end - tk.start), tk.capitalised);
              }
              if (ok) {
                any = true;
                any_full |= !en.short_form;
              }
            }
            std::uint32_t len = next_slot - i;
            if (any && (!found || len > best.len)) {
              found = true;
              best.passage = p;
              best.first = i;
              best.len = len;
              best.node = node;
              best.start = toks[slots[i].tok].start;
              best.last_tok = tok;
              best.end = toks[tok].end;
              best.short_only = !any_full;
              best.bare_possessive = bare;
            }
          }
          if (bare || sp + 1 >= 64 || next_slot >= slots.size()) return;
          // Where every alias going on from here wants a capitalised word
          // next, a word in lower case ends the walk.
          if (!n.any_case_next) {
            const Slot& nx = slots[next_slot];
            if (lower_case(text, toks[nx.tok]) && (nx.comp == kNone || lower_case(text, toks[nx.comp]))) return;
          }
          stack[sp++] = {node, next_slot, f.depth + 1, me};
        };
        visit(s.term, s.tok, f.slot + 1, false);
        if (s.comp_term != kNone) visit(s.comp_term, s.comp, f.slot + s.comp_span, false);
        if (s.term == kNone && s.strip_s_term == kLater) {
          s.strip_s_term = kNone;
          if (t.kind == Token::Kind::word && t.capitalised && t.term.size() > 3 && t.term.back() == 's' &&
              t.end - t.start == t.term.size())
            s.strip_s_term = im.flat_vocab.find(std::string_view(t.term).substr(0, t.term.size() - 1));
        }
        if (s.term == kNone && s.strip_s_term != kNone) {
          // "Chinas stance": a possessive written without its apostrophe,
          // accepted only before a lower-case word.
          std::uint32_t nx = f.slot + 1;
          if (nx < slots.size() && !toks[slots[nx].tok].capitalised && toks[slots[nx].tok].kind == Token::Kind::word)
            visit(s.strip_s_term, s.tok, nx, true);
        }
      }
      if (found && best.short_only && !best.bare_possessive) {
        // A short form followed, across a plain space, by another capitalised
        // word is the start of a longer name the gazetteer does not know
        // ("Kim Jong-nam", "Lee Sung-yoon"): not a short form.
        std::uint32_t nx = best.first + best.len;
        std::string_view surface = text.substr(best.start, best.end - best.start);
        if (nx < slots.size() && strip_possessive(surface).size() == surface.size()) {
          const Token& next = toks[slots[nx].tok];
          std::string_view gap = text.substr(best.end, next.start - std::min(next.start, best.end));
          if (next.capitalised && !gap.empty() && gap.find_first_not_of(' ') == std::string_view::npos) found = false;
        }
      }
      if (found) cands.push_back(best);
    }
    // Longest first; a full alias before a short form; then text order.
    std::sort(cands.begin(), cands.end(), [](const Candidate& a, const Candidate& b) {
      if (a.len != b.len) return a.len > b.len;
      if (a.short_only != b.short_only) return !a.short_only;
      return a.first < b.first;
    });
    used.assign(slots.size(), 0);
    std::size_t before = chosen.size();
    for (const Candidate& c : cands) {
      bool free = true;
      for (std::uint32_t k = c.first; k < c.first + c.len && free; ++k) free = !used[k];
      if (!free) continue;
      for (std::uint32_t k = c.first; k < c.first + c.len; ++k) used[k] = 1;
      chosen.push_back(c);
    }
    std::sort(chosen.begin() + before, chosen.end(),
              [](const Candidate& a, const Candidate& b) { return a.first < b.first; });
  }

  // Resolution, in text order. First: which actors the article names in full.
  auto full_actor = [&](const Candidate& c) -> std::uint32_t {
    // The one actor of the full entries whose case matched; kNone when several.
    std::uint32_t actor = kNone;
    for (const Impl::Hit& en : im.hits_at(c.node)) {
      if (en.short_form) continue;
      if (actor != kNone && actor != en.actor) return kNone;
      actor = en.actor;
    }
    return actor;
  };
  auto term_at = [&](const Candidate& c, std::int64_t slot) -> std::string_view {
    if (slot < 0 || slot >= static_cast<std::int64_t>(all_slots[c.passage].size())) return {};
    return tokens[c.passage][all_slots[c.passage][slot].tok].term;
  };
  auto possessive = [&](const Candidate& c) {
    if (c.bare_possessive) return true;
    std::string_view surface = text.substr(c.start, c.end - c.start);
    if (strip_possessive(surface).size() != surface.size()) return true;
    std::string_view after = text.substr(c.end, 4);
    return after.starts_with("'s") || after.starts_with("\xE2\x80\x99s");
  };
  // Per actor: the order of its first and of its latest full mention so far,
  // in arrays indexed by actor that live with the thread; a generation stamp
  // marks the entries written for this article, so nothing is cleared.
  if (buf.stamp.size() < gazetteer_.actors().size()) {
    buf.stamp.assign(gazetteer_.actors().size(), 0);
    buf.first_full.assign(gazetteer_.actors().size(), 0);
    buf.last_full.assign(gazetteer_.actors().size(), 0);
    buf.generation = 0;
  }
  if (++buf.generation == 0) {  // wrapped: start afresh
    std::fill(buf.stamp.begin(), buf.stamp.end(), 0);
    buf.generation = 1;
  }
  const std::uint32_t gen = buf.generation;
  auto named = [&](std::uint32_t a) { return buf.stamp[a] == gen; };
  std::vector<std::uint32_t>& resolved = buf.resolved;
  std::vector<std::uint8_t>& as_place = buf.as_place;
  resolved.assign(chosen.size(), kNone);
  as_place.assign(chosen.size(), 0);
  for (std::uint32_t k = 0; k < chosen.size(); ++k) {
    const Candidate& c = chosen[k];
    if (c.short_only) continue;
    std::uint32_t actor = full_actor(c);
    if (actor == kNone) continue;
    std::uint32_t state = im.capital_state[actor];
    bool metonymic = false;
    for (const Impl::Hit& en : im.hits_at(c.node)) metonymic |= en.actor == actor && en.metonymic;
    if (metonymic && state != kNone && c.len == 1) {
      // Capital-city metonymy (docs/gazetteer.md "Capitals").
      bool place = false;
      if (!possessive(c)) {
        std::string_view prev = term_at(c, std::int64_t{c.first} - 1);
        if (locative_words().count(prev)) {
          place = true;
        } else if (prev == "to" || prev == "from" || prev == "into") {
          for (std::int64_t b = std::int64_t{c.first} - 2; b >= std::int64_t{c.first} - 6 && !place; --b)
            place = motion_words().count(term_at(c, b)) > 0;
        } else if ((prev == "and" || prev == "or") && k > 0 && as_place[k - 1] && chosen[k - 1].passage == c.passage &&
                   chosen[k - 1].first + chosen[k - 1].len + 1 == c.first) {
          place = true;
        }
      }
      as_place[k] = place;
      actor = place ? actor : state;
    }
    resolved[k] = actor;
    if (!named(actor)) {
      buf.stamp[actor] = gen;
      buf.first_full[actor] = k;
      buf.last_full[actor] = kNone;  // set as the second pass reaches it
    }
  }
  // Short forms (and aliases shared by several actors): the candidate named
  // in full most recently before; else the one first named in full later.
  for (std::uint32_t k = 0; k < chosen.size(); ++k) {
    const Candidate& c = chosen[k];
    if (resolved[k] != kNone) {
      buf.last_full[resolved[k]] = k;
      continue;
    }
    std::uint32_t best = kNone, best_at = 0;
    bool best_before = false;
    for (const Impl::Hit& en : im.hits_at(c.node)) {
      std::uint32_t a = en.actor;
      if (!named(a)) continue;
      if (buf.last_full[a] != kNone) {
        if (!best_before || buf.last_full[a] > best_at) {
          best = a;
          best_at = buf.last_full[a];
          best_before = true;
        }
      } else if (!best_before && (best == kNone || buf.first_full[a] < best_at)) {
        best = a;
        best_at = buf.first_full[a];
      }
    }
    resolved[k] = best;
  }

  std::vector<Mention> out;
  out.reserve(chosen.size());
  for (std::uint32_t k = 0; k < chosen.size(); ++k) {
    if (resolved[k] == kNone) continue;
    const Candidate& c = chosen[k];
    std::string_view surface = strip_possessive(text.substr(c.start, c.end - c.start));
    if (c.bare_possessive) surface.remove_suffix(1);
    Mention m;
    m.actor = resolved[k];
    m.start = c.start;
    m.end = c.start + static_cast<std::uint32_t>(surface.size());
    m.passage = passages[c.passage].ordinal;
    m.surface = std::string(surface);
    out.push_back(std::move(m));
  }
  return out;
}

}  // namespace lipsteeth::analyzers
