// analyze_bench: single-thread analysis throughput over a folder of articles.
//
//   analyze_bench [--modes LIST] [--repeat N] [--gazetteer TSV] [--big-gazetteer TSV] DIR
//
// Reads every regular file under DIR (hidden ones excepted) into memory first
// (I/O is not measured), then runs each mode over all of them on one thread,
// N rounds (default 3) with the modes interleaved, so that a busy machine
// slows all modes alike; the best round of each mode counts. Each round is
// timed twice: wall clock, and the thread's CPU time (CLOCK_THREAD_CPUTIME_ID),
// which stays meaningful when other processes compete for the cores. Prints
// one TSV line per mode: mode, files, bytes, best CPU seconds, MB per CPU
// second (10^6 bytes of input), best wall seconds, MB per wall second, a count
// of what the mode produced (so that no work can be optimised away), the
// gazetteer's actors, and every round's CPU seconds.
//
// Modes (LIST is comma-separated; default: all of them, in this order):
//   termgen        Xapian TermGenerator, english stemmer, STEM_SOME, positions,
//                  into a fresh Xapian::Document per file (no add_document).
//   lipsteeth      analyzers::analyze_article without the tagger (decode, NFC,
//                  format, metadata, passages, ICU tokens), plus the Snowball
//                  stem of every word, as the indexer needs them.
//   tagger         the same with the actor tagger over --gazetteer (default:
//                  the repository's data/actors.tsv).
//   tagger-big     the same with the tagger over --big-gazetteer (a gazetteer
//                  ten times larger, made by bench/make_gazetteer.py).
//   tag-only, tag-only-big
//                  Tagger::tag() alone, over articles analysed beforehand
//                  (untimed; every article's tokens are held in memory, about
//                  ten times the corpus's size): the tagger's own cost,
//                  without the noise of the analysis around it. Not in the
//                  default list.
//   tokenize, tokenize-icu
//                  analyzers::tokenize() (its own word-boundary scanner where
//                  the text allows, else ICU's) or tokenize_icu() (always
//                  ICU's BreakIterator) alone, over every passage of articles
//                  analysed beforehand (untimed), as analyze_article() calls
//                  it. Not in the default list.
//   tokenize-check
//                  no timing worth reading: compares tokenize() with
//                  tokenize_icu() field by field over every passage and every
//                  whole raw file, prints the counts of files, texts, texts
//                  that took the scanner and mismatches to stderr; its
//                  `produced` is the mismatch count. Not in the default list.
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <xapian.h>

#include "analyzers/article.h"
#include "analyzers/entities.h"
#include "analyzers/error.h"
#include "analyzers/stemmer.h"
#include "analyzers/tokenizer.h"

namespace fs = std::filesystem;
namespace an = lipsteeth::analyzers;

namespace {

struct File {
  std::string path;
  std::string id;
  std::string bytes;
};

std::vector<File> load_corpus(const fs::path& root) {
  std::vector<File> files;
  for (const auto& e : fs::recursive_directory_iterator(root)) {
    if (!e.is_regular_file() || e.path().filename().string().front() == '.') continue;
    File f;
    f.path = e.path().string();
    f.id = fs::relative(e.path(), root).string();
    std::ifstream in(e.path(), std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    f.bytes = ss.str();
    files.push_back(std::move(f));
  }
  // Same order on every run and every machine.
  std::sort(files.begin(), files.end(), [](const File& a, const File& b) { return a.id < b.id; });
  return files;
}

// Work of the lipsteeth modes: the analysis, then a stem for every word token
// (STEM_SOME: capitalised words are not stemmed, as the index schema says).
std::size_t analyze_all(const std::vector<File>& files, const an::Tagger* tagger) {
  an::AnalyzeOptions opt;
  opt.tagger = tagger;
  an::Stemmer stemmer;
  std::size_t produced = 0;
  for (const auto& f : files) {
    an::Article a = an::analyze_article(f.bytes, f.path, f.id, opt);
    for (const auto& passage_tokens : a.tokens) {
      for (const auto& t : passage_tokens) {
        if (t.capitalised || t.kind == an::Token::Kind::compound) {
          produced += t.term.size();
        } else {
          produced += stemmer.stem(t.term).size();
        }
      }
    }
    produced += a.mentions.size();
  }
  return produced;
}

// Work of the tag-only modes: the tagger alone over articles analysed without it.
std::size_t tag_all(const std::vector<an::Article>& articles, const an::Tagger& tagger) {
  std::size_t produced = 0;
  for (const auto& a : articles) {
    if (!a.ok()) continue;
    for (const auto& m : tagger.tag(a.text, a.passages, a.tokens)) produced += 1 + m.surface.size();
  }
  return produced;
}

// Work of the tokenize modes: every passage tokenised as analyze_article() does.
// (Not inlined, so that a profiler can count it alone.)
template <class Tokenize>
[[gnu::noinline]] std::size_t tokenize_all(const std::vector<an::Article>& articles, Tokenize tokenize) {
  std::size_t produced = 0;
  for (const auto& a : articles) {
    const std::string_view text = a.text;
    for (const auto& p : a.passages) {
      an::TokenizeOptions t;
      t.base = p.start;
      for (const auto& tok : tokenize(text.substr(p.start, p.end - p.start), t)) produced += 1 + tok.term.size();
    }
  }
  return produced;
}

bool same_tokens(const std::vector<an::Token>& a, const std::vector<an::Token>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i].term != b[i].term || a[i].start != b[i].start || a[i].end != b[i].end ||
        a[i].position != b[i].position || a[i].kind != b[i].kind || a[i].capitalised != b[i].capitalised) {
      return false;
    }
  }
  return true;
}

