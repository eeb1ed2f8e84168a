// Writing: one Writer per Xapian database a run writes (one thread each),
// the version metadata of an index, and the worker pool. Internal to the indexer.
#pragma once

#include <sys/statvfs.h>

#include "indexer/generations.h"
#include "indexer/work.h"

namespace lipsteeth::indexer::detail {

// ---------------------------------------------------------------------------
// Writing (one thread per Writer).

class Writer {
 public:
  Writer(const std::string& path, int flags, std::uint64_t batch_bytes, bool check_orphans)
      : db_(path, flags | Xapian::DB_BACKEND_GLASS), path_(path), batch_bytes_(batch_bytes),
        check_orphans_(check_orphans) {
    db_.begin_transaction(true);
  }
  // A writer left by a failure (disk full...) still holds uncommitted
  // changes. Every batch is a Xapian transaction, so closing the database
  // here cancels them (the next run redoes the work) instead of writing
  // them, which on a full disk could fail again inside Xapian's destructor.
  ~Writer() {
    try {
      db_.close();
    } catch (...) {
    }
  }
  Writer(const Writer&) = delete;
  Writer& operator=(const Writer&) = delete;

  Xapian::WritableDatabase& db() { return db_; }
  // The index's text dictionary, if any (renames re-encode passages).
  void set_codec(const analyzers::TextCodec* codec) { codec_ = codec; }

  void apply(Result& r) {
    switch (r.outcome) {
      case Outcome::added:
      case Outcome::updated:
        // An added article may have passages without a state when a
        // previous run died between Xapian's own flushes: they are
        // replaced as an update's are.
        write_passages(r, r.outcome == Outcome::updated || (check_orphans_ && db_.term_exists(article_term(r.id))));
        db_.set_metadata(file_key(r.id), r.state);
        break;
      case Outcome::renamed:
        rename(r.old_id, r.id, r.state);
        break;
      case Outcome::touched:
        db_.set_metadata(file_key(r.id), r.state);
        break;
      case Outcome::skipped:
        if (r.remove_previous) remove(r.id);
        break;
      case Outcome::unchanged:
      case Outcome::unreadable:
        break;
    }
    pending_ += r.bytes + 512 * r.passages;
    r.docs.clear();
    r.deferred.reset();
    if (pending_ >= batch_bytes_) commit();
  }

  // The passages of an added or updated article, built here one at a time
  // when the analysis deferred them (Result::deferred).
  //
  // Replacing: the new passages of an article take the document ids of its
  // old ones, in order (the first passage keeps the article's lowest id);
  // extra old ones are deleted, extra new ones added. Xapian's
  // replace_document() writes only what differs from the old document, and
  // the passages before an edit are usually unchanged: an update then
  // touches a few blocks of the posting and position tables instead of one
  // block of nearly every term (deleting and re-adding an article changes
  // every one of its terms' posting lists and position lists).
  //
  // A very large file's passages are many documents: each is freed once
  // Xapian has it, and every kDocsPerFlush of them are committed, so that
  // neither they nor Xapian's buffered postings grow with the file. (A kill
  // between those commits leaves passages without their article's state,
  // which the next run replaces, as after any interrupted commit.)
  static constexpr std::size_t kDocsPerFlush = 4096;
  void write_passages(Result& r, bool replace) {
    std::vector<Xapian::docid> ids;
    if (replace) {
      const std::string term = article_term(r.id);
      ids.assign(db_.postlist_begin(term), db_.postlist_end(term));
    }
    std::size_t k = 0;
    auto put = [&](Xapian::Document&& doc) {
      if (k < ids.size()) db_.replace_document(ids[k], doc);
      else db_.add_document(doc);
      doc = Xapian::Document();
      if (r.passages > kDocsPerFlush && (k + 1) % kDocsPerFlush == 0) commit();
      ++k;
    };
    if (r.deferred) {
      build_passage_documents(r.deferred->article, r.deferred->context, stemmer_, spelling_, put);
      r.deferred.reset();
    } else {
      for (auto& doc : r.docs) put(std::move(doc));
    }
    for (std::size_t j = k; j < ids.size(); ++j) db_.delete_document(ids[j]);
  }

  void remove(const std::string& id) {
    db_.delete_document(article_term(id));
    db_.set_metadata(file_key(id), "");
  }

  void rename(const std::string& old_id, const std::string& new_id, const std::string& state) {
    const std::string old_term = article_term(old_id), new_term = article_term(new_id);
    std::vector<Xapian::docid> ids(db_.postlist_begin(old_term), db_.postlist_end(old_term));
    json st = json::parse(state);
    for (Xapian::docid did : ids) {
      Xapian::Document doc = db_.get_document(did);
      doc.remove_term(old_term);
      doc.add_boolean_term(new_term);
      schema::PassageData data;
      if (schema::decode_passage(doc.get_data(), data, codec_) && data.article) {
        data.article->id = new_id;
        data.article->path = st.value("path", "");
        doc.set_data(schema::encode_passage(data, codec_));
      }
      db_.replace_document(did, doc);
    }
    db_.set_metadata(file_key(old_id), "");
    db_.set_metadata(file_key(new_id), state);
  }

  SpellingCounts& spelling() { return spelling_; }
  // A full build's count of compound terms (ArticleContext::compounds).
  SpellingCounts& compounds() { return compounds_; }

