// `lipsteeth analyze FILE...`: the debugging view of what the indexer sees in
// each file: metadata with the source of each field, passages with their byte
// ranges, on request their terms, and the actors tagged in them.
// The JSON form is documented in docs/analyze.md and kept stable.
#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <unordered_set>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include "analyzers/article.h"
#include "analyzers/container.h"
#include "analyzers/entities.h"
#include "analyzers/error.h"
#include "analyzers/metadata.h"
#include "analyzers/schema.h"
#include "analyzers/stemmer.h"
#include "cli/common.h"

namespace lipsteeth::cli {
namespace {

using analyzers::Article;
using analyzers::to_string;
using Json = nlohmann::ordered_json;

struct AnalyzeArgs {
  std::vector<std::string> files;
  bool json = false;
  bool terms = false;
  bool passages_only = false;
  std::string actors;  // gazetteer path; "" = the default one
};

// One file's outcome. Status names follow DecodeStatus plus "unreadable".
struct FileResult {
  std::string path;
  std::string status = "ok";  // ok | empty | binary | unreadable
  std::string reason;
  Article article;
};

// Reads a whole file. Returns std::nullopt and sets `reason` when it cannot.
std::optional<std::string> read_file(const std::string& path, std::string& reason) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    reason = "is a directory";
    return std::nullopt;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    reason = std::strerror(errno);
    return std::nullopt;
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) {
    reason = "read error";
    return std::nullopt;
  }
  return std::move(ss).str();
}

// Terms of a passage as the indexer indexes them (indexer/documents.cpp):
// each token's folded term, and Z + its stem unless the term starts with a
// digit (Xapian's STEM_SOME); no term for a stopword (schema::query_stopwords:
// the index only counts them). In order of first appearance, without repeats.
std::vector<std::string> passage_terms(const std::vector<analyzers::Token>& tokens, analyzers::Stemmer& stemmer) {
  constexpr std::size_t kMaxTermBytes = 240;
  std::vector<std::string> terms;
  std::unordered_set<std::string> seen;
  auto add = [&](std::string t) {
    if (seen.insert(t).second) terms.push_back(std::move(t));
  };
  for (const auto& t : tokens) {
    if (t.term.empty() || t.term.size() > kMaxTermBytes || schema::is_query_stopword(t.term)) continue;
    add(t.term);
    const unsigned char c = static_cast<unsigned char>(t.term[0]);
    if (!(c >= '0' && c <= '9')) add("Z" + stemmer.stem(t.term));
  }
  return terms;
}

// Sidecars met so far, by path; a sidecar that failed to load is reported once.
class Sidecars {
 public:
  // Applies the sidecar governing `path` to `m`. Returns false when a sidecar
  // exists but cannot be used (already reported on stderr).
  bool apply(const std::string& path, analyzers::Metadata& m) {
    const std::string sc = analyzers::locate_sidecar(path);
    if (sc.empty()) return true;
    auto it = loaded_.find(sc);
    if (it == loaded_.end()) {
      std::optional<std::vector<analyzers::SidecarEntry>> entries;
      try {
        entries = analyzers::load_sidecar(sc);
      } catch (const InputError& e) {
        print_error(fmt::format("{} (metadata corrections not applied)", e.what()));
      }
      it = loaded_.emplace(sc, std::move(entries)).first;
    }
    if (!it->second) return false;
    if (const auto* e = analyzers::find_sidecar_entry(*it->second, analyzers::sidecar_relative_path(sc, path)))
      analyzers::apply_sidecar(m, *e);
    return true;
  }

 private:
  std::map<std::string, std::optional<std::vector<analyzers::SidecarEntry>>> loaded_;
};

