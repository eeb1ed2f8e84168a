// Discovered actors (analyzers/discovery.h): names no gazetteer holds, each
// with the evidence that made it an actor, and the traps that give none.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "analyzers/article.h"
#include "analyzers/entities.h"

using namespace lipsteeth::analyzers;

namespace {

const Gazetteer& small_gazetteer() {
  static const Gazetteer g = Gazetteer::parse(
      "north-korea\tNorth Korea\tstate\tDPRK\n"
      "china\tChina\tstate\n"
      "seoul\tSeoul\tplace\t\tcapital=south-korea\n"
      "south-korea\tSouth Korea\tstate\n"
      "kinu\tKorea Institute for National Unification\torganization\tKINU\n",
      "test.tsv");
  return g;
}

std::vector<DiscoveredActor> discover(const std::string& text) {
  static const Tagger tagger(small_gazetteer());
  AnalyzeOptions o;
  o.tagger = &tagger;
  o.discover = true;
  return analyze_text(text, "t", Metadata{}, o).discovered;
}

}  // namespace

TEST_CASE("discovers names by their evidence, with type and evidence", "[analyzers][entities]") {
  struct Case {
    const char *text, *name, *type, *evidence;
  };
  const Case cases[] = {
      {"The plan was drafted by Kim Soo-yeon last year.", "Kim Soo-yeon", "person", "korean-name"},
      {"Missiles flew on Sunday, said Hong Min of the institute.", "Hong Min", "person", "korean-name"},
      {"The talks failed, said Margaret Ellery of the institute.", "Margaret Ellery", "person", "said"},
      {"Analysts such as Dr Marc Tiller doubt it.", "Marc Tiller", "person", "title"},
      {"Peter Norrland, a lecturer at the college, disagreed.", "Peter Norrland", "person", "apposition"},
      {"Chung Binna, ministry spokesperson, told reporters.", "Chung Binna", "person", "korean-name"},
      {"The Northeast Asia Peace Forum (NAPF) met in July.", "Northeast Asia Peace Forum", "organization", "acronym"},
      {"Coal went through the Hanbit Shipping Corp. last year.", "Hanbit Shipping Corp", "organization", "org-word"},
      {"Staff at the Institute for Maritime Strategy agreed.", "Institute for Maritime Strategy", "organization", "org-word"},
      {"The China Earthquake Administration measured it.", "China Earthquake Administration", "organization", "org-word"},
  };
  for (const Case& c : cases) {
    INFO(c.text);
    std::vector<DiscoveredActor> d = discover(c.text);
    REQUIRE(d.size() == 1);
    CHECK(d[0].name == c.name);
    CHECK(d[0].type == c.type);
    REQUIRE(!d[0].evidence.empty());
    CHECK(d[0].evidence[0] == c.evidence);
  }
}

TEST_CASE("discovers nothing without evidence", "[analyzers][entities]") {
  const char* texts[] = {
      "North Korea Fires Two Missiles Into The Sea",      // a title-case headline
      "On Monday Seoul said the talks would go on.",      // a capital for its state
      "The Korea Institute for National Unification said so.",  // in the gazetteer
      "Breaking News Update: Full Story Here",
      "Margaret Ellery walked home.",                     // a name, but no cue
  };
  for (const char* t : texts) {
    INFO(t);
    CHECK(discover(t).empty());
  }
}

TEST_CASE("a discovered person's later surname and an organisation's acronym are its mentions", "[analyzers][entities]") {
  std::vector<DiscoveredActor> d =
      discover("Park Sung-hoon, a researcher, spoke first.\n\nLater Park said more. The Northeast Asia Peace Forum "
               "(NAPF) agreed, and NAPF wrote to him.");
  REQUIRE(d.size() == 2);
  CHECK(d[0].name == "Park Sung-hoon");
  REQUIRE(d[0].mentions.size() == 2);
  CHECK(d[0].mentions[1].surface == "Park");
  CHECK(d[0].mentions[1].start > d[0].mentions[0].end);
  CHECK(d[1].surfaces == std::vector<std::string>{"Northeast Asia Peace Forum", "NAPF"});
  CHECK(d[1].mentions.size() == 3);
}

TEST_CASE("a state tagged as the first word of a discovered organisation is part of its name", "[analyzers][entities]") {
  static const Tagger tagger(small_gazetteer());
  AnalyzeOptions o;
  o.tagger = &tagger;
  o.discover = true;
  Article a = analyze_text("The China Earthquake Administration measured it in China.", "t", Metadata{}, o);
  REQUIRE(a.mentions.size() == 1);
  CHECK(a.mentions[0].surface == "China");
  CHECK(a.mentions[0].start == 51);
}
