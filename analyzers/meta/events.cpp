// Years inferred from dated events. An article that states no date still
// says when it was written by how it refers to what happened: "the 70th
// anniversary of the end of World War II" is 2015's, "last year's United
// Nations report" on North Korea's human rights is from the year after
// February 2014, "has just returned from a visit to Pyongyang" is the
// visit's. Each such reference places the text in a year; the latest of them
// is the inferred year, never earlier than any event the text mentions at
// all. The result is always reported as inferred, with what it rests on.
#include "analyzers/meta/events.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "analyzers/data_files.h"
#include "analyzers/error.h"

namespace lipsteeth::analyzers::meta {
namespace {

// Lower-case ASCII letters and digits kept, typographic apostrophes and all
// ASCII punctuation read as spaces, runs of spaces squeezed; other bytes
// (letters of other scripts) kept. Terms and sentences go through the same.
std::string normalise(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 1);
  out.push_back(' ');
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    bool space = false;
    if (c < 0x80) {
      space = !(is_alpha_ascii(s[i]) || is_digit(s[i]));
    } else if (c == 0xE2 && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0x80) {
      const auto t = static_cast<unsigned char>(s[i + 2]);
      // U+2010-U+2015 dashes, U+2018/U+2019 quotes, U+201C/U+201D double quotes.
      if ((t >= 0x90 && t <= 0x95) || t == 0x98 || t == 0x99 || t == 0x9C || t == 0x9D) {
        space = true;
        i += 2;
      }
    }
    if (space) {
      if (out.back() != ' ') out.push_back(' ');
    } else {
      out.push_back(lower_ascii(s[i]));
    }
  }
  if (out.back() != ' ') out.push_back(' ');
  return out;  // " words like this "
}

// Where `term` (normalised, with its leading space) starts a word in `s`; npos if nowhere.
// Searched without the space (a space is before every word: searching for it
// would stop at each), then checked.
std::size_t word_find(const std::string& s, const std::string& term) {
  const std::string_view word = std::string_view(term).substr(1);
  for (std::size_t at = s.find(word); at != std::string::npos; at = s.find(word, at + 1))
    if (at > 0 && s[at - 1] == ' ') return at - 1;
  return std::string::npos;
}

constexpr const char* kOrdinals[] = {"first",     "second",    "third",    "fourth",    "fifth",
                                     "sixth",     "seventh",   "eighth",   "ninth",     "tenth"};
constexpr std::pair<const char*, int> kTens[] = {{"twentieth", 20}, {"thirtieth", 30}, {"fortieth", 40},
                                                 {"fiftieth", 50},  {"sixtieth", 60},  {"seventieth", 70},
                                                 {"eightieth", 80}, {"ninetieth", 90}, {"hundredth", 100}};

// "70th anniversary", "third anniversary": the number, and where the word
// "anniversary" is; 0 when the sentence names no numbered anniversary.
int anniversary(const std::string& s, std::size_t& at) {
  at = s.find(" anniversary ");
  if (at == std::string::npos) return 0;
  const std::size_t b = s.rfind(' ', at - 1);
  if (b == std::string::npos) return 0;
  const std::string w = s.substr(b + 1, at - b - 1);
  std::size_t k = 0;
  while (k < w.size() && is_digit(w[k])) ++k;
  if (k > 0 && k <= 3 && (w.substr(k) == "st" || w.substr(k) == "nd" || w.substr(k) == "rd" || w.substr(k) == "th"))
    return to_int(w.substr(0, k));
  for (std::size_t i = 0; i < std::size(kOrdinals); ++i)
    if (w == kOrdinals[i]) return static_cast<int>(i) + 1;
  for (const auto& [word, n] : kTens)
    if (w == word) return n;
  return 0;
}

bool names_a_year(std::string_view raw) {
  for (std::size_t i = 0; i + 4 <= raw.size(); ++i) {
    if ((i > 0 && is_digit(raw[i - 1])) || (i + 4 < raw.size() && is_digit(raw[i + 4]))) continue;
    if ((raw.substr(i, 2) == "19" || raw.substr(i, 2) == "20") && is_digit(raw[i + 2]) && is_digit(raw[i + 3]))
      return true;
  }
  return false;
}

