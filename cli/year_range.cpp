// --year values.
#include "cli/year_range.h"

#include <fmt/format.h>

#include "analyzers/error.h"

namespace lipsteeth::cli {

std::pair<std::optional<int>, std::optional<int>> parse_year_range(const std::string& value) {
  const auto bad = [&](const char* why) {
    return UsageError(fmt::format("bad --year '{}': {}", value, why));
  };
  const auto year = [&](const std::string& t) {
    if (t.empty() || t.size() > 4) throw bad("use 2016 or 2012..2016");
    for (char c : t)
      if (c < '0' || c > '9') throw bad("use 2016 or 2012..2016");
    return std::stoi(t);
  };
  const auto dots = value.find("..");
  if (dots == std::string::npos) {
    const int y = year(value);
    return {y, y};
  }
  const std::string a = value.substr(0, dots), b = value.substr(dots + 2);
  if (a.empty() && b.empty()) throw bad("use 2016 or 2012..2016");
  std::optional<int> from, to;
  if (!a.empty()) from = year(a);
  if (!b.empty()) to = year(b);
  if (from && to && *from > *to) throw bad("the range is reversed");
  return {from, to};
}

}  // namespace lipsteeth::cli
