// The passage text dictionary across runs: a full build trains one when the
// corpus is large enough and stores it in the index; every stored passage
// decodes (or is read from its file) to exactly the text the analyzer gives; incremental runs (adds,
// edits, renames) keep the dictionary and the old passages readable; a
// corpus too small for one stores its texts plain; searches show the texts.
#include <catch2/catch.hpp>
#include <fmt/format.h>

#include "analyzers/article.h"
#include "analyzers/passage_data.h"
#include "analyzers/text_codec.h"
#include "indexer/documents.h"
#include "indexer/indexer.h"
#include "searcher/searcher.h"
#include "tests/indexer/index_fixture.h"

using namespace lipsteeth;
using namespace lipsteeth::testing;
using indexer::IndexOptions;
using indexer::run_index;

namespace {

const fs::path kCranfield = fs::path(LIPSTEETH_SOURCE_DIR) / "bench/testdata/eval/cranfield200/docs.jsonl";

// Article key -> article id, of every article expected_passages() has seen.
std::map<std::string, std::string>& id_of_key() {
  static std::map<std::string, std::string> ids;
  return ids;
}

// article key -> the texts of its passages, as the analyzer splits the
// corpus's files (and JSON Lines records) now.
std::map<std::string, std::vector<std::string>> expected_passages(const fs::path& corpus) {
  std::map<std::string, std::vector<std::string>> out;
  analyzers::AnalyzeOptions o;
  o.keep_tokens = false;
  auto add = [&](const std::string& id, const analyzers::Article& a) {
    id_of_key()[schema::article_key(id)] = id;
    auto& v = out[schema::article_key(id)];
    for (const auto& p : a.passages) v.push_back(a.text.substr(p.start, p.end - p.start));
  };
  for (const auto& e : fs::recursive_directory_iterator(corpus)) {
    if (!e.is_regular_file()) continue;
    const std::string id = fs::relative(e.path(), corpus).string();
    if (e.path().extension() == ".jsonl") {
      std::ifstream in(e.path());
      for (std::string line; std::getline(in, line);) {
        indexer::JsonlRecord rec;
        REQUIRE(indexer::parse_jsonl_record(line, rec).empty());
        const std::string rid = rec.id;
        add(rid, analyzers::analyze_text(std::move(rec.text), rec.id, rec.stated, o));
      }
    } else {
      add(id, analyzers::analyze_article(slurp(e.path()), e.path().string(), id, o));
    }
  }
  return out;
}

struct Stored {
  std::size_t passages = 0, in_file = 0, mismatches = 0, undecodable = 0;
  std::size_t text_bytes = 0, record_bytes = 0;  // of the passages whose text the index stores
};

// Decodes every passage of the index as a searcher does (a text in its file
// read from `corpus`/id) and compares its text with the analyzer's.
Stored check_passages(const fs::path& db_dir, const fs::path& corpus,
                      const std::map<std::string, std::vector<std::string>>& expected) {
  IndexView v(db_dir);
  Stored s;
  for (auto it = v.db.postlist_begin(""); it != v.db.postlist_end(""); ++it) {
    const Xapian::Document doc = v.db.get_document(*it);
    const std::string data = doc.get_data();
    schema::PassageData p;
    ++s.passages;
    if (!schema::decode_passage(data, p, schema::TextDictionary(v.db))) {
      ++s.undecodable;
      continue;
    }
    // The article key, from the passage's XART: term.
    const std::string prefix = schema::kArticlePrefix;
    auto t = doc.termlist_begin();
    t.skip_to(prefix);
    const std::string key = t != doc.termlist_end() && (*t).starts_with(prefix) ? (*t).substr(prefix.size()) : "";
    std::string text = p.text;
    if (p.source) {
      ++s.in_file;
      std::string why;
      const auto id = id_of_key().find(key);
      if (id == id_of_key().end() || !schema::read_source_text((corpus / id->second).string(), p, text, why)) {
        INFO(why);
        ++s.mismatches;
        continue;
      }
    } else {
      s.text_bytes += p.text.size();
      s.record_bytes += data.size();
    }
    auto e = expected.find(key);
    if (e == expected.end() || p.ordinal >= e->second.size() || e->second[p.ordinal] != text) ++s.mismatches;
  }
  return s;
}

std::size_t count_passages(const std::map<std::string, std::vector<std::string>>& expected) {
  std::size_t n = 0;
  for (const auto& [key, texts] : expected) n += texts.size();
  return n;
}

std::string with_crlf(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '\n') out += '\r';
    out += c;
  }
  return out;
}

