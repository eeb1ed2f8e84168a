// Shared by the `lipsteeth search` files: where hits lie in their files (lines
// and columns), the notes about a query's words, and the printers (text,
// JSON, CSV/TSV, file list, count). The formats are documented in
// docs/search.md.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cli/common.h"
#include "searcher/searcher.h"

namespace lipsteeth::cli {

// A place in a file as editors and grep -n count it: the byte offset
// (0-based), the line (1-based) and the column (1-based, in bytes, as
// ripgrep's --column and Vim's `file:LINE:COL`).
struct FilePlace {
  std::uint64_t byte = 0;
  std::uint64_t line = 0;
  std::uint64_t column = 0;
};

// Where one hit's passage and highlights lie in its file. Empty when the
// passage's bytes are not the file's (a text stored in the index: HTML,
// another encoding, CRLF, JSON Lines), or the file cannot be read.
struct HitPlaces {
  std::optional<FilePlace> start, end;                // the passage: first byte, and one past its last
  std::vector<std::optional<FilePlace>> highlights;  // one per Hit::highlights, their first bytes
};

// Reads each hit's file (once per file) up to its last passage, and counts
// its lines.
std::vector<HitPlaces> locate_hits(const std::vector<searcher::Hit>& hits);

// Path shown to the user: relative to the working directory when under it.
std::string display_path(const std::string& path);

// What the query's words say about it: `missing` holds the words (as the
// index folds them) that no passage of the index holds in any form; `notes`
// the hints for stderr and JSON warnings (a bare year probably meant as a
// filter).
struct QueryNotes {
  std::vector<std::string> missing;
  std::vector<std::string> notes;
};
QueryNotes query_notes(const searcher::Database& db, const std::string& query);

struct TextLayout {
  Style style;
  std::size_t width = 96;  // columns of a line, the indent included
  bool group_by_article = false;
};

void print_text(const searcher::SearchResult& r, const std::vector<HitPlaces>& places, const QueryNotes& notes,
                const TextLayout& layout);
void print_json(const searcher::SearchResult& r, const std::vector<HitPlaces>& places, const QueryNotes& notes);
// One row per hit, a header row first: RFC 4180 CSV (`separator` ','), or
// tab-separated values (`separator` '\t'), whose fields have their tabs and
// line ends as spaces.
void print_table(const searcher::SearchResult& r, const std::vector<HitPlaces>& places, char separator);
// The files of the hits, each once, in rank order (-l).
void print_files(const searcher::SearchResult& r);

// Wraps `text` at spaces to `width` columns of display_width(), each line
// starting with `indent` (counted in the width). A word wider than a line
// stays whole on a line of its own.
std::string wrap(const std::string& text, std::size_t width, const std::string& indent);

}  // namespace lipsteeth::cli
