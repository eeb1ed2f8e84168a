// The gazetteer format and each rule of the tagger (docs/gazetteer.md).
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "analyzers/entities.h"
#include "analyzers/error.h"
#include "analyzers/passages.h"
#include "analyzers/tokenizer.h"

using namespace lipsteeth::analyzers;
using lipsteeth::InputError;

namespace {

const Gazetteer& real_gazetteer() {
  static const Gazetteer g = Gazetteer::load(Gazetteer::default_path());
  return g;
}

const Tagger& real_tagger() {
  static const Tagger t(real_gazetteer());
  return t;
}

std::vector<Mention> tag_mentions(const Tagger& tagger, const std::string& text) {
  std::vector<Passage> passages = split_passages(text);
  std::vector<std::vector<Token>> tokens;
  for (const Passage& p : passages) {
    TokenizeOptions o;
    o.base = p.start;
    tokens.push_back(tokenize(std::string_view(text).substr(p.start, p.end - p.start), o));
  }
  return tagger.tag(text, passages, tokens);
}

// (surface, actor id) of every mention, in text order.
using Tags = std::vector<std::pair<std::string, std::string>>;
Tags tags(const std::string& text, const Tagger& tagger = real_tagger()) {
  Tags out;
  for (const Mention& m : tag_mentions(tagger, text)) out.emplace_back(m.surface, tagger.gazetteer().actors()[m.actor].id);
  return out;
}

std::vector<std::string> ids(const std::string& text) {
  std::vector<std::string> out;
  for (const auto& [s, id] : tags(text)) out.push_back(id);
  return out;
}

}  // namespace

// ------------------------------------------------------------------ gazetteer

TEST_CASE("parses the gazetteer format with aliases, short forms and capitals", "[analyzers][entities]") {
  Gazetteer g = Gazetteer::parse(
      "# comment\n"
      "\n"
      "cn\tChina\tstate\tPRC|People's Republic of China\n"
      "bj\tBeijing\tplace\t\tcapital=cn\n"
      "xi\tXi Jinping\tperson\tPresident Xi\tshort=Xi|Chairman_Xi\r\n",
      "test.tsv");
  REQUIRE(g.actors().size() == 3);
  const Actor& xi = g.actors()[2];
  CHECK(xi.id == "xi");
  CHECK(xi.type == "person");
  CHECK(xi.aliases == std::vector<std::string>{"Xi Jinping", "President Xi"});
  CHECK(xi.short_forms == std::vector<std::string>{"Xi", "Chairman Xi"});
  CHECK(g.actors()[1].capital_of == "cn");
  CHECK(g.find_id("bj") == &g.actors()[1]);
  CHECK(g.find_alias("people’s republic of CHINA") == &g.actors()[0]);
  CHECK(g.find_alias("Xi") == &xi);  // a short form of one actor only
  CHECK(g.find_alias("Hu Jintao") == nullptr);
}

TEST_CASE("rejects a malformed gazetteer naming the file and the line", "[analyzers][entities]") {
  struct Case {
    const char* tsv;
    const char* message;
  };
  const Case cases[] = {
      {"cn\tChina\n", "line 1: expected at least 3"},
      {"# c\ncn\tChina\tcountry\n", "line 2: type 'country'"},
      {"Cn\tChina\tstate\n", "line 1: id 'Cn'"},
      {"cn\tChina\tstate\ncn\tPRC\tstate\n", "line 2: duplicate id 'cn'"},
      {"cn\tChina\tstate\t\tbig=1\n", "line 1: unknown flag 'big=1'"},
      {"bj\tBeijing\tplace\t\tcapital=cn\n", "line 1: capital=cn names no actor"},
      {"x\tX\tperson\t\tshort=\n", "line 1: flag 'short=' needs forms"},
      {"cn\tChina\tstate\t...\n", "line 1: alias '...' has no words"},
      {"cn\tChina\tstate\ta\tb\tc\n", "line 1: expected at most 5"},
  };
  for (const Case& c : cases) {
    INFO(c.tsv);
    try {
      Gazetteer::parse(c.tsv, "mine.tsv");
      FAIL("no error");
    } catch (const InputError& e) {
      std::string what = e.what();
      CHECK(what.find("gazetteer 'mine.tsv'") != std::string::npos);
      CHECK(what.find(c.message) != std::string::npos);
    }
  }
  CHECK_THROWS_AS(Gazetteer::load("/nonexistent/actors.tsv"), InputError);
}

