// Sentences and passages: Unicode's sentence-break conformance file and the
// five seed articles.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "analyzers/decode.h"
#include "analyzers/passages.h"
#include "tests/test_support.h"
#include "tests/analyzers/break_test_file.h"

using lipsteeth::analyzers::decode;
using lipsteeth::analyzers::Passage;
using lipsteeth::analyzers::PassageOptions;
using lipsteeth::analyzers::Span;
using lipsteeth::analyzers::split_passages;
using lipsteeth::analyzers::split_sentences;

namespace {

using lipsteeth::testing::slurp;

std::string article(const std::string& name) {
  return decode(slurp(std::string(LIPSTEETH_SOURCE_DIR) + "/corpus/" + name)).text;
}

const char* const kArticles[] = {"000_8fe11e022d0b9062.txt", "001_3787f9e5d4cdb258.txt", "002_4385b82e47fa7daf.txt",
                                 "003_d673819c6f11a063.txt", "004_1e77538f18e764bb.txt"};

std::string_view text_of(std::string_view text, const Passage& p) { return text.substr(p.start, p.end - p.start); }

bool is_space(char c) { return c == ' ' || c == '\n' || c == '\t'; }

// Only ASCII white space and NO-BREAK SPACE (which the seed articles use on
// otherwise empty lines).
bool only_space(std::string_view s) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (is_space(s[i])) continue;
    if (s.substr(i, 2) == "\xC2\xA0") {
      ++i;
      continue;
    }
    return false;
  }
  return true;
}

// The invariants every split must keep: ordinals 0..n-1, in order, no
// overlap, trimmed, and no visible text lost between passages.
void check_invariants(std::string_view text, const std::vector<Passage>& ps) {
  REQUIRE_FALSE(ps.empty());
  std::uint32_t prev_end = 0;
  for (std::size_t i = 0; i < ps.size(); ++i) {
    INFO("passage " << i);
    CHECK(ps[i].ordinal == i);
    CHECK(ps[i].start < ps[i].end);
    CHECK(ps[i].start >= prev_end);
    CHECK(ps[i].end <= text.size());
    CHECK_FALSE(is_space(text[ps[i].start]));
    CHECK_FALSE(is_space(text[ps[i].end - 1]));
    // Only white space between passages (and before the first, after the last).
    CHECK(only_space(text.substr(prev_end, ps[i].start - prev_end)));
    prev_end = ps[i].end;
  }
  CHECK(only_space(text.substr(prev_end)));
}

// A passage over max_bytes must be a single sentence.
void check_bound(std::string_view text, const std::vector<Passage>& ps, std::uint32_t max) {
  for (const Passage& p : ps) {
    INFO("passage " << p.ordinal << ": " << text_of(text, p));
    CHECK(p.end - p.start <= 2 * max);
    if (p.end - p.start > max) CHECK(split_sentences(text_of(text, p)).size() == 1);
  }
}

}  // namespace

TEST_CASE("sentence boundaries match every line of Unicode's SentenceBreakTest.txt", "[analyzers][passages]") {
  int cases = 0;
  int passed = 0;
  for (const lipsteeth::testing::BreakCase& c :
       lipsteeth::testing::read_break_test("/usr/share/unicode/auxiliary/SentenceBreakTest.txt")) {
    std::vector<std::uint32_t> got{0};
    for (const Span& s : split_sentences(c.text)) got.push_back(s.end);
    INFO("SentenceBreakTest.txt line " << c.line << ": " << c.source);
    ++cases;
    CHECK(got == c.breaks);
    if (got == c.breaks) ++passed;
  }
  CHECK(cases == 502);
  CHECK(passed == cases);
  WARN("SentenceBreakTest.txt: " << passed << " of " << cases << " lines pass");
}

TEST_CASE("sentences cover the text and split where English sentences end", "[analyzers][passages]") {
  const std::string text = "Pyongyang needs Beijing to survive. Beijing can\xE2\x80\x99t afford to let Pyongyang collapse. Why?";
  const auto s = split_sentences(text);
  REQUIRE(s.size() == 3);
  CHECK(s[0].start == 0);
  CHECK(text.substr(s[1].start, s[1].end - s[1].start) == "Beijing can\xE2\x80\x99t afford to let Pyongyang collapse. ");
  CHECK(s[2].end == text.size());
  CHECK(split_sentences("").empty());
}

