#include "searcher/scoring.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <memory>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include <fmt/format.h>

#include "analyzers/passage_column.h"
#include "analyzers/schema.h"
#include "searcher/filters.h"
#include "searcher/parameters.h"

namespace lipsteeth::searcher {

namespace {

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
                                          const std::vector<std::uint64_t>& articles, std::uint64_t shards);

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
  try {
    auto it = db.valuestream_begin(slot);
    const auto end = db.valuestream_end(slot);
    for (std::size_t i : order) {
      if (it == end) break;
      if (it.get_docid() < dids[i]) it.skip_to(dids[i]);
      if (it != end && it.get_docid() == dids[i]) out[i] = *it;
    }
  } catch (const Xapian::UnimplementedError&) {
    // A remote shard streams no values (Xapian 1.4): each document's own.
    for (std::size_t i : order) out[i] = db.get_document(dids[i], Xapian::DOC_ASSUME_VALID).get_value(slot);
  }
  return out;
}

std::vector<Xapian::docid> first_passages(const Xapian::Database& db, const analyzers::PassageColumn* column,
                                          const std::vector<Xapian::docid>& dids,
                                          const std::vector<std::uint64_t>& passages,
                                          const std::vector<std::uint64_t>& articles, std::uint64_t shards) {
  // Over n shards, Xapian numbers the shards' documents in turn: an
  // article's passages (all in one shard) are n docids apart.
  std::vector<Xapian::docid> out(dids.size());
  std::vector<std::uint64_t> back(dids.size());
  for (std::size_t i = 0; i < dids.size(); ++i) {
    back[i] = passages[i] * shards;
    out[i] = back[i] < dids[i] ? dids[i] - static_cast<Xapian::docid>(back[i]) : dids[i];
  }
  const std::vector<std::string> values = values_of(db, column, out, schema::kValuePassage);
  for (std::size_t i = 0; i < dids.size(); ++i) {
    if (passages[i] == 0) continue;
    const schema::PassageValueReader r(values[i]);
    if (back[i] < dids[i] && r.ok && r.article == articles[i] && r.passage == 0) continue;
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

// The `n` passages of highest wdf among `by_wdf` (wdf, docid), ties to the
// lowest article ordinal (read from `column`), then docid, in docid order. A
// term's BM25 weight with b = 0 (kPassageB) rises with its wdf alone, and
// the ranked pass orders equal weights by article ordinal, then docid
// (rank_passages): so these are the `n` best passages of a query of one
// term, and a ranked pass over them alone ranks them as one over every match
// would.
std::shared_ptr<std::vector<Xapian::docid>> top_by_wdf(
    std::vector<std::pair<Xapian::termcount, Xapian::docid>>& by_wdf, std::size_t n,
    const analyzers::PassageColumn* column) {
  n = std::min(n, by_wdf.size());
  struct Entry {
    Xapian::termcount wdf;
    std::uint64_t article;
    Xapian::docid did;
  };
  std::vector<Entry> entries;
  entries.reserve(by_wdf.size());
  for (const auto& [wdf, did] : by_wdf) {
    std::uint64_t article = 0;
    if (column) {
      const schema::PassageValueReader r(column->value(did));
      if (r.ok) article = r.article;
    }
    entries.push_back({wdf, article, did});
  }
  const auto better = [](const Entry& a, const Entry& b) {
    if (a.wdf != b.wdf) return a.wdf > b.wdf;
    return a.article != b.article ? a.article < b.article : a.did < b.did;
  };
  if (n < entries.size())
    std::nth_element(entries.begin(), entries.begin() + static_cast<std::ptrdiff_t>(n), entries.end(), better);
  auto out = std::make_shared<std::vector<Xapian::docid>>();
  out->reserve(n);
  for (std::size_t i = 0; i < n; ++i) out->push_back(entries[i].did);
  std::sort(out->begin(), out->end());
  return out;
}

// What the re-scoring reads of the query and the index, once per search:
// the proximity words, the concepts of the article-level BM25, the terms
// each candidate is scanned for, the title terms' estimated frequencies.
struct Rescoring {
  std::vector<ProxWord> pwords;
  std::vector<Concept> concepts;
  std::vector<ScanTerm> scan_terms;  // sorted
  std::vector<double> title_tf;      // per Prepared::title_terms entry
  double avlen = 0, avg_article_len = 0, n_docs = 0;
};
Rescoring rescoring_of(const Prepared& p, const Database& db, analyzers::Stemmer& stemmer) {
  const Xapian::Database& xdb = db.xapian();
  Rescoring rs;
  std::vector<ProxWord>& pwords = rs.pwords;
  pwords = proximity_words(p, xdb, stemmer);
  rs.concepts = concepts_of(p, xdb, stemmer);
  const std::vector<Concept>& concepts = rs.concepts;
  std::vector<ScanTerm>& scan_terms = rs.scan_terms;
  for (std::size_t k = 0; k < concepts.size(); ++k) {
    for (const auto& t : concepts[k].alts) scan_terms.push_back({t, 0, k});
    if (!concepts[k].title.empty()) scan_terms.push_back({concepts[k].title, 1, k});
  }
  // Passages of the articles whose title has each title term (it is on their
  // first passages only: its frequency counts articles), estimated from the
  // passages an article has on average.
  std::vector<double>& title_tf = rs.title_tf;
  const double n_articles = db.articles() > 0 ? db.articles() : std::max<double>(xdb.get_doccount(), 1);
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
  rs.avg_article_len = xdb.get_total_length() / n_articles;
  rs.avlen = xdb.get_avlength();
  rs.n_docs = xdb.get_doccount();
  return rs;
}

// The candidates of one ranked pass (the AND form's and then the OR form's
// when split), with their passage values and their articles' first
// passages. `boosted`: the all-words boost is in the weights (one pass).
struct Pass {
  std::vector<Candidate> cands;
  std::vector<Xapian::docid> dids, firsts;  // per candidate
};
Pass candidates_of(const Database& db, const Ranking& ranking, bool boosted, Xapian::doccount depth) {
  const Xapian::Database& xdb = db.xapian();
  Pass pass;
  std::vector<Candidate>& cands = pass.cands;
  cands.reserve(ranking.mset.size());
  std::vector<Xapian::docid>& dids = pass.dids;
  for (auto it = ranking.mset.begin(); it != ranking.mset.end(); ++it) {
    Candidate c;
    c.did = *it;
    c.it = it;
    c.weight = it.get_weight();
    if (boosted) {
      c.all_words = c.weight >= kAllWordsBoost * 0.5;
      if (c.all_words) c.weight -= kAllWordsBoost;
    } else {
      c.all_words = true;
    }
    dids.push_back(c.did);
    cands.push_back(std::move(c));
  }
  if (ranking.two_forms) {
    const std::unordered_set<Xapian::docid> have(dids.begin(), dids.end());
    for (auto it = ranking.rest.begin(); it != ranking.rest.end() && cands.size() < depth; ++it) {
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
  std::vector<Xapian::docid>& firsts = pass.firsts;
  {
    std::vector<std::uint64_t> passages, article_ids;
    for (const auto& c : cands) {
      passages.push_back(c.passage);
      article_ids.push_back(c.article);
    }
    firsts = first_passages(xdb, db.column(), dids, passages, article_ids, db.shard_count());
    for (std::size_t i = 0; i < cands.size(); ++i) cands[i].first = firsts[i];
  }
  return pass;
}

// Each candidate's title, article and proximity parts, and its score. The
// positions of the proximity words are read only where they can change the
// page of `want` (the counts of those read and skipped go to `ranking`).
void rescore(const Xapian::Database& xdb, const Rescoring& rs, const SearchOptions& o, std::size_t want, Pass& pass,
             Ranking& ranking) {
  std::vector<Candidate>& cands = pass.cands;
  const std::vector<ProxWord>& pwords = rs.pwords;
  const std::vector<Concept>& concepts = rs.concepts;
  const std::vector<double>& title_tf = rs.title_tf;
  const double avlen = rs.avlen, n_docs = rs.n_docs, avg_article_len = rs.avg_article_len;
  // Article-level BM25: each article's matching candidates pooled (term
  // frequencies summed) over the article's whole length.
  struct ArticleAcc {
    std::vector<double> tf;
    std::vector<double> title;
    double length = 0;
    double bm25 = -1;
  };
  std::unordered_map<std::uint64_t, ArticleAcc> articles;
  std::vector<PassageScan> scans =
      scan_candidates(xdb, pass.dids, pass.firsts, rs.scan_terms, concepts.size(), pwords.size(),
                      rs.title_tf.size());
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
        ++ranking.proximity_skipped;
        continue;
      }
      ++ranking.proximity_read;
      read_positions(xdb, c.did, scans[i]);
      c.proximity = proximity_score(scans[i], pwords, c.length, avlen);
    }
  }
  for (auto& c : cands) c.score = c.weight + c.title + c.article_weight + c.proximity;
}

// The candidates best first, one per article when grouping.
std::vector<Candidate> in_order(std::vector<Candidate> cands, bool group_by_article) {
  std::vector<Candidate> ranked;
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
  if (group_by_article) {
    std::unordered_set<std::uint64_t> taken;
    for (auto& c : cands)
      if (taken.insert(c.article).second) ranked.push_back(c);
  } else {
    ranked = std::move(cands);
  }
  return ranked;
}

}  // namespace

