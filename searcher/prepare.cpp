#include "searcher/prepare.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include <fmt/format.h>

#include "analyzers/error.h"
#include "analyzers/schema.h"
#include "searcher/parameters.h"

namespace lipsteeth::searcher {

namespace {

// Throws from field processors are awkward inside QueryParser; they record
// the problem and the caller throws after parsing.
struct ParseState {
  const Database* db = nullptr;
  const NormalizedQuery* normalized = nullptr;
  analyzers::Stemmer* stemmer = nullptr;
  std::string error;
  std::vector<std::string> actor_ids;  // resolved actor: values
};


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
    Xapian::Query out;
    if (db.portable() || db.shard_count() > 1) {
      // A posting source sees each shard's own docids, and a remote shard
      // runs none of lipsteeth's: the articles' XART: terms, each passage
      // weighted `weight` (without DocidSource's fall by a hair per docid).
      std::set<std::string> terms;
      for (Xapian::docid f : firsts) {
        auto t = xdb.termlist_begin(f);
        t.skip_to(schema::kArticlePrefix);
        if (t != xdb.termlist_end(f) && (*t).starts_with(schema::kArticlePrefix)) terms.insert(*t);
      }
      out = Xapian::Query(Xapian::Query::OP_FILTER,
                          Xapian::Query((new Xapian::FixedWeightPostingSource(weight))->release()),
                          Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end()));
    } else {
      out = Xapian::Query((new DocidSource(docids, weight, "title:" + key))->release());
    }
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

// author:NAME: the passages of articles with an author holding every word
// of NAME (schema::author_terms: folded, not stemmed). A filter.
class AuthorField : public Xapian::FieldProcessor {
 public:
  explicit AuthorField(ParseState& st) : st_(st) {}
  Xapian::Query operator()(const std::string& value) override {
    const std::vector<std::string> terms = schema::author_terms({value});
    if (terms.empty()) {
      if (st_.error.empty()) st_.error = fmt::format("no name in 'author:{}': use author:Chang or author:\"Brian Gleason\"", value);
      return Xapian::Query::MatchNothing;
    }
    return Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, Xapian::Query(Xapian::Query::OP_AND, terms.begin(), terms.end()),
                         0.0);
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

// NormalizedQuery::cleaned as the user wrote it, for messages: each alias
// placeholder (kAliasField:N) back to the words of the query it stands for.
std::string shown_words(const NormalizedQuery& nq, std::string_view raw) {
  const std::string placeholder = std::string(kAliasField) + ":";
  const std::string_view c = nq.cleaned;
  std::string out;
  std::size_t i = 0;
  while (i < c.size()) {
    const std::size_t j = c.find(placeholder, i);
    if (j == std::string_view::npos) {
      out += c.substr(i);
      break;
    }
    out += c.substr(i, j - i);
    std::size_t k = j + placeholder.size(), n = 0;
    const std::size_t digits = k;
    while (k < c.size() && c[k] >= '0' && c[k] <= '9') n = n * 10 + static_cast<std::size_t>(c[k++] - '0');
    if (k > digits && n < nq.aliases.size() && nq.aliases[n].surface.end <= raw.size()) {
      const Range s = nq.aliases[n].surface;
      out += raw.substr(s.start, s.end - s.start);
    }
    i = k;
  }
  return out;
}

}  // namespace

// The match, rank and all-words forms of `p` under `filter` (none when empty).
Forms forms_under(const Prepared& p, const Xapian::Query& filter) {
  Forms f;
  f.match = filter.empty() ? p.base : Xapian::Query(Xapian::Query::OP_FILTER, p.base, filter);
  f.rank = f.match;
  if (!p.coordination) return f;
  // release(): the query owns the source and deletes it with itself.
  Xapian::Query fixed((new Xapian::FixedWeightPostingSource(kAllWordsBoost))->release());
  Xapian::Query boost(Xapian::Query::OP_FILTER, Xapian::Query(fixed), p.q_and);
  f.rank = Xapian::Query(Xapian::Query::OP_AND_MAYBE, f.rank, boost);
  f.all_words = filter.empty() ? p.q_and : Xapian::Query(Xapian::Query::OP_FILTER, p.q_and, filter);
  return f;
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
  AuthorField author_fp(st);
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
  qp.add_boolean_prefix("author", &author_fp);
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
                                     e.get_msg(), shown_words(p.nq, query_text)));
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
    p.warnings.push_back(
        fmt::format("could not read the query as written; searched its words: {}", shown_words(p.nq, query_text)));
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
    if (p.nq.words.empty() && p.nq.actor_values.empty() && p.nq.year_values.empty() &&
        p.nq.author_values.empty())
      throw QueryError("empty query: give words to search for, or --actor / --year");
    throw QueryError("the query has no words the index holds (stopwords: " + stopword_sample() + ")");
  }

  // A MatchAll of its own, not a copy of Xapian's static one, whose
  // reference count (not atomic) the counting thread's query would share.
  Xapian::Query base = q_or.empty() ? Xapian::Query(std::string()) : q_or;
  p.base = base;
  p.forms.match = filters.empty() ? base : Xapian::Query(Xapian::Query::OP_FILTER, base, filters);
  p.filtered = !filters.empty();
  p.forms.rank = p.forms.match;
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
    p.forms = forms_under(p, filters);
  }
  return p;
}

}  // namespace lipsteeth::searcher
