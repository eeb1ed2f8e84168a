// EPUB 2 and 3: META-INF/container.xml names the package (OPF) file, whose
// metadata gives title, date and authors and whose spine lists the chapters
// (XHTML, read with libxml2's HTML parser: chapters are often not
// well-formed XML).
#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include "analyzers/container_internal.h"

namespace lipsteeth::analyzers::container {
namespace {

// A manifest href, relative to the OPF file's folder: percent-decoded,
// "./" and "../" resolved, any "#fragment" dropped.
std::string member_path(const std::string& base_dir, std::string href) {
  if (auto hash = href.find('#'); hash != std::string::npos) href.resize(hash);
  std::string decoded;
  for (std::size_t i = 0; i < href.size(); ++i) {
    if (href[i] == '%' && i + 2 < href.size() && std::isxdigit(static_cast<unsigned char>(href[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(href[i + 2]))) {
      decoded += static_cast<char>(std::stoi(href.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      decoded += href[i];
    }
  }
  std::vector<std::string> parts;
  std::string joined = decoded.empty() || decoded[0] != '/' ? base_dir + decoded : decoded.substr(1);
  std::size_t pos = 0;
  while (pos <= joined.size()) {
    std::size_t slash = joined.find('/', pos);
    if (slash == std::string::npos) slash = joined.size();
    std::string part = joined.substr(pos, slash - pos);
    if (part == "..") {
      if (!parts.empty()) parts.pop_back();
    } else if (!part.empty() && part != ".") {
      parts.push_back(part);
    }
    pos = slash + 1;
  }
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : "/") + p;
  return out;
}

}  // namespace

ContainerText read_epub(std::string_view bytes, const ContainerLimits& limits) {
  std::string error;
  auto zip = Zip::open(bytes, error);
  if (!zip) return unreadable(Format::epub, error);
  auto container = zip->read("META-INF/container.xml", limits, error);
  if (!container) return unreadable(Format::epub, "not an EPUB book: " + error);
  XmlPtr c = parse_xml(*container);
  const std::string opf_path = c ? first_or_empty(xml_attrs(c.get(), "rootfile", "full-path")) : std::string();
  if (opf_path.empty()) return unreadable(Format::epub, "corrupt EPUB book (META-INF/container.xml names no package file)");
  auto opf_bytes = zip->read(opf_path, limits, error);
  if (!opf_bytes) return unreadable(Format::epub, "corrupt EPUB book: " + error);
  XmlPtr opf = parse_xml(*opf_bytes);
  if (!opf) return unreadable(Format::epub, fmt::format("corrupt EPUB book ({} is not well-formed XML)", opf_path));
  const std::string base = opf_path.find('/') == std::string::npos ? "" : opf_path.substr(0, opf_path.rfind('/') + 1);

  // Members a DRM scheme encrypted (META-INF/encryption.xml; fonts
  // obfuscated under the IDPF rules are listed there too, and do not matter).
  std::vector<std::string> encrypted;
  if (zip->has("META-INF/encryption.xml"))
    if (auto enc = zip->read("META-INF/encryption.xml", limits, error))
      if (XmlPtr e = parse_xml(*enc))
        for (auto& uri : xml_attrs(e.get(), "CipherReference", "URI")) encrypted.push_back(member_path("", uri));

  const auto ids = xml_attrs(opf.get(), "item", "id");
  const auto hrefs = xml_attrs(opf.get(), "item", "href");
  BlockNames names;
  names.blocks = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "section", "article",
                  "tr", "pre", "dd", "dt", "figcaption", "aside", "header", "footer"};
  names.breaks = {"br"};
  names.tabs = {"td", "th"};
  names.skip = {"head", "script", "style", "nav"};
  std::string text;
  std::uint64_t total = 0;
  for (const auto& idref : xml_attrs(opf.get(), "itemref", "idref")) {
    auto it = std::find(ids.begin(), ids.end(), idref);
    if (it == ids.end() || static_cast<std::size_t>(it - ids.begin()) >= hrefs.size()) continue;
    const std::string path = member_path(base, hrefs[static_cast<std::size_t>(it - ids.begin())]);
    if (std::find(encrypted.begin(), encrypted.end(), path) != encrypted.end())
      return unreadable(Format::epub, "encrypted (the book's chapters are protected by DRM)");
    auto chapter = zip->read(path, limits, error);
    if (!chapter) {
      if (error.rfind("too large", 0) == 0) return unreadable(Format::epub, error);
      continue;  // a chapter the spine names but the archive lacks: the rest is still the book
    }
    total += chapter->size();
    if (over_limits(total, bytes.size(), limits))
      return unreadable(Format::epub, too_large_reason(limits, bytes.size()));
    XmlPtr h = parse_html(*chapter);
    if (!h) continue;
    std::string t = xml_block_text(h.get(), names);
    if (t.empty()) continue;
    if (!text.empty()) text += "\n\n";
    text += t;
  }
  if (text.empty()) return unreadable(Format::epub, "no text (the book's spine names no readable chapter)");
  ContainerText r;
  r.format = Format::epub;
  r.text = std::move(text);
  set_stated(r.stated, first_or_empty(xml_texts(opf.get(), "title")), first_or_empty(xml_texts(opf.get(), "date")),
             xml_texts(opf.get(), "creator"));
  return r;
}

}  // namespace lipsteeth::analyzers::container