TEST_CASE("the digest follows the content, not comments or layout", "[analyzers][entities]") {
  std::string a = "cn\tChina\tstate\tPRC\n";
  std::string b = "# the states\ncn\tChina\tstate\tPRC\n\n";
  std::string c = "cn\tChina\tstate\tPRC|P.R.C.\n";
  CHECK(Gazetteer::parse(a, "a").digest() == Gazetteer::parse(b, "b").digest());
  CHECK(Gazetteer::parse(a, "a").digest() != Gazetteer::parse(c, "c").digest());
  CHECK(Gazetteer::parse(a, "a").digest().size() == 16);
  CHECK(Gazetteer::parse(b, "b").source() == b);
}

TEST_CASE("the bundled gazetteer loads and covers the field", "[analyzers][entities]") {
  const Gazetteer& g = real_gazetteer();
  CHECK(Gazetteer::default_path() == std::string(LIPSTEETH_SOURCE_DIR) + "/data/actors.tsv");
  CHECK(g.actors().size() >= 300);
  std::size_t people = 0;
  for (const Actor& a : g.actors()) people += a.type == "person";
  CHECK(people >= 150);
  // One actor whatever the spelling.
  const std::pair<const char*, const char*> cases[] = {
      {"US", "united-states"},          {"U.S.", "united-states"},     {"United States", "united-states"},
      {"America", "united-states"},     {"DPRK", "north-korea"},       {"N. Korea", "north-korea"},
      {"Kim Jong Un", "kim-jong-un"},   {"KIM JONG-UN", "kim-jong-un"}, {"Kim Jongun", "kim-jong-un"},
      {"Jang Song Thaek", "jang-song-thaek"}, {"Chang Song-taek", "jang-song-thaek"},
      {"6-party talks", "six-party-talks"}, {"Korean Workers' Party", "wpk"}, {"CPC", "ccp"},
      {"ILD", "ild"},                   {"Unha 3", "unha-3"},          {"THAAD", "thaad"},
      {"kim-jong-il", "kim-jong-il"},   {"Hu Jintai", "hu-jintao"},
  };
  for (const auto& [alias, id] : cases) {
    INFO(alias);
    const Actor* a = g.find_alias(alias);
    REQUIRE(a != nullptr);
    CHECK(a->id == id);
  }
  CHECK(g.find_alias("Kim") == nullptr);  // a short form of many Kims
}

TEST_CASE("suggests the closest actors for a misspelt name", "[analyzers][entities]") {
  const Gazetteer& g = real_gazetteer();
  auto s = g.suggest("Kim Jong-oon");
  REQUIRE_FALSE(s.empty());
  CHECK(s[0]->id == "kim-jong-un");
  s = g.suggest("Xi Jimping", 2);
  REQUIRE_FALSE(s.empty());
  CHECK(s.size() <= 2);
  CHECK(s[0]->id == "xi-jinping");
  CHECK(g.suggest("qwertyuiopasdfgh").empty());
}

// ------------------------------------------------------------------- variants

