// JSON documents of stories, read with nlohmann-json (comments allowed, as
// in the "var data = {...};" scripts that TimelineJS pages load). Shapes:
//   [ {"headline": ..., "date": ..., "story_text": ...}, ... ]   a scraper's array
//   {"headline": ...}\n{"headline": ...}\n                         JSON Lines
//   {"title": ..., "text": ...}                                  one story
//   {"title": {"text": {"headline": ...}}, "events": [{"start_date": {...}, "text": {...}}]}  TimelineJS
// Anything else is no JSON document of stories, and is read as text.
#include "analyzers/meta/json_doc.h"

#include <algorithm>
#include <cstring>

#include <nlohmann/json.hpp>

#include "analyzers/meta/html.h"
#include "analyzers/meta/text_util.h"

namespace lipsteeth::analyzers::meta {
namespace {

using Json = nlohmann::json;

constexpr const char* kTitleKeys[] = {"headline", "title", "post_title", "heading"};
constexpr const char* kTextKeys[] = {"story_text", "text", "body", "content", "article", "article_text",
                                     "full_text", "fulltext", "story", "post_content", "articleBody", "maintext"};
constexpr const char* kDateKeys[] = {"date", "datePublished", "date_published", "published", "published_at",
                                     "publishedAt", "pubDate", "publish_date", "post_date", "created_at"};

std::string string_at(const Json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// Markup inside a value (TimelineJS texts are HTML fragments) is read as HTML.
std::string plain(const std::string& v) {
  if (v.find('<') == std::string::npos || v.find('>') == std::string::npos) return squeeze_spaces(decode_entities(v));
  std::string body = read_html(v).body;
  while (!body.empty() && body.back() == '\n') body.pop_back();
  return body;
}

// The story an object holds, when it holds one: a string text under a text key.
std::optional<JsonStory> story_of(const Json& j, std::string_view doc, std::size_t from) {
  if (!j.is_object()) return std::nullopt;
  JsonStory s;
  for (const char* k : kTextKeys) {
    s.text = plain(string_at(j, k));
    if (!s.text.empty()) break;
  }
  if (s.text.empty()) return std::nullopt;
  for (const char* k : kTitleKeys) {
    s.title = plain(string_at(j, k));
    if (!s.title.empty()) {
      s.title_key = k;
      break;
    }
  }
  for (const char* k : kDateKeys) {
    s.date = string_at(j, k);
    if (!s.date.empty()) {
      s.date_key = k;
      break;
    }
  }
  const std::string quoted = "\"" + (s.title_key.empty() ? s.date_key : s.title_key) + "\"";
  const std::size_t at = quoted.size() > 2 ? doc.find(quoted, from) : std::string_view::npos;
  s.offset = at == std::string_view::npos ? from : at;
  return s;
}

// The object or array `t` opens with, up to its closing bracket: what
// follows it in a script (";", commented-out slides) is no part of it. A
// script's literal may end a list with a comma ("{"a": 1,}"), which JSON
// does not allow: such commas are dropped. Comments stay (the parser skips
// them). All of `t` when it never closes.
std::string script_value(std::string_view t) {
  std::string out;
  out.reserve(t.size());
  int depth = 0;
  std::size_t comma = std::string::npos;  // a comma in `out` that only space or comments follow so far
  for (std::size_t i = 0; i < t.size(); ++i) {
    const char c = t[i];
    if (c == '"') {
      const std::size_t from = i;
      for (++i; i < t.size() && t[i] != '"'; ++i)
        if (t[i] == '\\') ++i;
      out.append(t.substr(from, i - from + 1));
      comma = std::string::npos;
      continue;
    }
    if (c == '/' && i + 1 < t.size() && (t[i + 1] == '/' || t[i + 1] == '*')) {
      std::size_t end = t[i + 1] == '/' ? t.find('\n', i) : t.find("*/", i + 2);
      end = end == std::string_view::npos ? t.size() : (t[i + 1] == '/' ? end : end + 2);
      out.append(t.substr(i, end - i));
      i = end - 1;
      continue;
    }
    if ((c == '}' || c == ']') && comma != std::string::npos) out[comma] = ' ';
    if (!is_ascii_space(c)) comma = c == ',' ? out.size() : std::string::npos;
    out.push_back(c);
    if (c == '{' || c == '[') ++depth;
    if ((c == '}' || c == ']') && --depth == 0) break;
  }
  return out;
}

// "var data = {...};", "window.timeline = [...]": the JSON inside a script.
std::string unwrap_script(std::string_view t) {
  t = trim_ascii(t);
  for (const char* kw : {"var ", "let ", "const ", "window."}) {
    if (t.rfind(kw, 0) != 0) continue;
    const std::size_t eq = t.find('=');
    if (eq == std::string_view::npos || eq > 80) return std::string(t);
    return script_value(trim_ascii(t.substr(eq + 1)));
  }
  return std::string(t);
}

// A cheap refusal first: most texts open with a letter.
bool could_be_json(std::string_view text) {
  const std::string_view head = trim_ascii(text.substr(0, 64));
  return !head.empty() && (head.front() == '[' || head.front() == '{' || istarts_with(head, "var ") ||
                           istarts_with(head, "let ") || istarts_with(head, "const ") || istarts_with(head, "window."));
}

Json parse(std::string_view t) {
  return Json::parse(t.begin(), t.end(), nullptr, /*allow_exceptions=*/false, /*ignore_comments=*/true);
}

bool is_timeline(const Json& j) {
  return j.is_object() && j.contains("events") && j["events"].is_array();
}

// TimelineJS "start_date": {"year": "2017", "month": "7", "day": "4"}.
std::string timeline_date(const Json& e) {
  auto it = e.find("start_date");
  if (it == e.end() || !it->is_object()) return {};
  auto num = [&](const char* k) {
    auto f = it->find(k);
    if (f == it->end()) return 0;
    if (f->is_number_integer()) return f->get<int>();
    if (f->is_string()) {
      const std::string v = f->get<std::string>();
      return !v.empty() && v.size() <= 4 && std::all_of(v.begin(), v.end(), is_digit) ? to_int(v) : 0;
    }
    return 0;
  };
  Date d;
  d.y = num("year");
  d.m = num("month");
  d.d = d.m ? num("day") : 0;
  if (d.y < 1000 || d.y > 2999 || !valid_ymd(d.y, d.m, d.d)) return {};
  return iso(d);
}

std::string timeline_text(const Json& slide, const char* key) {
  auto t = slide.find("text");
  return t != slide.end() && t->is_object() ? plain(string_at(*t, key)) : std::string();
}

FormattedText read_timeline(const Json& j, std::string_view doc) {
  FormattedText r;
  std::string body;
  auto add = [&](const std::string& s) {
    if (s.empty()) return;
    body += s;
    body += "\n\n";
  };
  if (auto t = j.find("title"); t != j.end() && t->is_object()) {
    const std::string headline = timeline_text(*t, "headline");
    const std::size_t at = doc.find("\"headline\"");
    add_candidate(r.stated.title_candidates, headline, "timeline", "title.text.headline",
                  at == std::string_view::npos ? 0 : at, rank::kFormatTitle);
    add(headline);
    add(timeline_text(*t, "text"));
  }
  std::string latest;
  std::size_t dated = 0;
  for (const auto& e : j["events"]) {
    if (!e.is_object()) continue;
    add(timeline_text(e, "headline"));
    add(timeline_text(e, "text"));
    const std::string d = timeline_date(e);
    if (d.empty()) continue;
    ++dated;
    if (d > latest) latest = d;  // ISO dates of one precision or less compare as text
  }
  if (!latest.empty()) {
    const std::size_t at = doc.find("\"start_date\"");
    add_candidate(r.stated.date_candidates, latest, "timeline-latest-event", "events[].start_date",
                  at == std::string_view::npos ? 0 : at, rank::kLedeDate, FieldSource::inferred,
                  "latest of " + std::to_string(dated) + " dated events");
  }
  if (!body.empty()) body.pop_back();
  r.body = std::move(body);
  return r;
}

}  // namespace

std::optional<std::vector<JsonStory>> read_json_stories(std::string_view text) {
  if (!could_be_json(text)) return std::nullopt;
  const std::string t = unwrap_script(text);
  if (t.empty() || (t.front() != '[' && t.front() != '{')) return std::nullopt;
  std::vector<JsonStory> out;
  const Json j = parse(t);
  if (!j.is_discarded()) {
    if (j.is_array()) {
      std::size_t from = 0;
      for (const auto& e : j) {
        if (auto s = story_of(e, text, from)) {
          from = s->offset + 1;
          out.push_back(std::move(*s));
        }
      }
      // An array of stories is mostly stories, not numbers or settings.
      if (out.empty() || out.size() * 2 < j.size()) return std::nullopt;
      return out;
    }
    if (auto s = story_of(j, text, 0)) return std::vector<JsonStory>{std::move(*s)};
    return std::nullopt;
  }
  // JSON Lines: every non-blank line one object.
  std::size_t at = 0, lines = 0;
  while (at < text.size()) {
    std::size_t nl = text.find('\n', at);
    if (nl == std::string_view::npos) nl = text.size();
    const std::string_view line = trim_ascii(text.substr(at, nl - at));
    if (!line.empty()) {
      ++lines;
      const Json e = parse(line);
      if (e.is_discarded() || !e.is_object()) return std::nullopt;
      if (auto s = story_of(e, text, at)) out.push_back(std::move(*s));
    }
    at = nl + 1;
  }
  if (out.empty() || out.size() * 2 < lines) return std::nullopt;
  return out;
}

std::optional<FormattedText> read_json_document(std::string_view text) {
  if (!could_be_json(text)) return std::nullopt;
  const std::string t = unwrap_script(text);
  if (t.empty() || (t.front() != '[' && t.front() != '{')) return std::nullopt;
  if (t.front() == '{') {
    const Json j = parse(t);
    if (is_timeline(j)) return read_timeline(j, text);
  }
  auto stories = read_json_stories(text);
  if (!stories) return std::nullopt;
  FormattedText r;
  for (const auto& s : *stories) {
    if (!s.title.empty()) r.body += s.title + "\n\n";
    r.body += s.text;
    r.body += "\n\n";
  }
  while (!r.body.empty() && r.body.back() == '\n') r.body.pop_back();
  r.body.push_back('\n');
  // The document's title and date are its first story's: a scraper's file
  // opens with the story it was made for, or its latest.
  const JsonStory& first = stories->front();
  add_candidate(r.stated.title_candidates, first.title, "json-story", "[0]." + first.title_key, first.offset,
                rank::kFormatTitle);
  if (!first.date.empty())
    add_candidate(r.stated.date_candidates, parse_date(first.date), "json-story", "[0]." + first.date_key,
                  first.offset, rank::kFormatDate);
  return r;
}

}  // namespace lipsteeth::analyzers::meta
