#include "analyzers/documents/documents.h"

#include "analyzers/container_internal.h"

namespace lipsteeth::analyzers::documents {

ContainerText read_document(Format format, std::string_view bytes, const ContainerLimits& limits) {
  switch (format) {
    case Format::pdf: return container::read_pdf(bytes, limits);
    case Format::docx: return container::read_docx(bytes, limits);
    case Format::odt: return container::read_odt(bytes, limits);
    case Format::epub: return container::read_epub(bytes, limits);
    default: break;
  }
  return container::unreadable(format, "not a document format");
}

}  // namespace lipsteeth::analyzers::documents
