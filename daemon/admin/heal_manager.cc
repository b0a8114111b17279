#include "daemon/admin/heal_manager.h"

#include "shared/util/log.h"
#include "shared/util/uuid.h"

namespace maxio::admin {

std::string_view heal_state_name(HealState state) {
  switch (state) {
    case HealState::kRunning:
      return "running";
    case HealState::kDone:
      return "done";
    case HealState::kStopped:
      return "stopped";
    case HealState::kFailed:
      return "failed";
  }
  return "failed";
}

HealManager::~HealManager() { shutdown(); }

std::optional<HealRunStatus> HealManager::start(HealRequest request) {
  std::thread previous;
  std::optional<HealRunStatus> started;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (shut_down_ || (status_ && status_->state == HealState::kRunning)) return std::nullopt;
    previous = std::move(thread_);  // finished: its run is no longer kRunning
    HealRunStatus status;
    status.id = new_uuid();
    status.request = request;
    status.started = std::chrono::system_clock::now();
    status_ = status;
    started = status;
    thread_ = std::thread([this, request = std::move(request)] { run(request); });
  }
  // The previous thread has left run() or is about to: joining it takes no time.
  if (previous.joinable()) previous.join();
  log_info("admin: heal " + started->id + " started (bucket '" + started->request.bucket +
           "', prefix '" + started->request.prefix + "'" +
           (started->request.deep ? ", deep)" : ")"));
  return started;
}

std::optional<HealRunStatus> HealManager::status() const {
  std::lock_guard<std::mutex> lock(mu_);
  return status_;
}

bool HealManager::stop() {
  std::lock_guard<std::mutex> lock(mu_);
  if (!status_ || status_->state != HealState::kRunning) return false;
  status_->stop_requested = true;
  return true;
}

void HealManager::shutdown() {
  std::thread thread;
  {
    std::lock_guard<std::mutex> lock(mu_);
    shut_down_ = true;
    if (status_ && status_->state == HealState::kRunning) status_->stop_requested = true;
    thread = std::move(thread_);
  }
  if (thread.joinable()) thread.join();
}

void HealManager::run(HealRequest request) {
  std::vector<std::string> buckets;
  if (!request.bucket.empty()) {
    buckets.push_back(request.bucket);
  } else {
    auto listed = layer_.list_buckets();
    if (!listed) {
      std::lock_guard<std::mutex> lock(mu_);
      status_->errors.push_back({"", "listing buckets: " + listed.status().to_string()});
    } else {
      for (const BucketInfo& bucket : *listed) buckets.push_back(bucket.name);
    }
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    status_->buckets_total = buckets.size();
    if (!status_->errors.empty()) {
      finish(HealState::kFailed);
      return;
    }
  }
  for (const std::string& bucket : buckets) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (status_->stop_requested) {
        finish(HealState::kStopped);
        return;
      }
      status_->current_bucket = bucket;
    }
    auto healed = layer_.heal(bucket, request.prefix, request.deep);
    std::lock_guard<std::mutex> lock(mu_);
    HealRunStatus& status = *status_;
    if (healed) {
      status.totals.buckets += healed->buckets;
      status.totals.objects_scanned += healed->objects_scanned;
      status.totals.objects_healed += healed->objects_healed;
      status.totals.objects_failed += healed->objects_failed;
      status.totals.dangling_removed += healed->dangling_removed;
    } else if (healed.code() != ErrorCode::kNoSuchBucket || !request.bucket.empty()) {
      // A bucket deleted since the listing is not a failure; a named one that vanished is.
      status.errors.push_back({bucket, healed.status().to_string()});
    }
    ++status.buckets_done;
  }
  std::lock_guard<std::mutex> lock(mu_);
  finish(status_->errors.empty() ? HealState::kDone : HealState::kFailed);
}

// Called with mu_ held.
void HealManager::finish(HealState state) {
  HealRunStatus& status = *status_;
  status.state = state;
  status.finished = std::chrono::system_clock::now();
  status.current_bucket.clear();
  // Logging under mu_ is fine: no observer of the log takes mu_.
  log_info("admin: heal " + status.id + " " + std::string(heal_state_name(state)) + ": " +
           std::to_string(status.buckets_done) + " bucket(s), " +
           std::to_string(status.totals.objects_scanned) + " object(s) scanned, " +
           std::to_string(status.totals.objects_healed) + " healed");
}

}  // namespace maxio::admin
