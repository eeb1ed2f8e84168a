// Metadata stated in the text itself: the title line, datelines ("SEOUL,
// Jan. 13 (Reuters) -", "By | May 20, 2012 | No Comments"), "Published ..."
// and "Updated ..." notes, bylines and signatures.
//
// Extraction is deliberately conservative. A date is "stated" only when a
// line near the top of the article is a date line or a line anywhere says when
// the piece was published; it is "inferred" only from a first paragraph that
// opens with a dated phrase ("In early June 2016, ..."). A year named in
// passing is never taken for the publication date.
#include "analyzers/meta/text_headers.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include "analyzers/meta/events.h"
#include "analyzers/meta/path_dates.h"
#include "analyzers/meta/text_util.h"
#include "analyzers/metadata.h"

namespace lipsteeth::analyzers::meta {

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
std::vector<std::string> split_names(std::string_view s, bool* all_names) {
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

// Where an "updated" / "modified" label starts in `line`; npos when none.
std::size_t updated_label_at(std::string_view line) {
  const std::string l = lower(line);
  std::size_t at = std::string::npos;
  for (const char* k : {"updated", "modified", "last edit"}) at = std::min(at, l.find(k));
  return at;
}

// A wire service's dateline opening a paragraph: a place in capitals or
// capitalised words (up to four), a comma, a full date, an optional
// "(Agency)", then a dash: "BEIJING, March 3, 2015 (Xinhua) --",
// "Geneva, 12 June 2019 -". The place is never an author.
std::optional<Date> wire_dateline_date(std::string_view line) {
  // The place may name its country: "DANDONG, China, May 4, 2018".
  std::size_t comma = std::string_view::npos;
  for (int part = 0; part < 2; ++part) {
    comma = line.find(',', comma == std::string_view::npos ? 0 : comma + 1);
    if (comma == std::string_view::npos || comma == 0 || comma > 40) return std::nullopt;
    const auto place = words_of(line.substr(0, comma));
    if (place.empty() || place.size() > 4) return std::nullopt;
    for (auto w : place) {
      if (!w.empty() && w.back() == ',') w.remove_suffix(1);
      if (!is_name_word(w) || month_of(w)) return std::nullopt;
    }
    const std::string_view rest = line.substr(comma + 1, 60);
    const auto dates = find_dates(rest);
    if (dates.empty() || !trim_ascii(rest.substr(0, dates.front().start)).empty()) continue;
    if (dates.front().d == 0) return std::nullopt;
    std::string_view after = trim_ascii(rest.substr(dates.front().end));
    if (!after.empty() && after.front() == '(') {
      const std::size_t close = after.find(')');
      if (close == std::string_view::npos || close > 30) return std::nullopt;
      after = trim_ascii(after.substr(close + 1));
    }
    if (!(after.rfind("-", 0) == 0 || after.rfind("\xE2\x80\x94", 0) == 0 || after.rfind("\xE2\x80\x93", 0) == 0))
      return std::nullopt;
    Date d = dates.front();
    d.start += comma + 1;
    d.end += comma + 1;
    return d;
  }
  return std::nullopt;
}

// A byline that carries its date: "By Jane Smith, Reuters | Published 4:05
// PM ET, Tue March 3, 2015", "By Chen Qi - June 2, 2016". Only a full date
// after a name counts.
std::optional<Date> byline_date(std::string_view line);

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

std::optional<Date> byline_date(std::string_view line) {
  if (line.size() > 200 || byline_authors(line).empty()) return std::nullopt;
  for (const auto& d : find_dates(line))
    if (d.d != 0 && (updated_label_at(line) == std::string::npos || d.start < updated_label_at(line))) return d;
  return std::nullopt;
}

// Text split into tokens for machine translation or NLP corpora (Moses
// style): punctuation and clitics stand apart ("China &apos;s", "said ,
// ", "n &apos;t"). Written prose almost never puts a space before a comma or
// a full stop; such a corpus does so in nearly every sentence.
bool looks_tokenised(std::string_view body) {
  const std::string_view head = body.substr(0, 4000);
  std::size_t apart = 0, commas = 0;
  for (std::size_t i = 1; i + 1 < head.size(); ++i) {
    if (head[i] != ',' && head[i] != '.') continue;
    commas += 1;
    if (head[i - 1] == ' ' && (head[i + 1] == ' ' || head[i + 1] == '\n')) ++apart;
  }
  return apart >= 3 && apart * 2 >= commas;
}

// A tokenised line as written: "China 's Resurgent Warlords" -> "China's
// Resurgent Warlords", "( AP )" -> "(AP)", "ends ." -> "ends.".
std::string detokenise(std::string_view t) {
  std::string out(t);
  for (const char* tok : {" 's", " 're", " 've", " 'll", " 'd", " 'm", " n't", " ,", " .", " :", " ;", " ?", " !",
                          " )", " %", " \xE2\x80\x99s"}) {
    const std::string from(tok), to(tok + 1);
    for (std::size_t at = out.find(from); at != std::string::npos; at = out.find(from, at)) {
      // Only a whole token: "rock 'n' roll" keeps its spaces; " 's" must end a word.
      const std::size_t end = at + from.size();
      const bool whole = end == out.size() || !is_alpha_ascii(out[end]) || from == " (";
      if (whole) out.replace(at, from.size(), to);
      else ++at;
    }
  }
  for (std::size_t at = out.find("( "); at != std::string::npos; at = out.find("( ", at)) out.erase(at + 1, 1);
  return out;
}

// `single_word` is set for a one-word line, which is a section label
// ("Asia", "Diplomacy") more often than a title: it is the title only when
// no other line qualifies.
bool is_title_candidate(const std::string& t, bool* single_word) {
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

}  // namespace lipsteeth::analyzers::meta

namespace lipsteeth::analyzers {
using namespace meta;

Metadata extract_metadata(std::string_view body, Metadata stated) {
  Metadata m = std::move(stated);
  Lines lines(body);
  const std::size_t top = top_end(lines);
  auto at = [&](std::size_t i) { return static_cast<std::size_t>(lines.raw(i).data() - body.data()); };

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
  if (have_title_line) {
    std::string t = squeeze_spaces(decode_entities(lines.text(title_line)));
    if (looks_tokenised(body)) t = detokenise(t);
    add_candidate(m.title_candidates, std::move(t), "first-line", "line " + std::to_string(title_line + 1),
                  at(title_line), rank::kTextTitle);
  }
  // When the long line that ends the top comes right after the title, it is
  // a standfirst, and the byline and dateline may sit under it: look down to
  // the next paragraph for them.
  std::size_t near = top;
  if (have_title_line && top == title_line + 1 && top < lines.size()) {
    near = top + 1;
    while (near < lines.size() && near < kMaxTopLines && lines.bytes(near) < kParagraphBytes) ++near;
  }

  // Date: a dateline at the top ("updated" ones after the others); a
  // "published ..." line anywhere; a first paragraph that opens with a date.
  bool published = false;
  for (std::size_t i = 0; i < near; ++i) {
    if (have_title_line && i == title_line) continue;
    const std::string& l = lines.text(i);
    if (auto d = dateline_date(l)) {
      // Under a standfirst only a plain, full dateline counts.
      if (i > top && (d->d == 0 || ends_sentence(l))) continue;
      // "Published: 7 February 2014 Updated: 9 February 2014": the date
      // before the "updated" label is the publication's.
      const std::size_t u = updated_label_at(l);
      const bool updated = u != std::string::npos && d->start >= u;
      add_candidate(m.date_candidates, iso(*d), updated ? "updated-line" : "dateline", l, at(i),
                    updated ? rank::kUpdatedDate : rank::kTextDate);
      published = published || !updated;
      if (!updated && u != std::string::npos)
        for (const auto& later : find_dates(l))
          if (later.start >= u) {
            add_candidate(m.date_candidates, iso(later), "updated-line", l, at(i), rank::kUpdatedDate);
            break;
          }
    } else if (auto b = byline_date(l)) {
      add_candidate(m.date_candidates, iso(*b), "byline", l, at(i), rank::kTextDate);
      published = true;
    }
  }
  // A wire dateline opening the first paragraphs: "BEIJING, March 3, 2015
  // (Xinhua) -- ...". One without a year ("SEOUL, Jan. 13 (Reuters) -")
  // states no year and gives no candidate.
  for (std::size_t i = 0; i < lines.size() && i < near + 2; ++i) {
    if (auto d = wire_dateline_date(lines.text(i))) {
      add_candidate(m.date_candidates, iso(*d), "wire-dateline", lines.text(i).substr(0, d->end), at(i),
                    rank::kTextDate);
      published = true;
      break;
    }
  }
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (have_title_line && i == title_line) continue;
    if (lines.bytes(i) > 200 || !has_published_label(lines.raw(i))) continue;
    if (auto d = publication_note_date(lines.text(i))) {
      add_candidate(m.date_candidates, iso(*d), "publication-note", lines.text(i), at(i), rank::kTextDate + 1);
      published = true;
      break;
    }
  }
  if (!published) {
    // The lede: the first paragraph-sized line after the title.
    for (std::size_t i = have_title_line ? title_line + 1 : 0; i < lines.size(); ++i) {
      if (lines.bytes(i) < kLedeBytes) continue;
      if (auto d = lede_date(lines.text(i)))
        add_candidate(m.date_candidates, iso(*d), "lede", lines.text(i).substr(0, d->end), at(i), rank::kLedeDate,
                      FieldSource::inferred);
      break;
    }
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
  // A URL the file states (front matter "url:", <link rel=canonical>).
  if (!m.url.empty()) add_path_date(m.date_candidates, m.url, "url");
  // Nothing states a date: the events the text refers to may place it in a
  // year (inferred, never stated; analyzers/meta/events.cpp).
  const bool stated_date = !m.date.empty() || std::any_of(m.date_candidates.begin(), m.date_candidates.end(),
                                                          [](const Candidate& c) { return c.source != FieldSource::inferred; });
  if (!stated_date)
    if (auto c = infer_event_year(body, default_events())) m.date_candidates.push_back(std::move(*c));
  decide(m);
  return m;
}

}  // namespace lipsteeth::analyzers
