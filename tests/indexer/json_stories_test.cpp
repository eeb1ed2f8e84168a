// run_index on JSON documents of stories (a scraper's array, JSON Lines of
// stories): one article per story, incremental like a .jsonl file; a JSON
// file of no stories, or of one, is one article as before.
#include <catch2/catch.hpp>

#include "analyzers/passage_data.h"
#include "indexer/indexer.h"
#include "tests/indexer/index_fixture.h"

using namespace lipsteeth;
using namespace lipsteeth::testing;

namespace {

const char* kStories =
    "[\n"
    "  {\"headline\": \"Rail Link Reopens\", \"date\": \"2019-10-06\",\n"
    "   \"story_text\": \"Trains ran again between Dandong and Sinuiju on Sunday.\"},\n"
    "  {\"headline\": \"Ferry Sails Again\", \"date\": \"October 4, 2019\",\n"
    "   \"story_text\": \"The ferry from Nampo reached Dalian after a pause of two years.\"}\n"
    "]\n";

// The article record of the passage that holds `term`.
schema::ArticleData article_with(const IndexView& v, const std::string& term) {
  Xapian::Enquire enq(v.db);
  enq.set_query(Xapian::Query(term));
  const Xapian::MSet m = enq.get_mset(0, 1);
  REQUIRE(m.size() == 1);
  schema::PassageData data;
  REQUIRE(schema::decode_passage(m.begin().get_document().get_data(), data));
  REQUIRE(data.article);
  return *data.article;
}

}  // namespace

TEST_CASE("indexes each story of a JSON document as an article, incrementally", "[indexer][json]") {
  TempDir t;
  const fs::path c = t.path / "corpus";
  spit(c / "news.json", kStories);
  spit(c / "settings.json", "{\"theme\": \"dark\", \"text\": {\"size\": 12}}\n");
  auto o = options_for(t);
  o.extensions = {".json"};
  auto s = run_index(o);
  CHECK(s.added == 3);  // two stories and the settings file
  CHECK(s.skipped.empty());
  {
    IndexView v(t.path / "db");
    CHECK(v.consistent());
    CHECK(v.files.count("news.json#1") == 1);
    CHECK(v.files.count("news.json#2") == 1);
    CHECK(v.files.count("settings.json") == 1);
    CHECK(v.has_term_in("sinuiju", "news.json#1"));
    CHECK(v.has_term_in("nampo", "news.json#2"));
    CHECK_FALSE(v.has_term_in("nampo", "news.json#1"));
    const auto a1 = article_with(v, "sinuiju");
    CHECK(a1.title == "Rail Link Reopens");
    CHECK(a1.date == "2019-10-06");
    const auto a2 = article_with(v, "nampo");
    CHECK(a2.title == "Ferry Sails Again");
    CHECK(a2.date == "2019-10-04");
  }
  // Unchanged: nothing re-read. Then one story edited, one dropped.
  auto s2 = run_index(o);
  CHECK(s2.unchanged == 3);
  spit(c / "news.json",
       "[{\"headline\": \"Rail Link Reopens\", \"date\": \"2019-10-06\", \"story_text\": \"Trains ran again between "
       "Dandong and Sinuiju on Sunday, and on to Pyongyang.\"},"
       " {\"headline\": \"A story the scraper cut short\"}]\n");
  fs::last_write_time(c / "news.json", fs::last_write_time(c / "news.json") + std::chrono::seconds(5));
  auto s3 = run_index(o);
  // One story left: the file is one article again, and its two records go.
  CHECK(s3.added == 1);
  CHECK(s3.removed == 2);
  IndexView v(t.path / "db");
  CHECK(v.files.count("news.json") == 1);
  CHECK(v.has_term_in("pyongyang", "news.json"));
  CHECK(v.consistent());
  CHECK(indexer::verify_index(o.db_path).ok());
}
