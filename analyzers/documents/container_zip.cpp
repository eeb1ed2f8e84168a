// What the zip-based formats (DOCX, ODT, EPUB) share: a zip archive read from
// memory with libzip, XML and XHTML parsed with libxml2, and the text of an
// XML body with its block structure.
#include <algorithm>
#include <mutex>
#include <new>

#include <fmt/format.h>
#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <zip.h>

#include "analyzers/container_internal.h"

namespace lipsteeth::analyzers::container {

struct Zip::Impl {
  zip_t* archive = nullptr;
  ~Impl() {
    if (archive) zip_discard(archive);  // read-only: nothing to write back
  }
};

Zip::Zip(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Zip::~Zip() = default;

std::unique_ptr<Zip> Zip::open(std::string_view bytes, std::string& error) {
  zip_error_t ze;
  zip_error_init(&ze);
  // The source does not own the bytes (freep 0); the caller keeps them alive.
  zip_source_t* src = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &ze);
  if (!src) {
    error = fmt::format("corrupt zip archive ({})", zip_error_strerror(&ze));
    zip_error_fini(&ze);
    return nullptr;
  }
  zip_t* za = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &ze);
  if (!za) {
    error = fmt::format("corrupt zip archive ({})", zip_error_strerror(&ze));
    zip_source_free(src);
    zip_error_fini(&ze);
    return nullptr;
  }
  zip_error_fini(&ze);
  auto impl = std::make_unique<Impl>();
  impl->archive = za;
  return std::unique_ptr<Zip>(new Zip(std::move(impl)));
}

bool Zip::has(const std::string& name) const { return zip_name_locate(impl_->archive, name.c_str(), 0) >= 0; }

std::optional<std::string> Zip::read(const std::string& name, const ContainerLimits& limits, std::string& error) const {
  zip_stat_t st;
  zip_stat_init(&st);
  if (zip_stat(impl_->archive, name.c_str(), 0, &st) != 0) {
    error = fmt::format("no {} in the zip archive", name);
    return std::nullopt;
  }
  if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) && st.encryption_method != ZIP_EM_NONE) {
    error = fmt::format("encrypted ({} is password-protected)", name);
    return std::nullopt;
  }
  const std::uint64_t packed = (st.valid & ZIP_STAT_COMP_SIZE) ? st.comp_size : 0;
  // The stated size may lie: it is checked first, then every byte read.
  if ((st.valid & ZIP_STAT_SIZE) && over_limits(st.size, packed, limits)) {
    error = too_large_reason(limits, packed);
    return std::nullopt;
  }
  zip_file_t* f = zip_fopen(impl_->archive, name.c_str(), 0);
  if (!f) {
    error = fmt::format("cannot read {} ({})", name, zip_strerror(impl_->archive));
    return std::nullopt;
  }
  std::string out;
  char buf[1 << 16];
  for (;;) {
    zip_int64_t n = zip_fread(f, buf, sizeof buf);
    if (n < 0) {
      error = fmt::format("corrupt zip archive ({}: {})", name, zip_error_strerror(zip_file_get_error(f)));
      zip_fclose(f);
      return std::nullopt;
    }
    if (n == 0) break;
    out.append(buf, static_cast<std::size_t>(n));
    if (over_limits(out.size(), packed, limits)) {
      error = too_large_reason(limits, packed);
      zip_fclose(f);
      return std::nullopt;
    }
  }
  // libzip checks the CRC at the end of the member: a damaged one fails here.
  if (zip_fclose(f) != 0) {
    error = fmt::format("corrupt zip archive ({}: CRC error)", name);
    return std::nullopt;
  }
  return out;
}

struct XmlDoc {
  xmlDocPtr doc;
};

void XmlDocDeleter::operator()(XmlDoc* d) const {
  if (d) xmlFreeDoc(d->doc);
  delete d;
}

