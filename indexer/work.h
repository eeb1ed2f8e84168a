// The work of a run: what is to be done per file (Task), what came of it
// (Result), the stored states of earlier runs, and the analysis of one task
// (any thread). Internal to the indexer.
#pragma once

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <deque>
#include <exception>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <xapian.h>

#include "analyzers/article.h"
#include "analyzers/container.h"
#include "analyzers/entities.h"
#include "analyzers/error.h"
#include "analyzers/lexicon.h"
#include "analyzers/passage_data.h"
#include "analyzers/schema.h"
#include "analyzers/stemmer.h"
#include "analyzers/text_codec.h"
#include "indexer/corpus.h"
#include "indexer/documents.h"
#include "indexer/indexer.h"

namespace lipsteeth::indexer::detail {

namespace fs = std::filesystem;
using json = nlohmann::json;

using Clock = std::chrono::steady_clock;

inline double since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

inline std::string file_key(const std::string& id) { return schema::kMetaFilePrefix + id; }
inline std::string jsonl_key(const std::string& id) { return schema::kMetaJsonlPrefix + id; }
inline std::string article_term(const std::string& id) { return schema::kArticlePrefix + schema::article_key(id); }

// Reads a whole file. Returns "" in `error` on success.
inline std::string read_file(const std::string& path, std::string& error) {
  std::string bytes;
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) {
    error = fmt::format("cannot open: {}", std::strerror(errno));
    return bytes;
  }
  // Read to the size the file has, not in doubling steps: of a very large
  // file the string would otherwise hold up to twice its size.
  struct stat st;
  if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0)
    bytes.reserve(static_cast<std::size_t>(st.st_size) + 1);
  char buf[1 << 16];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      error = fmt::format("cannot read: {}", std::strerror(errno));
      break;
    }
    if (n == 0) break;
    bytes.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return bytes;
}

inline std::string read_text_file(const std::string& path) {
  std::string err;
  std::string s = read_file(path, err);
  if (!err.empty()) throw InputError(fmt::format("cannot read '{}': {}", path, err.substr(err.find(": ") + 2)));
  return s;
}

// ---------------------------------------------------------------------------
// Work items and their outcomes.

struct Task {
  const CorpusFile* file = nullptr;  // the file (for a record: its .jsonl file)
  bool record = false;               // a JSON Lines record
  std::string_view line;             // the record's text (record only)
  unsigned line_no = 0;              // 1-based (record only)
  std::string record_id;             // (record only)
  const json* previous = nullptr;    // stored state, if any
  std::uint64_t ordinal = 0;         // article ordinal if it is new
  std::uint64_t bytes = 0;           // expected input bytes (progress)
};

enum class Outcome { added, updated, renamed, touched, unchanged, unreadable, skipped };

// An article whose documents are built where they are written, one at a
// time (Writer::apply), rather than all at once by the analysis.
struct DeferredArticle {
  analyzers::Article article;
  ArticleContext context;
};

struct Result {
  Outcome outcome = Outcome::unchanged;
  std::string id;
  std::string state;  // JSON to store at file:<id>
  std::vector<Xapian::Document> docs;
  std::unique_ptr<DeferredArticle> deferred;  // added/updated: the documents to build, instead of `docs`
  std::size_t passages = 0;                   // added/updated: how many documents
  std::string old_id;  // renamed: the previous id
  Skip skip;           // unreadable / skipped
  bool remove_previous = false;  // skipped: drop the passages it had (e.g. now empty)
  std::uint64_t bytes = 0;
};

// Stored states of the previous run(s): file:<id> and jsonl:<id>.
struct States {
  std::unordered_map<std::string, json> files;
  std::unordered_map<std::string, json> jsonl;
  std::unordered_map<std::string, unsigned> shard_of;  // full build resumed: where each article lives
  std::uint64_t next_ordinal = 0;

  void load(const Xapian::Database& db, unsigned shard) {
    const std::string fp = schema::kMetaFilePrefix, jp = schema::kMetaJsonlPrefix;
    for (auto it = db.metadata_keys_begin(fp); it != db.metadata_keys_end(fp); ++it) {
      std::string key = *it;
      json j = json::parse(db.get_metadata(key), nullptr, false);
      if (j.is_discarded() || !j.is_object()) continue;
      std::string id = key.substr(fp.size());
      next_ordinal = std::max<std::uint64_t>(next_ordinal, j.value("ordinal", std::uint64_t{0}) + 1);
      files[id] = std::move(j);
      shard_of[id] = shard;
    }
    for (auto it = db.metadata_keys_begin(jp); it != db.metadata_keys_end(jp); ++it) {
      std::string key = *it;
      json j = json::parse(db.get_metadata(key), nullptr, false);
      if (!j.is_discarded()) jsonl[key.substr(jp.size())] = std::move(j);
    }
    std::string n = db.get_metadata(schema::kMetaNextOrdinal);
    if (!n.empty()) next_ordinal = std::max<std::uint64_t>(next_ordinal, std::stoull(n));
  }
};

