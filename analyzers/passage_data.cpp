#include "analyzers/passage_data.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>

#include <fmt/format.h>

#include "analyzers/schema.h"
#include "analyzers/text_codec.h"

namespace lipsteeth::schema {

namespace {

// The record: the byte kMagic, then fields in a fixed order. Numbers are
// unsigned LEB128 varints, strings a varint length then the bytes:
//   ordinal start end  n_mentions (actor-rank start end)*
//   has_article [id path title year+1 (0: none) date n_authors author*]
//   text_header text
// The text comes last: text_header is (n << 2 | kind), n the text's length.
// Plain (0): the text's n bytes end the record. Compressed (1): the rest of
// the record is its zstd frame (analyzers::TextCodec, with the index's
// dictionary). In the file (2): the varint offset of its first byte in the
// article's file, then the 4 bytes of its text_hash, little-endian.
constexpr char kMagic = '\x05';
enum : std::uint64_t { kPlain = 0, kCompressed = 1, kInFile = 2 };

void put_uint(std::string& out, std::uint64_t v) { put_varint(out, v); }

void put_str(std::string& out, std::string_view s) {
  put_uint(out, s.size());
  out += s;
}

struct Reader {
  std::string_view in;
  bool ok = true;
  std::uint64_t uint() {
    std::uint64_t v = 0;
    if (!get_varint(in, v)) ok = false;
    return v;
  }
  std::uint32_t u32() {
    const std::uint64_t v = uint();
    if (v > 0xffffffffu) ok = false;
    return static_cast<std::uint32_t>(v);
  }
  std::string_view str() {
    const std::uint64_t n = uint();
    if (!ok || n > in.size()) {
      ok = false;
      return {};
    }
    std::string_view s = in.substr(0, n);
    in.remove_prefix(n);
    return s;
  }
};

}  // namespace

std::string encode_passage(const PassageData& p, const analyzers::TextCodec* codec) {
  std::string out;
  out.reserve(p.text.size() + 32 + 24 * p.mentions.size());
  out += kMagic;
  put_uint(out, p.ordinal);
  put_uint(out, p.start);
  put_uint(out, p.end);
  put_uint(out, p.mentions.size());
  for (const auto& m : p.mentions) {
    put_uint(out, m.actor);
    put_uint(out, m.start);
    put_uint(out, m.end);
  }
  out += static_cast<char>(p.article ? 1 : 0);
  if (p.article) {
    const ArticleData& a = *p.article;
    put_str(out, a.id);
    put_str(out, a.path);
    put_str(out, a.title);
    put_uint(out, a.year && *a.year >= 0 ? static_cast<std::uint64_t>(*a.year) + 1 : 0);
    put_str(out, a.date);
    put_uint(out, a.authors.size());
    for (const auto& au : a.authors) put_str(out, au);
  }
  if (p.source) {
    put_uint(out, std::uint64_t{p.end >= p.start ? p.end - p.start : 0u} << 2 | kInFile);
    put_uint(out, p.source->offset);
    for (int i = 0; i < 4; ++i) out += static_cast<char>(p.source->hash >> (8 * i) & 0xff);
    return out;
  }
  const std::size_t header = out.size();
  put_uint(out, std::uint64_t{p.text.size()} << 2 | kCompressed);
  if (!codec || !codec->compress(p.text, out)) {
    out.resize(header);
    put_uint(out, std::uint64_t{p.text.size()} << 2 | kPlain);
    out += p.text;
  }
  return out;
}

std::uint32_t text_hash(std::string_view text) {
  constexpr std::uint64_t kMul = 0x9e3779b97f4a7c15ull;
  std::uint64_t h = 0x6a09e667f3bcc909ull ^ (text.size() * kMul);
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  std::size_t n = text.size();
  auto mix = [&](std::uint64_t w) {
    h = (h ^ w) * kMul;
    h ^= h >> 29;
  };
  for (; n >= 8; s += 8, n -= 8) {
    std::uint64_t w = 0;
    for (int i = 0; i < 8; ++i) w |= std::uint64_t{s[i]} << (8 * i);  // little-endian, whatever the machine
    mix(w);
  }
  if (n) {
    std::uint64_t w = 0;
    for (std::size_t i = 0; i < n; ++i) w |= std::uint64_t{s[i]} << (8 * i);
    mix(w ^ (std::uint64_t{n} << 59));
  }
  h ^= h >> 32;
  h *= kMul;
  h ^= h >> 29;
  return static_cast<std::uint32_t>(h ^ (h >> 32));
}

bool read_source_text(const std::string& path, const PassageData& passage, std::string& out, std::string& why) {
  out.clear();
  why.clear();
  if (!passage.source) {
    why = "no file range";
    return false;
  }
  const std::size_t n = passage.end >= passage.start ? passage.end - passage.start : 0;
  // O_NONBLOCK: a file replaced by a named pipe must not hang a search.
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) {
    why = fmt::format("cannot open {}: {}", path, std::strerror(errno));
    return false;
  }
  out.resize(n);
  std::size_t got = 0;
  int error = 0;
  while (got < n) {
    const ssize_t r = ::pread(fd, out.data() + got, n - got, static_cast<off_t>(passage.source->offset + got));
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) error = errno;
    if (r <= 0) break;
    got += static_cast<std::size_t>(r);
  }
  ::close(fd);
  if (got < n || text_hash(out) != passage.source->hash) {
    why = error ? fmt::format("cannot read {}: {}", path, std::strerror(error))
                : fmt::format("{} changed since it was indexed", path);
    out.clear();
    return false;
  }
  return true;
}

