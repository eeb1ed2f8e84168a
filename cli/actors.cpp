// `lipsteeth actors`: the actor gazetteer; with --db, the actors of an index
// with passage counts by year; with --discover DIR, names in a folder of
// articles that look like actors but are not in the gazetteer; with --report
// DIR, the entity-quality report an analyst reviews to grow the gazetteer.
// Format of the gazetteer: docs/gazetteer.md.
#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <xapian.h>

#include "analyzers/article.h"
#include "analyzers/entities.h"
#include "analyzers/error.h"
#include "analyzers/passages.h"
#include "analyzers/schema.h"
#include "analyzers/tokenizer.h"
#include "cli/actors_trend.h"
#include "cli/common.h"

namespace lipsteeth::cli {
namespace {

using analyzers::Gazetteer;
using Json = nlohmann::ordered_json;

struct ActorsArgs {
  bool json = false;
  std::string actors;    // gazetteer file; "" = the default one (or the index's)
  std::string db;        // index directory; "" = list the gazetteer
  std::string discover;  // folder of articles to look for unknown names
  std::string report;    // folder of articles to report entity quality on
  std::size_t min_count = 1;
  std::size_t limit = 0;  // 0 = all
};

Gazetteer load_gazetteer(const std::string& path) {
  if (!path.empty()) return Gazetteer::load(path);
  return Gazetteer::load(Gazetteer::require_default_path());
}

std::string join(const std::vector<std::string>& v, std::string_view sep) {
  std::string out;
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (i) out += sep;
    out += v[i];
  }
  return out;
}

// ------------------------------------------------------------ the gazetteer

int list_gazetteer(const ActorsArgs& args) {
  Gazetteer g = load_gazetteer(args.actors);
  if (args.json) {
    Json arr = Json::array();
    for (const auto& a : g.actors()) {
      Json j{{"id", a.id}, {"name", a.name}, {"type", a.type}, {"aliases", a.aliases}};
      if (!a.short_forms.empty()) j["short_forms"] = a.short_forms;
      if (!a.capital_of.empty()) j["capital_of"] = a.capital_of;
      arr.push_back(std::move(j));
    }
    out(arr.dump(2) + "\n");
    return kOk;
  }
  for (const auto& a : g.actors()) {
    std::vector<std::string> rest(a.aliases.begin() + 1, a.aliases.end());
    std::string line = fmt::format("{:<32} {:<12} {}", a.id, a.type, a.name);
    if (!rest.empty()) line += "  (" + join(rest, ", ") + ")";
    if (!a.short_forms.empty()) line += "  short: " + join(a.short_forms, ", ");
    if (!a.capital_of.empty()) line += "  capital of " + a.capital_of;
    out(line + "\n");
  }
  return kOk;
}

// --------------------------------------------------------------- the index

int list_index(const ActorsArgs& args) {
  namespace fs = std::filesystem;
  std::string stub = schema::stub_path(args.db);
  std::error_code ec;
  if (!fs::exists(stub, ec))
    throw IndexMissingError(fmt::format("no index at '{}': build one with `lipsteeth index DIR --db {}`", args.db, args.db));
  Xapian::Database db(stub);
  std::string version = db.get_metadata(schema::kMetaSchema);
  if (version != schema::kSchemaVersion)
    throw IndexMissingError(fmt::format("index '{}' has schema version '{}', this lipsteeth reads '{}': rebuild it with --rebuild",
                                        args.db, version, schema::kSchemaVersion));
  // The gazetteer the index was built with, unless the user names another.
  std::string stored = db.get_metadata(schema::kMetaGazetteer);
  Gazetteer g = !args.actors.empty() || stored.empty() ? load_gazetteer(args.actors)
                                                       : Gazetteer::parse(stored, args.db + " (stored gazetteer)");
  struct Row {
    std::string id;
    const analyzers::Actor* actor = nullptr;
    Xapian::doccount passages = 0;
    Xapian::termcount mentions = 0;
    std::map<int, Xapian::doccount> years;  // 0 = unknown year
  };
  std::vector<Row> rows;
  const std::string prefix = schema::kActorPrefix;
  for (auto t = db.allterms_begin(prefix); t != db.allterms_end(prefix); ++t) {
    Row r;
    r.id = (*t).substr(prefix.size());
    r.actor = g.find_id(r.id);
    for (auto p = db.postlist_begin(*t); p != db.postlist_end(*t); ++p) {
      ++r.passages;
      r.mentions += p.get_wdf();
      std::string v = db.get_document(*p).get_value(schema::kValueYear);
      int year = v.empty() ? 0 : static_cast<int>(Xapian::sortable_unserialise(v));
      ++r.years[year];
    }
    rows.push_back(std::move(r));
  }
  std::stable_sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) { return a.passages > b.passages; });
  if (args.json) {
    Json arr = Json::array();
    for (const Row& r : rows) {
      Json years = Json::object();
      for (const auto& [y, n] : r.years)
        if (y) years[std::to_string(y)] = n;
      if (r.years.count(0)) years["unknown"] = r.years.at(0);
      arr.push_back(Json{{"id", r.id},
                         {"name", r.actor ? r.actor->name : r.id},
                         {"type", r.actor ? r.actor->type : ""},
                         {"passages", r.passages},
                         {"mentions", r.mentions},
                         {"years", std::move(years)}});
    }
    out(arr.dump(2) + "\n");
    return kOk;
  }
  for (const Row& r : rows) {
    std::string years;
    for (const auto& [y, n] : r.years)
      if (y) years += fmt::format(" {}:{}", y, n);
    if (r.years.count(0)) years += fmt::format(" unknown:{}", r.years.at(0));
    out(fmt::format("{:<32} {:<32} {:>7} passages {:>7} mentions  years{}\n", r.id, r.actor ? r.actor->name : "(not in gazetteer)",
                    r.passages, r.mentions, years));
  }
  return kOk;
}

