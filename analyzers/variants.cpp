// Romanisation variants and derived short forms (variants.h).
//
// The rules work on ASCII words: a name with other letters (Kim Jong-ŭn,
// P'yŏngyang) needs no rule for its marks, since the tagger folds diacritics
// and apostrophes away. A rule applies only to a word that splits wholly into
// syllables of the romanisation it belongs to, so that "Korea", "North" or
// "Party" never get Korean spellings and English words never meet pinyin.
#include "analyzers/variants.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstring>
#include <string>

namespace lipsteeth::analyzers {
namespace {

bool ascii_letters(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!std::isalpha(static_cast<unsigned char>(c)) && c != '\'') return false;
  return true;
}

// Whether `w` (lower case, apostrophes dropped) splits into syllables made of
// an onset, a nucleus and a coda from the given lists (each may be empty).
template <std::size_t O, std::size_t N, std::size_t C>
bool splits(const std::string& w, const std::array<const char*, O>& onsets, const std::array<const char*, N>& nuclei,
            const std::array<const char*, C>& codas) {
  std::vector<char> ok(w.size() + 1, 0);
  ok[0] = 1;
  for (std::size_t i = 0; i < w.size(); ++i) {
    if (!ok[i]) continue;
    for (const char* on : onsets) {
      std::size_t a = i + std::strlen(on);
      if (a > w.size() || w.compare(i, a - i, on) != 0) continue;
      for (const char* nu : nuclei) {
        std::size_t b = a + std::strlen(nu);
        if (b > w.size() || w.compare(a, b - a, nu) != 0) continue;
        for (const char* co : codas) {
          std::size_t c = b + std::strlen(co);
          if (c <= w.size() && w.compare(b, c - b, co) == 0) ok[c] = 1;
        }
      }
    }
  }
  return ok[w.size()];
}

std::string no_apostrophes(std::string_view s) {
  std::string out;
  for (char c : s)
    if (c != '\'') out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Keeps the case of the original's first letter (the tagger compares case
// only where an alias is capitalised).
std::string recase(std::string_view original, std::string w) {
  if (!original.empty() && !w.empty() && std::isupper(static_cast<unsigned char>(original.front())))
    w[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(w[0])));
  return w;
}

void replace_all(std::string& s, std::string_view from, std::string_view to) {
  for (std::size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size()))
    s.replace(at, from.size(), to);
}

// One step of each Korean rule applied to `w` (lower case), into `out`.
void korean_steps(const std::string& w, std::vector<std::string>& out) {
  auto add = [&](std::string v) {
    if (v != w && !v.empty()) out.push_back(std::move(v));
  };
  {  // ong / ung: Jong / Jung, Il-sung / Il-song (MR sŏng without its mark)
    std::string v = w;
    if (v.find("ong") != std::string::npos) replace_all(v, "ong", "ung");
    else if (v.find("ung") != std::string::npos) replace_all(v, "ung", "ong");
    add(v);
  }
  if (w.ends_with("eun")) add(w.substr(0, w.size() - 3) + "un");
  else if (w.ends_with("un")) add(w.substr(0, w.size() - 2) + "eun");
  if (w.ends_with("ill")) add(w.substr(0, w.size() - 1));
  else if (w.ends_with("il")) add(w + "l");
  {  // eo (Revised Romanization) / o (McCune-Reischauer's ŏ without its mark)
    std::string v = w;
    if (v.find("eo") != std::string::npos) {
      replace_all(v, "eo", "o");
    } else {
      std::string t;
      for (std::size_t i = 0; i < v.size(); ++i) {
        bool lone_o = v[i] == 'o' && (i + 1 >= v.size() || v[i + 1] != 'o') && (i == 0 || v[i - 1] != 'o');
        t += lone_o ? std::string("eo") : std::string(1, v[i]);
      }
      v = t;
    }
    add(v);
  }
  // Initial consonants: voiced in Revised Romanization, voiceless in McCune-Reischauer.
  static const std::pair<const char*, const char*> kInitials[] = {
      {"g", "k"}, {"k", "g"}, {"d", "t"}, {"t", "d"}, {"b", "p"}, {"p", "b"}, {"j", "ch"}, {"ch", "j"}};
  for (auto [from, to] : kInitials)
    if (w.starts_with(from) && !(std::string_view(from) == "k" && w.starts_with("kk"))) {
      add(to + w.substr(std::strlen(from)));
      break;
    }
  if (w.starts_with("ny")) add(w.substr(1));
  else if (w.starts_with("yo")) add("n" + w);
}