TEST_CASE("folds spellings of one actor to the same id", "[analyzers][entities]") {
  for (const char* s : {"Kim Jong-un", "Kim Jong Un", "Kim Jong-Un", "KIM JONG UN", "Kim Jongun", "Kim Jong‑un"}) {
    INFO(s);
    CHECK(ids(std::string("Yesterday ") + s + " spoke.") == std::vector<std::string>{"kim-jong-un"});
  }
  for (const char* s : {"Jang Song Thaek", "Jang Song-thaek", "Jang Sung-taek", "Chang Song-taek"}) {
    INFO(s);
    CHECK(ids(std::string("Then ") + s + " fell.") == std::vector<std::string>{"jang-song-thaek"});
  }
  for (const char* s : {"the DPRK", "North Korea", "N. Korea", "the Democratic People's Republic of Korea",
                        "the Democratic People’s Republic of Korea"}) {
    INFO(s);
    CHECK(ids(std::string("Aid went to ") + s + " again.") == std::vector<std::string>{"north-korea"});
  }
  CHECK(ids("U.S. and US and United States and USA and America.") ==
        std::vector<std::string>{"united-states", "united-states", "united-states", "united-states", "united-states"});
  CHECK(ids("the Six-Party Talks, the six-party talks, the Six Party Talks, the 6-party talks") ==
        std::vector<std::string>{"six-party-talks", "six-party-talks", "six-party-talks", "six-party-talks"});
  CHECK(ids("Diacritics: António Guterres and Antonio Guterres.") ==
        std::vector<std::string>{"antonio-guterres", "antonio-guterres"});
  CHECK(ids("The Workers’ Party of Korea and the Workers' Party of Korea") == std::vector<std::string>{"wpk", "wpk"});
  // A place is matched but is no actor (docs/gazetteer.md "Places").
  CHECK(ids("South Pyong’an and South Pyongan provinces").empty());
}

TEST_CASE("respects the case an alias asks for", "[analyzers][entities]") {
  CHECK(ids("Let us talk about the song and the moon in the park.").empty());
  CHECK(ids("They told us the US would come.") == std::vector<std::string>{"united-states"});
  CHECK(ids("a congress of the party; a sanctions committee").size() == 1);  // the lower-case alias only
  CHECK(ids("Kim jong un") .empty());  // names must be capitalised
}

TEST_CASE("reports byte ranges and surfaces, possessives excluded", "[analyzers][entities]") {
  // "In Seoul" is the place: matched, no mention (docs/gazetteer.md "Places").
  std::string text = "In Seoul, Kim Jong-un’s envoy met Kim Jong-un's sister Kim Yo-jong.";
  std::vector<Mention> ms = tag_mentions(real_tagger(), text);
  REQUIRE(ms.size() == 3);
  CHECK(ms[0].surface == "Kim Jong-un");
  CHECK(ms[0].start == text.find("Kim Jong-un’s"));
  CHECK(ms[0].end == ms[0].start + std::string("Kim Jong-un").size());
  CHECK(ms[1].surface == "Kim Jong-un");
  CHECK(ms[1].start == text.find("Kim Jong-un's"));
  CHECK(ms[2].surface == "Kim Yo-jong");
  for (const Mention& m : ms) CHECK(text.substr(m.start, m.end - m.start) == m.surface);
  // Possessives written without the apostrophe, before a lower-case word.
  CHECK(tags("Chinas stance and Beijings view and North Koreas latest test") ==
        Tags{{"China", "china"}, {"Beijing", "china"}, {"North Korea", "north-korea"}});
}

TEST_CASE("gives each mention its passage", "[analyzers][entities]") {
  std::string text = "China spoke first, at some length, about a great many things of no consequence whatsoever, "
                     "and then it spoke again.\n\n"
                     "Then North Korea answered, at equal length, about a great many other things, none of them new "
                     "to anyone listening.";
  std::vector<Mention> ms = tag_mentions(real_tagger(), text);
  REQUIRE(ms.size() == 2);
  CHECK(ms[0].passage == 0);
  CHECK(ms[1].passage == 1);
}

// --------------------------------------------------------------- longest match