// ------------------------------------------------------------ --discover

// Family names that open Korean and Chinese personal names as English texts
// write them (surname first): "Ri Song Choi", "Meng Hongwei".
// Built on first use: a static set would be built at every start of the
// program, whatever the subcommand.
const std::unordered_set<std::string_view>& korean_surnames() {
  static const std::unordered_set<std::string_view> words{
    "kim", "ri",  "lee",  "yi",   "pak", "park", "choe", "choi", "jang", "chang", "kang", "jo",  "cho",   "hwang",
    "hyon", "o",  "yun",  "yoon", "moon", "mun", "han",  "ji",   "ju",   "song",  "thae", "jon", "jong",  "ryu",
    "rim", "im",  "kwon", "chung", "jung", "roh", "noh",  "shin", "sin",  "yang",  "an",   "ahn", "ko",    "paek",
    "baek", "chon", "chun", "ryang", "ro", "nam", "hong", "so",   "suh",  "seo",   "yu",   "yoo", "ban",   "ok"};
  return words;
}
const std::unordered_set<std::string_view>& chinese_surnames() {
  static const std::unordered_set<std::string_view> words{
    "wang", "li",  "zhang", "liu",  "chen", "yang", "huang", "zhao", "wu",   "zhou", "xu",   "sun", "ma",   "zhu",
    "hu",   "guo", "he",    "gao",  "lin",  "luo",  "zheng", "liang", "xie", "song", "tang", "han", "feng", "deng",
    "cao",  "peng", "zeng", "xiao", "tian", "dong", "pan",   "yuan", "cai",  "jiang", "yu",  "du",  "ye",   "cheng",
    "wei",  "su",  "lu",    "ding", "ren",  "shen", "yao",   "jin",  "qi",   "meng", "xing", "dai", "qin",  "kong",
    "bo",   "jia", "shi",   "yan",  "qian", "geng", "hua",   "hong", "fan",  "chang", "qiu", "fu",  "wen",  "xi",
    "mao",  "zhai", "kang", "lei",  "fang", "bai", "cui",   "mo",   "niu",  "hou",  "wan",  "gu",  "lai",  "tao"};
  return words;
}
// Words that begin sentences or name a role rather than someone, stripped from
// the edges of a capitalised run ("The", "President", "Chinese").
const std::unordered_set<std::string_view>& edge_words() {
  static const std::unordered_set<std::string_view> words{
    "the", "a", "an", "in", "on", "at", "of", "for", "to", "and", "but", "or", "as", "by", "with", "from", "this",
    "that", "these", "those", "it", "its", "he", "she", "they", "we", "i", "his", "her", "their", "our", "after",
    "before", "when", "while", "since", "although", "though", "if", "yet", "however", "moreover", "furthermore",
    "meanwhile", "thus", "so", "not", "no", "mr", "mrs", "ms", "dr", "prof", "president", "chairman", "minister",
    "vice", "deputy", "general", "secretary", "premier", "leader", "supreme", "marshal", "foreign", "prime",
    "ambassador", "envoy", "chinese", "korean", "japanese", "russian", "american", "north", "south", "east",
    "west", "according", "like", "last", "first", "next", "during", "under", "between", "about", "image", "source",
    "photo", "via", "see", "also", "both", "all", "some", "many", "most", "each", "every", "then", "there", "here",
    "what", "which", "who", "why", "how", "where", "january", "february", "march", "april", "may", "june", "july",
    "august", "september", "october", "november", "december", "monday", "tuesday", "wednesday", "thursday",
    "friday", "saturday", "sunday", "is", "was", "are", "were", "will", "would", "has", "had", "have", "do", "did"};
  return words;
}

