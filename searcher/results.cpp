#include "searcher/results.h"

#include <algorithm>
#include <map>

#include "analyzers/passage_data.h"
#include "analyzers/schema.h"
#include "searcher/parameters.h"
#include "searcher/snippet.h"

namespace lipsteeth::searcher {

namespace {

// The article fields of a passage's article: stored with the article's first
// passage (analyzers/passage_data.h), `first` as first_passages() found it;
// failing that (a record that cannot be read), with the first passage of the
// XART: term that `did` carries that has them. Cached by article ordinal.
const schema::ArticleData& article_of(const Database& index, Xapian::docid did, Xapian::docid first,
                                      std::uint64_t article, std::map<std::uint64_t, schema::ArticleData>& cache) {
  const Xapian::Database& db = index.xapian();
  auto [it, fresh] = cache.try_emplace(article);
  if (!fresh) return it->second;
  schema::PassageData data;
  if (first != 0 &&
      schema::decode_passage(db.get_document(first, Xapian::DOC_ASSUME_VALID).get_data(), data,
                             schema::TextDictionary(index.shard_of(first))) &&
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
                               schema::TextDictionary(index.shard_of(*pi))) &&
        data.article) {
      it->second = std::move(*data.article);
      break;
    }
  }
  return it->second;
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

std::string field_of(const std::string& term) {
  if (term.rfind(schema::kActorPrefix, 0) == 0) return "actor";
  if (term.rfind("ZS", 0) == 0 || term.rfind(schema::kTitlePrefix, 0) == 0) return "title";
  if (term.rfind(schema::kStemPrefix, 0) == 0) return "stem";
  return "text";
}

}  // namespace

void assemble_page(const Database& db, const SearchOptions& o, const Prepared& p, const Ranking& ranking,
                   analyzers::Stemmer& stemmer, SearchResult& r) {
  const Xapian::Database& xdb = db.xapian();
  const MatchSet ms = match_set(p, stemmer);
  const double n_docs = xdb.get_doccount();
  const double avlen = xdb.get_avlength();
  const analyzers::ActorLexicon& lexicon = db.lexicon();
  const std::size_t want = o.offset + o.limit;
  const std::vector<Candidate>& ranked = ranking.ranked;
  std::map<std::uint64_t, schema::ArticleData> articles;
  for (std::size_t i = o.offset; i < ranked.size() && i < want; ++i) {
    const Candidate& c = ranked[i];
    Hit h;
    h.rank = i + 1;
    h.score = c.score;
    const Xapian::Document doc = c.it.get_document();
    schema::PassageData data;
    schema::decode_passage(doc.get_data(), data, schema::TextDictionary(db.shard_of(c.did)));
    const schema::ArticleData& art = data.article ? *data.article : article_of(db, c.did, c.first, c.article, articles);
    h.article_id = art.id;
    h.path = art.path.empty() ? schema::derived_path(db.roots(), art.id) : art.path;
    h.title = art.title;
    h.year = art.year;
    h.date = art.date;
    h.authors = art.authors;
    h.ordinal = data.ordinal;
    h.body_start = data.start;
    if (data.source) {
      std::string why;
      if (!schema::read_source_text(h.path, data, h.text, why)) h.text_error = why + " (run `lipsteeth index`)";
      else h.file_offset = data.source->offset;
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
      for (auto t = ranking.enquire.get_matching_terms_begin(c.it); t != ranking.enquire.get_matching_terms_end(c.it); ++t) {
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
}

}  // namespace lipsteeth::searcher
