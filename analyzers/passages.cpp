// Sentences (ICU) and passages.
//
// How an article body becomes passages, and the bounds:
//  1. Blocks are runs of non-blank lines; blank lines (only white space,
//     NBSP included) separate them.
//  2. A block is one paragraph, except when it is written a paragraph per line
//     (no blank lines between paragraphs, as some web copies are): then each
//     line is a paragraph. A block is read that way when it has two or more
//     lines and at least a third of them are longer than kLongLine (240) bytes;
//     hard-wrapped prose has lines well under that, so it stays whole.
//  3. Each paragraph is trimmed of white space at both ends (ASCII and
//     Unicode White_Space, NBSP included).
//  4. A paragraph shorter than options.min_bytes (default 100) is too short to
//     stand alone: a caption, heading, byline, "Source: ..." line, or a title
//     ending in "?". It joins the paragraph that follows it (a run of them
//     joins the first long paragraph after the run); a run at the end of the
//     article joins the paragraph before. An article made only of such lines
//     keeps them as one passage.
//  5. A unit longer than options.max_bytes (default 1500) is cut at ICU
//     sentence boundaries into passages of at most max_bytes, packing whole
//     sentences greedily. A single sentence longer than max_bytes stays whole
//     up to 2 * max_bytes; a longer one (a run-on list, a table, text with no
//     punctuation) is cut at the last white space before max_bytes, or at a
//     code point boundary if there is none. So every passage is at most
//     2 * max_bytes, and at most max_bytes unless it is one long sentence.
//  6. Passages are in text order, do not overlap, never start or end with
//     white space, and are numbered 0..n-1.
#include "analyzers/passages.h"

#include <algorithm>
#include <memory>
#include <mutex>
#include <string>

#include <unicode/brkiter.h>
#include <unicode/locid.h>
#include <unicode/uchar.h>
#include <unicode/utext.h>
#include <unicode/utf16.h>
#include <unicode/utf8.h>

#include "analyzers/error.h"

namespace lipsteeth::analyzers {
namespace {

constexpr std::uint32_t kLongLine = 240;

icu::BreakIterator* sentence_iterator() {
  static std::unique_ptr<icu::BreakIterator> prototype;
  static std::once_flag once;
  std::call_once(once, [] {
    UErrorCode ec = U_ZERO_ERROR;
    prototype.reset(icu::BreakIterator::createSentenceInstance(icu::Locale::getRoot(), ec));
    if (U_FAILURE(ec)) prototype.reset();
  });
  if (!prototype) throw Error("ICU sentence break iterator unavailable (ICU data missing?)");
  thread_local std::unique_ptr<icu::BreakIterator> mine(prototype->clone());
  return mine.get();
}

// UTF-16 copy of the text with the byte offset of each unit (see tokenizer.cpp).
struct Utf16 {
  std::vector<UChar> u;
  std::vector<std::uint32_t> off;
  int32_t len = 0;

