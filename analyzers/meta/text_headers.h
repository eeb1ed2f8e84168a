// Names and lines of article text (internal to analyzers/): what the text
// headers module knows about people's names, shared with the format modules.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace lipsteeth::analyzers::meta {

bool is_person_name(std::string_view s);
// "A, B and C" -> names; `all_names` set when every part is a person's name.
std::vector<std::string> split_names(std::string_view s, bool* all_names = nullptr);
bool is_title_candidate(const std::string& t, bool* single_word = nullptr);

}  // namespace lipsteeth::analyzers::meta