// tokenize() against tokenize_icu() over every passage and every raw file;
// returns the number of texts that differ.
std::size_t check_tokenize(const std::vector<File>& files, const std::vector<an::Article>& articles) {
  std::size_t texts = 0, scanned = 0, mismatches = 0;
  auto compare = [&](std::string_view text, const an::TokenizeOptions& t, const std::string& where) {
    ++texts;
    if (an::scans_without_icu(text)) ++scanned;
    if (!same_tokens(an::tokenize(text, t), an::tokenize_icu(text, t))) {
      ++mismatches;
      std::cerr << "tokenize-check: mismatch in " << where << "\n";
    }
  };
  for (std::size_t i = 0; i < files.size(); ++i) {
    compare(files[i].bytes, {}, files[i].id);
    const an::Article& a = articles[i];
    const std::string_view text = a.text;
    for (const auto& p : a.passages) {
      an::TokenizeOptions t;
      t.base = p.start;
      compare(text.substr(p.start, p.end - p.start), t, files[i].id + " passage " + std::to_string(p.ordinal));
    }
  }
  std::cerr << "tokenize-check: " << files.size() << " files, " << texts << " texts (raw files and passages), "
            << scanned << " through the scanner, " << mismatches << " mismatches\n";
  return mismatches;
}

std::size_t termgen_all(const std::vector<File>& files) {
  Xapian::TermGenerator tg;
  tg.set_stemmer(Xapian::Stem("english"));
  tg.set_stemming_strategy(Xapian::TermGenerator::STEM_SOME);
  std::size_t produced = 0;
  for (const auto& f : files) {
    Xapian::Document doc;
    tg.set_document(doc);
    tg.index_text(f.bytes);
    produced += doc.termlist_count();
  }
  return produced;
}

double thread_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::string cur;
  std::istringstream in(s);
  while (std::getline(in, cur, sep)) {
    if (!cur.empty()) out.push_back(cur);
  }
  return out;
}