// Where the file of an article was, by its stored state: its own path, or
// (a record) its JSON Lines file's, or the path its id gives under `roots`.
inline std::string state_path(const std::string& id, const json& st, const std::vector<std::string>& roots) {
  std::string p = st.value("path", "");
  return p.empty() ? schema::derived_path(roots, id) : p;
}

inline bool same_stat(const json& s, const CorpusFile& f) {
  return s.value("size", std::uint64_t{~0ull}) == f.size && s.value("mtime", std::int64_t{-1}) == f.mtime_ns &&
         s.value("meta", std::string()) == f.sidecar_digest;
}

// ---------------------------------------------------------------------------
// Analysis of one task (any thread).

struct Analyzer {
  Analyzer(const analyzers::Gazetteer& g, const analyzers::Tagger& t, const States* s, bool renames)
      : gazetteer(g), ranks(analyzers::actor_ranks(g)), tagger(t), states(s), detect_renames(renames) {}
  const analyzers::Gazetteer& gazetteer;
  const std::vector<std::uint32_t> ranks;  // lexicon rank of each actor
  const analyzers::Tagger& tagger;
  // Renames: content hash -> ids that vanished from the corpus (claimed once).
  std::mutex rename_mutex;
  std::unordered_multimap<std::string, std::string> vanished_by_hash;
  const States* states = nullptr;
  bool detect_renames = false;
  bool count_spelling = true;  // off in full builds: the dictionary comes from the final term list
  const analyzers::TextCodec* codec = nullptr;  // the index's text dictionary, if any
  bool store_text = false;                      // IndexOptions::store_texts
  const std::vector<std::string>* roots = nullptr;  // the corpus roots (schema::derived_path)
  // Articles of at least this many passages leave their documents to be
  // built by the writer, one at a time: all the documents of a very large
  // file at once take many times its size (0: every article).
  std::size_t defer_from_passages = 512;

  // The path stored for a file: none when the roots give it (schema::derived_path).
  std::string stored_path(const CorpusFile& f) const {
    return roots && schema::derived_path(*roots, f.id) == f.path ? std::string() : f.path;
  }

  // `compounds`: see ArticleContext::compounds.
  Result process(const Task& t, analyzers::Stemmer& stemmer, SpellingCounts& spelling,
                 SpellingCounts* compounds = nullptr) {
    try {
      return t.record ? process_record(t, stemmer, spelling, compounds) : process_file(t, stemmer, spelling, compounds);
    } catch (const std::bad_alloc&) {
      throw;
    } catch (const std::exception& e) {
      // An analyser failure on one file must not stop the run: the file keeps
      // what it had and is retried next time.
      Result r;
      r.outcome = Outcome::unreadable;
      r.id = t.record ? t.record_id : t.file->id;
      r.skip = {t.record ? fmt::format("{}:{}", t.file->path, t.line_no) : t.file->path,
                fmt::format("analysis failed: {}", e.what()), true, false};
      return r;
    }
  }

  // An article of more passages than this (some 4 MB of text) is tokenised
  // and tagged in windows of as many (AnalyzeOptions::window_passages):
  // its tokens are never all in memory.
  static constexpr std::size_t kWindowPassages = 8192;

  analyzers::AnalyzeOptions analyze_options() const {
    analyzers::AnalyzeOptions o;
    o.tagger = &tagger;
    o.keep_tokens = true;
    o.window_passages = kWindowPassages;
    return o;
  }

  // The documents of an analysed article: built now into r.docs, or left
  // in r.deferred for the writer (defer_from_passages).
  void documents(analyzers::Article a, const ArticleContext& context, analyzers::Stemmer& stemmer,
                 SpellingCounts& spelling, Result& r) const {
    r.passages = a.passages.size();
    std::string().swap(a.decoded.text);  // the raw decoded text: not indexed
    if (r.passages >= defer_from_passages) {
      r.deferred.reset(new DeferredArticle{std::move(a), context});
      return;
    }
    r.docs.reserve(r.passages);
    build_passage_documents(a, context, stemmer, spelling, r.docs);
  }

