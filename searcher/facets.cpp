#include "searcher/facets.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <thread>

#include <fmt/format.h>

#include "analyzers/schema.h"

namespace lipsteeth::searcher {

namespace {

// Docid ranges a count by the matcher is split into, for the two threads to
// share (RangeCount): enough for the one that ranks first to join in.
constexpr std::size_t kCountRanges = 8;

// The terms of a query that is a term or an OR of terms (a word's stem, an
// alias's word and actor): false for anything else (phrases, AND, filters,
// wildcards).
bool or_of_terms(const Xapian::Query& q, std::vector<std::string>& terms) {
  switch (q.get_type()) {
    case Xapian::Query::LEAF_TERM:
      terms.push_back(*q.get_terms_begin());
      return true;
    case Xapian::Query::OP_OR:
    case Xapian::Query::OP_SYNONYM:  // matches as OR does (an alias: its word or its actor)
    case Xapian::Query::OP_SCALE_WEIGHT:
      for (std::size_t i = 0; i < q.get_num_subqueries(); ++i)
        if (!or_of_terms(q.get_subquery(i), terms)) return false;
      return !terms.empty();
    default:
      return false;
  }
}

// Reads the column for a stream of docids, its entries hinted ahead of
// use in two stages: a docid's offset as it enters a window of the next
// kWindow, its value kValueAhead docids before it is used (that hint loads
// the offset, which has arrived by then). A sparse list's look-ups are cache
// misses, two dependent ones each; hinted so, they overlap instead of
// following one another (at 1 GB, "Kim Jong-un" under an actor and a year
// range: 16.9 -> 11.7 ms). `next` gives the docids in order (0 after the
// last), each with what the caller wants to keep of it above its 32 bits;
// those `keep` refuses are dropped before any hint; `use` takes the others
// in turn, false to stop. False when stopped.
template <class Next, class Keep, class Use>
bool pipelined(const analyzers::PassageColumn& column, Next&& next, Keep&& keep, Use&& use) {
  constexpr std::size_t kWindow = 64, kValueAhead = 24;  // kWindow a power of 2
  std::uint64_t ring[kWindow];
  std::size_t head = 0, tail = 0;
  bool more = true;
  for (;;) {
    while (more && tail - head < kWindow) {
      const std::uint64_t d = next();
      if (d == 0) {
        more = false;
        break;
      }
      if (!keep(static_cast<Xapian::docid>(d))) continue;
      column.prefetch_offsets(static_cast<Xapian::docid>(d));
      ring[tail++ % kWindow] = d;
    }
    if (head == tail) return true;
    if (head + kValueAhead < tail)
      column.prefetch_value(static_cast<Xapian::docid>(ring[(head + kValueAhead) % kWindow]));
    if (!use(ring[head++ % kWindow])) return false;
  }
}

// Facet counts of a query that is an OR of terms (under `filter` when not
// null), straight from the posting lists and the passage column: the
// matcher's work per match (a Document for the MatchSpy, the OR's heap, the
// filter's AND) is most of a count otherwise. Walks the OR's lists together,
// or, when a filter's actor is rarer than they are together, that actor's
// list with the OR's lists skipped along. Counts up to `cap` passages
// (spy.seen); true when that was every one.
bool count_postings(const Xapian::Database& db, const analyzers::PassageColumn& column,
                    const std::vector<std::string>& terms, const ColumnFilter* filter, FacetSpy& spy,
                    std::size_t cap, std::vector<Xapian::docid>* docids = nullptr,
                    std::vector<Xapian::termcount>* wdfs = nullptr) {
  std::vector<Xapian::PostingIterator> its;
  std::vector<Xapian::docid> at;
  Xapian::doccount union_max = 0;
  for (const auto& t : terms) {
    Xapian::PostingIterator it = db.postlist_begin(t);
    if (it == db.postlist_end(t)) continue;
    at.push_back(*it);
    its.push_back(std::move(it));
    union_max += db.get_termfreq(t);
  }
  constexpr Xapian::docid kDone = static_cast<Xapian::docid>(-1);
  const Xapian::PostingIterator end;
  // Counts a matching passage; false once `cap` are counted.
  auto take = [&](Xapian::docid did, const ValueHead& h, Xapian::termcount wdf) {
    if (spy.seen == cap) return false;
    ++spy.seen;
    spy.count(h);
    if (docids) docids->push_back(did);
    if (wdfs) wdfs->push_back(wdf);
    return true;
  };
  const bool with_article = spy.counts_articles();
  std::optional<QuickFilter> quick;
  if (filter) quick.emplace(*filter, column);
  const auto keep = [&](Xapian::docid d) { return !quick || quick->pass(d); };
  // The rest of the filter, from the value, when the dense arrays are not all of it.
  const auto pass = [&](ValueHead& h) {
    return quick->exact ? h.read_rest(with_article) : filter->pass(h, with_article);
  };
  std::string rarest;
  Xapian::doccount rarest_tf = 0;
  if (filter)
    for (const auto& t : filter->actor_terms)
      if (const Xapian::doccount tf = db.get_termfreq(t); rarest.empty() || tf < rarest_tf) rarest = t, rarest_tf = tf;
  // Measured at 1 GB on the bench's filtered queries: walking the actor pays
  // from about where its list is shorter than the words' lists together.
  if (!rarest.empty() && rarest_tf < union_max) {
    auto a = db.postlist_begin(rarest);
    const auto a_end = db.postlist_end(rarest);
    return pipelined(
        column,
        [&]() -> std::uint64_t {
          if (a == a_end) return 0;
          const Xapian::docid d = *a;
          ++a;
          return d;
        },
        keep,
        [&](std::uint64_t item) {
          const auto did = static_cast<Xapian::docid>(item);
          ValueHead h;
          if (!h.read_year(column.value(did)) || !pass(h)) return true;
          bool in = false;
          Xapian::termcount wdf = 0;
          for (std::size_t i = 0; i < its.size() && !in; ++i) {
            if (at[i] < did) {
              its[i].skip_to(did);
              at[i] = its[i] == end ? kDone : *its[i];
            }
            in = at[i] == did;
            if (in && wdfs) wdf = its[i].get_wdf();
          }
          return !in || take(did, h, wdf);
        });
  }
  return pipelined(
      column,
      [&]() -> std::uint64_t {
        Xapian::docid did = kDone;
        for (Xapian::docid d : at) did = std::min(did, d);
        if (did == kDone) return 0;
        std::uint64_t wdf = 0;
        for (std::size_t i = 0; i < its.size(); ++i) {
          if (at[i] != did) continue;
          if (wdfs) wdf += its[i].get_wdf();
          ++its[i];
          at[i] = its[i] == end ? kDone : *its[i];
        }
        return did | std::min<std::uint64_t>(wdf, 0xffffffffu) << 32;
      },
      keep,
      [&](std::uint64_t item) {
        const auto did = static_cast<Xapian::docid>(item);
        const auto wdf = static_cast<Xapian::termcount>(item >> 32);
        ValueHead h;
        if (filter) return !h.read_year(column.value(did)) || !pass(h) || take(did, h, wdf);
        if (!h.read(column.value(did), with_article)) h = ValueHead{};  // a match, with nothing to count by
        return take(did, h, wdf);
      });
}


}  // namespace

Xapian::MSet estimate_matches(const Xapian::Database& db, const Xapian::Query& q) {
  Xapian::Enquire estimate(db);
  estimate.set_query(q);
  estimate.set_weighting_scheme(Xapian::BoolWeight());
  return estimate.get_mset(0, 0);
}

FacetCount::FacetCount(const Database& db, const SearchOptions& o, const std::string& query_text,
                       const Prepared& p)
    : db_(db),
      o_(o),
      p_(p),
      need_spy_(o.facets || o.group_by_article),
      spy_(need_spy_, o.group_by_article, db.lexicon().size(), db.column()) {
  const Xapian::Database& xdb = db.xapian();
  if (db.portable()) {
    // Over remote shards only Xapian's built-ins run: the counts come from
    // a pass of their own (finish()), a ValueCountMatchSpy over the passage
    // values, decoded here as FacetSpy decodes them.
    count_apart_ = need_spy_;
    return;
  }
  // Facets and article counts visit every match. Without filters, a query of
  // common words matches much of the index, and a ranked pass that counts
  // too must weigh every match, where alone it skips what cannot reach the
  // page: the counts then come from a pass of their own, unweighted. With
  // filters the match is smaller and repeating it costs more than the
  // weighing saves, so one pass does both; except for three words or more
  // ranked all-words first, whose one pass checks the AND form on every
  // match (the ranked pass alone finds its candidates by the AND form:
  // below). (Instruction counts of both ways at 200 MB in BENCHMARKS.md.)
  // Counted apart, a query that is an OR of terms (filtered or not) is
  // counted from its posting lists and the passage column (count_postings)
  // instead of by a pass of the matcher. Filtered, that count comes first
  // and lists the passages the filters let through; the ranked pass then
  // checks that list instead of the filters' posting lists and years (the
  // same passages: a test compares both), whatever the number of words.
  std::set<std::string> parts;  // the query's words, phrases and actor names
  for (const auto& w : p.nq.words)
    if (!w.negated && !w.wildcard && !is_stopword(w.term))
      parts.insert(w.alias >= 0 ? fmt::format("a{}", w.alias)
                   : w.phrase >= 0 ? fmt::format("p{}", w.phrase)
                                   : fmt::format("s{}", w.surface.start));
  const bool direct_able = db.column() && (!p.filtered || p.column_filter_ok) &&
                           or_of_terms(p.filtered ? p.base : p.forms.match, or_terms_);
  count_apart_ = need_spy_ && (!p.filtered || direct_able || (p.coordination && parts.size() >= 3));
  direct_ = count_apart_ && direct_able;
  // A title: clause alone (filtered or not) is counted from its list of
  // passages and the column, before the ranking: a pass of the matcher over
  // a posting source costs several times that ("title:china" at 200 MB,
  // 100K passages).
  const std::vector<Xapian::docid>* title_list = nullptr;
  if (need_spy_ && db.column() && (!p.filtered || p.column_filter_ok) && p.title_clauses.size() == 1 &&
      p.base.get_description() == p.title_clauses[0].second.query.get_description())
    title_list = p.title_clauses[0].second.passages.get();
  // A count apart from the ranking that has many postings to walk runs on a
  // second core, over a handle of its own on the same revision, while this
  // thread ranks: the query then takes about the longer of the two instead
  // of their sum. From the posting lists (an OR of terms) it reads the
  // column, the filter and the terms, which nothing changes meanwhile
  // (filtered, the ranked pass then applies the filters itself instead of
  // the list of passages the count let through); else it prepares the query
  // again over its own handle (Xapian's queries share reference counts: none
  // crosses threads) and counts by passes of the matcher over ranges of
  // docids (RangeCount), which this thread joins once it has ranked. The spy
  // is the thread's until get(). (The threshold, SearchOptions::
  // parallel_count_from: a second handle on the index costs about what
  // counting a few thousand passages does.)
  // A filtered query that is not an OR of terms (a phrase, say) is counted by
  // its ranked pass when there is one core (a pass of its own would repeat
  // the match); with a second core, by a pass of its own there, and the
  // ranked pass keeps Xapian's pruning.
  if (title_list) {
    for (Xapian::docid d : *title_list) {
      const std::string_view v = db.column()->value(d);
      if (p.filtered && !p.column_filter.pass(v)) continue;
      ++spy_.seen;
      spy_.count(v);
    }
    count_apart_ = counted_direct_ = direct_all_ = true;
  } else if (need_spy_ && (count_apart_ || p.filtered) && o.parallel_count_from != SIZE_MAX &&
             std::thread::hardware_concurrency() >= 2 && db.shard_count() == 1) {
    double postings = 0;
    bool worth = true;
    if (direct_) {
      for (const auto& t : or_terms_) postings += xdb.get_termfreq(t);
      // Filtered, a count that lets every match through hands the ranked
      // pass the list of passages that passed, which makes it much cheaper
      // than applying the filters (at 1 GB, under an actor and a year range:
      // "nuclear", 55K postings, 12.8 ms counted first, 18.3 ms on a thread
      // beside a ranked pass that filters; "said", 128K, 19.1 against 23.3
      // ms). On a thread only when the words' postings pass 1.5 times the
      // cap: then the count is long enough to pay ("Hu Jintao visit
      // Pyongyang", 288K: 37.8 -> 31.9 ms; "nuclear test missile launch",
      // 182K: 24.3 -> 18.9 ms), or will stop at the cap and leave the ranked
      // pass to apply the filters anyway.
      if (p.filtered) worth = postings >= 1.5 * static_cast<double>(o.exact_up_to);
      if (p.filtered)
        for (const auto& t : p.column_filter.actor_terms) postings = std::min<double>(postings, xdb.get_termfreq(t));
    } else {
      for (auto t = p.forms.match.get_terms_begin(); t != p.forms.match.get_terms_end(); ++t) postings += xdb.get_termfreq(*t);
    }
    if (worth && postings >= static_cast<double>(o.parallel_count_from)) {
      if (!direct_)
        ranges_.emplace(xdb.get_lastdocid(), kCountRanges, o.exact_up_to, o.group_by_article, db.lexicon().size(),
                       db.column());
      counting_ = std::async(std::launch::async, [this, &db, &o, &query_text, &p, revision = xdb.get_revision(),
                                                  uuid = xdb.get_uuid()]() -> int {
        const std::optional<Database> own = db.reopen(revision, uuid);
        if (!own) return -1;
        if (direct_)
          return count_postings(own->xapian(), *own->column(), or_terms_, p.filtered ? &p.column_filter : nullptr,
                                spy_, o.exact_up_to)
                     ? 1
                     : 0;
        analyzers::Stemmer stemmer("english");
        const Prepared again = prepare(*own, o, query_text, stemmer);
        ranges_->work(own->xapian(), again.forms.match);
        return 2;
      });
      counted_direct_ = direct_;
      count_apart_ = true;
    }
  }
  // A query of one term, counted first under filters: the ranked pass
  // weighs only the passages of highest wdf, as many as it asks for
  // (top_by_wdf), instead of every one the count let through (at 1 GB,
  // "said" under an actor and a year range: 16,915 passages, 10.7M of the
  // search's 51M instructions in that pass).
  if (p.filtered && direct_ && !counted_direct_) {
    auto docids = std::make_shared<std::vector<Xapian::docid>>();
    std::vector<Xapian::termcount> wdfs;
    const bool one_term = or_terms_.size() == 1 && p.base.get_type() == Xapian::Query::LEAF_TERM && !p.coordination;
    counted_direct_ = true;
    direct_all_ = count_postings(xdb, *db.column(), or_terms_, &p.column_filter, spy_, o.exact_up_to, docids.get(),
                                one_term ? &wdfs : nullptr);
    if (direct_all_) {
      if (one_term && wdfs.size() == docids->size()) {
        by_wdf_.reserve(wdfs.size());
        for (std::size_t i = 0; i < wdfs.size(); ++i) by_wdf_.emplace_back(wdfs[i], (*docids)[i]);
        rank_by_wdf_ = true;
      }
      through_ = Xapian::Query((new DocidSource(std::move(docids)))->release());
    } else {
      estimated_ = estimate_matches(xdb, p.forms.match);
    }
  }
}

void FacetCount::finish(const std::function<Xapian::MSet()>& ranked_pass, SearchResult& r) {
  const Xapian::Database& xdb = db_.xapian();
  const analyzers::ActorLexicon& lexicon = db_.lexicon();
  const SearchOptions& o = o_;
  const Prepared& p = p_;
  // The pass the totals come from: the OR form's (an estimate, as Xapian
  // stops where nothing more can reach the page), unless a count apart
  // gives them (every way of counting apart sets them below).
  Xapian::doccount counted_lower = 0, counted_upper = 0, counted_estimated = 0;
  if (estimated_ || !count_apart_) {
    const Xapian::MSet counted_pass = estimated_ ? *estimated_ : ranked_pass();
    counted_lower = counted_pass.get_matches_lower_bound();
    counted_upper = counted_pass.get_matches_upper_bound();
    counted_estimated = counted_pass.get_matches_estimated();
  }
  auto counted_from = [&](const Xapian::MSet& m) {
    counted_lower = m.get_matches_lower_bound();
    counted_upper = m.get_matches_upper_bound();
    counted_estimated = m.get_matches_estimated();
  };
  bool counted_apart = false;  // by the matcher, over ranges, on both threads
  bool counted_cut = false;    // ... of which the later ones were not needed
  if (ranges_) ranges_->work(xdb, p.forms.match);  // the ranges the second thread has not taken yet
  if (counting_.valid()) {
    const int state = counting_.get();
    if (ranges_) {
      // Counted whatever the second thread could do (if it could not open
      // the index again, this one took every range).
      r.counted_on_thread = state == 2;
      counted_apart = true;
      if (!ranges_->merge_into(spy_, counted_lower, counted_upper, counted_estimated)) {
        counted_cut = true;
        counted_from(estimate_matches(xdb, p.forms.match));
      }
    } else if (state < 0) {
      counted_direct_ = false;  // the index moved on: counted here, below
      spy_.reset();
    } else {
      r.counted_on_thread = true;
      direct_all_ = state == 1;
      if (!direct_all_) counted_from(estimate_matches(xdb, p.forms.match));
    }
  }
  if (direct_ && !counted_direct_) {
    counted_direct_ = true;
    direct_all_ = count_postings(xdb, *db_.column(), or_terms_, p.filtered ? &p.column_filter : nullptr, spy_,
                                o.exact_up_to);
    // Beyond `exact_up_to`: Xapian's estimate of the matches (from the terms'
    // frequencies), the counts scaled to it, as for the counting pass below.
    if (!direct_all_) counted_from(estimate_matches(xdb, p.forms.match));
  }
  if (count_apart_ && !counted_direct_ && !counted_apart && db_.portable()) {
    // Each passage's value, with how many matches hold it (one: a value
    // names its article and passage), from every shard.
    Xapian::ValueCountMatchSpy values(schema::kValuePassage);
    Xapian::Enquire counter(xdb);
    counter.set_query(p.forms.match);
    counter.set_weighting_scheme(Xapian::BoolWeight());
    counter.set_docid_order(Xapian::Enquire::ASCENDING);
    counter.add_matchspy(&values);
    counted_from(counter.get_mset(0, 0, static_cast<Xapian::doccount>(o.exact_up_to)));
    for (auto v = values.values_begin(); v != values.values_end(); ++v)
      for (Xapian::doccount k = 0; k < v.get_termfreq(); ++k) {
        ++spy_.seen;
        spy_.count(*v);
      }
    // A passage without a value (none is written so) is seen, not counted.
    spy_.seen = std::max<std::size_t>(spy_.seen, values.get_total());
  } else if (count_apart_ && !counted_direct_ && !counted_apart) {
    Xapian::Enquire counter(xdb);
    counter.set_query(p.forms.match);
    counter.set_weighting_scheme(Xapian::BoolWeight());
    counter.set_docid_order(Xapian::Enquire::ASCENDING);
    counter.add_matchspy(&spy_);
    counted_from(counter.get_mset(0, 0, static_cast<Xapian::doccount>(o.exact_up_to)));
  }
  // Matches: exact when every one was counted.
  const bool exact = counted_direct_ ? direct_all_ : !counted_cut && counted_lower == counted_upper;
  const std::size_t matches = counted_direct_ && direct_all_ ? spy_.seen
                                                           : std::max<std::size_t>(spy_.seen, counted_estimated);
  double scale = 1;
  if (need_spy_ && spy_.seen > 0 && spy_.seen < matches) scale = double(matches) / double(spy_.seen);
  if (o.group_by_article) {
    r.total = static_cast<std::size_t>(std::llround(double(spy_.articles.size()) * scale));
    r.total_exact = scale == 1 && exact;
  } else {
    r.total = matches;
    r.total_exact = exact;
  }
  if (!need_spy_ && !r.total_exact) {
    // Without facets nothing counted the matches, and the ranking pass stops
    // where nothing more can reach the page: count them (up to exact_up_to,
    // weights not computed), so that --no-facets keeps the total exact.
    Xapian::Enquire counter(xdb);
    counter.set_query(p.forms.match);
    counter.set_weighting_scheme(Xapian::BoolWeight());
    counter.set_docid_order(Xapian::Enquire::ASCENDING);
    const Xapian::MSet m = counter.get_mset(0, 0, static_cast<Xapian::doccount>(o.exact_up_to));
    r.total = m.get_matches_estimated();
    r.total_exact = m.get_matches_lower_bound() == m.get_matches_upper_bound();
  }
  if (o.facets) {
    Facets f;
    f.exact = scale == 1 && exact;
    for (const auto& [y, n] : spy_.years())
      f.year.push_back({std::to_string(y), std::to_string(y), static_cast<std::size_t>(std::llround(n * scale))});
    const std::vector<std::size_t>& counts = spy_.actors();
    for (std::size_t rank = 0; rank < counts.size(); ++rank) {
      analyzers::ActorLexicon::ActorInfo a;
      if (counts[rank] == 0 || !lexicon.actor_at(rank, a)) continue;
      f.actor.push_back({std::string(a.id), std::string(a.name.empty() ? a.id : a.name),
                         static_cast<std::size_t>(std::llround(counts[rank] * scale))});
    }
    std::sort(f.actor.begin(), f.actor.end(), [](const FacetValue& a, const FacetValue& b) {
      return a.count != b.count ? a.count > b.count : a.key < b.key;
    });
    r.facets = std::move(f);
  }
}

}  // namespace lipsteeth::searcher
