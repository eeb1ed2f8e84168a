#include "indexer/generations.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <string_view>
#include <thread>

#include <signal.h>
#include <unistd.h>

#include <fmt/format.h>
#include <xapian.h>

#include "analyzers/schema.h"
#include "indexer/corpus.h"
#include "indexer/index_dir.h"

namespace fs = std::filesystem;

namespace lipsteeth::indexer {

void fault_point(const char* point) {
  static const char* env = std::getenv("LIPSTEETH_FAULT");
  if (!env || !*env) return;
  std::string_view want(env);
  unsigned nth = 1;
  if (auto at = want.find('@'); at != std::string_view::npos) {
    nth = static_cast<unsigned>(std::strtoul(std::string(want.substr(at + 1)).c_str(), nullptr, 10));
    want = want.substr(0, at);
  }
  if (want != point) return;
  // One counter for the one point named (writer threads pass it at once).
  static std::atomic<unsigned> seen{0};
  if (++seen < nth) return;
  ::kill(::getpid(), SIGKILL);
  ::pause();
}

void discard_folder(const std::string& db_dir, const std::string& name) noexcept {
  try {
    const std::string path = db_dir + "/" + name;
    std::error_code ec;
    if (!fs::exists(path, ec)) return;
    std::string trash = fmt::format("{}/trash-{}-{}", db_dir, ::getpid(), name);
    for (int i = 1; fs::exists(trash, ec); ++i) trash = fmt::format("{}/trash-{}-{}-{}", db_dir, ::getpid(), name, i);
    if (::rename(path.c_str(), trash.c_str()) != 0) trash = path;
    fault_point("discard-after-rename");
    fs::remove_all(trash, ec);
  } catch (...) {
    // Nothing to do: the next run's recovery deletes trash-* folders.
  }
}

std::vector<std::string> build_shards(const std::string& build_dir, std::string& problem) {
  problem.clear();
  std::vector<std::string> shards;
  std::error_code ec;
  for (fs::directory_iterator it(build_dir, ec), end; !ec && it != end; it.increment(ec)) {
    std::string n = it->path().filename().string();
    if (n.rfind("shard-", 0) == 0) shards.push_back(n);
  }
  if (ec) problem = fmt::format("cannot list it: {}", ec.message());
  std::sort(shards.begin(), shards.end());
  if (problem.empty() && shards.empty()) problem = "it has no shards";
  for (std::size_t i = 0; problem.empty() && i < shards.size(); ++i) {
    if (shards[i] != fmt::format("shard-{:02d}", i)) {
      problem = fmt::format("shard-{:02d} is missing", i);
      break;
    }
    try {
      Xapian::Database db(build_dir + "/" + shards[i]);
      (void)db.get_doccount();
    } catch (const Xapian::Error& e) {
      problem = fmt::format("{} cannot be opened ({})", shards[i], e.get_msg());
    }
  }
  return shards;
}

std::vector<std::string> recover_index_dir(const std::string& db_dir) {
  std::vector<std::string> done;
  std::error_code ec;
  std::vector<std::string> trash;
  for (fs::directory_iterator it(db_dir, ec), end; !ec && it != end; it.increment(ec)) {
    std::string n = it->path().filename().string();
    if (n.rfind("trash-", 0) == 0) trash.push_back(n);
  }
  for (const auto& n : trash) {
    fs::remove_all(db_dir + "/" + n, ec);
    done.push_back(fmt::format("deleted {} (a deletion an earlier run did not finish)", n));
  }
  fs::remove(schema::stub_path(db_dir) + ".tmp", ec);

  const std::vector<std::string> live = read_stub(db_dir);
  auto is_live = [&](const std::string& name) {
    return std::any_of(live.begin(), live.end(),
                       [&](const std::string& l) { return l == name || l.rfind(name + "/", 0) == 0; });
  };
  for (const auto& b : list_generations(db_dir, "build")) {
    const std::string g = "gen-" + b.substr(b.find('-') + 1);
    if (is_live(g)) {
      discard_folder(db_dir, b);
      done.push_back(fmt::format("deleted {}: its generation {} was already live (a run killed after its swap)", b, g));
      continue;
    }
    if (fs::exists(db_dir + "/" + g, ec)) {
      // Merged but never published: nobody reads it; the merge is redone.
      discard_folder(db_dir, g);
      done.push_back(fmt::format("deleted {}: merged from {} but never made live (the merge is redone)", g, b));
    }
    std::string problem;
    build_shards(db_dir + "/" + b, problem);
    if (!problem.empty()) {
      // A first build's shards are named by the stub; broken, they serve no
      // reader either: the stub goes with them and the first build starts over.
      if (is_live(b)) fs::remove(schema::stub_path(db_dir), ec);
      discard_folder(db_dir, b);
      done.push_back(fmt::format("discarded the interrupted build {}: it cannot be resumed ({}); a new build starts",
                                 b, problem));
    }
  }
  return done;
}

bool folder_in_use(const std::string& path) {
  std::error_code ec;
  const std::string target = absolute_path(path);
  for (fs::directory_iterator p("/proc", ec), end; !ec && p != end; p.increment(ec)) {
    const std::string pid = p->path().filename().string();
    if (pid.empty() || !std::all_of(pid.begin(), pid.end(), ::isdigit)) continue;
    std::error_code ec2;
    for (fs::directory_iterator fd(p->path() / "fd", ec2), fend; !ec2 && fd != fend; fd.increment(ec2)) {
      std::error_code ec3;
      fs::path link = fs::read_symlink(fd->path(), ec3);
      if (!ec3 && path_under(link.string(), target)) return true;
    }
  }
  return false;
}

std::vector<std::string> remove_unused_generations(const std::string& db_dir, unsigned wait_ms) {
  const std::vector<std::string> live = read_stub(db_dir);
  std::vector<std::string> kept;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(wait_ms);
  bool first = true;
  for (const auto& g : list_generations(db_dir, "gen")) {
    if (std::find(live.begin(), live.end(), g) != live.end()) continue;
    if (first) std::this_thread::sleep_for(std::chrono::milliseconds(std::min(wait_ms, 200u)));
    first = false;
    // A search that read the old stub just before the swap opens its files
    // a moment later: give it that moment, then wait for readers to finish.
    bool busy = true;
    for (;;) {
      busy = folder_in_use(db_dir + "/" + g);
      if (!busy || std::chrono::steady_clock::now() >= deadline) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    if (busy)
      kept.push_back(g);
    else
      discard_folder(db_dir, g);
  }
  return kept;
}

std::vector<FolderUse> disk_use_by_generation(const std::string& db_dir) {
  std::vector<FolderUse> out;
  const std::vector<std::string> live = read_stub(db_dir);
  std::uint64_t total = disk_usage(db_dir);
  std::uint64_t parts = 0;
  for (const char* kind : {"gen", "build"}) {
    for (const auto& g : list_generations(db_dir, kind)) {
      FolderUse u{g, disk_usage(db_dir + "/" + g), false};
      u.live = std::any_of(live.begin(), live.end(),
                           [&](const std::string& l) { return l == g || l.rfind(g + "/", 0) == 0; });
      parts += u.bytes;
      out.push_back(u);
    }
  }
  out.push_back({"other", total > parts ? total - parts : 0, false});
  return out;
}

}  // namespace lipsteeth::indexer
