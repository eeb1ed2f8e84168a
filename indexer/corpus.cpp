#include "indexer/corpus.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include <sys/stat.h>

#include <fmt/format.h>

#include "analyzers/error.h"

namespace fs = std::filesystem;

namespace lipsteeth::indexer {

namespace {

// 64-bit multiply-mix (the finaliser of MurmurHash3 / SplitMix64).
inline std::uint64_t mix(std::uint64_t h) {
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdull;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ull;
  h ^= h >> 33;
  return h;
}

inline std::uint64_t rotl(std::uint64_t x, int r) { return (x << r) | (x >> (64 - r)); }

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

bool has_prefix(const fs::path& p, const fs::path& root) {
  auto pi = p.begin();
  for (auto ri = root.begin(); ri != root.end(); ++ri, ++pi) {
    if (ri->empty()) continue;  // trailing separator of the root
    if (pi == p.end() || *pi != *ri) return false;
  }
  return true;
}

struct Walker {
  const WalkOptions& options;
  Corpus& corpus;
  std::vector<fs::path> canonical_roots;  // symlinks resolved, to judge where links lead

  void add_skip(const std::string& path, std::string reason, bool unreadable = false, bool ignored = false) {
    corpus.skipped.push_back({path, std::move(reason), unreadable, ignored});
  }

  bool inside_corpus(const fs::path& target) const {
    for (const auto& r : canonical_roots)
      if (has_prefix(target, r)) return true;
    return false;
  }