TEST_CASE("prefers the longest match", "[analyzers][entities]") {
  CHECK(ids("Kim Jong-il met Kim Jong-un and Kim Il-sung.") ==
        std::vector<std::string>{"kim-jong-il", "kim-jong-un", "kim-il-sung"});
  CHECK(tags("the Korean Workers' Party") == Tags{{"Korean Workers' Party", "wpk"}});
  CHECK(tags("at Kim Il-sung University") == Tags{{"Kim Il-sung University", "kim-il-sung-university"}});
  CHECK(tags("the Seoul Nuclear Security Summit") == Tags{{"Seoul Nuclear Security Summit", "seoul-nuclear-security-summit"}});
  CHECK(tags("the Washington Post reported") == Tags{{"Washington Post", "washington-post"}});
  CHECK(tags("the South China Sea").empty());  // the place wins over China, and is no actor
  CHECK(tags("the People's Republic of China") == Tags{{"People's Republic of China", "china"}});
  // A title before a full name does not cut the name short.
  CHECK(tags("WPK Chairman Kim Jong-un") == Tags{{"WPK", "wpk"}, {"Kim Jong-un", "kim-jong-un"}});
  // Brackets and sentence ends are not crossed: "(WPK) Politburo" is the
  // party, then a short form that only a full naming of the body resolves.
  CHECK(ids("the Workers' Party of Korea (WPK) Politburo") == std::vector<std::string>{"wpk", "wpk"});
  CHECK(ids("the Workers' Party of Korea (WPK) Politburo, that is the WPK Politburo") ==
        std::vector<std::string>{"wpk", "wpk", "wpk-politburo", "wpk-politburo"});
  CHECK(ids("He saw North Korea. China saw it too.") == std::vector<std::string>{"north-korea", "china"});
  CHECK(ids("Robert S. Ross and Dick K. Nanto") == std::vector<std::string>{"robert-ross", "dick-nanto"});
}

// ----------------------------------------------------------------- short forms

TEST_CASE("resolves short forms in the article's context", "[analyzers][entities]") {
  CHECK(tags("Xi Jinping arrived. Xi spoke.") == Tags{{"Xi Jinping", "xi-jinping"}, {"Xi", "xi-jinping"}});
  // The Kim most recently named in full.
  CHECK(ids("Kim Jong-il died. Kim Jong-un rose. Kim spoke.") ==
        std::vector<std::string>{"kim-jong-il", "kim-jong-un", "kim-jong-un"});
  CHECK(ids("Kim Jong-un rose. Kim Jong-il was mourned. Kim spoke.") ==
        std::vector<std::string>{"kim-jong-un", "kim-jong-il", "kim-jong-il"});
  // Lee and Park according to who was named.
  CHECK(ids("Hyeonseo Lee spoke in Beijing. Lee left early.") ==
        std::vector<std::string>{"hyeonseo-lee", "hyeonseo-lee"});
  CHECK(ids("Lee Myung-bak met Hu Jintao. Lee smiled.") ==
        std::vector<std::string>{"lee-myung-bak", "hu-jintao", "lee-myung-bak"});
  CHECK(ids("Park Chung-hee ruled. Park Geun-hye, his daughter, followed. Park fell.") ==
        std::vector<std::string>{"park-chung-hee", "park-geun-hye", "park-geun-hye"});
  // A short form before the full name, when the article names only one.
  CHECK(ids("Cha said so. Victor Cha is a scholar.") == std::vector<std::string>{"victor-cha", "victor-cha"});
  // Unresolvable: left untagged, not guessed.
  CHECK(ids("Kim spoke. Xi listened. Lee left.").empty());
  // Part of a longer unknown name: not a short form.
  CHECK(ids("Lee Myung-bak met Lee Sung-yoon.") == std::vector<std::string>{"lee-myung-bak"});
}

