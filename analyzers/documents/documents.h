// The readers of PDF, DOCX, ODT and EPUB (poppler-cpp, libzip, libxml2), in
// a library of their own: linked by the helper program lipsteeth-read and by
// the tests, not by the lipsteeth binary (analyzers/container.h,
// set_document_reader).
#pragma once

#include <string_view>

#include "analyzers/container.h"

namespace lipsteeth::analyzers::documents {

// Reads `bytes` as a document of `format` (pdf, docx, odt or epub). Never
// throws for bad content; std::bad_alloc passes through.
ContainerText read_document(Format format, std::string_view bytes, const ContainerLimits& limits);

}  // namespace lipsteeth::analyzers::documents