int usage() {
  std::cerr << "usage: analyze_bench [--modes termgen,lipsteeth,tagger,tagger-big,tag-only,tag-only-big,"
               "tokenize,tokenize-icu,tokenize-check] "
               "[--gazetteer TSV] [--big-gazetteer TSV] DIR\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) try {
  std::string modes_arg = "termgen,lipsteeth,tagger,tagger-big";
  std::string gazetteer_path = an::Gazetteer::default_path();
  std::string big_gazetteer_path;
  std::string dir;
  int repeat = 3;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) throw lipsteeth::UsageError(a + " needs a value");
      return argv[++i];
    };
    if (a == "--modes") modes_arg = next();
    else if (a == "--gazetteer") gazetteer_path = next();
    else if (a == "--big-gazetteer") big_gazetteer_path = next();
    else if (a == "--repeat") repeat = std::max(1, std::stoi(next()));
    else if (!a.empty() && a[0] == '-') return usage();
    else dir = a;
  }
  if (dir.empty()) return usage();

  std::vector<File> files = load_corpus(dir);
  std::size_t total = 0;
  for (const auto& f : files) total += f.bytes.size();

  std::unique_ptr<an::Gazetteer> gaz, big_gaz;
  std::unique_ptr<an::Tagger> tagger, big_tagger;

  std::vector<an::Article> analysed;  // for the tag-only modes
  struct ModeRun {
    std::string mode;
    const an::Tagger* tagger = nullptr;
    bool tag_only = false;
    bool needs_articles = false;
    std::size_t actors = 0, produced = 0;
    std::vector<double> cpu, wall;
  };
  std::vector<ModeRun> runs;
  for (const auto& mode : split(modes_arg, ',')) {
    ModeRun r;
    r.mode = mode;
    r.tag_only = mode == "tag-only" || mode == "tag-only-big";
    r.needs_articles = r.tag_only || mode == "tokenize" || mode == "tokenize-icu" || mode == "tokenize-check";
    if (mode == "tagger" || mode == "tag-only") {
      if (!tagger) {
        gaz = std::make_unique<an::Gazetteer>(an::Gazetteer::load(gazetteer_path));
        tagger = std::make_unique<an::Tagger>(*gaz);
      }
      r.tagger = tagger.get();
      r.actors = gaz->actors().size();
    } else if (mode == "tagger-big" || mode == "tag-only-big") {
      if (big_gazetteer_path.empty()) throw lipsteeth::UsageError(mode + " needs --big-gazetteer");
      if (!big_tagger) {
        big_gaz = std::make_unique<an::Gazetteer>(an::Gazetteer::load(big_gazetteer_path));
        big_tagger = std::make_unique<an::Tagger>(*big_gaz);
      }
      r.tagger = big_tagger.get();
      r.actors = big_gaz->actors().size();
    } else if (mode != "termgen" && mode != "lipsteeth" && !r.needs_articles) {
      throw lipsteeth::UsageError("unknown mode '" + mode + "'");
    }
    if (r.needs_articles && analysed.empty()) {
      an::AnalyzeOptions opt;
      analysed.reserve(files.size());
      for (const auto& f : files) analysed.push_back(an::analyze_article(f.bytes, f.path, f.id, opt));
    }
    runs.push_back(std::move(r));
  }
  for (int round = 0; round < repeat; ++round) {
    for (auto& r : runs) {
      auto t0 = std::chrono::steady_clock::now();
      double c0 = thread_cpu_seconds();
      if (r.mode == "termgen") {
        r.produced = termgen_all(files);
      } else if (r.tag_only) {
        r.produced = tag_all(analysed, *r.tagger);
      } else if (r.mode == "tokenize") {
        r.produced = tokenize_all(analysed, [](std::string_view s, const an::TokenizeOptions& t) {
          return an::tokenize(s, t);
        });
      } else if (r.mode == "tokenize-icu") {
        r.produced = tokenize_all(analysed, [](std::string_view s, const an::TokenizeOptions& t) {
          return an::tokenize_icu(s, t);
        });
      } else if (r.mode == "tokenize-check") {
        r.produced = check_tokenize(files, analysed);
      } else {
        r.produced = analyze_all(files, r.tagger);
      }
      r.cpu.push_back(thread_cpu_seconds() - c0);
      r.wall.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    }
  }
  std::cout << "mode\tfiles\tbytes\tcpu_s\tmb_per_cpu_s\twall_s\tmb_per_wall_s\tproduced\tactors\tcpu_rounds\n";
  for (const auto& r : runs) {
    double cpu = *std::min_element(r.cpu.begin(), r.cpu.end());
    double wall = *std::min_element(r.wall.begin(), r.wall.end());
    std::string rounds;
    for (double s : r.cpu) rounds += (rounds.empty() ? "" : ",") + std::to_string(s);
    std::printf("%s\t%zu\t%zu\t%.3f\t%.2f\t%.3f\t%.2f\t%zu\t%zu\t%s\n", r.mode.c_str(), files.size(),
                total, cpu, total / 1e6 / cpu, wall, total / 1e6 / wall, r.produced, r.actors,
                rounds.c_str());
  }
  return 0;
} catch (const lipsteeth::UsageError& e) {
  std::cerr << "analyze_bench: " << e.what() << "\n";
  return 2;
} catch (const lipsteeth::Error& e) {
  std::cerr << "analyze_bench: " << e.what() << "\n";
  return 1;
} catch (const Xapian::Error& e) {
  std::cerr << "analyze_bench: " << e.get_description() << "\n";
  return 1;
}
