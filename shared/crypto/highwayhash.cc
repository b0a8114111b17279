// HighwayHash-256: four 64-bit lanes per state vector, updated per 32-byte packet by a
// kernel chosen at run time, then a length-dependent remainder packet, ten permute rounds
// and a modular reduction. The portable kernel here is the source of truth; the AVX2 one
// (internal/highwayhash_avx2.cc) must match it bit for bit.

#include "shared/crypto/highwayhash.h"

#include <cassert>
#include <cstdlib>
#include <cstring>

namespace maxio {
namespace {

constexpr uint64_t kInitMul0[4] = {0xdbe6d5d5fe4cce2fULL, 0xa4093822299f31d0ULL,
                                   0x13198a2e03707344ULL, 0x243f6a8885a308d3ULL};
constexpr uint64_t kInitMul1[4] = {0x3bd39e10cb0ef593ULL, 0xc0acf169b5f18a8cULL,
                                   0xbe5466cf34e90c6cULL, 0x452821e638d01377ULL};

constexpr uint8_t kMinioBitrotKey[32] = {
    0x4b, 0xe7, 0x34, 0xfa, 0x8e, 0x23, 0x8a, 0xcd, 0x26, 0x3e, 0x83, 0xe6, 0xbb, 0x96, 0x85, 0x52,
    0x04, 0x0f, 0x93, 0x5d, 0xa3, 0x9f, 0x44, 0x14, 0x97, 0xe0, 0x9d, 0x13, 0x22, 0xde, 0x36, 0xa0};

uint64_t load_le64(const uint8_t* p) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}

void store_le64(uint64_t v, uint8_t* p) {
  for (int i = 0; i < 8; ++i) p[i] = static_cast<uint8_t>(v >> (8 * i));
}

uint64_t swap_halves(uint64_t v) { return (v >> 32) | (v << 32); }

uint32_t rotl32(uint32_t v, unsigned count) {
  count &= 31;
  return count == 0 ? v : (v << count) | (v >> (32 - count));
}

// Spreads the bytes of the 128-bit value (high, low) so that each byte meets a multiplier
// of the next rounds; adds the result into (add_high, add_low).
void zipper_merge_and_add(uint64_t high, uint64_t low, uint64_t& add_high, uint64_t& add_low) {
  add_low += (((low & 0xff000000ULL) | (high & 0xff00000000ULL)) >> 24) |
             (((low & 0xff0000000000ULL) | (high & 0xff000000000000ULL)) >> 16) |
             (low & 0xff0000ULL) | ((low & 0xff00ULL) << 32) |
             ((high & 0xff00000000000000ULL) >> 8) | (low << 56);
  add_high += (((high & 0xff000000ULL) | (low & 0xff00000000ULL)) >> 24) | (high & 0xff0000ULL) |
              ((high & 0xff0000000000ULL) >> 16) | ((high & 0xff00ULL) << 24) |
              ((low & 0xff000000000000ULL) >> 8) | ((high & 0xffULL) << 48) |
              (low & 0xff00000000000000ULL);
}

// Reduces the 256-bit value a3:a2:a1:a0 modulo the irreducible polynomial
// x^128 + x^2 + x (GF(2)), giving 128 bits m1:m0.
void modular_reduction(uint64_t a3_unmasked, uint64_t a2, uint64_t a1, uint64_t a0, uint64_t& m1,
                       uint64_t& m0) {
  const uint64_t a3 = a3_unmasked & 0x3fffffffffffffffULL;
  m1 = a1 ^ ((a3 << 1) | (a2 >> 63)) ^ ((a3 << 2) | (a2 >> 62));
  m0 = a0 ^ (a2 << 1) ^ (a2 << 2);
}

HighwayHashKernel detect_best_kernel() {
  // A test or a comparison can pin the portable kernel for the whole process.
  const char* forced = std::getenv("MAXIO_HIGHWAYHASH");
  if (forced != nullptr && std::strcmp(forced, "portable") == 0) {
    return HighwayHashKernel::kPortable;
  }
  return highwayhash_kernel_supported(HighwayHashKernel::kAvx2) ? HighwayHashKernel::kAvx2
                                                                : HighwayHashKernel::kPortable;
}

}  // namespace

namespace internal {

void highwayhash_update_portable(HighwayHashState& state, const uint8_t* packets, size_t count) {
  uint64_t* v0 = state.v0;
  uint64_t* v1 = state.v1;
  uint64_t* mul0 = state.mul0;
  uint64_t* mul1 = state.mul1;
  for (size_t p = 0; p < count; ++p) {
    const uint8_t* packet = packets + 32 * p;
    uint64_t lanes[4];
    for (int i = 0; i < 4; ++i) lanes[i] = load_le64(packet + 8 * i);
    for (int i = 0; i < 4; ++i) {
      v1[i] += mul0[i] + lanes[i];
      mul0[i] ^= (v1[i] & 0xffffffffULL) * (v0[i] >> 32);
      v0[i] += mul1[i];
      mul1[i] ^= (v0[i] & 0xffffffffULL) * (v1[i] >> 32);
    }
    zipper_merge_and_add(v1[1], v1[0], v0[1], v0[0]);
    zipper_merge_and_add(v1[3], v1[2], v0[3], v0[2]);
    zipper_merge_and_add(v0[1], v0[0], v1[1], v1[0]);
    zipper_merge_and_add(v0[3], v0[2], v1[3], v1[2]);
  }
}

}  // namespace internal

