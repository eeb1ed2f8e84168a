// Tokenisation: ICU word boundaries, then lipsteeth's folding rules.
//
// Speed: the text is converted to UTF-16 once per call, together with a table
// of the byte offset of every UTF-16 unit, so that byte offsets cost nothing.
// When every character of the text is below U+2080 (ASCII, Latin, Greek,
// Cyrillic, general punctuation: typographic quotes, dashes, NBSP, ellipsis)
// and of a word-break class that needs none of the rules for marks, emoji,
// Hebrew, kana or dictionary scripts, the word boundaries come from a small
// scanner that applies ICU's root word rules (UAX #29 as CLDR tailors it) to
// those classes; otherwise from ICU's BreakIterator. Both give the same
// boundaries and word statuses; everything after that is shared.
// Each thread has its own clone of the word BreakIterator (ICU iterators are
// not thread-safe). Words made of ASCII letters (after the typographic
// apostrophe is folded) are lower-cased directly; only the rest go through
// ICU's NFKC_Casefold normaliser.
#include "analyzers/tokenizer.h"

#include <atomic>
#include <cstring>
#include <memory>
#include <mutex>

#include <unicode/brkiter.h>
#include <unicode/locid.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/utext.h>
#include <unicode/utf16.h>
#include <unicode/utf8.h>

#include "analyzers/error.h"

namespace lipsteeth::analyzers {
namespace {

// ---------------------------------------------------------------- ICU objects

icu::BreakIterator* word_iterator() {
  static std::unique_ptr<icu::BreakIterator> prototype;
  static std::once_flag once;
  std::call_once(once, [] {
    UErrorCode ec = U_ZERO_ERROR;
    prototype.reset(icu::BreakIterator::createWordInstance(icu::Locale::getRoot(), ec));
    if (U_FAILURE(ec)) prototype.reset();
  });
  if (!prototype) throw Error("ICU word break iterator unavailable (ICU data missing?)");
  thread_local std::unique_ptr<icu::BreakIterator> mine(prototype->clone());
  return mine.get();
}

// An ICU normaliser instance (owned by ICU), or Error when ICU's data is missing.
const icu::Normalizer2& normalizer(const icu::Normalizer2* (*get)(UErrorCode&), const char* name) {
  UErrorCode ec = U_ZERO_ERROR;
  const icu::Normalizer2* n = get(ec);
  if (U_FAILURE(ec) || !n) throw Error(std::string("ICU ") + name + " normaliser unavailable (ICU data missing?)");
  return *n;
}

const icu::Normalizer2& nfkc_casefold() {
  static const icu::Normalizer2& n = normalizer(&icu::Normalizer2::getNFKCCasefoldInstance, "NFKC_Casefold");
  return n;
}

const icu::Normalizer2& nfd() {
  static const icu::Normalizer2& n = normalizer(&icu::Normalizer2::getNFDInstance, "NFD");
  return n;
}

// ------------------------------------------------------------- character sets

bool is_apostrophe(UChar c) { return c == 0x27 || c == 0x2019 || c == 0x2018 || c == 0x02BC; }

// Joiners of hyphenated words: HYPHEN-MINUS, HYPHEN, NON-BREAKING HYPHEN.
// Dashes (en, em) separate words and are deliberately not here.
bool is_hyphen(UChar c) { return c == 0x2D || c == 0x2010 || c == 0x2011; }

bool is_ascii_digit(UChar c) { return c >= '0' && c <= '9'; }

// ------------------------------------------------- word-break classes (fast path)

// The classes of ICU's root word rules that the scanner handles. `uncovered`
// marks a character whose class needs other rules (Extend, Format, ZWJ,
// Extended_Pictographic, Katakana, Hebrew_Letter, Regional_Indicator,
// complex-context scripts): a text containing one goes to ICU.
enum Wb : std::uint8_t {
  wb_uncovered,
  wb_other,  // Other, Double_Quote (it matters only between Hebrew letters), Newline
  wb_cr,
  wb_lf,
  wb_space,  // WSegSpace
  wb_letter,  // ALetter
  wb_numeric,
  wb_extend_num_let,
  wb_mid_letter,
  wb_mid_num,
  wb_mid_num_let,
  wb_single_quote,
};

// Code points below this are classified by the table; all others are uncovered.
constexpr UChar kCoveredLimit = 0x2080;

Wb classify(UChar32 c) {
  if (u_hasBinaryProperty(c, UCHAR_EXTENDED_PICTOGRAPHIC) || u_hasBinaryProperty(c, UCHAR_IDEOGRAPHIC) ||
      u_getIntPropertyValue(c, UCHAR_LINE_BREAK) == U_LB_COMPLEX_CONTEXT) {
    return wb_uncovered;
  }
  // ICU's root rules: $ALetter = [\p{Word_Break = ALetter} @] and
  // $MidLetter = [\p{Word_Break = MidLetter} - [\: \uFE55 \uFF1A]].
  if (c == '@') return wb_letter;
  switch (u_getIntPropertyValue(c, UCHAR_WORD_BREAK)) {
    case U_WB_OTHER:
    case U_WB_DOUBLE_QUOTE:
    case U_WB_NEWLINE: return wb_other;
    case U_WB_CR: return wb_cr;
    case U_WB_LF: return wb_lf;
    case U_WB_WSEGSPACE: return wb_space;
    case U_WB_ALETTER: return wb_letter;
    case U_WB_NUMERIC: return wb_numeric;
    case U_WB_EXTENDNUMLET: return wb_extend_num_let;
    case U_WB_MIDLETTER: return c == ':' ? wb_other : wb_mid_letter;
    case U_WB_MIDNUM: return wb_mid_num;
    case U_WB_MIDNUMLET: return wb_mid_num_let;
    case U_WB_SINGLE_QUOTE: return wb_single_quote;
    default: return wb_uncovered;
  }
}

// The classes of the code points below kCoveredLimit, filled a block of 128
// at a time on first use (a short run, such as a query, needs only a block
// or two; the ICU lookups for all of them cost more than tokenising it).
class WbTable {
 public:
  static constexpr int kBlock = 128;

