// The whole pipeline for one article: decode -> format -> metadata ->
// passages -> tokens -> actors, on the seed articles and the format fixtures.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>
#include <string>

#include "analyzers/article.h"
#include "tests/test_support.h"

using namespace lipsteeth::analyzers;

namespace {

const std::string kSource = LIPSTEETH_SOURCE_DIR;

using lipsteeth::testing::slurp;

const char* const kSeeds[] = {"000_8fe11e022d0b9062.txt", "001_3787f9e5d4cdb258.txt", "002_4385b82e47fa7daf.txt",
                              "003_d673819c6f11a063.txt", "004_1e77538f18e764bb.txt"};

bool is_space_byte(char c) { return c == ' ' || c == '\n' || c == '\t'; }

// The invariants every analysed article keeps, whatever its format.
void check_offsets(const Article& a) {
  REQUIRE(a.ok());
  REQUIRE_FALSE(a.passages.empty());
  REQUIRE(a.tokens.size() == a.passages.size());
  std::uint32_t previous_end = 0;
  for (std::size_t i = 0; i < a.passages.size(); ++i) {
    const Passage& p = a.passages[i];
    INFO("passage " << i);
    CHECK(p.ordinal == i);
    REQUIRE(p.start < p.end);
    REQUIRE(p.end <= a.text.size());
    CHECK(p.start >= previous_end);
    previous_end = p.end;
    CHECK_FALSE(is_space_byte(a.text[p.start]));
    CHECK_FALSE(is_space_byte(a.text[p.end - 1]));
    std::uint32_t last_position = 0;
    for (const Token& t : a.tokens[i]) {
      INFO("token '" << t.term << "' at [" << t.start << ", " << t.end << ")");
      // Offsets are article-relative and inside the passage.
      CHECK(t.start >= p.start);
      CHECK(t.end <= p.end);
      REQUIRE(t.start < t.end);
      const std::string surface = a.text.substr(t.start, t.end - t.start);
      CHECK_FALSE(is_space_byte(surface.front()));
      CHECK_FALSE(is_space_byte(surface.back()));
      // The surface text[start, end) is the word the term was folded from.
      if (t.kind == Token::Kind::word) CHECK(fold_term(surface) == t.term);
      CHECK(t.position >= last_position);
      last_position = t.position;
    }
  }
}

}  // namespace

TEST_CASE("analyses the seed articles: tokens lie inside their passage and match the text",
          "[analyzers][article]") {
  for (const char* name : kSeeds) {
    INFO(name);
    const std::string path = kSource + "/corpus/" + name;
    const std::string bytes = slurp(path);
    const Article a = analyze_article(bytes, path, name, AnalyzeOptions{});
    CHECK(a.path == path);
    CHECK(a.id == name);
    CHECK(a.format == Format::text);
    // A plain UTF-8 text file is its own body.
    CHECK(a.text == a.decoded.text);
    CHECK(a.text == bytes);
    CHECK_FALSE(a.metadata.title.empty());
    CHECK(a.mentions.empty());  // no tagger given
    check_offsets(a);
  }
}

TEST_CASE("carries the extracted metadata of a seed article", "[analyzers][article]") {
  const std::string path = kSource + "/corpus/000_8fe11e022d0b9062.txt";
  const Article a = analyze_article(slurp(path), path, "000", AnalyzeOptions{});
  CHECK(a.metadata.title == "Delegations Galore: Signs of a Continuing Rift in Sino-NK Relations");
  CHECK(a.metadata.date == "2012-05-20");
  CHECK(a.metadata.year == 2012);
  CHECK(a.metadata.authors == std::vector<std::string>{"Brian Gleason"});
  // The sidecar is the caller's business: the library reports what the text states.
  CHECK(a.metadata.date_source == FieldSource::stated);
}

TEST_CASE("analyses HTML and Markdown: offsets refer to the body without markup", "[analyzers][article]") {
  SECTION("HTML") {
    const std::string path = kSource + "/tests/data/formats/article.html";
    const Article a = analyze_article(slurp(path), path, "article.html", AnalyzeOptions{});
    CHECK(a.format == Format::html);
    CHECK(a.text.find("<p>") == std::string::npos);
    CHECK(a.metadata.authors == std::vector<std::string>{"Brian Gleason"});
    check_offsets(a);
    bool found = false;
    for (const auto& passage_tokens : a.tokens)
      for (const Token& t : passage_tokens)
        if (t.term == "relentless") found = a.text.substr(t.start, t.end - t.start) == "relentless";
    CHECK(found);
  }
  SECTION("Markdown with front matter") {
    const std::string path = kSource + "/tests/data/formats/front_matter.md";
    const Article a = analyze_article(slurp(path), path, "front_matter.md", AnalyzeOptions{});
    CHECK(a.format == Format::markdown);
    CHECK(a.text.find("authors:") == std::string::npos);
    CHECK(a.metadata.date == "2018-03-28");
    check_offsets(a);
  }
}

