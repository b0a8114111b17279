#include "daemon/storage/erasure/erasure_coding.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <cassert>
#include <condition_variable>
#include <cstring>
#include <memory>
#include <mutex>
#include <system_error>
#include <thread>

namespace maxio {

namespace {
constexpr int kMaxShards = 256;

// Blocks of data in flight with ObserveOn::kOwnThread: one being observed, one being
// encoded, one being read, so neither side waits for the other's jitter.
constexpr size_t kObservedSlots = 3;

// Encodes whose observer has a thread of its own right now, process-wide.
std::atomic<unsigned> g_observer_threads{0};

// Runs a ByteObserver on a thread of its own over the blocks it is given, in order. Blocks
// are numbered from `first_block` on; the producer hands over at most kObservedSlots blocks
// not yet observed and keeps each one's bytes unchanged until wait_observed() says it is
// done. Destroying it stops the thread after the block in progress (the rest go
// unobserved) and joins it.
class ObserverThread {
 public:
  // An observer thread, or nullptr when none should run: an encode and its observer keep
  // two cores busy, so only while fewer than half the cores run one (beyond that the
  // threads only take turns on the same cores, and waiting for each other's time slices
  // makes both slower), or when no thread can be started.
  static std::unique_ptr<ObserverThread> start(const ByteObserver& observe, uint64_t first_block) {
    const unsigned cores = std::thread::hardware_concurrency();
    unsigned running = g_observer_threads.load();
    do {
      if (2 * (running + 1) > cores) return nullptr;
    } while (!g_observer_threads.compare_exchange_weak(running, running + 1));
    try {
      return std::unique_ptr<ObserverThread>(new ObserverThread(observe, first_block));
    } catch (const std::system_error&) {
      --g_observer_threads;
      return nullptr;
    }
  }

  ObserverThread(const ObserverThread&) = delete;
  ObserverThread& operator=(const ObserverThread&) = delete;

  ~ObserverThread() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stopping_ = true;
    }
    work_.notify_one();
    thread_.join();
    --g_observer_threads;
  }

  // Queues data[0, size) after the blocks submitted before; at most kObservedSlots blocks
  // may be pending (wait_observed first).
  void submit(const char* data, size_t size) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      assert(submitted_ - observed_ < kObservedSlots && "more blocks in flight than slots");
      pending_[submitted_ % kObservedSlots] = {data, size};
      ++submitted_;
    }
    work_.notify_one();
  }

  // Returns once every block numbered below `end` has been observed.
  void wait_observed(uint64_t end) {
    std::unique_lock<std::mutex> lock(mutex_);
    done_.wait(lock, [&] { return observed_ >= end; });
  }

  // Returns once every block submitted has been observed.
  void wait_all() {
    std::unique_lock<std::mutex> lock(mutex_);
    done_.wait(lock, [&] { return observed_ == submitted_; });
  }

 private:
  // Throws std::system_error when no thread can be started.
  ObserverThread(const ByteObserver& observe, uint64_t first_block)
      : observe_(observe),
        submitted_(first_block),
        observed_(first_block),
        thread_([this] { run(); }) {}

  struct Block {
    const char* data = nullptr;
    size_t size = 0;
  };

  void run() {
    std::unique_lock<std::mutex> lock(mutex_);
    while (true) {
      work_.wait(lock, [&] { return stopping_ || observed_ < submitted_; });
      if (stopping_) return;
      const Block block = pending_[observed_ % kObservedSlots];
      lock.unlock();
      observe_(block.data, block.size);
      lock.lock();
      ++observed_;
      done_.notify_one();
    }
  }

  const ByteObserver& observe_;
  std::mutex mutex_;
  std::condition_variable work_;  // a block was submitted, or stop
  std::condition_variable done_;  // a block was observed
  std::array<Block, kObservedSlots> pending_;
  uint64_t submitted_;  // blocks below this number were submitted
  uint64_t observed_;   // blocks below this number were observed
  bool stopping_ = false;
  std::thread thread_;  // last: starts once the members above exist
};

}  // namespace

int64_t ErasureGeometry::shard_file_size(int64_t size) const {
  if (size <= 0) return size;
  int64_t full = size / block_size;
  int64_t last = size % block_size;
  return full * shard_size() + (last + data - 1) / data;
}

