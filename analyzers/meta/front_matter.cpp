// Front matter and text headers: YAML through yaml-cpp (Jekyll, Hugo, the
// WordPress-export keys post_title/post_date, scrapers' keys), TOML "+++"
// blocks (Hugo), and Pelican/MultiMarkdown "Title: ... / Date: ..." lines.
// Quoted and escaped values come out unescaped; HTML character references
// that scrapers leave in values are decoded. Header keys never reach the body.
#include "analyzers/meta/front_matter.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>

#include <yaml-cpp/yaml.h>

#include "analyzers/meta/text_headers.h"
#include "analyzers/meta/text_util.h"

namespace lipsteeth::analyzers::meta {
namespace {

enum class Key { none, title, date, updated, author, url, description, outlet };

// What a header key means; keys compare case-insensitively, '-' as '_'.
Key key_kind(std::string k) {
  k = lower(k);
  std::replace(k.begin(), k.end(), '-', '_');
  static const std::pair<const char*, Key> kKeys[] = {
      {"title", Key::title},          {"post_title", Key::title},       {"headline", Key::title},
      {"date", Key::date},            {"post_date", Key::date},         {"published", Key::date},
      {"pubdate", Key::date},         {"publishdate", Key::date},       {"publisheddate", Key::date},
      {"published_date", Key::date},  {"date_published", Key::date},    {"published_at", Key::date},
      {"post_date_gmt", Key::date},   {"created", Key::date},           {"created_at", Key::date},
      {"updated", Key::updated},      {"lastmod", Key::updated},        {"modified", Key::updated},
      {"last_modified", Key::updated}, {"post_modified", Key::updated}, {"updated_at", Key::updated},
      {"last_modified_at", Key::updated}, {"post_modified_gmt", Key::updated}, {"datemodified", Key::updated},
      {"author", Key::author},        {"authors", Key::author},         {"by", Key::author},
      {"byline", Key::author},        {"url", Key::url},                {"link", Key::url},
      {"permalink", Key::url},        {"canonical_url", Key::url},      {"source_url", Key::url},
      {"original_url", Key::url},     {"description", Key::description}, {"summary", Key::description},
      {"excerpt", Key::description},  {"post_excerpt", Key::description}, {"publisher", Key::outlet},
      {"outlet", Key::outlet},        {"site_name", Key::outlet},       {"press", Key::outlet}};
  for (const auto& [name, kind] : kKeys)
    if (k == name) return kind;
  return Key::none;
}

bool is_placeholder_name(const std::string& v) {
  const std::string l = lower(v);
  for (const char* p : {"unknown", "anonymous", "anon", "n/a", "na", "none", "null", "admin", "administrator",
                        "staff", "editor", "author", "-"})
    if (l == p) return true;
  return false;
}

// Records one header value. `offset` is where its line starts in the text.
void take(Metadata& m, const std::string& key, std::string value, std::size_t offset, const char* rule) {
  value = squeeze_spaces(decode_entities(value));
  if (value.empty()) return;
  switch (key_kind(key)) {
    case Key::title:
      add_candidate(m.title_candidates, value, rule, key, offset, rank::kFormatTitle);
      break;
    case Key::date:
      // "post_date_gmt" restates "post_date" in UTC: after it on a tie.
      add_candidate(m.date_candidates, parse_date(value), rule, key, offset,
                    rank::kFormatDate + (lower(key) == "post_date_gmt" || lower(key) == "created" ? 1 : 0));
      break;
    case Key::updated:
      add_candidate(m.date_candidates, parse_date(value), rule, key, offset, rank::kUpdatedDate);
      break;
    case Key::author: {
      // WordPress exports give post_author as a user id: numbers are no name.
      if (std::all_of(value.begin(), value.end(), [](char c) { return is_digit(c); })) break;
      // Nor is a placeholder a scraper writes.
      // A handle is one lower-case word ("ama", "massey-university", "jane_doe"):
      // it names an author record in the site's data, not the person.
      if (value.find(' ') == std::string::npos && lower(value) == value) break;
      if (is_placeholder_name(value)) break;
      auto names = split_names(value);
      if (names.empty()) names.push_back(value);
      for (auto& n : names)
        if (std::find(m.authors.begin(), m.authors.end(), n) == m.authors.end()) m.authors.push_back(n);
      break;
    }
    case Key::url:
      if (m.url.empty()) m.url = value;
      break;
    case Key::description:
      if (m.description.empty()) m.description = value;
      break;
    case Key::outlet:
      if (m.outlet.empty()) m.outlet = value;
      break;
    case Key::none: break;
  }
}

// Lines of `text` with their byte offsets.
struct Line {
  std::string_view text;
  std::size_t at;
};
std::vector<Line> lines_of(std::string_view text, std::size_t limit) {
  std::vector<Line> out;
  std::size_t at = 0;
  while (at < text.size() && out.size() < limit) {
    std::size_t nl = text.find('\n', at);
    if (nl == std::string_view::npos) nl = text.size();
    std::string_view l = text.substr(at, nl - at);
    if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
    out.push_back({l, at});
    at = nl + 1;
  }
  return out;
}

constexpr std::size_t kMaxHeaderLines = 400;

// Closing line of a block opened by `fence` on line 0; 0 when none.
std::size_t closing(const std::vector<Line>& lines, std::string_view fence, bool yaml) {
  for (std::size_t i = 1; i < lines.size(); ++i) {
    const auto t = trim_ascii(lines[i].text);
    if (t == fence || (yaml && t == "...")) return i;
  }
  return 0;
}

// An author given as a map: {name: ...} (Hugo, Jekyll themes) or WordPress
// importers' {login, display_name, first_name, last_name}.
std::string author_of_map(const YAML::Node& a) {
  auto scalar = [&](const char* k) { return a[k] && a[k].IsScalar() ? a[k].Scalar() : std::string(); };
  for (const char* k : {"name", "display_name"})
    if (std::string v = scalar(k); !v.empty()) return v;
  const std::string first = scalar("first_name"), last = scalar("last_name");
  return first.empty() || last.empty() ? std::string() : first + " " + last;
}

void yaml_values(Metadata& m, const YAML::Node& node, std::size_t base) {
  for (const auto& kv : node) {
    if (!kv.first.IsScalar()) continue;
    const std::string key = kv.first.Scalar();
    const YAML::Node& v = kv.second;
    const std::size_t at = base + static_cast<std::size_t>(std::max(0, kv.first.Mark().pos));
    if (v.IsScalar()) {
      take(m, key, v.Scalar(), at, "front-matter");
    } else if (v.IsSequence() && key_kind(key) == Key::author) {
      for (const auto& item : v)
        if (item.IsScalar()) take(m, key, item.Scalar(), at, "front-matter");
        else if (item.IsMap()) take(m, key, author_of_map(item), at, "front-matter");
    } else if (v.IsMap() && key_kind(key) == Key::author) {
      take(m, key, author_of_map(v), at, "front-matter");
    }
  }
}

// "key: value" / "key = value" lines, for TOML and for YAML that yaml-cpp
// rejects: quotes and the common escapes undone.
// A quoted scalar with its quotes and escapes undone: "..." takes
// backslash escapes (\" \\ \n \t \uXXXX), '...' doubles its quote ('').
std::string unquote(std::string_view v) {
  if (v.size() < 2 || (v.front() != '"' && v.front() != '\'') || v.back() != v.front()) return std::string(v);
  const bool escapes = v.front() == '"';
  v = v.substr(1, v.size() - 2);
  std::string value;
  for (std::size_t k = 0; k < v.size(); ++k) {
    if (escapes && v[k] == '\\' && k + 1 < v.size()) {
      const char e = v[++k];
      if (e == 'u' && k + 4 < v.size()) {
        const std::string hex(v.substr(k + 1, 4));
        char* end = nullptr;
        const long cp = std::strtol(hex.c_str(), &end, 16);
        if (hex.size() == 4 && end == hex.c_str() + 4) {
          append_cp(value, static_cast<UChar32>(cp));
          k += 4;
          continue;
        }
      }
      value.push_back(e == 'n' || e == 't' ? ' ' : e);
    } else if (!escapes && v[k] == '\'' && k + 1 < v.size() && v[k + 1] == '\'') {
      value.push_back('\'');
      ++k;
    } else {
      value.push_back(v[k]);
    }
  }
  return value;
}

// "key: value" / "key = value" lines, for TOML and for YAML that yaml-cpp
// rejects. A TOML table ("[params]") ends the top-level keys: what follows
// belongs to the table. An inline list of strings (["A", "B"]) gives each.
void line_values(Metadata& m, const std::vector<Line>& lines, std::size_t from, std::size_t to, char sep,
                 const char* rule) {
  for (std::size_t i = from; i < to; ++i) {
    const auto t = trim_ascii(lines[i].text);
    if (sep == '=' && !t.empty() && t.front() == '[') break;
    const std::size_t at = t.find(sep);
    if (t.empty() || t.front() == '#' || t.front() == '[' || at == std::string_view::npos) continue;
    const std::string key(trim_ascii(t.substr(0, at)));
    const std::string_view v = trim_ascii(t.substr(at + 1));
    if (v.size() >= 2 && v.front() == '[' && v.back() == ']') {
      for (auto item : split_on(v.substr(1, v.size() - 2), ',')) take(m, key, unquote(trim_ascii(item)), lines[i].at, rule);
      continue;
    }
    take(m, key, unquote(v), lines[i].at, rule);
  }
}

// Pelican / MultiMarkdown: "Key: value" lines from the first line to a blank
// line, every key a single word, one of them a known title or date key.
std::size_t text_headers(Metadata& m, const std::vector<Line>& lines) {
  std::size_t end = 0;
  bool known = false;
  for (; end < lines.size(); ++end) {
    const auto t = lines[end].text;
    if (trim_ascii(t).empty()) break;
    const std::size_t colon = t.find(':');
    if (colon == std::string_view::npos || colon == 0 || colon > 24) return 0;
    const auto key = t.substr(0, colon);
    if (std::any_of(key.begin(), key.end(), [](char c) { return !(is_alpha_ascii(c) || c == '_' || c == '-'); }))
      return 0;
    const Key k = key_kind(std::string(key));
    known = known || k == Key::title || k == Key::date;
  }
  if (!known || end == 0 || end >= lines.size()) return 0;
  line_values(m, lines, 0, end, ':', "text-header");
  return end;
}

}  // namespace

FormattedText read_front_matter(std::string_view text) {
  FormattedText r;
  const auto lines = lines_of(text, kMaxHeaderLines);
  std::size_t body_line = 0;
  if (!lines.empty()) {
    const auto first = trim_ascii(lines[0].text);
    if (first == "---" || first == "+++") {
      const bool yaml = first == "---";
      if (const std::size_t close = closing(lines, first, yaml)) {
        const std::size_t start = lines[1].at, end = lines[close].at;
        bool parsed = false;
        if (yaml) {
          try {
            const YAML::Node node = YAML::Load(std::string(text.substr(start, end - start)));
            if (node.IsMap()) {
              yaml_values(r.stated, node, start);
              parsed = true;
            }
          } catch (const YAML::Exception&) {
            // malformed YAML (an unquoted "title: a: b"): read line by line below
          }
        }
        if (!parsed) line_values(r.stated, lines, 1, close, yaml ? ':' : '=', yaml ? "front-matter" : "toml-front-matter");
        body_line = close + 1;
      }
    } else {
      body_line = text_headers(r.stated, lines);
    }
  }
  if (body_line == 0) {
    r.body = std::string(text);
  } else {
    const std::size_t nl = text.find('\n', lines[body_line - 1].at);
    r.body = nl == std::string_view::npos ? std::string() : std::string(text.substr(nl + 1));
  }
  if (!r.stated.authors.empty()) r.stated.authors_source = FieldSource::stated;
  return r;
}

}  // namespace lipsteeth::analyzers::meta
