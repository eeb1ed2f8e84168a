// Highlights (byte ranges of matched forms) and snippet windows, on the
// paragraphs of the seed articles.
#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "analyzers/article.h"
#include "analyzers/stemmer.h"
#include "analyzers/tokenizer.h"
#include "searcher/snippet.h"

using lipsteeth::searcher::find_highlights;
using lipsteeth::searcher::make_snippet;
using lipsteeth::searcher::MatchSet;
using lipsteeth::searcher::MentionSpan;
using lipsteeth::searcher::Range;

namespace {

// Line `line` (1-based) of a corpus article: each paragraph is one line.
std::string corpus_line(const std::string& file, int line) {
  std::ifstream in(std::string(LIPSTEETH_SOURCE_DIR) + "/corpus/" + file);
  REQUIRE(in);
  std::string s;
  for (int i = 0; i < line && std::getline(in, s); ++i) {
  }
  return s;
}

// The passages of the seed articles of corpus/ (the indexer's own cut) longer
// than `min_bytes`, and, when asked, every term of the articles.
std::vector<std::string> seed_passages(std::size_t min_bytes, std::vector<std::string>* vocabulary = nullptr) {
  namespace fs = std::filesystem;
  std::vector<std::string> passages;
  for (const auto& e : fs::directory_iterator(fs::path(LIPSTEETH_SOURCE_DIR) / "corpus")) {
    if (e.path().extension() != ".txt") continue;
    std::ifstream in(e.path(), std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), {});
    lipsteeth::analyzers::AnalyzeOptions o;
    auto a = lipsteeth::analyzers::analyze_article(bytes, e.path().string(), e.path().filename().string(), o);
    for (const auto& p : a.passages)
      if (p.end - p.start > min_bytes) passages.push_back(a.text.substr(p.start, p.end - p.start));
    if (vocabulary)
      for (const auto& toks : a.tokens)
        for (const auto& t : toks) vocabulary->push_back(t.term);
  }
  return passages;
}

std::vector<std::string> words_at(const std::string& text, const std::vector<Range>& ranges) {
  std::vector<std::string> out;
  for (const auto& r : ranges) out.push_back(text.substr(r.start, r.end - r.start));
  return out;
}

}  // namespace

TEST_CASE("highlights every form that shares a query word's stem", "[searcher][snippet]") {
  // 000, paragraph on China's leverage: "sanctions" twice, one "sanctions committee".
  const std::string text = corpus_line("000_8fe11e022d0b9062.txt", 27);
  REQUIRE(text.rfind("China Seeks Use of Leverage", 0) == 0);
  MatchSet m;
  m.stems.insert("sanction");  // the query said "sanctioned"
  auto h = find_highlights(text, m);
  REQUIRE(h.size() == 2);
  CHECK(words_at(text, h) == std::vector<std::string>{"sanctions", "sanctions"});
  // Offsets are bytes: the curly apostrophe before them counts three.
  const std::size_t first = text.find("sanctions");
  CHECK(h[0].start == first);
  CHECK(h[0].end == first + 9);
}

TEST_CASE("highlights an alias's words only together, in order, as the index matches them", "[searcher][snippet]") {
  // The query named Kim Jong-un and the Six-Party Talks by their words: a
  // lone "UN", "Kim" or "talks" is no match of theirs; the words in order
  // are, however written (hyphen, space, possessive), as are the actor's
  // tagged mentions, which come on their own.
  const std::string text =
      "Kim Jong-un met UN envoys. Kim said the six parties would meet; Kim Jong Un's aides and the "
      "Six-Party Talks came later, and the talks of Jong with Un did not.";
  MatchSet m;
  m.phrases = {{"kim", "jong", "un"}, {"six", "party", "talks"}};
  const auto w = words_at(text, find_highlights(text, m));
  CHECK(w == std::vector<std::string>{"Kim Jong-un", "Kim Jong Un's", "Six-Party Talks"});
  // A mention the tagger found ("Kim", short for him) is highlighted as one.
  m.actors = {"kim-jong-un"};
  const std::size_t kim = text.find("Kim said");
  const std::vector<MentionSpan> mentions = {
      {"kim-jong-un", {static_cast<std::uint32_t>(kim), static_cast<std::uint32_t>(kim + 3)}}};
  const auto w2 = words_at(text, find_highlights(text, m, mentions));
  CHECK(w2 == std::vector<std::string>{"Kim Jong-un", "Kim", "Kim Jong Un's", "Six-Party Talks"});
}

