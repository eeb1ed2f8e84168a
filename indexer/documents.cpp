#include "indexer/documents.h"

#include <algorithm>
#include <map>
#include <stdexcept>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "analyzers/lexicon.h"
#include "analyzers/passage_data.h"
#include "analyzers/schema.h"
#include "analyzers/tokenizer.h"

namespace lipsteeth::indexer {

namespace {

using analyzers::Token;

// Xapian's TermGenerator with STEM_SOME stems every term except those
// starting with a digit (it decides on the lowercased term); we do the same
// so that Xapian's QueryParser finds our Z terms.
bool should_stem(const std::string& term) {
  if (term.empty()) return false;
  unsigned char c = static_cast<unsigned char>(term[0]);
  return !(c >= '0' && c <= '9');
}

// Words worth offering as spelling corrections: letters only, 2+ bytes, not
// the joined form of a hyphenated word.
bool spelling_word(const Token& t) {
  if (t.kind == Token::Kind::compound || t.term.size() < 2 || t.term.size() > 40) return false;
  for (unsigned char c : t.term)
    if (c < 0x80 && !std::isalpha(c)) return false;
  return true;
}


constexpr std::size_t kMaxTermBytes = 240;  // Xapian's limit is 245 with the prefix

}  // namespace

std::optional<int> year_of_date(std::string_view date) {
  if (date.size() < 4) return std::nullopt;
  int y = 0;
  for (int i = 0; i < 4; ++i) {
    if (date[i] < '0' || date[i] > '9') return std::nullopt;
    y = y * 10 + (date[i] - '0');
  }
  if (date.size() > 4 && date[4] != '-') return std::nullopt;
  return y;
}

void build_passage_documents(analyzers::Article& article, const ArticleContext& context,
                             analyzers::Stemmer& stemmer, SpellingCounts& spelling,
                             std::vector<Xapian::Document>& out) {
  build_passage_documents(article, context, stemmer, spelling,
                          [&out](Xapian::Document&& doc) { out.push_back(std::move(doc)); });
}

void build_passage_documents(analyzers::Article& article, const ArticleContext& context,
                             analyzers::Stemmer& stemmer, SpellingCounts& spelling, const DocumentSink& sink) {
  const auto& md = article.metadata;
  const std::string key = schema::article_key(article.id);
  const std::string article_term = std::string(schema::kArticlePrefix) + key;
  const std::string year_term = md.year ? schema::kYearPrefix + std::to_string(*md.year) : std::string();
  const std::string year_value = md.year ? Xapian::sortable_serialise(*md.year) : std::string();
  const std::string article_ordinal = Xapian::sortable_serialise(static_cast<double>(context.ordinal));
  const std::vector<std::string> author_terms = schema::author_terms(md.authors);  // author:NAME
  std::vector<std::uint32_t> own_ranks;
  const std::vector<std::uint32_t>* ranks = context.actor_ranks;
  if (!ranks && context.gazetteer) ranks = &(own_ranks = analyzers::actor_ranks(*context.gazetteer));
  const std::size_t nactors = context.gazetteer ? context.gazetteer->actors().size() : 0;

  // Title terms go on the article's first passage only: S + word (with
  // positions, for title phrases) and ZS + stem. The searcher reads an
  // article's title there (title: queries match every passage of the
  // articles whose first passage they match; the re-ranking's title part
  // looks at the first passage of each candidate's article). On every
  // passage they were a fifth of the term lists.
  std::vector<Token> title_tokens = analyzers::tokenize(md.title);
  if (context.count_spelling)
    for (const auto& t : title_tokens)
      if (spelling_word(t) && !schema::is_query_stopword(t.term)) ++spelling[t.term];
  struct TitleTerm {
    std::string exact, stem;  // stem: "" when not stemmed
    Xapian::termpos position;
  };
  std::vector<TitleTerm> title_terms;
  Xapian::termcount title_stopwords = 0;  // counted on the first passage
  for (const Token& t : title_tokens) {
    if (t.term.empty() || t.term.size() > kMaxTermBytes) continue;
    if (schema::is_query_stopword(t.term)) {
      ++title_stopwords;
      continue;
    }
    title_terms.push_back({schema::kTitlePrefix + t.term,
                           should_stem(t.term)
                               ? std::string(schema::kStemPrefix) + schema::kTitlePrefix + stemmer.stem(t.term)
                               : std::string(),
                           t.position + 1});
  }
  const auto title_stems = static_cast<std::uint64_t>(
      std::count_if(title_terms.begin(), title_terms.end(), [](const TitleTerm& t) { return !t.stem.empty(); }));

  // The passage's length (the sum of its wdfs, as Xapian counts a
  // document's length) and the article's (the sum of its passages') go on
  // every passage: the searcher's re-ranking reads them with the article,
  // in one value, instead of walking the document-length list and the
  // article's passages. They are counted from the tokens and mentions
  // first, so that each document can leave as soon as it is built: of a
  // very large file, all its documents at once would be many times its
  // size in memory. Each indexed token adds 1 to its term's wdf and 1 to
  // its stem's; stopwords and actor mentions add theirs; boolean terms 0.
  // The title's stems count in every passage's length, as when every
  // passage held them (the searcher's re-ranking was tuned so; without
  // them on the later passages, SciFact's nDCG@10 fell 0.7032 -> 0.7017).
  const std::size_t npassages = article.passages.size();
  // A passage's tokens: kept by the analysis, or (a windowed article)
  // made again here, once for the lengths and once for the document.
  std::vector<Token> scratch;
  auto tokens_of = [&](std::size_t i) -> std::vector<Token>& {
    if (article.windowed) return scratch = analyzers::passage_tokens(article, i);
    if (i < article.tokens.size()) return article.tokens[i];
    scratch.clear();
    return scratch;
  };
  std::vector<std::uint64_t> lengths(npassages, title_stems);
  {
    std::size_t m = 0;
    for (std::size_t i = 0; i < npassages; ++i) {
      std::uint64_t& len = lengths[i];
      if (i == 0) len += title_terms.size() + title_stopwords;
      for (const Token& t : tokens_of(i)) {
        if (t.term.empty() || t.term.size() > kMaxTermBytes) continue;
        len += schema::is_query_stopword(t.term) ? 1 : should_stem(t.term) ? 2 : 1;
      }
      const std::uint32_t ordinal = article.passages[i].ordinal;
      while (m < article.mentions.size() && article.mentions[m].passage < ordinal) ++m;
      for (std::size_t k = m; k < article.mentions.size() && article.mentions[k].passage == ordinal; ++k)
        if (article.mentions[k].actor < nactors) ++len;
    }
  }
  std::uint64_t article_length = 0;
  for (std::uint64_t len : lengths) article_length += len;

  // The article's fields, stored once, with its first passage.
  const schema::ArticleData article_data{article.id, context.path, md.title, md.year, md.date, md.authors};

  std::size_t m = 0;  // next mention (mentions are in text order)
  const bool count_spelling = context.count_spelling;
  std::vector<std::pair<std::string, Xapian::termcount>> stems;
  for (std::size_t i = 0; i < npassages; ++i) {
    const auto& p = article.passages[i];
    Xapian::Document doc;
    // Stopwords are counted, not indexed (schema::kStopwordsTerm).
    Xapian::termcount stopwords = i == 0 ? title_stopwords : 0;
    {
      std::vector<Token>& tokens = tokens_of(i);
      for (const Token& t : tokens) {
        if (t.term.empty() || t.term.size() > kMaxTermBytes) continue;
        if (schema::is_query_stopword(t.term)) {
          ++stopwords;
          continue;
        }
        doc.add_posting(t.term, t.position + 1);
        if (count_spelling && spelling_word(t)) ++spelling[t.term];
        if (context.compounds && t.kind == Token::Kind::compound) ++(*context.compounds)[t.term];
      }
      // Stems once per distinct term of the passage, with the wdf of the
      // exact term (as TermGenerator gives Z terms the same wdf).
      std::string zterm(schema::kStemPrefix);
      stems.clear();
      for (auto it = doc.termlist_begin(); it != doc.termlist_end(); ++it) {
        const std::string& term = *it;
        if (!should_stem(term)) continue;
        zterm.resize(1);
        zterm += stemmer.stem(term);
        stems.emplace_back(zterm, it.get_wdf());
      }
      for (const auto& [z, wdf] : stems) doc.add_term(z, wdf);
      // Each passage's tokens are dropped once its document holds them.
      std::vector<Token>().swap(tokens);
    }
    if (i == 0) {
      for (const TitleTerm& t : title_terms) {
        doc.add_posting(t.exact, t.position);
        if (!t.stem.empty()) doc.add_term(t.stem);
      }
    }
    if (stopwords) doc.add_term(schema::kStopwordsTerm, stopwords);
    doc.add_boolean_term(article_term);
    for (const std::string& t : author_terms) doc.add_boolean_term(t);
    if (!year_term.empty()) {
      doc.add_boolean_term(year_term);
      doc.add_value(schema::kValueYear, year_value);
    }
    doc.add_value(schema::kValueArticle, article_ordinal);
    doc.add_value(schema::kValuePassageOrdinal, Xapian::sortable_serialise(p.ordinal));

    // Actors: mentions falling in this passage.
    std::size_t s = std::min<std::size_t>(p.start, article.text.size());
    std::size_t e = std::min<std::size_t>(std::max(p.end, p.start), article.text.size());
    schema::PassageData data;
    data.ordinal = p.ordinal;
    schema::PassageValue value;
    value.year = md.year;
    value.article = context.ordinal;
    value.passage = p.ordinal;
    value.passages = npassages;
    value.passage_length = lengths[i];
    value.article_length = article_length;
    data.start = p.start;
    data.end = p.end;
    const std::string_view text = std::string_view(article.text).substr(s, e - s);
    if (article.raw_base && !context.store_text) {
      // The passage is its file's bytes: the record points there.
      data.source = schema::SourceRange{*article.raw_base + s, schema::text_hash(text)};
    } else {
      data.text = std::string(text);
    }
    std::map<std::string, Xapian::termcount> actor_counts;
    while (m < article.mentions.size() && article.mentions[m].passage < p.ordinal) ++m;
    for (std::size_t k = m; k < article.mentions.size() && article.mentions[k].passage == p.ordinal; ++k) {
      const auto& men = article.mentions[k];
      if (men.actor >= nactors) continue;
      const std::string& id = context.gazetteer->actors()[men.actor].id;
      ++actor_counts[id];
      if (!ranks || men.actor >= ranks->size()) continue;
      const std::uint32_t rank = (*ranks)[men.actor];
      value.actors.push_back(rank);
      if (men.start >= s && men.end >= men.start && men.end <= e)
        data.mentions.push_back({rank, static_cast<std::uint32_t>(men.start - s), static_cast<std::uint32_t>(men.end - s)});
    }
    for (const auto& [id, n] : actor_counts) doc.add_term(schema::kActorPrefix + id, n);
    std::sort(value.actors.begin(), value.actors.end());
    value.actors.erase(std::unique(value.actors.begin(), value.actors.end()), value.actors.end());
    if (i == 0) data.article = article_data;
    doc.set_data(schema::encode_passage(data, context.codec));
#ifndef NDEBUG
    {
      std::uint64_t len = i == 0 ? 0 : title_stems;
      for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t) len += t.get_wdf();
      if (len != lengths[i])
        throw std::logic_error(fmt::format("passage {} of '{}': length {} counted, {} in its document", i,
                                           article.id, lengths[i], len));
    }
#endif
    doc.add_value(schema::kValuePassage, schema::encode_passage_value(value));
    sink(std::move(doc));
  }
}

