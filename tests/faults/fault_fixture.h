// Helpers for the fault-injection tests: the built CLI run in a child process
// with extra environment (LIPSTEETH_FAULT), optionally as an unprivileged user
// (so that chmod 000 means something when the tests run as root), and a look
// at an index folder.
#pragma once

#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <xapian.h>

#include "indexer/index_dir.h"
#include "tests/indexer/index_fixture.h"

namespace lipsteeth::testing {

// The first seed article's name (corpus/).
inline const std::string k000 = "000_8fe11e022d0b9062.txt";

// Gives `p` a new mtime (the tests run faster than the clock ticks on some file systems).
inline void bump_mtime(const fs::path& p, int seconds) {
  fs::last_write_time(p, fs::last_write_time(p) + std::chrono::seconds(seconds));
}

struct CliResult {
  int code = -1;  // exit code, or 128 + signal
  std::string out, err;
};

struct CliRun {
  std::vector<std::string> args;
  std::map<std::string, std::string> env;  // added to the environment
  bool unprivileged = false;               // run as nobody when the tests run as root
  unsigned max_processes = 0;              // RLIMIT_NPROC (threads count), 0: unchanged
};

// The uid/gid of an unprivileged user, when this process may switch to it.
inline bool can_drop_privileges() { return ::geteuid() == 0; }
constexpr uid_t kNobody = 65534;

inline pid_t spawn_cli(const CliRun& r, const fs::path& io_dir) {
  pid_t pid = ::fork();
  if (pid == 0) {
    int o = ::open((io_dir / "stdout").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0666);
    int e = ::open((io_dir / "stderr").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0666);
    ::dup2(o, 1);
    ::dup2(e, 2);
    for (const auto& [k, v] : r.env) ::setenv(k.c_str(), v.c_str(), 1);
    if (r.unprivileged && ::geteuid() == 0) {
      ::setgroups(0, nullptr);
      if (::setgid(kNobody) != 0 || ::setuid(kNobody) != 0) ::_exit(126);
    }
    if (r.max_processes) {
      struct rlimit lim = {r.max_processes, r.max_processes};
      ::setrlimit(RLIMIT_NPROC, &lim);
    }
    const std::string bin = LIPSTEETH_BIN;
    std::vector<char*> argv;
    argv.push_back(const_cast<char*>(bin.c_str()));
    for (const auto& a : r.args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    ::execv(bin.c_str(), argv.data());
    ::_exit(127);
  }
  return pid;
}

inline CliResult wait_cli(pid_t pid, const fs::path& io_dir) {
  int status = 0;
  ::waitpid(pid, &status, 0);
  CliResult r;
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.out = slurp(io_dir / "stdout");
  r.err = slurp(io_dir / "stderr");
  return r;
}

inline CliResult run_cli(const CliRun& r, const fs::path& io_dir) { return wait_cli(spawn_cli(r, io_dir), io_dir); }

// Makes `p` and everything under it readable and writable by anyone (for
// runs as an unprivileged user in a folder made by root).
inline void open_up(const fs::path& p) {
  std::error_code ec;
  fs::permissions(p, fs::perms::all, ec);
  for (fs::recursive_directory_iterator it(p, ec), end; !ec && it != end; it.increment(ec))
    fs::permissions(it->path(), fs::perms::all, ec);
}

// Articles in the index as every database its stub names records them
// (a first build's shards each hold their own).
inline std::size_t recorded_articles(const fs::path& db_dir) {
  std::size_t n = 0;
  for (const auto& part : indexer::read_stub(db_dir.string())) {
    Xapian::Database d((db_dir / part).string());
    const std::string fp = schema::kMetaFilePrefix;
    for (auto it = d.metadata_keys_begin(fp); it != d.metadata_keys_end(fp); ++it) ++n;
  }
  return n;
}

// Documents a searcher opening the index sees now (0: it cannot open it).
inline Xapian::doccount searchable(const fs::path& db_dir) {
  try {
    return Xapian::Database((db_dir / schema::kStubName).string()).get_doccount();
  } catch (const Xapian::Error&) {
    return 0;
  }
}

// Names in the index folder starting with `prefix` ("gen-", "build-", "trash-").
inline std::vector<std::string> entries(const fs::path& db_dir, const std::string& prefix) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(db_dir))
    if (e.path().filename().string().rfind(prefix, 0) == 0) out.push_back(e.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace lipsteeth::testing