Json file_json(const FileResult& r, const AnalyzeArgs& args, const analyzers::Gazetteer* gazetteer,
               analyzers::Stemmer& stemmer) {
  const Article& a = r.article;
  const auto& md = a.metadata;
  Json j;
  j["path"] = r.path;
  j["title"] = md.title;
  j["title_source"] = to_string(md.title_source);
  j["date"] = md.date;
  j["date_source"] = to_string(md.date_source);
  j["year"] = md.year ? Json(*md.year) : Json(nullptr);
  j["year_source"] = to_string(md.year_source);
  j["authors"] = md.authors;
  j["authors_source"] = to_string(md.authors_source);
  j["url"] = md.url;
  j["description"] = md.description;
  j["outlet"] = md.outlet;
  // Where the chosen title and date came from, and the candidates they beat
  // (docs/metadata.md, "Precedence").
  auto candidate = [](const analyzers::Candidate& c) {
    Json cj;
    cj["value"] = c.value;
    cj["rule"] = c.rule;
    cj["field"] = c.field;
    cj["offset"] = c.offset;
    cj["source"] = to_string(c.source);
    cj["rank"] = c.rank;
    if (!c.note.empty()) cj["note"] = c.note;
    return cj;
  };
  auto chosen = [&](const std::vector<analyzers::Candidate>& cs, int i) {
    return i >= 0 && static_cast<std::size_t>(i) < cs.size() ? candidate(cs[static_cast<std::size_t>(i)]) : Json(nullptr);
  };
  auto beaten = [&](const std::vector<analyzers::Candidate>& cs, int i) {
    Json list = Json::array();
    for (std::size_t k = 0; k < cs.size(); ++k)
      if (static_cast<int>(k) != i) list.push_back(candidate(cs[k]));
    return list;
  };
  j["provenance"] = {{"title", chosen(md.title_candidates, md.title_chosen)},
                     {"date", chosen(md.date_candidates, md.date_chosen)}};
  j["candidates"] = {{"title", beaten(md.title_candidates, md.title_chosen)},
                     {"date", beaten(md.date_candidates, md.date_chosen)}};
  j["format"] = analyzers::format_name(a.format);
  j["encoding"] = r.status == "ok" ? a.decoded.encoding : "";
  j["warnings"] = a.decoded.warnings;
  j["status"] = r.status;
  j["reason"] = r.reason;
  Json passages = Json::array();
  for (std::size_t i = 0; i < a.passages.size(); ++i) {
    const auto& p = a.passages[i];
    Json pj;
    pj["ordinal"] = p.ordinal;
    pj["text"] = a.text.substr(p.start, p.end - p.start);
    pj["start"] = p.start;
    pj["end"] = p.end;
    if (args.terms && i < a.tokens.size()) pj["terms"] = passage_terms(a.tokens[i], stemmer);
    passages.push_back(std::move(pj));
  }
  j["passages"] = std::move(passages);
  if (gazetteer) {
    Json entities = Json::array();
    std::map<std::string, int> counts;
    for (const auto& m : a.mentions) {
      const auto& actor = gazetteer->actors().at(m.actor);
      Json ej;
      ej["id"] = actor.id;
      ej["name"] = actor.name;
      ej["type"] = actor.type;
      ej["surface"] = m.surface;
      ej["start"] = m.start;
      ej["end"] = m.end;
      ej["passage"] = m.passage;
      entities.push_back(std::move(ej));
      ++counts[actor.id];
    }
    j["entities"] = std::move(entities);
    Json cj = Json::object();
    for (const auto& [id, n] : counts) cj[id] = n;
    j["actor_counts"] = std::move(cj);
    Json discovered = Json::array();
    for (const auto& d : a.discovered) {
      Json dj;
      dj["name"] = d.name;
      dj["type"] = d.type;
      dj["evidence"] = d.evidence;
      dj["surfaces"] = d.surfaces;
      Json mj = Json::array();
      for (const auto& m : d.mentions)
        mj.push_back(Json{{"surface", m.surface}, {"start", m.start}, {"end", m.end}, {"passage", m.passage}});
      dj["mentions"] = std::move(mj);
      discovered.push_back(std::move(dj));
    }
    j["discovered"] = std::move(discovered);
  }
  return j;
}

