// A sharded index: N complete lipsteeth indexes built side by side, each
// holding the files a stable hash of their id routes to it, searched as one
// through a Xapian stub file (docs/scaling.md).
//
// The folder DIR of a sharded index holds:
//   shards         a Xapian stub file: "auto shard-00/current", one line per
//                  shard (Xapian's own tools open it too)
//   shard-NN/      a lipsteeth index folder each (indexer.h), with its own
//                  lock, generations and passage column
//   spelling/      the spelling data of every shard summed into one small
//                  database: a remote shard's spelling cannot be read over
//                  Xapian's remote protocol (1.4), so suggestions come from here
//   lock           flock()ed by the one sharded run
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "indexer/indexer.h"

namespace lipsteeth::indexer {

inline constexpr const char* kShardStub = "shards";
inline constexpr const char* kSpellingFolder = "spelling";
inline constexpr unsigned kMaxShards = 256;

// The shard (0..shards-1) of the file whose id (its path relative to its
// corpus root) is `file_id`: FNV-1a 64 of the id's bytes modulo `shards`.
// The same on every machine and run: a file stays in its shard until renamed.
unsigned shard_of(std::string_view file_id, unsigned shards);

// "DIR/shard-07".
std::string shard_path(const std::string& db_dir, unsigned k);

// Whether DIR holds a sharded index (DIR/shards exists).
bool is_sharded(const std::string& db_dir);

// The shard folders DIR/shards names, in order (empty when not sharded).
std::vector<std::string> shard_folders(const std::string& db_dir);

// The outcome of a sharded run: each shard's summary, and one for the whole.
struct ShardedSummary {
  std::vector<IndexSummary> shards;
  IndexSummary total;  // counts and skips summed; seconds: the run's wall time
  double spelling_seconds = 0;  // summing the shards' spelling data
};

// Builds or updates the sharded index in options.db_path with `shards`
// shards (0: as many as it has), all at once, each with options.jobs /
// shards analysis threads (at least one). A shard whose files did not change
// is left as it was. Throws UsageError when `shards` differs from the
// count the index was built with, IndexLockedError when another run holds
// DIR/lock, and the first error of any shard's run (its message names the
// shard); RemovalRefusedError and GateFailedError as run_index does.
ShardedSummary run_sharded_index(const IndexOptions& options, unsigned shards,
                                 const ProgressCallback& progress = {});

// Writes DIR/spelling anew from the shards' spelling data (what the shards
// hold summed: the spelling of one index of the whole corpus).
void merge_spelling(const std::string& db_dir, const std::vector<std::string>& shard_dirs);

}  // namespace lipsteeth::indexer
