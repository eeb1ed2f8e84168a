// What opening the passage column costs a search, now that it checks the
// column's checksum: PassageColumn::open (map, header, XXH3 of every byte)
// and the XXH3 pass alone, each the median of ROUNDS fresh opens.
//
// usage: column_open_bench INDEX_DIR [ROUNDS]     (bench/column_checksum.sh)
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include <xapian.h>
#define XXH_INLINE_ALL
#include <xxhash.h>

#include "analyzers/passage_column.h"
#include "analyzers/schema.h"

namespace an = lipsteeth::analyzers;

template <class F>
double median_ms(int rounds, F&& f) {
  std::vector<double> t;
  for (int i = 0; i < rounds; ++i) {
    const auto a = std::chrono::steady_clock::now();
    f();
    t.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - a).count());
  }
  std::sort(t.begin(), t.end());
  return t[t.size() / 2];
}

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: column_open_bench INDEX_DIR [ROUNDS]\n");
    return 2;
  }
  const std::string dir = argv[1];
  const int rounds = argc > 2 ? std::atoi(argv[2]) : 51;
  Xapian::Database db(lipsteeth::schema::stub_path(dir));
  const std::string path = dir + "/" + an::PassageColumn::file_name(db);
  std::string refused;
  if (!an::PassageColumn::open(db, dir, &refused)) {
    std::fprintf(stderr, "no usable column: %s\n", refused.empty() ? "none for this revision" : refused.c_str());
    return 1;
  }
  const double open = median_ms(rounds, [&] { (void)an::PassageColumn::open(db, dir); });
  const int fd = ::open(path.c_str(), O_RDONLY);
  struct stat st {};
  ::fstat(fd, &st);
  const double hash = median_ms(rounds, [&] {
    void* m = ::mmap(nullptr, st.st_size, PROT_READ, MAP_SHARED, fd, 0);
    volatile XXH64_hash_t h = XXH3_64bits(m, st.st_size);
    (void)h;
    ::munmap(m, st.st_size);
  });
  std::printf("passages %u, column bytes %lld, open ms %.3f, of which XXH3 ms %.3f\n", db.get_lastdocid(),
              static_cast<long long>(st.st_size), open, hash);
}
