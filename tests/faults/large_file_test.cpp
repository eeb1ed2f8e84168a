// Issue 20, fault 9, the file's half: one very large file is indexed in
// memory bounded by a small multiple of its size (it took 35 to 47 times
// its size), and a large file's update replaces its passages in place.
#include <catch2/catch.hpp>

#include <sys/resource.h>
#include <sys/wait.h>

#include <fmt/format.h>

#include "tests/faults/fault_fixture.h"

using namespace lipsteeth;
using namespace lipsteeth::testing;

namespace {

// One file of the seed articles one after another, each copy numbered,
// until it holds at least `bytes`; the last paragraph names `last_word`.
std::string concatenated_seeds(std::size_t bytes, const std::string& last_word) {
  std::vector<std::string> seeds;
  for (const auto& p : seed_articles()) seeds.push_back(slurp(p));
  std::string out;
  for (std::size_t i = 0; out.size() < bytes; ++i)
    out += fmt::format("{}\n\nCopy {} of the reports ends here.\n\n", seeds[i % seeds.size()], i);
  out += fmt::format("The last paragraph of the file names the {} once, and nothing else does.\n", last_word);
  return out;
}

struct Measured {
  CliResult result;
  long max_rss_kb = 0;
};

// Runs the CLI and reads the child's peak resident set from wait4.
Measured run_measured(const std::vector<std::string>& args, const fs::path& io_dir) {
  pid_t pid = spawn_cli({args, {}, false}, io_dir);
  int status = 0;
  struct rusage ru {};
  ::wait4(pid, &status, 0, &ru);
  Measured m;
  m.result.code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  m.result.out = slurp(io_dir / "stdout");
  m.result.err = slurp(io_dir / "stderr");
  m.max_rss_kb = ru.ru_maxrss;
  return m;
}

#if defined(__SANITIZE_ADDRESS__)
constexpr bool kSanitized = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool kSanitized = true;
#else
constexpr bool kSanitized = false;
#endif
#else
constexpr bool kSanitized = false;
#endif

}  // namespace

TEST_CASE("issue 20 fault 9: one very large file is indexed in memory bounded by a few times its size",
          "[faults][large]") {
  if (kSanitized) {
    WARN("skipped: AddressSanitizer's shadow memory and quarantine make peak RSS no measure of the indexer's");
    return;
  }
  TempDir t;
  const fs::path small = t.path / "small", large = t.path / "large";
  copy_seed_corpus(small);
  const std::string text = concatenated_seeds(24u << 20, "zanzibarite");
  spit(large / "all-reports.txt", text);

  // The same process indexing five short articles: what is not the file's.
  Measured base = run_measured({"index", "--db", (t.path / "db-small").string(), "--quiet", small.string()}, t.path);
  REQUIRE(base.result.code == 0);
  Measured big = run_measured({"index", "--db", (t.path / "db-large").string(), "--quiet", large.string()}, t.path);
  INFO(big.result.err);
  REQUIRE(big.result.code == 0);
  const double mb = static_cast<double>(text.size()) / (1 << 20);
  const double extra_mb = static_cast<double>(big.max_rss_kb - base.max_rss_kb) / 1024;
  INFO(fmt::format("{:.1f} MB file: peak RSS {:.0f} MB, {:.0f} MB above five short articles' {:.0f} MB", mb,
                   big.max_rss_kb / 1024.0, extra_mb, base.max_rss_kb / 1024.0));
  // The file's bytes, its decoded text and its body (three copies), one
  // window of tokens and one batch of Xapian's postings: measured 193 MB
  // for this 24 MB file, 740 MB for a 200 MB one. With all its tokens at
  // once (no windows) it took some 130 MB more; with all its documents at
  // once as well, about 35 times its size.
  CHECK(extra_mb < 4 * mb + 128);

  // Every passage is there, the last one too, and the index is sound.
  CliResult found = run_cli({{"search", "--db", (t.path / "db-large").string(), "--json", "zanzibarite"}, {}, false},
                            t.path);
  INFO(found.err);
  REQUIRE(found.code == 0);
  const auto j = nlohmann::json::parse(found.out);
  CHECK(j.at("total").get<int>() == 1);
  CliResult v = run_cli({{"verify", "--db", (t.path / "db-large").string()}, {}, false}, t.path);
  INFO(v.out << v.err);
  CHECK(v.code == 0);
}

TEST_CASE("issue 20 fault 9: a large file's update replaces its passages, as a rebuild indexes them",
          "[faults][large]") {
  TempDir t;
  const fs::path corpus = t.path / "corpus", db = t.path / "db", fresh = t.path / "fresh";
  copy_seed_corpus(corpus);
  // Past the size whose documents the incremental run's writer builds
  // itself (512 passages), below the analysis window.
  std::string text = concatenated_seeds(700u << 10, "quokkaphile");
  spit(corpus / "reports.txt", text);
  auto cli = [&](std::vector<std::string> args) { return run_cli({std::move(args), {}, false}, t.path); };
  REQUIRE(cli({"index", "--db", db.string(), "-j", "2", corpus.string()}).code == 0);

  // An edit in the middle and a paragraph more at the end.
  const std::size_t mid = text.find("Copy 40 of the reports");
  REQUIRE(mid != std::string::npos);
  text.replace(mid, 4, "Copy (edited, with a wombatoid)");
  text += "\nA paragraph added at the end names the aardvarkian, which no other passage does at all.\n";
  spit(corpus / "reports.txt", text);
  bump_mtime(corpus / "reports.txt", 5);
  CliResult r = cli({"index", "--db", db.string(), "-j", "2", "--json"});
  INFO(r.err);
  REQUIRE(r.code == 0);
  CHECK(nlohmann::json::parse(r.out).at("updated").get<int>() == 1);
  REQUIRE(cli({"index", "--db", fresh.string(), "-j", "2", corpus.string()}).code == 0);

  CliResult v = cli({"verify", "--db", db.string()});
  INFO(v.out << v.err);
  CHECK(v.code == 0);
  auto stats = [&](const fs::path& d) { return nlohmann::json::parse(cli({"stats", "--db", d.string(), "--json"}).out); };
  CHECK(stats(db).at("passages") == stats(fresh).at("passages"));
  for (const char* word : {"quokkaphile", "wombatoid", "aardvarkian"}) {
    INFO(word);
    auto hits = [&](const fs::path& d) {
      return nlohmann::json::parse(cli({"search", "--db", d.string(), "--json", word}).out).at("total").get<int>();
    };
    CHECK(hits(db) == 1);
    CHECK(hits(fresh) == 1);
  }
}
