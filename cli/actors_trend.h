// `lipsteeth actors trend` and `lipsteeth actors with`, subcommands of `actors`.
#pragma once

#include <vector>

#include "cli/common.h"

namespace lipsteeth::cli {

// Registers both under `actors`; the caller runs the one parsed.
std::vector<Command> setup_actor_trends(CLI::App& actors);

}  // namespace lipsteeth::cli
