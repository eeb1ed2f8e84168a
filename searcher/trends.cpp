// Actors over time and in company, from the searcher's exact facet counts.
#include "searcher/trends.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <map>

#include "analyzers/schema.h"

namespace lipsteeth::searcher {
namespace {

// Passages per year of the whole index: the frequencies of the year terms.
std::map<int, std::size_t> passages_per_year(const Xapian::Database& db) {
  std::map<int, std::size_t> out;
  const std::string prefix = schema::kYearPrefix;
  for (auto t = db.allterms_begin(prefix); t != db.allterms_end(prefix); ++t) {
    const std::string term = *t;
    char* end = nullptr;
    const long year = std::strtol(term.c_str() + prefix.size(), &end, 10);
    if (end == term.c_str() + prefix.size() || *end != '\0') continue;
    out[static_cast<int>(year)] = t.get_termfreq();
  }
  return out;
}

// Every passage naming `actor` in the range, counted exactly: facets by year and by actor.
SearchResult count(const Database& db, const std::string& actor, std::optional<int> from, std::optional<int> to) {
  SearchOptions o;
  o.actors = {actor};
  o.year_from = from;
  o.year_to = to;
  o.limit = 0;
  o.facets = true;
  o.spelling = false;
  o.exact_up_to = std::numeric_limits<std::size_t>::max();
  return search(db, o);
}

// The actor's id and display name, as the index's lexicon knows them (an
// unknown actor has already made `count` throw, with the closest names).
void identify(const Database& db, const std::string& actor, std::string& id, std::string& name) {
  analyzers::ActorLexicon::ActorInfo a;
  if (!db.lexicon().find_alias(actor, a)) return;
  id = std::string(a.id);
  name = std::string(a.name.empty() ? a.id : a.name);
}

}  // namespace

Trend actor_trend(const Database& db, const std::string& actor, std::optional<int> from, std::optional<int> to) {
  const SearchResult r = count(db, actor, std::nullopt, std::nullopt);
  Trend t;
  identify(db, actor, t.id, t.name);
  t.passages = r.total;
  std::map<int, std::size_t> named;
  std::size_t dated = 0;
  for (const FacetValue& v : r.facets->year) {
    named[std::atoi(v.key.c_str())] = v.count;
    dated += v.count;
  }
  t.undated = t.passages - std::min(dated, t.passages);
  const std::map<int, std::size_t> all = passages_per_year(db.xapian());
  if (all.empty()) return t;
  const int first = from.value_or(all.begin()->first), last = to.value_or(all.rbegin()->first);
  for (int y = first; y <= last; ++y) {
    auto a = all.find(y);
    auto n = named.find(y);
    t.years.push_back({y, n == named.end() ? 0 : n->second, a == all.end() ? 0 : a->second});
  }
  return t;
}

Companions actor_companions(const Database& db, const std::string& actor, std::optional<int> from,
                            std::optional<int> to) {
  const SearchResult r = count(db, actor, from, to);
  Companions c;
  identify(db, actor, c.id, c.name);
  c.passages = r.total;
  if (!from && !to) {
    c.corpus = db.xapian().get_doccount();
  } else {
    for (const auto& [year, n] : passages_per_year(db.xapian()))
      if ((!from || year >= *from) && (!to || year <= *to)) c.corpus += n;
  }
  for (const FacetValue& v : r.facets->actor) {
    if (v.key == c.id) continue;
    Companion k;
    k.id = v.key;
    k.name = v.label;
    k.together = v.count;
    // The other actor's passages in the same range: its own exact count.
    k.passages = (!from && !to) ? db.xapian().get_termfreq(schema::kActorPrefix + v.key)
                                : count(db, v.key, from, to).total;
    if (c.passages && k.passages && c.corpus) {
      k.lift = (static_cast<double>(k.together) * static_cast<double>(c.corpus)) /
               (static_cast<double>(c.passages) * static_cast<double>(k.passages));
      k.pmi = std::log2(k.lift);
    }
    c.actors.push_back(std::move(k));
  }
  std::sort(c.actors.begin(), c.actors.end(), [](const Companion& a, const Companion& b) {
    if (a.together != b.together) return a.together > b.together;
    if (a.lift != b.lift) return a.lift > b.lift;
    return a.id < b.id;
  });
  return c;
}

}  // namespace lipsteeth::searcher
