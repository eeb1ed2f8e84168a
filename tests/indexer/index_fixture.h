// Shared helpers for the indexer tests: a temporary corpus built from the seed
// articles, and a look at what an index holds.
#pragma once

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <xapian.h>

#include "analyzers/schema.h"
#include "indexer/indexer.h"

namespace lipsteeth::testing {

namespace fs = std::filesystem;

inline std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline void spit(const fs::path& p, const std::string& s) {
  fs::create_directories(p.parent_path());
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out << s;
}

// A fresh directory under $TMPDIR, removed with its contents at the end.
struct TempDir {
  fs::path path;
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "lipsteeth-test-XXXXXX").string();
    path = ::mkdtemp(tmpl.data());
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

// Index options for a test folder: the database in `t`/db, the corpus
// `t`/corpus, two jobs.
inline indexer::IndexOptions options_for(const TempDir& t) {
  indexer::IndexOptions o;
  o.db_path = (t.path / "db").string();
  o.roots = {(t.path / "corpus").string()};
  o.jobs = 2;
  return o;
}

// The five seed articles (corpus/*.txt), sorted by name.
inline std::vector<fs::path> seed_articles() {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(fs::path(LIPSTEETH_SOURCE_DIR) / "corpus"))
    if (e.path().extension() == ".txt") out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

// Copies the seed articles into `dir` (writable copies).
inline void copy_seed_corpus(const fs::path& dir) {
  fs::create_directories(dir);
  for (const auto& p : seed_articles()) spit(dir / p.filename(), slurp(p));
}

// Writes `n` articles built from the seed articles, each made unique by a
// numbered paragraph, into `dir` (about 9 KB each).
inline void write_generated_corpus(const fs::path& dir, int n) {
  auto seeds = seed_articles();
  std::vector<std::string> texts;
  for (const auto& p : seeds) texts.push_back(slurp(p));
  for (int i = 0; i < n; ++i) {
    char name[32];
    std::snprintf(name, sizeof name, "a%05d.txt", i);
    spit(dir / name, texts[i % texts.size()] + "\n\nThis copy carries the serial number item" + std::to_string(i) +
                         " so that every article differs from the others.\n");
  }
}

// What an index holds, read through its stub as a searcher would.
struct IndexView {
  Xapian::Database db;
  std::map<std::string, nlohmann::json> files;  // file:<id> states

  explicit IndexView(const fs::path& db_dir) : db((db_dir / schema::kStubName).string()) {
    const std::string fp = schema::kMetaFilePrefix;
    // Metadata of a database made of several shards is read per shard.
    for (std::size_t i = 0; i < 1; ++i)
      for (auto it = db.metadata_keys_begin(fp); it != db.metadata_keys_end(fp); ++it)
        files[(*it).substr(fp.size())] = nlohmann::json::parse(db.get_metadata(*it));
  }
  // Where the index finds the file of article `id` from its corpus roots.
  std::string derived_path(const std::string& id) const {
    return schema::derived_path(nlohmann::json::parse(db.get_metadata(schema::kMetaRoots)).get<std::vector<std::string>>(),
                                id);
  }
  Xapian::doccount passages_of(const std::string& id) const {
    return db.get_termfreq(std::string(schema::kArticlePrefix) + schema::article_key(id));
  }
  bool has_term_in(const std::string& term, const std::string& id) const {
    Xapian::Enquire enq(db);
    enq.set_query(Xapian::Query(Xapian::Query::OP_FILTER, Xapian::Query(term),
                                Xapian::Query(std::string(schema::kArticlePrefix) + schema::article_key(id))));
    return enq.get_mset(0, 1).size() > 0;
  }
  // Every recorded article has exactly its recorded passages, and nothing else is there.
  bool consistent() const {
    Xapian::doccount total = 0;
    for (const auto& [id, st] : files) {
      if (passages_of(id) != st.value("passages", 0u)) return false;
      total += passages_of(id);
    }
    return total == db.get_doccount();
  }
};

}  // namespace lipsteeth::testing
