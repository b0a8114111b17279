#pragma once
// Private to daemon/admin: the stored server configuration and its history, as ObjectLayer
// system objects (erasure-coded, healed) under .minio.sys/config/maxio/.
// Not synchronized: the caller serializes save(); loads and reads are safe anytime.

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "daemon/admin/settings.h"
#include "daemon/storage/object_layer.h"
#include "shared/util/status.h"

namespace maxio::admin {

inline constexpr std::string_view kConfigObject = "maxio/config.json";
inline constexpr std::string_view kConfigHistoryPrefix = "maxio/config-history/";
inline constexpr size_t kMaxConfigHistory = 100;

struct ConfigHistoryEntry {
  // Milliseconds since the epoch (13 digits) and 8 random hex digits. Each change's id is
  // greater than the previous one's (the milliseconds are bumped when the clock did not
  // advance), so ids sort in the order of the changes.
  std::string id;
  std::chrono::system_clock::time_point time;
  std::string restored_from;  // the entry this one restored, if any
  ServerSettings settings;    // the stored settings as of this change
};

// The current settings are maxio/config.json; every accepted change also writes
// maxio/config-history/<id>.json, the newest kMaxConfigHistory kept. (Under maxio/ because
// MinIO's own config.json in .minio.sys/config/ has another schema.)
class ConfigStore {
 public:
  // `layer` must outlive the store.
  explicit ConfigStore(ObjectLayer& layer, size_t max_history = kMaxConfigHistory)
      : layer_(layer), max_history_(max_history) {}

  // The stored settings; empty settings when none were ever stored. Errors: the layer's
  // (quorum, I/O), kInvalidArgument for a stored document that no longer validates.
  Result<ServerSettings> load();

  // Stores `settings` as current and appends a history entry (dropping the oldest beyond
  // the limit); returns that entry. Errors: the layer's (nothing is written when listing
  // the history fails).
  Result<ConfigHistoryEntry> save(const ServerSettings& settings,
                                  std::chrono::system_clock::time_point now,
                                  std::string restored_from = {});

  // Every kept entry, newest first. Entries that cannot be read are left out.
  Result<std::vector<ConfigHistoryEntry>> history();
  // One entry; kNoSuchKey for an unknown or malformed id.
  Result<ConfigHistoryEntry> entry(std::string_view id);

 private:
  ObjectLayer& layer_;
  const size_t max_history_;
};

// True for an id as save() makes them (the only ones entry() will look up).
bool is_valid_history_id(std::string_view id);

}  // namespace maxio::admin
