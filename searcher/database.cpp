// Database: opening an index for searching (searcher.h).
#include <algorithm>
#include <chrono>
#include <mutex>
#include <thread>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "analyzers/error.h"
#include "analyzers/schema.h"
#include "searcher/searcher.h"

namespace lipsteeth::searcher {

struct Database::Lazy {
  std::once_flag once;
  std::unique_ptr<analyzers::Gazetteer> gazetteer;
  std::once_flag roots_once;
  std::vector<std::string> roots;
};

Database Database::open(const std::string& db_dir) {
  Database d;
  d.path_ = db_dir.empty() ? schema::default_db_path() : db_dir;
  const std::string stub = schema::stub_path(d.path_);
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
  const std::string schema_v = d.db_.get_metadata(schema::kMetaSchema);
  const std::string analyzer_v = d.db_.get_metadata(schema::kMetaAnalyzer);
  if (schema_v != schema::kSchemaVersion || analyzer_v != schema::kAnalyzerVersion) {
    throw IndexMissingError(fmt::format(
        "index was built by another version (schema {}, analyzer {}; this lipsteeth reads schema {}, "
        "analyzer {}); rebuild it with `lipsteeth index --rebuild --db {}`",
        schema_v.empty() ? "?" : schema_v, analyzer_v.empty() ? "?" : analyzer_v, schema::kSchemaVersion,
        schema::kAnalyzerVersion, d.path_));
  }
  d.column_ = analyzers::PassageColumn::open(d.db_, d.path_, &d.column_problem_);
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
    return d;
  } catch (const Xapian::Error&) {
    return std::nullopt;
  }
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

int with_database(const std::string& db_dir, const std::function<void(const Database&)>& fn, int attempts) {
  for (int attempt = 1;; ++attempt) {
    Xapian::rev opened = 0;
    std::string path;
    try {
      const Database db = Database::open(db_dir);
      opened = db.xapian().get_revision();
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
