// Actors over time and in company: how often an actor is named year by year,
// against how much the corpus says each year, and which actors share its
// passages more often than chance would have them. Both are counts over the
// index, exact, through the searcher's own facet counts.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "searcher/searcher.h"

namespace lipsteeth::searcher {

struct TrendYear {
  int year = 0;
  std::size_t passages = 0;  // passages of that year naming the actor
  std::size_t of = 0;        // passages of that year in the index
  // passages / of: the actor's share of what the corpus says that year.
  double share() const { return of ? static_cast<double>(passages) / static_cast<double>(of) : 0.0; }
};

struct Trend {
  std::string id;    // gazetteer id
  std::string name;  // display name
  std::size_t passages = 0;          // passages naming the actor, every year and none
  std::size_t undated = 0;           // of those, in articles of unknown year
  std::vector<TrendYear> years;      // every year of the index in the range, ascending, zeros included
};

// The yearly counts of `actor` (any alias, the id or the name; UsageError with
// the closest actors for an unknown one), over the years of the index between
// `from` and `to` (inclusive; open ends: the index's first and last year).
Trend actor_trend(const Database& db, const std::string& actor, std::optional<int> from = std::nullopt,
                  std::optional<int> to = std::nullopt);

struct Companion {
  std::string id;
  std::string name;
  std::size_t together = 0;  // passages naming both
  std::size_t passages = 0;  // passages naming this actor, in the range
  // P(both) / (P(actor) P(this one)) over the passages of the range: above 1,
  // they meet more often than if they were named independently.
  double lift = 0;
  double pmi = 0;  // log2(lift)
};

struct Companions {
  std::string id;
  std::string name;
  std::size_t passages = 0;  // passages naming the actor, in the range
  std::size_t corpus = 0;    // passages in the range
  std::vector<Companion> actors;  // every actor sharing at least one passage, most shared first
};

// The actors named in the same passages as `actor`, with lift and PMI, over
// the passages of articles from `from` to `to` (either open; with neither,
// every passage, undated ones included).
Companions actor_companions(const Database& db, const std::string& actor, std::optional<int> from = std::nullopt,
                            std::optional<int> to = std::nullopt);

}  // namespace lipsteeth::searcher
