// The passage record stored in each document: what goes in comes out, and
// what is not a record is refused rather than misread.
#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "analyzers/passage_data.h"

using lipsteeth::schema::ArticleData;
using lipsteeth::schema::decode_passage;
using lipsteeth::schema::encode_passage;
using lipsteeth::schema::PassageData;
using lipsteeth::schema::read_source_text;
using lipsteeth::schema::SourceRange;
using lipsteeth::schema::text_hash;

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

TEST_CASE("mention ranges outside the passage text are dropped, damaged records are refused", "[schema]") {
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

TEST_CASE("a passage in its file: the record holds the range and hash, the text is read back and checked",
          "[schema]") {
  const std::string file_text = "Title line\n\nThe DPRK and China signed a treaty in 1961.\n\nMore.\n";
  const std::string passage = "The DPRK and China signed a treaty in 1961.";
  const std::size_t at = file_text.find(passage);
  PassageData p;
  p.ordinal = 1;
  p.start = 12;  // in the body; here the body is the whole file
  p.end = 12 + static_cast<std::uint32_t>(passage.size());
  p.mentions = {{5, 4, 8}, {9, 13, 18}};
  p.source = SourceRange{at, text_hash(passage)};
  const std::string enc = encode_passage(p);
  CHECK(enc.size() < passage.size());  // the text is not in the record
  PassageData back;
  REQUIRE(decode_passage(enc, back));
  REQUIRE(back.source);
  CHECK(back.text.empty());
  CHECK(back.source->offset == at);
  CHECK(back.source->hash == text_hash(passage));
  CHECK(back.mentions.size() == 2);  // kept: within the passage's length
  // Truncations and trailing bytes are refused, as for stored texts.
  for (std::size_t n = 0; n < enc.size(); ++n) CHECK_FALSE(decode_passage(enc.substr(0, n), back));
  CHECK_FALSE(decode_passage(enc + "x", back));
  REQUIRE(decode_passage(enc, back));

  const std::filesystem::path path =
      std::filesystem::temp_directory_path() / ("lipsteeth-source-" + std::to_string(getpid()) + ".txt");
  auto write = [&](const std::string& s) { std::ofstream(path, std::ios::binary | std::ios::trunc) << s; };
  std::string text, why;
  write(file_text);
  REQUIRE(read_source_text(path.string(), back, text, why));
  CHECK(text == passage);
  CHECK(why.empty());
  CHECK(text.substr(back.mentions[0].start, back.mentions[0].end - back.mentions[0].start) == "DPRK");

  // One byte changed inside the passage: the hash tells.
  std::string edited = file_text;
  edited[at + 4] = 'X';
  write(edited);
  CHECK_FALSE(read_source_text(path.string(), back, text, why));
  CHECK(text.empty());
  CHECK(why.find("changed since it was indexed") != std::string::npos);
  // Cut short before the passage ends.
  write(file_text.substr(0, at + 10));
  CHECK_FALSE(read_source_text(path.string(), back, text, why));
  CHECK(why.find("changed since it was indexed") != std::string::npos);
  // A folder or a named pipe in its place: refused at once, never a hang.
  std::filesystem::remove(path);
  std::filesystem::create_directory(path);
  CHECK_FALSE(read_source_text(path.string(), back, text, why));
  CHECK(why.find("cannot read") != std::string::npos);
  std::filesystem::remove(path);
  REQUIRE(::mkfifo(path.c_str(), 0600) == 0);
  CHECK_FALSE(read_source_text(path.string(), back, text, why));
  CHECK_FALSE(why.empty());
  // Gone.
  std::filesystem::remove(path);
  CHECK_FALSE(read_source_text(path.string(), back, text, why));
  CHECK(why.find("cannot open") != std::string::npos);
}

TEST_CASE("the text hash tells texts apart by every byte and by length", "[schema]") {
  const std::string base = "Kim Jong-un met Xi Jinping in Dalian.";
  CHECK(text_hash(base) == text_hash(std::string(base)));
  for (std::size_t i = 0; i < base.size(); ++i) {
    std::string t = base;
    t[i] ^= 1;
    CHECK(text_hash(t) != text_hash(base));
  }
  CHECK(text_hash("") != text_hash(std::string(1, '\0')));
  CHECK(text_hash(std::string(8, '\0')) != text_hash(std::string(9, '\0')));
  CHECK(text_hash("abcdefgh") != text_hash("abcdefg"));
}
