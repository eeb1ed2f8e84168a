// The tagger's hot-path tables: word probes and open-addressing maps.
// Internal to analyzers/tagger.cpp.
#pragma once

#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

namespace lipsteeth::analyzers::detail {

// Whether a word of eight bytes (zero-padded) holds '\'': the classic "has
// zero byte" test on x XOR 0x2727...
inline bool apostrophe_in(std::uint64_t x) {
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL, kHighs = 0x8080808080808080ULL;
  x ^= kOnes * '\'';
  return ((x - kOnes) & ~x & kHighs) != 0;
}

// Whether `s` contains '\'', eight bytes at a time.
inline bool has_apostrophe(std::string_view s) {
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


}  // namespace lipsteeth::analyzers::detail
