#pragma once
// Private to daemon/admin: the server settings GET/PUT /config manage and their JSON schema
// (docs/admin-api.md#configuration). Values and pure functions; thread-safe.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "daemon/server/server_context.h"
#include "shared/util/status.h"

namespace maxio::admin {

// {"region": "us-east-1", "scanner": {"interval": "1m", "deep_every": 0},
//  "drive_probe_interval": "5s"}: every key is optional; one left out (or null) falls back
// to the command line and environment.
struct ServerSettings {
  std::optional<std::string> region;
  std::optional<std::chrono::milliseconds> scanner_interval;
  std::optional<int> scanner_deep_every;
  std::optional<std::chrono::milliseconds> drive_probe_interval;

  bool operator==(const ServerSettings&) const = default;
};

// Longest interval accepted for the scanner and the drive probe.
inline constexpr std::chrono::hours kMaxSettingsInterval{24 * 7};
// Largest scanner.deep_every.
inline constexpr int kMaxDeepEvery = 1'000'000;

// Parses and validates a configuration document. Fails with kInvalidArgument and a message
// naming the offending key for malformed JSON, a non-object, an unknown key, a value of the
// wrong type, an interval parse_interval rejects or beyond kMaxSettingsInterval, a negative
// or too large deep_every, or a region that is not 1-64 of [A-Za-z0-9_-].
Result<ServerSettings> parse_settings(std::string_view json_text);
Result<ServerSettings> settings_from_json(const nlohmann::ordered_json& document);
// The document of `settings` with only the keys it sets (parse_settings' inverse).
nlohmann::ordered_json settings_to_json(const ServerSettings& settings);

// Every key set from `config`.
ServerSettings settings_of(const ServerConfig& config);
// `base` with every key `top` sets replaced by top's.
ServerSettings overlay(const ServerSettings& base, const ServerSettings& top);
// The keys `settings` sets, as the document names them ("region", "scanner.interval",
// "scanner.deep_every", "drive_probe_interval").
std::vector<std::string> keys_set(const ServerSettings& settings);
// `settings` without the keys named in `keys`.
ServerSettings without(ServerSettings settings, const std::vector<std::string>& keys);
// `config` with the keys `settings` sets applied.
ServerConfig apply_settings(ServerConfig config, const ServerSettings& settings);

// An interval as the schema writes it: the largest unit that is exact ("1m", "90s",
// "1500ms", "2h"); "0" for zero.
std::string format_interval(std::chrono::milliseconds interval);

}  // namespace maxio::admin
