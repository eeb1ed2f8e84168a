// JSON documents that hold articles (internal to analyzers/; see
// json_doc.cpp): a scraper's array of stories, JSON Lines of stories, one
// story object, a TimelineJS timeline (also as a "var data = {...}" script).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analyzers/metadata.h"

namespace lipsteeth::analyzers::meta {

// One story of a JSON document, as the document gives it.
struct JsonStory {
  std::string title, text, date;  // date as written ("2024-08-04", "August 4, 2024"), "" when none
  std::string title_key, date_key;  // the keys read ("headline", "date")
  std::size_t offset = 0;           // byte offset of the story's first key in the document (approximate: by search)
};

// The stories of `text`, or nullopt when it is no JSON document of stories
// (then the caller reads it as plain text). A story is an object with a
// string text under "story_text", "text", "body", "content", "article" or
// kin; its title under "headline" or "title"; its date under "date",
// "datePublished", "published_at" or kin. Never throws.
std::optional<std::vector<JsonStory>> read_json_stories(std::string_view text);

// The document as one body (each story's title and text, stories apart by
// blank lines) with the first story's title and date as candidates; for a
// TimelineJS file, the timeline's own headline and the latest event's date,
// the latter as inferred (a timeline is made at or after its last event).
// nullopt when `text` is no such document. Never throws.
std::optional<FormattedText> read_json_document(std::string_view text);

}  // namespace lipsteeth::analyzers::meta
