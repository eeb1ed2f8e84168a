#include "cli/common.h"

#include <cerrno>
#include <cstdlib>
#include <unistd.h>

#include <fmt/format.h>

namespace lipsteeth::cli {

void add_color_option(CLI::App& app, ColorMode& mode) {
  std::map<std::string, ColorMode> names{
      {"auto", ColorMode::auto_}, {"always", ColorMode::always}, {"never", ColorMode::never}};
  app.add_option("--color", mode, "Colour output: auto (terminal only, honours NO_COLOR), always, never")
      ->transform(CLI::CheckedTransformer(names, CLI::ignore_case).description("{auto,always,never}"))
      ->type_name("WHEN")
      ->default_str("auto");
}

bool use_color(ColorMode mode, std::FILE* stream) {
  if (mode == ColorMode::always) return true;
  if (mode == ColorMode::never) return false;
  if (const char* nc = std::getenv("NO_COLOR"); nc && *nc) return false;
  return ::isatty(::fileno(stream)) == 1;
}

void out(std::string_view s) {
  if (s.empty()) return;
  if (std::fwrite(s.data(), 1, s.size(), stdout) != s.size()) {
    if (errno == EPIPE) throw BrokenPipe{};
    throw std::runtime_error(fmt::format("cannot write output: {}", std::strerror(errno)));
  }
}

void flush_out() {
  if (std::fflush(stdout) != 0) {
    if (errno == EPIPE) throw BrokenPipe{};
    throw std::runtime_error(fmt::format("cannot write output: {}", std::strerror(errno)));
  }
}

void print_error(std::string_view message) { fmt::print(stderr, "lipsteeth: {}\n", message); }
void print_warning(std::string_view message) { fmt::print(stderr, "lipsteeth: warning: {}\n", message); }

}  // namespace lipsteeth::cli