  void load_sidecar(const fs::path& dir) {
    fs::path sc = dir / analyzers::kSidecarName;
    struct stat st;
    if (::stat(sc.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return;
    if (corpus.sidecars.count(sc.string())) return;
    corpus.sidecars[sc.string()] = analyzers::load_sidecar(sc.string());
  }

  const analyzers::SidecarEntry* sidecar_for(const fs::path& file) const {
    // The sidecar in the file's folder or any folder above it within the corpus.
    for (fs::path dir = file.parent_path(); !dir.empty(); dir = dir.parent_path()) {
      auto it = corpus.sidecars.find((dir / analyzers::kSidecarName).string());
      if (it != corpus.sidecars.end()) {
        std::string rel = file.lexically_relative(dir).generic_string();
        return analyzers::find_sidecar_entry(it->second, rel);
      }
      if (dir == dir.root_path()) break;
    }
    return nullptr;
  }

  void add_file(const fs::path& path, const std::string& id, const struct stat& st) {
    CorpusFile f;
    f.path = path.string();
    f.id = id;
    f.size = static_cast<std::uint64_t>(st.st_size);
    f.mtime_ns = static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
    f.jsonl = lower(path.extension().string()) == ".jsonl";
    f.sidecar = sidecar_for(path);
    if (f.sidecar) {
      std::string joined = f.sidecar->title + '\x1f' + f.sidecar->date + '\x1f';
      for (const auto& a : f.sidecar->authors) joined += a + '\x1e';
      f.sidecar_digest = content_hash(joined);
    }
    corpus.files.push_back(std::move(f));
  }

  // Where `path` lies with respect to WalkOptions::scope: inside it (or no
  // scope), above a scope path (a folder to walk through), or outside it.
  enum class Scope { inside, above, outside };
  Scope scope_of(const std::string& path) const {
    if (options.scope.empty()) return Scope::inside;
    Scope s = Scope::outside;
    for (const auto& p : options.scope) {
      if (path_under(path, p)) return Scope::inside;
      if (path_under(p, path)) s = Scope::above;
    }
    return s;
  }

  // One directory entry (or a root file). `id` is its article id if it is a file.
  void visit(const fs::path& path, const std::string& id, int depth) {
    const Scope scope = scope_of(path.string());
    if (scope == Scope::outside) return;  // not part of this run
    std::string name = path.filename().string();
    struct stat lst;
    if (::lstat(path.c_str(), &lst) != 0) {
      add_skip(path.string(), fmt::format("cannot stat: {}", std::strerror(errno)), true);
      return;
    }
    bool is_dir_entry = S_ISDIR(lst.st_mode);
    if (depth > 0) {
      if (std::string why = ignored_name_reason(name, is_dir_entry); !why.empty()) {
        add_skip(path.string(), why, false, true);
        return;
      }
    }
    struct stat st = lst;
    if (S_ISLNK(lst.st_mode)) {
      std::error_code ec;
      fs::path target = fs::canonical(path, ec);
      if (ec || ::stat(path.c_str(), &st) != 0) {
        add_skip(path.string(), "broken symbolic link");
        return;
      }
      if (!options.follow_symlinks && !inside_corpus(target)) {
        add_skip(path.string(), "symbolic link leading outside the corpus (--follow-symlinks to follow it)");
        return;
      }
      if (S_ISDIR(st.st_mode) && inside_corpus(target)) {
        // A link to a folder of the corpus would index the same files twice.
        add_skip(path.string(), "symbolic link to a folder already in the corpus");
        return;
      }
    }
    if (scope == Scope::above && !S_ISDIR(st.st_mode)) return;
    if (S_ISDIR(st.st_mode)) {
      if (depth > 64) {
        add_skip(path.string(), "folder nested too deeply (symbolic link loop?)");
        return;
      }
      walk_dir(path, id, depth);
      return;
    }
    if (depth > 0 && name == analyzers::kSidecarName) return;  // read by load_sidecar, not an article
    std::string ext = lower(path.extension().string());
    auto listed = [&](const std::string& e) {
      return std::find(options.extensions.begin(), options.extensions.end(), e) != options.extensions.end();
    };
    if (!listed(ext)) {
      add_skip(path.string(), ext.empty() ? std::string("no file name extension (--ext to index it)")
                                          : fmt::format("unsupported extension {} (--ext to index it)", ext));
      return;
    }
    if (ext == ".gz") {
      // A compressed file is read as the file inside it: "a.html.gz" as HTML.
      // JSON Lines are read record by record from the file itself, not inside a .gz.
      std::string inner = lower(path.stem().extension().string());
      if (inner.empty() || inner == ".gz" || inner == ".jsonl" || !listed(inner)) {
        add_skip(path.string(), inner.empty() ? std::string("compressed file with no extension inside (a.txt.gz is read)")
                                              : fmt::format("unsupported extension {}.gz (--ext to index it)", inner));
        return;
      }
    }
    if (!S_ISREG(st.st_mode)) {
      const char* kind = S_ISFIFO(st.st_mode) ? "fifo" : S_ISSOCK(st.st_mode) ? "socket" : "device";
      CorpusFile f;
      f.path = path.string();
      f.id = id;
      f.unreadable = fmt::format("not a regular file ({})", kind);
      f.jsonl = ext == ".jsonl";
      corpus.files.push_back(std::move(f));
      return;
    }
    if (options.max_file_bytes && static_cast<std::uint64_t>(st.st_size) > options.max_file_bytes) {
      add_skip(path.string(), fmt::format("larger than {} MB", options.max_file_bytes >> 20));
      return;
    }
    add_file(path, id, st);
  }

  void walk_dir(const fs::path& dir, const std::string& id, int depth) {
    load_sidecar(dir);
    std::vector<fs::path> entries;
    std::error_code ec;
    fs::directory_iterator it(dir, ec), end;
    if (ec) {
      // Unreadable: what the index holds under it is kept (removal.h).
      add_skip(dir.string(), fmt::format("cannot read folder: {}", ec.message()), true);
      if (depth == 0) corpus.unreadable_roots.push_back(dir.string());
      return;
    }
    for (; it != end; it.increment(ec)) {
      if (ec) {
        // Listed in part: its files found so far are indexed, and nothing
        // under it is removed.
        add_skip(dir.string(), fmt::format("cannot read folder: {}", ec.message()), true);
        if (depth == 0) corpus.unreadable_roots.push_back(dir.string());
        break;
      }
      entries.push_back(it->path());
    }
    std::sort(entries.begin(), entries.end());
    for (const auto& e : entries) {
      std::string child_id = id.empty() ? e.filename().string() : id + "/" + e.filename().string();
      visit(e, child_id, depth + 1);
    }
  }
};

}  // namespace

std::string content_hash(std::string_view bytes) {
  // Two independent 64-bit lanes over 8-byte words, then mixed with the length.
  std::uint64_t a = 0x9e3779b97f4a7c15ull, b = 0x6a09e667f3bcc909ull;
  const char* p = bytes.data();
  std::size_t n = bytes.size(), i = 0;
  for (; i + 8 <= n; i += 8) {
    std::uint64_t w;
    std::memcpy(&w, p + i, 8);
    a = rotl(a ^ (w * 0x87c37b91114253d5ull), 31) * 0x4cf5ad432745937full;
    b = rotl(b + (w ^ 0x52dce729da3ed7a1ull), 27) * 0x9e3779b97f4a7c15ull + a;
  }
  std::uint64_t tail = 0;
  if (i < n) std::memcpy(&tail, p + i, n - i);
  a = mix(a ^ tail ^ n);
  b = mix(b ^ rotl(tail, 17) ^ (n * 0x9e3779b97f4a7c15ull) ^ a);
  return fmt::format("{:016x}{:016x}", a, b);
}

std::string absolute_path(const std::string& path) {
  std::error_code ec;
  fs::path p = fs::absolute(path, ec);
  if (ec) p = path;
  p = p.lexically_normal();
  std::string s = p.string();
  while (s.size() > 1 && s.back() == '/') s.pop_back();
  return s;
}

std::string ignored_name_reason(std::string_view name, bool directory) {
  if (name.empty()) return {};
  if (name[0] == '.') {
    if (name.size() > 2 && name[1] == '#') return "editor temporary file";  // Emacs lock file .#foo
    return directory ? "hidden folder" : "hidden file";
  }
  if (directory) return {};
  auto ends = [&](std::string_view s) { return name.size() >= s.size() && name.substr(name.size() - s.size()) == s; };
  if (name.back() == '~') return "editor temporary file";
  if (name.size() >= 2 && name.front() == '#' && name.back() == '#') return "editor temporary file";
  if (ends(".swp") || ends(".swo") || ends(".swx") || ends(".tmp") || ends(".bak")) return "editor temporary file";
  return {};
}

bool path_under(const std::string& path, const std::string& dir) {
  if (dir == "/") return !path.empty() && path[0] == '/';
  return path.size() >= dir.size() && path.compare(0, dir.size(), dir) == 0 &&
         (path.size() == dir.size() || path[dir.size()] == '/');
}

Corpus walk_corpus(const std::vector<std::string>& roots, const WalkOptions& options) {
  Corpus corpus;
  Walker w{options, corpus, {}};
  for (const auto& r : roots) {
    std::string abs = absolute_path(r);
    struct stat st;
    if (::stat(abs.c_str(), &st) != 0) {
      if (!options.missing_roots_ok)
        throw UsageError(fmt::format("cannot index '{}': {}", r, std::strerror(errno)));
      corpus.missing_roots.push_back(abs);
      corpus.skipped.push_back({abs, fmt::format("cannot index the corpus folder: {}", std::strerror(errno)), true, false});
    }
    corpus.roots.push_back(abs);
    std::error_code ec;
    w.canonical_roots.push_back(fs::canonical(abs, ec));
  }
  for (const auto& s : options.scope) {
    struct stat st;
    if (::stat(s.c_str(), &st) != 0) throw UsageError(fmt::format("cannot index '{}': {}", s, std::strerror(errno)));
  }
  const bool several = corpus.roots.size() > 1;
  for (const auto& abs : corpus.roots) {
    if (std::find(corpus.missing_roots.begin(), corpus.missing_roots.end(), abs) != corpus.missing_roots.end())
      continue;
    fs::path p(abs);
    struct stat st;
    ::stat(abs.c_str(), &st);
    std::string base = several ? p.filename().string() : std::string();
    if (S_ISDIR(st.st_mode)) {
      w.visit(p, base, 0);
    } else {
      // A file given by name: its sidecar is the one in its folder.
      w.load_sidecar(p.parent_path());
      w.visit(p, p.filename().string(), 0);
    }
  }
  std::sort(corpus.files.begin(), corpus.files.end(),
            [](const CorpusFile& a, const CorpusFile& b) { return a.id < b.id; });
  // The same id from two roots (or a root given twice): keep the first.
  auto dup = std::adjacent_find(corpus.files.begin(), corpus.files.end(),
                                [](const CorpusFile& a, const CorpusFile& b) { return a.id == b.id; });
  while (dup != corpus.files.end()) {
    auto next = dup + 1;
    if (next->path != dup->path) corpus.skipped.push_back({next->path, "same article id as " + dup->path, false, false});
    corpus.files.erase(next);
    dup = std::adjacent_find(dup, corpus.files.end(),
                             [](const CorpusFile& a, const CorpusFile& b) { return a.id == b.id; });
  }
  std::sort(corpus.skipped.begin(), corpus.skipped.end(),
            [](const Skip& a, const Skip& b) { return a.path < b.path; });
  return corpus;
}

}  // namespace lipsteeth::indexer