TEST_CASE("the caption in article 000 is merged into the paragraph after it", "[analyzers][passages]") {
  const std::string text = article("000_8fe11e022d0b9062.txt");
  const auto ps = split_passages(text);
  check_invariants(text, ps);
  check_bound(text, ps, 1500);
  REQUIRE(ps.size() == 18);
  // The title, dateline, repeated title and byline go with the first paragraph.
  CHECK(text_of(text, ps[0]).starts_with("Delegations Galore: Signs of a Continuing Rift in Sino-NK Relations\n\nBy | May 20"));
  CHECK(text_of(text, ps[0]).ends_with("launch of the Unha-2 rocket."));
  CHECK(text_of(text, ps[1]).starts_with(
      "Kim Yong-il with Hu Jintao, right, in April 2012| Image via NKLeadershipWatch\n\n"
      "Eight days after the botched 2012 launch"));
  // No passage is only a caption.
  for (const Passage& p : ps) CHECK(p.end - p.start >= 100);
  CHECK(text_of(text, ps[9]).starts_with("North Korean Delegation meeting Valerie Amos, via Chosun Ilbo\n\nIn return"));
  CHECK(text_of(text, ps[13]).starts_with("Hu Jintai and Lee Myung-bak, via Global Times\n\nUnless North Korea"));
  // The comment-form boilerplate at the end joins the last footnote.
  CHECK(text_of(text, ps[17]).starts_with("[4] Dick K. Nanto"));
  CHECK(text_of(text, ps[17]).ends_with("Learn how your comment data is processed."));
}

TEST_CASE("article 001: byline block and source line join the first paragraph, long paragraphs split at sentences",
          "[analyzers][passages]") {
  const std::string text = article("001_3787f9e5d4cdb258.txt");
  const auto ps = split_passages(text);
  check_invariants(text, ps);
  check_bound(text, ps, 1500);
  REQUIRE(ps.size() == 16);
  CHECK(text_of(text, ps[0]).starts_with("in the media\n\nA Subtle Thaw in China-North Korea Relations\n\nA June 2016"));
  CHECK(text_of(text, ps[1]).starts_with("by\xC2\xA0" "Chen Qi and\xC2\xA0Jin Feng\npublished by\nTHU 27 Center\n\xC2\xA0on June 2, 2016\n\n"
                                         "Source: THU 27 Center\n\nIn early June 2016, the Xinhua News Agency"));
  // Passages 7 and 8 are one paragraph of 1872 bytes cut at a sentence boundary.
  const std::string_view between = std::string_view(text).substr(ps[7].end, ps[8].start - ps[7].end);
  CHECK(between == " ");
  CHECK(text_of(text, ps[7]).starts_with("A Shared Interest in Improving Relations\n\nWhile the May meeting"));
  CHECK(text_of(text, ps[8]).starts_with("Furthermore, the loss of South Korea\xE2\x80\x99s ruling party"));
  // The closing note (85 bytes) joins the author note before it.
  CHECK(text_of(text, ps[15]).starts_with("Jin Feng is a post-doctorate assistant researcher"));
  CHECK(text_of(text, ps[15]).ends_with("first published in Chinese by Tsinghua University\xE2\x80\x99s THU 27 Center."));
}

TEST_CASE("article 002 has no blank lines: each line is a paragraph", "[analyzers][passages]") {
  const std::string text = article("002_4385b82e47fa7daf.txt");
  REQUIRE(text.find("\n\n") == std::string::npos);
  const auto ps = split_passages(text);
  check_invariants(text, ps);
  check_bound(text, ps, 1500);
  REQUIRE(ps.size() == 11);
  // The title line is too short to stand alone and joins the standfirst.
  CHECK(text_of(text, ps[0]) ==
        "North Korea\xE2\x80\x99s Evolving Relations With China\nTies have been chillier of late, but there are reasons "
        "why neither side will allow a complete break in relations.");
  CHECK(text_of(text, ps[1]).starts_with("It\xE2\x80\x99s no secret that China-North Korea relations"));
  CHECK(text_of(text, ps[2]).starts_with("That\xE2\x80\x99s fundamentally still true today"));
  CHECK(text_of(text, ps[10]).starts_with("It\xE2\x80\x99s often said of the U.S.-China relationship"));
  for (const Passage& p : ps) CHECK(text_of(text, p).find('\n') == (p.ordinal == 0 ? 45u : std::string_view::npos));
}

