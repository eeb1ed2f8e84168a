#include "analyzers/passage_data.h"

#include <nlohmann/json.hpp>

namespace lipsteeth::schema {

namespace {

using json = nlohmann::json;

json article_json(const ArticleData& a) {
  json j = json::object();
  j["id"] = a.id;
  j["path"] = a.path;
  j["title"] = a.title;
  j["year"] = a.year ? json(*a.year) : json(nullptr);
  j["date"] = a.date;
  j["authors"] = a.authors;
  return j;
}

std::string str(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::uint32_t num(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_number_unsigned() ? it->get<std::uint32_t>() : 0;
}

}  // namespace

std::string encode_passage(const PassageData& p) {
  json j = json::object();
  j["o"] = p.ordinal;
  j["s"] = p.start;
  j["e"] = p.end;
  j["t"] = p.text;
  json m = json::array();
  for (const auto& x : p.mentions) m.push_back(json::array({x.actor_id, x.start, x.end}));
  j["m"] = std::move(m);
  if (p.article) j["a"] = article_json(*p.article);
  // Invalid UTF-8 cannot reach here (the analyzers decode and normalise), but
  // a dump must never throw.
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

bool decode_passage(std::string_view data, PassageData& out) {
  json j = json::parse(data, nullptr, false);
  if (!j.is_object()) return false;
  out.ordinal = num(j, "o");
  out.start = num(j, "s");
  out.end = num(j, "e");
  out.text = str(j, "t");
  out.mentions.clear();
  if (auto m = j.find("m"); m != j.end() && m->is_array()) {
    for (const auto& x : *m) {
      if (!x.is_array() || x.size() != 3 || !x[0].is_string() || !x[1].is_number_unsigned() ||
          !x[2].is_number_unsigned())
        continue;
      MentionData md{x[0].get<std::string>(), x[1].get<std::uint32_t>(), x[2].get<std::uint32_t>()};
      if (md.start <= md.end && md.end <= out.text.size()) out.mentions.push_back(std::move(md));
    }
  }
  out.article.reset();
  if (auto a = j.find("a"); a != j.end() && a->is_object()) {
    ArticleData ad;
    ad.id = str(*a, "id");
    ad.path = str(*a, "path");
    ad.title = str(*a, "title");
    if (auto y = a->find("year"); y != a->end() && y->is_number_integer()) ad.year = y->get<int>();
    ad.date = str(*a, "date");
    if (auto au = a->find("authors"); au != a->end() && au->is_array())
      for (const auto& s : *au)
        if (s.is_string()) ad.authors.push_back(s.get<std::string>());
    out.article = std::move(ad);
  }
  return j.contains("t");
}

}  // namespace lipsteeth::schema
