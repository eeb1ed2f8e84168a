// Dates in a file's path or a URL (internal to analyzers/; see path_dates.cpp).
#pragma once

#include <string_view>
#include <vector>

#include "analyzers/metadata.h"

namespace lipsteeth::analyzers::meta {

// Adds the date `path_or_url` names, if any, as a candidate of rule `rule`
// ("path" or "url") at rank::kPathDate: folders "/2016/01/13/" or
// "/2016/01/" (a year alone is a folder of many years' files, not a date),
// or a name that opens with "2016-01-13-", "2016_01_13_" or "20160113-"
// (Jekyll's _posts, exports named by day). The last such date in the path
// wins: it is nearest the file. Never throws.
void add_path_date(std::vector<Candidate>& to, std::string_view path_or_url, const char* rule);

}  // namespace lipsteeth::analyzers::meta
