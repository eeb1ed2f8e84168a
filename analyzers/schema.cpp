#include "analyzers/schema.h"

#include <algorithm>
#include <cstdlib>
#include <functional>

#include "analyzers/tokenizer.h"


namespace lipsteeth::schema {

std::string article_key(std::string_view article_id) {
  // FNV-1a 64, mixed by splitmix64's finaliser: stable across runs and
  // platforms (std::hash is not).
  std::uint64_t h = 1469598103934665603ull;
  for (unsigned char c : article_id) {
    h ^= c;
    h *= 1099511628211ull;
  }
  h ^= h >> 30;
  h *= 0xbf58476d1ce4e5b9ull;
  h ^= h >> 27;
  h *= 0x94d049bb133111ebull;
  h ^= h >> 31;
  static constexpr char kDigits[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string key(11, 'A');
  for (int i = 10; i >= 0; --i, h >>= 6) key[static_cast<std::size_t>(i)] = kDigits[h & 63];
  return key;
}

std::vector<std::string> author_terms(const std::vector<std::string>& names) {
  std::vector<std::string> terms;
  analyzers::TokenizeOptions options;
  options.compounds = false;  // a hyphenated name's joined form ("jaehyun") is not a word of it
  for (const std::string& name : names)
    for (const auto& t : analyzers::tokenize(name, options)) {
      if (t.term.empty() || t.term.size() > analyzers::kMaxTermBytes) continue;
      std::string term = kAuthorPrefix + t.term;
      if (std::find(terms.begin(), terms.end(), term) == terms.end()) terms.push_back(std::move(term));
    }
  return terms;
}

std::string derived_path(const std::vector<std::string>& roots, std::string_view id) {
  if (id.empty()) return {};
  if (roots.size() == 1) return roots[0].empty() || roots[0] == "/" ? std::string() : roots[0] + "/" + std::string(id);
  const std::string_view first = id.substr(0, id.find('/'));
  for (const std::string& root : roots) {
    const std::size_t slash = root.rfind('/');
    if (slash == std::string::npos || std::string_view(root).substr(slash + 1) != first) continue;
    return root.substr(0, slash) + "/" + std::string(id);
  }
  return {};
}

namespace {
// Sorted (checked by a test): is_query_stopword runs for every token indexed.
constexpr std::string_view kQueryStopwords[] = {
    "a",    "about", "all",   "an",    "and",  "any",   "are",   "as",   "at",   "be",    "been",
    "but",  "by",    "can",   "did",   "do",   "does",  "for",   "from", "had",  "has",   "have",
    "how",  "if",    "in",    "into",  "is",   "it",    "its",   "no",   "not",  "of",    "on",
    "or",   "so",    "some",  "such",  "than", "that",  "the",   "their", "then", "there", "these",
    "this", "those", "to",    "was",   "were", "what",  "which", "who",  "with"};
}  // namespace

const std::vector<std::string_view>& query_stopwords() {
  static const std::vector<std::string_view> words(std::begin(kQueryStopwords), std::end(kQueryStopwords));
  return words;
}

bool is_query_stopword(std::string_view folded_term) {
  if (folded_term.size() > 5 || folded_term.empty()) return false;
  return std::binary_search(std::begin(kQueryStopwords), std::end(kQueryStopwords), folded_term);
}

std::string encode_passage_value(const PassageValue& v) {
  std::string out;
  put_varint(out, v.year && *v.year >= 0 ? static_cast<std::uint64_t>(*v.year) + 1 : 0);
  put_varint(out, v.article);
  put_varint(out, v.article_length);
  put_varint(out, v.passage_length);
  put_varint(out, v.passage);
  put_varint(out, v.passages);
  for (std::uint32_t a : v.actors) put_varint(out, a);
  return out;
}

std::string stub_path(const std::string& db_dir) { return db_dir + "/" + kStubName; }

std::string default_db_path() {
  if (const char* p = std::getenv("LIPSTEETH_DB"); p && *p) return p;
  if (const char* x = std::getenv("XDG_DATA_HOME"); x && *x) return std::string(x) + "/lipsteeth/index";
  if (const char* h = std::getenv("HOME"); h && *h) return std::string(h) + "/.local/share/lipsteeth/index";
  return ".lipsteeth/index";
}

}  // namespace lipsteeth::schema
