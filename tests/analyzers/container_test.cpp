// Container files (analyzers/container*.cpp): the text and stated properties
// of PDF, DOCX, ODT, EPUB and .gz files, and the reason each damaged,
// encrypted, image-only or oversized one is refused.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "analyzers/article.h"
#include "analyzers/container.h"
#include "tests/container_fixtures.h"
#include "tests/test_support.h"

using namespace lipsteeth::analyzers;
using lipsteeth::testing::docx_members;
using lipsteeth::testing::epub_members;
using lipsteeth::testing::gzip;
using lipsteeth::testing::make_zip;
using lipsteeth::testing::odt_members;
using lipsteeth::testing::slurp;
using lipsteeth::testing::ZipMember;

namespace {

const std::string kData = std::string(LIPSTEETH_SOURCE_DIR) + "/tests/data/containers/";

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

std::string docx(const std::string& title = "Rail Link Talks Resume", const std::string& created = "2018-09-19T08:00:00Z") {
  return make_zip(docx_members(title, created, "Kim Soo-ah"));
}

// The members with `name` replaced by `bytes` (or added when missing).
std::vector<ZipMember> with(std::vector<ZipMember> members, const std::string& name, const std::string& bytes) {
  for (auto& m : members)
    if (m.name == name) {
      m.bytes = bytes;
      return members;
    }
  members.push_back({name, bytes});
  return members;
}

std::vector<ZipMember> without(std::vector<ZipMember> members, const std::string& name) {
  std::vector<ZipMember> out;
  for (auto& m : members)
    if (m.name != name) out.push_back(m);
  return out;
}

}  // namespace

TEST_CASE("names ending in .pdf, .docx, .odt, .epub or .gz are container files", "[analyzers][container]") {
  struct Case {
    const char* path;
    bool container;
  } cases[] = {{"a/report.pdf", true}, {"REPORT.PDF", true}, {"memo.docx", true},  {"memo.odt", true},
               {"book.epub", true},    {"story.html.gz", true}, {"notes.txt.GZ", true}, {"page.html", false},
               {"notes.txt", false},   {"pdf", false},          {"memo.doc", false},    {"gz", false}};
  for (const auto& c : cases) {
    INFO(c.path);
    CHECK(is_container_path(c.path) == c.container);
  }
}

TEST_CASE("a PDF gives its text in paragraphs and its Info title, creation date and authors", "[analyzers][container][pdf]") {
  const ContainerText c = read_container(slurp(kData + "report.pdf"), "report.pdf");
  REQUIRE(c.status == ContainerStatus::ok);
  CHECK(c.format == Format::pdf);
  CHECK_FALSE(c.plain);
  // Four paragraphs as written, each one paragraph although the PDF wraps it
  // over several lines; the wrapped lines stay lines.
  CHECK(c.text.rfind("Border Trade Along the Yalu After the Sanctions\n\nTrucks crossing the Friendship Bridge", 0) == 0);
  CHECK(contains(c.text, "released in Beijing on Tuesday."));
  CHECK(contains(c.text, "took effect.\n\nTraders in Dandong"));
  CHECK(contains(c.text, "asked not to be named.\n\nPyongyang's embassy"));
  CHECK(c.text.find("\n\n\n") == std::string::npos);
  CHECK(c.stated.title == "Border Trade Along the Yalu");
  CHECK(c.stated.title_source == FieldSource::stated);
  CHECK(c.stated.date == "2017-04-15");  // the day written, in its own time zone (+08:00), not UTC's
  CHECK(c.stated.year == 2017);
  CHECK(c.stated.authors == std::vector<std::string>{"Lee Min-jun", "Zhang Wei"});
}

