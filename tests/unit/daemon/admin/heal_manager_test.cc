// Admin heal runs: every bucket in turn with totals, one run at a time, stop between
// buckets, failures recorded per bucket, shutdown joins the thread.

#include "daemon/admin/heal_manager.h"

#include <gtest/gtest.h>

#include <condition_variable>
#include <thread>

#include "tests/unit/daemon/admin/fake_layer.h"

namespace maxio::admin {
namespace {

using std::chrono::milliseconds;

// Waits (up to 10 s) for the run to leave kRunning.
HealRunStatus wait_done(HealManager& manager) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::chrono::steady_clock::now() < deadline) {
    auto status = manager.status();
    if (status && status->state != HealState::kRunning) return *status;
    std::this_thread::sleep_for(milliseconds(5));
  }
  ADD_FAILURE() << "heal run did not finish";
  return *manager.status();
}

// Blocks heal() calls until released, counting how many started.
class Gate {
 public:
  Result<HealSummary> enter() {
    std::unique_lock<std::mutex> lock(mu_);
    ++entered_;
    cv_.notify_all();
    cv_.wait(lock, [&] { return open_; });
    HealSummary summary;
    summary.objects_scanned = 1;
    return summary;
  }
  void wait_entered(int n) {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [&] { return entered_ >= n; });
  }
  void open() {
    std::lock_guard<std::mutex> lock(mu_);
    open_ = true;
    cv_.notify_all();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  int entered_ = 0;
  bool open_ = false;
};

TEST(HealManagerTest, NoRunBeforeTheFirstStart) {
  testing::FakeAdminLayer layer;
  HealManager manager(layer);
  EXPECT_FALSE(manager.status().has_value());
  EXPECT_FALSE(manager.stop());
}

TEST(HealManagerTest, HealsEveryBucketAndSumsTotals) {
  testing::FakeAdminLayer layer;
  layer.set_buckets({"a", "b", "c"});
  HealManager manager(layer);
  auto started = manager.start({"", "", false});
  ASSERT_TRUE(started.has_value());
  EXPECT_EQ(started->state, HealState::kRunning);
  EXPECT_FALSE(started->id.empty());
  const HealRunStatus done = wait_done(manager);
  EXPECT_EQ(done.id, started->id);
  EXPECT_EQ(done.state, HealState::kDone);
  EXPECT_EQ(done.buckets_total, 3u);
  EXPECT_EQ(done.buckets_done, 3u);
  EXPECT_EQ(done.totals.objects_scanned, 6u);
  EXPECT_EQ(done.totals.objects_healed, 3u);
  EXPECT_TRUE(done.finished.has_value());
  EXPECT_EQ(layer.healed(), (std::vector<std::string>{"a", "b", "c"}));
  // A finished run allows the next one.
  auto again = manager.start({"b", "", true});
  ASSERT_TRUE(again.has_value());
  EXPECT_NE(again->id, started->id);
  EXPECT_EQ(wait_done(manager).buckets_total, 1u);
}

TEST(HealManagerTest, OneRunAtATimeAndStopBetweenBuckets) {
  testing::FakeAdminLayer layer;
  layer.set_buckets({"a", "b", "c"});
  Gate gate;
  layer.set_heal([&gate](const std::string&) { return gate.enter(); });
  HealManager manager(layer);
  ASSERT_TRUE(manager.start({"", "", false}).has_value());
  gate.wait_entered(1);
  EXPECT_FALSE(manager.start({"", "", false}).has_value());  // already running
  auto running = manager.status();
  ASSERT_TRUE(running.has_value());
  EXPECT_EQ(running->current_bucket, "a");
  EXPECT_EQ(running->buckets_done, 0u);
  EXPECT_TRUE(manager.stop());
  EXPECT_TRUE(manager.status()->stop_requested);
  gate.open();
  const HealRunStatus done = wait_done(manager);
  EXPECT_EQ(done.state, HealState::kStopped);
  EXPECT_EQ(done.buckets_done, 1u);  // the bucket in progress finished, the rest did not run
  EXPECT_EQ(layer.healed(), std::vector<std::string>{"a"});
  EXPECT_FALSE(manager.stop());
}

TEST(HealManagerTest, BucketFailuresAreRecordedAndTheRunGoesOn) {
  testing::FakeAdminLayer layer;
  layer.set_buckets({"a", "gone", "bad", "d"});
  layer.set_heal([](const std::string& bucket) -> Result<HealSummary> {
    if (bucket == "gone") return Status(ErrorCode::kNoSuchBucket, bucket);
    if (bucket == "bad") return Status(ErrorCode::kInsufficientReadQuorum, "quorum");
    return HealSummary{1, 1, 0, 0, 0};
  });
  HealManager manager(layer);
  ASSERT_TRUE(manager.start({"", "", false}).has_value());
  const HealRunStatus done = wait_done(manager);
  EXPECT_EQ(done.state, HealState::kFailed);
  EXPECT_EQ(done.buckets_done, 4u);
  ASSERT_EQ(done.errors.size(), 1u);  // a bucket deleted meanwhile is no failure
  EXPECT_EQ(done.errors[0].bucket, "bad");
  EXPECT_EQ(done.totals.buckets, 2u);
}

TEST(HealManagerTest, ShutdownStopsAndJoins) {
  testing::FakeAdminLayer layer;
  layer.set_buckets({"a", "b"});
  Gate gate;
  layer.set_heal([&gate](const std::string&) { return gate.enter(); });
  HealManager manager(layer);
  ASSERT_TRUE(manager.start({"", "", false}).has_value());
  gate.wait_entered(1);
  std::thread opener([&gate] {
    std::this_thread::sleep_for(milliseconds(50));
    gate.open();
  });
  manager.shutdown();  // waits for bucket "a", never starts "b"
  opener.join();
  EXPECT_EQ(manager.status()->state, HealState::kStopped);
  EXPECT_EQ(layer.healed(), std::vector<std::string>{"a"});
  EXPECT_FALSE(manager.start({"", "", false}).has_value());
}

}  // namespace
}  // namespace maxio::admin
