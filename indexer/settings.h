// The settings of an index: what a run was told (actor list, extensions,
// symbolic links, stored texts, file size limit), recorded in the index
// (metadata lipsteeth.settings) so that a plain `lipsteeth index` run reuses
// them instead of the defaults. No Xapian writes here.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "indexer/indexer.h"

namespace lipsteeth::indexer {

inline constexpr const char* kMetaSettings = "lipsteeth.settings";

struct IndexSettings {
  std::string actors_path;  // absolute; "" when the default gazetteer was used
  std::vector<std::string> extensions;
  bool follow_symlinks = false;
  bool store_texts = false;
  std::uint64_t max_file_bytes = 0;
};

// The settings a run with `options` records (actors_path made absolute).
IndexSettings settings_of(const IndexOptions& options);
std::string settings_to_json(const IndexSettings& s);
// std::nullopt for "" or a malformed value.
std::optional<IndexSettings> settings_from_json(const std::string& text);

// The settings recorded in the live index of `db_path` (default location
// when ""); std::nullopt when there is no index or it records none.
std::optional<IndexSettings> read_settings(const std::string& db_path);

}  // namespace lipsteeth::indexer