TEST_CASE("articles 003 and 004: headings and titles join the next paragraph", "[analyzers][passages]") {
  const std::string t3 = article("003_d673819c6f11a063.txt");
  const auto p3 = split_passages(t3);
  check_invariants(t3, p3);
  check_bound(t3, p3, 1500);
  REQUIRE(p3.size() == 18);
  CHECK(text_of(t3, p3[0]).starts_with("You are here\n\nThe relationship between China and North Korea"));
  CHECK(text_of(t3, p3[1]).starts_with("Beijing\xE2\x80\x99s North Korea Policy in 2016: Keep Calm and Carry On\n\nAdam Cathcart\n"));
  CHECK(text_of(t3, p3[2]).starts_with("Applying metaphors to Beijing\xE2\x80\x99s relationship"));
  CHECK(text_of(t3, p3[17]).starts_with("Adam Cathcart\nLecturer in Chinese History"));

  const std::string t4 = article("004_1e77538f18e764bb.txt");
  const auto p4 = split_passages(t4);
  check_invariants(t4, p4);
  check_bound(t4, p4, 1500);
  REQUIRE(p4.size() == 8);
  // A title ending in "?" is still too short to stand alone.
  CHECK(text_of(t4, p4[0]).starts_with("Are Chinese\xE2\x80\x93North Korean Ties Starting to Fray?\n\nThe special relationship"));
  CHECK(text_of(t4, p4[1]).starts_with("Beijing was clearly unnerved by the December execution"));
  CHECK(text_of(t4, p4[7]).ends_with("what we can do on our own.\n\nOG Image:"));
}

TEST_CASE("a small bound splits every article at sentences without losing text", "[analyzers][passages]") {
  PassageOptions small;
  small.max_bytes = 300;
  for (const char* name : kArticles) {
    INFO(name);
    const std::string text = article(name);
    const auto ps = split_passages(text, small);
    check_invariants(text, ps);
    check_bound(text, ps, 300);
    CHECK(ps.size() > split_passages(text).size());
  }
  // Article 001's first paragraph begins a new passage at "According to the Xinhua report".
  const std::string text = article("001_3787f9e5d4cdb258.txt");
  const auto ps = split_passages(text, small);
  bool found = false;
  for (const Passage& p : ps) found |= text_of(text, p).starts_with("According to the Xinhua report, the main objective");
  CHECK(found);
}

TEST_CASE("an endless sentence is cut at white space, hard-wrapped prose stays one paragraph", "[analyzers][passages]") {
  PassageOptions o;
  o.max_bytes = 200;
  std::string run_on;
  for (int i = 0; i < 100; ++i) run_on += "Kim Jong-un and Xi Jinping ";  // 2700 bytes, no full stop
  run_on.pop_back();
  const auto ps = split_passages(run_on, o);
  check_invariants(run_on, ps);
  REQUIRE(ps.size() >= 14);
  for (const Passage& p : ps) {
    CHECK(p.end - p.start <= 200);
    CHECK((p.end == run_on.size() || run_on[p.end] == ' '));
  }

  // Lines of about 70 bytes with single newlines: one paragraph, not one per line.
  const std::string wrapped =
      "Although China and North Korea have maintained strong bilateral ties\n"
      "for decades, North Korea's relentless pursuit of nuclear weapons has\n"
      "continued to take its toll on the relationship.\n\n"
      "Eight days after the botched 2012 launch, North Korea sent a senior\n"
      "official to Beijing for a high-level strategic dialogue.\n";
  const auto wp = split_passages(wrapped);
  REQUIRE(wp.size() == 2);
  CHECK(text_of(wrapped, wp[0]).ends_with("toll on the relationship."));
  CHECK(text_of(wrapped, wp[1]).starts_with("Eight days after"));
}

TEST_CASE("an article of only short lines is one passage, empty text none", "[analyzers][passages]") {
  const std::string text = "Source: THU 27 Center\n\nBy | May 20, 2012 |\n";
  const auto ps = split_passages(text);
  REQUIRE(ps.size() == 1);
  CHECK(text_of(text, ps[0]) == "Source: THU 27 Center\n\nBy | May 20, 2012 |");
  CHECK(split_passages("").empty());
  CHECK(split_passages(" \n\n \t\n").empty());
}
