// Compression of passage texts with a zstd dictionary trained on the corpus.
// A passage is a few hundred bytes: compressed alone, it gains little (zlib,
// as Xapian stores records, about 1.6x); compressed against a dictionary of
// the corpus's common strings, a good deal more. The indexer trains one
// dictionary per index before writing (analyzers/schema.h kMetaTextDictionary)
// and every reader decodes with it (analyzers/passage_data.h).
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace lipsteeth::analyzers {

class TextCodec {
 public:
  // Dictionary size: the largest the indexer trains (see train()). Measured
  // with bench/text_codec_bench on passages of SciFact abstracts, trained on
  // 3.6 MB: 64 KB 2.91x, 112 KB 2.96x, 256 KB 3.09x, 512 KB 3.12x (level 9;
  // zlib per record 1.95x).
  static constexpr std::size_t kDictionaryBytes = 256u << 10;
  // zstd level. Same measure, 256 KB: level 3 2.82x, 6 3.02x, 9 3.09x, 19
  // 3.28x; compression CPU per MB of text about 7, 24, 41 and 420 ms. In a
  // whole build level 9 cost more than that suggests (200 MB corpus: 215.6
  // CPU s against 185.8 without compression; 20 MB: +2.5 s at level 9,
  // +1.5 s at level 3, of which training is about 1.4 s), for 6% smaller texts.
  static constexpr int kLevel = 3;
  // Texts shorter than this are stored plain (a frame header costs a few
  // bytes), and so are texts longer than kMaxTextBytes (a decoder then never
  // allocates more than that for a record).
  static constexpr std::size_t kMinTextBytes = 24;
  static constexpr std::size_t kMaxTextBytes = 1u << 20;
  // Training needs enough samples: fewer texts or bytes than these and
  // train() returns "" (the index stores its texts plain). The dictionary is
  // at most a tenth of the sample's bytes.
  static constexpr std::size_t kMinSamples = 100;
  static constexpr std::size_t kMinSampleBytes = 64u << 10;

  // Trains a dictionary of at most `max_bytes` on `samples` (each a text as
  // it will be compressed). Returns "" when the samples are too few or too
  // small to train one. Throws lipsteeth::Error when zstd fails otherwise.
  static std::string train(const std::vector<std::string>& samples, std::size_t max_bytes = kDictionaryBytes);

  // Prepares a dictionary for compression and decompression. Throws
  // lipsteeth::Error when zstd cannot load it. Safe to share between threads
  // (each thread uses its own zstd contexts).
  explicit TextCodec(std::string dictionary, int level = kLevel);
  ~TextCodec();
  TextCodec(const TextCodec&) = delete;
  TextCodec& operator=(const TextCodec&) = delete;

  const std::string& dictionary() const { return dictionary_; }

  // Appends `text` compressed (a zstd frame without magic number, checksum,
  // dictionary id or content size) to `out` and returns true, or leaves
  // `out` as it was and returns false when that would not be shorter than
  // the text, or the text's length is outside [kMinTextBytes, kMaxTextBytes].
  // Throws lipsteeth::Error when zstd fails.
  bool compress(std::string_view text, std::string& out) const;

  // Sets `out` to the `size` bytes that `frame` decompresses to. False when
  // `frame` is not a whole frame of exactly that size (corrupt data); never
  // throws for bad data.
  bool decompress(std::string_view frame, std::size_t size, std::string& out) const;

 private:
  struct Dicts;
  std::string dictionary_;
  std::unique_ptr<Dicts> dicts_;
  int level_;
};

}  // namespace lipsteeth::analyzers
