// PDF, DOCX, ODT and EPUB read in a helper process: the lipsteeth binary
// runs lipsteeth-read (cli/read_main.cpp, linking analyzers/documents/) once
// per such file, hands it the file's bytes on its standard input and reads
// the ContainerText back. The libraries those formats need are then loaded
// only by the helper, not by every search; and a reader that crashes or
// hangs on a hostile file costs that file, not the run.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "analyzers/container.h"

namespace lipsteeth::analyzers {

// The ContainerText on the wire (a versioned, length-prefixed record), and
// back. decode_container_text returns false on a malformed record.
std::string encode_container_text(const ContainerText& c);
bool decode_container_text(std::string_view wire, ContainerText& c);

// The helper's arguments for `format` and `limits`, and back (the helper's
// side). parse_reader_arguments returns false when they are not four
// numbers and a format it reads.
std::vector<std::string> reader_arguments(Format format, const ContainerLimits& limits);
bool parse_reader_arguments(const std::vector<std::string>& args, Format& format, ContainerLimits& limits);

// Where lipsteeth-read is: $LIPSTEETH_READER, else beside the running
// binary, else in ../libexec/lipsteeth/ from it (an installed layout).
// "" when none of them exists.
std::string reader_path();

// A DocumentReader (container.h) that runs the helper. A helper that is
// missing, fails, is killed or takes longer than 60 s plus 2 s per MB of the
// file gives an unreadable ContainerText saying so.
ContainerText read_document_in_helper(Format format, std::string_view bytes, const ContainerLimits& limits);

}  // namespace lipsteeth::analyzers