void add_spelling_from_terms(const Xapian::Database& source, Xapian::WritableDatabase& target,
                             const SpellingCounts& compounds) {
  // Unprefixed terms start with a digit, a lower-case letter or a non-ASCII
  // byte; prefixed ones with an upper-case letter.
  for (auto it = source.allterms_begin(); it != source.allterms_end(); ++it) {
    const std::string& term = *it;
    if (term.size() < 2 || term.size() > 40) continue;
    bool word = true;
    for (unsigned char ch : term)
      if (ch < 0x80 && !(ch >= 'a' && ch <= 'z')) {
        word = false;
        break;
      }
    if (!word) continue;
    if (auto c = compounds.find(term); c != compounds.end() && c->second >= source.get_collection_freq(term)) continue;
    target.add_spelling(term, it.get_termfreq());
  }
}

std::string parse_jsonl_record(std::string_view line, JsonlRecord& record) {
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(line);
  } catch (const nlohmann::json::parse_error& e) {
    // e.what() is "[json.exception.parse_error.101] parse error at line 1, column 7: ..."
    std::string what = e.what();
    auto pos = what.find("] ");
    return "invalid JSON: " + (pos == std::string::npos ? what : what.substr(pos + 2));
  }
  if (!j.is_object()) return "not a JSON object";
  auto id = j.find("id");
  if (id == j.end()) return "no \"id\"";
  if (id->is_string()) record.id = id->get<std::string>();
  else if (id->is_number_integer()) record.id = std::to_string(id->get<long long>());
  else return "\"id\" is not a string";
  if (record.id.empty()) return "empty \"id\"";
  auto text = j.find("text");
  if (text == j.end() || !text->is_string()) return "no string \"text\"";
  record.text = text->get<std::string>();
  auto& md = record.stated;
  if (auto t = j.find("title"); t != j.end() && !t->is_null()) {
    if (!t->is_string()) return "\"title\" is not a string";
    md.title = t->get<std::string>();
    if (!md.title.empty()) md.title_source = analyzers::FieldSource::stated;
  }
  if (auto d = j.find("date"); d != j.end() && !d->is_null()) {
    if (!d->is_string()) return "\"date\" is not a string";
    md.date = d->get<std::string>();
    if (!md.date.empty()) {
      md.year = year_of_date(md.date);
      if (!md.year) return "\"date\" is not an ISO 8601 date (YYYY, YYYY-MM or YYYY-MM-DD)";
      md.date_source = md.year_source = analyzers::FieldSource::stated;
    }
  }
  if (auto a = j.find("authors"); a != j.end() && !a->is_null()) {
    if (a->is_string()) {
      md.authors.push_back(a->get<std::string>());
    } else if (a->is_array()) {
      for (const auto& x : *a) {
        if (!x.is_string()) return "\"authors\" is not a list of strings";
        md.authors.push_back(x.get<std::string>());
      }
    } else {
      return "\"authors\" is not a list of strings";
    }
    if (!md.authors.empty()) md.authors_source = analyzers::FieldSource::stated;
  }
  if (auto u = j.find("url"); u != j.end() && u->is_string()) md.url = u->get<std::string>();
  return {};
}

}  // namespace lipsteeth::indexer
