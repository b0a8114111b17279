// The logger writes one "time LEVEL message" line per call to stderr, honours the level
// and never interleaves lines from concurrent threads; observers see every written line.

#include "shared/util/log.h"

#include <gtest/gtest.h>

#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace maxio {
namespace {

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

TEST(LogTest, FormatsOneLinePerMessage) {
  set_log_level(LogLevel::kInfo);
  testing::internal::CaptureStderr();
  log_info("hello world");
  log_error("bad\nthing");
  log_debug("hidden");
  const std::vector<std::string> lines = lines_of(testing::internal::GetCapturedStderr());
  ASSERT_EQ(lines.size(), 2u);
  const std::regex time_prefix(R"(^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z )");
  EXPECT_TRUE(std::regex_search(lines[0], time_prefix)) << lines[0];
  EXPECT_EQ(lines[0].substr(25), "INFO hello world");
  EXPECT_EQ(lines[1].substr(25), "ERROR bad thing");  // a newline cannot forge a record
}

TEST(LogTest, LevelFilters) {
  testing::internal::CaptureStderr();
  set_log_level(LogLevel::kWarning);
  log_info("no");
  log_warning("yes");
  set_log_level(LogLevel::kDebug);
  log_debug("debug");
  set_log_level(LogLevel::kInfo);
  const std::vector<std::string> lines = lines_of(testing::internal::GetCapturedStderr());
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0].substr(25), "WARNING yes");
  EXPECT_EQ(lines[1].substr(25), "DEBUG debug");
}

TEST(LogTest, ConcurrentLinesDoNotInterleave) {
  set_log_level(LogLevel::kInfo);
  testing::internal::CaptureStderr();
  const std::string payload(300, 'x');
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&payload, t] {
      for (int i = 0; i < 100; ++i) log_info(std::to_string(t) + payload);
    });
  }
  for (auto& thread : threads) thread.join();
  const std::vector<std::string> lines = lines_of(testing::internal::GetCapturedStderr());
  ASSERT_EQ(lines.size(), 400u);
  for (const std::string& line : lines) {
    ASSERT_EQ(line.size(), 25u + 5u + 1u + payload.size()) << line;
    EXPECT_EQ(line.substr(31), payload);
  }
}

TEST(LogTest, ObserversSeeWrittenLinesUntilRemoved) {
  set_log_level(LogLevel::kInfo);
  testing::internal::CaptureStderr();
  std::vector<std::pair<LogLevel, std::string>> seen;
  const uint64_t id = add_log_observer(
      [&seen](const LogLine& line) { seen.emplace_back(line.level, std::string(line.message)); });
  log_warning("two\nlines");
  log_debug("below the level");
  remove_log_observer(id);
  log_info("after removal");
  remove_log_observer(id);  // unknown ids are ignored
  testing::internal::GetCapturedStderr();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].first, LogLevel::kWarning);
  EXPECT_EQ(seen[0].second, "two lines");
  EXPECT_EQ(log_level_name(LogLevel::kWarning), "WARNING");
}

}  // namespace
}  // namespace maxio