bool is_pinyin_given(std::string_view surface) {
  // "Hongwei", "Jian": capitalised, then lower-case ASCII letters only.
  if (surface.size() < 2 || surface.size() > 9 || !(surface[0] >= 'A' && surface[0] <= 'Z')) return false;
  for (std::size_t i = 1; i < surface.size(); ++i)
    if (!(surface[i] >= 'a' && surface[i] <= 'z')) return false;
  return true;
}

struct Proposal {
  std::string name;
  std::string kind;  // korean-name | chinese-name | name
  std::size_t count = 0;
  std::set<std::string> files;
  std::string example;
  std::string file;
};

// Reads every article under `dir` and returns the untagged capitalised
// names that look like actors, most frequent first (at least
// args.min_count, at most args.limit). `each` sees every article analysed
// (with discovered actors when `with_discovered`). Counts unreadable and
// binary files in `skipped`.
std::vector<Proposal> scan(const ActorsArgs& args, const std::string& dir, const Gazetteer& g, bool with_discovered,
                           const std::function<void(const analyzers::Article&)>& each, std::size_t& skipped) {
  namespace fs = std::filesystem;
  std::error_code ec;
  analyzers::Tagger tagger(g);
  analyzers::AnalyzeOptions opts;
  opts.tagger = &tagger;
  opts.discover = with_discovered;
  std::vector<fs::path> files;
  for (auto it = fs::recursive_directory_iterator(dir, fs::directory_options::skip_permission_denied, ec);
       it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (ec) break;
    const fs::path& p = it->path();
    std::string name = p.filename().string();
    if (name.starts_with('.')) {
      if (it->is_directory()) it.disable_recursion_pending();
      continue;
    }
    if (it->is_regular_file() && name != "lipsteeth-meta.tsv") files.push_back(p);
  }
  std::sort(files.begin(), files.end());
  std::unordered_map<std::string, Proposal> found;
  for (const fs::path& p : files) {
    std::ifstream in(p, std::ios::binary);
    if (!in) {
      print_warning(fmt::format("skipping '{}': {}", p.string(), std::strerror(errno)));
      ++skipped;
      continue;
    }
    std::ostringstream ss;
    ss << in.rdbuf();
    std::string rel = fs::relative(p, dir, ec).string();
    analyzers::Article art = analyzers::analyze_article(ss.str(), p.string(), rel, opts);
    if (!art.ok()) {
      if (art.decoded.status != analyzers::DecodeStatus::empty) {  // binary, or a container it cannot read
        print_warning(fmt::format("skipping '{}': {}", p.string(), art.decoded.reason));
        ++skipped;
      }
      continue;
    }
    if (each) each(art);
    const std::string& text = art.text;
    std::vector<analyzers::Span> sentences = analyzers::split_sentences(text);
    // Bytes covered by a known actor's mention are not proposed.
    std::vector<std::pair<std::uint32_t, std::uint32_t>> known;
    for (const auto& m : art.mentions) known.emplace_back(m.start, m.end);
    std::size_t si = 0;
    auto sentence_of = [&](std::uint32_t at) -> analyzers::Span {
      while (si + 1 < sentences.size() && sentences[si].end <= at) ++si;
      return sentences.empty() ? analyzers::Span{0, static_cast<std::uint32_t>(text.size())} : sentences[si];
    };
    for (const auto& toks : art.tokens) {
      // Words and hyphen parts only, in order.
      std::vector<const analyzers::Token*> words;
      for (const auto& t : toks)
        if (t.kind != analyzers::Token::Kind::compound) words.push_back(&t);
      std::size_t i = 0;
      while (i < words.size()) {
        auto is_known = [&](const analyzers::Token* t) {
          // known is in text order and its ranges do not overlap.
          auto it = std::upper_bound(known.begin(), known.end(), t->start,
                                     [](std::uint32_t at, const auto& k) { return at < k.first; });
          return it != known.begin() && t->start < std::prev(it)->second;
        };
        auto capital_word = [&](const analyzers::Token* t) {
          unsigned char c = static_cast<unsigned char>(text[t->start]);
          return t->capitalised && !(c >= '0' && c <= '9');
        };
        if (!capital_word(words[i])) {
          ++i;
          continue;
        }
        auto possessive = [&](const analyzers::Token* t) {
          std::string_view w = std::string_view(text).substr(t->start, t->end - t->start);
          return w.ends_with("'s") || w.ends_with("\xE2\x80\x99s");
        };
        std::size_t j = i + 1;
        while (j < words.size() && capital_word(words[j]) && !possessive(words[j - 1])) {
          std::string_view gap = std::string_view(text).substr(words[j - 1]->end, words[j]->start - words[j - 1]->end);
          if (gap.find_first_not_of(" -'\xE2\x80\x99") != std::string_view::npos || gap.size() > 3) break;
          ++j;
        }
        std::size_t a = i, b = j;
        i = j;
        // Headings ("Reading Between the Lines") are runs of capitals, not
        // names: skip sentences most of whose words (known actors aside) are
        // capitalised.
        analyzers::Span sent = sentence_of(words[a]->start);
        std::size_t caps = 0, all = 0;
        for (const auto* w : words)
          if (w->start >= sent.start && w->end <= sent.end && !is_known(w)) {
            ++all;
            caps += w->capitalised;
          }
        if (all >= 3 && caps * 10 > all * 7) continue;
        // A known actor ends no name: "Vice Minister Meng Hongwei" is a title
        // before a known person.
        while (b > a && is_known(words[b - 1])) --b;
        while (a < b && edge_words().count(words[a]->term)) ++a;
        while (b > a && edge_words().count(words[b - 1]->term)) --b;
        if (b - a < 2) continue;
        // Known actors may open a new name ("Liaoning Provincial Party
        // Committee") but a run of known actors only is no proposal.
        bool all_known = true;
        for (std::size_t k = a; k < b && all_known; ++k) all_known = is_known(words[k]);
        if (all_known) continue;
        std::string name(std::string_view(text).substr(words[a]->start, words[b - 1]->end - words[a]->start));
        if (name.ends_with("'s")) name.resize(name.size() - 2);
        if (name.ends_with("\xE2\x80\x99s")) name.resize(name.size() - 4);
        if (g.find_alias(name)) continue;
        std::string kind = "name";
        std::string_view first = words[a]->term;
        if (korean_surnames().count(first) && b - a == 3 &&
            std::all_of(words.begin() + a + 1, words.begin() + b, [&](const analyzers::Token* w) { return w->end - w->start <= 6; }))
          kind = "korean-name";
        else if (chinese_surnames().count(first) && b - a == 2 &&
                 is_pinyin_given(std::string_view(text).substr(words[a + 1]->start, words[a + 1]->end - words[a + 1]->start)))
          kind = "chinese-name";
        std::string key;
        for (std::size_t k = a; k < b; ++k) key += words[k]->term + " ";
        Proposal& pr = found[key];
        if (pr.count == 0) {
          pr.name = name;
          pr.kind = kind;
          std::string_view s = std::string_view(text).substr(sent.start, sent.end - sent.start);
          while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.remove_suffix(1);
          pr.example = std::string(s.substr(0, 300));
          std::replace(pr.example.begin(), pr.example.end(), '\n', ' ');
          pr.file = rel;
        }
        ++pr.count;
        pr.files.insert(rel);
      }
    }
  }
  std::vector<Proposal> list;
  for (auto& [k, p] : found)
    if (p.count >= args.min_count) list.push_back(std::move(p));
  auto rank = [](const std::string& kind) { return kind == "name" ? 1 : 0; };
  std::sort(list.begin(), list.end(), [&](const Proposal& x, const Proposal& y) {
    if (x.count != y.count) return x.count > y.count;
    if (rank(x.kind) != rank(y.kind)) return rank(x.kind) < rank(y.kind);
    return x.name < y.name;
  });
  if (args.limit && list.size() > args.limit) list.resize(args.limit);
  return list;
}