TEST_CASE("an acronym's highlight takes its last dot", "[searcher][snippet]") {
  const std::string text = "The U.S. and the D.P.R.K. met; the US. Then U.S.-China talks, and U.S.S.R.";
  MatchSet m;
  m.exact = {"us", "dprk", "ussr"};
  auto h = find_highlights(text, m);
  lipsteeth::searcher::take_acronym_dots(text, h);
  const auto w = words_at(text, h);
  // "US." ends a sentence: no acronym of dots, its full stop stays out.
  CHECK(w == std::vector<std::string>{"U.S.", "D.P.R.K.", "US", "U.S.", "U.S.S.R."});
}

TEST_CASE("highlights exact words, hyphen parts, possessives and wildcard prefixes", "[searcher][snippet]") {
  const std::string text = corpus_line("000_8fe11e022d0b9062.txt", 31);
  MatchSet m;
  m.exact = {"six", "party", "talks"};  // the phrase "six-party talks"
  m.exact.insert("china");              // "China’s" folds to china
  m.prefixes.push_back("lever");        // lever*
  auto h = find_highlights(text, m);
  auto w = words_at(text, h);
  // Hyphen parts come out separately: "Six", "Party".
  CHECK(std::count(w.begin(), w.end(), "Six") == 2);
  CHECK(std::count(w.begin(), w.end(), "Party") == 2);
  CHECK(std::count(w.begin(), w.end(), "Talks") == 2);
  CHECK(std::count(w.begin(), w.end(), "leverage") == 1);
  // "China’s": the highlight covers the word with its possessive, as the token does.
  CHECK(std::count(w.begin(), w.end(), "China\u2019s") == 1);
  CHECK(std::count(w.begin(), w.end(), "China") == 5);
  for (std::size_t i = 1; i < h.size(); ++i) CHECK(h[i - 1].end < h[i].start);  // sorted, disjoint
}

TEST_CASE("highlights mentions of the query's actors, merging overlaps", "[searcher][snippet]") {
  const std::string text = "Kim Jong-un met Xi Jinping. The North Korean leader returned.";
  MatchSet m;
  m.actors = {"kim-jong-un"};
  m.exact = {"kim"};
  std::vector<MentionSpan> mentions{{"kim-jong-un", {0, 11}}, {"xi-jinping", {16, 26}}};
  auto h = find_highlights(text, m, mentions);
  REQUIRE(h.size() == 1);
  CHECK(h[0] == Range{0, 11});
  // A mention outside the text is ignored, not a crash.
  mentions.push_back({"kim-jong-un", {50, 500}});
  CHECK(find_highlights(text, m, mentions).size() == 1);
}

TEST_CASE("keeps a short passage whole", "[searcher][snippet]") {
  const std::string text = "China urged restraint.";
  auto s = make_snippet(text, {{0, 5}}, 280);
  CHECK(s.text == text);
  REQUIRE(s.highlights.size() == 1);
  CHECK(s.highlights[0] == Range{0, 5});
}

