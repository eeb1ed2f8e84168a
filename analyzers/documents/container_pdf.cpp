// PDF through poppler's C++ API: the text of each page in reading order (as
// pdftotext gives it), the Info dictionary's Title, Author and CreationDate.
#include <algorithm>
#include <cctype>
#include <map>
#include <memory>
#include <mutex>
#include <set>

#include <fmt/format.h>
#include <poppler-document.h>
#include <poppler-global.h>
#include <poppler-page.h>
#include <unicode/ustring.h>

#include "analyzers/container_internal.h"

namespace lipsteeth::analyzers::container {
namespace {

// Poppler prints every syntax error of a damaged file to stderr; the file's
// outcome is reported once, by the caller.
void quiet(const std::string&, void*) {}

// ustring is UTF-16; its own to_utf8() opens an iconv converter at every
// call, which cost more than the rest of the extraction (one call per word).
std::string utf8(const poppler::ustring& s) {
  if (s.empty()) return {};
  std::string out(s.size() * 3, '\0');
  int32_t len = 0;
  UErrorCode err = U_ZERO_ERROR;
  u_strToUTF8WithSub(out.data(), static_cast<int32_t>(out.size()), &len, reinterpret_cast<const UChar*>(s.data()),
                     static_cast<int32_t>(s.size()), 0xFFFD, nullptr, &err);
  if (U_FAILURE(err)) return {};
  out.resize(static_cast<std::size_t>(len));
  return out;
}

// "D:20160602093000+09'00'" (PDF 1.7, 7.9.4): the date as written, in the
// document's own time zone; the prefix and anything after the day may be
// missing.
std::string pdf_date(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  if (s.substr(0, 2) == "D:") s.remove_prefix(2);
  std::size_t digits = 0;
  while (digits < s.size() && digits < 8 && std::isdigit(static_cast<unsigned char>(s[digits]))) ++digits;
  if (digits == 8) return fmt::format("{}-{}-{}", s.substr(0, 4), s.substr(4, 2), s.substr(6, 2));
  if (digits >= 6) return fmt::format("{}-{}", s.substr(0, 4), s.substr(4, 2));
  if (digits >= 4) return std::string(s.substr(0, 4));
  return {};
}

// Info's Author: one name, or several separated by ';' (as LaTeX's hyperref
// and most tools write a list).
std::vector<std::string> pdf_authors(const std::string& s) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  while (pos <= s.size()) {
    std::size_t semi = s.find(';', pos);
    if (semi == std::string::npos) semi = s.size();
    out.push_back(s.substr(pos, semi - pos));
    pos = semi + 1;
  }
  return out;
}

struct Line {
  std::string text;
  double left, right, top, bottom;
  bool space_after;  // poppler saw a space after the line's last word
};

// The words of a page (poppler's text_list, in reading order) as lines: a
// word that starts a new baseline, or goes back left, starts a line.
std::vector<Line> page_lines(const poppler::page& page) {
  std::vector<Line> lines;
  for (const auto& box : page.text_list()) {
    const poppler::rectf r = box.bbox();
    const std::string w = utf8(box.text());
    if (w.empty()) continue;
    const double mid = (r.top() + r.bottom()) / 2;
    if (lines.empty() || r.left() < lines.back().right - 1 || mid < lines.back().top || mid > lines.back().bottom) {
      lines.push_back({w, r.left(), r.right(), r.top(), r.bottom(), box.has_space_after()});
      continue;
    }
    Line& l = lines.back();
    // A gap wider than a fifth of the line's height is a space even when
    // the file draws none (has_space_after comes from the drawn text).
    if (l.space_after || r.left() - l.right > (l.bottom - l.top) * 0.2) l.text += ' ';
    l.text += w;
    l.space_after = box.has_space_after();
    l.right = std::max(l.right, r.right());
    l.top = std::min(l.top, r.top());
    l.bottom = std::max(l.bottom, r.bottom());
  }
  return lines;
}

bool ends_sentence(const std::string& s) {
  static constexpr std::string_view kEnds[] = {".", "?", "!", ":", "\"", "\xE2\x80\x9D" /* ” */, ")"};
  for (auto e : kEnds)
    if (s.size() >= e.size() && s.compare(s.size() - e.size(), e.size(), e) == 0) return true;
  return false;
}

// A page's text with its paragraphs, which PDF does not mark: a paragraph
// ends where the space to the next line is well above the page's usual line
// pitch (its lower quartile), where the text moves up (a new column), or after a line that ends a
// sentence well short of the column's right edge.
std::string page_text(const std::vector<Line>& lines) {
  if (lines.empty()) return {};
  std::vector<double> pitches;
  double right = 0;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    right = std::max(right, lines[i].right);
    if (i && lines[i].top > lines[i - 1].top) pitches.push_back(lines[i].top - lines[i - 1].top);
  }
  double pitch = 0;
  if (!pitches.empty()) {
    // The lower quartile: a page's lines are mostly body lines a pitch apart,
    // and on a short page the gaps between paragraphs, a head or a foot
    // would move the median.
    std::nth_element(pitches.begin(), pitches.begin() + pitches.size() / 4, pitches.end());
    pitch = pitches[pitches.size() / 4];
  }
  std::string out = lines[0].text;
  for (std::size_t i = 1; i < lines.size(); ++i) {
    const Line& a = lines[i - 1];
    const Line& b = lines[i];
    const double height = a.bottom - a.top;
    const bool gap = pitch > 0 && b.top - a.top > pitch * 1.4;
    const bool up = b.top < a.top;
    const bool short_end = ends_sentence(a.text) && a.right < right - 8 * height;
    if (gap || up || short_end) {
      out += "\n\n";
    } else if (a.text.size() > 1 && a.text.back() == '-' && std::islower(static_cast<unsigned char>(a.text[a.text.size() - 2])) &&
               std::islower(static_cast<unsigned char>(b.text[0]))) {
      out.pop_back();  // a word broken at the line's end: "inter-" "national"
    } else {
      out += '\n';
    }
    out += b.text;
  }
  return out;
}

