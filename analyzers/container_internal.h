// Shared by the container readers (analyzers/container*.cpp); not part of the
// library's interface.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analyzers/container.h"

namespace lipsteeth::analyzers::container {

// The result of one reader: ok with text and stated, or unreadable with a reason.
ContainerText unreadable(Format format, std::string reason);

// "too large when decompressed (more than 256 MB)" and kin, one wording for all.
std::string too_large_reason(const ContainerLimits& limits, std::uint64_t compressed);
// True when `out` bytes inflated from `in` break a limit.
bool over_limits(std::uint64_t out, std::uint64_t in, const ContainerLimits& limits);

// Sets title/date/year/authors of `m` from a document's properties, with
// source stated: blank values are ignored, `date` may be any form parse_date
// reads (ISO 8601 with a time, as core.xml and meta.xml write it, included).
void set_stated(Metadata& m, std::string_view title, std::string_view date, const std::vector<std::string>& authors);

// Text written as lines: a run of whitespace becomes one space, lines are
// kept, runs of blank lines become one. Trims the ends.
std::string tidy_paragraphs(std::string_view text);

// A zip archive held in memory (libzip), for DOCX, ODT and EPUB.
class Zip {
 public:
  // Null with `error` set when `bytes` is not a readable zip archive.
  static std::unique_ptr<Zip> open(std::string_view bytes, std::string& error);
  ~Zip();
  Zip(const Zip&) = delete;
  Zip& operator=(const Zip&) = delete;

  bool has(const std::string& name) const;
  // The member's bytes, or nullopt with `error` set: missing, encrypted,
  // corrupt, or over `limits` ("too large when decompressed ...").
  std::optional<std::string> read(const std::string& name, const ContainerLimits& limits, std::string& error) const;

 private:
  struct Impl;
  explicit Zip(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// An XML document parsed with libxml2, without network access or entity
// expansion; null when it is not well-formed.
struct XmlDoc;
struct XmlDocDeleter {
  void operator()(XmlDoc* d) const;
};
using XmlPtr = std::unique_ptr<XmlDoc, XmlDocDeleter>;
XmlPtr parse_xml(std::string_view bytes);
// The same through libxml2's HTML parser (XHTML of EPUB chapters, which are
// often not well-formed XML).
XmlPtr parse_html(std::string_view bytes);

// The text of every element in document order named `local` (namespace
// ignored), its content concatenated; for metadata fields.
std::vector<std::string> xml_texts(const XmlDoc* doc, std::string_view local);
// The attribute `attr` of every element named `local`, in document order.
std::vector<std::string> xml_attrs(const XmlDoc* doc, std::string_view local, std::string_view attr);
// The first of `v`, or "" when `v` is empty (a metadata field may occur any number of times).
inline std::string first_or_empty(const std::vector<std::string>& v) { return v.empty() ? std::string() : v.front(); }

// Text of a document body with its block structure: each element whose local
// name is in `blocks` ends a paragraph (a blank line), each in `breaks` is a
// line break, each in `tabs` a space; elements in `skip` are left out with
// their content. Character data elsewhere is kept as it is, or, when `text`
// names elements, only inside them (DOCX: w:t; the whitespace between runs
// is not text).
struct BlockNames {
  std::vector<std::string_view> blocks, breaks, tabs, skip, text;
};
std::string xml_block_text(const XmlDoc* doc, const BlockNames& names);

ContainerText read_pdf(std::string_view bytes, const ContainerLimits& limits);
ContainerText read_docx(std::string_view bytes, const ContainerLimits& limits);
ContainerText read_odt(std::string_view bytes, const ContainerLimits& limits);
ContainerText read_epub(std::string_view bytes, const ContainerLimits& limits);

}  // namespace lipsteeth::analyzers::container