namespace {
// libxml2 would print parse errors to stderr: a damaged file is reported once,
// by its caller.
void quiet(void*, const char*, ...) {}

// libxml2 asks for xmlInitParser before a second thread parses; the indexer's
// threads all parse.
void init_libxml() {
  static std::once_flag once;
  std::call_once(once, [] { xmlInitParser(); });
  xmlSetGenericErrorFunc(nullptr, quiet);  // per thread
}
}  // namespace

XmlPtr parse_xml(std::string_view bytes) {
  init_libxml();
  // XML_PARSE_NONET: no network; no XML_PARSE_NOENT: entities are not
  // expanded (a "billion laughs" file stays small); XML_PARSE_HUGE is not set,
  // so libxml2 keeps its own limits on depth and text node size.
  xmlDocPtr d = xmlReadMemory(bytes.data(), static_cast<int>(std::min<std::size_t>(bytes.size(), INT32_MAX)),
                              nullptr, nullptr, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
  if (!d) return nullptr;
  return XmlPtr(new XmlDoc{d});
}

XmlPtr parse_html(std::string_view bytes) {
  init_libxml();
  htmlDocPtr d = htmlReadMemory(bytes.data(), static_cast<int>(std::min<std::size_t>(bytes.size(), INT32_MAX)),
                                nullptr, "UTF-8",
                                HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_RECOVER);
  if (!d) return nullptr;
  return XmlPtr(new XmlDoc{d});
}

namespace {

std::string_view local_name(const xmlNode* n) { return n->name ? reinterpret_cast<const char*>(n->name) : ""; }

template <class F>
void each_element(const xmlNode* n, F&& f) {
  for (; n; n = n->next) {
    if (n->type == XML_ELEMENT_NODE) f(n);
    each_element(n->children, f);
  }
}

std::string content(const xmlNode* n) {
  xmlChar* c = xmlNodeGetContent(n);
  std::string s = c ? reinterpret_cast<const char*>(c) : "";
  xmlFree(c);
  return s;
}

bool among(const std::vector<std::string_view>& names, std::string_view n) {
  return std::find(names.begin(), names.end(), n) != names.end();
}

void block_text(const xmlNode* n, const BlockNames& names, std::string& out, bool in_text) {
  for (; n; n = n->next) {
    if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
      if (n->content && in_text) out += reinterpret_cast<const char*>(n->content);
      continue;
    }
    if (n->type != XML_ELEMENT_NODE) continue;
    std::string_view name = local_name(n);
    if (among(names.skip, name)) continue;
    if (among(names.breaks, name)) {
      out += '\n';
      continue;
    }
    if (among(names.tabs, name)) {
      out += ' ';
      continue;
    }
    const bool block = among(names.blocks, name);
    if (block) out += "\n\n";
    block_text(n->children, names, out, in_text || among(names.text, name));
    if (block) out += "\n\n";
  }
}

}  // namespace

std::vector<std::string> xml_texts(const XmlDoc* doc, std::string_view local) {
  std::vector<std::string> out;
  each_element(xmlDocGetRootElement(doc->doc), [&](const xmlNode* n) {
    if (local_name(n) == local) out.push_back(content(n));
  });
  return out;
}

std::vector<std::string> xml_attrs(const XmlDoc* doc, std::string_view local, std::string_view attr) {
  std::vector<std::string> out;
  const std::string a(attr);
  each_element(xmlDocGetRootElement(doc->doc), [&](const xmlNode* n) {
    if (local_name(n) != local) return;
    // The attribute in any namespace or none (OPF writes both forms).
    for (const xmlAttr* p = n->properties; p; p = p->next) {
      if (p->name && a == reinterpret_cast<const char*>(p->name)) {
        xmlChar* v = xmlNodeListGetString(doc->doc, p->children, 1);
        out.emplace_back(v ? reinterpret_cast<const char*>(v) : "");
        xmlFree(v);
        break;
      }
    }
  });
  return out;
}

std::string xml_block_text(const XmlDoc* doc, const BlockNames& names) {
  std::string out;
  block_text(xmlDocGetRootElement(doc->doc), names, out, names.text.empty());
  return tidy_paragraphs(out);
}

}  // namespace lipsteeth::analyzers::container
