// text_codec_bench: how well the passage text dictionary compresses a
// collection, against zlib per record (what Xapian does with each record).
//
//   text_codec_bench [--dict-kb LIST] [--levels LIST] [--sample-mb N] [--max-docs N] INPUT
//
// INPUT is a folder of articles (every regular file, hidden ones excepted) or
// a JSON Lines file (one article per record, as the indexer reads them). Each
// article is analysed into passages (no tagging); articles are split in two
// halves by alternation: the dictionary is trained on the passages of the
// even ones (at most --sample-mb MB of them, taken at even intervals, default
// 4), and the passages of the odd ones are compressed, each on its own. For
// every dictionary size (KB, default 64,112,256) and level (default 1,3,6,9)
// prints one TSV line: dict_kb, level, test passages, their bytes, bytes as
// stored with zlib per record (raw deflate, kept only when shorter, as
// Xapian does, plus a length varint), ratio, bytes as stored by TextCodec (compressed or plain,
// text header included), ratio, training CPU seconds, compression and
// decompression CPU seconds (this thread).
#include <time.h>
#include <zlib.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "analyzers/article.h"
#include "analyzers/text_codec.h"
#include "indexer/documents.h"

namespace fs = std::filesystem;
namespace an = lipsteeth::analyzers;

namespace {

double cpu_now() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

std::vector<std::string> split_list(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream in(s);
  for (std::string x; std::getline(in, x, ',');) out.push_back(x);
  return out;
}

std::vector<std::string> passages_of(const an::Article& a) {
  std::vector<std::string> out;
  for (const auto& p : a.passages)
    if (p.start <= p.end && p.end <= a.text.size()) out.emplace_back(a.text.substr(p.start, p.end - p.start));
  return out;
}

std::size_t zlib_stored(const std::string& s) {
  z_stream z{};
  deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&z, s.size()), '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(s.data()));
  z.avail_in = s.size();
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = out.size();
  deflate(&z, Z_FINISH);
  const std::size_t n = z.total_out;
  deflateEnd(&z);
  return std::min(n, s.size());
}

std::size_t varint_size(std::uint64_t v) {
  std::size_t n = 1;
  while (v >= 0x80) v >>= 7, ++n;
  return n;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> dict_kb = {"64", "112", "256"}, levels = {"1", "3", "6", "9"};
  double sample_mb = 4;
  std::size_t max_docs = 0;
  std::string input;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--dict-kb" && i + 1 < argc) dict_kb = split_list(argv[++i]);
    else if (a == "--levels" && i + 1 < argc) levels = split_list(argv[++i]);
    else if (a == "--sample-mb" && i + 1 < argc) sample_mb = std::stod(argv[++i]);
    else if (a == "--max-docs" && i + 1 < argc) max_docs = std::stoul(argv[++i]);
    else input = a;
  }
  if (input.empty()) {
    std::cerr << "usage: text_codec_bench [--dict-kb LIST] [--levels LIST] [--sample-mb N] [--max-docs N] INPUT\n";
    return 2;
  }
  an::AnalyzeOptions opt;
  opt.keep_tokens = false;
  std::vector<std::vector<std::string>> docs;
  if (fs::is_directory(input)) {
    std::vector<fs::path> files;
    for (const auto& e : fs::recursive_directory_iterator(input))
      if (e.is_regular_file() && e.path().filename().string()[0] != '.') files.push_back(e.path());
    std::sort(files.begin(), files.end());
    for (const auto& f : files) {
      if (max_docs && docs.size() >= max_docs) break;
      std::ifstream in(f, std::ios::binary);
      std::string bytes((std::istreambuf_iterator<char>(in)), {});
      docs.push_back(passages_of(an::analyze_article(bytes, f.string(), f.filename().string(), opt)));
    }
  } else {
    std::ifstream in(input);
    for (std::string line; std::getline(in, line);) {
      if (max_docs && docs.size() >= max_docs) break;
      lipsteeth::indexer::JsonlRecord rec;
      if (!lipsteeth::indexer::parse_jsonl_record(line, rec).empty()) continue;
      docs.push_back(passages_of(an::analyze_text(std::move(rec.text), rec.id, rec.stated, opt)));
    }
  }
  std::vector<std::string> train_pool, test;
  for (std::size_t d = 0; d < docs.size(); ++d)
    for (auto& p : docs[d]) (d % 2 ? test : train_pool).push_back(std::move(p));
  // The training sample: passages of the even half at even intervals, up to sample_mb.
  std::size_t pool_bytes = 0;
  for (const auto& p : train_pool) pool_bytes += p.size();
  const double keep = std::min(1.0, sample_mb * 1e6 / std::max<std::size_t>(1, pool_bytes));
  std::vector<std::string> samples;
  double acc = 0;
  for (const auto& p : train_pool) {
    acc += keep;
    if (acc >= 1) {
      acc -= 1;
      samples.push_back(p);
    }
  }
  std::size_t sample_bytes = 0, test_bytes = 0, zlib_bytes = 0;
  for (const auto& p : samples) sample_bytes += p.size();
  for (const auto& p : test) test_bytes += p.size(), zlib_bytes += varint_size(p.size()) + zlib_stored(p);
  std::cerr << docs.size() << " articles; sample " << samples.size() << " passages, " << sample_bytes
            << " bytes; test " << test.size() << " passages, " << test_bytes << " bytes\n";
  std::cout << "dict_kb\tlevel\tpassages\tbytes\tzlib\tzlib_ratio\tzstd\tzstd_ratio\ttrain_cpu\tcompress_cpu\tdecompress_cpu\n";
  for (const auto& kb : dict_kb) {
    double t0 = cpu_now();
    std::string dict = an::TextCodec::train(samples, std::stoul(kb) << 10);
    const double train_cpu = cpu_now() - t0;
    if (dict.empty()) {
      std::cout << kb << "\t-\tno dictionary (too few samples)\n";
      continue;
    }
    for (const auto& lv : levels) {
      an::TextCodec codec(dict, std::stoi(lv));
      std::vector<std::string> frames(test.size());
      std::vector<bool> packed(test.size());
      std::size_t stored = 0;
      t0 = cpu_now();
      for (std::size_t i = 0; i < test.size(); ++i) packed[i] = codec.compress(test[i], frames[i]);
      const double c_cpu = cpu_now() - t0;
      for (std::size_t i = 0; i < test.size(); ++i)
        stored += varint_size(test[i].size() << 1) + (packed[i] ? frames[i].size() : test[i].size());
      std::string back;
      std::size_t bad = 0;
      t0 = cpu_now();
      for (std::size_t i = 0; i < test.size(); ++i)
        if (packed[i] && (!codec.decompress(frames[i], test[i].size(), back) || back != test[i])) ++bad;
      const double d_cpu = cpu_now() - t0;
      if (bad) std::cerr << bad << " passages did not round-trip\n";
      std::cout << kb << '\t' << lv << '\t' << test.size() << '\t' << test_bytes << '\t' << zlib_bytes << '\t'
                << double(test_bytes) / zlib_bytes << '\t' << stored << '\t' << double(test_bytes) / stored << '\t'
                << train_cpu << '\t' << c_cpu << '\t' << d_cpu << '\n';
    }
  }
}