  const Wb* data() const { return table_; }
  // Makes sure the class of `c` (< kCoveredLimit) is in the table.
  void need(UChar32 c) {
    const int b = c / kBlock;
    if (!ready_[b].load(std::memory_order_acquire)) fill(b);
  }

 private:
  void fill(int b) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (ready_[b].load(std::memory_order_relaxed)) return;
    for (UChar32 c = b * kBlock; c < (b + 1) * kBlock; ++c) table_[c] = classify(c);
    ready_[b].store(true, std::memory_order_release);
  }

  static_assert(kCoveredLimit % kBlock == 0);
  Wb table_[kCoveredLimit] = {};
  std::atomic<bool> ready_[kCoveredLimit / kBlock] = {};
  std::mutex mutex_;
};

WbTable& wb_table() {
  static WbTable table;
  return table;
}

// Word boundaries by ICU's root word rules over a text whose characters are
// all covered (so each is one UTF-16 unit and no rule for marks applies):
//   CR x LF; WSegSpace x WSegSpace;
//   (ALetter | Numeric | ExtendNumLet) x (ALetter | Numeric | ExtendNumLet)  (WB5, 8-10, 13a-b)
//   ALetter x (MidLetter | MidNumLet | Single_Quote) ALetter  (WB6-7)
//   Numeric x (MidNum | MidNumLet | Single_Quote) Numeric  (WB11-12)
// and a break everywhere else. A segment is a word (ICU status >= 100)
// when it ends in a letter or digit, or is two or more ExtendNumLet.
class FastWordScanner {
 public:
  FastWordScanner(const UChar* u, int32_t len) : u_(u), len_(len), wb_(wb_table().data()) {}

