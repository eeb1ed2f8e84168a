// Fault 7: a search while `lipsteeth index` commits again and again. A reader
// that a writer's commits overtake gets Xapian::DatabaseModifiedError; the
// search then opens the index afresh and starts over (searcher::with_database).
#include <catch2/catch.hpp>

#include <atomic>
#include <filesystem>
#include <string>
#include <thread>

#include <fmt/format.h>
#include <xapian.h>

#include "analyzers/error.h"
#include "indexer/indexer.h"
#include "searcher/searcher.h"
#include "tests/indexer/index_fixture.h"

namespace fs = std::filesystem;
using namespace lipsteeth;
using lipsteeth::testing::slurp;
using lipsteeth::testing::spit;

namespace {

// Changes every `step`-th article of the corpus a little, so that the next
// incremental run rewrites their passages (and many blocks of the index).
void touch_corpus(const fs::path& corpus, int round, int step = 1) {
  int i = 0;
  for (const auto& e : fs::directory_iterator(corpus)) {
    if (i++ % step) continue;
    spit(e.path(), slurp(e.path()) + fmt::format("\n\nA note of round {} on the talks in Beijing.\n", round));
  }
}

searcher::SearchOptions query(const std::string& q) {
  searcher::SearchOptions o;
  o.query = q;
  o.limit = 5;
  return o;
}

}  // namespace

TEST_CASE("a search overtaken by two commits opens the index again and succeeds", "[faults][retry]") {
  lipsteeth::testing::TempDir t;
  lipsteeth::testing::write_generated_corpus(t.path / "corpus", 60);
  const indexer::IndexOptions o = lipsteeth::testing::options_for(t);
  indexer::run_index(o);
  const std::string db = (t.path / "db").string();

  // The first attempt's reader is overtaken by three incremental runs, each
  // rewriting every article, before it reads a posting list.
  int calls = 0;
  bool overtaken = false;
  searcher::SearchResult r;
  const int attempts = searcher::with_database(db, [&](const searcher::Database& d) {
    if (++calls == 1) {
      for (int round = 0; round < 3; ++round) {
        touch_corpus(t.path / "corpus", round);
        indexer::run_index(o);
      }
      try {
        (void)searcher::search(d, query("serial number talks"));
      } catch (const Xapian::DatabaseModifiedError&) {
        overtaken = true;
        throw;
      }
    }
    r = searcher::search(d, query("serial number talks"));
  });
  REQUIRE(overtaken);  // Xapian did refuse the stale reader
  CHECK(attempts == 2);
  CHECK(calls == 2);
  CHECK(r.total > 0);
  const searcher::SearchResult fresh = searcher::search(searcher::Database::open(db), query("serial number talks"));
  CHECK(r.total == fresh.total);
  REQUIRE(r.hits.size() == fresh.hits.size());
  for (std::size_t i = 0; i < r.hits.size(); ++i) CHECK(r.hits[i].article_id == fresh.hits[i].article_id);
}

TEST_CASE("a search that the index keeps changing under gives up with a clear error", "[faults][retry]") {
  lipsteeth::testing::TempDir t;
  lipsteeth::testing::write_generated_corpus(t.path / "corpus", 5);
  indexer::run_index(lipsteeth::testing::options_for(t));
  int calls = 0;
  try {
    searcher::with_database((t.path / "db").string(), [&](const searcher::Database&) {
      ++calls;
      throw Xapian::DatabaseModifiedError("The revision being read has been discarded");
    });
    FAIL("no error");
  } catch (const Error& e) {
    CHECK(std::string(e.what()).find("changed under the search 8 times in a row") != std::string::npos);
  }
  CHECK(calls == searcher::kSearchAttempts);
}

TEST_CASE("searches while an index is updated and committed over and over all succeed", "[faults][retry]") {
  lipsteeth::testing::TempDir t;
  lipsteeth::testing::write_generated_corpus(t.path / "corpus", 40);
  indexer::IndexOptions o = lipsteeth::testing::options_for(t);
  o.jobs = 1;
  indexer::run_index(o);
  o.batch_bytes = 16u << 10;  // a commit every two articles or so: many per run
  const std::string db = (t.path / "db").string();

  std::atomic<bool> writing{true};
  std::atomic<int> runs{0};
  std::string writer_error;
  std::thread writer([&] {
    try {
      for (int round = 0; round < 12; ++round) {
        touch_corpus(t.path / "corpus", round, 2);
        indexer::run_index(o);
        ++runs;
      }
    } catch (const std::exception& e) {
      writer_error = e.what();
    }
    writing = false;
  });
  int searches = 0, failed = 0, retried = 0;
  std::string first_failure;
  const char* queries[] = {"serial number talks", "talks Beijing", "China OR Korea", "note of round", "nuclear"};
  while (writing || searches < 20) {
    try {
      searcher::SearchResult r;
      const int attempts = searcher::with_database(
          db, [&](const searcher::Database& d) { r = searcher::search(d, query(queries[searches % 5])); });
      retried += attempts > 1;
      if (r.total == 0) throw Error("no hits");
    } catch (const std::exception& e) {
      if (failed++ == 0) first_failure = e.what();
    } catch (const Xapian::Error& e) {
      if (failed++ == 0) first_failure = e.get_description();
    }
    ++searches;
  }
  writer.join();
  INFO(searches << " searches during " << runs << " runs, " << retried << " started afresh; first failure: "
                << first_failure);
  CHECK(writer_error.empty());
  CHECK(runs == 12);
  CHECK(failed == 0);
  CHECK(searches >= 20);
}
