// Sharded indexes searched as one: a corpus indexed as one database and as
// three shards (`lipsteeth index --shards 3`), the shards searched through
// their local stub and, over loopback, through a stub of three
// `xapian-tcpsrv` processes this test starts on free ports and stops. Every
// layout, and the portable path (Xapian's built-ins only) over the one
// database, must give the same hits, scores, snippets, totals, facets and
// suggestions.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <xapian.h>

#include "analyzers/error.h"
#include "analyzers/schema.h"
#include "indexer/shards.h"
#include "searcher/searcher.h"
#include "tests/test_support.h"

namespace fs = std::filesystem;
using namespace lipsteeth;
using lipsteeth::testing::run_cli;
using lipsteeth::testing::slurp;
using lipsteeth::testing::TempDir;

namespace {

// The bundled articles, and 36 more made of their paragraphs (many passages
// shared by several articles: equal scores, whose order only the articles'
// ordinals decide), dated 1995..2019, a JSON Lines file of three records
// and an HTML page.
void write_corpus(const TempDir& t) {
  const fs::path src = fs::path(LIPSTEETH_SOURCE_DIR) / "corpus";
  std::vector<std::vector<std::string>> paragraphs;
  std::vector<std::string> titles;
  for (const auto& e : fs::directory_iterator(src)) {
    if (e.path().extension() == ".txt" || e.path().filename() == "lipsteeth-meta.tsv")
      t.write("corpus/" + e.path().filename().string(), slurp(e.path()));
  }
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(src))
    if (e.path().extension() == ".txt") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  for (const auto& f : files) {
    const std::string text = slurp(f);
    std::vector<std::string> ps;
    std::size_t pos = 0;
    while (pos < text.size()) {
      std::size_t end = text.find("\n\n", pos);
      if (end == std::string::npos) end = text.size();
      if (end > pos + 80) ps.push_back(text.substr(pos, end - pos));
      pos = end + 2;
    }
    titles.push_back(text.substr(0, text.find('\n')));
    paragraphs.push_back(std::move(ps));
  }
  for (int i = 0; i < 36; ++i) {
    const auto& ps = paragraphs[static_cast<std::size_t>(i) % paragraphs.size()];
    std::string body = fmt::format("Report {}: {}\n\nMay 20, {}\n\n", i, titles[i % titles.size()], 1995 + i % 25);
    for (std::size_t j = 0; j < ps.size(); ++j)
      if ((i * 7 + j * 3) % 4 != 0) body += ps[j] + "\n\n";
    t.write(fmt::format("corpus/gen/{:02d}/report-{:02d}.txt", i % 6, i), body);
  }
  REQUIRE(paragraphs.size() == 5);
  const auto para = [&](std::size_t k, std::size_t j) -> const std::string& {
    const auto& ps = paragraphs[k % paragraphs.size()];
    REQUIRE_FALSE(ps.empty());
    return ps[j % ps.size()];
  };
  std::string jsonl;
  for (int i = 0; i < 3; ++i) {
    nlohmann::json r = {{"id", fmt::format("wire-{}", i)},
                        {"title", fmt::format("Wire story {}", i)},
                        {"date", fmt::format("{}-03-0{}", 2010 + i, i + 1)},
                        {"text", para(i, 0) + "\n\n" + para(i + 2, 1)}};
    jsonl += r.dump() + "\n";
  }
  t.write("corpus/wire.jsonl", jsonl);
  t.write("corpus/page.html",
          "<html><head><title>Beijing and Pyongyang</title></head><body><p>" + para(3, 1) + "</p>\r\n<p>" +
              para(1, 2) + "</p></body></html>\r\n");
}