  // The next boundary after the last one, or -1 at the end.
  [[gnu::always_inline]] int32_t next() {
    int32_t i = pos_;
    if (i >= len_) return -1;
    const Wb c = wb_[u_[i]];
    word_ = false;
    ++i;
    if (joins(c)) {
      for (;;) {
        while (i < len_ && joins(wb_[u_[i]])) ++i;
        if (i + 1 >= len_) break;
        const Wb last = wb_[u_[i - 1]];
        const Wb d = wb_[u_[i]];
        if ((last == wb_letter || last == wb_numeric) &&
            (d == wb_mid_num_let || d == wb_single_quote || d == (last == wb_letter ? wb_mid_letter : wb_mid_num)) &&
            wb_[u_[i + 1]] == last) {
          i += 2;
          continue;
        }
        break;
      }
      word_ = wb_[u_[i - 1]] != wb_extend_num_let || i - pos_ > 1;
    } else if (c == wb_cr) {
      if (i < len_ && wb_[u_[i]] == wb_lf) ++i;
    } else if (c == wb_space) {
      while (i < len_ && wb_[u_[i]] == wb_space) ++i;
    }
    pos_ = i;
    return i;
  }
  // Whether the segment that next() ended is a word.
  bool word() const { return word_; }

 private:
  // ALetter, Numeric and ExtendNumLet join each other (WB5, WB8-10, WB13a-b).
  static bool joins(Wb c) { return static_cast<std::uint8_t>(c - wb_letter) <= wb_extend_num_let - wb_letter; }

  const UChar* u_;
  int32_t len_;
  const Wb* wb_;
  int32_t pos_ = 0;
  bool word_ = false;
};

// ICU's word BreakIterator over the same text, with the scanner's interface.
// Throws Error when ICU cannot take the text.
class IcuWordScanner {
 public:
  IcuWordScanner(const UChar* u, int32_t len);
  ~IcuWordScanner() { utext_close(&ut_); }
  IcuWordScanner(const IcuWordScanner&) = delete;
  IcuWordScanner& operator=(const IcuWordScanner&) = delete;

  int32_t next() {
    const int32_t b = it_->next();
    return b == icu::BreakIterator::DONE ? -1 : b;
  }
  bool word() const { return it_->getRuleStatus() >= UBRK_WORD_NONE_LIMIT; }

 private:
  icu::BreakIterator* it_;
  UText ut_ = UTEXT_INITIALIZER;
};

IcuWordScanner::IcuWordScanner(const UChar* u, int32_t len) : it_(word_iterator()) {
  UErrorCode ec = U_ZERO_ERROR;
  utext_openUChars(&ut_, u, len, &ec);
  it_->setText(&ut_, ec);
  if (U_FAILURE(ec)) {
    utext_close(&ut_);
    throw Error(std::string("ICU word break iterator failed: ") + u_errorName(ec));
  }
  it_->first();
}

// ------------------------------------------------------------ per-call buffers

// The text as UTF-16, and for each UTF-16 unit the byte offset (in the UTF-8
// text) of the code point it belongs to; off[len] is the text's byte length.
struct Buffers {
  std::vector<UChar> u;
  std::vector<std::uint32_t> off;
  int32_t len = 0;
  bool covered = true;  // every character has a class the fast scanner handles

