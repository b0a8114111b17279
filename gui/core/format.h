#pragma once
// Text the console shows for numbers the admin API returns: sizes, durations, heal
// counters. Pure functions; no Qt.

#include <cstdint>
#include <string>

#include <nlohmann/json_fwd.hpp>

namespace maxio::console {

// 0 -> "0 B", 1536 -> "1.5 KiB", 23001067520 -> "21.4 GiB" (binary units, one decimal
// from KiB on).
std::string format_bytes(uint64_t bytes);

// Seconds -> "45s", "2m 5s", "3h 4m", "2d 3h".
std::string format_duration(uint64_t seconds);

// One line summing up background healing from a GET /heal/status document ("background"
// object): "scanner: 7 cycles, 5000 objects scanned, 12 healed, 0 failed, 1 dangling
// removed; MRF: 3 queued, 0 pending". "" when the document has no "background".
std::string format_heal_summary(const nlohmann::ordered_json& heal_status);

}  // namespace maxio::console
