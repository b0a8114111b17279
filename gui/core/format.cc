#include "gui/core/format.h"

#include <cstdio>
#include <nlohmann/json.hpp>

namespace maxio::console {

std::string format_bytes(uint64_t bytes) {
  static constexpr const char* kUnits[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  if (bytes < 1024) return std::to_string(bytes) + " B";
  double value = static_cast<double>(bytes);
  size_t unit = 0;
  while (value >= 1024 && unit + 1 < std::size(kUnits)) {
    value /= 1024;
    ++unit;
  }
  char text[32];
  std::snprintf(text, sizeof text, "%.1f %s", value, kUnits[unit]);
  return text;
}

std::string format_duration(uint64_t seconds) {
  const uint64_t days = seconds / 86400, hours = seconds / 3600 % 24, minutes = seconds / 60 % 60,
                 secs = seconds % 60;
  if (days > 0) return std::to_string(days) + "d " + std::to_string(hours) + "h";
  if (hours > 0) return std::to_string(hours) + "h " + std::to_string(minutes) + "m";
  if (minutes > 0) return std::to_string(minutes) + "m " + std::to_string(secs) + "s";
  return std::to_string(secs) + "s";
}

std::string format_heal_summary(const nlohmann::ordered_json& heal_status) {
  if (!heal_status.is_object()) return {};
  auto background = heal_status.find("background");
  if (background == heal_status.end() || !background->is_object()) return {};
  auto count = [&](const char* field) -> std::string {
    auto it = background->find(field);
    return it != background->end() && it->is_number_integer() ? std::to_string(it->get<int64_t>())
                                                              : std::string("?");
  };
  return "scanner: " + count("scanner_cycles") + " cycles, " + count("objects_scanned") +
         " objects scanned, " + count("objects_healed") + " healed, " +
         count("objects_heal_failed") + " failed, " + count("dangling_removed") +
         " dangling removed; MRF: " + count("mrf_queued") + " queued, " + count("mrf_pending") +
         " pending";
}

}  // namespace maxio::console
