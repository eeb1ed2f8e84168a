#include "searcher/snippet.h"

#include <algorithm>
#include <array>
#include <cstdint>

#include "analyzers/stemmer.h"
#include "analyzers/tokenizer.h"

namespace lipsteeth::searcher {

namespace {

using analyzers::Token;

analyzers::Stemmer& thread_stemmer() {
  static thread_local analyzers::Stemmer stemmer("english");
  return stemmer;
}

// How many first letters a word shares with its Snowball English stem at
// least: all but the last three of a longer stem ("ability" -> "abil"), all
// but the last of a short one ("cities" -> "citi"), the first of the stems
// of Porter2's exceptional forms ("dying" -> "die", "skies" -> "sky").
// Checked over the 91,000 distinct words of the generated 200 MB corpus,
// Cranfield and SciFact.
std::size_t stem_prefix(const std::string& stem) {
  static constexpr std::string_view kExceptional[] = {"die", "lie", "tie", "ski", "sky", "idl", "ugli", "onli", "earli"};
  for (std::string_view e : kExceptional)
    if (stem == e) return 1;
  if (stem.size() > 4) return stem.size() - 3;
  return stem.size() > 2 ? stem.size() - 1 : stem.size();
}

// A stem is never longer than its word and shares its first letters: a
// cheap test that spares stemming most words of a passage.
bool may_stem_to(const std::string& term, const MatchSet& match) {
  for (const auto& s : match.stems)
    if (!s.empty() && s.size() <= term.size() && term.compare(0, stem_prefix(s), s, 0, stem_prefix(s)) == 0)
      return true;
  return false;
}

bool term_matches(const std::string& term, const MatchSet& match) {
  if (match.exact.count(term)) return true;
  if (!match.stems.empty() && !(term[0] >= '0' && term[0] <= '9') && may_stem_to(term, match) &&
      match.stems.count(thread_stemmer().stem(term)))
    return true;
  for (const auto& p : match.prefixes)
    if (term.size() >= p.size() && term.compare(0, p.size(), p) == 0) return true;
  return false;
}

std::vector<Range> merge(std::vector<Range> r) {
  std::sort(r.begin(), r.end(), [](const Range& a, const Range& b) {
    return a.start != b.start ? a.start < b.start : a.end > b.end;
  });
  std::vector<Range> out;
  for (const Range& x : r) {
    if (x.end <= x.start) continue;
    if (!out.empty() && x.start <= out.back().end) {
      out.back().end = std::max(out.back().end, x.end);
    } else {
      out.push_back(x);
    }
  }
  return out;
}

bool is_ascii_space(char c) { return c == ' ' || c == '\n' || c == '\t' || c == '\r'; }

// Lower-cased ASCII copy (for counting distinct highlighted words).
std::string key_of(std::string_view s) {
  std::string k(s);
  for (char& c : k)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return k;
}

// Bytes as chunk keys see them: 0 dropped (punctuation), ' ' ASCII white
// space, 1 not ASCII, else the lower-cased letter or digit.
const std::array<char, 256>& fold_table() {
  static const std::array<char, 256> table = [] {
    std::array<char, 256> t{};
    for (int c = 0; c < 256; ++c) {
      if (c >= 0x80) t[c] = 1;
      else if (c >= 'A' && c <= 'Z') t[c] = static_cast<char>(c - 'A' + 'a');
      else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) t[c] = static_cast<char>(c);
      else if (is_ascii_space(static_cast<char>(c))) t[c] = ' ';
    }
    return t;
  }();
  return table;
}

// Lower-cased ASCII letters and digits of `s`, the rest dropped.
std::string alnum_key(std::string_view s) {
  const auto& fold = fold_table();
  std::string k;
  for (char c : s)
    if (const char f = fold[static_cast<unsigned char>(c)]; f != 0 && f != 1 && f != ' ') k += f;
  return k;
}

// What any token that can match must contain, as alnum_key() of its text:
// the whole of an exact word or a wildcard prefix, the start of a stem.
// Folding ASCII only lowers letters and drops dots, commas, apostrophes and
// hyphens, so a matching token's key holds the needle. A stem's needle is
// the part its words share (stem_prefix). Empty when some needle is shorter
// than two letters: then too few chunks can be ruled out to pay for the
// test.
std::vector<std::string> needles_of(const MatchSet& match) {
  std::vector<std::string> out;
  auto add = [&](std::string k) {
    if (k.size() < 2) return false;
    out.push_back(std::move(k));
    return true;
  };
  for (const auto& e : match.exact)
    if (!add(alnum_key(e))) return {};
  for (const auto& p : match.prefixes)
    if (!add(alnum_key(p))) return {};
  for (const auto& st : match.stems) {
    std::string k = alnum_key(st.substr(0, stem_prefix(st)));
    if (!add(std::move(k))) return {};
  }
  for (const auto& phrase : match.phrases)
    for (const auto& w : phrase)
      if (!add(alnum_key(w))) return {};
  // A key holding a needle that holds another needle holds that one too:
  // only the needles that hold no other are looked for, shortest first.
  std::sort(out.begin(), out.end(), [](const std::string& a, const std::string& b) {
    return a.size() != b.size() ? a.size() < b.size() : a < b;
  });
  out.erase(std::unique(out.begin(), out.end()), out.end());
  std::vector<std::string> minimal;
  for (auto& n : out) {
    bool holds_other = false;
    for (const auto& m : minimal) holds_other = holds_other || n.find(m) != std::string::npos;
    if (!holds_other) minimal.push_back(std::move(n));
  }
  return minimal;
}

// Whether `key` holds one of `needles` (sorted by length, as needles_of
// gives them). Keys are words: a few letters, where a call of find() per
// needle costs more than the comparison.
bool holds_needle(std::string_view key, const std::vector<std::string>& needles) {
  for (const auto& nd : needles) {
    const std::size_t m = nd.size();
    if (m > key.size()) return false;  // the rest are longer still
    const char first = nd[0];
    for (std::size_t i = 0; i + m <= key.size(); ++i) {
      if (key[i] != first) continue;
      std::size_t j = 1;
      while (j < m && key[i + j] == nd[j]) ++j;
      if (j == m) return true;
    }
  }
  return false;
}

// The runs of adjacent chunks of `text` (between ASCII white space) that
// may hold a matching token: no token spans white space (UAX #29 joins
// nothing across it), and most words of a passage are not the query's. A
// chunk may when its key (alnum_key) holds a needle, or when it has other
// than ASCII (folded by ICU). False when most chunks may: then tokenizing
// the whole text at once is cheaper. One pass, chunk by chunk, each key
// built in a buffer on the stack. Typographic quotes, dashes and the
// ellipsis (U+2018/9, U+201C/D, U+2013/4, U+2026) count as punctuation
// here, like their ASCII forms: they are never part of a word, and would
// otherwise send most chunks of an English text to ICU.
bool candidate_runs(std::string_view text, const std::vector<std::string>& needles, std::vector<Range>& runs) {
  const auto& fold = fold_table();
  runs.clear();
  char key[128];
  std::size_t chunks = 0, candidates = 0;
  bool previous = false;  // the chunk before was a candidate
  const std::size_t n = text.size();
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  for (std::size_t i = 0; i < n;) {
    if (fold[byte(i)] == ' ') {
      ++i;
      continue;
    }
    const std::size_t start = i;
    bool other = false;
    std::size_t k = 0;
    for (; i < n; ++i) {
      const char f = fold[byte(i)];
      if (f == ' ') break;
      if (f == 1) {
        if (byte(i) == 0xE2 && i + 2 < n && byte(i + 1) == 0x80) {
          const unsigned char c = byte(i + 2);
          if (c == 0x98 || c == 0x99 || c == 0x9C || c == 0x9D || c == 0x93 || c == 0x94 || c == 0xA6) {
            i += 2;
            continue;
          }
        }
        other = true;
      } else if (f != 0) {
        if (k == sizeof key) other = true;  // a very long chunk: left to the tokenizer
        else key[k++] = f;
      }
    }
    ++chunks;
    const bool candidate = other || holds_needle(std::string_view(key, k), needles);
    if (candidate) {
      ++candidates;
      if (previous) runs.back().end = static_cast<std::uint32_t>(i);
      else runs.push_back({static_cast<std::uint32_t>(start), static_cast<std::uint32_t>(i)});
    }
    previous = candidate;
  }
  return candidates * 3 <= chunks;
}

// Letters (ASCII) each followed by a dot but the last: "U.S", "D.P.R.K".
bool is_dotted_acronym(std::string_view s) {
  if (s.size() < 3 || s.size() % 2 == 0) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    const bool letter = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    if (i % 2 == 0 ? !letter : c != '.') return false;
  }
  return true;
}

