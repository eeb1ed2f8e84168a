#include "searcher/filters.h"

#include "analyzers/error.h"

namespace lipsteeth::searcher {

namespace {

// A year range holding at least this share of the passages is filtered by
// reading the passage column (YearRangeSource) instead of its year terms.
constexpr double kYearSourceShare = 0.05;

}  // namespace

std::string did_you_mean(const Database& db, std::string_view name) {
  auto close = db.gazetteer().suggest(name);
  if (close.empty()) return {};
  std::string msg = "; did you mean: ";
  for (std::size_t i = 0; i < close.size(); ++i) msg += (i ? ", " : "") + close[i]->name + " (" + close[i]->id + ")";
  return msg;
}

Xapian::Query year_query(const Database& db, int from, int to) {
  if (const analyzers::PassageColumn* col = db.column()) {
    const double share = static_cast<double>(col->passages_in_years(from, to)) /
                         std::max<double>(1, db.xapian().get_doccount());
    if (to > from && share >= kYearSourceShare)
      return Xapian::Query((new YearRangeSource(col, from, to))->release());
  }
  // Y terms are exact and cheap; a long range reads value slot 0 instead.
  if (to - from <= 200) {
    std::vector<Xapian::Query> ys;
    for (int y = from; y <= to; ++y) ys.emplace_back(schema::kYearPrefix + std::to_string(y));
    return Xapian::Query(Xapian::Query::OP_OR, ys.begin(), ys.end());
  }
  return Xapian::Query(Xapian::Query::OP_VALUE_RANGE, schema::kValueYear, Xapian::sortable_serialise(from),
                       Xapian::sortable_serialise(to));
}

Xapian::Query filter_query(const Database& db, const SearchOptions& o, std::vector<std::string>& actor_ids,
                           ColumnFilter& column_filter, bool& column_filter_ok) {
  std::vector<Xapian::Query> filters;
  column_filter = {};
  column_filter_ok = true;
  for (const auto& name : o.actors) {
    analyzers::ActorLexicon::ActorInfo a;
    if (!db.lexicon().find_alias(name, a)) {
      std::string close = did_you_mean(db, name);
      throw UsageError(fmt::format("unknown actor '{}'{} (`lipsteeth actors` lists the known actors)", name,
                                   close.empty() ? "" : close + "?"));
    }
    actor_ids.emplace_back(a.id);
    const std::string term = schema::kActorPrefix + std::string(a.id);
    std::size_t rank = 0;
    if (!db.lexicon().rank_of(a.id, rank) || rank > 0xffffffffu) column_filter_ok = false;
    if (const analyzers::PassageColumn* col = db.column(); col && column_filter_ok && col->actor_bitmap(rank))
      filters.emplace_back(
          (new ActorBitmapSource(col, static_cast<std::uint32_t>(rank), db.xapian().get_termfreq(term)))->release());
    else
      filters.emplace_back(term);
    column_filter.actors.push_back(static_cast<std::uint32_t>(rank));
    column_filter.actor_terms.push_back(schema::kActorPrefix + std::string(a.id));
  }
  std::sort(column_filter.actors.begin(), column_filter.actors.end());
  column_filter.actors.erase(std::unique(column_filter.actors.begin(), column_filter.actors.end()),
                             column_filter.actors.end());
  if (o.year_from || o.year_to) {
    const int from = o.year_from.value_or(0), to = o.year_to.value_or(9999);
    if (from > to) throw UsageError(fmt::format("year range {}..{} is reversed", from, to));
    filters.push_back(year_query(db, from, to));
    column_filter.years = true;
    column_filter.from = from;
    column_filter.to = to;
  }
  if (filters.empty()) return {};
  return Xapian::Query(Xapian::Query::OP_AND, filters.begin(), filters.end());
}

}  // namespace lipsteeth::searcher
