// PDF, DOCX, ODT and EPUB through the helper lipsteeth-read: what comes back
// over the pipe is what the readers give in process, and a helper that is
// missing, fails or crashes costs that file only, with the reason.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "analyzers/document_pipe.h"
#include "analyzers/documents/documents.h"
#include "tests/test_support.h"

namespace {

using namespace lipsteeth::analyzers;
namespace fs = std::filesystem;

const fs::path kContainers = fs::path(LIPSTEETH_SOURCE_DIR) / "tests" / "data" / "containers";

std::string helper() { return (fs::path(LIPSTEETH_BIN).parent_path() / "lipsteeth-read").string(); }

// Sets an environment variable for one scope.
struct Env {
  std::string name;
  Env(std::string n, const std::string& value) : name(std::move(n)) { ::setenv(name.c_str(), value.c_str(), 1); }
  ~Env() { ::unsetenv(name.c_str()); }
};

void check_same(const ContainerText& a, const ContainerText& b) {
  CHECK(a.status == b.status);
  CHECK(a.format == b.format);
  CHECK(a.plain == b.plain);
  CHECK(a.text == b.text);
  CHECK(a.reason == b.reason);
  CHECK(a.stated.title == b.stated.title);
  CHECK(a.stated.title_source == b.stated.title_source);
  CHECK(a.stated.date == b.stated.date);
  CHECK(a.stated.year == b.stated.year);
  CHECK(a.stated.year_source == b.stated.year_source);
  CHECK(a.stated.authors == b.stated.authors);
  CHECK(a.stated.authors_source == b.stated.authors_source);
}

}  // namespace

TEST_CASE("a container text survives the pipe's encoding byte for byte", "[analyzers][documents]") {
  ContainerText c;
  c.format = Format::odt;
  c.text = std::string("Xi Jinping \xe4\xb9\xa0\xe8\xbf\x91\xe5\xb9\xb3\n\nnul \0 byte and \xff invalid", 44);
  c.stated.title = "Lips and teeth";
  c.stated.title_source = FieldSource::stated;
  c.stated.date = "2016-06-02";
  c.stated.year = 2016;
  c.stated.year_source = FieldSource::stated;
  c.stated.authors = {"Ri Su-yong", ""};
  c.stated.authors_source = FieldSource::stated;
  ContainerText back;
  REQUIRE(decode_container_text(encode_container_text(c), back));
  check_same(c, back);

  ContainerText bad;
  bad.status = ContainerStatus::unreadable;
  bad.format = Format::pdf;
  bad.reason = "encrypted PDF";
  REQUIRE(decode_container_text(encode_container_text(bad), back));
  check_same(bad, back);
  CHECK_FALSE(back.stated.year.has_value());

  // Cut short, lengthened, or of another version: refused.
  const std::string wire = encode_container_text(c);
  CHECK_FALSE(decode_container_text(wire.substr(0, wire.size() - 1), back));
  CHECK_FALSE(decode_container_text(wire + "x", back));
  CHECK_FALSE(decode_container_text("LTDOC9" + wire.substr(6), back));
  CHECK_FALSE(decode_container_text("", back));
}

TEST_CASE("the reader's arguments name the format and the limits", "[analyzers][documents]") {
  ContainerLimits l;
  l.max_bytes = 123;
  l.max_ratio = 7;
  l.ratio_floor_bytes = 9;
  l.max_depth = 1;
  Format f = Format::text;
  ContainerLimits back;
  REQUIRE(parse_reader_arguments(reader_arguments(Format::epub, l), f, back));
  CHECK(f == Format::epub);
  CHECK(back.max_bytes == 123);
  CHECK(back.max_ratio == 7);
  CHECK(back.ratio_floor_bytes == 9);
  CHECK(back.max_depth == 1);
  CHECK_FALSE(parse_reader_arguments({"html", "1", "2", "3", "4"}, f, back));
  CHECK_FALSE(parse_reader_arguments({"pdf", "1", "2", "3"}, f, back));
  CHECK_FALSE(parse_reader_arguments({"pdf", "1", "x", "3", "4"}, f, back));
}

TEST_CASE("the helper reads PDFs as the readers do in process", "[analyzers][documents]") {
  REQUIRE(fs::exists(helper()));
  Env env("LIPSTEETH_READER", helper());
  for (const char* name : {"report.pdf", "paged.pdf", "encrypted.pdf", "scanned.pdf"}) {
    INFO(name);
    const std::string bytes = lipsteeth::testing::slurp(kContainers / name);
    REQUIRE(!bytes.empty());
    const ContainerText in_process = documents::read_document(Format::pdf, bytes, {});
    const ContainerText piped = read_document_in_helper(Format::pdf, bytes, {});
    check_same(in_process, piped);
  }
  // Not a PDF at all: the reader's own reason, through the pipe.
  const ContainerText junk = read_document_in_helper(Format::pdf, "not a pdf", {});
  CHECK(junk.status == ContainerStatus::unreadable);
  CHECK(junk.reason == documents::read_document(Format::pdf, "not a pdf", {}).reason);
}

TEST_CASE("a helper that is missing, fails or crashes costs that file only, with the reason",
          "[analyzers][documents]") {
  lipsteeth::testing::TempDir t("lipsteeth-pipe");
  SECTION("missing") {
    Env env("LIPSTEETH_READER", (t.path / "no-such-reader").string());
    const ContainerText c = read_document_in_helper(Format::pdf, "%PDF-1.4", {});
    CHECK(c.status == ContainerStatus::unreadable);
    CHECK_THAT(c.reason, Catch::Contains("not installed"));
  }
  SECTION("fails") {
    const fs::path script = t.write("fails.sh", "#!/bin/sh\ncat >/dev/null\nexit 4\n");
    fs::permissions(script, fs::perms::owner_all);
    Env env("LIPSTEETH_READER", script.string());
    const ContainerText c = read_document_in_helper(Format::docx, std::string(1 << 20, 'x'), {});
    CHECK(c.status == ContainerStatus::unreadable);
    CHECK(c.format == Format::docx);
    CHECK_THAT(c.reason, Catch::Contains("failed (exit 4)"));
  }
  SECTION("crashes before reading its input") {
    const fs::path script = t.write("crashes.sh", "#!/bin/sh\nkill -SEGV $$\n");
    fs::permissions(script, fs::perms::owner_all);
    Env env("LIPSTEETH_READER", script.string());
    // More than a socket buffer holds: the writer must not hang or die of SIGPIPE.
    const ContainerText c = read_document_in_helper(Format::epub, std::string(8 << 20, 'x'), {});
    CHECK(c.status == ContainerStatus::unreadable);
    CHECK_THAT(c.reason, Catch::Contains("crashed (signal 11)"));
  }
  SECTION("answers garbage") {
    const fs::path script = t.write("garbage.sh", "#!/bin/sh\ncat >/dev/null\necho hello\n");
    fs::permissions(script, fs::perms::owner_all);
    Env env("LIPSTEETH_READER", script.string());
    const ContainerText c = read_document_in_helper(Format::odt, "x", {});
    CHECK(c.status == ContainerStatus::unreadable);
    CHECK_THAT(c.reason, Catch::Contains("failed (exit 0)"));
  }
}
