// An incremental run: the live generation updated in place.
#include "indexer/run.h"
#include "indexer/generations.h"

#include "analyzers/passage_column.h"
#include "indexer/index_dir.h"
#include "lipsteeth/version.h"

namespace lipsteeth::indexer::detail {

// Of the articles about to be removed, those whose text is lost: records of
// a JSON Lines or stories file that this run read (and so replaced by what
// the file holds now) are not, whatever their number.
std::uint64_t Run::losses(const std::vector<std::string>& ids, const std::unordered_map<std::string, json>& files) const {
  std::unordered_set<std::string> read;
  for (const CorpusFile& f : corpus_.files)
    if (f.unreadable.empty()) read.insert(f.id);
  std::uint64_t n = 0;
  for (const auto& id : ids) {
    auto it = files.find(id);
    n += !(it != files.end() && it->second.contains("source") && read.count(it->second.value("source", "")));
  }
  return n;
}

void Run::run_incremental(const std::string& live) {
  const std::string path = dir_ + "/" + live;
  Writer writer(path, Xapian::DB_OPEN, opt_.batch_bytes ? opt_.batch_bytes : IndexOptions::kUpdateBatchBytes, true);
  // The states read before the walk (Run::run, under the same lock: the
  // same revision).
  States states = std::move(live_states_);
  plan(states);
  {
    // Before anything is written: a run that would remove too much even if
    // every new file turned out to be a renamed one changes nothing.
    std::uint64_t fresh = 0;
    for (const auto& t : tasks_) fresh += t.previous == nullptr;
    const std::uint64_t lost = losses(vanished_, states.files);
    const std::uint64_t at_least = lost > fresh ? lost - fresh : 0;
    if (!guard_->allow_count(at_least, states.files.size()))
      throw RemovalRefusedError(fmt::format("refused to update the index, nothing was changed: {}",
                                            guard_->refusals().back()));
  }
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
  std::vector<std::string> removals;
  for (const auto& id : vanished_) {
    const json& s = states_.files.at(id);
    if (!s.contains("source") && !unclaimed.count(id)) continue;  // renamed
    removals.push_back(id);
  }
  // Too many at once (a corpus half gone, paths given that replace the
  // corpus): nothing is removed, and the run says why (exit 7).
  if (guard_->allow_count(losses(removals, states_.files), states_.files.size())) {
    for (const auto& id : removals) writer.remove(id);
    summary_.removed += removals.size();
  } else {
    summary_.kept += removals.size();
  }
  fault_point("incremental-before-final-commit");
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
  fault_point("incremental-before-column");
  analyzers::PassageColumn::write(Xapian::Database(path), dir_);
}

}  // namespace lipsteeth::indexer::detail
