#include "analyzers/passage_column.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <cstring>
#include <filesystem>
#include <map>

#include <fmt/format.h>
// XXH3, compiled in (Debian libxxhash-dev): a checksum of the whole column
// at memory speed, checked each time a search opens it.
#define XXH_INLINE_ALL
#include <xxhash.h>

#include "analyzers/error.h"
#include "analyzers/schema.h"

namespace lipsteeth::analyzers {
namespace {

namespace fs = std::filesystem;

constexpr char kMagic[8] = {'L', 'T', 'P', 'C', 'O', 'L', '0', '4'};
constexpr std::uint32_t kByteOrder = 0x01020304;
constexpr const char* kPrefix = "column-";

struct Header {
  char magic[8];
  std::uint32_t byte_order;
  std::uint32_t lastdocid;
  std::uint64_t revision;
  char uuid[40];
  std::uint64_t blob_bytes;
  std::uint32_t years;
  std::uint32_t lexicon_bytes;
  std::uint32_t year_base;
  std::uint32_t year_bytes;
  std::uint32_t bitmaps;
  std::uint32_t reserved;
  std::uint64_t checksum;  // XXH3-64 of every byte after the header
};
static_assert(sizeof(Header) == 104);

// Actors with a bitmap: those named by one passage in kBitmapShare or more
// (a bitmap of one bit per passage then costs at most 4 bytes per passage
// naming the actor), at most kMaxBitmaps of them, the most named first.
constexpr std::uint64_t kBitmapShare = 32;
constexpr std::size_t kMaxBitmaps = 32;

void append(std::string& out, const void* p, std::size_t n) { out.append(static_cast<const char*>(p), n); }
void pad8(std::string& out) { out.append((8 - out.size() % 8) % 8, '\0'); }
std::uint64_t pad8(std::uint64_t n) { return (n + 7) / 8 * 8; }

}  // namespace

std::string PassageColumn::file_name(const Xapian::Database& db) {
  return fmt::format("{}{}-{}", kPrefix, db.get_uuid(), db.get_revision());
}

std::uint64_t PassageColumn::write(const Xapian::Database& db, const std::string& db_dir) {
  const Xapian::docid last = db.get_lastdocid();
  std::vector<std::uint32_t> offsets(static_cast<std::size_t>(last) + 2, 0);
  std::string blob;
  std::map<std::uint32_t, std::uint32_t> years;
  Xapian::docid next = 1;  // offsets of docids without a value repeat the previous end
  for (auto it = db.valuestream_begin(schema::kValuePassage); it != db.valuestream_end(schema::kValuePassage);
       ++it) {
    const Xapian::docid did = it.get_docid();
    for (; next <= did; ++next) offsets[next] = static_cast<std::uint32_t>(blob.size());
    const std::string v = *it;
    if (blob.size() + v.size() > 0xffffffffu)
      throw Error("the passage column would pass 4 GB; searches read Xapian's values instead");
    blob += v;
    const schema::PassageValueReader r(v);
    if (r.ok && r.year_plus_one > 0 && r.year_plus_one <= 0xffffffffu)
      ++years[static_cast<std::uint32_t>(r.year_plus_one)];
  }
  for (; next <= last + 1; ++next) offsets[next] = static_cast<std::uint32_t>(blob.size());

  // Years as bytes and the most named actors' bitmaps, from the values.
  std::uint32_t min_year = 0, max_year = 0;
  for (const auto& [y, n] : years) {
    if (min_year == 0) min_year = y;
    max_year = y;
  }
  const bool year_bytes = min_year > 0 && max_year - min_year + 1 < 255;
  std::string ybytes(year_bytes ? static_cast<std::size_t>(last) + 1 : 0, '\0');
  std::map<std::uint32_t, std::uint64_t> named;  // actor rank -> passages
  std::uint64_t with_value = 0;
  std::vector<std::uint32_t> ranks;
  auto actors_of = [&](Xapian::docid d, auto&& each) {
    const std::string_view v(blob.data() + offsets[d], offsets[d + 1] - offsets[d]);
    schema::PassageValueReader r(v);
    if (!r.ok) return r;
    for (std::uint32_t a = 0; r.next_actor(a);) each(a);
    return r;
  };
  for (Xapian::docid d = 1; d <= last; ++d) {
    if (offsets[d] == offsets[d + 1]) continue;
    ++with_value;
    const auto r = actors_of(d, [&](std::uint32_t a) { ++named[a]; });
    if (year_bytes && r.ok && r.year_plus_one > 0)
      ybytes[d] = static_cast<char>(r.year_plus_one - min_year + 1);
  }
  std::vector<std::pair<std::uint64_t, std::uint32_t>> common;  // (passages, rank)
  for (const auto& [a, n] : named)
    if (n * kBitmapShare >= with_value && with_value > 0) common.emplace_back(n, a);
  std::sort(common.begin(), common.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : a.second < b.second;
  });
  if (common.size() > kMaxBitmaps) common.resize(kMaxBitmaps);
  for (const auto& [n, a] : common) ranks.push_back(a);
  std::sort(ranks.begin(), ranks.end());
  const std::size_t words = (static_cast<std::size_t>(last) + 64) / 64;
  std::vector<std::uint64_t> bitmaps(ranks.size() * words, 0);
  if (!ranks.empty())
    for (Xapian::docid d = 1; d <= last; ++d) {
      if (offsets[d] == offsets[d + 1]) continue;
      actors_of(d, [&](std::uint32_t a) {
        const auto it = std::lower_bound(ranks.begin(), ranks.end(), a);
        if (it != ranks.end() && *it == a)
          bitmaps[static_cast<std::size_t>(it - ranks.begin()) * words + d / 64] |= std::uint64_t{1} << (d % 64);
      });
    }