  void load(std::string_view s) {
    const std::size_t need = s.size() + 1;
    if (u.size() < need) {
      u.resize(need);
      off.resize(need);
    }
    const auto* p = reinterpret_cast<const std::uint8_t*>(s.data());
    const int32_t n = static_cast<int32_t>(s.size());
    int32_t i = 0;
    int32_t k = 0;
    UChar* up = u.data();
    std::uint32_t* op = off.data();
    WbTable& table = wb_table();
    const Wb* wb = table.data();
    table.need(0);  // ASCII
    bool all_covered = true;
    while (i < n) {
      // Eight ASCII bytes at a time (the common case), then one at a time.
      std::uint64_t w;
      while (i + 8 <= n && (std::memcpy(&w, p + i, 8), (w & 0x8080808080808080ULL) == 0)) {
        for (int32_t j = 0; j < 8; ++j) {
          up[k + j] = p[i + j];
          op[k + j] = static_cast<std::uint32_t>(i + j);
        }
        i += 8;
        k += 8;
      }
      if (i >= n) break;
      const std::uint8_t b = p[i];
      if (b < 0x80) {
        up[k] = b;
        op[k++] = static_cast<std::uint32_t>(i++);
        continue;
      }
      const int32_t start = i;
      UChar32 c;
      // Ill-formed bytes become U+FFFD; offsets still point at the real bytes.
      U8_NEXT_OR_FFFD(p, i, n, c);
      if (all_covered) {
        if (c < kCoveredLimit) {
          table.need(c);
          all_covered = wb[c] != wb_uncovered;
        } else {
          all_covered = false;
        }
      }
      if (c <= 0xFFFF) {
        up[k] = static_cast<UChar>(c);
        op[k++] = static_cast<std::uint32_t>(start);
      } else {
        up[k] = U16_LEAD(c);
        op[k++] = static_cast<std::uint32_t>(start);
        up[k] = U16_TRAIL(c);
        op[k++] = static_cast<std::uint32_t>(start);
      }
    }
    op[k] = static_cast<std::uint32_t>(n);
    len = k;
    covered = all_covered;
  }
};

// A segment between two word boundaries that matters to us.
struct Segment {
  enum Type : std::uint8_t { word, hyphen, dot };
  int32_t a = 0;  // UTF-16 range
  int32_t b = 0;
  Type type = word;
};

// One folded unit inside a word segment ("U.S" is one piece; "example.com" two).
struct Piece {
  int32_t a = 0;
  int32_t b = 0;
  bool drop_dots = false;
  bool drop_commas = false;
};

struct State {
  Buffers buf;
  std::vector<Segment> segments;
  std::vector<Piece> pieces;
  icu::UnicodeString scratch;
  icu::UnicodeString folded;
  icu::UnicodeString decomposed;
};

State& state() {
  thread_local State s;
  return s;
}

// ------------------------------------------------------------------ splitting

// Splits the word segment [a, b) at '.' and ',' unless they belong to it:
// an acronym of single letters ("U.S", "e.g"), or a number with digit-group
// commas ("1,000", "1,000.50") or decimals ("3.14"). Appends to `out`.
void split_pieces(const UChar* u, int32_t a, int32_t b, std::vector<Piece>& out) {
  {
    int32_t i = a;
    while (i < b && u[i] != '.' && u[i] != ',') ++i;
    if (i == b) {  // the common case: neither
      out.push_back({a, b});
      return;
    }
  }
  bool has_dot = false;
  bool has_comma = false;
  bool numeric = true;  // only ASCII digits, '.' and ','
  for (int32_t i = a; i < b; ++i) {
    const UChar c = u[i];
    if (c == '.') {
      has_dot = true;
    } else if (c == ',') {
      has_comma = true;
    } else if (!is_ascii_digit(c)) {
      numeric = false;
    }
  }
  if (!has_dot && !has_comma) {
    out.push_back({a, b});
    return;
  }
  if (numeric && is_ascii_digit(u[a])) {
    // Digit groups: every comma followed by exactly three digits and then a
    // comma, a dot or the end; no comma after the decimal dot.
    bool grouped = has_comma;
    bool seen_dot = false;
    for (int32_t i = a; i < b && grouped; ++i) {
      if (u[i] == '.') seen_dot = true;
      if (u[i] != ',') continue;
      const bool three = i + 3 < b && is_ascii_digit(u[i + 1]) && is_ascii_digit(u[i + 2]) &&
                         is_ascii_digit(u[i + 3]);
      const bool then_sep = i + 4 == b || (i + 4 < b && (u[i + 4] == ',' || u[i + 4] == '.'));
      if (seen_dot || !three || !then_sep) grouped = false;
    }
    if (!has_comma || grouped) {
      out.push_back({a, b, false, has_comma});
      return;
    }
    // Not digit groups ("10,20"): the commas separate numbers.
    int32_t s = a;
    for (int32_t i = a; i <= b; ++i) {
      if (i == b || u[i] == ',') {
        if (i > s) out.push_back({s, i});
        s = i + 1;
      }
    }
    return;
  }
  if (has_dot && !has_comma) {
    // Acronym: single letters separated by dots.
    bool acronym = true;
    int32_t letters = 0;
    for (int32_t i = a; i < b && acronym;) {
      UChar32 c;
      U16_NEXT(u, i, b, c);
      if (!u_isalpha(c)) {
        acronym = false;
        break;
      }
      ++letters;
      if (i < b) {
        if (u[i] != '.') acronym = false;
        ++i;
      }
    }
    if (acronym && letters >= 2) {
      out.push_back({a, b, true, false});
      return;
    }
  }
  int32_t s = a;
  for (int32_t i = a; i <= b; ++i) {
    if (i == b || u[i] == '.' || u[i] == ',') {
      if (i > s) out.push_back({s, i});
      s = i + 1;
    }
  }
}

// ------------------------------------------------------------------- folding

// Removes diacritics from Latin letters in `in` (already NFKC_Casefolded) and
// appends the UTF-8 result to `out`.
// By hand from ICU's NFD data rather than with ICU's Transliterator
// ("[:Latin:] NFD; [:Nonspacing Mark:] Remove; NFC"), because a measurement
// says so (bench/fold_bench.cpp, BENCHMARKS.md "Diacritic stripping"): the
// two agree on every word measured, but the Transliterator alone takes 3 to
// 10 times what the whole fold_term() of the same words does, and it lives
// in libicui18n, which the default build does not link (analyzers/decode.cpp
// loads it only for charset detection: every search's start-up would pay).
void strip_latin_diacritics(const icu::UnicodeString& in, std::string& out, icu::UnicodeString& decomposed) {
  const icu::Normalizer2& d = nfd();
  bool after_latin = false;
  for (int32_t i = 0; i < in.length();) {
    const UChar32 c = in.char32At(i);
    i += U16_LENGTH(c);
    char tmp[4];
    int32_t n = 0;
    if (c < 0x80) {
      out.push_back(static_cast<char>(c));
      after_latin = true;
      continue;
    }
    UErrorCode ec = U_ZERO_ERROR;
    const UScriptCode script = uscript_getScript(c, &ec);
    if (U_SUCCESS(ec) && script == USCRIPT_LATIN && d.getDecomposition(c, decomposed)) {
      for (int32_t j = 0; j < decomposed.length();) {
        const UChar32 dc = decomposed.char32At(j);
        j += U16_LENGTH(dc);
        if (u_charType(dc) == U_NON_SPACING_MARK) continue;
        n = 0;
        U8_APPEND_UNSAFE(tmp, n, dc);
        out.append(tmp, static_cast<std::size_t>(n));
      }
      after_latin = true;
      continue;
    }
    if (after_latin && u_charType(c) == U_NON_SPACING_MARK) continue;  // a free-standing mark on a Latin letter
    after_latin = U_SUCCESS(ec) && script == USCRIPT_LATIN;
    U8_APPEND_UNSAFE(tmp, n, c);
    out.append(tmp, static_cast<std::size_t>(n));
  }
}

// Folds the piece [p.a, p.b) of `u` into `term`.
void fold_piece(const UChar* u, const Piece& p, State& st, std::string& term) {
  // ASCII and apostrophes: one byte per UTF-16 unit at most, written to a
  // buffer on the stack when the piece fits (a longer one is no term anyway,
  // but its length decides whether it keeps a position).
  char small[2 * kMaxTermBytes];
  const std::size_t len = static_cast<std::size_t>(p.b - p.a);
  if (len > sizeof small) term.resize(len);
  char* out = len > sizeof small ? term.data() : small;
  const bool drops = p.drop_dots || p.drop_commas;
  std::size_t m = 0;
  int32_t i = p.a;
  for (; i < p.b; ++i) {
    const UChar c = u[i];
    if (c < 0x80) {
      if (drops && ((c == '.' && p.drop_dots) || (c == ',' && p.drop_commas))) continue;
      out[m++] = static_cast<char>(static_cast<UChar>(c - 'A') < 26 ? c + ('a' - 'A') : c);
    } else if (is_apostrophe(c)) {
      out[m++] = '\'';
    } else {
      break;
    }
  }
  if (i == p.b) {
    if (out == small) {
      term.assign(small, m);
    } else {
      term.resize(m);
    }
  } else {
    term.clear();
    icu::UnicodeString& s = st.scratch;
    s.remove();
    for (int32_t j = p.a; j < p.b; ++j) {
      const UChar c = u[j];
      if ((c == '.' && p.drop_dots) || (c == ',' && p.drop_commas)) continue;
      s.append(is_apostrophe(c) ? static_cast<UChar>('\'') : c);
    }
    UErrorCode ec = U_ZERO_ERROR;
    st.folded.remove();
    nfkc_casefold().normalize(s, st.folded, ec);
    if (U_FAILURE(ec)) st.folded = s;
    strip_latin_diacritics(st.folded, term, st.decomposed);
  }
  // Possessive 's, and apostrophes at either end (plural possessive "workers'").
  if (term.size() > 2 && term.ends_with("'s")) term.resize(term.size() - 2);
  while (!term.empty() && term.back() == '\'') term.pop_back();
  std::size_t lead = 0;
  while (lead < term.size() && term[lead] == '\'') ++lead;
  if (lead) term.erase(0, lead);
}

bool starts_upper(const UChar* u, int32_t a, int32_t b) {
  if (a >= b) return false;
  const UChar c = u[a];
  if (c < 0x80) return c >= 'A' && c <= 'Z';
  UChar32 cp;
  int32_t i = a;
  U16_NEXT(u, i, b, cp);
  return u_isUUppercase(cp) || u_istitle(cp);
}

}  // namespace

