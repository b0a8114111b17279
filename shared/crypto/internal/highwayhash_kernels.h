#pragma once
// The state of HighwayHash-256 and the kernels that update it, one per instruction set.
// Only shared/crypto/highwayhash.cc chooses among them; everyone else uses HighwayHash256.
// Kernels are pure functions of their arguments (thread-safe on distinct states).

#include <cstddef>
#include <cstdint>

namespace maxio::internal {

// Four 64-bit lanes per vector, lane i at index i; aligned so a 256-bit load reads a vector.
struct alignas(32) HighwayHashState {
  uint64_t v0[4];
  uint64_t v1[4];
  uint64_t mul0[4];
  uint64_t mul1[4];
};

// Mixes `count` packets of 32 bytes (four little-endian 64-bit lanes each) into `state`.
using HighwayHashUpdate = void (*)(HighwayHashState& state, const uint8_t* packets, size_t count);

// Plain C++, any CPU; the reference the other kernels must match bit for bit.
void highwayhash_update_portable(HighwayHashState& state, const uint8_t* packets, size_t count);

#if defined(__x86_64__) || defined(__i386__)
#define MAXIO_HIGHWAYHASH_HAVE_AVX2 1
// AVX2 (one 256-bit register per state vector). Call only where the CPU has AVX2.
void highwayhash_update_avx2(HighwayHashState& state, const uint8_t* packets, size_t count);
#endif

}  // namespace maxio::internal
