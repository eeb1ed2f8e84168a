// The layout of an index: one database, or shards listed by a Xapian stub
// file. lipsteeth reads the stub itself (Xapian could open it too) so that
// each shard is opened on its own: a shard that is down is named, a remote
// one gets a timeout, and each is checked for its schema and analyzer.
//
// A stub file has one shard a line (blank lines and lines starting with #
// are ignored):
//   auto PATH         a local database or lipsteeth index folder (its
//                     `current` stub), relative to the stub's folder unless
//                     absolute; also glass PATH, chert PATH
//   remote HOST:PORT  a database served by xapian-tcpsrv (or lipsteeth
//                     serve); also written remote :HOST:PORT
#pragma once

#include <string>
#include <vector>

namespace lipsteeth::searcher {

struct ShardSpec {
  std::string name;  // as the stub writes it: the path, or HOST:PORT
  bool remote = false;
  std::string path;  // local: the database to open (absolute or as given)
  std::string host;  // remote
  unsigned port = 0;
};

struct Layout {
  std::string path;         // the index folder or stub file, as given
  bool single = false;      // an index folder of one database
  std::string stub;         // the stub file (single: DIR/current)
  std::vector<ShardSpec> shards;  // empty when single
  std::string spelling;     // a sharded index's summed spelling data, or ""
};

// The layout at `path` (an index folder, a sharded index folder, or a stub
// file). Throws lipsteeth::IndexMissingError when there is nothing there or
// the stub cannot be read (its message names the line).
Layout read_layout(const std::string& path);

}  // namespace lipsteeth::searcher
