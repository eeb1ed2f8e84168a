#include "cli/gate.h"

#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <optional>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <xapian.h>

#include "analyzers/error.h"
#include "analyzers/passage_column.h"
#include "analyzers/schema.h"
#include "indexer/index_dir.h"
#include "indexer/indexer.h"
#include "searcher/searcher.h"

namespace fs = std::filesystem;

namespace lipsteeth::cli {

namespace {

bool parse_count(const std::string& word, std::uint64_t& n) {
  if (word.empty() || !std::all_of(word.begin(), word.end(), ::isdigit) || word.size() > 18) return false;
  n = std::stoull(word);
  return true;
}

// A folder under $TMPDIR that looks like an index folder whose live
// generation is the new one (a stub naming it, its passage column linked),
// so that verify and search read it as they will once it is live.
struct GateView {
  std::string dir;
  GateView(const std::string& db_dir, const std::string& generation_path) {
    std::string tmpl = (fs::temp_directory_path() / "lipsteeth-gate-XXXXXX").string();
    if (!::mkdtemp(tmpl.data())) throw Error(fmt::format("cannot make a folder for the gate: {}", std::strerror(errno)));
    dir = tmpl;
    std::ofstream(schema::stub_path(dir)) << "glass " << generation_path << "\n";
    const std::string column = analyzers::PassageColumn::file_name(Xapian::Database(generation_path));
    std::error_code ec;
    if (fs::exists(db_dir + "/" + column, ec)) fs::create_symlink(db_dir + "/" + column, dir + "/" + column, ec);
  }
  ~GateView() {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
};

}  // namespace

std::vector<GateCheck> parse_gate_text(const std::string& text, const std::string& where) {
  std::vector<GateCheck> out;
  std::istringstream in(text);
  std::string line;
  unsigned no = 0;
  while (std::getline(in, line)) {
    ++no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    std::istringstream words(line);
    std::string kind;
    if (!(words >> kind) || kind[0] == '#') continue;
    GateCheck c;
    c.line = no;
    std::string arg;
    words >> arg;
    std::string rest;
    std::getline(words, rest);
    rest.erase(0, rest.find_first_not_of(" \t"));
    auto bad = [&](const std::string& why) {
      return UsageError(fmt::format("{}:{}: {} (checks are: min-articles N | min-hits N QUERY | expect ARTICLE QUERY)",
                                    where, no, why));
    };
    if (kind == "min-articles") {
      c.kind = GateCheck::Kind::min_articles;
      if (!parse_count(arg, c.count) || !rest.empty()) throw bad("min-articles takes one number");
    } else if (kind == "min-hits") {
      c.kind = GateCheck::Kind::min_hits;
      if (!parse_count(arg, c.count)) throw bad("min-hits takes a number, then a query");
      if (rest.empty()) throw bad("min-hits has no query");
      c.query = rest;
    } else if (kind == "expect") {
      c.kind = GateCheck::Kind::expect;
      c.article = arg;
      if (c.article.empty() || rest.empty()) throw bad("expect takes an article id, then a query");
      c.query = rest;
    } else {
      throw bad(fmt::format("unknown check '{}'", kind));
    }
    out.push_back(std::move(c));
  }
  return out;
}

std::vector<GateCheck> parse_gate_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(fmt::format("cannot read the gate checks '{}': {}", path, std::strerror(errno)));
  std::ostringstream ss;
  ss << in.rdbuf();
  return parse_gate_text(ss.str(), path);
}

std::string run_gate(const std::string& db_dir, const std::string& generation_path,
                     const std::vector<GateCheck>& checks) {
  GateView view(db_dir, generation_path);
  std::vector<std::string> failed;
  try {
    const indexer::VerifyReport rep = indexer::verify_index(view.dir);
    if (!rep.ok())
      failed.push_back(fmt::format("verify found {} problem(s), the first: {}", rep.problems.size(), rep.problems[0]));
  } catch (const Xapian::Error& e) {
    failed.push_back(fmt::format("verify: {}", e.get_description()));
  } catch (const std::exception& e) {
    failed.push_back(fmt::format("verify: {}", e.what()));
  }
  std::optional<searcher::Database> db;
  for (const auto& c : checks) {
    const std::string where = fmt::format("check at line {}", c.line);
    try {
      if (!db) db.emplace(searcher::Database::open(view.dir));
      if (c.kind == GateCheck::Kind::min_articles) {
        const std::uint64_t n = indexer::read_stats(view.dir).articles;
        if (n < c.count) failed.push_back(fmt::format("{}: {} articles, fewer than {}", where, n, c.count));
        continue;
      }
      searcher::SearchOptions o;
      o.query = c.query;
      o.limit = 10;
      o.group_by_article = c.kind == GateCheck::Kind::expect;
      const searcher::SearchResult r = searcher::search(*db, o);
      if (c.kind == GateCheck::Kind::min_hits && r.total < c.count)
        failed.push_back(fmt::format("{}: \"{}\" matches {} passages, fewer than {}", where, c.query, r.total, c.count));
      if (c.kind == GateCheck::Kind::expect &&
          std::none_of(r.hits.begin(), r.hits.end(), [&](const searcher::Hit& h) { return h.article_id == c.article; }))
        failed.push_back(fmt::format("{}: \"{}\" does not find {} among its first {} articles", where, c.query,
                                     c.article, o.limit));
    } catch (const Xapian::Error& e) {
      failed.push_back(fmt::format("{}: {}", where, e.get_description()));
    } catch (const std::exception& e) {
      failed.push_back(fmt::format("{}: {}", where, e.what()));
    }
  }
  std::string out;
  for (const auto& f : failed) out += (out.empty() ? "" : "; ") + f;
  return out;
}

}  // namespace lipsteeth::cli
