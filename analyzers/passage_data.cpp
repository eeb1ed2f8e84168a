#include "analyzers/passage_data.h"

#include <map>
#include <memory>
#include <mutex>

#include "analyzers/schema.h"
#include "analyzers/text_codec.h"

namespace lipsteeth::schema {

namespace {

// The record: the byte kMagic, then fields in a fixed order. Numbers are
// unsigned LEB128 varints, strings a varint length then the bytes:
//   ordinal start end  n_mentions (actor-rank start end)*
//   has_article [id path title year+1 (0: none) date n_authors author*]
//   text_header text
// The text comes last: text_header is (n << 1 | compressed). Plain (0): n is
// the text's length and the text's n bytes end the record. Compressed (1): n
// is the text's length and the rest of the record is its zstd frame
// (analyzers::TextCodec, with the index's dictionary).
constexpr char kMagic = '\x04';

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
  const std::size_t header = out.size();
  put_uint(out, std::uint64_t{p.text.size()} << 1 | 1);
  if (!codec || !codec->compress(p.text, out)) {
    out.resize(header);
    put_uint(out, std::uint64_t{p.text.size()} << 1);
    out += p.text;
  }
  return out;
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
  const std::uint64_t text_size = text_header >> 1;
  if (text_header & 1) {
    const analyzers::TextCodec* codec = dictionary.get();
    if (!codec || r.in.empty() || !codec->decompress(r.in, text_size, out.text)) return false;
  } else {
    if (text_size != r.in.size()) return false;
    out.text.assign(r.in);
  }
  for (auto& m : mentions)
    if (m.start <= m.end && m.end <= out.text.size()) out.mentions.push_back(std::move(m));
  return true;
}

}  // namespace lipsteeth::schema