bool highwayhash_kernel_supported(HighwayHashKernel kernel) {
  switch (kernel) {
    case HighwayHashKernel::kPortable:
      return true;
    case HighwayHashKernel::kAvx2:
#if defined(MAXIO_HIGHWAYHASH_HAVE_AVX2)
      // libgcc's check includes the OS saving the YMM registers (XGETBV).
      return __builtin_cpu_supports("avx2");
#else
      return false;
#endif
  }
  return false;
}

HighwayHashKernel highwayhash_best_kernel() {
  static const HighwayHashKernel best = detect_best_kernel();
  return best;
}

const char* highwayhash_kernel_name(HighwayHashKernel kernel) {
  return kernel == HighwayHashKernel::kAvx2 ? "AVX2" : "portable";
}

HighwayHash256::HighwayHash256(std::string_view key32, HighwayHashKernel kernel) {
  assert(key32.size() == 32 && "HighwayHash256 needs a 32-byte key");
  uint8_t key_bytes[32] = {};
  std::memcpy(key_bytes, key32.data(), key32.size() < 32 ? key32.size() : 32);
  for (int i = 0; i < 4; ++i) key_[i] = load_le64(key_bytes + 8 * i);
  kernel_ = highwayhash_kernel_supported(kernel) ? kernel : HighwayHashKernel::kPortable;
  update_packets_ = internal::highwayhash_update_portable;
#if defined(MAXIO_HIGHWAYHASH_HAVE_AVX2)
  if (kernel_ == HighwayHashKernel::kAvx2) update_packets_ = internal::highwayhash_update_avx2;
#endif
  reset_state();
}

void HighwayHash256::reset() { reset_state(); }

void HighwayHash256::reset_state() {
  for (int i = 0; i < 4; ++i) {
    state_.mul0[i] = kInitMul0[i];
    state_.mul1[i] = kInitMul1[i];
    state_.v0[i] = state_.mul0[i] ^ key_[i];
    state_.v1[i] = state_.mul1[i] ^ swap_halves(key_[i]);
  }
  buffered_ = 0;
}

void HighwayHash256::update(const void* data, size_t size) {
  if (size == 0) return;  // `data` may then be null, which memcpy must not see
  const auto* bytes = static_cast<const uint8_t*>(data);
  if (buffered_ != 0) {
    const size_t take = size < 32 - buffered_ ? size : 32 - buffered_;
    std::memcpy(buffer_ + buffered_, bytes, take);
    buffered_ += take;
    bytes += take;
    size -= take;
    if (buffered_ < 32) return;
    update_packets_(state_, buffer_, 1);
    buffered_ = 0;
  }
  if (size >= 32) {
    const size_t packets = size / 32;
    update_packets_(state_, bytes, packets);
    bytes += 32 * packets;
    size -= 32 * packets;
  }
  if (size != 0) {
    std::memcpy(buffer_, bytes, size);
    buffered_ = size;
  }
}

void HighwayHash256::finish(std::span<char, kHighwayHash256Size> out) {
  uint64_t* v0 = state_.v0;
  uint64_t* v1 = state_.v1;
  const uint64_t* mul0 = state_.mul0;
  const uint64_t* mul1 = state_.mul1;
  if (buffered_ != 0) {
    // The final partial packet: the length is mixed into v0 and rotates v1, and the tail
    // bytes are placed so that every length gives a distinct packet.
    const size_t size = buffered_;
    for (int i = 0; i < 4; ++i) v0[i] += (static_cast<uint64_t>(size) << 32) + size;
    for (int i = 0; i < 4; ++i) {
      const uint32_t low = rotl32(static_cast<uint32_t>(v1[i]), static_cast<unsigned>(size));
      const uint32_t high = rotl32(static_cast<uint32_t>(v1[i] >> 32), static_cast<unsigned>(size));
      v1[i] = (static_cast<uint64_t>(high) << 32) | low;
    }
    uint8_t packet[32] = {};
    const size_t whole_words = size & ~size_t{3};
    const size_t size_mod4 = size & 3;
    std::memcpy(packet, buffer_, whole_words);
    const uint8_t* tail = buffer_ + whole_words;
    if (size & 16) {
      // The last four bytes of the input (they overlap the whole words copied above).
      for (size_t i = 0; i < 4; ++i) packet[28 + i] = buffer_[size - 4 + i];
    } else if (size_mod4 != 0) {
      packet[16] = tail[0];
      packet[17] = tail[size_mod4 >> 1];
      packet[18] = tail[size_mod4 - 1];
    }
    update_packets_(state_, packet, 1);
  }
  for (int round = 0; round < 10; ++round) {
    uint8_t permuted[32];
    store_le64(swap_halves(v0[2]), permuted);
    store_le64(swap_halves(v0[3]), permuted + 8);
    store_le64(swap_halves(v0[0]), permuted + 16);
    store_le64(swap_halves(v0[1]), permuted + 24);
    update_packets_(state_, permuted, 1);
  }
  uint64_t hash[4];
  modular_reduction(v1[1] + mul1[1], v1[0] + mul1[0], v0[1] + mul0[1], v0[0] + mul0[0], hash[1],
                    hash[0]);
  modular_reduction(v1[3] + mul1[3], v1[2] + mul1[2], v0[3] + mul0[3], v0[2] + mul0[2], hash[3],
                    hash[2]);
  for (int i = 0; i < 4; ++i) store_le64(hash[i], reinterpret_cast<uint8_t*>(out.data()) + 8 * i);
  reset_state();
}

std::string HighwayHash256::finish() {
  std::string out(kHighwayHash256Size, '\0');
  finish(std::span<char, kHighwayHash256Size>(out.data(), kHighwayHash256Size));
  return out;
}

std::string_view minio_bitrot_key() {
  return std::string_view(reinterpret_cast<const char*>(kMinioBitrotKey), sizeof(kMinioBitrotKey));
}

}  // namespace maxio
