#include "daemon/observe/log_hub.h"

#include <algorithm>

namespace maxio {

LogHub::LogHub(size_t ring_size) : ring_size_(ring_size) {
  observer_id_ = add_log_observer([this](const LogLine& line) { on_line(line); });
}

LogHub::~LogHub() { remove_log_observer(observer_id_); }

uint64_t LogHub::subscribe(Subscriber subscriber) {
  std::lock_guard<std::mutex> lock(mu_);
  const uint64_t id = next_id_++;
  subscribers_.emplace(id, std::move(subscriber));
  return id;
}

void LogHub::unsubscribe(uint64_t id) {
  std::lock_guard<std::mutex> lock(mu_);
  subscribers_.erase(id);
}

std::vector<LogEntry> LogHub::recent(size_t count) const {
  std::lock_guard<std::mutex> lock(mu_);
  count = std::min(count, ring_.size());
  return std::vector<LogEntry>(ring_.end() - static_cast<std::ptrdiff_t>(count), ring_.end());
}

void LogHub::on_line(const LogLine& line) {
  LogEntry entry{line.time, line.level, std::string(line.message)};
  // Subscribers are called under mu_ so that unsubscribe() can promise no later call; the
  // logger already serializes lines, so this adds no contention of its own.
  std::lock_guard<std::mutex> lock(mu_);
  for (const auto& [id, subscriber] : subscribers_) subscriber(entry);
  if (ring_size_ == 0) return;
  if (ring_.size() == ring_size_) ring_.pop_front();
  ring_.push_back(std::move(entry));
}

}  // namespace maxio
