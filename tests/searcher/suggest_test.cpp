// Spelling suggestions that act: a typo some passages share is corrected when
// the correction is far more common, and searched instead when the typo's
// own results are weak; a rare word with no common neighbour is left alone.
#include <filesystem>
#include <string>

#include <catch2/catch.hpp>

#include "searcher/searcher.h"
#include "tests/test_support.h"

namespace fs = std::filesystem;
using namespace lipsteeth;
using lipsteeth::testing::run_cli;
using lipsteeth::testing::TempDir;

namespace {

// `common` passages saying `word`, `rare` saying `typo`, in one corpus.
struct Corpus {
  TempDir tmp{"lipsteeth-suggest"};
  fs::path dir = tmp.path;
  std::unique_ptr<searcher::Database> db;
  Corpus() {
    auto article = [&](const std::string& name, const std::string& sentence, int passages) {
      std::string text = "Notes on " + name + "\n\n";
      for (int i = 0; i < passages; ++i)
        text += "Paragraph " + std::to_string(i) + " of the notes: " + sentence +
                " The officials said little else that afternoon, and the meeting ended early.\n\n";
      tmp.write("corpus/" + name + ".txt", text);
    };
    article("common", "the sanctions were tightened again by the council.", 30);
    article("typo", "the sanctoins were tightened again by the council.", 1);
    article("rare", "the zugzwang of the negotiators was plain to all.", 2);
    article("neighbour", "the delegation spoke of a zugzwanh, a word nobody knew.", 1);
    const auto r = run_cli("index", {"-q", "--db", (dir / "idx").string(), (dir / "corpus").string()});
    INFO(r.err);
    REQUIRE(r.code == 0);
    db = std::make_unique<searcher::Database>(searcher::Database::open((dir / "idx").string()));
  }
  searcher::SearchResult search(const std::string& q) const {
    searcher::SearchOptions o;
    o.query = q;
    return searcher::search(*db, o);
  }
};

const Corpus& corpus() {
  static Corpus c;
  return c;
}

}  // namespace

TEST_CASE("a typo a few passages share is searched as its far more common correction", "[suggest]") {
  const auto r = corpus().search("sanctoins");
  CHECK(r.suggestion == "sanctions");
  CHECK(r.searched_suggestion);
  CHECK(r.original_total == 1);
  CHECK(r.total == 30);
  CHECK(r.query == "sanctoins");
}

TEST_CASE("a query with no match at all is searched as its correction", "[suggest]") {
  const auto r = corpus().search("sanctinos");
  CHECK(r.suggestion == "sanctions");
  CHECK(r.searched_suggestion);
  CHECK(r.original_total == 0);
  CHECK(r.total == 30);
}

TEST_CASE("a rare word whose neighbour is not far more common is left as typed", "[suggest]") {
  // "zugzwang" (2 passages) and "zugzwanh" (1): neither is 20 times the other.
  for (const char* q : {"zugzwang", "zugzwanh"}) {
    INFO(q);
    const auto r = corpus().search(q);
    CHECK(r.suggestion.empty());
    CHECK_FALSE(r.searched_suggestion);
    CHECK(r.total >= 1);
  }
}

TEST_CASE("a common word is never corrected", "[suggest]") {
  const auto r = corpus().search("sanctions council");
  CHECK(r.suggestion.empty());
  CHECK_FALSE(r.searched_suggestion);
  CHECK(r.total == 31);
}
