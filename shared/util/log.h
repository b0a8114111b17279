#pragma once
// Process-wide logging to stderr, one line per call, with UTC time and level.
// Thread-safe. Never log secrets.

#include <string_view>

namespace maxio {

enum class LogLevel { kDebug, kInfo, kWarning, kError };

void set_log_level(LogLevel level);
void log_message(LogLevel level, std::string_view message);
inline void log_info(std::string_view m) { log_message(LogLevel::kInfo, m); }
inline void log_warning(std::string_view m) { log_message(LogLevel::kWarning, m); }
inline void log_error(std::string_view m) { log_message(LogLevel::kError, m); }
inline void log_debug(std::string_view m) { log_message(LogLevel::kDebug, m); }

}  // namespace maxio