const std::array<const char*, 22> kKoOnsets = {"", "g", "k", "kk", "n", "d", "t", "tt", "r", "l", "m", "b", "p",
                                               "pp", "s", "ss", "sh", "j", "jj", "ch", "h", "c"};
const std::array<const char*, 27> kKoNuclei = {"yae", "yeo", "wae", "ae", "ya", "eo", "ye", "wa", "oe", "yo", "wo", "we", "wi",
                                               "yu", "eu", "ui", "oo", "ee", "ea", "a", "e", "o", "u", "i", "w", "y", "ay"};
const std::array<const char*, 9> kKoCodas = {"", "k", "n", "ng", "l", "m", "p", "t", "h"};

const std::array<const char*, 24> kPyInitials = {"", "b", "p", "m", "f", "d", "t", "n", "l", "g", "k", "h",
                                                 "j", "q", "x", "zh", "ch", "sh", "r", "z", "c", "s", "y", "w"};
const std::array<const char*, 35> kPyFinals = {"iang", "iong", "uang", "ueng", "ang", "eng", "ong", "ing", "iao", "ian", "uai",
                                               "uan", "ai", "ei", "ao", "ou", "an", "en", "er", "ia", "ie", "iu", "in",
                                               "ua", "uo", "ui", "un", "ue", "a", "o", "e", "i", "u", "v", "ve"};
const std::array<const char*, 1> kNoCoda = {""};

// Whether an initial and a final make a pinyin syllable: j, q, x take only
// finals in i or u (ü); g, k, h, the retroflexes and the sibilants take none
// in i but the bare i after zh, ch, sh, r, z, c, s ("zhi", "si").
bool pinyin_pair(std::string_view in, std::string_view fi) {
  bool i_final = !fi.empty() && fi.front() == 'i';
  if (in == "j" || in == "q" || in == "x") return i_final || fi.front() == 'u' || fi.front() == 'v';
  if (in == "g" || in == "k" || in == "h") return !i_final;
  if (in == "zh" || in == "ch" || in == "sh" || in == "r" || in == "z" || in == "c" || in == "s") return !i_final || fi == "i";
  return true;
}

// The pinyin syllables of `w`, longest first at each step; empty if none.
std::vector<std::pair<std::string, std::string>> pinyin_syllables(const std::string& w) {
  std::vector<std::pair<std::string, std::string>> out;
  std::size_t i = 0;
  while (i < w.size()) {
    std::size_t best = 0;
    std::pair<std::string, std::string> pick;
    for (const char* in : kPyInitials) {
      std::size_t a = i + std::strlen(in);
      if (a > w.size() || w.compare(i, a - i, in) != 0) continue;
      for (const char* fi : kPyFinals) {
        std::size_t b = a + std::strlen(fi);
        if (b > w.size() || w.compare(a, b - a, fi) != 0 || b - i <= best) continue;
        if (!pinyin_pair(in, fi)) continue;
        // The rest must split too (e.g. "xian" + "g" cannot end a word).
        if (b != w.size() && !splits(w.substr(b), kPyInitials, kPyFinals, kNoCoda)) continue;
        best = b - i;
        pick = {in, fi};
      }
    }
    if (best == 0) return {};
    out.push_back(pick);
    i += best;
  }
  return out;
}

