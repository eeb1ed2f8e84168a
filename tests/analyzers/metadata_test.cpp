// Metadata: the five bundled articles (with and without their sidecar), the
// date lines, bylines and boilerplate real articles carry, Markdown front
// matter, HTML (well-formed and damaged), and the sidecar format.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <unistd.h>

#include "analyzers/decode.h"
#include "analyzers/error.h"
#include "analyzers/metadata.h"
#include "tests/test_support.h"

using namespace lipsteeth;
using namespace lipsteeth::analyzers;
namespace fs = std::filesystem;

namespace {

const std::string kSource = LIPSTEETH_SOURCE_DIR;

using lipsteeth::testing::slurp;

// What the pipeline does before splitting passages: decode, read the format
// the file name says, extract.
Metadata metadata_of(const std::string& path) {
  const DecodeResult d = decode(slurp(path));
  REQUIRE(d.status == DecodeStatus::ok);
  FormattedText f = read_format(d.text, format_from_path(path));
  return extract_metadata(f.body, f.stated);
}

std::string corpus(const std::string& name) { return kSource + "/corpus/" + name; }
std::string fixture(const std::string& name) { return kSource + "/tests/data/formats/" + name; }

// A short article around `top_lines`: a title, the given lines, then a
// paragraph of body text long enough to end the "top" and dated nowhere.
std::string article_with(const std::string& top_lines, const std::string& lede = {}) {
  std::string body =
      lede.empty() ? "The relationship between the two neighbours has weathered many storms, and neither side has "
                     "shown any wish to end it, whatever the commentators write; the border trade goes on, and "
                     "officials keep meeting at the level each side thinks fitting for the moment at hand."
                   : lede;
  return "The Real Title of the Piece\n\n" + top_lines + "\n\n" + body + "\n";
}

struct Expected {
  std::string file, title, date;
  std::optional<int> year;
  std::vector<std::string> authors;
  FieldSource date_source, authors_source;
};

}  // namespace

TEST_CASE("extracts title, date, year and authors of the five bundled articles with their sources",
          "[analyzers][metadata]") {
  const std::vector<Expected> cases{
      {"000_8fe11e022d0b9062.txt", "Delegations Galore: Signs of a Continuing Rift in Sino-NK Relations", "2012-05-20",
       2012, {"Brian Gleason"}, FieldSource::stated, FieldSource::stated},
      {"001_3787f9e5d4cdb258.txt", "A Subtle Thaw in China-North Korea Relations", "2016-06-02", 2016,
       {"Chen Qi", "Jin Feng"}, FieldSource::stated, FieldSource::stated},
      // No date and no author anywhere in the text: the year is inferred from
      // the events it refers to ("the 70th anniversary of the end of World
      // War II", "last year's United Nations report"), never stated; the
      // years it mentions in passing (2011, 2013) are not taken.
      {"002_4385b82e47fa7daf.txt", "North Korea’s Evolving Relations With China", "2015", 2015, {},
       FieldSource::inferred, FieldSource::unknown},
      {"003_d673819c6f11a063.txt", "Beijing’s North Korea Policy in 2016: Keep Calm and Carry On", "2016-09-05", 2016,
       {"Adam Cathcart"}, FieldSource::stated, FieldSource::stated},
      // Inferred: Liu Zhenmin "has just returned" from Pyongyang (February 2014).
      {"004_1e77538f18e764bb.txt", "Are Chinese–North Korean Ties Starting to Fray?", "2014", 2014, {},
       FieldSource::inferred, FieldSource::unknown},
  };
  for (const auto& c : cases) {
    INFO(c.file);
    const Metadata m = metadata_of(corpus(c.file));
    CHECK(m.title == c.title);
    CHECK(m.title_source == FieldSource::stated);
    CHECK(m.date == c.date);
    CHECK(m.date_source == c.date_source);
    CHECK(m.year == c.year);
    CHECK(m.year_source == c.date_source);
    CHECK(m.authors == c.authors);
    CHECK(m.authors_source == c.authors_source);
    if (c.date_source == FieldSource::inferred) {
      REQUIRE(m.date_chosen >= 0);
      const Candidate& d = m.date_candidates[static_cast<std::size_t>(m.date_chosen)];
      CHECK(d.rule == "event-year");
      CHECK(d.note.rfind("rests on: ", 0) == 0);
    }
  }
}