Result<EncodeResult> erasure_encode(const ReedSolomon& codec, int64_t block_size, Reader& source,
                                    int64_t size, std::vector<Writer*> shards, int write_quorum,
                                    const ByteObserver& observe, ObserveOn observe_on) {
  const int k = codec.data_shards();
  const int m = codec.parity_shards();
  EncodeResult result;
  result.failed.assign(shards.size(), false);
  if (static_cast<int>(shards.size()) != k + m) {
    return Status(ErrorCode::kInternal, "encoder given the wrong number of shards");
  }
  int alive = static_cast<int>(
      std::count_if(shards.begin(), shards.end(), [](Writer* w) { return w != nullptr; }));
  if (alive < write_quorum) {
    return Status(ErrorCode::kInsufficientWriteQuorum,
                  std::to_string(alive) + " of " + std::to_string(k + m) +
                      " drives available, write quorum is " + std::to_string(write_quorum));
  }

  // A block is read into a slot whose data shards are contiguous, so splitting it is
  // zero-padding its tail; parity goes to a buffer of its own. A small object of known size
  // gets buffers of its size, not of a whole block.
  const size_t largest_block = static_cast<size_t>(
      size >= 0 ? std::min<int64_t>(block_size, std::max<int64_t>(size, 1)) : block_size);
  const size_t shard_capacity = (largest_block + static_cast<size_t>(k) - 1) / k;
  const size_t slot_size = shard_capacity * static_cast<size_t>(k);
  const bool may_overlap =
      observe && observe_on == ObserveOn::kOwnThread && (size < 0 || size > block_size);
  const size_t slots = may_overlap ? kObservedSlots : 1;
  // Uninitialised: every byte the codec reads is read into or padded first.
  std::unique_ptr<char[]> data_buffer(new char[slots * slot_size]);
  std::unique_ptr<char[]> parity_buffer(new char[std::max<size_t>(1, m * shard_capacity)]);
  std::vector<const uint8_t*> data_ptrs(k);
  std::vector<uint8_t*> parity_ptrs(m);
  for (int i = 0; i < m; ++i) {
    parity_ptrs[i] = reinterpret_cast<uint8_t*>(parity_buffer.get()) + i * shard_capacity;
  }
  // Started with the first block when the size says there are more, otherwise with the
  // second, so single-block objects never pay for a thread. Declared after the buffers:
  // destroyed (joined) before them.
  std::unique_ptr<ObserverThread> observer;

  uint64_t total = 0;
  for (uint64_t index = 0;; ++index) {
    const size_t slot = static_cast<size_t>(index % slots);
    char* buffer = data_buffer.get() + slot * slot_size;
    // The slot is free once the block read into it `slots` blocks ago is observed.
    if (observer && index >= slots) observer->wait_observed(index - slots + 1);
    size_t want = static_cast<size_t>(block_size);
    if (size >= 0) want = static_cast<size_t>(std::min<uint64_t>(want, size - total));
    size_t n = 0;
    if (want > 0) {
      MAXIO_TRY(n, read_full(source, buffer, want));
    }
    if (n == 0 && total != 0) break;  // ended on a block boundary: checked below
    if (n > 0 && observe) {
      // Without a thread (no core to spare), observe on this one, as kCallerThread does.
      if (may_overlap && index == (size >= 0 ? 0 : 1)) {
        observer = ObserverThread::start(observe, index);
      }
      if (observer) {
        observer->submit(buffer, n);
      } else {
        observe(buffer, n);
      }
    }

    // This block's shard length; for an empty object, empty shards.
    const size_t len = (n + static_cast<size_t>(k) - 1) / static_cast<size_t>(k);
    if (len > 0) {
      // The data shards of this block are packed `len` bytes apart; pad the last. (The
      // observer may be reading [0, n) meanwhile; nothing here writes there.)
      std::memset(buffer + n, 0, len * k - n);
      for (int i = 0; i < k; ++i) {
        data_ptrs[i] = reinterpret_cast<const uint8_t*>(buffer) + i * len;
      }
      if (m > 0) codec.encode(data_ptrs, parity_ptrs, len);
      for (int i = 0; i < k + m; ++i) {
        if (!shards[i]) continue;
        const char* shard = i < k ? reinterpret_cast<const char*>(data_ptrs[i])
                                  : reinterpret_cast<const char*>(parity_ptrs[i - k]);
        Status st = shards[i]->write(shard, len);
        if (!st) {
          shards[i] = nullptr;
          result.failed[i] = true;
          if (--alive < write_quorum) {
            return Status(ErrorCode::kInsufficientWriteQuorum,
                          "write quorum lost: " + st.to_string());
          }
        }
      }
    }
    total += n;
    if (n < want || want == 0) break;
    if (size >= 0 && total == static_cast<uint64_t>(size)) break;
  }
  if (size >= 0 && total < static_cast<uint64_t>(size)) {
    return Status(ErrorCode::kIncompleteBody, "body ended after " + std::to_string(total) + " of " +
                                                  std::to_string(size) + " bytes");
  }
  if (size >= 0) {
    char extra;
    MAXIO_TRY(size_t n, source.read(&extra, 1));
    if (n != 0)
      return Status(ErrorCode::kContentLengthMismatch, "body longer than its declared size");
  }
  if (observer) observer->wait_all();
  result.bytes = total;
  return result;
}

