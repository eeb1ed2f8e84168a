// The value a search reads for every matching passage (schema::PassageValue).
#include <algorithm>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "analyzers/schema.h"

using lipsteeth::schema::encode_passage_value;
using lipsteeth::schema::PassageValue;
using lipsteeth::schema::PassageValueReader;

namespace {

std::vector<std::uint32_t> actors_of(PassageValueReader& r) {
  std::vector<std::uint32_t> out;
  for (std::uint32_t a; r.next_actor(a);) out.push_back(a);
  return out;
}

}  // namespace

TEST_CASE("a passage value reads back field by field", "[schema]") {
  PassageValue v;
  v.year = 2016;
  v.article = 149167;
  v.article_length = 3'000'000'000ull;
  v.passage_length = 127;
  v.passage = 3;
  v.passages = 200;
  v.actors = {0, 5, 127, 128, 554, 70000};
  const std::string enc = encode_passage_value(v);
  PassageValueReader r(enc);
  REQUIRE(r.ok);
  CHECK(r.year_plus_one == 2017);
  CHECK(r.article == 149167);
  CHECK(r.article_length == 3'000'000'000ull);
  CHECK(r.passage_length == 127);
  CHECK(r.passage == 3);
  CHECK(r.passages == 200);
  CHECK(actors_of(r) == v.actors);
  CHECK(r.ok);
}

TEST_CASE("a passage value without year or actors", "[schema]") {
  PassageValue v;
  v.article = 7;
  const std::string enc = encode_passage_value(v);
  CHECK(enc.size() == 6);
  PassageValueReader r(enc);
  REQUIRE(r.ok);
  CHECK(r.year_plus_one == 0);
  CHECK(r.article == 7);
  CHECK(actors_of(r).empty());
}

TEST_CASE("a damaged passage value is flagged, never over-read", "[schema]") {
  PassageValue v;
  v.year = 1999;
  v.article = 1u << 20;
  v.actors = {300};
  const std::string enc = encode_passage_value(v);
  // year+1 = 2000 (2 bytes), article (3), two zero lengths (1 + 1), the
  // passage's ordinal and the article's passages, zero (1 + 1), actor 300 (2).
  REQUIRE(enc.size() == 11);
  for (std::size_t n = 0; n < enc.size(); ++n) {
    PassageValueReader r(std::string_view(enc).substr(0, n));
    const std::vector<std::uint32_t> a = actors_of(r);
    CHECK(a.empty());
    // Whole fixed fields and no actor (n = 9) is a well-formed record; any
    // other cut ends inside a number.
    CHECK(r.ok == (n == 9));
  }
  PassageValueReader empty("");
  CHECK_FALSE(empty.ok);
  // A varint that never ends.
  const std::string endless(12, '\xff');
  PassageValueReader bad(endless);
  CHECK_FALSE(bad.ok);
}

TEST_CASE("several varints are stepped over at once as one by one", "[schema]") {
  using lipsteeth::schema::put_varint;
  using lipsteeth::schema::skip_value_varint;
  using lipsteeth::schema::skip_value_varints;
  // Varints of 1 to 5 bytes in every order of a few, so that the n-th one
  // ends inside the first 8 bytes, right at the 8th, or beyond them (in the
  // second or third word), and the buffer is long enough for the
  // word-at-a-time path or too short for it.
  const std::vector<std::uint64_t> sizes = {5, 200, 70000, 3000000, 400000000};
  std::size_t checked = 0;
  for (std::uint64_t a : sizes)
    for (std::uint64_t b : sizes)
      for (std::uint64_t c : sizes)
        for (std::uint64_t d : sizes)
          for (const std::string& tail : {std::string(), std::string("\x01\x02\x03\x04\x05\x06\x07\x08", 8)}) {
            std::string buf;
            put_varint(buf, a);
            put_varint(buf, b);
            put_varint(buf, c);
            put_varint(buf, d);
            buf += tail;
            const auto* begin = reinterpret_cast<const unsigned char*>(buf.data());
            const auto* end = begin + buf.size();
            for (int n = 1; n <= 4; ++n) {
              const unsigned char* one = begin;
              for (int i = 0; i < n; ++i) REQUIRE(skip_value_varint(one, end));
              const unsigned char* at_once = begin;
              REQUIRE(skip_value_varints(at_once, end, n));
              CHECK(at_once == one);
              ++checked;
            }
          }
  CHECK(checked == 5 * 5 * 5 * 5 * 2 * 4);
  // Cut short: refused, as one by one would be.
  std::string cut;
  put_varint(cut, 5);
  put_varint(cut, 70000);
  cut.pop_back();
  const auto* p = reinterpret_cast<const unsigned char*>(cut.data());
  CHECK_FALSE(skip_value_varints(p, p + cut.size(), 2));
  // Over a longer buffer of continuation bytes only: no varint ends in it.
  const std::string open(12, '\x80');
  const auto* q = reinterpret_cast<const unsigned char*>(open.data());
  CHECK_FALSE(skip_value_varints(q, q + open.size(), 1));
}

TEST_CASE("the stopwords are 53 sorted words, each found, nothing else", "[schema]") {
  namespace schema = lipsteeth::schema;
  const auto& words = schema::query_stopwords();
  CHECK(words.size() == 53);
  CHECK(std::is_sorted(words.begin(), words.end()));
  for (std::string_view w : words) CHECK(schema::is_query_stopword(w));
  for (std::string_view w : {"", "th", "thee", "korea", "abouts", "them", "inn", "xi", "un", "us"})
    CHECK_FALSE(schema::is_query_stopword(w));
}
