// Process-wide stderr logger: one formatted line per call, written under a mutex.

#include "shared/util/log.h"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <string>

#include "shared/util/time.h"

namespace maxio {
namespace {

std::atomic<LogLevel> g_level{LogLevel::kInfo};
std::mutex g_mutex;  // serializes writes so lines from threads never interleave

const char* level_name(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug:
      return "DEBUG";
    case LogLevel::kInfo:
      return "INFO";
    case LogLevel::kWarning:
      return "WARNING";
    case LogLevel::kError:
      return "ERROR";
  }
  return "INFO";
}

}  // namespace

void set_log_level(LogLevel level) { g_level.store(level, std::memory_order_relaxed); }

void log_message(LogLevel level, std::string_view message) {
  if (static_cast<int>(level) < static_cast<int>(g_level.load(std::memory_order_relaxed))) {
    return;
  }
  std::string line = format_iso8601(std::chrono::system_clock::now());
  line += ' ';
  line += level_name(level);
  line += ' ';
  // One record per line: embedded newlines would forge records.
  for (const char c : message) line.push_back(c == '\n' || c == '\r' ? ' ' : c);
  line += '\n';
  std::lock_guard<std::mutex> lock(g_mutex);
  std::fwrite(line.data(), 1, line.size(), stderr);
  std::fflush(stderr);
}

}  // namespace maxio
