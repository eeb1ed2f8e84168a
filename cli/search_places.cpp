// Lines and columns of hits in their files, and what a query's words say
// about it (missing words, a bare year).
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <set>

#include <fmt/format.h>

#include "analyzers/schema.h"
#include "analyzers/stemmer.h"
#include "cli/search_output.h"
#include "searcher/query.h"

namespace lipsteeth::cli {

std::string display_path(const std::string& path) {
  static const std::string cwd = [] {
    char buf[4096];
    return ::getcwd(buf, sizeof buf) ? std::string(buf) + "/" : std::string();
  }();
  if (!cwd.empty() && path.rfind(cwd, 0) == 0) return path.substr(cwd.size());
  return path;
}

namespace {

// The starts of a file's lines up to some byte.
class LineTable {
 public:
  // Reads `path` up to `upto` bytes; empty when it cannot be read.
  LineTable(const std::string& path, std::uint64_t upto) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return;
    std::string bytes(upto, '\0');
    in.read(bytes.data(), static_cast<std::streamsize>(upto));
    bytes.resize(static_cast<std::size_t>(in.gcount()));
    size_ = bytes.size();
    starts_.push_back(0);
    for (std::size_t i = 0; i < bytes.size(); ++i)
      if (bytes[i] == '\n') starts_.push_back(i + 1);
    ok_ = true;
  }
  std::optional<FilePlace> at(std::uint64_t byte) const {
    if (!ok_ || byte > size_) return std::nullopt;
    auto it = std::upper_bound(starts_.begin(), starts_.end(), byte);  // first line start after it
    const std::size_t line = static_cast<std::size_t>(it - starts_.begin());
    return FilePlace{byte, line, byte - *(it - 1) + 1};
  }

 private:
  bool ok_ = false;
  std::uint64_t size_ = 0;
  std::vector<std::uint64_t> starts_;
};

}  // namespace

std::vector<HitPlaces> locate_hits(const std::vector<searcher::Hit>& hits) {
  std::map<std::string, std::uint64_t> upto;  // path -> bytes needed
  for (const auto& h : hits)
    if (h.file_offset) upto[h.path] = std::max(upto[h.path], *h.file_offset + h.text.size());
  std::map<std::string, LineTable> tables;
  for (const auto& [path, n] : upto) tables.emplace(path, LineTable(path, n));
  std::vector<HitPlaces> places(hits.size());
  for (std::size_t i = 0; i < hits.size(); ++i) {
    const auto& h = hits[i];
    if (!h.file_offset) continue;
    const LineTable& t = tables.at(h.path);
    places[i].start = t.at(*h.file_offset);
    places[i].end = t.at(*h.file_offset + h.text.size());
    for (const auto& r : h.highlights) places[i].highlights.push_back(t.at(*h.file_offset + r.start));
  }
  return places;
}

QueryNotes query_notes(const searcher::Database& db, const std::string& query) {
  QueryNotes n;
  const searcher::NormalizedQuery nq = searcher::normalize_query(query, &db.lexicon());
  const Xapian::Database& xdb = db.xapian();
  analyzers::Stemmer stemmer;
  std::set<std::string> seen;
  for (const auto& w : nq.words) {
    if (w.negated || w.wildcard || w.term.empty() || schema::is_query_stopword(w.term)) continue;
    if (!seen.insert(w.term).second) continue;
    const bool year_like = w.term.size() == 4 && std::all_of(w.term.begin(), w.term.end(), [](char c) {
                             return c >= '0' && c <= '9';
                           }) && (w.term[0] == '1' || w.term[0] == '2');
    if (year_like && !w.title && !w.quoted)
      n.notes.push_back(fmt::format("'{0}' is searched as a word; to keep only passages of {0}, use --year {0} "
                                    "(or year:{0} in the query)",
                                    w.term));
    const std::string& stem = stemmer.stem(w.term);
    const bool held = xdb.term_exists(w.term) || xdb.term_exists(schema::kStemPrefix + stem) ||
                      xdb.term_exists(schema::kTitlePrefix + w.term) ||
                      xdb.term_exists(std::string(schema::kStemPrefix) + schema::kTitlePrefix + stem);
    // A word of an actor's name also matches the actor's mentions.
    const bool actor_held = w.alias >= 0 && static_cast<std::size_t>(w.alias) < nq.aliases.size() &&
                            xdb.term_exists(schema::kActorPrefix + nq.aliases[static_cast<std::size_t>(w.alias)].actor_id);
    if (!held && !actor_held) n.missing.push_back(w.term);
  }
  for (const std::string& v : nq.author_values) {
    const std::vector<std::string> terms = schema::author_terms({v});
    const bool held = !terms.empty() && std::all_of(terms.begin(), terms.end(), [&](const std::string& t) {
      return xdb.term_exists(t);
    });
    if (!held && !terms.empty())
      n.notes.push_back(fmt::format("no article of the index has an author named '{}' (`lipsteeth analyze FILE` "
                                    "shows the authors found in a file)", v));
  }
  return n;
}

}  // namespace lipsteeth::cli
