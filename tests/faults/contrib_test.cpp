// Issue 20, fault 1's other half: the bundled cron line and systemd unit must
// report the exit codes of a refused run (7) and of a failed gate (8) as
// failures, and still take 0, 4 and 5 as success.
#include <catch2/catch.hpp>

#include <cstdio>
#include <sstream>

#include "tests/faults/fault_fixture.h"

using namespace lipsteeth::testing;

namespace {

const fs::path kContrib = fs::path(LIPSTEETH_SOURCE_DIR) / "contrib";

// The crontab's one job line.
std::string cron_line() {
  std::istringstream in(slurp(kContrib / "crontab"));
  for (std::string line; std::getline(in, line);)
    if (!line.empty() && line[0] != '#') return line;
  return {};
}

// What the cron line's exit handling prints when the command exits `rc`.
std::string cron_report(int rc) {
  const std::string line = cron_line();
  const auto at = line.find("rc=$?;");
  REQUIRE(at != std::string::npos);
  const std::string script = "rc=" + std::to_string(rc) + ";" + line.substr(at + 6);
  TempDir t;
  spit(t.path / "handle.sh", script + "\n");
  std::string out;
  FILE* p = ::popen(("bash " + (t.path / "handle.sh").string()).c_str(), "r");
  REQUIRE(p);
  char buf[512];
  while (std::size_t n = std::fread(buf, 1, sizeof buf, p)) out.append(buf, n);
  ::pclose(p);
  return out;
}

}  // namespace

TEST_CASE("the cron line runs a gated build and reports exit codes 7 and 8 as failures", "[faults][contrib]") {
  CHECK_THAT(cron_line(), Catch::Contains("lipsteeth index") && Catch::Contains("--gate"));
  for (int rc : {0, 4, 5}) {
    INFO("exit code " << rc);
    CHECK(cron_report(rc).empty());
  }
  for (int rc : {2, 3, 6, 7, 8}) {
    INFO("exit code " << rc);
    CHECK_THAT(cron_report(rc), Catch::Contains("failed with exit code " + std::to_string(rc)));
  }
}

TEST_CASE("the systemd unit runs a gated build and counts only 0, 4 and 5 as success", "[faults][contrib]") {
  std::istringstream in(slurp(kContrib / "lipsteeth-index.service"));
  std::vector<int> success;
  std::string exec;
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("SuccessExitStatus=", 0) == 0) {
      std::istringstream codes(line.substr(18));
      for (int c; codes >> c;) success.push_back(c);
    }
    if (line.rfind("ExecStart=", 0) == 0) exec = line;
  }
  CHECK(success == std::vector<int>{4, 5});
  CHECK_THAT(exec, Catch::Contains("lipsteeth index") && Catch::Contains("--gate"));
}
