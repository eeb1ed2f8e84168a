// Decoding: one fixture per kind of bad input (tests/data/bad/, see its README).
#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>

#include "analyzers/decode.h"
#include "tests/test_support.h"

using lipsteeth::analyzers::decode;
using lipsteeth::analyzers::DecodeResult;
using lipsteeth::analyzers::DecodeStatus;
using lipsteeth::analyzers::is_valid_utf8;

namespace {

using lipsteeth::testing::slurp;

std::string fixture(const std::string& name) { return slurp(std::string(LIPSTEETH_SOURCE_DIR) + "/tests/data/bad/" + name); }

// The clean text the damaged fixtures were made from: the first three
// paragraphs of corpus/004, with LF line endings.
std::string clean_text() {
  const std::string article = slurp(std::string(LIPSTEETH_SOURCE_DIR) + "/corpus/004_1e77538f18e764bb.txt");
  std::size_t end = 0;
  for (int i = 0; i < 3; ++i) end = article.find("\n\n", end + 2);
  return article.substr(0, end) + "\n";
}

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("a UTF-8 byte order mark is removed and recorded", "[analyzers][decode]") {
  const DecodeResult r = decode(fixture("bom.txt"));
  CHECK(r.status == DecodeStatus::ok);
  CHECK(r.had_bom);
  CHECK(r.encoding == "UTF-8");
  CHECK(r.warnings.empty());
  CHECK(r.text == clean_text());
  CHECK(r.text.rfind("Are Chinese\xE2\x80\x93North Korean Ties", 0) == 0);
}

TEST_CASE("CRLF, lone CR and mixed line endings become LF", "[analyzers][decode]") {
  for (const char* name : {"crlf.txt", "lone_cr.txt", "mixed_newlines.txt"}) {
    INFO(name);
    const DecodeResult r = decode(fixture(name));
    CHECK(r.status == DecodeStatus::ok);
    CHECK_FALSE(r.had_bom);
    CHECK(r.text.find('\r') == std::string::npos);
    CHECK(r.text == clean_text());
  }
  CHECK(decode("a\r\n\r\nb\rc\r").text == "a\n\nb\nc\n");
}

TEST_CASE("invalid UTF-8 is decoded as windows-1252 with a warning naming the byte", "[analyzers][decode]") {
  const std::string bytes = fixture("windows1252.txt");
  REQUIRE_FALSE(is_valid_utf8(bytes));
  const DecodeResult r = decode(bytes);
  CHECK(r.status == DecodeStatus::ok);
  CHECK(r.encoding == "windows-1252");
  REQUIRE(r.warnings.size() == 1);
  // The first non-ASCII byte is the en dash of the title, at byte 11.
  CHECK(contains(r.warnings[0], "invalid UTF-8 at byte 11"));
  CHECK(contains(r.warnings[0], "windows-1252"));
  CHECK(is_valid_utf8(r.text));
  // Curly quotes, dashes (0x80-0x9F in windows-1252) and accents come back as the characters they were.
  CHECK(r.text.rfind(clean_text(), 0) == 0);
  CHECK(contains(r.text, "d\xC3\xA9tente \xE2\x80\x93 \xE2\x80\x9Cnot a rupture\xE2\x80\x9D."));
}

TEST_CASE("UTF-8 with a few windows-1252 bytes keeps its UTF-8 and repairs only those bytes", "[analyzers][decode]") {
  const std::string bytes = fixture("mixed_utf8_windows1252.txt");
  REQUIRE_FALSE(is_valid_utf8(bytes));
  const DecodeResult r = decode(bytes);
  CHECK(r.status == DecodeStatus::ok);
  CHECK(r.encoding == "UTF-8");
  REQUIRE(r.warnings.size() == 1);
  const std::size_t first_bad = clean_text().size() + std::string("Added later: the ").size();
  CHECK(contains(r.warnings[0], "invalid UTF-8 at byte " + std::to_string(first_bad)));
  CHECK(contains(r.warnings[0], "3 invalid of"));
  // The valid curly quotes and dashes of the article survive; the appended line is readable.
  CHECK(r.text == clean_text() + "Added later: the \xE2\x80\x9C" "d\xC3\xA9tente\xE2\x80\x9D.\n");
}

TEST_CASE("ISO-8859-1 text is read as its superset windows-1252", "[analyzers][decode]") {
  const DecodeResult r = decode(fixture("latin1.txt"));
  CHECK(r.status == DecodeStatus::ok);
  CHECK(r.encoding == "windows-1252");
  REQUIRE(r.warnings.size() == 1);
  CHECK(contains(r.warnings[0], "invalid UTF-8 at byte 16"));
  CHECK(r.text.rfind("Le ministre fran\xC3\xA7" "ais a d\xC3\xA9" "clar\xC3\xA9", 0) == 0);
}

TEST_CASE("files with NUL bytes or binary content are refused with a reason", "[analyzers][decode]") {
  const std::string with_nul = fixture("nul.txt");
  REQUIRE(with_nul.find('\0') == 304);  // three NULs after the first 300 characters (304 bytes)
  const DecodeResult nul = decode(with_nul);
  CHECK(nul.status == DecodeStatus::binary);
  CHECK(nul.reason == "contains NUL bytes (first at byte 304)");
  CHECK(nul.text.empty());

  const DecodeResult gz = decode(fixture("gzip.bin"));
  CHECK(gz.status == DecodeStatus::binary);
  CHECK((contains(gz.reason, "NUL") || contains(gz.reason, "control bytes")));

  const DecodeResult controls = decode(fixture("controls.bin"));
  CHECK(controls.status == DecodeStatus::binary);
  CHECK(contains(controls.reason, "control bytes"));

  // A stray form feed or ESC in real text is not binary.
  CHECK(decode("page one\fpage two \x1b[0m\n").status == DecodeStatus::ok);
}

TEST_CASE("empty, BOM-only and whitespace-only files are empty", "[analyzers][decode]") {
  const DecodeResult e = decode(fixture("empty.txt"));
  CHECK(e.status == DecodeStatus::empty);
  CHECK(e.reason == "empty file");

  const DecodeResult b = decode(fixture("bom_only.txt"));
  CHECK(b.status == DecodeStatus::empty);
  CHECK(b.had_bom);
  CHECK(b.reason == "only a byte order mark");

  // Spaces, tabs, CRLF, NBSP and EM SPACE.
  const DecodeResult w = decode(fixture("whitespace.txt"));
  CHECK(w.status == DecodeStatus::empty);
  CHECK(w.reason == "only whitespace");

  CHECK(decode("  x ").status == DecodeStatus::ok);
}

TEST_CASE("UTF-16 with a byte order mark is converted, not refused", "[analyzers][decode]") {
  const DecodeResult r = decode(fixture("utf16le.txt"));
  CHECK(r.status == DecodeStatus::ok);
  CHECK(r.encoding == "UTF-16LE");
  CHECK(r.had_bom);
  CHECK(r.text == clean_text());
}

TEST_CASE("decomposed text is normalised to NFC and typography is kept", "[analyzers][decode]") {
  const DecodeResult r = decode(fixture("nfd.txt"));
  CHECK(r.status == DecodeStatus::ok);
  CHECK(r.text == "The d\xC3\xA9tente of 1972 and P\xC3\xA9kin\xE2\x80\x99s view.\n");
  // Already-NFC text with curly quotes, dashes and NBSP comes back unchanged.
  const std::string typographic = "\xE2\x80\x9C" "China\xE2\x80\x99s\xE2\x80\x9D \xE2\x80\x93 Kim\xC2\xA0Jong-un\n";
  CHECK(decode(typographic).text == typographic);
}

TEST_CASE("the seed articles decode unchanged", "[analyzers][decode]") {
  for (const char* name : {"000_8fe11e022d0b9062.txt", "001_3787f9e5d4cdb258.txt", "002_4385b82e47fa7daf.txt",
                           "003_d673819c6f11a063.txt", "004_1e77538f18e764bb.txt"}) {
    INFO(name);
    const std::string bytes = slurp(std::string(LIPSTEETH_SOURCE_DIR) + "/corpus/" + name);
    const DecodeResult r = decode(bytes);
    CHECK(r.status == DecodeStatus::ok);
    CHECK(r.warnings.empty());
    CHECK(r.text == bytes);
  }
}

TEST_CASE("a large file of several megabytes decodes whole", "[analyzers][decode]") {
  // 6 MB: the seed article repeated with CRLF endings; then the same with one
  // windows-1252 byte near the end, found after 6 MB of valid UTF-8.
  std::string article = slurp(std::string(LIPSTEETH_SOURCE_DIR) + "/corpus/002_4385b82e47fa7daf.txt");
  std::string crlf;
  for (char c : article) {
    if (c == '\n') crlf += '\r';
    crlf += c;
  }
  std::string big;
  while (big.size() < 6'000'000) big += crlf;
  const DecodeResult ok = decode(big);
  CHECK(ok.status == DecodeStatus::ok);
  CHECK(ok.text.size() == big.size() - static_cast<std::size_t>(std::count(big.begin(), big.end(), '\r')));
  CHECK(ok.text.find('\r') == std::string::npos);

  const std::size_t at = big.size() - 10;
  big[at] = '\x92';  // windows-1252 RIGHT SINGLE QUOTATION MARK
  const DecodeResult damaged = decode(big);
  CHECK(damaged.status == DecodeStatus::ok);
  REQUIRE(damaged.warnings.size() == 1);
  CHECK(contains(damaged.warnings[0], "invalid UTF-8 at byte " + std::to_string(at)));
  CHECK(contains(damaged.warnings[0], "(1 invalid of"));
  CHECK(damaged.encoding == "UTF-8");
  CHECK(is_valid_utf8(damaged.text));
  // One ASCII byte became U+2019 (three bytes); everything else is as before.
  CHECK(damaged.text.size() == ok.text.size() + 2);
  CHECK(damaged.text.compare(0, 1000, ok.text, 0, 1000) == 0);
}

TEST_CASE("is_valid_utf8 rejects overlong forms, surrogates and truncation", "[analyzers][decode]") {
  CHECK(is_valid_utf8(""));
  CHECK(is_valid_utf8("plain ASCII"));
  CHECK(is_valid_utf8("\xE2\x80\x99"));
  CHECK(is_valid_utf8("\xF0\x9F\x98\x80"));
  CHECK_FALSE(is_valid_utf8("\xC0\xAF"));          // overlong '/'
  CHECK_FALSE(is_valid_utf8("\xED\xA0\x80"));      // UTF-16 surrogate
  CHECK_FALSE(is_valid_utf8("\xE2\x80"));          // truncated
  CHECK_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));  // above U+10FFFF
  CHECK_FALSE(is_valid_utf8("abcdefgh\x92ijklmnop"));
}

