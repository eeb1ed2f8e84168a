// The passage record stored in each document: what goes in comes out, and
// what is not a record is refused rather than misread.
#include <catch2/catch.hpp>

#include "analyzers/passage_data.h"

using lipsteeth::schema::ArticleData;
using lipsteeth::schema::decode_passage;
using lipsteeth::schema::encode_passage;
using lipsteeth::schema::PassageData;

TEST_CASE("a passage record round-trips, with and without its article", "[schema]") {
  PassageData p;
  p.ordinal = 3;
  p.start = 1200;
  p.end = 1263;
  p.text = "Beijing\xE2\x80\x99s displeasure with Pyongyang grew after the \"test\".\n";
  p.mentions = {{31, 0, 7}, {402, 29, 38}};
  std::string enc = encode_passage(p);
  PassageData back;
  REQUIRE(decode_passage(enc, back));
  CHECK(back.ordinal == 3);
  CHECK(back.start == 1200);
  CHECK(back.end == 1263);
  CHECK(back.text == p.text);
  REQUIRE(back.mentions.size() == 2);
  CHECK(back.mentions[0].actor == 31);
  CHECK(back.mentions[1].actor == 402);
  CHECK(back.text.substr(back.mentions[1].start, back.mentions[1].end - back.mentions[1].start) == "Pyongyang");
  CHECK_FALSE(back.article);

  p.ordinal = 0;
  p.article = ArticleData{"2016/thaad.txt", "/corpus/2016/thaad.txt", "THAAD and China", 2016, "2016-07-08", {"A. Writer", "B. Writer"}};
  REQUIRE(decode_passage(encode_passage(p), back));
  REQUIRE(back.article);
  CHECK(back.article->id == "2016/thaad.txt");
  CHECK(back.article->path == "/corpus/2016/thaad.txt");
  CHECK(back.article->title == "THAAD and China");
  CHECK(back.article->year == 2016);
  CHECK(back.article->date == "2016-07-08");
  CHECK(back.article->authors == std::vector<std::string>{"A. Writer", "B. Writer"});

  p.article->year.reset();
  REQUIRE(decode_passage(encode_passage(p), back));
  CHECK_FALSE(back.article->year);
}

TEST_CASE("mention ranges outside the passage text are dropped; damaged records are refused", "[schema]") {
  PassageData p;
  p.text = "Xi Ji";
  p.mentions = {{550, 0, 5}, {31, 3, 99}, {7, 4, 2}};
  PassageData back;
  const std::string enc = encode_passage(p);
  REQUIRE(decode_passage(enc, back));
  REQUIRE(back.mentions.size() == 1);
  CHECK(back.mentions[0].actor == 550);
  CHECK_FALSE(decode_passage("", back));
  CHECK_FALSE(decode_passage("not a record", back));
  CHECK_FALSE(decode_passage(R"({"o":1,"t":"json of an older index"})", back));
  // Every truncation of a record, and trailing bytes, are refused.
  for (std::size_t n = 0; n < enc.size(); ++n) CHECK_FALSE(decode_passage(enc.substr(0, n), back));
  CHECK_FALSE(decode_passage(enc + "x", back));
}