TEST_CASE("the corpus sidecar says only what no bundled text states", "[analyzers][metadata][sidecar]") {
  const std::string sc = corpus(kSidecarName);
  REQUIRE(locate_sidecar(corpus("000_8fe11e022d0b9062.txt")) == fs::path(sc).lexically_normal().string());
  const auto entries = load_sidecar(sc);
  // Titles and dates come from the texts: one line, an author no text names.
  REQUIRE(entries.size() == 1);
  for (const char* f : {"000_8fe11e022d0b9062.txt", "001_3787f9e5d4cdb258.txt", "002_4385b82e47fa7daf.txt",
                        "003_d673819c6f11a063.txt"}) {
    INFO(f);
    CHECK(find_sidecar_entry(entries, sidecar_relative_path(sc, corpus(f))) == nullptr);
  }
  Metadata m = metadata_of(corpus("004_1e77538f18e764bb.txt"));
  const SidecarEntry* e = find_sidecar_entry(entries, sidecar_relative_path(sc, corpus("004_1e77538f18e764bb.txt")));
  REQUIRE(e != nullptr);
  apply_sidecar(m, *e);
  CHECK(m.authors == std::vector<std::string>{"Gordon G. Chang"});
  CHECK(m.authors_source == FieldSource::sidecar);
  // Empty cells keep what extraction found.
  CHECK(m.title == "Are Chinese–North Korean Ties Starting to Fray?");
  CHECK(m.title_source == FieldSource::stated);
  CHECK(m.year == 2014);
  CHECK(m.year_source == FieldSource::inferred);
}

TEST_CASE("recognises the date lines articles carry", "[analyzers][metadata]") {
  struct Case {
    std::string line, date;
  };
  const std::vector<Case> cases{
      {"By | May 20, 2012 | No Comments", "2012-05-20"},
      {"\u00A0on June 2, 2016", "2016-06-02"},
      {"RUSI Newsbrief, 5 September 2016", "2016-09-05"},
      {"2016-06-02", "2016-06-02"},
      {"June 2016", "2016-06"},
      {"Posted on Monday, May 20, 2012 by admin", "2012-05-20"},
      {"Published: Sept. 5th, 2016", "2016-09-05"},
      {"THU 2 June 2016", "2016-06-02"},
      {"Updated 3 March 2015", "2015-03-03"},
      {"By Brian Gleason | May 20, 2012", "2012-05-20"},
      {"2016-06-02T08:15:00Z", "2016-06-02"},
      {"DECEMBER 14, 2015", "2015-12-14"},
      // Not datelines: a year or month named in a heading or a sentence.
      {"China-North Korea Relations in 2009", ""},
      {"The June 2016 Meeting", ""},
      {"A June 2016 meeting between Xi Jinping and North Korean government officials shows that relations are "
       "warming between the two nations.",
       ""},
      {"Back in 2011, Victor Cha proposed a new formula.", ""},
      {"Since May 2013 the two sides have not met", ""},
      {"February 30, 2016", ""},
      {"The 2015-16 winter", ""},
      {"we may 20 2012", ""},
  };
  for (const auto& c : cases) {
    INFO(c.line);
    const Metadata m = extract_metadata(article_with(c.line));
    CHECK(m.date == c.date);
    if (c.date.empty()) {
      CHECK_FALSE(m.year.has_value());
      CHECK(m.date_source == FieldSource::unknown);
      CHECK(m.year_source == FieldSource::unknown);
    } else {
      CHECK(m.year == std::stoi(c.date.substr(0, 4)));
      CHECK(m.date_source == FieldSource::stated);
      CHECK(m.year_source == FieldSource::stated);
    }
    // Whatever the line is, the title above it stays the title.
    CHECK(m.title == "The Real Title of the Piece");
  }
}

