// Byte ranges of text and a passage's snippet: what the query rewriter, the
// highlighter and the search results all speak of (searcher.h, query.h,
// snippet.h include this, and none of them another).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace lipsteeth::searcher {

// A byte range [start, end).
struct Range {
  std::uint32_t start = 0;
  std::uint32_t end = 0;
  bool operator==(const Range&) const = default;
};

// A passage trimmed to its best window. `text` starts/ends with "…" when
// trimmed; `highlights` are byte ranges in `text`.
struct Snippet {
  std::string text;
  std::vector<Range> highlights;
};

}  // namespace lipsteeth::searcher
