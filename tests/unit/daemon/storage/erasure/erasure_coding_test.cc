// erasure_encode with its observer on the caller's thread and on a thread of its own: same
// shards, same observed bytes, and the thread is bounded and joined on every way out.

#include "daemon/storage/erasure/erasure_coding.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

namespace maxio {
namespace {

constexpr int64_t kBlock = 4096;  // small blocks: many of them in a small object

std::string pattern(size_t n, uint64_t seed) {
  std::string s(n, '\0');
  std::mt19937_64 rng(seed);
  for (auto& c : s) c = static_cast<char>(rng());
  return s;
}

ReedSolomon codec(int k, int m) {
  auto created = ReedSolomon::create(k, m);
  EXPECT_TRUE(created.is_ok());
  return std::move(*created);
}

// Hands out a string in reads of at most `chunk` bytes; fails once `fail_at` bytes are out.
class TestReader final : public Reader {
 public:
  explicit TestReader(std::string_view data, size_t chunk = 1000, size_t fail_at = SIZE_MAX)
      : data_(data), chunk_(chunk), fail_at_(fail_at) {}
  Result<size_t> read(char* buffer, size_t size) override {
    if (delivered_ >= fail_at_) return Status(ErrorCode::kIo, "connection reset");
    const size_t at = delivered_.load();
    const size_t n = std::min({size, chunk_, data_.size() - at, fail_at_ - at});
    std::memcpy(buffer, data_.data() + at, n);
    delivered_ += n;
    return n;
  }
  uint64_t delivered() const { return delivered_; }

 private:
  std::string_view data_;
  size_t chunk_;
  size_t fail_at_;
  std::atomic<uint64_t> delivered_{0};
};

// Appends what it sees, checking calls never overlap, and records the threads calling.
struct Observed {
  std::string bytes;
  std::atomic<int> in_call{0};
  bool overlapped = false;
  std::mutex mutex;
  std::vector<std::thread::id> threads;

  ByteObserver observer() {
    return [this](const char* data, size_t size) {
      if (in_call.fetch_add(1) != 0) overlapped = true;
      bytes.append(data, size);
      {
        std::lock_guard<std::mutex> lock(mutex);
        threads.push_back(std::this_thread::get_id());
      }
      in_call.fetch_sub(1);
    };
  }
};

// Fails every write after its first `ok_writes`.
class FailingWriter final : public Writer {
 public:
  explicit FailingWriter(int ok_writes) : ok_writes_(ok_writes) {}
  using Writer::write;
  Status write(const char* data, size_t size) override {
    if (ok_writes_-- <= 0) return Status(ErrorCode::kDriveFaulty, "drive gone");
    return Status::ok();
  }

