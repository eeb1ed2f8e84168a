// The sidecar: corrections an analyst keeps beside the corpus (format:
// docs/metadata.md).
#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>

#include <fmt/format.h>

#include "analyzers/error.h"
#include "analyzers/metadata.h"
#include "analyzers/meta/text_util.h"

namespace lipsteeth::analyzers {
using namespace meta;

// Sidecar.

std::vector<SidecarEntry> parse_sidecar(std::string_view tsv, std::string_view origin) {
  std::vector<SidecarEntry> entries;
  bool header = false;
  std::size_t line_no = 0;
  auto fail = [&](const std::string& what) {
    throw InputError(fmt::format("{}:{}: {}", origin, line_no, what));
  };
  for (auto raw : split_on(tsv, '\n')) {
    ++line_no;
    if (!raw.empty() && raw.back() == '\r') raw.remove_suffix(1);
    if (line_no == 1 && raw.substr(0, 3) == "\xEF\xBB\xBF") raw.remove_prefix(3);
    if (trim_ascii(raw).empty() || trim_ascii(raw).front() == '#') continue;
    auto cells = split_on(raw, '\t');
    if (!header) {
      const std::vector<std::string_view> want{"file", "title", "date", "authors"};
      if (cells.size() != want.size())
        fail(fmt::format("expected the header line \"file<TAB>title<TAB>date<TAB>authors\", found {} column(s)",
                         cells.size()));
      for (std::size_t i = 0; i < want.size(); ++i)
        if (lower(trim_ascii(cells[i])) != want[i])
          fail(fmt::format("header column {} is '{}', expected '{}'", i + 1, trim_ascii(cells[i]), want[i]));
      header = true;
      continue;
    }
    if (cells.size() > 4) fail(fmt::format("{} columns, expected at most 4 (file, title, date, authors)", cells.size()));
    cells.resize(4);
    SidecarEntry e;
    e.file = std::string(trim_ascii(cells[0]));
    if (e.file.empty()) fail("empty file name");
    while (e.file.rfind("./", 0) == 0) e.file.erase(0, 2);
    e.title = squeeze_spaces(cells[1]);
    const std::string date(trim_ascii(cells[2]));
    if (iequals(date, "unknown")) {
      e.date = "unknown";
    } else if (!date.empty()) {
      Date d;
      if (!parse_iso(date, d) || date.size() > 10)
        fail(fmt::format("date '{}' is not YYYY, YYYY-MM or YYYY-MM-DD (or 'unknown')", date));
      e.date = iso(d);
    }
    for (auto a : split_on(cells[3], ';')) {
      std::string name = squeeze_spaces(a);
      if (!name.empty()) e.authors.push_back(std::move(name));
    }
    if (find_sidecar_entry(entries, e.file)) fail(fmt::format("'{}' is listed twice", e.file));
    entries.push_back(std::move(e));
  }
  return entries;
}

namespace {

// The user's correction becomes the chosen candidate: the extracted ones
// stay listed as the candidates it overrode.
void override_with(std::vector<Candidate>& cs, int& chosen, std::string value, const SidecarEntry& e) {
  add_candidate(cs, std::move(value), "sidecar", e.file, 0, 0, FieldSource::sidecar);
  chosen = static_cast<int>(cs.size()) - 1;
}

}  // namespace

void apply_sidecar(Metadata& m, const SidecarEntry& e) {
  if (!e.title.empty()) {
    m.title = e.title;
    m.title_source = FieldSource::sidecar;
    override_with(m.title_candidates, m.title_chosen, e.title, e);
  }
  if (e.date == "unknown") {
    m.date.clear();
    m.year.reset();
    m.date_source = m.year_source = FieldSource::sidecar;
    m.date_chosen = -1;  // "unknown" is no value: nothing chosen, every candidate overridden
  } else if (!e.date.empty()) {
    m.date = e.date;
    m.year = year_of(e.date);
    m.date_source = m.year_source = FieldSource::sidecar;
    override_with(m.date_candidates, m.date_chosen, e.date, e);
  }
  if (!e.authors.empty()) {
    m.authors = e.authors;
    m.authors_source = FieldSource::sidecar;
  }
}

const SidecarEntry* find_sidecar_entry(const std::vector<SidecarEntry>& entries, std::string_view relative_path) {
  while (relative_path.substr(0, 2) == "./") relative_path.remove_prefix(2);
  for (const auto& e : entries)
    if (e.file == relative_path) return &e;
  return nullptr;
}

std::string locate_sidecar(const std::string& file_path, int levels) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::path dir = fs::absolute(fs::path(file_path), ec).lexically_normal().parent_path();
  if (ec) return {};
  for (int i = 0; i <= levels && !dir.empty(); ++i) {
    const fs::path candidate = dir / kSidecarName;
    if (fs::is_regular_file(candidate, ec)) return candidate.string();
    if (dir == dir.root_path()) break;
    dir = dir.parent_path();
  }
  return {};
}

std::string sidecar_relative_path(const std::string& sidecar_path, const std::string& file_path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path dir = fs::absolute(fs::path(sidecar_path), ec).lexically_normal().parent_path();
  const fs::path file = fs::absolute(fs::path(file_path), ec).lexically_normal();
  return file.lexically_relative(dir).generic_string();
}

std::vector<SidecarEntry> load_sidecar(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(fmt::format("cannot read metadata sidecar '{}': {}", path, std::strerror(errno)));
  std::ostringstream ss;
  ss << in.rdbuf();
  return parse_sidecar(ss.str(), path);
}

}  // namespace lipsteeth::analyzers
