// lipsteeth: full-text passage search for a corpus of articles.
// main parses the command line, runs one subcommand, and is the one place
// where errors become messages and exit codes (README "Exit codes").
#include <csignal>
#include <cstdlib>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <xapian.h>

#include "analyzers/document_pipe.h"
#include "analyzers/error.h"
#include "cli/common.h"
#include "indexer/indexer.h"
#include "lipsteeth/version.h"

using namespace lipsteeth;

int main(int argc, char** argv) try {
  // A closed pipe (`lipsteeth search x | head`) shows up as EPIPE on write.
  std::signal(SIGPIPE, SIG_IGN);
  // PDF, DOCX, ODT and EPUB are read by the helper lipsteeth-read.
  lipsteeth::analyzers::set_document_reader(&lipsteeth::analyzers::read_document_in_helper);

  CLI::App app{
      "lipsteeth - passage search over a folder of articles on China-North Korea relations.\n\n"
      "Typical use:\n"
      "  lipsteeth index corpus/                 build or update the index (default location: see --help of index)\n"
      "  lipsteeth search \"six-party talks\" --year 2012..2016 --actor \"Hu Jintao\"\n"
      "  lipsteeth analyze corpus/000_8fe11e022d0b9062.txt --json   what the indexer sees\n"
      "  lipsteeth actors                        the actor gazetteer\n\n"
      "Exit codes: 0 ok/hits, 1 no hits, 2 usage or query error, 3 index missing or unusable,\n"
      "4 index locked by another run, 5 done but some inputs skipped, 6 other failure,\n"
      "7 index refused to remove articles (nothing removed), 8 index --gate failed (live index unchanged).",
      "lipsteeth"};
  app.set_version_flag("-V,--version", std::string("lipsteeth ") + kVersion + " (Xapian " +
                                           Xapian::version_string() + ", " + kXapianLinkage + ")");
  app.require_subcommand(1);
  app.fallthrough();
  // Defaults from the options file; the command line overrides them. Keys
  // of the subcommands not run (and the top-level db) are not CLI11's.
  app.set_config("--config", cli::config_path(),
                 "Options file (INI): top-level db = PATH, and [search] limit = 20 and the like; default "
                 "$XDG_CONFIG_HOME/lipsteeth/config, else ~/.config/lipsteeth/config")
      ->type_name("FILE");
  app.allow_config_extras(CLI::config_extras_mode::ignore);

  using Setup = cli::Command (*)(CLI::App&);
  static constexpr std::pair<std::string_view, Setup> kSetups[] = {
      {"analyze", cli::setup_analyze}, {"index", cli::setup_index}, {"search", cli::setup_search},
      {"actors", cli::setup_actors},   {"stats", cli::setup_stats}, {"verify", cli::setup_verify},
      {"serve", cli::setup_serve},
  };
  // When the first argument names a subcommand, only that one is set up:
  // building every subcommand's options costs more than a small search.
  std::vector<cli::Command> commands;
  for (const auto& [name, setup] : kSetups)
    if (argc > 1 && name == argv[1]) commands.push_back(setup(app));
  if (commands.empty())
    for (const auto& [name, setup] : kSetups) commands.push_back(setup(app));
  // `search`'s arguments reordered so that -word after the query is a word.
  std::vector<std::string> storage;
  std::vector<char*> args(argv, argv + argc);
  if (argc > 2 && std::string_view(argv[1]) == "search" && commands.size() == 1) {
    storage = cli::search_arguments(*commands.front().app, std::vector<std::string>(argv + 2, argv + argc));
    args.resize(2);
    for (auto& s : storage) args.push_back(s.data());
  }
  try {
    app.parse(static_cast<int>(args.size()), args.data());
    cli::apply_config_db(app.get_config_ptr()->count() > 0 ? app.get_config_ptr()->as<std::string>()
                                                           : cli::config_path());
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? cli::kOk : cli::kUsage;
  }
  for (auto& c : commands) {
    if (c.app->parsed()) {
      int rc = c.run();
      cli::flush_out();
      if (c.read_only) std::_Exit(rc);
      return rc;
    }
  }
  return cli::kUsage;
} catch (const cli::BrokenPipe&) {
  return cli::kOk;
} catch (const UsageError& e) {
  cli::print_error(e.what());
  return cli::kUsage;
} catch (const QueryError& e) {
  cli::print_error(e.what());
  return cli::kUsage;
} catch (const IndexMissingError& e) {
  cli::print_error(e.what());
  return cli::kIndexMissing;
} catch (const IndexLockedError& e) {
  cli::print_error(e.what());
  return cli::kLocked;
} catch (const indexer::RemovalRefusedError& e) {
  cli::print_error(e.what());
  return cli::kRefused;
} catch (const indexer::GateFailedError& e) {
  cli::print_error(e.what());
  return cli::kGateFailed;
} catch (const Error& e) {
  cli::print_error(e.what());
  return cli::kFailure;
} catch (const Xapian::DatabaseLockError& e) {
  cli::print_error("index is locked by another writer: " + e.get_description());
  return cli::kLocked;
} catch (const Xapian::DatabaseOpeningError& e) {
  cli::print_error("cannot open index: " + e.get_description());
  return cli::kIndexMissing;
} catch (const Xapian::Error& e) {
  cli::print_error(e.get_description());
  return cli::kFailure;
} catch (const std::exception& e) {
  cli::print_error(e.what());
  return cli::kFailure;
}
