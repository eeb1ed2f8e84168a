// run_index across runs: add, modify, delete, rename; unreadable and binary
// files keeping their passages; sidecar and gazetteer changes; --rebuild; the lock.
#include <catch2/catch.hpp>

#include <set>
#include <sys/stat.h>

#include "analyzers/article.h"
#include "analyzers/entities.h"
#include "analyzers/error.h"
#include "analyzers/passage_data.h"
#include "indexer/index_dir.h"
#include "indexer/indexer.h"
#include "searcher/searcher.h"
#include "tests/indexer/index_fixture.h"

using namespace lipsteeth;
using namespace lipsteeth::testing;
using indexer::IndexOptions;
using indexer::run_index;

namespace {

const std::string k000 = "000_8fe11e022d0b9062.txt";
const std::string k001 = "001_3787f9e5d4cdb258.txt";
const std::string k002 = "002_4385b82e47fa7daf.txt";
const std::string k003 = "003_d673819c6f11a063.txt";

// Gives `p` a new mtime (the tests run faster than the clock ticks on some file systems).
void bump_mtime(const fs::path& p, int seconds) {
  fs::last_write_time(p, fs::last_write_time(p) + std::chrono::seconds(seconds));
}

bool skipped_with(const indexer::IndexSummary& s, const std::string& name, const std::string& reason_part) {
  for (const auto& k : s.skipped)
    if (fs::path(k.path).filename() == name && k.reason.find(reason_part) != std::string::npos) return true;
  return false;
}

}  // namespace

TEST_CASE("adds, updates, removes and renames articles across runs", "[indexer][incremental]") {
  TempDir t;
  copy_seed_corpus(t.path / "corpus");
  auto o = options_for(t);

  auto s1 = run_index(o);
  CHECK(s1.mode == "full");
  CHECK(s1.added == 5);
  CHECK(s1.skipped.empty());
  {
    IndexView v(t.path / "db");
    CHECK(v.files.size() == 5);
    CHECK(v.consistent());
    CHECK(v.db.get_metadata(schema::kMetaSchema) == schema::kSchemaVersion);
    CHECK(!v.db.get_metadata(schema::kMetaGazetteer).empty());
    CHECK(v.has_term_in("lips", "002_4385b82e47fa7daf.txt"));
  }
  // The article ordinal (value slot 1) of the article about to be renamed.
  std::string ordinal_k001;
  {
    IndexView v(t.path / "db");
    auto pl = v.db.postlist_begin(std::string(schema::kArticlePrefix) + schema::article_key(k001));
    REQUIRE(pl != v.db.postlist_end(std::string(schema::kArticlePrefix) + schema::article_key(k001)));
    ordinal_k001 = v.db.get_document(*pl).get_value(schema::kValueArticle);
    REQUIRE(!ordinal_k001.empty());
  }

  // A second run with nothing changed touches nothing.
  auto s2 = run_index(o);
  CHECK(s2.mode == "incremental");
  CHECK(s2.unchanged == 5);
  CHECK(s2.added + s2.updated + s2.removed + s2.renamed == 0);
  CHECK(s2.bytes == 0);  // not even read: size and mtime matched

  // Modify one, delete one, rename one, touch one, add one.
  fs::path c = t.path / "corpus";
  spit(c / k000, slurp(c / k000) + "\n\nA new paragraph on the zanzibarian ferry across the Yalu.\n");
  bump_mtime(c / k000, 5);
  fs::remove(c / k002);
  fs::rename(c / k001, c / "renamed.txt");
  bump_mtime(c / k003, 7);  // same content, new mtime: confirmed unchanged by its hash
  spit(c / "sub" / "new.md", "# Border trade\n\nDandong traders crossed the bridge to Sinuiju every morning.\n");
  auto s3 = run_index(o);
  CHECK(s3.updated == 1);
  CHECK(s3.removed == 1);
  CHECK(s3.renamed == 1);
  CHECK(s3.added == 1);
  CHECK(s3.unchanged == 2);
  {
    IndexView v(t.path / "db");
    CHECK(v.consistent());
    CHECK(v.files.count(k002) == 0);
    CHECK(v.passages_of(k002) == 0);
    CHECK(v.files.count(k001) == 0);
    CHECK(v.passages_of(k001) == 0);
    REQUIRE(v.files.count("renamed.txt") == 1);
    CHECK(v.has_term_in("xinhua", "renamed.txt"));
    CHECK(v.has_term_in("zanzibarian", k000));
    CHECK(v.has_term_in("sinuiju", "sub/new.md"));
    // A renamed article's passages carry its new id and path.
    Xapian::Enquire enq(v.db);
    enq.set_query(Xapian::Query(std::string(schema::kArticlePrefix) + schema::article_key("renamed.txt")));
    auto ms = enq.get_mset(0, 1);
    REQUIRE(ms.size() == 1);
    schema::PassageData data;
    REQUIRE(schema::decode_passage(ms.begin().get_document().get_data(), data));
    REQUIRE(data.article);  // the article's first passage carries its fields
    CHECK(data.article->id == "renamed.txt");
    // Its path is not stored: the corpus root gives it.
    CHECK(data.article->path.empty());
    CHECK(v.derived_path("renamed.txt") == (c / "renamed.txt").string());
    CHECK(v.files.at("renamed.txt").value("path", "").empty());
    // ... and keeps its article ordinal (and so its place in grouping).
    CHECK(ms.begin().get_document().get_value(schema::kValueArticle) == ordinal_k001);
  }
  auto rep = indexer::verify_index(o.db_path);
  CHECK(rep.ok());
  CHECK(rep.articles_checked == 5);
}

