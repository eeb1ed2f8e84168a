#include "analyzers/data_files.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <system_error>

namespace lipsteeth::analyzers {

namespace fs = std::filesystem;

namespace {

// `p` lies inside `dir` (both absolute and normal).
bool inside(const fs::path& p, const fs::path& dir) {
  auto a = p.begin();
  for (auto b = dir.begin(); b != dir.end(); ++b, ++a) {
    if (b->empty()) continue;  // a trailing separator
    if (a == p.end() || *a != *b) return false;
  }
  return true;
}

}  // namespace

std::vector<std::string> data_dirs() {
  if (const char* env = std::getenv("LIPSTEETH_DATA_DIR"); env && *env) return {env};
  std::vector<std::string> dirs;
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec && exe.is_absolute()) {
    const fs::path installed = exe.parent_path().parent_path() / "share" / "lipsteeth";
    if (fs::is_directory(installed, ec)) dirs.push_back(installed.string());
#if defined(LIPSTEETH_BUILD_DIR) && defined(LIPSTEETH_SOURCE_DIR)
    const fs::path build = fs::weakly_canonical(LIPSTEETH_BUILD_DIR, ec);
    if (!ec && dirs.empty() && inside(exe.lexically_normal(), build))
      dirs.push_back((fs::path(LIPSTEETH_SOURCE_DIR) / "data").string());
#endif
  }
#ifdef LIPSTEETH_INSTALL_DATADIR
  if (std::find(dirs.begin(), dirs.end(), LIPSTEETH_INSTALL_DATADIR) == dirs.end())
    dirs.push_back(LIPSTEETH_INSTALL_DATADIR);
#endif
  return dirs;
}

std::string find_data_file(std::string_view name) {
  std::error_code ec;
  for (const std::string& d : data_dirs())
    if (fs::path p = fs::path(d) / name; fs::is_regular_file(p, ec)) return p.string();
  return {};
}

std::string data_dirs_description(std::string_view name) {
  const std::vector<std::string> dirs = data_dirs();
  std::string s;
  for (std::size_t i = 0; i < dirs.size(); ++i) {
    if (i) s += i + 1 == dirs.size() ? " or " : ", ";
    s += (fs::path(dirs[i]) / name).string();
  }
  return s.empty() ? std::string("nowhere") : s;
}

}  // namespace lipsteeth::analyzers