int discover(const ActorsArgs& args) {
  std::error_code ec;
  if (!std::filesystem::is_directory(args.discover, ec))
    throw UsageError(fmt::format("--discover: '{}' is not a directory", args.discover));
  Gazetteer g = load_gazetteer(args.actors);
  std::size_t skipped = 0;
  std::vector<Proposal> list = scan(args, args.discover, g, false, {}, skipped);
  if (args.json) {
    Json arr = Json::array();
    for (const Proposal& p : list)
      arr.push_back(Json{{"name", p.name}, {"kind", p.kind}, {"count", p.count}, {"files", p.files.size()},
                         {"example", p.example}, {"file", p.file}});
    out(arr.dump(2) + "\n");
  } else {
    for (const Proposal& p : list)
      out(fmt::format("{:>5}  {:<12} {}\n       {}: {}\n", p.count, p.kind, p.name, p.file, p.example));
  }
  return skipped ? kPartial : kOk;
}

// What `--report DIR` adds up over the articles.
struct ReportTotals {
  std::size_t articles = 0, passages = 0, mentions = 0;
  std::map<std::size_t, std::size_t> per_passage;  // distinct actors in a passage -> passages
  struct Found {
    std::string name, type;
    std::set<std::string> evidence, files;
    std::size_t mentions = 0;
  };
  std::map<std::string, Found> discovered;  // by name
};

