// StreamQueue drops and counts beyond its capacity and wakes its reader on close;
// StreamRegistry caps open streams and closes them all at shutdown.

#include "daemon/admin/streams.h"

#include <gtest/gtest.h>

#include <thread>

namespace maxio::admin {
namespace {

using std::chrono::milliseconds;

TEST(StreamQueueTest, DropsBeyondCapacityAndCountsOnce) {
  StreamQueue<int> queue(3);
  for (int i = 0; i < 5; ++i) queue.push(i);
  auto batch = queue.wait_pop(milliseconds(0));
  EXPECT_EQ(batch.items, (std::vector<int>{0, 1, 2}));
  EXPECT_EQ(batch.dropped, 2u);
  EXPECT_FALSE(batch.closed);
  batch = queue.wait_pop(milliseconds(0));
  EXPECT_TRUE(batch.items.empty());
  EXPECT_EQ(batch.dropped, 0u);
}

TEST(StreamQueueTest, WaitTimesOutEmpty) {
  StreamQueue<int> queue(3);
  const auto start = std::chrono::steady_clock::now();
  auto batch = queue.wait_pop(milliseconds(50));
  EXPECT_GE(std::chrono::steady_clock::now() - start, milliseconds(45));
  EXPECT_TRUE(batch.items.empty());
  EXPECT_FALSE(batch.closed);
}

TEST(StreamQueueTest, CloseWakesTheReaderAndStopsPushes) {
  StreamQueue<int> queue(3);
  std::thread closer([&queue] {
    std::this_thread::sleep_for(milliseconds(20));
    queue.close();
  });
  auto batch = queue.wait_pop(milliseconds(10'000));
  closer.join();
  EXPECT_TRUE(batch.closed);
  queue.push(1);
  batch = queue.wait_pop(milliseconds(0));
  EXPECT_TRUE(batch.items.empty());
  EXPECT_TRUE(batch.closed);
}

TEST(StreamQueueTest, PushWakesTheReader) {
  StreamQueue<int> queue(3);
  std::thread pusher([&queue] {
    std::this_thread::sleep_for(milliseconds(20));
    queue.push(7);
  });
  auto batch = queue.wait_pop(milliseconds(10'000));
  pusher.join();
  EXPECT_EQ(batch.items, std::vector<int>{7});
}

TEST(StreamRegistryTest, CapsOpenStreamsAndClosesThemAtShutdown) {
  StreamRegistry registry(2);
  int closed = 0;
  const uint64_t a = registry.open([&] { ++closed; });
  const uint64_t b = registry.open([&] { ++closed; });
  EXPECT_NE(a, 0u);
  EXPECT_NE(b, 0u);
  EXPECT_EQ(registry.open([&] { ++closed; }), 0u);  // full
  registry.release(a);
  const uint64_t c = registry.open([&] { ++closed; });
  EXPECT_NE(c, 0u);
  EXPECT_FALSE(registry.shut_down());
  registry.shutdown();
  EXPECT_EQ(closed, 2);  // b and c; a was released without closing
  EXPECT_TRUE(registry.shut_down());
  EXPECT_EQ(registry.open([&] { ++closed; }), 0u);
  registry.release(b);  // releasing after shutdown is harmless
}

}  // namespace
}  // namespace maxio::admin
