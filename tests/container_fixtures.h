// Container files made in the test: zip archives (libzip) shaped like what
// Word, LibreOffice and EPUB writers save, and gzip streams (zlib). Texts are
// written for these tests.
#pragma once

#include <catch2/catch.hpp>

#include <zip.h>
#include <zlib.h>

#include <string>
#include <utility>
#include <vector>

namespace lipsteeth::testing {

struct ZipMember {
  std::string name, bytes;
  bool stored = false;         // no compression (an OpenDocument's or EPUB's mimetype)
  const char* password = nullptr;  // AES-256 encrypted with it
};

// The bytes of a zip archive holding `members` in order.
inline std::string make_zip(const std::vector<ZipMember>& members) {
  zip_error_t ze;
  zip_error_init(&ze);
  zip_source_t* buf = zip_source_buffer_create(nullptr, 0, 0, &ze);
  REQUIRE(buf != nullptr);
  zip_source_keep(buf);
  zip_t* za = zip_open_from_source(buf, ZIP_TRUNCATE, &ze);
  REQUIRE(za != nullptr);
  for (const auto& m : members) {
    zip_source_t* s = zip_source_buffer(za, m.bytes.data(), m.bytes.size(), 0);
    REQUIRE(s != nullptr);
    zip_int64_t i = zip_file_add(za, m.name.c_str(), s, ZIP_FL_ENC_UTF_8);
    REQUIRE(i >= 0);
    if (m.stored) zip_set_file_compression(za, static_cast<zip_uint64_t>(i), ZIP_CM_STORE, 0);
    if (m.password)
      REQUIRE(zip_file_set_encryption(za, static_cast<zip_uint64_t>(i), ZIP_EM_AES_256, m.password) == 0);
  }
  REQUIRE(zip_close(za) == 0);
  REQUIRE(zip_source_open(buf) == 0);
  std::string out;
  char chunk[65536];
  zip_int64_t n;
  while ((n = zip_source_read(buf, chunk, sizeof chunk)) > 0) out.append(chunk, static_cast<std::size_t>(n));
  zip_source_close(buf);
  zip_source_free(buf);
  zip_error_fini(&ze);
  return out;
}

// `bytes` compressed as a gzip file (what `gzip -9` writes).
inline std::string gzip(const std::string& bytes) {
  z_stream zs{};
  REQUIRE(deflateInit2(&zs, 9, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY) == Z_OK);
  std::string out(deflateBound(&zs, bytes.size()), '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
  zs.avail_in = static_cast<uInt>(bytes.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  REQUIRE(deflate(&zs, Z_FINISH) == Z_STREAM_END);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

inline std::string docx_paragraph(const std::string& text) {
  return "<w:p><w:pPr><w:pStyle w:val=\"BodyText\"/><w:tabs><w:tab w:val=\"left\" w:pos=\"720\"/></w:tabs></w:pPr>"
         "<w:r><w:rPr><w:lang w:val=\"en-GB\"/></w:rPr><w:t xml:space=\"preserve\">" +
         text + "</w:t></w:r></w:p>";
}

// A DOCX as Word saves one: a heading, a paragraph split over runs (with a
// field code and a deleted revision in it), a line break and a tab.
inline std::vector<ZipMember> docx_members(const std::string& title, const std::string& created,
                                           const std::string& creator) {
  const std::string body =
      "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
      "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" "
      "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><w:body>"
      "<w:p><w:pPr><w:pStyle w:val=\"Heading1\"/></w:pPr><w:r><w:t>Rail Link Talks Resume in Dandong</w:t></w:r></w:p>"
      "<w:p><w:r><w:t xml:space=\"preserve\">Engineers from both sides </w:t></w:r>"
      "<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText xml:space=\"preserve\"> PAGE </w:instrText></w:r>"
      "<w:r><w:fldChar w:fldCharType=\"end\"/></w:r>"
      "<w:del w:id=\"1\" w:author=\"Editor\"><w:r><w:delText>never </w:delText></w:r></w:del>"
      "<w:r><w:t>met at the bridge</w:t></w:r><w:r><w:t xml:space=\"preserve\">head on Monday.</w:t></w:r></w:p>"
      "<w:p><w:r><w:t>Cargo:</w:t><w:tab/><w:t>coal</w:t><w:br/><w:t>Passengers: none</w:t></w:r></w:p>" +
      docx_paragraph("The survey of the Sinuiju approach is due in the spring.") +
      "<w:sectPr><w:pgSz w:w=\"11906\" w:h=\"16838\"/></w:sectPr></w:body></w:document>";
  const std::string core =
      "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
      "<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" "
      "xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\" "
      "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><dc:title>" +
      title + "</dc:title><dc:creator>" + creator +
      "</dc:creator><cp:lastModifiedBy>Desk</cp:lastModifiedBy>"
      "<dcterms:created xsi:type=\"dcterms:W3CDTF\">" +
      created +
      "</dcterms:created><dcterms:modified xsi:type=\"dcterms:W3CDTF\">2021-01-05T10:00:00Z</dcterms:modified>"
      "</cp:coreProperties>";
  return {
      {"[Content_Types].xml",
       "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types "
       "xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"xml\" "
       "ContentType=\"application/xml\"/></Types>"},
      {"_rels/.rels",
       "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships "
       "xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" "
       "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" "
       "Target=\"word/document.xml\"/></Relationships>"},
      {"word/document.xml", body},
      {"docProps/core.xml", core},
  };
}

// An ODT as LibreOffice saves one.
inline std::vector<ZipMember> odt_members() {
  const std::string ns =
      "xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" "
      "xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" "
      "xmlns:style=\"urn:oasis:names:tc:opendocument:xmlns:style:1.0\" "
      "xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:meta=\"urn:oasis:names:tc:opendocument:xmlns:meta:1.0\" "
      "office:version=\"1.3\"";
  const std::string content =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<office:document-content " + ns +
      "><office:automatic-styles><style:style style:name=\"P1\" style:family=\"paragraph\"/></office:automatic-styles>"
      "<office:body><office:text>"
      "<text:h text:outline-level=\"1\">Fishing Rights off the West Sea Coast</text:h>\n"
      "<text:p text:style-name=\"P1\">Boats from <text:span>Shandong</text:span> were seen<text:s text:c=\"2\"/>near "
      "the line again.<office:annotation><dc:creator>Desk</dc:creator><text:p>check the date</text:p>"
      "</office:annotation></text:p>\n"
      "<text:list><text:list-item><text:p>Catch declared: squid</text:p></text:list-item></text:list>"
      "</office:text></office:body></office:document-content>";
  const std::string meta =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<office:document-meta " + ns +
      "><office:meta><meta:initial-creator>Park Ji-hoon</meta:initial-creator><dc:creator>Desk</dc:creator>"
      "<meta:creation-date>2019-11-02T14:20:11.512000000</meta:creation-date><dc:date>2020-03-01T09:00:00</dc:date>"
      "<dc:title>Fishing Rights off the West Sea</dc:title><meta:generator>LibreOffice/7.4</meta:generator>"
      "</office:meta></office:document-meta>";
  const std::string manifest =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<manifest:manifest "
      "xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\" manifest:version=\"1.3\">"
      "<manifest:file-entry manifest:full-path=\"/\" "
      "manifest:media-type=\"application/vnd.oasis.opendocument.text\"/>"
      "<manifest:file-entry manifest:full-path=\"content.xml\" manifest:media-type=\"text/xml\"/>"
      "<manifest:file-entry manifest:full-path=\"meta.xml\" manifest:media-type=\"text/xml\"/>"
      "</manifest:manifest>";
  return {{"mimetype", "application/vnd.oasis.opendocument.text", true},
          {"content.xml", content},
          {"meta.xml", meta},
          {"META-INF/manifest.xml", manifest}};
}

// The manifest of an ODT saved with a password: content.xml is then
// encrypted bytes.
inline std::string odt_encrypted_manifest() {
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<manifest:manifest "
         "xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\" manifest:version=\"1.3\">"
         "<manifest:file-entry manifest:full-path=\"/\" manifest:media-type=\"application/vnd.oasis.opendocument.text\"/>"
         "<manifest:file-entry manifest:full-path=\"content.xml\" manifest:media-type=\"text/xml\" manifest:size=\"2114\">"
         "<manifest:encryption-data manifest:checksum-type=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0#sha256-1k\" "
         "manifest:checksum=\"k3Zr0dUoH5o6m2A1t1kq8Q3vWcE=\"><manifest:algorithm "
         "manifest:algorithm-name=\"http://www.w3.org/2001/04/xmlenc#aes256-cbc\" "
         "manifest:initialisation-vector=\"bXlpdm15aXZteWl2bXlpdg==\"/></manifest:encryption-data>"
         "</manifest:file-entry></manifest:manifest>";
}

// An EPUB 3 book of two chapters, the second named with a space.
inline std::vector<ZipMember> epub_members() {
  const std::string opf =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<package xmlns=\"http://www.idpf.org/2007/opf\" version=\"3.0\" "
      "unique-identifier=\"uid\"><metadata xmlns:dc=\"http://purl.org/dc/elements/1.1/\">"
      "<dc:identifier id=\"uid\">urn:uuid:5b0e1f0e-1111-4c3a-9d2e-0a0b0c0d0e0f</dc:identifier>"
      "<dc:title>Letters from the Tumen</dc:title><dc:creator>Choi Eun-young</dc:creator>"
      "<dc:creator>Wang Li</dc:creator><dc:language>en</dc:language><dc:date>2015-08</dc:date>"
      "<meta property=\"dcterms:modified\">2022-02-01T00:00:00Z</meta></metadata>"
      "<manifest><item id=\"nav\" href=\"nav.xhtml\" media-type=\"application/xhtml+xml\" properties=\"nav\"/>"
      "<item id=\"c1\" href=\"Text/ch1.xhtml\" media-type=\"application/xhtml+xml\"/>"
      "<item id=\"c2\" href=\"Text/chapter%20two.xhtml\" media-type=\"application/xhtml+xml\"/>"
      "<item id=\"css\" href=\"Styles/book.css\" media-type=\"text/css\"/></manifest>"
      "<spine><itemref idref=\"c1\"/><itemref idref=\"c2\"/></spine></package>";
  auto chapter = [](const std::string& h, const std::string& body) {
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\">"
           "<head><title>" +
           h + "</title><link rel=\"stylesheet\" href=\"../Styles/book.css\"/><style>p{margin:0}</style></head>"
               "<body><section><h1>" +
           h + "</h1>\n" + body + "</section></body></html>";
  };
  return {{"mimetype", "application/epub+zip", true},
          {"META-INF/container.xml",
           "<?xml version=\"1.0\"?><container version=\"1.0\" xmlns=\"urn:oasis:names:tc:opendocument:xmlns:container\">"
           "<rootfiles><rootfile full-path=\"OEBPS/content.opf\" media-type=\"application/oebps-package+xml\"/>"
           "</rootfiles></container>"},
          {"OEBPS/content.opf", opf},
          {"OEBPS/nav.xhtml", "<html><body><nav><ol><li>Chapter One</li></ol></nav></body></html>"},
          {"OEBPS/Text/ch1.xhtml",
           chapter("Chapter One", "<p>The river was frozen by <em>December</em>,<br/>and the crossings stopped.</p>\n"
                                  "<p>Nobody in Tumen spoke of it.</p>")},
          {"OEBPS/Text/chapter two.xhtml",
           chapter("Chapter Two", "<p>In spring the ferries ran again&#8212;<script>track()</script>twice a week.</p>")},
          {"OEBPS/Styles/book.css", "p { text-indent: 1em; }"}};
}

}  // namespace lipsteeth::testing
