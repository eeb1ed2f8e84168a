// fold_bench: the tokenizer's diacritic stripping against ICU's
// Transliterator, on the words that need it.
//
//   fold_bench [--repeat N] [--accented] DIR
//
// Reads every regular file under DIR (hidden ones excepted), tokenizes it,
// and keeps the surface form of each word that has a non-ASCII byte (the
// words the tokenizer folds through ICU; ASCII words never reach the
// diacritic step); with --accented, only those with a letter of U+00C0 to
// U+024F (a UTF-8 lead byte 0xC3 to 0xC9: accented Latin letters, the
// words the step changes). Then, N rounds (default 5), modes interleaved, the best
// round of each counting, in this thread's CPU time:
//   fold_term       analyzers::fold_term(word): the whole fold as indexed
//                   (NFKC case fold, Latin diacritics stripped by hand from
//                   the NFD decomposition, apostrophes, possessive 's)
//   casefold        ICU NFKC_Casefold alone, the step both ways share
//   casefold+translit  the same, then the ICU Transliterator
//                   "::[:Latin:] NFD; ::[:Nonspacing Mark:] Remove; ::NFC;"
// Prints one TSV line per mode: mode, words, best CPU seconds, ns per word,
// and then how many words the transliterated form differs from fold_term's
// (apostrophes and possessives aside), with up to 5 examples on stderr.
#include <time.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <unicode/normalizer2.h>
#include <unicode/translit.h>
#include <unicode/unistr.h>

#include "analyzers/tokenizer.h"

namespace fs = std::filesystem;
namespace an = lipsteeth::analyzers;

namespace {

double cpu_now() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

std::vector<std::string> non_ascii_words(const fs::path& dir, bool accented) {
  std::vector<std::string> words;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (!e.is_regular_file() || e.path().filename().string().rfind('.', 0) == 0) continue;
    std::ifstream in(e.path(), std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    const std::string text = ss.str();
    for (const an::Token& t : an::tokenize(text)) {
      if (t.kind == an::Token::Kind::compound) continue;
      const std::string w = text.substr(t.start, t.end - t.start);
      for (unsigned char c : w)
        if (accented ? c >= 0xC3 && c <= 0xC9 : c >= 0x80) {
          words.push_back(w);
          break;
        }
    }
  }
  return words;
}

}  // namespace

int main(int argc, char** argv) {
  int repeat = 5;
  bool accented = false;
  std::string dir;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--repeat" && i + 1 < argc) {
      repeat = std::stoi(argv[++i]);
    } else if (a == "--accented") {
      accented = true;
    } else {
      dir = a;
    }
  }
  if (dir.empty()) {
    std::cerr << "usage: fold_bench [--repeat N] [--accented] DIR\n";
    return 2;
  }
  const std::vector<std::string> words = non_ascii_words(dir, accented);
  if (words.empty()) {
    std::cerr << "fold_bench: no non-ASCII words under " << dir << "\n";
    return 1;
  }
  UErrorCode ec = U_ZERO_ERROR;
  const icu::Normalizer2* casefold = icu::Normalizer2::getNFKCCasefoldInstance(ec);
  std::unique_ptr<icu::Transliterator> strip(icu::Transliterator::createInstance(
      "[:Latin:] NFD; [:Nonspacing Mark:] Remove; NFC", UTRANS_FORWARD, ec));
  if (U_FAILURE(ec) || !strip) {
    std::cerr << "fold_bench: ICU: " << u_errorName(ec) << "\n";
    return 1;
  }
  auto translit = [&](const std::string& w, bool with_translit) {
    UErrorCode e = U_ZERO_ERROR;
    icu::UnicodeString s = casefold->normalize(icu::UnicodeString::fromUTF8(w), e);
    if (with_translit) strip->transliterate(s);
    std::string out;
    return s.toUTF8String(out);
  };
  const char* modes[] = {"fold_term", "casefold", "casefold+translit"};
  double best[3] = {1e9, 1e9, 1e9};
  std::size_t produced = 0;
  for (int r = 0; r < repeat; ++r)
    for (int m = 0; m < 3; ++m) {
      const double t0 = cpu_now();
      for (const auto& w : words) produced += m == 0 ? an::fold_term(w).size() : translit(w, m == 2).size();
      best[m] = std::min(best[m], cpu_now() - t0);
    }
  for (int m = 0; m < 3; ++m)
    std::cout << modes[m] << '\t' << words.size() << '\t' << best[m] << '\t'
              << best[m] * 1e9 / static_cast<double>(words.size()) << '\n';
  std::size_t differ = 0, shown = 0;
  for (const auto& w : words) {
    std::string t = translit(w, true), f = an::fold_term(w);
    for (auto* s : {&t, &f}) {
      std::string k;
      for (std::size_t i = 0; i < s->size(); ++i) {
        // Apostrophes (typographic ones too) are the fold's own rules.
        if ((*s)[i] == '\'') continue;
        if (s->compare(i, 3, "\xE2\x80\x99") == 0) {
          i += 2;
          continue;
        }
        k += (*s)[i];
      }
      *s = k;
    }
    if (t.size() > f.size() && t.compare(0, f.size(), f) == 0 && t.substr(f.size()) == "s") t = f;
    if (t != f) {
      ++differ;
      if (shown++ < 5) std::cerr << w << "\tfold_term " << f << "\ttranslit " << t << '\n';
    }
  }
  std::cout << "differ\t" << differ << '\t' << produced << '\n';
  return 0;
}