// The Wade-Giles spelling of a pinyin word (syllables hyphenated, as in
// "Tse-tung"); "" when `w` is not pinyin.
std::string wade_giles(const std::string& w) {
  static const std::pair<const char*, const char*> kInit[] = {
      {"b", "p"}, {"p", "p'"}, {"d", "t"}, {"t", "t'"}, {"g", "k"}, {"k", "k'"}, {"zh", "ch"}, {"ch", "ch'"},
      {"j", "ch"}, {"q", "ch'"}, {"x", "hs"}, {"z", "ts"}, {"c", "ts'"}, {"r", "j"}};
  std::string out;
  for (const auto& [in, fi] : pinyin_syllables(w)) {
    std::string init = in, fin = fi;
    for (auto [from, to] : kInit)
      if (in == from) init = to;
    if (fin == "ong") fin = "ung";
    else if (fin == "iong") fin = "iung";
    else if (fin == "ian") fin = "ien";
    else if (fin == "ie") fin = "ieh";
    else if (fin == "uo" && !in.empty() && in != "g" && in != "k" && in != "h" && in != "sh") fin = "o";
    else if (fin == "i" && (in == "z" || in == "c" || in == "s")) fin = "u";
    else if (fin == "i" && (in == "zh" || in == "ch" || in == "sh" || in == "r")) fin = "ih";
    if (!out.empty()) out += '-';
    out += init + fin;
  }
  return out;
}

// Words and the separators between them ("Kim Jong-un" -> Kim, " ", Jong, "-", un).
struct NamePiece {
  std::string text;
  bool word;
};
std::vector<NamePiece> pieces_of(std::string_view s) {
  std::vector<NamePiece> out;
  std::size_t i = 0;
  while (i < s.size()) {
    bool w = s[i] != ' ' && s[i] != '-';
    std::size_t j = i;
    while (j < s.size() && (s[j] != ' ' && s[j] != '-') == w) ++j;
    out.push_back({std::string(s.substr(i, j - i)), w});
    i = j;
  }
  return out;
}

}  // namespace

bool korean_shaped(std::string_view word) {
  return ascii_letters(word) && splits(no_apostrophes(word), kKoOnsets, kKoNuclei, kKoCodas);
}

bool pinyin_shaped(std::string_view word) { return ascii_letters(word) && !pinyin_syllables(no_apostrophes(word)).empty(); }

std::vector<std::string> romanisation_variants(std::string_view alias, std::string_view type, std::size_t max) {
  std::vector<std::string> out;
  std::vector<NamePiece> pieces = pieces_of(alias);
  std::size_t words = std::count_if(pieces.begin(), pieces.end(), [](const NamePiece& p) { return p.word; });
  auto emit = [&](const std::vector<NamePiece>& ps) {
    std::string s;
    for (const NamePiece& p : ps) s += p.text;
    if (s != alias && std::find(out.begin(), out.end(), s) == out.end() && out.size() < max) out.push_back(std::move(s));
  };
  // Korean: each word's variants one word at a time, then the first two
  // rules' results combined across words ("Kim Jung-eun").
  // A person's name gets Korean spellings only when every word is Korean
  // ("Kim Jong-un", not "Jake Sullivan"); other names word by word
  // ("Kaesong Industrial Complex").
  bool korean_name = std::all_of(pieces.begin(), pieces.end(), [](const NamePiece& p) { return !p.word || korean_shaped(p.text); });
  std::vector<std::vector<std::string>> alts(pieces.size());
  for (std::size_t i = 0; i < pieces.size(); ++i) {
    if (type == "person" && !korean_name) break;
    if (!pieces[i].word || !korean_shaped(pieces[i].text)) continue;
    std::string w = no_apostrophes(pieces[i].text);
    std::vector<std::string> one;
    korean_steps(w, one);
    std::vector<std::string> two;
    for (const std::string& v : one) korean_steps(v, two);
    for (auto* list : {&one, &two})
      for (std::string& v : *list)
        if (v != w && std::find(alts[i].begin(), alts[i].end(), v) == alts[i].end()) alts[i].push_back(recase(pieces[i].text, v));
  }
  for (std::size_t i = 0; i < pieces.size(); ++i)
    for (std::size_t k = 0; k < alts[i].size() && k < 6; ++k) {
      std::vector<NamePiece> ps = pieces;
      ps[i].text = alts[i][k];
      emit(ps);
    }
  for (std::size_t i = 0; i < pieces.size(); ++i)
    for (std::size_t j = i + 1; j < pieces.size(); ++j)
      for (std::size_t a = 0; a < alts[i].size() && a < 2; ++a)
        for (std::size_t b = 0; b < alts[j].size() && b < 2; ++b) {
          std::vector<NamePiece> ps = pieces;
          ps[i].text = alts[i][a];
          ps[j].text = alts[j][b];
          emit(ps);
        }
  // Chinese: the Wade-Giles form of a pinyin name of two or three words
  // (or a one-word place), every word pinyin.
  bool chinese_type = type == "person" || type == "place" || type == "state";
  if (chinese_type && words >= 1 && words <= 3 && (words >= 2 || type == "place")) {
    std::vector<NamePiece> ps = pieces;
    bool all = true;
    for (NamePiece& p : ps) {
      if (!p.word) continue;
      std::string wg = ascii_letters(p.text) ? wade_giles(no_apostrophes(p.text)) : "";
      if (wg.empty()) {
        all = false;
        break;
      }
      p.text = recase(p.text, wg);
    }
    if (all) emit(ps);
  }
  return out;
}

