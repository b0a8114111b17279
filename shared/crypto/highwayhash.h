#pragma once
// HighwayHash-256 (Google's keyed hash), the bitrot hash MinIO writes before every shard
// block of part.N files. Portable implementation; output matches the reference
// implementation for the same 32-byte key. One thread at a time per instance.

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace maxio {

class HighwayHash256 {
 public:
  explicit HighwayHash256(std::string_view key32);  // exactly 32 bytes
  void reset();
  void update(const void* data, size_t size);
  std::string finish();  // 32 raw bytes; then reset() before reuse

 private:
  void reset_state();
  void update_packet(const uint8_t* packet);
  std::array<uint64_t, 4> key_;
  uint64_t v0_[4], v1_[4], mul0_[4], mul1_[4];
  uint8_t buffer_[32];
  size_t buffered_ = 0;
};

// MinIO's fixed bitrot key (magic HighwayHash key from cmd/bitrot.go).
std::string_view minio_bitrot_key();

}  // namespace maxio
