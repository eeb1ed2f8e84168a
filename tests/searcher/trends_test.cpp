// `actors trend` and `actors with` over a generated corpus whose counts are
// known by construction: every passage names a chosen set of actors by their
// full names, in articles dated by their front matter.
#include <array>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <sstream>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "tests/test_support.h"

namespace fs = std::filesystem;
using lipsteeth::testing::run_cli;
using lipsteeth::testing::TempDir;

namespace {

// The actors a passage may name, by a full name the gazetteer holds.
const std::vector<std::pair<std::string, std::string>> kActors = {
    {"xi-jinping", "Xi Jinping"}, {"kim-jong-un", "Kim Jong Un"}, {"thaad", "THAAD"}};

// Sentences that name no actor, so that a passage names exactly the ones chosen.
const std::vector<std::string> kFiller = {
    "The delegates met again in the afternoon and spoke at length about the harvest and the roads.",
    "Observers noted that the talks ran late into the evening without a statement to the press.",
    "The weather along the river had been poor for weeks, and the markets were quieter than usual.",
    "Officials declined to say when the next round of meetings would take place or who would attend.",
};

// What the generator wrote: per year, the passages and, per passage, the actors it names.
struct Corpus {
  TempDir tmp{"lipsteeth-trends"};
  fs::path dir = tmp.path, db = tmp.path / "idx";
  std::map<int, std::vector<std::set<std::string>>> passages;

  Corpus() {
    std::mt19937 rng(20261207);
    int file = 0;
    for (int year : {2012, 2014, 2015, 2017}) {
      const int articles = 2 + static_cast<int>(rng() % 3);
      for (int a = 0; a < articles; ++a) {
        std::ostringstream f;
        const std::string name = "corpus/article-" + std::to_string(++file) + ".md";
        f << "---\ntitle: Report number " << file << "\ndate: " << year << "-0" << (1 + a % 9) << "-15\n---\n\n";
        const int paragraphs = 2 + static_cast<int>(rng() % 5);
        for (int p = 0; p < paragraphs; ++p) {
          std::set<std::string> named;
          std::string text;
          for (const auto& [id, name] : kActors) {
            if (rng() % 3 != 0) continue;
            named.insert(id);
            text += "A statement about " + name + " was read out. ";
          }
          text += kFiller[rng() % kFiller.size()] + " " + kFiller[rng() % kFiller.size()];
          f << text << "\n\n";
          passages[year].push_back(named);
        }
        tmp.write(name, f.str());
      }
    }
    const auto r = run_cli("index", {"-q", "--db", db.string(), (dir / "corpus").string()});
    INFO(r.err);
    REQUIRE(r.code == 0);
  }

  // `lipsteeth actors ARGS... --json` over the index.
  nlohmann::json json(std::vector<std::string> args) const {
    args.insert(args.end(), {"--json", "--db", db.string()});
    const auto r = run_cli("actors", args);
    INFO(r.out << r.err);
    REQUIRE(r.code == 0);
    return nlohmann::json::parse(r.out);
  }
};

const Corpus& corpus() {
  static Corpus c;
  return c;
}

std::size_t naming(const std::vector<std::set<std::string>>& ps, const std::string& id,
                   const std::string& other = "") {
  std::size_t n = 0;
  for (const auto& p : ps) n += p.count(id) && (other.empty() || p.count(other));
  return n;
}

}  // namespace

TEST_CASE("actors trend counts an actor's passages per year against the year's passages", "[trends][cli]") {
  const Corpus& c = corpus();
  const auto j = c.json({"trend", "Kim Jong Un", "xi-jinping"});
  CHECK(j["version"] == 1);
  REQUIRE(j["actors"].size() == 2);
  for (const auto& t : j["actors"]) {
    const std::string id = t["id"];
    INFO(id);
    std::size_t total = 0;
    // Every year from the first to the last, the years without articles as zeros.
    REQUIRE(t["years"].size() == 2017 - 2012 + 1);
    for (const auto& y : t["years"]) {
      const int year = y["year"];
      const auto it = c.passages.find(year);
      const std::size_t of = it == c.passages.end() ? 0 : it->second.size();
      const std::size_t named = it == c.passages.end() ? 0 : naming(it->second, id);
      INFO(year);
      CHECK(y["of"] == of);
      CHECK(y["passages"] == named);
      CHECK(y["share"].get<double>() == Approx(of ? double(named) / of : 0.0));
      total += named;
    }
    CHECK(t["passages"] == total);
    CHECK(t["undated"] == 0);
  }
  CHECK(j["actors"][0]["id"] == "kim-jong-un");  // in the order asked, whatever the alias
}

TEST_CASE("actors trend --year keeps the years asked for", "[trends][cli]") {
  const auto j = corpus().json({"trend", "THAAD", "--year", "2014..2015"});
  REQUIRE(j["actors"][0]["years"].size() == 2);
  CHECK(j["actors"][0]["years"][0]["year"] == 2014);
  CHECK(j["actors"][0]["years"][1]["of"] == corpus().passages.at(2015).size());
}

TEST_CASE("actors with gives the passages shared and their lift", "[trends][cli]") {
  const Corpus& c = corpus();
  for (const char* year : {"", "2014..2015"}) {
    INFO("year: " << year);
    std::vector<std::set<std::string>> all;
    for (const auto& [y, ps] : c.passages)
      if (std::string(year).empty() || (y >= 2014 && y <= 2015)) all.insert(all.end(), ps.begin(), ps.end());
    std::vector<std::string> args = {"with", "Xi Jinping"};
    if (*year) args.insert(args.end(), {"--year", year});
    const auto j = c.json(args);
    CHECK(j["id"] == "xi-jinping");
    CHECK(j["corpus"] == all.size());
    const std::size_t xi = naming(all, "xi-jinping");
    CHECK(j["passages"] == xi);
    std::map<std::string, nlohmann::json> got;
    for (const auto& k : j["actors"]) got[k["id"]] = k;
    std::size_t sharing = 0;  // the others that share a passage with Xi, and no one else
    for (const char* other : {"kim-jong-un", "thaad"}) {
      INFO(other);
      const std::size_t together = naming(all, "xi-jinping", other), theirs = naming(all, other);
      if (together == 0) {
        CHECK(got.count(other) == 0);
        continue;
      }
      ++sharing;
      REQUIRE(got.count(other));
      CHECK(got[other]["together"] == together);
      CHECK(got[other]["passages"] == theirs);
      const double lift = double(together) * all.size() / (double(xi) * theirs);
      CHECK(got[other]["lift"].get<double>() == Approx(lift));
      CHECK(got[other]["pmi"].get<double>() == Approx(std::log2(lift)));
    }
    CHECK(got.size() == sharing);
    if (!*year) CHECK(sharing == 2);  // over the whole corpus, both lifts were checked
  }
}

TEST_CASE("actors trend and with refuse an unknown actor and a bad range", "[trends][cli]") {
  const Corpus& c = corpus();
  auto r = run_cli("actors", {"with", "Nobody", "--db", c.db.string()});
  CHECK(r.code == 2);
  CHECK(r.err.find("unknown actor 'Nobody'") != std::string::npos);
  r = run_cli("actors", {"trend", "THAAD", "--year", "2016..2012", "--db", c.db.string()});
  CHECK(r.code == 2);
  CHECK(r.err.find("reversed") != std::string::npos);
  r = run_cli("actors", {"trend", "THAAD", "--db", (c.dir / "none").string()});
  CHECK(r.code == 3);
}