int free_port() {
  const int s = ::socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(s >= 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = 0;
  REQUIRE(::bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
  socklen_t len = sizeof a;
  REQUIRE(::getsockname(s, reinterpret_cast<sockaddr*>(&a), &len) == 0);
  ::close(s);
  return ntohs(a.sin_port);
}

bool accepts(int port) {
  const int s = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons(static_cast<std::uint16_t>(port));
  const bool ok = ::connect(s, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
  ::close(s);
  return ok;
}

std::string find_tcpsrv() {
  for (const char* d : {"/usr/bin", "/usr/local/bin", "/bin"}) {
    const fs::path p = fs::path(d) / "xapian-tcpsrv";
    if (fs::exists(p)) return p.string();
  }
  return {};
}

// One xapian-tcpsrv serving `database` on a free loopback port, stopped
// (SIGTERM, then waited for) when it goes.
struct TcpServer {
  pid_t pid = -1;
  int port = 0;
  // serve: `lipsteeth serve --db DATABASE --port P` instead of xapian-tcpsrv.
  TcpServer(const std::string& binary, const std::string& database, bool serve = false) {
    for (int attempt = 0; attempt < 5 && pid < 0; ++attempt) {
      port = free_port();
      const pid_t child = ::fork();
      REQUIRE(child >= 0);
      if (child == 0) {
        // A process group of its own: xapian-tcpsrv's SIGTERM handler
        // signals its whole group (its connections), which was this test's.
        ::setpgid(0, 0);
        // Its notes on each connection closed are not the test's output.
        if (const int null = ::open("/dev/null", O_WRONLY); null >= 0) {
          ::dup2(null, 1);
          ::dup2(null, 2);
        }
        const std::string p = std::to_string(port);
        if (serve)
          ::execl(binary.c_str(), binary.c_str(), "serve", "--db", database.c_str(), "--port", p.c_str(),
                  static_cast<char*>(nullptr));
        else
          ::execl(binary.c_str(), binary.c_str(), "--quiet", "--interface", "127.0.0.1", "--port", p.c_str(),
                  database.c_str(), static_cast<char*>(nullptr));
        ::_exit(127);
      }
      // Listening within 10 s, else (the port was taken meanwhile) again.
      for (int i = 0; i < 200; ++i) {
        int status = 0;
        if (::waitpid(child, &status, WNOHANG) == child) break;
        if (accepts(port)) {
          pid = child;
          break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
      }
      if (pid < 0) {
        ::kill(child, SIGTERM);
        ::waitpid(child, nullptr, 0);
      }
    }
    REQUIRE(pid > 0);
  }
  ~TcpServer() {
    if (pid <= 0) return;
    ::kill(pid, SIGTERM);
    ::waitpid(pid, nullptr, 0);
  }
  TcpServer(const TcpServer&) = delete;
  TcpServer& operator=(const TcpServer&) = delete;
};

struct Case {
  Case(std::string n, std::string q, std::optional<int> f = {}, std::optional<int> t = {},
       std::vector<std::string> a = {}, bool g = false)
      : name(std::move(n)), query(std::move(q)), from(f), to(t), actors(std::move(a)), group(g) {}
  std::string name, query;
  std::optional<int> from, to;
  std::vector<std::string> actors;
  bool group = false;
};

const std::vector<Case>& cases() {
  static const std::vector<Case> c = {
      {"words", "nuclear test"},
      {"one common word", "china"},
      {"phrase", "\"nuclear weapons\""},
      {"phrase and word", "\"security council\" sanctions"},
      {"actor words", "Xi Jinping visit"},
      {"year range", "missile launch", 2000, 2012, {}},
      {"one year", "sanctions", 2016, 2016, {}},
      {"actor filter", "border", {}, {}, {"north-korea"}},
      {"actor and years", "trade", 1995, 2015, {"china"}},
      {"actor only", "", {}, {}, {"china"}},
      {"by article", "refugees border", {}, {}, {}, true},
      {"typo", "refugeees"},
      {"typo among words", "nuclear sanctoins"},
      {"boolean", "missile AND NOT rocket"},
      {"title words", "title:relations"},
  };
  return c;
}

searcher::SearchResult run(const searcher::Database& db, const Case& c) {
  searcher::SearchOptions o;
  o.query = c.query;
  o.year_from = c.from;
  o.year_to = c.to;
  o.actors = c.actors;
  o.group_by_article = c.group;
  o.limit = 10;
  return searcher::search(db, o);
}

std::string facets_text(const searcher::SearchResult& r) {
  std::string s;
  if (!r.facets) return "none";
  for (const auto& f : r.facets->year) s += fmt::format("{}={} ", f.key, f.count);
  s += "| ";
  for (const auto& f : r.facets->actor) s += fmt::format("{}={} ", f.key, f.count);
  return s + (r.facets->exact ? "exact" : "scaled");
}

// Everything a user sees of a result, scores to 1e-9 of their value.
void require_same(const searcher::SearchResult& a, const searcher::SearchResult& b, const std::string& layout) {
  INFO("layout: " << layout);
  CHECK(a.total == b.total);
  CHECK(a.total_exact == b.total_exact);
  CHECK(a.suggestion == b.suggestion);
  CHECK(a.searched_suggestion == b.searched_suggestion);
  CHECK(facets_text(a) == facets_text(b));
  REQUIRE(a.hits.size() == b.hits.size());
  for (std::size_t i = 0; i < a.hits.size(); ++i) {
    INFO("hit " << i + 1);
    CHECK(a.hits[i].article_id == b.hits[i].article_id);
    CHECK(a.hits[i].ordinal == b.hits[i].ordinal);
    CHECK(a.hits[i].score == Approx(b.hits[i].score).epsilon(1e-9));
    CHECK(a.hits[i].title == b.hits[i].title);
    CHECK(a.hits[i].year == b.hits[i].year);
    CHECK(a.hits[i].snippet.text == b.hits[i].snippet.text);
    CHECK(a.hits[i].text_error == b.hits[i].text_error);
    CHECK(a.hits[i].actors.size() == b.hits[i].actors.size());
  }
}

// The corpus, indexed both ways, once for every test case.
struct Indexes {
  TempDir t{"lipsteeth-shards"};
  fs::path corpus, one, sharded;
  Indexes() {
    write_corpus(t);
    corpus = t.path / "corpus";
    one = t.path / "one";
    sharded = t.path / "sharded";
    const auto a = run_cli("index", {"--db", one.string(), "-q", corpus.string()});
    REQUIRE(a.code == 0);
    const auto b = run_cli("index", {"--shards", "3", "--db", sharded.string(), "-q", corpus.string()});
    INFO(b.err);
    REQUIRE(b.code == 0);
  }
};

Indexes& indexes() {
  static Indexes x;
  return x;
}

}  // namespace

TEST_CASE("a sharded build routes each file to one shard and holds every article once", "[searcher][shards]") {
  Indexes& x = indexes();
  const std::string stub = slurp(x.sharded / "shards");
  CHECK(stub == "auto shard-00/current\nauto shard-01/current\nauto shard-02/current\n");
  const Xapian::Database one((x.one / "current").string());
  Xapian::doccount passages = 0;
  std::set<std::string> ids;
  for (unsigned k = 0; k < 3; ++k) {
    const Xapian::Database shard(indexer::shard_path(x.sharded.string(), k) + "/current");
    CHECK(shard.get_doccount() > 0);
    passages += shard.get_doccount();
    for (auto it = shard.metadata_keys_begin("file:"); it != shard.metadata_keys_end("file:"); ++it) {
      const std::string id = (*it).substr(5);
      CHECK(ids.insert(id).second);
      // Records of wire.jsonl are routed by their file's id.
      const nlohmann::json st = nlohmann::json::parse(shard.get_metadata(*it));
      const std::string routed = st.contains("source") ? st.value("source", "") : id;
      CHECK(indexer::shard_of(routed, 3) == k);
    }
  }
  CHECK(passages == one.get_doccount());
  std::size_t one_ids = 0;
  for (auto it = one.metadata_keys_begin("file:"); it != one.metadata_keys_end("file:"); ++it) ++one_ids;
  CHECK(ids.size() == one_ids);
  // `stats` and `verify` go through every shard.
  const auto stats = run_cli("stats", {"--db", x.sharded.string(), "--json"});
  REQUIRE(stats.code == 0);
  const auto j = nlohmann::json::parse(stats.out);
  CHECK(j["shards"].size() == 3);
  CHECK(j["total"]["passages"] == one.get_doccount());
  const auto verify = run_cli("verify", {"--db", x.sharded.string()});
  INFO(verify.out << verify.err);
  CHECK(verify.code == 0);
  CHECK(verify.out.find("shard-02: ok") != std::string::npos);
}

TEST_CASE("one database, its portable path, a local stub and a remote stub give the same answers",
          "[searcher][shards]") {
  Indexes& x = indexes();
  const searcher::Database one = searcher::Database::open(x.one.string());
  REQUIRE(one.column() != nullptr);  // the fast path
  searcher::OpenOptions portable;
  portable.portable = true;
  const searcher::Database one_portable = searcher::Database::open(x.one.string(), portable);
  CHECK(one_portable.portable());
  const searcher::Database local = searcher::Database::open(x.sharded.string());
  CHECK(local.shard_count() == 3);
  CHECK_FALSE(local.portable());
  const searcher::Database local_portable = searcher::Database::open(x.sharded.string(), portable);

  const std::string tcpsrv = find_tcpsrv();
  std::vector<std::unique_ptr<TcpServer>> servers;
  std::optional<searcher::Database> remote;
  if (!tcpsrv.empty()) {
    std::string lines;
    for (unsigned k = 0; k < 3; ++k) {
      servers.push_back(std::make_unique<TcpServer>(tcpsrv, indexer::shard_path(x.sharded.string(), k) + "/current"));
      lines += fmt::format("remote 127.0.0.1:{}\n", servers.back()->port);
    }
    // Beside the shards: the summed spelling data is found next to the stub.
    std::ofstream(x.sharded / "remote.stub") << "# three shards over loopback\n" << lines;
    remote.emplace(searcher::Database::open((x.sharded / "remote.stub").string()));
    CHECK(remote->portable());
    CHECK(remote->shard_count() == 3);
  }
  for (const Case& c : cases()) {
    {
      INFO("case: " << c.name << ", query: " << c.query);
      const searcher::SearchResult want = run(one, c);
      CHECK(want.total > 0);
      if (c.name == "title words") {
        // One database ranks the passages a title: clause alone weighs
        // equal by docid (DocidSource's fall by a hair), shards by length
        // and article: the same matches and counts, perhaps another order.
        for (const searcher::Database* db : {&one_portable, &local, &local_portable}) {
          const auto r = run(*db, c);
          CHECK(r.total == want.total);
          CHECK(facets_text(r) == facets_text(want));
        }
        if (remote) CHECK(facets_text(run(*remote, c)) == facets_text(want));
        continue;
      }
      require_same(want, run(one_portable, c), "one database, portable");
      require_same(want, run(local, c), "local stub");
      require_same(want, run(local_portable, c), "local stub, portable");
      if (remote) require_same(want, run(*remote, c), "remote stub");
    }
  }
  if (tcpsrv.empty()) WARN("xapian-tcpsrv is not installed (Debian xapian-tools): the remote layout was not searched");
}

TEST_CASE("a typo is corrected the same way over shards", "[searcher][shards]") {
  Indexes& x = indexes();
  const searcher::Database local = searcher::Database::open(x.sharded.string());
  const auto r = run(local, {"typo", "refugeees"});
  CHECK(r.suggestion == "refugees");
  CHECK(r.searched_suggestion);
  CHECK(r.total > 0);
}

TEST_CASE("a shard that is down is named, and --allow-partial searches the others", "[searcher][shards]") {
  Indexes& x = indexes();
  const int dead = free_port();  // nothing listens there
  std::ofstream(x.sharded / "partial.stub") << "auto shard-00\nauto shard-01\nremote 127.0.0.1:" << dead << "\n";
  const std::string stub = (x.sharded / "partial.stub").string();
  searcher::OpenOptions o;
  o.timeout_ms = 2000;
  try {
    (void)searcher::Database::open(stub, o);
    FAIL("opened a stub with a shard that is down");
  } catch (const IndexMissingError& e) {
    CHECK_THAT(e.what(), Catch::Contains(fmt::format("shard '127.0.0.1:{}'", dead)));
    CHECK_THAT(e.what(), Catch::Contains("cannot be reached"));
  }
  o.allow_partial = true;
  const searcher::Database partial = searcher::Database::open(stub, o);
  CHECK(partial.shard_count() == 2);
  const auto r = run(partial, {"words", "china"});
  REQUIRE_FALSE(r.warnings.empty());
  CHECK_THAT(r.warnings[0], Catch::Contains("left out of this search"));
  const auto all = run(searcher::Database::open(x.sharded.string()), {"words", "china"});
  CHECK(r.total < all.total);
  CHECK(r.total > 0);

  // The CLI: exit 3 naming the shard, or the hits with a warning.
  const auto refused = run_cli("search", {"--db", stub, "--timeout", "2", "china"});
  CHECK(refused.code == 3);
  CHECK_THAT(refused.err, Catch::Contains(fmt::format("127.0.0.1:{}", dead)));
  const auto some = run_cli("search", {"--db", stub, "--timeout", "2", "--allow-partial", "china"});
  CHECK(some.code == 0);
  CHECK_THAT(some.err, Catch::Contains("left out of this search"));
}

TEST_CASE("a server that accepts and never answers fails by the timeout, naming the shard", "[searcher][shards]") {
  Indexes& x = indexes();
  // A socket that listens but is never accepted: the connection is made,
  // the remote protocol's greeting never comes.
  const int s = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
  REQUIRE(::listen(s, 4) == 0);
  socklen_t len = sizeof a;
  REQUIRE(::getsockname(s, reinterpret_cast<sockaddr*>(&a), &len) == 0);
  const int port = ntohs(a.sin_port);
  std::ofstream(x.sharded / "silent.stub") << "remote :127.0.0.1:" << port << "\nauto shard-00\n";
  searcher::OpenOptions o;
  o.timeout_ms = 500;
  try {
    (void)searcher::Database::open((x.sharded / "silent.stub").string(), o);
    FAIL("opened a shard that never answers");
  } catch (const IndexMissingError& e) {
    CHECK_THAT(e.what(), Catch::Contains(fmt::format("shard '127.0.0.1:{}'", port)));
  }
  ::close(s);
}

TEST_CASE("a shard of another analyzer version is refused by name", "[searcher][shards]") {
  Indexes& x = indexes();
  TempDir t("lipsteeth-shards-version");
  fs::copy(x.sharded / "shard-01", t.path / "old", fs::copy_options::recursive);
  {
    const std::string gen = slurp(t.path / "old" / "current");
    Xapian::WritableDatabase w((t.path / "old" / gen.substr(gen.find(' ') + 1, gen.find('\n') - gen.find(' ') - 1)).string());
    w.set_metadata(schema::kMetaAnalyzer, "0-old");
    w.commit();
  }
  std::ofstream(t.path / "mixed.stub") << "auto " << (x.sharded / "shard-00").string() << "\nauto old\n";
  try {
    (void)searcher::Database::open((t.path / "mixed.stub").string());
    FAIL("opened a shard of another analyzer");
  } catch (const IndexMissingError& e) {
    CHECK_THAT(e.what(), Catch::Contains("shard 'old'"));
    CHECK_THAT(e.what(), Catch::Contains("analyzer 0-old"));
  }
  searcher::OpenOptions o;
  o.allow_partial = true;
  CHECK(searcher::Database::open((t.path / "mixed.stub").string(), o).shard_count() == 1);
}

TEST_CASE("an incremental run re-analyses only the changed file's shard, and the answers stay the same",
          "[searcher][shards]") {
  TempDir t("lipsteeth-shards-incr");
  write_corpus(t);
  const fs::path one = t.path / "one", sharded = t.path / "sharded", corpus = t.path / "corpus";
  REQUIRE(run_cli("index", {"--db", one.string(), "-q", corpus.string()}).code == 0);
  REQUIRE(run_cli("index", {"--shards", "3", "--db", sharded.string(), "-q", corpus.string()}).code == 0);
  const std::string changed = "gen/02/report-08.txt";
  {
    std::ofstream(corpus / changed, std::ios::app) << "\nA new paragraph on the Tumen river bridge and its customs "
                                                      "post, where trade with Rason passes.\n";
  }
  REQUIRE(run_cli("index", {"--db", one.string(), "-q", corpus.string()}).code == 0);
  const auto r = run_cli("index", {"--db", sharded.string(), "--json", corpus.string()});
  INFO(r.err);
  REQUIRE(r.code == 0);
  const auto j = nlohmann::json::parse(r.out);
  REQUIRE(j["shards"].size() == 3);
  const unsigned home = indexer::shard_of(changed, 3);
  for (unsigned k = 0; k < 3; ++k) {
    INFO("shard " << k);
    CHECK(j["shards"][k]["updated"] == (k == home ? 1 : 0));
    CHECK(j["shards"][k]["passages"] == (k == home ? j["shards"][k]["passages"].get<int>() : 0));
    CHECK(j["shards"][k]["mode"] == "incremental");
  }
  CHECK(j["total"]["updated"] == 1);
  const searcher::Database a = searcher::Database::open(one.string());
  const searcher::Database b = searcher::Database::open(sharded.string());
  for (const Case& c : {Case{"new words", "Tumen bridge customs"}, Case{"words", "nuclear test"},
                        Case{"actor filter", "border", {}, {}, {"north-korea"}}}) {
    INFO(c.name);
    require_same(run(a, c), run(b, c), "local stub after an update");
  }
}

TEST_CASE("lipsteeth serve serves a shard on 127.0.0.1 for a remote stub", "[searcher][shards]") {
  Indexes& x = indexes();
  if (find_tcpsrv().empty()) {
    WARN("xapian-tcpsrv is not installed (Debian xapian-tools): lipsteeth serve was not run");
    return;
  }
  std::vector<std::unique_ptr<TcpServer>> servers;
  std::string lines;
  for (unsigned k = 0; k < 3; ++k) {
    servers.push_back(std::make_unique<TcpServer>(LIPSTEETH_BIN, indexer::shard_path(x.sharded.string(), k), true));
    lines += fmt::format("remote 127.0.0.1:{}\n", servers.back()->port);
  }
  std::ofstream(x.sharded / "served.stub") << lines;
  const searcher::Database served = searcher::Database::open((x.sharded / "served.stub").string());
  CHECK(served.portable());
  const searcher::Database one = searcher::Database::open(x.one.string());
  for (const Case& c : {Case{"words", "nuclear test"}, Case{"actor and years", "trade", 1995, 2015, {"china"}},
                        Case{"typo", "refugeees"}}) {
    INFO(c.name);
    require_same(run(one, c), run(served, c), "served by lipsteeth serve");
  }
  // A sharded folder is served one shard at a time.
  const auto whole = run_cli("serve", {"--db", x.sharded.string(), "--port", "1"});
  CHECK(whole.code == 2);
  CHECK_THAT(whole.err, Catch::Contains("serve each shard"));
}