// A corpus large enough for a dictionary: the Cranfield sample (200 real
// abstracts, one JSON Lines file) and 120 articles made from the seed ones.
void write_large_corpus(const fs::path& dir) {
  fs::create_directories(dir);
  spit(dir / "cranfield.jsonl", slurp(kCranfield));
  write_generated_corpus(dir / "gen", 120);
}

}  // namespace

TEST_CASE("a corpus too small for a dictionary stores its texts plain", "[indexer][codec]") {
  TempDir t;
  const fs::path corpus = t.path / "corpus";
  copy_seed_corpus(corpus);
  // A file with CRLF line ends: its passages are not its bytes, so the index stores them.
  spit(corpus / "crlf.txt", with_crlf(slurp(corpus / "003_d673819c6f11a063.txt")));
  auto s = run_index(options_for(t));
  CHECK(s.dictionary_bytes == 0);
  IndexView v(t.path / "db");
  CHECK(v.db.get_metadata(schema::kMetaTextDictionary).empty());
  CHECK(schema::stored_text_codec(v.db) == nullptr);
  CHECK(indexer::read_stats((t.path / "db").string()).text_dictionary_bytes == 0);
  const auto expected = expected_passages(corpus);
  const Stored st = check_passages(t.path / "db", corpus, expected);
  CHECK(st.passages == count_passages(expected));
  CHECK(st.undecodable == 0);
  CHECK(st.mismatches == 0);
  // The seed articles are UTF-8 with LF line ends: read from their files.
  CHECK(st.in_file == 71);
  // The CRLF copy's are stored plain: the records are longer than their texts.
  CHECK(st.passages - st.in_file == expected.at(schema::article_key("crlf.txt")).size());
  CHECK(st.record_bytes > st.text_bytes);
}

TEST_CASE("a full build trains one dictionary, incremental runs keep it and old passages readable",
          "[indexer][codec][incremental]") {
  TempDir t;
  const fs::path corpus = t.path / "corpus";
  write_large_corpus(corpus);
  auto o = options_for(t);
  auto s1 = run_index(o);
  REQUIRE(s1.mode == "full");
  CHECK(s1.added == 320);
  CHECK(s1.dictionary_bytes > 0);
  CHECK(s1.dictionary_bytes <= analyzers::TextCodec::kDictionaryBytes);
  std::string dictionary;
  {
    IndexView v(t.path / "db");
    dictionary = v.db.get_metadata(schema::kMetaTextDictionary);
    CHECK(dictionary.size() == s1.dictionary_bytes);
    CHECK(schema::stored_text_codec(v.db) != nullptr);
    CHECK(indexer::read_stats((t.path / "db").string()).text_dictionary_bytes == dictionary.size());
  }
  Stored st = check_passages(t.path / "db", corpus, expected_passages(corpus));
  CHECK(st.passages == s1.passages_total);
  CHECK(st.undecodable == 0);
  CHECK(st.mismatches == 0);
  // The generated articles' texts are in their files, the JSON Lines
  // records' in the index.
  CHECK(st.in_file > 0);
  CHECK(st.passages - st.in_file >= 200);
  // Compressed: the stored records, article fields and mentions included,
  // take well under half the bytes of their texts.
  CHECK(st.record_bytes * 100 < st.text_bytes * 50);

  // Without the dictionary a compressed record does not decode; a record
  // pointing into its file needs none.
  {
    IndexView v(t.path / "db");
    std::size_t refused = 0;
    for (auto it = v.db.postlist_begin(""); it != v.db.postlist_end(""); ++it) {
      schema::PassageData p;
      if (!schema::decode_passage(v.db.get_document(*it).get_data(), p)) ++refused;
    }
    CHECK(refused * 10 > (st.passages - st.in_file) * 9);
    CHECK(refused <= st.passages - st.in_file);
  }

  // An incremental run: new articles, an edited one, a renamed one, a JSON
  // Lines record changed.
  for (int i = 0; i < 10; ++i)
    spit(corpus / "more" / ("b" + std::to_string(i) + ".txt"),
         slurp(corpus / "gen" / fmt::format("a{:05d}.txt", i)) + "\n\nA later article, number " + std::to_string(i) +
             ", about trade through Dandong.\n");
  spit(corpus / "gen/a00003.txt", slurp(corpus / "gen/a00003.txt") + "\n\nA paragraph added later about Dandong.\n");
  fs::last_write_time(corpus / "gen/a00003.txt", fs::last_write_time(corpus / "gen/a00003.txt") + std::chrono::seconds(5));
  fs::rename(corpus / "gen/a00007.txt", corpus / "gen/renamed.txt");
  {
    std::string jl = slurp(corpus / "cranfield.jsonl");
    const auto at = jl.find("aerodynamics");
    REQUIRE(at != std::string::npos);
    jl.replace(at, 12, "AERODYNAMICS");
    spit(corpus / "cranfield.jsonl", jl);
    fs::last_write_time(corpus / "cranfield.jsonl", fs::last_write_time(corpus / "cranfield.jsonl") + std::chrono::seconds(5));
  }
  auto s2 = run_index(o);
  CHECK(s2.mode == "incremental");
  CHECK(s2.added == 10);
  CHECK(s2.updated == 2);
  CHECK(s2.renamed == 1);
  CHECK(s2.dictionary_bytes == s1.dictionary_bytes);
  {
    IndexView v(t.path / "db");
    CHECK(v.db.get_metadata(schema::kMetaTextDictionary) == dictionary);
    CHECK(v.consistent());
    // The renamed article's first passage names its new file.
    Xapian::PostingIterator pi = v.db.postlist_begin(std::string(schema::kArticlePrefix) + schema::article_key("gen/renamed.txt"));
    REQUIRE(pi != v.db.postlist_end(std::string(schema::kArticlePrefix) + schema::article_key("gen/renamed.txt")));
    schema::PassageData first;
    REQUIRE(schema::decode_passage(v.db.get_document(*pi).get_data(), first, schema::TextDictionary(v.db)));
    REQUIRE(first.article);
    CHECK(first.article->id == "gen/renamed.txt");
    CHECK(first.article->path.empty());  // given by the corpus root
    CHECK(fs::path(v.derived_path("gen/renamed.txt")).filename() == "renamed.txt");
  }
  st = check_passages(t.path / "db", corpus, expected_passages(corpus));
  CHECK(st.passages == s2.passages_total);
  CHECK(st.undecodable == 0);
  CHECK(st.mismatches == 0);
  CHECK(st.record_bytes * 100 < st.text_bytes * 50);

  // A search shows the stored texts.
  {
    auto db = searcher::Database::open((t.path / "db").string());
    searcher::SearchOptions so;
    so.query = "Dandong";
    so.limit = 20;
    auto r = searcher::search(db, so);
    REQUIRE_FALSE(r.hits.empty());
    const auto expected = expected_passages(corpus);
    for (const auto& h : r.hits) {
      INFO("hit " << h.article_id << " passage " << h.ordinal);
      REQUIRE(expected.count(schema::article_key(h.article_id)));
      const auto& texts = expected.at(schema::article_key(h.article_id));
      REQUIRE(h.ordinal < texts.size());
      CHECK(h.text == texts[h.ordinal]);
      CHECK_FALSE(h.title.empty());
    }
  }

  // --rebuild trains a dictionary afresh, on the corpus as it is now.
  o.rebuild = true;
  auto s3 = run_index(o);
  CHECK(s3.mode == "rebuild");
  CHECK(s3.dictionary_bytes > 0);
  st = check_passages(t.path / "db", corpus, expected_passages(corpus));
  CHECK(st.undecodable == 0);
  CHECK(st.mismatches == 0);
}

