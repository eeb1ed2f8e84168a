// Tests for the dates an article states outside its format's fields:
// datelines, "Updated:" lines, bylines with dates (analyzers/meta/
// text_headers.cpp), dates in paths and URLs (analyzers/meta/path_dates.cpp),
// and the one decision among them (analyzers/metadata.cpp, decide()).
#include <catch2/catch.hpp>

#include <string>

#include "analyzers/article.h"
#include "analyzers/metadata.h"

using namespace lipsteeth::analyzers;

namespace {

// A paragraph long enough to end an article's top, dated nowhere.
const std::string kBody =
    "The relationship between the two neighbours has weathered many storms, and neither side has shown any wish to "
    "end it, whatever the commentators write; the border trade goes on, and officials keep meeting at the level each "
    "side thinks fitting for the moment at hand.\n";

const Candidate* chosen(const Metadata& m) {
  return m.date_chosen >= 0 ? &m.date_candidates[static_cast<std::size_t>(m.date_chosen)] : nullptr;
}

}  // namespace

TEST_CASE("reads the date a line near the top states, and says which rule found it", "[analyzers][metadata][dates]") {
  struct Case {
    const char* top;    // lines between the title and the body
    const char* date;   // "" = no date
    const char* rule;   // the chosen candidate's rule
  };
  const Case cases[] = {
      {"BEIJING, March 3, 2015 (Xinhua) -- Officials met on Tuesday.", "2015-03-03", "wire-dateline"},
      {"Geneva, 12 June 2019 - The committee met.", "2019-06-12", "wire-dateline"},
      // A dateline without a year states no year: nothing is guessed.
      {"SEOUL, Jan. 13 (Reuters) - Officials met on Tuesday.", "", ""},
      {"Updated: 11:12, 7 February 2014", "2014-02-07", "updated-line"},
      // The publication statement wins over the update on the same line.
      {"Published: 7 February 2014 Updated: 9 February 2014", "2014-02-07", "dateline"},
      {"By Jane Smith, Reuters | Published 4:05 PM ET, Tue March 3, 2015", "2015-03-03", "byline"},
      {"By | May 20, 2012 | No Comments", "2012-05-20", "dateline"},
      // A date in a sentence is a topic, not a dateline.
      {"The talks held in June 2016 achieved little of what either side wanted from them.", "", ""},
  };
  for (const auto& c : cases) {
    INFO(c.top);
    const std::string text = std::string("China warns the North over its tests\n\n") + c.top + "\n\n" + kBody;
    const Metadata m = extract_metadata(text);
    CHECK(m.date == c.date);
    const Candidate* d = chosen(m);
    if (*c.date == '\0') {
      CHECK(d == nullptr);
      CHECK_FALSE(m.year.has_value());
      continue;
    }
    REQUIRE(d != nullptr);
    CHECK(d->rule == c.rule);
    CHECK(d->source == FieldSource::stated);
    // The offset is the line's, in the body.
    CHECK(d->offset == text.find(std::string(c.top).substr(0, 10)));
  }
}

TEST_CASE("a wire dateline's place is never taken as an author", "[analyzers][metadata][dates]") {
  const Metadata m = extract_metadata("Trade resumes across the river\n\nDANDONG, China, May 4, 2018 (Reuters) - " + kBody);
  CHECK(m.authors.empty());
  CHECK(m.date == "2018-05-04");
}

TEST_CASE("reads the date a path or a URL files the article under", "[analyzers][metadata][dates]") {
  struct Case {
    const char* path;
    const char* date;
    const char* field;
  };
  const Case cases[] = {
      {"blog/_posts/2017-09-03-new-test-feared.markdown", "2017-09-03", "2017-09-03-new-test-feared.markdown"},
      {"saved/2016_01_13_talks.txt", "2016-01-13", "2016_01_13_talks.txt"},
      {"exports/20160113-talks.md", "2016-01-13", "20160113-talks.md"},
      {"site/archive/2013/04/17/serious-consequences/index.html", "2013-04-17", "2013/04/17"},
      {"site/2013/04/index.html", "2013-04", "2013/04"},
      {"https://example.org/news/2016/01/13/talks/?page=2", "2016-01-13", "2016/01/13"},
      // No date: a year folder alone, numbers that are no date, an id.
      {"notes/2016/talks.txt", "", ""},
      {"scans/2016-13-45-page.txt", "", ""},
      {"raw/044_0000278282_talks.md", "", ""},
      {"https://example.org/story?date=2016-01-13", "", ""},
  };
  for (const auto& c : cases) {
    INFO(c.path);
    Metadata m;
    add_path_date_candidate(m, c.path);
    if (*c.date == '\0') {
      CHECK(m.date_candidates.empty());
      continue;
    }
    REQUIRE(m.date_candidates.size() == 1);
    CHECK(m.date_candidates[0].value == c.date);
    CHECK(m.date_candidates[0].rule == "path");
    CHECK(m.date_candidates[0].field == c.field);
    CHECK(m.date_candidates[0].rank == rank::kPathDate);
  }
}

TEST_CASE("prefers the article's own date statement over its path's and an update", "[analyzers][metadata][dates]") {
  // A Jekyll post re-filed by a later day: the front matter says when it was
  // published; the path and the update come after it in the precedence.
  const std::string text =
      "---\ntitle: \"Talks at the Border\"\ndate: 2017-08-29 11:51:07 +0000\nlast_modified_at: 2017-09-02\n---\n" +
      kBody;
  const Article a = analyze_article(text, "blog/_posts/2017-08-30-talks-at-the-border.md", "x", AnalyzeOptions{});
  const Metadata& m = a.metadata;
  CHECK(m.date == "2017-08-29");
  const Candidate* d = chosen(m);
  REQUIRE(d != nullptr);
  CHECK(d->rule == "front-matter");
  CHECK(d->field == "date");
  int beaten_path = 0, beaten_update = 0;
  for (const auto& c : m.date_candidates) {
    beaten_path += c.rule == "path" && c.value == "2017-08-30";
    beaten_update += c.value == "2017-09-02" && c.rank == rank::kUpdatedDate;
  }
  CHECK(beaten_path == 1);
  CHECK(beaten_update == 1);
  // Without the front matter's date, the path's is the article's.
  const Article b = analyze_article("---\ntitle: \"Talks at the Border\"\n---\n" + kBody,
                                    "blog/_posts/2017-08-30-talks-at-the-border.md", "x", AnalyzeOptions{});
  CHECK(b.metadata.date == "2017-08-30");
  CHECK(b.metadata.date_source == FieldSource::stated);
}

TEST_CASE("a document's title property its tool filled in gives way to the text's title", "[analyzers][metadata]") {
  struct Case {
    const char* property;
    const char* want;
  };
  const Case cases[] = {
      {"Rail Freight Across the Yalu", "Rail Freight Across the Yalu"},  // the author's: it wins
      {"Microsoft Word - brief_final.docx", "China warns the North over its tests"},
      {"report_v2.pdf", "China warns the North over its tests"},
      {"Untitled document", "China warns the North over its tests"},
  };
  for (const auto& c : cases) {
    INFO(c.property);
    Metadata stated;  // as a container reader passes a PDF's Info or docProps/core.xml
    stated.title = c.property;
    const Metadata m = extract_metadata("China warns the North over its tests\n\n" + kBody, stated);
    CHECK(m.title == c.want);
    REQUIRE(m.title_chosen >= 0);
    CHECK(m.title_candidates[static_cast<std::size_t>(m.title_chosen)].rule ==
          (std::string(c.want) == c.property ? "document-properties" : "first-line"));
  }
}
