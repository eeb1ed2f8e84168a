// Decoding: raw file bytes -> normalised UTF-8 text.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace lipsteeth::analyzers {

enum class DecodeStatus {
  ok,      // text holds the decoded article
  empty,   // the file has no text (zero bytes, or only whitespace / a BOM)
  binary,  // refused: NUL bytes or other signs of a non-text file; reason says which
  unreadable,  // a container file (PDF, DOCX, ...) that cannot be read: encrypted, corrupt,
               // no text, too large when decompressed; reason says which (analyzers/container.h)
};

struct DecodeResult {
  DecodeStatus status = DecodeStatus::ok;
  // UTF-8, NFC-normalised, BOM removed, CRLF and lone CR turned into LF.
  // Typography (curly quotes, dashes, NBSP) is kept for display; terms fold it.
  std::string text;
  // Charset the bytes were read as: "UTF-8", or what ICU's detector chose
  // (e.g. "windows-1252", "GB18030") when the bytes were not valid UTF-8.
  // ISO-8859-1 is reported as its superset windows-1252. Text that is mostly
  // valid UTF-8 with a few stray bytes stays "UTF-8": only the stray bytes are
  // read as windows-1252 (and a warning says so).
  std::string encoding = "UTF-8";
  bool had_bom = false;
  // Human-readable notes, e.g. "invalid UTF-8 at byte 120; decoded as windows-1252".
  std::vector<std::string> warnings;
  // Why status is not ok ("contains NUL bytes", "empty file").
  std::string reason;
};

// Decodes `bytes`. Never throws on bad input: the outcome is in the result.
DecodeResult decode(std::string_view bytes);

// True when `s` is well-formed UTF-8.
bool is_valid_utf8(std::string_view s);

}  // namespace lipsteeth::analyzers