namespace {

// The document ids of an article's passages (ascending) and the passage
// ordinal stored with each.
std::vector<std::pair<Xapian::docid, std::uint32_t>> passage_ids(const IndexView& v, const std::string& id) {
  std::vector<std::pair<Xapian::docid, std::uint32_t>> out;
  const std::string term = std::string(schema::kArticlePrefix) + schema::article_key(id);
  for (auto it = v.db.postlist_begin(term); it != v.db.postlist_end(term); ++it) {
    schema::PassageData data;
    REQUIRE(schema::decode_passage(v.db.get_document(*it).get_data(), data));
    out.emplace_back(*it, data.ordinal);
  }
  return out;
}

}  // namespace

TEST_CASE("an updated article's passages take the document ids of its old ones, in order",
          "[indexer][incremental]") {
  TempDir t;
  copy_seed_corpus(t.path / "corpus");
  auto o = options_for(t);
  fs::path c = t.path / "corpus";
  REQUIRE(run_index(o).added == 5);
  std::vector<std::pair<Xapian::docid, std::uint32_t>> before;
  {
    IndexView v(t.path / "db");
    before = passage_ids(v, k000);
  }
  REQUIRE(before.size() >= 2);

  // Text added at the end: the old passages keep their ids, the article grows.
  const std::string original = slurp(c / k000);
  std::string grown = original;
  for (int i = 0; i < 40; ++i)
    grown += "\n\nA new paragraph on the zanzibarian ferry that crosses the Yalu at Dandong every morning.\n";
  spit(c / k000, grown);
  bump_mtime(c / k000, 5);
  REQUIRE(run_index(o).updated == 1);
  {
    IndexView v(t.path / "db");
    CHECK(v.consistent());
    auto after = passage_ids(v, k000);
    REQUIRE(after.size() > before.size());
    for (std::size_t i = 0; i < before.size(); ++i) CHECK(after[i].first == before[i].first);
    for (std::size_t i = 0; i < after.size(); ++i) CHECK(after[i].second == i);  // ordinals follow the ids
    schema::PassageData first;
    REQUIRE(schema::decode_passage(v.db.get_document(after[0].first).get_data(), first));
    CHECK(first.article);  // the lowest id still carries the article's fields
    CHECK(v.has_term_in("zanzibarian", k000));
    CHECK(v.has_term_in(schema::kTitlePrefix + std::string("delegations"), k000));
  }
  {
    // A search shows the grown article's fields on every new passage, whose
    // ids come after the other articles' (not the article's first id plus
    // the passage ordinal).
    searcher::SearchOptions so;
    so.query = "zanzibarian";
    so.limit = 100;
    so.facets = false;
    so.spelling = false;
    const auto r = searcher::search(searcher::Database::open(o.db_path), so);
    REQUIRE(!r.hits.empty());
    bool new_passage = false;
    for (const auto& h : r.hits) {
      CHECK(h.article_id == k000);
      CHECK(h.title.find("Delegations") != std::string::npos);
      if (h.ordinal >= before.size()) new_passage = true;
    }
    CHECK(new_passage);
    // Its title is read on its first passage from the new passages too: a
    // title: query finds all of them, and the title word counts for them.
    so.query = "title:delegations";
    const auto titled = searcher::search(searcher::Database::open(o.db_path), so);
    std::set<std::uint32_t> ordinals;
    for (const auto& h : titled.hits) ordinals.insert(h.ordinal);
    CHECK(titled.total == passage_ids(IndexView(t.path / "db"), k000).size());
    CHECK(ordinals.size() == titled.total);
    CHECK(*ordinals.rbegin() + 1 == titled.total);
    so.query = "delegations zanzibarian";
    so.explain = true;
    const auto both = searcher::search(searcher::Database::open(o.db_path), so);
    REQUIRE(!both.hits.empty());
    REQUIRE(both.hits[0].explanation);
    CHECK(both.hits[0].ordinal >= before.size());
    bool title_part = false;
    for (const auto& tw : both.hits[0].explanation->terms)
      title_part |= tw.term == std::string(schema::kStemPrefix) + schema::kTitlePrefix + "deleg" && tw.weight > 0;
    CHECK(title_part);
  }

  // A much shorter text: the first id is kept, the other old passages go.
  spit(c / k000, "Delegations Galore\n\nOnly one short paragraph about Sinuiju is left.\n");
  bump_mtime(c / k000, 10);
  REQUIRE(run_index(o).updated == 1);
  {
    IndexView v(t.path / "db");
    CHECK(v.consistent());
    auto after = passage_ids(v, k000);
    REQUIRE(after.size() == 1);
    CHECK(after[0].first == before[0].first);
    CHECK(v.has_term_in("sinuiju", k000));
    CHECK(!v.has_term_in("zanzibarian", k000));
    CHECK(v.db.get_termfreq("zanzibarian") == 0);
  }
  auto rep = indexer::verify_index(o.db_path);
  CHECK(rep.ok());
}