// ------------------------------------------------------------------ tokenize

namespace {

// Tokens of the text loaded in st.buf, with word boundaries from `Scanner`.
template <class Scanner>
std::vector<Token> tokenize_loaded(State& st, const TokenizeOptions& options) {
  std::vector<Token> tokens;
  Buffers& buf = st.buf;
  const UChar* u = buf.u.data();
  const std::uint32_t* off = buf.off.data();

  // Pass 1: word boundaries. Keep word segments, lone hyphens and lone dots
  // (the dot matters only in "U.S.-China").
  Scanner it(u, buf.len);
  std::vector<Segment>& segs = st.segments;
  segs.clear();
  int32_t prev = 0;
  for (int32_t next = it.next(); next >= 0; prev = next, next = it.next()) {
    if (it.word()) {
      // The possessive of an acronym, "U.S.'s": the final dot ends the word,
      // so "'s" comes apart; its "s" is no word.
      if (next - prev == 1 && (u[prev] | 0x20) == 's' && segs.size() >= 2 && segs.back().type == Segment::dot &&
          segs.back().b == prev - 1 && is_apostrophe(u[prev - 1]) &&
          segs[segs.size() - 2].type == Segment::word && segs[segs.size() - 2].b == segs.back().a) {
        continue;
      }
      segs.push_back({prev, next, Segment::word});
    } else if (next - prev == 1 && is_hyphen(u[prev])) {
      segs.push_back({prev, next, Segment::hyphen});
    } else if (next - prev == 1 && u[prev] == '.') {
      segs.push_back({prev, next, Segment::dot});
    }
  }
  tokens.reserve(segs.size() + segs.size() / 8);

  // Pass 2: group hyphenated words, split segments into pieces, fold.
  std::uint32_t position = 0;
  std::vector<Piece>& pieces = st.pieces;
  const std::size_t n = segs.size();
  for (std::size_t i = 0; i < n; ++i) {
    if (segs[i].type != Segment::word) continue;
    // Extend the group over "-word" (or ".-word" after a dotted acronym).
    std::size_t last = i;
    int group_words = 1;
    for (;;) {
      std::size_t h = last + 1;
      if (h < n && segs[h].type == Segment::dot && segs[h].a == segs[last].b) {
        bool dotted = false;
        for (int32_t k = segs[last].a; k < segs[last].b; ++k) dotted |= (u[k] == '.');
        if (!dotted) break;
        ++h;
        if (h >= n || segs[h].a != segs[h - 1].b) break;
      }
      if (h >= n || segs[h].type != Segment::hyphen || segs[h].a != segs[h - 1].b) break;
      if (h + 1 >= n || segs[h + 1].type != Segment::word || segs[h + 1].a != segs[h].b) break;
      last = h + 1;
      ++group_words;
    }

    pieces.clear();
    for (std::size_t k = i; k <= last; ++k) {
      if (segs[k].type == Segment::word) split_pieces(u, segs[k].a, segs[k].b, pieces);
    }
    const bool hyphenated = group_words > 1;
    std::size_t compound_at = tokens.size();
    std::string compound;
    int emitted = 0;
    for (const Piece& p : pieces) {
      // Fold straight into the token's string: no copy for the common case.
      Token& t = tokens.emplace_back();
      fold_piece(u, p, st, t.term);
      if (t.term.empty() || t.term.size() > kMaxTermBytes) {
        if (!t.term.empty()) ++position;  // an over-long word keeps its position
        tokens.pop_back();
        continue;
      }
      if (hyphenated && options.compounds) compound += t.term;
      t.start = options.base + off[p.a];
      t.end = options.base + off[p.b];
      t.position = position++;
      t.kind = hyphenated ? Token::Kind::part : Token::Kind::word;
      t.capitalised = starts_upper(u, p.a, p.b);
      ++emitted;
    }
    if (hyphenated && options.compounds && emitted > 1 && compound.size() <= kMaxTermBytes) {
      Token c;
      c.term = std::move(compound);
      c.start = tokens[compound_at].start;
      c.end = tokens.back().end;
      c.position = tokens[compound_at].position;
      c.kind = Token::Kind::compound;
      c.capitalised = tokens[compound_at].capitalised;
      tokens.insert(tokens.begin() + static_cast<std::ptrdiff_t>(compound_at), std::move(c));
    } else if (hyphenated && emitted == 1) {
      tokens.back().kind = Token::Kind::word;
    }
    i = last;
  }
  return tokens;
}

template <class Scanner>
std::vector<std::uint32_t> boundaries_loaded(const Buffers& buf) {
  std::vector<std::uint32_t> out;
  Scanner it(buf.u.data(), buf.len);
  out.push_back(0);
  for (int32_t b = it.next(); b >= 0; b = it.next()) out.push_back(buf.off[b]);
  return out;
}

}  // namespace

