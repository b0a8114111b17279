// GET and PUT /config, GET /config/history, POST /config/restore.

#include <algorithm>

#include "daemon/admin/request.h"
#include "shared/util/log.h"
#include "shared/util/time.h"

namespace maxio::admin {

namespace {

using json = nlohmann::ordered_json;

// What the next start will run with: the start-up settings under the stored ones, except
// for keys the command line or environment set, which win.
json effective_config(AdminRequest& request, const ServerSettings& stored) {
  return settings_to_json(
      overlay(request.state.startup_settings, without(stored, request.state.pinned_settings)));
}

// The keys of `stored` that the command line or environment override.
json overridden_keys(AdminRequest& request, const ServerSettings& stored) {
  json keys = json::array();
  for (const std::string& key : keys_set(stored)) {
    const auto& pinned = request.state.pinned_settings;
    if (std::find(pinned.begin(), pinned.end(), key) != pinned.end()) keys.push_back(key);
  }
  return keys;
}

json history_entry_json(const ConfigHistoryEntry& entry) {
  json out = {{"id", entry.id}, {"time", format_iso8601(entry.time)}};
  if (!entry.restored_from.empty()) out["restored_from"] = entry.restored_from;
  return out;
}

// Stores `settings` (under config_mu) and answers with the new history entry.
AdminStatus store(AdminRequest& request, const ServerSettings& settings,
                  std::string restored_from) {
  std::lock_guard<std::mutex> lock(request.state.config_mu);
  MAXIO_TRY(ConfigHistoryEntry entry,
            request.state.config_store.save(settings, request.now, std::move(restored_from)));
  log_info("admin: server configuration changed (history " + entry.id +
           (entry.restored_from.empty() ? "" : ", restored from " + entry.restored_from) +
           "); it applies at the next start");
  json body = history_entry_json(entry);
  body["restart_required"] = true;
  body["config"] = effective_config(request, settings);
  json overridden = overridden_keys(request, settings);
  if (!overridden.empty()) body["overridden_by_environment"] = std::move(overridden);
  return send_json(request, 200, body);
}

}  // namespace

AdminStatus handle_config_get(AdminRequest& request) {
  auto stored = request.state.config_store.load();
  if (!stored && stored.code() == ErrorCode::kInvalidArgument) {
    // The next start ignores a stored document that does not validate; so does this answer.
    log_warning("admin: stored configuration ignored: " + stored.status().message());
    stored = ServerSettings{};
  }
  if (!stored) return stored.status();
  return send_json(request, 200, effective_config(request, *stored));
}

AdminStatus handle_config_put(AdminRequest& request) {
  Reader& body = request.auth.body ? *request.auth.body : request.exchange.body;
  auto text = read_all(body, kMaxAdminBody);
  if (!text) {
    if (text.code() == ErrorCode::kEntityTooLarge) {
      return AdminStatus(AdminErrorCode::kBadConfig,
                         "the body is larger than " + std::to_string(kMaxAdminBody) + " bytes");
    }
    return text.status();
  }
  auto settings = parse_settings(*text);
  if (!settings) return AdminStatus(AdminErrorCode::kBadConfig, settings.status().message());
  return store(request, *settings, {});
}

AdminStatus handle_config_history(AdminRequest& request) {
  MAXIO_TRY(std::vector<ConfigHistoryEntry> entries, request.state.config_store.history());
  json list = json::array();
  for (const ConfigHistoryEntry& entry : entries) {
    json item = history_entry_json(entry);
    item["config"] = settings_to_json(entry.settings);
    list.push_back(std::move(item));
  }
  return send_json(request, 200, {{"entries", std::move(list)}});
}

AdminStatus handle_config_restore(AdminRequest& request) {
  const std::string id = request.query_value("id").value_or("");
  if (id.empty()) return AdminStatus(AdminErrorCode::kInvalidArgument, "id: required");
  auto entry = request.state.config_store.entry(id);
  if (!entry) {
    if (entry.code() == ErrorCode::kNoSuchKey) {
      return AdminStatus(AdminErrorCode::kNoSuchConfigEntry, "no history entry '" + id + "'");
    }
    if (entry.code() == ErrorCode::kInvalidArgument) {
      return AdminStatus(AdminErrorCode::kBadConfig,
                         "history entry '" + id + "' is not valid: " + entry.status().message());
    }
    return entry.status();
  }
  return store(request, entry->settings, id);
}

}  // namespace maxio::admin