TEST_CASE("reads 'the North' as North Korea only in an article about it", "[analyzers][entities]") {
  CHECK(ids("North Korea tested a missile. The North’s envoy denied it.") ==
        std::vector<std::string>{"north-korea", "north-korea"});
  CHECK(ids("The Union won. The North celebrated the victory over the South.").empty());
  // "the North Korean ..." is not "the North".
  CHECK(ids("North Korea said so. The North Korean delegation left.") == std::vector<std::string>{"north-korea"});
}

// -------------------------------------------------------------------- metonymy

TEST_CASE("tags a capital as its state or as the place by its use", "[analyzers][entities]") {
  CHECK(tags("It showed Beijing’s displeasure with Pyongyang.") ==
        Tags{{"Beijing", "china"}, {"Pyongyang", "north-korea"}});
  // A capital used as the place is matched as the place, which is no actor.
  CHECK(tags("I spent a week in Beijing.").empty());
  CHECK(tags("Seoul said it would respond.") == Tags{{"Seoul", "south-korea"}});
  CHECK(tags("He paid a visit to Seoul.").empty());
  CHECK(tags("He returned to Moscow in May.").empty());
  CHECK(tags("Tokyo protested.") == Tags{{"Tokyo", "japan"}});
  CHECK(tags("It was a message from Beijing to Pyongyang.") == Tags{{"Beijing", "china"}, {"Pyongyang", "north-korea"}});
  CHECK(tags("a summit in Beijing or Pyongyang").empty());
  CHECK(tags("Washington rejected it.") == Tags{{"Washington", "united-states"}});
  CHECK(tags("a speech in Washington DC").empty());
  CHECK(tags("the Beijing-Pyongyang talks") == Tags{{"Beijing", "china"}, {"Pyongyang", "north-korea"}});
}

// ---------------------------------------------------------------- new text

TEST_CASE("tags actors that the five articles never name", "[analyzers][entities]") {
  // Written for this test; none of these actors appears in corpus/.
  std::string text =
      "At the Singapore summit in June 2018, Donald Trump shook hands with Kim Jong Un, whose sister Kim Yo-jong "
      "had led the delegation to the PyeongChang Winter Olympics. Moon Jae-in had brokered the meeting; "
      "Shinzo Abe and Vladimir Putin watched from Tokyo and Moscow.\n\n"
      "The Hanoi summit collapsed over Yongbyon. Choe Son-hui blamed Mike Pompeo and John Bolton, and the "
      "Hwasong-15 tested in 2017 was still the talk of the UN Security Council, which had passed "
      "Resolution 2397 after it.\n\n"
      "Earlier, the Kaesong Industrial Complex had outlived the Sunshine Policy of Kim Dae-jung, while the "
      "Cheonan sinking and the Yeonpyeong shelling of 2010 strained Wen Jiabao’s patience. Li Keqiang later "
      "received Yoon Suk-yeol’s envoy, and Liu Jianchao of the ILD visited Ri Son-gwon.";
  Tags expected{
      {"Singapore summit", "singapore-summit"},
      {"Donald Trump", "donald-trump"},
      {"Kim Jong Un", "kim-jong-un"},
      {"Kim Yo-jong", "kim-yo-jong"},
      {"PyeongChang Winter Olympics", "pyeongchang-olympics"},
      {"Moon Jae-in", "moon-jae-in"},
      {"Shinzo Abe", "shinzo-abe"},
      {"Vladimir Putin", "vladimir-putin"},
      {"Tokyo", "japan"},
      {"Moscow", "russia"},
      {"Hanoi summit", "hanoi-summit"},
      {"Choe Son-hui", "choe-son-hui"},
      {"Mike Pompeo", "mike-pompeo"},
      {"John Bolton", "john-bolton"},
      {"Hwasong-15", "hwasong-15"},
      {"UN Security Council", "unsc"},
      {"Resolution 2397", "unscr-2397"},
      {"Kaesong Industrial Complex", "kaesong-industrial-complex"},
      {"Sunshine Policy", "sunshine-policy"},
      {"Kim Dae-jung", "kim-dae-jung"},
      {"Cheonan sinking", "cheonan-sinking"},
      {"Yeonpyeong shelling", "yeonpyeong-shelling"},
      {"Wen Jiabao", "wen-jiabao"},
      {"Li Keqiang", "li-keqiang"},
      {"Yoon Suk-yeol", "yoon-suk-yeol"},
      {"Liu Jianchao", "liu-jianchao"},
      {"ILD", "ild"},
      {"Ri Son-gwon", "ri-son-gwon"},
  };
  CHECK(tags(text) == expected);
}

