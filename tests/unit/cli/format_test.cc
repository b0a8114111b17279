// Sizes, durations and times as maxioctl prints and parses them.

#include "cli/format.h"

#include <gtest/gtest.h>

namespace maxio::cli {
namespace {

using namespace std::chrono_literals;

TEST(FormatTest, Sizes) {
  EXPECT_EQ(format_size(0), "0 B");
  EXPECT_EQ(format_size(1023), "1023 B");
  EXPECT_EQ(format_size(1024), "1.0 KiB");
  EXPECT_EQ(format_size(1536), "1.5 KiB");
  EXPECT_EQ(format_size(50000000), "47.7 MiB");
  EXPECT_EQ(format_size(5ull << 40), "5.0 TiB");
}

TEST(FormatTest, ParsesSizes) {
  EXPECT_EQ(*parse_size("16777216"), 16777216u);
  EXPECT_EQ(*parse_size("16MiB"), 16u << 20);
  EXPECT_EQ(*parse_size("16M"), 16u << 20);
  EXPECT_EQ(*parse_size("16mb"), 16u << 20);
  EXPECT_EQ(*parse_size("64KiB"), 64u << 10);
  EXPECT_EQ(*parse_size("1.5GiB"), 3ull << 29);
  for (const char* bad : {"", "MiB", "0", "-1", "1XB", "1.2.3M", "12 M"}) {
    EXPECT_EQ(parse_size(bad).code(), ErrorCode::kInvalidArgument) << bad;
  }
}

TEST(FormatTest, ParsesDurations) {
  EXPECT_EQ(*parse_duration("7d"), std::chrono::seconds(7 * 86400));
  EXPECT_EQ(*parse_duration("12h"), 12h);
  EXPECT_EQ(*parse_duration("30m"), 30min);
  EXPECT_EQ(*parse_duration("45s"), 45s);
  EXPECT_EQ(*parse_duration("1h30m"), 90min);
  EXPECT_EQ(*parse_duration("3600"), 1h);
  for (const char* bad : {"", "0", "0s", "d", "1h30", "1w", "-1h", "1.5h", "h1"}) {
    EXPECT_EQ(parse_duration(bad).code(), ErrorCode::kInvalidArgument) << bad;
  }
  EXPECT_EQ(parse_duration("999999999999d").code(), ErrorCode::kInvalidArgument);
}

TEST(FormatTest, FormatsDurationsAndTimes) {
  EXPECT_EQ(format_duration(0s), "0s");
  EXPECT_EQ(format_duration(45s), "45s");
  EXPECT_EQ(format_duration(std::chrono::seconds(86400 + 7200 + 5)), "1d2h5s");
  auto t = *parse_iso8601("2024-01-02T03:04:05.678Z");
  EXPECT_EQ(format_time(t), "2024-01-02 03:04:05 UTC");
}

}  // namespace
}  // namespace maxio::cli
