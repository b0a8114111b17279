#include "fuse/mount/stat_cache.h"

#include <gtest/gtest.h>

namespace maxio::fuse {
namespace {

using namespace std::chrono_literals;

TEST(StatCache, PositiveAndNegativeEntriesExpire) {
  StatCache cache(5s, 1s);
  auto t0 = StatCache::Clock::now();
  Attributes a{.size = 3};
  cache.put("/a", a, t0);
  cache.put_negative("/missing", t0);
  ASSERT_TRUE(cache.get("/a", t0 + 4s));
  EXPECT_EQ((*cache.get("/a", t0 + 4s))->size, 3u);
  auto neg = cache.get("/missing", t0 + 500ms);
  ASSERT_TRUE(neg);
  EXPECT_FALSE(*neg);
  EXPECT_FALSE(cache.get("/missing", t0 + 2s));
  EXPECT_FALSE(cache.get("/a", t0 + 6s));
  EXPECT_FALSE(cache.get("/never", t0));
}

TEST(StatCache, EraseTreeRemovesOnlyTheSubtree) {
  StatCache cache(5s, 5s);
  auto t0 = StatCache::Clock::now();
  for (const char* p : {"/a", "/a/b", "/a/b/c", "/ab", "/b"}) cache.put(p, {}, t0);
  cache.erase_tree("/a");
  EXPECT_FALSE(cache.get("/a", t0));
  EXPECT_FALSE(cache.get("/a/b", t0));
  EXPECT_FALSE(cache.get("/a/b/c", t0));
  EXPECT_TRUE(cache.get("/ab", t0));
  EXPECT_TRUE(cache.get("/b", t0));
}

TEST(StatCache, ZeroTtlDisables) {
  StatCache cache(0s, 0s);
  auto t0 = StatCache::Clock::now();
  cache.put("/a", {}, t0);
  cache.put_negative("/b", t0);
  EXPECT_EQ(cache.size(), 0u);
}

TEST(StatCache, CapacityIsBounded) {
  StatCache cache(1h, 1h, 100);
  auto t0 = StatCache::Clock::now();
  for (int i = 0; i < 1000; ++i) cache.put("/f" + std::to_string(i), {}, t0);
  EXPECT_LE(cache.size(), 100u);
  EXPECT_TRUE(cache.get("/f999", t0));
}

}  // namespace
}  // namespace maxio::fuse