TEST_CASE("starts a match wherever an alias may start, in either case", "[analyzers][entities]") {
  // The tagger skips most words with a check by case: a word in lower case
  // may start only an alias whose first word accepts any case, and "the" of
  // "the Kremlin" only before a word that is not in lower case.
  Gazetteer g = Gazetteer::parse(
      "kremlin\tthe Kremlin\torganization\n"
      "juche\tjuche\tprogramme\tJuche idea\n"
      "spt\tsix-party talks\tevent\n"
      "spp\tthe Six-Party Process\tevent\n"
      "tak\tTak Mok\tperson\n"
      "dpp\tDon't Panic Plan\tprogramme\n"
      "ocd\to'clock doctrine\tprogramme\n",
      "starts.tsv");
  Tagger t(g);
  auto ids_of = [&](const std::string& text) {
    std::vector<std::string> out;
    for (const auto& [surface, id] : tags(text, t)) out.push_back(id);
    return out;
  };
  using V = std::vector<std::string>;
  CHECK(ids_of("said the Kremlin today") == V{"kremlin"});
  CHECK(ids_of("THE KREMLIN SAID") == V{"kremlin"});
  CHECK(ids_of("Asked, the Kremlin") == V{"kremlin"});
  CHECK(ids_of("the kremlin and the Kremlin's walls and the") == V{"kremlin"});
  CHECK(ids_of("The Six-Party Process and the Six Party Process") == V{"spp", "spp"});
  CHECK(ids_of("the six-party talks, Six-Party Talks, sixparty talks") == V{"spt", "spt", "spt"});
  CHECK(ids_of("juche, Juche, the Juche idea") == V{"juche", "juche", "juche"});
  CHECK(ids_of("tak mok, Tak Mok, TAK MOK") == V{"tak", "tak"});
  CHECK(ids_of("Don’t Panic Plan, Dont Panic Plan, don't panic plan") == V{"dpp", "dpp"});
  CHECK(ids_of("the o'clock doctrine, the oclock doctrine") == V{"ocd", "ocd"});
  // A possessive without its apostrophe, on a one-word alias.
  CHECK(ids_of("Juches appeal") == V{"juche"});
}

TEST_CASE("tags the same with a gazetteer ten times larger", "[analyzers][entities]") {
  // The real gazetteer plus nine decoy copies of every actor under other
  // names: the tagger must find exactly the same mentions.
  std::ifstream in(Gazetteer::default_path(), std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  std::string big = ss.str();
  int n = 0;
  for (const Actor& a : real_gazetteer().actors())
    for (int copy = 1; copy <= 9; ++copy, ++n)
      big += "decoy-" + std::to_string(n) + "\tZorblat " + a.name + " Mk" + std::to_string(copy) + "\t" + a.type +
             "\tQx" + std::to_string(n) + " " + a.name + "\n";
  Gazetteer large = Gazetteer::parse(big, "large");
  REQUIRE(large.actors().size() == 10 * real_gazetteer().actors().size());
  Tagger big_tagger(large);
  std::string text = "Beijing’s displeasure with Pyongyang grew after Kim Jong-un’s test; Xi Jinping said so, "
                     "and Xi repeated it in Seoul.";
  CHECK(tags(text, big_tagger) == tags(text));
  CHECK(tags(text).size() == 5);  // "in Seoul" is the place, no actor
}
