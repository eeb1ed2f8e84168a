// Measures the tagger against the hand annotation of every actor mention in
// the five bundled articles (tests/data/annotations/, made by reading them).
// A system mention matches a hand mention of the same actor whose byte range
// overlaps it (one to one, in text order). Prints the figures.
#include <catch2/catch.hpp>

#include <cstdio>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "analyzers/decode.h"
#include "analyzers/entities.h"
#include "analyzers/passages.h"
#include "analyzers/tokenizer.h"
#include "tests/test_support.h"

using namespace lipsteeth::analyzers;

namespace {

using lipsteeth::testing::slurp;

struct Gold {
  std::string file, surface, actor;
  std::uint32_t start = 0, end = 0;
};

std::vector<Gold> read_gold() {
  std::vector<Gold> gold;
  std::istringstream in(slurp(std::string(LIPSTEETH_SOURCE_DIR) + "/tests/data/annotations/mentions.tsv"));
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> f;
    std::size_t from = 0, tab;
    while ((tab = line.find('\t', from)) != std::string::npos) {
      f.push_back(line.substr(from, tab - from));
      from = tab + 1;
    }
    f.push_back(line.substr(from));
    REQUIRE(f.size() == 5);
    gold.push_back({f[0], f[3], f[4], static_cast<std::uint32_t>(std::stoul(f[1])), static_cast<std::uint32_t>(std::stoul(f[2]))});
  }
  return gold;
}

struct Found {
  std::string actor, surface;
  std::uint32_t start, end;
};

// The pipeline the indexer runs: decode, passages, tokens per passage, tag.
std::vector<Found> tag_file(const Tagger& tagger, const std::string& file) {
  std::string bytes = slurp(std::string(LIPSTEETH_SOURCE_DIR) + "/corpus/" + file);
  DecodeResult d = decode(bytes);
  REQUIRE(d.status == DecodeStatus::ok);
  REQUIRE(d.text == bytes);  // the annotation's offsets are into the file's bytes
  std::vector<Passage> passages = split_passages(d.text);
  std::vector<std::vector<Token>> tokens;
  for (const Passage& p : passages) {
    TokenizeOptions o;
    o.base = p.start;
    tokens.push_back(tokenize(std::string_view(d.text).substr(p.start, p.end - p.start), o));
  }
  std::vector<Found> out;
  for (const Mention& m : tagger.tag(d.text, passages, tokens))
    out.push_back({tagger.gazetteer().actors()[m.actor].id, m.surface, m.start, m.end});
  return out;
}

}  // namespace

TEST_CASE("tags the five bundled articles as the hand annotation does", "[analyzers][entities][eval]") {
  Gazetteer g = Gazetteer::load(Gazetteer::default_path());
  Tagger tagger(g);
  std::vector<Gold> gold = read_gold();
  REQUIRE(gold.size() > 600);
  for (const Gold& x : gold) {
    INFO(x.surface << " " << x.actor);
    REQUIRE(g.find_id(x.actor) != nullptr);
  }

  // The annotation marks places too; a place is matched but is no actor
  // (docs/gazetteer.md "Places"), so those marks are not counted.
  std::erase_if(gold, [&](const Gold& x) { return g.find_id(x.actor)->type == "place"; });
  std::map<std::string, std::vector<Gold>> by_file;
  for (const Gold& x : gold) by_file[x.file].push_back(x);
  REQUIRE(by_file.size() == 5);

  std::size_t tp = 0, sys = 0;
  std::set<std::pair<std::string, std::string>> gold_pairs, sys_pairs;
  std::vector<std::string> misses, extras;
  for (const auto& [file, marks] : by_file) {
    std::vector<Found> found = tag_file(tagger, file);
    sys += found.size();
    std::vector<bool> used(marks.size(), false);
    for (const Gold& x : marks) gold_pairs.emplace(file, x.actor);
    for (const Found& f : found) {
      sys_pairs.emplace(file, f.actor);
      bool hit = false;
      for (std::size_t i = 0; i < marks.size() && !hit; ++i) {
        if (used[i] || marks[i].actor != f.actor || !(marks[i].start < f.end && f.start < marks[i].end)) continue;
        used[i] = hit = true;
      }
      if (hit) ++tp;
      else extras.push_back(file + " " + std::to_string(f.start) + " '" + f.surface + "' -> " + f.actor);
    }
    for (std::size_t i = 0; i < marks.size(); ++i)
      if (!used[i]) misses.push_back(file + " " + std::to_string(marks[i].start) + " '" + marks[i].surface + "' " + marks[i].actor);
  }
  std::size_t pair_tp = 0;
  for (const auto& p : sys_pairs) pair_tp += gold_pairs.count(p);
  double mp = double(tp) / double(sys), mr = double(tp) / double(gold.size());
  double pp = double(pair_tp) / double(sys_pairs.size()), pr = double(pair_tp) / double(gold_pairs.size());
  std::printf("tagger vs hand annotation (5 articles):\n");
  std::printf("  (article, actor) pairs: precision %.3f recall %.3f (%zu tagged, %zu annotated, %zu shared)\n", pp, pr,
              sys_pairs.size(), gold_pairs.size(), pair_tp);
  std::printf("  mentions:               precision %.3f recall %.3f (%zu tagged, %zu annotated, %zu matched)\n", mp, mr, sys,
              gold.size(), tp);
  for (const auto& m : misses) std::printf("  missed: %s\n", m.c_str());
  for (const auto& e : extras) std::printf("  extra:  %s\n", e.c_str());
  CHECK(pp >= 0.95);
  CHECK(pr >= 0.95);
  CHECK(mp >= 0.90);
  CHECK(mr >= 0.90);
}
