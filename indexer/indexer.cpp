// run_index: planning (walk, compare with the stored file states), parallel
// analysis, and the two write paths (sharded full build, in-place update).
#include "indexer/indexer.h"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <deque>
#include <exception>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <optional>
#include <set>
#include <sstream>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include <fcntl.h>
#include <unistd.h>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <xapian.h>

#include "analyzers/article.h"
#include "analyzers/container.h"
#include "analyzers/entities.h"
#include "analyzers/error.h"
#include "analyzers/lexicon.h"
#include "analyzers/passage_column.h"
#include "analyzers/passage_data.h"
#include "analyzers/schema.h"
#include "analyzers/stemmer.h"
#include "analyzers/text_codec.h"
#include "indexer/corpus.h"
#include "indexer/documents.h"
#include "indexer/index_dir.h"
#include "lipsteeth/version.h"

namespace fs = std::filesystem;
using json = nlohmann::json;

namespace lipsteeth::indexer {

namespace {

using Clock = std::chrono::steady_clock;

double since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

std::string file_key(const std::string& id) { return schema::kMetaFilePrefix + id; }
std::string jsonl_key(const std::string& id) { return schema::kMetaJsonlPrefix + id; }
std::string article_term(const std::string& id) { return schema::kArticlePrefix + schema::article_key(id); }

// Reads a whole file. Returns "" in `error` on success.
std::string read_file(const std::string& path, std::string& error) {
  std::string bytes;
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) {
    error = fmt::format("cannot open: {}", std::strerror(errno));
    return bytes;
  }
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

std::string read_text_file(const std::string& path) {
  std::string err;
  std::string s = read_file(path, err);
  if (!err.empty()) throw InputError(fmt::format("cannot read '{}': {}", path, err.substr(err.find(": ") + 2)));
  return s;
}

// ---------------------------------------------------------------------------
// Work items and their outcomes.

// Files that may hold a JSON document of stories (analyzers::json_stories_as_records).
bool is_json_document_path(const std::string& path) {
  const std::size_t dot = path.rfind('.');
  if (dot == std::string::npos || path.find('/', dot) != std::string::npos) return false;
  std::string ext = path.substr(dot);
  for (auto& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return ext == ".json" || ext == ".js";
}

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

struct Result {
  Outcome outcome = Outcome::unchanged;
  std::string id;
  std::string state;  // JSON to store at file:<id>
  std::vector<Xapian::Document> docs;
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

bool same_stat(const json& s, const CorpusFile& f) {
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

  analyzers::AnalyzeOptions analyze_options() const {
    analyzers::AnalyzeOptions o;
    o.tagger = &tagger;
    o.keep_tokens = true;
    return o;
  }

  Result process_file(const Task& t, analyzers::Stemmer& stemmer, SpellingCounts& spelling,
                      SpellingCounts* compounds) {
    const CorpusFile& f = *t.file;
    Result r;
    r.id = f.id;
    auto unreadable = [&](std::string why) {
      r.outcome = Outcome::unreadable;
      r.skip = {f.path, std::move(why) + (t.previous ? "; its previous passages are kept" : ""), true, false};
      return r;
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
    std::uint64_t ordinal = t.ordinal;
    build_passage_documents(a, {path, ordinal, &gazetteer, &ranks, count_spelling, codec, store_text, compounds},
                            stemmer, spelling, r.docs);
    if (r.docs.empty()) {
      r.outcome = Outcome::skipped;
      r.skip = {f.path, "no text to index", false, false};
      r.remove_previous = t.previous != nullptr;
      return r;
    }
    state["passages"] = r.docs.size();
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
    std::uint64_t ordinal = t.ordinal;
    build_passage_documents(a, {t.file->path, ordinal, &gazetteer, &ranks, count_spelling, codec, false, compounds},
                            stemmer, spelling, r.docs);
    if (r.docs.empty()) {
      r.outcome = Outcome::skipped;
      r.skip = {fmt::format("{}:{}", t.file->path, t.line_no), "record has no text to index", false, false};
      r.remove_previous = t.previous != nullptr;
      return r;
    }
    json state = {{"path", t.file->path}, {"source", t.file->id}, {"line", t.line_no}, {"hash", hash},
                  {"passages", r.docs.size()}, {"ordinal", ordinal}};
    r.state = state.dump();
    r.outcome = t.previous ? Outcome::updated : Outcome::added;
    return r;
  }
};

// ---------------------------------------------------------------------------
// Writing (one thread per Writer).

class Writer {
 public:
  Writer(const std::string& path, int flags, std::uint64_t batch_bytes, bool check_orphans)
      : db_(path, flags | Xapian::DB_BACKEND_GLASS), batch_bytes_(batch_bytes), check_orphans_(check_orphans) {}

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
        if (r.outcome == Outcome::updated || (check_orphans_ && db_.term_exists(article_term(r.id))))
          replace_passages(article_term(r.id), r.docs);
        else
          for (auto& d : r.docs) db_.add_document(d);
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
    pending_ += r.bytes + 512 * r.docs.size();
    r.docs.clear();
    if (pending_ >= batch_bytes_) commit();
  }

  // The new passages of an article take the document ids of its old ones,
  // in order (the first passage keeps the article's lowest id); extra old
  // ones are deleted, extra new ones added. Xapian's replace_document()
  // writes only what differs from the old document, and the passages before
  // an edit are usually unchanged: an update then touches a few blocks of
  // the posting and position tables instead of one block of nearly every
  // term (deleting and re-adding an article changes every one of its terms'
  // posting lists and position lists).
  void replace_passages(const std::string& term, std::vector<Xapian::Document>& docs) {
    std::vector<Xapian::docid> ids(db_.postlist_begin(term), db_.postlist_end(term));
    std::size_t k = 0;
    for (; k < docs.size() && k < ids.size(); ++k) db_.replace_document(ids[k], docs[k]);
    for (std::size_t j = k; j < ids.size(); ++j) db_.delete_document(ids[j]);
    for (; k < docs.size(); ++k) db_.add_document(docs[k]);
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

  void commit() {
    for (const auto& [word, n] : spelling_) db_.add_spelling(word, n);
    spelling_.clear();
    db_.commit();
    pending_ = 0;
  }

 private:
  Xapian::WritableDatabase db_;
  std::uint64_t batch_bytes_;
  bool check_orphans_;
  const analyzers::TextCodec* codec_ = nullptr;
  std::uint64_t pending_ = 0;
  SpellingCounts spelling_;
  SpellingCounts compounds_;
};

// ---------------------------------------------------------------------------

struct Counters {
  std::atomic<std::uint64_t> files_done{0}, bytes_done{0};
};

void tally(IndexSummary& s, std::mutex& m, Result& r) {
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
  s.passages += r.docs.size();
  s.bytes += r.bytes;
}

void set_version_metadata(Xapian::WritableDatabase& db, const std::string& gazetteer_text,
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

bool compatible(const Xapian::Database& db, const std::string& gazetteer_digest, std::string& why) {
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

std::string now_iso() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  ::gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

// The whole run, as one object so that the phases share their state.
class Run {
 public:
  Run(const IndexOptions& o, const ProgressCallback& cb) : opt_(o), progress_(cb) {}

  IndexSummary run();

 private:
  void plan(const States& states);
  void run_full(bool resume, const std::string& build_name, bool first_build);
  void run_incremental(const std::string& live);
  void report(const char* phase, Clock::time_point t0, bool force);
  void finish_metadata(Xapian::WritableDatabase& db);
  std::string train_text_dictionary();
  void use_text_dictionary(std::string dictionary);

  const IndexOptions& opt_;
  const ProgressCallback& progress_;
  std::string dir_;
  unsigned jobs_ = 1;
  std::string gazetteer_text_, gazetteer_digest_;
  std::optional<analyzers::Gazetteer> gazetteer_;
  std::optional<analyzers::Tagger> tagger_;
  std::unique_ptr<analyzers::TextCodec> codec_;  // the index's text dictionary, if any
  Corpus corpus_;
  States states_;
  IndexSummary summary_;
  std::mutex summary_mutex_;
  Counters counters_;
  Clock::time_point last_report_{};
  Clock::time_point start_{};

  // Planning output.
  std::vector<Task> tasks_;
  std::vector<std::string> jsonl_buffers_;  // owned text of JSON Lines files read in planning
  std::vector<std::pair<std::string, std::string>> jsonl_states_;  // jsonl:<id> -> state, written at the end
  std::vector<std::string> vanished_;  // ids with a state but no longer in the corpus
  std::uint64_t bytes_total_ = 0;
};

void Run::report(const char* phase, Clock::time_point t0, bool force) {
  if (!progress_) return;
  auto now = Clock::now();
  if (!force && now - last_report_ < std::chrono::milliseconds(250)) return;
  last_report_ = now;
  Progress p;
  p.phase = phase;
  p.files_done = counters_.files_done.load();
  p.files_total = tasks_.size();
  p.bytes_done = counters_.bytes_done.load();
  p.bytes_total = bytes_total_;
  p.seconds = since(t0);
  progress_(p);
}

void Run::plan(const States& states) {
  std::unordered_set<std::string> seen;
  // ids per .jsonl source, for records of an unchanged or unreadable file
  std::unordered_map<std::string, std::vector<std::string>> by_source;
  for (const auto& [id, s] : states.files)
    if (s.contains("source")) by_source[s.value("source", "")].push_back(id);

  std::uint64_t ordinal = states.next_ordinal;
  for (const CorpusFile& f : corpus_.files) {
    // A .json/.js file holding a JSON document of stories is indexed as
    // records, one article per story, as a JSON Lines file is.
    std::optional<std::string> stories;
    if (!f.jsonl && is_json_document_path(f.path)) {
      const bool was_stories = states.jsonl.count(f.id) > 0;
      std::string err = f.unreadable;
      std::string text;
      if (err.empty() && !(was_stories && same_stat(states.jsonl.at(f.id), f))) text = read_file(f.path, err);
      if (was_stories && (!err.empty() || same_stat(states.jsonl.at(f.id), f)))
        stories = std::string();  // unchanged, or unreadable now: the records path keeps its records
      else if (err.empty())
        stories = analyzers::json_stories_as_records(text, f.id);
    }
    if (!f.jsonl && !stories) {
      seen.insert(f.id);
      auto it = states.files.find(f.id);
      const json* prev = it == states.files.end() ? nullptr : &it->second;
      if (prev && f.unreadable.empty() && same_stat(*prev, f)) {
        ++summary_.unchanged;
        continue;
      }
      Task t;
      t.file = &f;
      t.previous = prev;
      t.ordinal = prev ? prev->value("ordinal", std::uint64_t{0}) : ordinal++;
      t.bytes = f.size;
      bytes_total_ += f.size;
      tasks_.push_back(t);
      continue;
    }
    // A JSON Lines file: unchanged by stat -> its records are unchanged.
    auto js = states.jsonl.find(f.id);
    auto& ids = by_source[f.id];
    if (js != states.jsonl.end() && f.unreadable.empty() && same_stat(js->second, f)) {
      for (const auto& id : ids) seen.insert(id);
      summary_.unchanged += ids.size();
      continue;
    }
    std::string err = f.unreadable;
    std::string text;
    if (stories && !stories->empty()) text = std::move(*stories);
    else if (err.empty()) text = read_file(f.path, err);
    if (!err.empty()) {
      for (const auto& id : ids) seen.insert(id);
      summary_.skipped.push_back(
          {f.path, err + (ids.empty() ? "" : "; its previous records are kept"), true, false});
      continue;
    }
    jsonl_buffers_.push_back(std::move(text));
    std::string_view all = jsonl_buffers_.back();
    json st = {{"path", f.path}, {"size", f.size}, {"mtime", f.mtime_ns}, {"meta", f.sidecar_digest}};
    jsonl_states_.emplace_back(jsonl_key(f.id), st.dump());
    std::unordered_map<std::string, unsigned> first_line;
    unsigned line_no = 0;
    std::size_t pos = 0;
    while (pos < all.size()) {
      std::size_t nl = all.find('\n', pos);
      if (nl == std::string_view::npos) nl = all.size();
      std::string_view line = all.substr(pos, nl - pos);
      pos = nl + 1;
      ++line_no;
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      if (line.find_first_not_of(" \t") == std::string_view::npos) continue;  // blank lines are allowed
      JsonlRecord rec;
      std::string why = parse_jsonl_record(line, rec);
      std::string where = fmt::format("{}:{}", f.path, line_no);
      if (!why.empty()) {
        summary_.skipped.push_back({where, "malformed JSON Lines record: " + why, false, false});
        continue;
      }
      if (auto fl = first_line.find(rec.id); fl != first_line.end()) {
        summary_.skipped.push_back({where, fmt::format("duplicate id: \"{}\" (first at line {})", rec.id, fl->second),
                                    false, false});
        continue;
      }
      if (seen.count(rec.id)) {
        summary_.skipped.push_back({where, fmt::format("duplicate id: \"{}\" is already used by another article", rec.id),
                                    false, false});
        continue;
      }
      seen.insert(rec.id);
      first_line.emplace(rec.id, line_no);
      auto it = states.files.find(rec.id);
      const json* prev = it == states.files.end() ? nullptr : &it->second;
      if (prev && prev->value("hash", "") == content_hash(line)) {
        ++summary_.unchanged;
        continue;
      }
      Task t;
      t.file = &f;
      t.record = true;
      t.line = line;
      t.line_no = line_no;
      t.record_id = rec.id;
      t.previous = prev;
      t.ordinal = prev ? prev->value("ordinal", std::uint64_t{0}) : ordinal++;
      t.bytes = line.size();
      bytes_total_ += line.size();
      tasks_.push_back(std::move(t));
    }
  }
  states_.next_ordinal = ordinal;
  // Two articles with one key (a 64-bit hash of the id: one chance in ten
  // million at a million articles) would share their passages' XART: term,
  // and an update of one would replace the other's: an article whose key a
  // kept or earlier article has is skipped, with the reason.
  std::unordered_map<std::string, std::string> keys;  // key -> id
  for (const auto& [id, s] : states.files)
    if (seen.count(id)) keys.emplace(schema::article_key(id), id);
  std::vector<Task> planned;
  for (Task& t : tasks_) {
    const std::string& id = t.record ? t.record_id : t.file->id;
    const auto [it, fresh] = keys.emplace(schema::article_key(id), id);
    if (!fresh && it->second != id) {
      summary_.skipped.push_back({t.record ? fmt::format("{}:{}", t.file->path, t.line_no) : t.file->path,
                                  fmt::format("its article key collides with that of \"{}\": rename one of them",
                                              it->second),
                                  false, false});
      bytes_total_ -= t.bytes;
      if (!t.previous) seen.erase(id);  // (one already indexed keeps what it has)
      continue;
    }
    planned.push_back(std::move(t));
  }
  tasks_ = std::move(planned);
  for (const auto& [id, s] : states.files)
    if (!seen.count(id)) vanished_.push_back(id);
  std::sort(vanished_.begin(), vanished_.end());
}

void Run::finish_metadata(Xapian::WritableDatabase& db) {
  for (const auto& [k, v] : jsonl_states_) db.set_metadata(k, v);
  // jsonl states of files gone from the corpus
  std::unordered_set<std::string> present;
  for (const auto& f : corpus_.files)
    if (f.jsonl) present.insert(f.id);
  for (const auto& [id, s] : states_.jsonl)
    if (!present.count(id)) db.set_metadata(jsonl_key(id), "");
  db.set_metadata(schema::kMetaNextOrdinal, std::to_string(states_.next_ordinal));
  db.set_metadata(schema::kMetaRoots, json(corpus_.roots).dump());
}

// Worker pool helper: runs `body(worker)` on n threads, rethrows the first exception.
template <class F>
void run_threads(unsigned n, F body, std::atomic<bool>& abort, const std::function<void()>& wait_loop) {
  std::vector<std::thread> threads;
  std::exception_ptr error;
  std::mutex error_mutex;
  std::atomic<unsigned> running{n};
  for (unsigned w = 0; w < n; ++w) {
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

// The text dictionary of a full build, trained on the passages of files taken
// at even intervals over the corpus (analysed here without tagging, in
// parallel), up to kSampleBytes of input. "" when the corpus is too small
// for one (analyzers::TextCodec::train).
std::string Run::train_text_dictionary() {
  constexpr std::uint64_t kSampleBytes = 4u << 20;
  constexpr std::size_t kFileSampleBytes = 1u << 20;
  const auto t0 = Clock::now();
  std::vector<const Task*> picked;
  if (!tasks_.empty()) {
    const std::uint64_t average = std::max<std::uint64_t>(1, bytes_total_ / tasks_.size());
    const std::size_t n = std::min<std::size_t>(tasks_.size(), kSampleBytes / average + 1);
    for (std::size_t k = 0; k < n; ++k) picked.push_back(&tasks_[k * tasks_.size() / n]);
  }
  std::vector<std::vector<std::string>> texts(picked.size());  // by pick: the sample is in corpus order
  std::atomic<std::size_t> next{0};
  std::atomic<bool> abort{false};
  run_threads(
      jobs_,
      [&](unsigned) {
        analyzers::AnalyzeOptions o;
        o.keep_tokens = false;
        for (std::size_t i; !abort && (i = next.fetch_add(1)) < picked.size();) {
          const Task& t = *picked[i];
          analyzers::Article a;
          try {
            if (t.record) {
              JsonlRecord rec;
              if (!parse_jsonl_record(t.line, rec).empty()) continue;
              a = analyzers::analyze_text(std::move(rec.text), rec.id, rec.stated, o);
            } else {
              std::string err;
              std::string bytes = read_file(t.file->path, err);
              if (!err.empty()) continue;
              // Clean UTF-8 text with LF line ends is read from its file, not
              // stored: no need to analyse it here.
              const auto format = analyzers::format_from_path(t.file->path);
              const bool in_file = format != analyzers::Format::html && !analyzers::is_container_path(t.file->path) &&
                                   bytes.find('\r') == std::string::npos &&
                                   analyzers::is_valid_utf8(bytes);
              if (in_file && !opt_.store_texts) continue;
              // Of a very large file, its first paragraphs are enough.
              // (A container file is whole or nothing: a PDF's or a zip's start is no file.)
              if (bytes.size() > kFileSampleBytes && !analyzers::is_container_path(t.file->path))
                bytes.resize(bytes.rfind('\n', kFileSampleBytes) + 1);
              a = analyzers::analyze_article(bytes, t.file->path, t.file->id, o);
            }
          } catch (const std::exception&) {
            continue;  // the indexing proper reports the file
          }
          if (a.raw_base && !opt_.store_texts) continue;  // its passages are read from the file, not stored
          for (const auto& p : a.passages)
            if (p.start <= p.end && p.end <= a.text.size())
              texts[i].emplace_back(std::string_view(a.text).substr(p.start, p.end - p.start));
        }
      },
      abort, [] { std::this_thread::sleep_for(std::chrono::milliseconds(5)); });
  std::vector<std::string> samples;
  for (auto& v : texts)
    for (auto& s : v) samples.push_back(std::move(s));
  std::string dictionary = analyzers::TextCodec::train(samples);
  summary_.dictionary_seconds = since(t0);
  return dictionary;
}

void Run::use_text_dictionary(std::string dictionary) {
  codec_.reset();
  summary_.dictionary_bytes = dictionary.size();
  if (!dictionary.empty()) codec_ = std::make_unique<analyzers::TextCodec>(std::move(dictionary));
}

void Run::run_full(bool resume, const std::string& build_name, bool first_build) {
  const std::string build_dir = dir_ + "/" + build_name;
  fs::create_directories(build_dir);
  std::vector<std::string> shard_names;
  for (const auto& e : fs::directory_iterator(build_dir))
    if (e.path().filename().string().rfind("shard-", 0) == 0) shard_names.push_back(e.path().filename().string());
  std::sort(shard_names.begin(), shard_names.end());
  if (!resume) {
    for (const auto& s : shard_names) fs::remove_all(build_dir + "/" + s);
    shard_names.clear();
  }
  unsigned nshards = std::max<unsigned>(jobs_, shard_names.size());
  shard_names.clear();
  for (unsigned i = 0; i < nshards; ++i) shard_names.push_back(fmt::format("shard-{:02d}", i));

  // States already committed in the shards of a build that was interrupted.
  States states;
  if (resume) {
    for (unsigned i = 0; i < nshards; ++i) {
      std::string p = build_dir + "/" + shard_names[i];
      if (fs::exists(p + "/iamglass")) states.load(Xapian::Database(p), i);
    }
  }
  plan(states);
  states_.files = std::move(states.files);
  states_.jsonl = std::move(states.jsonl);

  // One text dictionary for all shards, trained before any is written; a
  // resumed build keeps the one its shards were written with.
  if (resume)
    use_text_dictionary(Xapian::Database(build_dir + "/" + shard_names[0]).get_metadata(schema::kMetaTextDictionary));
  else
    use_text_dictionary(train_text_dictionary());

  // Resumed: drop what changed or vanished since, and orphan passages (of an
  // article whose state never got committed), shard by shard.
  std::vector<std::unique_ptr<Writer>> writers;
  for (unsigned i = 0; i < nshards; ++i) {
    // No fsync for the shards: a killed process loses nothing that reached
    // the page cache, and shards that a power cut left unreadable are
    // detected (they fail to open) and the build starts over. The live
    // generation is written with the usual syncs.
    writers.push_back(std::make_unique<Writer>(build_dir + "/" + shard_names[i],
                                               Xapian::DB_CREATE_OR_OPEN | Xapian::DB_NO_SYNC,
                                               opt_.batch_bytes ? opt_.batch_bytes : IndexOptions::kFullBatchBytes,
                                               false));
    writers.back()->set_codec(codec_.get());
  }
  if (resume) {
    std::unordered_set<std::string> redo;
    for (const auto& t : tasks_)
      if (t.previous) redo.insert(t.record ? t.record_id : t.file->id);
    for (const auto& id : vanished_) redo.insert(id);
    for (const auto& id : redo) {
      writers[states.shard_of.at(id)]->remove(id);
      states_.files.erase(id);
    }
    for (auto& t : tasks_) t.previous = nullptr;  // re-added from scratch
    summary_.removed += vanished_.size();
    const std::string xa = schema::kArticlePrefix;
    for (auto& w : writers) {
      std::vector<std::string> orphans;
      for (auto it = w->db().allterms_begin(xa); it != w->db().allterms_end(xa); ++it) {
        // The key of an article is its id unless the id is very long (then
        // hashed): both are looked up through the states.
        orphans.push_back(*it);
      }
      std::unordered_set<std::string> known;
      for (const auto& [id, s] : states_.files) known.insert(article_term(id));
      // XA also begins the actor prefix XACT: leave those terms alone.
      const std::string act = schema::kActorPrefix;
      for (const auto& term : orphans)
        if (!known.count(term) && term.compare(0, act.size(), act) != 0) w->db().delete_document(term);
    }
  }
  for (auto& w : writers) {
    set_version_metadata(w->db(), gazetteer_text_, gazetteer_digest_,
                         std::string(analyzers::ActorLexicon::build(*gazetteer_).text()), corpus_.roots,
                         codec_ ? codec_->dictionary() : std::string());
    w->commit();
  }
  if (first_build) {
    // No live index yet: publish the shards, so that what is committed is
    // searchable even if this run is killed.
    std::vector<std::string> rel;
    for (const auto& s : shard_names) rel.push_back(build_name + "/" + s);
    write_stub(dir_, rel);
  }

  Analyzer analyzer(*gazetteer_, *tagger_, &states_, false);
  analyzer.roots = &corpus_.roots;
  analyzer.count_spelling = false;
  analyzer.codec = codec_.get();
  analyzer.store_text = opt_.store_texts;
  std::atomic<bool> abort{false};
  auto t0 = Clock::now();
  std::mutex wait_mutex;
  // Writer w takes the runs of kChunk files w, w + n, w + 2n, ... in corpus
  // order, so that the merged index numbers its passages the same way in
  // every build of the same files with the same --jobs: equal scores, and
  // which of them reach a page, do not change from one nightly build to the
  // next. (Taking files as they come balances the writers no better: a run
  // is a few hundred kB, and the threads do the same work.)
  constexpr std::size_t kChunk = 16;
  run_threads(
      nshards,
      [&](unsigned w) {
        analyzers::Stemmer stemmer;
        Writer& writer = *writers[w];
        for (std::size_t c = w * kChunk; !abort && c < tasks_.size(); c += std::size_t{nshards} * kChunk) {
          for (std::size_t i = c; !abort && i < std::min(c + kChunk, tasks_.size()); ++i) {
            Result r = analyzer.process(tasks_[i], stemmer, writer.spelling(), &writer.compounds());
            tally(summary_, summary_mutex_, r);
            writer.apply(r);
            counters_.files_done += 1;
            counters_.bytes_done += tasks_[i].bytes;
          }
        }
        if (!abort) writer.commit();
      },
      abort,
      [&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        report("indexing", t0, false);
      });
  report("indexing", t0, true);

  finish_metadata(writers[0]->db());
  {
    // The spelling dictionary, from the term lists of all shards at once
    // (much cheaper than counting every word while indexing).
    Xapian::Database all;
    for (const auto& s : shard_names) all.add_database(Xapian::Database(build_dir + "/" + s));
    SpellingCounts compounds;
    for (auto& w : writers)
      for (const auto& [term, n] : w->compounds()) compounds[term] += n;
    add_spelling_from_terms(all, writers[0]->db(), compounds);
  }
  // The build's summary goes into the first shard before the merge, so that
  // a finished build's generation is written to only by later runs.
  {
    std::unordered_set<std::string> articles;
    Xapian::doccount passages = 0;
    for (auto& w : writers) {
      passages += w->db().get_doccount();
      for (auto it = w->db().metadata_keys_begin(schema::kMetaFilePrefix);
           it != w->db().metadata_keys_end(schema::kMetaFilePrefix); ++it)
        articles.insert(*it);
    }
    summary_.articles_total = articles.size();
    summary_.passages_total = passages;
    summary_.seconds = since(start_);
    json lb = json::parse(summary_.to_json());
    lb["finished"] = now_iso();
    writers[0]->db().set_metadata(schema::kMetaLastBuild, lb.dump());
    writers[0]->db().set_metadata(schema::kMetaArticles, std::to_string(summary_.articles_total));
  }
  writers[0]->commit();
  for (auto& w : writers) w->db().close();
  writers.clear();

  // Merge the shards into a new generation.
  auto t1 = Clock::now();
  report("merging", t1, true);
  const std::string gen_name = "gen-" + build_name.substr(build_name.find('-') + 1);
  const std::string gen_dir = dir_ + "/" + gen_name;
  fs::remove_all(gen_dir);
  {
    Xapian::Database all;
    for (const auto& s : shard_names) all.add_database(Xapian::Database(build_dir + "/" + s));
    // FULL, not FULLER: FULLER makes oversize items that Xapian does not
    // expect a database to be updated with. Incremental runs update this
    // generation; with FULLER, Xapian 1.4.22 overran a heap buffer in
    // commit() on the first write to it (AddressSanitizer, 200 MB corpus)
    // and corrupted the heap in an incremental test run.
    all.compact(gen_dir, Xapian::DBCOMPACT_MULTIPASS | Xapian::Compactor::FULL);
  }
  // The passage column of the new generation, in place before it is live.
  analyzers::PassageColumn::write(Xapian::Database(gen_dir), dir_);
  report("merging", t1, true);
  summary_.seconds = since(start_);  // the run's own summary covers the merge too
  // Swap the new generation in, then tidy: keep the previous generation (a
  // search may still be reading it), delete older ones and the build.
  sync_tree(gen_dir);
  std::vector<std::string> old_live = read_stub(dir_);
  write_stub(dir_, {gen_name});
  std::error_code ec;
  fs::remove_all(build_dir, ec);
  for (const auto& g : list_generations(dir_, "gen")) {
    bool keep = g == gen_name || (old_live.size() == 1 && old_live[0] == g);
    if (!keep) fs::remove_all(dir_ + "/" + g, ec);
  }
}

void Run::run_incremental(const std::string& live) {
  const std::string path = dir_ + "/" + live;
  Writer writer(path, Xapian::DB_OPEN, opt_.batch_bytes ? opt_.batch_bytes : IndexOptions::kUpdateBatchBytes, true);
  States states;
  states.load(writer.db(), 0);
  plan(states);
  states_.files = std::move(states.files);
  states_.jsonl = std::move(states.jsonl);
  // The passages already stored are encoded with the index's dictionary:
  // new ones use it too (a corpus too small for one at the full build stays
  // plain until a rebuild).
  use_text_dictionary(writer.db().get_metadata(schema::kMetaTextDictionary));
  writer.set_codec(codec_.get());

  Analyzer analyzer(*gazetteer_, *tagger_, &states_, true);
  analyzer.roots = &corpus_.roots;
  analyzer.codec = codec_.get();
  analyzer.store_text = opt_.store_texts;
  for (const auto& id : vanished_) {
    const json& s = states_.files.at(id);
    if (!s.contains("source")) analyzer.vanished_by_hash.emplace(s.value("hash", ""), id);
  }

  // Analysis threads feed one writer (this thread) through a bounded queue.
  std::deque<Result> queue;
  std::mutex m;
  std::condition_variable not_empty, not_full;
  const std::size_t capacity = 4 * jobs_ + 4;
  std::atomic<std::size_t> next{0};
  std::atomic<bool> abort{false};
  auto t0 = Clock::now();
  std::vector<SpellingCounts> spellings(jobs_);
  auto drain = [&](bool block) {
    std::unique_lock<std::mutex> lock(m);
    if (abort) {  // a worker or the writer failed: unblock everyone and stop
      queue.clear();
      not_full.notify_all();
      lock.unlock();
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
      return;
    }
    if (block) not_empty.wait_for(lock, std::chrono::milliseconds(100), [&] { return !queue.empty(); });
    while (!queue.empty()) {
      Result r = std::move(queue.front());
      queue.pop_front();
      lock.unlock();
      not_full.notify_one();
      tally(summary_, summary_mutex_, r);
      writer.apply(r);
      lock.lock();
    }
  };
  run_threads(
      jobs_,
      [&](unsigned w) {
        analyzers::Stemmer stemmer;
        for (std::size_t i; !abort && (i = next.fetch_add(1)) < tasks_.size();) {
          Result r = analyzer.process(tasks_[i], stemmer, spellings[w]);
          counters_.files_done += 1;
          counters_.bytes_done += tasks_[i].bytes;
          std::unique_lock<std::mutex> lock(m);
          not_full.wait(lock, [&] { return queue.size() < capacity || abort; });
          queue.push_back(std::move(r));
          not_empty.notify_one();
        }
      },
      abort,
      [&] {
        drain(true);
        report("indexing", t0, false);
      });
  drain(false);
  report("indexing", t0, true);
  for (auto& s : spellings)
    for (auto& [w, n] : s) writer.spelling()[w] += n;

  // What vanished and was not claimed by a rename is removed.
  std::unordered_set<std::string> unclaimed;
  for (auto& [h, id] : analyzer.vanished_by_hash) unclaimed.insert(id);
  for (const auto& id : vanished_) {
    const json& s = states_.files.at(id);
    if (!s.contains("source") && !unclaimed.count(id)) continue;  // renamed
    writer.remove(id);
    ++summary_.removed;
  }
  finish_metadata(writer.db());
  // One commit for the rest and the summary (the writer sees its own
  // uncommitted changes): each commit copies every block it touches.
  summary_.articles_total = 0;
  for (auto it = writer.db().metadata_keys_begin(schema::kMetaFilePrefix);
       it != writer.db().metadata_keys_end(schema::kMetaFilePrefix); ++it)
    ++summary_.articles_total;
  summary_.passages_total = writer.db().get_doccount();
  summary_.seconds = since(start_);
  json lb = json::parse(summary_.to_json());
  lb["finished"] = now_iso();
  writer.db().set_metadata(schema::kMetaLastBuild, lb.dump());
  writer.db().set_metadata(schema::kMetaArticles, std::to_string(summary_.articles_total));
  writer.commit();
  writer.db().close();
  analyzers::PassageColumn::write(Xapian::Database(path), dir_);
}

}  // namespace

std::map<std::string, std::uint64_t> IndexSummary::skip_reasons() const {
  std::map<std::string, std::uint64_t> out;
  for (const auto& s : skipped) {
    // Group by the reason's first clause ("cannot open: No such file" -> "cannot open").
    std::string r = s.reason.substr(0, s.reason.find_first_of(":;("));
    while (!r.empty() && r.back() == ' ') r.pop_back();
    ++out[r];
  }
  return out;
}

std::string IndexSummary::to_json() const {
  json j = {{"db", db_path},          {"mode", mode},         {"added", added},
            {"updated", updated},     {"removed", removed},   {"renamed", renamed},
            {"unchanged", unchanged}, {"passages", passages}, {"bytes", bytes},
            {"seconds", seconds},     {"jobs", jobs},         {"articles_total", articles_total},
            {"passages_total", passages_total}, {"dictionary_bytes", dictionary_bytes},
            {"dictionary_seconds", dictionary_seconds}};
  j["mb_per_second"] = seconds > 0 ? static_cast<double>(bytes) / 1e6 / seconds : 0.0;
  j["skipped"] = skipped.size();
  j["skipped_reasons"] = skip_reasons();
  json list = json::array();
  for (std::size_t i = 0; i < skipped.size() && i < 1000; ++i)
    list.push_back({{"path", skipped[i].path}, {"reason", skipped[i].reason},
                    {"unreadable", skipped[i].unreadable}, {"ignored", skipped[i].ignored}});
  j["skipped_files"] = std::move(list);
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

IndexSummary Run::run() {
  start_ = Clock::now();
  dir_ = absolute_path(opt_.db_path.empty() ? schema::default_db_path() : opt_.db_path);
  if (fs::exists(dir_) && !fs::is_directory(dir_))
    throw IndexMissingError(fmt::format("'{}' is not an index folder", dir_));
  jobs_ = opt_.jobs ? opt_.jobs : std::max(1u, std::thread::hardware_concurrency());
  summary_.db_path = dir_;
  summary_.jobs = jobs_;

  IndexLock lock(dir_);

  // Xapian flushes on its own every 10,000 documents; we commit by batches
  // of input bytes instead (a file's state and its passages together).
  ::setenv("XAPIAN_FLUSH_THRESHOLD", "100000000", 0);

  std::string gaz_path = opt_.actors_path.empty() ? analyzers::Gazetteer::require_default_path() : opt_.actors_path;
  gazetteer_text_ = read_text_file(gaz_path);
  gazetteer_.emplace(analyzers::Gazetteer::parse(gazetteer_text_, gaz_path));
  gazetteer_digest_ = gazetteer_->digest();
  tagger_.emplace(*gazetteer_);

  // What is there: a live generation, and perhaps an interrupted build.
  std::vector<std::string> live = read_stub(dir_);
  std::string live_gen = live.size() == 1 && live[0].rfind("gen-", 0) == 0 ? live[0] : std::string();
  std::vector<std::string> roots = opt_.roots;
  std::string reason;
  bool live_usable = false;
  if (!live_gen.empty()) {
    try {
      Xapian::Database db(dir_ + "/" + live_gen);
      live_usable = compatible(db, gazetteer_digest_, reason);
      if (roots.empty()) {
        json r = json::parse(db.get_metadata(schema::kMetaRoots), nullptr, false);
        if (r.is_array())
          for (const auto& x : r) roots.push_back(x.get<std::string>());
      }
    } catch (const Xapian::DatabaseError& e) {
      reason = "the live index cannot be opened (" + e.get_msg() + ")";
    }
  }
  std::string resume_build;
  for (const auto& b : list_generations(dir_, "build")) {
    std::string shard0 = dir_ + "/" + b + "/shard-00";
    std::string why;
    bool ok = false;
    try {
      Xapian::Database db(shard0);
      ok = compatible(db, gazetteer_digest_, why);
      if (ok && roots.empty()) {
        json r = json::parse(db.get_metadata(schema::kMetaRoots), nullptr, false);
        if (r.is_array())
          for (const auto& x : r) roots.push_back(x.get<std::string>());
      }
    } catch (const Xapian::Error&) {
    }
    if (ok) resume_build = b;  // the newest compatible one wins
  }
  if (roots.empty())
    throw UsageError("no corpus given, and the index records none: lipsteeth index PATH...");

  WalkOptions wo{opt_.extensions, opt_.follow_symlinks, opt_.max_file_bytes};
  corpus_ = walk_corpus(roots, wo);
  summary_.skipped = corpus_.skipped;

  if (!resume_build.empty()) {
    summary_.mode = "resume";
    // A stale multi-shard stub (first build killed) is re-published by run_full.
    bool first = live_gen.empty();
    for (const auto& b : list_generations(dir_, "build"))
      if (b != resume_build) fs::remove_all(dir_ + "/" + b);
    run_full(true, resume_build, first);
  } else if (opt_.rebuild || !live_usable) {
    summary_.mode = live_gen.empty() ? "full" : "rebuild";
    for (const auto& b : list_generations(dir_, "build")) fs::remove_all(dir_ + "/" + b);
    run_full(false, generation_name("build", next_generation(dir_)), live_gen.empty());
  } else {
    summary_.mode = "incremental";
    run_incremental(live_gen);
  }
  (void)reason;
  summary_.seconds = since(start_);
  std::sort(summary_.skipped.begin(), summary_.skipped.end(),
            [](const Skip& a, const Skip& b) { return a.path < b.path; });
  return summary_;
}

IndexSummary run_index(const IndexOptions& options, const ProgressCallback& progress) {
  Run run(options, progress);
  return run.run();
}

}  // namespace lipsteeth::indexer
