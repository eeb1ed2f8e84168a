#include "cli/common.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <map>

#include <fmt/color.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <unicode/uchar.h>
#include <unicode/utf8.h>

namespace lipsteeth::cli {

void add_color_option(CLI::App& app, ColorMode& mode) {
  // A check of our own rather than CLI11's CheckedTransformer, whose message
  // for a bad value lists its internal mapping ({always->1,auto->0,never->2}).
  static const std::map<std::string, ColorMode> names{
      {"auto", ColorMode::auto_}, {"always", ColorMode::always}, {"never", ColorMode::never}};
  app.add_option_function<std::string>(
         "--color",
         [&mode](const std::string& v) {
           std::string lower = v;
           for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
           mode = names.at(lower);
         },
         "Colour output: auto (terminal only, honours NO_COLOR), always, never")
      ->check(CLI::Validator(
          [](std::string& v) -> std::string {
            std::string lower = v;
            for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            if (names.count(lower)) return {};
            return fmt::format("'{}' is not a colour mode: use auto, always or never", v);
          },
          "auto|always|never"))
      ->type_name("WHEN")
      ->default_str("auto");
}

bool use_color(ColorMode mode, std::FILE* stream) {
  if (mode == ColorMode::always) return true;
  if (mode == ColorMode::never) return false;
  if (const char* nc = std::getenv("NO_COLOR"); nc && *nc) return false;
  return ::isatty(::fileno(stream)) == 1;
}

std::string Style::bold(std::string_view s) const {
  return on ? fmt::format(fmt::emphasis::bold, "{}", s) : std::string(s);
}
std::string Style::dim(std::string_view s) const {
  return on ? fmt::format(fmt::emphasis::faint, "{}", s) : std::string(s);
}
std::string Style::mark(std::string_view s) const {
  return on ? fmt::format(fmt::emphasis::bold | fmt::fg(fmt::terminal_color::red), "{}", s)
            : fmt::format("[{}]", s);
}

std::size_t terminal_width(std::FILE* stream, std::size_t fallback) {
  struct winsize ws {};
  if (::isatty(::fileno(stream)) == 1 && ::ioctl(::fileno(stream), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
    return ws.ws_col;
  if (const char* c = std::getenv("COLUMNS"); c && *c) {
    char* end = nullptr;
    const long v = std::strtol(c, &end, 10);
    if (*end == '\0' && v > 0 && v < 10000) return static_cast<std::size_t>(v);
  }
  return fallback;
}

std::size_t display_width(std::string_view s) {
  std::size_t width = 0;
  const auto* p = reinterpret_cast<const uint8_t*>(s.data());
  const auto n = static_cast<int32_t>(s.size());
  int32_t i = 0;
  while (i < n) {
    if (p[i] == 0x1b && i + 1 < n && p[i + 1] == '[') {  // an SGR sequence: ESC [ params m
      i += 2;
      while (i < n && p[i] != 'm') ++i;
      if (i < n) ++i;
      continue;
    }
    UChar32 c;
    U8_NEXT(p, i, n, c);
    if (c < 0) {
      ++width;
      continue;
    }
    const auto ea = static_cast<UEastAsianWidth>(u_getIntPropertyValue(c, UCHAR_EAST_ASIAN_WIDTH));
    const int8_t gc = u_charType(c);
    if (gc == U_NON_SPACING_MARK || gc == U_ENCLOSING_MARK || gc == U_FORMAT_CHAR || gc == U_CONTROL_CHAR)
      continue;
    width += (ea == U_EA_WIDE || ea == U_EA_FULLWIDTH) ? 2 : 1;
  }
  return width;
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

std::string with_json_version(const std::string& json_object) {
  using json = nlohmann::ordered_json;
  const json in = json::parse(json_object);
  json j;
  j["version"] = kJsonVersion;
  for (const auto& [key, value] : in.items()) j[key] = value;
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

void print_error(std::string_view message) { fmt::print(stderr, "lipsteeth: {}\n", message); }
void print_warning(std::string_view message) { fmt::print(stderr, "lipsteeth: warning: {}\n", message); }

}  // namespace lipsteeth::cli
