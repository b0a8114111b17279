#pragma once
// ReedSolomon: MinIO's erasure code, k data + m parity shards over GF(2^8), with the coding
// matrix klauspost/reedsolomon's New(k, m) builds, run by ISA-L. Immutable after create()
// apart from a bounded, mutex-guarded cache of decode tables: all methods are const and safe
// to call from many threads at once. Move-only; a moved-from codec may only be destroyed.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "shared/util/status.h"

namespace maxio {

class ReedSolomon {
 public:
  // GF(2^8) has 256 distinct evaluation points, so k + m is at most 256.
  static constexpr int kMaxTotalShards = 256;

  // A codec for data_shards (k) + parity_shards (m). kInvalidArgument unless k >= 1, m >= 0
  // and k + m <= kMaxTotalShards (MinIO's NewErasure limits).
  static Result<ReedSolomon> create(int data_shards, int parity_shards);

  ReedSolomon(ReedSolomon&&) noexcept;
  ReedSolomon& operator=(ReedSolomon&&) noexcept;
  ~ReedSolomon();

  int data_shards() const { return data_shards_; }
  int parity_shards() const { return parity_shards_; }
  int total_shards() const { return data_shards_ + parity_shards_; }

  // The size of each of the k + m shards of a block of block_bytes: ceil(block_bytes / k),
  // as MinIO's Erasure.ShardSize and reedsolomon.Split compute it (0 for an empty block).
  size_t shard_size_for(size_t block_bytes) const;

  // MinIO's split of one block: block's bytes, in order, fill data[0], data[1], ... each
  // shard_size bytes long, and every byte past the end of block is zero. Requires
  // data.size() == k and shard_size == shard_size_for(block.size()). A caller that reads
  // the block into one buffer of k * shard_size bytes gets the same layout without the copy
  // by zeroing that buffer's tail.
  void split(std::span<const uint8_t> block, std::span<uint8_t* const> data,
             size_t shard_size) const;

  // Computes the m parity shards of the k data shards; every shard is shard_size bytes and
  // buffers must not overlap. Requires data.size() == k and parity.size() == m. Allocates
  // nothing; any alignment is accepted.
  void encode(std::span<const uint8_t* const> data, std::span<uint8_t* const> parity,
              size_t shard_size) const;

  // Rebuilds the shards whose present[i] is false from any k present ones (data shards are
  // preferred as sources): every missing shard, or only the missing data shards when
  // data_only (missing parity buffers are then left untouched). shards[i] points to
  // shard_size writable bytes for every i; present shards are only read.
  // kInvalidArgument when shards or present do not hold k + m entries;
  // kInsufficientReadQuorum when fewer than k shards are present and something is to be
  // rebuilt. Allocates only when the pattern's decode tables are not cached (its first
  // use, or after the bounded cache evicted it).
  Status reconstruct(std::span<uint8_t* const> shards, std::span<const bool> present,
                     size_t shard_size, bool data_only) const;

 private:
  struct DecodeCache;  // decode tables by erasure pattern; defined in the .cc

  ReedSolomon();

  int data_shards_ = 0;
  int parity_shards_ = 0;
  // The systematic (k + m) x k coding matrix, row-major: identity on top, parity rows below.
  std::vector<uint8_t> matrix_;
  // ISA-L's expanded tables of the parity rows (32 * k * m bytes).
  std::vector<uint8_t> encode_tables_;
  std::unique_ptr<DecodeCache> cache_;
};

}  // namespace maxio
