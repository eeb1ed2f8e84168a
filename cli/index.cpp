#include "analyzers/error.h"
#include "cli/common.h"

namespace lipsteeth::cli {

// Placeholder until the subcommand lands; fails loudly rather than pretending.
Command setup_index(CLI::App& parent) {
  auto* sub = parent.add_subcommand("index", "(not built yet)");
  return {sub, [] () -> int { throw Error("'index' is not implemented in this build"); }};
}

}  // namespace lipsteeth::cli
