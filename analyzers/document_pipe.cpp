#include "analyzers/document_pipe.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <vector>

#include <fmt/format.h>

#include "analyzers/container_internal.h"

extern char** environ;

namespace lipsteeth::analyzers {
namespace {

constexpr std::string_view kMagic = "LTDOC1";

void put_u64(std::string& out, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>(v >> (8 * i)));
}
void put_str(std::string& out, std::string_view s) {
  put_u64(out, s.size());
  out.append(s);
}

struct Reader {
  std::string_view in;
  bool ok = true;
  std::uint64_t u64() {
    if (in.size() < 8) return ok = false, 0;
    std::uint64_t v = 0;
    for (int i = 0; i < 8; ++i) v |= static_cast<std::uint64_t>(static_cast<unsigned char>(in[i])) << (8 * i);
    in.remove_prefix(8);
    return v;
  }
  std::string str() {
    const std::uint64_t n = u64();
    if (!ok || n > in.size()) return ok = false, std::string();
    std::string s(in.substr(0, n));
    in.remove_prefix(n);
    return s;
  }
};

FieldSource source_of(std::uint64_t v) {
  return v <= static_cast<std::uint64_t>(FieldSource::unknown) ? static_cast<FieldSource>(v) : FieldSource::unknown;
}

const Format kFormats[] = {Format::pdf, Format::docx, Format::odt, Format::epub};

bool executable(const std::filesystem::path& p) { return ::access(p.c_str(), X_OK) == 0; }

}  // namespace

std::string encode_container_text(const ContainerText& c) {
  std::string out(kMagic);
  put_u64(out, c.status == ContainerStatus::ok ? 0 : 1);
  put_u64(out, static_cast<std::uint64_t>(c.format));
  put_u64(out, c.plain ? 1 : 0);
  put_str(out, c.text);
  put_str(out, c.reason);
  const Metadata& m = c.stated;
  put_str(out, m.title);
  put_u64(out, static_cast<std::uint64_t>(m.title_source));
  put_str(out, m.date);
  put_u64(out, static_cast<std::uint64_t>(m.date_source));
  put_u64(out, m.year ? 1 : 0);
  put_u64(out, static_cast<std::uint64_t>(static_cast<std::int64_t>(m.year.value_or(0))));
  put_u64(out, static_cast<std::uint64_t>(m.year_source));
  put_u64(out, m.authors.size());
  for (const auto& a : m.authors) put_str(out, a);
  put_u64(out, static_cast<std::uint64_t>(m.authors_source));
  return out;
}

bool decode_container_text(std::string_view wire, ContainerText& c) {
  if (wire.substr(0, kMagic.size()) != kMagic) return false;
  Reader r{wire.substr(kMagic.size())};
  c = ContainerText();
  c.status = r.u64() == 0 ? ContainerStatus::ok : ContainerStatus::unreadable;
  const std::uint64_t f = r.u64();
  if (f > static_cast<std::uint64_t>(Format::epub)) return false;
  c.format = static_cast<Format>(f);
  c.plain = r.u64() != 0;
  c.text = r.str();
  c.reason = r.str();
  Metadata& m = c.stated;
  m.title = r.str();
  m.title_source = source_of(r.u64());
  m.date = r.str();
  m.date_source = source_of(r.u64());
  const bool has_year = r.u64() != 0;
  const auto year = static_cast<std::int64_t>(r.u64());
  if (has_year) m.year = static_cast<int>(year);
  m.year_source = source_of(r.u64());
  const std::uint64_t n = r.u64();
  if (!r.ok || n > r.in.size()) return false;
  for (std::uint64_t i = 0; i < n && r.ok; ++i) m.authors.push_back(r.str());
  m.authors_source = source_of(r.u64());
  return r.ok && r.in.empty();
}

