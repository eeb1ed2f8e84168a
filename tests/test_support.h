// Helpers shared by the test files: reading fixtures, scratch folders, and
// running the built `lipsteeth` binary the way a user's shell would.
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

namespace lipsteeth::testing {

namespace fs = std::filesystem;

// The whole file as bytes; fails the test when it cannot be opened.
inline std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE(in.good());
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// `s` quoted for /bin/sh.
inline std::string shell_quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

// A scratch folder under the system temp dir, removed when the test ends.
struct TempDir {
  fs::path path;
  explicit TempDir(const std::string& prefix = "lipsteeth-test") {
    static int n = 0;
    path = fs::temp_directory_path() / (prefix + "-" + std::to_string(::getpid()) + "-" + std::to_string(n++));
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  // Writes `bytes` to path/name (creating folders) and returns the full path.
  fs::path write(const std::string& name, const std::string& bytes) const {
    fs::create_directories((path / name).parent_path());
    std::ofstream(path / name, std::ios::binary) << bytes;
    return path / name;
  }
};

// What one run of the CLI gave.
struct CliRun {
  int code = -1;
  std::string out, err;
};

// Runs `command` through /bin/sh, with stdout and stderr captured separately.
inline CliRun run_shell(const std::string& command) {
  TempDir tmp("lipsteeth-cli-run");
  const std::string cmd = command + " 2>" + shell_quote((tmp.path / "stderr").string());
  CliRun r;
  FILE* p = ::popen(cmd.c_str(), "r");
  REQUIRE(p != nullptr);
  char buf[65536];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
  const int status = ::pclose(p);
  REQUIRE(WIFEXITED(status));
  r.code = WEXITSTATUS(status);
  r.err = slurp(tmp.path / "stderr");
  return r;
}

// Runs `lipsteeth SUBCOMMAND ARGS...` (the binary under test, LIPSTEETH_BIN)
// through the shell, with stdout and stderr captured separately.
inline CliRun run_cli(const std::string& subcommand, const std::vector<std::string>& args) {
  std::string cmd = shell_quote(LIPSTEETH_BIN) + " " + subcommand;
  for (const auto& a : args) cmd += " " + shell_quote(a);
  return run_shell(cmd);
}

}  // namespace lipsteeth::testing
