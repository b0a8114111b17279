#include "daemon/observe/request_log.h"

#include <vector>

namespace maxio {

uint64_t RequestLog::subscribe(Subscriber subscriber) {
  std::lock_guard<std::mutex> lock(mu_);
  uint64_t id = next_id_++;
  subscribers_.emplace(id, std::move(subscriber));
  return id;
}

void RequestLog::unsubscribe(uint64_t id) {
  std::lock_guard<std::mutex> lock(mu_);
  subscribers_.erase(id);
}

void RequestLog::publish(const RequestRecord& record) {
  std::vector<Subscriber> copy;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (subscribers_.empty()) return;
    copy.reserve(subscribers_.size());
    for (const auto& [id, subscriber] : subscribers_) copy.push_back(subscriber);
  }
  for (const auto& subscriber : copy) subscriber(record);
}

}  // namespace maxio
