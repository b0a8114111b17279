// Process-wide stderr logger: one formatted line per call, written under a mutex, then
// handed to the observers (add_log_observer) under a second one.

#include "shared/util/log.h"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <map>
#include <mutex>
#include <string>

#include "shared/util/time.h"

namespace maxio {
namespace {

std::atomic<LogLevel> g_level{LogLevel::kInfo};
std::mutex g_mutex;  // serializes writes so lines from threads never interleave

// Observers of written lines (add_log_observer). Calls happen under g_observers_mutex so
// that remove_log_observer can promise no call after it returns.
std::mutex g_observers_mutex;
uint64_t g_next_observer_id = 1;               // guarded by g_observers_mutex
std::map<uint64_t, LogObserver>* g_observers;  // guarded by g_observers_mutex; leaked
std::atomic<bool> g_has_observers{false};

}  // namespace

std::string_view log_level_name(LogLevel level) {
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

void set_log_level(LogLevel level) { g_level.store(level, std::memory_order_relaxed); }

void log_message(LogLevel level, std::string_view message) {
  if (static_cast<int>(level) < static_cast<int>(g_level.load(std::memory_order_relaxed))) {
    return;
  }
  const auto now = std::chrono::system_clock::now();
  std::string line = format_iso8601(now);
  line += ' ';
  line += log_level_name(level);
  line += ' ';
  const size_t message_start = line.size();
  // One record per line: embedded newlines would forge records.
  for (const char c : message) line.push_back(c == '\n' || c == '\r' ? ' ' : c);
  line += '\n';
  {
    std::lock_guard<std::mutex> lock(g_mutex);
    std::fwrite(line.data(), 1, line.size(), stderr);
    std::fflush(stderr);
  }
  if (!g_has_observers.load(std::memory_order_acquire)) return;
  const LogLine observed{
      now, level, std::string_view(line).substr(message_start, line.size() - message_start - 1)};
  std::lock_guard<std::mutex> lock(g_observers_mutex);
  if (g_observers == nullptr) return;
  for (const auto& [id, observer] : *g_observers) observer(observed);
}

uint64_t add_log_observer(LogObserver observer) {
  std::lock_guard<std::mutex> lock(g_observers_mutex);
  // Never freed: a line logged during static destruction must still find a valid map.
  if (g_observers == nullptr) g_observers = new std::map<uint64_t, LogObserver>();
  const uint64_t id = g_next_observer_id++;
  g_observers->emplace(id, std::move(observer));
  g_has_observers.store(true, std::memory_order_release);
  return id;
}

void remove_log_observer(uint64_t id) {
  std::lock_guard<std::mutex> lock(g_observers_mutex);
  if (g_observers == nullptr) return;
  g_observers->erase(id);
  g_has_observers.store(!g_observers->empty(), std::memory_order_release);
}

}  // namespace maxio
