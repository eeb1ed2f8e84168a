// Shared pieces of the metadata modules (internal to analyzers/): ASCII
// string helpers, dates as articles write them, HTML character references.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <unicode/umachine.h>

namespace lipsteeth::analyzers::meta {

char lower_ascii(char c);
std::string lower(std::string_view s);
bool iequals(std::string_view a, std::string_view b);
bool istarts_with(std::string_view s, std::string_view prefix);
std::size_t ifind(std::string_view hay, std::string_view needle, std::size_t from = 0);
bool is_ascii_space(char c);
bool is_digit(char c);
bool is_alpha_ascii(char c);
std::string_view trim_ascii(std::string_view s);
UChar32 next_cp(std::string_view s, std::size_t& i);
void append_cp(std::string& out, UChar32 c);
// White space runs (NBSP included) to one space, trimmed.
std::string squeeze_spaces(std::string_view s);
std::vector<std::string_view> split_on(std::string_view s, char sep);
std::vector<std::string_view> words_of(std::string_view s);

struct Date {
  int y = 0, m = 0, d = 0;  // m, d = 0 when not given
  std::size_t start = 0, end = 0;  // byte range of the match in the text searched
};
std::optional<int> year_of(std::string_view iso_date);
std::string iso(const Date& d);
bool valid_ymd(int y, int m, int d);
int month_of(std::string_view w);
bool is_weekday(std::string_view w);
int to_int(std::string_view digits);
// Every date written in `s` ("June 2, 2016", "2 June 2016", "2016-06-02", "June 2016").
std::vector<Date> find_dates(std::string_view s);
// Strict ISO 8601 (YYYY, YYYY-MM, YYYY-MM-DD, optional time).
bool parse_iso(std::string_view s, Date& out);

// Decodes character references (named, decimal, hex); unknown ones stay.
std::string decode_entities(std::string_view s);

}  // namespace lipsteeth::analyzers::meta