 private:
  int ok_writes_;
};

struct Encoded {
  Result<EncodeResult> result = Status(ErrorCode::kInternal, "not run");
  std::vector<std::string> shards;
};

Encoded encode(const ReedSolomon& rs, std::string_view object, int64_t declared, ObserveOn on,
               Observed& observed) {
  Encoded out;
  std::vector<StringWriter> writers(rs.total_shards());
  std::vector<Writer*> ptrs;
  for (auto& w : writers) ptrs.push_back(&w);
  TestReader reader(object, 1500);
  out.result =
      erasure_encode(rs, kBlock, reader, declared, ptrs, rs.data_shards(), observed.observer(), on);
  for (auto& w : writers) out.shards.push_back(w.take());
  return out;
}

TEST(ErasureEncodeTest, ObserverOnOwnThreadGivesTheSameShardsAndBytes) {
  const ReedSolomon rs = codec(4, 2);
  for (size_t size : {size_t{0}, size_t{1}, size_t{kBlock - 1}, size_t{kBlock}, size_t{kBlock + 1},
                      size_t{2 * kBlock}, size_t{7 * kBlock + 123}}) {
    const std::string object = pattern(size, size);
    for (bool known_size : {true, false}) {
      SCOPED_TRACE(testing::Message() << "size " << size << " known " << known_size);
      const int64_t declared = known_size ? static_cast<int64_t>(size) : -1;
      Observed inline_observed, threaded_observed;
      Encoded expected = encode(rs, object, declared, ObserveOn::kCallerThread, inline_observed);
      Encoded actual = encode(rs, object, declared, ObserveOn::kOwnThread, threaded_observed);
      ASSERT_TRUE(expected.result.is_ok());
      ASSERT_TRUE(actual.result.is_ok());
      EXPECT_EQ(actual.result->bytes, size);
      EXPECT_EQ(actual.shards, expected.shards);
      EXPECT_EQ(inline_observed.bytes, object);
      EXPECT_EQ(threaded_observed.bytes, object);
      EXPECT_FALSE(threaded_observed.overlapped);
      // One block stays on the caller's thread; more move the rest to another.
      const bool other_thread =
          std::any_of(threaded_observed.threads.begin(), threaded_observed.threads.end(),
                      [](std::thread::id id) { return id != std::this_thread::get_id(); });
      const bool threaded =
          size > static_cast<size_t>(kBlock) && std::thread::hardware_concurrency() >= 2;
      EXPECT_EQ(other_thread, threaded);
      // With the size known, even the first block goes to the observer thread.
      const bool on_caller =
          std::any_of(threaded_observed.threads.begin(), threaded_observed.threads.end(),
                      [](std::thread::id id) { return id == std::this_thread::get_id(); });
      if (threaded && known_size) {
        EXPECT_FALSE(on_caller);
      }
    }
  }
}

TEST(ErasureEncodeTest, FramedShardsDecodeBackWithObserverOnOwnThread) {
  const ReedSolomon rs = codec(3, 2);
  const std::string object = pattern(5 * kBlock + 77, 9);
  const ErasureGeometry geometry{3, 2, kBlock};
  const uint64_t shard_size = static_cast<uint64_t>(geometry.shard_size());
  std::vector<StringWriter> files(5);
  std::vector<std::unique_ptr<BitrotWriter>> framers;
  std::vector<Writer*> ptrs;
  for (auto& f : files) {
    framers.push_back(std::make_unique<BitrotWriter>(f, shard_size));
    ptrs.push_back(framers.back().get());
  }
  Observed observed;
  TestReader reader(object);
  auto encoded = erasure_encode(rs, kBlock, reader, static_cast<int64_t>(object.size()), ptrs, 3,
                                observed.observer(), ObserveOn::kOwnThread);
  ASSERT_TRUE(encoded.is_ok());
  for (auto& framer : framers) ASSERT_TRUE(framer->finish().is_ok());

  std::vector<std::unique_ptr<BitrotReader>> sources(5);
  const uint64_t shard_file = static_cast<uint64_t>(geometry.shard_file_size(object.size()));
  for (int i : {1, 3, 4}) {  // two shards lost, one of them data
    sources[i] = std::make_unique<BitrotReader>(new_memory_file_reader(files[i].take()), shard_size,
                                                shard_file);
  }
  auto shared = std::make_shared<const ReedSolomon>(codec(3, 2));
  ErasureDecoder decoder(shared, geometry, static_cast<int64_t>(object.size()), std::move(sources));
  std::string back(object.size(), '\0');
  auto n = read_full(decoder, back.data(), back.size());
  ASSERT_TRUE(n.is_ok());
  EXPECT_EQ(*n, object.size());
  EXPECT_EQ(back, object);
}

// A slow observer makes the reader wait: while block b is being observed, at most the
// blocks up to b + 2 have been read (three blocks of data in flight).
TEST(ErasureEncodeTest, ReadingAheadOfTheObserverIsBounded) {
  if (std::thread::hardware_concurrency() < 2) GTEST_SKIP() << "no core for an observer";
  const ReedSolomon rs = codec(2, 1);
  const std::string object = pattern(20 * kBlock, 3);
  TestReader reader(object, kBlock);
  std::vector<StringWriter> writers(3);
  std::vector<Writer*> ptrs;
  for (auto& w : writers) ptrs.push_back(&w);
  uint64_t observed_bytes = 0;
  uint64_t worst_ahead = 0;
  auto observe = [&](const char*, size_t size) {
    worst_ahead = std::max(worst_ahead, reader.delivered() - observed_bytes);
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
    observed_bytes += size;
  };
  auto encoded = erasure_encode(rs, kBlock, reader, static_cast<int64_t>(object.size()), ptrs, 2,
                                observe, ObserveOn::kOwnThread);
  ASSERT_TRUE(encoded.is_ok());
  EXPECT_EQ(observed_bytes, object.size());
  EXPECT_LE(worst_ahead, static_cast<uint64_t>(3 * kBlock));
  EXPECT_GE(worst_ahead, static_cast<uint64_t>(2 * kBlock));  // it did read ahead
}

// Regression guard for early exits: the observer thread must be stopped and joined before
// erasure_encode returns, whatever the error.
TEST(ErasureEncodeTest, FailingReaderJoinsTheObserver) {
  const ReedSolomon rs = codec(4, 2);
  const std::string object = pattern(10 * kBlock, 5);
  for (size_t fail_at : {size_t{kBlock / 2}, size_t{kBlock + 10}, size_t{6 * kBlock}}) {
    SCOPED_TRACE(fail_at);
    TestReader reader(object, 999, fail_at);
    std::vector<StringWriter> writers(6);
    std::vector<Writer*> ptrs;
    for (auto& w : writers) ptrs.push_back(&w);
    auto calls_running = std::make_shared<std::atomic<int>>(0);
    uint64_t seen = 0;
    auto observe = [calls_running, &seen](const char*, size_t size) {
      ++*calls_running;
      std::this_thread::sleep_for(std::chrono::microseconds(200));
      seen += size;
      --*calls_running;
    };
    auto encoded = erasure_encode(rs, kBlock, reader, static_cast<int64_t>(object.size()), ptrs, 4,
                                  observe, ObserveOn::kOwnThread);
    EXPECT_EQ(encoded.status().code(), ErrorCode::kIo);
    EXPECT_EQ(calls_running->load(), 0);
    EXPECT_LE(seen, fail_at);
  }
}

TEST(ErasureEncodeTest, LostWriteQuorumJoinsTheObserver) {
  const ReedSolomon rs = codec(4, 2);
  const std::string object = pattern(10 * kBlock, 6);
  TestReader reader(object);
  std::vector<StringWriter> good(3);
  FailingWriter bad0(1), bad1(2), bad2(3);
  std::vector<Writer*> ptrs = {&good[0], &bad0, &good[1], &bad1, &good[2], &bad2};
  std::atomic<int> calls_running{0};
  auto observe = [&](const char*, size_t) {
    ++calls_running;
    std::this_thread::sleep_for(std::chrono::microseconds(200));
    --calls_running;
  };
  auto encoded = erasure_encode(rs, kBlock, reader, static_cast<int64_t>(object.size()), ptrs, 4,
                                observe, ObserveOn::kOwnThread);
  EXPECT_EQ(encoded.status().code(), ErrorCode::kInsufficientWriteQuorum);
  EXPECT_EQ(calls_running.load(), 0);
}

TEST(ErasureEncodeTest, DeclaredSizeIsEnforcedWithObserverOnOwnThread) {
  const ReedSolomon rs = codec(2, 2);
  const std::string object = pattern(3 * kBlock + 50, 7);
  for (int64_t declared : {int64_t{3 * kBlock + 100}, int64_t{3 * kBlock - 1}}) {
    SCOPED_TRACE(declared);
    TestReader reader(object);
    std::vector<StringWriter> writers(4);
    std::vector<Writer*> ptrs;
    for (auto& w : writers) ptrs.push_back(&w);
    Observed observed;
    auto encoded = erasure_encode(rs, kBlock, reader, declared, ptrs, 2, observed.observer(),
                                  ObserveOn::kOwnThread);
    EXPECT_EQ(encoded.status().code(), declared > 3 * kBlock ? ErrorCode::kIncompleteBody
                                                             : ErrorCode::kContentLengthMismatch);
  }
}

bool observed_elsewhere(const Observed& observed, std::thread::id caller) {
  return std::any_of(observed.threads.begin(), observed.threads.end(),
                     [&](std::thread::id id) { return id != caller; });
}

// An encode and its observer thread keep two cores busy: while cores / 2 encodes have one,
// the next observes on its caller's thread, and a thread is available again afterwards.
TEST(ErasureEncodeTest, ObserverThreadsAreLimitedToHalfTheCores) {
  const unsigned busy = std::thread::hardware_concurrency() / 2;
  const ReedSolomon rs = codec(2, 1);
  const std::string object = pattern(4 * kBlock, 11);
  std::mutex mutex;
  std::condition_variable changed;
  unsigned blocked = 0;
  bool release = false;
  std::vector<std::thread> encoders;
  for (unsigned i = 0; i < busy; ++i) {
    encoders.emplace_back([&] {
      const std::thread::id caller = std::this_thread::get_id();
      TestReader reader(object);
      std::vector<StringWriter> writers(3);
      std::vector<Writer*> ptrs;
      for (auto& w : writers) ptrs.push_back(&w);
      bool waited = false;
      auto observe = [&](const char*, size_t) {
        if (std::this_thread::get_id() == caller || waited) return;
        waited = true;  // hold this encode's observer thread until the test is done
        std::unique_lock<std::mutex> lock(mutex);
        ++blocked;
        changed.notify_all();
        changed.wait(lock, [&] { return release; });
      };
      EXPECT_TRUE(erasure_encode(rs, kBlock, reader, static_cast<int64_t>(object.size()), ptrs, 2,
                                 observe, ObserveOn::kOwnThread)
                      .is_ok());
    });
  }
  {
    std::unique_lock<std::mutex> lock(mutex);
    ASSERT_TRUE(changed.wait_for(lock, std::chrono::seconds(30), [&] { return blocked == busy; }))
        << "only " << blocked << " of " << busy << " encodes got an observer thread";
  }
  Observed observed;
  Encoded full =
      encode(rs, object, static_cast<int64_t>(object.size()), ObserveOn::kOwnThread, observed);
  EXPECT_TRUE(full.result.is_ok());
  EXPECT_EQ(observed.bytes, object);
  EXPECT_FALSE(observed_elsewhere(observed, std::this_thread::get_id()));
  {
    std::lock_guard<std::mutex> lock(mutex);
    release = true;
  }
  changed.notify_all();
  for (auto& t : encoders) t.join();

  Observed after;
  Encoded again =
      encode(rs, object, static_cast<int64_t>(object.size()), ObserveOn::kOwnThread, after);
  EXPECT_TRUE(again.result.is_ok());
  EXPECT_EQ(observed_elsewhere(after, std::this_thread::get_id()), busy > 0);
}

// Regression: a body that ended exactly on a block boundary before its declared size was
// accepted, and the object stored short.
TEST(ErasureEncodeTest, BodyEndingOnABlockBoundaryBeforeItsSizeIsIncomplete) {
  const ReedSolomon rs = codec(2, 1);
  const std::string object = pattern(2 * kBlock, 8);
  for (ObserveOn on : {ObserveOn::kCallerThread, ObserveOn::kOwnThread}) {
    for (int64_t declared : {int64_t{2 * kBlock + 1}, int64_t{3 * kBlock}}) {
      SCOPED_TRACE(declared);
      TestReader reader(object);
      std::vector<StringWriter> writers(3);
      std::vector<Writer*> ptrs;
      for (auto& w : writers) ptrs.push_back(&w);
      Observed observed;
      auto encoded = erasure_encode(rs, kBlock, reader, declared, ptrs, 2, observed.observer(), on);
      EXPECT_EQ(encoded.status().code(), ErrorCode::kIncompleteBody);
    }
  }
}

}  // namespace
}  // namespace maxio