  Header h{};
  std::memcpy(h.magic, kMagic, sizeof kMagic);
  h.byte_order = kByteOrder;
  h.lastdocid = last;
  h.revision = db.get_revision();
  const std::string uuid = db.get_uuid();
  std::memcpy(h.uuid, uuid.data(), std::min(uuid.size(), sizeof h.uuid));
  h.blob_bytes = blob.size();
  h.years = static_cast<std::uint32_t>(years.size());
  const std::string lexicon = db.get_metadata(schema::kMetaLexicon);
  if (lexicon.size() > 0xffffffffu) throw Error("the actor lexicon passes 4 GB");
  h.lexicon_bytes = static_cast<std::uint32_t>(lexicon.size());
  h.year_base = year_bytes ? min_year : 0;
  h.year_bytes = year_bytes ? 1 : 0;
  h.bitmaps = static_cast<std::uint32_t>(ranks.size());
  std::string out;
  out.reserve(sizeof h + years.size() * 8 + offsets.size() * 4 + ybytes.size() + 16 + ranks.size() * 4 +
              bitmaps.size() * 8 + blob.size() + lexicon.size());
  append(out, &h, sizeof h);
  for (const auto& [y, n] : years) {
    append(out, &y, 4);
    append(out, &n, 4);
  }
  append(out, offsets.data(), offsets.size() * 4);
  pad8(out);
  out += ybytes;
  pad8(out);
  append(out, ranks.data(), ranks.size() * 4);
  pad8(out);
  append(out, bitmaps.data(), bitmaps.size() * 8);
  out += blob;
  out += lexicon;
  h.checksum = XXH3_64bits(out.data() + sizeof h, out.size() - sizeof h);
  std::memcpy(out.data() + offsetof(Header, checksum), &h.checksum, sizeof h.checksum);