void add_matching(std::string_view text, std::uint32_t base, const MatchSet& match, std::vector<Range>& found) {
  analyzers::TokenizeOptions o;
  o.base = base;
  const std::vector<Token> tokens = analyzers::tokenize(text, o);
  for (const Token& t : tokens)
    if (!t.term.empty() && term_matches(t.term, match)) found.push_back({t.start, t.end});
  if (match.phrases.empty()) return;
  // The phrases, over the words and parts (a compound shares its first
  // part's position): each word where the one before it ends, one position on.
  std::vector<const Token*> words;
  for (const Token& t : tokens)
    if (t.kind != Token::Kind::compound) words.push_back(&t);
  for (const auto& phrase : match.phrases) {
    if (phrase.empty() || phrase.size() > words.size()) continue;
    for (std::size_t i = 0; i + phrase.size() <= words.size(); ++i) {
      std::size_t k = 0;
      while (k < phrase.size() && words[i + k]->term == phrase[k] &&
             words[i + k]->position == words[i]->position + k)
        ++k;
      if (k == phrase.size()) found.push_back({words[i]->start, words[i + k - 1]->end});
    }
  }
}

}  // namespace

std::vector<Range> find_highlights(std::string_view text, const MatchSet& match,
                                   const std::vector<MentionSpan>& mentions) {
  std::vector<Range> found;
  if (!match.exact.empty() || !match.stems.empty() || !match.prefixes.empty() || !match.phrases.empty()) {
    const std::vector<std::string> needles = needles_of(match);
    std::vector<Range> runs;
    if (!needles.empty() && candidate_runs(text, needles, runs)) {
      for (const Range& r : runs) add_matching(text.substr(r.start, r.end - r.start), r.start, match, found);
    } else {
      add_matching(text, 0, match, found);
    }
  }
  for (const auto& m : mentions) {
    if (!match.actors.count(m.actor_id)) continue;
    if (m.range.start < m.range.end && m.range.end <= text.size()) found.push_back(m.range);
  }
  return merge(std::move(found));
}

