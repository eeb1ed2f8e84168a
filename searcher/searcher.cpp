#include "searcher/searcher.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <future>
#include <map>
#include <atomic>
#include <mutex>
#include <set>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "analyzers/error.h"
#include "analyzers/passage_column.h"
#include "analyzers/passage_data.h"
#include "analyzers/schema.h"
#include "analyzers/stemmer.h"
#include "searcher/query.h"
#include "searcher/snippet.h"

namespace lipsteeth::searcher {

namespace {

// Ranking parameters: one configuration for every corpus (docs/search.md,
// "Ranking"; measured in BENCHMARKS.md).
constexpr double kK1 = 1.2;              // BM25 term-frequency saturation
constexpr double kB = 0.75;              // BM25 length normalisation (title, article, proximity)
// The match's BM25 over passages has none: passages are cut to bounded
// lengths, and with b = 0 Xapian needs no document length, whose look-up
// walks the length list of every passage (a cost that grows with the index,
// not with the matches). Measured on ../shared/eval/ (BENCHMARKS.md).
constexpr double kPassageB = 0.0;
constexpr double kTitleWeight = 0.5;     // title words, relative to passage words
constexpr double kArticleWeight = 1.5;   // article-level BM25 (the article's matching passages pooled)
// Docid ranges a count by the matcher is split into, for the two threads to
// share (RangeCount): enough for the one that ranks first to join in.
constexpr std::size_t kCountRanges = 8;
constexpr double kArticleTitle = 2.0;     // title words count this many times in the article's BM25
constexpr double kProximityWeight = 1.0; // query words close together
constexpr unsigned kProximityWindow = 10;  // words
constexpr std::size_t kRerankDepth = 200;  // candidates re-scored for article and proximity
// A year range holding at least this share of the passages is filtered by
// reading the passage column (YearRangeSource) instead of its year terms.
constexpr double kYearSourceShare = 0.05;
constexpr double kAllWordsBoost = 1e6;     // ranks passages with every word first

// Throws from field processors are awkward inside QueryParser; they record
// the problem and the caller throws after parsing.
struct ParseState {
  const Database* db = nullptr;
  const NormalizedQuery* normalized = nullptr;
  analyzers::Stemmer* stemmer = nullptr;
  std::string error;
  std::vector<std::string> actor_ids;  // resolved actor: values
};

// "; did you mean: A (a), B (b)" for an unknown actor name, or "".
std::string did_you_mean(const Database& db, std::string_view name) {
  auto close = db.gazetteer().suggest(name);
  if (close.empty()) return {};
  std::string msg = "; did you mean: ";
  for (std::size_t i = 0; i < close.size(); ++i) msg += (i ? ", " : "") + close[i]->name + " (" + close[i]->id + ")";
  return msg;
}

class ActorField : public Xapian::FieldProcessor {
 public:
  explicit ActorField(ParseState& st) : st_(st) {}
  Xapian::Query operator()(const std::string& value) override {
    analyzers::ActorLexicon::ActorInfo a;
    if (!st_.db->lexicon().find_alias(value, a)) {
      if (st_.error.empty())
        st_.error = fmt::format("unknown actor in 'actor:{}'{}? (`lipsteeth actors` lists them)", value,
                                did_you_mean(*st_.db, value));
      return Xapian::Query::MatchNothing;
    }
    st_.actor_ids.emplace_back(a.id);
    return Xapian::Query(schema::kActorPrefix + std::string(a.id));
  }

 private:
  ParseState& st_;
};

// "2016" or "2012..2016" (inclusive).
bool parse_years(std::string_view s, int& from, int& to) {
  auto num = [](std::string_view t, int& out) {
    if (t.empty() || t.size() > 6) return false;
    int v = 0;
    for (char c : t) {
      if (c < '0' || c > '9') return false;
      v = v * 10 + (c - '0');
    }
    out = v;
    return true;
  };
  auto dots = s.find("..");
  if (dots == std::string_view::npos) {
    if (!num(s, from)) return false;
    to = from;
    return true;
  }
  return num(s.substr(0, dots), from) && num(s.substr(dots + 2), to);
}

// A posting source over the passages a test of the passage column picks
// out: init() and the moves of the matcher here, the test (holds) and how
// to find the next passage that passes (next_from) in each kind.
class ColumnSource : public Xapian::PostingSource {
 public:
  ColumnSource(const analyzers::PassageColumn* column, Xapian::doccount freq) : column_(column), freq_(freq) {}
  void init(const Xapian::Database&) override {
    did_ = 0;
    on_match_ = false;
    last_ = column_->lastdocid();
  }
  Xapian::doccount get_termfreq_min() const override { return freq_; }
  Xapian::doccount get_termfreq_est() const override { return freq_; }
  Xapian::doccount get_termfreq_max() const override { return freq_; }
  void next(double) override {
    did_ = next_from(did_ + 1);
    on_match_ = true;
  }
  void skip_to(Xapian::docid did, double min_wt) override {
    if (did <= did_) return;
    did_ = did - 1;
    next(min_wt);
  }
  // A miss leaves the source on `did`: next() moves on from there.
  bool check(Xapian::docid did, double) override {
    if (did <= did_) return did == did_ && on_match_;
    did_ = did;
    if (did_ > last_) return on_match_ = true;  // at the end
    return on_match_ = holds(did_);
  }
  bool at_end() const override { return did_ > last_; }
  Xapian::docid get_docid() const override { return did_; }

 protected:
  // Whether passage `did` (1..last_) passes.
  virtual bool holds(Xapian::docid did) const = 0;
  // The first passage from `d` on that passes; last_ + 1 when none.
  virtual Xapian::docid next_from(Xapian::docid d) const {
    while (d <= last_ && !holds(d)) ++d;
    return d;
  }
  const analyzers::PassageColumn* column_;
  Xapian::doccount freq_;
  Xapian::docid last_ = 0;

 private:
  Xapian::docid did_ = 0;
  bool on_match_ = false;  // did_ matches (false after a check() that missed)
};

// The passages of a year range, read from the passage column: a check per
// candidate of the rest of the query costs a few instructions, where an OR of
// one term per year skips through every year's posting list. Used for ranges
// that hold a good share of the index (a narrow one is cheaper as its terms,
// and this source would step through the whole column were it the rarest
// part of the query).
class YearRangeSource : public ColumnSource {
 public:
  YearRangeSource(const analyzers::PassageColumn* column, int from, int to)
      : ColumnSource(column, static_cast<Xapian::doccount>(column->passages_in_years(from, to))),
        from_(from),
        to_(to) {}
  YearRangeSource* clone() const override { return new YearRangeSource(column_, from_, to_); }
  std::string name() const override { return "lipsteeth.YearRange"; }
  std::string get_description() const override { return fmt::format("YearRange({}..{})", from_, to_); }

 private:
  // From the year bytes when the column has them (a byte read), else from
  // the value.
  bool holds(Xapian::docid did) const override {
    if (const std::uint8_t* b = column_->year_bytes()) {
      const std::int64_t base = static_cast<std::int64_t>(column_->year_base());
      const std::int64_t v = b[did];
      return v > 0 && v + base - 2 >= from_ && v + base - 2 <= to_;
    }
    const std::uint64_t y = column_->year_plus_one(did);
    return y > 0 && static_cast<std::int64_t>(y) - 1 >= from_ && static_cast<std::int64_t>(y) - 1 <= to_;
  }
  int from_, to_;
};

// The passages that name a common actor, from its bitmap in the passage
// column (PassageColumn::actor_bitmap): what its term's posting list holds
// (both come from the same mentions), where the matcher's check of a
// candidate is a bit test instead of a skip through the list's chunks.
class ActorBitmapSource : public ColumnSource {
 public:
  ActorBitmapSource(const analyzers::PassageColumn* column, std::uint32_t rank, Xapian::doccount freq)
      : ColumnSource(column, freq), rank_(rank), bits_(column->actor_bitmap(rank)) {}
  ActorBitmapSource* clone() const override { return new ActorBitmapSource(column_, rank_, freq_); }
  std::string name() const override { return "lipsteeth.ActorBitmap"; }
  std::string get_description() const override { return fmt::format("ActorBitmap({})", rank_); }

 private:
  bool holds(Xapian::docid did) const override { return (bits_[did / 64] >> (did % 64)) & 1u; }
  // The next set bit, a word at a time.
  Xapian::docid next_from(Xapian::docid d) const override {
    while (d <= last_) {
      if (const std::uint64_t w = bits_[d / 64] >> (d % 64)) return d + static_cast<Xapian::docid>(std::countr_zero(w));
      d = (d / 64 + 1) * 64;
    }
    return d;
  }
  std::uint32_t rank_;
  const std::uint64_t* bits_;
};

// The passages of a sorted list of docids: what a filtered query's count
// found its filters to let through (count_postings), so that its ranked pass
// checks a list in memory instead of the actor's posting list and the years;
// or the passages of the articles a title: query matches (title_query), each
// with `weight`.
class DocidSource : public Xapian::PostingSource {
 public:
  explicit DocidSource(std::shared_ptr<const std::vector<Xapian::docid>> docids, double weight = 0,
                       std::string label = "Docids")
      : docids_(std::move(docids)), weight_(weight), label_(std::move(label)) {}
  void init(const Xapian::Database&) override {
    at_ = docids_->begin();
    started_ = false;
    set_maxweight(weight_);
  }
  // A weighted list's weight falls by a hair (a millionth at most) from each
  // docid to the next: once the matcher needs more than a docid's weight,
  // none after it can enter the page and the list ends there. With equal
  // weights Xapian walked every docid ("title:china" at 200 MB, without
  // facets: 27 -> 8.7 ms). Passages a title: query alone ranks equal are
  // then ordered by docid, not by length and article.
  double get_weight() const override { return weight_at(at_); }
  Xapian::doccount get_termfreq_min() const override { return static_cast<Xapian::doccount>(docids_->size()); }
  Xapian::doccount get_termfreq_est() const override { return static_cast<Xapian::doccount>(docids_->size()); }
  Xapian::doccount get_termfreq_max() const override { return static_cast<Xapian::doccount>(docids_->size()); }
  void next(double min_wt) override {
    if (started_) ++at_;
    started_ = true;
    end_below(min_wt);
  }
  void skip_to(Xapian::docid did, double min_wt) override {
    started_ = true;
    at_ = std::lower_bound(at_, docids_->cend(), did);
    end_below(min_wt);
  }
  bool at_end() const override { return at_ == docids_->end(); }
  Xapian::docid get_docid() const override { return *at_; }
  DocidSource* clone() const override { return new DocidSource(docids_, weight_, label_); }
  std::string name() const override { return "lipsteeth.Docids"; }
  std::string get_description() const override { return fmt::format("{}({})", label_, docids_->size()); }

