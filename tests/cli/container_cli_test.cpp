// `lipsteeth index`, `search` and `analyze` on a folder of PDF, DOCX, ODT,
// EPUB and .gz files, some of them encrypted, image-only or a decompression
// bomb: the built binary, its stdout, stderr and exit codes.
#include <catch2/catch.hpp>

#include "tests/container_fixtures.h"
#include "tests/test_support.h"

#include <nlohmann/json.hpp>

using namespace lipsteeth::testing;

namespace {

const std::string kData = std::string(LIPSTEETH_SOURCE_DIR) + "/tests/data/containers/";

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

// A corpus of every container kind, readable and not.
void write_corpus(const TempDir& t) {
  t.write("corpus/report.pdf", slurp(kData + "report.pdf"));
  t.write("corpus/memo.docx", make_zip(docx_members("Rail Link Talks Resume", "2018-09-19T08:00:00Z", "Kim Soo-ah")));
  t.write("corpus/fishing.odt", make_zip(odt_members()));
  t.write("corpus/books/letters.epub", make_zip(epub_members()));
  t.write("corpus/ferry.html.gz",
          gzip("<html><head><title>Ferry Service Resumes</title></head><body><p>The ferry between Nampo and "
               "Dalian sailed again on Friday.</p></body></html>"));
  t.write("corpus/encrypted.pdf", slurp(kData + "encrypted.pdf"));
  t.write("corpus/scanned.pdf", slurp(kData + "scanned.pdf"));
  t.write("corpus/bomb.txt.gz", gzip(std::string(8u << 20, 'a')));
  t.write("corpus/backup.tar.gz", gzip("not a tar file"));
}

}  // namespace

TEST_CASE("indexes PDF, DOCX, ODT, EPUB and .gz files and skips the unreadable ones with a reason each", "[cli][container]") {
  TempDir t;
  write_corpus(t);
  const std::string db = (t.path / "db").string();
  const std::string corpus = (t.path / "corpus").string();
  CliRun r = run_cli("index", {"--db", db, corpus});
  INFO(r.err);
  CHECK(r.code == 5);  // finished, some files unreadable
  CHECK(contains(r.out, "5 added"));
  CHECK(contains(r.err, "skipped " + corpus + "/encrypted.pdf: encrypted PDF (a password is needed to open it)"));
  CHECK(contains(r.err, "skipped " + corpus + "/scanned.pdf: no text (an image-only or scanned PDF of 1 page"));
  CHECK(contains(r.err, "skipped " + corpus + "/bomb.txt.gz: too large when decompressed"));
  CHECK(contains(r.err, "skipped " + corpus + "/backup.tar.gz: unsupported extension .tar.gz"));
  CHECK(contains(r.out, "4 skipped (encrypted PDF: 1, no text: 1, too large when decompressed: 1, "
                        "unsupported extension .tar.gz: 1)"));

  // A word of the PDF, one of the DOCX, one inside the .gz, one of the EPUB.
  struct Case {
    const char* query;
    const char* file;
  } cases[] = {{"Friendship Bridge", "report.pdf"}, {"bridgehead", "memo.docx"}, {"Nampo", "ferry.html.gz"},
               {"Tumen", "books/letters.epub"}, {"squid", "fishing.odt"}};
  for (const auto& c : cases) {
    INFO(c.query);
    CliRun s = run_cli("search", {"--db", db, "--json", c.query});
    INFO(s.err);
    REQUIRE(s.code == 0);
    const auto j = nlohmann::json::parse(s.out);
    REQUIRE_FALSE(j["hits"].empty());
    CHECK(contains(j["hits"][0].dump(), c.file));
  }
  CliRun y = run_cli("search", {"--db", db, "--json", "--year", "2017", "Dandong"});
  REQUIRE(y.code == 0);
  const auto jy = nlohmann::json::parse(y.out);
  REQUIRE(jy["hits"].size() >= 1);
  for (const auto& hit : jy["hits"]) CHECK(contains(hit.dump(), "report.pdf"));  // the DOCX says 2018
}

TEST_CASE("analyze shows a PDF's format and stated properties, and refuses an encrypted one with exit 5", "[cli][container]") {
  TempDir t;
  write_corpus(t);
  CliRun r = run_cli("analyze", {"--json", (t.path / "corpus/report.pdf").string(), (t.path / "corpus/encrypted.pdf").string()});
  CHECK(r.code == 5);
  const auto j = nlohmann::json::parse(r.out);
  REQUIRE(j["files"].size() == 2);
  const auto& ok = j["files"][0];
  CHECK(ok["format"] == "pdf");
  CHECK(ok["status"] == "ok");
  CHECK(ok["title"] == "Border Trade Along the Yalu");
  CHECK(ok["title_source"] == "stated");
  CHECK(ok["date"] == "2017-04-15");
  const auto& bad = j["files"][1];
  CHECK(bad["format"] == "pdf");
  CHECK(bad["status"] == "unreadable");
  CHECK(bad["reason"] == "encrypted PDF (a password is needed to open it)");
  CHECK(contains(r.err, "encrypted PDF"));
}
