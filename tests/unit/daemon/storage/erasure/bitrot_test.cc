#include "daemon/storage/erasure/bitrot.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <new>
#include <random>

#include "shared/crypto/highwayhash.h"

// Counts this binary's operator new calls, to prove the per-block paths allocate nothing.
// (GCC inlines the replacements and then mistakes the malloc/free pairing for a mismatch.)
std::atomic<uint64_t> g_allocations{0};

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif

void* operator new(size_t size) {
  ++g_allocations;
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, size_t) noexcept { std::free(p); }
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

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

// Reads to the end in reads of `chunk` bytes (whole blocks land in place, smaller reads
// go through the reader's block buffer).
std::string read_rest(BitrotReader& r, Status* error = nullptr, size_t chunk = 333) {
  std::string out;
  char buf[333];
  chunk = std::min(chunk, sizeof buf);
  while (true) {
    auto n = r.read(buf, chunk);
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
  for (size_t chunk : {size_t{333}, size_t{100}, size_t{7}}) {  // in place and buffered
    for (size_t pos : {size_t{0}, size_t{40}, size_t{132 + 50}, framed.size() - 1}) {
      std::string bad = framed;
      bad[pos] ^= 0x01;
      BitrotReader r(new_memory_file_reader(bad), 100, 300);
      Status st;
      const std::string got = read_rest(r, &st, chunk);
      EXPECT_EQ(st.code(), ErrorCode::kFileCorrupt) << pos << " chunk " << chunk;
      // Only the verified blocks before the damaged one were returned.
      const size_t damaged_block = pos / 132;
      EXPECT_EQ(got, payload.substr(0, damaged_block * 100)) << pos << " chunk " << chunk;
    }
    // Truncated file.
    BitrotReader r(new_memory_file_reader(framed.substr(0, framed.size() - 1)), 100, 300);
    Status st;
    read_rest(r, &st, chunk);
    EXPECT_EQ(st.code(), ErrorCode::kFileCorrupt);
  }
}

// Drops everything, without allocating.
class NullWriter final : public Writer {
 public:
  using Writer::write;
  Status write(const char*, size_t) override { return Status::ok(); }
};

// Regression: every block used to allocate a std::string for its hash (and a hasher).
TEST(BitrotTest, WholeBlocksAllocateNothing) {
  const uint64_t start = g_allocations.load();
  delete new std::string(100, 'x');  // the counter sees allocations
  ASSERT_GT(g_allocations.load(), start);

  const std::string payload = pattern(64 * 100);
  NullWriter drive;
  BitrotWriter w(drive, 64);
  const uint64_t before_write = g_allocations.load();
  for (size_t pos = 0; pos < payload.size(); pos += 64) {
    ASSERT_TRUE(w.write(payload.data() + pos, 64).is_ok());
  }
  ASSERT_TRUE(w.finish().is_ok());
  EXPECT_EQ(g_allocations.load(), before_write);

  BitrotReader r(new_memory_file_reader(frame(payload, 64)), 64, payload.size());
  char block[64];
  ASSERT_TRUE(r.read(block, sizeof block).is_ok());
  const uint64_t before_read = g_allocations.load();  // whole blocks are read in place
  for (size_t pos = 64; pos < payload.size(); pos += 64) {
    auto n = r.read(block, sizeof block);
    ASSERT_TRUE(n.is_ok());
    ASSERT_EQ(*n, 64u);
    ASSERT_EQ(std::string_view(block, 64), std::string_view(payload).substr(pos, 64));
  }
  EXPECT_EQ(g_allocations.load(), before_read);
  // Partial reads go through the block buffer, allocated once.
  ASSERT_TRUE(r.seek(10).is_ok());
  ASSERT_TRUE(r.read(block, 5).is_ok());
  const uint64_t before_partial = g_allocations.load();
  for (size_t pos = 64; pos < payload.size(); pos += 64) {
    ASSERT_TRUE(r.seek(pos + 3).is_ok());
    auto n = r.read(block, 5);
    ASSERT_TRUE(n.is_ok());
    ASSERT_EQ(std::string_view(block, *n), std::string_view(payload).substr(pos + 3, 5));
  }
  EXPECT_EQ(g_allocations.load(), before_partial);
}

}  // namespace
}  // namespace maxio
