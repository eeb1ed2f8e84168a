// The data stored with each passage document (schema version 3): what a
// search prints without re-reading the file. A compact binary record (a
// search decodes ten of them, so JSON parsing showed in its profile): the
// passage's ordinal and byte range in the article body, its actors' mention
// ranges (relative to the passage text), the text itself, and, on the
// article's first passage only (the lowest document id of its XART: term),
// the article's fields. passage_data.cpp documents the byte layout.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lipsteeth::schema {

struct ArticleData {
  std::string id;    // path relative to its corpus root, or the JSON Lines id
  std::string path;  // as indexed (absolute)
  std::string title;
  std::optional<int> year;
  std::string date;  // ISO 8601, "" when unknown
  std::vector<std::string> authors;
};

struct MentionData {
  std::uint32_t actor = 0;           // the actor's rank in the index's lexicon (schema::PassageValue)
  std::uint32_t start = 0, end = 0;  // bytes in the passage text
};

struct PassageData {
  std::uint32_t ordinal = 0;
  std::uint32_t start = 0, end = 0;  // bytes in the article body
  std::string text;
  std::vector<MentionData> mentions;
  std::optional<ArticleData> article;  // on the article's first passage only
};

std::string encode_passage(const PassageData& p);
// False (and `out` partly filled) when `data` is not a whole, well-formed record.
bool decode_passage(std::string_view data, PassageData& out);

}  // namespace lipsteeth::schema