TEST_CASE("title words and stems are on the first passage only, the words with positions", "[indexer][title]") {
  TempDir t;
  copy_seed_corpus(t.path / "corpus");
  auto o = options_for(t);
  REQUIRE(run_index(o).added == 5);
  IndexView v(t.path / "db");
  auto ids = passage_ids(v, k000);  // title "Delegations Galore: Signs of a Continuing Rift in Sino-NK Relations"
  REQUIRE(ids.size() >= 2);
  const std::string s = std::string(schema::kTitlePrefix) + "delegations";
  const std::string zs = std::string(schema::kStemPrefix) + schema::kTitlePrefix + "deleg";
  const std::string zs_stop = std::string(schema::kStemPrefix) + schema::kTitlePrefix + "of";
  const std::string z_stop = std::string(schema::kStemPrefix) + "the";
  for (const auto& [did, ordinal] : ids) {
    Xapian::Document doc = v.db.get_document(did);
    auto ti = doc.termlist_begin();
    ti.skip_to(s);
    if (ordinal == 0) {
      REQUIRE((ti != doc.termlist_end() && *ti == s));
      CHECK(ti.get_wdf() == 1);
      CHECK(ti.positionlist_count() == 1u);
    } else {
      CHECK_FALSE((ti != doc.termlist_end() && *ti == s));
    }
    // The title's stems, like its words, only on the first passage (the
    // searcher reads an article's title there).
    ti = doc.termlist_begin();
    ti.skip_to(zs);
    if (ordinal == 0) {
      REQUIRE((ti != doc.termlist_end() && *ti == zs));
      CHECK(ti.get_wdf() == 1);
    } else {
      CHECK_FALSE((ti != doc.termlist_end() && *ti == zs));
    }
    // Query stopwords have no stems in the index (queries drop them outside phrases).
    ti = doc.termlist_begin();
    ti.skip_to(zs_stop);
    CHECK_FALSE((ti != doc.termlist_end() && *ti == zs_stop));
    ti = doc.termlist_begin();
    ti.skip_to(z_stop);
    CHECK_FALSE((ti != doc.termlist_end() && *ti == z_stop));
  }
  // Stopwords are counted, not indexed: no term, no position, and each
  // passage's length (BM25's) still counts them, in XSTOP's wdf: as many as
  // the analysis finds in the passage, plus the title's on the first one.
  CHECK_FALSE(v.db.term_exists("the"));
  CHECK_FALSE(v.db.term_exists(std::string(schema::kTitlePrefix) + "of"));
  const analyzers::Article a = analyzers::analyze_article(slurp(t.path / "corpus" / k000), k000, k000, {});
  REQUIRE(a.passages.size() == ids.size());
  for (const auto& [did, ordinal] : ids) {
    Xapian::termcount stopwords = 0, words = 0;
    auto tally = [&](const std::vector<analyzers::Token>& tokens) {
      for (const auto& tok : tokens) {
        if (tok.term.empty()) continue;
        ++words;
        if (schema::is_query_stopword(tok.term)) ++stopwords;
      }
    };
    REQUIRE(ordinal < a.tokens.size());
    tally(a.tokens[ordinal]);
    if (ordinal == 0) tally(analyzers::tokenize(a.metadata.title));
    CHECK(stopwords > 0);
    Xapian::Document doc = v.db.get_document(did);
    auto ti = doc.termlist_begin();
    ti.skip_to(schema::kStopwordsTerm);
    REQUIRE((ti != doc.termlist_end() && *ti == schema::kStopwordsTerm));
    CHECK(ti.get_wdf() == stopwords);
    CHECK(ti.positionlist_count() == 0u);
    CHECK(v.db.get_doclength(did) >= words);  // every word counted (plus stems and title stems)
  }
  // In the index, the stem, the exact word and the phrase "delegations
  // galore" match the first passage (title: queries expand it to the
  // article's passages: searcher tests).
  auto count = [&](const Xapian::Query& q) {
    Xapian::Enquire enq(v.db);
    enq.set_query(Xapian::Query(Xapian::Query::OP_FILTER, q,
                                Xapian::Query(std::string(schema::kArticlePrefix) + schema::article_key(k000))));
    return enq.get_mset(0, 1000).size();
  };
  CHECK(count(Xapian::Query(zs)) == 1);
  CHECK(count(Xapian::Query(s)) == 1);
  std::vector<Xapian::Query> phrase{Xapian::Query(s), Xapian::Query(std::string(schema::kTitlePrefix) + "galore")};
  CHECK(count(Xapian::Query(Xapian::Query::OP_PHRASE, phrase.begin(), phrase.end())) == 1);
}

