// xapian_baseline: the plain Xapian BM25 reference of bench/eval.py.
//
//   xapian_baseline index DB DOCS.jsonl [--docs N]
//       One Xapian document per line ({"id","title","text"}): TermGenerator with
//       the english stemmer and STEM_SOME over title then text (positions on),
//       the line's id stored as the document data. N > 0 indexes the first N lines.
//   xapian_baseline search DB QUERIES.tsv [--limit K] [--tag NAME]
//       Each "qid<TAB>text" line parsed by QueryParser with its default flags,
//       english stemmer, STEM_SOME, default operator OR, weighted by BM25Weight()
//       with its default parameters; the top K (default 100) written to stdout
//       as a TREC run: "qid Q0 docid rank score tag".
//
// Nothing is tuned: this is what a user of Xapian gets out of the box.
#include <cstdlib>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <xapian.h>

namespace {

int usage() {
  std::cerr << "usage: xapian_baseline index DB DOCS.jsonl [--docs N]\n"
               "       xapian_baseline search DB QUERIES.tsv [--limit K] [--tag NAME]\n";
  return 2;
}

int run_index(const std::string& db_path, const std::string& docs_path, long max_docs) {
  std::ifstream in(docs_path);
  if (!in) {
    std::cerr << "xapian_baseline: cannot read " << docs_path << "\n";
    return 1;
  }
  Xapian::WritableDatabase db(db_path, Xapian::DB_CREATE_OR_OVERWRITE);
  Xapian::TermGenerator tg;
  tg.set_stemmer(Xapian::Stem("english"));
  tg.set_stemming_strategy(Xapian::TermGenerator::STEM_SOME);
  std::string line;
  long n = 0, lineno = 0;
  while (std::getline(in, line)) {
    ++lineno;
    if (line.empty()) continue;
    if (max_docs > 0 && n >= max_docs) break;
    nlohmann::json j;
    try {
      j = nlohmann::json::parse(line);
    } catch (const nlohmann::json::exception& e) {
      std::cerr << "xapian_baseline: " << docs_path << ":" << lineno << ": " << e.what() << "\n";
      continue;
    }
    Xapian::Document doc;
    tg.set_document(doc);
    tg.index_text(j.value("title", std::string()));
    tg.increase_termpos();
    tg.index_text(j.value("text", std::string()));
    doc.set_data(j.at("id").get<std::string>());
    db.add_document(doc);
    ++n;
  }
  // Explicit commit: the destructor would swallow an exception.
  db.commit();
  std::cerr << "xapian_baseline: indexed " << n << " documents into " << db_path << "\n";
  return 0;
}

int run_search(const std::string& db_path, const std::string& queries_path, int limit,
               const std::string& tag) {
  std::ifstream in(queries_path);
  if (!in) {
    std::cerr << "xapian_baseline: cannot read " << queries_path << "\n";
    return 1;
  }
  Xapian::Database db(db_path);
  Xapian::QueryParser qp;
  qp.set_database(db);
  qp.set_stemmer(Xapian::Stem("english"));
  qp.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
  Xapian::Enquire enquire(db);
  enquire.set_weighting_scheme(Xapian::BM25Weight());
  std::string line;
  std::cout << std::setprecision(6);
  while (std::getline(in, line)) {
    auto tab = line.find('\t');
    if (tab == std::string::npos) continue;
    std::string qid = line.substr(0, tab), text = line.substr(tab + 1);
    Xapian::Query query;
    try {
      query = qp.parse_query(text);  // default flags, as a user of QueryParser gets
    } catch (const Xapian::QueryParserError& e) {
      // Punctuation a user typed is not an error for them: fall back to plain words.
      query = qp.parse_query(text, 0);
    }
    enquire.set_query(query);
    Xapian::MSet mset = enquire.get_mset(0, limit);
    int rank = 0;
    for (auto it = mset.begin(); it != mset.end(); ++it) {
      std::cout << qid << " Q0 " << it.get_document().get_data() << ' ' << ++rank << ' '
                << it.get_weight() << ' ' << tag << '\n';
    }
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) try {
  if (argc < 4) return usage();
  std::string cmd = argv[1], db = argv[2], file = argv[3];
  long docs = 0;
  int limit = 100;
  std::string tag = "xapian-bm25";
  for (int i = 4; i < argc; ++i) {
    std::string a = argv[i];
    if (i + 1 >= argc) return usage();
    if (a == "--docs") docs = std::atol(argv[++i]);
    else if (a == "--limit") limit = std::atoi(argv[++i]);
    else if (a == "--tag") tag = argv[++i];
    else return usage();
  }
  if (cmd == "index") return run_index(db, file, docs);
  if (cmd == "search") return run_search(db, file, limit, tag);
  return usage();
} catch (const Xapian::Error& e) {
  std::cerr << "xapian_baseline: " << e.get_description() << "\n";
  return 1;
} catch (const std::exception& e) {
  std::cerr << "xapian_baseline: " << e.what() << "\n";
  return 1;
}
