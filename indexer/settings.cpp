#include "indexer/settings.h"

#include <nlohmann/json.hpp>
#include <xapian.h>

#include "analyzers/schema.h"
#include "indexer/corpus.h"
#include "indexer/index_dir.h"

using json = nlohmann::json;

namespace lipsteeth::indexer {

IndexSettings settings_of(const IndexOptions& o) {
  IndexSettings s;
  s.actors_path = o.actors_path.empty() ? std::string() : absolute_path(o.actors_path);
  s.extensions = o.extensions;
  s.follow_symlinks = o.follow_symlinks;
  s.store_texts = o.store_texts;
  s.max_file_bytes = o.max_file_bytes;
  return s;
}

std::string settings_to_json(const IndexSettings& s) {
  json j = {{"actors", s.actors_path},          {"extensions", s.extensions},
            {"follow_symlinks", s.follow_symlinks}, {"store_texts", s.store_texts},
            {"max_file_bytes", s.max_file_bytes}};
  return j.dump();
}

std::optional<IndexSettings> settings_from_json(const std::string& text) {
  json j = json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return std::nullopt;
  try {
    IndexSettings s;
    s.actors_path = j.value("actors", std::string());
    s.extensions = j.value("extensions", std::vector<std::string>{});
    s.follow_symlinks = j.value("follow_symlinks", false);
    s.store_texts = j.value("store_texts", false);
    s.max_file_bytes = j.value("max_file_bytes", std::uint64_t{0});
    if (s.extensions.empty()) return std::nullopt;
    return s;
  } catch (const json::exception&) {
    return std::nullopt;
  }
}

std::optional<IndexSettings> read_settings(const std::string& db_path) {
  const std::string dir = absolute_path(db_path.empty() ? schema::default_db_path() : db_path);
  // The settings are in the first database the stub names (a first build's
  // shards each record them).
  const auto live = read_stub(dir);
  if (live.empty()) return std::nullopt;
  try {
    Xapian::Database db(stub_part_path(dir, live.front()));
    return settings_from_json(db.get_metadata(kMetaSettings));
  } catch (const Xapian::Error&) {
    return std::nullopt;
  }
}

}  // namespace lipsteeth::indexer
