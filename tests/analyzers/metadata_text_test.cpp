// Tests for titles read from the text itself (analyzers/meta/text_headers.cpp):
// text tokenised for machine-translation corpora, where punctuation and
// clitics stand apart, gets its title as written.
#include <catch2/catch.hpp>

#include <string>

#include "analyzers/metadata.h"

using namespace lipsteeth::analyzers;

TEST_CASE("a tokenised corpus text gets its title as written, an ordinary one is left alone",
          "[analyzers][metadata][text]") {
  // Sentences in the style of a tokenised parallel corpus (Moses escapes and spacing).
  const std::string tokenised_body =
      "BEIJING - Last spring , the border towns were quiet . Traders said business had fallen by half , and few "
      "expected it to return soon .\nOfficials in Dandong did n&apos;t comment , but the city &apos;s markets were "
      "shut for a week .\n";
  struct Case {
    const char* title_line;
    const char* body;
    const char* want;
  };
  const Case cases[] = {
      {"China &apos;s Border Towns Go Quiet", tokenised_body.c_str(), "China's Border Towns Go Quiet"},
      {"Why Beijing Does n't Blink ( Yet )", tokenised_body.c_str(), "Why Beijing Doesn't Blink (Yet)"},
      {"Is the Thaw Over ?", tokenised_body.c_str(), "Is the Thaw Over?"},
      // Ordinary prose: a spaced-out dash or quote in a title stays as written.
      {"Rock 'n' Roll in Pyongyang : A Review", "The band played. Nobody, it seemed, minded. The hall was full.\n",
       "Rock 'n' Roll in Pyongyang : A Review"},
  };
  for (const auto& c : cases) {
    INFO(c.title_line);
    const Metadata m = extract_metadata(std::string(c.title_line) + "\n" + c.body);
    CHECK(m.title == c.want);
    REQUIRE(m.title_chosen >= 0);
    CHECK(m.title_candidates[static_cast<std::size_t>(m.title_chosen)].rule == "first-line");
    CHECK(m.title_candidates[static_cast<std::size_t>(m.title_chosen)].offset == 0);
  }
}
