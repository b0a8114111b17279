// HighwayHash-256 state update with AVX2: each state vector lives in one 256-bit register,
// so a packet costs a handful of instructions instead of the portable kernel's 16 scalar
// multiplies and byte shuffles by shift-and-mask. Compiled for AVX2 through a target
// attribute only, so the rest of the binary still runs on CPUs without it; the caller
// checks the CPU before calling (shared/crypto/highwayhash.cc).

#include "shared/crypto/internal/highwayhash_kernels.h"

#if defined(MAXIO_HIGHWAYHASH_HAVE_AVX2)

#include <immintrin.h>

namespace maxio::internal {

namespace {

// Byte permutation of the zipper merge within each 128-bit half (lanes 0-1 and 2-3): the
// low lane of the result takes bytes 3 12 2 5 14 1 15 0 of the pair, the high lane bytes
// 11 4 10 13 9 6 8 7, the same placement as zipper_merge_and_add in highwayhash.cc.
constexpr long long kZipperLow = 0x000F010E05020C03LL;
constexpr long long kZipperHigh = 0x070806090D0A040BLL;

}  // namespace

__attribute__((target("avx2"))) void highwayhash_update_avx2(HighwayHashState& state,
                                                             const uint8_t* packets, size_t count) {
  __m256i v0 = _mm256_load_si256(reinterpret_cast<const __m256i*>(state.v0));
  __m256i v1 = _mm256_load_si256(reinterpret_cast<const __m256i*>(state.v1));
  __m256i mul0 = _mm256_load_si256(reinterpret_cast<const __m256i*>(state.mul0));
  __m256i mul1 = _mm256_load_si256(reinterpret_cast<const __m256i*>(state.mul1));
  const __m256i zipper = _mm256_set_epi64x(kZipperHigh, kZipperLow, kZipperHigh, kZipperLow);
  for (size_t i = 0; i < count; ++i) {
    const __m256i packet = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(packets + 32 * i));
    v1 = _mm256_add_epi64(v1, _mm256_add_epi64(mul0, packet));
    // _mm256_mul_epu32 multiplies the low 32 bits of each lane: (v1 & 0xffffffff) * (v0 >> 32).
    mul0 = _mm256_xor_si256(mul0, _mm256_mul_epu32(v1, _mm256_srli_epi64(v0, 32)));
    v0 = _mm256_add_epi64(v0, mul1);
    mul1 = _mm256_xor_si256(mul1, _mm256_mul_epu32(v0, _mm256_srli_epi64(v1, 32)));
    v0 = _mm256_add_epi64(v0, _mm256_shuffle_epi8(v1, zipper));
    v1 = _mm256_add_epi64(v1, _mm256_shuffle_epi8(v0, zipper));
  }
  _mm256_store_si256(reinterpret_cast<__m256i*>(state.v0), v0);
  _mm256_store_si256(reinterpret_cast<__m256i*>(state.v1), v1);
  _mm256_store_si256(reinterpret_cast<__m256i*>(state.mul0), mul0);
  _mm256_store_si256(reinterpret_cast<__m256i*>(state.mul1), mul1);
}

}  // namespace maxio::internal

#endif  // MAXIO_HIGHWAYHASH_HAVE_AVX2
