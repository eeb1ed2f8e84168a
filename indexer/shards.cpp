#include "indexer/shards.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <exception>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <thread>

#include <fmt/format.h>
#include <xapian.h>

#include "analyzers/error.h"
#include "indexer/index_dir.h"

namespace lipsteeth::indexer {

namespace fs = std::filesystem;

unsigned shard_of(std::string_view file_id, unsigned shards) {
  if (shards <= 1) return 0;
  std::uint64_t h = 14695981039346656037ull;
  for (unsigned char c : file_id) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return static_cast<unsigned>(h % shards);
}

std::string shard_path(const std::string& db_dir, unsigned k) { return fmt::format("{}/shard-{:02d}", db_dir, k); }

bool is_sharded(const std::string& db_dir) {
  std::error_code ec;
  return fs::is_regular_file(db_dir + "/" + kShardStub, ec);
}

std::vector<std::string> shard_folders(const std::string& db_dir) {
  std::vector<std::string> out;
  std::ifstream in(db_dir + "/" + kShardStub);
  std::string line;
  while (std::getline(in, line)) {
    // "auto shard-00/current": the folder is the path without "/current".
    if (!line.starts_with("auto ")) continue;
    std::string p = line.substr(5);
    if (p.ends_with("/current")) p.resize(p.size() - 8);
    out.push_back(p.starts_with("/") ? p : db_dir + "/" + p);
  }
  return out;
}

namespace {

void write_shard_stub(const std::string& db_dir, unsigned shards) {
  const std::string tmp = fmt::format("{}/{}.tmp{}", db_dir, kShardStub, ::getpid());
  {
    std::ofstream out(tmp, std::ios::trunc);
    for (unsigned k = 0; k < shards; ++k) out << fmt::format("auto shard-{:02d}/current\n", k);
    out.flush();
    if (!out) throw Error(fmt::format("cannot write '{}'", tmp));
  }
  std::error_code ec;
  fs::rename(tmp, db_dir + "/" + kShardStub, ec);
  if (ec) throw Error(fmt::format("cannot write '{}/{}': {}", db_dir, kShardStub, ec.message()));
}

void add(IndexSummary& total, const IndexSummary& s) {
  total.added += s.added;
  total.updated += s.updated;
  total.removed += s.removed;
  total.renamed += s.renamed;
  total.kept += s.kept;
  total.unchanged += s.unchanged;
  total.passages += s.passages;
  total.bytes += s.bytes;
  total.skipped.insert(total.skipped.end(), s.skipped.begin(), s.skipped.end());
  total.dictionary_bytes += s.dictionary_bytes;
  total.dictionary_seconds = std::max(total.dictionary_seconds, s.dictionary_seconds);
  total.jobs += s.jobs;
  total.articles_total += s.articles_total;
  total.passages_total += s.passages_total;
  total.refusals.insert(total.refusals.end(), s.refusals.begin(), s.refusals.end());
  total.recovered.insert(total.recovered.end(), s.recovered.begin(), s.recovered.end());
  if (total.mode.empty()) total.mode = s.mode;
  else if (total.mode != s.mode) total.mode = "mixed";
  if (total.rebuild_reason.empty()) total.rebuild_reason = s.rebuild_reason;
}

}  // namespace

void merge_spelling(const std::string& db_dir, const std::vector<std::string>& shard_dirs) {
  const std::string tmp = fmt::format("{}/{}.tmp{}", db_dir, kSpellingFolder, ::getpid());
  std::error_code ec;
  fs::remove_all(tmp, ec);
  {
    Xapian::WritableDatabase out(tmp, Xapian::DB_CREATE_OR_OVERWRITE | Xapian::DB_BACKEND_GLASS);
    for (const auto& dir : shard_dirs) {
      const Xapian::Database shard(dir + "/current");
      for (auto w = shard.spellings_begin(); w != shard.spellings_end(); ++w) out.add_spelling(*w, w.get_termfreq());
    }
    out.commit();
  }
  // A folder cannot be renamed over a full one: the old one goes aside
  // first (a search opening it meanwhile finds no spelling data, and offers
  // no suggestion that once).
  const std::string live = db_dir + "/" + kSpellingFolder, old = live + ".old";
  fs::remove_all(old, ec);
  if (fs::exists(live, ec)) fs::rename(live, old, ec);
  fs::rename(tmp, live, ec);
  if (ec) throw Error(fmt::format("cannot write '{}': {}", live, ec.message()));
  fs::remove_all(old, ec);
}

ShardedSummary run_sharded_index(const IndexOptions& options, unsigned shards, const ProgressCallback& progress) {
  const auto t0 = std::chrono::steady_clock::now();
  const std::string dir = options.db_path;
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw Error(fmt::format("cannot create the index folder '{}': {}", dir, ec.message()));
  if (fs::exists(dir + "/current", ec))
    throw UsageError(fmt::format("'{}' holds an index of one database: shard it by building into a new folder "
                                 "(lipsteeth index --shards N --db NEW CORPUS)",
                                 dir));
  const IndexLock lock(dir);
  const std::vector<std::string> existing = shard_folders(dir);
  if (shards == 0) shards = static_cast<unsigned>(existing.size());
  if (shards == 0) throw UsageError(fmt::format("'{}' is not a sharded index: give --shards N", dir));
  if (shards > kMaxShards) throw UsageError(fmt::format("--shards {}: at most {}", shards, kMaxShards));
  if (!existing.empty() && existing.size() != shards)
    throw UsageError(fmt::format("the index at '{}' has {} shards, not {}: build {} shards into a new folder", dir,
                                 existing.size(), shards, shards));
  const unsigned all_jobs = options.jobs ? options.jobs : std::max(1u, std::thread::hardware_concurrency());
  ShardedSummary out;
  out.shards.resize(shards);
  std::vector<std::exception_ptr> errors(shards);
  std::mutex progress_mutex;
  std::vector<Progress> latest(shards);
  std::vector<std::thread> threads;
  for (unsigned k = 0; k < shards; ++k) {
    threads.emplace_back([&, k] {
      IndexOptions o = options;
      o.db_path = shard_path(dir, k);
      o.shard = k;
      o.shards = shards;
      o.jobs = std::max(1u, all_jobs / shards);
      ProgressCallback each;
      if (progress)
        each = [&, k](const Progress& p) {
          // One line for the whole: the shards' files and bytes summed.
          const std::lock_guard<std::mutex> guard(progress_mutex);
          latest[k] = p;
          Progress sum = p;
          sum.files_done = sum.files_total = sum.bytes_done = sum.bytes_total = 0;
          for (const auto& q : latest) {
            sum.files_done += q.files_done;
            sum.files_total += q.files_total;
            sum.bytes_done += q.bytes_done;
            sum.bytes_total += q.bytes_total;
          }
          progress(sum);
        };
      try {
        out.shards[k] = run_index(o, each);
      } catch (...) {
        errors[k] = std::current_exception();
      }
    });
  }
  for (auto& t : threads) t.join();
  for (unsigned k = 0; k < shards; ++k) {
    if (!errors[k]) continue;
    const std::string name = fmt::format("shard-{:02d}", k);
    try {
      std::rethrow_exception(errors[k]);
    } catch (const RemovalRefusedError& e) {
      throw RemovalRefusedError(fmt::format("{}: {}", name, e.what()));
    } catch (const GateFailedError& e) {
      throw GateFailedError(fmt::format("{}: {}", name, e.what()));
    } catch (const IndexLockedError& e) {
      throw IndexLockedError(fmt::format("{}: {}", name, e.what()));
    } catch (const UsageError& e) {
      throw UsageError(fmt::format("{}: {}", name, e.what()));
    } catch (const IndexMissingError& e) {
      throw IndexMissingError(fmt::format("{}: {}", name, e.what()));
    } catch (const Xapian::Error& e) {
      throw Error(fmt::format("{}: {}", name, e.get_description()));
    } catch (const std::exception& e) {
      throw Error(fmt::format("{}: {}", name, e.what()));
    }
  }
  if (existing.empty()) write_shard_stub(dir, shards);
  std::vector<std::string> dirs;
  for (unsigned k = 0; k < shards; ++k) dirs.push_back(shard_path(dir, k));
  const auto t1 = std::chrono::steady_clock::now();
  merge_spelling(dir, dirs);
  out.spelling_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t1).count();
  for (const auto& s : out.shards) add(out.total, s);
  std::sort(out.total.skipped.begin(), out.total.skipped.end(),
            [](const Skip& a, const Skip& b) { return a.path < b.path; });
  out.total.db_path = dir;
  out.total.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return out;
}

}  // namespace lipsteeth::indexer
