// The actor tagger.
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
#include <limits>
#include <span>
#include <unordered_map>
#include <unordered_set>

#include "analyzers/alias_text.h"
#include "analyzers/tagger_tables.h"
#include "analyzers/variants.h"

namespace lipsteeth::analyzers {

using namespace detail;

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
  // Whether `path` already ends an alias or short form of an actor other than `actor`.
  bool taken_by_other(const Path& path, std::uint32_t actor) const {
    std::uint32_t node = 0;
    for (const std::string& key : path.keys) {
      auto v = vocab.find(key);
      if (v == vocab.end()) return false;
      auto it = edges.find((std::uint64_t{node} << 32) | v->second);
      if (it == edges.end()) return false;
      node = it->second;
    }
    for (std::uint32_t e : nodes[node].entries)
      if (entries[e].actor != actor) return true;
    return false;
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
  std::vector<char> place_type;              // per actor: of type place (matched, never a mention)

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
  impl_->place_type.assign(actors.size(), 0);
  for (std::uint32_t i = 0; i < actors.size(); ++i) impl_->place_type[i] = actors[i].type == "place";
  for (std::uint32_t i = 0; i < actors.size(); ++i) {
    const Actor& a = actors[i];
    bool person = a.type == "person";
    if (!a.capital_of.empty())
      if (auto it = by_id.find(a.capital_of); it != by_id.end()) impl_->capital_state[i] = it->second;
    auto add_alias = [&](const std::string& al) {
      for (const Path& p : alias_paths(al, person)) {
        Impl::Entry e;
        e.actor = i;
        e.metonymic = impl_->capital_state[i] != Impl::kNone && p.keys.size() == 1;
        impl_->insert(p, std::move(e));
      }
    };
    for (const std::string& al : a.aliases) add_alias(al);
    for (const std::string& sf : a.short_forms) {
      for (const Path& p : alias_paths(sf, false)) {
        Impl::Entry e;
        e.actor = i;
        e.short_form = true;
        impl_->insert(p, std::move(e));
      }
    }
  }
  // Then the spellings the romanisation rules give for each alias
  // (variants.h: "Kim Jung-il", "Gaeseong", "Mao Tse-tung"), where no alias
  // of another actor is written that way: a listed alias beats a rule.
  for (std::uint32_t i = 0; i < actors.size(); ++i) {
    const Actor& a = actors[i];
    for (const std::string& al : a.aliases)
      for (const std::string& v : romanisation_variants(al, a.type))
        for (const Path& p : alias_paths(v, a.type == "person")) {
          if (impl_->taken_by_other(p, i)) continue;
          Impl::Entry e;
          e.actor = i;
          e.metonymic = impl_->capital_state[i] != Impl::kNone && p.keys.size() == 1;
          impl_->insert(p, std::move(e));
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
  // A name broken over one line break (with the next line's indent) or
  // wrapped in Markdown emphasis ("**Kim** Jong-un") is still one name; a
  // blank line is not crossed.
  std::size_t newlines = 0, other = 0;
  for (std::size_t i = 0; i < gap.size(); ++i) {
    unsigned char c = gap[i];
    if (c == '\n') {
      if (++newlines > 1) return false;
      continue;
    }
    if (c == ' ' || c == '\t' || c == '\r') continue;
    if (++other > 8) return false;
  }
  for (std::size_t i = 0; i < gap.size(); ++i) {
    unsigned char c = gap[i];
    if (c == ' ' || c == '-' || c == '\'' || c == ',' || c == '\n' || c == '\t' || c == '\r' || c == '*' || c == '_') continue;
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

struct AliasMatch {
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
    std::vector<AliasMatch> chosen, cands;
    std::vector<std::uint8_t> used;
    std::vector<std::uint32_t> starters;  // slots where an alias may start
    std::string scratch;
    std::vector<std::uint32_t> resolved;
    std::vector<std::uint8_t> as_place;
    std::vector<std::uint32_t> stamp, first_full, last_full;  // per actor
    std::uint32_t generation = 0;
  };
  thread_local Buffers buf;
  std::vector<AliasMatch>& chosen = buf.chosen;
  std::vector<AliasMatch>& cands = buf.cands;
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
      AliasMatch best;
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
    std::sort(cands.begin(), cands.end(), [](const AliasMatch& a, const AliasMatch& b) {
      if (a.len != b.len) return a.len > b.len;
      if (a.short_only != b.short_only) return !a.short_only;
      return a.first < b.first;
    });
    used.assign(slots.size(), 0);
    std::size_t before = chosen.size();
    for (const AliasMatch& c : cands) {
      bool free = true;
      for (std::uint32_t k = c.first; k < c.first + c.len && free; ++k) free = !used[k];
      if (!free) continue;
      for (std::uint32_t k = c.first; k < c.first + c.len; ++k) used[k] = 1;
      chosen.push_back(c);
    }
    std::sort(chosen.begin() + before, chosen.end(),
              [](const AliasMatch& a, const AliasMatch& b) { return a.first < b.first; });
  }

  // Resolution, in text order. First: which actors the article names in full.
  auto full_actor = [&](const AliasMatch& c) -> std::uint32_t {
    // The one actor of the full entries whose case matched; kNone when several.
    std::uint32_t actor = kNone;
    for (const Impl::Hit& en : im.hits_at(c.node)) {
      if (en.short_form) continue;
      if (actor != kNone && actor != en.actor) return kNone;
      actor = en.actor;
    }
    return actor;
  };
  auto term_at = [&](const AliasMatch& c, std::int64_t slot) -> std::string_view {
    if (slot < 0 || slot >= static_cast<std::int64_t>(all_slots[c.passage].size())) return {};
    return tokens[c.passage][all_slots[c.passage][slot].tok].term;
  };
  auto possessive = [&](const AliasMatch& c) {
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
    const AliasMatch& c = chosen[k];
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
    const AliasMatch& c = chosen[k];
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
    // A place is matched (so that "Kim Il-sung Square" is not the person,
    // and a capital can stand for its state) but is no actor: "a week in
    // Beijing" gives no mention (docs/gazetteer.md "Places").
    if (im.place_type[resolved[k]]) continue;
    const AliasMatch& c = chosen[k];
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