TEST_CASE("trims a long passage to the window with the most matched words", "[searcher][snippet]") {
  // 003, the long paragraph on Wang Yi's peace-talks approach (1,100+ bytes).
  const std::string text = corpus_line("003_d673819c6f11a063.txt", 26);
  REQUIRE(text.size() > 1000);
  MatchSet m;
  m.exact = {"normalisation", "barrier"};  // both near the end of the paragraph
  auto h = find_highlights(text, m);
  REQUIRE(h.size() == 2);
  auto s = make_snippet(text, h, 200);
  CHECK(s.text.size() <= 200 + 2 * 3);
  CHECK(s.text.rfind("\u2026", 0) == 0);  // cut at the start
  CHECK(s.text.find("barrier") != std::string::npos);
  CHECK(s.text.find("normalisation") != std::string::npos);
  REQUIRE(s.highlights.size() == 2);
  CHECK(words_at(s.text, s.highlights) == std::vector<std::string>{"barrier", "normalisation"});
  // The snippet starts at a word, not inside one.
  const std::string after = s.text.substr(3);
  CHECK(text.find(" " + after.substr(0, 20)) != std::string::npos);
}

TEST_CASE("starts a trimmed passage at the beginning when the match is there", "[searcher][snippet]") {
  const std::string text = corpus_line("003_d673819c6f11a063.txt", 26);
  MatchSet m;
  m.exact = {"first"};
  auto h = find_highlights(text, m);
  REQUIRE_FALSE(h.empty());
  auto s = make_snippet(text, h, 200);
  CHECK(s.text.rfind("First, in the face", 0) == 0);
  CHECK(s.text.size() > 3);
  CHECK(s.text.substr(s.text.size() - 3) == "\u2026");
  REQUIRE_FALSE(s.highlights.empty());
  CHECK(s.highlights[0] == Range{0, 5});
}

TEST_CASE("highlights found chunk by chunk are those of the whole passage's tokens", "[searcher][snippet]") {
  // Reference: every token of the whole passage, matched as written, by
  // stem or by prefix. find_highlights tokenizes only the chunks between
  // white space that can hold a match; it must find exactly the same.
  lipsteeth::analyzers::Stemmer stemmer("english");
  std::vector<std::string> vocabulary;
  std::vector<std::string> passages = seed_passages(0, &vocabulary);
  // Hyphenated, possessive, accented, numeric and dotted forms, plus every 37th word of the corpus.
  passages.push_back("The U.S.-China talks, Kim's 1,000 troops, 3.14 km, Sŏng-thaek's \u201cJuche\u201d\tdying lying ability.");
  std::vector<std::string> words = {"us", "china", "kim", "1000", "3.14", "song", "thaek", "songthaek", "juche",
                                    "dying", "lie", "able", "talk"};
  for (std::size_t i = 0; i < vocabulary.size(); i += 37) words.push_back(vocabulary[i]);
  REQUIRE(words.size() > 100);
  std::size_t compared = 0, highlighted = 0;
  for (std::size_t w = 0; w < words.size(); ++w) {
    MatchSet m;
    m.exact.insert(words[w]);
    if (!words[w].empty() && !(words[w][0] >= '0' && words[w][0] <= '9')) m.stems.insert(stemmer.stem(words[w]));
    if (w % 5 == 0 && words[w].size() > 3) m.prefixes.push_back(words[w].substr(0, 3));
    for (const auto& text : passages) {
      std::vector<Range> expected;
      for (const auto& t : lipsteeth::analyzers::tokenize(text)) {
        bool hit = m.exact.count(t.term) || (!m.stems.empty() && m.stems.count(stemmer.stem(t.term)));
        for (const auto& p : m.prefixes) hit = hit || t.term.compare(0, p.size(), p) == 0;
        if (hit) expected.push_back({t.start, t.end});
      }
      // The reference merged as find_highlights merges: sorted, overlapping or touching joined.
      std::sort(expected.begin(), expected.end(), [](const Range& a, const Range& b) { return a.start < b.start; });
      std::vector<Range> merged;
      for (const Range& r : expected) {
        if (!merged.empty() && r.start <= merged.back().end) merged.back().end = std::max(merged.back().end, r.end);
        else merged.push_back(r);
      }
      const std::vector<Range> got = find_highlights(text, m);
      INFO("word '" << words[w] << "' in: " << text.substr(0, 80));
      REQUIRE(got.size() == merged.size());
      for (std::size_t k = 0; k < got.size(); ++k) {
        CHECK(got[k].start == merged[k].start);
        CHECK(got[k].end == merged[k].end);
      }
      ++compared;
      highlighted += got.size();
    }
  }
  CHECK(compared > 5000);
  CHECK(highlighted > 500);
}

