// Container files: PDF, DOCX, ODT, EPUB, and a gzip-compressed file of any
// format lipsteeth reads. Each yields its text (UTF-8, paragraphs separated by
// blank lines) and what the document states of itself (title, date, authors),
// or the reason it cannot be read. One module per format, under documents/:
// container_pdf.cpp (poppler-cpp), container_office.cpp (DOCX, ODT),
// container_epub.cpp, container_zip.cpp (libzip and libxml2, shared by the
// zip-based formats); container.cpp (dispatch, .gz through zlib).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "analyzers/metadata.h"

namespace lipsteeth::analyzers {

// Limits against decompression bombs, per file (docs/indexing.md, "Container
// files"). A file whose text, or one of whose zip members or gzip stream,
// inflates past max_bytes, or past max_ratio times its compressed size once
// beyond ratio_floor_bytes, is refused as "too large when decompressed".
struct ContainerLimits {
  std::uint64_t max_bytes = 256u << 20;        // decompressed bytes, any one stream or member
  std::uint64_t max_ratio = 200;               // decompressed / compressed
  std::uint64_t ratio_floor_bytes = 4u << 20;  // below this the ratio is not checked
  int max_depth = 2;                           // .gz inside .gz: one level, then refused
};

enum class ContainerStatus {
  ok,           // text and stated hold the document
  unreadable,   // reason says why: encrypted, no text (image-only), corrupt, too large
};

struct ContainerText {
  ContainerStatus status = ContainerStatus::ok;
  Format format = Format::text;  // the document's format; of a .gz, the inner file's
  // ok: the text. For a .gz of a plain format (text, Markdown, HTML), the inner
  // file's bytes as they are, to be decoded and read like any such file
  // (`plain` is then true); for the others, UTF-8 with paragraphs separated by
  // blank lines.
  std::string text;
  bool plain = false;
  Metadata stated;     // the document's own properties; sources set to stated
  std::string reason;  // unreadable: e.g. "encrypted PDF (a password is needed to read it)"
};

// True when `path`'s name says it is a container file: .pdf, .docx, .odt,
// .epub, or any name ending in .gz (case-insensitive).
bool is_container_path(std::string_view path);

// Reads the container file `bytes`, whose format is told by `path`'s name
// (a .gz by the name without .gz). Never throws for bad content; std::bad_alloc
// passes through.
ContainerText read_container(std::string_view bytes, std::string_view path, const ContainerLimits& limits = {});

// PDF, DOCX, ODT and EPUB are read by libraries (poppler-cpp, libzip) that
// Debian ships as shared objects only, and whose loading (some 30 shared
// objects with their dependencies) cost every process several
// milliseconds, searches included. So the lipsteeth binary does not link
// them: read_container() hands those formats to the reader set here, which
// in the CLI runs the helper program lipsteeth-read (analyzers/document_pipe.h)
// and in the tests and the helper itself is documents::read_document
// (analyzers/documents/). Unset, those formats are unreadable with a reason.
using DocumentReader = ContainerText (*)(Format format, std::string_view bytes, const ContainerLimits& limits);
void set_document_reader(DocumentReader reader);

// The name a format is printed with: "text", "markdown", "html", "pdf", "docx",
// "odt", "epub".
const char* format_name(Format format);

}  // namespace lipsteeth::analyzers
