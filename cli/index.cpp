// lipsteeth index: parses flags, runs the indexer, prints progress and the summary.
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <optional>

#include <fmt/format.h>

#include "analyzers/error.h"
#include "analyzers/schema.h"
#include "cli/common.h"
#include "cli/gate.h"
#include "indexer/corpus.h"
#include "indexer/indexer.h"
#include "indexer/settings.h"
#include "indexer/shards.h"

namespace lipsteeth::cli {

namespace {

struct IndexArgs {
  indexer::IndexOptions options;
  std::vector<std::string> extensions;
  double batch_mb = 0;
  double max_removal_percent = 50;
  std::string gate_path;
  bool quiet = false;
  bool json = false;
  unsigned shards = 0;  // --shards N (0: one database, or the count a sharded index has)
  // The options given on the command line: the others come from the
  // settings recorded in the index (indexer/settings.h), then the defaults.
  CLI::Option *actors = nullptr, *ext = nullptr, *follow = nullptr, *store = nullptr;
};

// Fills the settings not given on the command line from those the index
// recorded, so that a plain nightly `lipsteeth index` runs as the last
// `lipsteeth index --actors my.tsv --ext ...` did.
void apply_recorded_settings(IndexArgs& a, const std::string& settings_dir) {
  const auto rec = indexer::read_settings(settings_dir);
  if (!rec) return;
  auto& o = a.options;
  if (a.actors->count() == 0 && !rec->actors_path.empty()) o.actors_path = rec->actors_path;
  if (a.ext->count() == 0) o.extensions = rec->extensions;
  if (a.follow->count() == 0) o.follow_symlinks = rec->follow_symlinks;
  if (a.store->count() == 0) o.store_texts = rec->store_texts;
  o.max_file_bytes = rec->max_file_bytes;
}

std::string human_seconds(double s) {
  if (!std::isfinite(s) || s < 0) return "?";
  if (s < 60) return fmt::format("{:.0f}s", s);
  if (s < 3600) return fmt::format("{}m{:02d}s", static_cast<int>(s) / 60, static_cast<int>(s) % 60);
  return fmt::format("{}h{:02d}m", static_cast<int>(s) / 3600, static_cast<int>(s) / 60 % 60);
}

// The one-line summary cron mails and people read.
std::string summary_line(const indexer::IndexSummary& s) {
  std::string line = fmt::format("indexed {}: {} added, {} updated, {} removed", s.db_path, s.added, s.updated,
                                 s.removed);
  if (s.renamed) line += fmt::format(", {} renamed", s.renamed);
  if (s.kept) line += fmt::format(", {} kept though not found", s.kept);
  line += fmt::format(", {} unchanged, {} skipped", s.unchanged, s.skipped.size());
  if (!s.skipped.empty()) {
    std::string reasons;
    for (const auto& [r, n] : s.skip_reasons()) reasons += fmt::format("{}{}: {}", reasons.empty() ? "" : ", ", r, n);
    line += " (" + reasons + ")";
  }
  double mbs = s.seconds > 0 ? static_cast<double>(s.bytes) / 1e6 / s.seconds : 0;
  line += fmt::format("; {} articles, {} passages; {:.1f}s ({}, {:.1f} MB/s, {} jobs)", s.articles_total,
                      s.passages_total, s.seconds, s.mode, mbs, s.jobs);
  return line;
}

int run_index_command(IndexArgs& a) {
  if (!a.extensions.empty()) {
    a.options.extensions.clear();
    for (auto e : a.extensions) {
      if (e.empty()) continue;
      if (e[0] != '.') e = "." + e;
      std::transform(e.begin(), e.end(), e.begin(), [](unsigned char c) { return std::tolower(c); });
      a.options.extensions.push_back(e);
    }
  }
  if (a.batch_mb > 0) a.options.batch_bytes = static_cast<std::uint64_t>(a.batch_mb * 1048576.0);
  const std::string db_dir = a.options.db_path.empty() ? schema::default_db_path() : a.options.db_path;
  const bool sharded = a.shards > 0 || indexer::is_sharded(db_dir);
  if (sharded && !a.gate_path.empty()) throw UsageError("--gate checks an index of one database, not a sharded one");
  // A sharded index's settings are its first shard's (all are built alike).
  apply_recorded_settings(a, sharded ? indexer::shard_path(db_dir, 0) : db_dir);
  a.options.max_removal_share = a.max_removal_percent / 100.0;
  if (!a.gate_path.empty()) {
    // A gated run always builds a new generation: the checks judge it
    // before it replaces the live one.
    auto checks = std::make_shared<std::vector<GateCheck>>(parse_gate_file(a.gate_path));
    const std::string db = a.options.db_path.empty() ? schema::default_db_path() : a.options.db_path;
    a.options.rebuild = true;
    a.options.gate = [checks, db](const std::string& generation) {
      return run_gate(indexer::absolute_path(db), generation, *checks);
    };
  }
  const bool tty = ::isatty(::fileno(stderr)) == 1;
  bool drew = false;
  indexer::ProgressCallback progress;
  if (tty && !a.quiet) {
    progress = [&drew](const indexer::Progress& p) {
      std::string line;
      if (p.phase == "merging") {
        line = fmt::format("merging shards... {:.0f}s", p.seconds);
      } else {
        double mbs = p.seconds > 0 ? static_cast<double>(p.bytes_done) / 1e6 / p.seconds : 0;
        double eta = mbs > 0 ? static_cast<double>(p.bytes_total - std::min(p.bytes_done, p.bytes_total)) / 1e6 / mbs
                             : NAN;
        line = fmt::format("{} {}/{} files, {:.1f}/{:.1f} MB, {:.1f} MB/s, ETA {}", p.phase, p.files_done,
                           p.files_total, static_cast<double>(p.bytes_done) / 1e6,
                           static_cast<double>(p.bytes_total) / 1e6, mbs, human_seconds(eta));
      }
      fmt::print(stderr, "\r\033[K{}", line);
      std::fflush(stderr);
      drew = true;
    };
  }
  std::optional<indexer::ShardedSummary> by_shard;
  indexer::IndexSummary s;
  if (sharded) {
    a.options.db_path = db_dir;
    by_shard = indexer::run_sharded_index(a.options, a.shards, progress);
    s = by_shard->total;
  } else {
    s = indexer::run_index(a.options, progress);
  }
  if (drew) fmt::print(stderr, "\r\033[K");

  if (!a.quiet) {
    for (const auto& r : s.recovered) print_warning(r);
    if (s.mode == "rebuild" && s.rebuild_reason != "--rebuild")
      print_warning(fmt::format("rebuilt the whole index: {}", s.rebuild_reason));
  }
  bool partial = false;
  for (const auto& sk : s.skipped) {
    if (sk.ignored) continue;
    partial = true;
    // Unreadable files are errors for cron; other skips are reported unless --quiet.
    if (sk.unreadable || !a.quiet) print_warning(fmt::format("skipped {}: {}", sk.path, sk.reason));
  }
  if (a.json && by_shard) {
    // {"version", "shards": [each shard's summary], "total": the sum}
    std::string shards;
    for (const auto& one : by_shard->shards) shards += (shards.empty() ? "" : ",") + one.to_json();
    out(with_json_version(fmt::format("{{\"shards\":[{}],\"total\":{}}}", shards, s.to_json())));
    out("\n");
  } else if (a.json) {
    out(with_json_version(s.to_json()));
    out("\n");
  } else if (!a.quiet) {
    if (by_shard)
      for (const auto& one : by_shard->shards) out("  " + summary_line(one) + "\n");
    out(summary_line(s));
    if (by_shard) out(fmt::format(" ({} shards)", by_shard->shards.size()));
    out("\n");
  }
  for (const auto& r : s.refusals) print_error(fmt::format("removed nothing: {}", r));
  if (!s.refusals.empty()) return kRefused;
  return partial ? kPartial : kOk;
}

}  // namespace

Command setup_index(CLI::App& parent) {
  auto args = std::make_shared<IndexArgs>();
  auto* sub = parent.add_subcommand(
      "index",
      "Build or update the passage index of the articles under PATH... (incremental; see docs/indexing.md).\n"
      "Exit codes: 0 ok, 5 ok but some files skipped or unreadable, 4 another run holds the lock,\n"
      "3 the index folder is unusable, 6 failure, 7 refused to remove articles (a corpus folder missing,\n"
      "unreadable or empty, or too many removals; nothing removed), 8 the new index failed --gate\n"
      "(the live one is unchanged). Options not given are those the index recorded at its last run.");
  auto& o = args->options;
  sub->add_option("paths", o.roots,
                  "Folders (walked recursively) and files (.txt .md .html, .jsonl = one article per line) making up "
                  "the corpus; default: the paths the index recorded. Paths under those update only them");
  sub->add_option("--db", o.db_path,
                  "Index folder (default: $LIPSTEETH_DB, else $XDG_DATA_HOME/lipsteeth/index, else "
                  "~/.local/share/lipsteeth/index)");
  sub->add_flag("--rebuild", o.rebuild,
                "Build a fresh index beside the live one and swap it in when complete");
  sub->add_option("-j,--jobs", o.jobs, "Analysis threads and writer shards (default: all cores)")
      ->check(CLI::Range(1u, 256u));
  args->actors = sub->add_option("--actors", o.actors_path,
                                 "Gazetteer TSV file (default: the one the index recorded, else actors.tsv of the data folder, see lipsteeth(1) FILES)")
                     ->check(CLI::ExistingFile);
  // One value per --ext (comma-separated, repeatable): `--ext txt corpus/`
  // leaves corpus/ a path.
  args->ext = sub->add_option("--ext", args->extensions,
                              "File name extensions to index, comma-separated, replacing the default "
                              ".txt,.md,.markdown,.html,.htm,.jsonl,.pdf,.docx,.odt,.epub,.gz (a .gz file when the "
                              "extension inside it is listed too: a.html.gz); default: those the index recorded")
                  ->delimiter(',')
                  ->allow_extra_args(false)
                  ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  args->follow = sub->add_flag("--follow-symlinks", o.follow_symlinks, "Follow symbolic links that lead outside the corpus");
  args->store = sub->add_flag("--store-texts", o.store_texts,
                "Keep every passage's text in the index, so that results show it even when the corpus is "
                "moved or gone (the index grows by about half the corpus's size; with --rebuild for all "
                "passages). Default: passages that are their file's bytes are read from the files");
  sub->add_option("--batch-mb", args->batch_mb, "Commit every N MB of input per writer (default 0.5 per shard of a full build, 8 for an incremental run)")
      ->check(CLI::Range(0.01, 4096.0));
  sub->add_flag("--allow-removal", o.allow_removal,
                "Remove the articles of a corpus folder that is missing, unreadable or empty, and any number of "
                "articles whose files are gone (default: such a run removes nothing and exits 7)");
  sub->add_option("--max-removal", args->max_removal_percent,
                  "Largest share of the index's articles, in percent, that a run may remove (default 50)")
      ->check(CLI::Range(0.0, 100.0));
  sub->add_option("--gate", args->gate_path,
                  "Build a new generation and make it live only if it passes `verify` and the checks in FILE "
                  "(min-articles N, min-hits N QUERY, expect ARTICLE QUERY; see docs/indexing.md); else exit 8")
      ->type_name("FILE")
      ->check(CLI::ExistingFile);
  sub->add_option("--shards", args->shards,
                  "Build N shard databases in parallel in the --db folder, each file routed to one by a hash of its "
                  "path, searched as one (its `shards` stub; docs/scaling.md). Later runs update the shards "
                  "without it")
      ->check(CLI::Range(2u, indexer::kMaxShards));
  sub->add_flag("-q,--quiet", args->quiet, "Print nothing but errors (unreadable files included)");
  sub->add_flag("--json", args->json, "Print the summary as JSON");
  return {sub, [args] { return run_index_command(*args); }};
}

}  // namespace lipsteeth::cli
