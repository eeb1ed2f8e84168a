// A full build: the text dictionary, sharded writing, the merge into a new generation and the swap.
#include "indexer/run.h"
#include "indexer/generations.h"

#include "analyzers/passage_column.h"
#include "indexer/index_dir.h"
#include "lipsteeth/version.h"

namespace lipsteeth::indexer::detail {


// The text dictionary of a full build, trained on the passages of files taken
// at even intervals over the corpus (analysed here without tagging, in
// parallel), up to kSampleBytes of input. "" when the corpus is too small
// for one (analyzers::TextCodec::train).
std::string Run::train_text_dictionary() {
  constexpr std::uint64_t kSampleBytes = 4u << 20;
  constexpr std::size_t kFileSampleBytes = 1u << 20;
  const auto t0 = Clock::now();
  std::vector<const Task*> picked;
  if (!tasks_.empty()) {
    const std::uint64_t average = std::max<std::uint64_t>(1, bytes_total_ / tasks_.size());
    const std::size_t n = std::min<std::size_t>(tasks_.size(), kSampleBytes / average + 1);
    for (std::size_t k = 0; k < n; ++k) picked.push_back(&tasks_[k * tasks_.size() / n]);
  }
  std::vector<std::vector<std::string>> texts(picked.size());  // by pick: the sample is in corpus order
  std::atomic<std::size_t> next{0};
  std::atomic<bool> abort{false};
  run_threads(
      jobs_,
      [&](unsigned) {
        analyzers::AnalyzeOptions o;
        o.keep_tokens = false;
        for (std::size_t i; !abort && (i = next.fetch_add(1)) < picked.size();) {
          const Task& t = *picked[i];
          analyzers::Article a;
          try {
            if (t.record) {
              JsonlRecord rec;
              if (!parse_jsonl_record(t.line, rec).empty()) continue;
              a = analyzers::analyze_text(std::move(rec.text), rec.id, rec.stated, o);
            } else {
              std::string err;
              std::string bytes = read_file(t.file->path, err);
              if (!err.empty()) continue;
              // Clean UTF-8 text with LF line ends is read from its file, not
              // stored: no need to analyse it here.
              const auto format = analyzers::format_from_path(t.file->path);
              const bool in_file = format != analyzers::Format::html && !analyzers::is_container_path(t.file->path) &&
                                   bytes.find('\r') == std::string::npos &&
                                   analyzers::is_valid_utf8(bytes);
              if (in_file && !opt_.store_texts) continue;
              // Of a very large file, its first paragraphs are enough.
              // (A container file is whole or nothing: a PDF's or a zip's start is no file.)
              if (bytes.size() > kFileSampleBytes && !analyzers::is_container_path(t.file->path))
                bytes.resize(bytes.rfind('\n', kFileSampleBytes) + 1);
              a = analyzers::analyze_article(bytes, t.file->path, t.file->id, o);
            }
          } catch (const std::exception&) {
            continue;  // the indexing proper reports the file
          }
          if (a.raw_base && !opt_.store_texts) continue;  // its passages are read from the file, not stored
          for (const auto& p : a.passages)
            if (p.start <= p.end && p.end <= a.text.size())
              texts[i].emplace_back(std::string_view(a.text).substr(p.start, p.end - p.start));
        }
      },
      abort, [] { std::this_thread::sleep_for(std::chrono::milliseconds(5)); });
  std::vector<std::string> samples;
  for (auto& v : texts)
    for (auto& s : v) samples.push_back(std::move(s));
  std::string dictionary = analyzers::TextCodec::train(samples);
  summary_.dictionary_seconds = since(t0);
  return dictionary;
}

void Run::use_text_dictionary(std::string dictionary) {
  codec_.reset();
  summary_.dictionary_bytes = dictionary.size();
  if (!dictionary.empty()) codec_ = std::make_unique<analyzers::TextCodec>(std::move(dictionary));
}

void Run::run_full(bool resume, const std::string& build_name, bool first_build) {
  const std::string build_dir = dir_ + "/" + build_name;
  fs::create_directories(build_dir);
  std::vector<std::string> shard_names;
  for (const auto& e : fs::directory_iterator(build_dir))
    if (e.path().filename().string().rfind("shard-", 0) == 0) shard_names.push_back(e.path().filename().string());
  std::sort(shard_names.begin(), shard_names.end());
  if (!resume) {
    for (const auto& s : shard_names) fs::remove_all(build_dir + "/" + s);
    shard_names.clear();
  }
  unsigned nshards = std::max<unsigned>(jobs_, shard_names.size());
  shard_names.clear();
  for (unsigned i = 0; i < nshards; ++i) shard_names.push_back(fmt::format("shard-{:02d}", i));

  // States already committed in the shards of a build that was interrupted.
  States states;
  if (resume) {
    for (unsigned i = 0; i < nshards; ++i) {
      std::string p = build_dir + "/" + shard_names[i];
      if (fs::exists(p + "/iamglass")) states.load(Xapian::Database(p), i);
    }
  }
  plan(states);
  states_.files = std::move(states.files);
  states_.jsonl = std::move(states.jsonl);

  // One text dictionary for all shards, trained before any is written; a
  // resumed build keeps the one its shards were written with.
  if (resume)
    use_text_dictionary(Xapian::Database(build_dir + "/" + shard_names[0]).get_metadata(schema::kMetaTextDictionary));
  else
    use_text_dictionary(train_text_dictionary());

  // Resumed: drop what changed or vanished since, and orphan passages (of an
  // article whose state never got committed), shard by shard.
  std::vector<std::unique_ptr<Writer>> writers;
  for (unsigned i = 0; i < nshards; ++i) {
    // No fsync for the shards: a killed process loses nothing that reached
    // the page cache, and shards that a power cut left unreadable are
    // detected (they fail to open) and the build starts over. The live
    // generation is written with the usual syncs.
    writers.push_back(std::make_unique<Writer>(build_dir + "/" + shard_names[i],
                                               Xapian::DB_CREATE_OR_OPEN | Xapian::DB_NO_SYNC,
                                               opt_.batch_bytes ? opt_.batch_bytes : IndexOptions::kFullBatchBytes,
                                               false));
    writers.back()->set_codec(codec_.get());
  }
  if (resume) {
    std::unordered_set<std::string> redo;
    for (const auto& t : tasks_)
      if (t.previous) redo.insert(t.record ? t.record_id : t.file->id);
    for (const auto& id : vanished_) redo.insert(id);
    for (const auto& id : redo) {
      writers[states.shard_of.at(id)]->remove(id);
      states_.files.erase(id);
    }
    for (auto& t : tasks_) t.previous = nullptr;  // re-added from scratch
    summary_.removed += vanished_.size();
    const std::string xa = schema::kArticlePrefix;
    for (auto& w : writers) {
      std::vector<std::string> orphans;
      for (auto it = w->db().allterms_begin(xa); it != w->db().allterms_end(xa); ++it) {
        // The key of an article is its id unless the id is very long (then
        // hashed): both are looked up through the states.
        orphans.push_back(*it);
      }
      std::unordered_set<std::string> known;
      for (const auto& [id, s] : states_.files) known.insert(article_term(id));
      // XA also begins the actor prefix XACT: leave those terms alone.
      const std::string act = schema::kActorPrefix;
      for (const auto& term : orphans)
        if (!known.count(term) && term.compare(0, act.size(), act) != 0) w->db().delete_document(term);
    }
  }
  for (auto& w : writers) {
    set_version_metadata(w->db(), gazetteer_text_, gazetteer_digest_,
                         std::string(analyzers::ActorLexicon::build(*gazetteer_).text()), corpus_.roots,
                         codec_ ? codec_->dictionary() : std::string());
    w->commit();
  }
  if (first_build && !opt_.gate) {
    // No live index yet: publish the shards, so that what is committed is
    // searchable even if this run is killed.
    std::vector<std::string> rel;
    for (const auto& s : shard_names) rel.push_back(build_name + "/" + s);
    write_stub(dir_, rel);
  }

  Analyzer analyzer(*gazetteer_, *tagger_, &states_, false);
  analyzer.roots = &corpus_.roots;
  analyzer.count_spelling = false;
  analyzer.codec = codec_.get();
  analyzer.store_text = opt_.store_texts;
  // Each thread analyses and writes: documents are built as they are written.
  analyzer.defer_from_passages = 0;
  std::atomic<bool> abort{false};
  auto t0 = Clock::now();
  std::mutex wait_mutex;
  // Writer w takes the runs of kChunk files w, w + n, w + 2n, ... in corpus
  // order, so that the merged index numbers its passages the same way in
  // every build of the same files with the same --jobs: equal scores, and
  // which of them reach a page, do not change from one nightly build to the
  // next. (Taking files as they come balances the writers no better: a run
  // is a few hundred kB, and the threads do the same work.)
  constexpr std::size_t kChunk = 16;
  run_threads(
      nshards,
      [&](unsigned w) {
        analyzers::Stemmer stemmer;
        Writer& writer = *writers[w];
        for (std::size_t c = w * kChunk; !abort && c < tasks_.size(); c += std::size_t{nshards} * kChunk) {
          for (std::size_t i = c; !abort && i < std::min(c + kChunk, tasks_.size()); ++i) {
            Result r = analyzer.process(tasks_[i], stemmer, writer.spelling(), &writer.compounds());
            tally(summary_, summary_mutex_, r);
            writer.apply(r);
            counters_.files_done += 1;
            counters_.bytes_done += tasks_[i].bytes;
          }
        }
        if (!abort) writer.commit();
      },
      abort,
      [&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        report("indexing", t0, false);
      });
  report("indexing", t0, true);

  finish_metadata(writers[0]->db());
  {
    // The spelling dictionary, from the term lists of all shards at once
    // (much cheaper than counting every word while indexing).
    Xapian::Database all;
    for (const auto& s : shard_names) all.add_database(Xapian::Database(build_dir + "/" + s));
    SpellingCounts compounds;
    for (auto& w : writers)
      for (const auto& [term, n] : w->compounds()) compounds[term] += n;
    add_spelling_from_terms(all, writers[0]->db(), compounds);
  }
  // The build's summary goes into the first shard before the merge, so that
  // a finished build's generation is written to only by later runs.
  {
    std::unordered_set<std::string> articles;
    Xapian::doccount passages = 0;
    for (auto& w : writers) {
      passages += w->db().get_doccount();
      for (auto it = w->db().metadata_keys_begin(schema::kMetaFilePrefix);
           it != w->db().metadata_keys_end(schema::kMetaFilePrefix); ++it)
        articles.insert(*it);
    }
    summary_.articles_total = articles.size();
    summary_.passages_total = passages;
    summary_.seconds = since(start_);
    json lb = json::parse(summary_.to_json());
    lb["finished"] = now_iso();
    writers[0]->db().set_metadata(schema::kMetaLastBuild, lb.dump());
    writers[0]->db().set_metadata(schema::kMetaArticles, std::to_string(summary_.articles_total));
  }
  writers[0]->commit();
  for (auto& w : writers) w->db().close();
  writers.clear();

  // Merge the shards into a new generation.
  auto t1 = Clock::now();
  report("merging", t1, true);
  const std::string gen_name = "gen-" + build_name.substr(build_name.find('-') + 1);
  const std::string gen_dir = dir_ + "/" + gen_name;
  // Recovery never leaves a live generation under a build's number, and a
  // live one is never written over: that would take the index from readers.
  for (const auto& l : read_stub(dir_))
    if (l == gen_name) throw Error(fmt::format("cannot merge into '{}': it is the live generation", gen_dir));
  fault_point("build-before-merge");
  discard_folder(dir_, gen_name);
  {
    Xapian::Database all;
    for (const auto& s : shard_names) all.add_database(Xapian::Database(build_dir + "/" + s));
    // FULL, not FULLER: FULLER makes oversize items that Xapian does not
    // expect a database to be updated with. Incremental runs update this
    // generation; with FULLER, Xapian 1.4.22 overran a heap buffer in
    // commit() on the first write to it (AddressSanitizer, 200 MB corpus)
    // and corrupted the heap in an incremental test run.
    all.compact(gen_dir, Xapian::DBCOMPACT_MULTIPASS | Xapian::Compactor::FULL);
  }
  fault_point("merge-after-compact");
  // The passage column of the new generation, in place before it is live.
  analyzers::PassageColumn::write(Xapian::Database(gen_dir), dir_);
  report("merging", t1, true);
  summary_.seconds = since(start_);  // the run's own summary covers the merge too
  sync_tree(gen_dir);
  // The gate (index --gate): the new generation becomes live only if it
  // passes; otherwise it and its build are discarded (run_full_or_discard)
  // and the live one stays.
  if (opt_.gate) {
    std::string failed = opt_.gate(gen_dir);
    if (!failed.empty())
      throw GateFailedError(fmt::format("the new index failed the gate, the live one is unchanged: {}", failed));
  }
  // Swap the new generation in (an atomic rename of the stub), then tidy:
  // the build, and every other generation once no search has it open.
  fault_point("swap-before-rename");
  write_stub(dir_, {gen_name});
  fault_point("swap-after-rename");
  discard_folder(dir_, build_name);
  fault_point("swap-after-cleanup");
  for (const auto& g : remove_unused_generations(dir_, 2000))
    summary_.recovered.push_back(
        fmt::format("kept the old generation {}: a search still has it open (the next run deletes it)", g));
}

}  // namespace lipsteeth::indexer::detail
