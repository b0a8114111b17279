#pragma once
// Process-wide logging to stderr, one line per call, with UTC time and level.
// Observers (the daemon's LogHub, for the admin console-log stream) see every line that is
// written; they are process-wide like the logger itself. Thread-safe. Never log secrets.

#include <chrono>
#include <cstdint>
#include <functional>
#include <string_view>

namespace maxio {

enum class LogLevel { kDebug, kInfo, kWarning, kError };

void set_log_level(LogLevel level);
void log_message(LogLevel level, std::string_view message);
inline void log_info(std::string_view m) { log_message(LogLevel::kInfo, m); }
inline void log_warning(std::string_view m) { log_message(LogLevel::kWarning, m); }
inline void log_error(std::string_view m) { log_message(LogLevel::kError, m); }
inline void log_debug(std::string_view m) { log_message(LogLevel::kDebug, m); }

// "DEBUG", "INFO", "WARNING", "ERROR".
std::string_view log_level_name(LogLevel level);

// One written line as an observer sees it; `message` is only valid during the call and has
// its newlines already replaced by spaces.
struct LogLine {
  std::chrono::system_clock::time_point time;
  LogLevel level = LogLevel::kInfo;
  std::string_view message;
};
using LogObserver = std::function<void(const LogLine&)>;

// Adds an observer called, on the logging thread, for every line written after this returns
// (lines below the log level are not written and not observed). Observers are called one at
// a time under the logger's observer lock: they must return quickly and must not log.
// Returns the id to remove it with.
uint64_t add_log_observer(LogObserver observer);
// Removes an observer; once this returns it is not called again. Unknown ids are ignored.
void remove_log_observer(uint64_t id);

}  // namespace maxio
