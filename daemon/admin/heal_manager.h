#pragma once
// Private to daemon/admin: the admin-started heal run (POST /heal/start). At most one run
// at a time, on a thread the manager owns and joins (before the next run and at shutdown).
// ObjectLayer::heal is synchronous and cannot be cancelled, so a run heals one bucket per
// call: progress advances and a stop takes effect between buckets. Thread-safe.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "daemon/storage/object_layer.h"

namespace maxio::admin {

enum class HealState { kRunning, kDone, kStopped, kFailed };
// "running", "done", "stopped", "failed".
std::string_view heal_state_name(HealState state);

struct HealRequest {
  std::string bucket;  // empty: every bucket
  std::string prefix;
  bool deep = false;
};

struct HealBucketError {
  std::string bucket;
  std::string message;
};

struct HealRunStatus {
  std::string id;  // a UUID
  HealRequest request;
  HealState state = HealState::kRunning;
  std::chrono::system_clock::time_point started;
  std::optional<std::chrono::system_clock::time_point> finished;
  uint64_t buckets_total = 0;  // known once the buckets are listed
  uint64_t buckets_done = 0;
  std::string current_bucket;  // the bucket being healed while running
  HealSummary totals;          // summed over the finished buckets
  // Buckets whose heal failed (the run goes on with the others and ends kFailed), or the
  // listing error that ended the run.
  std::vector<HealBucketError> errors;
  bool stop_requested = false;
};

class HealManager {
 public:
  // `layer` must outlive the manager.
  explicit HealManager(ObjectLayer& layer) : layer_(layer) {}
  // shutdown().
  ~HealManager();
  HealManager(const HealManager&) = delete;
  HealManager& operator=(const HealManager&) = delete;

  // Starts a run and returns its first status; nullopt when a run is in progress or the
  // manager is shut down. The caller validates the request (the bucket exists).
  std::optional<HealRunStatus> start(HealRequest request);
  // The current or last run; nullopt before the first.
  std::optional<HealRunStatus> status() const;
  // Asks the running run to stop after its current bucket; false when none is running.
  bool stop();
  // Stops the run as stop() does and waits for its thread; start() fails from now on.
  // Waits for the bucket being healed to finish.
  void shutdown();

 private:
  void run(HealRequest request);
  void finish(HealState state);

  ObjectLayer& layer_;
  mutable std::mutex mu_;
  std::optional<HealRunStatus> status_;  // guarded by mu_
  bool shut_down_ = false;               // guarded by mu_
  std::thread thread_;                   // started and joined under mu_ (joined off it)
};

}  // namespace maxio::admin
