// The manual page (docs/lipsteeth.1) and the shell completions (completions/)
// against `--help`: every option a subcommand's help lists is documented in
// that subcommand's section of the page and offered by the completions, so
// that they cannot drift apart.
#include <catch2/catch.hpp>

#include <regex>
#include <set>
#include <string>
#include <vector>

#include "tests/test_support.h"

using lipsteeth::testing::run_cli;
using lipsteeth::testing::slurp;

namespace {

const std::string kSource = LIPSTEETH_SOURCE_DIR;

// The option names of a --help text: the first column of its "Options:" block.
std::set<std::string> help_options(const std::string& help) {
  std::set<std::string> names;
  bool in_options = false;
  std::size_t at = 0;
  while (at < help.size()) {
    std::size_t end = help.find('\n', at);
    if (end == std::string::npos) end = help.size();
    const std::string line = help.substr(at, end - at);
    at = end + 1;
    if (line.rfind("Options:", 0) == 0) in_options = true;
    else if (!line.empty() && line[0] != ' ') in_options = false;
    if (!in_options || line.rfind("  -", 0) != 0) continue;
    const std::string first = line.substr(2, line.find(' ', 2) - 2);
    std::size_t from = 0;
    while (from <= first.size()) {
      std::size_t comma = first.find(',', from);
      if (comma == std::string::npos) comma = first.size();
      names.insert(first.substr(from, comma - from));
      from = comma + 1;
    }
  }
  return names;
}

// The manual page as text: roff's "\-" as "-".
std::string man_text() {
  std::string s = slurp(kSource + "/docs/lipsteeth.1"), out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size() && s[i + 1] == '-') continue;
    out += s[i];
  }
  return out;
}

// The section of the page for `sub` (".SS lipsteeth SUB" up to the next heading).
std::string man_section(const std::string& man, const std::string& heading) {
  const std::size_t a = man.find(heading);
  if (a == std::string::npos) return {};
  std::size_t b = man.find("\n.S", a + heading.size());
  return man.substr(a, b == std::string::npos ? std::string::npos : b - a);
}

// Whether `text` holds `option` as a whole word (--limit, not --limit-x).
bool mentions(const std::string& text, const std::string& option) {
  const std::regex re("(^|[^-A-Za-z])" + std::regex_replace(option, std::regex("-"), "\\-") + "($|[^-A-Za-z])");
  return std::regex_search(text, re);
}

// Each subcommand: its words on the command line, which also name its
// section of the page (".SS lipsteeth actors trend") and its case in the
// bash completion ("actors trend").
const std::vector<std::vector<std::string>> kCommands = {
    {"index"}, {"search"}, {"analyze"}, {"actors"}, {"actors", "trend"}, {"actors", "with"}, {"stats"}, {"verify"}, {"serve"}};

std::string joined(const std::vector<std::string>& words) {
  std::string s;
  for (const auto& w : words) s += (s.empty() ? "" : " ") + w;
  return s;
}

lipsteeth::testing::CliRun help_of(const std::vector<std::string>& words) {
  std::vector<std::string> args(words.begin() + 1, words.end());
  args.push_back("--help");
  return run_cli(words[0], args);
}

// The options the bash completion offers `sub`: the `opts="..."` of the
// case whose labels (`a | b)` or `"actors trend")`) include it.
std::string bash_options(const std::string& bash, const std::string& sub) {
  std::size_t at = 0;
  while ((at = bash.find(") opts=\"", at)) != std::string::npos) {
    const std::size_t line = bash.rfind('\n', at) + 1;
    std::string labels = bash.substr(line, at - line);
    const std::size_t from = at + 8, to = bash.find('"', from);
    at = to;
    std::size_t p = 0;
    while (p <= labels.size()) {
      std::size_t bar = labels.find('|', p);
      if (bar == std::string::npos) bar = labels.size();
      std::string label = labels.substr(p, bar - p);
      label.erase(0, label.find_first_not_of(" \""));
      label.erase(label.find_last_not_of(" \"") + 1);
      if (label == sub) return " " + bash.substr(from, to - from) + " ";
      p = bar + 1;
    }
  }
  return {};
}

}  // namespace

