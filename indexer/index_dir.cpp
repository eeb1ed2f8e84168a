#include "indexer/index_dir.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <fmt/format.h>

#include "analyzers/error.h"
#include "analyzers/schema.h"

namespace fs = std::filesystem;

namespace lipsteeth::indexer {

IndexLock::IndexLock(const std::string& db_dir) {
  std::error_code ec;
  fs::create_directories(db_dir, ec);
  if (ec) throw Error(fmt::format("cannot create index folder '{}': {}", db_dir, ec.message()));
  std::string path = db_dir + "/" + schema::kLockName;
  fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) throw Error(fmt::format("cannot open lock file '{}': {}", path, std::strerror(errno)));
  // flock() locks belong to the open file description: released when this
  // process exits, however it exits (kill -9 included), so no stale locks.
  if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    int err = errno;
    ::close(fd_);
    fd_ = -1;
    if (err == EWOULDBLOCK)
      throw IndexLockedError(fmt::format("cannot index into '{}': another index run holds the lock", db_dir));
    throw Error(fmt::format("cannot lock '{}': {}", path, std::strerror(err)));
  }
  std::string pid = std::to_string(::getpid()) + "\n";
  if (::ftruncate(fd_, 0) == 0 && ::write(fd_, pid.data(), pid.size()) < 0) {
    // The pid is informative only.
  }
}

IndexLock::~IndexLock() {
  if (fd_ >= 0) ::close(fd_);
}

std::vector<std::string> read_stub(const std::string& db_dir) {
  std::ifstream in(schema::stub_path(db_dir));
  std::vector<std::string> dbs;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    auto sp = line.find(' ');
    if (sp == std::string::npos) continue;
    dbs.push_back(line.substr(sp + 1));
  }
  return dbs;
}

void write_stub(const std::string& db_dir, const std::vector<std::string>& databases) {
  std::string tmp = schema::stub_path(db_dir) + ".tmp";
  std::string text;
  for (const auto& d : databases) text += "glass " + d + "\n";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) throw Error(fmt::format("cannot write '{}': {}", tmp, std::strerror(errno)));
  bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) && ::fsync(fd) == 0;
  ::close(fd);
  if (!ok || ::rename(tmp.c_str(), schema::stub_path(db_dir).c_str()) != 0)
    throw Error(fmt::format("cannot write '{}': {}", schema::stub_path(db_dir), std::strerror(errno)));
  // Make the rename itself durable.
  int dfd = ::open(db_dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    ::fsync(dfd);
    ::close(dfd);
  }
}

std::vector<std::string> list_generations(const std::string& db_dir, const std::string& kind) {
  std::vector<std::string> out;
  std::error_code ec;
  for (fs::directory_iterator it(db_dir, ec), end; !ec && it != end; it.increment(ec)) {
    std::string n = it->path().filename().string();
    if (n.size() == kind.size() + 7 && n.compare(0, kind.size() + 1, kind + "-") == 0 &&
        std::all_of(n.begin() + kind.size() + 1, n.end(), ::isdigit))
      out.push_back(n);
  }
  std::sort(out.begin(), out.end());
  return out;
}

unsigned next_generation(const std::string& db_dir) {
  unsigned n = 0;
  for (const char* kind : {"gen", "build"})
    for (const auto& g : list_generations(db_dir, kind))
      n = std::max(n, static_cast<unsigned>(std::stoul(g.substr(g.find('-') + 1))));
  return n + 1;
}

std::string generation_name(const std::string& kind, unsigned n) { return fmt::format("{}-{:06d}", kind, n); }

void sync_tree(const std::string& path) {
  std::error_code ec;
  auto sync_one = [](const std::string& p, int flags) {
    int fd = ::open(p.c_str(), flags | O_CLOEXEC);
    if (fd >= 0) {
      ::fsync(fd);
      ::close(fd);
    }
  };
  for (fs::directory_iterator it(path, ec), end; !ec && it != end; it.increment(ec))
    if (it->is_regular_file()) sync_one(it->path().string(), O_RDONLY);
  sync_one(path, O_RDONLY | O_DIRECTORY);
}

std::uint64_t disk_usage(const std::string& path) {
  std::uint64_t total = 0;
  std::error_code ec;
  for (fs::recursive_directory_iterator it(path, ec), end; !ec && it != end; it.increment(ec)) {
    std::error_code ec2;
    if (it->is_regular_file(ec2)) total += it->file_size(ec2);
  }
  return total;
}

}  // namespace lipsteeth::indexer
