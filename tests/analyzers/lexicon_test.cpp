// The actor lexicon the searcher reads must resolve every name exactly as the
// gazetteer it was compiled from does.
#include <string>

#include <catch2/catch.hpp>

#include "analyzers/entities.h"
#include "analyzers/error.h"
#include "analyzers/lexicon.h"

using lipsteeth::analyzers::Actor;
using lipsteeth::analyzers::ActorLexicon;
using lipsteeth::analyzers::Gazetteer;

namespace {

const Gazetteer& real_gazetteer() {
  static const Gazetteer g = Gazetteer::load(std::string(LIPSTEETH_SOURCE_DIR) + "/data/actors.tsv");
  return g;
}

// What the lexicon resolves `name` to: the actor id, or "" for none.
std::string lexicon_id(const ActorLexicon& lx, const std::string& name) {
  ActorLexicon::ActorInfo a;
  return lx.find_alias(name, a) ? std::string(a.id) : std::string();
}

std::string gazetteer_id(const Gazetteer& g, const std::string& name) {
  const Actor* a = g.find_alias(name);
  return a ? a->id : std::string();
}

}  // namespace

TEST_CASE("the lexicon resolves every alias, id, name and short form as the gazetteer does", "[lexicon]") {
  const Gazetteer& g = real_gazetteer();
  const ActorLexicon lx = ActorLexicon::build(g);
  REQUIRE(lx.size() == g.actors().size());
  std::size_t checked = 0;
  for (const Actor& a : g.actors()) {
    std::vector<std::string> names = a.aliases;
    names.push_back(a.id);
    names.insert(names.end(), a.short_forms.begin(), a.short_forms.end());
    for (const std::string& n : names) {
      INFO(a.id << ": " << n);
      CHECK(lexicon_id(lx, n) == gazetteer_id(g, n));
      ++checked;
    }
    ActorLexicon::ActorInfo info;
    REQUIRE(lx.find_id(a.id, info));
    CHECK(info.name == a.name);
    CHECK(info.type == a.type);
  }
  CHECK(checked > 2000);
  // Spellings and cases the gazetteer folds.
  for (const char* n : {"KIM JONG UN", "kim jong-un", "Kim Jong-Un", "U.S.", "the North", "Xi", "Hu", "nobody at all",
                        "Ri Song Choi", "", "  "}) {
    INFO(n);
    CHECK(lexicon_id(lx, n) == gazetteer_id(g, n));
  }
  CHECK(lexicon_id(lx, "Kim Jong Un") == "kim-jong-un");
}

TEST_CASE("the lexicon finds aliases by the query's folded words", "[lexicon]") {
  const ActorLexicon lx = ActorLexicon::build(real_gazetteer());
  CHECK(lx.alias_words("kim jong un") == "kim-jong-un");
  CHECK(lx.alias_words("dprk") == "north-korea");
  CHECK(lx.alias_words("six party talks") == "six-party-talks");
  CHECK(lx.alias_words("kim jong") == "");
  CHECK(lx.alias_words("sanctions") == "");
  CHECK(lx.longest_alias() >= 5);
}

TEST_CASE("the stored lexicon reads back the same, and a damaged one is refused", "[lexicon]") {
  const ActorLexicon lx = ActorLexicon::build(real_gazetteer());
  const ActorLexicon back = ActorLexicon::parse(std::string(lx.text()));
  CHECK(back.text() == lx.text());
  CHECK(back.size() == lx.size());
  CHECK(lexicon_id(back, "Jang Song Thaek") == lexicon_id(lx, "Jang Song-thaek"));
  const ActorLexicon copy = back;  // copies keep working after the original is gone
  CHECK(copy.alias_words("xi jinping") == "xi-jinping");

  CHECK(ActorLexicon::parse("").empty());
  CHECK_THROWS_AS(ActorLexicon::parse("something else\n"), lipsteeth::InputError);
  CHECK_THROWS_AS(ActorLexicon::parse("lipsteeth-lexicon 1\nA\tonly-two\n"), lipsteeth::InputError);
  CHECK_THROWS_AS(ActorLexicon::parse("lipsteeth-lexicon 1 x\nA\ta\tA\tstate\n"), lipsteeth::InputError);
  CHECK_THROWS_AS(ActorLexicon::parse("lipsteeth-lexicon 1 2\nK\taa\ta\nA\ta\tA\tstate\n"), lipsteeth::InputError);
  CHECK_THROWS_AS(ActorLexicon::parse("lipsteeth-lexicon 1 2\nA\ta\tA\tstate\nK\taa\ta\nT\tb\ta\n"),
                  lipsteeth::InputError);
  // A small hand-written one: every look-up is a binary search over its lines.
  const ActorLexicon small = ActorLexicon::parse(
      "lipsteeth-lexicon 1 2\nA\tb-state\tB State\tstate\nA\tc-man\tC Man\tperson\n"
      "T\tb\tb-state\nT\tc man\tc-man\nK\tb\tb-state\nK\tcman\tc-man\n");
  CHECK(small.size() == 2);
  CHECK(small.longest_alias() == 2);
  CHECK(small.alias_words("c man") == "c-man");
  CHECK(small.alias_words("b") == "b-state");
  CHECK(small.alias_words("a") == "");
  CHECK(small.alias_words("d") == "");
  ActorLexicon::ActorInfo info;
  REQUIRE(small.find_alias("C-Man", info));
  CHECK(info.name == "C Man");
  CHECK(info.type == "person");
  CHECK_FALSE(small.find_id("a-state", info));
}

TEST_CASE("an actor's rank names the same actor in the gazetteer and in the stored lexicon", "[lexicon]") {
  const Gazetteer& g = real_gazetteer();
  const ActorLexicon lx = ActorLexicon::parse(std::string(ActorLexicon::build(g).text()));
  const auto actors = lx.actors();
  const auto ranks = lipsteeth::analyzers::actor_ranks(g);
  REQUIRE(actors.size() == g.actors().size());
  REQUIRE(ranks.size() == g.actors().size());
  for (std::size_t i = 0; i < g.actors().size(); ++i) {
    REQUIRE(ranks[i] < actors.size());
    CHECK(actors[ranks[i]].id == g.actors()[i].id);
    CHECK(actors[ranks[i]].name == g.actors()[i].name);
    std::size_t rank = actors.size();
    REQUIRE(lx.rank_of(g.actors()[i].id, rank));
    CHECK(rank == ranks[i]);
  }
  for (std::size_t r = 1; r < actors.size(); ++r) CHECK(actors[r - 1].id < actors[r].id);
  std::size_t rank = 0;
  CHECK_FALSE(lx.rank_of("no-such-actor", rank));
  CHECK_FALSE(lx.rank_of("", rank));
  CHECK_FALSE(lx.rank_of("zzzz", rank));
}
