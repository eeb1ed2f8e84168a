#include "analyzers/error.h"
#include "cli/common.h"

namespace lipsteeth::cli {

// Placeholder until the subcommand lands; fails loudly rather than pretending.
Command setup_verify(CLI::App& parent) {
  auto* sub = parent.add_subcommand("verify", "(not built yet)");
  return {sub, [] () -> int { throw Error("'verify' is not implemented in this build"); }};
}

}  // namespace lipsteeth::cli
