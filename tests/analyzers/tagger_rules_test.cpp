// Article-level precision and recall of the tagger and the discovery of
// actors over passages written to exercise each rule and its traps
// (tests/data/annotations/rules/, README.md there). Prints the figures and
// every miss and extra.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "analyzers/article.h"
#include "analyzers/entities.h"
#include "tests/test_support.h"

using namespace lipsteeth::analyzers;

namespace {

namespace fs = std::filesystem;
using lipsteeth::testing::slurp;

// A discovered name compared as letters and digits, lower case.
std::string fold_name(std::string_view s) {
  std::string out;
  for (unsigned char c : s)
    if (std::isalnum(c)) out += static_cast<char>(std::tolower(c));
  return out;
}

std::set<std::string> expected_of(const std::string& line) {
  std::set<std::string> out;
  REQUIRE(line.rfind("expect:", 0) == 0);
  std::string rest = line.substr(7);
  std::size_t from = 0;
  while (from < rest.size()) {
    std::size_t comma = rest.find(',', from);
    std::string item = rest.substr(from, comma == std::string::npos ? std::string::npos : comma - from);
    item.erase(0, item.find_first_not_of(' '));
    item.erase(item.find_last_not_of(' ') + 1);
    if (!item.empty()) out.insert(item[0] == '~' ? "~" + fold_name(item.substr(1)) : item);
    if (comma == std::string::npos) break;
    from = comma + 1;
  }
  return out;
}

}  // namespace

TEST_CASE("tags the rule fixtures with article-level precision and recall of at least 0.95",
          "[analyzers][entities][eval]") {
  Gazetteer g = Gazetteer::load(Gazetteer::default_path());
  Tagger tagger(g);
  AnalyzeOptions options;
  options.tagger = &tagger;
  options.discover = true;
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(std::string(LIPSTEETH_SOURCE_DIR) + "/tests/data/annotations/rules"))
    if (e.path().extension() == ".txt") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  REQUIRE(files.size() >= 9);

  std::size_t gold_n = 0, found_n = 0, shared = 0;
  for (const fs::path& f : files) {
    std::string bytes = slurp(f);
    std::size_t nl = bytes.find('\n');
    REQUIRE(nl != std::string::npos);
    std::set<std::string> expected = expected_of(bytes.substr(0, nl));
    for (const std::string& id : expected)
      if (id[0] != '~') {
        INFO(f.filename().string() << ": " << id);
        REQUIRE(g.find_id(id) != nullptr);  // the fixture names real ids
      }
    Article a = analyze_text(bytes.substr(nl + 1), f.filename().string(), Metadata{}, options);
    REQUIRE(a.ok());
    std::set<std::string> found;
    for (const Mention& m : a.mentions) found.insert(g.actors()[m.actor].id);
    for (const DiscoveredActor& d : a.discovered) found.insert("~" + fold_name(d.name));
    for (const std::string& x : found)
      if (!expected.count(x)) std::printf("  %s: extra  %s\n", f.filename().c_str(), x.c_str());
    for (const std::string& x : expected)
      if (!found.count(x)) std::printf("  %s: missed %s\n", f.filename().c_str(), x.c_str());
    gold_n += expected.size();
    found_n += found.size();
    for (const std::string& x : found) shared += expected.count(x);
  }
  double precision = double(shared) / double(found_n), recall = double(shared) / double(gold_n);
  std::printf("rule fixtures (%zu passages): precision %.3f recall %.3f (%zu found, %zu expected, %zu shared)\n",
              files.size(), precision, recall, found_n, gold_n, shared);
  CHECK(precision >= 0.95);
  CHECK(recall >= 0.95);
}
