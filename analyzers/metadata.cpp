// Article metadata: which module reads a file's format, and the one decision
// among the candidates every module found (docs/metadata.md, "Precedence").
//
// Modules (analyzers/meta/): html.cpp (saved pages), json_doc.cpp (JSON
// documents of stories), front_matter.cpp (YAML,
// TOML, Pelican headers), text_headers.cpp (title lines, datelines, bylines),
// path_dates.cpp (dates in paths and URLs), events.cpp (years inferred from
// dated events), sidecar.cpp (the user's corrections). A container's document
// properties arrive as fields already set in `stated` and take part here.
#include "analyzers/metadata.h"

#include <algorithm>
#include <cstring>
#include <utility>

#include <nlohmann/json.hpp>

#include "analyzers/meta/front_matter.h"
#include "analyzers/meta/html.h"
#include "analyzers/meta/json_doc.h"
#include "analyzers/meta/path_dates.h"
#include "analyzers/meta/text_util.h"

namespace lipsteeth::analyzers {
using namespace meta;

const char* to_string(FieldSource s) {
  switch (s) {
    case FieldSource::stated: return "stated";
    case FieldSource::inferred: return "inferred";
    case FieldSource::sidecar: return "sidecar";
    case FieldSource::unknown: return "unknown";
  }
  return "unknown";
}

Format format_from_path(std::string_view path) {
  const std::size_t slash = path.find_last_of('/');
  const std::string_view name = slash == std::string_view::npos ? path : path.substr(slash + 1);
  const std::size_t dot = name.rfind('.');
  if (dot == std::string_view::npos) return Format::text;
  const std::string ext = lower(name.substr(dot + 1));
  if (ext == "md" || ext == "markdown" || ext == "mdown" || ext == "mkd") return Format::markdown;
  // Server pages (a template holding the article) are read as HTML.
  if (ext == "html" || ext == "htm" || ext == "xhtml" || ext == "shtml" || ext == "php" || ext == "asp" ||
      ext == "aspx" || ext == "jsp")
    return Format::html;
  return Format::text;
}

FormattedText read_format(std::string_view text, Format format) {
  // A JSON document of stories (a scraper's array, JSON Lines, a TimelineJS
  // file) saved as .json, .js or .txt: its stories' text, not its syntax.
  if (format == Format::text) {
    if (auto j = read_json_document(text)) {
      decide(j->stated);
      return std::move(*j);
    }
  }
  // A ".txt" that is really a saved web page is read as HTML.
  if (format == Format::html || (format == Format::text && looks_like_html(text))) {
    HtmlResult h = read_html(text);
    FormattedText r;
    r.body = std::move(h.body);
    r.stated.title_candidates = std::move(h.title_candidates);
    r.stated.date_candidates = std::move(h.date_candidates);
    r.stated.authors = std::move(h.authors);
    if (!r.stated.authors.empty()) r.stated.authors_source = FieldSource::stated;
    r.stated.url = std::move(h.url);
    r.stated.description = std::move(h.description);
    r.stated.outlet = std::move(h.outlet);
    decide(r.stated);
    return r;
  }
  // Markdown, and text that opens with a header block (Pelican "Title:").
  FormattedText r = read_front_matter(text);
  decide(r.stated);
  return r;
}

std::string parse_date(std::string_view text) {
  Date d;
  if (parse_iso(text, d)) return iso(d);
  const auto dates = find_dates(text);
  return dates.empty() ? std::string() : iso(dates.front());
}

std::optional<std::string> json_stories_as_records(std::string_view text, std::string_view id) {
  auto stories = read_json_stories(text);
  if (!stories || stories->size() < 2) return std::nullopt;
  std::string out;
  for (std::size_t i = 0; i < stories->size(); ++i) {
    const JsonStory& s = (*stories)[i];
    nlohmann::json r = {{"id", std::string(id) + "#" + std::to_string(i + 1)}, {"text", s.text}};
    if (!s.title.empty()) r["title"] = s.title;
    if (const std::string d = parse_date(s.date); !d.empty()) r["date"] = d;
    // Invalid UTF-8 in a value is replaced, never thrown about.
    out += r.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    out += '\n';
  }
  return out;
}

void add_path_date_candidate(Metadata& m, std::string_view path) { add_path_date(m.date_candidates, path, "path"); }

void add_candidate(std::vector<Candidate>& to, std::string value, std::string rule, std::string field,
                   std::size_t offset, int rank, FieldSource source, std::string note) {
  if (value.empty()) return;
  Candidate c;
  c.value = std::move(value);
  c.rule = std::move(rule);
  c.field = std::move(field);
  c.offset = offset;
  c.rank = rank;
  c.source = source;
  c.note = std::move(note);
  to.push_back(std::move(c));
}

namespace {

// A document's title property that its tool filled in rather than its
// author: a file name ("Microsoft Word - brief.docx", "report_v2.pdf"), a
// template's placeholder ("Untitled", "Title"). The text's own title is better.
bool is_tool_title(const std::string& t) {
  const std::string l = lower(trim_ascii(t));
  if (l == "untitled" || l == "title" || l == "document" || l == "no title" || l.rfind("untitled", 0) == 0 ||
      l.rfind("microsoft word - ", 0) == 0 || l.rfind("microsoft powerpoint - ", 0) == 0)
    return true;
  for (const char* ext : {".doc", ".docx", ".pdf", ".odt", ".rtf", ".txt", ".indd", ".tex", ".qxd", ".ps"})
    if (l.size() > std::strlen(ext) && l.compare(l.size() - std::strlen(ext), std::strlen(ext), ext) == 0) return true;
  return false;
}

int best(const std::vector<Candidate>& cs) {
  int b = -1;
  for (std::size_t i = 0; i < cs.size(); ++i)
    if (b < 0 || cs[i].rank < cs[static_cast<std::size_t>(b)].rank) b = static_cast<int>(i);
  return b;
}

}  // namespace

void decide(Metadata& m) {
  // Fields a caller set without candidates: a container's document properties
  // or a record's own fields.
  auto has = [](const std::vector<Candidate>& cs, const std::string& v) {
    return std::any_of(cs.begin(), cs.end(), [&](const Candidate& c) { return c.value == v; });
  };
  if (!m.title.empty() && m.title_chosen < 0 && !has(m.title_candidates, m.title) && !is_tool_title(m.title))
    add_candidate(m.title_candidates, m.title, "document-properties", "title", 0, rank::kDocumentTitle);
  if (!m.date.empty() && m.date_chosen < 0 && !has(m.date_candidates, parse_date(m.date)))
      add_candidate(m.date_candidates, parse_date(m.date), "document-properties", "date", 0, rank::kDocumentDate,
                    m.date_source == FieldSource::unknown ? FieldSource::stated : m.date_source);
  m.title_chosen = best(m.title_candidates);
  if (m.title_chosen >= 0) {
    const auto& c = m.title_candidates[static_cast<std::size_t>(m.title_chosen)];
    m.title = c.value;
    m.title_source = c.source;
  }
  m.date_chosen = best(m.date_candidates);
  if (m.date_chosen >= 0) {
    const auto& c = m.date_candidates[static_cast<std::size_t>(m.date_chosen)];
    m.date = c.value;
    m.date_source = c.source;
    m.year = year_of(c.value);
    m.year_source = m.year ? c.source : FieldSource::unknown;
  } else if (!m.year) {
    m.date.clear();
    m.year_source = FieldSource::unknown;
  }
}

}  // namespace lipsteeth::analyzers