const analyzers::TextCodec* stored_text_codec(const Xapian::Database& db) {
  // Databases by UUID (a generation keeps its dictionary for life); one
  // without (in memory) by its dictionary's bytes.
  static std::mutex mutex;
  static std::map<std::string, std::unique_ptr<analyzers::TextCodec>> by_uuid;
  static std::map<std::string, std::unique_ptr<analyzers::TextCodec>> by_dictionary;
  const std::string uuid = db.get_uuid();
  std::lock_guard<std::mutex> lock(mutex);
  if (!uuid.empty())
    if (auto it = by_uuid.find(uuid); it != by_uuid.end()) return it->second.get();
  std::string dict = db.get_metadata(kMetaTextDictionary);
  std::unique_ptr<analyzers::TextCodec> codec;
  if (!dict.empty() && uuid.empty()) {
    auto it = by_dictionary.find(dict);
    if (it == by_dictionary.end()) it = by_dictionary.emplace(dict, std::make_unique<analyzers::TextCodec>(dict)).first;
    return it->second.get();
  }
  if (!dict.empty()) codec = std::make_unique<analyzers::TextCodec>(std::move(dict));
  if (uuid.empty()) return nullptr;
  return by_uuid.emplace(uuid, std::move(codec)).first->second.get();
}

const analyzers::TextCodec* TextDictionary::get() const {
  if (!resolved_) {
    codec_ = db_ ? stored_text_codec(*db_) : nullptr;
    resolved_ = true;
  }
  return codec_;
}

bool decode_passage(std::string_view data, PassageData& out, const TextDictionary& dictionary) {
  out.mentions.clear();
  out.article.reset();
  out.source.reset();
  out.text.clear();
  if (data.empty() || data.front() != kMagic) return false;
  Reader r{data.substr(1)};
  out.ordinal = r.u32();
  out.start = r.u32();
  out.end = r.u32();
  const std::uint64_t n = r.uint();
  std::vector<MentionData> mentions;
  for (std::uint64_t i = 0; r.ok && i < n; ++i) {
    MentionData m;
    m.actor = r.u32();
    m.start = r.u32();
    m.end = r.u32();
    mentions.push_back(std::move(m));
  }
  if (!r.ok || r.in.empty()) return false;
  const char has_article = r.in.front();
  r.in.remove_prefix(1);
  if (has_article == 1) {
    ArticleData a;
    a.id = r.str();
    a.path = r.str();
    a.title = r.str();
    if (const std::uint64_t y = r.uint(); y > 0 && y <= 100000) a.year = static_cast<int>(y - 1);
    a.date = r.str();
    const std::uint64_t na = r.uint();
    for (std::uint64_t i = 0; r.ok && i < na; ++i) a.authors.emplace_back(r.str());
    out.article = std::move(a);
  } else if (has_article != 0) {
    return false;
  }
  const std::uint64_t text_header = r.uint();
  if (!r.ok) return false;
  const std::uint64_t text_size = text_header >> 2;
  switch (text_header & 3) {
    case kPlain:
      if (text_size != r.in.size()) return false;
      out.text.assign(r.in);
      break;
    case kCompressed: {
      const analyzers::TextCodec* codec = dictionary.get();
      if (!codec || r.in.empty() || !codec->decompress(r.in, text_size, out.text)) return false;
      break;
    }
    case kInFile: {
      SourceRange s;
      s.offset = r.uint();
      if (!r.ok || r.in.size() != 4 || text_size != std::uint64_t{out.end} - out.start || out.end < out.start)
        return false;
      for (int i = 0; i < 4; ++i) s.hash |= std::uint32_t{static_cast<unsigned char>(r.in[i])} << (8 * i);
      out.source = s;
      break;
    }
    default:
      return false;
  }
  for (auto& m : mentions)
    if (m.start <= m.end && m.end <= text_size) out.mentions.push_back(std::move(m));
  return true;
}

}  // namespace lipsteeth::schema
