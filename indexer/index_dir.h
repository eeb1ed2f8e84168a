// The index directory: its lock, its stub and its generations (see indexer.h).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace lipsteeth::indexer {

// Holds an exclusive flock() on DIR/lock for its lifetime. Throws
// lipsteeth::IndexLockedError when another process holds it, lipsteeth::Error
// when the directory cannot be created.
class IndexLock {
 public:
  explicit IndexLock(const std::string& db_dir);
  ~IndexLock();
  IndexLock(const IndexLock&) = delete;
  IndexLock& operator=(const IndexLock&) = delete;

 private:
  int fd_ = -1;
};

// The databases the stub DIR/current names, as paths relative to DIR
// (e.g. {"gen-000003"} or the shards of a first build in progress). Empty
// when there is no stub.
std::vector<std::string> read_stub(const std::string& db_dir);

// The path of a database the stub names: `part` itself when absolute,
// else relative to DIR.
inline std::string stub_part_path(const std::string& db_dir, const std::string& part) {
  return !part.empty() && part[0] == '/' ? part : db_dir + "/" + part;
}

// Atomically replaces DIR/current by a stub naming `databases` (relative to
// DIR): written to a temporary file, fsync()ed, renamed over the old one.
void write_stub(const std::string& db_dir, const std::vector<std::string>& databases);

// Names in DIR of the form gen-NNNNNN / build-NNNNNN, sorted.
std::vector<std::string> list_generations(const std::string& db_dir, const std::string& kind);

// The next unused generation number in DIR.
unsigned next_generation(const std::string& db_dir);

// "gen-000007" / "build-000007".
std::string generation_name(const std::string& kind, unsigned n);

// fsync()s every file under `path` and the folder itself (before a new
// generation is published).
void sync_tree(const std::string& path);

// Total size of the files under `path`, in bytes.
std::uint64_t disk_usage(const std::string& path);

}  // namespace lipsteeth::indexer
