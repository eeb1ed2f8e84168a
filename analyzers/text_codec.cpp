#include "analyzers/text_codec.h"

#include <mutex>

// The frame parameters below (magicless format) are zstd's "experimental"
// parameters: stable in practice, but declared only with this macro.
#define ZSTD_STATIC_LINKING_ONLY
#include <zdict.h>
#include <zstd.h>
#include <zstd_errors.h>

#include <fmt/format.h>

#include "analyzers/error.h"

namespace lipsteeth::analyzers {

namespace {

[[noreturn]] void fail(const char* what, std::size_t code) {
  throw Error(fmt::format("zstd: {}: {}", what, ZSTD_getErrorName(code)));
}

void check(const char* what, std::size_t code) {
  if (ZSTD_isError(code)) fail(what, code);
}

// One compression and one decompression context per thread, set up once for
// the frame format every record uses. They are not tied to a dictionary:
// each call references the codec's own.
struct CContext {
  ZSTD_CCtx* cctx = nullptr;
  CContext() {
    cctx = ZSTD_createCCtx();
    if (!cctx) throw Error("zstd: cannot allocate a compression context");
    check("setting the frame format", ZSTD_CCtx_setParameter(cctx, ZSTD_c_format, ZSTD_f_zstd1_magicless));
    check("setting the frame format", ZSTD_CCtx_setParameter(cctx, ZSTD_c_checksumFlag, 0));
    check("setting the frame format", ZSTD_CCtx_setParameter(cctx, ZSTD_c_dictIDFlag, 0));
    check("setting the frame format", ZSTD_CCtx_setParameter(cctx, ZSTD_c_contentSizeFlag, 0));
  }
  ~CContext() { ZSTD_freeCCtx(cctx); }
};

struct DContext {
  ZSTD_DCtx* dctx = nullptr;
  bool ok = false;
  DContext() {
    dctx = ZSTD_createDCtx();
    ok = dctx && !ZSTD_isError(ZSTD_DCtx_setParameter(dctx, ZSTD_d_format, ZSTD_f_zstd1_magicless));
  }
  ~DContext() { ZSTD_freeDCtx(dctx); }
};

}  // namespace

struct TextCodec::Dicts {
  ZSTD_DDict* ddict = nullptr;
  // The compression dictionary is built on first use: readers never need it.
  std::once_flag cdict_once;
  ZSTD_CDict* cdict = nullptr;
  ~Dicts() {
    ZSTD_freeDDict(ddict);
    ZSTD_freeCDict(cdict);
  }
};

std::string TextCodec::train(const std::vector<std::string>& samples, std::size_t max_bytes) {
  std::string all;
  std::vector<std::size_t> sizes;
  for (const auto& s : samples) {
    if (s.size() < kMinTextBytes || s.size() > kMaxTextBytes) continue;
    all += s;
    sizes.push_back(s.size());
  }
  if (sizes.size() < kMinSamples || all.size() < kMinSampleBytes) return {};
  std::string dict(std::min(max_bytes, all.size() / 10), '\0');
  const std::size_t n = ZDICT_trainFromBuffer(dict.data(), dict.size(), all.data(), sizes.data(),
                                              static_cast<unsigned>(sizes.size()));
  if (ZDICT_isError(n)) {
    // Samples zstd finds nothing to learn from (too little or too uniform
    // text) are not an error: the texts are stored plain.
    const auto code = ZSTD_getErrorCode(n);
    if (code == ZSTD_error_srcSize_wrong || code == ZSTD_error_dictionaryCreation_failed ||
        code == ZSTD_error_dstSize_tooSmall)
      return {};
    throw Error(fmt::format("zstd: training a dictionary: {}", ZDICT_getErrorName(n)));
  }
  dict.resize(n);
  return dict;
}

TextCodec::TextCodec(std::string dictionary, int level)
    : dictionary_(std::move(dictionary)), dicts_(std::make_unique<Dicts>()), level_(level) {
  if (dictionary_.empty()) throw Error("zstd: empty dictionary");
  // By reference: the codec keeps the dictionary for its life, so zstd need not copy it.
  dicts_->ddict = ZSTD_createDDict_byReference(dictionary_.data(), dictionary_.size());
  if (!dicts_->ddict) throw Error("zstd: cannot load the text dictionary");
}

TextCodec::~TextCodec() = default;

bool TextCodec::compress(std::string_view text, std::string& out) const {
  if (text.size() < kMinTextBytes || text.size() > kMaxTextBytes) return false;
  std::call_once(dicts_->cdict_once, [&] {
    dicts_->cdict = ZSTD_createCDict(dictionary_.data(), dictionary_.size(), level_);
  });
  if (!dicts_->cdict) throw Error("zstd: cannot load the text dictionary for compression");
  thread_local CContext ctx;
  check("referencing the dictionary", ZSTD_CCtx_refCDict(ctx.cctx, dicts_->cdict));
  const std::size_t old = out.size();
  // Room for one byte less than the text: zstd says so when the frame
  // would not be shorter.
  out.resize(old + text.size() - 1);
  const std::size_t n = ZSTD_compress2(ctx.cctx, out.data() + old, text.size() - 1, text.data(), text.size());
  if (ZSTD_isError(n)) {
    out.resize(old);
    ZSTD_CCtx_reset(ctx.cctx, ZSTD_reset_session_only);
    if (ZSTD_getErrorCode(n) == ZSTD_error_dstSize_tooSmall) return false;
    fail("compressing a text", n);
  }
  out.resize(old + n);
  return true;
}

bool TextCodec::decompress(std::string_view frame, std::size_t size, std::string& out) const {
  if (size > kMaxTextBytes) return false;
  thread_local DContext ctx;
  if (!ctx.ok || ZSTD_isError(ZSTD_DCtx_refDDict(ctx.dctx, dicts_->ddict))) return false;
  out.resize(size);
  const std::size_t n = ZSTD_decompressDCtx(ctx.dctx, out.data(), size, frame.data(), frame.size());
  if (ZSTD_isError(n)) {
    ZSTD_DCtx_reset(ctx.dctx, ZSTD_reset_session_only);
    return false;
  }
  return n == size;
}

}  // namespace lipsteeth::analyzers
