// Dates in paths and URLs: blogs, news sites and static-site generators
// file an article under the day it was published ("/2016/01/13/slug/",
// "_posts/2016-01-13-slug.md"). Query strings and fragments are ignored.
#include "analyzers/meta/path_dates.h"

#include <optional>
#include <string>

#include "analyzers/meta/text_util.h"

namespace lipsteeth::analyzers::meta {
namespace {

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!is_digit(c)) return false;
  return true;
}

// A plausible publication year: the web's and the printed archive's.
bool plausible_year(int y) { return y >= 1900 && y <= 2100; }

// "2016-01-13-slug", "2016_01_13_slug", "20160113-slug", "2016-01-13.md".
std::optional<Date> leading_date(std::string_view name) {
  Date d;
  if (name.size() >= 10 && all_digits(name.substr(0, 4)) && (name[4] == '-' || name[4] == '_') &&
      all_digits(name.substr(5, 2)) && name[7] == name[4] && all_digits(name.substr(8, 2)) &&
      (name.size() == 10 || !is_digit(name[10]))) {
    d = {to_int(name.substr(0, 4)), to_int(name.substr(5, 2)), to_int(name.substr(8, 2))};
  } else if (name.size() >= 9 && all_digits(name.substr(0, 8)) &&
             (name[8] == '-' || name[8] == '_' || name[8] == '.')) {
    d = {to_int(name.substr(0, 4)), to_int(name.substr(4, 2)), to_int(name.substr(6, 2))};
  } else {
    return std::nullopt;
  }
  if (!plausible_year(d.y) || !valid_ymd(d.y, d.m, d.d)) return std::nullopt;
  return d;
}

}  // namespace

void add_path_date(std::vector<Candidate>& to, std::string_view path, const char* rule) {
  path = path.substr(0, path.find_first_of("?#"));
  const auto parts = split_on(path, '/');
  std::optional<Date> found;
  std::string field;  // the folders or the name the date was read from
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const std::string_view p = parts[i];
    // Folders YYYY/MM[/DD], with something filed under them.
    if (p.size() == 4 && all_digits(p) && plausible_year(to_int(p)) && i + 2 < parts.size() &&
        parts[i + 1].size() == 2 && all_digits(parts[i + 1])) {
      Date d{to_int(p), to_int(parts[i + 1]), 0};
      const bool day = i + 3 < parts.size() && parts[i + 2].size() == 2 && all_digits(parts[i + 2]);
      if (day) d.d = to_int(parts[i + 2]);
      if (valid_ymd(d.y, d.m, d.d)) {
        found = d;
        field = std::string(p) + "/" + std::string(parts[i + 1]) + (day ? "/" + std::string(parts[i + 2]) : "");
      }
    }
    if (auto d = leading_date(p)) {
      found = d;
      field = std::string(p);
    }
  }
  if (found) add_candidate(to, iso(*found), rule, field, 0, rank::kPathDate);
}

}  // namespace lipsteeth::analyzers::meta
