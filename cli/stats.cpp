// lipsteeth stats: what is in the index.
#include <map>
#include <memory>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/common.h"
#include "indexer/indexer.h"
#include "indexer/shards.h"
#include "analyzers/schema.h"

namespace lipsteeth::cli {

namespace {

struct StatsArgs {
  std::string db;
  bool json = false;
};

// A sharded index: each shard's figures, one line each, and their sum.
int run_sharded_stats(const std::string& dir, bool json) {
  std::vector<indexer::IndexStats> all;
  for (const auto& f : indexer::shard_folders(dir)) all.push_back(indexer::read_stats(f));
  std::uint64_t articles = 0, passages = 0, bytes = 0;
  std::map<int, std::uint64_t> years;
  for (const auto& s : all) {
    articles += s.articles;
    passages += s.passages;
    bytes += s.bytes_on_disk;
    for (const auto& [y, n] : s.passages_per_year) years[y] += n;
  }
  if (json) {
    std::string shards;
    for (const auto& s : all) shards += (shards.empty() ? "" : ",") + s.to_json();
    nlohmann::ordered_json total = {{"db_path", dir}, {"shards", all.size()}, {"articles", articles},
                                    {"passages", passages}, {"bytes_on_disk", bytes}};
    out(with_json_version(fmt::format("{{\"shards\":[{}],\"total\":{}}}", shards, total.dump())));
    out("\n");
    return kOk;
  }
  out(fmt::format("index       {} ({} shards)\n", dir, all.size()));
  for (std::size_t k = 0; k < all.size(); ++k)
    out(fmt::format("  shard-{:02d}  {} articles, {} passages, {} terms, {:.1f} MB ({})\n", k, all[k].articles,
                    all[k].passages, all[k].terms, static_cast<double>(all[k].bytes_on_disk) / 1e6, all[k].generation));
  out(fmt::format("articles    {}\npassages    {}\n", articles, passages));
  if (!years.empty())
    out(fmt::format("years       {}..{} ({} years)\n", years.begin()->first, years.rbegin()->first, years.size()));
  out(fmt::format("on disk     {:.1f} MB\n", static_cast<double>(bytes) / 1e6));
  if (!all.empty())
    for (const auto& r : all[0].roots) out(fmt::format("corpus      {}\n", r));
  return kOk;
}

int run_stats(const StatsArgs& a) {
  const std::string dir = a.db.empty() ? schema::default_db_path() : a.db;
  if (indexer::is_sharded(dir)) return run_sharded_stats(dir, a.json);
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
  // The whole folder by part: an old generation still open by a search, or
  // an interrupted build, shows here until a run deletes it.
  for (const auto& u : s.folders)
    out(fmt::format("  {:<14}{:.1f} MB{}\n", u.name, static_cast<double>(u.bytes) / 1e6,
                    u.live ? " (live)" : u.name.rfind("gen-", 0) == 0   ? " (old: deleted once no search reads it)"
                                       : u.name.rfind("build-", 0) == 0 ? " (interrupted build: the next run resumes it)"
                                                                        : ""));
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
