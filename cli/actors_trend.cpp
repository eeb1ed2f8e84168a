// `lipsteeth actors trend NAME...` and `lipsteeth actors with NAME`: an actor's
// passages year by year against the corpus's, drawn as a chart, and the
// actors that share its passages, with lift and PMI. docs/actors.md.
#include "cli/actors_trend.h"

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/chart.h"
#include "cli/common.h"
#include "cli/year_range.h"
#include "searcher/trends.h"

namespace lipsteeth::cli {
namespace {

using Json = nlohmann::ordered_json;
constexpr int kBarCells = 40;

struct TrendArgs {
  std::vector<std::string> actors;
  std::string db;
  std::string year;
  bool json = false;
};

struct WithArgs {
  std::string actor;
  std::string db;
  std::string year;
  std::size_t limit = 20;
  std::size_t min_together = 1;
  bool json = false;
};

int run_trend(const TrendArgs& a) {
  const auto [from, to] = a.year.empty() ? std::pair<std::optional<int>, std::optional<int>>{} : parse_year_range(a.year);
  const searcher::Database db = searcher::Database::open(a.db);
  std::vector<searcher::Trend> trends;
  for (const std::string& name : a.actors) trends.push_back(searcher::actor_trend(db, name, from, to));
  if (a.json) {
    Json arr = Json::array();
    for (const auto& t : trends) {
      Json years = Json::array();
      for (const auto& y : t.years)
        years.push_back({{"year", y.year}, {"passages", y.passages}, {"of", y.of}, {"share", y.share()}});
      arr.push_back({{"id", t.id}, {"name", t.name}, {"passages", t.passages}, {"undated", t.undated}, {"years", years}});
    }
    out(Json{{"version", kJsonVersion}, {"actors", arr}}.dump(2) + "\n");
    return kOk;
  }
  // One scale for every actor, so that their bars compare.
  double top = 0;
  for (const auto& t : trends)
    for (const auto& y : t.years) top = std::max(top, y.share());
  for (std::size_t i = 0; i < trends.size(); ++i) {
    const auto& t = trends[i];
    std::string s = fmt::format("{}{} ({}): {} passages{}\n", i ? "\n" : "", t.name, t.id, t.passages,
                                t.undated ? fmt::format(", {} of unknown year", t.undated) : "");
    s += fmt::format("{:>4}  {:>8}  {:>8}  {:>6}\n", "year", "passages", "of all", "share");
    for (const auto& y : t.years)
      s += fmt::format("{:>4}  {:>8}  {:>8}  {:>5.1f}%  {}\n", y.year, y.passages, y.of, 100 * y.share(),
                       top > 0 ? bar(y.share() / top, kBarCells) : "");
    out(s);
  }
  return kOk;
}

int run_with(const WithArgs& a) {
  const auto [from, to] = a.year.empty() ? std::pair<std::optional<int>, std::optional<int>>{} : parse_year_range(a.year);
  const searcher::Database db = searcher::Database::open(a.db);
  searcher::Companions c = searcher::actor_companions(db, a.actor, from, to);
  std::vector<searcher::Companion> list;
  for (auto& k : c.actors)
    if (k.together >= a.min_together) list.push_back(std::move(k));
  if (a.limit && list.size() > a.limit) list.resize(a.limit);
  if (a.json) {
    Json arr = Json::array();
    for (const auto& k : list)
      arr.push_back({{"id", k.id}, {"name", k.name}, {"together", k.together}, {"passages", k.passages},
                     {"lift", k.lift}, {"pmi", k.pmi}});
    out(Json{{"version", kJsonVersion}, {"id", c.id}, {"name", c.name}, {"passages", c.passages},
             {"corpus", c.corpus}, {"actors", arr}}
            .dump(2) +
        "\n");
    return kOk;
  }
  std::string s = fmt::format("{} ({}): {} of {} passages\n", c.name, c.id, c.passages, c.corpus);
  if (!list.empty()) s += fmt::format("{:>8}  {:>8}  {:>6}  {:>5}  {}\n", "together", "passages", "lift", "pmi", "actor");
  for (const auto& k : list)
    s += fmt::format("{:>8}  {:>8}  {:>6.2f}  {:>5.2f}  {} ({})\n", k.together, k.passages, k.lift, k.pmi, k.name, k.id);
  if (list.empty()) s += "no other actor shares its passages\n";
  out(s);
  return kOk;
}

}  // namespace

std::vector<Command> setup_actor_trends(CLI::App& actors) {
  auto t = std::make_shared<TrendArgs>();
  auto* trend = actors.add_subcommand(
      "trend",
      "An actor's passages year by year, against all the passages of each year, as a chart\n"
      "(share = the actor's passages / the year's passages). Example:\n"
      "  lipsteeth actors trend THAAD \"Kim Jong Un\" --year 2010..2020");
  trend->add_option("actor", t->actors, "Actors: any alias, id or name")->required();
  trend->add_option("--db", t->db, "Index directory (default: $LIPSTEETH_DB, else $XDG_DATA_HOME/lipsteeth/index)");
  trend->add_option("--year", t->year, "Only these years: 2016, 2012..2016, 2012.., ..2016");
  trend->add_flag("--json", t->json, "JSON output (docs/actors.md)");

  auto w = std::make_shared<WithArgs>();
  auto* with = actors.add_subcommand(
      "with",
      "The actors named in the same passages as ACTOR, most shared first, with lift\n"
      "(how much more often than if they were named independently) and PMI = log2(lift). Example:\n"
      "  lipsteeth actors with \"Xi Jinping\" --year 2018 --limit 10");
  with->add_option("actor", w->actor, "Actor: any alias, id or name")->required();
  with->add_option("--db", w->db, "Index directory (default: $LIPSTEETH_DB, else $XDG_DATA_HOME/lipsteeth/index)");
  with->add_option("--year", w->year, "Only passages of articles from these years: 2016, 2012..2016");
  with->add_option("--limit", w->limit, "At most this many actors (0: all)")->default_str("20");
  with->add_option("--min-together", w->min_together, "Only actors sharing at least this many passages")
      ->default_str("1")
      ->check(CLI::PositiveNumber);
  with->add_flag("--json", w->json, "JSON output (docs/actors.md)");
  return {Command{trend, [t] { return run_trend(*t); }, true}, Command{with, [w] { return run_with(*w); }, true}};
}

}  // namespace lipsteeth::cli
