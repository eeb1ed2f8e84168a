// lipsteeth serve: one shard over Xapian's remote protocol, read-only, by
// running the stock xapian-tcpsrv (Debian's xapian-tools) with lipsteeth's
// defaults: bound to 127.0.0.1 unless told otherwise (docs/scaling.md says
// how to reach it through a firewall or an SSH tunnel).
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <memory>

#include <fmt/format.h>

#include "analyzers/error.h"
#include "analyzers/schema.h"
#include "cli/common.h"

namespace lipsteeth::cli {

namespace {

struct ServeArgs {
  std::string db;
  unsigned port = 0;
  std::string host = "127.0.0.1";
  std::string server = "xapian-tcpsrv";
  double timeout = 60;
};

int run_serve(const ServeArgs& a) {
  namespace fs = std::filesystem;
  const std::string dir = a.db.empty() ? schema::default_db_path() : a.db;
  std::error_code ec;
  std::string database = dir;
  // A lipsteeth index folder is served through its stub, which a run
  // points at each new generation: every connection opens the live one.
  if (fs::is_directory(dir, ec) && fs::is_regular_file(schema::stub_path(dir), ec)) database = schema::stub_path(dir);
  else if (fs::is_regular_file(dir + "/shards", ec))
    throw UsageError(fmt::format("'{}' is a sharded index: serve each shard (--db {}/shard-00, ...) on a port of "
                                 "its own",
                                 dir, dir));
  else if (!fs::exists(dir, ec))
    throw IndexMissingError(fmt::format("no index at '{}'", dir));
  const std::string port = std::to_string(a.port);
  const std::string idle = std::to_string(static_cast<long>(a.timeout * 1000));
  std::vector<std::string> argv_s = {a.server, "--port", port, "--interface", a.host, "--idle-timeout", idle,
                                     database};
  std::vector<char*> argv;
  for (auto& s : argv_s) argv.push_back(s.data());
  argv.push_back(nullptr);
  print_warning(fmt::format("serving {} on {}:{} (read-only) with {}", database, a.host, a.port, a.server));
  std::fflush(stderr);
  ::execvp(argv[0], argv.data());
  throw Error(fmt::format("cannot run {}: {} (install Debian's xapian-tools)", a.server, std::strerror(errno)));
}

}  // namespace

Command setup_serve(CLI::App& parent) {
  auto args = std::make_shared<ServeArgs>();
  auto* sub = parent.add_subcommand(
      "serve",
      "Serve one index (a shard) read-only over Xapian's remote protocol with xapian-tcpsrv, for a stub\n"
      "line `remote HOST:PORT` on the searching machine (docs/scaling.md). Runs until stopped.\n"
      "Exit codes: 3 no index, 6 xapian-tcpsrv cannot be run.");
  sub->add_option("--db", args->db, "Index folder of the shard (default: see lipsteeth index --help)");
  sub->add_option("--port", args->port, "TCP port to listen on")->required()->check(CLI::Range(1u, 65535u));
  sub->add_option("--host", args->host,
                  "Address to listen on (default 127.0.0.1: reach it through an SSH tunnel; 0.0.0.0 for every "
                  "interface, behind a firewall)");
  sub->add_option("--idle-timeout", args->timeout, "Seconds a connection may stay idle before the server drops it")
      ->check(CLI::Range(1.0, 86400.0))
      ->default_val(60);
  return {sub, [args] { return run_serve(*args); }};
}

}  // namespace lipsteeth::cli
