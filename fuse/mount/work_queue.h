#pragma once
// WorkQueue: a fixed pool of threads running submitted tasks in FIFO order (read-ahead
// fetches, multipart part uploads). Thread-safe. The destructor runs the tasks already
// queued, then joins the threads.

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace maxio::fuse {

class WorkQueue {
 public:
  explicit WorkQueue(int threads);
  WorkQueue(const WorkQueue&) = delete;
  WorkQueue& operator=(const WorkQueue&) = delete;
  ~WorkQueue();

  // Queues `task`; it runs on one of the pool's threads. A task must not wait for another
  // task of the same queue (the pool may be full of waiters).
  void submit(std::function<void()> task);

 private:
  void run();

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> tasks_;  // guarded by mu_
  bool stopping_ = false;                    // guarded by mu_
  std::vector<std::thread> threads_;
};

}  // namespace maxio::fuse
