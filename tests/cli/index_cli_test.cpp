// `lipsteeth index`, `stats` and `verify` as cron runs them: the built binary
// on temporary corpora, checking stdout, stderr and exit codes; a run killed
// with SIGKILL; a second run while the first holds the lock.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "indexer/indexer.h"
#include "tests/indexer/index_fixture.h"

using namespace lipsteeth;
using namespace lipsteeth::testing;
using json = nlohmann::json;

namespace {

const std::string kBin = LIPSTEETH_BIN;

struct Result {
  int code = -1;
  std::string out, err;
};

// Starts the CLI with stdout/stderr going to files under `dir`; returns the pid.
pid_t spawn(const std::vector<std::string>& args, const fs::path& dir) {
  pid_t pid = ::fork();
  if (pid == 0) {
    int o = ::open((dir / "stdout").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int e = ::open((dir / "stderr").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ::dup2(o, 1);
    ::dup2(e, 2);
    std::vector<char*> argv;
    argv.push_back(const_cast<char*>(kBin.c_str()));
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    ::execv(kBin.c_str(), argv.data());
    ::_exit(127);
  }
  return pid;
}

Result finish(pid_t pid, const fs::path& dir) {
  int status = 0;
  ::waitpid(pid, &status, 0);
  Result r;
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.out = slurp(dir / "stdout");
  r.err = slurp(dir / "stderr");
  return r;
}

Result run(const std::vector<std::string>& args, const fs::path& dir) { return finish(spawn(args, dir), dir); }

// Documents in the index right now, as a searcher opening it would see them.
Xapian::doccount searchable_docs(const fs::path& db) {
  try {
    Xapian::Database d((db / "current").string());
    return d.get_doccount();
  } catch (const Xapian::Error&) {
    return 0;
  }
}

// A search a user could run: articles matching a word.
Xapian::doccount matches(const fs::path& db, const std::string& term) {
  Xapian::Database d((db / "current").string());
  Xapian::Enquire enq(d);
  enq.set_query(Xapian::Query(term));
  return enq.get_mset(0, 10).get_matches_estimated();
}

// Kills `pid` with SIGKILL once the index at `db` shows more than `above`
// searchable passages (some batches committed). False if it ended first.
bool kill_after_commits(pid_t pid, const fs::path& db, Xapian::doccount above) {
  for (int i = 0; i < 6000; ++i) {
    int status;
    if (::waitpid(pid, &status, WNOHANG) == pid) return false;
    if (searchable_docs(db) > above) {
      ::kill(pid, SIGKILL);
      return true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ::kill(pid, SIGKILL);
  return true;
}

}  // namespace

TEST_CASE("index prints a one-line summary and exits 0, then --json on an unchanged corpus", "[cli][index]") {
  TempDir t;
  copy_seed_corpus(t.path / "corpus");
  std::string db = (t.path / "db").string();
  auto r = run({"index", "--db", db, (t.path / "corpus").string()}, t.path);
  CHECK(r.code == 0);
  CHECK(r.err.empty());
  CHECK(r.out.find("5 added, 0 updated, 0 removed, 0 unchanged, 0 skipped") != std::string::npos);
  CHECK(std::count(r.out.begin(), r.out.end(), '\n') == 1);

  // No PATH: the corpus recorded by the previous run.
  auto r2 = run({"index", "--db", db, "--json"}, t.path);
  CHECK(r2.code == 0);
  auto j = json::parse(r2.out);
  CHECK(j["unchanged"] == 5);
  CHECK(j["mode"] == "incremental");
  CHECK(j["skipped"] == 0);

  auto st = run({"stats", "--db", db, "--json"}, t.path);
  CHECK(st.code == 0);
  CHECK(json::parse(st.out)["articles"] == 5);
  auto v = run({"verify", "--db", db}, t.path);
  CHECK(v.code == 0);
  CHECK(v.out.find("index ok: 5 articles checked") == 0);
}

TEST_CASE("skipped files give exit 5 with a reason each, --quiet keeps only the unreadable", "[cli][index]") {
  TempDir t;
  fs::path c = t.path / "corpus";
  copy_seed_corpus(c);
  spit(c / "notes.rtf", "{\\rtf1 not an article}");
  spit(c / "bad.txt", std::string("\0\0\0\0binary", 10));
  spit(c / ".hidden.txt", "hidden");
  std::string db = (t.path / "db").string();
  auto r = run({"index", "--db", db, c.string()}, t.path);
  CHECK(r.code == 5);
  CHECK(r.err.find("skipped " + (c / "notes.rtf").string() + ": unsupported extension .rtf") != std::string::npos);
  CHECK(r.err.find("skipped " + (c / "bad.txt").string() + ": binary file") != std::string::npos);
  CHECK(r.err.find(".hidden.txt") == std::string::npos);  // hidden files are left out silently
  CHECK(r.out.find("3 skipped (binary file: 1, hidden file: 1, unsupported extension .rtf: 1)") != std::string::npos);

  auto q = run({"index", "-q", "--db", db, c.string()}, t.path);
  CHECK(q.code == 5);
  CHECK(q.out.empty());
  CHECK(q.err.find("bad.txt: binary file") != std::string::npos);
  CHECK(q.err.find("notes.rtf") == std::string::npos);

  // Only hidden files and editor temporaries left out: a clean exit.
  fs::remove(c / "notes.rtf");
  fs::remove(c / "bad.txt");
  CHECK(run({"index", "-q", "--db", db, c.string()}, t.path).code == 0);
}

TEST_CASE("a JSON Lines malformed line is reported with its line number", "[cli][index][jsonl]") {
  TempDir t;
  fs::path c = t.path / "corpus";
  spit(c / "a.jsonl", "{\"id\":\"x1\",\"title\":\"T\",\"text\":\"Kim Jong Un met Xi Jinping.\"}\n{\"id\":\"x2\",\n");
  auto r = run({"index", "--db", (t.path / "db").string(), c.string()}, t.path);
  CHECK(r.code == 5);
  CHECK(r.err.find((c / "a.jsonl").string() + ":2: malformed JSON Lines record") != std::string::npos);
  CHECK(r.out.find("1 added") != std::string::npos);
}

TEST_CASE("a second index run is refused with exit 4 while the first holds the lock", "[cli][index][lock]") {
  TempDir t;
  fs::path c = t.path / "corpus";
  write_generated_corpus(c, 150);
  fs::path d1 = t.path / "first", d2 = t.path / "second";
  fs::create_directories(d1);
  fs::create_directories(d2);
  std::string db = (t.path / "db").string();
  pid_t first = spawn({"index", "-q", "--db", db, "--jobs", "1", c.string()}, d1);
  // Wait for the first run to take the lock (its pid is written into the lock file).
  for (int i = 0; i < 2000 && slurp(t.path / "db" / "lock").empty(); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  auto second = run({"index", "--db", db, c.string()}, d2);
  auto r1 = finish(first, d1);
  CHECK(r1.code == 0);
  CHECK(second.code == 4);
  CHECK(second.err == "lipsteeth: cannot index into '" + db + "': another index run holds the lock\n");
  // The lock dies with its holder: the next run proceeds.
  CHECK(run({"index", "-q", "--db", db, c.string()}, d2).code == 0);
}

TEST_CASE("an index run killed with SIGKILL leaves a searchable index and the next run completes",
          "[cli][index][crash]") {
  TempDir t;
  fs::path c = t.path / "corpus";
  write_generated_corpus(c, 200);  // about 1.8 MB
  fs::path db = t.path / "db";

  SECTION("first build killed mid-way") {
    pid_t pid = spawn({"index", "-q", "--db", db.string(), "--jobs", "2", "--batch-mb", "0.05", c.string()}, t.path);
    bool killed = kill_after_commits(pid, db, 0);
    auto r = finish(pid, t.path);
    REQUIRE(killed);
    CHECK(r.code == 128 + SIGKILL);
    // What was committed is searchable (the shards of the build, published
    // through the stub after their first commit).
    CHECK(searchable_docs(db) > 0);
    CHECK(matches(db, "korea") > 0);
  }
  SECTION("incremental run killed mid-way") {
    // Index a quarter first, then add the rest and kill the update.
    fs::path part = t.path / "part";
    fs::create_directories(part);
    for (int i = 0; i < 50; ++i) {
      char name[32];
      std::snprintf(name, sizeof name, "a%05d.txt", i);
      fs::rename(c / name, part / name);
    }
    REQUIRE(run({"index", "-q", "--db", db.string(), c.string()}, t.path).code == 0);
    Xapian::doccount before = searchable_docs(db);
    for (const auto& e : fs::directory_iterator(part)) fs::rename(e.path(), c / e.path().filename());
    pid_t pid = spawn({"index", "-q", "--db", db.string(), "--jobs", "2", "--batch-mb", "0.05", c.string()}, t.path);
    bool killed = kill_after_commits(pid, db, before);
    auto r = finish(pid, t.path);
    REQUIRE(killed);
    CHECK(r.code == 128 + SIGKILL);
    CHECK(searchable_docs(db) > before);
    CHECK(matches(db, "korea") > 0);
    IndexView v(db);
    CHECK(v.files.size() < 200);  // killed before the end
    CHECK(v.consistent());        // each committed article has exactly its passages
  }
  // The next run finishes the work: every article in, verify clean.
  auto r = run({"index", "--db", db.string(), "--json", c.string()}, t.path);
  CHECK(r.code == 0);
  auto j = json::parse(r.out);
  CHECK(j["articles_total"] == 200);
  IndexView v(db);
  CHECK(v.files.size() == 200);
  CHECK(v.consistent());
  CHECK(v.has_term_in("item199", "a00199.txt"));
  auto ver = run({"verify", "--db", db.string()}, t.path);
  CHECK(ver.code == 0);
}

TEST_CASE("stats and verify exit 3 without an index, verify exits 6 on a stale index", "[cli][verify]") {
  TempDir t;
  CHECK(run({"stats", "--db", (t.path / "none").string()}, t.path).code == 3);
  CHECK(run({"verify", "--db", (t.path / "none").string()}, t.path).code == 3);
  copy_seed_corpus(t.path / "corpus");
  std::string db = (t.path / "db").string();
  REQUIRE(run({"index", "-q", "--db", db, (t.path / "corpus").string()}, t.path).code == 0);
  fs::remove(t.path / "corpus" / "004_1e77538f18e764bb.txt");
  auto v = run({"verify", "--db", db}, t.path);
  CHECK(v.code == 6);
  CHECK(v.err.find("004_1e77538f18e764bb.txt' is gone") != std::string::npos);
}