  void load(std::string_view s) {
    u.resize(s.size() + 1);
    off.resize(s.size() + 1);
    const auto* p = reinterpret_cast<const std::uint8_t*>(s.data());
    const int32_t n = static_cast<int32_t>(s.size());
    int32_t i = 0;
    int32_t k = 0;
    while (i < n) {
      const int32_t start = i;
      UChar32 c;
      U8_NEXT_OR_FFFD(p, i, n, c);
      if (c <= 0xFFFF) {
        u[k] = static_cast<UChar>(c);
        off[k++] = static_cast<std::uint32_t>(start);
      } else {
        u[k] = U16_LEAD(c);
        off[k++] = static_cast<std::uint32_t>(start);
        u[k] = U16_TRAIL(c);
        off[k++] = static_cast<std::uint32_t>(start);
      }
    }
    off[k] = static_cast<std::uint32_t>(n);
    len = k;
  }
};

// White space at a byte position: returns its length in bytes, or 0.
std::uint32_t space_at(std::string_view t, std::uint32_t i) {
  const unsigned char b = static_cast<unsigned char>(t[i]);
  if (b < 0x80) return (b == ' ' || b == '\t' || b == '\n' || b == '\r' || b == '\v' || b == '\f') ? 1 : 0;
  int32_t j = static_cast<int32_t>(i);
  UChar32 c;
  U8_NEXT_OR_FFFD(reinterpret_cast<const std::uint8_t*>(t.data()), j, static_cast<int32_t>(t.size()), c);
  return (u_isUWhiteSpace(c) || c == 0xFEFF || c == 0x200B) ? static_cast<std::uint32_t>(j) - i : 0;
}

// Shrinks [a, b) to exclude white space at both ends.
Span trim(std::string_view t, Span s) {
  while (s.start < s.end) {
    const std::uint32_t n = space_at(t, s.start);
    if (n == 0) break;
    s.start += n;
  }
  while (s.start < s.end) {
    // Step back one code point.
    std::uint32_t p = s.end - 1;
    while (p > s.start && (static_cast<unsigned char>(t[p]) & 0xC0) == 0x80) --p;
    if (space_at(t, p) == 0) break;
    s.end = p;
  }
  return s;
}

// A line of nothing but white space (NBSP-only lines separate paragraphs in
// text copied from web pages).
bool is_blank_line(std::string_view t, Span line) {
  for (std::uint32_t i = line.start; i < line.end;) {
    const std::uint32_t n = space_at(t, i);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

// Paragraph spans (trimmed, non-empty) per steps 1-3 above.
std::vector<Span> paragraphs(std::string_view t) {
  std::vector<Span> lines;
  for (std::uint32_t i = 0; i <= t.size();) {
    std::size_t nl = t.find('\n', i);
    if (nl == std::string_view::npos) nl = t.size();
    lines.push_back({i, static_cast<std::uint32_t>(nl)});
    i = static_cast<std::uint32_t>(nl) + 1;
  }
  std::vector<Span> out;
  auto add = [&](Span s) {
    s = trim(t, s);
    if (s.end > s.start) out.push_back(s);
  };
  for (std::size_t i = 0; i < lines.size();) {
    if (is_blank_line(t, lines[i])) {
      ++i;
      continue;
    }
    std::size_t j = i;
    std::size_t long_lines = 0;
    while (j < lines.size() && !is_blank_line(t, lines[j])) {
      if (lines[j].end - lines[j].start > kLongLine) ++long_lines;
      ++j;
    }
    const std::size_t count = j - i;
    if (count >= 2 && long_lines * 3 >= count) {
      for (std::size_t k = i; k < j; ++k) add(lines[k]);
    } else {
      add({lines[i].start, lines[j - 1].end});
    }
    i = j;
  }
  return out;
}

// Cuts [s.start, s.end) into pieces of at most `max` bytes at white space
// (step 5's last resort), appending trimmed pieces to `out`.
void cut_long(std::string_view t, Span s, std::uint32_t max, std::vector<Span>& out) {
  while (s.end - s.start > max) {
    std::uint32_t cut = s.start + max;
    std::uint32_t p = cut;
    while (p > s.start + max / 2 && space_at(t, p) == 0) --p;
    if (p > s.start + max / 2) {
      cut = p;
    } else {
      while (cut > s.start && (static_cast<unsigned char>(t[cut]) & 0xC0) == 0x80) --cut;
    }
    const Span piece = trim(t, {s.start, cut});
    if (piece.end > piece.start) out.push_back(piece);
    s = trim(t, {cut, s.end});
  }
  if (s.end > s.start) out.push_back(s);
}

}  // namespace

std::vector<Span> split_sentences(std::string_view text) {
  std::vector<Span> out;
  if (text.empty()) return out;
  thread_local Utf16 buf;
  buf.load(text);
  icu::BreakIterator* it = sentence_iterator();
  UErrorCode ec = U_ZERO_ERROR;
  UText ut = UTEXT_INITIALIZER;
  utext_openUChars(&ut, buf.u.data(), buf.len, &ec);
  it->setText(&ut, ec);
  if (U_FAILURE(ec)) {
    utext_close(&ut);
    throw Error(std::string("ICU sentence break iterator failed: ") + u_errorName(ec));
  }
  int32_t prev = it->first();
  for (int32_t next = it->next(); next != icu::BreakIterator::DONE; prev = next, next = it->next()) {
    out.push_back({buf.off[prev], buf.off[next]});
  }
  utext_close(&ut);
  return out;
}

std::vector<Passage> split_passages(std::string_view text, const PassageOptions& options) {
  const std::uint32_t max = std::max<std::uint32_t>(options.max_bytes, 1);

  // Step 4: attach short non-sentences to a neighbour.
  std::vector<Span> units;
  bool pending = false;
  std::uint32_t pending_start = 0;
  std::uint32_t pending_end = 0;
  for (const Span& p : paragraphs(text)) {
    if (p.end - p.start < options.min_bytes) {
      if (!pending) pending_start = p.start;
      pending = true;
      pending_end = p.end;
      continue;
    }
    units.push_back({pending ? pending_start : p.start, p.end});
    pending = false;
  }
  if (pending) {
    if (units.empty()) {
      units.push_back({pending_start, pending_end});
    } else {
      units.back().end = pending_end;
    }
  }

  // Step 5: split long units at sentence boundaries.
  std::vector<Span> spans;
  for (const Span& u : units) {
    if (u.end - u.start <= max) {
      spans.push_back(u);
      continue;
    }
    std::vector<Span> sentences = split_sentences(text.substr(u.start, u.end - u.start));
    Span chunk{0, 0};
    bool open = false;
    auto close = [&] {
      if (!open) return;
      const Span c = trim(text, chunk);
      if (c.end > c.start) spans.push_back(c);
      open = false;
    };
    for (Span s : sentences) {
      s = trim(text, {u.start + s.start, u.start + s.end});
      if (s.end <= s.start) continue;
      if (open && s.end - chunk.start <= max) {
        chunk.end = s.end;
        continue;
      }
      close();
      if (s.end - s.start > 2 * max) {
        cut_long(text, s, max, spans);
        continue;
      }
      chunk = s;
      open = true;
    }
    close();
  }

  std::vector<Passage> out;
  out.reserve(spans.size());
  for (const Span& s : spans) {
    out.push_back({static_cast<std::uint32_t>(out.size()), s.start, s.end});
  }
  return out;
}

}  // namespace lipsteeth::analyzers
