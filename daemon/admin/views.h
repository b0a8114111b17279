#pragma once
// Private to daemon/admin: the JSON documents the admin routes answer with, built from
// plain values so that their shapes are tested without a server (docs/admin-api.md shows
// each). Pure functions; thread-safe.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "daemon/admin/heal_manager.h"
#include "daemon/observe/log_hub.h"
#include "daemon/observe/request_log.h"
#include "daemon/storage/object_layer.h"

namespace maxio::admin {

// What GET /info reports beyond StorageInfo.
struct ServerIdentity {
  std::string version;  // MAXIO_VERSION
  std::string region;
  std::vector<std::string> endpoints;  // API URLs
  std::chrono::system_clock::time_point started;
  std::chrono::system_clock::time_point now;
};

nlohmann::ordered_json info_json(const ServerIdentity& server, const StorageInfo& storage);
nlohmann::ordered_json topology_json(const StorageInfo& storage);
nlohmann::ordered_json datausage_json(const StorageInfo& storage);
// `run` is the current or last run (nullopt: state "idle"); `background` what the scanner
// and the MRF queue did since start.
nlohmann::ordered_json heal_status_json(const std::optional<HealRunStatus>& run,
                                        const HealingCounters& background);
// One line of GET /trace. Never carries a secret: no header is included and signature and
// token values in the query are replaced by "REDACTED".
nlohmann::ordered_json trace_json(const RequestRecord& record);
nlohmann::ordered_json log_json(const LogEntry& entry);

// `raw_query` with the values of X-Amz-Signature, X-Amz-Security-Token and Signature (SigV2
// presigned) replaced by "REDACTED"; names are compared case-insensitively and the rest is
// left byte for byte.
std::string redact_query(std::string_view raw_query);

}  // namespace maxio::admin
