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
};

enum class Format { text, markdown, html };
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

// Sidecar file: corrections an analyst keeps beside the corpus.
// Format (documented in README): corpus/lipsteeth-meta.tsv, '#' comments,
// header line "file<TAB>title<TAB>date<TAB>authors"; an empty cell keeps the
// extracted value; authors are ';'-separated; date is YYYY, YYYY-MM or YYYY-MM-DD.
struct SidecarEntry {
  std::string file;  // path relative to the folder holding the sidecar
  std::string title, date;
  std::vector<std::string> authors;
};
inline constexpr const char* kSidecarName = "lipsteeth-meta.tsv";
// Throws lipsteeth::Error with the line number on a malformed line.
std::vector<SidecarEntry> parse_sidecar(std::string_view tsv, std::string_view origin);
void apply_sidecar(Metadata& m, const SidecarEntry& e);

}  // namespace lipsteeth::analyzers
