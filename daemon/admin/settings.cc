#include "daemon/admin/settings.h"

#include "daemon/server/config.h"

namespace maxio::admin {

namespace {

using json = nlohmann::ordered_json;

Status invalid(std::string message) {
  return Status(ErrorCode::kInvalidArgument, std::move(message));
}

Result<std::chrono::milliseconds> interval_value(const json& value, std::string_view key) {
  if (!value.is_string()) {
    return invalid(std::string(key) + ": expected a duration string such as \"30s\" or \"5m\"");
  }
  auto parsed = parse_interval(value.get<std::string>());
  if (!parsed) return invalid(std::string(key) + ": " + parsed.status().message());
  if (*parsed > kMaxSettingsInterval) {
    return invalid(std::string(key) + ": at most " + format_interval(kMaxSettingsInterval));
  }
  return *parsed;
}

Status validate_region(const std::string& region) {
  if (region.empty() || region.size() > 64) return invalid("region: expected 1 to 64 characters");
  for (char c : region) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_';
    if (!ok) return invalid("region: only letters, digits, '-' and '_' are allowed");
  }
  return Status::ok();
}

Status parse_scanner(const json& scanner, ServerSettings& settings) {
  if (!scanner.is_object()) return invalid("scanner: expected an object");
  for (const auto& [key, value] : scanner.items()) {
    if (value.is_null()) continue;
    if (key == "interval") {
      MAXIO_TRY(settings.scanner_interval, interval_value(value, "scanner.interval"));
    } else if (key == "deep_every") {
      // Unsigned first: a huge number must not wrap into range.
      const bool in_range = value.is_number_unsigned() ? value.get<uint64_t>() <= kMaxDeepEvery
                            : value.is_number_integer()
                                ? value.get<int64_t>() >= 0 && value.get<int64_t>() <= kMaxDeepEvery
                                : false;
      if (!in_range) {
        return invalid("scanner.deep_every: expected an integer from 0 to " +
                       std::to_string(kMaxDeepEvery));
      }
      settings.scanner_deep_every = static_cast<int>(value.get<int64_t>());
    } else {
      return invalid("unknown key 'scanner." + key + "'");
    }
  }
  return Status::ok();
}

}  // namespace

Result<ServerSettings> parse_settings(std::string_view json_text) {
  json document = json::parse(json_text, nullptr, /*allow_exceptions=*/false);
  if (document.is_discarded()) return invalid("the body is not valid JSON");
  return settings_from_json(document);
}

Result<ServerSettings> settings_from_json(const json& document) {
  if (!document.is_object()) return invalid("expected a JSON object");
  ServerSettings settings;
  for (const auto& [key, value] : document.items()) {
    if (value.is_null()) continue;
    if (key == "region") {
      if (!value.is_string()) return invalid("region: expected a string");
      MAXIO_RETURN_IF_ERROR(validate_region(value.get<std::string>()));
      settings.region = value.get<std::string>();
    } else if (key == "scanner") {
      MAXIO_RETURN_IF_ERROR(parse_scanner(value, settings));
    } else if (key == "drive_probe_interval") {
      MAXIO_TRY(settings.drive_probe_interval, interval_value(value, "drive_probe_interval"));
    } else {
      return invalid("unknown key '" + key + "'");
    }
  }
  return settings;
}

json settings_to_json(const ServerSettings& settings) {
  json document = json::object();
  if (settings.region) document["region"] = *settings.region;
  if (settings.scanner_interval || settings.scanner_deep_every) {
    json scanner = json::object();
    if (settings.scanner_interval) {
      scanner["interval"] = format_interval(*settings.scanner_interval);
    }
    if (settings.scanner_deep_every) scanner["deep_every"] = *settings.scanner_deep_every;
    document["scanner"] = std::move(scanner);
  }
  if (settings.drive_probe_interval) {
    document["drive_probe_interval"] = format_interval(*settings.drive_probe_interval);
  }
  return document;
}

ServerSettings settings_of(const ServerConfig& config) {
  ServerSettings settings;
  settings.region = config.region;
  settings.scanner_interval = config.scanner_interval;
  settings.scanner_deep_every = config.deep_scan_every;
  settings.drive_probe_interval = config.drive_probe_interval;
  return settings;
}

ServerSettings overlay(const ServerSettings& base, const ServerSettings& top) {
  ServerSettings out = base;
  if (top.region) out.region = top.region;
  if (top.scanner_interval) out.scanner_interval = top.scanner_interval;
  if (top.scanner_deep_every) out.scanner_deep_every = top.scanner_deep_every;
  if (top.drive_probe_interval) out.drive_probe_interval = top.drive_probe_interval;
  return out;
}

std::vector<std::string> keys_set(const ServerSettings& settings) {
  std::vector<std::string> keys;
  if (settings.region) keys.emplace_back("region");
  if (settings.scanner_interval) keys.emplace_back("scanner.interval");
  if (settings.scanner_deep_every) keys.emplace_back("scanner.deep_every");
  if (settings.drive_probe_interval) keys.emplace_back("drive_probe_interval");
  return keys;
}

ServerSettings without(ServerSettings settings, const std::vector<std::string>& keys) {
  for (const std::string& key : keys) {
    if (key == "region") settings.region.reset();
    if (key == "scanner.interval") settings.scanner_interval.reset();
    if (key == "scanner.deep_every") settings.scanner_deep_every.reset();
    if (key == "drive_probe_interval") settings.drive_probe_interval.reset();
  }
  return settings;
}

ServerConfig apply_settings(ServerConfig config, const ServerSettings& settings) {
  if (settings.region) config.region = *settings.region;
  if (settings.scanner_interval) config.scanner_interval = *settings.scanner_interval;
  if (settings.scanner_deep_every) config.deep_scan_every = *settings.scanner_deep_every;
  if (settings.drive_probe_interval) config.drive_probe_interval = *settings.drive_probe_interval;
  return config;
}

std::string format_interval(std::chrono::milliseconds interval) {
  const int64_t ms = interval.count();
  if (ms == 0) return "0";
  if (ms % 3'600'000 == 0) return std::to_string(ms / 3'600'000) + "h";
  if (ms % 60'000 == 0) return std::to_string(ms / 60'000) + "m";
  if (ms % 1000 == 0) return std::to_string(ms / 1000) + "s";
  return std::to_string(ms) + "ms";
}

}  // namespace maxio::admin
