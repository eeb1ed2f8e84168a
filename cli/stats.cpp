// lipsteeth stats: what is in the index.
#include <memory>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/common.h"
#include "indexer/indexer.h"

namespace lipsteeth::cli {

namespace {

struct StatsArgs {
  std::string db;
  bool json = false;
};

int run_stats(const StatsArgs& a) {
  indexer::IndexStats s = indexer::read_stats(a.db);
  if (a.json) {
    out(with_json_version(s.to_json()));
    out("\n");
    return kOk;
  }
  out(fmt::format("index       {} ({})\n", s.db_path, s.generation));
  out(fmt::format("versions    schema {}, analyzer {}\n", s.schema_version, s.analyzer_version));
  out(fmt::format("articles    {}\npassages    {}\nterms       {}\nactors      {}\n", s.articles, s.passages, s.terms,
                  s.actors));
  if (!s.passages_per_year.empty()) {
    out(fmt::format("years       {}..{} ({} years)\n", s.passages_per_year.begin()->first,
                    s.passages_per_year.rbegin()->first, s.passages_per_year.size()));
  }
  out(fmt::format("on disk     {:.1f} MB\n", static_cast<double>(s.bytes_on_disk) / 1e6));
  out(s.text_dictionary_bytes
          ? fmt::format("texts       zstd, {:.0f} KB dictionary\n", static_cast<double>(s.text_dictionary_bytes) / 1024)
          : std::string("texts       plain (corpus too small for a dictionary)\n"));
  for (const auto& r : s.roots) out(fmt::format("corpus      {}\n", r));
  auto lb = nlohmann::json::parse(s.last_build_json, nullptr, false);
  if (lb.is_object()) {
    out(fmt::format("last build  {} ({}): {} added, {} updated, {} removed, {} renamed, {} unchanged, {} skipped; {:.1f}s\n",
                    lb.value("finished", "?"), lb.value("mode", "?"), lb.value("added", 0), lb.value("updated", 0),
                    lb.value("removed", 0), lb.value("renamed", 0), lb.value("unchanged", 0), lb.value("skipped", 0),
                    lb.value("seconds", 0.0)));
  }
  return kOk;
}

}  // namespace

Command setup_stats(CLI::App& parent) {
  auto args = std::make_shared<StatsArgs>();
  auto* sub = parent.add_subcommand("stats", "What is in the index: articles, passages, terms, actors, years, size, last build");
  sub->add_option("--db", args->db, "Index folder (default: see lipsteeth index --help)");
  sub->add_flag("--json", args->json, "Print as JSON");
  return {sub, [args] { return run_stats(*args); }};
}

}  // namespace lipsteeth::cli
