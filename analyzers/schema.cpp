#include "analyzers/schema.h"

#include <cstdlib>
#include <functional>

#include <fmt/format.h>

namespace lipsteeth::schema {

std::string article_key(std::string_view article_id) {
  // Leave room for the longest prefix and a little more.
  if (article_id.size() <= 200) return std::string(article_id);
  // FNV-1a 64: stable across runs and platforms (std::hash is not).
  std::uint64_t h = 1469598103934665603ull;
  for (unsigned char c : article_id) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return fmt::format("{}#{:016x}", article_id.substr(0, 160), h);
}

std::string stub_path(const std::string& db_dir) { return db_dir + "/" + kStubName; }

std::string default_db_path() {
  if (const char* p = std::getenv("LIPSTEETH_DB"); p && *p) return p;
  if (const char* x = std::getenv("XDG_DATA_HOME"); x && *x) return std::string(x) + "/lipsteeth/index";
  if (const char* h = std::getenv("HOME"); h && *h) return std::string(h) + "/.local/share/lipsteeth/index";
  return ".lipsteeth/index";
}

}  // namespace lipsteeth::schema