TEST_CASE("storing texts (--store-texts) keeps every passage's text in the index: results show it with the corpus gone",
          "[indexer][codec]") {
  TempDir t;
  const fs::path corpus = t.path / "corpus";
  copy_seed_corpus(corpus);
  auto o = options_for(t);
  o.store_texts = true;
  run_index(o);
  const auto expected = expected_passages(corpus);
  const Stored st = check_passages(t.path / "db", corpus, expected);
  CHECK(st.passages == 71);
  CHECK(st.in_file == 0);
  CHECK(st.mismatches == 0);

  fs::remove_all(corpus);
  auto db = searcher::Database::open((t.path / "db").string());
  searcher::SearchOptions so;
  so.query = "Jang Song-thaek";
  auto r = searcher::search(db, so);
  REQUIRE_FALSE(r.hits.empty());
  for (const auto& h : r.hits) {
    CHECK(h.text_error.empty());
    REQUIRE(expected.count(schema::article_key(h.article_id)));
    CHECK(h.text == expected.at(schema::article_key(h.article_id)).at(h.ordinal));
  }

  // Without it, the same search over a fresh index of a corpus that is then
  // deleted finds the passages and says their text is unavailable.
  TempDir t2;
  copy_seed_corpus(t2.path / "corpus");
  run_index(options_for(t2));
  fs::remove_all(t2.path / "corpus");
  auto db2 = searcher::Database::open((t2.path / "db").string());
  auto r2 = searcher::search(db2, so);
  REQUIRE(r2.hits.size() == r.hits.size());
  for (const auto& h : r2.hits) {
    CHECK(h.text.empty());
    CHECK(h.text_error.find("cannot open") != std::string::npos);
  }
}
