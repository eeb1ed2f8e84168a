// Spellings and short forms by rule (analyzers/variants.h), and what the
// gazetteer and tagger make of them.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "analyzers/entities.h"
#include "analyzers/error.h"
#include "analyzers/variants.h"

using namespace lipsteeth::analyzers;

namespace {

bool has(const std::vector<std::string>& v, const std::string& s) { return std::find(v.begin(), v.end(), s) != v.end(); }

}  // namespace

TEST_CASE("romanisation rules give the other spellings of Korean and Chinese names", "[analyzers][entities]") {
  struct Case {
    const char *alias, *type, *variant;
  };
  const Case cases[] = {
      {"Kim Jong-il", "person", "Kim Jung-il"},     // ong/ung
      {"Kim Jong-il", "person", "Kim Jong-ill"},    // Il/Ill
      {"Kim Jong-un", "person", "Kim Jong-eun"},    // -un/-eun
      {"Kim Jong-un", "person", "Kim Jung-eun"},    // two rules, two words
      {"Kim Il-sung", "person", "Kim Il-song"},     // MR sŏng without its mark
      {"Kaesong", "place", "Gaesong"},              // initial k/g
      {"Kaesong", "place", "Kaeseong"},             // o/eo
      {"Yongbyon", "place", "Nyongbyon"},           // initial y/ny
      {"Mao Zedong", "person", "Mao Tse-tung"},     // Wade-Giles
      {"Zhou Enlai", "person", "Chou En-lai"},
      {"Deng Xiaoping", "person", "Teng Hsiao-p'ing"},
  };
  for (const Case& c : cases) {
    INFO(c.alias << " -> " << c.variant);
    CHECK(has(romanisation_variants(c.alias, c.type, 32), c.variant));
  }
}

TEST_CASE("romanisation rules leave words that are not romanised Korean or pinyin alone", "[analyzers][entities]") {
  struct Case {
    const char *word;
    bool korean, pinyin;
  };
  const Case cases[] = {
      {"Jong", true, false}, {"Hyeonseo", true, false}, {"Kim", true, false},  {"Zedong", false, true},
      {"Xiaoping", false, true}, {"North", false, false}, {"Party", false, false}, {"Bush", false, false},
      {"Sullivan", false, false},
  };
  for (const Case& c : cases) {
    INFO(c.word);
    CHECK(korean_shaped(c.word) == c.korean);
    CHECK(pinyin_shaped(c.word) == c.pinyin);
  }
  CHECK(romanisation_variants("Central Party Bush", "organization").empty());
  CHECK(romanisation_variants("Jake Sullivan", "person").empty());
}

TEST_CASE("a person's surname is a short form: the first word of a Korean or Chinese name, else the last",
          "[analyzers][entities]") {
  struct Case {
    const char* name;
    std::vector<std::string> forms;
  };
  const Case cases[] = {
      {"George W. Bush", {"Bush"}},  // initials are no surname
      {"Jake Sullivan", {"Sullivan"}},
      {"Kim Jong-un", {"Kim"}},
      {"Kim Dae-jung", {"Kim"}},
      {"Xi Jinping", {"Xi"}},             // Chinese names keep the surname first
      {"Sung Kim", {"Sung", "Kim"}},      // two Korean words: either order possible
      {"Lee Kuan Yew", {"Lee"}},
      {"Martin Luther King Jr.", {"King"}},
      {"Akihito", {}},
  };
  for (const Case& c : cases) {
    INFO(c.name);
    CHECK(derived_short_forms(c.name) == c.forms);
  }
}

TEST_CASE("find_alias resolves a spelling the rules relate to an alias", "[analyzers][entities]") {
  Gazetteer g = Gazetteer::parse(
      "kim-jong-il\tKim Jong-il\tperson\n"
      "yongbyon\tYongbyon\tplace\n"
      "mao-zedong\tMao Zedong\tperson\n",
      "test.tsv");
  struct Case {
    const char *query, *id;
  };
  const Case cases[] = {{"Kim Jung-il", "kim-jong-il"}, {"Nyongbyon", "yongbyon"}, {"Mao Tse-tung", "mao-zedong"}};
  for (const Case& c : cases) {
    INFO(c.query);
    const Actor* a = g.find_alias(c.query);
    REQUIRE(a != nullptr);
    CHECK(a->id == c.id);
  }
  CHECK(g.find_alias("Kim Jung-nam") == nullptr);
}

TEST_CASE("the gazetteer refuses an alias two actors share, naming both lines", "[analyzers][entities]") {
  try {
    Gazetteer::parse("a\tAlpha Corp\torganization\tAC\n# note\nb\tBeta Corp\torganization\tAlpha Corp\n", "mine.tsv");
    FAIL("no error");
  } catch (const lipsteeth::InputError& e) {
    CHECK(std::string(e.what()) ==
          "gazetteer 'mine.tsv' line 3: alias 'Alpha Corp' already names 'a' (line 1); a form shared by several "
          "actors belongs in short=");
  }
}

TEST_CASE("short=- turns off the derived surname", "[analyzers][entities]") {
  Gazetteer g = Gazetteer::parse("theresa-may\tTheresa May\tperson\t\tshort=-\njake-sullivan\tJake Sullivan\tperson\n",
                                 "test.tsv");
  CHECK(g.actors()[0].short_forms.empty());
  CHECK(g.actors()[1].short_forms == std::vector<std::string>{"Sullivan"});
}
