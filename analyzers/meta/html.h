// HTML and saved web pages (internal to analyzers/; see html.cpp).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "analyzers/metadata.h"

namespace lipsteeth::analyzers::meta {

struct HtmlResult {
  std::string body;  // visible article text, blocks separated by blank lines
  std::vector<Candidate> title_candidates, date_candidates;
  std::vector<std::string> authors;
  std::string url, description, outlet;
};

// A page, also one saved as ".txt" or behind a server-code preamble.
bool looks_like_html(std::string_view text);
// Never throws; malformed markup is recovered, malformed JSON-LD ignored.
HtmlResult read_html(std::string_view text);

}  // namespace lipsteeth::analyzers::meta
