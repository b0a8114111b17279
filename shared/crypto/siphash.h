#pragma once
// SipHash-2-4 with a 64-bit tag (Aumasson and Bernstein), the keyed hash MinIO uses to pick
// an object's erasure set (sipHashMod). Pure function over its arguments; thread-safe.

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace maxio {

// The 64-bit SipHash-2-4 tag of `size` bytes at `data` under the 128-bit key (k0, k1), where
// k0 and k1 are the key's first and last 8 bytes read little-endian. The tag's little-endian
// bytes are the 8 output bytes of the reference implementation.
uint64_t siphash24(uint64_t k0, uint64_t k1, const void* data, size_t size);

inline uint64_t siphash24(uint64_t k0, uint64_t k1, std::string_view data) {
  return siphash24(k0, k1, data.data(), data.size());
}

}  // namespace maxio
