#include "fuse/mount/read_ahead.h"

#include <gtest/gtest.h>

namespace maxio::fuse {
namespace {

constexpr uint64_t kMiB = 1 << 20;
const ReadAheadConfig kConfig{
    .min_window = 1 * kMiB, .max_window = 8 * kMiB, .tolerance = 2 * kMiB};

TEST(ReadAhead, SequentialReadsDoubleTheWindowUpToTheMaximum) {
  ReadAhead ra(kConfig);
  const uint64_t size = 1 << 30, chunk = 128 << 10;
  uint64_t expected[] = {1, 2, 4, 8, 8, 8};
  for (int i = 0; i < 6; ++i) {
    auto plan = ra.on_read(i * chunk, chunk, size);
    EXPECT_TRUE(plan.sequential) << i;
    EXPECT_EQ(ra.window(), expected[i] * kMiB) << i;
    EXPECT_EQ(plan.prefetch_begin, (i + 1) * chunk);
    EXPECT_EQ(plan.prefetch_end, (i + 1) * chunk + expected[i] * kMiB);
  }
}

TEST(ReadAhead, RandomReadResetsAndPrefetchesNothing) {
  ReadAhead ra(kConfig);
  const uint64_t size = 1 << 30;
  (void)ra.on_read(0, 4096, size);
  (void)ra.on_read(4096, 4096, size);
  auto plan = ra.on_read(500 * kMiB, 4096, size);
  EXPECT_FALSE(plan.sequential);
  EXPECT_EQ(plan.prefetch_end, plan.prefetch_begin);
  EXPECT_EQ(ra.window(), 0u);
  // A following read where the random one ended starts a new sequential run at the minimum.
  plan = ra.on_read(500 * kMiB + 4096, 4096, size);
  EXPECT_TRUE(plan.sequential);
  EXPECT_EQ(ra.window(), kConfig.min_window);
}

TEST(ReadAhead, RandomFourKilobyteReadsNeverPrefetch) {
  ReadAhead ra(kConfig);
  const uint64_t size = 1 << 30;
  uint64_t offsets[] = {700 * kMiB, 3 * kMiB + 4096, 900 * kMiB, 100 * kMiB, 512 * kMiB};
  for (uint64_t off : offsets) {
    auto plan = ra.on_read(off, 4096, size);
    EXPECT_FALSE(plan.sequential) << off;
  }
}

TEST(ReadAhead, ReorderedKernelReadsStaySequential) {
  ReadAhead ra(kConfig);
  const uint64_t size = 1 << 30, chunk = 128 << 10;
  (void)ra.on_read(0, chunk, size);
  (void)ra.on_read(2 * chunk, chunk, size);  // arrived before chunk 1
  auto plan = ra.on_read(chunk, chunk, size);
  EXPECT_TRUE(plan.sequential);
  EXPECT_EQ(ra.window(), 2 * kMiB);  // an out-of-order read inside the window does not grow it
}

TEST(ReadAhead, ANearbyReadAfterARandomOneIsStillRandom) {
  ReadAhead ra(kConfig);
  const uint64_t size = 1 << 30;
  (void)ra.on_read(300 * kMiB, 4096, size);                    // random
  auto plan = ra.on_read(300 * kMiB + 64 * 1024, 4096, size);  // close, but not a run
  EXPECT_FALSE(plan.sequential);
}

TEST(ReadAhead, PrefetchStopsAtEndOfFile) {
  ReadAhead ra(kConfig);
  auto plan = ra.on_read(0, 4096, 10000);
  EXPECT_TRUE(plan.sequential);
  EXPECT_EQ(plan.prefetch_begin, 4096u);
  EXPECT_EQ(plan.prefetch_end, 10000u);
  plan = ra.on_read(8192, 4096, 10000);
  EXPECT_EQ(plan.prefetch_begin, 10000u);
  EXPECT_EQ(plan.prefetch_end, 10000u);
}

}  // namespace
}  // namespace maxio::fuse