std::vector<std::string> reader_arguments(Format format, const ContainerLimits& limits) {
  return {format_name(format), std::to_string(limits.max_bytes), std::to_string(limits.max_ratio),
          std::to_string(limits.ratio_floor_bytes), std::to_string(limits.max_depth)};
}

bool parse_reader_arguments(const std::vector<std::string>& args, Format& format, ContainerLimits& limits) {
  if (args.size() != 5) return false;
  bool known = false;
  for (Format f : kFormats)
    if (args[0] == format_name(f)) format = f, known = true;
  if (!known) return false;
  auto number = [](const std::string& s, auto& out) {
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc() && p == s.data() + s.size();
  };
  return number(args[1], limits.max_bytes) && number(args[2], limits.max_ratio) &&
         number(args[3], limits.ratio_floor_bytes) && number(args[4], limits.max_depth);
}

std::string reader_path() {
  if (const char* env = std::getenv("LIPSTEETH_READER"); env && *env) return executable(env) ? env : "";
  std::error_code ec;
  const std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) return {};
  for (const auto& p : {self.parent_path() / "lipsteeth-read",
                        self.parent_path().parent_path() / "libexec" / "lipsteeth" / "lipsteeth-read"})
    if (executable(p)) return p.string();
  return {};
}

ContainerText read_document_in_helper(Format format, std::string_view bytes, const ContainerLimits& limits) {
  const std::string helper = reader_path();
  const std::string what = fmt::format("the {} reader (lipsteeth-read)", format_name(format));
  if (helper.empty())
    return container::unreadable(format, fmt::format("{} is not installed beside lipsteeth (or set LIPSTEETH_READER)", what));
  int sv[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
    return container::unreadable(format, fmt::format("cannot start {}: {}", what, std::strerror(errno)));
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, sv[1], 0);
  posix_spawn_file_actions_adddup2(&fa, sv[1], 1);
  posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
  std::vector<std::string> args = reader_arguments(format, limits);
  args.insert(args.begin(), helper);
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = -1;
  const int rc = ::posix_spawn(&pid, helper.c_str(), &fa, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  ::close(sv[1]);
  if (rc != 0) {
    ::close(sv[0]);
    return container::unreadable(format, fmt::format("cannot start {}: {}", what, std::strerror(rc)));
  }
  const int fd = sv[0];
  // Send the file, then read the answer, within the deadline.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60 + 2 * (bytes.size() >> 20));
  auto wait_for = [&](short events) {
    for (;;) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) return false;
      pollfd p{fd, events, 0};
      const int n = ::poll(&p, 1, static_cast<int>(std::min<long long>(left.count(), 1000)));
      if (n > 0) return true;
      if (n < 0 && errno != EINTR) return false;
    }
  };
  bool timed_out = false;
  std::size_t sent = 0;
  while (sent < bytes.size()) {
    if (!wait_for(POLLOUT)) {
      timed_out = true;
      break;
    }
    const ssize_t n = ::send(fd, bytes.data() + sent, std::min<std::size_t>(bytes.size() - sent, 1 << 20), MSG_NOSIGNAL);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (n <= 0) break;  // the helper is gone: its status says why
    sent += static_cast<std::size_t>(n);
  }
  ::shutdown(fd, SHUT_WR);
  std::string answer;
  char buf[1 << 16];
  while (!timed_out) {
    if (!wait_for(POLLIN)) {
      timed_out = true;
      break;
    }
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    answer.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fd);
  if (timed_out) ::kill(pid, SIGKILL);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (timed_out) return container::unreadable(format, fmt::format("{} took too long and was stopped", what));
  if (WIFSIGNALED(status)) return container::unreadable(format, fmt::format("{} crashed (signal {})", what, WTERMSIG(status)));
  ContainerText c;
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || !decode_container_text(answer, c))
    return container::unreadable(format, fmt::format("{} failed (exit {})", what, WIFEXITED(status) ? WEXITSTATUS(status) : -1));
  return c;
}

}  // namespace lipsteeth::analyzers
