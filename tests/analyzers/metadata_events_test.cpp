// Tests for analyzers/meta/events.cpp: years inferred from the dated events
// a text refers to, and the table they come from (data/events.tsv's format).
#include <catch2/catch.hpp>

#include <string>

#include "analyzers/error.h"
#include "analyzers/meta/events.h"
#include "analyzers/metadata.h"

using namespace lipsteeth;
using namespace lipsteeth::analyzers;
using namespace lipsteeth::analyzers::meta;

namespace {

// A table of the same format as data/events.tsv, small enough to read here.
const char* kTable =
    "# test events\n"
    "date\tevent\trefers\tsource\n"
    "1945-08-15\tend of World War II\tend of world war ii|end of the second world war\tWikipedia\n"
    "2011-12-17\tdeath of Kim Jong Il\tdeath of kim jong il|kim jong il s death\tWikipedia\n"
    "2013-12-12\texecution of Jang Song-thaek\tjang song thaek + execut\tWikipedia\n"
    "2014-02-17\tUN inquiry report\tunited nations report + human rights\tA/HRC/25/63\n"
    "2014-02-17\tLiu Zhenmin's visit to Pyongyang\tliu zhenmin + pyongyang\tMFA\n"
    "2017-09-03\tsixth nuclear test\tsixth nuclear test\tWikipedia\n";

}  // namespace

TEST_CASE("infers a year from references that place the text in time, never from a passing mention",
          "[analyzers][metadata][events]") {
  const auto events = parse_events(kTable, "test");
  REQUIRE(events.size() == 6);
  struct Case {
    const char* text;
    int year;           // 0 = nothing inferred
    const char* rests;  // part of the note
  };
  const Case cases[] = {
      {"Kim is expected in Moscow this May for the 70th anniversary of the end of World War II.", 2015,
       "the 70th anniversary of end of World War II (1945-08-15)"},
      {"China sent no one to mark the third anniversary of Kim Jong-il’s death.", 2014, "3rd anniversary"},
      {"Beijing rejected last year’s United Nations report on human rights in the North.", 2015, "\"last year\""},
      {"Deputy Foreign Minister Liu Zhenmin has just returned from a visit to Pyongyang.", 2014, "as recent"},
      {"Beijing was unnerved by the December execution of Jang Song-thaek, the leader's uncle.", 2013, "as recent"},
      {"Last December, the world was appalled by the execution of Jang Song-thaek by the regime.", 2014,
       "\"last December\""},
      // Mentions that place nothing: the event named with its year, or in passing.
      {"Jang Song-thaek was executed in December 2013, and the purge went on for a year.", 0, ""},
      {"Since the death of Kim Jong Il, the two capitals have kept their distance from each other.", 0, ""},
      {"The relationship between the two neighbours has weathered many storms, and neither side wants a break.", 0,
       ""},
      // A plain mention of a later event raises the year a placing reference gives.
      {"Liu Zhenmin has just returned from Pyongyang. Nothing changed after the sixth nuclear test either.", 2017,
       "raised to 2017"},
  };
  for (const auto& c : cases) {
    INFO(c.text);
    const auto got = infer_event_year(c.text, events);
    if (c.year == 0) {
      CHECK_FALSE(got.has_value());
      continue;
    }
    REQUIRE(got.has_value());
    CHECK(got->value == std::to_string(c.year));
    CHECK(got->source == FieldSource::inferred);
    CHECK(got->rule == "event-year");
    CHECK(got->rank == rank::kEventYear);
    CHECK(got->note.find(c.rests) != std::string::npos);
  }
}

TEST_CASE("an inferred year never beats a stated date, and says where it rests", "[analyzers][metadata][events]") {
  // The bundled table (data/events.tsv) is what extraction uses.
  REQUIRE_FALSE(default_events().empty());
  const std::string undated =
      "Pyongyang Keeps Its Distance\n\nThe talks planned for the 70th anniversary of the end of World War II came "
      "to nothing, and the two capitals went back to the silence that has marked their relations for years now.\n";
  const Metadata m = extract_metadata(undated);
  CHECK(m.year == 2015);
  CHECK(m.year_source == FieldSource::inferred);
  CHECK(m.date_source == FieldSource::inferred);
  REQUIRE(m.date_chosen >= 0);
  const Candidate& c = m.date_candidates[static_cast<std::size_t>(m.date_chosen)];
  CHECK(c.rule == "event-year");
  CHECK(c.offset == undated.find("The talks"));
  // The same text with a dateline: the statement wins and nothing is inferred.
  const Metadata dated = extract_metadata("Pyongyang Keeps Its Distance\n\nPublished: 3 May 2016\n\n" + undated.substr(30));
  CHECK(dated.date == "2016-05-03");
  CHECK(dated.date_source == FieldSource::stated);
  for (const auto& d : dated.date_candidates) CHECK(d.rule != "event-year");
}

TEST_CASE("refuses a malformed table of events with the line at fault", "[analyzers][metadata][events]") {
  struct Case {
    const char* tsv;
    const char* message;
  };
  const Case cases[] = {
      {"date\tevent\trefers\n2013-12\tan event\n", "test:2: expected date<TAB>event<TAB>refers"},
      {"date\tevent\trefers\nDecember 2013\tan event\tsome words\n", "test:2: 'December 2013' is no date"},
      {"2013-12-12\t\tsome words\n", "test:1: empty event name"},
      {"2013-12-12\tan event\t | \n", "test:1: no way to refer to the event"},
  };
  for (const auto& c : cases) {
    INFO(c.tsv);
    try {
      parse_events(c.tsv, "test");
      FAIL("no error");
    } catch (const InputError& e) {
      CHECK(std::string(e.what()).rfind(c.message, 0) == 0);
    }
  }
  // Comments, blank lines, CRLF and a missing header are fine.
  const auto ok = parse_events("# c\r\n\r\n2013-12-12\tan event\tsome + words|other\r\n", "test");
  REQUIRE(ok.size() == 1);
  CHECK(ok[0].date.y == 2013);
  CHECK(ok[0].refers.size() == 2);
  CHECK(ok[0].refers[0] == std::vector<std::string>{" some", " words"});  // each must start a word
}
