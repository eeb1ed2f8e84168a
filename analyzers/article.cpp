// The analysis of one article, in the order the pieces depend on each other:
// decode -> format -> metadata -> passages -> tokens (per passage, with
// article-relative offsets) -> actors.
#include "analyzers/article.h"

#include <algorithm>
#include <iterator>
#include <utility>

#include "analyzers/container.h"

namespace lipsteeth::analyzers {
namespace {

// Everything after decoding, shared by files and JSON Lines records.
void analyze_decoded(Article& a, FormattedText formatted, const AnalyzeOptions& options) {
  a.text = std::move(formatted.body);
  add_path_date_candidate(formatted.stated, a.path);
  a.metadata = extract_metadata(a.text, std::move(formatted.stated));
  a.passages = split_passages(a.text, options.passages);
  const std::size_t window = options.window_passages;
  if (window && a.passages.size() > window) {
    a.windowed = true;
    if (!options.tagger) return;
    std::vector<std::vector<Token>> tokens;
    for (std::size_t b = 0; b < a.passages.size(); b += window) {
      const std::size_t e = std::min(a.passages.size(), b + window);
      const std::vector<Passage> part(a.passages.begin() + static_cast<std::ptrdiff_t>(b),
                                      a.passages.begin() + static_cast<std::ptrdiff_t>(e));
      tokens.clear();
      for (std::size_t i = b; i < e; ++i) tokens.push_back(passage_tokens(a, i));
      std::vector<Mention> found = options.tagger->tag(a.text, part, tokens);
      a.mentions.insert(a.mentions.end(), std::make_move_iterator(found.begin()),
                        std::make_move_iterator(found.end()));
    }
    return;
  }
  a.tokens.reserve(a.passages.size());
  for (std::size_t i = 0; i < a.passages.size(); ++i) a.tokens.push_back(passage_tokens(a, i));
  if (options.tagger) a.mentions = options.tagger->tag(a.text, a.passages, a.tokens);
  if (options.tagger && options.discover)
    a.discovered = discover_actors(a.text, a.passages, a.tokens, a.mentions, options.tagger->gazetteer());
  if (!options.keep_tokens) {
    a.tokens.clear();
    a.tokens.shrink_to_fit();
  }
}

}  // namespace

std::vector<Token> passage_tokens(const Article& article, std::size_t i) {
  const Passage& p = article.passages.at(i);
  TokenizeOptions t;
  t.base = p.start;
  return tokenize(std::string_view(article.text).substr(p.start, p.end - p.start), t);
}

Article analyze_article(std::string_view bytes, std::string path, std::string id, const AnalyzeOptions& options) {
  Article a;
  a.format = format_from_path(path);
  a.path = std::move(path);
  a.id = std::move(id);
  if (is_container_path(a.path)) {
    // PDF, DOCX, ODT, EPUB, .gz: their text and properties take the same path
    // as any file's; the body is nowhere in the file's bytes (no raw_base).
    ContainerText c = read_container(bytes, a.path);
    a.format = c.format;
    if (c.status != ContainerStatus::ok) {
      a.decoded.status = DecodeStatus::unreadable;
      a.decoded.reason = std::move(c.reason);
      return a;
    }
    a.decoded = decode(c.text);
    if (a.ok()) analyze_decoded(a, c.plain ? read_format(a.decoded.text, a.format) : FormattedText{a.decoded.text, std::move(c.stated)}, options);
    return a;
  }
  a.decoded = decode(bytes);
  if (!a.ok()) return a;
  analyze_decoded(a, read_format(a.decoded.text, a.format), options);
  // The body is the file's bytes unchanged, or their end (a BOM or front
  // matter before it), or their start.
  const std::string_view body = a.text;
  if (body.size() <= bytes.size()) {
    for (std::size_t k : {bytes.size() - body.size(), std::size_t{0}, std::size_t{3}}) {
      if (k + body.size() <= bytes.size() && bytes.compare(k, body.size(), body) == 0) {
        a.raw_base = k;
        break;
      }
    }
  }
  return a;
}

Article analyze_text(std::string text, std::string id, Metadata stated, const AnalyzeOptions& options) {
  Article a;
  a.path = id;
  a.id = std::move(id);
  a.format = Format::text;
  // The record's text is already Unicode, but it gets the same line-ending
  // and normalisation treatment as a file so that both index alike.
  a.decoded = decode(text);
  if (!a.ok()) return a;
  // What the record states takes precedence over extraction.
  if (!stated.title.empty() && stated.title_source == FieldSource::unknown) stated.title_source = FieldSource::stated;
  if (!stated.date.empty()) {
    std::string iso = parse_date(stated.date);
    stated.date = iso;
    if (!iso.empty() && stated.date_source == FieldSource::unknown) stated.date_source = FieldSource::stated;
    if (!iso.empty() && !stated.year) {
      stated.year = std::stoi(iso.substr(0, 4));  // parse_date returns YYYY[-MM[-DD]]
      stated.year_source = stated.date_source;
    }
  }
  if (stated.year && stated.year_source == FieldSource::unknown) stated.year_source = FieldSource::stated;
  if (!stated.authors.empty() && stated.authors_source == FieldSource::unknown)
    stated.authors_source = FieldSource::stated;
  FormattedText formatted;
  formatted.body = a.decoded.text;
  formatted.stated = std::move(stated);
  analyze_decoded(a, std::move(formatted), options);
  return a;
}

}  // namespace lipsteeth::analyzers