TEST_CASE("tags actors per passage when given a tagger", "[analyzers][article][entities]") {
  const Gazetteer gazetteer = Gazetteer::load(Gazetteer::default_path());
  const Tagger tagger(gazetteer);
  AnalyzeOptions options;
  options.tagger = &tagger;
  const std::string path = kSource + "/corpus/000_8fe11e022d0b9062.txt";
  const Article a = analyze_article(slurp(path), path, "000", options);
  check_offsets(a);
  REQUIRE_FALSE(a.mentions.empty());
  bool hu = false;
  std::uint32_t previous = 0;
  for (const Mention& m : a.mentions) {
    INFO("mention '" << m.surface << "'");
    REQUIRE(m.passage < a.passages.size());
    const Passage& p = a.passages[m.passage];
    CHECK(m.start >= p.start);
    CHECK(m.end <= p.end);
    CHECK(a.text.substr(m.start, m.end - m.start) == m.surface);
    CHECK(m.start >= previous);  // text order
    previous = m.start;
    if (gazetteer.actors().at(m.actor).id == "hu-jintao") hu = true;
  }
  CHECK(hu);

  // keep_tokens = false: the same mentions, the tokens dropped afterwards.
  options.keep_tokens = false;
  const Article lean = analyze_article(slurp(path), path, "000", options);
  CHECK(lean.tokens.empty());
  CHECK(lean.mentions.size() == a.mentions.size());
  CHECK(lean.passages.size() == a.passages.size());
}

TEST_CASE("reports undecodable files without passages and without throwing", "[analyzers][article]") {
  const std::string binary("PK\x03\x04\0\0\0\0binary\0data", 19);
  const Article b = analyze_article(binary, "x.txt", "x.txt", AnalyzeOptions{});
  CHECK(b.decoded.status == DecodeStatus::binary);
  CHECK_FALSE(b.ok());
  CHECK_FALSE(b.decoded.reason.empty());
  CHECK(b.passages.empty());
  CHECK(b.tokens.empty());
  const Article e = analyze_article("", "empty.txt", "empty.txt", AnalyzeOptions{});
  CHECK(e.decoded.status == DecodeStatus::empty);
  CHECK(e.passages.empty());
}

TEST_CASE("analyses decoded text with stated metadata taking precedence", "[analyzers][article]") {
  const std::string path = kSource + "/corpus/002_4385b82e47fa7daf.txt";
  Metadata stated;
  stated.title = "Evolving Relations";
  stated.date = "March 3, 2015";
  stated.authors = {"Jane Doe"};
  const Article a = analyze_text(slurp(path), "rec-7", stated, AnalyzeOptions{});
  CHECK(a.id == "rec-7");
  CHECK(a.metadata.title == "Evolving Relations");
  CHECK(a.metadata.title_source == FieldSource::stated);
  CHECK(a.metadata.date == "2015-03-03");
  CHECK(a.metadata.year == 2015);
  CHECK(a.metadata.year_source == FieldSource::stated);
  CHECK(a.metadata.authors == std::vector<std::string>{"Jane Doe"});
  check_offsets(a);

  // With nothing stated, the same text gets what extraction finds: no date
  // stated, a year inferred from the events it refers to.
  const Article plain = analyze_text(slurp(path), "rec-8", Metadata{}, AnalyzeOptions{});
  CHECK(plain.metadata.title == "North Korea’s Evolving Relations With China");
  CHECK(plain.metadata.year == 2015);
  CHECK(plain.metadata.year_source == FieldSource::inferred);
  // Windows line endings are normalised as for files.
  const Article crlf = analyze_text("A Title Here\r\n\r\nSome body text.\r\n", "rec-9", Metadata{}, AnalyzeOptions{});
  CHECK(crlf.text.find('\r') == std::string::npos);
  CHECK(crlf.metadata.title == "A Title Here");
}