 private:
  double weight_at(std::vector<Xapian::docid>::const_iterator it) const {
    return weight_ * (1.0 - 1e-12 * static_cast<double>(it - docids_->begin()));
  }
  void end_below(double min_wt) {
    if (weight_ > 0 && at_ != docids_->end() && weight_at(at_) < min_wt) at_ = docids_->end();
  }
  std::shared_ptr<const std::vector<Xapian::docid>> docids_;
  double weight_ = 0;
  std::string label_;
  std::vector<Xapian::docid>::const_iterator at_;
  bool started_ = false;
};

// Operators QueryParser makes that have no parameter of their own: a query
// with one is rebuilt from its subqueries alone (drop_stopwords,
// title_passages).
bool rebuildable(Xapian::Query::op op) {
  switch (op) {
    case Xapian::Query::OP_AND:
    case Xapian::Query::OP_OR:
    case Xapian::Query::OP_AND_NOT:
    case Xapian::Query::OP_XOR:
    case Xapian::Query::OP_AND_MAYBE:
    case Xapian::Query::OP_FILTER:
    case Xapian::Query::OP_SYNONYM:
    case Xapian::Query::OP_MAX:
      return true;
    default:
      return false;
  }
}

// The passages of the article whose first passage is `first` (appended to
// `out`): the `passages` docids from `first` on, when the last of them is
// the article's last passage (an article's docids rise with its passages'
// ordinals, so then they are all its own); else (an update gave the article
// more passages than it had, and added the others after the index's last;
// or there is no passage column: an index still being built is searched as
// its shards) the docids of the article's XART: term.
void article_passages(const Xapian::Database& db, const analyzers::PassageColumn* column, Xapian::docid first,
                      std::vector<Xapian::docid>& out) {
  if (column) {
    const schema::PassageValueReader r0(column->value(first));
    if (r0.ok && r0.passage == 0 && r0.passages > 0 && r0.passages <= column->lastdocid()) {
      const Xapian::docid last = first + static_cast<Xapian::docid>(r0.passages - 1);
      const schema::PassageValueReader rl(column->value(last));
      if (last >= first && rl.ok && rl.article == r0.article && rl.passage + 1 == r0.passages) {
        for (Xapian::docid d = first; d <= last; ++d) out.push_back(d);
        return;
      }
    }
  }
  auto t = db.termlist_begin(first);
  t.skip_to(schema::kArticlePrefix);
  if (t == db.termlist_end(first) || !(*t).starts_with(schema::kArticlePrefix)) {
    out.push_back(first);
    return;
  }
  const std::string term = *t;
  for (auto pi = db.postlist_begin(term); pi != db.postlist_end(term); ++pi) out.push_back(*pi);
}

// Title terms (S + word, ZS + stem): only on an article's first passage.
bool is_title_term(const std::string& t) {
  return (t.size() > 1 && t[0] == 'S') || (t.size() > 2 && t[0] == 'Z' && t[1] == 'S');
}
bool is_title_leaf(const Xapian::Query& q) {
  return q.get_type() == Xapian::Query::LEAF_TERM && q.get_terms_begin() != q.get_terms_end() &&
         is_title_term(*q.get_terms_begin());
}

// A title: clause as QueryParser makes it (a title word, or a phrase of
// title words) matches the first passages of the articles whose title has
// it: it stands for every passage of those articles, each weighted as a
// BM25 term that all of them hold once (as when every passage held the
// title terms). Other parts of the query are kept; `done` holds the
// clauses expanded, by description (the OR and AND forms share them), and
// `changed` turns true when one was.
struct TitleClause {
  Xapian::Query query;  // the posting source
  std::shared_ptr<const std::vector<Xapian::docid>> passages;
  double weight = 0;
};
Xapian::Query title_passages(const Database& db, const Xapian::Query& q, std::map<std::string, TitleClause>& done,
                             bool& changed) {
  const Xapian::Database& xdb = db.xapian();
  const auto op = q.get_type();
  const std::size_t n = q.get_num_subqueries();
  bool clause = is_title_leaf(q);
  if (!clause && (op == Xapian::Query::OP_PHRASE || op == Xapian::Query::OP_NEAR) && n > 0) {
    clause = true;
    for (std::size_t i = 0; i < n && clause; ++i) clause = is_title_leaf(q.get_subquery(i));
  }
  if (clause) {
    // A word by its term; a phrase by its description without "Query(...)".
    std::string key = op == Xapian::Query::LEAF_TERM ? *q.get_terms_begin() : q.get_description();
    if (key.starts_with("Query(") && key.ends_with(")")) key = key.substr(6, key.size() - 7);
    changed = true;
    if (auto it = done.find(key); it != done.end()) return it->second.query;
    std::vector<Xapian::docid> firsts;
    if (op == Xapian::Query::LEAF_TERM) {
      const std::string term = *q.get_terms_begin();
      for (auto pi = xdb.postlist_begin(term); pi != xdb.postlist_end(term); ++pi) firsts.push_back(*pi);
    } else {
      Xapian::Enquire e(xdb);
      e.set_query(q);
      e.set_weighting_scheme(Xapian::BoolWeight());
      e.set_docid_order(Xapian::Enquire::ASCENDING);
      const Xapian::MSet m = e.get_mset(0, std::max<Xapian::doccount>(xdb.get_doccount(), 1));
      for (auto it = m.begin(); it != m.end(); ++it) firsts.push_back(*it);
    }
    auto docids = std::make_shared<std::vector<Xapian::docid>>();
    for (Xapian::docid f : firsts) article_passages(xdb, db.column(), f, *docids);
    std::sort(docids->begin(), docids->end());
    docids->erase(std::unique(docids->begin(), docids->end()), docids->end());
    // Xapian's BM25 weight of a term with wdf 1 when b = 0 (kPassageB): its
    // idf. (A clause that finds nothing stays in the query, as a term the
    // index lacks would: the query is not empty, it has no match.)
    const double N = std::max<double>(xdb.get_doccount(), 1), tf = static_cast<double>(docids->size());
    double tw = (N - tf + 0.5) / (tf + 0.5);
    if (tw < 2) tw = tw * 0.5 + 1;
    const double weight = docids->empty() ? 0.0 : std::log(tw);
    Xapian::Query out((new DocidSource(docids, weight, "title:" + key))->release());
    done.emplace(key, TitleClause{out, std::move(docids), weight});
    return out;
  }
  if (!rebuildable(op)) return q;
  std::vector<Xapian::Query> subs;
  bool any = false;
  for (std::size_t i = 0; i < n; ++i) subs.push_back(title_passages(db, q.get_subquery(i), done, any));
  if (!any) return q;
  changed = true;
  return Xapian::Query(op, subs.begin(), subs.end());
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

class YearField : public Xapian::FieldProcessor {
 public:
  explicit YearField(ParseState& st) : st_(st) {}
  Xapian::Query operator()(const std::string& value) override {
    int from = 0, to = 0;
    if (!parse_years(value, from, to) || from > to) {
      if (st_.error.empty())
        st_.error = fmt::format("bad year in 'year:{}': use year:2016 or year:2012..2016", value);
      return Xapian::Query::MatchNothing;
    }
    // Boolean filter: no weight.
    return Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, year_query(*st_.db, from, to), 0.0);
  }

 private:
  ParseState& st_;
};

// The literal form of an alias: its stemmed word, or its words as a phrase.
Xapian::Query literal_query(const std::vector<std::string>& terms, analyzers::Stemmer& stemmer) {
  if (terms.size() == 1) {
    const std::string& t = terms[0];
    if (t[0] >= '0' && t[0] <= '9') return Xapian::Query(t);
    return Xapian::Query(schema::kStemPrefix + stemmer.stem(t));
  }
  std::vector<Xapian::Query> parts;
  for (const auto& t : terms) parts.emplace_back(t);
  return Xapian::Query(Xapian::Query::OP_PHRASE, parts.begin(), parts.end(),
                       static_cast<Xapian::termcount>(parts.size()));
}

// A positional query (phrase, NEAR, ADJ) without its stopwords, which the
// index holds no positions for (schema::query_stopwords): the other words
// keep their order and the window, so "ministry of foreign affairs" finds
// ministry, foreign, affairs in that order within four words. Only the path
// to a changed phrase is rebuilt (every operator on it is one QueryParser
// makes, none with a parameter of its own); `emptied` counts the phrases (and
// quoted words) left with no word at all.
bool is_stopword_term(const std::string& term) {
  if (term.empty()) return false;
  if (term[0] == schema::kTitlePrefix[0]) return schema::is_query_stopword(std::string_view(term).substr(1));
  return !(term[0] >= 'A' && term[0] <= 'Z') && schema::is_query_stopword(term);
}

std::string stopword_sample() {
  return "\"the\", \"of\", \"and\" and 50 more: docs/search.md lists them";
}

// The window of a positional query, read from its description ("(a@1 PHRASE
// 3 b@2 ...)"): Xapian 1.4's Query has no accessor for it. 0 if not found.
Xapian::termcount window_of(const Xapian::Query& q, std::string_view op) {
  const std::string d = q.get_description();
  const auto at = d.find(op);
  if (at == std::string::npos) return 0;
  Xapian::termcount w = 0;
  for (std::size_t i = at + op.size(); i < d.size() && d[i] >= '0' && d[i] <= '9'; ++i)
    w = w * 10 + static_cast<Xapian::termcount>(d[i] - '0');
  return w;
}

Xapian::Query drop_stopwords(const Xapian::Query& q, bool& changed, int& emptied) {
  const auto op = q.get_type();
  const std::size_t n = q.get_num_subqueries();
  if (op == Xapian::Query::LEAF_TERM) {
    // A quoted stopword ("the" in quotes escapes the stopper).
    if (q.get_terms_begin() == q.get_terms_end() || !is_stopword_term(*q.get_terms_begin())) return q;
    changed = true;
    ++emptied;
    return Xapian::Query::MatchNothing;
  }
  if (op == Xapian::Query::OP_PHRASE || op == Xapian::Query::OP_NEAR) {
    std::vector<Xapian::Query> kept;
    for (std::size_t i = 0; i < n; ++i) {
      Xapian::Query sub = q.get_subquery(i);
      if (sub.get_type() == Xapian::Query::LEAF_TERM && sub.get_terms_begin() != sub.get_terms_end() &&
          is_stopword_term(*sub.get_terms_begin()))
        continue;
      kept.push_back(std::move(sub));
    }
    if (kept.size() == n) return q;
    changed = true;
    if (kept.empty()) {
      ++emptied;
      return Xapian::Query::MatchNothing;
    }
    if (kept.size() == 1) return kept[0];
    Xapian::termcount window = window_of(q, op == Xapian::Query::OP_PHRASE ? " PHRASE " : " NEAR ");
    window = std::max<Xapian::termcount>(window, static_cast<Xapian::termcount>(n));
    return Xapian::Query(op, kept.begin(), kept.end(), window);
  }
  if (!rebuildable(op)) return q;
  std::vector<Xapian::Query> subs;
  bool any = false;
  for (std::size_t i = 0; i < n; ++i) subs.push_back(drop_stopwords(q.get_subquery(i), any, emptied));
  if (!any) return q;
  changed = true;
  // A phrase of stopwords only says nothing the index can check: it is left
  // out. Without its first operand, AND_NOT / AND_MAYBE / FILTER find nothing.
  if (subs[0].empty() && (op == Xapian::Query::OP_AND_NOT || op == Xapian::Query::OP_AND_MAYBE ||
                          op == Xapian::Query::OP_FILTER))
    return Xapian::Query::MatchNothing;
  std::vector<Xapian::Query> nonempty;
  for (auto& sub : subs)
    if (!sub.empty()) nonempty.push_back(std::move(sub));
  if (nonempty.empty()) return Xapian::Query::MatchNothing;
  if (nonempty.size() == 1) return nonempty[0];
  return Xapian::Query(op, nonempty.begin(), nonempty.end());
}

Xapian::Query without_stopwords(const Xapian::Query& q, int& emptied) {
  bool changed = false;
  return drop_stopwords(q, changed, emptied);
}

class AliasField : public Xapian::FieldProcessor {
 public:
  explicit AliasField(ParseState& st) : st_(st) {}
  Xapian::Query operator()(const std::string& value) override {
    std::size_t i = 0;
    try {
      i = std::stoul(value);
    } catch (const std::exception&) {
      return Xapian::Query::MatchNothing;
    }
    const auto& aliases = st_.normalized->aliases;
    if (i >= aliases.size()) return Xapian::Query::MatchNothing;
    const AliasUse& a = aliases[i];
    // One "word": the words as written or the actor in any of its forms. A
    // name of several words is always tagged, so its actor term suffices
    // (and spares checking a phrase's positions in every passage).
    Xapian::Query actor(schema::kActorPrefix + a.actor_id);
    if (a.terms.size() > 1) return actor;
    return Xapian::Query(Xapian::Query::OP_SYNONYM, literal_query(a.terms, *st_.stemmer), actor);
  }

