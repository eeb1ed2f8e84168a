// Facet counting: the counts by year and actor, the distinct articles (for
// --group-by article) and the totals of a search, over every passage its
// query matches. How a search counts is planned from the query's shape
// (FacetCount): by the ranked pass itself, by a pass of its own, straight
// from the posting lists and the passage column (an OR of terms, or a
// title: clause), on a second thread beside the ranking, or by ranges of
// docids the two threads share. Every way gives the same counts (tests
// compare them); they differ only in the work done.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_set>
#include <utility>
#include <vector>

#include <xapian.h>

#include "analyzers/passage_column.h"
#include "searcher/filters.h"
#include "searcher/prepare.h"
#include "searcher/searcher.h"

namespace lipsteeth::searcher {

// Facet counts (and distinct articles) over the documents the match sees:
// one value per passage (schema::PassageValue), counted into arrays.
// `actors`: how many actors the index's lexicon has (a rank beyond is not
// counted: only a damaged value could hold one).
class FacetSpy : public Xapian::MatchSpy {
 public:
  // `counting` false: a spy that is never attached (no facets asked) holds no
  // arrays (a fresh 32 KB array costs a short search its page faults).
  FacetSpy(bool counting, bool articles, std::size_t actors, const analyzers::PassageColumn* column)
      : count_articles_(articles),
        years_(counting ? 4096 : 0, 0),
        actors_(counting ? actors : 0, 0),
        column_(column) {}
  void operator()(const Xapian::Document& doc, double) override {
    ++seen;
    if (column_) {
      count(column_->value(doc.get_docid()));
    } else {
      count(doc.get_value(schema::kValuePassage));
    }
  }
  // Decodes only what it counts (a count runs this for every match): the
  // year, the article when grouping, the actors; the lengths and the
  // passage's place are stepped over.
  void count(std::string_view v) {
    ValueHead h;
    if (h.read(v, count_articles_)) count(h);
  }
  void count(const ValueHead& h) {
    if (!h.end) return;
    if (const std::uint64_t year = h.year_plus_one; year > 0) {
      if (year < years_.size()) {
        ++years_[year];
      } else {
        ++other_years_[year];
      }
    }
    if (count_articles_) articles.insert(h.article);
    const unsigned char* p = h.actors;
    std::uint64_t a = 0;
    while (next_rank(p, h.end, a))
      if (a < actors_.size()) ++actors_[a];
  }
  bool counts_articles() const { return count_articles_; }
  std::string name() const override { return "lipsteeth.FacetSpy"; }
  void reset() {
    seen = 0;
    years_.assign(years_.size(), 0);
    other_years_.clear();
    actors_.assign(actors_.size(), 0);
    articles.clear();
  }
  // Year -> passages (passages without a year are not counted).
  std::map<int, std::size_t> years() const {
    std::map<int, std::size_t> out;
    for (std::size_t y = 1; y < years_.size(); ++y)
      if (years_[y]) out[static_cast<int>(y - 1)] = years_[y];
    for (const auto& [y, n] : other_years_) out[static_cast<int>(y - 1)] += n;
    return out;
  }
  // Actor rank (schema::PassageValue) -> passages naming it; zero counts included.
  const std::vector<std::size_t>& actors() const { return actors_; }
  // Adds the counts of `other` (a spy of the same shape) to these.
  void add(const FacetSpy& other) {
    seen += other.seen;
    for (std::size_t y = 0; y < years_.size() && y < other.years_.size(); ++y) years_[y] += other.years_[y];
    for (const auto& [y, n] : other.other_years_) other_years_[y] += n;
    for (std::size_t a = 0; a < actors_.size() && a < other.actors_.size(); ++a) actors_[a] += other.actors_[a];
    articles.insert(other.articles.begin(), other.articles.end());
  }

  std::size_t seen = 0;
  std::unordered_set<std::uint64_t> articles;

