// HTML and saved web pages, through libxml2's HTML parser (error-tolerant:
// unclosed tags, stray markup and bad entities are recovered as a browser
// would). Yields the visible article text, with navigation, headers' menus,
// footers, scripts, styles, forms and comment threads left out, and the
// candidates the page states: og:title, <title> (a site-name suffix split off
// and kept as the outlet), the first <h1>, JSON-LD headline/datePublished,
// article:published_time, <meta name="date"> and kin, <time datetime>.
// Server code before or inside the page (<?php ... ?>, <% ... %>) is removed
// before parsing.
#include "analyzers/meta/html.h"

#include <algorithm>
#include <cstring>
#include <memory>
#include <mutex>

#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <nlohmann/json.hpp>

#include "analyzers/meta/text_headers.h"
#include "analyzers/meta/text_util.h"

namespace lipsteeth::analyzers::meta {
namespace {

// Server code is replaced by spaces of the same length (byte offsets stay).
std::string without_server_code(std::string_view s) {
  std::string out(s);
  for (auto [open, close] : {std::pair<const char*, const char*>{"<?php", "?>"}, {"<?=", "?>"}, {"<%", "%>"}}) {
    std::size_t at = 0;
    while ((at = ifind(out, open, at)) != std::string::npos) {
      std::size_t end = out.find(close, at + std::strlen(open));
      end = end == std::string::npos ? out.size() : end + std::strlen(close);
      for (std::size_t i = at; i < end; ++i)
        if (out[i] != '\n') out[i] = ' ';
      at = end;
    }
  }
  return out;
}

std::string attr(xmlNode* n, const char* name) {
  xmlChar* v = xmlGetProp(n, reinterpret_cast<const xmlChar*>(name));
  if (!v) return {};
  std::string r(reinterpret_cast<const char*>(v));
  xmlFree(v);
  return r;
}

bool has_attr(xmlNode* n, const char* name) { return xmlHasProp(n, reinterpret_cast<const xmlChar*>(name)) != nullptr; }

std::string name_of(xmlNode* n) { return n->name ? lower(reinterpret_cast<const char*>(n->name)) : std::string(); }

std::string text_of(xmlNode* n) {
  xmlChar* c = xmlNodeGetContent(n);
  if (!c) return {};
  std::string r = squeeze_spaces(reinterpret_cast<const char*>(c));
  xmlFree(c);
  return r;
}

bool is_block(const std::string& t) {
  static constexpr const char* kBlocks[] = {"p",       "div",     "section", "article", "main",   "h1",  "h2",
                                            "h3",      "h4",      "h5",      "h6",      "li",     "ul",  "ol",
                                            "dl",      "dt",      "dd",      "tr",      "table",  "blockquote",
                                            "figure",  "figcaption", "address", "hgroup", "center", "body", "pre"};
  return std::any_of(std::begin(kBlocks), std::end(kBlocks), [&](const char* b) { return t == b; });
}

bool is_skipped(const std::string& t) {
  static constexpr const char* kSkip[] = {"script", "style",  "noscript", "nav",    "footer", "aside", "form",
                                          "iframe", "svg",    "button",   "select", "template", "head", "object",
                                          "canvas", "textarea", "menu"};
  return std::any_of(std::begin(kSkip), std::end(kSkip), [&](const char* b) { return t == b; });
}

// Page furniture by its id/class/role: comment threads, menus, sharing bars.
bool is_furniture(xmlNode* n) {
  const std::string role = lower(attr(n, "role"));
  if (role == "navigation" || role == "contentinfo" || role == "banner" || role == "complementary") return true;
  for (const char* a : {"id", "class"}) {
    const std::string v = lower(attr(n, a));
    if (v.empty()) continue;
    for (auto w : split_on(v, ' ')) {
      if (w.find("comment") != std::string_view::npos || w.find("disqus") != std::string_view::npos) return true;
      static constexpr const char* kWords[] = {"nav",     "navbar",  "navigation", "menu",   "footer", "sidebar",
                                               "breadcrumb", "breadcrumbs", "share", "social", "related", "cookie",
                                               "advert",  "ad",      "ads",        "skip-link", "site-header"};
      if (std::any_of(std::begin(kWords), std::end(kWords), [&](const char* k) { return w == k; })) return true;
    }
  }
  return false;
}

// Character references to C1 controls ("&#150;") mean the windows-1252
// character of that byte, as HTML5 decodes them; libxml2 yields the control.
// A C1 control is never text, so the same mapping applies to any left in.
std::string c1_as_windows_1252(std::string_view t) {
  if (t.find('\xC2') == std::string_view::npos) return std::string(t);
  static constexpr char16_t kCp1252[32] = {
      0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
      0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD, 0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
      0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178};
  std::string out;
  out.reserve(t.size());
  for (std::size_t i = 0; i < t.size(); ++i) {
    const auto b = static_cast<unsigned char>(t[i]);
    const auto n = i + 1 < t.size() ? static_cast<unsigned char>(t[i + 1]) : 0;
    if (b == 0xC2 && n >= 0x80 && n <= 0x9F) {
      append_cp(out, kCp1252[n - 0x80]);
      ++i;
    } else {
      out.push_back(t[i]);
    }
  }
  return out;
}

// Separators between a page's title and its site name.
constexpr const char* kSuffixSeps[] = {" | ", " \xE2\x80\x93 ", " \xE2\x80\x94 ", " - ", " :: ", " \xC2\xBB ", " \xC2\xB7 "};

// A site name: short, and not a clause of the title.
bool looks_like_site(std::string_view s) {
  const auto w = words_of(s);
  return !w.empty() && w.size() <= 5 && s.size() <= 40 && s.back() != '?' && s.back() != '!';
}

class Reader {
 public:
  Reader(std::string_view text, HtmlResult& r) : text_(text), r_(r) {
    for (std::size_t i = 0; i < text.size(); ++i)
      if (text[i] == '\n') line_starts_.push_back(i + 1);
  }