// Short forms that several actors share, with the actors (docs/gazetteer.md
// "Short forms": each resolves by the article's full mentions).
std::vector<std::pair<std::string, std::vector<std::string>>> ambiguous_forms(const Gazetteer& g) {
  std::map<std::string, std::vector<std::string>> by_form;
  for (const auto& a : g.actors())
    for (const auto& sf : a.short_forms) by_form[sf].push_back(a.id);
  std::vector<std::pair<std::string, std::vector<std::string>>> out;
  for (auto& [form, ids] : by_form)
    if (ids.size() > 1) out.emplace_back(form, std::move(ids));
  std::stable_sort(out.begin(), out.end(), [](const auto& x, const auto& y) { return x.second.size() > y.second.size(); });
  return out;
}

int report(const ActorsArgs& args) {
  std::error_code ec;
  if (!std::filesystem::is_directory(args.report, ec))
    throw UsageError(fmt::format("--report: '{}' is not a directory", args.report));
  Gazetteer g = load_gazetteer(args.actors);
  ReportTotals t;
  std::size_t skipped = 0;
  std::vector<Proposal> names = scan(args, args.report, g, true, [&](const analyzers::Article& a) {
    ++t.articles;
    t.passages += a.passages.size();
    t.mentions += a.mentions.size();
    std::vector<std::set<std::uint32_t>> actors(a.passages.size());
    for (const auto& m : a.mentions)
      if (m.passage < actors.size()) actors[m.passage].insert(m.actor);
    for (const auto& s : actors) ++t.per_passage[s.size()];
    for (const auto& d : a.discovered) {
      auto& f = t.discovered[d.name];
      f.name = d.name;
      f.type = d.type;
      f.evidence.insert(d.evidence.begin(), d.evidence.end());
      f.files.insert(a.id);
      f.mentions += d.mentions.size();
    }
  }, skipped);
  std::vector<ReportTotals::Found> found;
  for (auto& [k, f] : t.discovered) found.push_back(std::move(f));
  std::stable_sort(found.begin(), found.end(), [](const auto& x, const auto& y) { return x.mentions > y.mentions; });
  if (args.limit && found.size() > args.limit) found.resize(args.limit);
  auto ambiguous = ambiguous_forms(g);
  double mean = t.passages ? double(t.mentions) / double(t.passages) : 0.0;
  if (args.json) {
    Json j;
    j["articles"] = t.articles;
    j["passages"] = t.passages;
    j["mentions"] = t.mentions;
    j["mentions_per_passage"] = mean;
    Json pp = Json::object();
    for (const auto& [n, c] : t.per_passage) pp[std::to_string(n)] = c;
    j["actors_per_passage"] = std::move(pp);
    Json un = Json::array();
    for (const Proposal& p : names)
      un.push_back(Json{{"name", p.name}, {"kind", p.kind}, {"count", p.count}, {"files", p.files.size()}});
    j["untagged_names"] = std::move(un);
    Json dj = Json::array();
    for (const auto& f : found)
      dj.push_back(Json{{"name", f.name}, {"type", f.type}, {"evidence", f.evidence}, {"mentions", f.mentions},
                        {"files", f.files.size()}});
    j["discovered"] = std::move(dj);
    Json aj = Json::array();
    for (const auto& [form, ids] : ambiguous) aj.push_back(Json{{"form", form}, {"actors", ids}});
    j["ambiguous_short_forms"] = std::move(aj);
    out(j.dump(2) + "\n");
  } else {
    std::string s = fmt::format("{} article(s), {} passage(s), {} actor mention(s), {:.2f} per passage\n", t.articles,
                                t.passages, t.mentions, mean);
    s += "actors per passage:";
    for (const auto& [n, c] : t.per_passage) s += fmt::format(" {}:{}", n, c);
    s += fmt::format("\n\nmost frequent untagged capitalised names ({}):\n", names.size());
    for (const Proposal& p : names) s += fmt::format("{:>5}  {:<12} {}\n", p.count, p.kind, p.name);
    s += fmt::format("\ndiscovered actors ({}):\n", found.size());
    for (const auto& f : found)
      s += fmt::format("{:>5}  {:<12} {}  [{}]\n", f.mentions, f.type, f.name, join({f.evidence.begin(), f.evidence.end()}, ", "));
    s += fmt::format("\nambiguous short forms ({}):\n", ambiguous.size());
    for (const auto& [form, ids] : ambiguous) s += fmt::format("  {:<14} {}\n", form, join(ids, ", "));
    out(s);
  }
  return skipped ? kPartial : kOk;
}

}  // namespace

