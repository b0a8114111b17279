#pragma once
// MinIO's streaming bitrot format ("HighwayHash256S") of part.N files and inline data:
// before each shard block of shard_size bytes (the last may be shorter) the 32-byte
// HighwayHash-256 of that block, keyed with minio_bitrot_key(). Writer and reader borrow or
// own their underlying stream; one thread at a time.

#include <cstdint>
#include <memory>
#include <string>

#include "daemon/storage/drive/storage_api.h"
#include "shared/crypto/highwayhash.h"
#include "shared/util/io.h"
#include "shared/util/status.h"

namespace maxio {

inline constexpr size_t kBitrotHashSize = kHighwayHash256Size;

// Bytes a shard of `payload_size` bytes occupies on disk with its hashes.
uint64_t bitrot_file_size(uint64_t payload_size, uint64_t shard_size);

// Frames the bytes written to it into hashed blocks of shard_size on `out` (which must
// outlive it). Any chunking of writes is accepted; finish() writes the last, short block.
// A write of whole blocks goes straight to `out` (no copy, no allocation).
class BitrotWriter final : public Writer {
 public:
  BitrotWriter(Writer& out, uint64_t shard_size);
  using Writer::write;
  Status write(const char* data, size_t size) override;
  // Writes the buffered partial block; no write may follow.
  Status finish();

 private:
  Status emit(const char* block, size_t size);

  Writer& out_;
  uint64_t shard_size_;
  HighwayHash256 hasher_;
  std::string buffer_;
  bool finished_ = false;
};

// Reads the payload of a framed shard of payload_size bytes from `source`, verifying each
// block's hash before returning any of its bytes (kFileCorrupt on mismatch or a truncated
// file; the caller's buffer then holds unspecified bytes). A read of a whole block from its
// start lands in the caller's buffer directly; other reads go through one block of memory,
// allocated once.
class BitrotReader final : public Reader {
 public:
  BitrotReader(std::unique_ptr<FileReader> source, uint64_t shard_size, uint64_t payload_size);
  // Continues reading at payload offset `offset` (<= payload_size): reads restart at the
  // block that contains it.
  Status seek(uint64_t offset);
  Result<size_t> read(char* buffer, size_t size) override;

 private:
  // Reads block `index` of `length` bytes into `into` and verifies its hash.
  Status read_block(uint64_t index, char* into, uint64_t length);

  std::unique_ptr<FileReader> source_;
  uint64_t shard_size_;
  HighwayHash256 hasher_;
  uint64_t payload_size_;
  uint64_t offset_ = 0;                // next payload byte to return
  uint64_t block_index_ = UINT64_MAX;  // block held in block_
  std::string block_;
};

}  // namespace maxio