TEST_CASE("a PDF's running heads and page numbers are left out, and a paragraph goes on across a page", "[analyzers][container][pdf]") {
  const ContainerText c = read_container(slurp(kData + "paged.pdf"), "paged.pdf");
  REQUIRE(c.status == ContainerStatus::ok);
  // Atop the first page it is the title of the document, which the other pages repeat: kept there only.
  CHECK(c.text.rfind("Liaoning Trade Monitor, No. 14\n\n", 0) == 0);
  CHECK(c.text.find("Liaoning Trade Monitor", 1) == std::string::npos);
  CHECK_FALSE(contains(c.text, "Page "));
  CHECK(contains(c.text, "Border Trade Along the Yalu After the Sanctions\n\nTrucks crossing"));
  // Page 1 ends "...the new sanctions", page 2 begins "took effect.".
  CHECK(contains(c.text, "since the new sanctions\ntook effect.\n\nTraders in Dandong"));
  CHECK(contains(c.text, "through the summer."));
  // "Liaoning" in the text itself stays.
  CHECK(contains(c.text, "Liaoning said inspections"));
}

TEST_CASE("a PDF article goes through the same analysis as a text file", "[analyzers][container][article]") {
  const Article a = analyze_article(slurp(kData + "report.pdf"), "corpus/report.pdf", "report.pdf", {});
  REQUIRE(a.ok());
  CHECK(a.format == Format::pdf);
  CHECK(std::string(format_name(a.format)) == "pdf");
  CHECK(a.metadata.title == "Border Trade Along the Yalu");
  CHECK(a.metadata.date == "2017-04-15");
  CHECK(a.metadata.year == 2017);
  CHECK_FALSE(a.raw_base.has_value());  // the text is nowhere in the file's bytes
  REQUIRE(a.passages.size() >= 3);
  bool found = false;
  for (const auto& p : a.passages)
    found = found || contains(a.text.substr(p.start, p.end - p.start), "Sinuiju");
  CHECK(found);
}

TEST_CASE("encrypted, image-only, damaged and mislabelled PDFs are refused with a reason", "[analyzers][container][pdf]") {
  const std::string report = slurp(kData + "report.pdf");
  struct Case {
    const char* what;
    std::string bytes;
    const char* reason;
  } cases[] = {
      {"a user password (qpdf --encrypt)", slurp(kData + "encrypted.pdf"), "encrypted PDF"},
      {"a scanned page: one image, no text", slurp(kData + "scanned.pdf"), "no text (an image-only or scanned PDF of 1 page"},
      {"cut after its header", report.substr(0, 120), "corrupt PDF file"},
      {"a header and nothing else", "%PDF-1.4\n", "corrupt PDF file"},
      {"a text file named .pdf", "Border trade fell by a third.\n", "not a PDF file"},
      {"no bytes", "", "not a PDF file"},
  };
  for (const auto& c : cases) {
    INFO(c.what);
    const ContainerText r = read_container(c.bytes, "x.pdf");
    CHECK(r.status == ContainerStatus::unreadable);
    CHECK(r.format == Format::pdf);
    CHECK(r.reason.rfind(c.reason, 0) == 0);
    CHECK(r.text.empty());
  }
  // analyze_article reports it as unreadable, with the same reason.
  const Article a = analyze_article(slurp(kData + "encrypted.pdf"), "encrypted.pdf", "encrypted.pdf", {});
  CHECK(a.decoded.status == DecodeStatus::unreadable);
  CHECK(a.decoded.reason == "encrypted PDF (a password is needed to open it)");
  CHECK(a.passages.empty());
}

TEST_CASE("a DOCX gives its paragraphs without field codes or deleted text, and core.xml's properties", "[analyzers][container][docx]") {
  const ContainerText c = read_container(docx(), "memo.docx");
  REQUIRE(c.status == ContainerStatus::ok);
  CHECK(c.format == Format::docx);
  CHECK(c.text ==
        "Rail Link Talks Resume in Dandong\n\n"
        "Engineers from both sides met at the bridgehead on Monday.\n\n"
        "Cargo: coal\nPassengers: none\n\n"
        "The survey of the Sinuiju approach is due in the spring.");
  CHECK(c.stated.title == "Rail Link Talks Resume");
  CHECK(c.stated.date == "2018-09-19");
  CHECK(c.stated.year == 2018);
  CHECK(c.stated.authors == std::vector<std::string>{"Kim Soo-ah"});
}

