// `lipsteeth search`: parses flags, calls searcher::search, prints text or JSON.
// The output formats are documented in docs/search.md.
#include <unistd.h>

#include <cstdlib>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "analyzers/error.h"
#include "cli/common.h"
#include "searcher/searcher.h"

namespace lipsteeth::cli {

namespace {

struct SearchArgs {
  std::vector<std::string> query;
  std::string db;
  std::string year;
  std::vector<std::string> actors;
  std::size_t limit = 10;
  std::size_t offset = 0;
  bool json = false;
  std::string group_by = "passage";
  bool explain = false;
  bool no_facets = false;
  ColorMode color = ColorMode::auto_;
  std::size_t max_query_bytes = 8192;
  std::size_t max_query_terms = 256;
};

// "2016", "2012..2016", "2012.." or "..2016".
void parse_year_flag(const std::string& s, searcher::SearchOptions& o) {
  auto num = [&](std::string_view t) -> int {
    if (t.empty() || t.size() > 4) throw UsageError(fmt::format("bad --year '{}': use 2016 or 2012..2016", s));
    int v = 0;
    for (char c : t) {
      if (c < '0' || c > '9') throw UsageError(fmt::format("bad --year '{}': use 2016 or 2012..2016", s));
      v = v * 10 + (c - '0');
    }
    return v;
  };
  auto dots = s.find("..");
  if (dots == std::string::npos) {
    o.year_from = o.year_to = num(s);
    return;
  }
  std::string_view a = std::string_view(s).substr(0, dots), b = std::string_view(s).substr(dots + 2);
  if (a.empty() && b.empty()) throw UsageError(fmt::format("bad --year '{}': use 2016 or 2012..2016", s));
  if (!a.empty()) o.year_from = num(a);
  if (!b.empty()) o.year_to = num(b);
  if (o.year_from && o.year_to && *o.year_from > *o.year_to)
    throw UsageError(fmt::format("bad --year '{}': the range is reversed", s));
}

// Path shown to the user: relative to the working directory when under it.
std::string display_path(const std::string& path) {
  static const std::string cwd = [] {
    char buf[4096];
    return ::getcwd(buf, sizeof buf) ? std::string(buf) + "/" : std::string();
  }();
  if (!cwd.empty() && path.rfind(cwd, 0) == 0) return path.substr(cwd.size());
  return path;
}

struct Style {
  bool on = false;
  std::string bold(std::string_view s) const { return on ? fmt::format("\x1b[1m{}\x1b[0m", s) : std::string(s); }
  std::string dim(std::string_view s) const { return on ? fmt::format("\x1b[2m{}\x1b[0m", s) : std::string(s); }
  std::string mark(std::string_view s) const {
    return on ? fmt::format("\x1b[1;31m{}\x1b[0m", s) : fmt::format("[{}]", s);
  }
};

std::string render_snippet(const searcher::Snippet& s, const Style& st) {
  std::string out;
  std::size_t at = 0;
  for (const auto& h : s.highlights) {
    if (h.start < at || h.end > s.text.size()) continue;
    out.append(s.text, at, h.start - at);
    out += st.mark(std::string_view(s.text).substr(h.start, h.end - h.start));
    at = h.end;
  }
  out.append(s.text, at, std::string::npos);
  return out;
}

// Wraps `text` at spaces to `width` columns (bytes, a fair proxy for a terminal), indented.
std::string wrap(const std::string& text, std::size_t width, const std::string& indent) {
  std::string out = indent;
  std::size_t col = 0;
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t j = text.find(' ', i);
    if (j == std::string::npos) j = text.size();
    std::string_view word = std::string_view(text).substr(i, j - i);
    // Visible width: skip ANSI escapes, count UTF-8 lead bytes.
    std::size_t vis = 0;
    for (std::size_t k = 0; k < word.size(); ++k) {
      if (word[k] == '\x1b') {
        while (k < word.size() && word[k] != 'm') ++k;
        continue;
      }
      if ((static_cast<unsigned char>(word[k]) & 0xC0) != 0x80) ++vis;
    }
    if (col > 0 && col + 1 + vis > width) {
      out += "\n" + indent;
      col = 0;
    } else if (col > 0) {
      out += ' ';
      ++col;
    }
    out += word;
    col += vis;
    i = j + 1;
  }
  return out;
}

void print_text(const searcher::SearchResult& r, const searcher::SearchOptions& o, const Style& st) {
  std::string s;
  if (r.searched_suggestion) {
    s += fmt::format("No results for \"{}\"; showing results for \"{}\".\n\n", r.query, r.suggestion);
  } else if (!r.suggestion.empty()) {
    s += fmt::format("Did you mean: {}\n\n", st.bold(r.suggestion));
  }
  for (const auto& h : r.hits) {
    std::string year = h.year ? std::to_string(*h.year) : "year unknown";
    s += fmt::format("{}. {} ({})  {}\n", h.rank, st.bold(h.title.empty() ? h.article_id : h.title), year,
                     st.dim(fmt::format("{}:{}", display_path(h.path), h.ordinal)));
    if (!h.actors.empty()) {
      std::string a;
      for (std::size_t i = 0; i < h.actors.size() && i < 8; ++i) {
        if (i) a += ", ";
        a += h.actors[i].name;
      }
      if (h.actors.size() > 8) a += fmt::format(", +{} more", h.actors.size() - 8);
      s += "   " + st.dim("actors: " + a) + "\n";
    }
    if (!h.text_error.empty())
      s += "   " + st.dim("(passage text unavailable: " + h.text_error + ")") + "\n";
    else
      s += wrap(render_snippet(h.snippet, st), 96, "   ") + "\n";
    if (h.explanation) {
      const auto& e = *h.explanation;
      s += st.dim(fmt::format("   score {:.3f} = bm25 {:.3f} + article {:.3f} + proximity {:.3f}{}\n", h.score,
                              e.bm25, e.article, e.proximity, e.all_words ? "  (all words)" : ""));
      for (const auto& t : e.terms)
        s += st.dim(fmt::format("     {:<28} {:<6} wdf {:<3} {:.3f}\n", t.term, t.field, t.wdf, t.weight));
    }
    s += "\n";
    out(s);
    s.clear();
  }
  const char* unit = o.group_by_article ? "article" : "passage";
  std::string total = fmt::format("{}{} matching {}{}", r.total_exact ? "" : "about ", r.total, unit,
                                  r.total == 1 ? "" : "s");
  if (!r.hits.empty())
    total += fmt::format(" (showing {}-{})", r.hits.front().rank, r.hits.back().rank);
  s += total + "\n";
  if (r.facets && r.total > 0) {
    const auto& f = *r.facets;
    const char* est = f.exact ? "" : " (estimated)";
    if (!f.year.empty()) {
      std::string line;
      for (const auto& v : f.year) line += fmt::format("{}{} {}", line.empty() ? "" : " · ", v.label, v.count);
      s += fmt::format("{}{}: {}\n", st.bold("years"), est, line);
    }
    if (!f.actor.empty()) {
      std::string line;
      for (std::size_t i = 0; i < f.actor.size() && i < 12; ++i)
        line += fmt::format("{}{} {}", i ? " · " : "", f.actor[i].label, f.actor[i].count);
      if (f.actor.size() > 12) line += fmt::format(" · +{} more", f.actor.size() - 12);
      s += fmt::format("{}{}: {}\n", st.bold("actors"), est, line);
    }
  }
  out(s);
}

void print_json(const searcher::SearchResult& r) {
  using json = nlohmann::ordered_json;
  json j;
  j["query"] = r.query;
  j["total"] = r.total;
  j["total_exact"] = r.total_exact;
  json hits = json::array();
  for (const auto& h : r.hits) {
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
    for (const auto& r2 : h.highlights) hl.push_back({{"start", r2.start}, {"end", r2.end}});
    hit["passage"] = {{"ordinal", h.ordinal}, {"text", h.text}, {"snippet", h.snippet.text}, {"highlights", hl}};
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
  j["warnings"] = r.warnings;
  out(j.dump(-1, ' ', false, json::error_handler_t::replace) + "\n");
}

int run_search(const SearchArgs& a) {
  searcher::SearchOptions o;
  for (const auto& w : a.query) {
    if (!o.query.empty()) o.query += ' ';
    o.query += w;
  }
  if (!a.year.empty()) parse_year_flag(a.year, o);
  o.actors = a.actors;
  o.limit = a.limit;
  o.offset = a.offset;
  o.group_by_article = a.group_by == "article";
  o.explain = a.explain;
  o.facets = !a.no_facets;
  bool blank = o.query.find_first_not_of(" \t\n") == std::string::npos;
  if (blank && o.actors.empty() && a.year.empty())
    throw UsageError("nothing to search for: give a query, --actor or --year (see `lipsteeth search --help`)");

  o.max_query_bytes = a.max_query_bytes;
  o.max_query_terms = a.max_query_terms;
  searcher::check_query_limits(o);  // before the index is opened: refused at once

  // Started afresh when a writer's commits overtake it (searcher.h).
  searcher::SearchResult r;
  searcher::with_database(a.db, [&](const searcher::Database& db) { r = searcher::search(db, o); });
  for (const auto& w : r.warnings) print_warning(w);
  if (a.json) {
    print_json(r);
  } else {
    Style st;
    st.on = use_color(a.color, stdout);
    print_text(r, o, st);
  }
  return r.total > 0 ? kOk : kNoResults;
}

}  // namespace

Command setup_search(CLI::App& parent) {
  auto args = std::make_shared<SearchArgs>();
  auto* sub = parent.add_subcommand(
      "search",
      "Ranked passages for a query, with highlighted snippets and facet counts by year and actor.\n"
      "Query language: words (all words rank first; a missing word does not empty the list), \"phrases\",\n"
      "AND OR NOT XOR, NEAR, ADJ, word*, +word -word, ( ), title:word, actor:NAME, year:2016 or year:2012..2016.\n"
      "Stopwords (the, of, and, ...: 53 words) are not indexed: a query drops them, and a phrase keeps its\n"
      "other words in order within its length (\"ministry of foreign affairs\" also finds \"ministry for ...\").\n"
      "See docs/search.md. Exit codes: 0 hits, 1 no hits, 2 usage or query error (a query over the limits\n"
      "included), 3 index missing, 6 other failure (the index kept changing under 8 attempts in a row).");
  sub->add_option("query", args->query, "The query (several arguments are joined with spaces)");
  sub->add_option("--db", args->db, "Index directory (default: $LIPSTEETH_DB, else $XDG_DATA_HOME/lipsteeth/index)");
  sub->add_option("--year", args->year, "Only passages of this year or inclusive range: 2016, 2012..2016, 2012.., ..2016");
  sub->add_option("--actor", args->actors, "Only passages naming this actor (any alias; repeat: all of them)")
      ->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  sub->add_option("-n,--limit", args->limit, "Hits to show")->default_val(10);
  sub->add_option("--offset", args->offset, "Hits to skip (paging)")->default_val(0);
  sub->add_flag("--json", args->json, "One JSON object (schema in docs/search.md)");
  sub->add_option("--group-by", args->group_by, "passage (default) or article: the best passage of each article")
      ->check(CLI::IsMember({"passage", "article"}))
      ->default_val("passage");
  sub->add_flag("--explain", args->explain, "Show why each hit ranked: term weights, article and proximity parts");
  sub->add_flag("--no-facets", args->no_facets, "Do not count facets (faster on very common queries)");
  add_color_option(*sub, args->color);
  sub->add_option("--max-query-bytes", args->max_query_bytes, "Refuse a longer query (exit 2; 0: no limit)")
      ->default_val(8192);
  sub->add_option("--max-query-terms", args->max_query_terms,
                  "Refuse a query of more words (exit 2; each part of a hyphenated word counts; 0: no limit)")
      ->default_val(256);
  return {sub, [args] { return run_search(*args); }, /*read_only=*/true};
}

}  // namespace lipsteeth::cli
