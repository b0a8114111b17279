#pragma once
// Streaming erasure coding of one object part over k + m shard streams, as MinIO's
// Erasure.Encode/Decode/Heal: the object is cut into blocks of block_size bytes, each block
// split into k data shards of ceil(len / k) bytes (the last zero-padded) and m parity
// shards; shard i of every block goes, in order, to stream i. One thread per encoder or
// decoder; memory: one block of shards, whatever the object size.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "daemon/storage/erasure/bitrot.h"
#include "daemon/storage/erasure/reed_solomon.h"
#include "shared/util/io.h"
#include "shared/util/status.h"

namespace maxio {

// The shape of an erasure-coded part.
struct ErasureGeometry {
  int data = 1;
  int parity = 0;
  int64_t block_size = 1 << 20;

  // Bytes of each shard of a full block: ceil(block_size / data).
  int64_t shard_size() const { return (block_size + data - 1) / data; }
  // Bytes of one shard stream for a part of `size` bytes (MinIO's ShardFileSize).
  int64_t shard_file_size(int64_t size) const;
};

// Sees every object byte once, in order (MD5, checksums).
using ByteObserver = std::function<void(const char* data, size_t size)>;

// Which thread runs the ByteObserver of erasure_encode.
enum class ObserveOn {
  // The caller's, between reading a block and encoding it.
  kCallerThread,
  // A thread of erasure_encode's own, concurrently with the encoding and bitrot hashing of
  // the same blocks: an object is then about as fast as the slower of the two instead of
  // their sum. Calls still come one at a time, in order, and all have returned when
  // erasure_encode does (also on failure, when the rest of the object is not observed).
  // The observer must not touch what the caller's writers touch. Observing stays on the
  // caller's thread for objects of at most one block, where a thread would cost more than
  // it saves, and while hardware_concurrency() / 2 encodes of the process already have an
  // observer thread: with no core to spare the two threads only take turns.
  kOwnThread,
};

struct EncodeResult {
  uint64_t bytes = 0;        // object bytes read and encoded
  std::vector<bool> failed;  // per shard: its writer failed (and was dropped)
};

// Encodes `source` onto `shards` (k + m writers, nullptr for a shard nobody stores). Reads
// exactly `size` bytes when size >= 0 (kIncompleteBody when the source ends early,
// kContentLengthMismatch when it has more), otherwise until its end. A writer that fails is
// dropped and reported in `failed`; encoding fails with kInsufficientWriteQuorum once fewer
// than `write_quorum` writers are left. `observe` (may be empty) sees the object's bytes on
// the thread `observe_on` says. Memory: one block of shards, plus two more blocks of data
// with kOwnThread.
Result<EncodeResult> erasure_encode(const ReedSolomon& codec, int64_t block_size, Reader& source,
                                    int64_t size, std::vector<Writer*> shards, int write_quorum,
                                    const ByteObserver& observe,
                                    ObserveOn observe_on = ObserveOn::kCallerThread);

// Reads a part back from its shard streams: data shards when they are healthy, parity only
// for a shard that is missing or fails its bitrot check (it is then reported through
// failed_shards() and never read again). kInsufficientReadQuorum when fewer than k shards
// are left for a block.
class ErasureDecoder final : public Reader {
 public:
  // `shards` are indexed by shard number (0-based); nullptr for a shard that is missing.
  // Each reader yields that shard's payload of geometry.shard_file_size(part_size) bytes.
  ErasureDecoder(std::shared_ptr<const ReedSolomon> codec, ErasureGeometry geometry,
                 int64_t part_size, std::vector<std::unique_ptr<BitrotReader>> shards);

  // Restricts the stream to [offset, offset + length) of the part; call before reading.
  Status set_range(uint64_t offset, uint64_t length);
  Result<size_t> read(char* buffer, size_t size) override;

  // Shards found missing or corrupt so far (0-based), for healing.
  const std::vector<int>& failed_shards() const { return failed_; }

 private:
  Status decode_block(int64_t block);
  void fail_shard(int shard);

  std::shared_ptr<const ReedSolomon> codec_;
  ErasureGeometry geometry_;
  int64_t part_size_;
  std::vector<std::unique_ptr<BitrotReader>> shards_;
  std::vector<std::string> buffers_;  // one per shard, geometry_.shard_size() bytes
  std::vector<int> failed_;
  uint64_t offset_ = 0;  // next part byte to return
  uint64_t end_ = 0;     // one past the last byte to return
  int64_t block_ = -1;   // block held in buffers_
  int64_t block_bytes_ = 0;
};

}  // namespace maxio
