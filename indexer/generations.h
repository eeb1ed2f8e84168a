// Crash safety of the index folder (see indexer.h for its layout): the
// fault-injection points, the recovery an index run does first, and the
// removal of generations no reader uses.
//
// Every state a run can be killed in is one of these, and recover() brings
// each back to a live index without hand work:
//   - a build-N/ whose shards all open: resumed by the next run;
//   - a build-N/ with a shard that does not open (killed while it was being
//     deleted, or a disk failure): discarded, with a message;
//   - a build-N/ whose gen-N/ is already live (killed after the swap):
//     deleted, the swap stands;
//   - a gen-N/ not named by the stub while build-N/ is there (killed during
//     the merge or before the swap): deleted, the merge is redone;
//   - trash-*/ (killed while deleting a folder): deleted;
//   - current.tmp (killed while writing the stub): deleted; the rename that
//     publishes a stub is atomic, so readers always see the old or the new.
// Folders are deleted by renaming them to trash-* first, so that a kill in
// the middle of a deletion never leaves a half-deleted build or generation
// under a name a later run would trust.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "indexer/indexer.h"

namespace lipsteeth::indexer {

// Fault injection for tests and bench/torture.sh: when the environment
// variable LIPSTEETH_FAULT is `point` (or `point@N`: its Nth time, from 1),
// the process kills itself with SIGKILL there, as kill -9 would. The points
// are listed in docs/indexing.md ("Fault injection").
void fault_point(const char* point);

// Repairs what an interrupted or failed run left in `db_dir` (under the
// index lock). Returns one line per repair, for IndexSummary::recovered.
std::vector<std::string> recover_index_dir(const std::string& db_dir);

// The shards of build folder `build_dir` (shard-NN, sorted); `problem` says
// why the build cannot be resumed ("" when every shard opens).
std::vector<std::string> build_shards(const std::string& build_dir, std::string& problem);

// Deletes `path` (a folder of the index) without ever leaving it half
// deleted under its own name: renamed to trash-* first. Never throws.
void discard_folder(const std::string& db_dir, const std::string& name) noexcept;

// Whether some process has a file under `path` open (Linux: /proc/*/fd).
// Only processes this user may inspect are seen.
bool folder_in_use(const std::string& path);

// Deletes the generations of `db_dir` the stub does not name and no process
// has open, waiting up to `wait_ms` for readers of the one just replaced.
// Returns the names kept because they are still in use.
std::vector<std::string> remove_unused_generations(const std::string& db_dir, unsigned wait_ms);

// Disk use of the index folder by part: each gen-* and build-* folder, and
// "other" (stub, lock, passage columns).
std::vector<FolderUse> disk_use_by_generation(const std::string& db_dir);

}  // namespace lipsteeth::indexer
