// The removal policy: which articles of the index a run may remove because
// their file was not found. Safe by default (docs/indexing.md, "What a run
// removes"):
//   - only articles under the paths this run walked (the roots, or the
//     subset of them given on the command line) can be removed;
//   - nothing under a file or folder that could not be read this time
//     (cannot stat, cannot list) is removed: it is retried next run;
//   - a root that is missing, unreadable, or has no files at all while the
//     index holds articles from it removes nothing, and the run is refused
//     (exit 7), unless IndexOptions::allow_removal;
//   - a run that would remove more than IndexOptions::max_removal_share of
//     the index removes nothing, and is refused, unless allow_removal.
// No Xapian here.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "indexer/corpus.h"
#include "indexer/indexer.h"

namespace lipsteeth::indexer {

class RemovalGuard {
 public:
  // `corpus`: this run's walk (its roots, scope, skips); `scope`: the paths
  // the walk was limited to (empty: all of the roots); `indexed_under_root`:
  // for each of corpus.roots, how many articles the index holds under it.
  RemovalGuard(const Corpus& corpus, std::vector<std::string> scope, const IndexOptions& options,
               const std::vector<std::uint64_t>& indexed_under_root);

  // May the article (or JSON Lines file) whose file was at `path` be removed
  // now that it was not found? False for paths outside this run's scope,
  // under an unreadable path, or under a refused root.
  bool may_remove(const std::string& path) const;

  // The share check, once the run knows how many articles it would remove
  // out of `total`: false (and a refusal recorded) when that is too many.
  bool allow_count(std::uint64_t removals, std::uint64_t total);

  // Why this run refused to remove what it otherwise would have (one line
  // each, naming the path and the fix); empty when nothing was refused.
  const std::vector<std::string>& refusals() const { return refusals_; }

 private:
  const Corpus& corpus_;
  std::vector<std::string> scope_;
  std::vector<std::string> unreadable_;     // paths skipped as unreadable this run
  std::vector<std::string> refused_roots_;  // roots whose articles are all kept
  const IndexOptions& options_;
  std::vector<std::string> refusals_;
  bool refuse_all_ = false;  // the share check failed
};

}  // namespace lipsteeth::indexer
