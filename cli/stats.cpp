#include "analyzers/error.h"
#include "cli/common.h"

namespace lipsteeth::cli {

// Placeholder until the subcommand lands; fails loudly rather than pretending.
Command setup_stats(CLI::App& parent) {
  auto* sub = parent.add_subcommand("stats", "(not built yet)");
  return {sub, [] () -> int { throw Error("'stats' is not implemented in this build"); }};
}

}  // namespace lipsteeth::cli
