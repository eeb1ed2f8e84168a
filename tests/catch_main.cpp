#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>

#include "analyzers/documents/documents.h"

// The tests read PDF, DOCX, ODT and EPUB in process (the CLI does it through
// its helper lipsteeth-read).
namespace {
const bool documents_read_in_process =
    (lipsteeth::analyzers::set_document_reader(&lipsteeth::analyzers::documents::read_document), true);
}  // namespace