TEST_CASE("the spelling dictionary has the corpus's words, not hyphenated words joined", "[indexer][spelling]") {
  TempDir t;
  copy_seed_corpus(t.path / "corpus");
  auto o = options_for(t);
  REQUIRE(run_index(o).added == 5);
  auto spellings = [&] {
    IndexView v(t.path / "db");
    std::set<std::string> words;
    for (auto it = v.db.spellings_begin(); it != v.db.spellings_end(); ++it) words.insert(*it);
    return words;
  };
  {
    // "Six-Party" is indexed as six, party and sixparty (which a query
    // "sixparty" finds), but only its parts are offered as corrections.
    IndexView v(t.path / "db");
    CHECK(v.db.term_exists("sixparty"));
    const auto words = spellings();
    CHECK(words.count("six"));
    CHECK(words.count("party"));
    CHECK(words.count("delegations"));
    CHECK_FALSE(words.count("sixparty"));
    CHECK_FALSE(words.count("jongun"));
  }
  // The same in an incremental run; a joined form that is also written as
  // one word is kept.
  spit(t.path / "corpus" / "new.txt",
       "Cross-Border Trade\n\nThe cross-border trade at Dandong grew; crossborder traffic, wrote one zanzi-barian "
       "observer, never stopped.\n");
  REQUIRE(run_index(o).added == 1);
  const auto words = spellings();
  CHECK(words.count("dandong"));
  CHECK(words.count("crossborder"));
  CHECK_FALSE(words.count("zanzibarian"));
  CHECK(words.count("zanzi"));
}

