// Tests for analyzers/meta/front_matter.cpp: YAML (yaml-cpp) front matter
// of Jekyll and WordPress exports, Hugo's TOML front matter, Pelican and
// MultiMarkdown headers, and YAML that yaml-cpp refuses.
#include <catch2/catch.hpp>

#include <string>

#include "analyzers/metadata.h"
#include "tests/test_support.h"

using namespace lipsteeth::analyzers;
using lipsteeth::testing::slurp;

namespace {

const std::string kSource = LIPSTEETH_SOURCE_DIR;
std::string fixture(const std::string& name) { return kSource + "/tests/data/formats/" + name; }

}  // namespace

TEST_CASE("reads the title and date each kind of header states, and keeps its keys out of the body",
          "[analyzers][metadata][front-matter]") {
  struct Case {
    const char* file;
    const char* title;
    const char* date;
    const char* rule;        // of the chosen date
    const char* date_field;  // the key it was read from
    std::vector<std::string> authors;
    const char* body_starts;  // the body's first words (after blank lines)
    std::vector<const char*> keys;  // never in the body or the title
  };
  const Case cases[] = {
      // Double-quoted with \u and \" escapes; a single-quoted date; post_author is a user id, no name.
      {"wordpress_export.md", "Beijing\u2019s \"Red Line\" on the Peninsula", "2016-01-13", "front-matter", "post_date",
       {}, "After the fourth nuclear test", {"post_", "layout", "publish", "Analysis"}},
      // TOML: a bare date-time, an inline list of authors, a table whose keys are not the page's.
      {"hugo_toml.md", "Rail Freight Across the Yalu", "2019-04-02", "toml-front-matter", "date", {"Lee Min-ho"},
       "Freight trains crossed", {"+++", "lastmod", "draft", "subtitle", "Not a title"}},
      {"pelican.md", "Notes From the Border Markets", "2012-10-03", "text-header", "Date", {"Jane Doe", "Kim Soo-jin"},
       "The markets of Dandong", {"Title:", "Slug", "Summary", "Category"}},
      // yaml-cpp refuses the block (an unquoted "a: b" and an unclosed list): it is read line by line.
      {"jekyll_malformed.md", "Kim in Beijing: The Train Arrives", "2018-03-28", "front-matter", "date", {},
       "The train pulled in", {"layout", "tags", "---"}},
  };
  for (const auto& c : cases) {
    INFO(c.file);
    const std::string text = slurp(fixture(c.file));
    const FormattedText f = read_format(text, format_from_path(c.file));
    const Metadata m = extract_metadata(f.body, f.stated);
    CHECK(m.title == c.title);
    CHECK(m.title_source == FieldSource::stated);
    CHECK(m.date == c.date);
    CHECK(m.date_source == FieldSource::stated);
    CHECK(m.authors == c.authors);
    REQUIRE(m.date_chosen >= 0);
    const Candidate& d = m.date_candidates[static_cast<std::size_t>(m.date_chosen)];
    CHECK(d.rule == c.rule);
    CHECK(d.field == c.date_field);
    // The offset is the key's line in the file.
    CHECK(text.compare(d.offset, d.field.size(), d.field) == 0);
    // A modification date is a candidate too, and loses.
    for (const auto& other : m.date_candidates)
      if (other.value != c.date) CHECK(other.rank == rank::kUpdatedDate);
    // The body is the file's end, byte for byte, without the header.
    REQUIRE(f.body.size() < text.size());
    CHECK(text.substr(text.size() - f.body.size()) == f.body);
    CHECK(f.body.find_first_not_of('\n') == f.body.find(c.body_starts));
    for (const char* k : c.keys) {
      INFO(k);
      CHECK(f.body.find(k) == std::string::npos);
      CHECK(m.title.find(k) == std::string::npos);
    }
  }
}

TEST_CASE("a text whose first lines only look like headers keeps them as text", "[analyzers][metadata][front-matter]") {
  struct Case {
    const char* text;
    const char* why;
  };
  const Case cases[] = {
      {"Note: the talks resumed.\nThey went on all day.\n\nMore text.\n", "no title or date key"},
      {"Title: Talks Resume\nThe delegates met on Monday and talked all day.\n", "no blank line ends the header"},
      {"Kim in Beijing: what the visit means for the region\n\nDate: unknown to all.\n", "a sentence, not a key"},
  };
  for (const auto& c : cases) {
    INFO(c.why);
    const FormattedText f = read_format(c.text, Format::markdown);
    CHECK(f.body == c.text);
    CHECK(f.stated.title_candidates.empty());
    CHECK(f.stated.date_candidates.empty());
  }
}

TEST_CASE("an author key holding a user id, a handle or a placeholder names no author, a map names its person", "[analyzers][metadata][front-matter]") {
  struct Case {
    const char* value;
    std::vector<std::string> want;
  };
  const Case cases[] = {
      {"3", {}},
      {"ama", {}},
      {"massey-university", {}},
      {"{login: jsmith, email: js@example.org, display_name: John Smith}", {"John Smith"}},
      {"{login: jsmith, first_name: John, last_name: Smith}", {"John Smith"}},
      {"[{name: Jane Doe}, {name: Lee Min-ho}]", {"Jane Doe", "Lee Min-ho"}},
      {"jane_doe", {}},
      {"Unknown", {}},
      {"anonymous", {}},
      {"Jane Doe", {"Jane Doe"}},
      {"\"Lee Min-ho\"", {"Lee Min-ho"}},
  };
  for (const auto& c : cases) {
    INFO(c.value);
    const std::string text = std::string("---\ntitle: A Title\nauthor: ") + c.value + "\n---\nBody text.\n";
    const FormattedText f = read_format(text, Format::markdown);
    CHECK(f.stated.authors == c.want);
  }
}
