#include "daemon/storage/xlmeta/format.h"

#include <nlohmann/json.hpp>

#include "shared/util/uuid.h"

namespace maxio {
namespace {

Status corrupted(std::string message) {
  return Status(ErrorCode::kCorruptedFormat, "format.json: " + std::move(message));
}

}  // namespace

Result<FormatErasure> parse_format_json(std::string_view json) {
  nlohmann::json doc = nlohmann::json::parse(json.begin(), json.end(), nullptr,
                                             /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) return corrupted("not a JSON object");
  auto get_string = [](const nlohmann::json& obj, const char* key, std::string& out) {
    auto it = obj.find(key);
    if (it == obj.end() || !it->is_string()) return false;
    out = it->get<std::string>();
    return true;
  };
  FormatErasure f;
  if (!get_string(doc, "version", f.version) || f.version != "1") return corrupted("bad version");
  if (!get_string(doc, "format", f.format) || (f.format != "xl" && f.format != "xl-single")) {
    return corrupted("bad format");
  }
  if (doc.contains("id") && !get_string(doc, "id", f.id)) return corrupted("bad id");
  auto xl = doc.find("xl");
  if (xl == doc.end() || !xl->is_object()) return corrupted("missing xl");
  if (!get_string(*xl, "version", f.xl_version)) return corrupted("bad xl.version");
  if (!get_string(*xl, "this", f.this_drive)) return corrupted("bad xl.this");
  f.distribution_algo.clear();
  if (xl->contains("distributionAlgo") &&
      !get_string(*xl, "distributionAlgo", f.distribution_algo)) {
    return corrupted("bad xl.distributionAlgo");
  }
  auto sets = xl->find("sets");
  if (sets == xl->end() || !sets->is_array()) return corrupted("bad xl.sets");
  for (const auto& set : *sets) {
    if (!set.is_array()) return corrupted("bad xl.sets");
    std::vector<std::string> drives;
    for (const auto& drive : set) {
      if (!drive.is_string()) return corrupted("bad xl.sets");
      drives.push_back(drive.get<std::string>());
    }
    f.sets.push_back(std::move(drives));
  }
  return f;
}

std::string serialize_format_json(const FormatErasure& f) {
  nlohmann::ordered_json xl;
  xl["version"] = f.xl_version;
  xl["this"] = f.this_drive;
  xl["sets"] = nlohmann::ordered_json::array();
  for (const auto& set : f.sets) xl["sets"].push_back(set);
  xl["distributionAlgo"] = f.distribution_algo;
  nlohmann::ordered_json doc;
  doc["version"] = f.version;
  doc["format"] = f.format;
  doc["id"] = f.id;
  doc["xl"] = std::move(xl);
  return doc.dump();
}

std::vector<FormatErasure> new_formats(int set_count, int drives_per_set) {
  FormatErasure base;
  base.id = new_uuid();
  for (int s = 0; s < set_count; ++s) {
    std::vector<std::string> set;
    for (int d = 0; d < drives_per_set; ++d) set.push_back(new_uuid());
    base.sets.push_back(std::move(set));
  }
  std::vector<FormatErasure> out;
  for (const auto& set : base.sets) {
    for (const auto& drive : set) {
      FormatErasure f = base;
      f.this_drive = drive;
      out.push_back(std::move(f));
    }
  }
  return out;
}

}  // namespace maxio
