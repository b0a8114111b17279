#include "daemon/storage/erasure/bitrot.h"

#include <gtest/gtest.h>

#include <random>

#include "shared/crypto/highwayhash.h"

namespace maxio {
namespace {

std::string pattern(size_t n) {
  std::string s(n, '\0');
  std::mt19937 rng(42);
  for (auto& c : s) c = static_cast<char>(rng());
  return s;
}

std::string frame(std::string_view payload, size_t shard) {
  StringWriter out;
  BitrotWriter w(out, shard);
  // Odd chunking: the writer must still cut blocks at shard boundaries.
  size_t pos = 0, step = 7;
  while (pos < payload.size()) {
    size_t n = std::min(step, payload.size() - pos);
    EXPECT_TRUE(w.write(payload.data() + pos, n).is_ok());
    pos += n;
    step = step * 3 % 1000 + 1;
  }
  EXPECT_TRUE(w.finish().is_ok());
  return out.take();
}

std::string read_rest(BitrotReader& r, Status* error = nullptr) {
  std::string out;
  char buf[333];
  while (true) {
    auto n = r.read(buf, sizeof buf);
    if (!n) {
      if (error) *error = n.status();
      return out;
    }
    if (*n == 0) return out;
    out.append(buf, *n);
  }
}

TEST(BitrotTest, LayoutMatchesMinio) {
  std::string payload = pattern(100);
  std::string framed = frame(payload, 64);
  ASSERT_EQ(framed.size(), bitrot_file_size(100, 64));
  ASSERT_EQ(framed.size(), 100u + 2 * 32);
  HighwayHash256 h(minio_bitrot_key());
  h.update(payload.data(), 64);
  EXPECT_EQ(framed.substr(0, 32), h.finish());
  EXPECT_EQ(framed.substr(32, 64), payload.substr(0, 64));
  h.reset();
  h.update(payload.data() + 64, 36);
  EXPECT_EQ(framed.substr(96, 32), h.finish());
  EXPECT_EQ(frame("", 64), "");
}

TEST(BitrotTest, RoundTripAndSeek) {
  for (size_t size : {0, 1, 63, 64, 65, 1000, 4096}) {
    std::string payload = pattern(size);
    std::string framed = frame(payload, 64);
    BitrotReader r(new_memory_file_reader(framed), 64, size);
    EXPECT_EQ(read_rest(r), payload) << size;
    for (size_t off : {size_t{0}, size / 2, size > 0 ? size - 1 : 0, size}) {
      ASSERT_TRUE(r.seek(off).is_ok());
      EXPECT_EQ(read_rest(r), payload.substr(off)) << size << "@" << off;
    }
    EXPECT_EQ(r.seek(size + 1).code(), ErrorCode::kInvalidRange);
  }
}

TEST(BitrotTest, CorruptionIsDetected) {
  std::string payload = pattern(300);
  std::string framed = frame(payload, 100);
  for (size_t pos : {size_t{0}, size_t{40}, size_t{132 + 50}, framed.size() - 1}) {
    std::string bad = framed;
    bad[pos] ^= 0x01;
    BitrotReader r(new_memory_file_reader(bad), 100, 300);
    Status st;
    read_rest(r, &st);
    EXPECT_EQ(st.code(), ErrorCode::kFileCorrupt) << pos;
  }
  // Truncated file.
  BitrotReader r(new_memory_file_reader(framed.substr(0, framed.size() - 1)), 100, 300);
  Status st;
  read_rest(r, &st);
  EXPECT_EQ(st.code(), ErrorCode::kFileCorrupt);
}

}  // namespace
}  // namespace maxio
