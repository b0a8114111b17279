#pragma once
// Private to daemon/admin: what the streaming routes (trace, log, heal progress) are built
// on: a bounded queue and the registry of open streams. Both thread-safe.

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <iterator>
#include <map>
#include <mutex>
#include <utility>
#include <vector>

namespace maxio::admin {

// Between a publisher that must never block (the request log, the logger) and the handler
// thread writing to a possibly slow client: a full queue drops and counts.
template <typename T>
class StreamQueue {
 public:
  explicit StreamQueue(size_t capacity) : capacity_(capacity) {}

  // Queues `item`, or counts it as dropped when the queue is full. Ignored once closed.
  void push(T item) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (closed_) return;
      if (items_.size() >= capacity_) {
        ++dropped_;
        return;
      }
      items_.push_back(std::move(item));
    }
    cv_.notify_one();
  }

  // Wakes the reader for good: wait_pop returns closed from now on.
  void close() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      closed_ = true;
    }
    cv_.notify_all();
  }

  struct Batch {
    std::vector<T> items;  // in push order
    uint64_t dropped = 0;  // items dropped since the previous batch
    bool closed = false;
  };

  // Waits up to `timeout` for items (or close) and takes everything queued.
  Batch wait_pop(std::chrono::milliseconds timeout) {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait_for(lock, timeout, [&] { return closed_ || !items_.empty() || dropped_ > 0; });
    Batch batch;
    batch.items.assign(std::make_move_iterator(items_.begin()),
                       std::make_move_iterator(items_.end()));
    items_.clear();
    batch.dropped = std::exchange(dropped_, 0);
    batch.closed = closed_;
    return batch;
  }

 private:
  const size_t capacity_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<T> items_;   // guarded by mu_
  uint64_t dropped_ = 0;  // guarded by mu_
  bool closed_ = false;   // guarded by mu_
};

// Caps how many streams are open at once (each holds an HTTP worker thread) and ends them
// all at shutdown.
class StreamRegistry {
 public:
  explicit StreamRegistry(size_t max_streams) : max_streams_(max_streams) {}

  // Registers an open stream; `close` ends it (called at most once, by shutdown()).
  // Returns its id, or 0 when `max_streams` are open or the registry is shut down.
  uint64_t open(std::function<void()> close) {
    std::lock_guard<std::mutex> lock(mu_);
    if (shut_down_ || open_.size() >= max_streams_) return 0;
    const uint64_t id = next_id_++;
    open_.emplace(id, std::move(close));
    return id;
  }
  void release(uint64_t id) {
    std::lock_guard<std::mutex> lock(mu_);
    open_.erase(id);
  }
  bool shut_down() const {
    std::lock_guard<std::mutex> lock(mu_);
    return shut_down_;
  }
  // Ends every open stream; open() fails from now on.
  void shutdown() {
    std::map<uint64_t, std::function<void()>> open;
    {
      std::lock_guard<std::mutex> lock(mu_);
      shut_down_ = true;
      open.swap(open_);
    }
    for (auto& [id, close] : open) close();
  }

 private:
  const size_t max_streams_;
  mutable std::mutex mu_;
  uint64_t next_id_ = 1;                            // guarded by mu_
  std::map<uint64_t, std::function<void()>> open_;  // guarded by mu_
  bool shut_down_ = false;                          // guarded by mu_
};

}  // namespace maxio::admin
