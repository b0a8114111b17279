#include "daemon/admin/config_store.h"

#include <algorithm>
#include <cstdio>

#include "daemon/admin/json.h"
#include "shared/util/encoding.h"
#include "shared/util/time.h"
#include "shared/util/uuid.h"

namespace maxio::admin {

namespace {

using json = nlohmann::ordered_json;

constexpr size_t kMillisDigits = 13;
constexpr size_t kRandomDigits = 8;

std::string history_path(std::string_view id) {
  return std::string(kConfigHistoryPrefix) + std::string(id) + ".json";
}

std::string new_history_id(std::chrono::system_clock::time_point now) {
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
  char digits[32];
  std::snprintf(digits, sizeof(digits), "%013lld", static_cast<long long>(ms));
  return std::string(digits) + "-" + hex_encode(random_bytes(kRandomDigits / 2));
}

Result<ConfigHistoryEntry> parse_entry(std::string_view id, const std::string& text) {
  json document = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!document.is_object() || !document.contains("config") || !document.contains("time") ||
      !document["time"].is_string()) {
    return Status(ErrorCode::kInvalidArgument, "malformed history entry " + std::string(id));
  }
  ConfigHistoryEntry entry;
  entry.id = std::string(id);
  MAXIO_TRY(entry.time, parse_iso8601(document["time"].get<std::string>()));
  if (document.contains("restored_from") && document["restored_from"].is_string()) {
    entry.restored_from = document["restored_from"].get<std::string>();
  }
  MAXIO_TRY(entry.settings, settings_from_json(document["config"]));
  return entry;
}

}  // namespace

bool is_valid_history_id(std::string_view id) {
  if (id.size() != kMillisDigits + 1 + kRandomDigits || id[kMillisDigits] != '-') return false;
  for (size_t i = 0; i < id.size(); ++i) {
    if (i == kMillisDigits) continue;
    const char c = id[i];
    const bool ok = (c >= '0' && c <= '9') || (i > kMillisDigits && c >= 'a' && c <= 'f');
    if (!ok) return false;
  }
  return true;
}

Result<ServerSettings> ConfigStore::load() {
  auto text = layer_.read_system_object(std::string(kConfigObject));
  if (!text) {
    if (text.code() == ErrorCode::kNoSuchKey) return ServerSettings{};
    return text.status();
  }
  return parse_settings(*text);
}

Result<ConfigHistoryEntry> ConfigStore::save(const ServerSettings& settings,
                                             std::chrono::system_clock::time_point now,
                                             std::string restored_from) {
  ConfigHistoryEntry entry{new_history_id(now), now, std::move(restored_from), settings};
  json document = {{"id", entry.id},
                   {"time", format_iso8601(entry.time)},
                   {"config", settings_to_json(settings)}};
  if (!entry.restored_from.empty()) document["restored_from"] = entry.restored_from;
  // History first: a crash in between leaves an entry for a change that did not take
  // effect, never a change without its entry.
  MAXIO_RETURN_IF_ERROR(layer_.write_system_object(history_path(entry.id), dump_json(document)));
  MAXIO_RETURN_IF_ERROR(layer_.write_system_object(std::string(kConfigObject),
                                                   dump_json(settings_to_json(settings))));
  auto listed = layer_.list_system_objects(std::string(kConfigHistoryPrefix));
  if (listed && listed->size() > max_history_) {
    // Sorted oldest first: ids begin with the time.
    const size_t excess = listed->size() - max_history_;
    for (size_t i = 0; i < excess; ++i) (void)layer_.delete_system_object((*listed)[i]);
  }
  return entry;
}

Result<std::vector<ConfigHistoryEntry>> ConfigStore::history() {
  MAXIO_TRY(std::vector<std::string> paths,
            layer_.list_system_objects(std::string(kConfigHistoryPrefix)));
  std::vector<ConfigHistoryEntry> entries;
  for (auto it = paths.rbegin(); it != paths.rend(); ++it) {
    std::string_view name(*it);
    if (!name.starts_with(kConfigHistoryPrefix) || !name.ends_with(".json")) continue;
    name.remove_prefix(kConfigHistoryPrefix.size());
    name.remove_suffix(5);
    if (!is_valid_history_id(name)) continue;
    auto found = entry(name);
    if (found) entries.push_back(std::move(found).value());
  }
  return entries;
}

Result<ConfigHistoryEntry> ConfigStore::entry(std::string_view id) {
  if (!is_valid_history_id(id)) {
    return Status(ErrorCode::kNoSuchKey, "no history entry " + std::string(id));
  }
  MAXIO_TRY(std::string text, layer_.read_system_object(history_path(id)));
  return parse_entry(id, text);
}

}  // namespace maxio::admin
