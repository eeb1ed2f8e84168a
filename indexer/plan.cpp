// Planning a run: the walk compared with the stored file states, and progress.
#include <cctype>
#include <optional>
#include <string>

#include "indexer/run.h"
#include "indexer/settings.h"

#include "analyzers/passage_column.h"
#include "indexer/index_dir.h"
#include "indexer/shards.h"
#include "lipsteeth/version.h"

namespace lipsteeth::indexer::detail {

namespace {

// Files that may hold a JSON document of stories (analyzers::json_stories_as_records).
bool is_json_document_path(const std::string& path) {
  const std::size_t dot = path.rfind('.');
  if (dot == std::string::npos || path.find('/', dot) != std::string::npos) return false;
  std::string ext = path.substr(dot);
  for (auto& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return ext == ".json" || ext == ".js";
}

// The articles a file of another shard holds, as a first build counts
// them: one, or a JSON Lines or stories file's non-blank lines (a malformed
// or duplicate record counted too: the ordinals after it are then higher by
// one than one index's, in the same order).
std::uint64_t articles_in(const CorpusFile& f) {
  if (!f.jsonl && !is_json_document_path(f.path)) return 1;
  std::string err;
  std::string text = f.unreadable.empty() ? read_file(f.path, err) : std::string();
  if (!err.empty() || !f.unreadable.empty()) return 1;
  if (!f.jsonl) {
    auto records = analyzers::json_stories_as_records(text, f.id);
    if (!records) return 1;
    text = std::move(*records);
  }
  std::uint64_t n = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t nl = text.find('\n', pos);
    if (nl == std::string::npos) nl = text.size();
    if (text.find_first_not_of(" \t\r", pos) < nl) ++n;
    pos = nl + 1;
  }
  return n;
}

}  // namespace

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
  // A shard's first build numbers its articles by their place in the whole
  // corpus: the other shards' files are counted, not indexed, so every
  // shard's ordinals are those one index of the corpus would give (unique
  // across shards, in corpus order). Articles new to a built shard take the
  // next ordinal of its own residue modulo the shard count: unique too.
  const bool sharded = opt_.shards > 1;
  const bool first_build = states.files.empty() && states.jsonl.empty();
  auto new_ordinal = [&] {
    if (sharded && !first_build)
      while (ordinal % opt_.shards != opt_.shard) ++ordinal;
    return ordinal++;
  };
  for (const CorpusFile& f : corpus_.files) {
    if (sharded && shard_of(f.id, opt_.shards) != opt_.shard) {
      if (first_build) ordinal += articles_in(f);
      continue;
    }
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
      t.ordinal = prev ? prev->value("ordinal", std::uint64_t{0}) : new_ordinal();
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
    if (stories && !stories->empty())
      text = std::move(*stories);
    else if (err.empty())
      text = read_file(f.path, err);
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
      t.ordinal = prev ? prev->value("ordinal", std::uint64_t{0}) : new_ordinal();
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
    if (!seen.count(id)) {
      // An incremental run removes only what the removal policy lets go;
      // the rest keeps its passages and state (a build starts from nothing:
      // its policy check is Run::check_build_loses_nothing).
      if (incremental_ && guard_ && !guard_->may_remove(state_path(id, s, recorded_roots_))) {
        ++summary_.kept;
        continue;
      }
      vanished_.push_back(id);
    }
  std::sort(vanished_.begin(), vanished_.end());
}

void Run::finish_metadata(Xapian::WritableDatabase& db) {
  for (const auto& [k, v] : jsonl_states_) db.set_metadata(k, v);
  // jsonl states of files gone from the corpus
  std::unordered_set<std::string> present;
  for (const auto& f : corpus_.files)
    if (f.jsonl) present.insert(f.id);
  for (const auto& [id, s] : states_.jsonl)
    if (!present.count(id) && (!incremental_ || !guard_ || guard_->may_remove(s.value("path", ""))))
      db.set_metadata(jsonl_key(id), "");
  db.set_metadata(schema::kMetaNextOrdinal, std::to_string(states_.next_ordinal));
  db.set_metadata(schema::kMetaRoots, json(corpus_.roots).dump());
  db.set_metadata(kMetaSettings, settings_to_json(settings_of(opt_)));
}

}  // namespace lipsteeth::indexer::detail
