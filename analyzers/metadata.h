// Article metadata: title, date/year, authors, each with where it came from.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lipsteeth::analyzers {

enum class FieldSource { stated, inferred, sidecar, unknown };
const char* to_string(FieldSource s);

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
};

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