TEST_CASE("finds the byline and dateline under a long standfirst", "[analyzers][metadata]") {
  const std::string standfirst =
      "Yet some must have survived, because the old interest in number symbolism, divination and magic persisted "
      "into the dynasty that reunited the country, and the standfirst of this piece runs on for well over two hundred "
      "and fifty bytes before the byline and the date that follow it.";
  const std::string body =
      "Not all recent writing on the peninsula is gloomy, for the optimistic strain is still very much alive in "
      "the reports from the border towns, as we have seen, and in many other recent pieces, which mention 2009 and "
      "2011 and the talks of 2003 in passing without any of those years being the date of this article.";
  const Metadata m =
      extract_metadata("Pyongyang and China: What Comes Next\n" + standfirst + "\n\nby Yun Abrahamian\nMarch 14, "
                       "2010\n\n" + body + "\n");
  CHECK(m.title == "Pyongyang and China: What Comes Next");
  CHECK(m.date == "2010-03-14");
  CHECK(m.authors == std::vector<std::string>{"Yun Abrahamian"});
  // Only under a standfirst: a date line after the first body paragraph is not a dateline.
  const Metadata later = extract_metadata("Pyongyang and China: What Comes Next\n\nby Yun Abrahamian\n\n" + body +
                                          "\n\nMarch 14, 2010\n\n" + body + "\n");
  CHECK(later.date.empty());
  CHECK_FALSE(later.year.has_value());
}

TEST_CASE("a title that starts with 'By' is a title, not a byline", "[analyzers][metadata]") {
  const Metadata m = extract_metadata(
      "By Image Is Meant Not Only A Visual Presentation, But Also Remembered\n\nby Fiona Tanaka\non February 13, "
      "2013\n");
  CHECK(m.title == "By Image Is Meant Not Only A Visual Presentation, But Also Remembered");
  CHECK(m.authors == std::vector<std::string>{"Fiona Tanaka"});
  CHECK(m.date == "2013-02-13");
}

TEST_CASE("prefers the publication date to an update date", "[analyzers][metadata]") {
  const Metadata m = extract_metadata(article_with("Updated 3 March 2015\nPublished 1 March 2015"));
  CHECK(m.date == "2015-03-01");
}

TEST_CASE("finds a publication note further down when the top has no date", "[analyzers][metadata]") {
  const Metadata m =
      extract_metadata(article_with("", "") + "\nThis article was first published on June 2, 2016 by the center.\n");
  CHECK(m.date == "2016-06-02");
  CHECK(m.date_source == FieldSource::stated);
}

TEST_CASE("a sentence that mentions a dated thing is no publication note", "[analyzers][metadata]") {
  const Metadata m = extract_metadata(article_with("", "") +
                                      "\n\"Seeing The Moon Rise\" is dated August, 1927.\n\nIt was posted to him on "
                                      "May 3, 1930.\n");
  CHECK(m.date.empty());
  CHECK_FALSE(m.year.has_value());
  CHECK(extract_metadata(article_with("", "") + "\nPublished: 4 May 2019\n").date == "2019-05-04");
  CHECK(extract_metadata(article_with("", "") + "\nOriginally posted May 20, 2012.\n").date == "2012-05-20");
}

TEST_CASE("infers a date only from a lede that opens with it, and marks it inferred", "[analyzers][metadata]") {
  const std::string tail =
      " the Xinhua News Agency issued a press release about a meeting between the General Secretary and a "
      "delegation from Pyongyang, which had travelled to Beijing by train for talks on the peninsula, on trade, "
      "and on the border.";
  struct Case {
    std::string lede, date;
  };
  const std::vector<Case> cases{
      {"In early June 2016," + tail, "2016-06"},
      {"On May 31, 2016," + tail, "2016-05-31"},
      {"In late 2016," + tail, ""},                     // a year alone is no date
      {"In 2013, when Pyongyang tested," + tail, ""},  // nor a year in passing
      {"After talks that began in June 2016," + tail, ""},
  };
  for (const auto& c : cases) {
    INFO(c.lede);
    const Metadata m = extract_metadata("A Title for the Test\n\n" + c.lede + "\n");
    CHECK(m.date == c.date);
    if (c.date.empty()) {
      CHECK_FALSE(m.year.has_value());
      CHECK(m.year_source == FieldSource::unknown);
    } else {
      CHECK(m.date_source == FieldSource::inferred);
      CHECK(m.year == std::stoi(c.date.substr(0, 4)));
      CHECK(m.year_source == FieldSource::inferred);
    }
  }
}