  void read(xmlNode* root) {
    walk(root, false);
    r_.body = finish();
    if (!h1_.empty()) add_candidate(r_.title_candidates, h1_, "html-h1", "<h1>", h1_at_, rank::kHeadingTitle);
    for (auto& c : r_.title_candidates) {
      // Some sites put their name in og:title too: "Talks resume | Example Wire".
      if (!r_.outlet.empty() && c.rule != "html-h1")
        for (const char* sep : kSuffixSeps) {
          const std::string tail = sep + r_.outlet;
          if (c.value.size() > tail.size() + 15 && c.value.compare(c.value.size() - tail.size(), tail.size(), tail) == 0) {
            c.value.resize(c.value.size() - tail.size());
            break;
          }
        }
      // "Talks resume - Asia - Example Wire": after the site's name is split
      // off, a section may remain; the page's own <h1> says where the title ends.
      if (c.rule == "html-title" && !h1_.empty() && c.value.size() > h1_.size() && c.value.rfind(h1_, 0) == 0)
        for (const char* sep : kSuffixSeps)
          if (c.value.compare(h1_.size(), std::strlen(sep), sep) == 0) {
            c.value.resize(h1_.size());
            c.note = "cut where the page's <h1> ends";
            break;
          }
    }
  }

 private:
  std::size_t offset_of(xmlNode* n) const {
    const long line = xmlGetLineNo(n);
    if (line <= 0) return 0;
    return static_cast<std::size_t>(line - 1) < line_starts_.size() ? line_starts_[static_cast<std::size_t>(line - 1)]
                                                                    : text_.size();
  }

  void walk(xmlNode* n, bool in_head) {
    for (xmlNode* c = n; c; c = c->next) {
      if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
        if (!in_head && c->content) raw_text(reinterpret_cast<const char*>(c->content));
        continue;
      }
      if (c->type != XML_ELEMENT_NODE) continue;
      const std::string t = name_of(c);
      if (t == "head") {
        walk(c->children, true);
        continue;
      }
      if (t == "title" && in_head) {
        title(c);
        continue;
      }
      if (t == "meta") meta(c);
      if (t == "link" && lower(attr(c, "rel")) == "canonical" && r_.url.empty()) r_.url = attr(c, "href");
      if (t == "script") {
        if (lower(attr(c, "type")) == "application/ld+json") json_ld(c);
        continue;
      }
      if (t == "time") time(c);
      if (in_head) {
        walk(c->children, true);
        continue;
      }
      if (is_skipped(t) || t == "title" || is_furniture(c)) continue;
      if (t == "h1" && h1_.empty()) {
        h1_ = text_of(c);
        h1_at_ = offset_of(c);
      }
      if (t == "br") line_break();
      if (t == "td" || t == "th") raw_text(" ");
      const bool block = is_block(t) || t == "hr";
      const bool pre = t == "pre";
      if (block) paragraph();
      if (pre) ++pre_;
      walk(c->children, false);
      if (pre) --pre_;
      if (block) paragraph();
    }
  }

  void title(xmlNode* n) {
    std::string t = text_of(n);
    if (t.empty() || have_title_) return;
    have_title_ = true;
    std::string site;
    for (const char* sep : kSuffixSeps) {
      const std::size_t at = t.rfind(sep);
      if (at == std::string::npos || at < 15) continue;
      const std::string_view tail = std::string_view(t).substr(at + std::strlen(sep));
      if (!looks_like_site(tail)) continue;
      site = std::string(tail);
      t.resize(at);
      break;
    }
    if (!site.empty() && r_.outlet.empty()) r_.outlet = site;
    add_candidate(r_.title_candidates, t, "html-title", "<title>", offset_of(n), rank::kDocumentTitle);
  }

