// Filters: the posting sources a search's query is built with, and --actor
// and --year as the passage column checks them (analyzers/passage_column.h).
// Each posting source lets through the same passages as the Xapian terms it
// stands for (the indexer writes both from the same mentions and dates); it
// only makes the matcher's check of a candidate cheaper. Nothing here
// weighs or counts.
#pragma once

#include <algorithm>
#include <bit>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>
#include <xapian.h>

#include "analyzers/passage_column.h"
#include "analyzers/schema.h"
#include "searcher/searcher.h"

namespace lipsteeth::searcher {

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

// "; did you mean: A (a), B (b)" for an unknown actor name, or "".
std::string did_you_mean(const Database& db, std::string_view name);

// The passages of the years from..to (inclusive): by the passage column
// (YearRangeSource) for a range that holds a good share of the index, else
// by its Y terms, or value slot 0 for a very long one.
Xapian::Query year_query(const Database& db, int from, int to);

// The --actor and --year filters of `o` as one query (empty for none); the
// actors' ids appended to `actor_ids`; `column_filter` the same filters as
// the column checks them, `column_filter_ok` whether it holds them all.
// Throws UsageError for an unknown actor or a reversed year range.
Xapian::Query filter_query(const Database& db, const SearchOptions& o, std::vector<std::string>& actor_ids,
                           ColumnFilter& column_filter, bool& column_filter_ok);

}  // namespace lipsteeth::searcher