TEST_CASE("a corpus moved to another folder is found there without being analysed again", "[indexer][incremental]") {
  TempDir t;
  copy_seed_corpus(t.path / "corpus");
  auto o = options_for(t);
  REQUIRE(run_index(o).added == 5);
  // The files keep their sizes and times: nothing to analyse again, and the
  // passages, which store no path of their own, are read from the new place.
  fs::rename(t.path / "corpus", t.path / "moved");
  o.roots = {(t.path / "moved").string()};
  const auto s = run_index(o);
  CHECK(s.unchanged == 5);
  CHECK(s.added + s.updated + s.removed == 0);
  searcher::SearchOptions so;
  so.query = "Dandong";
  so.limit = 100;
  const auto r = searcher::search(searcher::Database::open(o.db_path), so);
  REQUIRE_FALSE(r.hits.empty());
  for (const auto& h : r.hits) {
    CHECK(h.path == (t.path / "moved" / h.article_id).string());
    CHECK(h.text_error.empty());
    CHECK_THAT(h.text, Catch::Contains("Dandong"));
  }
  CHECK(indexer::verify_index(o.db_path).ok());
}

TEST_CASE("a file that cannot be read keeps its passages and is retried", "[indexer][incremental]") {
  // Tests run as root, for whom chmod 000 does not stop a read. Two other
  // ways a file cannot be read as an article: it became a fifo (opening it
  // would block; the walker never opens one), or its content is now binary.
  TempDir t;
  copy_seed_corpus(t.path / "corpus");
  auto o = options_for(t);
  run_index(o);
  Xapian::doccount before000 = IndexView(t.path / "db").passages_of(k000);
  Xapian::doccount before003 = IndexView(t.path / "db").passages_of(k003);
  REQUIRE(before000 > 0);

  fs::path c = t.path / "corpus";
  std::string saved = slurp(c / k000);
  fs::remove(c / k000);
  REQUIRE(::mkfifo((c / k000).c_str(), 0644) == 0);
  spit(c / k003, std::string("\x7f" "ELF\0\0\0binary", 13));
  bump_mtime(c / k003, 5);

  auto s = run_index(o);
  CHECK(skipped_with(s, k000, "not a regular file"));
  CHECK(skipped_with(s, k000, "previous passages are kept"));
  CHECK(skipped_with(s, k003, "binary file"));
  for (const auto& k : s.skipped) CHECK(k.unreadable);
  CHECK(s.removed == 0);
  {
    IndexView v(t.path / "db");
    CHECK(v.passages_of(k000) == before000);
    CHECK(v.passages_of(k003) == before003);
    CHECK(v.consistent());
  }

  // Readable again: retried, and unchanged content is recognised by its hash.
  fs::remove(c / k000);
  spit(c / k000, saved);
  spit(c / k003, slurp(seed_articles()[3]));
  bump_mtime(c / k003, 9);
  auto s2 = run_index(o);
  CHECK(s2.skipped.empty());
  CHECK(s2.unchanged == 5);
  CHECK(IndexView(t.path / "db").consistent());
}

