// The indexer: walks a corpus, analyses its articles in parallel and writes
// one Xapian document per passage (schema: analyzers/schema.h, ARCHITECTURE.md).
//
// An index is a directory (IndexOptions::db_path) holding:
//   current      a Xapian stub file naming the live generation
//   lock         flock()ed by the one running writer
//   gen-NNNNNN/  a compacted glass database (a generation)
//   build-NNNNNN/shard-K/  the shards of a full build in progress
// A full build (first run, --rebuild, or a changed analyzer, schema or
// gazetteer) writes one shard per job in parallel, commits each shard in
// batches (a file's state and its passages in the same commit), then merges
// the shards with Xapian's compactor into a new generation and swaps the
// stub by rename. A killed full build is resumed by the next run. An
// incremental run updates the live generation in place, in batches.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "analyzers/error.h"

namespace lipsteeth::indexer {

struct IndexOptions {
  // Index directory. Default "": schema::default_db_path().
  std::string db_path;

  // Files and folders making up the corpus (folders are walked recursively;
  // a .jsonl file holds one article per line). Files indexed from earlier
  // runs that are not found under these roots are removed. Default empty:
  // the roots recorded by the previous run (metadata lipsteeth.roots).
  std::vector<std::string> roots;

  // Gazetteer (actors TSV). Default "": analyzers::Gazetteer::default_path().
  std::string actors_path;

  // Build a fresh generation beside the live one and swap it in at the end.
  // Default false: incremental update (a full build when there is no index).
  bool rebuild = false;

  // Analysis threads, and writer shards in a full build. Default 0: the
  // number of hardware threads.
  unsigned jobs = 0;

  // File name extensions indexed (lower case, with the dot). Others are
  // skipped with a reason. A ".gz" file is indexed when ".gz" and the
  // extension of its name without ".gz" are both listed ("a.html.gz").
  std::vector<std::string> extensions = {".txt", ".md",   ".markdown", ".html", ".htm", ".jsonl",
                                         ".pdf", ".docx", ".odt",      ".epub", ".gz"};

  // Follow symbolic links whose target lies outside the roots. Default
  // false: such links are skipped with a reason. A link to a file inside the
  // roots is indexed under its own name; a link to a folder inside the roots
  // is skipped (its files are indexed where they are).
  bool follow_symlinks = false;

  // Store the text of every passage this run writes in the index. Default
  // false: a passage whose bytes in its file are its text is stored as their
  // byte range and hash, and searches read it from the file. Passages from
  // earlier runs keep how they were stored; with `rebuild` the whole index
  // follows this setting.
  bool store_texts = false;

  // A writer commits after this many bytes of input since its last commit
  // (bounds memory: Xapian buffers postings until a commit). 0: the
  // defaults below, by kind of run.
  std::uint64_t batch_bytes = 0;
  // Full builds: each shard commits often, which keeps Xapian's buffers
  // small (larger batches cost more CPU in its in-memory inverter).
  static constexpr std::uint64_t kFullBatchBytes = 512u << 10;
  // Incremental runs: every commit to a compacted database copies each
  // B-tree block it touches, and the passages an update adds touch blocks
  // all over the position and posting tables (their keys start with the
  // term), so an update commits rarely.
  static constexpr std::uint64_t kUpdateBatchBytes = 8u << 20;

  // Files larger than this are skipped (reason "larger than ..."); 0: no limit.
  std::uint64_t max_file_bytes = 256u << 20;

  // The removal policy (indexer/removal.h). By default a run removes an
  // article whose file is gone only when the folder it was in was read, its
  // corpus root is there and not empty, and the run removes at most this
  // share (0..1) of the index's articles; otherwise it removes nothing and
  // IndexSummary::refusals says why. allow_removal lifts these checks (a
  // file that could not be read this time still keeps its passages).
  bool allow_removal = false;
  double max_removal_share = 0.5;

  // The gate of a full build (index --gate): called with the new
  // generation's path once it is merged, before it is made live; returns ""
  // when it passes, else why it failed (then the build is discarded, the
  // live index stays, and run_index throws GateFailedError). Default: none.
  std::function<std::string(const std::string& generation_path)> gate;

