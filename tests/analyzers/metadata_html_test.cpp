// Tests for analyzers/meta/html.cpp: saved news pages and server pages read
// through libxml2's HTML parser: the title and date each page states, with
// their provenance, and the article text without the page's furniture.
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
  std::string text;
  FormattedText f;
  Metadata m;
};

Read read(const std::string& name) {
  Read r;
  r.text = slurp(fixture(name));
  r.f = read_format(r.text, format_from_path(name));
  r.m = extract_metadata(r.f.body, r.f.stated);
  return r;
}

const Candidate& chosen(const std::vector<Candidate>& cs, int i) {
  REQUIRE(i >= 0);
  return cs[static_cast<std::size_t>(i)];
}

int count_rule(const std::vector<Candidate>& cs, const std::string& rule, const std::string& field) {
  int n = 0;
  for (const auto& c : cs) n += c.rule == rule && c.field == field;
  return n;
}

}  // namespace

TEST_CASE("reads a saved news page: og:title, published time, site name, entities decoded",
          "[analyzers][metadata][html]") {
  const Read r = read("news_page.html");
  CHECK(r.m.title == "China's envoy meets Kim in Pyongyang & talks trade");
  const Candidate& t = chosen(r.m.title_candidates, r.m.title_chosen);
  CHECK(t.rule == "html-meta");
  CHECK(t.field == "og:title");
  CHECK(t.offset == r.text.find("<meta property=\"og:title\""));
  // Every other statement of the title was found and beaten, none with an
  // entity left in it or the site's suffix.
  for (const auto& c : r.m.title_candidates) {
    INFO(c.rule << " " << c.field);
    CHECK(c.value == r.m.title);
  }
  CHECK(count_rule(r.m.title_candidates, "html-title", "<title>") == 1);
  CHECK(count_rule(r.m.title_candidates, "json-ld", "NewsArticle.headline") == 1);
  CHECK(count_rule(r.m.title_candidates, "html-h1", "<h1>") == 1);
  CHECK(r.m.outlet == "Example Wire");
  CHECK(r.m.url == "https://wire.example.com/world/asia/2019/06/21/china-envoy-kim/");
  CHECK(r.m.authors == std::vector<std::string>{"Jane Smith"});
  // The publication date, not the modification nor the date the text cites.
  CHECK(r.m.date == "2019-06-21");
  CHECK(r.m.date_source == FieldSource::stated);
  const Candidate& d = chosen(r.m.date_candidates, r.m.date_chosen);
  CHECK(d.field == "article:published_time");
  CHECK(count_rule(r.m.date_candidates, "json-ld", "NewsArticle.datePublished") == 1);
  CHECK(count_rule(r.m.date_candidates, "json-ld", "NewsArticle.dateModified") == 1);
  CHECK(count_rule(r.m.date_candidates, "html-time", "<time pubdate>") == 1);
  CHECK(count_rule(r.m.date_candidates, "url", "2019/06/21") == 1);
  for (const auto& c : r.m.date_candidates)
    if (c.field == "article:modified_time" || c.field == "NewsArticle.dateModified") CHECK(c.rank == rank::kUpdatedDate);
  // The article's text, and nothing of the page around it.
  CHECK(r.f.body.rfind("China's envoy meets Kim in Pyongyang & talks trade\n\nBy Jane Smith \u00B7 June 21, 2019\n\n"
                       "PYONGYANG, June 21 (Example Wire) - A senior Chinese envoy",
                       0) == 0);
  CHECK(r.f.body.find("The envoy\u2019s visit follows the talks of June 12, 2018 in Singapore") != std::string::npos);
  for (const char* gone : {"Skip to content", "Home", "Share on Facebook", "Related", "trade figures fall",
                           "comments", "reader's comment", "All rights reserved", "commented-out", "dataLayer",
                           "color", "NewsArticle", "&amp;", "&#x27;"}) {
    INFO(gone);
    CHECK(r.f.body.find(gone) == std::string::npos);
  }
}

TEST_CASE("reads a server page behind a PHP preamble: no server code, the wire dateline's date",
          "[analyzers][metadata][html]") {
  REQUIRE(format_from_path("news_current.php") == Format::html);
  const Read r = read("server_page.php");
  CHECK(r.m.title == "Border Trade Resumes After Three-Year Pause");
  CHECK(r.m.date == "2023-08-22");
  const Candidate& d = chosen(r.m.date_candidates, r.m.date_chosen);
  CHECK(d.rule == "wire-dateline");
  CHECK(d.offset == r.f.body.find("DANDONG"));
  // "DANDONG, China" is a place, and "Staff Writer" no name.
  CHECK(r.m.authors.empty());
  for (const char* gone : {"<?php", "include", "$page_title", "header.php", "footer.php", "Blog Area"}) {
    INFO(gone);
    CHECK(r.f.body.find(gone) == std::string::npos);
  }
  CHECK(r.f.body.find("DANDONG, China, Aug. 22, 2023 (AP) \u2014 Trucks crossed") != std::string::npos);
}

