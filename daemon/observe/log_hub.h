#pragma once
// LogHub: the daemon's console log as the admin API streams it. Registers one observer with
// the process-wide logger (shared/util/log.h) for its lifetime, keeps the last lines in a
// ring and fans every new line out to its subscribers. Owned by the Daemon; thread-safe.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "shared/util/log.h"

namespace maxio {

struct LogEntry {
  std::chrono::system_clock::time_point time;
  LogLevel level = LogLevel::kInfo;
  std::string message;
};

class LogHub {
 public:
  using Subscriber = std::function<void(const LogEntry&)>;

  // Starts observing the process logger, remembering the last `ring_size` lines.
  explicit LogHub(size_t ring_size = 256);
  // Stops observing; no subscriber is called after it returns.
  ~LogHub();
  LogHub(const LogHub&) = delete;
  LogHub& operator=(const LogHub&) = delete;

  // Adds a subscriber called on the logging thread for every later line; it must return
  // quickly and must not log. Returns the id to remove it with.
  uint64_t subscribe(Subscriber subscriber);
  // Once this returns the subscriber is not called again.
  void unsubscribe(uint64_t id);
  // The last `count` lines (at most the ring size), oldest first.
  std::vector<LogEntry> recent(size_t count) const;

 private:
  void on_line(const LogLine& line);

  const size_t ring_size_;
  mutable std::mutex mu_;
  std::deque<LogEntry> ring_;                   // guarded by mu_
  uint64_t next_id_ = 1;                        // guarded by mu_
  std::map<uint64_t, Subscriber> subscribers_;  // guarded by mu_
  uint64_t observer_id_ = 0;
};

}  // namespace maxio