TEST_CASE("the snippet window is the one with the most distinct matched words, then the most matches",
          "[searcher][snippet]") {
  // Reference: every candidate window (cut as make_snippet cuts it, starting
  // a little before each highlight or at 0) scored from scratch, its matched
  // words lower-cased into a set; the first best wins. make_snippet must
  // pick the same window on every long seed paragraph, for words that occur
  // once, several times and in several forms.
  lipsteeth::analyzers::Stemmer stemmer("english");
  const std::vector<std::string> passages = seed_passages(400);
  REQUIRE(passages.size() > 20);
  const std::vector<std::vector<std::string>> queries = {
      {"china"}, {"korea", "north"}, {"the"}, {"nuclear", "sanctions"}, {"kim", "jong", "un"},
      {"of", "and", "china"}, {"talks", "six", "party"}, {"beijing", "pyongyang", "relations"}};
  const std::size_t target = 160;
  auto is_space = [](char c) { return c == ' ' || c == '\n' || c == '\t' || c == '\r'; };
  std::size_t compared = 0, trimmed = 0;
  for (const auto& words : queries) {
    MatchSet m;
    for (const auto& w : words) m.stems.insert(stemmer.stem(w));
    for (const auto& text : passages) {
      const std::vector<Range> h = find_highlights(text, m);
      if (h.empty()) continue;
      const std::size_t n = text.size(), lead = std::min<std::size_t>(target / 5, 60);
      std::vector<std::size_t> starts{0};
      for (const Range& r : h) starts.push_back(r.start > lead ? r.start - lead : 0);
      long best = -1;
      std::size_t start = 0, end = n;
      for (std::size_t c : starts) {
        std::size_t a = c;
        if (a > 0) {
          while (a < n && !is_space(text[a - 1])) ++a;
          for (std::size_t b = a; b > 0 && a - b < lead; --b)
            if (b >= 2 && is_space(text[b - 1]) && (text[b - 2] == '.' || text[b - 2] == '?' || text[b - 2] == '!')) {
              a = b;
              break;
            }
        }
        if (a >= n) continue;
        std::size_t e = std::min(n, a + target);
        if (e < n) {
          std::size_t cut = e;
          while (cut > a && !is_space(text[cut])) --cut;
          if (cut > a) e = cut;
        }
        std::set<std::string> distinct;
        long count = 0;
        for (const Range& r : h)
          if (r.start >= a && r.end <= e) {
            ++count;
            std::string k = text.substr(r.start, r.end - r.start);
            for (char& ch : k) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
            distinct.insert(k);
          }
        if (const long score = static_cast<long>(distinct.size()) * 1000 + count; score > best) {
          best = score;
          start = a;
          end = e;
        }
      }
      while (start < end && is_space(text[start])) ++start;
      while (end > start && is_space(text[end - 1])) --end;
      std::string body = text.substr(start, end - start);
      for (char& ch : body)
        if (ch == '\n' || ch == '\t' || ch == '\r') ch = ' ';
      const std::string expected =
          (start > 0 ? std::string("\u2026") : std::string()) + body + (end < n ? std::string("\u2026") : std::string());
      INFO("words " << words.front() << "... in: " << text.substr(0, 80));
      CHECK(make_snippet(text, h, target).text == expected);
      ++compared;
      if (expected != text) ++trimmed;
    }
  }
  CHECK(compared > 50);
  CHECK(trimmed > 50);
}
