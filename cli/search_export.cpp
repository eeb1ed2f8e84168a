// `lipsteeth search`'s machine-readable outputs: JSON (--json), CSV and TSV
// (--format csv|tsv), the file list (-l).
#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/search_output.h"

namespace lipsteeth::cli {

namespace {

using json = nlohmann::ordered_json;

json place_json(const std::optional<FilePlace>& p) {
  json j = {{"byte", nullptr}, {"line", nullptr}, {"column", nullptr}};
  if (p) {
    j["byte"] = p->byte;
    j["line"] = p->line;
    j["column"] = p->column;
  }
  return j;
}

// The snippet without its marks, on one line.
std::string plain(const std::string& s) {
  std::string o = s;
  for (char& c : o)
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  return o;
}

std::string csv_field(const std::string& v) {
  if (v.find_first_of(",\"\r\n") == std::string::npos) return v;
  std::string o = "\"";
  for (char c : v) {
    if (c == '"') o += '"';
    o += c;
  }
  return o + "\"";
}

}  // namespace

void print_json(const searcher::SearchResult& r, const std::vector<HitPlaces>& places, const QueryNotes& notes) {
  json j;
  j["version"] = kJsonVersion;
  j["query"] = r.query;
  j["total"] = r.total;
  j["total_exact"] = r.total_exact;
  json hits = json::array();
  for (std::size_t i = 0; i < r.hits.size(); ++i) {
    const auto& h = r.hits[i];
    const HitPlaces& p = places[i];
    json hit;
    hit["rank"] = h.rank;
    hit["score"] = h.score;
    hit["article"] = {{"id", h.article_id},
                      {"path", h.path},
                      {"title", h.title},
                      {"year", h.year ? json(*h.year) : json(nullptr)},
                      {"date", h.date},
                      {"authors", h.authors}};
    json hl = json::array();
    for (std::size_t k = 0; k < h.highlights.size(); ++k) {
      json one = {{"start", h.highlights[k].start}, {"end", h.highlights[k].end}, {"byte", nullptr},
                  {"line", nullptr},                {"column", nullptr}};
      if (k < p.highlights.size() && p.highlights[k]) {
        const FilePlace& f = *p.highlights[k];
        one["byte"] = f.byte;
        one["line"] = f.line;
        one["column"] = f.column;
      }
      hl.push_back(std::move(one));
    }
    hit["passage"] = {{"ordinal", h.ordinal},     {"body_start", h.body_start}, {"start", place_json(p.start)},
                      {"end", place_json(p.end)}, {"text", h.text},             {"snippet", h.snippet.text},
                      {"highlights", hl}};
    if (!h.text_error.empty()) hit["passage"]["text_error"] = h.text_error;
    json actors = json::array();
    for (const auto& a : h.actors) actors.push_back({{"id", a.id}, {"name", a.name}, {"mentions", a.mentions}});
    hit["actors"] = actors;
    if (h.explanation) {
      const auto& e = *h.explanation;
      json terms = json::array();
      for (const auto& t : e.terms)
        terms.push_back({{"term", t.term}, {"field", t.field}, {"wdf", t.wdf}, {"weight", t.weight}});
      hit["explain"] = {{"bm25", e.bm25},         {"all_words", e.all_words}, {"article", e.article},
                        {"proximity", e.proximity}, {"terms", terms}};
    }
    hits.push_back(std::move(hit));
  }
  j["hits"] = std::move(hits);
  if (r.facets) {
    json years = json::object(), actors = json::object();
    for (const auto& v : r.facets->year) years[v.key] = v.count;
    for (const auto& v : r.facets->actor) actors[v.key] = v.count;
    j["facets"] = {{"year", years}, {"actor", actors}, {"exact", r.facets->exact}};
  } else {
    j["facets"] = nullptr;
  }
  j["suggestion"] = r.suggestion.empty() ? json(nullptr) : json(r.suggestion);
  j["searched_suggestion"] = r.searched_suggestion;
  j["original_total"] = r.searched_suggestion ? json(r.original_total) : json(nullptr);
  j["missing"] = notes.missing;
  std::vector<std::string> warnings = r.warnings;
  warnings.insert(warnings.end(), notes.notes.begin(), notes.notes.end());
  j["warnings"] = warnings;
  out(j.dump(-1, ' ', false, json::error_handler_t::replace) + "\n");
}

void print_table(const searcher::SearchResult& r, const std::vector<HitPlaces>& places, char separator) {
  auto field = [separator](const std::string& v) { return separator == ',' ? csv_field(v) : plain(v); };
  const std::vector<std::string> header{"rank", "score",  "path",  "line", "column",  "passage",
                                        "id",   "title",  "date",  "year", "authors", "actors", "snippet"};
  std::string s;
  auto row = [&](const std::vector<std::string>& cells) {
    for (std::size_t i = 0; i < cells.size(); ++i) {
      if (i) s += separator;
      s += field(cells[i]);
    }
    s += separator == ',' ? "\r\n" : "\n";  // RFC 4180 ends records with CRLF
  };
  row(header);
  for (std::size_t i = 0; i < r.hits.size(); ++i) {
    const auto& h = r.hits[i];
    std::optional<FilePlace> at = places[i].start;
    for (const auto& hl : places[i].highlights)
      if (hl) {
        at = hl;
        break;
      }
    std::string authors, actors;
    for (const auto& a : h.authors) authors += (authors.empty() ? "" : "; ") + a;
    for (const auto& a : h.actors) actors += (actors.empty() ? "" : "; ") + a.name;
    row({std::to_string(h.rank), fmt::format("{:.4f}", h.score), display_path(h.path),
         at ? std::to_string(at->line) : "", at ? std::to_string(at->column) : "", std::to_string(h.ordinal),
         h.article_id, h.title, h.date, h.year ? std::to_string(*h.year) : "", authors, actors,
         plain(h.snippet.text)});
    out(s);
    s.clear();
  }
  out(s);
}

void print_files(const searcher::SearchResult& r) {
  std::set<std::string> seen;
  std::string s;
  for (const auto& h : r.hits)
    if (seen.insert(h.path).second) s += display_path(h.path) + "\n";
  out(s);
}

}  // namespace lipsteeth::cli
