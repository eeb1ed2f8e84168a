// Container files: which reader a file goes to, the .gz reader (zlib), and
// what the readers share (limits, stated properties, paragraph tidying).
#include "analyzers/container.h"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <new>

#include <fmt/format.h>
#include <zlib.h>

#include "analyzers/container_internal.h"

namespace lipsteeth::analyzers {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool ends_with(std::string_view s, std::string_view tail) {
  return s.size() >= tail.size() && s.substr(s.size() - tail.size()) == tail;
}

// The format a container's name says, or text when it names none.
Format container_format(std::string_view lowered_path) {
  if (ends_with(lowered_path, ".pdf")) return Format::pdf;
  if (ends_with(lowered_path, ".docx")) return Format::docx;
  if (ends_with(lowered_path, ".odt")) return Format::odt;
  if (ends_with(lowered_path, ".epub")) return Format::epub;
  return Format::text;
}

// Inflates a gzip file (several members one after another, as `cat a.gz b.gz`
// makes, included) or a zlib stream, within the limits.
bool gunzip(std::string_view in, const ContainerLimits& limits, std::string& out, std::string& error) {
  z_stream zs{};
  if (inflateInit2(&zs, 15 + 32) != Z_OK) {  // 15 + 32: a gzip or zlib header, told apart
    error = "cannot start zlib";
    return false;
  }
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = static_cast<uInt>(std::min<std::size_t>(in.size(), UINT32_MAX));
  std::size_t fed = zs.avail_in;
  char buf[1 << 16];
  int rc = Z_OK;
  bool ok = true;
  for (;;) {
    zs.next_out = reinterpret_cast<Bytef*>(buf);
    zs.avail_out = sizeof buf;
    rc = inflate(&zs, Z_NO_FLUSH);
    out.append(buf, sizeof buf - zs.avail_out);
    if (container::over_limits(out.size(), in.size(), limits)) {
      error = container::too_large_reason(limits, in.size());
      ok = false;
      break;
    }
    if (zs.avail_in == 0 && fed < in.size()) {
      std::size_t more = std::min<std::size_t>(in.size() - fed, UINT32_MAX);
      zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data() + fed));
      zs.avail_in = static_cast<uInt>(more);
      fed += more;
    }
    if (rc == Z_STREAM_END) {
      // Another member may follow; trailing zero bytes (padding some tools add) end the file.
      std::string_view rest = in.substr(fed - zs.avail_in);
      if (rest.find_first_not_of('\0') == std::string_view::npos) break;
      if (inflateReset(&zs) != Z_OK) {
        error = "corrupt gzip file";
        ok = false;
        break;
      }
      continue;
    }
    if (rc == Z_BUF_ERROR && zs.avail_in == 0) {
      error = "truncated gzip file (it ends inside the compressed data)";
      ok = false;
      break;
    }
    if (rc != Z_OK && rc != Z_BUF_ERROR) {
      if (rc == Z_MEM_ERROR) {
        inflateEnd(&zs);
        throw std::bad_alloc();
      }
      error = fmt::format("corrupt gzip file ({})", zs.msg ? zs.msg : "bad compressed data");
      ok = false;
      break;
    }
  }
  inflateEnd(&zs);
  return ok;
}

ContainerText read_gzip(std::string_view bytes, std::string_view path, const ContainerLimits& limits) {
  std::string inner_path(path.substr(0, path.size() - 3));
  const std::string lowered = lower(inner_path);
  const Format inner_container = container_format(lowered);
  Format format = inner_container != Format::text ? inner_container : format_from_path(inner_path);
  if (limits.max_depth <= 1) return container::unreadable(format, "compressed too many times over (.gz inside .gz)");
  std::string inner, error;
  if (!gunzip(bytes, limits, inner, error)) return container::unreadable(format, error);
  if (is_container_path(lowered)) {
    ContainerLimits nested = limits;
    nested.max_depth = limits.max_depth - 1;
    return read_container(inner, inner_path, nested);
  }
  ContainerText r;
  r.format = format;
  r.text = std::move(inner);
  r.plain = true;
  return r;
}

}  // namespace