TEST_CASE("text in another single-byte charset is detected and decoded", "[analyzers][decode]") {
  // Russian, in windows-1251 bytes: ICU's detector (loaded on first use) must
  // name a Cyrillic charset, and the text must come back as the Cyrillic it is.
  const std::string bytes = "\xCF\xE5\xEA\xE8\xED\x20\xE8\x20\xCF\xF5\xE5\xED\xFC\xFF\xED\x20\xEF\xEE\xE4\xEF\xE8\xF1\xE0\xEB\xE8\x20\xE4\xEE\xE3\xEE\xE2\xEE\xF0\x20\xEE\x20\xE4\xF0\xF3\xE6\xE1\xE5\x2C\x20\xF1\xEE\xF2\xF0\xF3\xE4\xED\xE8\xF7\xE5\xF1\xF2\xE2\xE5\x20\xE8\x20\xE2\xE7\xE0\xE8\xEC\xED\xEE\xE9\x20\xEF\xEE\xEC\xEE\xF9\xE8\x20\xE2\x20\xE8\xFE\xEB\xE5\x20\x31\x39\x36\x31\x20\xE3\xEE\xE4\xE0\x2E\x20\xD1\x20\xF2\xE5\xF5\x20\xEF\xEE\xF0\x20\xEE\xF2\xED\xEE\xF8\xE5\xED\xE8\xFF\x20\xEC\xE5\xE6\xE4\xF3\x20\xCA\xE8\xF2\xE0\xE5\xEC\x20\xE8\x20\xD1\xE5\xE2\xE5\xF0\xED\xEE\xE9\x20\xCA\xEE\xF0\xE5\xE5\xE9\x20\xED\xE0\xE7\xFB\xE2\xE0\xFE\xF2\x20\xE1\xEB\xE8\xE7\xEA\xE8\xEC\xE8\x2C\x20\xEA\xE0\xEA\x20\xE3\xF3\xE1\xFB\x20\xE8\x20\xE7\xF3\xE1\xFB\x2E\x20\xCE\xE4\xED\xE0\xEA\xEE\x20\xEF\xEE\xF1\xEB\xE5\x20\xFF\xE4\xE5\xF0\xED\xFB\xF5\x20\xE8\xF1\xEF\xFB\xF2\xE0\xED\xE8\xE9\x20\xCF\xE5\xEA\xE8\xED\x20\xEF\xEE\xE4\xE4\xE5\xF0\xE6\xE0\xEB\x20\xF1\xE0\xED\xEA\xF6\xE8\xE8\x20\xD1\xEE\xE2\xE5\xF2\xE0\x20\xC1\xE5\xE7\xEE\xEF\xE0\xF1\xED\xEE\xF1\xF2\xE8\x20\xCE\xCE\xCD\x2E";
  const auto r = lipsteeth::analyzers::decode(bytes);
  REQUIRE(r.status == lipsteeth::analyzers::DecodeStatus::ok);
  CHECK(r.encoding == "windows-1251");
  CHECK(r.text.find("\xD0\x9F\xD0\xB5\xD0\xBA\xD0\xB8\xD0\xBD") == 0);  // "Пекин"
  CHECK(r.text.find("\xD0\x9E\xD0\x9E\xD0\x9D") != std::string::npos);       // "ООН"
}