TEST_CASE("skips each kind of unwanted file with its reason", "[indexer][walk]") {
  TempDir t;
  fs::path c = t.path / "corpus";
  copy_seed_corpus(c);
  spit(c / ".hidden.txt", "hidden words\n");
  spit(c / ".git" / "notes.txt", "inside a hidden folder\n");
  spit(c / "draft.txt~", "editor backup\n");
  spit(c / "#autosave.txt#", "emacs autosave\n");
  spit(c / ".draft.txt.swp", "vim swap\n");
  spit(c / "report.pdf", "%PDF-1.4\n");
  spit(c / "README", "no extension\n");
  spit(c / "nul.txt", std::string("text with a \0 NUL byte in it", 28));
  spit(c / "empty.txt", "");
  spit(t.path / "outside.txt", "a file outside the corpus\n");
  fs::create_symlink(t.path / "outside.txt", c / "link-out.txt");
  fs::create_symlink(c / k000, c / "link-in.txt");
  fs::create_symlink(c / "missing.txt", c / "dangling.txt");
  auto s = run_index(options_for(t));

  CHECK(skipped_with(s, ".hidden.txt", "hidden file"));
  CHECK(skipped_with(s, ".git", "hidden folder"));
  CHECK(skipped_with(s, "draft.txt~", "editor temporary file"));
  CHECK(skipped_with(s, "#autosave.txt#", "editor temporary file"));
  CHECK(skipped_with(s, ".draft.txt.swp", "hidden file"));
  CHECK(skipped_with(s, "report.pdf", "corrupt PDF file"));  // a container it cannot read: unreadable
  CHECK(skipped_with(s, "README", "no file name extension"));
  CHECK(skipped_with(s, "nul.txt", "binary file"));
  CHECK(skipped_with(s, "empty.txt", "empty file"));
  CHECK(skipped_with(s, "link-out.txt", "outside the corpus"));
  CHECK(skipped_with(s, "dangling.txt", "broken symbolic link"));
  CHECK(s.added == 6);  // the five articles and the link inside the corpus
  for (const auto& k : s.skipped) {
    bool by_design = k.reason == "hidden file" || k.reason == "hidden folder" || k.reason == "editor temporary file";
    CHECK(k.ignored == by_design);
  }

  // --follow-symlinks follows the link that leaves the corpus.
  auto o = options_for(t);
  o.follow_symlinks = true;
  auto s2 = run_index(o);
  CHECK(s2.added == 1);
  CHECK(IndexView(t.path / "db").files.count("link-out.txt") == 1);

  // --ext decides what is indexed: without .txt, the .txt articles go away.
  o.extensions = {".md"};
  auto s3 = run_index(o);
  CHECK(s3.removed == 7);
  CHECK(IndexView(t.path / "db").files.empty());
}