TEST_CASE("help parsing finds every option of a help text", "[cli][man]") {
  const std::string help =
      "Usage: x [OPTIONS]\n\nPositionals:\n  paths TEXT ...  the paths\n\nOptions:\n"
      "  -h,--help                   Print this help message and exit\n"
      "  -j,--jobs UINT:UINT in [1 - 256]\n                              Threads\n"
      "  --color WHEN:{auto,always,never}=auto\n  --json  JSON\n\nExit codes: 0 ok\n  -x not an option\n";
  CHECK(help_options(help) == std::set<std::string>{"-h", "--help", "-j", "--jobs", "--color", "--json"});
  CHECK(mentions("see .B --limit here", "--limit"));
  const std::string bash = "    stats | verify) opts=\"--db --json\" ;;\n    \"actors trend\") opts=\"--year\" ;;\n";
  CHECK(bash_options(bash, "verify") == " --db --json ");
  CHECK(bash_options(bash, "actors trend") == " --year ");
  CHECK(bash_options(bash, "actors").empty());
  CHECK_FALSE(mentions("see --limits here", "--limit"));
}

TEST_CASE("the manual page documents every option that --help lists, in its subcommand's section",
          "[cli][man]") {
  const std::string man = man_text();
  const lipsteeth::testing::CliRun top = run_cli("--help", {});
  REQUIRE(top.code == 0);
  const std::string global = man_section(man, ".SH GLOBAL OPTIONS");
  for (const std::string& o : help_options(top.out)) {
    INFO("lipsteeth " << o);
    CHECK(mentions(global, o));
  }
  for (const auto& words : kCommands) {
    const std::string sub = joined(words);
    const lipsteeth::testing::CliRun help = help_of(words);
    REQUIRE(help.code == 0);
    const std::set<std::string> options = help_options(help.out);
    CHECK(options.size() >= 2);
    const std::string section = man_section(man, ".SS lipsteeth " + sub + " ");
    INFO("section of " << sub);
    REQUIRE_FALSE(section.empty());
    for (const std::string& o : options) {
      if (o == "-h" || o == "--help") continue;  // global
      INFO("lipsteeth " << sub << " " << o << " is missing from docs/lipsteeth.1");
      CHECK(mentions(section, o));
    }
  }
  // Every exit code of README's table.
  const std::string codes = man_section(man, ".SH EXIT STATUS");
  for (const char* c : {".B 0", ".B 1", ".B 2", ".B 3", ".B 4", ".B 5", ".B 6"}) CHECK(codes.find(c) != std::string::npos);
}

TEST_CASE("the bash, zsh and fish completions offer every option that --help lists", "[cli][man]") {
  const std::string bash = slurp(kSource + "/completions/lipsteeth.bash");
  const std::string zsh = slurp(kSource + "/completions/_lipsteeth");
  const std::string fish = slurp(kSource + "/completions/lipsteeth.fish");
  for (const auto& words : kCommands) {
    const std::string sub = joined(words);
    const lipsteeth::testing::CliRun help = help_of(words);
    REQUIRE(help.code == 0);
    const std::string bash_opts = bash_options(bash, sub);
    INFO("bash completion of " << sub);
    REQUIRE_FALSE(bash_opts.empty());
    for (const std::string& o : help_options(help.out)) {
      INFO("lipsteeth " << sub << " " << o);
      CHECK(bash_opts.find(" " + o + " ") != std::string::npos);
      CHECK(mentions(zsh, o));
      const bool long_name = o.rfind("--", 0) == 0;
      CHECK(mentions(fish, long_name ? "-l " + o.substr(2) : "-s " + o.substr(1)));
    }
  }
}