TEST_CASE("a document's Title that is a file name or a placeholder is no title", "[analyzers][container]") {
  for (const char* junk : {"Microsoft Word - memo3.doc", "draft_v2.docx", "Untitled", "  "}) {
    INFO(junk);
    const ContainerText c = read_container(docx(junk), "memo.docx");
    REQUIRE(c.status == ContainerStatus::ok);
    CHECK(c.stated.title.empty());
    CHECK(c.stated.title_source == FieldSource::unknown);
    // The title is then found in the text, as in any file.
    const Article a = analyze_article(docx(junk), "memo.docx", "memo.docx", {});
    CHECK(a.metadata.title == "Rail Link Talks Resume in Dandong");
  }
  const ContainerText kept = read_container(docx("Microsoft Word - Rail Link Talks"), "memo.docx");
  CHECK(kept.stated.title == "Rail Link Talks");
}

TEST_CASE("encrypted, damaged, incomplete and oversized DOCX files are refused with a reason", "[analyzers][container][docx]") {
  const std::string good = docx();
  std::vector<ZipMember> bomb = with(docx_members("t", "2018", "a"), "word/document.xml",
                                     "<w:document><w:body><w:p><w:r><w:t>" + std::string(8u << 20, 'a') +
                                         "</w:t></w:r></w:p></w:body></w:document>");
  struct Case {
    const char* what;
    std::string bytes;
    const char* reason;
  } cases[] = {
      {"Word's password protection (an OLE compound file)",
       std::string("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) + std::string(504, '\0'), "encrypted"},
      {"cut in half", good.substr(0, good.size() / 2), "corrupt zip archive"},
      {"not a zip at all", "Rail link talks resumed.\n", "corrupt zip archive"},
      {"no word/document.xml", make_zip(without(docx_members("t", "2018", "a"), "word/document.xml")),
       "not a DOCX document: no word/document.xml"},
      {"document.xml not well-formed", make_zip(with(docx_members("t", "2018", "a"), "word/document.xml", "<w:document><w:body>")),
       "corrupt DOCX document"},
      {"document.xml with no text", make_zip(with(docx_members("t", "2018", "a"), "word/document.xml",
                                                 "<w:document><w:body><w:p/></w:body></w:document>")),
       "no text"},
      {"8 MB that deflate to 8 KB", make_zip(bomb), "too large when decompressed"},
  };
  for (const auto& c : cases) {
    INFO(c.what);
    const ContainerText r = read_container(c.bytes, "memo.docx");
    CHECK(r.status == ContainerStatus::unreadable);
    CHECK(r.reason.rfind(c.reason, 0) == 0);
  }
  // A damaged core.xml costs the properties only.
  const ContainerText no_props = read_container(make_zip(with(docx_members("t", "2018", "a"), "docProps/core.xml", "<cp:core")), "m.docx");
  CHECK(no_props.status == ContainerStatus::ok);
  CHECK(no_props.stated.title.empty());
  CHECK(contains(no_props.text, "bridgehead"));
}

TEST_CASE("a DOCX whose document.xml is AES-encrypted in the zip is refused as encrypted", "[analyzers][container][docx]") {
  if (!zip_encryption_method_supported(ZIP_EM_AES_256, 1)) return;  // libzip built without crypto
  auto members = docx_members("t", "2018", "a");
  for (auto& m : members)
    if (m.name == "word/document.xml") m.password = "secret";
  const ContainerText r = read_container(make_zip(members), "memo.docx");
  CHECK(r.status == ContainerStatus::unreadable);
  CHECK(r.reason == "encrypted (word/document.xml is password-protected)");
}

TEST_CASE("an ODT gives its headings and paragraphs without comments, and meta.xml's properties", "[analyzers][container][odt]") {
  const ContainerText c = read_container(make_zip(odt_members()), "fishing.odt");
  REQUIRE(c.status == ContainerStatus::ok);
  CHECK(c.format == Format::odt);
  CHECK(c.text ==
        "Fishing Rights off the West Sea Coast\n\n"
        "Boats from Shandong were seen near the line again.\n\n"
        "Catch declared: squid");
  CHECK(c.stated.title == "Fishing Rights off the West Sea");
  CHECK(c.stated.date == "2019-11-02");  // meta:creation-date, not dc:date (the last save)
  CHECK(c.stated.authors == std::vector<std::string>{"Park Ji-hoon"});  // meta:initial-creator, not the last editor
}

TEST_CASE("encrypted and damaged ODT files are refused with a reason", "[analyzers][container][odt]") {
  struct Case {
    const char* what;
    std::string bytes;
    const char* reason;
  } cases[] = {
      {"saved with a password", make_zip(with(with(odt_members(), "META-INF/manifest.xml", lipsteeth::testing::odt_encrypted_manifest()),
                                              "content.xml", std::string("\x8f\x13\xa2\x07\x99\x00\x41\xee", 8))),
       "encrypted"},
      {"no content.xml", make_zip(without(odt_members(), "content.xml")), "not an ODT document: no content.xml"},
      {"content.xml cut short", make_zip(with(odt_members(), "content.xml", "<office:document-content><office:body>")),
       "corrupt ODT document"},
  };
  for (const auto& c : cases) {
    INFO(c.what);
    const ContainerText r = read_container(c.bytes, "fishing.odt");
    CHECK(r.status == ContainerStatus::unreadable);
    CHECK(r.reason.rfind(c.reason, 0) == 0);
  }
}

TEST_CASE("an EPUB gives its spine's chapters in order and its OPF title, date and creators", "[analyzers][container][epub]") {
  const ContainerText c = read_container(make_zip(epub_members()), "letters.epub");
  REQUIRE(c.status == ContainerStatus::ok);
  CHECK(c.format == Format::epub);
  CHECK(c.text ==
        "Chapter One\n\n"
        "The river was frozen by December,\nand the crossings stopped.\n\n"
        "Nobody in Tumen spoke of it.\n\n"
        "Chapter Two\n\n"
        "In spring the ferries ran again\xE2\x80\x94twice a week.");
  CHECK(c.stated.title == "Letters from the Tumen");
  CHECK(c.stated.date == "2015-08");
  CHECK(c.stated.year == 2015);
  CHECK(c.stated.authors == std::vector<std::string>{"Choi Eun-young", "Wang Li"});
}

TEST_CASE("DRM-encrypted and incomplete EPUB files are refused with a reason", "[analyzers][container][epub]") {
  const std::string encryption =
      "<?xml version=\"1.0\"?><encryption xmlns=\"urn:oasis:names:tc:opendocument:xmlns:container\" "
      "xmlns:enc=\"http://www.w3.org/2001/04/xmlenc#\"><enc:EncryptedData><enc:EncryptionMethod "
      "Algorithm=\"http://www.w3.org/2001/04/xmlenc#aes128-cbc\"/><enc:CipherData><enc:CipherReference "
      "URI=\"OEBPS/Text/ch1.xhtml\"/></enc:CipherData></enc:EncryptedData></encryption>";
  // Fonts obfuscated under the IDPF rules are listed the same way; they do not stop the book.
  const std::string fonts =
      "<?xml version=\"1.0\"?><encryption xmlns=\"urn:oasis:names:tc:opendocument:xmlns:container\" "
      "xmlns:enc=\"http://www.w3.org/2001/04/xmlenc#\"><enc:EncryptedData><enc:EncryptionMethod "
      "Algorithm=\"http://www.idpf.org/2008/embedding\"/><enc:CipherData><enc:CipherReference "
      "URI=\"OEBPS/Fonts/serif.otf\"/></enc:CipherData></enc:EncryptedData></encryption>";
  CHECK(read_container(make_zip(with(epub_members(), "META-INF/encryption.xml", fonts)), "b.epub").status ==
        ContainerStatus::ok);
  struct Case {
    const char* what;
    std::string bytes;
    const char* reason;
  } cases[] = {
      {"chapters under DRM", make_zip(with(epub_members(), "META-INF/encryption.xml", encryption)), "encrypted"},
      {"no container.xml", make_zip(without(epub_members(), "META-INF/container.xml")),
       "not an EPUB book: no META-INF/container.xml"},
      {"container.xml names no package", make_zip(with(epub_members(), "META-INF/container.xml", "<container/>")),
       "corrupt EPUB book"},
      {"the spine's chapters missing",
       make_zip(without(without(epub_members(), "OEBPS/Text/ch1.xhtml"), "OEBPS/Text/chapter two.xhtml")), "no text"},
  };
  for (const auto& c : cases) {
    INFO(c.what);
    const ContainerText r = read_container(c.bytes, "letters.epub");
    CHECK(r.status == ContainerStatus::unreadable);
    CHECK(r.reason.rfind(c.reason, 0) == 0);
  }
}

TEST_CASE("a .gz file is read as the file inside it, named by the name without .gz", "[analyzers][container][gzip]") {
  const std::string html =
      "<!DOCTYPE html><html><head><title>Ferry Service Resumes</title></head><body>"
      "<p>The ferry between Nampo and Dalian sailed again on Friday.</p></body></html>";
  const ContainerText c = read_container(gzip(html), "news/ferry.html.gz");
  REQUIRE(c.status == ContainerStatus::ok);
  CHECK(c.plain);
  CHECK(c.format == Format::html);
  CHECK(c.text == html);  // the inner bytes, decoded and read as HTML by analyze_article

  const Article a = analyze_article(gzip(html), "news/ferry.html.gz", "ferry.html.gz", {});
  REQUIRE(a.ok());
  CHECK(a.format == Format::html);
  CHECK(a.metadata.title == "Ferry Service Resumes");
  CHECK_FALSE(a.raw_base.has_value());
  REQUIRE(a.passages.size() == 1);
  CHECK(a.text.substr(a.passages[0].start, a.passages[0].end - a.passages[0].start) ==
        "The ferry between Nampo and Dalian sailed again on Friday.");

  // A compressed PDF, and two gzip members one after the other (cat a.gz b.gz).
  const ContainerText pdf = read_container(gzip(slurp(kData + "report.pdf")), "report.PDF.gz");
  REQUIRE(pdf.status == ContainerStatus::ok);
  CHECK(pdf.format == Format::pdf);
  CHECK(pdf.stated.title == "Border Trade Along the Yalu");
  const ContainerText two = read_container(gzip("first half, ") + gzip("second half\n"), "notes.txt.gz");
  CHECK(two.text == "first half, second half\n");
}

TEST_CASE("damaged, nested and oversized .gz files are refused with a reason", "[analyzers][container][gzip]") {
  const std::string text = "The ferry between Nampo and Dalian sailed again on Friday.\n";
  const std::string packed = gzip(text);
  struct Case {
    const char* what;
    std::string bytes;
    const char* path;
    const char* reason;
  } cases[] = {
      {"cut short", packed.substr(0, packed.size() - 12), "a.txt.gz", "truncated gzip file"},
      {"not gzip at all", text, "a.txt.gz", "corrupt gzip file"},
      {"a flipped byte in the data", [&] { std::string b = packed; b[14] = static_cast<char>(b[14] ^ 0x55); return b; }(),
       "a.txt.gz", "corrupt gzip file"},
      {"compressed twice", gzip(packed), "a.txt.gz.gz", "compressed too many times over"},
      // 8 MB of zeros in 8 KB: past 200 times its size beyond the 4 MB floor.
      {"a bomb", gzip(std::string(8u << 20, '\0')), "a.txt.gz", "too large when decompressed"},
  };
  for (const auto& c : cases) {
    INFO(c.what);
    const ContainerText r = read_container(c.bytes, c.path);
    CHECK(r.status == ContainerStatus::unreadable);
    CHECK(r.reason.rfind(c.reason, 0) == 0);
    CHECK(r.text.empty());
  }
}

TEST_CASE("the decompression limits are the caller's to set", "[analyzers][container][gzip]") {
  const std::string text(3u << 20, 'x');  // 3 MB of one letter: 3 KB compressed
  ContainerLimits tight;
  tight.max_bytes = 1u << 20;
  const ContainerText over = read_container(gzip(text), "a.txt.gz", tight);
  CHECK(over.status == ContainerStatus::unreadable);
  CHECK(over.reason.rfind("too large when decompressed (more than 1 MB", 0) == 0);
  // Under the default limits the same file is too small for the ratio to count.
  const ContainerText ok = read_container(gzip(text), "a.txt.gz");
  CHECK(ok.status == ContainerStatus::ok);
  CHECK(ok.text.size() == text.size());
}