  // This index is shard `shard` of `shards` (indexer/shards.h): it holds
  // only the files whose id shard_of() routes to it. Default 1: the whole
  // corpus. The walk still sees every file, so that a shard's first build
  // numbers its articles as one index of the whole corpus would (their
  // ordinals break ties between equal scores).
  unsigned shard = 0;
  unsigned shards = 1;
};

// The new generation failed IndexOptions::gate: the live index is unchanged.
// Exit code 8.
class GateFailedError : public Error {
  using Error::Error;
};

// A --rebuild (or a resumed build) that would lose articles the removal
// policy protects: nothing was changed. Exit code 7.
class RemovalRefusedError : public Error {
  using Error::Error;
};

// One file (or JSON Lines record) left out of this run, and why.
struct Skip {
  std::string path;    // as found (for a JSON Lines record: "FILE:LINE")
  std::string reason;  // e.g. "binary file (contains NUL bytes)", "hidden file"
  // True when the file could not be read this time: its previous passages
  // (if any) stay in the index and it is retried next run.
  bool unreadable = false;
  // True when left out by design (hidden file or folder, editor temporary):
  // counted in the summary, but not a reason for a "partial" exit status.
  bool ignored = false;
};

struct IndexSummary {
  std::string db_path;    // the index directory
  std::string mode;       // "full", "rebuild", "resume" or "incremental"
  std::uint64_t added = 0;      // articles new to the index
  std::uint64_t updated = 0;    // articles re-analysed because their content changed
  std::uint64_t removed = 0;    // articles whose file is gone
  std::uint64_t renamed = 0;    // articles moved to a new name without re-analysis
  std::uint64_t kept = 0;       // articles whose file was not found but which the removal policy kept
  std::uint64_t unchanged = 0;  // articles left as they were
  std::uint64_t passages = 0;   // passages written in this run
  std::uint64_t bytes = 0;      // bytes of input read and analysed in this run
  std::vector<Skip> skipped;    // in path order
  double seconds = 0;           // wall time of the run
  // The text dictionary (analyzers/text_codec.h): its size (0: none, texts
  // stored plain) and the wall time a full build spent sampling and training it.
  std::uint64_t dictionary_bytes = 0;
  double dictionary_seconds = 0;
  unsigned jobs = 0;
  std::uint64_t articles_total = 0;  // articles in the index after the run
  std::uint64_t passages_total = 0;  // passages (documents) in the index after the run
  // Why the removal policy kept articles this run would have removed (one
  // line each); not empty means exit code 7.
  std::vector<std::string> refusals;
  // Why this run built a new generation instead of updating ("--rebuild",
  // "the gazetteer changed", ...); empty for an incremental run.
  std::string rebuild_reason;
  // What the run found and repaired from an earlier run that was killed or
  // failed (a build discarded, a half-removed folder deleted...).
  std::vector<std::string> recovered;

  bool any_skipped() const { return !skipped.empty(); }
  // Counts of skipped files by reason ("hidden file": 3, ...).
  std::map<std::string, std::uint64_t> skip_reasons() const;
  // The summary as a JSON object (what --json prints and lipsteeth.last_build stores).
  std::string to_json() const;
};

// What a progress callback receives, at most a few times a second and once
// at the end of each phase.
struct Progress {
  std::string phase;  // "scanning", "indexing", "merging"
  std::uint64_t files_done = 0, files_total = 0;
  std::uint64_t bytes_done = 0, bytes_total = 0;  // input bytes to analyse
  double seconds = 0;                             // since the phase began
};
using ProgressCallback = std::function<void(const Progress&)>;

// Builds or updates the index. Throws lipsteeth::IndexLockedError when
// another run holds the lock, lipsteeth::UsageError for missing roots,
// lipsteeth::InputError for an unreadable gazetteer or sidecar,
// lipsteeth::IndexMissingError for an index directory that is not one, and
// Xapian::Error for database failures. A file that cannot be indexed is not
// an error: it is reported in IndexSummary::skipped.
IndexSummary run_index(const IndexOptions& options, const ProgressCallback& progress = {});

// Disk use of one part of an index folder: a generation (gen-*), a build
// (build-*), or "other" (stub, lock, passage columns).
struct FolderUse {
  std::string name;
  std::uint64_t bytes = 0;
  bool live = false;  // named by the stub
};

// What `lipsteeth stats` shows.
struct IndexStats {
  std::string db_path, generation;  // index directory; live database path
  std::string schema_version, analyzer_version;
  std::uint64_t articles = 0, passages = 0, terms = 0;  // terms: distinct terms
  std::uint64_t actors = 0;                             // distinct XACT terms
  std::map<int, std::uint64_t> passages_per_year;       // year -> passages
  std::uint64_t bytes_on_disk = 0;                      // the live generation
  std::vector<FolderUse> folders;                       // the whole index folder, by part
  std::uint64_t text_dictionary_bytes = 0;              // 0: passage texts stored plain
  std::vector<std::string> roots;
  std::string last_build_json;  // IndexSummary::to_json() of the last run ("" if none)
  std::string to_json() const;
};
// Throws lipsteeth::IndexMissingError when there is no usable index at db_path.
IndexStats read_stats(const std::string& db_path);

// What `lipsteeth verify` finds.
struct VerifyReport {
  std::uint64_t articles_checked = 0;
  std::vector<std::string> problems;  // one line each; empty when the index is sound
  bool ok() const { return problems.empty(); }
};
// Runs Xapian's consistency check on the live generation, checks that every
// article's passages are present as its file state says, and that the files
// the index was built from still have the recorded size, mtime and (when
// those changed) content. Throws lipsteeth::IndexMissingError when there is
// no index.
VerifyReport verify_index(const std::string& db_path);

// Live database path of an index directory (its stub), for readers.
std::string live_database(const std::string& db_path);

}  // namespace lipsteeth::indexer
