// String helpers, dates in the forms articles write them, and HTML character
// references: the pieces every metadata module shares.
#include "analyzers/meta/text_util.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <unicode/uchar.h>
#include <unicode/utf8.h>

namespace lipsteeth::analyzers::meta {

// ---------------------------------------------------------------------------
// Small string helpers (ASCII case folding is enough for the keywords used
// here; names and titles keep their case).

char lower_ascii(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string lower(std::string_view s) {
  std::string r(s);
  for (auto& c : r) c = lower_ascii(c);
  return r;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (lower_ascii(a[i]) != lower_ascii(b[i])) return false;
  return true;
}

bool istarts_with(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && iequals(s.substr(0, prefix.size()), prefix);
}

std::size_t ifind(std::string_view hay, std::string_view needle, std::size_t from) {
  if (needle.empty()) return from <= hay.size() ? from : std::string_view::npos;
  for (std::size_t i = from; i + needle.size() <= hay.size(); ++i)
    if (iequals(hay.substr(i, needle.size()), needle)) return i;
  return std::string_view::npos;
}

bool is_ascii_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alpha_ascii(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

std::string_view trim_ascii(std::string_view s) {
  while (!s.empty() && is_ascii_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_ascii_space(s.back())) s.remove_suffix(1);
  return s;
}

// Code point at byte i (advancing i); U+FFFD for a malformed sequence.
UChar32 next_cp(std::string_view s, std::size_t& i) {
  const auto* p = reinterpret_cast<const std::uint8_t*>(s.data());
  std::int32_t j = static_cast<std::int32_t>(i);
  UChar32 c;
  U8_NEXT(p, j, static_cast<std::int32_t>(s.size()), c);
  i = static_cast<std::size_t>(j);
  return c < 0 ? 0xFFFD : c;
}

void append_cp(std::string& out, UChar32 c) {
  if (c < 0 || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) c = 0xFFFD;
  std::uint8_t buf[4];
  std::int32_t n = 0;
  UBool err = false;
  U8_APPEND(buf, n, 4, c, err);
  if (!err) out.append(reinterpret_cast<const char*>(buf), static_cast<std::size_t>(n));
}

// Any Unicode white space (no-break and thin spaces included) becomes one
// ASCII space; runs collapse; ends are trimmed. Bylines and datelines often
// carry NBSP ("by\u00A0Chen Qi").
std::string squeeze_spaces(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  bool space = false;
  std::size_t i = 0;
  while (i < s.size()) {
    const std::size_t at = i;
    UChar32 c = static_cast<unsigned char>(s[i]) < 0x80 ? static_cast<unsigned char>(s[i++]) : next_cp(s, i);
    if (c == 0xA0 || c == 0xFEFF || u_isUWhiteSpace(c)) {
      space = true;
      continue;
    }
    if (space && !out.empty()) out.push_back(' ');
    space = false;
    out.append(s.substr(at, i - at));
  }
  return out;
}

std::vector<std::string_view> split_on(std::string_view s, char sep) {
  std::vector<std::string_view> parts;
  std::size_t from = 0;
  for (;;) {
    std::size_t at = s.find(sep, from);
    parts.push_back(s.substr(from, at == std::string_view::npos ? std::string_view::npos : at - from));
    if (at == std::string_view::npos) break;
    from = at + 1;
  }
  return parts;
}

std::vector<std::string_view> words_of(std::string_view s) {
  std::vector<std::string_view> w;
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && s[i] == ' ') ++i;
    std::size_t j = i;
    while (j < s.size() && s[j] != ' ') ++j;
    if (j > i) w.push_back(s.substr(i, j - i));
    i = j;
  }
  return w;
}

// ---------------------------------------------------------------------------
// Dates.


// Year of an ISO date string ("2016-06-02" -> 2016); nullopt when it does
// not start with four digits.
std::optional<int> year_of(std::string_view iso_date) {
  if (iso_date.size() < 4) return std::nullopt;
  int y = 0;
  for (std::size_t i = 0; i < 4; ++i) {
    if (!is_digit(iso_date[i])) return std::nullopt;
    y = y * 10 + (iso_date[i] - '0');
  }
  return y;
}

std::string iso(const Date& d) {
  if (d.m == 0) return fmt::format("{:04d}", d.y);
  if (d.d == 0) return fmt::format("{:04d}-{:02d}", d.y, d.m);
  return fmt::format("{:04d}-{:02d}-{:02d}", d.y, d.m, d.d);
}

bool valid_ymd(int y, int m, int d) {
  if (y < 1800 || y > 2100) return false;
  if (m == 0) return d == 0;
  if (m < 1 || m > 12) return false;
  if (d == 0) return true;
  static constexpr std::array<int, 12> kDays{31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (d < 1 || d > kDays[static_cast<std::size_t>(m - 1)]) return false;
  if (m == 2 && d == 29) return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return true;
}

// Month number of a month name or abbreviation ("June", "Jun", "Sept",
// "JUNE"), or 0. Lower-case words are refused: "may" and "march" are verbs.
int month_of(std::string_view w) {
  if (w.size() < 3 || !(w[0] >= 'A' && w[0] <= 'Z')) return 0;
  static constexpr const char* kNames[] = {"january", "february", "march",     "april",
                                                      "may",     "june",     "july",      "august",
                                                      "september", "october", "november", "december"};
  const std::string lw = lower(w);
  for (int m = 0; m < 12; ++m) {
    std::string_view name = kNames[static_cast<std::size_t>(m)];
    if (lw == name) return m + 1;
    if (lw.size() == 3 && name.substr(0, 3) == lw) return m + 1;
  }
  if (lw == "sept") return 9;
  return 0;
}

bool is_weekday(std::string_view w) {
  static constexpr const char* kDays[] = {"monday", "tuesday", "wednesday", "thursday", "friday",
                                                     "saturday", "sunday", "mon", "tue", "wed",
                                                     "thu", "fri", "sat", "sun"};
  const std::string lw = lower(w);
  return std::any_of(std::begin(kDays), std::end(kDays), [&](const char* d) { return lw == d; });
}

// The text cut into words (ASCII letters), numbers and single other bytes;
// white space is dropped (its position is implied by the byte offsets).
struct Tok {
  enum Kind { word, number, punct } kind;
  std::string_view text;
  std::size_t start;
};

std::vector<Tok> date_tokens(std::string_view s) {
  std::vector<Tok> toks;
  std::size_t i = 0;
  while (i < s.size()) {
    const char c = s[i];
    if (is_ascii_space(c)) {
      ++i;
    } else if (is_digit(c)) {
      std::size_t j = i;
      while (j < s.size() && is_digit(s[j])) ++j;
      toks.push_back({Tok::number, s.substr(i, j - i), i});
      i = j;
    } else if (is_alpha_ascii(c)) {
      std::size_t j = i;
      while (j < s.size() && is_alpha_ascii(s[j])) ++j;
      toks.push_back({Tok::word, s.substr(i, j - i), i});
      i = j;
    } else if (static_cast<unsigned char>(c) >= 0x80) {
      std::size_t j = i;
      UChar32 cp = next_cp(s, j);
      // NBSP and other spaces separate like ASCII spaces.
      if (!(cp == 0xA0 || u_isUWhiteSpace(cp))) toks.push_back({Tok::punct, s.substr(i, j - i), i});
      i = j;
    } else {
      toks.push_back({Tok::punct, s.substr(i, 1), i});
      ++i;
    }
  }
  return toks;
}

int to_int(std::string_view digits) {
  int v = 0;
  for (char c : digits) v = v * 10 + (c - '0');
  return v;
}

bool is_ordinal_suffix(std::string_view w) {
  const std::string lw = lower(w);
  return lw == "st" || lw == "nd" || lw == "rd" || lw == "th";
}

// All dates written in `s`, left to right, without overlaps.
std::vector<Date> find_dates(std::string_view s) {
  std::vector<Date> found;
  const auto toks = date_tokens(s);
  const std::size_t n = toks.size();
  auto is_punct = [&](std::size_t k, std::string_view p) {
    return k < n && toks[k].kind == Tok::punct && toks[k].text == p;
  };
  auto num = [&](std::size_t k, std::size_t min_len, std::size_t max_len) {
    return k < n && toks[k].kind == Tok::number && toks[k].text.size() >= min_len && toks[k].text.size() <= max_len;
  };
  auto end_of = [&](std::size_t k) { return toks[k].start + toks[k].text.size(); };
  // A year must not run on into more digits or a range ("2015-16" is no date).
  auto year_ends_cleanly = [&](std::size_t k) {
    return !(k + 2 < n && (toks[k + 1].text == "-" || toks[k + 1].text == "/") && toks[k + 2].kind == Tok::number &&
             toks[k + 1].start == end_of(k));
  };
  std::size_t k = 0;
  while (k < n) {
    // 2016-06-02, 2016/06/02 (also the date part of 2016-06-02T10:00:00Z).
    if (num(k, 4, 4) && k + 4 < n && (is_punct(k + 1, "-") || is_punct(k + 1, "/")) && num(k + 2, 1, 2) &&
        is_punct(k + 3, toks[k + 1].text) && num(k + 4, 1, 2) && toks[k + 1].start == end_of(k) &&
        toks[k + 2].start == end_of(k + 1) && toks[k + 3].start == end_of(k + 2) &&
        toks[k + 4].start == end_of(k + 3)) {
      Date d{to_int(toks[k].text), to_int(toks[k + 2].text), to_int(toks[k + 4].text), toks[k].start, end_of(k + 4)};
      if (valid_ymd(d.y, d.m, d.d)) {
        found.push_back(d);
        k += 5;
        continue;
      }
    }
    // [Weekday,] Month[.] D[st][,] YYYY  |  Month[.][,] YYYY
    if (toks[k].kind == Tok::word && month_of(toks[k].text)) {
      const int m = month_of(toks[k].text);
      std::size_t j = k + 1;
      if (is_punct(j, ".")) ++j;
      if (num(j, 1, 2)) {
        const int d = to_int(toks[j].text);
        std::size_t y = j + 1;
        if (y < n && toks[y].kind == Tok::word && is_ordinal_suffix(toks[y].text)) ++y;
        if (is_punct(y, ",")) ++y;
        if (num(y, 4, 4) && valid_ymd(to_int(toks[y].text), m, d) && year_ends_cleanly(y)) {
          found.push_back({to_int(toks[y].text), m, d, toks[k].start, end_of(y)});
          k = y + 1;
          continue;
        }
      } else {
        if (is_punct(j, ",")) ++j;
        if (num(j, 4, 4) && valid_ymd(to_int(toks[j].text), m, 0) && year_ends_cleanly(j)) {
          found.push_back({to_int(toks[j].text), m, 0, toks[k].start, end_of(j)});
          k = j + 1;
          continue;
        }
      }
    }
    // D[st] [of] Month[.][,] YYYY
    if (num(k, 1, 2)) {
      std::size_t j = k + 1;
      if (j < n && toks[j].kind == Tok::word && is_ordinal_suffix(toks[j].text)) ++j;
      if (j < n && toks[j].kind == Tok::word && iequals(toks[j].text, "of")) ++j;
      if (j < n && toks[j].kind == Tok::word && month_of(toks[j].text)) {
        const int m = month_of(toks[j].text);
        std::size_t y = j + 1;
        if (is_punct(y, ".")) ++y;
        if (is_punct(y, ",")) ++y;
        if (num(y, 4, 4) && valid_ymd(to_int(toks[y].text), m, to_int(toks[k].text)) && year_ends_cleanly(y)) {
          found.push_back({to_int(toks[y].text), m, to_int(toks[k].text), toks[k].start, end_of(y)});
          k = y + 1;
          continue;
        }
      }
    }
    ++k;
  }
  // A weekday before the date belongs to it ("THU 2 June 2016", "Monday, May 20, 2012").
  for (auto& d : found) {
    std::size_t b = d.start;
    while (b > 0 && (s[b - 1] == ' ' || s[b - 1] == ',')) --b;
    std::size_t a = b;
    while (a > 0 && is_alpha_ascii(s[a - 1])) --a;
    if (a < b && is_weekday(s.substr(a, b - a))) d.start = a;
  }
  return found;
}

// Strict ISO 8601 forms: YYYY, YYYY-MM, YYYY-MM-DD, optionally followed by a
// time ("T10:00:00Z" or " 10:00"). Returns false when `s` is not one.
bool parse_iso(std::string_view s, Date& out) {
  s = trim_ascii(s);
  auto digits = [&](std::size_t at, std::size_t len) {
    if (at + len > s.size()) return false;
    for (std::size_t i = at; i < at + len; ++i)
      if (!is_digit(s[i])) return false;
    return true;
  };
  if (!digits(0, 4)) return false;
  Date d{to_int(s.substr(0, 4)), 0, 0};
  std::size_t at = 4;
  if (at < s.size() && s[at] == '-' && digits(at + 1, 2)) {
    d.m = to_int(s.substr(at + 1, 2));
    at += 3;
    if (at < s.size() && s[at] == '-' && digits(at + 1, 2)) {
      d.d = to_int(s.substr(at + 1, 2));
      at += 3;
    }
  }
  if (at < s.size()) {
    // Only a time may follow a full date.
    if (d.d == 0 || !(s[at] == 'T' || s[at] == ' ') || !digits(at + 1, 2)) return false;
  }
  if (!valid_ymd(d.y, d.m, d.d)) return false;
  out = d;
  return true;
}

// ---------------------------------------------------------------------------
// Names.


struct Entity {
  const char* name;
  char32_t cp;
};
constexpr Entity kEntities[] = {
    {"amp", '&'},       {"lt", '<'},         {"gt", '>'},         {"quot", '"'},       {"apos", '\''},
    {"nbsp", 0xA0},     {"ndash", 0x2013},   {"mdash", 0x2014},   {"lsquo", 0x2018},   {"rsquo", 0x2019},
    {"sbquo", 0x201A},  {"ldquo", 0x201C},   {"rdquo", 0x201D},   {"bdquo", 0x201E},   {"hellip", 0x2026},
    {"laquo", 0xAB},    {"raquo", 0xBB},     {"lsaquo", 0x2039},  {"rsaquo", 0x203A},  {"middot", 0xB7},
    {"bull", 0x2022},   {"copy", 0xA9},      {"reg", 0xAE},       {"trade", 0x2122},   {"deg", 0xB0},
    {"plusmn", 0xB1},   {"times", 0xD7},     {"divide", 0xF7},    {"frac12", 0xBD},    {"frac14", 0xBC},
    {"frac34", 0xBE},   {"euro", 0x20AC},    {"pound", 0xA3},     {"yen", 0xA5},       {"cent", 0xA2},
    {"sect", 0xA7},     {"para", 0xB6},      {"shy", 0xAD},       {"thinsp", 0x2009},  {"ensp", 0x2002},
    {"emsp", 0x2003},   {"zwj", 0x200D},     {"zwnj", 0x200C},    {"lrm", 0x200E},     {"rlm", 0x200F},
    {"prime", 0x2032},  {"Prime", 0x2033},   {"dagger", 0x2020},  {"Dagger", 0x2021},  {"permil", 0x2030},
    {"iexcl", 0xA1},    {"iquest", 0xBF},    {"ordf", 0xAA},      {"ordm", 0xBA},      {"micro", 0xB5},
    {"Agrave", 0xC0},   {"Aacute", 0xC1},    {"Acirc", 0xC2},     {"Atilde", 0xC3},    {"Auml", 0xC4},
    {"Aring", 0xC5},    {"AElig", 0xC6},     {"Ccedil", 0xC7},    {"Egrave", 0xC8},    {"Eacute", 0xC9},
    {"Ecirc", 0xCA},    {"Euml", 0xCB},      {"Igrave", 0xCC},    {"Iacute", 0xCD},    {"Icirc", 0xCE},
    {"Iuml", 0xCF},     {"Ntilde", 0xD1},    {"Ograve", 0xD2},    {"Oacute", 0xD3},    {"Ocirc", 0xD4},
    {"Otilde", 0xD5},   {"Ouml", 0xD6},      {"Oslash", 0xD8},    {"Ugrave", 0xD9},    {"Uacute", 0xDA},
    {"Ucirc", 0xDB},    {"Uuml", 0xDC},      {"Yacute", 0xDD},    {"szlig", 0xDF},     {"agrave", 0xE0},
    {"aacute", 0xE1},   {"acirc", 0xE2},     {"atilde", 0xE3},    {"auml", 0xE4},      {"aring", 0xE5},
    {"aelig", 0xE6},    {"ccedil", 0xE7},    {"egrave", 0xE8},    {"eacute", 0xE9},    {"ecirc", 0xEA},
    {"euml", 0xEB},     {"igrave", 0xEC},    {"iacute", 0xED},    {"icirc", 0xEE},     {"iuml", 0xEF},
    {"ntilde", 0xF1},   {"ograve", 0xF2},    {"oacute", 0xF3},    {"ocirc", 0xF4},     {"otilde", 0xF5},
    {"ouml", 0xF6},     {"oslash", 0xF8},    {"ugrave", 0xF9},    {"uacute", 0xFA},    {"ucirc", 0xFB},
    {"uuml", 0xFC},     {"yacute", 0xFD},    {"yuml", 0xFF},      {"OElig", 0x152},    {"oelig", 0x153},
    {"Scaron", 0x160},  {"scaron", 0x161},   {"Yuml", 0x178},     {"Zcaron", 0x17D},   {"zcaron", 0x17E},
    {"circ", 0x2C6},    {"tilde", 0x2DC},    {"larr", 0x2190},    {"rarr", 0x2192},    {"uarr", 0x2191},
    {"darr", 0x2193},   {"minus", 0x2212},   {"le", 0x2264},      {"ge", 0x2265},      {"ne", 0x2260},
};

// Numeric references 0x80-0x9F name windows-1252 characters (HTML5 rule).
constexpr char32_t kCp1252[32] = {0x20AC, 0x81,   0x201A, 0x192,  0x201E, 0x2026, 0x2020, 0x2021,
                                  0x2C6,  0x2030, 0x160,  0x2039, 0x152,  0x8D,   0x17D,  0x8F,
                                  0x90,   0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
                                  0x2DC,  0x2122, 0x161,  0x203A, 0x153,  0x9D,   0x17E,  0x178};

// Decodes character references in `s` (named, decimal, hex). Unknown or
// malformed references stay as written.
std::string decode_entities(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  std::size_t i = 0;
  while (i < s.size()) {
    const std::size_t amp = s.find('&', i);
    if (amp == std::string_view::npos) {
      out.append(s.substr(i));
      break;
    }
    out.append(s.substr(i, amp - i));
    i = amp + 1;
    if (i < s.size() && s[i] == '#') {
      std::size_t j = i + 1;
      const bool hex = j < s.size() && (s[j] == 'x' || s[j] == 'X');
      if (hex) ++j;
      std::uint32_t v = 0;
      std::size_t k = j;
      while (k < s.size() && (hex ? std::isxdigit(static_cast<unsigned char>(s[k])) != 0 : is_digit(s[k]))) {
        const char c = lower_ascii(s[k]);
        v = v * (hex ? 16 : 10) + static_cast<std::uint32_t>(is_digit(c) ? c - '0' : c - 'a' + 10);
        if (v > 0x10FFFF) v = 0x110000;  // out of range, whatever follows: U+FFFD
        ++k;
      }
      if (k == j) {
        out.push_back('&');
        continue;
      }
      if (k < s.size() && s[k] == ';') ++k;
      UChar32 cp = static_cast<UChar32>(v);
      if (v >= 0x80 && v <= 0x9F) cp = static_cast<UChar32>(kCp1252[v - 0x80]);
      if (v == 0) cp = 0xFFFD;
      append_cp(out, cp);
      i = k;
      continue;
    }
    std::size_t k = i;
    while (k < s.size() && k - i < 10 && std::isalnum(static_cast<unsigned char>(s[k]))) ++k;
    const std::string_view name = s.substr(i, k - i);
    const bool semi = k < s.size() && s[k] == ';';
    const Entity* hit = nullptr;
    for (const auto& e : kEntities)
      if (name == e.name) hit = &e;
    // Without ';' only the legacy names are recognised (as browsers do).
    if (hit && (semi || name == "amp" || name == "lt" || name == "gt" || name == "quot" || name == "nbsp")) {
      append_cp(out, static_cast<UChar32>(hit->cp));
      i = k + (semi ? 1 : 0);
    } else {
      out.push_back('&');
    }
  }
  return out;
}


}  // namespace lipsteeth::analyzers::meta
