// Years inferred from the dated events an article refers to (see
// events.cpp; the table is data/events.tsv, its format docs/metadata.md).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analyzers/meta/text_util.h"
#include "analyzers/metadata.h"

namespace lipsteeth::analyzers::meta {

struct DatedEvent {
  Date date;         // y, and m / d when the table gives them
  std::string name;  // "execution of Jang Song-thaek"
  // Ways a sentence refers to it: any one alternative, all of whose terms
  // (normalised: lower case, hyphens and apostrophes as spaces) occur in
  // the sentence, each at the start of a word (stored with a leading space).
  std::vector<std::vector<std::string>> refers;
};

// Parses a table in the format of data/events.tsv. Throws lipsteeth::InputError
// ("origin:line: what") on a malformed line.
std::vector<DatedEvent> parse_events(std::string_view tsv, std::string_view origin);

// events.tsv of the data folder (analyzers/data_files.h: $LIPSTEETH_DATA_DIR,
// else <prefix>/share/lipsteeth/ beside an installed binary, else data/ of the
// source tree for a binary in its build tree), then the file named by
// $LIPSTEETH_EVENTS when set.
// Read once, on first use. A table that is missing or malformed adds no
// event (no year is then inferred from it); never throws.
const std::vector<DatedEvent>& default_events();

// The year `body` was most likely written, from its references to `events`,
// as an "event-year" candidate (source inferred, rank kEventYear, the note
// saying what it rests on), or nullopt. Only a reference that places the
// text in time counts as evidence of its year: an anniversary ("the 70th
// anniversary of the end of World War II": 1945 + 70), "last year's ..."
// (the event's year + 1), or a reference with a word of recency in its
// sentence ("has just returned from", "this month", "recent", a month named
// without a year: "the December execution"). A sentence that names a year
// itself places nothing. Plain references only bound the year from below.
// Without any placing reference: nullopt, never a guess.
std::optional<Candidate> infer_event_year(std::string_view body, const std::vector<DatedEvent>& events);

}  // namespace lipsteeth::analyzers::meta