  void meta(xmlNode* n) {
    std::string key = lower(attr(n, "property"));
    if (key.empty()) key = lower(attr(n, "name"));
    if (key.empty()) key = lower(attr(n, "itemprop"));
    const std::string value = squeeze_spaces(attr(n, "content"));
    if (key.empty() || value.empty()) return;
    const std::size_t at = offset_of(n);
    if (key == "author" || key == "article:author" || key == "dc.creator" || key == "citation_author" ||
        key == "byl") {
      std::string v = value;
      if (istarts_with(v, "by ")) v = v.substr(3);
      if (v.find("://") != std::string::npos) return;  // a profile URL, not a name
      // An attribute whose quote never closed runs on over the markup after it.
      if (v.size() > 200 || v.find_first_of("<>") != std::string::npos) return;
      auto names = split_names(v);
      if (names.empty()) names.push_back(v);  // a meta tag states its author as is
      for (auto& nm : names)
        if (std::find(r_.authors.begin(), r_.authors.end(), nm) == r_.authors.end()) r_.authors.push_back(nm);
    } else if (key == "article:published_time" || key == "datepublished" || key == "og:published_time") {
      add_candidate(r_.date_candidates, parse_date(value), "html-meta", key, at, rank::kFormatDate);
    } else if (key == "date" || key == "dc.date" || key == "pubdate" || key == "publish-date" ||
               key == "publish_date" || key == "citation_publication_date" || key == "dc.date.issued" ||
               key == "sailthru.date" || key == "parsely-pub-date" || key == "dcterms.date" || key == "dcterms.created") {
      add_candidate(r_.date_candidates, parse_date(value), "html-meta", key, at, rank::kMetaDate);
    } else if (key == "article:modified_time" || key == "og:updated_time" || key == "datemodified" ||
               key == "last-modified") {
      add_candidate(r_.date_candidates, parse_date(value), "html-meta", key, at, rank::kUpdatedDate);
    } else if (key == "og:title" || key == "citation_title" || key == "dc.title" || key == "twitter:title") {
      add_candidate(r_.title_candidates, value, "html-meta", key, at, key == "twitter:title" ? rank::kFormatTitle + 1 : rank::kFormatTitle);
    } else if (key == "og:site_name") {
      r_.outlet = value;
    } else if (key == "description" || key == "og:description") {
      if (r_.description.empty()) r_.description = value;
    } else if (key == "og:url") {
      if (r_.url.empty()) r_.url = value;
    }
  }

  void json_ld(xmlNode* n) {
    xmlChar* c = xmlNodeGetContent(n);
    if (!c) return;
    const std::string src(reinterpret_cast<const char*>(c));
    xmlFree(c);
    const auto j = nlohmann::json::parse(src, nullptr, false);
    if (j.is_discarded()) return;  // malformed JSON-LD is ignored, as browsers and crawlers do
    visit_ld(j, offset_of(n), 0);
  }

  void visit_ld(const nlohmann::json& j, std::size_t at, int depth) {
    if (depth > 8) return;
    if (j.is_array()) {
      for (const auto& e : j) visit_ld(e, at, depth + 1);
      return;
    }
    if (!j.is_object()) return;
    auto str = [&](const char* k) {
      auto it = j.find(k);
      return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
    };
    std::string type = str("@type");
    if (type.empty()) {
      auto it = j.find("@type");
      if (it != j.end() && it->is_array() && !it->empty() && it->front().is_string()) type = it->front().get<std::string>();
    }
    const bool article = type.find("Article") != std::string::npos || type.find("Posting") != std::string::npos ||
                         type == "Report" || type == "WebPage";
    if (article) {
      add_candidate(r_.date_candidates, parse_date(str("datePublished")), "json-ld", type + ".datePublished", at,
                    rank::kFormatDate);
      add_candidate(r_.date_candidates, parse_date(str("dateModified")), "json-ld", type + ".dateModified", at,
                    rank::kUpdatedDate);
      if (type != "WebPage") {
        add_candidate(r_.title_candidates, squeeze_spaces(decode_entities(str("headline"))), "json-ld",
                      type + ".headline", at, rank::kFormatTitle);
        // "author": "A", {"name": "A"} or a list of either; an Organization is no person.
        if (auto a = j.find("author"); a != j.end() && r_.authors.empty()) {
          auto one = [&](const nlohmann::json& x) {
            std::string name;
            if (x.is_string()) name = x.get<std::string>();
            else if (x.is_object() && x.value("@type", "") != "Organization" && x.contains("name") && x["name"].is_string())
              name = x["name"].get<std::string>();
            name = squeeze_spaces(decode_entities(name));
            if (is_person_name(name) && std::find(r_.authors.begin(), r_.authors.end(), name) == r_.authors.end())
              r_.authors.push_back(name);
          };
          if (a->is_array())
            for (const auto& x : *a) one(x);
          else
            one(*a);
        }
      }
    }
    if (auto it = j.find("@graph"); it != j.end()) visit_ld(*it, at, depth + 1);
  }

