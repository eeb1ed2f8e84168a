// Shared pieces of the command-line front end: exit codes, colour, output.
#pragma once

#include <cstddef>
#include <cstdio>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

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
Command setup_serve(CLI::App& parent);

// The arguments after `search`, reordered for CLI11: its options first, then
// `--` and the query's words, so that a `-word` after the query's first word
// is a query word rather than an unknown flag (cli/search.cpp).
std::vector<std::string> search_arguments(const CLI::App& search, const std::vector<std::string>& args);

// The options file: $XDG_CONFIG_HOME/lipsteeth/config, else
// ~/.config/lipsteeth/config ("" when neither variable is set). INI, read
// by CLI11: `db = PATH` at the top for every subcommand's default index,
// and a section per subcommand (`[search]` then `limit = 20`).
std::string config_path();
// Sets LIPSTEETH_DB from the top-level `db = PATH` of the options file
// `file`, unless LIPSTEETH_DB is set (the environment overrides the file,
// a --db flag both). Nothing when the file is not there.
void apply_config_db(const std::string& file);

// --color=auto|always|never. auto: colour only when `stream` is a terminal and
// NO_COLOR is unset or empty.
enum class ColorMode { auto_, always, never };
void add_color_option(CLI::App& app, ColorMode& mode);
bool use_color(ColorMode mode, std::FILE* stream);

// Text styles, through fmt's colour API (ANSI SGR codes) when `on`; plain
// text otherwise, a highlight then written in [brackets].
struct Style {
  bool on = false;
  std::string bold(std::string_view s) const;
  std::string dim(std::string_view s) const;
  std::string mark(std::string_view s) const;
};

// Columns of `stream`'s terminal; else $COLUMNS when it is a number; else
// `fallback` (output to a file or a pipe).
std::size_t terminal_width(std::FILE* stream, std::size_t fallback);

// Columns `s` (UTF-8) takes on a terminal, by ICU's properties: East Asian
// wide and fullwidth characters count 2, combining marks and format
// characters 0, others 1. ANSI escape sequences (ESC [ ... m) count 0.
// Invalid bytes count 1 each.
std::size_t display_width(std::string_view s);

// Writes to stdout. When the reader has gone away (EPIPE: `| head`), throws
// BrokenPipe, which main turns into a quiet exit 0.
struct BrokenPipe {};
void out(std::string_view s);
void flush_out();

// Version of the JSON that search, index, stats and verify print
// (docs/search.md "JSON of index, stats and verify"): raised when a field
// changes meaning or goes; fields may be added without it.
inline constexpr int kJsonVersion = 1;
// `json_object` (one JSON object's text) with "version": kJsonVersion as
// its first field, on one line.
std::string with_json_version(const std::string& json_object);

// One line on stderr: "lipsteeth: <message>".
void print_error(std::string_view message);
void print_warning(std::string_view message);

}  // namespace lipsteeth::cli
