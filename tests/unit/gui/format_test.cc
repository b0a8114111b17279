#include "gui/core/format.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace maxio::console {
namespace {

TEST(ConsoleFormat, BytesInBinaryUnits) {
  EXPECT_EQ(format_bytes(0), "0 B");
  EXPECT_EQ(format_bytes(1023), "1023 B");
  EXPECT_EQ(format_bytes(1536), "1.5 KiB");
  EXPECT_EQ(format_bytes(300000), "293.0 KiB");
  EXPECT_EQ(format_bytes(23001067520ull), "21.4 GiB");
  EXPECT_EQ(format_bytes(5ull << 40), "5.0 TiB");
}

TEST(ConsoleFormat, Durations) {
  EXPECT_EQ(format_duration(0), "0s");
  EXPECT_EQ(format_duration(45), "45s");
  EXPECT_EQ(format_duration(125), "2m 5s");
  EXPECT_EQ(format_duration(3 * 3600 + 4 * 60 + 59), "3h 4m");
  EXPECT_EQ(format_duration(2 * 86400 + 3 * 3600 + 5), "2d 3h");
}

TEST(ConsoleFormat, HealSummaryFromStatusDocument) {
  auto status = nlohmann::ordered_json::parse(R"({"state":"idle","background":{
    "objects_scanned":5000,"objects_healed":12,"objects_heal_failed":0,"dangling_removed":1,
    "mrf_queued":3,"mrf_pending":0,"scanner_cycles":7,"scanner_running":false}})");
  EXPECT_EQ(format_heal_summary(status),
            "scanner: 7 cycles, 5000 objects scanned, 12 healed, 0 failed, 1 dangling removed; "
            "MRF: 3 queued, 0 pending");
  EXPECT_EQ(format_heal_summary(nlohmann::ordered_json::parse(R"({"state":"idle"})")), "");
  EXPECT_EQ(format_heal_summary(nlohmann::ordered_json()), "");
  // A missing counter shows as "?", not as 0.
  auto partial = nlohmann::ordered_json::parse(R"({"background":{"scanner_cycles":1}})");
  EXPECT_EQ(format_heal_summary(partial).substr(0, 31), "scanner: 1 cycles, ? objects sc");
}

}  // namespace
}  // namespace maxio::console