 private:
  ParseState& st_;
};

// A passage value (schema::PassageValue) as a count and a filter read it:
// the year, the article (when asked), and where the actors start; the
// lengths and the passage's place stepped over. Decoded once per passage,
// for the column filter and the count alike.
struct ValueHead {
  std::uint64_t year_plus_one = 0;
  std::uint64_t article = 0;
  const unsigned char* actors = nullptr;  // null until read_rest()
  const unsigned char* end = nullptr;
  // The year (a filter may stop there).
  bool read_year(std::string_view v) {
    p_ = reinterpret_cast<const unsigned char*>(v.data());
    end_ = p_ + v.size();
    // A year + 1 takes two bytes (128..16383): read in line.
    if (end_ - p_ >= 2 && p_[0] >= 0x80u && p_[1] < 0x80u) {
      year_plus_one = (p_[0] & 0x7fu) | (std::uint64_t{p_[1]} << 7);
      p_ += 2;
      return true;
    }
    return schema::read_value_varint(p_, end_, year_plus_one);
  }
  // The rest, once read_year() has read the year.
  bool read_rest(bool with_article) {
    if (!(with_article ? schema::read_value_varint(p_, end_, article) && schema::skip_value_varints(p_, end_, 4)
                       : schema::skip_value_varints(p_, end_, 5)))
      return false;
    actors = p_;
    end = end_;
    return true;
  }
  bool read(std::string_view v, bool with_article) { return read_year(v) && read_rest(with_article); }

 private:
  const unsigned char* p_ = nullptr;
  const unsigned char* end_ = nullptr;
};

// The next actor rank at `p` (before `end`): ranks take one byte or two (a
// lexicon of up to 16384 actors), read in line; longer ones by the general
// reader. False at the end or on a damaged varint.
inline bool next_rank(const unsigned char*& p, const unsigned char* end, std::uint64_t& a) {
  if (p == end) return false;
  a = *p;
  if (a < 0x80u) {
    ++p;
    return true;
  }
  if (end - p >= 2 && p[1] < 0x80u) {
    a = (a & 0x7fu) | (std::uint64_t{p[1]} << 7);
    p += 2;
    return true;
  }
  return schema::read_value_varint(p, end, a) && a <= 0xffffffffu;
}

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

// --actor and --year as the passage column checks them. The same passages as
// their Xapian filter: a passage carries an actor's term exactly when its
// value lists the actor's rank (the indexer writes both from the same
// mentions, as facet counts already rely on), and its Y term, year value and
// column year are the same year.
struct ColumnFilter {
  std::vector<std::uint32_t> actors;     // ranks a passage must all name (sorted, distinct)
  std::vector<std::string> actor_terms;  // their terms
  bool years = false;
  int from = 0, to = 9999;  // inclusive, when `years`
  // Reads no further than it must (a count checks every passage of the OR):
  // the year first, the actors (ascending) until each required one is met
  // or passed.
  bool pass(std::string_view v) const {
    ValueHead h;
    return h.read_year(v) && pass(h, false);
  }
  // `h` as read_year() left it; reads the rest (with the article when
  // `with_article`) when the actors are to be checked or the year passes.
  bool pass(ValueHead& h, bool with_article) const {
    const std::uint64_t y = h.year_plus_one;
    if (years && (y == 0 || static_cast<std::int64_t>(y) - 1 < from || static_cast<std::int64_t>(y) - 1 > to))
      return false;
    if (!h.read_rest(with_article)) return false;
    if (actors.empty()) return true;
    const unsigned char* p = h.actors;
    std::uint64_t x = 0;
    std::size_t j = 0;
    while (next_rank(p, h.end, x)) {
      if (x < actors[j]) continue;
      if (x > actors[j]) return false;  // the value's actors ascend: actors[j] is not there
      if (++j == actors.size()) return true;
    }
    return false;
  }
};

// A ColumnFilter as the column's dense arrays check it (PassageColumn::
// year_bytes, actor_bitmap): a byte and a bit or two per passage, without
// reading its value. `exact` when that is the whole filter (the years by
// their bytes, every actor by its bitmap); else a passage that passes is
// checked by its value too.
class QuickFilter {
 public:
  QuickFilter(const ColumnFilter& f, const analyzers::PassageColumn& c) : last_(c.lastdocid()) {
    exact = true;
    if (f.years) {
      if (const std::uint8_t* b = c.year_bytes()) {
        // year y is stored as y + 1 - base + 1.
        const std::int64_t base = static_cast<std::int64_t>(c.year_base());
        years_ = b;
        lo_ = std::clamp<std::int64_t>(std::int64_t{f.from} + 2 - base, 1, 256);
        hi_ = std::clamp<std::int64_t>(std::int64_t{f.to} + 2 - base, 0, 255);
      } else {
        exact = false;
      }
    }
    for (std::uint32_t rank : f.actors) {
      if (const std::uint64_t* b = c.actor_bitmap(rank)) bitmaps_.push_back(b);
      else exact = false;
    }
  }
  bool pass(Xapian::docid d) const {
    if (d == 0 || d > last_) return false;  // no value there: the value's filter refuses it too
    if (years_) {
      const std::int64_t b = years_[d];
      if (b < lo_ || b > hi_) return false;
    }
    for (const std::uint64_t* b : bitmaps_)
      if (!((b[d / 64] >> (d % 64)) & 1u)) return false;
    return true;
  }
  bool exact = false;

 private:
  Xapian::docid last_;
  const std::uint8_t* years_ = nullptr;
  std::int64_t lo_ = 1, hi_ = 255;
  std::vector<const std::uint64_t*> bitmaps_;
};

// Every docid from `first` to `last`: confines a match to a range of the
// index. Its estimate is the range's size, so that a rarer part of the
// match drives the walk and the range only skips along.
class DocidRangeSource : public Xapian::PostingSource {
 public:
  DocidRangeSource(Xapian::docid first, Xapian::docid last) : first_(first), last_(last) {}
  void init(const Xapian::Database&) override { did_ = 0; }
  Xapian::doccount get_termfreq_min() const override { return 0; }
  Xapian::doccount get_termfreq_est() const override { return last_ - first_ + 1; }
  Xapian::doccount get_termfreq_max() const override { return last_ - first_ + 1; }
  void next(double) override { did_ = did_ == 0 ? first_ : did_ + 1; }
  void skip_to(Xapian::docid did, double) override { did_ = std::max({did_, did, first_}); }
  bool at_end() const override { return did_ > last_; }
  Xapian::docid get_docid() const override { return did_; }
  DocidRangeSource* clone() const override { return new DocidRangeSource(first_, last_); }
  std::string name() const override { return "lipsteeth.DocidRange"; }
  std::string get_description() const override { return fmt::format("DocidRange({}..{})", first_, last_); }