TEST_CASE("an article with no date anywhere has year unknown", "[analyzers][metadata]") {
  const Metadata m = extract_metadata(
      "Why the Border Matters\n\nThe border between China and North Korea runs for 1,400 km along two rivers. Back in "
      "2011 trade was a fraction of what it became, and by 2013 new bridges were planned; in 2016 sanctions changed "
      "the picture again, and the 38th parallel is as far away as ever from the Yalu and the Tumen.\n");
  CHECK(m.date.empty());
  CHECK_FALSE(m.year.has_value());
  CHECK(m.date_source == FieldSource::unknown);
  CHECK(m.year_source == FieldSource::unknown);
  CHECK(std::string(to_string(m.year_source)) == "unknown");
}

TEST_CASE("skips boilerplate lines before the title", "[analyzers][metadata]") {
  const std::vector<std::string> furniture{
      "in the media", "You are here", "Skip to main content", "Home » Asia", "Home > Analysis",
      "Analysis",     "Commentary",   "OPINION",              "Menu",         "By | May 20, 2012 | No Comments",
      "Asia",         "Diplomacy",    "Home",
      "The relationship between China and North Korea is persevering despite anger in Beijing over "
      "Pyongyang’s nuclear tests. Image courtesy of Roman Harak/Wikimedia.",
  };
  for (const auto& f : furniture) {
    INFO(f);
    const Metadata m = extract_metadata(f + "\n\nKeep Calm and Carry On: Beijing and Pyongyang\n\nAdam Cathcart\n");
    CHECK(m.title == "Keep Calm and Carry On: Beijing and Pyongyang");
    CHECK(m.title_source == FieldSource::stated);
  }
  // All of them in a row, as a page saved from a browser can have.
  std::string all;
  for (const auto& f : furniture) all += f + "\n";
  CHECK(extract_metadata(all + "\nThe Title\n").title == "The Title");
  // A one-word line is the title only when nothing else qualifies.
  CHECK(extract_metadata("Agriculture\n\n28 February 2021\n").title == "Agriculture");
  // Nothing but furniture: no title rather than a wrong one.
  const Metadata none = extract_metadata("You are here\n\nSkip to main content\n");
  CHECK(none.title.empty());
  CHECK(none.title_source == FieldSource::unknown);
}

TEST_CASE("finds authors in bylines, name lines and signatures", "[analyzers][metadata]") {
  struct Case {
    std::string text;
    std::vector<std::string> authors;
  };
  const std::string para =
      "Applying metaphors to Beijing’s relationship with North Korea is a difficult business. In recent years, "
      "China’s old bonds of brotherhood with North Korea have given way to a wary and often openly sceptical "
      "mutual outlook between the two capitals.";
  const std::vector<Case> cases{
      {"Title Line Here\n\nby Brian Gleason\n\n" + para, {"Brian Gleason"}},
      {"Title Line Here\n\nby\u00A0Chen Qi and\u00A0Jin Feng\npublished by\nTHU 27 Center\n\n" + para,
       {"Chen Qi", "Jin Feng"}},
      {"Title Line Here\n\nBy John Smith, Reuters\n\n" + para, {"John Smith"}},
      {"Title Line Here\n\nWritten by Hyeonseo Lee and Gordon G. Chang | June 2, 2016\n\n" + para,
       {"Hyeonseo Lee", "Gordon G. Chang"}},
      {"Title Line Here\n\nAdam Cathcart\nRUSI Newsbrief, 5 September 2016\n\n" + para, {"Adam Cathcart"}},
      {"Title Line Here\n\n" + para +
           "\n\nJin Feng is a post-doctorate assistant researcher at Tsinghua University’s Center for U.S.-China "
           "Relations.\n\nThis article was first published in Chinese.\n",
       {"Jin Feng"}},
      {"Title Line Here\n\n" + para + "\n\nAdam Cathcart\nLecturer in Chinese History at the University of Leeds.\n\n"
                                      "Support Rusi Research\n\nSubscribe to our Newsletter\n",
       {"Adam Cathcart"}},
      // Not authors: a place under the title, a sentence about a leader at the end.
      {"Title Line Here\n\nNorth Korea\n\n" + para, {}},
      {"Title Line Here\n\n" + para + "\n\nKim Jong-un is surrounded by old men.\n", {}},
      {"Title Line Here\n\npublished by\nTHU 27 Center\n\n" + para, {}},
  };
  for (const auto& c : cases) {
    INFO(c.text);
    const Metadata m = extract_metadata(c.text);
    CHECK(m.authors == c.authors);
    CHECK(m.authors_source == (c.authors.empty() ? FieldSource::unknown : FieldSource::stated));
  }
}