// Passage text indented under its header; inner line breaks keep the indent.
std::string indent(std::string_view text, std::string_view pad) {
  std::string out(pad);
  for (char c : text) {
    out.push_back(c);
    if (c == '\n') out.append(pad);
  }
  return out;
}

void print_text(const FileResult& r, const AnalyzeArgs& args, const analyzers::Gazetteer* gazetteer,
                analyzers::Stemmer& stemmer) {
  const Article& a = r.article;
  const auto& md = a.metadata;
  std::string s = fmt::format("== {}\n", r.path);
  if (r.status != "ok") {
    s += fmt::format("   status    {} ({})\n\n", r.status, r.reason);
    out(s);
    return;
  }
  if (!args.passages_only) {
    auto field = [&](std::string_view name, std::string_view value, analyzers::FieldSource src) {
      s += fmt::format("   {:<9} {} [{}]\n", name, value.empty() ? "-" : value, to_string(src));
    };
    field("title", md.title, md.title_source);
    field("date", md.date, md.date_source);
    field("year", md.year ? std::to_string(*md.year) : "unknown", md.year_source);
    field("authors", fmt::format("{}", fmt::join(md.authors, "; ")), md.authors_source);
    if (!md.url.empty()) s += fmt::format("   {:<9} {}\n", "url", md.url);
    s += fmt::format("   {:<9} {}\n", "encoding", a.decoded.encoding);
    for (const auto& w : a.decoded.warnings) s += fmt::format("   {:<9} {}\n", "warning", w);
    s += fmt::format("   {:<9} {}\n", "passages", a.passages.size());
    if (gazetteer) {
      std::map<std::string, int> counts;
      for (const auto& m : a.mentions) ++counts[gazetteer->actors().at(m.actor).id];
      std::vector<std::pair<std::string, int>> sorted(counts.begin(), counts.end());
      std::stable_sort(sorted.begin(), sorted.end(), [](auto& x, auto& y) { return x.second > y.second; });
      std::vector<std::string> parts;
      for (auto& [id, n] : sorted) parts.push_back(fmt::format("{} {}", id, n));
      s += fmt::format("   {:<9} {} mention(s): {}\n", "actors", a.mentions.size(), fmt::join(parts, ", "));
      for (const auto& d : a.discovered)
        s += fmt::format("   {:<9} {} ({}; {}; {} mention(s))\n", "found", d.name, d.type, fmt::join(d.evidence, ", "),
                         d.mentions.size());
    }
  }
  s += "\n";
  std::size_t m = 0;
  for (std::size_t i = 0; i < a.passages.size(); ++i) {
    const auto& p = a.passages[i];
    s += fmt::format("   #{} [{}, {})\n", p.ordinal, p.start, p.end);
    s += indent(std::string_view(a.text).substr(p.start, p.end - p.start), "      ");
    s += "\n";
    if (args.terms && i < a.tokens.size())
      s += fmt::format("      terms: {}\n", fmt::join(passage_terms(a.tokens[i], stemmer), " "));
    if (gazetteer && !args.passages_only) {
      std::vector<std::string> here;
      while (m < a.mentions.size() && a.mentions[m].passage <= p.ordinal) {
        const auto& mention = a.mentions[m++];
        if (mention.passage != p.ordinal) continue;
        here.push_back(fmt::format("{} \"{}\" [{}, {})", gazetteer->actors().at(mention.actor).id, mention.surface,
                                   mention.start, mention.end));
      }
      if (!here.empty()) s += fmt::format("      actors: {}\n", fmt::join(here, "; "));
    }
    s += "\n";
    out(s);
    s.clear();
  }
  out(s);
}

