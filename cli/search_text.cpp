// `lipsteeth search`'s text output: ranked hits with wrapped, highlighted
// snippets, the total and the facet lines.
#include <fmt/format.h>

#include "cli/search_output.h"

namespace lipsteeth::cli {

namespace {

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

// path:LINE:COLUMN of the first highlight (else of the passage), as grep -n
// and editors read it; the bare path when the lines are unknown.
std::string where(const searcher::Hit& h, const HitPlaces& p) {
  std::optional<FilePlace> at = p.start;
  for (const auto& hl : p.highlights)
    if (hl) {
      at = hl;
      break;
    }
  const std::string path = display_path(h.path);
  return at ? fmt::format("{}:{}:{}", path, at->line, at->column) : path;
}

}  // namespace

std::string wrap(const std::string& text, std::size_t width, const std::string& indent) {
  const std::size_t indent_width = display_width(indent);
  const std::size_t room = width > indent_width + 20 ? width - indent_width : 20;
  std::string out = indent;
  std::size_t col = 0;
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t j = text.find(' ', i);
    if (j == std::string::npos) j = text.size();
    const std::string_view word = std::string_view(text).substr(i, j - i);
    const std::size_t vis = display_width(word);
    if (col > 0 && col + 1 + vis > room) {
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

void print_text(const searcher::SearchResult& r, const std::vector<HitPlaces>& places, const QueryNotes& notes,
                const TextLayout& layout) {
  const Style& st = layout.style;
  std::string s;
  if (r.searched_suggestion && r.original_total > 0) {
    // The query as typed matched a few passages, the correction many more.
    s += fmt::format("Showing results for \"{}\" ({} passage{}); \"{}\" matched {}.\n\n", r.suggestion, r.total,
                     r.total == 1 ? "" : "s", r.query, r.original_total);
  } else if (r.searched_suggestion) {
    s += fmt::format("No results for \"{}\"; showing results for \"{}\".\n\n", r.query, r.suggestion);
  } else if (!r.suggestion.empty()) {
    s += fmt::format("Did you mean: {}\n\n", st.bold(r.suggestion));
  }
  if (!notes.missing.empty() && !r.searched_suggestion) {
    std::string m;
    for (const auto& w : notes.missing) m += (m.empty() ? "" : ", ") + w;
    s += st.dim("missing: " + m) + "\n\n";
  }
  for (std::size_t i = 0; i < r.hits.size(); ++i) {
    const auto& h = r.hits[i];
    std::string year = h.year ? std::to_string(*h.year) : "year unknown";
    s += fmt::format("{}. {} ({})  {}  {}\n", h.rank, st.bold(h.title.empty() ? h.article_id : h.title), year,
                     st.dim(where(h, places[i])), st.dim(fmt::format("passage {}", h.ordinal)));
    if (!h.actors.empty()) {
      std::string a;
      for (std::size_t k = 0; k < h.actors.size() && k < 8; ++k) {
        if (k) a += ", ";
        a += h.actors[k].name;
      }
      if (h.actors.size() > 8) a += fmt::format(", +{} more", h.actors.size() - 8);
      s += "   " + st.dim("actors: " + a) + "\n";
    }
    if (!h.text_error.empty())
      s += "   " + st.dim("(passage text unavailable: " + h.text_error + ")") + "\n";
    else
      s += wrap(render_snippet(h.snippet, st), layout.width, "   ") + "\n";
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
  const char* unit = layout.group_by_article ? "article" : "passage";
  std::string total = fmt::format("{}{} matching {}{}", r.total_exact ? "" : "about ", r.total, unit,
                                  r.total == 1 ? "" : "s");
  if (!r.hits.empty()) total += fmt::format(" (showing {}-{})", r.hits.front().rank, r.hits.back().rank);
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
      for (std::size_t k = 0; k < f.actor.size() && k < 12; ++k)
        line += fmt::format("{}{} {}", k ? " · " : "", f.actor[k].label, f.actor[k].count);
      if (f.actor.size() > 12) line += fmt::format(" · +{} more", f.actor.size() - 12);
      s += fmt::format("{}{}: {}\n", st.bold("actors"), est, line);
    }
  }
  out(s);
}

}  // namespace lipsteeth::cli
