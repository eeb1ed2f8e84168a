// The whole run, as one object so that the phases share their state.
// Internal to the indexer: indexer.cpp (run), plan.cpp, full_build.cpp,
// incremental.cpp.
#pragma once

#include "indexer/removal.h"
#include "indexer/writer.h"

namespace lipsteeth::indexer::detail {

class Run {
 public:
  Run(const IndexOptions& o, const ProgressCallback& cb) : opt_(o), progress_(cb) {}

  IndexSummary run();

 private:
  void plan(const States& states);
  void run_full(bool resume, const std::string& build_name, bool first_build);
  void run_full_or_discard(bool resume, const std::string& build_name, bool first_build);
  void check_build_loses_nothing();
  void run_incremental(const std::string& live);
  std::uint64_t losses(const std::vector<std::string>& ids, const std::unordered_map<std::string, json>& files) const;
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
  bool incremental_ = false;  // this run updates the live generation in place
  States live_states_;  // the live generation's, read before the walk
  std::optional<RemovalGuard> guard_;
  std::vector<std::string> recorded_roots_;  // the roots the live index's ids are relative to
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

}  // namespace lipsteeth::indexer::detail
