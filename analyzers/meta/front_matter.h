// Headers before a Markdown or text body (internal to analyzers/; see
// front_matter.cpp): YAML "---" and TOML "+++" front matter, Pelican and
// MultiMarkdown "Key: value" headers.
#pragma once

#include <string_view>

#include "analyzers/metadata.h"

namespace lipsteeth::analyzers::meta {

// The body after the header block (the whole text when there is none) and
// what the header states, as candidates. Never throws: a malformed block is
// still cut off the body, and read line by line.
FormattedText read_front_matter(std::string_view text);

}  // namespace lipsteeth::analyzers::meta
