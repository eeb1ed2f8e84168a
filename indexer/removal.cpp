#include "indexer/removal.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace lipsteeth::indexer {

RemovalGuard::RemovalGuard(const Corpus& corpus, std::vector<std::string> scope, const IndexOptions& options,
                           const std::vector<std::uint64_t>& indexed_under_root)
    : corpus_(corpus), scope_(std::move(scope)), options_(options) {
  // Under --allow-removal a root that is missing or unreadable is taken as
  // gone: its articles go too. Anything deeper that could not be read is
  // kept whatever the flag says (it is retried next run).
  for (const auto& s : corpus.skipped)
    if (s.unreadable &&
        !(options.allow_removal && std::find(corpus.roots.begin(), corpus.roots.end(), s.path) != corpus.roots.end()))
      unreadable_.push_back(s.path);
  for (std::size_t i = 0; i < corpus.roots.size(); ++i) {
    const std::string& root = corpus.roots[i];
    const std::uint64_t held = i < indexed_under_root.size() ? indexed_under_root[i] : 0;
    if (held == 0) continue;
    // A root outside this run's scope is not looked at at all.
    bool looked = scope_.empty();
    for (const auto& s : scope_) looked = looked || path_under(s, root) || path_under(root, s);
    if (!looked) continue;
    std::string why;
    auto listed = [&](const std::vector<std::string>& v) { return std::find(v.begin(), v.end(), root) != v.end(); };
    if (listed(corpus.missing_roots)) {
      why = "is missing (unmounted or moved?)";
    } else if (listed(corpus.unreadable_roots)) {
      why = "cannot be read";
    } else if (scope_.empty()) {
      bool any = std::any_of(corpus.files.begin(), corpus.files.end(),
                             [&](const CorpusFile& f) { return path_under(f.path, root); });
      // Files skipped for a reason (binary, too large, unreadable...) show
      // the folder is there; only a root with no entries at all is "empty".
      any = any || std::any_of(corpus.skipped.begin(), corpus.skipped.end(),
                               [&](const Skip& s) { return path_under(s.path, root) && s.path != root; });
      if (!any) why = "is empty";
    }
    if (why.empty()) continue;
    if (options_.allow_removal) continue;
    refused_roots_.push_back(root);
    refusals_.push_back(fmt::format("the corpus folder '{}' {}: its {} indexed article(s) are kept; if it is gone for "
                                    "good, run again with --allow-removal",
                                    root, why, held));
  }
}

bool RemovalGuard::may_remove(const std::string& path) const {
  if (refuse_all_) return false;
  if (!scope_.empty() &&
      std::none_of(scope_.begin(), scope_.end(), [&](const std::string& s) { return path_under(path, s); }))
    return false;
  for (const auto& u : unreadable_)
    if (path_under(path, u)) return false;
  for (const auto& r : refused_roots_)
    if (path_under(path, r)) return false;
  return true;
}

bool RemovalGuard::allow_count(std::uint64_t removals, std::uint64_t total) {
  if (options_.allow_removal || removals == 0 || total == 0) return true;
  const double share = static_cast<double>(removals) / static_cast<double>(total);
  if (share <= options_.max_removal_share + 1e-9) return true;
  refuse_all_ = true;
  refusals_.push_back(fmt::format(
      "this run would remove {} of the index's {} articles ({:.0f}%, more than the {:.0f}% allowed): nothing was "
      "removed; check the corpus paths ({}), then run again with --allow-removal (or a higher --max-removal) if "
      "that is meant",
      removals, total, share * 100, options_.max_removal_share * 100, fmt::join(corpus_.roots, ", ")));
  return false;
}

}  // namespace lipsteeth::indexer
