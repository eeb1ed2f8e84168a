// The passage column: every passage's value (schema::kValuePassage) laid out
// by docid in one file beside the index, so that a search reads a matching
// passage's year, article and actors from memory instead of Xapian's value
// chunks (which are decoded from their start for each document read out of
// docid order: thousands of instructions per passage counted).
//
// It is a cache, never the truth. The indexer writes it after each commit,
// named after the database's UUID and revision (PATH/column-<uuid>-<rev>),
// and a search uses it only when that names the revision it opened and the
// file is whole; otherwise it reads Xapian's values as before. A run killed
// between its commit and the column costs speed until the next run, never a
// wrong count.
//
// It also holds the revision's actor lexicon (schema::kMetaLexicon), which a
// search then reads in place instead of copying it out of Xapian's metadata.
//
// And, for the filters, two things the values say laid out densely: each
// passage's year as one byte (when the index's years span fewer than 255),
// and for each actor that many passages name (one in 32 or more; at most
// 32 of them) a bitmap of the passages that name it. A filter by year and
// by such actors then rejects a passage without reading its value.
//
// File layout (native byte order, checked by a marker; sections that follow
// a u32 array start at a multiple of 8 bytes):
//   magic "LTPCOL04", u32 0x01020304, u32 lastdocid, u64 revision,
//   char uuid[40] (NUL-padded), u64 blob bytes, u32 year count,
//   u32 lexicon bytes, u32 year base, u32 year bytes (0 or 1),
//   u32 bitmap count, u32 0, u64 XXH3-64 of all the bytes after the header
//   (checked at every open: a damaged column is refused, never read),
//   year count x {u32 year+1, u32 passages}        passages per year
//   (lastdocid + 2) x u32 offsets into the blob     docid d: [off[d], off[d+1])
//   (lastdocid + 1) x u8 years, when year bytes     0: none, else year+1 - base + 1
//   bitmap count x u32 actor ranks (ascending)
//   bitmap count x ((lastdocid + 64) / 64) x u64    bit d: docid d names the actor
//   the blob: the values, in docid order
//   the actor lexicon's stored text
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <xapian.h>

namespace lipsteeth::analyzers {

class PassageColumn {
 public:
  // The file name for a database: "column-<uuid>-<revision>".
  static std::string file_name(const Xapian::Database& db);

  // Writes the column of `db` (a single database, as committed) into
  // `db_dir`: to a temporary file, fsync()ed, renamed into place; then
  // removes the columns of other revisions there. Returns the file's size.
  // Throws lipsteeth::Error on an I/O error (the index itself is untouched).
  static std::uint64_t write(const Xapian::Database& db, const std::string& db_dir);

  // The column for `db` in `db_dir`, or nullptr when there is none for this
  // revision or it is not whole (then a search reads Xapian's values). A
  // column of this revision whose checksum or layout is wrong is refused too,
  // and `refused` (when given) then says so; a missing or older column is no
  // fault and leaves it empty.
  static std::shared_ptr<const PassageColumn> open(const Xapian::Database& db, const std::string& db_dir,
                                                   std::string* refused = nullptr);

  ~PassageColumn();
  PassageColumn(const PassageColumn&) = delete;
  PassageColumn& operator=(const PassageColumn&) = delete;

  // The passage value of `did` ("" for a docid with none or out of range).
  std::string_view value(Xapian::docid did) const {
    if (did == 0 || did > lastdocid_) return {};
    const std::uint32_t a = offsets_[did], b = offsets_[did + 1];
    if (a > b || b > blob_size_) return {};
    return {blob_ + a, b - a};
  }
  // Prefetch hints for look-ups ahead: a sparse list's look-ups are cache
  // misses, two dependent ones each (offset, then value); hinted ahead of
  // use, they overlap instead of following one another.
  void prefetch_offsets(Xapian::docid did) const {
    if (did != 0 && did <= lastdocid_) prefetch(offsets_ + did);
  }
  void prefetch_value(Xapian::docid did) const {
    if (did == 0 || did > lastdocid_) return;
    const std::uint32_t a = offsets_[did];
    if (a < blob_size_) prefetch(blob_ + a);
  }
  // The instruction itself: GCC 12 drops a __builtin_prefetch whose address
  // comes from a load under a condition (none was left in the count's loop).
  static void prefetch(const void* p) {
#if defined(__x86_64__) || defined(__i386__)
    asm volatile("prefetcht0 (%0)" : : "r"(p));
#else
    __builtin_prefetch(p);
#endif
  }
  // year + 1 of `did` (0: no year, no passage).
  std::uint64_t year_plus_one(Xapian::docid did) const;
  // One byte per docid, 0 for no year, else year + 1 - year_base() + 1;
  // null when the file has none (the index's years span 255 or more).
  const std::uint8_t* year_bytes() const { return year_bytes_; }
  std::uint64_t year_base() const { return year_base_; }
  // The bitmap of the passages that name the actor of `rank` (bit d of word
  // d / 64: docid d); null when the file has none for it.
  const std::uint64_t* actor_bitmap(std::uint64_t rank) const {
    for (std::size_t i = 0; i < bitmap_ranks_.size(); ++i)
      if (bitmap_ranks_[i] == rank) return bitmaps_ + i * bitmap_words_;
    return nullptr;
  }
  // The ranks that have a bitmap, ascending.
  const std::vector<std::uint32_t>& bitmap_ranks() const { return bitmap_ranks_; }
  Xapian::docid lastdocid() const { return lastdocid_; }
  // Passages whose year lies in [from, to] (inclusive).
  std::uint64_t passages_in_years(int from, int to) const;
  // The actor lexicon's stored text, as in the database's metadata.
  std::string_view lexicon() const { return lexicon_; }

 private:
  PassageColumn() = default;
  void* map_ = nullptr;
  std::size_t map_size_ = 0;
  Xapian::docid lastdocid_ = 0;
  const std::uint32_t* offsets_ = nullptr;
  const char* blob_ = nullptr;
  std::uint64_t blob_size_ = 0;
  std::string_view lexicon_;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> years_;  // (year + 1, passages)
  const std::uint8_t* year_bytes_ = nullptr;
  std::uint64_t year_base_ = 0;
  std::vector<std::uint32_t> bitmap_ranks_;
  const std::uint64_t* bitmaps_ = nullptr;
  std::size_t bitmap_words_ = 0;
};

}  // namespace lipsteeth::analyzers