 private:
  bool count_articles_;
  std::vector<std::size_t> years_;  // by year + 1
  std::map<std::uint64_t, std::size_t> other_years_;
  std::vector<std::size_t> actors_;
  const analyzers::PassageColumn* column_;
};

// take in turn as they come free: the second thread from the start, the
// first once it has ranked. Each range counts into a spy of its own, and
// the ranges are added in their order, so the counts do not depend on which
// thread counted which range. A range counts up to `cap` matches (counts stay
// exact up to the cap however the matches fall); once the ranges from the
// first on hold `cap` matches, the later ones are not started and the
// caller scales the counts to Xapian's estimate of the whole match.
class RangeCount {
 public:
  RangeCount(Xapian::docid last, std::size_t ranges, std::size_t cap, bool articles, std::size_t actors,
             const analyzers::PassageColumn* column)
      : cap_(cap) {
    ranges = std::max<std::size_t>(1, std::min<std::size_t>(ranges, last));
    for (std::size_t k = 0; k < ranges; ++k) {
      Range r;
      r.first = static_cast<Xapian::docid>(1 + std::uint64_t{last} * k / ranges);
      r.last = static_cast<Xapian::docid>(std::uint64_t{last} * (k + 1) / ranges);
      r.spy = std::make_unique<FacetSpy>(true, articles, actors, column);
      ranges_.push_back(std::move(r));
    }
  }
  // Counts ranges until none is left or needed; `db` and `match` are the
  // calling thread's own.
  void work(const Xapian::Database& db, const Xapian::Query& match) {
    for (;;) {
      const std::size_t k = next_.fetch_add(1);
      if (k >= ranges_.size()) return;
      {
        const std::lock_guard<std::mutex> lock(mutex_);
        if (k > enough_) return;
      }
      Range& r = ranges_[k];
      Xapian::Enquire e(db);
      e.set_query(Xapian::Query(Xapian::Query::OP_FILTER, match,
                                Xapian::Query((new DocidRangeSource(r.first, r.last))->release())));
      e.set_weighting_scheme(Xapian::BoolWeight());
      e.set_docid_order(Xapian::Enquire::ASCENDING);
      e.add_matchspy(r.spy.get());
      const Xapian::MSet m = e.get_mset(0, 0, static_cast<Xapian::doccount>(cap_));
      const std::lock_guard<std::mutex> lock(mutex_);
      r.lower = m.get_matches_lower_bound();
      r.upper = m.get_matches_upper_bound();
      r.estimated = m.get_matches_estimated();
      r.done = true;
      std::size_t seen = 0;
      for (std::size_t j = 0; j < ranges_.size() && ranges_[j].done; ++j) {
        seen += ranges_[j].spy->seen;
        if (seen >= cap_) {
          enough_ = std::min(enough_, j);
          break;
        }
      }
    }
  }
  // Once every work() has returned: adds the ranges' counts in order into
  // `spy` and their match counts into the three bounds; false when the
  // later ranges were not needed (then the bounds cover only those counted).
  bool merge_into(FacetSpy& spy, Xapian::doccount& lower, Xapian::doccount& upper, Xapian::doccount& estimated) {
    lower = upper = estimated = 0;
    for (std::size_t j = 0; j < ranges_.size() && j <= enough_; ++j) {
      spy.add(*ranges_[j].spy);
      lower += ranges_[j].lower;
      upper += ranges_[j].upper;
      estimated += ranges_[j].estimated;
    }
    return enough_ == SIZE_MAX || enough_ + 1 >= ranges_.size();
  }

 private:
  struct Range {
    Xapian::docid first = 1, last = 0;
    std::unique_ptr<FacetSpy> spy;
    Xapian::doccount lower = 0, upper = 0, estimated = 0;
    bool done = false;
  };
  std::vector<Range> ranges_;
  std::size_t cap_;
  std::atomic<std::size_t> next_{0};
  std::mutex mutex_;
  std::size_t enough_ = SIZE_MAX;  // the last range needed
};

// The count of one search, from its plan to its totals. Constructed before
// the ranking (it counts what is counted first, and starts a count on a
// second thread when one pays); finish() after it. Holds references to
// its arguments, which must outlive it; neither copied nor moved (the
// second thread writes into its members).
class FacetCount {
 public:
  FacetCount(const Database& db, const SearchOptions& o, const std::string& query_text, const Prepared& p);
  FacetCount(const FacetCount&) = delete;
  FacetCount& operator=(const FacetCount&) = delete;

  // The spy the ranked pass counts into when the count is its own (the
  // ranked pass then visits every match, up to exact_up_to), else null.
  FacetSpy* ranked_pass_spy() { return need_spy_ && !count_apart_ ? &spy_ : nullptr; }
  // Counted first under filters: the passages they let through (a posting
  // source), for the ranked pass to check in their place; else empty.
  const Xapian::Query& through() const { return through_; }
  // A query of one term counted first under filters: each passage's (wdf,
  // docid), from which the ranked pass takes the best (top_by_wdf); else null.
  std::vector<std::pair<Xapian::termcount, Xapian::docid>>* by_wdf() { return rank_by_wdf_ ? &by_wdf_ : nullptr; }
  // After the ranking: waits for the second thread, counts what is left,
  // and sets r's total, total_exact, facets and counted_on_thread.
  // `ranked_pass` gives the ranked pass's OR form, whose bounds are the
  // totals when nothing else counted (called only then).
  void finish(const std::function<Xapian::MSet()>& ranked_pass, SearchResult& r);

 private:
  const Database& db_;
  const SearchOptions& o_;
  const Prepared& p_;
  bool need_spy_ = false;
  bool count_apart_ = false;     // counted by anything but the ranked pass
  bool direct_ = false;          // from the posting lists (count_postings)
  bool counted_direct_ = false;  // ... started or done
  bool direct_all_ = false;      // ... and every match counted
  std::vector<std::string> or_terms_;
  FacetSpy spy_;
  std::optional<Xapian::MSet> estimated_;  // of a count that stopped at exact_up_to
  Xapian::Query through_;
  std::vector<std::pair<Xapian::termcount, Xapian::docid>> by_wdf_;
  bool rank_by_wdf_ = false;
  std::optional<RangeCount> ranges_;  // a count by the matcher, shared by the two threads
  // The second thread's count: -1 not counted (the index moved on), 0
  // stopped at the cap, 1 all counted, 2 by the matcher. Last, so that it is
  // waited for before the members it writes are destroyed.
  std::future<int> counting_;
};

// Xapian's estimate of a query's matches (from its terms' frequencies), for
// a count that stopped at exact_up_to: the counts are scaled to it.
Xapian::MSet estimate_matches(const Xapian::Database& db, const Xapian::Query& q);

}  // namespace lipsteeth::searcher