std::vector<std::string> derived_short_forms(std::string_view name) {
  std::vector<std::string> spaced;  // words at spaces ("Jong-un" is one)
  std::size_t from = 0;
  while (from < name.size()) {
    std::size_t sp = name.find(' ', from);
    std::string_view w = name.substr(from, sp == std::string_view::npos ? name.npos : sp - from);
    if (!w.empty()) spaced.emplace_back(w);
    if (sp == std::string_view::npos) break;
    from = sp + 1;
  }
  while (!spaced.empty() && (spaced.back() == "Jr." || spaced.back() == "Sr." || spaced.back() == "II" || spaced.back() == "III"))
    spaced.pop_back();
  if (spaced.size() < 2) return {};
  for (const std::string& w : spaced)
    if (!std::isupper(static_cast<unsigned char>(w.front())) || w.find('(') != std::string::npos) return {};
  // Initials ("George W. Bush", "H.R. McMaster") are no surname.
  std::erase_if(spaced, [](const std::string& w) { return w.find('.') != std::string::npos; });
  if (spaced.empty()) return {};
  if (spaced.size() == 1) return {spaced.front()};
  auto asian = [](const std::string& w) {
    std::string bare;
    for (char c : w)
      if (c != '-') bare += c;
    return korean_shaped(bare) || pinyin_shaped(bare);
  };
  // A hyphenated Korean or Chinese given name after the first word: that
  // word is the surname, whatever its spelling ("Park Sung-hoon").
  bool hyphen_given = spaced.size() >= 2 && spaced.size() <= 3 && spaced[1].find('-') != std::string::npos &&
                      asian(spaced[1]);
  bool all_korean = std::all_of(spaced.begin(), spaced.end(), [](const std::string& w) { return korean_shaped(w); });
  bool all_asian = std::all_of(spaced.begin(), spaced.end(), asian);
  std::vector<std::string> out;
  if (hyphen_given || (spaced.size() == 3 && all_asian && asian(spaced.front()))) {
    out.push_back(spaced.front());
  } else if (spaced.size() == 2 && all_korean) {
    out.push_back(spaced.front());  // "Moon Jae", or given name first ("Sung Kim")
    out.push_back(spaced.back());
  } else if (spaced.size() == 2 && all_asian) {
    out.push_back(spaced.front());  // "Xi Jinping": Chinese names keep the surname first
  } else {
    out.push_back(spaced.back());
  }
  return out;
}

}  // namespace lipsteeth::analyzers
