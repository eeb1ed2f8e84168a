// Corpus walking: which files make up the corpus, their identity in the
// index, and what is left out (with a reason). No Xapian here.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "analyzers/metadata.h"
#include "indexer/indexer.h"

namespace lipsteeth::indexer {

// A content digest: 128 bits as 32 hex digits. Fast (8 bytes a step), stable
// across runs and platforms; used to tell a changed file from a touched one
// and to recognise a renamed file.
std::string content_hash(std::string_view bytes);

struct CorpusFile {
  std::string path;  // absolute, lexically normal (symlinks not resolved)
  std::string id;    // article id: path relative to its root (root name first when several roots)
  std::uint64_t size = 0;
  std::int64_t mtime_ns = 0;
  bool jsonl = false;  // a JSON Lines file: one article per line
  // Set when the path exists but is not a regular file we can read now
  // (fifo, socket, device): the walker never opens it. Empty otherwise.
  std::string unreadable;
  // The sidecar entry applying to this file, if any, and its digest ("" when none).
  const analyzers::SidecarEntry* sidecar = nullptr;
  std::string sidecar_digest;
};

struct Corpus {
  std::vector<std::string> roots;  // absolute
  std::vector<CorpusFile> files;   // sorted by id
  std::vector<Skip> skipped;
  // Roots that do not exist this run (WalkOptions::missing_roots_ok), and
  // roots whose folder could not be listed: nothing under them was seen.
  std::vector<std::string> missing_roots, unreadable_roots;
  // Sidecar entries, owned here (CorpusFile::sidecar points into them).
  std::map<std::string, std::vector<analyzers::SidecarEntry>> sidecars;  // by sidecar path
};

struct WalkOptions {
  std::vector<std::string> extensions;  // lower case, with the dot
  bool follow_symlinks = false;
  std::uint64_t max_file_bytes = 0;  // 0: no limit
  // Paths (absolute) the walk is limited to, each a file or folder under one
  // of the roots; ids stay relative to the roots. Empty: all of the roots.
  std::vector<std::string> scope;
  // A root that does not exist goes to Corpus::missing_roots (it keeps its
  // place among the roots, so the ids of the others do not change) instead
  // of throwing UsageError.
  bool missing_roots_ok = false;
};

// True when `path` is `dir` or lies under it (both absolute, lexically normal).
bool path_under(const std::string& path, const std::string& dir);

// Walks `roots` (files or folders). Throws lipsteeth::UsageError when a root
// (or a scope path) does not exist and options.missing_roots_ok is not set, lipsteeth::InputError when a sidecar cannot be read or
// parsed. Per-file problems go to Corpus::skipped.
Corpus walk_corpus(const std::vector<std::string>& roots, const WalkOptions& options);

// Absolute, lexically normal form of `path` (no symlink resolution).
std::string absolute_path(const std::string& path);

// Why a file name is left out by design ("hidden file", "editor temporary
// file"), or "" when the name is fine.
std::string ignored_name_reason(std::string_view name, bool directory);

}  // namespace lipsteeth::indexer
