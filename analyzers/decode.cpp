// Decoding: raw bytes -> UTF-8, line endings normalised, NFC.
//
// The order matters: the BOM is looked at first (a UTF-16 BOM explains NUL
// bytes that would otherwise mark the file as binary), then NUL/control bytes,
// then UTF-8 validity, then line endings and normalisation on the UTF-8 text.
#include "analyzers/decode.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <memory>
#include <type_traits>

#include <dlfcn.h>

#include <fmt/format.h>
#include <unicode/bytestream.h>
#include <unicode/normalizer2.h>
#include <unicode/stringpiece.h>
#include <unicode/ucnv.h>
#include <unicode/ucsdet.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>
#include <unicode/uvernum.h>

namespace lipsteeth::analyzers {
namespace {

constexpr std::size_t kNone = std::string_view::npos;

// Offset of the first byte that does not start a well-formed UTF-8 sequence,
// or kNone. Eight ASCII bytes are checked at a time: almost all input is ASCII.
std::size_t first_invalid_utf8(std::string_view s, bool* all_ascii = nullptr) {
  const auto* p = reinterpret_cast<const std::uint8_t*>(s.data());
  const std::size_t n = s.size();
  std::size_t i = 0;
  bool ascii = true;
  while (i < n) {
    if (i + 8 <= n) {
      std::uint64_t w;
      std::memcpy(&w, p + i, 8);
      if ((w & 0x8080808080808080ULL) == 0) {
        i += 8;
        continue;
      }
    }
    if (p[i] < 0x80) {
      ++i;
      continue;
    }
    ascii = false;
    const std::size_t at = i;
    UChar32 c;
    // U8_NEXT rejects overlong forms, surrogates and values above U+10FFFF.
    U8_NEXT(p, i, n, c);
    if (c < 0) return at;
  }
  if (all_ascii) *all_ascii = ascii;
  return kNone;
}

// Control bytes that text files do not contain (tab, LF, VT, FF, CR and ESC
// are allowed; ESC appears in ISO-2022 text and terminal logs).
bool is_binary_control(unsigned char b) {
  return (b < 0x20 && b != '\t' && b != '\n' && b != '\v' && b != '\f' && b != '\r' && b != 0x1b) ||
         b == 0x7f;
}

// Turns CRLF and lone CR into LF, in place.
void normalise_newlines(std::string& s) {
  const std::size_t first = s.find('\r');
  if (first == std::string::npos) return;
  std::size_t out = first;
  for (std::size_t i = first; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '\r') {
      s[out++] = '\n';
      if (i + 1 < s.size() && s[i + 1] == '\n') ++i;
    } else {
      s[out++] = c;
    }
  }
  s.resize(out);
}

// Converts `bytes` from `charset` to UTF-8 with ICU. Returns false when ICU
// does not know the charset or the conversion fails.
bool convert_to_utf8(std::string_view bytes, const char* charset, std::string& out) {
  UErrorCode ec = U_ZERO_ERROR;
  std::unique_ptr<UConverter, decltype(&ucnv_close)> conv(ucnv_open(charset, &ec), &ucnv_close);
  if (U_FAILURE(ec)) return false;
  icu::UnicodeString u(bytes.data(), static_cast<int32_t>(bytes.size()), conv.get(), ec);
  if (U_FAILURE(ec)) return false;
  out.clear();
  u.toUTF8String(out);
  return true;
}

// Counts of well-formed and ill-formed non-ASCII UTF-8 sequences.
struct MixedCount {
  std::size_t valid = 0;
  std::size_t invalid = 0;
};

MixedCount count_sequences(std::string_view s) {
  MixedCount m;
  const auto* p = reinterpret_cast<const std::uint8_t*>(s.data());
  const std::size_t n = s.size();
  for (std::size_t i = 0; i < n;) {
    if (p[i] < 0x80) {
      ++i;
      continue;
    }
    UChar32 c;
    U8_NEXT(p, i, n, c);
    ++(c < 0 ? m.invalid : m.valid);
  }
  return m;
}

// UTF-8 for each byte 0x80-0xFF read as windows-1252 (U+FFFD where the
// charset leaves a byte undefined).
const std::array<std::string, 128>& windows1252_table() {
  static const std::array<std::string, 128> table = [] {
    std::array<std::string, 128> t;
    for (int b = 0x80; b <= 0xFF; ++b) {
      const char byte = static_cast<char>(b);
      std::string out;
      if (!convert_to_utf8(std::string_view(&byte, 1), "windows-1252", out) || out.empty()) out = "\xEF\xBF\xBD";
      t[static_cast<std::size_t>(b - 0x80)] = out;
    }
    return t;
  }();
  return table;
}

// Copies well-formed UTF-8 and reads each byte of an ill-formed sequence as windows-1252.
std::string repair_utf8(std::string_view s) {
  const auto& table = windows1252_table();
  std::string out;
  out.reserve(s.size() + 16);
  const auto* p = reinterpret_cast<const std::uint8_t*>(s.data());
  const std::size_t n = s.size();
  for (std::size_t i = 0; i < n;) {
    if (p[i] < 0x80) {
      out.push_back(static_cast<char>(p[i++]));
      continue;
    }
    const std::size_t start = i;
    UChar32 c;
    U8_NEXT(p, i, n, c);
    if (c >= 0) {
      out.append(s.substr(start, i - start));
    } else {
      for (std::size_t k = start; k < i; ++k) out += table[p[k] - 0x80];
    }
  }
  return out;
}

struct Detection {
  std::string charset;
  int confidence = 0;
};

// ICU's charset detector lives in libicui18n, which nothing else needs: it
// is loaded on first use, so that a search (which decodes no files) does not
// pay for loading and relocating that library at every start; a wholly
// static binary has it linked in (LIPSTEETH_ICU_I18N_LINKED).
struct CharsetDetectorApi {
  decltype(&ucsdet_open) open = nullptr;
  decltype(&ucsdet_close) close = nullptr;
  decltype(&ucsdet_setText) set_text = nullptr;
  decltype(&ucsdet_detect) detect = nullptr;
  decltype(&ucsdet_getName) get_name = nullptr;
  decltype(&ucsdet_getConfidence) get_confidence = nullptr;
  bool ok = false;
};

#define LIPSTEETH_STR2(x) #x
#define LIPSTEETH_STR(x) LIPSTEETH_STR2(x)  // expands ICU's versioned names (ucsdet_open -> ucsdet_open_72)

const CharsetDetectorApi& charset_detector() {
  static const CharsetDetectorApi api = [] {
    CharsetDetectorApi a;
#ifdef LIPSTEETH_ICU_I18N_LINKED
    // Linked in (a wholly static binary: cmake/XapianTarget.cmake).
    a.open = &ucsdet_open;
    a.close = &ucsdet_close;
    a.set_text = &ucsdet_setText;
    a.detect = &ucsdet_detect;
    a.get_name = &ucsdet_getName;
    a.get_confidence = &ucsdet_getConfidence;
    a.ok = true;
#else
    void* lib = ::dlopen("libicui18n.so." LIPSTEETH_STR(U_ICU_VERSION_MAJOR_NUM), RTLD_NOW | RTLD_LOCAL);
    if (!lib) return a;
    auto sym = [&](auto& fn, const char* name) { fn = reinterpret_cast<std::remove_reference_t<decltype(fn)>>(::dlsym(lib, name)); };
    sym(a.open, LIPSTEETH_STR(ucsdet_open));
    sym(a.close, LIPSTEETH_STR(ucsdet_close));
    sym(a.set_text, LIPSTEETH_STR(ucsdet_setText));
    sym(a.detect, LIPSTEETH_STR(ucsdet_detect));
    sym(a.get_name, LIPSTEETH_STR(ucsdet_getName));
    sym(a.get_confidence, LIPSTEETH_STR(ucsdet_getConfidence));
    a.ok = a.open && a.close && a.set_text && a.detect && a.get_name && a.get_confidence;
#endif
    return a;
  }();
  return api;
}

// ICU's statistical charset detector. ISO-8859-1 is reported as windows-1252,
// a superset that also decodes the 0x80-0x9F range (curly quotes, dashes)
// that real "Latin-1" files use. Without the detector (libicui18n missing),
// windows-1252 is assumed.
Detection detect_charset(std::string_view bytes) {
  Detection d{"windows-1252", 0};
  const CharsetDetectorApi& api = charset_detector();
  if (!api.ok) return d;
  UErrorCode ec = U_ZERO_ERROR;
  std::unique_ptr<UCharsetDetector, decltype(&ucsdet_close)> det(api.open(&ec), api.close);
  if (U_FAILURE(ec)) return d;
  api.set_text(det.get(), bytes.data(), static_cast<int32_t>(bytes.size()), &ec);
  const UCharsetMatch* match = api.detect(det.get(), &ec);
  if (U_FAILURE(ec) || match == nullptr) return d;
  const char* name = api.get_name(match, &ec);
  if (U_FAILURE(ec) || name == nullptr) return d;
  d.confidence = api.get_confidence(match, &ec);
  std::string_view n(name);
  // The bytes are known not to be UTF-8; a UTF-8 guess is the detector
  // giving up, and the UTF-16/32 guesses cannot hold for NUL-free text.
  if (n == "UTF-8" || n.starts_with("UTF-16") || n.starts_with("UTF-32") || n == "ISO-8859-1") return d;
  d.charset = name;
  return d;
}

// True when the text has no visible character: only White_Space code points
// and the invisible format characters that pad such files (ZWSP, BOM, WJ).
bool is_blank(std::string_view s) {
  const auto* p = reinterpret_cast<const std::uint8_t*>(s.data());
  const int32_t n = static_cast<int32_t>(s.size());
  int32_t i = 0;
  while (i < n) {
    UChar32 c;
    U8_NEXT_OR_FFFD(p, i, n, c);
    if (c < 0x80) {
      if (c != ' ' && c != '\t' && c != '\n' && c != '\v' && c != '\f' && c != '\r') return false;
    } else if (!u_isUWhiteSpace(c) && c != 0x200B && c != 0xFEFF && c != 0x2060) {
      return false;
    }
  }
  return true;
}

const icu::Normalizer2& nfc() {
  static const icu::Normalizer2* instance = [] {
    UErrorCode ec = U_ZERO_ERROR;
    const icu::Normalizer2* n = icu::Normalizer2::getNFCInstance(ec);
    return U_SUCCESS(ec) ? n : nullptr;
  }();
  return *instance;
}

}  // namespace

