// Fault 11: an installed binary must not need the checkout it was built from.
// `cmake --install` into a DESTDIR, then the installed binary indexes and
// searches a copy of the corpus from a scratch folder, with the variables that
// point at data unset; its data comes from the installed share/lipsteeth/.
#include <catch2/catch.hpp>

#include <filesystem>
#include <string>

#include "tests/test_support.h"

namespace fs = std::filesystem;
using lipsteeth::testing::CliRun;
using lipsteeth::testing::run_shell;
using lipsteeth::testing::shell_quote;
using lipsteeth::testing::slurp;
using lipsteeth::testing::TempDir;

namespace {

// Runs `command` under /bin/sh in `cwd`, with the variables that name data,
// an index or colours unset; stdout and stderr captured apart.
CliRun sh(const fs::path& cwd, const std::string& command) {
  return run_shell("cd " + shell_quote(cwd.string()) +
                   " && env -u LIPSTEETH_DATA_DIR -u LIPSTEETH_ACTORS -u LIPSTEETH_DB -u XDG_DATA_HOME " + command);
}

bool has(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

// One installation per test run: DESTDIR/usr/... from `cmake --install`.
struct Installed {
  TempDir dest{"lipsteeth-destdir"};
  fs::path usr = dest.path / "usr";
  fs::path bin = usr / "bin" / "lipsteeth";
  CliRun install;
  Installed() {
    install = sh(dest.path, "DESTDIR=" + shell_quote(dest.path.string()) + " " + shell_quote(LIPSTEETH_CMAKE) +
                                " --install " + shell_quote(LIPSTEETH_BUILD_DIR) + " --prefix /usr --component runtime");
  }
};

}  // namespace

TEST_CASE("cmake --install lays out the binary, data, manual page, completions and units", "[faults][install]") {
  Installed in;
  INFO(in.install.out << in.install.err);
  REQUIRE(in.install.code == 0);
  const fs::path share = in.usr / "share";
  for (const fs::path& p : {in.bin, share / "lipsteeth" / "actors.tsv", share / "man" / "man1" / "lipsteeth.1",
                            share / "bash-completion" / "completions" / "lipsteeth",
                            share / "zsh" / "site-functions" / "_lipsteeth",
                            share / "fish" / "vendor_completions.d" / "lipsteeth.fish",
                            in.usr / "lib" / "systemd" / "user" / "lipsteeth-index.service",
                            in.usr / "lib" / "systemd" / "user" / "lipsteeth-index.timer",
                            share / "doc" / "lipsteeth" / "examples" / "crontab"}) {
    INFO(p);
    CHECK(fs::is_regular_file(p));
  }
  // Every data file the code reads, as in the checkout.
  for (const char* name : {"actors.tsv", "events.tsv"}) {
    INFO(name);
    REQUIRE(fs::is_regular_file(share / "lipsteeth" / name));
    CHECK(slurp(share / "lipsteeth" / name) == slurp(std::string(LIPSTEETH_SOURCE_DIR) + "/data/" + name));
  }
  // The units and the crontab line run the installed binary.
  const std::string unit = slurp(in.usr / "lib" / "systemd" / "user" / "lipsteeth-index.service");
  CHECK(has(unit, "ExecStart=/usr/bin/lipsteeth "));
  CHECK_FALSE(has(unit, "/usr/local/bin"));
  CHECK(has(slurp(share / "doc" / "lipsteeth" / "examples" / "crontab"), "/usr/bin/lipsteeth index"));
}

TEST_CASE("the installed binary indexes and searches with its installed gazetteer, away from the checkout",
          "[faults][install]") {
  Installed in;
  REQUIRE(in.install.code == 0);
  TempDir work("lipsteeth-installed-work");
  fs::copy(fs::path(LIPSTEETH_SOURCE_DIR) / "corpus", work.path / "corpus", fs::copy_options::recursive);
  // An actor only the installed gazetteer has: seen in the results, it proves
  // which file was read.
  const fs::path gazetteer = in.usr / "share" / "lipsteeth" / "actors.tsv";
  std::string tsv = slurp(gazetteer);
  tsv += "delegation-word\tDelegation Marker\torganization\tdelegations\n";
  work.write("gaz.tmp", tsv);
  fs::copy_file(work.path / "gaz.tmp", gazetteer, fs::copy_options::overwrite_existing);
  const std::string bin = shell_quote(in.bin.string());

  const CliRun index = sh(work.path, bin + " index --quiet --db idx corpus");
  INFO(index.err);
  REQUIRE(index.code == 0);
  const CliRun search = sh(work.path, bin + " search --db idx --json --actor 'Delegation Marker' delegations");
  INFO(search.err);
  CHECK(search.code == 0);
  CHECK(has(search.out, "\"delegation-word\""));
  const CliRun listed = sh(work.path, bin + " actors");
  CHECK(listed.code == 0);
  CHECK(has(listed.out, "Delegation Marker"));

  SECTION("a moved installation still finds its data beside it") {
    fs::rename(in.usr, in.dest.path / "opt");
    const CliRun moved = sh(work.path, shell_quote((in.dest.path / "opt" / "bin" / "lipsteeth").string()) + " actors");
    CHECK(moved.code == 0);
    CHECK(has(moved.out, "Delegation Marker"));
  }
  SECTION("LIPSTEETH_DATA_DIR overrides the installed data folder") {
    work.write("mydata/actors.tsv", "only-one\tOnly One Actor\tperson\tOnly One\n");
    const CliRun over = sh(work.path, "LIPSTEETH_DATA_DIR=" + shell_quote((work.path / "mydata").string()) + " " +
                                          bin + " actors");
    CHECK(over.code == 0);
    CHECK(has(over.out, "Only One Actor"));
    CHECK_FALSE(has(over.out, "Delegation Marker"));
  }
  SECTION("without its data the installed binary says where it looked, and never reads the checkout") {
    fs::remove(gazetteer);
    const CliRun missing = sh(work.path, bin + " index --quiet --db idx2 corpus");
    if (fs::exists("/usr/share/lipsteeth/actors.tsv") || fs::exists("/usr/local/share/lipsteeth/actors.tsv")) {
      WARN("a lipsteeth is installed on this machine: the compiled-in data folder exists, not checked");
      return;
    }
    CHECK(missing.code == 2);
    CHECK(has(missing.err, "no gazetteer found"));
    CHECK(has(missing.err, (in.usr / "share" / "lipsteeth" / "actors.tsv").string()));
    CHECK_FALSE(has(missing.err, std::string(LIPSTEETH_SOURCE_DIR) + "/data"));
    CHECK_FALSE(fs::exists(work.path / "idx2" / "current"));
  }
}
