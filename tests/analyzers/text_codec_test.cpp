// The passage text codec: a dictionary trained on real passages compresses
// unseen ones and gives them back byte for byte; too few samples train no
// dictionary; damaged frames and records are refused, never misread past
// their bounds.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "analyzers/article.h"
#include "analyzers/error.h"
#include "analyzers/passage_data.h"
#include "analyzers/text_codec.h"
#include "indexer/documents.h"

using lipsteeth::analyzers::TextCodec;
namespace an = lipsteeth::analyzers;
namespace schema = lipsteeth::schema;

namespace {

std::vector<std::string> passages_of(const an::Article& a) {
  std::vector<std::string> out;
  for (const auto& p : a.passages) out.push_back(a.text.substr(p.start, p.end - p.start));
  return out;
}

// The passages of the Cranfield sample (200 abstracts of aerodynamics papers),
// record by record.
std::vector<std::vector<std::string>> cranfield_passages() {
  std::ifstream in(std::string(LIPSTEETH_SOURCE_DIR) + "/bench/testdata/eval/cranfield200/docs.jsonl");
  std::vector<std::vector<std::string>> out;
  an::AnalyzeOptions o;
  o.keep_tokens = false;
  for (std::string line; std::getline(in, line);) {
    lipsteeth::indexer::JsonlRecord rec;
    REQUIRE(lipsteeth::indexer::parse_jsonl_record(line, rec).empty());
    out.push_back(passages_of(an::analyze_text(std::move(rec.text), rec.id, rec.stated, o)));
  }
  REQUIRE(out.size() == 200);
  return out;
}

// Dictionary trained on the first 150 records; the last 50 are for testing.
struct Trained {
  std::vector<std::string> train, test;
  std::string dictionary;
  Trained() {
    auto recs = cranfield_passages();
    for (std::size_t i = 0; i < recs.size(); ++i)
      for (auto& p : recs[i]) (i < 150 ? train : test).push_back(std::move(p));
    dictionary = TextCodec::train(train);
  }
};

const Trained& trained() {
  static const Trained t;
  return t;
}

}  // namespace

TEST_CASE("a dictionary trained on passages compresses unseen passages and restores them exactly", "[codec]") {
  const Trained& t = trained();
  REQUIRE_FALSE(t.dictionary.empty());
  CHECK(t.dictionary.size() <= TextCodec::kDictionaryBytes);
  TextCodec codec(t.dictionary);
  std::size_t plain = 0, stored = 0, compressed = 0;
  for (const auto& text : t.test) {
    std::string frame = "prefix";
    const bool packed = codec.compress(text, frame);
    plain += text.size();
    if (!packed) {
      CHECK(frame == "prefix");  // left as it was
      stored += text.size();
      continue;
    }
    ++compressed;
    REQUIRE(frame.rfind("prefix", 0) == 0);
    frame.erase(0, 6);
    CHECK(frame.size() < text.size());
    stored += frame.size();
    std::string back = "junk";
    REQUIRE(codec.decompress(frame, text.size(), back));
    CHECK(back == text);
    // The stated size must be the real one.
    CHECK_FALSE(codec.decompress(frame, text.size() + 1, back));
    if (text.size() > 1) CHECK_FALSE(codec.decompress(frame, text.size() - 1, back));
  }
  CHECK(compressed * 10 >= t.test.size() * 9);
  // Abstracts of one field: well under half their size (zlib alone, record by
  // record, stores them at about 46%).
  CHECK(stored * 100 < plain * 40);
}