TEST_CASE("keeps what the format stated over what extraction finds", "[analyzers][metadata]") {
  Metadata stated;
  stated.title = "Stated Title";
  stated.title_source = FieldSource::stated;
  stated.authors = {"Jane Doe"};
  stated.authors_source = FieldSource::stated;
  const Metadata m = extract_metadata(article_with("by Brian Gleason\nMay 20, 2012"), stated);
  CHECK(m.title == "Stated Title");
  CHECK(m.authors == std::vector<std::string>{"Jane Doe"});
  CHECK(m.date == "2012-05-20");  // not stated by the format: extracted

  // A stated date that is no date gives no date and no year rather than an
  // error: Metadata::date holds an ISO 8601 date or nothing.
  Metadata junk;
  junk.date = "sometime";
  junk.date_source = FieldSource::stated;
  const Metadata j = extract_metadata("A Title Here\n", junk);
  CHECK(j.date.empty());
  CHECK_FALSE(j.year.has_value());
  CHECK(j.year_source == FieldSource::unknown);
}

TEST_CASE("reads Markdown front matter", "[analyzers][metadata][formats]") {
  SECTION("block list of authors, ISO date, description and url") {
    const std::string text = slurp(fixture("front_matter.md"));
    const FormattedText f = read_format(text, format_from_path("x/front_matter.md"));
    CHECK(f.stated.title == "Kim Jong-un's First Trip Abroad: Beijing");
    CHECK(f.stated.date == "2018-03-28");
    CHECK(f.stated.authors == std::vector<std::string>{"Jane Doe", "Lee Min-ho"});
    CHECK(f.stated.description == "A surprise visit by train.");
    CHECK(f.stated.url == "https://example.org/kim-beijing");
    // The body is what follows the closing line, byte for byte.
    REQUIRE(f.body.size() < text.size());
    CHECK(text.substr(text.size() - f.body.size()) == f.body);
    CHECK(f.body.find("title:") == std::string::npos);
    const Metadata m = extract_metadata(f.body, f.stated);
    CHECK(m.title_source == FieldSource::stated);
    CHECK(m.year == 2018);  // from the front matter, not "March 25, 2018" or "2011" in the text
    CHECK(m.year_source == FieldSource::stated);
    CHECK(m.authors_source == FieldSource::stated);
  }
  SECTION("quoted values, a written-out date and an 'and' list of authors") {
    const Metadata m = metadata_of(fixture("front_matter_inline.md"));
    CHECK(m.title == "A Subtle Thaw: China and the DPRK");
    CHECK(m.date == "2016-06-02");
    CHECK(m.authors == std::vector<std::string>{"Chen Qi", "Jin Feng"});
  }
  SECTION("front matter with a date only: title and byline come from the body") {
    const Metadata m = metadata_of(fixture("front_matter_partial.md"));
    CHECK(m.title == "Are Chinese–North Korean Ties Starting to Fray?");
    CHECK(m.date == "2014-02");
    CHECK(m.year == 2014);
    CHECK(m.authors == std::vector<std::string>{"Gordon G. Chang"});
  }
  SECTION("front matter that never closes is body text") {
    const std::string text = slurp(fixture("unclosed_front_matter.md"));
    const FormattedText f = read_format(text, Format::markdown);
    CHECK(f.body == text);
    CHECK(f.stated.title.empty());
    CHECK(f.stated.title_source == FieldSource::unknown);
  }
}

