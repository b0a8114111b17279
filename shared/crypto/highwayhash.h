#pragma once
// HighwayHash-256 (Google's keyed hash), the bitrot hash MinIO writes before every shard
// block of part.N files. Output matches the reference implementation for the same 32-byte
// key whichever kernel runs: the portable one, or AVX2 where the CPU has it (chosen at run
// time). One thread at a time per instance; the free functions are thread-safe.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "shared/crypto/internal/highwayhash_kernels.h"

namespace maxio {

inline constexpr size_t kHighwayHash256Size = 32;

// The code that mixes 32-byte packets into the state.
enum class HighwayHashKernel { kPortable, kAvx2 };

// Whether this CPU runs `kernel` (kPortable: always).
bool highwayhash_kernel_supported(HighwayHashKernel kernel);
// The fastest kernel this CPU runs: kAvx2 when it has AVX2, otherwise kPortable.
HighwayHashKernel highwayhash_best_kernel();
const char* highwayhash_kernel_name(HighwayHashKernel kernel);

class HighwayHash256 {
 public:
  // `key32` is exactly 32 bytes. A kernel this CPU does not support is replaced by
  // kPortable (see kernel()).
  explicit HighwayHash256(std::string_view key32,
                          HighwayHashKernel kernel = highwayhash_best_kernel());

  HighwayHashKernel kernel() const { return kernel_; }
  // Starts a new message with the same key.
  void reset();
  void update(const void* data, size_t size);
  // Writes the 32 raw bytes of the hash to `out` and resets for the next message; does not
  // allocate.
  void finish(std::span<char, kHighwayHash256Size> out);
  // The same as 32 raw bytes in a string.
  std::string finish();

 private:
  void reset_state();

  internal::HighwayHashState state_;
  uint64_t key_[4];
  internal::HighwayHashUpdate update_packets_;
  HighwayHashKernel kernel_;
  uint8_t buffer_[32];
  size_t buffered_ = 0;
};

// MinIO's fixed bitrot key (magic HighwayHash key from cmd/bitrot.go).
std::string_view minio_bitrot_key();

}  // namespace maxio
