// read_stats and verify_index: looking at an index without writing it.
#include <algorithm>
#include <filesystem>
#include <sstream>
#include <unordered_map>

#include <sys/stat.h>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <xapian.h>

#include "analyzers/error.h"
#include "analyzers/passage_column.h"
#include "analyzers/schema.h"
#include "indexer/corpus.h"
#include "indexer/generations.h"
#include "indexer/index_dir.h"
#include "indexer/indexer.h"

namespace fs = std::filesystem;
using json = nlohmann::json;

namespace lipsteeth::indexer {

namespace {

std::string resolve_dir(const std::string& db_path) {
  return absolute_path(db_path.empty() ? schema::default_db_path() : db_path);
}

Xapian::Database open_live(const std::string& dir) {
  std::string stub = schema::stub_path(dir);
  if (!fs::exists(stub))
    throw IndexMissingError(fmt::format("no index at '{}': run `lipsteeth index --db {} PATH...` first", dir, dir));
  try {
    return Xapian::Database(stub);
  } catch (const Xapian::Error& e) {
    throw IndexMissingError(fmt::format("cannot open index '{}': {}", dir, e.get_description()));
  }
}

// Each database the stub names, opened on its own: Xapian 1.4 reads the
// metadata of a database made of several (a first build's shards) from the
// first one only, and each shard holds the states of its own articles.
struct Parts {
  std::vector<Xapian::Database> dbs;
  Parts(const std::string& dir) {
    for (const auto& g : read_stub(dir)) {
      try {
        dbs.emplace_back(stub_part_path(dir, g));
      } catch (const Xapian::Error& e) {
        throw IndexMissingError(fmt::format("cannot open index '{}': {}: {}", dir, g, e.get_description()));
      }
    }
  }
  // The first non-empty value of `key` (index-wide keys are in every shard).
  std::string get(const std::string& key) const {
    for (const auto& d : dbs)
      if (std::string v = d.get_metadata(key); !v.empty()) return v;
    return {};
  }
  // Every key with `prefix`, from every shard.
  template <class F>
  void each(const std::string& prefix, F f) const {
    for (const auto& d : dbs)
      for (auto it = d.metadata_keys_begin(prefix); it != d.metadata_keys_end(prefix); ++it) f(*it, d.get_metadata(*it));
  }
};

}  // namespace

std::string live_database(const std::string& db_path) { return schema::stub_path(resolve_dir(db_path)); }

std::string IndexStats::to_json() const {
  json years = json::object();
  for (const auto& [y, n] : passages_per_year) years[std::to_string(y)] = n;
  json j = {{"db", db_path},
            {"generation", generation},
            {"schema", schema_version},
            {"analyzer", analyzer_version},
            {"articles", articles},
            {"passages", passages},
            {"terms", terms},
            {"actors", actors},
            {"passages_per_year", years},
            {"bytes_on_disk", bytes_on_disk},
            {"text_dictionary_bytes", text_dictionary_bytes},
            {"roots", roots}};
  json f = json::array();
  for (const auto& u : folders) f.push_back({{"name", u.name}, {"bytes", u.bytes}, {"live", u.live}});
  j["folders"] = std::move(f);
  json lb = json::parse(last_build_json, nullptr, false);
  j["last_build"] = lb.is_discarded() ? json(nullptr) : lb;
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

IndexStats read_stats(const std::string& db_path) {
  IndexStats s;
  s.db_path = resolve_dir(db_path);
  Xapian::Database db = open_live(s.db_path);
  const Parts parts(s.db_path);
  s.folders = disk_use_by_generation(s.db_path);
  auto live = read_stub(s.db_path);
  for (const auto& g : live) {
    if (!s.generation.empty()) s.generation += ", ";
    s.generation += g;
    s.bytes_on_disk += disk_usage(stub_part_path(s.db_path, g));
  }
  s.schema_version = parts.get(schema::kMetaSchema);
  s.analyzer_version = parts.get(schema::kMetaAnalyzer);
  s.text_dictionary_bytes = parts.get(schema::kMetaTextDictionary).size();
  s.passages = db.get_doccount();
  parts.each(schema::kMetaFilePrefix, [&](const std::string&, const std::string&) { ++s.articles; });
  for (auto it = db.allterms_begin(); it != db.allterms_end(); ++it) ++s.terms;
  const std::string ap = schema::kActorPrefix;
  for (auto it = db.allterms_begin(ap); it != db.allterms_end(ap); ++it) ++s.actors;
  const std::string yp = schema::kYearPrefix;
  for (auto it = db.allterms_begin(yp); it != db.allterms_end(yp); ++it) {
    std::string t = *it;
    try {
      s.passages_per_year[std::stoi(t.substr(yp.size()))] = it.get_termfreq();
    } catch (const std::exception&) {
    }
  }
  json r = json::parse(parts.get(schema::kMetaRoots), nullptr, false);
  if (r.is_array())
    for (const auto& x : r)
      if (x.is_string()) s.roots.push_back(x.get<std::string>());
  s.last_build_json = parts.get(schema::kMetaLastBuild);
  return s;
}

VerifyReport verify_index(const std::string& db_path) {
  VerifyReport rep;
  const std::string dir = resolve_dir(db_path);
  Xapian::Database db = open_live(dir);
  const Parts parts(dir);

  // 1. Xapian's own consistency check, on each database the stub names.
  for (const auto& g : read_stub(dir)) {
    std::ostringstream out;
    std::size_t errors = 0;
    try {
      errors = Xapian::Database::check(stub_part_path(dir, g), Xapian::DBCHECK_SHORT_TREE, &out);
    } catch (const Xapian::Error& e) {
      rep.problems.push_back(fmt::format("{}: {}", g, e.get_description()));
      continue;
    }
    if (errors) rep.problems.push_back(fmt::format("{}: Xapian's check found {} error(s)", g, errors));
  }

  // 2. Versions.
  if (parts.get(schema::kMetaSchema) != schema::kSchemaVersion ||
      parts.get(schema::kMetaAnalyzer) != schema::kAnalyzerVersion)
    rep.problems.push_back("index built by another schema or analyzer version: rebuild it (lipsteeth index --rebuild)");

  // 3. The passage column, when there is one for this revision: the values
  // it holds are Xapian's, document by document (a search trusts it).
  std::string column_refused;
  const auto col = analyzers::PassageColumn::open(db, dir, &column_refused);
  if (!column_refused.empty())
    rep.problems.push_back(column_refused + " (delete the file, or run lipsteeth index, to rewrite it)");
  if (col) {
    std::size_t wrong = 0, dense_wrong = 0;
    Xapian::docid first_wrong = 0, first_dense_wrong = 0;
    auto it = db.valuestream_begin(schema::kValuePassage);
    const auto end = db.valuestream_end(schema::kValuePassage);
    for (Xapian::docid d = 1; d <= col->lastdocid(); ++d) {
      std::string_view want;
      std::string v;
      if (it != end && it.get_docid() == d) {
        v = *it;
        want = v;
        ++it;
      }
      if (col->value(d) != want && wrong++ == 0) first_wrong = d;
      // Its year byte and its bits in the actors' bitmaps, as the value says.
      schema::PassageValueReader r(want);
      bool dense_ok = true;
      if (const std::uint8_t* years = col->year_bytes()) {
        const std::uint64_t y = want.empty() || !r.ok ? 0 : r.year_plus_one;
        dense_ok = years[d] == (y == 0 ? 0 : y - col->year_base() + 1);
      }
      if (!col->bitmap_ranks().empty()) {
        std::vector<std::uint32_t> named;
        for (std::uint32_t a = 0; !want.empty() && r.next_actor(a);) named.push_back(a);
        for (std::uint32_t rank : col->bitmap_ranks()) {
          const bool bit = (col->actor_bitmap(rank)[d / 64] >> (d % 64)) & 1u;
          dense_ok = dense_ok && bit == (std::find(named.begin(), named.end(), rank) != named.end());
        }
      }
      if (!dense_ok && dense_wrong++ == 0) first_dense_wrong = d;
    }
    if (dense_wrong)
      rep.problems.push_back(fmt::format("passage column {}: the years or actors of {} passage(s) differ from their "
                                         "values, the first document {} (delete the file, or run lipsteeth index, to "
                                         "rewrite it)",
                                         analyzers::PassageColumn::file_name(db), dense_wrong, first_dense_wrong));
    if (wrong)
      rep.problems.push_back(fmt::format("passage column {}: {} passage(s) differ from the index, the first document {} "
                                         "(delete the file, or run lipsteeth index, to rewrite it)",
                                         analyzers::PassageColumn::file_name(db), wrong, first_wrong));
    if (col->lexicon() != parts.get(schema::kMetaLexicon))
      rep.problems.push_back(fmt::format("passage column {}: its actor lexicon differs from the index's (delete the "
                                         "file, or run lipsteeth index, to rewrite it)",
                                         analyzers::PassageColumn::file_name(db)));
  }

  // 4. Every article: its passages as its state says, and its file as it was.
  const std::string fp = schema::kMetaFilePrefix, jp = schema::kMetaJsonlPrefix;
  std::unordered_map<std::string, json> jsonl;
  parts.each(jp, [&](const std::string& key, const std::string& value) {
    jsonl[key.substr(jp.size())] = json::parse(value, nullptr, false);
  });
  Xapian::doccount passages = 0;
  std::vector<std::string> roots;
  if (json r = json::parse(parts.get(schema::kMetaRoots), nullptr, false); r.is_array())
    for (const auto& x : r)
      if (x.is_string()) roots.push_back(x.get<std::string>());
  // `id`: an article's, whose path the state leaves out when the roots give it.
  auto check_file = [&](const std::string& what, const json& st, const std::string& id = "") {
    std::string path = st.value("path", "");
    if (path.empty()) path = schema::derived_path(roots, id);
    struct stat sb;
    if (::stat(path.c_str(), &sb) != 0) {
      rep.problems.push_back(fmt::format("{}: file '{}' is gone (run lipsteeth index to update)", what, path));
      return;
    }
    std::int64_t mtime = static_cast<std::int64_t>(sb.st_mtim.tv_sec) * 1000000000 + sb.st_mtim.tv_nsec;
    if (static_cast<std::uint64_t>(sb.st_size) != st.value("size", std::uint64_t{0}) ||
        mtime != st.value("mtime", std::int64_t{0}))
      rep.problems.push_back(fmt::format("{}: file '{}' changed since it was indexed (run lipsteeth index to update)",
                                         what, path));
  };
  parts.each(fp, [&](const std::string& key, const std::string& value) {
    std::string id = key.substr(fp.size());
    json st = json::parse(value, nullptr, false);
    ++rep.articles_checked;
    if (st.is_discarded() || !st.is_object()) {
      rep.problems.push_back(fmt::format("article '{}': unreadable state", id));
      return;
    }
    std::string term = schema::kArticlePrefix + schema::article_key(id);
    Xapian::doccount n = db.get_termfreq(term);
    passages += n;
    if (n != st.value("passages", Xapian::doccount{0}))
      rep.problems.push_back(fmt::format("article '{}': {} passages in the index, {} recorded", id, n,
                                         st.value("passages", 0)));
    if (st.contains("source")) {
      auto js = jsonl.find(st.value("source", ""));
      if (js == jsonl.end()) rep.problems.push_back(fmt::format("article '{}': its JSON Lines file is not recorded", id));
    } else {
      check_file(fmt::format("article '{}'", id), st, id);
    }
  });
  for (const auto& [id, st] : jsonl)
    if (st.is_object()) check_file(fmt::format("JSON Lines file '{}'", id), st);
  if (passages != db.get_doccount())
    rep.problems.push_back(fmt::format("{} passages belong to no recorded article", db.get_doccount() - passages));
  return rep;
}

}  // namespace lipsteeth::indexer

#if defined(__SANITIZE_ADDRESS__)
// Xapian 1.4's Database::check() deletes one of its own table objects through
// a pointer to a smaller type, inside libxapian; AddressSanitizer reports that
// as new-delete-type-mismatch and aborts. It is not in our code, and every
// binary that can call verify_index() links this file: turn that one check
// off here rather than in every test's environment.
extern "C" const char* __asan_default_options() { return "new_delete_type_mismatch=0"; }
#endif