ErasureDecoder::ErasureDecoder(std::shared_ptr<const ReedSolomon> codec, ErasureGeometry geometry,
                               int64_t part_size, std::vector<std::unique_ptr<BitrotReader>> shards)
    : codec_(std::move(codec)),
      geometry_(geometry),
      part_size_(part_size),
      shards_(std::move(shards)),
      end_(static_cast<uint64_t>(part_size)) {
  buffers_.assign(shards_.size(), std::string(static_cast<size_t>(geometry_.shard_size()), '\0'));
  for (size_t i = 0; i < shards_.size(); ++i) {
    if (!shards_[i]) failed_.push_back(static_cast<int>(i));
  }
}

Status ErasureDecoder::set_range(uint64_t offset, uint64_t length) {
  if (offset > static_cast<uint64_t>(part_size_) || length > part_size_ - offset) {
    return Status(ErrorCode::kInvalidRange, "range outside the object");
  }
  offset_ = offset;
  end_ = offset + length;
  return Status::ok();
}

void ErasureDecoder::fail_shard(int shard) {
  shards_[shard].reset();
  failed_.push_back(shard);
}

Status ErasureDecoder::decode_block(int64_t block) {
  const int k = geometry_.data;
  const int total = geometry_.data + geometry_.parity;
  block_bytes_ = std::min<int64_t>(geometry_.block_size, part_size_ - block * geometry_.block_size);
  const size_t len = static_cast<size_t>((block_bytes_ + k - 1) / k);
  const uint64_t shard_offset = static_cast<uint64_t>(block) * geometry_.shard_size();

  std::array<bool, kMaxShards> present{};
  int have = 0;
  bool corrupt = false;  // a shard of this block failed its bitrot check or was short
  // Data shards first; a parity shard only for each data shard we could not read.
  for (int i = 0; i < total && have < k; ++i) {
    if (!shards_[i]) continue;
    Status st = shards_[i]->seek(shard_offset);
    size_t n = 0;
    if (st) {
      auto r = read_full(*shards_[i], buffers_[i].data(), len);
      if (r) {
        n = *r;
      } else {
        st = r.status();
      }
    }
    if (!st || n != len) {
      if (st.is_ok() || st.code() == ErrorCode::kFileCorrupt) corrupt = true;
      fail_shard(i);
      continue;
    }
    present[i] = true;
    ++have;
  }
  if (have < k) {
    // Damage beyond what parity repairs is corruption; drives that are merely gone are a
    // quorum problem that may pass.
    return Status(corrupt ? ErrorCode::kFileCorrupt : ErrorCode::kInsufficientReadQuorum,
                  "only " + std::to_string(have) + " of " + std::to_string(k) +
                      " shards needed are readable");
  }
  bool complete = true;
  for (int i = 0; i < k; ++i) complete = complete && present[i];
  if (!complete) {
    std::vector<uint8_t*> ptrs(total);
    for (int i = 0; i < total; ++i) ptrs[i] = reinterpret_cast<uint8_t*>(buffers_[i].data());
    MAXIO_RETURN_IF_ERROR(codec_->reconstruct(ptrs, std::span<const bool>(present.data(), total),
                                              len, /*data_only=*/true));
  }
  block_ = block;
  return Status::ok();
}

Result<size_t> ErasureDecoder::read(char* buffer, size_t size) {
  if (offset_ >= end_ || size == 0) return size_t{0};
  const int64_t block = static_cast<int64_t>(offset_ / geometry_.block_size);
  if (block != block_) MAXIO_RETURN_IF_ERROR(decode_block(block));
  const int k = geometry_.data;
  const size_t len = static_cast<size_t>((block_bytes_ + k - 1) / k);
  uint64_t in_block = offset_ - static_cast<uint64_t>(block) * geometry_.block_size;
  size_t copied = 0;
  // Data of a block is shard 0 .. k-1 concatenated, each `len` bytes.
  while (copied < size && offset_ < end_ && in_block < static_cast<uint64_t>(block_bytes_)) {
    size_t shard = static_cast<size_t>(in_block / len);
    size_t within = static_cast<size_t>(in_block % len);
    size_t n = std::min<size_t>({len - within, size - copied, static_cast<size_t>(end_ - offset_),
                                 static_cast<size_t>(block_bytes_ - in_block)});
    std::memcpy(buffer + copied, buffers_[shard].data() + within, n);
    copied += n;
    offset_ += n;
    in_block += n;
  }
  return copied;
}

}  // namespace maxio