bool is_valid_utf8(std::string_view s) { return first_invalid_utf8(s) == kNone; }

DecodeResult decode(std::string_view bytes) {
  DecodeResult r;
  if (bytes.empty()) {
    r.status = DecodeStatus::empty;
    r.reason = "empty file";
    return r;
  }

  // Byte order marks. UTF-16 is converted straight away; its NUL bytes are
  // part of the encoding, not a sign of binary content.
  std::string utf16;  // holds converted UTF-16 input
  if (bytes.size() >= 2 && ((bytes[0] == '\xFF' && bytes[1] == '\xFE') || (bytes[0] == '\xFE' && bytes[1] == '\xFF'))) {
    const bool le = bytes[0] == '\xFF';
    r.had_bom = true;
    r.encoding = le ? "UTF-16LE" : "UTF-16BE";
    if (!convert_to_utf8(bytes.substr(2), r.encoding.c_str(), utf16) || !is_valid_utf8(utf16)) {
      r.status = DecodeStatus::binary;
      r.reason = fmt::format("starts with a {} byte order mark but does not convert", r.encoding);
      return r;
    }
    bytes = utf16;
  } else if (bytes.starts_with("\xEF\xBB\xBF")) {
    r.had_bom = true;
    bytes.remove_prefix(3);
  }

  {
    if (const void* nul = std::memchr(bytes.data(), 0, bytes.size())) {
      r.status = DecodeStatus::binary;
      r.reason = fmt::format("contains NUL bytes (first at byte {})",
                             static_cast<const char*>(nul) - bytes.data() + (r.encoding == "UTF-8" && r.had_bom ? 3 : 0));
      return r;
    }
    // Other control bytes: text has none or almost none; executables,
    // images and compressed data have many. Sample the first 64 KiB.
    const std::string_view sample = bytes.substr(0, 65536);
    const auto controls = std::count_if(sample.begin(), sample.end(),
                                        [](char c) { return is_binary_control(static_cast<unsigned char>(c)); });
    if (controls > 8 && static_cast<std::size_t>(controls) * 100 > sample.size()) {
      r.status = DecodeStatus::binary;
      r.reason = fmt::format("contains {} control bytes in its first {} bytes", controls, sample.size());
      return r;
    }
  }

  bool ascii = false;
  const std::size_t bad = first_invalid_utf8(bytes, &ascii);
  if (bad == kNone) {
    r.text.assign(bytes);
  } else if (const MixedCount m = count_sequences(bytes); m.valid >= m.invalid) {
    // Mostly UTF-8 with a few stray bytes (a file edited in two encodings):
    // reading it all as another charset would garble every valid character,
    // so only the stray bytes are read as windows-1252.
    r.text = repair_utf8(bytes);
    r.warnings.push_back(fmt::format(
        "invalid UTF-8 at byte {} ({} invalid of {} non-ASCII sequences); those bytes decoded as windows-1252",
        bad + (r.had_bom ? 3 : 0), m.invalid, m.invalid + m.valid));
    ascii = false;
  } else {
    const Detection d = detect_charset(bytes);
    std::string converted;
    std::string charset = d.charset;
    if (!convert_to_utf8(bytes, charset.c_str(), converted) || !is_valid_utf8(converted)) {
      charset = "windows-1252";
      convert_to_utf8(bytes, charset.c_str(), converted);
    }
    r.encoding = charset;
    r.text = std::move(converted);
    r.warnings.push_back(fmt::format("invalid UTF-8 at byte {}; decoded as {} (detector confidence {}%)",
                                     bad + (r.had_bom ? 3 : 0), charset, d.confidence));
    ascii = false;
  }

  normalise_newlines(r.text);

  // NFC. Pure ASCII is always normalised; otherwise the check is a fast scan
  // and the (rare) rewrite only happens when something is decomposed.
  if (!ascii) {
    UErrorCode ec = U_ZERO_ERROR;
    const icu::Normalizer2& n = nfc();
    const icu::StringPiece piece(r.text.data(), static_cast<int32_t>(r.text.size()));
    if (!n.isNormalizedUTF8(piece, ec) && U_SUCCESS(ec)) {
      std::string normalised;
      normalised.reserve(r.text.size());
      icu::StringByteSink<std::string> sink(&normalised);
      n.normalizeUTF8(0, piece, sink, nullptr, ec);
      if (U_SUCCESS(ec)) {
        r.text = std::move(normalised);
      } else {
        r.warnings.push_back(fmt::format("NFC normalisation failed ({}); text kept as decoded", u_errorName(ec)));
      }
    }
  }

  if (is_blank(r.text)) {
    r.status = DecodeStatus::empty;
    r.reason = r.text.empty() ? (r.had_bom ? "only a byte order mark" : "empty file") : "only whitespace";
  }
  return r;
}

}  // namespace lipsteeth::analyzers
