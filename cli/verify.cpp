// lipsteeth verify: Xapian's consistency check, and the index against its files.
#include <memory>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/common.h"
#include "indexer/indexer.h"
#include "indexer/shards.h"
#include "analyzers/schema.h"

namespace lipsteeth::cli {

namespace {

struct VerifyArgs {
  std::string db;
  bool json = false;
};

// Each shard's report, its problems prefixed by the shard, in one report.
indexer::VerifyReport verify_shards(const std::string& dir, std::vector<std::string>& lines) {
  indexer::VerifyReport all;
  for (const auto& f : indexer::shard_folders(dir)) {
    const indexer::VerifyReport r = indexer::verify_index(f);
    const std::string name = f.substr(f.rfind('/') + 1);
    lines.push_back(fmt::format("{}: {}: {} articles checked", name, r.ok() ? "ok" : "problems", r.articles_checked));
    all.articles_checked += r.articles_checked;
    for (const auto& p : r.problems) all.problems.push_back(name + ": " + p);
  }
  return all;
}

int run_verify(const VerifyArgs& a) {
  const std::string dir = a.db.empty() ? schema::default_db_path() : a.db;
  std::vector<std::string> lines;
  const bool sharded = indexer::is_sharded(dir);
  indexer::VerifyReport r = sharded ? verify_shards(dir, lines) : indexer::verify_index(a.db);
  if (a.json) {
    nlohmann::ordered_json j = {{"version", kJsonVersion}, {"ok", r.ok()}, {"articles_checked", r.articles_checked}, {"problems", r.problems}};
    if (sharded) j["shards"] = lines;
    out(j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace));
    out("\n");
  } else {
    for (const auto& p : r.problems) print_error(p);
    for (const auto& l : lines) out(l + "\n");
    if (r.ok()) out(fmt::format("index ok: {} articles checked\n", r.articles_checked));
  }
  return r.ok() ? kOk : kFailure;
}

}  // namespace

Command setup_verify(CLI::App& parent) {
  auto args = std::make_shared<VerifyArgs>();
  auto* sub = parent.add_subcommand(
      "verify", "Check the index: Xapian's consistency check, its passage column against its values, and that it matches the files it was built from.\n"
                "Exit codes: 0 sound, 6 problems found (each printed), 3 no index.");
  sub->add_option("--db", args->db, "Index folder (default: see lipsteeth index --help)");
  sub->add_flag("--json", args->json, "Print the report as JSON");
  return {sub, [args] { return run_verify(*args); }};
}

}  // namespace lipsteeth::cli