  Result process_file(const Task& t, analyzers::Stemmer& stemmer, SpellingCounts& spelling,
                      SpellingCounts* compounds) {
    const CorpusFile& f = *t.file;
    Result r;
    r.id = f.id;
    auto unreadable = [&](std::string why) {
      r.outcome = Outcome::unreadable;
      r.skip = {f.path, std::move(why) + (t.previous ? "; its previous passages are kept" : ""), true, false};
      return std::move(r);
    };
    if (!f.unreadable.empty()) return unreadable(f.unreadable);
    std::string err;
    std::string bytes = read_file(f.path, err);
    if (!err.empty()) return unreadable(err);
    r.bytes = bytes.size();
    std::string hash = content_hash(bytes);
    // Empty fields are left out ("" when read).
    const std::string path = stored_path(f);
    json state = {{"size", bytes.size()}, {"mtime", f.mtime_ns}, {"hash", hash}};
    if (!path.empty()) state["path"] = path;
    if (!f.sidecar_digest.empty()) state["meta"] = f.sidecar_digest;
    if (t.previous && t.previous->value("hash", "") == hash && t.previous->value("meta", "") == f.sidecar_digest) {
      // Touched, not changed: refresh size/mtime so the next run skips it by stat.
      state["passages"] = t.previous->value("passages", 0);
      state["ordinal"] = t.previous->value("ordinal", std::uint64_t{0});
      r.outcome = Outcome::touched;
      r.state = state.dump();
      return r;
    }
    if (!t.previous && detect_renames) {
      std::lock_guard<std::mutex> lock(rename_mutex);
      auto [b, e] = vanished_by_hash.equal_range(hash);
      for (auto it = b; it != e; ++it) {
        const json& old = states->files.at(it->second);
        if (old.value("meta", "") != f.sidecar_digest) continue;
        r.outcome = Outcome::renamed;
        r.old_id = it->second;
        state["passages"] = old.value("passages", 0);
        state["ordinal"] = old.value("ordinal", std::uint64_t{0});
        r.state = state.dump();
        vanished_by_hash.erase(it);
        return r;
      }
    }
    analyzers::Article a = analyzers::analyze_article(bytes, f.path, f.id, analyze_options());
    if (!a.ok()) {
      if (a.decoded.status == analyzers::DecodeStatus::empty) {
        r.outcome = Outcome::skipped;
        r.skip = {f.path, "empty file", false, false};
        r.remove_previous = t.previous != nullptr;
        return r;
      }
      if (a.decoded.status == analyzers::DecodeStatus::unreadable) return unreadable(a.decoded.reason);  // PDF, DOCX...
      return unreadable(a.decoded.reason.empty() ? std::string("binary file") : "binary file: " + a.decoded.reason);
    }
    if (f.sidecar) analyzers::apply_sidecar(a.metadata, *f.sidecar);
    if (a.passages.empty()) {
      r.outcome = Outcome::skipped;
      r.skip = {f.path, "no text to index", false, false};
      r.remove_previous = t.previous != nullptr;
      return r;
    }
    std::uint64_t ordinal = t.ordinal;
    std::string().swap(bytes);
    documents(std::move(a), {path, ordinal, &gazetteer, &ranks, count_spelling, codec, store_text, compounds},
              stemmer, spelling, r);
    state["passages"] = r.passages;
    state["ordinal"] = ordinal;
    r.state = state.dump();
    r.outcome = t.previous ? Outcome::updated : Outcome::added;
    return r;
  }

  Result process_record(const Task& t, analyzers::Stemmer& stemmer, SpellingCounts& spelling,
                        SpellingCounts* compounds) {
    Result r;
    r.id = t.record_id;
    r.bytes = t.line.size();
    JsonlRecord rec;
    std::string hash = content_hash(t.line);
    if (t.previous && t.previous->value("hash", "") == hash) {
      r.outcome = Outcome::unchanged;
      return r;
    }
    std::string why = parse_jsonl_record(t.line, rec);
    if (!why.empty()) {  // checked in planning; kept for safety
      r.outcome = Outcome::skipped;
      r.skip = {fmt::format("{}:{}", t.file->path, t.line_no), "malformed JSON Lines record: " + why, false, false};
      return r;
    }
    analyzers::Article a = analyzers::analyze_text(std::move(rec.text), rec.id, rec.stated, analyze_options());
    a.path = t.file->path;
    if (a.passages.empty()) {
      r.outcome = Outcome::skipped;
      r.skip = {fmt::format("{}:{}", t.file->path, t.line_no), "record has no text to index", false, false};
      r.remove_previous = t.previous != nullptr;
      return r;
    }
    std::uint64_t ordinal = t.ordinal;
    documents(std::move(a), {t.file->path, ordinal, &gazetteer, &ranks, count_spelling, codec, false, compounds},
              stemmer, spelling, r);
    json state = {{"path", t.file->path}, {"source", t.file->id}, {"line", t.line_no}, {"hash", hash},
                  {"passages", r.passages}, {"ordinal", ordinal}};
    r.state = state.dump();
    r.outcome = t.previous ? Outcome::updated : Outcome::added;
    return r;
  }
};

}  // namespace lipsteeth::indexer::detail