void take_acronym_dots(std::string_view text, std::vector<Range>& highlights) {
  for (Range& r : highlights)
    if (r.end < text.size() && text[r.end] == '.' && (r.end + 1 == text.size() || text[r.end + 1] != '.') &&
        is_dotted_acronym(text.substr(r.start, r.end - r.start)))
      ++r.end;
}

Snippet make_snippet(std::string_view text, const std::vector<Range>& highlights, std::size_t target_bytes) {
  static constexpr std::string_view kEllipsis = "\u2026";
  Snippet s;
  const std::size_t n = text.size();
  std::size_t start = 0, end = n;

  if (n > target_bytes + target_bytes / 4) {
    // Each highlight's word as a small number (equal words lower-cased,
    // equal numbers): a window's distinct words are counted in an array,
    // without a string or a map per window.
    const std::vector<Range>& hs = highlights;
    std::vector<std::string> words;
    std::vector<std::uint32_t> word_of(hs.size());
    for (std::size_t i = 0; i < hs.size(); ++i) {
      std::string k = key_of(text.substr(hs[i].start, hs[i].end - hs[i].start));
      const auto it = std::find(words.begin(), words.end(), k);
      word_of[i] = static_cast<std::uint32_t>(it - words.begin());
      if (it == words.end()) words.push_back(std::move(k));
    }
    std::vector<std::size_t> seen_in(words.size(), SIZE_MAX);  // the window that last saw each word
    // Candidate windows start a little before each highlight (and at 0).
    const std::size_t lead = std::min<std::size_t>(target_bytes / 5, 60);
    std::vector<std::size_t> starts{0};
    for (const Range& h : hs) starts.push_back(h.start > lead ? h.start - lead : 0);
    long best_score = -1;
    for (std::size_t w = 0; w < starts.size(); ++w) {
      // Move to a word start.
      std::size_t a = starts[w];
      if (a > 0) {
        while (a < n && !is_ascii_space(text[a - 1])) ++a;
        // A sentence start close behind is a nicer cut.
        for (std::size_t b = a; b > 0 && a - b < lead; --b) {
          if (b >= 2 && is_ascii_space(text[b - 1]) && (text[b - 2] == '.' || text[b - 2] == '?' || text[b - 2] == '!')) {
            a = b;
            break;
          }
        }
      }
      if (a >= n) continue;
      std::size_t e = std::min(n, a + target_bytes);
      if (e < n) {
        std::size_t cut = e;
        while (cut > a && !is_ascii_space(text[cut])) --cut;
        if (cut > a) e = cut;
      }
      long distinct = 0, count = 0;
      for (std::size_t i = 0; i < hs.size(); ++i) {
        if (hs[i].start < a || hs[i].end > e) continue;
        ++count;
        if (seen_in[word_of[i]] != w) {
          seen_in[word_of[i]] = w;
          ++distinct;
        }
      }
      const long score = distinct * 1000 + count;
      if (score > best_score) {
        best_score = score;
        start = a;
        end = e;
      }
    }
  }
  // Trim whitespace at the cut ends.
  while (start < end && is_ascii_space(text[start])) ++start;
  while (end > start && is_ascii_space(text[end - 1])) --end;

  std::size_t shift = 0;
  if (start > 0) {
    s.text += kEllipsis;
    shift = kEllipsis.size();
  }
  std::string body(text.substr(start, end - start));
  for (char& c : body)
    if (c == '\n' || c == '\t' || c == '\r') c = ' ';  // one byte for one: offsets hold
  s.text += body;
  if (end < n) s.text += kEllipsis;
  for (const Range& h : highlights) {
    if (h.end <= start || h.start >= end) continue;
    std::size_t a = std::max<std::size_t>(h.start, start), b = std::min<std::size_t>(h.end, end);
    s.highlights.push_back({static_cast<std::uint32_t>(a - start + shift), static_cast<std::uint32_t>(b - start + shift)});
  }
  return s;
}

}  // namespace lipsteeth::searcher
