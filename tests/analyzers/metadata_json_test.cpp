// Tests for analyzers/meta/json_doc.cpp: JSON documents of stories (a
// scraper's array, JSON Lines, a TimelineJS script) read as their stories'
// text, with the title and date they state and where they state them.
#include <catch2/catch.hpp>

#include <string>

#include "analyzers/decode.h"
#include "analyzers/metadata.h"
#include "tests/test_support.h"

using namespace lipsteeth::analyzers;
using lipsteeth::testing::slurp;

namespace {

const std::string kSource = LIPSTEETH_SOURCE_DIR;
std::string fixture(const std::string& name) { return kSource + "/tests/data/formats/" + name; }

struct Read {
  std::string text;  // the file, decoded
  FormattedText f;
  Metadata m;
};

Read read(const std::string& name) {
  Read r;
  const DecodeResult d = decode(slurp(fixture(name)));
  REQUIRE(d.status == DecodeStatus::ok);
  r.text = d.text;
  r.f = read_format(r.text, format_from_path(name));
  r.m = extract_metadata(r.f.body, r.f.stated);
  return r;
}

const Candidate& chosen_title(const Metadata& m) {
  REQUIRE(m.title_chosen >= 0);
  return m.title_candidates[static_cast<std::size_t>(m.title_chosen)];
}
const Candidate& chosen_date(const Metadata& m) {
  REQUIRE(m.date_chosen >= 0);
  return m.date_candidates[static_cast<std::size_t>(m.date_chosen)];
}

}  // namespace

TEST_CASE("reads a scraper's JSON array as its stories, titled and dated by the first", "[analyzers][metadata][json]") {
  const Read r = read("stories.json");
  CHECK(r.m.title == "Chinese Art Troupe Arrives in Pyongyang for Friendship Week");
  CHECK(r.m.title_source == FieldSource::stated);
  CHECK(r.m.date == "2019-10-06");
  CHECK(r.m.year == 2019);
  CHECK(r.m.year_source == FieldSource::stated);
  const Candidate& t = chosen_title(r.m);
  CHECK(t.rule == "json-story");
  CHECK(t.field == "[0].headline");
  CHECK(t.offset == r.text.find("\"headline\""));
  CHECK(chosen_date(r.m).field == "[0].date");
  // The stories' text, entities decoded, one after the other; no JSON syntax,
  // no keys, no links; an object without a text is no story.
  CHECK(r.f.body.rfind("Chinese Art Troupe Arrives in Pyongyang for Friendship Week\n\nPyongyang, October 6 -- An art "
                       "troupe of the Chinese People's Liberation Army",
                       0) == 0);
  CHECK(r.f.body.find("Border Bridge Reopens to Freight Traffic\n\nSinuiju, October 4") != std::string::npos);
  for (const char* gone : {"\"", "story_text", "topic", "kcmsf", "&apos;", "scraper missed", "{"}) {
    INFO(gone);
    CHECK(r.f.body.find(gone) == std::string::npos);
  }
}

TEST_CASE("reads JSON Lines of stories as records, each line one story", "[analyzers][metadata][json]") {
  const Read r = read("stories_lines.json");
  CHECK(r.m.title == "Trade Fair Opens in Dandong");
  CHECK(r.m.date == "2018-10-13");
  CHECK(chosen_date(r.m).field == "[0].published_at");
  CHECK(chosen_title(r.m).offset == r.text.find("\"title\""));
  CHECK(r.f.body ==
        "Trade Fair Opens in Dandong\n\nDandong, Oct. 13 -- Some 200 companies from both sides of the river opened "
        "their stands on Saturday.\n\nFerry Service Resumes\n\nThe ferry between Nampo and Dalian sailed again after "
        "a two-year pause.\n");
}

TEST_CASE("reads a TimelineJS script: its headline, its slides, a year inferred from its latest event",
          "[analyzers][metadata][json]") {
  const Read r = read("timeline.js");
  CHECK(r.m.title == "Talks on the Peninsula");
  CHECK(chosen_title(r.m).rule == "timeline");
  CHECK(chosen_title(r.m).field == "title.text.headline");
  // Slides are not in date order: the latest of them, never stated, so inferred.
  CHECK(r.m.date == "2018-04-27");
  CHECK(r.m.year == 2018);
  CHECK(r.m.date_source == FieldSource::inferred);
  CHECK(r.m.year_source == FieldSource::inferred);
  CHECK(chosen_date(r.m).rule == "timeline-latest-event");
  CHECK(chosen_date(r.m).note == "latest of 2 dated events");
  // Slide texts are HTML fragments: read as HTML. Commented-out slides and
  // trailing commas (a script, not JSON) do not stop the reading.
  CHECK(r.f.body.find("Summit at Panmunjom\n\nThe leaders of the two Koreas met at the truce village & signed a "
                      "declaration.") != std::string::npos);
  CHECK(r.f.body.find("Kim Jong Un met Xi Jinping in Beijing.") != std::string::npos);
  for (const char* gone : {"<p>", "start_date", "flag.png", "var data"}) {
    INFO(gone);
    CHECK(r.f.body.find(gone) == std::string::npos);
  }
}

TEST_CASE("reads JSON that holds no stories, or is cut short, as plain text", "[analyzers][metadata][json]") {
  struct Case {
    const char* file;
    const char* why;
  };
  const Case cases[] = {
      {"stories_truncated.json", "a cut-off array does not parse: its text is still searchable"},
      {"settings.json", "an object without a story text is no article"},
  };
  for (const auto& c : cases) {
    INFO(c.file << ": " << c.why);
    const Read r = read(c.file);
    CHECK(r.f.body == r.text);
    CHECK(r.f.stated.title_candidates.empty());
    CHECK(r.f.stated.date_candidates.empty());
  }
  // A text that merely opens with a bracket is no JSON.
  const FormattedText f = read_format("[News Today] Talks resume\n\nThe talks resumed on Monday.\n", Format::text);
  CHECK(f.body == "[News Today] Talks resume\n\nThe talks resumed on Monday.\n");
}

TEST_CASE("every truncation of a JSON document, a front matter or a news page still reads",
          "[analyzers][metadata][json]") {
  for (const char* name : {"timeline.js", "stories.json", "stories_lines.json", "wordpress_export.md",
                           "hugo_toml.md", "news_page.html"}) {
    INFO(name);
    const std::string text = slurp(fixture(name));
    const Format format = format_from_path(name);
    for (std::size_t n = 0; n <= text.size(); n += 7) {
      const std::string cut = text.substr(0, n);
      FormattedText f;
      REQUIRE_NOTHROW(f = read_format(cut, format));
      Metadata m;
      REQUIRE_NOTHROW(m = extract_metadata(f.body, f.stated));
      // A chosen candidate is always one of those found.
      CHECK(m.title_chosen < static_cast<int>(m.title_candidates.size()));
      CHECK(m.date_chosen < static_cast<int>(m.date_candidates.size()));
      CHECK(is_valid_utf8(f.body));
    }
  }
}