// A word that says the event is recent at the time of writing.
bool has_recency(const std::string& s, std::string_view raw) {
  for (const char* cue : {" recent", " has just ", " have just ", " had just ", " just returned ", " this month ",
                          " last month ", " this week ", " last week ", " days ago ", " weeks ago ", " this year ",
                          " earlier this year ", " yesterday ", " last weekend ", " this past "})
    if (s.find(cue) != std::string::npos) return true;
  // "the December execution": a month named without a year. (May is also a verb.)
  for (const char* m : {"January", "February", "March", "April", "June", "July", "August", "September", "October",
                        "November", "December"})
    if (raw.find(m) != std::string_view::npos) return true;
  return false;
}

struct Sentence {
  std::string_view raw;
  std::size_t offset;
};

std::vector<Sentence> sentences_of(std::string_view body) {
  std::vector<Sentence> out;
  std::size_t start = 0;
  for (std::size_t i = 0; i < body.size(); ++i) {
    const char c = body[i];
    const bool end = c == '\n' || ((c == '.' || c == '!' || c == '?') && (i + 1 == body.size() || is_ascii_space(body[i + 1])));
    if (!end) continue;
    if (i + 1 > start) out.push_back({body.substr(start, i + 1 - start), start});
    start = i + 1;
  }
  if (start < body.size()) out.push_back({body.substr(start), start});
  return out;
}

// The place of the first alternative of `e` that `s` refers to it by; npos if none.
std::size_t refers_to(const std::string& s, const DatedEvent& e) {
  for (const auto& alt : e.refers) {
    std::size_t first = std::string::npos;
    bool all = true;
    for (const auto& term : alt) {
      const std::size_t at = word_find(s, term);
      if (at == std::string::npos) {
        all = false;
        break;
      }
      first = std::min(first, at);
    }
    if (all && !alt.empty()) return first;
  }
  return std::string::npos;
}

// events.tsv of the data folder (analyzers/data_files.h): installed, beside
// the binary; the source tree's only for a binary in its build tree.
std::string located_events_table() { return find_data_file("events.tsv"); }

void load_into(std::vector<DatedEvent>& to, const std::string& path) {
  if (path.empty()) return;
  std::ifstream in(path, std::ios::binary);
  if (!in) return;
  std::ostringstream ss;
  ss << in.rdbuf();
  try {
    auto events = parse_events(ss.str(), path);
    to.insert(to.end(), events.begin(), events.end());
  } catch (const InputError&) {
    // A malformed table infers nothing from it; `lipsteeth analyze` dates are then unknown, not wrong.
  }
}

}  // namespace

std::vector<DatedEvent> parse_events(std::string_view tsv, std::string_view origin) {
  std::vector<DatedEvent> out;
  std::size_t line_no = 0;
  bool header = false;
  for (auto line : split_on(tsv, '\n')) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (trim_ascii(line).empty() || line.front() == '#') continue;
    const auto cols = split_on(line, '\t');
    auto fail = [&](const std::string& what) {
      throw InputError(fmt::format("{}:{}: {}", origin, line_no, what));
    };
    if (!header) {
      header = true;
      if (cols.size() >= 3 && trim_ascii(cols[0]) == "date") continue;
    }
    if (cols.size() < 3) fail("expected date<TAB>event<TAB>refers[<TAB>source]");
    DatedEvent e;
    if (!parse_iso(trim_ascii(cols[0]), e.date) || e.date.y == 0) fail(fmt::format("'{}' is no date (YYYY[-MM[-DD]])", cols[0]));
    e.name = std::string(trim_ascii(cols[1]));
    if (e.name.empty()) fail("empty event name");
    for (auto alt : split_on(cols[2], '|')) {
      std::vector<std::string> terms;
      std::size_t from = 0;
      const std::string a(alt);
      while (from <= a.size()) {
        std::size_t plus = a.find(" + ", from);
        if (plus == std::string::npos) plus = a.size();
        std::string t = normalise(a.substr(from, plus - from));
        t = std::string(trim_ascii(t));
        if (!t.empty()) terms.push_back(" " + t);  // " term": it must start a word
        from = plus + 3;
      }
      if (!terms.empty()) e.refers.push_back(std::move(terms));
    }
    if (e.refers.empty()) fail("no way to refer to the event (column 'refers' is empty)");
    out.push_back(std::move(e));
  }
  return out;
}