double bm25_part(double n_docs, double avlen, double termfreq, double wdf, double doclen, double b) {
  if (wdf <= 0 || termfreq <= 0) return 0;
  double tw = (n_docs - termfreq + 0.5) / (termfreq + 0.5);
  if (tw < 2) tw = tw * 0.5 + 1;
  const double idf = std::log(tw);
  const double normlen = std::max(avlen > 0 ? doclen / avlen : 1.0, 0.5);
  const double denom = kK1 * (normlen * b + (1 - b)) + wdf;
  return idf * (kK1 + 1) * wdf / denom;
}


Ranking rank_passages(const Database& db, const SearchOptions& o, const Prepared& p, const Forms& forms,
                      FacetSpy* spy, std::vector<std::pair<Xapian::termcount, Xapian::docid>>* by_wdf,
                      analyzers::Stemmer& stemmer) {
  const Xapian::Database& xdb = db.xapian();
  Ranking out(xdb);
  out.enquire.set_query(forms.rank);
  out.enquire.set_weighting_scheme(Xapian::BM25Weight(kK1, 0, 1, kPassageB, 0.5));
  // Equal weights in article order, then docid: the candidates are the same
  // whatever the docids (one database, or shards whose documents Xapian
  // numbers in turn; an article's passages rise with their docids in both).
  out.enquire.set_sort_by_relevance_then_value(schema::kValueArticle, false);
  out.enquire.set_docid_order(Xapian::Enquire::ASCENDING);
  if (spy) out.enquire.add_matchspy(spy);
  const Xapian::doccount want = static_cast<Xapian::doccount>(o.offset + o.limit);
  const Xapian::doccount check = spy ? static_cast<Xapian::doccount>(o.exact_up_to) : 0;

  // Deep enough for article evidence to reorder the page; deeper when grouping.
  Xapian::doccount depth = std::max<Xapian::doccount>(want, std::min<Xapian::doccount>(kRerankDepth, 5 * want));
  if (o.group_by_article) depth = std::max<Xapian::doccount>(depth, want * 4);
  const Rescoring rs = rescoring_of(p, db, stemmer);

  // Passages with every word rank first, with the weight the OR form gives
  // them. Xapian finds the same candidates with the same weights faster in
  // two plain matches than in one of the OR form with the all-words boost
  // (which checks the AND form on every passage it weighs): the AND form's
  // best `depth`, and when it has fewer, all of them and the OR form's best
  // `depth` without them (of which at least `depth` minus their number are
  // left). Not when the ranked pass also counts facets (it visits every
  // match either way).
  std::optional<Xapian::Enquire> all_words;
  std::optional<Xapian::Enquire>& any_word = out.any_word;
  if (p.coordination && check == 0) {
    all_words.emplace(xdb);
    any_word.emplace(xdb);
    all_words->set_query(forms.all_words);
    any_word->set_query(forms.match);
    for (auto* e : {&*all_words, &*any_word}) {
      e->set_weighting_scheme(Xapian::BM25Weight(kK1, 0, 1, kPassageB, 0.5));
      e->set_sort_by_relevance_then_value(schema::kValueArticle, false);
      e->set_docid_order(Xapian::Enquire::ASCENDING);
    }
  }
  for (;;) {
    if (spy) spy->reset();  // counts of this run of the match only
    out.two_forms = false;
    if (all_words) {
      out.mset = all_words->get_mset(0, depth);
      if (out.mset.size() < depth) {
        out.rest = any_word->get_mset(0, depth);
        out.two_forms = true;
      }
    } else {
      if (by_wdf)
        out.enquire.set_query(Xapian::Query(Xapian::Query::OP_FILTER, p.base,
                                            Xapian::Query((new DocidSource(top_by_wdf(*by_wdf, depth, db.column())))->release())));
      out.mset = out.enquire.get_mset(0, depth, check);
    }
    Pass pass = candidates_of(db, out, p.coordination && !all_words, depth);
    const std::size_t n_cands = pass.cands.size();
    rescore(xdb, rs, o, want, pass, out);
    out.ranked = in_order(std::move(pass.cands), o.group_by_article);
    // Enough articles for the page, or no more passages to look at.
    if (out.ranked.size() >= want || n_cands < depth) break;
    depth *= 2;
  }
  return out;
}

}  // namespace lipsteeth::searcher
