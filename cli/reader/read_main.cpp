// lipsteeth-read FORMAT MAX_BYTES MAX_RATIO RATIO_FLOOR MAX_DEPTH: reads a
// PDF, DOCX, ODT or EPUB file on standard input and writes what it holds
// (analyzers/document_pipe.h) on standard output. Run by lipsteeth once per
// such file; not meant to be run by hand. Exit 0 with an answer (a file that
// cannot be read is an answer too), 2 on bad arguments.
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <new>
#include <string>
#include <vector>

#include "analyzers/document_pipe.h"
#include "analyzers/documents/documents.h"

int main(int argc, char** argv) {
  using namespace lipsteeth::analyzers;
  std::vector<std::string> args(argv + 1, argv + argc);
  Format format = Format::pdf;
  ContainerLimits limits;
  if (!parse_reader_arguments(args, format, limits)) {
    std::fprintf(stderr, "usage: lipsteeth-read pdf|docx|odt|epub MAX_BYTES MAX_RATIO RATIO_FLOOR MAX_DEPTH < FILE\n");
    return 2;
  }
  std::string bytes;
  char buf[1 << 16];
  for (;;) {
    const ssize_t n = ::read(0, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return 3;
    if (n == 0) break;
    bytes.append(buf, static_cast<std::size_t>(n));
  }
  ContainerText c;
  try {
    c = documents::read_document(format, bytes, limits);
  } catch (const std::bad_alloc&) {
    c.status = ContainerStatus::unreadable;
    c.format = format;
    c.reason = "out of memory while reading it";
  }
  const std::string out = encode_container_text(c);
  for (std::size_t sent = 0; sent < out.size();) {
    const ssize_t n = ::write(1, out.data() + sent, out.size() - sent);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return 3;
    sent += static_cast<std::size_t>(n);
  }
  return 0;
}
