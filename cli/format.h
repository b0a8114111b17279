#pragma once
// Text helpers of maxioctl's output and flags: byte sizes ("1.5 MiB", "16MiB"), durations
// ("7d", "1h30m"), timestamps as the text output shows them. Pure functions; thread-safe.

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "shared/util/status.h"
#include "shared/util/time.h"

namespace maxio::cli {

// "0 B", "999 B", "1.0 KiB", "1.5 MiB", ... (binary units, one decimal).
std::string format_size(uint64_t bytes);

// "2024-01-02 03:04:05 UTC".
std::string format_time(Timestamp time);

// "7d", "12h", "30m", "45s", "1h30m", "3600" (plain seconds). kInvalidArgument for anything
// else, zero, or more than 100 years.
Result<std::chrono::seconds> parse_duration(std::string_view text);

// "1d2h", "45s": the largest units, no zero components ("0s" for zero).
std::string format_duration(std::chrono::seconds duration);

// "16777216", "16MiB", "16M", "64KiB", "1GiB", "1.5GiB" (K/M/G/T and KB/KiB forms are all
// powers of 1024). kInvalidArgument for anything else or zero.
Result<uint64_t> parse_size(std::string_view text);

}  // namespace maxio::cli