 private:
  Xapian::docid first_, last_, did_ = 0;
};

// A count by passes of the matcher over ranges of docids, which the threads
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

// Xapian's BM25Weight for one term alone (k2 = 0, k3 = 1, min_normlen 0.5):
// what --explain shows per term.
double bm25_part(double n_docs, double avlen, double termfreq, double wdf, double doclen, double b) {
  if (wdf <= 0 || termfreq <= 0) return 0;
  double tw = (n_docs - termfreq + 0.5) / (termfreq + 0.5);
  if (tw < 2) tw = tw * 0.5 + 1;
  const double idf = std::log(tw);
  const double normlen = std::max(avlen > 0 ? doclen / avlen : 1.0, 0.5);
  const double denom = kK1 * (normlen * b + (1 - b)) + wdf;
  return idf * (kK1 + 1) * wdf / denom;
}

// A query word used for proximity: matched as written or by stem.
struct ProxWord {
  std::string exact;  // folded word
  std::string stem;   // "" when matched as written only
  double idf = 0;
  std::string group;  // words of one name, phrase or hyphenated word: not paired with each other
};

struct Candidate {
  Xapian::docid did = 0;
  double weight = 0;  // Xapian's, without the all-words boost
  bool all_words = false;
  double title = 0;  // title words (kTitleWeight x their BM25 parts)
  double article_weight = 0, proximity = 0;
  double score = 0;
  std::uint64_t article = 0;   // article ordinal
  double article_length = 0;   // sum of the article's passage lengths
  double length = 0;           // the passage's length
  std::uint64_t passage = 0;   // its ordinal in the article
  Xapian::docid first = 0;     // the article's first passage (its title terms)
  Xapian::MSetIterator it;
};

// A query concept for article-level BM25: one word (its stem, or the word as
// written inside a phrase) or one actor; `alts` are the index terms that count.
struct Concept {
  std::vector<std::string> alts;
  std::string title;  // its title term (ZS + stem), counted once per article; "" for none
  double idf = 0;
};

// What one walk over a passage's termlist finds: per-concept wdf and the
// positions of the proximity words.
// The index terms a passage is scanned for, sorted, each with what it feeds:
// a concept's wdf (role 0), a concept's title wdf (role 1) or a proximity
// word's positions (role 2).
struct ScanTerm {
  std::string term;
  int role = 0;
  std::size_t index = 0;
  bool operator<(const ScanTerm& o) const { return term < o.term; }
};

struct PassageScan {
  std::vector<Xapian::termcount> wdf;                // per concept (max over its alts)
  std::vector<Xapian::termcount> title;              // per concept: wdf of its title term
  std::vector<std::vector<Xapian::termpos>> pos;     // per proximity word (read_positions)
  std::vector<Xapian::termcount> title_terms;        // per Prepared::title_terms entry
  // The proximity words' forms the passage has (role 2 terms), with their wdf.
  std::vector<std::pair<const ScanTerm*, Xapian::termcount>> forms;
};


// Words of the index whose stem is `stem` (the forms a proximity word takes),
// found among the terms that start like it; at most 64.
std::vector<std::string> forms_of(const Xapian::Database& db, const std::string& stem, analyzers::Stemmer& stemmer) {
  std::vector<std::string> out;
  // Snowball's stems are prefixes of their words, except a final 'i' for 'y' ("happi").
  std::string prefix = stem;
  if (prefix.size() > 3 && prefix.back() == 'i') prefix.pop_back();
  if (prefix.size() < 3) return out;
  for (auto t = db.allterms_begin(prefix); t != db.allterms_end(prefix) && out.size() < 64; ++t) {
    const std::string term = *t;
    if (stemmer.stem(term) == stem) out.push_back(term);
  }
  return out;
}

// The indexes of `dids` in increasing docid order: reading posting lists,
// value streams and lengths in that order reuses the blocks already read.
std::vector<std::size_t> in_docid_order(const std::vector<Xapian::docid>& dids) {
  std::vector<std::size_t> order(dids.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) { return dids[x] < dids[y]; });
  return order;
}

// The first passage of each candidate's article, where its title terms are:
// `dids[i]` minus the passage's ordinal (`passages[i]`) when the passage
// there is the first of the same article (`articles[i]`), as it is unless an
// update added the candidate after the article's other passages; else the
// lowest docid of the article's XART: term.
std::vector<Xapian::docid> first_passages(const Xapian::Database& db, const analyzers::PassageColumn* column,
                                          const std::vector<Xapian::docid>& dids,
                                          const std::vector<std::uint64_t>& passages,
                                          const std::vector<std::uint64_t>& articles);

// Scans the candidates (`dids`, any order) for `terms`: one pass along each
// term's posting list, skipping from candidate to candidate in docid order.
// Cheaper than reading every candidate's termlist (compressed, and mostly
// words the query does not have). Of the proximity words' forms (role 2) it
// notes which a candidate has; their positions are read apart, for the
// candidates that need them (read_positions).
std::vector<PassageScan> scan_candidates(const Xapian::Database& db, const std::vector<Xapian::docid>& dids,
                                         const std::vector<Xapian::docid>& firsts,
                                         const std::vector<ScanTerm>& terms, std::size_t n_concepts,
                                         std::size_t n_words, std::size_t n_titles) {
  std::vector<PassageScan> out(dids.size());
  for (auto& sc : out) {
    sc.title_terms.assign(n_titles, 0);
    sc.wdf.assign(n_concepts, 0);
    sc.title.assign(n_concepts, 0);
    sc.pos.resize(n_words);
  }
  const std::vector<std::size_t> order = in_docid_order(dids), first_order = in_docid_order(firsts);
  for (const ScanTerm& st : terms) {
    // Title terms are looked for on the first passage of the candidate's article.
    const bool title = st.role == 1 || st.role == 3;
    const std::vector<Xapian::docid>& at = title ? firsts : dids;
    auto pi = db.postlist_begin(st.term);
    const auto end = db.postlist_end(st.term);
    for (std::size_t i : title ? first_order : order) {
      pi.skip_to(at[i]);
      if (pi == end) break;
      if (*pi != at[i]) continue;
      PassageScan& sc = out[i];
      if (st.role == 0) {
        sc.wdf[st.index] = std::max(sc.wdf[st.index], pi.get_wdf());
      } else if (st.role == 1) {
        sc.title[st.index] = pi.get_wdf();
      } else if (st.role == 3) {
        sc.title_terms[st.index] = pi.get_wdf();
      } else {
        sc.forms.emplace_back(&st, pi.get_wdf());
      }
    }
  }
  return out;
}

// The positions of the proximity words' forms passage `did` has, sorted per
// word. Each form's list is a look-up of its own (Xapian 1.4 opens a cursor on
// the position table for each and reads its blocks again): the reason only
// the candidates whose proximity can change the page are read.
void read_positions(const Xapian::Database& db, Xapian::docid did, PassageScan& sc) {
  for (const auto& [st, wdf] : sc.forms) {
    auto& pos = sc.pos[st->index];
    for (auto p = db.positionlist_begin(did, st->term); p != db.positionlist_end(did, st->term); ++p)
      pos.push_back(*p);
  }
  for (auto& p : sc.pos) std::sort(p.begin(), p.end());
}

// The values in `slot` of the documents `dids` (any order): read along the
// slot's value stream in docid order, so each chunk of the stream is read
// once, where a look-up per document re-reads the B-tree for each one (the
// candidates of a page are scattered over the whole database).
std::vector<std::string> values_of(const Xapian::Database& db, const analyzers::PassageColumn* column,
                                   const std::vector<Xapian::docid>& dids, Xapian::valueno slot) {
  std::vector<std::string> out(dids.size());
  if (column && slot == schema::kValuePassage) {
    for (std::size_t i = 0; i < dids.size(); ++i) out[i] = column->value(dids[i]);
    return out;
  }
  const std::vector<std::size_t> order = in_docid_order(dids);
  auto it = db.valuestream_begin(slot);
  const auto end = db.valuestream_end(slot);
  for (std::size_t i : order) {
    if (it == end) break;
    if (it.get_docid() < dids[i]) it.skip_to(dids[i]);
    if (it != end && it.get_docid() == dids[i]) out[i] = *it;
  }
  return out;
}

std::vector<Xapian::docid> first_passages(const Xapian::Database& db, const analyzers::PassageColumn* column,
                                          const std::vector<Xapian::docid>& dids,
                                          const std::vector<std::uint64_t>& passages,
                                          const std::vector<std::uint64_t>& articles) {
  std::vector<Xapian::docid> out(dids.size());
  for (std::size_t i = 0; i < dids.size(); ++i)
    out[i] = passages[i] < dids[i] ? dids[i] - static_cast<Xapian::docid>(passages[i]) : dids[i];
  const std::vector<std::string> values = values_of(db, column, out, schema::kValuePassage);
  for (std::size_t i = 0; i < dids.size(); ++i) {
    if (passages[i] == 0) continue;
    const schema::PassageValueReader r(values[i]);
    if (passages[i] < dids[i] && r.ok && r.article == articles[i] && r.passage == 0) continue;
    out[i] = dids[i];
    auto t = db.termlist_begin(dids[i]);
    t.skip_to(schema::kArticlePrefix);
    if (t != db.termlist_end(dids[i]) && (*t).starts_with(schema::kArticlePrefix)) {
      auto pi = db.postlist_begin(*t);
      if (pi != db.postlist_end(*t)) out[i] = *pi;
    }
  }
  return out;
}

// BM25TP-like: each pair of distinct query words close together counts 1/d^2,
// saturated like a term frequency and weighted by the rarer word's idf.
double proximity_score(const PassageScan& sc, const std::vector<ProxWord>& words, double doclen, double avlen) {
  if (words.size() < 2) return 0;
  const auto& pos = sc.pos;
  const double K = kK1 * ((1 - kB) + kB * std::max(avlen > 0 ? doclen / avlen : 1.0, 0.5));
  double total = 0;
  for (std::size_t a = 0; a < words.size(); ++a) {
    if (pos[a].empty()) continue;
    for (std::size_t b = a + 1; b < words.size(); ++b) {
      if (pos[b].empty() || words[a].group == words[b].group) continue;
      double acc = 0;
      for (Xapian::termpos pa : pos[a]) {
        auto it = std::lower_bound(pos[b].begin(), pos[b].end(), pa);
        Xapian::termpos d = kProximityWindow + 1;
        if (it != pos[b].end()) d = std::min<Xapian::termpos>(d, *it - pa);
        if (it != pos[b].begin()) d = std::min<Xapian::termpos>(d, pa - *(it - 1));
        if (d >= 1 && d <= kProximityWindow) acc += 1.0 / (double(d) * double(d));
      }
      if (acc > 0) total += std::min(words[a].idf, words[b].idf) * (kK1 + 1) * acc / (K + acc);
    }
  }
  return kProximityWeight * total;
}

// At least what proximity_score() gives the passage once its positions are
// read, from the forms it has: a pair's sum of 1/d^2 over the positions of
// its first word is at most their number, which the wdf of its forms bounds
// (each position adds 1 to a form's wdf).
double proximity_bound(const PassageScan& sc, const std::vector<ProxWord>& words, double doclen, double avlen) {
  if (words.size() < 2) return 0;
  std::vector<double> count(words.size(), 0);
  for (const auto& [st, wdf] : sc.forms) count[st->index] += wdf;
  const double K = kK1 * ((1 - kB) + kB * std::max(avlen > 0 ? doclen / avlen : 1.0, 0.5));
  double total = 0;
  for (std::size_t a = 0; a < words.size(); ++a) {
    if (count[a] == 0) continue;
    for (std::size_t b = a + 1; b < words.size(); ++b) {
      if (count[b] == 0 || words[a].group == words[b].group) continue;
      const double acc = count[a];
      total += std::min(words[a].idf, words[b].idf) * (kK1 + 1) * acc / (K + acc);
    }
  }
  return kProximityWeight * total;
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

// Corrects misspelt words from the index's spelling data: "" when nothing to correct.
std::string spelling_suggestion(const Xapian::Database& db, const std::string& raw, const NormalizedQuery& nq,
                                analyzers::Stemmer& stemmer) {
  std::vector<std::pair<Range, std::string>> fixes;
  std::set<std::uint32_t> done;
  for (std::size_t i = 0; i < nq.words.size(); ++i) {
    const QueryWord& w = nq.words[i];
    if (w.wildcard || w.alias >= 0 || done.count(w.surface.start)) continue;
    // Only single-word groups: a hyphenated word shares its surface.
    bool single = (i == 0 || nq.words[i - 1].surface.start != w.surface.start) &&
                  (i + 1 == nq.words.size() || nq.words[i + 1].surface.start != w.surface.start);
    done.insert(w.surface.start);
    if (!single || w.term.size() < 3 || schema::is_query_stopword(w.term)) continue;
    // A word the index holds, as written or by its stem, is not misspelt.
    if (db.term_exists(w.term)) continue;
    if (!(w.term[0] >= '0' && w.term[0] <= '9') && db.term_exists(schema::kStemPrefix + stemmer.stem(w.term)))
      continue;
    std::string s = db.get_spelling_suggestion(w.term, 2);
    if (s.empty() || s == w.term) continue;
    // Keep a leading capital as written.
    const char first = raw[w.surface.start];
    if (first >= 'A' && first <= 'Z' && s[0] >= 'a' && s[0] <= 'z') s[0] = static_cast<char>(s[0] - 'a' + 'A');
    fixes.emplace_back(w.surface, s);
  }
  if (fixes.empty()) return {};
  std::string out;
  std::size_t at = 0;
  for (const auto& [r, s] : fixes) {
    out.append(raw, at, r.start - at);
    out += s;
    at = r.end;
  }
  out.append(raw, at, std::string::npos);
  return out;
}

// The article fields of a passage's article: stored with the article's first
// passage (analyzers/passage_data.h), `first` as first_passages() found it;
// failing that (a record that cannot be read), with the first passage of the
// XART: term that `did` carries that has them. Cached by article ordinal.
const schema::ArticleData& article_of(const Xapian::Database& db, Xapian::docid did, Xapian::docid first,
                                      std::uint64_t article, std::map<std::uint64_t, schema::ArticleData>& cache) {
  auto [it, fresh] = cache.try_emplace(article);
  if (!fresh) return it->second;
  schema::PassageData data;
  if (first != 0 &&
      schema::decode_passage(db.get_document(first, Xapian::DOC_ASSUME_VALID).get_data(), data,
                             schema::TextDictionary(db)) &&
      data.article) {
    it->second = std::move(*data.article);
    return it->second;
  }
  // Capitals sort first: the walk to the XART: term passes S and XACT terms only.
  const std::string prefix = schema::kArticlePrefix;
  auto t = db.termlist_begin(did);
  t.skip_to(prefix);
  if (t == db.termlist_end(did) || !(*t).starts_with(prefix)) return it->second;
  const std::string term = *t;
  for (auto pi = db.postlist_begin(term); pi != db.postlist_end(term); ++pi) {
    if (schema::decode_passage(db.get_document(*pi, Xapian::DOC_ASSUME_VALID).get_data(), data,
                               schema::TextDictionary(db)) &&
        data.article) {
      it->second = std::move(*data.article);
      break;
    }
  }
  return it->second;
}

struct Prepared {
  NormalizedQuery nq;
  Xapian::Query match;  // what matches (facets, totals)
  Xapian::Query rank;   // match plus title and all-words boosts
  bool coordination = false;
  Xapian::Query all_words;  // with coordination: the passages with every word (AND form, filtered)
  bool filtered = false;               // --year, --actor or actor: filters
  Xapian::Query base;                  // `match` without the filters
  ColumnFilter column_filter;          // the filters, as the passage column checks them
  bool column_filter_ok = false;       // column_filter is them all
  Xapian::Query q_and;                 // with coordination: the AND form, unfiltered
  std::vector<std::string> actor_ids;  // from actor: and --actor
  std::vector<std::string> warnings;
  // Title terms (ZS + stem, or S + number) of the query's words: scored on
  // the candidates, as BM25 parts scaled by kTitleWeight.
  std::vector<std::string> title_terms;
  // The title: clauses (title_passages), by description: --explain lists
  // those a hit matched.
  std::vector<std::pair<std::string, TitleClause>> title_clauses;
};

// The match, rank and all-words forms of `p` under `filter` (none when empty):
// set by prepare() with the --actor and --year filters, and again when a
// count has listed the passages they let through.
void filter_forms(Prepared& p, const Xapian::Query& filter) {
  p.match = filter.empty() ? p.base : Xapian::Query(Xapian::Query::OP_FILTER, p.base, filter);
  p.rank = p.match;
  if (!p.coordination) return;
  // release(): the query owns the source and deletes it with itself.
  Xapian::Query fixed((new Xapian::FixedWeightPostingSource(kAllWordsBoost))->release());
  Xapian::Query boost(Xapian::Query::OP_FILTER, Xapian::Query(fixed), p.q_and);
  p.rank = Xapian::Query(Xapian::Query::OP_AND_MAYBE, p.rank, boost);
  p.all_words = filter.empty() ? p.q_and : Xapian::Query(Xapian::Query::OP_FILTER, p.q_and, filter);
}

Prepared prepare(const Database& db, const SearchOptions& o, const std::string& query_text,
                 analyzers::Stemmer& stemmer) {
  Prepared p;
  p.nq = normalize_query(query_text, &db.lexicon());
  const Xapian::Database& xdb = db.xapian();
  // Only stopwords: nothing the index holds (QueryParser would keep them,
  // as stems, when there is nothing else).
  const bool only_stopwords =
      std::any_of(p.nq.words.begin(), p.nq.words.end(), [](const QueryWord& w) { return !w.negated; }) &&
      std::all_of(p.nq.words.begin(), p.nq.words.end(), [](const QueryWord& w) {
        return w.negated || (!w.wildcard && w.alias < 0 && schema::is_query_stopword(w.term));
      });
  if (only_stopwords)
    throw QueryError("the query has only stopwords, which are too common to be indexed (" + stopword_sample() +
                     "): add a less common word");

  ParseState st;
  st.db = &db;
  st.normalized = &p.nq;
  st.stemmer = &stemmer;
  ActorField actor_fp(st);
  YearField year_fp(st);
  AliasField alias_fp(st);
  Xapian::SimpleStopper stopper;
  // The stopper only drops words outside phrases.
  for (std::string_view w : schema::query_stopwords()) stopper.add(std::string(w));

  Xapian::QueryParser qp;
  qp.set_database(xdb);
  qp.set_stemmer(stemmer.xapian_stem());
  qp.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
  qp.set_stopper(&stopper);
  qp.set_max_expansion(500, Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT);
  qp.add_prefix("title", schema::kTitlePrefix);
  qp.add_boolean_prefix("actor", &actor_fp);
  qp.add_boolean_prefix("year", &year_fp);
  qp.add_prefix(kAliasField, &alias_fp);

  const unsigned flags = Xapian::QueryParser::FLAG_PHRASE | Xapian::QueryParser::FLAG_BOOLEAN |
                         Xapian::QueryParser::FLAG_LOVEHATE | Xapian::QueryParser::FLAG_WILDCARD |
                         Xapian::QueryParser::FLAG_PURE_NOT;
  auto parse = [&](const std::string& text, unsigned f, Xapian::Query::op op) {
    qp.set_default_op(op);
    return qp.parse_query(text, f);
  };
  Xapian::Query q_or, q_and;
  try {
    q_or = parse(p.nq.text, flags, Xapian::Query::OP_OR);
    q_and = parse(p.nq.text, flags, Xapian::Query::OP_AND);
  } catch (const Xapian::QueryParserError& e) {
    // Never fail on punctuation or a stray operator: search the words.
    p.warnings.push_back(fmt::format("could not read the query as written ({}); searched its words: {}",
                                     e.get_msg(), p.nq.cleaned));
    st.actor_ids.clear();
    q_or = parse(p.nq.cleaned, 0, Xapian::Query::OP_OR);
    q_and = parse(p.nq.cleaned, 0, Xapian::Query::OP_AND);
  }
  if (!st.error.empty()) throw QueryError(st.error);
  p.actor_ids = st.actor_ids;
  int emptied = 0;
  q_or = without_stopwords(q_or, emptied);
  q_and = without_stopwords(q_and, emptied);
  if (emptied > 0)
    p.warnings.push_back("a phrase of stopwords only was left out: the index does not hold them (" +
                         stopword_sample() + ")");

  const bool words_given =
      std::any_of(p.nq.words.begin(), p.nq.words.end(), [](const QueryWord& w) { return !w.negated; });
  if (q_or.empty() && words_given && !p.nq.cleaned.empty()) {
    // The parser made nothing of words it was given (an operator it could
    // not apply to them): search the words.
    p.warnings.push_back(fmt::format("could not read the query as written; searched its words: {}", p.nq.cleaned));
    q_or = without_stopwords(parse(p.nq.cleaned, 0, Xapian::Query::OP_OR), emptied);
    q_and = without_stopwords(parse(p.nq.cleaned, 0, Xapian::Query::OP_AND), emptied);
  }
  {
    std::map<std::string, TitleClause> titles;
    bool changed = false;
    q_or = title_passages(db, q_or, titles, changed);
    q_and = title_passages(db, q_and, titles, changed);
    for (auto& [description, clause] : titles) p.title_clauses.emplace_back(description, std::move(clause));
  }
  Xapian::Query filters = filter_query(db, o, p.actor_ids, p.column_filter, p.column_filter_ok);
  const bool has_words = !q_or.empty();
  if (!has_words && filters.empty()) {
    if (p.nq.words.empty() && p.nq.actor_values.empty() && p.nq.year_values.empty())
      throw QueryError("empty query: give words to search for, or --actor / --year");
    throw QueryError("the query has no words the index holds (stopwords: " + stopword_sample() + ")");
  }

  // A MatchAll of its own, not a copy of Xapian's static one, whose
  // reference count (not atomic) the counting thread's query would share.
  Xapian::Query base = q_or.empty() ? Xapian::Query(std::string()) : q_or;
  p.base = base;
  p.match = filters.empty() ? base : Xapian::Query(Xapian::Query::OP_FILTER, base, filters);
  p.filtered = !filters.empty();
  p.rank = p.match;
  if (q_or.empty()) return p;

  // Title words: raise the candidates whose article's title has the query's
  // words (scored in the re-ranking, not by the match: a title term is on
  // every passage of its article, so matching them costs a skip_to per
  // passage for every passage the query matches).
  std::set<std::string> seen;
  for (const auto& w : p.nq.words) {
    if (w.negated || w.wildcard || w.title || is_stopword(w.term)) continue;
    const bool digit = w.term[0] >= '0' && w.term[0] <= '9';
    std::string t = digit ? schema::kTitlePrefix + w.term
                          : std::string(schema::kStemPrefix) + schema::kTitlePrefix + stemmer.stem(w.term);
    if (seen.insert(t).second) p.title_terms.push_back(std::move(t));
  }
  // Passages with every word first: a constant weight for those matching the AND form.
  if (q_and.get_description() != q_or.get_description()) {
    p.coordination = true;
    p.q_and = q_and;
    filter_forms(p, filters);
  }
  return p;
}

MatchSet match_set(const Prepared& p, analyzers::Stemmer& stemmer) {
  MatchSet m;
  for (const auto& w : p.nq.words) {
    if (w.negated) continue;
    if (w.wildcard) {
      m.prefixes.push_back(w.term);
      continue;
    }
    // The words of an alias of several words match together (below).
    if (w.alias >= 0 && static_cast<std::size_t>(w.alias) < p.nq.aliases.size() &&
        p.nq.aliases[static_cast<std::size_t>(w.alias)].terms.size() > 1)
      continue;
    if (!w.quoted && is_stopword(w.term)) continue;
    m.exact.insert(w.term);
    if (!w.quoted && !(w.term[0] >= '0' && w.term[0] <= '9')) m.stems.insert(stemmer.stem(w.term));
  }
  for (const auto& a : p.nq.aliases) {
    if (a.negated) continue;
    m.actors.insert(a.actor_id);
    if (a.terms.size() > 1) m.phrases.push_back(a.terms);
  }
  for (const auto& id : p.actor_ids) m.actors.insert(id);
  return m;
}

std::vector<ProxWord> proximity_words(const Prepared& p, const Xapian::Database& db, analyzers::Stemmer& stemmer) {
  std::vector<ProxWord> out;
  std::set<std::string> seen;
  const double n = std::max<double>(db.get_doccount(), 1);
  for (const auto& w : p.nq.words) {
    if (w.negated || w.wildcard || w.title || is_stopword(w.term)) continue;
    ProxWord pw;
    pw.exact = w.term;
    const bool digit = w.term[0] >= '0' && w.term[0] <= '9';
    if (!w.quoted && !digit) pw.stem = stemmer.stem(w.term);
    pw.group = w.alias >= 0    ? fmt::format("a{}", w.alias)
               : w.phrase >= 0 ? fmt::format("p{}", w.phrase)
                               : fmt::format("s{}", w.surface.start);
    const std::string key = pw.stem.empty() ? w.term : "Z" + pw.stem;
    if (!seen.insert(key).second) continue;
    const double tf = db.get_termfreq(pw.stem.empty() ? w.term : schema::kStemPrefix + pw.stem);
    if (tf <= 0) continue;
    pw.idf = std::log(std::max(1.0, (n - tf + 0.5) / (tf + 0.5)) + 1.0);
    out.push_back(std::move(pw));
    if (out.size() >= 12) break;  // long queries: the first words suffice
  }
  return out;
}

std::vector<Concept> concepts_of(const Prepared& p, const Xapian::Database& db, analyzers::Stemmer& stemmer) {
  std::vector<Concept> out;
  std::set<std::string> seen;
  const double n = std::max<double>(db.get_doccount(), 1);
  for (const auto& w : p.nq.words) {
    if (w.negated || w.wildcard || w.title || (!w.quoted && is_stopword(w.term))) continue;
    Concept c;
    if (w.alias >= 0) {
      const AliasUse& a = p.nq.aliases[static_cast<std::size_t>(w.alias)];
      c.alts.push_back(schema::kActorPrefix + a.actor_id);
      if (a.terms.size() == 1) c.alts.push_back(schema::kStemPrefix + stemmer.stem(a.terms[0]));
    } else if (w.quoted || (w.term[0] >= '0' && w.term[0] <= '9')) {
      c.alts.push_back(w.term);
    } else {
      c.alts.push_back(schema::kStemPrefix + stemmer.stem(w.term));
      c.title = std::string(schema::kStemPrefix) + schema::kTitlePrefix + stemmer.stem(w.term);
    }
    if (!seen.insert(c.alts[0]).second) continue;
    double tf = 0;
    for (const auto& t : c.alts) tf = std::max<double>(tf, db.get_termfreq(t));
    if (tf <= 0) continue;
    double tw = (n - tf + 0.5) / (tf + 0.5);
    if (tw < 2) tw = tw * 0.5 + 1;
    c.idf = std::log(tw);
    out.push_back(std::move(c));
  }
  return out;
}

// Number of articles in the index (written by every run), for the average
// article length.
double article_count(const Xapian::Database& db) {
  const std::string v = db.get_metadata(schema::kMetaArticles);
  std::uint64_t n = 0;
  std::from_chars(v.data(), v.data() + v.size(), n);
  return n > 0 ? static_cast<double>(n) : std::max<double>(db.get_doccount(), 1);
}

std::string field_of(const std::string& term) {
  if (term.rfind(schema::kActorPrefix, 0) == 0) return "actor";
  if (term.rfind("ZS", 0) == 0 || term.rfind(schema::kTitlePrefix, 0) == 0) return "title";
  if (term.rfind(schema::kStemPrefix, 0) == 0) return "stem";
  return "text";
}

// Xapian's estimate of a query's matches (from its terms' frequencies), for
// a count that stopped at exact_up_to: the counts are scaled to it.
Xapian::MSet estimate_matches(const Xapian::Database& db, const Xapian::Query& q) {
  Xapian::Enquire estimate(db);
  estimate.set_query(q);
  estimate.set_weighting_scheme(Xapian::BoolWeight());
  return estimate.get_mset(0, 0);
}

// The `n` passages of highest wdf among `by_wdf` (wdf, docid), ties to the
// lowest docid, in docid order. A term's BM25 weight with b = 0 (kPassageB)
// rises with its wdf alone, and Xapian ranks equal weights by docid: so
// these are the `n` best passages of a query of one term, and a ranked pass
// over them alone ranks them as one over every match would.
std::shared_ptr<std::vector<Xapian::docid>> top_by_wdf(
    std::vector<std::pair<Xapian::termcount, Xapian::docid>>& by_wdf, std::size_t n) {
  n = std::min(n, by_wdf.size());
  const auto better = [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : a.second < b.second;
  };
  if (n < by_wdf.size())
    std::nth_element(by_wdf.begin(), by_wdf.begin() + static_cast<std::ptrdiff_t>(n), by_wdf.end(), better);
  auto out = std::make_shared<std::vector<Xapian::docid>>();
  out->reserve(n);
  for (std::size_t i = 0; i < n; ++i) out->push_back(by_wdf[i].second);
  std::sort(out->begin(), out->end());
  return out;
}

SearchResult run(const Database& db, const SearchOptions& o, const std::string& query_text) {
  const Xapian::Database& xdb = db.xapian();
  analyzers::Stemmer stemmer("english");
  Prepared p = prepare(db, o, query_text, stemmer);

  SearchResult r;
  r.query = query_text;
  r.parsed = p.match.get_description();
  r.warnings = p.warnings;

  Xapian::Enquire enquire(xdb);
  enquire.set_query(p.rank);
  enquire.set_weighting_scheme(Xapian::BM25Weight(kK1, 0, 1, kPassageB, 0.5));
  enquire.set_docid_order(Xapian::Enquire::ASCENDING);

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
  const bool need_spy = o.facets || o.group_by_article;
  std::vector<std::string> or_terms;
  const bool direct_able = db.column() && (!p.filtered || p.column_filter_ok) &&
                           or_of_terms(p.filtered ? p.base : p.match, or_terms);
  bool count_apart = need_spy && (!p.filtered || direct_able || (p.coordination && parts.size() >= 3));
  const bool direct = count_apart && direct_able;
  // A title: clause alone (filtered or not) is counted from its list of
  // passages and the column, before the ranking: a pass of the matcher over
  // a posting source costs several times that ("title:china" at 200 MB,
  // 100K passages).
  const std::vector<Xapian::docid>* title_list = nullptr;
  if (need_spy && db.column() && (!p.filtered || p.column_filter_ok) && p.title_clauses.size() == 1 &&
      p.base.get_description() == p.title_clauses[0].second.query.get_description())
    title_list = p.title_clauses[0].second.passages.get();
  FacetSpy spy(need_spy, o.group_by_article, db.lexicon().size(), db.column());
  bool counted_direct = false, direct_all = false;
  std::optional<Xapian::MSet> estimated;  // of a count that stopped at exact_up_to
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
  std::optional<RangeCount> ranges;  // a count by the matcher, shared by the two threads
  // -1 not counted (the index moved on), 0 stopped at the cap, 1 all counted, 2 by the matcher
  std::future<int> counting;
  // A filtered query that is not an OR of terms (a phrase, say) is counted by
  // its ranked pass when there is one core (a pass of its own would repeat
  // the match); with a second core, by a pass of its own there, and the
  // ranked pass keeps Xapian's pruning.
  if (title_list) {
    for (Xapian::docid d : *title_list) {
      const std::string_view v = db.column()->value(d);
      if (p.filtered && !p.column_filter.pass(v)) continue;
      ++spy.seen;
      spy.count(v);
    }
    count_apart = counted_direct = direct_all = true;
  } else if (need_spy && (count_apart || p.filtered) && o.parallel_count_from != SIZE_MAX &&
             std::thread::hardware_concurrency() >= 2) {
    double postings = 0;
    bool worth = true;
    if (direct) {
      for (const auto& t : or_terms) postings += xdb.get_termfreq(t);
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
      for (auto t = p.match.get_terms_begin(); t != p.match.get_terms_end(); ++t) postings += xdb.get_termfreq(*t);
    }
    if (worth && postings >= static_cast<double>(o.parallel_count_from)) {
      if (!direct)
        ranges.emplace(xdb.get_lastdocid(), kCountRanges, o.exact_up_to, o.group_by_article, db.lexicon().size(),
                       db.column());
      counting = std::async(std::launch::async, [&db, &o, &query_text, &or_terms, &p, &spy, &ranges, direct,
                                                 revision = xdb.get_revision(), uuid = xdb.get_uuid()]() -> int {
        const std::optional<Database> own = db.reopen(revision, uuid);
        if (!own) return -1;
        if (direct)
          return count_postings(own->xapian(), *own->column(), or_terms, p.filtered ? &p.column_filter : nullptr,
                                spy, o.exact_up_to)
                     ? 1
                     : 0;
        analyzers::Stemmer stemmer("english");
        const Prepared again = prepare(*own, o, query_text, stemmer);
        ranges->work(own->xapian(), again.match);
        return 2;
      });
      counted_direct = direct;
      count_apart = true;
    }
  }
  // A query of one term, counted first under filters: the ranked pass
  // weighs only the passages of highest wdf, as many as it asks for
  // (top_by_wdf), instead of every one the count let through (at 1 GB,
  // "said" under an actor and a year range: 16,915 passages, 10.7M of the
  // search's 51M instructions in that pass).
  std::vector<std::pair<Xapian::termcount, Xapian::docid>> by_wdf;
  bool rank_by_wdf = false;
  if (p.filtered && direct && !counted_direct) {
    auto docids = std::make_shared<std::vector<Xapian::docid>>();
    std::vector<Xapian::termcount> wdfs;
    const bool one_term = or_terms.size() == 1 && p.base.get_type() == Xapian::Query::LEAF_TERM && !p.coordination;
    counted_direct = true;
    direct_all = count_postings(xdb, *db.column(), or_terms, &p.column_filter, spy, o.exact_up_to, docids.get(),
                                one_term ? &wdfs : nullptr);
    if (direct_all) {
      if (one_term && wdfs.size() == docids->size()) {
        by_wdf.reserve(wdfs.size());
        for (std::size_t i = 0; i < wdfs.size(); ++i) by_wdf.emplace_back(wdfs[i], (*docids)[i]);
        rank_by_wdf = true;
      }
      filter_forms(p, Xapian::Query((new DocidSource(std::move(docids)))->release()));
      enquire.set_query(p.rank);
    } else {
      estimated = estimate_matches(xdb, p.match);
    }
  }
  if (need_spy && !count_apart) enquire.add_matchspy(&spy);
  const Xapian::doccount want = static_cast<Xapian::doccount>(o.offset + o.limit);
  const Xapian::doccount check = need_spy && !count_apart ? static_cast<Xapian::doccount>(o.exact_up_to) : 0;

  // Deep enough for article evidence to reorder the page; deeper when grouping.
  Xapian::doccount depth = std::max<Xapian::doccount>(want, std::min<Xapian::doccount>(kRerankDepth, 5 * want));
  if (o.group_by_article) depth = std::max<Xapian::doccount>(depth, want * 4);
  Xapian::MSet mset;
  std::vector<Candidate> ranked;
  const double avlen = xdb.get_avlength();
  std::vector<ProxWord> pwords = proximity_words(p, xdb, stemmer);
  const std::vector<Concept> concepts = concepts_of(p, xdb, stemmer);
  std::vector<ScanTerm> scan_terms;
  for (std::size_t k = 0; k < concepts.size(); ++k) {
    for (const auto& t : concepts[k].alts) scan_terms.push_back({t, 0, k});
    if (!concepts[k].title.empty()) scan_terms.push_back({concepts[k].title, 1, k});
  }
  // Passages of the articles whose title has each title term (it is on their
  // first passages only: its frequency counts articles), estimated from the
  // passages an article has on average.
  std::vector<double> title_tf;
  const double n_articles = article_count(xdb);
  const double passages_per_article = static_cast<double>(xdb.get_doccount()) / n_articles;
  for (std::size_t k = 0; k < p.title_terms.size(); ++k) {
    scan_terms.push_back({p.title_terms[k], 3, k});
    title_tf.push_back(static_cast<double>(xdb.get_termfreq(p.title_terms[k])) * passages_per_article);
  }
  // Proximity needs two words that are not one name or phrase.
  std::set<std::string> groups;
  for (const auto& w : pwords) groups.insert(w.group);
  if (groups.size() < 2) pwords.clear();
  for (std::size_t k = 0; k < pwords.size(); ++k) {
    if (pwords[k].stem.empty()) {
      scan_terms.push_back({pwords[k].exact, 2, k});
    } else {
      for (auto& f : forms_of(xdb, pwords[k].stem, stemmer)) scan_terms.push_back({std::move(f), 2, k});
    }
  }
  std::sort(scan_terms.begin(), scan_terms.end());
  const double avg_article_len = xdb.get_total_length() / n_articles;

  // Passages with every word rank first, with the weight the OR form gives
  // them. Xapian finds the same candidates with the same weights faster in
  // two plain matches than in one of the OR form with the all-words boost
  // (which checks the AND form on every passage it weighs): the AND form's
  // best `depth`, and when it has fewer, all of them and the OR form's best
  // `depth` without them (of which at least `depth` minus their number are
  // left). Not when the ranked pass also counts facets (it visits every
  // match either way).
  std::optional<Xapian::Enquire> all_words, any_word;
  if (p.coordination && check == 0) {
    all_words.emplace(xdb);
    any_word.emplace(xdb);
    all_words->set_query(p.all_words);
    any_word->set_query(p.match);
    for (auto* e : {&*all_words, &*any_word}) {
      e->set_weighting_scheme(Xapian::BM25Weight(kK1, 0, 1, kPassageB, 0.5));
      e->set_docid_order(Xapian::Enquire::ASCENDING);
    }
  }
  Xapian::MSet rest;  // any_word's candidates, when all_words has too few
  bool two_forms = false;
  std::size_t n_cands = 0;
  for (;;) {
    if (need_spy && !count_apart) spy.reset();  // counts of this run of the match only
    two_forms = false;
    if (all_words) {
      mset = all_words->get_mset(0, depth);
      if (mset.size() < depth) {
        rest = any_word->get_mset(0, depth);
        two_forms = true;
      }
    } else {
      if (rank_by_wdf)
        enquire.set_query(Xapian::Query(Xapian::Query::OP_FILTER, p.base,
                                        Xapian::Query((new DocidSource(top_by_wdf(by_wdf, depth)))->release())));
      mset = enquire.get_mset(0, depth, check);
    }
    std::vector<Candidate> cands;
    cands.reserve(mset.size());
    // Article-level BM25: each article's matching candidates pooled (term
    // frequencies summed) over the article's whole length.
    struct ArticleAcc {
      std::vector<double> tf;
      std::vector<double> title;
      double length = 0;
      double bm25 = -1;
    };
    std::unordered_map<std::uint64_t, ArticleAcc> articles;
    std::vector<Xapian::docid> dids;
    for (auto it = mset.begin(); it != mset.end(); ++it) {
      Candidate c;
      c.did = *it;
      c.it = it;
      c.weight = it.get_weight();
      if (p.coordination && !all_words) {
        c.all_words = c.weight >= kAllWordsBoost * 0.5;
        if (c.all_words) c.weight -= kAllWordsBoost;
      } else {
        c.all_words = true;
      }
      dids.push_back(c.did);
      cands.push_back(std::move(c));
    }
    if (two_forms) {
      const std::unordered_set<Xapian::docid> have(dids.begin(), dids.end());
      for (auto it = rest.begin(); it != rest.end() && cands.size() < depth; ++it) {
        if (have.count(*it)) continue;
        Candidate c;
        c.did = *it;
        c.it = it;
        c.weight = it.get_weight();
        c.all_words = false;
        dids.push_back(c.did);
        cands.push_back(std::move(c));
      }
    }
    n_cands = cands.size();
    {
      const std::vector<std::string> values = values_of(xdb, db.column(), dids, schema::kValuePassage);
      for (std::size_t i = 0; i < cands.size(); ++i) {
        const schema::PassageValueReader v(values[i]);
        cands[i].article = v.article;
        cands[i].article_length = static_cast<double>(v.article_length);
        cands[i].length = static_cast<double>(v.passage_length);
        cands[i].passage = v.passage;
      }
    }
    std::vector<Xapian::docid> firsts;
    {
      std::vector<std::uint64_t> passages, article_ids;
      for (const auto& c : cands) {
        passages.push_back(c.passage);
        article_ids.push_back(c.article);
      }
      firsts = first_passages(xdb, db.column(), dids, passages, article_ids);
      for (std::size_t i = 0; i < cands.size(); ++i) cands[i].first = firsts[i];
    }
    std::vector<PassageScan> scans =
        scan_candidates(xdb, dids, firsts, scan_terms, concepts.size(), pwords.size(), p.title_terms.size());
    const double n_docs = xdb.get_doccount();
    for (std::size_t i = 0; i < cands.size(); ++i) {
      Candidate& c = cands[i];
      const PassageScan& sc = scans[i];
      for (std::size_t k = 0; k < title_tf.size(); ++k)
        c.title += kTitleWeight * bm25_part(n_docs, avlen, title_tf[k], sc.title_terms[k], c.length, kB);
      auto& acc = articles[c.article];
      acc.length = c.article_length;
      acc.tf.resize(concepts.size(), 0);
      acc.title.resize(concepts.size(), 0);
      for (std::size_t k = 0; k < concepts.size(); ++k) {
        acc.tf[k] += sc.wdf[k];
        acc.title[k] = std::max<double>(acc.title[k], sc.title[k]);
      }
    }
    for (auto& [key, acc] : articles) {
      const double len = acc.length;
      const double norm = std::max(avg_article_len > 0 ? len / avg_article_len : 1.0, 0.5);
      const double K = kK1 * ((1 - kB) + kB * norm);
      double w = 0;
      for (std::size_t k = 0; k < concepts.size(); ++k) {
        const double tf = acc.tf[k] + kArticleTitle * acc.title[k];
        if (tf > 0) w += concepts[k].idf * (kK1 + 1) * tf / (K + tf);
      }
      acc.bm25 = w;
    }
    for (auto& c : cands) c.article_weight = kArticleWeight * articles[c.article].bm25;
    if (!pwords.empty()) {
      // Proximity, from positions read only for the candidates that can
      // reach the page with it: not for one that `want` others outrank
      // whatever its positions (by all words, or by a score without their
      // proximity above its score with the most proximity its words' wdf
      // allows). Its score then lacks a proximity that would not have
      // changed the page. Grouped by article, every candidate is read (the
      // page is of articles).
      std::vector<double> bound(cands.size()), upper(cands.size());
      std::vector<double> base_all, base_some;  // scores without proximity, by class
      std::size_t n_all = 0;
      for (std::size_t i = 0; i < cands.size(); ++i) {
        const Candidate& c = cands[i];
        const double base = c.weight + c.title + c.article_weight;
        bound[i] = proximity_bound(scans[i], pwords, c.length, avlen);
        upper[i] = base + bound[i] * (1 + 1e-9) + 1e-9;
        (c.all_words ? base_all : base_some).push_back(base);
        if (c.all_words) ++n_all;
      }
      std::sort(base_all.begin(), base_all.end());
      std::sort(base_some.begin(), base_some.end());
      for (std::size_t i = 0; i < cands.size(); ++i) {
        Candidate& c = cands[i];
        if (bound[i] == 0) continue;  // no two words of different groups: none
        const auto& same = c.all_words ? base_all : base_some;
        const auto above = static_cast<std::size_t>(same.end() - std::upper_bound(same.begin(), same.end(), upper[i])) +
                           (c.all_words ? 0 : n_all);
        if (o.bound_proximity && !o.group_by_article && above >= want) {
          ++r.proximity_skipped;
          continue;
        }
        ++r.proximity_read;
        read_positions(xdb, c.did, scans[i]);
        c.proximity = proximity_score(scans[i], pwords, c.length, avlen);
      }
    }
    for (auto& c : cands) c.score = c.weight + c.title + c.article_weight + c.proximity;
    // Equal scores (the match has no length normalisation, so equal term
    // frequencies tie): the shorter passage first, as BM25 would rank it, then
    // the article and passage order, so that the order does not depend on
    // the document ids a parallel build happened to give.
    std::stable_sort(cands.begin(), cands.end(), [](const Candidate& a, const Candidate& b) {
      if (a.all_words != b.all_words) return a.all_words;
      if (a.score != b.score) return a.score > b.score;
      if (a.length != b.length) return a.length < b.length;
      if (a.article != b.article) return a.article < b.article;
      return a.did < b.did;
    });
    if (o.group_by_article) {
      std::unordered_set<std::uint64_t> taken;
      ranked.clear();
      for (auto& c : cands)
        if (taken.insert(c.article).second) ranked.push_back(c);
    } else {
      ranked = std::move(cands);
    }
    // Enough articles for the page, or no more passages to look at.
    if (ranked.size() >= want || n_cands < depth) break;
    depth *= 2;
  }

  // Totals and facets.
  const analyzers::ActorLexicon& lexicon = db.lexicon();
  // The pass the totals come from: the OR form's (an estimate, as Xapian
  // stops where nothing more can reach the page).
  const Xapian::MSet& counted_pass = estimated                     ? *estimated
                                     : !all_words || count_apart ? mset
                                     : two_forms                 ? rest
                                                                 : any_word->get_mset(0, 0);
  Xapian::doccount counted_lower = counted_pass.get_matches_lower_bound();
  Xapian::doccount counted_upper = counted_pass.get_matches_upper_bound();
  Xapian::doccount counted_estimated = counted_pass.get_matches_estimated();
  auto counted_from = [&](const Xapian::MSet& m) {
    counted_lower = m.get_matches_lower_bound();
    counted_upper = m.get_matches_upper_bound();
    counted_estimated = m.get_matches_estimated();
  };
  bool counted_apart = false;  // by the matcher, over ranges, on both threads
  bool counted_cut = false;    // ... of which the later ones were not needed
  if (ranges) ranges->work(xdb, p.match);  // the ranges the second thread has not taken yet
  if (counting.valid()) {
    const int state = counting.get();
    if (ranges) {
      // Counted whatever the second thread could do (if it could not open
      // the index again, this one took every range).
      r.counted_on_thread = state == 2;
      counted_apart = true;
      if (!ranges->merge_into(spy, counted_lower, counted_upper, counted_estimated)) {
        counted_cut = true;
        counted_from(estimate_matches(xdb, p.match));
      }
    } else if (state < 0) {
      counted_direct = false;  // the index moved on: counted here, below
      spy.reset();
    } else {
      r.counted_on_thread = true;
      direct_all = state == 1;
      if (!direct_all) counted_from(estimate_matches(xdb, p.match));
    }
  }
  if (direct && !counted_direct) {
    counted_direct = true;
    direct_all = count_postings(xdb, *db.column(), or_terms, p.filtered ? &p.column_filter : nullptr, spy,
                                o.exact_up_to);
    // Beyond `exact_up_to`: Xapian's estimate of the matches (from the terms'
    // frequencies), the counts scaled to it, as for the counting pass below.
    if (!direct_all) counted_from(estimate_matches(xdb, p.match));
  }
  if (count_apart && !counted_direct && !counted_apart) {
    Xapian::Enquire counter(xdb);
    counter.set_query(p.match);
    counter.set_weighting_scheme(Xapian::BoolWeight());
    counter.set_docid_order(Xapian::Enquire::ASCENDING);
    counter.add_matchspy(&spy);
    counted_from(counter.get_mset(0, 0, static_cast<Xapian::doccount>(o.exact_up_to)));
  }
  // Matches: exact when every one was counted.
  const bool exact = counted_direct ? direct_all : !counted_cut && counted_lower == counted_upper;
  const std::size_t matches = counted_direct && direct_all ? spy.seen
                                                           : std::max<std::size_t>(spy.seen, counted_estimated);
  double scale = 1;
  if (need_spy && spy.seen > 0 && spy.seen < matches) scale = double(matches) / double(spy.seen);
  if (o.group_by_article) {
    r.total = static_cast<std::size_t>(std::llround(double(spy.articles.size()) * scale));
    r.total_exact = scale == 1 && exact;
  } else {
    r.total = matches;
    r.total_exact = exact;
  }
  if (o.facets) {
    Facets f;
    f.exact = scale == 1 && exact;
    for (const auto& [y, n] : spy.years())
      f.year.push_back({std::to_string(y), std::to_string(y), static_cast<std::size_t>(std::llround(n * scale))});
    const std::vector<std::size_t>& counts = spy.actors();
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

  // The page.
  const MatchSet ms = match_set(p, stemmer);
  const double n_docs = xdb.get_doccount();
  std::map<std::uint64_t, schema::ArticleData> articles;
  for (std::size_t i = o.offset; i < ranked.size() && i < want; ++i) {
    const Candidate& c = ranked[i];
    Hit h;
    h.rank = i + 1;
    h.score = c.score;
    const Xapian::Document doc = c.it.get_document();
    schema::PassageData data;
    schema::decode_passage(doc.get_data(), data, schema::TextDictionary(xdb));
    const schema::ArticleData& art = data.article ? *data.article : article_of(xdb, c.did, c.first, c.article, articles);
    h.article_id = art.id;
    h.path = art.path.empty() ? schema::derived_path(db.roots(), art.id) : art.path;
    h.title = art.title;
    h.year = art.year;
    h.date = art.date;
    h.authors = art.authors;
    h.ordinal = data.ordinal;
    if (data.source) {
      std::string why;
      if (!schema::read_source_text(h.path, data, h.text, why)) h.text_error = why + " (run `lipsteeth index`)";
    } else {
      h.text = std::move(data.text);
    }
    std::vector<MentionSpan> mentions;
    std::map<std::uint32_t, std::uint32_t> counts;  // actor rank -> mentions
    for (const auto& m : data.mentions) {
      analyzers::ActorLexicon::ActorInfo a;
      if (!lexicon.actor_at(m.actor, a)) continue;  // not in this index's lexicon: never written so
      ++counts[m.actor];
      mentions.push_back({std::string(a.id), {m.start, m.end}});
    }
    for (const auto& [rank, n] : counts) {
      analyzers::ActorLexicon::ActorInfo a;
      lexicon.actor_at(rank, a);
      h.actors.push_back({std::string(a.id), std::string(a.name.empty() ? a.id : a.name), n});
    }
    std::stable_sort(h.actors.begin(), h.actors.end(),
                     [](const ActorRef& a, const ActorRef& b) { return a.mentions > b.mentions; });
    h.highlights = find_highlights(h.text, ms, mentions);
    take_acronym_dots(h.text, h.highlights);
    h.snippet = make_snippet(h.text, h.highlights, o.snippet_bytes);

    if (o.explain) {
      Explanation e;
      e.bm25 = c.weight + c.title;  // the title part is scored in the re-ranking
      e.all_words = c.all_words;
      e.article = c.article_weight;
      e.proximity = c.proximity;
      const double doclen = c.length;
      for (auto t = enquire.get_matching_terms_begin(c.it); t != enquire.get_matching_terms_end(c.it); ++t) {
        TermWeight tw;
        tw.term = *t;
        tw.field = field_of(tw.term);
        auto dt = doc.termlist_begin();
        dt.skip_to(tw.term);
        if (dt != doc.termlist_end() && *dt == tw.term) tw.wdf = dt.get_wdf();
        tw.weight = bm25_part(n_docs, avlen, xdb.get_termfreq(tw.term), tw.wdf, doclen, kPassageB);
        if (tw.field == "title") tw.weight *= kTitleWeight;
        e.terms.push_back(std::move(tw));
      }
      for (const auto& [description, clause] : p.title_clauses) {
        if (!std::binary_search(clause.passages->begin(), clause.passages->end(), c.did)) continue;
        TermWeight tw;
        tw.term = "title:" + description;
        tw.field = "title";
        tw.wdf = 1;
        tw.weight = clause.weight;
        e.terms.push_back(std::move(tw));
      }
      const Xapian::Document first_doc = c.first == c.did || c.first == 0 ? doc : xdb.get_document(c.first);
      for (const auto& t : p.title_terms) {
        auto dt = first_doc.termlist_begin();
        dt.skip_to(t);
        if (dt == first_doc.termlist_end() || *dt != t) continue;
        TermWeight tw;
        tw.term = t;
        tw.field = "title";
        tw.wdf = dt.get_wdf();
        tw.weight = kTitleWeight * bm25_part(n_docs, avlen, xdb.get_termfreq(t), tw.wdf, doclen, kB);
        e.terms.push_back(std::move(tw));
      }
      h.explanation = std::move(e);
    }
    r.hits.push_back(std::move(h));
  }
  return r;
}

}  // namespace

struct Database::Lazy {
  std::once_flag once;
  std::unique_ptr<analyzers::Gazetteer> gazetteer;
  std::once_flag roots_once;
  std::vector<std::string> roots;
};

Database Database::open(const std::string& db_dir) {
  Database d;
  d.path_ = db_dir.empty() ? schema::default_db_path() : db_dir;
  const std::string stub = schema::stub_path(d.path_);
  const std::string how = fmt::format("build it with `lipsteeth index --db {} CORPUS_DIR`", d.path_);
  try {
    d.db_ = Xapian::Database(stub);
  } catch (const Xapian::DatabaseNotFoundError&) {
    throw IndexMissingError(fmt::format("no index at '{}'; {}", d.path_, how));
  } catch (const Xapian::DatabaseOpeningError& e) {
    throw IndexMissingError(fmt::format("cannot open the index at '{}' ({}); {}", d.path_, e.get_msg(), how));
  } catch (const Xapian::DatabaseCorruptError& e) {
    throw IndexMissingError(fmt::format("the index at '{}' is damaged ({}); rebuild it with "
                                        "`lipsteeth index --rebuild --db {}`",
                                        d.path_, e.get_msg(), d.path_));
  }
  const std::string schema_v = d.db_.get_metadata(schema::kMetaSchema);
  const std::string analyzer_v = d.db_.get_metadata(schema::kMetaAnalyzer);
  if (schema_v != schema::kSchemaVersion || analyzer_v != schema::kAnalyzerVersion) {
    throw IndexMissingError(fmt::format(
        "index was built by another version (schema {}, analyzer {}; this lipsteeth reads schema {}, "
        "analyzer {}); rebuild it with `lipsteeth index --rebuild --db {}`",
        schema_v.empty() ? "?" : schema_v, analyzer_v.empty() ? "?" : analyzer_v, schema::kSchemaVersion,
        schema::kAnalyzerVersion, d.path_));
  }
  d.column_ = analyzers::PassageColumn::open(d.db_, d.path_);
  try {
    // The column's copy of the lexicon is read in place; without a column,
    // Xapian's metadata is copied out.
    d.lexicon_ = std::make_shared<const analyzers::ActorLexicon>(
        d.column_ && !d.column_->lexicon().empty()
            ? analyzers::ActorLexicon::view(d.column_->lexicon(), d.column_)
            : analyzers::ActorLexicon::parse(d.db_.get_metadata(schema::kMetaLexicon)));
  } catch (const InputError& e) {
    throw IndexMissingError(fmt::format("the index's actor lexicon cannot be read ({}); rebuild it with "
                                        "`lipsteeth index --rebuild --db {}`",
                                        e.what(), d.path_));
  }
  d.lazy_ = std::make_shared<Lazy>();
  return d;
}

std::optional<Database> Database::reopen(Xapian::rev revision, const std::string& uuid) const {
  try {
    Xapian::Database again(schema::stub_path(path_));
    if (again.get_revision() != revision || again.get_uuid() != uuid) return std::nullopt;
    // The same lexicon, column and gazetteer (read-only, or built once), but
    // never a copy of db_: Xapian counts the references to a handle's
    // internals without atomics, and this runs on the other thread while the
    // caller's goes on using (and copying) db_. Copying it here corrupted that
    // count now and then: a search crashed in its last use of the index
    // (spelling_suggestion's term_exists), about one in 300 runs of
    // "refugees border China" at 200 MB with facets.
    Database d;
    d.path_ = path_;
    d.db_ = std::move(again);
    d.lexicon_ = lexicon_;
    d.lazy_ = lazy_;
    d.column_ = column_;
    return d;
  } catch (const Xapian::Error&) {
    return std::nullopt;
  }
}

const analyzers::Gazetteer& Database::gazetteer() const {
  std::call_once(lazy_->once, [&] {
    try {
      lazy_->gazetteer = std::make_unique<analyzers::Gazetteer>(
          analyzers::Gazetteer::parse(db_.get_metadata(schema::kMetaGazetteer), path_ + " (gazetteer)"));
    } catch (const InputError& e) {
      throw IndexMissingError(fmt::format("the index's gazetteer cannot be read ({}); rebuild it with "
                                          "`lipsteeth index --rebuild --db {}`",
                                          e.what(), path_));
    }
  });
  return *lazy_->gazetteer;
}

const std::vector<std::string>& Database::roots() const {
  std::call_once(lazy_->roots_once, [&] {
    const nlohmann::json r = nlohmann::json::parse(db_.get_metadata(schema::kMetaRoots), nullptr, false);
    if (r.is_array())
      for (const auto& x : r)
        if (x.is_string()) lazy_->roots.push_back(x.get<std::string>());
  });
  return lazy_->roots;
}

SearchResult search(const Database& db, const SearchOptions& options) {
  SearchResult r = run(db, options, options.query);
  if (!options.spelling) return r;
  const NormalizedQuery nq = normalize_query(options.query, &db.lexicon());
  analyzers::Stemmer stemmer("english");
  r.suggestion = spelling_suggestion(db.xapian(), options.query, nq, stemmer);
  if (r.total == 0 && !r.suggestion.empty()) {
    SearchResult corrected = run(db, options, r.suggestion);
    corrected.query = options.query;
    corrected.suggestion = r.suggestion;
    corrected.searched_suggestion = true;
    for (auto& w : r.warnings) corrected.warnings.insert(corrected.warnings.begin(), w);
    return corrected;
  }
  return r;
}

}  // namespace lipsteeth::searcher