TEST_CASE("reads HTML: title, meta tags and the body text without markup", "[analyzers][metadata][formats]") {
  const std::string text = slurp(fixture("article.html"));
  REQUIRE(format_from_path("a/b/article.HTML") == Format::html);
  const FormattedText f = read_format(text, Format::html);
  // <title> without the site's suffix; meta tags.
  CHECK(f.stated.title == "Delegations Galore: Signs of a Continuing Rift in Sino-NK Relations");
  CHECK(f.stated.authors == std::vector<std::string>{"Brian Gleason"});
  CHECK(f.stated.date == "2012-05-20");
  CHECK(f.stated.year == 2012);
  CHECK(f.stated.description == "Beijing’s irritation with Pyongyang after the failed April launch.");
  CHECK(f.stated.url == "https://sinonk.com/2012/05/20/delegations-galore/");
  // No markup, script, style, navigation or comment survives.
  for (const char* gone : {"<p", "</", "<a ", "<br", "not article text", "late script", "styled", "color", "Skip to main content",
                           "commented-out", "text/javascript"}) {
    INFO(gone);
    CHECK(f.body.find(gone) == std::string::npos);
  }
  // Entities are decoded; block elements become paragraphs, <br> a line break.
  CHECK(f.body.find("North Korea’s relentless\npursuit") == std::string::npos);
  CHECK(f.body.find("North Korea’s relentless pursuit of nuclear weapons") != std::string::npos);
  CHECK(f.body.find("“satellite launches”") != std::string::npos);
  CHECK(f.body.find("Workers’ Party, Kim Yong-il, to Beijing — a\u00A0high-level dialogue.\nHu Jintao also met the "
                    "delegation & its leader.") != std::string::npos);
  CHECK(f.body.find("toll on the relationship.\n\nEight days after") != std::string::npos);
  CHECK(f.body.find("\n\nReading Between the Lines\n\nYomiuri Shimbun\n\nDaily NK\n\n") != std::string::npos);
  // Unknown entities stay as written; &#0; (no character) is dropped by the
  // parser; &#150; is windows-1252's en dash, as HTML5 reads it.
  CHECK(f.body.find("Tom & Jerry; AT&T; 5 < 6; &unknown; \u2013") != std::string::npos);
  CHECK(f.body.find("\n\n\n") == std::string::npos);
  CHECK(is_valid_utf8(f.body));
  const Metadata m = extract_metadata(f.body, f.stated);
  CHECK(m.title_source == FieldSource::stated);
  CHECK(m.date_source == FieldSource::stated);
}

TEST_CASE("reads HTML without a head: the body's own title, name line and dateline", "[analyzers][metadata][formats]") {
  const Metadata m = metadata_of(fixture("no_head.html"));
  CHECK(m.title == "Beijing’s North Korea Policy in 2016: Keep Calm and Carry On");
  CHECK(m.authors == std::vector<std::string>{"Adam Cathcart"});
  // The dateline, not the <time> of an event the text mentions.
  CHECK(m.date == "2016-09-05");
}

TEST_CASE("reads a web page saved as .txt as HTML", "[analyzers][metadata][formats]") {
  const std::string text = slurp(fixture("article.html"));
  const FormattedText f = read_format(text, format_from_path("saved.txt"));
  CHECK(f.body.find("<p>") == std::string::npos);
  CHECK(f.stated.authors == std::vector<std::string>{"Brian Gleason"});
}

TEST_CASE("survives malformed HTML and every truncation of it", "[analyzers][metadata][formats]") {
  const std::string text = slurp(fixture("malformed.html"));
  const FormattedText f = read_format(text, Format::html);
  CHECK(f.stated.title == "Broken Page");
  // An unterminated attribute quote runs to the next quote, as in a browser:
  // the markup it swallowed is neither an author nor passage text.
  CHECK(f.stated.authors.empty());
  CHECK(f.body.find("First paragraph") == std::string::npos);
  CHECK(f.body.rfind("link text\n", 0) == 0);
  CHECK(f.body.find("Deeply nested and never closed") != std::string::npos);
  CHECK(f.body.find("hidden") == std::string::npos);  // the unclosed script runs to the end
  CHECK(f.body.find("After an unclosed script") == std::string::npos);
  // Cut the page anywhere (inside tags, quotes, entities, comments): it still reads.
  const std::string page = slurp(fixture("article.html")) + text;
  for (std::size_t n = 0; n <= page.size(); ++n) {
    const std::string cut = page.substr(0, n);
    FormattedText t;
    REQUIRE_NOTHROW(t = read_format(cut, Format::html));
    REQUIRE_NOTHROW(extract_metadata(t.body, t.stated));
    // Text only ever comes out of the page: never more than went in, plus
    // the blank lines between paragraphs.
    CHECK(t.body.size() <= cut.size() + 2);
  }
}

