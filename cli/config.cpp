// The options file (common.h config_path): read by CLI11's INI reader.
#include <cstdlib>
#include <filesystem>

#include <stdlib.h>

#include "cli/common.h"

namespace lipsteeth::cli {

std::string config_path() {
  if (const char* x = std::getenv("XDG_CONFIG_HOME"); x && *x) return std::string(x) + "/lipsteeth/config";
  if (const char* h = std::getenv("HOME"); h && *h) return std::string(h) + "/.config/lipsteeth/config";
  return "";
}

void apply_config_db(const std::string& file) {
  if (file.empty() || std::getenv("LIPSTEETH_DB") != nullptr) return;
  std::error_code ec;
  if (!std::filesystem::is_regular_file(file, ec)) return;
  for (const CLI::ConfigItem& item : CLI::ConfigINI().from_file(file)) {
    if (item.parents.empty() && item.name == "db" && item.inputs.size() == 1 && !item.inputs[0].empty()) {
      ::setenv("LIPSTEETH_DB", item.inputs[0].c_str(), 0);
      return;
    }
  }
}

}  // namespace lipsteeth::cli