  // Commits the batch (a transaction) and begins the next. Throws
  // lipsteeth::Error, before writing anything, when the disk holding the
  // database is too full for the batch: Xapian 1.4 can call std::terminate
  // when it runs out of space inside commit() (seen in tests/faults).
  void commit() {
    for (const auto& [word, n] : spelling_) db_.add_spelling(word, n);
    spelling_.clear();
    check_space();
    db_.commit_transaction();
    pending_ = 0;
    fault_point("after-commit");
    db_.begin_transaction(true);
  }

  // A commit writes new copies of the blocks it changes before it frees the
  // old ones: room for a few times the batch's input is asked for.
  void check_space() const {
    struct statvfs v;
    if (::statvfs(path_.c_str(), &v) != 0) return;
    const std::uint64_t free_bytes = static_cast<std::uint64_t>(v.f_bavail) * v.f_frsize;
    const std::uint64_t need = 4 * pending_ + (1u << 20);
    if (free_bytes < need)
      throw Error(fmt::format("disk full: {:.1f} MB free under '{}', about {:.1f} MB needed to commit; the last batch "
                              "was not written (the next run redoes it)",
                              static_cast<double>(free_bytes) / 1e6, path_, static_cast<double>(need) / 1e6));
  }

 private:
  Xapian::WritableDatabase db_;
  std::string path_;
  std::uint64_t batch_bytes_;
  bool check_orphans_;
  const analyzers::TextCodec* codec_ = nullptr;
  std::uint64_t pending_ = 0;
  SpellingCounts spelling_;
  SpellingCounts compounds_;
  analyzers::Stemmer stemmer_;  // for deferred documents
};

// ---------------------------------------------------------------------------

struct Counters {
  std::atomic<std::uint64_t> files_done{0}, bytes_done{0};
};

inline void tally(IndexSummary& s, std::mutex& m, Result& r) {
  std::lock_guard<std::mutex> lock(m);
  switch (r.outcome) {
    case Outcome::added: ++s.added; break;
    case Outcome::updated: ++s.updated; break;
    case Outcome::renamed: ++s.renamed; break;
    case Outcome::touched:
    case Outcome::unchanged: ++s.unchanged; break;
    case Outcome::unreadable:
    case Outcome::skipped:
      s.skipped.push_back(r.skip);
      if (r.remove_previous) ++s.removed;
      break;
  }
  s.passages += r.passages;
  s.bytes += r.bytes;
}

inline void set_version_metadata(Xapian::WritableDatabase& db, const std::string& gazetteer_text,
                          const std::string& gazetteer_digest, const std::string& lexicon_text,
                          const std::vector<std::string>& roots, const std::string& text_dictionary) {
  db.set_metadata(schema::kMetaSchema, schema::kSchemaVersion);
  db.set_metadata(schema::kMetaAnalyzer, schema::kAnalyzerVersion);
  db.set_metadata(schema::kMetaGazetteer, gazetteer_text);
  db.set_metadata(schema::kMetaGazetteerDigest, gazetteer_digest);
  db.set_metadata(schema::kMetaLexicon, lexicon_text);
  db.set_metadata(schema::kMetaRoots, json(roots).dump());
  db.set_metadata(schema::kMetaTextDictionary, text_dictionary);  // "" deletes the key
}

inline bool compatible(const Xapian::Database& db, const std::string& gazetteer_digest, std::string& why) {
  if (db.get_metadata(schema::kMetaSchema) != schema::kSchemaVersion ||
      db.get_metadata(schema::kMetaAnalyzer) != schema::kAnalyzerVersion) {
    why = "index built by another schema or analyzer version";
    return false;
  }
  if (db.get_metadata(schema::kMetaGazetteerDigest) != gazetteer_digest) {
    why = "the gazetteer changed";
    return false;
  }
  return true;
}

inline std::string now_iso() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  ::gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

// Worker pool helper: runs `body(worker)` on n threads, rethrows the first
// exception (of a worker, of wait_loop, or of starting a thread) once every
// thread has been joined: none escapes a thread.
template <class F>
void run_threads(unsigned n, F body, std::atomic<bool>& abort, const std::function<void()>& wait_loop) {
  std::vector<std::thread> threads;
  std::exception_ptr error;
  std::mutex error_mutex;
  std::atomic<unsigned> running{n};
  for (unsigned w = 0; w < n; ++w) {
    try {
      threads.emplace_back([&, w] {
        try {
          body(w);
        } catch (...) {
          std::lock_guard<std::mutex> lock(error_mutex);
          if (!error) error = std::current_exception();
          abort = true;
        }
        --running;
      });
    } catch (...) {
      // No thread could be started (a process limit): the ones running stop
      // and are joined, and the error is the run's; a std::thread destroyed
      // while still joinable would call std::terminate instead.
      std::lock_guard<std::mutex> lock(error_mutex);
      if (!error) error = std::current_exception();
      abort = true;
      running -= n - w;
      break;
    }
  }
  while (running.load() > 0) {
    try {
      wait_loop();
    } catch (...) {
      std::lock_guard<std::mutex> lock(error_mutex);
      if (!error) error = std::current_exception();
      abort = true;
    }
  }
  for (auto& t : threads) t.join();
  if (error) std::rethrow_exception(error);
}

}  // namespace lipsteeth::indexer::detail
