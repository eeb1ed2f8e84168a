// The build gate of `lipsteeth index --gate CHECKS` (docs/indexing.md,
// "The build gate"): a file of checks that a new generation must pass
// before it is made live.
//
// CHECKS holds one check a line; blank lines and lines starting with # are
// ignored:
//   min-articles N          the index holds at least N articles
//   min-hits N QUERY        QUERY matches at least N passages
//   expect ARTICLE QUERY    ARTICLE (its id, as search prints it) is among
//                           QUERY's first 10 articles
// `lipsteeth verify` always runs first.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace lipsteeth::cli {

struct GateCheck {
  enum class Kind { min_articles, min_hits, expect };
  Kind kind = Kind::min_articles;
  std::uint64_t count = 0;  // min-articles, min-hits
  std::string article;      // expect
  std::string query;        // min-hits, expect
  unsigned line = 0;        // in the file, from 1
};

// Parses a checks file. Throws lipsteeth::UsageError naming the file and
// line of a malformed check, lipsteeth::InputError when it cannot be read.
std::vector<GateCheck> parse_gate_file(const std::string& path);
std::vector<GateCheck> parse_gate_text(const std::string& text, const std::string& where);

// Runs verify and `checks` on the generation at `generation_path` (a Xapian
// database folder of index folder `db_dir`). Returns "" when all pass, else
// the failures, "; "-separated, each naming its check.
std::string run_gate(const std::string& db_dir, const std::string& generation_path,
                     const std::vector<GateCheck>& checks);

}  // namespace lipsteeth::cli