namespace container {

ContainerText unreadable(Format format, std::string reason) {
  ContainerText r;
  r.status = ContainerStatus::unreadable;
  r.format = format;
  r.reason = std::move(reason);
  return r;
}

std::string too_large_reason(const ContainerLimits& limits, std::uint64_t compressed) {
  return fmt::format("too large when decompressed (more than {} MB, or {} times its {} compressed bytes)",
                     limits.max_bytes >> 20, limits.max_ratio, compressed);
}

bool over_limits(std::uint64_t out, std::uint64_t in, const ContainerLimits& limits) {
  if (out > limits.max_bytes) return true;
  return out > limits.ratio_floor_bytes && out / std::max<std::uint64_t>(in, 1) > limits.max_ratio;
}

namespace {
std::string collapse(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      if (!out.empty() && out.back() != ' ') out += ' ';
    } else {
      out += c;
    }
  }
  if (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}
}  // namespace

namespace {
// Tools fill a document's Title with what is no title: a file name ("Microsoft
// Word - report.docx", "draft_v2.pdf"), or a placeholder ("Untitled").
bool plausible_title(std::string& t) {
  static constexpr std::string_view kWordPrefix = "Microsoft Word - ";
  if (t.rfind(kWordPrefix, 0) == 0) t.erase(0, kWordPrefix.size());
  const std::string l = lower(t);
  for (std::string_view ext : {".doc", ".docx", ".odt", ".pdf", ".rtf", ".txt", ".indd", ".qxd", ".tex", ".dvi", ".ps",
                               ".htm", ".html", ".md"})
    if (ends_with(l, ext)) return false;
  for (std::string_view placeholder : {"untitled", "untitled document", "title", "document", "no title", "(anonymous)"})
    if (l == placeholder) return false;
  return l.find_first_not_of("-_. ") != std::string::npos;
}
}  // namespace

void set_stated(Metadata& m, std::string_view title, std::string_view date, const std::vector<std::string>& authors) {
  if (std::string t = collapse(title); !t.empty() && plausible_title(t)) {
    m.title = std::move(t);
    m.title_source = FieldSource::stated;
  }
  std::string d = collapse(date);
  // "2016-06-02T09:30:00Z" (core.xml, meta.xml, OPF): the day is enough.
  if (d.size() > 10 && d[4] == '-' && d[7] == '-' && (d[10] == 'T' || d[10] == ' ')) d.resize(10);
  if (std::string iso = d.empty() ? std::string() : parse_date(d); !iso.empty()) {
    m.date = iso;
    m.date_source = FieldSource::stated;
    m.year = std::stoi(iso.substr(0, 4));  // parse_date returns YYYY[-MM[-DD]]
    m.year_source = FieldSource::stated;
  }
  for (const auto& a : authors)
    if (std::string n = collapse(a); !n.empty() && std::find(m.authors.begin(), m.authors.end(), n) == m.authors.end())
      m.authors.push_back(std::move(n));
  if (!m.authors.empty()) m.authors_source = FieldSource::stated;
}

std::string tidy_paragraphs(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t pos = 0;
  bool blank_pending = false;
  while (pos <= text.size()) {
    std::size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    std::string line = collapse(text.substr(pos, nl - pos));
    if (line.empty()) {
      blank_pending = !out.empty();
    } else {
      if (!out.empty()) out += blank_pending ? "\n\n" : "\n";
      out += line;
      blank_pending = false;
    }
    pos = nl + 1;
  }
  return out;
}

}  // namespace container

bool is_container_path(std::string_view path) {
  const std::string p = lower(path);
  return ends_with(p, ".gz") || container_format(p) != Format::text;
}

namespace {
std::atomic<DocumentReader> document_reader{nullptr};
}  // namespace

void set_document_reader(DocumentReader reader) { document_reader = reader; }

ContainerText read_container(std::string_view bytes, std::string_view path, const ContainerLimits& limits) {
  const std::string p = lower(path);
  if (ends_with(p, ".gz")) return read_gzip(bytes, path, limits);
  const Format f = container_format(p);
  if (f == Format::text) return container::unreadable(Format::text, "not a container file");
  if (DocumentReader reader = document_reader.load()) return reader(f, bytes, limits);
  return container::unreadable(f, fmt::format("no {} reader in this program", format_name(f)));
}

const char* format_name(Format format) {
  switch (format) {
    case Format::text: return "text";
    case Format::markdown: return "markdown";
    case Format::html: return "html";
    case Format::pdf: return "pdf";
    case Format::docx: return "docx";
    case Format::odt: return "odt";
    case Format::epub: return "epub";
  }
  return "text";
}

}  // namespace lipsteeth::analyzers
