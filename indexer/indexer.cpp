// run_index: planning (walk, compare with the stored file states), parallel
// analysis, and the two write paths (sharded full build, in-place update).
#include "indexer/indexer.h"

#include <fmt/ranges.h>

#include "indexer/generations.h"
#include "indexer/index_dir.h"
#include "indexer/removal.h"
#include "indexer/run.h"

namespace lipsteeth::indexer {

using namespace detail;

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
  j["kept"] = kept;
  j["refusals"] = refusals;
  j["rebuild_reason"] = rebuild_reason;
  j["recovered"] = recovered;
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

namespace detail {

namespace {

std::vector<std::string> recorded_roots(const Xapian::Database& db) {
  std::vector<std::string> roots;
  json r = json::parse(db.get_metadata(schema::kMetaRoots), nullptr, false);
  if (r.is_array())
    for (const auto& x : r)
      if (x.is_string()) roots.push_back(x.get<std::string>());
  return roots;
}

// Given paths that all lie under the recorded roots (and are not those
// roots): the run is limited to them (WalkOptions::scope), ids stay as the
// recorded roots make them, and nothing outside them is removed.
bool is_subset_of(const std::vector<std::string>& given, const std::vector<std::string>& recorded) {
  if (given.empty() || recorded.empty()) return false;
  std::vector<std::string> a = given, b = recorded;
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  if (a == b) return false;
  return std::all_of(given.begin(), given.end(), [&](const std::string& g) {
    return std::any_of(recorded.begin(), recorded.end(), [&](const std::string& r) { return path_under(g, r); });
  });
}

}  // namespace

IndexSummary Run::run() {
  start_ = Clock::now();
  dir_ = absolute_path(opt_.db_path.empty() ? schema::default_db_path() : opt_.db_path);
  if (fs::exists(dir_) && !fs::is_directory(dir_))
    throw IndexMissingError(fmt::format("'{}' is not an index folder", dir_));
  if (!(opt_.max_removal_share >= 0 && opt_.max_removal_share <= 1))
    throw UsageError("the share of articles a run may remove must be between 0 and 1 (--max-removal 0..100)");
  jobs_ = opt_.jobs ? opt_.jobs : std::max(1u, std::thread::hardware_concurrency());
  summary_.db_path = dir_;
  summary_.jobs = jobs_;

  IndexLock lock(dir_);
  // What a killed or failed run left behind, repaired before anything else.
  summary_.recovered = recover_index_dir(dir_);

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
  std::vector<std::string> recorded;
  std::string reason;
  bool live_usable = false;
  bool have_live_states = false;
  if (!live_gen.empty()) {
    try {
      Xapian::Database db(dir_ + "/" + live_gen);
      live_usable = compatible(db, gazetteer_digest_, reason);
      recorded = recorded_roots(db);
      live_states_.load(db, 0);
      have_live_states = true;
    } catch (const Xapian::DatabaseError& e) {
      reason = "the live index cannot be opened (" + e.get_msg() + ")";
    }
  }
  std::string resume_build;
  std::vector<std::string> build_roots;
  for (const auto& b : list_generations(dir_, "build")) {
    std::string problem;
    build_shards(dir_ + "/" + b, problem);  // recovery discarded the broken ones
    std::string why;
    bool ok = false;
    try {
      Xapian::Database db(dir_ + "/" + b + "/shard-00");
      ok = problem.empty() && compatible(db, gazetteer_digest_, why);
      if (ok) build_roots = recorded_roots(db);
    } catch (const Xapian::Error&) {
    }
    if (ok) resume_build = b;  // the newest compatible one wins
  }
  if (recorded.empty()) recorded = build_roots;

  std::vector<std::string> given;
  for (const auto& r : opt_.roots) given.push_back(absolute_path(r));
  std::vector<std::string> roots = given.empty() ? recorded : given;
  std::vector<std::string> scope;
  if (is_subset_of(given, recorded)) {
    roots = recorded;
    scope = given;
  }
  if (roots.empty())
    throw UsageError("no corpus given, and the index records none: lipsteeth index PATH...");

  const bool full = !resume_build.empty() || opt_.rebuild || !live_usable;
  if (full) scope.clear();  // a build walks the whole corpus
  WalkOptions wo{opt_.extensions, opt_.follow_symlinks, opt_.max_file_bytes, scope, have_live_states};
  corpus_ = walk_corpus(roots, wo);
  // Only a corpus folder the index knows can be "missing" (an unmounted
  // share); a new path that does not exist is a mistake in the command.
  for (const auto& m : corpus_.missing_roots)
    if (std::find(recorded.begin(), recorded.end(), m) == recorded.end())
      throw UsageError(fmt::format("cannot index '{}': No such file or directory", m));
  summary_.skipped = corpus_.skipped;

  // The removal policy, against what the live index holds.
  std::vector<std::uint64_t> held(corpus_.roots.size(), 0);
  for (const auto& [id, st] : live_states_.files) {
    const std::string path = state_path(id, st, recorded);
    for (std::size_t i = 0; i < corpus_.roots.size(); ++i)
      if (path_under(path, corpus_.roots[i])) {
        ++held[i];
        break;
      }
  }
  guard_.emplace(corpus_, scope, opt_, held);
  recorded_roots_ = recorded;
  if (full && have_live_states) check_build_loses_nothing();

  if (!resume_build.empty()) {
    summary_.mode = "resume";
    summary_.rebuild_reason = fmt::format("resuming the interrupted build {}", resume_build);
    // A stale multi-shard stub (first build killed) is re-published by run_full.
    bool first = live_gen.empty();
    for (const auto& b : list_generations(dir_, "build"))
      if (b != resume_build) discard_folder(dir_, b);
    run_full_or_discard(true, resume_build, first);
  } else if (full) {
    summary_.mode = live_gen.empty() ? "full" : "rebuild";
    summary_.rebuild_reason = live_gen.empty() ? "no index yet" : opt_.rebuild ? "--rebuild" : reason;
    for (const auto& b : list_generations(dir_, "build")) discard_folder(dir_, b);
    run_full_or_discard(false, generation_name("build", next_generation(dir_)), live_gen.empty());
  } else {
    summary_.mode = "incremental";
    incremental_ = true;
    run_incremental(live_gen);
  }
  if (incremental_) {
    // Generations an earlier swap left to readers, now unused.
    for (const auto& g : remove_unused_generations(dir_, 0))
      summary_.recovered.push_back(fmt::format("kept the old generation {}: a search still has it open", g));
  }
  summary_.refusals = guard_->refusals();
  summary_.seconds = since(start_);
  std::sort(summary_.skipped.begin(), summary_.skipped.end(),
            [](const Skip& a, const Skip& b) { return a.path < b.path; });
  return summary_;
}

void Run::run_full_or_discard(bool resume, const std::string& build_name, bool first_build) {
  try {
    run_full(resume, build_name, first_build);
  } catch (...) {
    // A build that failed (disk full, I/O error) is not resumed: the next
    // run would fail the same way on the same half-written shards. A first
    // build's stub names the shards: it goes too (there was no index before).
    if (first_build && !read_stub(dir_).empty() && read_stub(dir_)[0].rfind(build_name + "/", 0) == 0) {
      std::error_code ec;
      fs::remove(schema::stub_path(dir_), ec);
    }
    discard_folder(dir_, build_name);
    discard_folder(dir_, "gen-" + build_name.substr(build_name.find('-') + 1));
    throw;
  }
}

// A build replaces the live index: the articles it would not have again
// must be ones the removal policy lets go, or the build does not start.
void Run::check_build_loses_nothing() {
  std::unordered_set<std::string> found_files, found_jsonl;
  for (const auto& f : corpus_.files) (f.jsonl ? found_jsonl : found_files).insert(f.id);
  std::uint64_t lost = 0, protected_lost = 0;
  std::string first_protected;
  for (const auto& [id, st] : live_states_.files) {
    const bool found = st.contains("source") ? found_jsonl.count(st.value("source", "")) > 0 : found_files.count(id) > 0;
    if (found) continue;
    ++lost;
    const std::string path = state_path(id, st, recorded_roots_);
    if (!guard_->may_remove(path)) {
      if (protected_lost++ == 0) first_protected = path;
    }
  }
  std::vector<std::string> why = guard_->refusals();
  if (protected_lost && !opt_.allow_removal && why.empty())
    why.push_back(fmt::format("{} indexed article(s) could not be read this time (the first: '{}')", protected_lost,
                              first_protected));
  if (why.empty() && !guard_->allow_count(lost, live_states_.files.size())) why = guard_->refusals();
  if (why.empty()) return;
  throw RemovalRefusedError(fmt::format("refused to build a new index: it would lose articles of the live one: {}. "
                                        "The live index is unchanged",
                                        fmt::join(why, "; ")));
}

}  // namespace detail

IndexSummary run_index(const IndexOptions& options, const ProgressCallback& progress) {
  Run run(options, progress);
  return run.run();
}

}  // namespace lipsteeth::indexer
