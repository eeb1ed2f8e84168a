// Shared pieces of the command-line front end: exit codes, colour, output.
#pragma once

#include <cstdio>
#include <functional>
#include <string>
#include <string_view>

#include <CLI/CLI.hpp>

namespace lipsteeth::cli {

// Documented exit codes (README "Exit codes"); the same for every subcommand.
enum ExitCode : int {
  kOk = 0,             // success; for search: at least one hit
  kNoResults = 1,      // search found nothing (like grep / ripgrep)
  kUsage = 2,          // bad flags, arguments or query
  kIndexMissing = 3,   // index missing, unreadable, or built by another version
  kLocked = 4,         // another `lipsteeth index` holds the index lock
  kPartial = 5,        // finished, but some inputs were skipped or unreadable
  kFailure = 6,        // anything else that stopped the job (I/O error, corrupt data)
  kRefused = 7,        // index: the removal policy kept articles it would have removed
  kGateFailed = 8,     // index --gate: the new generation failed a check; the live one is unchanged
};

// A registered subcommand: the parsed CLI11 sub-app and what runs it.
struct Command {
  CLI::App* app = nullptr;
  std::function<int()> run;
  // Reads only: once its output is flushed the process may end without
  // running destructors (nothing to commit; unmapping and freeing what the
  // exit drops anyway costs a search more than its ranking).
  bool read_only = false;
};

Command setup_analyze(CLI::App& parent);
Command setup_index(CLI::App& parent);
Command setup_search(CLI::App& parent);
Command setup_actors(CLI::App& parent);
Command setup_stats(CLI::App& parent);
Command setup_verify(CLI::App& parent);

// --color=auto|always|never. auto: colour only when `stream` is a terminal and
// NO_COLOR is unset or empty.
enum class ColorMode { auto_, always, never };
void add_color_option(CLI::App& app, ColorMode& mode);
bool use_color(ColorMode mode, std::FILE* stream);

// Writes to stdout. When the reader has gone away (EPIPE: `| head`), throws
// BrokenPipe, which main turns into a quiet exit 0.
struct BrokenPipe {};
void out(std::string_view s);
void flush_out();

// One line on stderr: "lipsteeth: <message>".
void print_error(std::string_view message);
void print_warning(std::string_view message);

}  // namespace lipsteeth::cli
