// Database: opening an index for searching (searcher.h).
#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <chrono>
#include <mutex>
#include <thread>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include "analyzers/error.h"
#include "analyzers/schema.h"
#include "searcher/layout.h"
#include "searcher/searcher.h"

namespace lipsteeth::searcher {

struct Database::Lazy {
  std::once_flag once;
  std::unique_ptr<analyzers::Gazetteer> gazetteer;
  std::once_flag roots_once;
  std::vector<std::string> roots;
};

namespace {

std::string rebuild_hint(const std::string& path) {
  return fmt::format("rebuild it with `lipsteeth index --rebuild --db {}`", path);
}

// Throws IndexMissingError when `db` is of another schema or analyzer.
void check_versions(const Xapian::Database& db, const std::string& what, const std::string& hint) {
  const std::string schema_v = db.get_metadata(schema::kMetaSchema);
  const std::string analyzer_v = db.get_metadata(schema::kMetaAnalyzer);
  if (schema_v != schema::kSchemaVersion || analyzer_v != schema::kAnalyzerVersion)
    throw IndexMissingError(fmt::format(
        "{} was built by another version (schema {}, analyzer {}; this lipsteeth reads schema {}, "
        "analyzer {}); {}",
        what, schema_v.empty() ? "?" : schema_v, analyzer_v.empty() ? "?" : analyzer_v, schema::kSchemaVersion,
        schema::kAnalyzerVersion, hint));
}

// One shard of a stub, opened and checked; throws IndexMissingError naming it.
Shard open_shard(const ShardSpec& spec, const Layout& layout, const OpenOptions& o) {
  Shard sh;
  sh.name = spec.name;
  sh.remote = spec.remote;
  const std::string what = fmt::format("shard '{}' of '{}'", spec.name, layout.stub);
  try {
    if (spec.remote) {
      sh.db = Xapian::Remote::open(spec.host, spec.port, o.timeout_ms, o.timeout_ms);
    } else {
      sh.db = Xapian::Database(spec.path);
    }
    check_versions(sh.db, what, "rebuild that shard with the lipsteeth that searches it");
    // The metadata a search reads: a remote shard that stops answering
    // now fails here, by its timeout, not in the middle of the ranking.
    (void)sh.db.get_doccount();
  } catch (const Xapian::Error& e) {
    throw IndexMissingError(fmt::format("{} cannot be {} ({}){}", what, spec.remote ? "reached" : "opened",
                                        e.get_description(),
                                        spec.remote ? fmt::format("; is `xapian-tcpsrv --port {}` (or `lipsteeth serve`) "
                                                                  "running on {}?",
                                                                  spec.port, spec.host)
                                                    : ""));
  }
  return sh;
}

bool portable_from_environment() {
  const char* v = std::getenv("LIPSTEETH_PORTABLE");
  return v && *v && std::string(v) != "0";
}

}  // namespace

Database Database::open(const std::string& db_dir, const OpenOptions& o) {
  Database d;
  d.path_ = db_dir.empty() ? schema::default_db_path() : db_dir;
  const Layout layout = read_layout(d.path_);
  d.portable_ = o.portable || portable_from_environment();
  if (!layout.single) {
    std::vector<std::string> problems;
    for (const auto& spec : layout.shards) {
      try {
        d.shards_.push_back(open_shard(spec, layout, o));
      } catch (const IndexMissingError& e) {
        if (!o.allow_partial) throw;
        d.left_out_.push_back(fmt::format("{}: left out of this search (--allow-partial)", e.what()));
      }
    }
    if (d.shards_.empty())
      throw IndexMissingError(fmt::format("no shard of '{}' could be opened: {}", layout.stub,
                                          fmt::join(d.left_out_, "; ")));
    const std::string gazetteer = d.shards_[0].db.get_metadata(schema::kMetaGazetteerDigest);
    for (auto& sh : d.shards_) {
      if (sh.db.get_metadata(schema::kMetaGazetteerDigest) != gazetteer)
        throw IndexMissingError(fmt::format("shard '{}' of '{}' was built with another gazetteer than shard '{}': "
                                            "rebuild the shards together (lipsteeth index --rebuild --db DIR)",
                                            sh.name, layout.stub, d.shards_[0].name));
      d.db_.add_database(sh.db);
      d.portable_ = d.portable_ || sh.remote;
      std::uint64_t n = 0;
      const std::string v = sh.db.get_metadata(schema::kMetaArticles);
      std::from_chars(v.data(), v.data() + v.size(), n);
      d.articles_ += static_cast<double>(n);
    }
    if (!layout.spelling.empty()) {
      try {
        d.spelling_ = std::make_shared<Xapian::Database>(layout.spelling);
      } catch (const Xapian::Error&) {
        // Being replaced by a run: no suggestion this once.
      }
    }
    d.lexicon_ = std::make_shared<const analyzers::ActorLexicon>(
        analyzers::ActorLexicon::parse(d.db_.get_metadata(schema::kMetaLexicon)));
    d.lazy_ = std::make_shared<Lazy>();
    return d;
  }
  const std::string stub = layout.stub;
  const std::string how = fmt::format("build it with `lipsteeth index --db {} CORPUS_DIR`", d.path_);
  try {
    // Opening while a writer commits can read a block that the commit is
    // reusing, which Xapian reports as corrupt: the same open a moment later
    // reads the new revision. A damaged index fails every time.
    for (int attempt = 1;; ++attempt) {
      try {
        d.db_ = Xapian::Database(stub);
        break;
      } catch (const Xapian::DatabaseCorruptError&) {
        if (attempt == 3) throw;
        std::this_thread::sleep_for(std::chrono::milliseconds(attempt));
      }
    }
  } catch (const Xapian::DatabaseNotFoundError&) {
    throw IndexMissingError(fmt::format("no index at '{}'; {}", d.path_, how));
  } catch (const Xapian::DatabaseOpeningError& e) {
    throw IndexMissingError(fmt::format("cannot open the index at '{}' ({}); {}", d.path_, e.get_msg(), how));
  } catch (const Xapian::DatabaseCorruptError& e) {
    throw IndexMissingError(fmt::format("the index at '{}' is damaged ({}); rebuild it with "
                                        "`lipsteeth index --rebuild --db {}`",
                                        d.path_, e.get_msg(), d.path_));
  }
  check_versions(d.db_, "index", rebuild_hint(d.path_));
  d.shards_.push_back({d.path_, false, d.db_});
  {
    std::uint64_t n = 0;
    const std::string v = d.db_.get_metadata(schema::kMetaArticles);
    std::from_chars(v.data(), v.data() + v.size(), n);
    d.articles_ = static_cast<double>(n);
  }
  if (!d.portable_) d.column_ = analyzers::PassageColumn::open(d.db_, d.path_, &d.column_problem_);
  if (!d.column_problem_.empty())
    d.column_problem_ += "; this search reads the index's values instead (slower, the same results), and the "
                         "next `lipsteeth index` run rewrites it";
  try {
    // The column's copy of the lexicon is read in place; without a column,
    // Xapian's metadata is copied out.
    d.lexicon_ = std::make_shared<const analyzers::ActorLexicon>(
        d.column_ && !d.column_->lexicon().empty()
            ? analyzers::ActorLexicon::view(d.column_->lexicon(), d.column_)
            : analyzers::ActorLexicon::parse(d.db_.get_metadata(schema::kMetaLexicon)));
  } catch (const InputError& e) {
    throw IndexMissingError(fmt::format("the index's actor lexicon cannot be read ({}); rebuild it with "
                                        "`lipsteeth index --rebuild --db {}`",
                                        e.what(), d.path_));
  }
  d.lazy_ = std::make_shared<Lazy>();
  return d;
}

std::optional<Database> Database::reopen(Xapian::rev revision, const std::string& uuid) const {
  // Shards are not opened twice: their count runs on the caller's thread.
  if (shards_.size() != 1 || shards_[0].remote || portable_) return std::nullopt;
  try {
    Xapian::Database again(schema::stub_path(path_));
    if (again.get_revision() != revision || again.get_uuid() != uuid) return std::nullopt;
    // The same lexicon, column and gazetteer (read-only, or built once), but
    // never a copy of db_: Xapian counts the references to a handle's
    // internals without atomics, and this runs on the other thread while the
    // caller's goes on using (and copying) db_. Copying it here corrupted that
    // count now and then: a search crashed in its last use of the index
    // (spelling_suggestion's term_exists), about one in 300 runs of
    // "refugees border China" at 200 MB with facets.
    Database d;
    d.path_ = path_;
    d.db_ = std::move(again);
    d.lexicon_ = lexicon_;
    d.lazy_ = lazy_;
    d.column_ = column_;
    d.column_problem_ = column_problem_;
    d.shards_.push_back({path_, false, d.db_});
    d.articles_ = articles_;
    return d;
  } catch (const Xapian::Error&) {
    return std::nullopt;
  }
}

const Xapian::Database& Database::shard_of(Xapian::docid did) const {
  if (shards_.size() <= 1 || did == 0) return shards_.empty() ? db_ : shards_[0].db;
  return shards_[(did - 1) % shards_.size()].db;
}

const analyzers::Gazetteer& Database::gazetteer() const {
  std::call_once(lazy_->once, [&] {
    try {
      lazy_->gazetteer = std::make_unique<analyzers::Gazetteer>(
          analyzers::Gazetteer::parse(db_.get_metadata(schema::kMetaGazetteer), path_ + " (gazetteer)"));
    } catch (const InputError& e) {
      throw IndexMissingError(fmt::format("the index's gazetteer cannot be read ({}); rebuild it with "
                                          "`lipsteeth index --rebuild --db {}`",
                                          e.what(), path_));
    }
  });
  return *lazy_->gazetteer;
}

const std::vector<std::string>& Database::roots() const {
  std::call_once(lazy_->roots_once, [&] {
    const nlohmann::json r = nlohmann::json::parse(db_.get_metadata(schema::kMetaRoots), nullptr, false);
    if (r.is_array())
      for (const auto& x : r)
        if (x.is_string()) lazy_->roots.push_back(x.get<std::string>());
  });
  return lazy_->roots;
}

int with_database(const std::string& db_dir, const std::function<void(const Database&)>& fn, int attempts,
                  const OpenOptions& open) {
  for (int attempt = 1;; ++attempt) {
    Xapian::rev opened = 0;
    std::string path;
    try {
      const Database db = Database::open(db_dir, open);
      // (A revision is a single database's: shards are not retried.)
      if (db.shard_count() == 1 && !db.shards()[0].remote) opened = db.xapian().get_revision();
      path = db.path();
      fn(db);
      return attempt;
    } catch (const Xapian::DatabaseCorruptError&) {
      // A block reused by a commit since this reader opened, read as it is
      // being rewritten: another revision is there now. Otherwise the index
      // is damaged, and retrying would not help.
      bool moved_on = false;
      try {
        moved_on = !path.empty() && Xapian::Database(schema::stub_path(path)).get_revision() != opened;
      } catch (const Xapian::Error&) {
      }
      if (!moved_on || attempt >= attempts) throw;
      std::this_thread::sleep_for(std::chrono::milliseconds(1 << std::min(attempt - 1, 6)));
    } catch (const Xapian::DatabaseModifiedError& e) {
      if (attempt < attempts) {
        // A writer's commits come in bursts (one per batch of a run): waiting
        // a little longer each time lets a search fall between two of them.
        std::this_thread::sleep_for(std::chrono::milliseconds(1 << std::min(attempt - 1, 6)));
        continue;
      }
      throw Error(fmt::format("the index at '{}' changed under the search {} times in a row (another "
                              "`lipsteeth index` is committing; try again): {}",
                              db_dir.empty() ? schema::default_db_path() : db_dir, attempt, e.get_msg()));
    }
  }
}

}  // namespace lipsteeth::searcher