TEST_CASE("splits a site name off a page title and keeps it as the outlet", "[analyzers][metadata][html]") {
  struct Case {
    const char* title;   // the <title> as written
    const char* want;    // the title read
    const char* outlet;  // "" = none
  };
  const Case cases[] = {
      {"Talks resume in Beijing \u2013 CBS News", "Talks resume in Beijing", "CBS News"},
      {"China and North Korea sign a trade pact | Reuters", "China and North Korea sign a trade pact", "Reuters"},
      {"Beijing's patience wears thin - The Diplomat", "Beijing's patience wears thin", "The Diplomat"},
      // A dash inside the title is no suffix: what follows is a clause, not a site.
      {"Kim meets Xi - and what it means for the sanctions regime now?", "Kim meets Xi - and what it means for the "
                                                                         "sanctions regime now?", ""},
      // Too short before the separator to be a title with a suffix.
      {"Opinion | Asia", "Opinion | Asia", ""},
  };
  for (const auto& c : cases) {
    INFO(c.title);
    const std::string page = std::string("<html><head><title>") + c.title +
                             "</title></head><body><p>The text of the article, long enough to be one.</p></body></html>";
    const FormattedText f = read_format(page, Format::html);
    CHECK(f.stated.title == c.want);
    CHECK(f.stated.outlet == c.outlet);
    const Candidate& t = chosen(f.stated.title_candidates, f.stated.title_chosen);
    CHECK(t.rule == "html-title");
    CHECK(t.field == "<title>");
  }
}

TEST_CASE("reads JSON-LD dates and ignores a malformed JSON-LD block", "[analyzers][metadata][html]") {
  const std::string good =
      "<html><head><script type=\"application/ld+json\">[{\"@type\":[\"NewsArticle\"],\"headline\":\"Rail link "
      "reopens\",\"datePublished\":\"2020-01-05\"}]</script></head><body><p>Body.</p></body></html>";
  const FormattedText g = read_format(good, Format::html);
  CHECK(g.stated.title == "Rail link reopens");
  CHECK(g.stated.authors.empty());
  CHECK(g.stated.date == "2020-01-05");
  CHECK(chosen(g.stated.date_candidates, g.stated.date_chosen).field == "NewsArticle.datePublished");
  const std::string bad =
      "<html><head><title>Rail link reopens</title><script type=\"application/ld+json\">{\"@type\":\"NewsArticle\","
      "\"datePublished\":</script><meta name=\"date\" content=\"2020-01-06\"></head><body><p>Body.</p></body></html>";
  const FormattedText b = read_format(bad, Format::html);
  CHECK(b.stated.title == "Rail link reopens");
  CHECK(b.stated.date == "2020-01-06");
  CHECK(chosen(b.stated.date_candidates, b.stated.date_chosen).field == "date");
  CHECK(b.body == "Body.\n");
}

TEST_CASE("a site name in og:title and a section left in <title> are cut off", "[analyzers][metadata][html]") {
  const std::string page =
      "<html><head><title>Rail link to Pyongyang reopens - Asia - Example Wire</title>"
      "<meta property=\"og:site_name\" content=\"Example Wire\">"
      "<meta property=\"og:title\" content=\"Rail link to Pyongyang reopens | Example Wire\"></head>"
      "<body><h1>Rail link to Pyongyang reopens</h1><p>Trains ran again on Monday.</p></body></html>";
  const FormattedText f = read_format(page, Format::html);
  CHECK(f.stated.title == "Rail link to Pyongyang reopens");
  CHECK(f.stated.outlet == "Example Wire");
  for (const auto& c : f.stated.title_candidates) {
    INFO(c.rule << " " << c.field);
    CHECK(c.value == "Rail link to Pyongyang reopens");
  }
  // An <h1> that is the site's logo, not the title, cuts nothing.
  const std::string logo =
      "<html><head><title>Rail link to Pyongyang reopens | Example Wire</title></head>"
      "<body><h1>Example Wire</h1><p>Trains ran again on Monday.</p></body></html>";
  CHECK(read_format(logo, Format::html).stated.title == "Rail link to Pyongyang reopens");
}

TEST_CASE("reads JSON-LD authors: names, not organisations", "[analyzers][metadata][html]") {
  const std::string page =
      "<html><head><script type=\"application/ld+json\">{\"@type\":\"NewsArticle\",\"headline\":\"Rail link "
      "reopens\",\"author\":[{\"@type\":\"Person\",\"name\":\"Lee Min-ho\"},\"Jane Doe\",{\"@type\":"
      "\"Organization\",\"name\":\"Example Wire\"}]}</script></head><body><p>Body.</p></body></html>";
  CHECK(read_format(page, Format::html).stated.authors == std::vector<std::string>{"Lee Min-ho", "Jane Doe"});
}
