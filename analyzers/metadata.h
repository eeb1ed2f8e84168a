// Article metadata: title, date/year, authors, each with where it came from.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lipsteeth::analyzers {

enum class FieldSource { stated, inferred, sidecar, unknown };
const char* to_string(FieldSource s);

// One value for a title or a date, and where it came from. Every module
// (HTML, front matter, text headers, paths, event inference, a container's
// document properties) adds candidates; decide() picks one by `rank` (lower
// wins; the precedence is documented in docs/metadata.md).
struct Candidate {
  std::string value;       // the title, or an ISO date "YYYY[-MM[-DD]]"
  std::string rule;        // which rule found it: "og:title", "html-title", "json-ld", "dateline", ...
  std::string field;       // the key, attribute or text it was read from ("post_date", "SEOUL, Jan. 13 (Reuters) -")
  std::size_t offset = 0;  // byte offset of the line holding it (format rules: in the decoded file; text rules:
                           // in the body text); 0 for the file's path
  FieldSource source = FieldSource::stated;
  int rank = 100;          // precedence: lower wins
  std::string note;        // e.g. the range an inferred year rests on
};

struct Metadata {
  std::string title;
  FieldSource title_source = FieldSource::unknown;
  std::string date;  // ISO 8601: "2016-06-02", "2016-06" or "2016"; "" when unknown
  FieldSource date_source = FieldSource::unknown;
  std::optional<int> year;  // nullopt = "unknown", never guessed
  FieldSource year_source = FieldSource::unknown;
  std::vector<std::string> authors;
  FieldSource authors_source = FieldSource::unknown;
  std::string url;
  std::string description;  // HTML <meta name="description"> or front matter; "" when none
  std::string outlet;       // site name split off a title (" | Reuters") or og:site_name; "" when none
  std::vector<Candidate> title_candidates, date_candidates;
  int title_chosen = -1, date_chosen = -1;  // index of the candidate decide() chose, -1 for none
};

// Ranks of the precedence (docs/metadata.md): the article's own publication
// statement first, a repost, capture or "updated" date after it.
namespace rank {
inline constexpr int kFormatTitle = 10;      // og:title, front matter title, JSON-LD headline
inline constexpr int kDocumentTitle = 20;    // <title> (site suffix split off), document properties
inline constexpr int kHeadingTitle = 25;     // first <h1>
inline constexpr int kTextTitle = 40;        // the first title-like line of the text
inline constexpr int kFormatDate = 10;       // JSON-LD datePublished, article:published_time, front matter date
inline constexpr int kMetaDate = 15;         // <meta name="date"> and kin, <time pubdate>
inline constexpr int kDocumentDate = 20;     // document properties (PDF Info, docProps/core.xml)
inline constexpr int kTextDate = 30;         // datelines, "Published ..." notes, bylines with dates
inline constexpr int kPathDate = 40;         // a date in the file's path or its URL
inline constexpr int kUpdatedDate = 50;      // "Updated ...", dateModified, article:modified_time
inline constexpr int kLedeDate = 60;         // inferred from a lede "In early June 2016, ..."
inline constexpr int kEventYear = 70;        // inferred from dated events the text refers to
}  // namespace rank

// Adds a candidate (ignored when `value` is empty).
void add_candidate(std::vector<Candidate>& to, std::string value, std::string rule, std::string field,
                   std::size_t offset, int rank, FieldSource source = FieldSource::stated, std::string note = {});
// Picks the title and the date among the candidates (lowest rank; the first
// found on a tie), and sets title/date/year and their sources from them.
// Fields already set without any candidate (a caller's `stated` fields) take
// part as "document properties" candidates.
void decide(Metadata& m);

// pdf, docx, odt and epub are container files (analyzers/container.h): their
// text comes from their own reader, never from read_format.
enum class Format { text, markdown, html, pdf, docx, odt, epub };
Format format_from_path(std::string_view path);

// Result of reading an article in its format: the body text that is split
// into passages (markup and front matter removed) and what the format stated.
struct FormattedText {
  std::string body;
  Metadata stated;  // fields from front matter / <title> / meta tags
};

// Strips HTML markup (keeps block structure as blank lines, decodes entities)
// or Markdown front matter. For plain text, body is text unchanged.
FormattedText read_format(std::string_view text, Format format);

// A JSON document of two or more stories (a scraper's array, JSON Lines of
// stories: analyzers/meta/json_doc.cpp) as JSON Lines records in the index's
// own format, one a line: {"id": "<id>#<n>" (n from 1), "text", "title",
// "date" (ISO 8601, when the story gives one it can read)}; the indexer
// indexes each as an article. nullopt for anything else (one story, a
// TimelineJS file, no JSON): the file is then one article. Never throws.
std::optional<std::string> json_stories_as_records(std::string_view text, std::string_view id);

// Adds the date the file's path names ("/2016/01/13/", "2016-01-13-slug.md")
// to `m`'s candidates (rule "path"; docs/metadata.md). Never throws.
void add_path_date_candidate(Metadata& m, std::string_view path);

// Extracts metadata from an article's body text (after read_format), starting
// from what the format stated (fields already set there are kept).
Metadata extract_metadata(std::string_view body, Metadata stated = {});

// The ISO 8601 form ("2016-06-02", "2016-06" or "2016") of a date written as
// "2016-06-02", "2016", "2016-06", or the first date found in `text` in the
// forms articles use ("June 2, 2016", "2 June 2016", "Sept. 5th, 2016",
// "June 2016"); "" when there is none. Never throws.
std::string parse_date(std::string_view text);

// Sidecar file: corrections an analyst keeps beside the corpus.
// Format (documented in docs/metadata.md): corpus/lipsteeth-meta.tsv, '#' comments,
// header line "file<TAB>title<TAB>date<TAB>authors"; an empty cell keeps the
// extracted value; authors are ';'-separated; date is YYYY, YYYY-MM or YYYY-MM-DD.
struct SidecarEntry {
  std::string file;  // path relative to the folder holding the sidecar
  std::string title, date;
  std::vector<std::string> authors;
};
inline constexpr const char* kSidecarName = "lipsteeth-meta.tsv";
// Throws lipsteeth::InputError ("origin:line: what") on a malformed line.
std::vector<SidecarEntry> parse_sidecar(std::string_view tsv, std::string_view origin);
// Empty cells keep `m`'s value; a date cell "unknown" clears date and year
// (source sidecar), for an article whose extracted date is wrong.
void apply_sidecar(Metadata& m, const SidecarEntry& e);

// The entry for `relative_path` ('/'-separated, relative to the folder that
// holds the sidecar; a leading "./" is ignored), or null.
const SidecarEntry* find_sidecar_entry(const std::vector<SidecarEntry>& entries,
                                       std::string_view relative_path);
// Path of the sidecar that governs `file_path`: kSidecarName in the file's
// folder or in one of its `levels` nearest ancestors (nearest wins); "" when
// there is none. Only looks at the file system; never throws.
std::string locate_sidecar(const std::string& file_path, int levels = 3);
// `file_path` relative to the folder holding `sidecar_path`, '/'-separated:
// the key to look up with find_sidecar_entry.
std::string sidecar_relative_path(const std::string& sidecar_path, const std::string& file_path);
// Reads and parses a sidecar file. Throws lipsteeth::InputError when it
// cannot be read or is malformed (message names the file and line).
std::vector<SidecarEntry> load_sidecar(const std::string& path);

}  // namespace lipsteeth::analyzers
