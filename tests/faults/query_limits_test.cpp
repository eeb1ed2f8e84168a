// Fault 9, the query's half: a query over the limits of size or words is
// refused before the index is opened, with a usage error (exit 2).
#include <catch2/catch.hpp>

#include <string>

#include "analyzers/error.h"
#include "searcher/searcher.h"
#include "tests/test_support.h"

using lipsteeth::testing::run_cli;
using lipsteeth::testing::TempDir;

namespace {

std::string words(std::size_t n) {
  std::string q;
  for (std::size_t i = 0; i < n; ++i) q += (i ? " " : "") + std::string("w") + std::to_string(i);
  return q;
}

}  // namespace

TEST_CASE("the query limits count bytes and words as documented", "[faults][query]") {
  using lipsteeth::searcher::check_query_limits;
  using lipsteeth::searcher::SearchOptions;
  struct Row {
    const char* name;
    std::string query;
    std::size_t max_bytes, max_terms;
    const char* error;  // nullptr: accepted
  };
  const Row rows[] = {
      {"a short query", "six-party talks", 8192, 256, nullptr},
      {"exactly the byte limit", std::string(8192, 'a'), 8192, 256, nullptr},
      {"one byte over", std::string(8193, 'a'), 8192, 256, "too long: 8193 bytes, the limit is 8192"},
      {"256 words", words(256), 8192, 256, nullptr},
      {"257 words", words(257), 8192, 256, "too many words: 257, the limit is 256"},
      {"each part of a hyphenated word counts", "a-b-c d", 8192, 3, "too many words: 4, the limit is 3"},
      {"punctuation is no word", "\"a\", (b; c*)!", 8192, 3, nullptr},
      {"0 lifts the limits", std::string(100000, 'x') + " " + words(1000), 0, 0, nullptr},
  };
  for (const Row& r : rows) {
    INFO(r.name);
    SearchOptions o;
    o.query = r.query;
    o.max_query_bytes = r.max_bytes;
    o.max_query_terms = r.max_terms;
    if (r.error) {
      CHECK_THROWS_WITH(check_query_limits(o), Catch::Contains(r.error));
      CHECK_THROWS_AS(check_query_limits(o), lipsteeth::QueryError);
    } else {
      CHECK_NOTHROW(check_query_limits(o));
    }
  }
}

TEST_CASE("a 100 KB query is refused with exit 2 before any index is read", "[faults][query]") {
  TempDir t;
  const std::string huge(100 * 1024, 'k');
  // No index at this path: the refusal comes first (exit 2, not 3).
  const auto r = run_cli("search", {"--db", (t.path / "none").string(), huge});
  CHECK(r.code == 2);
  CHECK(r.err.find("the query is too long: 102400 bytes, the limit is 8192 (--max-query-bytes)") != std::string::npos);
  CHECK(r.out.empty());

  const auto many = run_cli("search", {"--db", (t.path / "none").string(), words(300)});
  CHECK(many.code == 2);
  CHECK(many.err.find("too many words: 300") != std::string::npos);

  // Raised limits let it through to the index (missing here: exit 3).
  const auto raised = run_cli("search", {"--db", (t.path / "none").string(), "--max-query-terms", "400", words(300)});
  CHECK(raised.code == 3);
}