const std::vector<DatedEvent>& default_events() {
  static const std::vector<DatedEvent> table = [] {
    std::vector<DatedEvent> t;
    load_into(t, located_events_table());
    if (const char* env = std::getenv("LIPSTEETH_EVENTS"); env && *env) load_into(t, env);
    return t;
  }();
  return table;
}

std::optional<Candidate> infer_event_year(std::string_view body, const std::vector<DatedEvent>& events) {
  if (events.empty()) return std::nullopt;
  int year = 0;  // the latest year a placing reference gives
  std::string why, field;
  std::size_t where = 0;
  Date bound;  // the latest event referred to at all
  std::string bound_name;
  // Only events the whole text could refer to are looked for sentence by
  // sentence: most of the table is absent from any one article.
  const std::string all = normalise(body);
  std::vector<const DatedEvent*> present;
  for (const auto& e : events)
    if (refers_to(all, e) != std::string::npos) present.push_back(&e);
  if (present.empty()) return std::nullopt;
  for (const auto& sent : sentences_of(body)) {
    if (sent.raw.size() < 20) continue;
    const std::string s = normalise(sent.raw);
    std::size_t ann_at = std::string::npos;
    int n = -1;  // the sentence's anniversary, read once it refers to an event
    bool dated_here = false;
    for (const DatedEvent* ep : present) {
      const DatedEvent& e = *ep;
      const std::size_t at = refers_to(s, e);
      if (at == std::string::npos) continue;
      if (n < 0) {
        n = anniversary(s, ann_at);
        dated_here = names_a_year(sent.raw);
      }
      int y = 0;
      std::string cue;
      if (n > 0 && at > ann_at) {
        y = e.date.y + n;
        const int tens = n % 100;
        const char* suffix = tens >= 11 && tens <= 13 ? "th" : n % 10 == 1 ? "st" : n % 10 == 2 ? "nd" : n % 10 == 3 ? "rd" : "th";
        cue = fmt::format("the {}{} anniversary of {} ({})", n, suffix, e.name, iso(e.date));
      } else if (!dated_here && s.find(" last year") != std::string::npos) {
        y = e.date.y + 1;
        cue = fmt::format("{} ({}) \"last year\"", e.name, iso(e.date));
      } else if (!dated_here && e.date.m == 12 && s.find(" last december ") != std::string::npos) {
        // Written after "last December": in a later month, so the next year.
        y = e.date.y + 1;
        cue = fmt::format("{} ({}) \"last December\"", e.name, iso(e.date));
      } else if (!dated_here && has_recency(s, sent.raw)) {
        y = e.date.y;
        cue = fmt::format("{} ({}) as recent", e.name, iso(e.date));
      }
      if (y > year) {
        year = y;
        why = cue;
        field = std::string(trim_ascii(sent.raw.substr(0, 120)));
        where = sent.offset;
      }
      if (iso(e.date) > iso(bound)) {
        bound = e.date;
        bound_name = e.name;
      }
    }
  }
  if (year == 0) return std::nullopt;
  std::string note = "rests on: " + why;
  if (bound.y > year) {
    note += fmt::format("; raised to {}: the text refers to {} ({})", bound.y, bound_name, iso(bound));
    year = bound.y;
  } else if (!bound_name.empty()) {
    note += fmt::format("; latest event referred to: {} ({})", bound_name, iso(bound));
  }
  Candidate c;
  c.value = std::to_string(year);
  c.rule = "event-year";
  c.field = std::move(field);
  c.offset = where;
  c.source = FieldSource::inferred;
  c.rank = rank::kEventYear;
  c.note = std::move(note);
  return c;
}

}  // namespace lipsteeth::analyzers::meta
