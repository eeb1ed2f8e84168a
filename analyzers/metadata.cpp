// Article metadata: formats (Markdown front matter, HTML), extraction of
// title / date / authors from the lines articles really carry, and the sidecar.
//
// Extraction is deliberately conservative. A date is "stated" only when a
// line near the top of the article is a date line (a dateline, a byline with
// a date, "RUSI Newsbrief, 5 September 2016") or a line anywhere says when the
// piece was published; it is "inferred" only from a first paragraph that opens
// with a dated phrase ("In early June 2016, ..."). A year named in passing is
// never taken for the publication date: no date -> year unknown.
#include "analyzers/metadata.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>

#include <fmt/format.h>
#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include "analyzers/error.h"

namespace lipsteeth::analyzers {

const char* to_string(FieldSource s) {
  switch (s) {
    case FieldSource::stated: return "stated";
    case FieldSource::inferred: return "inferred";
    case FieldSource::sidecar: return "sidecar";
    case FieldSource::unknown: return "unknown";
  }
  return "unknown";
}

namespace {

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

std::size_t ifind(std::string_view hay, std::string_view needle, std::size_t from = 0) {
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

struct Date {
  int y = 0, m = 0, d = 0;  // m, d = 0 when not given
  std::size_t start = 0, end = 0;  // byte range of the match in the text searched
};

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

// Words that show a capitalised line is a heading, an organisation or a
// place rather than a person's name.
bool is_non_name_word(std::string_view w) {
  static constexpr const char* kWords[] = {
      "korea",     "korean",    "china",     "chinese",    "north",     "south",      "east",       "west",
      "asia",      "asian",     "pacific",   "america",    "american",  "japan",      "russia",     "united",
      "states",    "kingdom",   "republic",  "news",       "center",    "centre",     "institute",  "university",
      "college",   "school",    "policy",    "relations",  "analysis",  "commentary", "opinion",    "security",
      "home",      "menu",      "search",    "research",   "support",   "subscribe",  "newsletter", "reply",
      "comments",  "comment",   "image",     "images",     "photo",     "share",      "follow",     "read",
      "more",      "contact",   "about",     "privacy",    "copyright", "rights",     "posted",     "tags",
      "related",   "agency",    "department", "ministry",  "party",     "committee",  "council",    "foundation",
      "press",     "times",     "post",      "daily",      "journal",   "review",     "report",     "group",
      "program",   "programme", "studies",   "affairs",    "international", "global", "world",      "national",
      "media",     "blog",      "editorial", "nuclear",    "proliferation", "talks",  "summit",     "government",
      "office",    "service",   "association", "society",  "newsbrief", "staff",     "editors",    "team",
      // Function words: "But Also Remembered" is a phrase, not a name.
      "but",       "also",      "and",       "or",         "the",       "of",         "is",         "are",
      "not",       "only",      "a",         "an",         "in",        "on",         "for",        "with",
      "to",        "from",      "by",        "at",         "as",        "it",         "this",       "that"};
  const std::string lw = lower(w);
  return std::any_of(std::begin(kWords), std::end(kWords), [&](const char* k) { return lw == k; });
}

bool is_name_particle(std::string_view w) {
  static constexpr const char* kParticles[] = {"de", "da", "di", "del", "van", "von", "der", "den",
                                                          "bin", "al", "la", "le", "du", "ibn"};
  return std::any_of(std::begin(kParticles), std::end(kParticles), [&](const char* p) { return w == p; });
}

// "Brian", "Jong-un", "O'Neil", "G.", "Chanlett-Avery": starts with a
// capital letter, then letters, hyphens, apostrophes or a final dot.
bool is_name_word(std::string_view w) {
  std::size_t i = 0;
  if (w.empty()) return false;
  UChar32 first = next_cp(w, i);
  if (!(u_isupper(first) || u_istitle(first))) return false;
  while (i < w.size()) {
    const std::size_t at = i;
    UChar32 c = next_cp(w, i);
    if (u_isalpha(c)) continue;
    if (c == '-' || c == '\'' || c == 0x2019) continue;
    if (c == '.' && i == w.size() && at <= 2) continue;  // an initial: "G."
    return false;
  }
  return true;
}

// A person's name: 2 to 5 words, capitalised (particles allowed inside),
// none of them a heading / organisation word.
bool is_person_name(std::string_view s) {
  const auto w = words_of(s);
  if (w.size() < 2 || w.size() > 5) return false;
  int capitalised = 0;
  for (std::size_t i = 0; i < w.size(); ++i) {
    if (is_non_name_word(w[i]) || month_of(w[i])) return false;
    if (is_name_word(w[i])) {
      ++capitalised;
    } else if (!(i > 0 && i + 1 < w.size() && is_name_particle(w[i]))) {
      return false;
    }
  }
  return capitalised >= 2;
}

// "Chen Qi and Jin Feng", "A, B & C": the names in a list, in order; parts
// that are not names (affiliations such as ", Reuters") are dropped.
std::vector<std::string> split_names(std::string_view s, bool* all_names = nullptr) {
  std::string t(s);
  for (const char* sep : {" and ", " & ", ";", " | "}) {
    for (std::size_t at = t.find(sep); at != std::string::npos; at = t.find(sep, at + 1)) t.replace(at, std::strlen(sep), ",");
  }
  std::vector<std::string> names;
  bool all = true;
  for (auto part : split_on(t, ',')) {
    part = trim_ascii(part);
    if (part.empty()) continue;
    if (is_person_name(part)) {
      std::string name(part);
      if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
    } else {
      all = false;
    }
  }
  if (all_names) *all_names = all && !names.empty();
  return names;
}

// Words in the line after a name that show it is an author's note
// ("Jin Feng is a post-doctorate assistant researcher at ...").
bool has_role_word(std::string_view line) {
  static constexpr const char* kRoles[] = {
      "researcher", "fellow",    "professor",  "lecturer",   "editor",      "analyst",
      "journalist", "correspondent", "author", "writer",     "scholar",     "student",
      "candidate",  "reporter",  "columnist",  "contributor", "post-doctorate", "postdoctoral",
      "director",   "chair",     "specialist", "expert",     "economist",   "historian"};
  const std::string l = lower(line);
  return std::any_of(std::begin(kRoles), std::end(kRoles), [&](const char* r) { return l.find(r) != std::string::npos; });
}

// ---------------------------------------------------------------------------
// Lines of an article.

// Drops Markdown decoration that does not belong to a title or byline:
// heading marks, block quotes, emphasis around the whole line.
std::string undecorate(std::string s) {
  std::string_view v = s;
  while (!v.empty() && (v.front() == '#' || v.front() == '>')) v.remove_prefix(1);
  v = trim_ascii(v);
  for (const char* mark : {"**", "__", "*", "_"}) {
    const std::size_t n = std::strlen(mark);
    if (v.size() > 2 * n && v.substr(0, n) == mark && v.substr(v.size() - n) == mark) v = trim_ascii(v.substr(n, v.size() - 2 * n));
  }
  return std::string(v);
}

// The non-blank lines of an article body. Their cleaned text is computed on
// first use: extraction looks at the top, the lede, short lines and the
// last lines, and skipping the rest keeps metadata cheap on long articles.
class Lines {
 public:
  explicit Lines(std::string_view body) {
    for (auto raw : split_on(body, '\n'))
      if (!trim_ascii(raw).empty()) raw_.push_back(raw);
    text_.resize(raw_.size());
  }
  std::size_t size() const { return raw_.size(); }
  std::size_t bytes(std::size_t i) const { return raw_[i].size(); }
  std::string_view raw(std::size_t i) const { return raw_[i]; }
  // White space squeezed (NBSP included), Markdown decoration removed; may be
  // empty for a line of no-break spaces.
  const std::string& text(std::size_t i) {
    if (!text_[i]) text_[i] = undecorate(squeeze_spaces(raw_[i]));
    return *text_[i];
  }

 private:
  std::vector<std::string_view> raw_;
  std::vector<std::optional<std::string>> text_;
};

// Site furniture that precedes or follows articles copied from the web.
bool is_boilerplate(std::string_view line) {
  std::string l = lower(line);
  while (!l.empty() && (l.back() == ':' || l.back() == '|' || l.back() == ' ' || l.back() == '.')) l.pop_back();
  static constexpr const char* kLines[] = {
      "in the media", "you are here", "skip to main content", "skip to content", "skip to navigation",
      "main menu", "menu", "search", "home", "analysis", "commentary", "opinion", "op-ed", "news", "blog",
      "feature", "features", "editorial", "perspective", "perspectives", "essay", "article", "share",
      "share this", "share this article", "print", "email", "tweet", "advertisement", "related",
      "related articles", "latest", "breaking news", "toggle navigation", "log in", "sign in", "subscribe",
      "newsletter", "leave a reply", "no comments", "comments", "read more", "more", "tags", "topics",
      "back to top", "close", "og image", "image", "support rusi research", "subscribe to our newsletter",
      "print this page"};
  if (std::any_of(std::begin(kLines), std::end(kLines), [&](const char* k) { return l == k; })) return true;
  // Breadcrumbs: "Home » Asia", "Home > Analysis", "Home / News".
  if (istarts_with(l, "home ") && (l.find("\xC2\xBB") != std::string::npos || l.find(" > ") != std::string::npos ||
                                   l.find(" / ") != std::string::npos || l.find(" | ") != std::string::npos))
    return true;
  if (l.find(" \xC2\xBB ") != std::string::npos && words_of(l).size() <= 8) return true;
  if (istarts_with(l, "skip to ")) return true;
  // "OG Image:", "Tags:" and the like: a short label with nothing after it.
  if (!line.empty() && line.back() == ':' && words_of(line).size() <= 3) return true;
  return false;
}

bool is_caption(std::string_view line) {
  static constexpr const char* kMarks[] = {"image via",  "image courtesy", "image:",
                                                     "photo:",     "photo by",       "photo credit",
                                                     "credit:",    "getty images",   "(photo"};
  const std::string l = lower(line);
  return std::any_of(std::begin(kMarks), std::end(kMarks), [&](const char* m) { return l.find(m) != std::string::npos; });
}

bool ends_sentence(std::string_view s) {
  return !s.empty() && (s.back() == '.' || s.back() == '!' || s.back() == '?' || s.back() == ':');
}

// Words that, right before a date, show it is a topic rather than a dateline
// ("in June 2016", "since May 2013").
bool is_topic_preposition(std::string_view w) {
  static constexpr const char* kWords[] = {"in",   "of",    "since", "until", "after", "before",
                                                      "from", "during", "by",   "to",    "till",  "between"};
  const std::string lw = lower(w);
  return std::any_of(std::begin(kWords), std::end(kWords), [&](const char* k) { return lw == k; });
}

// Labels that introduce a publication date.
bool has_published_label(std::string_view s) {
  const std::string l = lower(s);
  for (const char* k : {"published", "posted", "date:", "dated", "first appeared", "released", "issued"})
    if (l.find(k) != std::string::npos) return true;
  return false;
}

bool has_updated_label(std::string_view s) {
  const std::string l = lower(s);
  return l.find("updated") != std::string::npos || l.find("modified") != std::string::npos ||
         l.find("last edit") != std::string::npos;
}

// If `line` is a dateline ("By | May 20, 2012 | No Comments", "on June 2, 2016",
// "RUSI Newsbrief, 5 September 2016", "2016-06-02", "June 2016",
// "Posted on Monday, May 20, 2012"), its date.
std::optional<Date> dateline_date(std::string_view line) {
  if (line.size() > 160) return std::nullopt;
  const auto dates = find_dates(line);
  if (dates.empty()) return std::nullopt;
  const Date& d = dates.front();
  const std::string_view before = trim_ascii(line.substr(0, d.start));
  const std::string_view after = trim_ascii(line.substr(d.end));
  const auto wb = words_of(before);
  const auto wa = words_of(after);
  // "Published:", "Posted on Monday,", "Updated": a label opens the line; a
  // sentence that says something "is dated ..." is not one.
  const bool labelled = (has_published_label(before) || has_updated_label(before)) && wb.size() <= 4;
  // "in June 2016" is a topic, "on June 2, 2016" a dateline.
  if (!wb.empty() && is_topic_preposition(wb.back()) && !labelled) return std::nullopt;
  // A sentence that happens to contain a date is not a dateline.
  if (!labelled && (wb.size() + wa.size() > 8 || (ends_sentence(line) && wb.size() + wa.size() > 3)))
    return std::nullopt;
  // Month-only dates must stand (nearly) alone: "June 2016", "Updated June 2016";
  // "The June 2016 Meeting" is a title.
  if (d.d == 0 && !labelled && wb.size() + wa.size() > 1) return std::nullopt;
  return d;
}

// A note anywhere in the article that says when it was published: "This
// article was first published on June 2, 2016 by ...", "Published: June 2,
// 2016", "Originally posted May 20, 2012". Sentences that merely contain
// such a word ("The poem is dated August, 1927.") do not count.
std::optional<Date> publication_note_date(std::string_view line) {
  const std::string l = lower(line);
  std::size_t label = std::string::npos;
  for (const char* k : {"published", "posted", "first appeared", "originally appeared"})
    label = std::min(label, l.find(k));
  if (label == std::string::npos) return std::nullopt;
  bool opens = label == 0;
  for (const char* k : {"this article", "this piece", "this post", "this essay", "this commentary", "this op-ed",
                        "this story", "this report", "originally", "first ", "article ", "date "})
    opens = opens || l.rfind(k, 0) == 0;
  if (!opens) return std::nullopt;
  const auto dates = find_dates(line);
  for (const auto& d : dates)
    if (d.start > label && d.m != 0) return d;
  return std::nullopt;
}

// "by Brian Gleason", "By Chen Qi and Jin Feng | June 2, 2016",
// "Written by ...", "Author: ...", "Authors: A; B".
std::vector<std::string> byline_authors(std::string_view line) {
  if (line.size() > 200) return {};
  std::string_view rest;
  for (const char* label : {"by:", "by ", "written by ", "words by ", "authors:", "author:", "reported by "}) {
    if (istarts_with(line, label)) {
      rest = trim_ascii(line.substr(std::strlen(label)));
      break;
    }
  }
  if (rest.empty()) return {};
  // The name list ends at a separator or where a date starts.
  std::size_t cut = rest.size();
  for (const char* sep : {"|", " - ", " \xE2\x80\x94 ", " \xE2\x80\x93 ", "\xE2\x80\xA2", " on "}) {
    cut = std::min(cut, rest.find(sep));
  }
  const auto dates = find_dates(rest);
  if (!dates.empty()) cut = std::min(cut, dates.front().start);
  rest = trim_ascii(rest.substr(0, cut));
  while (!rest.empty() && (rest.back() == ',' || rest.back() == '.')) rest = trim_ascii(rest.substr(0, rest.size() - 1));
  // A byline starts with a name: "By Image Is Meant Not Only ..." is a title.
  std::size_t first_end = rest.size();
  for (const char* sep : {",", ";", " and ", " & "}) first_end = std::min(first_end, rest.find(sep));
  if (!is_person_name(trim_ascii(rest.substr(0, first_end)))) return {};
  return split_names(rest);
}

// `single_word` is set for a one-word line, which is a section label
// ("Asia", "Diplomacy") more often than a title: it is the title only when
// no other line qualifies.
bool is_title_candidate(const std::string& t, bool* single_word = nullptr) {
  if (t.empty() || is_boilerplate(t) || is_caption(t)) return false;
  if (t.size() > 250) return false;
  const auto w = words_of(t);
  if (single_word) *single_word = w.size() < 2;
  if (dateline_date(t)) return false;
  if (!byline_authors(t).empty() || istarts_with(t, "source:")) return false;
  if ((istarts_with(t, "by ") || istarts_with(t, "by:")) && w.size() <= 6) return false;  // "By Sino-NK Staff"
  // A long sentence (a standfirst or a caption) is not a title.
  if (t.back() == '.' && w.size() > 12) return false;
  return true;
}

// End of the "top" of an article: the first line long enough to be body
// text (a paragraph), or the 15th line, whichever comes first. Datelines,
// bylines and titles are looked for above it.
constexpr std::size_t kParagraphBytes = 250;
constexpr std::size_t kMaxTopLines = 15;
// A line this long after the title is the lede (first paragraph).
constexpr std::size_t kLedeBytes = 150;

std::size_t top_end(const Lines& lines) {
  for (std::size_t i = 0; i < lines.size() && i < kMaxTopLines; ++i)
    if (lines.bytes(i) >= kParagraphBytes) return i;
  return std::min(lines.size(), kMaxTopLines);
}

// Inference from the first paragraph: a lede that opens with a dated phrase
// ("In early June 2016, the Xinhua News Agency ...", "On May 31, 2016, ...").
std::optional<Date> lede_date(std::string_view para) {
  const auto dates = find_dates(para.substr(0, std::min<std::size_t>(para.size(), 80)));
  if (dates.empty()) return std::nullopt;
  const Date& d = dates.front();
  if (d.m == 0) return std::nullopt;
  const std::string opening = squeeze_spaces(para.substr(0, d.start));
  const auto before = words_of(opening);
  if (before.empty() || before.size() > 3) return std::nullopt;
  if (!(iequals(before[0], "in") || iequals(before[0], "on"))) return std::nullopt;
  for (std::size_t i = 1; i < before.size(); ++i) {
    const std::string w = lower(before[i]);
    if (!(w == "early" || w == "mid" || w == "mid-" || w == "late" || w == "the" || w == "end" || w == "of"))
      return std::nullopt;
  }
  // The phrase must open the sentence and be followed by its clause.
  const std::string_view after = para.substr(d.end);
  if (after.empty() || !(after.front() == ',' || after.front() == ' ')) return std::nullopt;
  return d;
}

// Authors named at the end: "Jin Feng is a post-doctorate assistant
// researcher at ...", or a name line followed by a short biography
// ("Adam Cathcart" / "Lecturer in Chinese History at ...").
std::vector<std::string> signature_authors(Lines& lines, std::size_t from) {
  std::vector<std::size_t> tail;
  for (std::size_t i = lines.size(); i > from && tail.size() < 4; --i) {
    const std::string& l = lines.text(i - 1);
    if (l.empty() || is_boilerplate(l) || istarts_with(l, "this article") || istarts_with(l, "this site") ||
        istarts_with(l, "source:"))
      continue;
    tail.push_back(i - 1);
  }
  std::reverse(tail.begin(), tail.end());
  std::vector<std::string> names;
  for (std::size_t k = 0; k < tail.size(); ++k) {
    const std::string& t = lines.text(tail[k]);
    if (t.size() > 400) continue;
    for (const char* verb : {" is ", " was ", " serves ", ", a ", ", an ", ", the "}) {
      const std::size_t at = t.find(verb);
      if (at != std::string::npos && at <= 60 && is_person_name(t.substr(0, at)) && has_role_word(t.substr(at))) {
        names.emplace_back(t.substr(0, at));
        break;
      }
    }
    if (k + 1 < tail.size() && t.size() <= 60) {
      bool all = false;
      auto listed = split_names(t, &all);
      if (all && has_role_word(lines.text(tail[k + 1]))) names.insert(names.end(), listed.begin(), listed.end());
    }
  }
  std::vector<std::string> unique;
  for (auto& n : names)
    if (std::find(unique.begin(), unique.end(), n) == unique.end()) unique.push_back(n);
  return unique;
}

// ---------------------------------------------------------------------------
// HTML.

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

bool is_block_tag(std::string_view t) {
  static constexpr const char* kBlocks[] = {
      "p",       "div",    "h1",      "h2",     "h3",     "h4",     "h5",     "h6",     "li",     "ul",
      "ol",      "dl",     "dt",      "dd",     "table",  "tr",     "thead",  "tbody",  "tfoot",  "caption",
      "blockquote", "section", "article", "header", "footer", "aside", "main", "figure", "figcaption",
      "pre",     "hr",     "address", "form",   "fieldset", "details", "summary", "body", "html", "center",
      "hgroup"};
  return std::any_of(std::begin(kBlocks), std::end(kBlocks), [&](const char* b) { return t == b; });
}

// Elements whose content is not article text.
bool is_skipped_tag(std::string_view t) {
  static constexpr const char* kSkip[] = {"script", "style",  "noscript", "template", "svg",   "iframe",
                                                     "object", "canvas", "nav",      "select",   "button"};
  return std::any_of(std::begin(kSkip), std::end(kSkip), [&](const char* b) { return t == b; });
}

struct Tag {
  std::string name;  // lower case
  bool closing = false;
  bool self_closing = false;
  std::vector<std::pair<std::string, std::string>> attrs;  // names lower case, values decoded
  std::size_t end = 0;  // offset just past '>'
  std::string attr(std::string_view n) const {
    for (auto& [k, v] : attrs)
      if (k == n) return v;
    return {};
  }
};

// Parses the tag starting at s[at] == '<'. Returns false when this is not a
// well-formed tag (a stray '<' in text, or no closing '>').
bool parse_tag(std::string_view s, std::size_t at, Tag& tag) {
  std::size_t i = at + 1;
  tag = {};
  if (i < s.size() && s[i] == '/') {
    tag.closing = true;
    ++i;
  }
  if (i >= s.size() || !is_alpha_ascii(s[i])) return false;
  const std::size_t name_start = i;
  while (i < s.size() && (std::isalnum(static_cast<unsigned char>(s[i])) || s[i] == '-' || s[i] == ':')) ++i;
  tag.name = lower(s.substr(name_start, i - name_start));
  while (i < s.size()) {
    while (i < s.size() && is_ascii_space(s[i])) ++i;
    if (i >= s.size()) return false;
    if (s[i] == '>') {
      tag.end = i + 1;
      return true;
    }
    if (s[i] == '/') {
      tag.self_closing = true;
      ++i;
      continue;
    }
    if (s[i] == '<') return false;  // "<p <b>": the first one never closed
    const std::size_t an = i;
    while (i < s.size() && !is_ascii_space(s[i]) && s[i] != '=' && s[i] != '>' && s[i] != '/') ++i;
    std::string name = lower(s.substr(an, i - an));
    if (i == an) {
      ++i;  // a stray character such as '"': skip it
      continue;
    }
    while (i < s.size() && is_ascii_space(s[i])) ++i;
    std::string value;
    if (i < s.size() && s[i] == '=') {
      ++i;
      while (i < s.size() && is_ascii_space(s[i])) ++i;
      if (i < s.size() && (s[i] == '"' || s[i] == '\'')) {
        const char q = s[i];
        const std::size_t close = s.find(q, i + 1);
        const std::size_t gt = s.find('>', i + 1);
        const std::size_t next_lt = s.find('<', i + 1);
        // A quote that is never closed, or only after further markup
        // (content="Jin Feng>\n<body>..."), ends at the first '>' instead of
        // swallowing the page.
        if (close == std::string_view::npos || (gt < close && next_lt < close)) {
          if (gt == std::string_view::npos) return false;
          value = decode_entities(s.substr(i + 1, gt - i - 1));
          tag.attrs.emplace_back(std::move(name), std::move(value));
          i = gt;
          continue;
        }
        value = decode_entities(s.substr(i + 1, close - i - 1));
        i = close + 1;
      } else {
        const std::size_t vs = i;
        while (i < s.size() && !is_ascii_space(s[i]) && s[i] != '>') ++i;
        value = decode_entities(s.substr(vs, i - vs));
      }
    }
    tag.attrs.emplace_back(std::move(name), std::move(value));
  }
  return false;
}

// Offset just past the element `name`'s closing tag at or after `from`, or
// the end of `s` when it never closes.
std::size_t skip_element(std::string_view s, std::size_t from, std::string_view name) {
  const std::string close = "</" + std::string(name);
  for (std::size_t at = ifind(s, close, from); at != std::string_view::npos; at = ifind(s, close, at + 1)) {
    const std::size_t after = at + close.size();
    if (after < s.size() && std::isalnum(static_cast<unsigned char>(s[after]))) continue;  // </scripts
    const std::size_t gt = s.find('>', after);
    return gt == std::string_view::npos ? s.size() : gt + 1;
  }
  return s.size();
}

bool has_attr(const Tag& tag, std::string_view name) {
  return std::any_of(tag.attrs.begin(), tag.attrs.end(), [&](const auto& a) { return a.first == name; });
}

// "Broken <b>Page" -> "Broken Page" (markup inside <title> is shown literally
// by browsers, but it is never part of the title an author meant).
std::string strip_tags(std::string_view s) {
  std::string out;
  std::size_t i = 0;
  while (i < s.size()) {
    const std::size_t lt = s.find('<', i);
    if (lt == std::string_view::npos) {
      out.append(s.substr(i));
      break;
    }
    out.append(s.substr(i, lt - i));
    const std::size_t gt = s.find('>', lt);
    if (gt == std::string_view::npos || !(lt + 1 < s.size() && (is_alpha_ascii(s[lt + 1]) || s[lt + 1] == '/'))) {
      out.push_back('<');
      i = lt + 1;
      continue;
    }
    i = gt + 1;
  }
  return out;
}

class HtmlReader {
 public:
  explicit HtmlReader(std::string_view s) : s_(s) {}

  FormattedText read() {
    std::size_t i = 0;
    while (i < s_.size()) {
      const std::size_t lt = s_.find('<', i);
      text(s_.substr(i, (lt == std::string_view::npos ? s_.size() : lt) - i));
      if (lt == std::string_view::npos) break;
      i = markup(lt);
    }
    FormattedText r;
    r.body = finish();
    r.stated = std::move(stated_);
    if (r.stated.title.empty() && !title_.empty()) r.stated.title = title_;
    if (!r.stated.title.empty()) r.stated.title_source = FieldSource::stated;
    if (r.stated.date.empty() && !time_.empty()) r.stated.date = time_;
    if (!r.stated.date.empty()) {
      r.stated.date_source = FieldSource::stated;
      r.stated.year = year_of(r.stated.date);
      r.stated.year_source = FieldSource::stated;
    }
    if (!r.stated.authors.empty()) r.stated.authors_source = FieldSource::stated;
    return r;
  }

 private:
  // Handles the markup at s_[lt] == '<'; returns where text resumes.
  std::size_t markup(std::size_t lt) {
    if (s_.compare(lt, 4, "<!--") == 0) {
      const std::size_t end = s_.find("-->", lt + 4);
      return end == std::string_view::npos ? s_.size() : end + 3;
    }
    if (s_.compare(lt, 9, "<![CDATA[") == 0) {
      const std::size_t end = s_.find("]]>", lt + 9);
      const std::size_t stop = end == std::string_view::npos ? s_.size() : end;
      raw_text(s_.substr(lt + 9, stop - lt - 9));
      return end == std::string_view::npos ? s_.size() : end + 3;
    }
    if (lt + 1 < s_.size() && (s_[lt + 1] == '!' || s_[lt + 1] == '?')) {
      const std::size_t end = s_.find('>', lt);
      return end == std::string_view::npos ? s_.size() : end + 1;
    }
    Tag tag;
    if (!parse_tag(s_, lt, tag)) {
      raw_text("<");  // a '<' that opens no tag is text ("a < b")
      return lt + 1;
    }
    if (tag.closing) {
      if (tag.name == "pre") pre_ = false;
      if (is_block_tag(tag.name)) paragraph();
      return tag.end;
    }
    if (tag.name == "title" && !tag.self_closing) {
      const std::size_t close = ifind(s_, "</title", tag.end);
      const std::size_t stop = close == std::string_view::npos ? s_.size() : close;
      if (title_.empty()) title_ = clean_title(squeeze_spaces(decode_entities(strip_tags(s_.substr(tag.end, stop - tag.end)))));
      return skip_element(s_, tag.end, "title");
    }
    if (is_skipped_tag(tag.name) || tag.name == "head") {
      if (tag.name == "head") return tag.end;  // <head> holds <title> and <meta>: keep reading them
      if (tag.self_closing) return tag.end;
      return skip_element(s_, tag.end, tag.name);
    }
    if (tag.name == "meta") meta(tag);
    if (tag.name == "link" && lower(tag.attr("rel")) == "canonical" && stated_.url.empty()) stated_.url = tag.attr("href");
    // A <time> in the body may be any date the text mentions; only one marked
    // as the publication date counts.
    if (tag.name == "time" && time_.empty() &&
        (has_attr(tag, "pubdate") || lower(tag.attr("itemprop")) == "datepublished"))
      time_ = parse_date(tag.attr("datetime"));
    if (tag.name == "br") line_break();
    if (tag.name == "td" || tag.name == "th") raw_text(" ");
    if (tag.name == "pre") pre_ = true;
    if (is_block_tag(tag.name) || tag.name == "hr") paragraph();
    return tag.end;
  }

  void meta(const Tag& tag) {
    std::string key = lower(tag.attr("name"));
    if (key.empty()) key = lower(tag.attr("property"));
    if (key.empty()) key = lower(tag.attr("itemprop"));
    const std::string value = squeeze_spaces(tag.attr("content"));
    if (key.empty() || value.empty()) return;
    if (key == "author" || key == "article:author" || key == "dc.creator" || key == "citation_author" ||
        key == "byl") {
      std::string v = value;
      if (istarts_with(v, "by ")) v = v.substr(3);
      auto names = split_names(v);
      if (names.empty() && key != "article:author") names.push_back(v);  // a meta tag states its author as is
      for (auto& n : names)
        if (std::find(stated_.authors.begin(), stated_.authors.end(), n) == stated_.authors.end())
          stated_.authors.push_back(n);
    } else if (key == "date" || key == "article:published_time" || key == "dc.date" || key == "pubdate" ||
               key == "publish-date" || key == "citation_publication_date" || key == "datepublished" ||
               key == "dc.date.issued" || key == "sailthru.date") {
      if (stated_.date.empty()) stated_.date = parse_date(value);
    } else if (key == "og:title" || key == "citation_title" || key == "dc.title") {
      if (stated_.title.empty()) stated_.title = value;
    } else if (key == "description" || key == "og:description") {
      if (stated_.description.empty()) stated_.description = value;
    } else if (key == "og:url") {
      if (stated_.url.empty()) stated_.url = value;
    }
  }

  // "Article Title | Site Name" -> "Article Title".
  static std::string clean_title(std::string t) {
    for (const char* sep : {" | ", " \xE2\x80\x94 ", " \xC2\xBB "}) {
      const std::size_t at = t.rfind(sep);
      if (at != std::string::npos && at >= 15) t.resize(at);
    }
    return t;
  }

  void text(std::string_view raw) {
    if (raw.empty()) return;
    raw_text(decode_entities(raw));
  }

  void raw_text(std::string_view t) {
    for (char c : t) {
      if (!pre_ && is_ascii_space(c)) {
        space_ = true;
        continue;
      }
      if (pre_ && c == '\n') {
        line_break();
        continue;
      }
      if (space_ && !out_.empty() && out_.back() != '\n') out_.push_back(' ');
      space_ = false;
      out_.push_back(c);
    }
  }

  void trim_trailing_spaces() {
    while (!out_.empty() && out_.back() == ' ') out_.pop_back();
  }

  void line_break() {
    trim_trailing_spaces();
    space_ = false;
    if (!out_.empty()) out_.push_back('\n');
  }

  void paragraph() {
    trim_trailing_spaces();
    space_ = false;
    if (out_.empty()) return;
    while (out_.size() < 2 || out_[out_.size() - 1] != '\n' || out_[out_.size() - 2] != '\n') out_.push_back('\n');
  }

  std::string finish() {
    // Lines are trimmed, more than one blank line collapses to one.
    std::string r;
    r.reserve(out_.size());
    int newlines = 0;
    for (auto line : split_on(out_, '\n')) {
      line = trim_ascii(line);
      if (line.empty()) {
        ++newlines;
        continue;
      }
      if (!r.empty()) r.append(newlines >= 2 ? "\n\n" : "\n");
      r.append(line);
      newlines = 1;
    }
    if (!r.empty()) r.push_back('\n');
    return r;
  }

  std::string_view s_;
  std::string out_;
  bool space_ = false;
  bool pre_ = false;
  std::string title_, time_;
  Metadata stated_;
};

// ---------------------------------------------------------------------------
// Markdown front matter (the YAML subset used for it: `key: value`, quoted
// values, `[a, b]` lists and `- item` lists).

std::string unquote(std::string_view v) {
  v = trim_ascii(v);
  if (v.size() >= 2 && (v.front() == '"' || v.front() == '\'') && v.back() == v.front()) v = v.substr(1, v.size() - 2);
  return squeeze_spaces(v);
}

std::vector<std::string> yaml_list(std::string_view v) {
  v = trim_ascii(v);
  std::vector<std::string> items;
  if (v.size() >= 2 && v.front() == '[' && v.back() == ']') {
    for (auto part : split_on(v.substr(1, v.size() - 2), ',')) {
      std::string item = unquote(part);
      if (!item.empty()) items.push_back(std::move(item));
    }
  } else if (!v.empty()) {
    items.push_back(unquote(v));
  }
  return items;
}

FormattedText read_front_matter(std::string_view text) {
  FormattedText r;
  r.body = std::string(text);
  auto lines = split_on(text, '\n');
  if (lines.empty() || trim_ascii(lines[0]) != "---") return r;
  std::size_t offset = lines[0].size() + 1;
  std::size_t close = 0;
  for (std::size_t i = 1; i < lines.size(); ++i) {
    const auto t = trim_ascii(lines[i]);
    if (t == "---" || t == "...") {
      close = i;
      break;
    }
  }
  if (close == 0) return r;  // no closing line: not front matter, the text is all body
  Metadata& m = r.stated;
  std::string list_key;
  std::vector<std::string> authors;
  for (std::size_t i = 1; i < close; ++i) {
    const std::string_view raw = lines[i];
    offset += raw.size() + 1;
    const auto t = trim_ascii(raw);
    if (t.empty() || t.front() == '#') continue;
    if (t.front() == '-' && !list_key.empty()) {
      if (list_key == "author" || list_key == "authors") {
        std::string item = unquote(t.substr(1));
        if (!item.empty()) authors.push_back(std::move(item));
      }
      continue;
    }
    const std::size_t colon = t.find(':');
    if (colon == std::string_view::npos) continue;
    const std::string key = lower(trim_ascii(t.substr(0, colon)));
    const std::string_view value = trim_ascii(t.substr(colon + 1));
    list_key = value.empty() ? key : "";
    if (key == "title" && !value.empty()) {
      m.title = unquote(value);
    } else if ((key == "date" || key == "published" || key == "pubdate" || key == "publishdate") && m.date.empty()) {
      m.date = parse_date(unquote(value));
    } else if (key == "author" || key == "authors" || key == "by") {
      for (auto& item : yaml_list(value)) {
        auto names = split_names(item);
        if (names.empty()) names.push_back(item);
        authors.insert(authors.end(), names.begin(), names.end());
      }
    } else if ((key == "url" || key == "link" || key == "canonical_url") && m.url.empty()) {
      m.url = unquote(value);
    } else if ((key == "description" || key == "summary") && m.description.empty()) {
      m.description = unquote(value);
    }
  }
  offset += lines[close].size() + 1;  // the closing "---" line
  for (auto& a : authors)
    if (std::find(m.authors.begin(), m.authors.end(), a) == m.authors.end()) m.authors.push_back(a);
  if (!m.title.empty()) m.title_source = FieldSource::stated;
  if (!m.date.empty()) {
    m.date_source = m.year_source = FieldSource::stated;
    m.year = year_of(m.date);
  }
  if (!m.authors.empty()) m.authors_source = FieldSource::stated;
  r.body = offset >= text.size() ? std::string() : std::string(text.substr(offset));
  return r;
}

bool looks_like_html(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size() && is_ascii_space(text[i])) ++i;
  const std::string_view head = text.substr(i, 64);
  return istarts_with(head, "<!doctype html") || istarts_with(head, "<html") || istarts_with(head, "<head") ||
         istarts_with(head, "<?xml");
}

}  // namespace

// ---------------------------------------------------------------------------

Format format_from_path(std::string_view path) {
  const std::size_t slash = path.find_last_of('/');
  const std::string_view name = slash == std::string_view::npos ? path : path.substr(slash + 1);
  const std::size_t dot = name.rfind('.');
  if (dot == std::string_view::npos) return Format::text;
  const std::string ext = lower(name.substr(dot + 1));
  if (ext == "md" || ext == "markdown" || ext == "mdown" || ext == "mkd") return Format::markdown;
  if (ext == "html" || ext == "htm" || ext == "xhtml" || ext == "shtml") return Format::html;
  return Format::text;
}

FormattedText read_format(std::string_view text, Format format) {
  // A ".txt" that is really a saved web page is read as HTML.
  if (format == Format::html || (format == Format::text && looks_like_html(text))) return HtmlReader(text).read();
  if (format == Format::markdown) return read_front_matter(text);
  FormattedText r;
  r.body = std::string(text);
  return r;
}

std::string parse_date(std::string_view text) {
  Date d;
  if (parse_iso(text, d)) return iso(d);
  const auto dates = find_dates(text);
  return dates.empty() ? std::string() : iso(dates.front());
}

Metadata extract_metadata(std::string_view body, Metadata stated) {
  Metadata m = std::move(stated);
  Lines lines(body);
  const std::size_t top = top_end(lines);

  // Title: the first meaningful line at the top.
  std::size_t title_line = 0;
  bool have_title_line = false;
  std::optional<std::size_t> one_word;
  for (std::size_t i = 0; i < top; ++i) {
    bool single = false;
    if (is_title_candidate(lines.text(i), &single)) {
      if (single) {
        if (!one_word) one_word = i;
        continue;
      }
      title_line = i;
      have_title_line = true;
      break;
    }
  }
  if (!have_title_line && one_word) {
    title_line = *one_word;
    have_title_line = true;
  }
  if (m.title.empty() && have_title_line) {
    m.title = lines.text(title_line);
    m.title_source = FieldSource::stated;
  }
  // When the long line that ends the top comes right after the title, it is
  // a standfirst, and the byline and dateline may sit under it: look down to
  // the next paragraph for them.
  std::size_t near = top;
  if (have_title_line && top == title_line + 1 && top < lines.size()) {
    near = top + 1;
    while (near < lines.size() && near < kMaxTopLines && lines.bytes(near) < kParagraphBytes) ++near;
  }

  // Date: a dateline at the top; else a "published ..." line anywhere; else
  // a first paragraph that opens with a date (inferred).
  if (m.date.empty()) {
    std::optional<Date> published, updated;
    for (std::size_t i = 0; i < near; ++i) {
      if (have_title_line && i == title_line) continue;
      if (auto d = dateline_date(lines.text(i))) {
        // Under a standfirst only a plain, full dateline counts.
        if (i > top && (d->d == 0 || ends_sentence(lines.text(i)))) continue;
        if (has_updated_label(lines.text(i))) {
          if (!updated) updated = d;
        } else if (!published) {
          published = d;
        }
      }
    }
    if (!published) {
      for (std::size_t i = 0; i < lines.size() && !published; ++i) {
        if (have_title_line && i == title_line) continue;
        if (lines.bytes(i) > 200 || !has_published_label(lines.raw(i))) continue;
        if (auto d = publication_note_date(lines.text(i))) published = d;
      }
    }
    if (!published) published = updated;
    if (published) {
      m.date = iso(*published);
      m.date_source = FieldSource::stated;
    } else {
      // The lede: the first paragraph-sized line after the title.
      for (std::size_t i = have_title_line ? title_line + 1 : 0; i < lines.size(); ++i) {
        if (lines.bytes(i) < kLedeBytes) continue;
        if (auto d = lede_date(lines.text(i))) {
          m.date = iso(*d);
          m.date_source = FieldSource::inferred;
        }
        break;
      }
    }
  }
  if (!m.date.empty() && !m.year) {
    m.year = year_of(m.date);
    if (m.year) m.year_source = m.date_source;
  }

  // Authors: a byline at the top; else a name line under the title; else a
  // signature at the end.
  if (m.authors.empty()) {
    for (std::size_t i = 0; i < near && m.authors.empty(); ++i) m.authors = byline_authors(lines.text(i));
    if (m.authors.empty() && have_title_line) {
      for (std::size_t i = title_line + 1; i < top && m.authors.empty(); ++i) {
        if (lines.text(i).size() > 80) continue;
        bool all = false;
        auto names = split_names(lines.text(i), &all);
        if (all && names.size() <= 4) m.authors = std::move(names);
      }
    }
    if (m.authors.empty()) m.authors = signature_authors(lines, top);
    if (!m.authors.empty()) m.authors_source = FieldSource::stated;
  }
  return m;
}

// ---------------------------------------------------------------------------
// Sidecar.

std::vector<SidecarEntry> parse_sidecar(std::string_view tsv, std::string_view origin) {
  std::vector<SidecarEntry> entries;
  bool header = false;
  std::size_t line_no = 0;
  auto fail = [&](const std::string& what) {
    throw InputError(fmt::format("{}:{}: {}", origin, line_no, what));
  };
  for (auto raw : split_on(tsv, '\n')) {
    ++line_no;
    if (!raw.empty() && raw.back() == '\r') raw.remove_suffix(1);
    if (line_no == 1 && raw.substr(0, 3) == "\xEF\xBB\xBF") raw.remove_prefix(3);
    if (trim_ascii(raw).empty() || trim_ascii(raw).front() == '#') continue;
    auto cells = split_on(raw, '\t');
    if (!header) {
      const std::vector<std::string_view> want{"file", "title", "date", "authors"};
      if (cells.size() != want.size())
        fail(fmt::format("expected the header line \"file<TAB>title<TAB>date<TAB>authors\", found {} column(s)",
                         cells.size()));
      for (std::size_t i = 0; i < want.size(); ++i)
        if (lower(trim_ascii(cells[i])) != want[i])
          fail(fmt::format("header column {} is '{}', expected '{}'", i + 1, trim_ascii(cells[i]), want[i]));
      header = true;
      continue;
    }
    if (cells.size() > 4) fail(fmt::format("{} columns, expected at most 4 (file, title, date, authors)", cells.size()));
    cells.resize(4);
    SidecarEntry e;
    e.file = std::string(trim_ascii(cells[0]));
    if (e.file.empty()) fail("empty file name");
    while (e.file.rfind("./", 0) == 0) e.file.erase(0, 2);
    e.title = squeeze_spaces(cells[1]);
    const std::string date(trim_ascii(cells[2]));
    if (iequals(date, "unknown")) {
      e.date = "unknown";
    } else if (!date.empty()) {
      Date d;
      if (!parse_iso(date, d) || date.size() > 10)
        fail(fmt::format("date '{}' is not YYYY, YYYY-MM or YYYY-MM-DD (or 'unknown')", date));
      e.date = iso(d);
    }
    for (auto a : split_on(cells[3], ';')) {
      std::string name = squeeze_spaces(a);
      if (!name.empty()) e.authors.push_back(std::move(name));
    }
    if (find_sidecar_entry(entries, e.file)) fail(fmt::format("'{}' is listed twice", e.file));
    entries.push_back(std::move(e));
  }
  return entries;
}

void apply_sidecar(Metadata& m, const SidecarEntry& e) {
  if (!e.title.empty()) {
    m.title = e.title;
    m.title_source = FieldSource::sidecar;
  }
  if (e.date == "unknown") {
    m.date.clear();
    m.year.reset();
    m.date_source = m.year_source = FieldSource::sidecar;
  } else if (!e.date.empty()) {
    m.date = e.date;
    m.year = year_of(e.date);
    m.date_source = m.year_source = FieldSource::sidecar;
  }
  if (!e.authors.empty()) {
    m.authors = e.authors;
    m.authors_source = FieldSource::sidecar;
  }
}

const SidecarEntry* find_sidecar_entry(const std::vector<SidecarEntry>& entries, std::string_view relative_path) {
  while (relative_path.substr(0, 2) == "./") relative_path.remove_prefix(2);
  for (const auto& e : entries)
    if (e.file == relative_path) return &e;
  return nullptr;
}

std::string locate_sidecar(const std::string& file_path, int levels) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::path dir = fs::absolute(fs::path(file_path), ec).lexically_normal().parent_path();
  if (ec) return {};
  for (int i = 0; i <= levels && !dir.empty(); ++i) {
    const fs::path candidate = dir / kSidecarName;
    if (fs::is_regular_file(candidate, ec)) return candidate.string();
    if (dir == dir.root_path()) break;
    dir = dir.parent_path();
  }
  return {};
}

std::string sidecar_relative_path(const std::string& sidecar_path, const std::string& file_path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path dir = fs::absolute(fs::path(sidecar_path), ec).lexically_normal().parent_path();
  const fs::path file = fs::absolute(fs::path(file_path), ec).lexically_normal();
  return file.lexically_relative(dir).generic_string();
}

std::vector<SidecarEntry> load_sidecar(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(fmt::format("cannot read metadata sidecar '{}': {}", path, std::strerror(errno)));
  std::ostringstream ss;
  ss << in.rdbuf();
  return parse_sidecar(ss.str(), path);
}

}  // namespace lipsteeth::analyzers