  void time(xmlNode* n) {
    const std::string dt = attr(n, "datetime");
    if (dt.empty()) return;
    if (has_attr(n, "pubdate") || lower(attr(n, "itemprop")) == "datepublished")
      add_candidate(r_.date_candidates, parse_date(dt), "html-time", "<time pubdate>", offset_of(n), rank::kMetaDate);
    else if (!first_time_) {
      // The first plain <time> of a page is usually its publication date, but
      // it may be any date the text mentions: below a dateline in precedence.
      first_time_ = true;
      add_candidate(r_.date_candidates, parse_date(dt), "html-time", "<time datetime>", offset_of(n),
                    rank::kTextDate + 5);
    }
  }

  void raw_text(std::string_view t) {
    const std::string fixed = c1_as_windows_1252(t);
    for (char c : fixed) {
      if (pre_ == 0 && is_ascii_space(c)) {
        space_ = true;
        continue;
      }
      if (pre_ > 0 && c == '\n') {
        line_break();
        continue;
      }
      if (space_ && !out_.empty() && out_.back() != '\n') out_.push_back(' ');
      space_ = false;
      out_.push_back(c);
    }
  }

  void trim_trailing_spaces() {
    while (!out_.empty() && out_.back() == ' ') out_.pop_back();
  }

  void line_break() {
    trim_trailing_spaces();
    space_ = false;
    if (!out_.empty()) out_.push_back('\n');
  }

  void paragraph() {
    trim_trailing_spaces();
    space_ = false;
    if (out_.empty()) return;
    while (out_.size() < 2 || out_[out_.size() - 1] != '\n' || out_[out_.size() - 2] != '\n') out_.push_back('\n');
  }

  // Lines trimmed, more than one blank line collapses to one. A no-break
  // space inside a line is the page's own ("a&nbsp;high-level") and stays.
  std::string finish() {
    std::string r;
    r.reserve(out_.size());
    int newlines = 0;
    for (auto line : split_on(out_, '\n')) {
      const std::string_view l = trim_ascii(line);
      if (squeeze_spaces(l).empty()) {
        ++newlines;
        continue;
      }
      if (!r.empty()) r.append(newlines >= 2 ? "\n\n" : "\n");
      r.append(l);
      newlines = 1;
    }
    if (!r.empty()) r.push_back('\n');
    return r;
  }

  std::string_view text_;
  HtmlResult& r_;
  std::vector<std::size_t> line_starts_{0};
  std::string out_;
  bool space_ = false;
  int pre_ = 0;
  bool have_title_ = false, first_time_ = false;
  std::string h1_;
  std::size_t h1_at_ = 0;
};

}  // namespace

bool looks_like_html(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size() && is_ascii_space(text[i])) ++i;
  std::string_view head = text.substr(i, 4096);
  // A server-code preamble ("<?php include 'header.php'; ?>") before the page.
  if (istarts_with(head, "<?php") || istarts_with(head, "<%")) {
    return ifind(head, "<html") != std::string_view::npos || ifind(head, "<!doctype html") != std::string_view::npos ||
           ifind(head, "<body") != std::string_view::npos || ifind(head, "<div") != std::string_view::npos ||
           ifind(head, "<p>") != std::string_view::npos;
  }
  head = head.substr(0, 64);
  return istarts_with(head, "<!doctype html") || istarts_with(head, "<html") || istarts_with(head, "<head") ||
         (istarts_with(head, "<?xml") && ifind(text.substr(0, 1024), "<html") != std::string_view::npos);
}

HtmlResult read_html(std::string_view text) {
  // libxml2 wants xmlInitParser before a second thread parses: the indexer's threads all do.
  static std::once_flag once;
  std::call_once(once, [] { xmlInitParser(); });
  HtmlResult r;
  const std::string src = without_server_code(text);
  const int options = HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET |
                      HTML_PARSE_COMPACT | HTML_PARSE_NOIMPLIED;
  std::unique_ptr<xmlDoc, void (*)(xmlDocPtr)> doc(
      htmlReadMemory(src.data(), static_cast<int>(src.size()), nullptr, "UTF-8", options), xmlFreeDoc);
  if (!doc) return r;  // nothing parseable (libxml2 gives up only on empty input): no text, no candidates
  Reader(src, r).read(xmlDocGetRootElement(doc.get()) ? doc->children : nullptr);
  return r;
}

}  // namespace lipsteeth::analyzers::meta
