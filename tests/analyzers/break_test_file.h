// Reader for Unicode's *BreakTest.txt conformance files (unicode-data:
// /usr/share/unicode/auxiliary/WordBreakTest.txt, SentenceBreakTest.txt).
#pragma once

#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <unicode/utf8.h>

namespace lipsteeth::testing {

// One test line: the text (UTF-8) and the byte offsets of its ÷ marks.
struct BreakCase {
  int line = 0;
  std::string text;
  std::vector<std::uint32_t> breaks;
  std::string source;  // the line as written, for messages
};

// Every test line of the file (comments and blank lines skipped).
inline std::vector<BreakCase> read_break_test(const std::string& path) {
  std::ifstream in(path);
  REQUIRE(in.good());
  std::vector<BreakCase> cases;
  std::string line;
  int n = 0;
  while (std::getline(in, line)) {
    ++n;
    const std::string data = line.substr(0, line.find('#'));
    if (data.find_first_not_of(" \t") == std::string::npos) continue;
    BreakCase c;
    c.line = n;
    c.source = line;
    std::istringstream words(data);
    std::string w;
    while (words >> w) {
      if (w == "\xC3\xB7") {  // ÷: a boundary here
        c.breaks.push_back(static_cast<std::uint32_t>(c.text.size()));
      } else if (w != "\xC3\x97") {  // ×: no boundary; anything else is a code point in hex
        char buf[U8_MAX_LENGTH];
        std::int32_t len = 0;
        U8_APPEND_UNSAFE(buf, len, static_cast<UChar32>(std::stoul(w, nullptr, 16)));
        c.text.append(buf, static_cast<std::size_t>(len));
      }
    }
    cases.push_back(std::move(c));
  }
  return cases;
}

}  // namespace lipsteeth::testing
