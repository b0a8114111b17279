#include "daemon/admin/config_store.h"

#include <algorithm>
#include <charconv>
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

// The id of a change made at `now` after the one with id `last` (empty: none): ordered by
// time, and always after `last` even within one millisecond or after the clock went back.
std::string new_history_id(std::chrono::system_clock::time_point now, std::string_view last) {
  long long ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
  long long last_ms = 0;
  if (!last.empty()) {
    std::from_chars(last.data(), last.data() + kMillisDigits, last_ms);
    ms = std::max(ms, last_ms + 1);
  }
  char digits[32];
  std::snprintf(digits, sizeof(digits), "%013lld", ms);
  return std::string(digits) + "-" + hex_encode(random_bytes(kRandomDigits / 2));
}

// The id in a history object's path, or "" when the path is not one of save()'s.
std::string_view id_of(std::string_view path) {
  if (!path.starts_with(kConfigHistoryPrefix) || !path.ends_with(".json")) return {};
  path.remove_prefix(kConfigHistoryPrefix.size());
  path.remove_suffix(5);
  return is_valid_history_id(path) ? path : std::string_view();
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
  // Sorted, so oldest first: ids begin with the time.
  MAXIO_TRY(std::vector<std::string> kept,
            layer_.list_system_objects(std::string(kConfigHistoryPrefix)));
  std::erase_if(kept, [](const std::string& path) { return id_of(path).empty(); });
  const std::string_view last = kept.empty() ? std::string_view() : id_of(kept.back());
  ConfigHistoryEntry entry{new_history_id(now, last), now, std::move(restored_from), settings};
  json document = {{"id", entry.id},
                   {"time", format_iso8601(entry.time)},
                   {"config", settings_to_json(settings)}};
  if (!entry.restored_from.empty()) document["restored_from"] = entry.restored_from;
  // History first: a crash in between leaves an entry for a change that did not take
  // effect, never a change without its entry.
  MAXIO_RETURN_IF_ERROR(layer_.write_system_object(history_path(entry.id), dump_json(document)));
  MAXIO_RETURN_IF_ERROR(layer_.write_system_object(std::string(kConfigObject),
                                                   dump_json(settings_to_json(settings))));
  if (kept.size() + 1 > max_history_) {
    const size_t excess = kept.size() + 1 - max_history_;
    // Best effort: an entry left behind is pruned by the next change.
    for (size_t i = 0; i < excess; ++i) (void)layer_.delete_system_object(kept[i]);
  }
  return entry;
}

Result<std::vector<ConfigHistoryEntry>> ConfigStore::history() {
  MAXIO_TRY(std::vector<std::string> paths,
            layer_.list_system_objects(std::string(kConfigHistoryPrefix)));
  std::vector<ConfigHistoryEntry> entries;
  for (auto it = paths.rbegin(); it != paths.rend(); ++it) {
    const std::string_view id = id_of(*it);
    if (id.empty()) continue;
    auto found = entry(id);
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
