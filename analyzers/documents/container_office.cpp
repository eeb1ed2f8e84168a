// DOCX (Office Open XML: word/document.xml, docProps/core.xml) and ODT
// (OpenDocument: content.xml, meta.xml), both zip archives of XML.
#include <fmt/format.h>

#include "analyzers/container_internal.h"

namespace lipsteeth::analyzers::container {
namespace {

// An OLE compound file: what Word writes for a password-protected .docx (and
// what an old binary .doc is).
bool is_compound_file(std::string_view bytes) { return bytes.substr(0, 8) == "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"; }

// Why the main member could not be read: a limit or encryption as it is, any
// other failure as the file's not being of its format.
std::string member_reason(const char* kind, const std::string& error) {
  if (error.rfind("too large", 0) == 0 || error.rfind("encrypted", 0) == 0 || error.rfind("corrupt", 0) == 0)
    return error;
  return fmt::format("not {}: {}", kind, error);
}

ContainerText finish(Format format, std::string text, Metadata stated) {
  if (text.empty()) return unreadable(format, "no text (the document holds none, or only images)");
  ContainerText r;
  r.format = format;
  r.text = std::move(text);
  r.stated = std::move(stated);
  return r;
}

}  // namespace

ContainerText read_docx(std::string_view bytes, const ContainerLimits& limits) {
  if (is_compound_file(bytes))
    return unreadable(Format::docx, "encrypted (a password-protected Office document), or an old binary .doc file");
  std::string error;
  auto zip = Zip::open(bytes, error);
  if (!zip) return unreadable(Format::docx, error);
  auto body = zip->read("word/document.xml", limits, error);
  if (!body) return unreadable(Format::docx, member_reason("a DOCX document", error));
  XmlPtr doc = parse_xml(*body);
  if (!doc) return unreadable(Format::docx, "corrupt DOCX document (word/document.xml is not well-formed XML)");
  // w:p paragraphs; w:br and w:cr line breaks; w:tab a tab; field codes
  // (w:instrText) and deleted revisions (w:delText) are not the text.
  BlockNames names;
  names.blocks = {"p"};
  names.breaks = {"br", "cr"};
  names.tabs = {"tab"};
  names.skip = {"instrText", "delText", "pPr", "rPr"};
  names.text = {"t"};
  std::string text = xml_block_text(doc.get(), names);
  Metadata stated;
  // docProps/core.xml is optional; a damaged one costs the properties only.
  if (zip->has("docProps/core.xml")) {
    if (auto core = zip->read("docProps/core.xml", limits, error)) {
      if (XmlPtr c = parse_xml(*core))
        set_stated(stated, first_or_empty(xml_texts(c.get(), "title")), first_or_empty(xml_texts(c.get(), "created")),
                   xml_texts(c.get(), "creator"));
    } else if (error.rfind("too large", 0) == 0) {
      return unreadable(Format::docx, error);
    }
  }
  return finish(Format::docx, std::move(text), std::move(stated));
}

ContainerText read_odt(std::string_view bytes, const ContainerLimits& limits) {
  std::string error;
  auto zip = Zip::open(bytes, error);
  if (!zip) return unreadable(Format::odt, error);
  // An encrypted OpenDocument keeps its manifest in the clear and says which
  // members it encrypted; content.xml is then not XML at all.
  if (zip->has("META-INF/manifest.xml")) {
    if (auto manifest = zip->read("META-INF/manifest.xml", limits, error)) {
      if (XmlPtr m = parse_xml(*manifest); m && !xml_attrs(m.get(), "encryption-data", "checksum").empty())
        return unreadable(Format::odt, "encrypted (a password-protected OpenDocument)");
    }
  }
  auto content = zip->read("content.xml", limits, error);
  if (!content) return unreadable(Format::odt, member_reason("an ODT document", error));
  XmlPtr doc = parse_xml(*content);
  if (!doc) return unreadable(Format::odt, "corrupt ODT document (content.xml is not well-formed XML)");
  // text:p and text:h paragraphs, text:line-break, text:tab, text:s (spaces);
  // comments (office:annotation) and notes are not the text; styles hold none.
  BlockNames names;
  names.blocks = {"p", "h"};
  names.breaks = {"line-break"};
  names.tabs = {"tab", "s"};
  names.skip = {"annotation", "note", "tracked-changes", "automatic-styles", "font-face-decls", "scripts"};
  std::string text = xml_block_text(doc.get(), names);
  Metadata stated;
  if (zip->has("meta.xml")) {
    if (auto meta = zip->read("meta.xml", limits, error)) {
      if (XmlPtr m = parse_xml(*meta)) {
        // meta:initial-creator wrote it; dc:creator is whoever saved it last.
        auto authors = xml_texts(m.get(), "initial-creator");
        if (authors.empty()) authors = xml_texts(m.get(), "creator");
        set_stated(stated, first_or_empty(xml_texts(m.get(), "title")), first_or_empty(xml_texts(m.get(), "creation-date")), authors);
      }
    } else if (error.rfind("too large", 0) == 0) {
      return unreadable(Format::odt, error);
    }
  }
  return finish(Format::odt, std::move(text), std::move(stated));
}

}  // namespace lipsteeth::analyzers::container