  const std::string name = file_name(db);
  const std::string path = db_dir + "/" + name;
  const std::string tmp = path + ".tmp";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) throw Error(fmt::format("cannot write '{}': {}", tmp, std::strerror(errno)));
  std::size_t done = 0;
  while (done < out.size()) {
    const ssize_t n = ::write(fd, out.data() + done, out.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    done += static_cast<std::size_t>(n);
  }
  const bool ok = done == out.size() && ::fsync(fd) == 0;
  const int err = errno;
  ::close(fd);
  if (!ok || ::rename(tmp.c_str(), path.c_str()) != 0) {
    ::unlink(tmp.c_str());
    throw Error(fmt::format("cannot write '{}': {}", path, std::strerror(ok ? errno : err)));
  }
  const int dfd = ::open(db_dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    ::fsync(dfd);
    ::close(dfd);
  }
  // Columns of other revisions: a search that opened one of them and has not
  // mapped its column yet reads Xapian's values instead.
  std::error_code ec;
  for (fs::directory_iterator it(db_dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string n = it->path().filename().string();
    if (n.rfind(kPrefix, 0) == 0 && n != name) fs::remove(it->path(), ec);
  }
  return out.size();
}

std::shared_ptr<const PassageColumn> PassageColumn::open(const Xapian::Database& db, const std::string& db_dir,
                                                         std::string* refused) {
  std::string name;
  Xapian::docid last = 0;
  std::uint64_t revision = 0;
  std::string uuid;
  try {
    name = file_name(db);
    last = db.get_lastdocid();
    revision = db.get_revision();
    uuid = db.get_uuid();
  } catch (const Xapian::Error&) {
    return nullptr;  // not a single database
  }
  const std::string path = db_dir + "/" + name;
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) return nullptr;
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || static_cast<std::uint64_t>(st.st_size) < sizeof(Header)) {
    ::close(fd);
    return nullptr;
  }
  const auto size = static_cast<std::size_t>(st.st_size);
  void* map = ::mmap(nullptr, size, PROT_READ, MAP_SHARED, fd, 0);
  ::close(fd);
  if (map == MAP_FAILED) return nullptr;
  std::shared_ptr<PassageColumn> c(new PassageColumn);
  c->map_ = map;
  c->map_size_ = size;
  Header h;
  std::memcpy(&h, map, sizeof h);
  char want_uuid[40] = {};
  std::memcpy(want_uuid, uuid.data(), std::min(uuid.size(), sizeof want_uuid));
  if (std::memcmp(h.magic, kMagic, sizeof kMagic) != 0 || h.byte_order != kByteOrder || h.lastdocid != last ||
      h.revision != revision || std::memcmp(h.uuid, want_uuid, sizeof want_uuid) != 0)
    return nullptr;
  const std::uint64_t words = (std::uint64_t{h.lastdocid} + 64) / 64;
  const std::uint64_t at_ybytes = pad8(sizeof h + std::uint64_t{h.years} * 8 + (std::uint64_t{h.lastdocid} + 2) * 4);
  const std::uint64_t at_ranks = pad8(at_ybytes + (h.year_bytes ? std::uint64_t{h.lastdocid} + 1 : 0));
  const std::uint64_t at_bitmaps = pad8(at_ranks + std::uint64_t{h.bitmaps} * 4);
  const std::uint64_t at_blob = at_bitmaps + std::uint64_t{h.bitmaps} * words * 8;
  auto damaged = [&](const char* why) -> std::shared_ptr<const PassageColumn> {
    if (refused) *refused = fmt::format("the passage column {} is damaged ({})", path, why);
    return nullptr;
  };
  if (h.year_bytes > 1 || h.bitmaps > kMaxBitmaps || at_blob + h.blob_bytes + h.lexicon_bytes != size)
    return damaged("its sections do not add up to its size");
  // Every byte, before any is used: a flipped bit would change totals and
  // facets silently (XXH3 reads about 10 GB/s: 0.1 ms a MB of column).
  if (XXH3_64bits(static_cast<const char*>(map) + sizeof h, size - sizeof h) != h.checksum)
    return damaged("its checksum does not match its contents");
  const char* base = static_cast<const char*>(map);
  const char* p = base + sizeof h;
  c->years_.resize(h.years);
  for (std::uint32_t i = 0; i < h.years; ++i) {
    std::memcpy(&c->years_[i].first, p + i * 8, 4);
    std::memcpy(&c->years_[i].second, p + i * 8 + 4, 4);
  }
  p += std::size_t{h.years} * 8;
  c->offsets_ = reinterpret_cast<const std::uint32_t*>(p);  // 8-byte aligned: header 104, years 8 each
  c->lastdocid_ = h.lastdocid;
  if (h.year_bytes) {
    c->year_bytes_ = reinterpret_cast<const std::uint8_t*>(base + at_ybytes);
    c->year_base_ = h.year_base;
  }
  c->bitmap_ranks_.resize(h.bitmaps);
  if (h.bitmaps) std::memcpy(c->bitmap_ranks_.data(), base + at_ranks, std::size_t{h.bitmaps} * 4);
  if (!std::is_sorted(c->bitmap_ranks_.begin(), c->bitmap_ranks_.end())) return damaged("its actor ranks are out of order");
  c->bitmaps_ = reinterpret_cast<const std::uint64_t*>(base + at_bitmaps);
  c->bitmap_words_ = static_cast<std::size_t>(words);
  c->blob_ = base + at_blob;
  c->blob_size_ = h.blob_bytes;
  c->lexicon_ = {c->blob_ + h.blob_bytes, h.lexicon_bytes};
  return c;
}

PassageColumn::~PassageColumn() {
  if (map_) ::munmap(map_, map_size_);
}

std::uint64_t PassageColumn::year_plus_one(Xapian::docid did) const {
  std::string_view v = value(did);
  std::uint64_t y = 0;
  if (!schema::get_varint(v, y)) return 0;
  return y;
}

std::uint64_t PassageColumn::passages_in_years(int from, int to) const {
  std::uint64_t n = 0;
  for (const auto& [y, count] : years_) {
    const std::int64_t year = std::int64_t{y} - 1;
    if (year >= from && year <= to) n += count;
  }
  return n;
}

}  // namespace lipsteeth::analyzers