Command setup_actors(CLI::App& parent) {
  auto args = std::make_shared<ActorsArgs>();
  auto* sub = parent.add_subcommand(
      "actors",
      "List the actor gazetteer; with --db, the actors of an index with passage counts by year;\n"
      "with --discover DIR, names in DIR that look like actors but are not in the gazetteer;\n"
      "with --report DIR, an entity-quality report on the articles in DIR.");
  sub->add_flag("--json", args->json, "JSON output");
  sub->add_option("--actors", args->actors, "Gazetteer file (TSV, docs/gazetteer.md); default: actors.tsv of the data folder (lipsteeth(1) FILES)")
      ->check(CLI::ExistingFile);
  sub->add_option("--db", args->db, "Index directory: list the actors it contains, with passage counts by year");
  sub->add_option("--discover", args->discover, "Folder of articles: propose names that are not in the gazetteer");
  sub->add_option("--report", args->report,
                  "Folder of articles: entity-quality report (untagged names, discovered actors, ambiguous short "
                  "forms, actors per passage)");
  sub->add_option("--min-count", args->min_count, "With --discover/--report: only untagged names seen at least this often")
      ->default_str("1");
  sub->add_option("--limit", args->limit, "With --discover/--report: at most this many names of each kind (0: all)")->default_str("0");
  const auto trends = std::make_shared<std::vector<Command>>(setup_actor_trends(*sub));
  return {sub, [args, trends]() -> int {
            for (const Command& c : *trends)
              if (c.app->parsed()) return c.run();
            if (!args->db.empty() && !args->discover.empty()) throw UsageError("--db and --discover cannot be combined");
            int modes = !args->db.empty() + !args->discover.empty() + !args->report.empty();
            if (modes > 1) throw UsageError("--db, --discover and --report cannot be combined");
            if (!args->report.empty()) return report(*args);
            if (!args->discover.empty()) return discover(*args);
            if (!args->db.empty()) return list_index(*args);
            return list_gazetteer(*args);
          }};
}

}  // namespace lipsteeth::cli