TEST_CASE("indexes JSON Lines records by id and reports malformed lines by number", "[indexer][jsonl]") {
  TempDir t;
  fs::path c = t.path / "corpus";
  spit(c / "articles.jsonl",
       "{\"id\":\"r1\",\"title\":\"Lips and teeth\",\"text\":\"China and North Korea were as close as lips and teeth.\","
       "\"date\":\"2010-05-01\",\"authors\":[\"An Author\"],\"url\":\"https://example.org/r1\"}\n"
       "{\"id\": \"r2\", \"title\": \"Trade\"\n"
       "\n"
       "{\"id\":\"r3\",\"text\":\"Dandong handles most of the border trade.\"}\n"
       "[1, 2, 3]\n"
       "{\"title\":\"no id\",\"text\":\"x\"}\n"
       "{\"id\":\"r4\",\"title\":\"no text\"}\n"
       "{\"id\":\"r5\",\"text\":\"bad date\",\"date\":\"May 2010\"}\n"
       "{\"id\":\"r3\",\"text\":\"a duplicate id\"}\n"
       "{\"id\":7,\"text\":\"Numeric ids are kept as text: Sinuiju.\"}\n");
  auto o = options_for(t);
  auto s = run_index(o);
  CHECK(s.added == 3);
  std::map<std::string, std::string> by_where;
  for (const auto& k : s.skipped) by_where[k.path.substr(k.path.rfind('/') + 1)] = k.reason;
  CHECK(by_where["articles.jsonl:2"].find("malformed JSON Lines record: invalid JSON") == 0);
  CHECK(by_where["articles.jsonl:5"] == "malformed JSON Lines record: not a JSON object");
  CHECK(by_where["articles.jsonl:6"] == "malformed JSON Lines record: no \"id\"");
  CHECK(by_where["articles.jsonl:7"] == "malformed JSON Lines record: no string \"text\"");
  CHECK(by_where["articles.jsonl:8"].find("ISO 8601") != std::string::npos);
  CHECK(by_where["articles.jsonl:9"].find("duplicate id") == 0);
  CHECK(by_where.size() == 6);
  {
    IndexView v(t.path / "db");
    CHECK(v.consistent());
    CHECK(v.has_term_in("teeth", "r1"));
    CHECK(v.has_term_in("sinuiju", "7"));
    Xapian::Enquire enq(v.db);
    enq.set_query(Xapian::Query(std::string(schema::kArticlePrefix) + schema::article_key("r1")));
    auto doc = enq.get_mset(0, 1).begin().get_document();
    schema::PassageData data;
    REQUIRE(schema::decode_passage(doc.get_data(), data));
    REQUIRE(data.article);
    CHECK(data.article->title == "Lips and teeth");
    CHECK(data.article->year == 2010);
    CHECK(data.article->date == "2010-05-01");
    CHECK(data.article->authors == std::vector<std::string>{"An Author"});
    CHECK(doc.get_value(schema::kValueYear) == Xapian::sortable_serialise(2010));
  }

  // Incremental by id and content: edit r3, drop r1, keep 7.
  spit(c / "articles.jsonl",
       "{\"id\":\"r3\",\"text\":\"Dandong handles most of the border trade, and Hunchun some.\"}\n"
       "{\"id\":7,\"text\":\"Numeric ids are kept as text: Sinuiju.\"}\n");
  bump_mtime(c / "articles.jsonl", 5);
  auto s2 = run_index(o);
  CHECK(s2.updated == 1);
  CHECK(s2.removed == 1);
  CHECK(s2.unchanged == 1);
  CHECK(s2.skipped.empty());
  IndexView v(t.path / "db");
  CHECK(v.files.size() == 2);
  CHECK(v.has_term_in("hunchun", "r3"));
  CHECK(v.consistent());
  CHECK(indexer::verify_index(o.db_path).ok());
}

TEST_CASE("a changed sidecar entry re-indexes the article it names", "[indexer][incremental]") {
  TempDir t;
  fs::path c = t.path / "corpus";
  copy_seed_corpus(c);
  auto o = options_for(t);
  run_index(o);
  spit(c / "lipsteeth-meta.tsv", "file\ttitle\tdate\tauthors\n" + k002 + "\tA corrected title\t2014-07-01\tSome One\n");
  auto s = run_index(o);
  CHECK(s.updated == 1);
  CHECK(s.unchanged == 4);
  IndexView v(t.path / "db");
  CHECK(v.has_term_in("Scorrected", k002));
  CHECK(v.has_term_in("Y2014", k002));
  CHECK(v.consistent());
}