// A line's text with each run of digits as '#': a running foot "Page 3 of
// 12" is the same line on every page.
std::string edge_key(const std::string& s) {
  std::string k;
  for (char c : s) {
    if (std::isdigit(static_cast<unsigned char>(c))) {
      if (k.empty() || k.back() != '#') k += '#';
    } else {
      k += c;
    }
  }
  return k;
}

// Running heads and feet (a title, a page number, "Page 3 of 12") are no part
// of the text: among the first and last two lines of each page, a line that
// is at an edge of at least half the pages (three at least), digits aside,
// is dropped.
void drop_running_lines(std::vector<std::vector<Line>>& pages) {
  std::size_t with_text = 0;
  for (const auto& p : pages) with_text += !p.empty();
  if (with_text < 3) return;
  auto edges = [](std::size_t n) {
    std::vector<std::size_t> at;
    for (std::size_t i = 0; i < n && i < 2; ++i) at.push_back(i);
    for (std::size_t i = n >= 2 ? n - 2 : 0; i < n; ++i)
      if (std::find(at.begin(), at.end(), i) == at.end()) at.push_back(i);
    return at;
  };
  std::map<std::string, std::size_t> counts;
  for (const auto& p : pages) {
    std::set<std::string> seen;
    for (std::size_t i : edges(p.size()))
      if (seen.insert(edge_key(p[i].text)).second) ++counts[edge_key(p[i].text)];
  }
  const std::size_t threshold = std::max<std::size_t>(3, (with_text + 1) / 2);
  for (std::size_t n = 0; n < pages.size(); ++n) {
    auto& p = pages[n];
    auto at = edges(p.size());
    std::sort(at.begin(), at.end());
    for (auto it = at.rbegin(); it != at.rend(); ++it) {
      // The first page's head is the document's title, which later pages
      // repeat as their running head: it stays.
      if (n == 0 && *it < 2 && p.size() > 2) continue;
      if (counts[edge_key(p[*it].text)] >= threshold) p.erase(p.begin() + static_cast<std::ptrdiff_t>(*it));
    }
  }
}

}  // namespace

ContainerText read_pdf(std::string_view bytes, const ContainerLimits& limits) {
  static std::once_flag silenced;
  std::call_once(silenced, [] { poppler::set_debug_error_function(quiet, nullptr); });
  // The header may follow some junk (PDF 1.7, annex H.3: within 1024 bytes).
  if (bytes.substr(0, 1024).find("%PDF-") == std::string_view::npos)
    return unreadable(Format::pdf, "not a PDF file (no %PDF- header)");
  if (bytes.size() > static_cast<std::size_t>(INT32_MAX)) return unreadable(Format::pdf, "PDF file over 2 GB");
  std::unique_ptr<poppler::document> doc(
      poppler::document::load_from_raw_data(bytes.data(), static_cast<int>(bytes.size())));
  if (!doc) return unreadable(Format::pdf, "corrupt PDF file (poppler cannot read its structure)");
  if (doc->is_locked()) return unreadable(Format::pdf, "encrypted PDF (a password is needed to open it)");
  const int pages = doc->pages();
  if (pages <= 0) return unreadable(Format::pdf, "corrupt PDF file (no pages)");
  std::vector<std::vector<Line>> lines;
  std::uint64_t size = 0;
  for (int i = 0; i < pages; ++i) {
    std::unique_ptr<poppler::page> page(doc->create_page(i));
    lines.push_back(page ? page_lines(*page) : std::vector<Line>{});
    for (const auto& l : lines.back()) size += l.text.size() + 1;
    if (size > limits.max_bytes)
      return unreadable(Format::pdf, fmt::format("too large when decompressed (its text is over {} MB)", limits.max_bytes >> 20));
  }
  drop_running_lines(lines);
  std::string raw;
  for (const auto& page : lines) {
    std::string t = page_text(page);
    if (t.find_first_not_of(" \t\r\n\f") == std::string::npos) continue;
    // A page ends a paragraph, unless the paragraph plainly goes on: the page
    // ends inside a sentence and the next begins in lower case.
    if (!raw.empty())
      raw += !ends_sentence(raw) && std::islower(static_cast<unsigned char>(t[t.find_first_not_of(" \t\r\n\f")]))
                 ? "\n"
                 : "\n\n";
    raw += t;
  }
  std::string text = tidy_paragraphs(raw);
  if (text.empty())
    return unreadable(Format::pdf, fmt::format("no text (an image-only or scanned PDF of {} page{}: it would need OCR)",
                                               pages, pages == 1 ? "" : "s"));
  ContainerText r;
  r.format = Format::pdf;
  r.text = std::move(text);
  set_stated(r.stated, utf8(doc->info_key("Title")), pdf_date(utf8(doc->info_key("CreationDate"))),
             pdf_authors(utf8(doc->info_key("Author"))));
  return r;
}

}  // namespace lipsteeth::analyzers::container