TEST_CASE("parses dates in the forms articles and sidecars use", "[analyzers][metadata]") {
  const std::vector<std::pair<std::string, std::string>> cases{
      {"2016", "2016"},          {"2016-06", "2016-06"},       {"2016-06-02", "2016-06-02"},
      {"2016-06-02T10:00:00Z", "2016-06-02"},                  {"June 2, 2016", "2016-06-02"},
      {"2 June 2016", "2016-06-02"},                           {"Jun. 2nd, 2016", "2016-06-02"},
      {"the 5th of September, 2016", "2016-09-05"},            {"Sept 2016", "2016-09"},
      {"Monday, May 20, 2012", "2012-05-20"},                  {"2012/05/20", "2012-05-20"},
      {"2016-13-01", ""},        {"June 31, 2016", ""},        {"2016-02-30", ""},
      {"February 29, 2016", "2016-02-29"},                     {"February 29, 2015", ""},
      {"", ""},                  {"no date here", ""},         {"20166", ""},
      {"in may 2016", ""},  // lower-case "may" is a verb
  };
  for (const auto& [in, want] : cases) {
    INFO(in);
    CHECK(parse_date(in) == want);
  }
}

TEST_CASE("parses the sidecar format", "[analyzers][metadata][sidecar]") {
  const std::string tsv =
      "\xEF\xBB\xBF# corrections\r\n"
      "file\ttitle\tdate\tauthors\r\n"
      "\n"
      "# a comment line\n"
      "a.txt\tA Better Title\t2016-06-02\tChen Qi; Jin Feng\n"
      "./sub/b.txt\t\t2015\t\n"
      "c.txt\t\tunknown\n"
      "d.txt\n";
  const auto entries = parse_sidecar(tsv, "corpus/lipsteeth-meta.tsv");
  REQUIRE(entries.size() == 4);
  CHECK(entries[0].file == "a.txt");
  CHECK(entries[0].title == "A Better Title");
  CHECK(entries[0].date == "2016-06-02");
  CHECK(entries[0].authors == std::vector<std::string>{"Chen Qi", "Jin Feng"});
  CHECK(entries[1].file == "sub/b.txt");
  CHECK(entries[1].authors.empty());
  CHECK(entries[2].date == "unknown");
  CHECK(find_sidecar_entry(entries, "./sub/b.txt") == &entries[1]);
  CHECK(find_sidecar_entry(entries, "b.txt") == nullptr);
  CHECK(parse_sidecar("# only comments\n\n", "x").empty());
  CHECK(parse_sidecar("", "x").empty());
}

TEST_CASE("reports a malformed sidecar with its file and line", "[analyzers][metadata][sidecar]") {
  const std::string header = "file\ttitle\tdate\tauthors\n";
  struct Case {
    std::string tsv, where, what;
  };
  const std::vector<Case> cases{
      {"a.txt\t\t2016\t\n", "meta.tsv:1:", "header"},
      {"# c\nfile\ttitle\tyear\tauthors\n", "meta.tsv:2:", "'year'"},
      {header + "a.txt\t\t2016\tX\textra\n", "meta.tsv:2:", "columns"},
      {header + "a.txt\t\tJune 2016\t\n", "meta.tsv:2:", "'June 2016'"},
      {header + "a.txt\t\t2016-13-01\t\n", "meta.tsv:2:", "'2016-13-01'"},
      {header + "a.txt\t\t2016-06-02T10:00\t\n", "meta.tsv:2:", "YYYY"},
      {header + "# c\n\t\t2016\t\n", "meta.tsv:3:", "empty file name"},
      {header + "a.txt\t\t2016\t\nb.txt\t\t\t\na.txt\t\t2015\t\n", "meta.tsv:4:", "twice"},
  };
  for (const auto& c : cases) {
    INFO(c.tsv);
    try {
      parse_sidecar(c.tsv, "meta.tsv");
      FAIL("no error for a malformed sidecar");
    } catch (const InputError& e) {
      const std::string msg = e.what();
      CHECK(msg.rfind(c.where, 0) == 0);
      CHECK(msg.find(c.what) != std::string::npos);
    }
  }
  CHECK_THROWS_AS(load_sidecar(kSource + "/tests/data/formats/no-such-sidecar.tsv"), InputError);
}