TEST_CASE("rebuilding swaps in a new generation, a changed gazetteer rebuilds", "[indexer][rebuild]") {
  TempDir t;
  copy_seed_corpus(t.path / "corpus");
  auto o = options_for(t);
  run_index(o);
  std::string db = o.db_path;
  CHECK(indexer::read_stub(db) == std::vector<std::string>{"gen-000001"});

  o.rebuild = true;
  auto s = run_index(o);
  CHECK(s.mode == "rebuild");
  CHECK(s.added == 5);
  CHECK(indexer::read_stub(db) == std::vector<std::string>{"gen-000002"});
  CHECK(fs::exists(fs::path(db) / "gen-000001"));  // the previous one stays for readers still on it
  CHECK(IndexView(db).consistent());

  // A gazetteer with one more actor: the index is rebuilt with it.
  o.rebuild = false;
  std::string gaz = slurp(analyzers::Gazetteer::default_path());
  spit(t.path / "actors.tsv", gaz + (gaz.empty() || gaz.back() == '\n' ? "" : "\n") +
                                  "zz-test-actor\tZanzibarian Ferry Line\torganization\tZanzibar Ferry\n");
  o.actors_path = (t.path / "actors.tsv").string();
  auto s2 = run_index(o);
  CHECK(s2.mode == "rebuild");
  CHECK(indexer::read_stub(db) == std::vector<std::string>{"gen-000003"});
  CHECK(!fs::exists(fs::path(db) / "gen-000001"));
  IndexView v(db);
  CHECK(v.db.get_metadata(schema::kMetaGazetteer).find("zz-test-actor") != std::string::npos);
}

TEST_CASE("two full builds of the same files number their passages alike", "[indexer][rebuild]") {
  // The writers take the files in fixed runs, so the merged index gives each
  // passage the same document id every time (equal scores rank in docid
  // order: a rebuild must not reorder them).
  TempDir a, b;
  for (TempDir* t : {&a, &b}) {
    write_generated_corpus(t->path / "corpus", 60);
    REQUIRE(run_index(options_for(*t)).added == 60);
  }
  IndexView va(a.path / "db"), vb(b.path / "db");
  REQUIRE(va.db.get_doccount() > 300);
  REQUIRE(va.db.get_lastdocid() == vb.db.get_lastdocid());
  for (Xapian::docid d = 1; d <= va.db.get_lastdocid(); ++d) {
    const Xapian::Document x = va.db.get_document(d), y = vb.db.get_document(d);
    REQUIRE(x.get_value(schema::kValueArticle) == y.get_value(schema::kValueArticle));
    REQUIRE(x.get_value(schema::kValuePassageOrdinal) == y.get_value(schema::kValuePassageOrdinal));
  }
}

TEST_CASE("a second writer is refused while the lock is held", "[indexer][lock]") {
  TempDir t;
  copy_seed_corpus(t.path / "corpus");
  auto o = options_for(t);
  indexer::IndexLock held(o.db_path);
  CHECK_THROWS_AS(run_index(o), IndexLockedError);
  try {
    run_index(o);
  } catch (const IndexLockedError& e) {
    CHECK(std::string(e.what()).find("another index run holds the lock") != std::string::npos);
  }
}

TEST_CASE("stats report what the index holds", "[indexer][stats]") {
  TempDir t;
  copy_seed_corpus(t.path / "corpus");
  auto o = options_for(t);
  auto s = run_index(o);
  auto st = indexer::read_stats(o.db_path);
  CHECK(st.articles == 5);
  CHECK(st.passages == s.passages_total);
  CHECK(st.passages > 5);
  CHECK(st.terms > 1000);
  CHECK(st.actors > 5);
  CHECK(st.passages_per_year.count(2016) == 1);
  CHECK(st.bytes_on_disk > 0);
  CHECK(st.roots == std::vector<std::string>{(t.path / "corpus").string()});
  auto lb = nlohmann::json::parse(st.last_build_json);
  CHECK(lb["added"] == 5);
  CHECK_THROWS_AS(indexer::read_stats((t.path / "nothing").string()), IndexMissingError);
}

TEST_CASE("verify finds files changed since they were indexed", "[indexer][verify]") {
  TempDir t;
  copy_seed_corpus(t.path / "corpus");
  auto o = options_for(t);
  run_index(o);
  CHECK(indexer::verify_index(o.db_path).ok());
  fs::path f = t.path / "corpus" / k001;
  spit(f, slurp(f) + "\nmore\n");
  fs::remove(t.path / "corpus" / k002);
  auto rep = indexer::verify_index(o.db_path);
  REQUIRE(rep.problems.size() == 2);
  CHECK(rep.problems[0].find("changed since it was indexed") != std::string::npos);
  CHECK(rep.problems[1].find("is gone") != std::string::npos);
}