std::vector<Token> tokenize(std::string_view text, const TokenizeOptions& options) {
  if (text.empty()) return {};
  State& st = state();
  st.buf.load(text);
  if (st.buf.covered) return tokenize_loaded<FastWordScanner>(st, options);
  return tokenize_loaded<IcuWordScanner>(st, options);
}

std::vector<Token> tokenize_icu(std::string_view text, const TokenizeOptions& options) {
  if (text.empty()) return {};
  State& st = state();
  st.buf.load(text);
  return tokenize_loaded<IcuWordScanner>(st, options);
}

std::vector<std::uint32_t> word_boundaries(std::string_view text) {
  State& st = state();
  st.buf.load(text);
  if (st.buf.covered) return boundaries_loaded<FastWordScanner>(st.buf);
  return boundaries_loaded<IcuWordScanner>(st.buf);
}

std::vector<std::uint32_t> word_boundaries_icu(std::string_view text) {
  State& st = state();
  st.buf.load(text);
  return boundaries_loaded<IcuWordScanner>(st.buf);
}

bool scans_without_icu(std::string_view text) {
  State& st = state();
  st.buf.load(text);
  return st.buf.covered;
}

std::string fold_term(std::string_view word) {
  std::vector<Token> tokens = tokenize(word);
  if (tokens.empty()) return {};
  if (tokens.size() == 1 || tokens.front().kind == Token::Kind::compound) return std::move(tokens.front().term);
  std::string joined;
  for (const Token& t : tokens) joined += t.term;
  return joined;
}

}  // namespace lipsteeth::analyzers
