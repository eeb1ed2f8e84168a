// `lipsteeth search`: parses flags, calls searcher::search, and hands the
// result to a printer (cli/search_text.cpp, cli/search_export.cpp). The
// output formats are documented in docs/search.md.
#include <unistd.h>

#include <algorithm>
#include <iostream>
#include <iterator>
#include <map>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "analyzers/error.h"
#include "cli/common.h"
#include "cli/search_output.h"
#include "searcher/searcher.h"

namespace lipsteeth::cli {

namespace {

// Hits a search sorted by date or filtered below a year reads: the best this
// many by score are sorted or filtered (a warning says when more matched).
constexpr std::size_t kCollectCap = 5000;
// Hits -l reads without --limit.
constexpr std::size_t kFilesCap = 100000;

struct SearchArgs {
  std::vector<std::string> query;
  std::string db;
  std::string year;
  std::string since, until;
  std::vector<std::string> actors;
  long long limit = 10;
  long long offset = 0;
  bool json = false;
  std::string format = "text";
  std::string group_by = "passage";
  std::string sort = "score";
  bool explain = false;
  bool histogram = false;
  bool no_facets = false;
  bool files = false;
  bool count = false;
  bool limit_given = false;
  ColorMode color = ColorMode::auto_;
  std::size_t max_query_bytes = 8192;
  std::size_t max_query_terms = 256;
  bool allow_partial = false;
  double timeout = 10;
};

// "2016", "2012..2016", "2012.." or "..2016".
void parse_year_flag(const std::string& s, searcher::SearchOptions& o) {
  auto num = [&](std::string_view t) -> int {
    if (t.empty() || t.size() > 4) throw UsageError(fmt::format("bad --year '{}': use 2016 or 2012..2016", s));
    int v = 0;
    for (char c : t) {
      if (c < '0' || c > '9') throw UsageError(fmt::format("bad --year '{}': use 2016 or 2012..2016", s));
      v = v * 10 + (c - '0');
    }
    return v;
  };
  auto dots = s.find("..");
  if (dots == std::string::npos) {
    o.year_from = o.year_to = num(s);
    return;
  }
  std::string_view a = std::string_view(s).substr(0, dots), b = std::string_view(s).substr(dots + 2);
  if (a.empty() && b.empty()) throw UsageError(fmt::format("bad --year '{}': use 2016 or 2012..2016", s));
  if (!a.empty()) o.year_from = num(a);
  if (!b.empty()) o.year_to = num(b);
  if (o.year_from && o.year_to && *o.year_from > *o.year_to)
    throw UsageError(fmt::format("bad --year '{}': the range is reversed", s));
}

// A --since or --until date: YYYY, YYYY-MM or YYYY-MM-DD. Returns its year;
// `precise` turns true for a month or a day.
int parse_date_bound(const std::string& flag, const std::string& s, bool& precise) {
  auto bad = [&] { return UsageError(fmt::format("bad {} '{}': use 2016, 2016-03 or 2016-03-05", flag, s)); };
  auto digits = [&](std::size_t at, std::size_t n) {
    if (s.size() < at + n) throw bad();
    int v = 0;
    for (std::size_t i = at; i < at + n; ++i) {
      if (s[i] < '0' || s[i] > '9') throw bad();
      v = v * 10 + (s[i] - '0');
    }
    return v;
  };
  if (s.size() != 4 && s.size() != 7 && s.size() != 10) throw bad();
  const int year = digits(0, 4);
  if (s.size() >= 7) {
    if (s[4] != '-') throw bad();
    const int month = digits(5, 2);
    if (month < 1 || month > 12) throw bad();
    precise = true;
  }
  if (s.size() == 10) {
    if (s[7] != '-') throw bad();
    const int day = digits(8, 2);
    if (day < 1 || day > 31) throw bad();
  }
  return year;
}

// Whether an article date (ISO 8601, "" when unknown) lies within the
// bounds, compared at each bound's precision. A date less precise than a
// bound is inside it only when its whole period is ("2014-02" is after
// 2014-01-01, "2016" is not known to be after 2016-03); an undated article
// is outside.
// The first and the last day of the period an ISO date names ("2014" is
// 2014-01-01 .. 2014-12-31, "2016-02" 2016-02-01 .. 2016-02-29).
std::string period_start(const std::string& d) {
  return d.size() == 4 ? d + "-01-01" : d.size() == 7 ? d + "-01" : d;
}
std::string period_end(const std::string& d) {
  if (d.size() == 4) return d + "-12-31";
  if (d.size() != 7) return d;
  const int y = std::atoi(d.c_str()), m = std::atoi(d.c_str() + 5);
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  const int days = (m >= 1 && m <= 12) ? kDays[m - 1] + (m == 2 && leap) : 31;
  return fmt::format("{}-{:02}", d, days);
}

bool within_dates(const std::string& date, const std::string& since, const std::string& until) {
  if (date.empty()) return since.empty() && until.empty();
  if (!since.empty() && period_start(date) < period_start(since)) return false;
  if (!until.empty() && period_end(date) > period_end(until)) return false;
  return true;
}

std::string read_stdin_query() {
  std::string text((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
  for (char& c : text)
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  const std::size_t b = text.find_first_not_of(' '), e = text.find_last_not_of(' ');
  return b == std::string::npos ? std::string() : text.substr(b, e - b + 1);
}

// Facets of hits collected whole (every match read): exact counts.
searcher::Facets facets_of(const std::vector<searcher::Hit>& hits) {
  std::map<int, std::size_t> years;
  std::map<std::string, std::pair<std::string, std::size_t>> actors;
  for (const auto& h : hits) {
    if (h.year) ++years[*h.year];
    for (const auto& a : h.actors) {
      auto& [name, n] = actors[a.id];
      name = a.name;
      ++n;
    }
  }
  searcher::Facets f;
  for (const auto& [y, n] : years) f.year.push_back({std::to_string(y), std::to_string(y), n});
  for (const auto& [id, v] : actors) f.actor.push_back({id, v.first, v.second});
  std::stable_sort(f.actor.begin(), f.actor.end(),
                   [](const searcher::FacetValue& a, const searcher::FacetValue& b) { return a.count > b.count; });
  return f;
}

int run_search(const SearchArgs& a) {
  if (a.limit < 0) throw UsageError(fmt::format("bad --limit {}: give 0 or more hits", a.limit));
  if (a.offset < 0) throw UsageError(fmt::format("bad --offset {}: give 0 or more hits to skip", a.offset));
  if (a.files && a.count) throw UsageError("-l/--files-with-matches and --count do not go together: pick one");
  // As ripgrep's --json refuses -l and --count: their output is plain lines.
  if ((a.files || a.count) && (a.json || a.format != "text"))
    throw UsageError(fmt::format("{} prints plain lines: leave out --json and --format",
                                 a.files ? "-l/--files-with-matches" : "--count"));
  searcher::SearchOptions o;
  for (const auto& w : a.query) {
    if (!o.query.empty()) o.query += ' ';
    o.query += w;
  }
  // A query from standard input: `echo THAAD | lipsteeth search`, or `-`.
  if (o.query == "-" || (a.query.empty() && ::isatty(STDIN_FILENO) != 1)) o.query = read_stdin_query();
  if (!a.year.empty() && (!a.since.empty() || !a.until.empty()))
    throw UsageError("give --year or --since/--until, not both");
  if (!a.year.empty()) parse_year_flag(a.year, o);
  bool precise = false;
  if (!a.since.empty()) o.year_from = parse_date_bound("--since", a.since, precise);
  if (!a.until.empty()) o.year_to = parse_date_bound("--until", a.until, precise);
  if (!a.since.empty() && !a.until.empty() && a.since.compare(0, std::min(a.since.size(), a.until.size()), a.until,
                                                              0, std::min(a.since.size(), a.until.size())) > 0)
    throw UsageError(fmt::format("bad --since {} --until {}: the range is reversed", a.since, a.until));
  o.actors = a.actors;
  o.limit = static_cast<std::size_t>(a.limit);
  o.offset = static_cast<std::size_t>(a.offset);
  o.group_by_article = a.group_by == "article" || a.files;
  o.explain = a.explain;
  o.facets = !a.no_facets && !a.count && !a.files;
  bool blank = o.query.find_first_not_of(" \t\n") == std::string::npos;
  if (blank && o.actors.empty() && !o.year_from && !o.year_to)
    throw UsageError("nothing to search for: give a query (as arguments or on standard input), --actor, --year "
                     "or --since/--until (see `lipsteeth search --help`)");

  // Sorting by date and dates below a year: the best kCollectCap hits read
  // whole, then sorted or filtered here, and paged.
  const bool collect = a.sort == "date" || precise;
  const bool want_facets = o.facets;
  if (collect) {
    o.limit = kCollectCap;
    o.offset = 0;
    o.facets = false;
  } else if (a.files && !a.limit_given) {
    o.limit = kFilesCap;
  } else if (a.count) {
    o.limit = 0;
  }

  o.max_query_bytes = a.max_query_bytes;
  o.max_query_terms = a.max_query_terms;
  searcher::check_query_limits(o);  // before the index is opened: refused at once

  // Started afresh when a writer's commits overtake it (searcher.h).
  searcher::SearchResult r;
  QueryNotes notes;
  searcher::OpenOptions open;
  open.allow_partial = a.allow_partial;
  open.timeout_ms = static_cast<unsigned>(a.timeout * 1000);
  searcher::with_database(
      a.db,
      [&](const searcher::Database& db) {
        r = searcher::search(db, o);
        notes = blank ? QueryNotes{} : query_notes(db, o.query);
      },
      searcher::kSearchAttempts, open);
  if (collect) {
    const std::size_t matched = r.total;
    std::vector<searcher::Hit> kept;
    for (auto& h : r.hits)
      if (!precise || within_dates(h.date, a.since, a.until)) kept.push_back(std::move(h));
    if (a.sort == "date")
      std::stable_sort(kept.begin(), kept.end(), [](const searcher::Hit& x, const searcher::Hit& y) {
        const std::string dx = !x.date.empty() ? x.date : x.year ? std::to_string(*x.year) : "";
        const std::string dy = !y.date.empty() ? y.date : y.year ? std::to_string(*y.year) : "";
        return dx > dy;  // newest first; undated last
      });
    if (matched > kCollectCap || !r.total_exact)
      r.warnings.push_back(fmt::format("{} matched; only the best {} by score were {}", matched, kCollectCap,
                                       a.sort == "date" ? "sorted by date" : "filtered by date"));
    r.total = kept.size();
    r.total_exact = r.total_exact && matched <= kCollectCap;
    if (want_facets) {
      r.facets = facets_of(kept);
      r.facets->exact = r.total_exact;
    }
    const std::size_t from = std::min(kept.size(), static_cast<std::size_t>(a.offset));
    const std::size_t to = a.count ? from : std::min(kept.size(), from + static_cast<std::size_t>(a.limit));
    r.hits.assign(std::make_move_iterator(kept.begin() + static_cast<std::ptrdiff_t>(from)),
                  std::make_move_iterator(kept.begin() + static_cast<std::ptrdiff_t>(to)));
    for (std::size_t i = 0; i < r.hits.size(); ++i) r.hits[i].rank = from + i + 1;
  }
  for (const auto& w : r.warnings) print_warning(w);
  for (const auto& n : notes.notes) print_warning(n);
  if (a.count) {
    if (!r.total_exact) print_warning("the count is an estimate");
    out(fmt::format("{}\n", r.total));
    return r.total > 0 ? kOk : kNoResults;
  }
  if (a.files) {
    print_files(r);
    return r.total > 0 ? kOk : kNoResults;
  }
  const std::vector<HitPlaces> places = locate_hits(r.hits);
  if (a.json || a.format == "json") {
    print_json(r, places, notes);
  } else if (a.format == "csv" || a.format == "tsv") {
    print_table(r, places, a.format == "csv" ? ',' : '\t');
  } else {
    TextLayout layout;
    layout.style.on = use_color(a.color, stdout);
    layout.width = terminal_width(stdout, 96);
    layout.group_by_article = o.group_by_article;
    layout.histogram = a.histogram;
    print_text(r, places, notes, layout);
  }
  return r.total > 0 ? kOk : kNoResults;
}

}  // namespace

std::vector<std::string> search_arguments(const CLI::App& search, const std::vector<std::string>& args) {
  // CLI11 reads any argument starting with '-' as a flag; in a query, `-word`
  // excludes a word. Once the query has started, an argument that is not one
  // of search's options is a query word: the options go first, then `--`,
  // then the query's words in their order.
  std::vector<std::string> options, words;
  bool started = false;
  // Its own options and those of `lipsteeth` (--config), which CLI11 passes up.
  auto find = [&](const std::string& name) -> const CLI::Option* {
    const CLI::Option* op = search.get_option_no_throw(name);
    if (op == nullptr && search.get_parent() != nullptr) op = search.get_parent()->get_option_no_throw(name);
    return op;
  };
  auto takes_value = [&](const std::string& name) {
    const CLI::Option* op = find(name);
    return op != nullptr && op->get_items_expected_max() > 0;  // a flag expects none
  };
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--") {
      words.insert(words.end(), args.begin() + static_cast<std::ptrdiff_t>(i) + 1, args.end());
      break;
    }
    const bool dashed = arg.size() > 1 && arg[0] == '-';
    if (!dashed) {
      words.push_back(arg);
      started = true;
      continue;
    }
    const bool long_form = arg.rfind("--", 0) == 0;
    const std::string name = long_form ? arg.substr(0, arg.find('=')) : arg.substr(0, 2);
    const bool known = find(name) != nullptr;
    if (started && !known) {
      words.push_back(arg);
      continue;
    }
    // Not yet a query word: CLI11 reports an unknown option.
    if (started && !long_form && arg.size() > 2 && !takes_value(name)) {
      words.push_back(arg);  // -lTHAAD is not -l: a word
      continue;
    }
    options.push_back(arg);
    const bool value_inline = long_form ? arg.find('=') != std::string::npos : arg.size() > 2;
    if (!value_inline && takes_value(name) && i + 1 < args.size()) options.push_back(args[++i]);
  }
  if (!words.empty()) {
    options.emplace_back("--");
    options.insert(options.end(), words.begin(), words.end());
  }
  return options;
}

Command setup_search(CLI::App& parent) {
  auto args = std::make_shared<SearchArgs>();
  auto* sub = parent.add_subcommand(
      "search",
      "Ranked passages for a query, with highlighted snippets and facet counts by year and actor.\n"
      "Query language: words (all words rank first; a missing word does not empty the list), \"phrases\",\n"
      "AND OR NOT XOR, NEAR, ADJ, word*, +word -word, ( ), title:word, actor:NAME, author:NAME (the words of an\n"
      "author's name, not stemmed: author:Chang, author:\"Brian Gleason\"), year:2016 or year:2012..2016.\n"
      "A -word after the query's first word is part of the query (`search sanctions -THAAD`); after `--`\n"
      "every argument is. With no query argument, the query is read from standard input when it is not\n"
      "a terminal (`echo THAAD | lipsteeth search`), as it is for a query of `-`.\n"
      "Stopwords (the, of, and, ...: 53 words) are not indexed: a query drops them, and a phrase keeps its\n"
      "other words in order within its length (\"ministry of foreign affairs\" also finds \"ministry for ...\").\n"
      "Each hit shows PATH:LINE:COLUMN of its first highlight and its passage number. Words no passage holds\n"
      "are named (\"missing: trump\"). Defaults can be set in $XDG_CONFIG_HOME/lipsteeth/config\n"
      "(`lipsteeth --config FILE search ...` reads another; see `lipsteeth --help`).\n"
      "See docs/search.md. Exit codes: 0 hits, 1 no hits, 2 usage or query error (a query over the limits\n"
      "included), 3 index missing, 6 other failure (the index kept changing under 8 attempts in a row).");
  sub->add_option("query", args->query, "The query (several arguments are joined with spaces)");
  sub->add_option("--db", args->db,
                  "Index directory, sharded index directory, or Xapian stub file listing shards (auto PATH, "
                  "remote HOST:PORT; docs/scaling.md) (default: $LIPSTEETH_DB, else db in the config file, else "
                  "$XDG_DATA_HOME/lipsteeth/index)");
  sub->add_flag("--allow-partial", args->allow_partial,
                "Search the shards that answer when one is down, unreachable or of another version (a warning "
                "names it); default: exit 3 naming it");
  sub->add_option("--timeout", args->timeout,
                  "Seconds a remote shard may take to connect or answer before it counts as down")
      ->check(CLI::Range(0.1, 3600.0))
      ->default_val(10);
  sub->add_option("--year", args->year, "Only passages of this year or inclusive range: 2016, 2012..2016, 2012.., ..2016");
  sub->add_option("--since", args->since,
                  "Only articles dated on or after: 2016, 2016-03 or 2016-03-05 (below a year, an article dated "
                  "less precisely, or undated, counts only when its whole period is inside)");
  sub->add_option("--until", args->until, "Only articles dated on or before: 2016, 2016-03 or 2016-03-05");
  sub->add_option("--actor", args->actors, "Only passages naming this actor (any alias; repeat: all of them)")
      ->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  sub->add_option("-n,--limit", args->limit, "Hits to show (0 or more)")->default_val(10);
  sub->add_option("--offset", args->offset, "Hits to skip (paging)")->default_val(0);
  sub->add_option("--sort", args->sort,
                  "score (default) or date: newest first (the best 5000 hits by score, sorted)")
      ->check(CLI::IsMember({"score", "date"}))
      ->default_val("score");
  sub->add_flag("--json", args->json, "One JSON object (schema in docs/search.md); the same as --format json");
  sub->add_option("--format", args->format, "text (default), json, csv (RFC 4180) or tsv: one row per hit")
      ->check(CLI::IsMember({"text", "json", "csv", "tsv"}))
      ->default_val("text");
  sub->add_flag("-l,--files-with-matches", args->files,
                "Print only the files with a matching passage, one a line, best first");
  sub->add_flag("-c,--count", args->count,
                "Print only the number of matching passages (articles with --group-by article)");
  sub->add_option("--group-by", args->group_by, "passage (default) or article: the best passage of each article")
      ->check(CLI::IsMember({"passage", "article"}))
      ->default_val("passage");
  sub->add_flag("--histogram", args->histogram,
                "After the hits, the matching passages per year as a bar chart (text output; needs facets)");
  sub->add_flag("--explain", args->explain, "Show why each hit ranked: term weights, article and proximity parts");
  sub->add_flag("--no-facets", args->no_facets, "Do not count facets (faster on very common queries; the total stays exact)");
  add_color_option(*sub, args->color);
  sub->add_option("--max-query-bytes", args->max_query_bytes, "Refuse a longer query (exit 2; 0: no limit)")
      ->default_val(8192);
  sub->add_option("--max-query-terms", args->max_query_terms,
                  "Refuse a query of more words (exit 2; each part of a hyphenated word counts; 0: no limit)")
      ->default_val(256);
  return {sub,
          [args, sub] {
            args->limit_given = sub->count("--limit") > 0;
            return run_search(*args);
          },
          /*read_only=*/true};
}

}  // namespace lipsteeth::cli