int run_analyze(const AnalyzeArgs& args) {
  bool partial = false;

  // The gazetteer: --actors FILE (an error if unusable), else the default one
  // (a warning if missing: passages and metadata are still worth showing).
  std::unique_ptr<analyzers::Gazetteer> gazetteer;
  std::unique_ptr<analyzers::Tagger> tagger;
  if (!args.passages_only) {
    if (!args.actors.empty()) {
      gazetteer = std::make_unique<analyzers::Gazetteer>(analyzers::Gazetteer::load(args.actors));
    } else {
      try {
        gazetteer = std::make_unique<analyzers::Gazetteer>(
            analyzers::Gazetteer::load(analyzers::Gazetteer::require_default_path()));
      } catch (const Error& e) {
        print_error(fmt::format("{} (actors not tagged; use --actors FILE)", e.what()));
        partial = true;
      }
    }
    if (gazetteer) tagger = std::make_unique<analyzers::Tagger>(*gazetteer);
  }

  analyzers::AnalyzeOptions options;
  options.tagger = tagger.get();
  options.discover = true;
  options.keep_tokens = args.terms;
  analyzers::Stemmer stemmer;
  Sidecars sidecars;
  Json files = Json::array();

  for (const auto& path : args.files) {
    FileResult r;
    r.path = path;
    std::string reason;
    if (auto bytes = read_file(path, reason)) {
      r.article = analyzers::analyze_article(*bytes, path, path, options);
      if (!r.article.ok()) {
        const auto st = r.article.decoded.status;
        r.status = st == analyzers::DecodeStatus::empty ? "empty" : st == analyzers::DecodeStatus::binary ? "binary" : "unreadable";
        r.reason = r.article.decoded.reason;
        print_error(fmt::format("skipped '{}': {}", path, r.reason));
        partial = true;
      } else {
        for (const auto& w : r.article.decoded.warnings) print_warning(fmt::format("{}: {}", path, w));
        if (!sidecars.apply(path, r.article.metadata)) partial = true;
      }
    } else {
      r.status = "unreadable";
      r.reason = reason;
      r.article.path = path;
      print_error(fmt::format("cannot read '{}': {}", path, reason));
      partial = true;
    }
    if (args.json) {
      files.push_back(file_json(r, args, gazetteer.get(), stemmer));
    } else {
      print_text(r, args, gazetteer.get(), stemmer);
    }
  }
  if (args.json) {
    Json doc;
    doc["files"] = std::move(files);
    out(doc.dump(2, ' ', false, Json::error_handler_t::replace));
    out("\n");
  }
  return partial ? kPartial : kOk;
}

}  // namespace

Command setup_analyze(CLI::App& parent) {
  auto args = std::make_shared<AnalyzeArgs>();
  auto* sub = parent.add_subcommand(
      "analyze",
      "Show what the indexer sees in each FILE: metadata and where each field came from, passages with byte "
      "ranges, terms, actors");
  sub->add_option("files", args->files, "Article files (.txt, .md with front matter, .html, .pdf, .docx, .odt, .epub, and any of them .gz)")
      ->required()
      ->type_name("FILE");
  sub->add_flag("--json", args->json, "Print one JSON object (schema: docs/analyze.md)");
  sub->add_flag("--terms", args->terms, "Also show each passage's index terms (exact words and Z+stems)");
  sub->add_option("--actors", args->actors, "Actor gazetteer to tag with instead of the default actors.tsv of the data folder")
      ->check(CLI::Validator(CLI::ExistingFile).description(""))
      ->type_name("FILE");
  sub->add_flag("--passages-only", args->passages_only,
                "Show passages only: no metadata block, no actor tagging (JSON: no entities/actor_counts)");
  sub->footer(
      "Exit codes: 0 all files analysed, 2 usage error, 5 some file unreadable, empty or binary (reported on\n"
      "stderr, the others are still shown), 6 other failure (e.g. a malformed --actors file).");
  return {sub, [args]() -> int { return run_analyze(*args); }};
}

}  // namespace lipsteeth::cli