TEST_CASE("applies a sidecar entry: filled cells win, empty cells keep extraction", "[analyzers][metadata][sidecar]") {
  Metadata m = extract_metadata(article_with("by Brian Gleason\nMay 20, 2012"));
  REQUIRE(m.year == 2012);
  SidecarEntry keep{"a.txt", "", "", {}};
  apply_sidecar(m, keep);
  CHECK(m.date == "2012-05-20");
  CHECK(m.date_source == FieldSource::stated);
  CHECK(m.authors_source == FieldSource::stated);
  SidecarEntry fix{"a.txt", "Corrected Title", "2012-05", {"Brian Gleason", "Adam Cathcart"}};
  apply_sidecar(m, fix);
  CHECK(m.title == "Corrected Title");
  CHECK(m.title_source == FieldSource::sidecar);
  CHECK(m.date == "2012-05");
  CHECK(m.year == 2012);
  CHECK(m.year_source == FieldSource::sidecar);
  CHECK(m.authors == std::vector<std::string>{"Brian Gleason", "Adam Cathcart"});
  CHECK(m.authors_source == FieldSource::sidecar);
  SidecarEntry clear{"a.txt", "", "unknown", {}};
  apply_sidecar(m, clear);
  CHECK(m.date.empty());
  CHECK_FALSE(m.year.has_value());
  CHECK(m.year_source == FieldSource::sidecar);
}

TEST_CASE("looks for the sidecar in the file's folder and up to three folders above", "[analyzers][metadata][sidecar]") {
  const fs::path root = fs::temp_directory_path() / ("lipsteeth-meta-test-" + std::to_string(::getpid()));
  fs::remove_all(root);
  const fs::path deep = root / "a" / "b" / "c" / "d";
  fs::create_directories(deep);
  auto touch = [](const fs::path& p, const std::string& text) { std::ofstream(p) << text; };
  touch(deep / "x.txt", "text");
  CHECK(locate_sidecar((deep / "x.txt").string()).empty());
  touch(root / kSidecarName, "file\ttitle\tdate\tauthors\n");  // four levels above: too far
  CHECK(locate_sidecar((deep / "x.txt").string()).empty());
  touch(root / "a" / kSidecarName, "file\ttitle\tdate\tauthors\nb/c/d/x.txt\t\t2016\t\n");
  const std::string found = locate_sidecar((deep / "x.txt").string());
  CHECK(found == (root / "a" / kSidecarName).string());
  CHECK(sidecar_relative_path(found, (deep / "x.txt").string()) == "b/c/d/x.txt");
  const auto entries = load_sidecar(found);
  CHECK(find_sidecar_entry(entries, sidecar_relative_path(found, (deep / "x.txt").string())) != nullptr);
  touch(deep / kSidecarName, "file\ttitle\tdate\tauthors\n");  // the nearest wins
  CHECK(locate_sidecar((deep / "x.txt").string()) == (deep / kSidecarName).string());
  fs::remove_all(root);
}

TEST_CASE("never fails on damaged text: truncated articles and random bytes", "[analyzers][metadata]") {
  for (const char* name : {"000_8fe11e022d0b9062.txt", "001_3787f9e5d4cdb258.txt", "003_d673819c6f11a063.txt"}) {
    const std::string text = slurp(corpus(name));
    for (std::size_t n = 0; n <= text.size(); n += 29) {
      Metadata m;
      REQUIRE_NOTHROW(m = extract_metadata(text.substr(0, n)));
      // Whatever is found is well-formed: a date is ISO and agrees with the year.
      if (!m.date.empty()) {
        CHECK(parse_date(m.date) == m.date);
        CHECK(m.year == std::stoi(m.date.substr(0, 4)));
      }
    }
  }
  std::mt19937 rng(20261125);
  const std::string alphabet = "<>/=\"' &#;:-|\n\nabcpBy2016June, \xC2\xA0\xE2\x80\x99\xFF\x80---titledate";
  for (int round = 0; round < 300; ++round) {
    std::string junk;
    const int len = static_cast<int>(rng() % 600);
    for (int i = 0; i < len; ++i) junk.push_back(alphabet[rng() % alphabet.size()]);
    for (Format f : {Format::text, Format::markdown, Format::html}) {
      FormattedText t;
      REQUIRE_NOTHROW(t = read_format(junk, f));
      REQUIRE_NOTHROW(extract_metadata(t.body, t.stated));
    }
  }
}
