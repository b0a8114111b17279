#include "cli/format.h"

#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <ctime>

#include "shared/util/strings.h"

namespace maxio::cli {

namespace {

constexpr int64_t kMaxDurationSeconds = int64_t{100} * 365 * 24 * 3600;

}  // namespace

std::string format_size(uint64_t bytes) {
  static constexpr std::array<const char*, 7> kUnits = {"B",   "KiB", "MiB", "GiB",
                                                        "TiB", "PiB", "EiB"};
  if (bytes < 1024) return std::to_string(bytes) + " B";
  double value = static_cast<double>(bytes);
  size_t unit = 0;
  while (value >= 1024 && unit + 1 < kUnits.size()) {
    value /= 1024;
    ++unit;
  }
  char text[32];
  std::snprintf(text, sizeof(text), "%.1f %s", value, kUnits[unit]);
  return text;
}

std::string format_time(Timestamp time) {
  std::time_t seconds = std::chrono::system_clock::to_time_t(time);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char text[32];
  std::strftime(text, sizeof(text), "%Y-%m-%d %H:%M:%S UTC", &tm);
  return text;
}

Result<std::chrono::seconds> parse_duration(std::string_view text) {
  auto invalid = [&] {
    return Status(ErrorCode::kInvalidArgument,
                  "invalid duration '" + std::string(text) + "' (use e.g. 7d, 12h, 30m, 1h30m)");
  };
  if (text.empty()) return invalid();
  int64_t total = 0;
  size_t i = 0;
  bool plain = true;
  while (i < text.size()) {
    size_t start = i;
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) ++i;
    if (i == start) return invalid();
    int64_t number = 0;
    auto [end, ec] = std::from_chars(text.data() + start, text.data() + i, number);
    if (ec != std::errc() || number > kMaxDurationSeconds) return invalid();
    int64_t unit = 1;
    if (i < text.size()) {
      plain = false;
      switch (text[i]) {
        case 'd':
          unit = 24 * 3600;
          break;
        case 'h':
          unit = 3600;
          break;
        case 'm':
          unit = 60;
          break;
        case 's':
          unit = 1;
          break;
        default:
          return invalid();
      }
      ++i;
    } else if (!plain || start != 0) {
      return invalid();  // "1h30": a trailing number without a unit
    }
    total += number * unit;
    if (total > kMaxDurationSeconds) return invalid();
  }
  if (total <= 0) return invalid();
  return std::chrono::seconds(total);
}

std::string format_duration(std::chrono::seconds duration) {
  int64_t left = duration.count();
  if (left <= 0) return "0s";
  std::string out;
  static constexpr std::array<std::pair<int64_t, char>, 4> kUnits = {
      {{86400, 'd'}, {3600, 'h'}, {60, 'm'}, {1, 's'}}};
  for (const auto& [seconds, name] : kUnits) {
    if (left >= seconds) {
      out += std::to_string(left / seconds) + name;
      left %= seconds;
    }
  }
  return out;
}

Result<uint64_t> parse_size(std::string_view text) {
  auto invalid = [&] {
    return Status(ErrorCode::kInvalidArgument,
                  "invalid size '" + std::string(text) + "' (use e.g. 16MiB, 64M, 1GiB)");
  };
  std::string_view number = text;
  size_t digits = 0;
  while (digits < text.size() &&
         (std::isdigit(static_cast<unsigned char>(text[digits])) || text[digits] == '.')) {
    ++digits;
  }
  number = text.substr(0, digits);
  std::string unit = to_lower(text.substr(digits));
  if (number.empty()) return invalid();
  double multiplier = 1;
  if (unit.empty() || unit == "b") {
    multiplier = 1;
  } else {
    static constexpr std::string_view kPrefixes = "kmgt";
    auto index = kPrefixes.find(unit[0]);
    std::string_view rest = std::string_view(unit).substr(1);
    if (index == std::string_view::npos || !(rest.empty() || rest == "b" || rest == "ib")) {
      return invalid();
    }
    multiplier = std::pow(1024.0, static_cast<double>(index + 1));
  }
  double value = 0;
  auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), value);
  if (ec != std::errc() || end != number.data() + number.size()) return invalid();
  double bytes = value * multiplier;
  if (!(bytes >= 1) || bytes > 1e18) return invalid();
  return static_cast<uint64_t>(bytes);
}

}  // namespace maxio::cli