TEST_CASE("too few or too short samples train no dictionary", "[codec]") {
  CHECK(TextCodec::train({}).empty());
  std::vector<std::string> few(TextCodec::kMinSamples - 1, std::string(2000, 'a'));
  CHECK(TextCodec::train(few).empty());
  std::vector<std::string> short_ones(1000, "North Korea and China.");  // under kMinTextBytes each
  CHECK(TextCodec::train(short_ones).empty());
  // The bundled corpus: 5 articles, too small for a dictionary.
  std::vector<std::string> seed;
  for (const auto& e : std::filesystem::directory_iterator(std::string(LIPSTEETH_SOURCE_DIR) + "/corpus")) {
    if (e.path().extension() != ".txt") continue;
    std::ifstream in(e.path(), std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), {});
    an::AnalyzeOptions o;
    o.keep_tokens = false;
    for (auto& p : passages_of(an::analyze_article(bytes, e.path().string(), e.path().filename().string(), o)))
      seed.push_back(std::move(p));
  }
  CHECK(seed.size() > 50);
  CHECK(TextCodec::train(seed).empty());
  CHECK_THROWS_AS(TextCodec(""), lipsteeth::Error);
}

TEST_CASE("short texts stay plain, damaged frames are refused or keep their stated size", "[codec]") {
  TextCodec codec(trained().dictionary);
  std::string out;
  CHECK_FALSE(codec.compress("Xi Jinping", out));
  CHECK(out.empty());
  CHECK_FALSE(codec.compress(std::string(TextCodec::kMaxTextBytes + 1, 'x'), out));
  const std::string& text = trained().test.front();
  REQUIRE(codec.compress(text, out));
  std::string back;
  CHECK_FALSE(codec.decompress("", text.size(), back));
  for (std::size_t n = 0; n < out.size(); ++n) CHECK_FALSE(codec.decompress(out.substr(0, n), text.size(), back));
  CHECK_FALSE(codec.decompress(out + "x", text.size(), back));
  CHECK_FALSE(codec.decompress(out, TextCodec::kMaxTextBytes + 1, back));
  // No checksum: a damaged byte may go unnoticed, but never past the size.
  for (std::size_t i = 0; i < out.size(); ++i) {
    std::string bad = out;
    bad[i] = static_cast<char>(bad[i] ^ 0x5a);
    if (codec.decompress(bad, text.size(), back)) CHECK(back.size() == text.size());
  }
  // Another dictionary does not read it back as the text.
  TextCodec other(TextCodec::train(trained().train, 4096));
  if (other.decompress(out, text.size(), back)) CHECK(back != text);
}

TEST_CASE("a passage record stores its text compressed when a dictionary is given", "[codec][schema]") {
  TextCodec codec(trained().dictionary);
  schema::PassageData p;
  p.ordinal = 2;
  p.start = 10;
  p.end = 10 + trained().test[3].size();
  p.text = trained().test[3];
  p.mentions = {{31, 0, 5}};
  p.article = schema::ArticleData{"cran/4", "/c/docs.jsonl", "A title", 1962, "", {"A. Writer"}};
  const std::string plain = schema::encode_passage(p);
  const std::string packed = schema::encode_passage(p, &codec);
  CHECK(packed.size() < plain.size());
  schema::PassageData back;
  REQUIRE(schema::decode_passage(packed, back, &codec));
  CHECK(back.text == p.text);
  CHECK(back.ordinal == 2);
  CHECK(back.end == p.end);
  REQUIRE(back.mentions.size() == 1);
  CHECK(back.mentions[0].actor == 31);
  REQUIRE(back.article);
  CHECK(back.article->title == "A title");
  CHECK(back.article->authors == std::vector<std::string>{"A. Writer"});
  // A plain record reads with or without a dictionary; a compressed one
  // needs it.
  REQUIRE(schema::decode_passage(plain, back, &codec));
  CHECK(back.text == p.text);
  CHECK_FALSE(schema::decode_passage(packed, back));
  // Every truncation of the record, and trailing bytes, are refused.
  for (std::size_t n = 0; n < packed.size(); ++n) CHECK_FALSE(schema::decode_passage(packed.substr(0, n), back, &codec));
  CHECK_FALSE(schema::decode_passage(packed + "x", back, &codec));
  // A text too short to gain is stored plain even with a dictionary.
  p.text = "Xi Ji";
  p.end = p.start + 5;
  CHECK(schema::encode_passage(p, &codec) == schema::encode_passage(p));
}
