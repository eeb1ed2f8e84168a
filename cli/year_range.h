// --year values: "2016", "2012..2016", "2012..", "..2016".
#pragma once

#include <optional>
#include <string>
#include <utility>

namespace lipsteeth::cli {

// The inclusive range a --year value names, either end open. Throws
// UsageError for anything else, or for a reversed range.
std::pair<std::optional<int>, std::optional<int>> parse_year_range(const std::string& value);

}  // namespace lipsteeth::cli
