#include "searcher/layout.h"

#include <charconv>
#include <filesystem>
#include <fstream>

#include <fmt/format.h>

#include "analyzers/error.h"
#include "analyzers/schema.h"

namespace lipsteeth::searcher {

namespace fs = std::filesystem;

namespace {

std::string trim(const std::string& s) {
  const auto a = s.find_first_not_of(" \t\r");
  if (a == std::string::npos) return {};
  const auto b = s.find_last_not_of(" \t\r");
  return s.substr(a, b - a + 1);
}

ShardSpec parse_line(const std::string& stub, const std::string& folder, unsigned line_no, const std::string& line) {
  const auto sp = line.find_first_of(" \t");
  const std::string type = line.substr(0, sp);
  const std::string arg = sp == std::string::npos ? std::string() : trim(line.substr(sp));
  const auto bad = [&](const std::string& why) {
    return IndexMissingError(fmt::format("cannot read the stub '{}', line {} ('{}'): {}", stub, line_no, line, why));
  };
  ShardSpec s;
  if (type == "auto" || type == "glass" || type == "chert") {
    if (arg.empty()) throw bad("no path");
    s.name = arg;
    s.path = arg[0] == '/' ? arg : folder + "/" + arg;
    // A lipsteeth index folder: its live generation, through its stub.
    std::error_code ec;
    if (fs::is_directory(s.path, ec) && fs::is_regular_file(schema::stub_path(s.path), ec))
      s.path = schema::stub_path(s.path);
    return s;
  }
  if (type == "remote") {
    std::string hp = arg;
    if (!hp.empty() && hp[0] == ':') hp.erase(0, 1);
    const auto colon = hp.rfind(':');
    unsigned port = 0;
    if (colon == std::string::npos || colon == 0 ||
        std::from_chars(hp.data() + colon + 1, hp.data() + hp.size(), port).ec != std::errc() || port == 0 ||
        port > 65535)
      throw bad("a remote shard is written 'remote HOST:PORT'");
    s.remote = true;
    s.name = hp;
    s.host = hp.substr(0, colon);
    s.port = port;
    return s;
  }
  throw bad("lipsteeth reads shards of type auto, glass, chert and remote (HOST:PORT)");
}

}  // namespace

Layout read_layout(const std::string& path) {
  Layout l;
  l.path = path;
  std::error_code ec;
  std::string stub;
  if (fs::is_directory(path, ec)) {
    if (fs::exists(schema::stub_path(path), ec) || !fs::exists(path + "/shards", ec)) {
      l.single = true;
      l.stub = schema::stub_path(path);
      return l;
    }
    stub = path + "/shards";
  } else if (fs::is_regular_file(path, ec)) {
    stub = path;
  } else {
    // Missing: reported as a missing index folder by the caller.
    l.single = true;
    l.stub = schema::stub_path(path);
    return l;
  }
  l.stub = stub;
  const std::string folder = fs::path(stub).parent_path().empty() ? "." : fs::path(stub).parent_path().string();
  std::ifstream in(stub);
  if (!in) throw IndexMissingError(fmt::format("cannot read the stub '{}'", stub));
  std::string line;
  unsigned n = 0;
  while (std::getline(in, line)) {
    ++n;
    line = trim(line);
    if (line.empty() || line[0] == '#') continue;
    l.shards.push_back(parse_line(stub, folder, n, line));
  }
  if (l.shards.empty()) throw IndexMissingError(fmt::format("the stub '{}' lists no shard", stub));
  if (fs::is_directory(folder + "/spelling", ec)) l.spelling = folder + "/spelling";
  return l;
}

}  // namespace lipsteeth::searcher
