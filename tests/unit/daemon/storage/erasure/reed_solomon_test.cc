// ReedSolomon: the coding matrix against an independent GF(2^8) model of klauspost's
// construction and against MinIO's own self-test answers, then every erasure pattern of
// every small code rebuilt byte for byte.

#include "daemon/storage/erasure/reed_solomon.h"

#include <gtest/gtest.h>
#include <xxhash.h>

#include <algorithm>
#include <atomic>
#include <bit>
#include <cstdlib>
#include <cstring>
#include <new>
#include <random>
#include <string>
#include <thread>
#include <vector>

// Counts this binary's operator new calls, to prove the hot paths allocate nothing. (GCC
// inlines the replacements and then mistakes the malloc/free pairing for a mismatch.)
std::atomic<uint64_t> g_allocations{0};

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif

void* operator new(size_t size) {
  ++g_allocations;
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, size_t) noexcept { std::free(p); }
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

namespace maxio {
namespace {

// ---- An independent model of klauspost/reedsolomon's matrix, byte by byte. ----

// Multiplication in GF(2^8) modulo x^8 + x^4 + x^3 + x^2 + 1 (0x11D), shift and add.
uint8_t model_mul(uint8_t a, uint8_t b) {
  uint8_t product = 0;
  while (b != 0) {
    if (b & 1) product ^= a;
    const bool carry = a & 0x80;
    a = static_cast<uint8_t>(a << 1);
    if (carry) a ^= 0x1D;
    b >>= 1;
  }
  return product;
}

uint8_t model_inverse(uint8_t a) {
  for (int b = 1; b < 256; ++b) {
    if (model_mul(a, static_cast<uint8_t>(b)) == 1) return static_cast<uint8_t>(b);
  }
  ADD_FAILURE() << "0 has no inverse";
  return 0;
}

using Matrix = std::vector<std::vector<uint8_t>>;

Matrix model_multiply(const Matrix& a, const Matrix& b) {
  Matrix out(a.size(), std::vector<uint8_t>(b[0].size()));
  for (size_t r = 0; r < a.size(); ++r) {
    for (size_t c = 0; c < b[0].size(); ++c) {
      uint8_t sum = 0;
      for (size_t j = 0; j < b.size(); ++j) sum ^= model_mul(a[r][j], b[j][c]);
      out[r][c] = sum;
    }
  }
  return out;
}

// Gauss-Jordan elimination on [m | I].
Matrix model_invert(Matrix m) {
  const size_t n = m.size();
  Matrix inv(n, std::vector<uint8_t>(n));
  for (size_t i = 0; i < n; ++i) inv[i][i] = 1;
  for (size_t col = 0; col < n; ++col) {
    size_t pivot = col;
    while (pivot < n && m[pivot][col] == 0) ++pivot;
    EXPECT_LT(pivot, n) << "singular matrix";
    if (pivot == n) return inv;
    std::swap(m[pivot], m[col]);
    std::swap(inv[pivot], inv[col]);
    const uint8_t scale = model_inverse(m[col][col]);
    for (size_t c = 0; c < n; ++c) {
      m[col][c] = model_mul(m[col][c], scale);
      inv[col][c] = model_mul(inv[col][c], scale);
    }
    for (size_t r = 0; r < n; ++r) {
      if (r == col || m[r][col] == 0) continue;
      const uint8_t factor = m[r][col];
      for (size_t c = 0; c < n; ++c) {
        m[r][c] ^= model_mul(factor, m[col][c]);
        inv[r][c] ^= model_mul(factor, inv[col][c]);
      }
    }
  }
  return inv;
}

// klauspost's New(k, m) matrix: Vandermonde rows r^0 .. r^(k-1) for r = 0 .. k+m-1 (0^0 = 1),
// times the inverse of the top k x k square.
Matrix model_coding_matrix(int k, int m) {
  Matrix vandermonde(k + m, std::vector<uint8_t>(k));
  for (int r = 0; r < k + m; ++r) {
    uint8_t power = 1;
    for (int c = 0; c < k; ++c) {
      vandermonde[r][c] = power;
      power = model_mul(power, static_cast<uint8_t>(r));
    }
  }
  Matrix top(vandermonde.begin(), vandermonde.begin() + k);
  return model_multiply(vandermonde, model_invert(top));
}

// ---- Helpers. ----

ReedSolomon make_codec(int k, int m) {
  auto codec = ReedSolomon::create(k, m);
  EXPECT_TRUE(codec.is_ok()) << codec.status().to_string();
  return std::move(codec).value();
}

// k + m shards of shard_size bytes; data shards random, parity computed by the codec.
struct Stripe {
  Stripe(const ReedSolomon& codec, size_t shard_size, uint32_t seed)
      : shard_size(shard_size), bytes(codec.total_shards(), std::vector<uint8_t>(shard_size)) {
    std::mt19937 rng(seed);
    for (int i = 0; i < codec.data_shards(); ++i) {
      for (auto& b : bytes[i]) b = static_cast<uint8_t>(rng());
    }
    std::vector<const uint8_t*> data;
    std::vector<uint8_t*> parity;
    for (int i = 0; i < codec.total_shards(); ++i) {
      if (i < codec.data_shards()) {
        data.push_back(bytes[i].data());
      } else {
        parity.push_back(bytes[i].data());
      }
    }
    codec.encode(data, parity, shard_size);
  }
  size_t shard_size;
  std::vector<std::vector<uint8_t>> bytes;
};

constexpr uint8_t kGarbage = 0xA5;

// Copies the stripe, overwrites the shards in `missing` (a bit per shard) with garbage,
// reconstructs and checks every rebuilt shard; parity left missing under data_only must be
// untouched.
void expect_rebuilds(const ReedSolomon& codec, const Stripe& stripe, uint32_t missing,
                     bool data_only) {
  const int total = codec.total_shards();
  std::vector<std::vector<uint8_t>> work = stripe.bytes;
  std::vector<uint8_t*> shards(total);
  bool present[ReedSolomon::kMaxTotalShards];
  for (int i = 0; i < total; ++i) {
    present[i] = !(missing >> i & 1);
    if (!present[i]) std::memset(work[i].data(), kGarbage, stripe.shard_size);
    shards[i] = work[i].data();
  }
  Status st = codec.reconstruct(shards, std::span<const bool>(present, total), stripe.shard_size,
                                data_only);
  ASSERT_TRUE(st.is_ok()) << st.to_string() << " missing=" << missing;
  for (int i = 0; i < total; ++i) {
    if (data_only && i >= codec.data_shards() && !present[i]) {
      EXPECT_EQ(work[i], std::vector<uint8_t>(stripe.shard_size, kGarbage))
          << "parity " << i << " written under data_only, missing=" << missing;
    } else {
      ASSERT_EQ(work[i], stripe.bytes[i]) << "shard " << i << " missing=" << missing;
    }
  }
}

// ---- Tests. ----

TEST(ReedSolomonTest, CreateChecksShardCounts) {
  for (auto [k, m] : {std::pair{0, 1}, {-1, 2}, {1, -1}, {0, 0}, {200, 57}, {257, 0}}) {
    auto codec = ReedSolomon::create(k, m);
    EXPECT_EQ(codec.code(), ErrorCode::kInvalidArgument) << k << "+" << m;
  }
  for (auto [k, m] : {std::pair{1, 0}, {1, 255}, {255, 1}, {128, 128}, {16, 0}}) {
    auto codec = ReedSolomon::create(k, m);
    ASSERT_TRUE(codec.is_ok()) << k << "+" << m;
    EXPECT_EQ(codec->data_shards(), k);
    EXPECT_EQ(codec->parity_shards(), m);
    EXPECT_EQ(codec->total_shards(), k + m);
  }
}

// Worked by hand: for 2+1 the Vandermonde rows are [1 0], [1 1], [1 2]; the top square is
// its own inverse in characteristic 2, and [1 2] times it is [1^2, 2] = [3, 2].
TEST(ReedSolomonTest, TwoPlusOneParityRowIsThreeTwo) {
  ReedSolomon codec = make_codec(2, 1);
  const uint8_t d0[] = {1, 0, 1, 0x80};
  const uint8_t d1[] = {0, 1, 1, 0x01};
  uint8_t p[4];
  const uint8_t* data[] = {d0, d1};
  uint8_t* parity[] = {p};
  codec.encode(data, parity, 4);
  // 3*0x80 = 0x80 ^ (0x80 << 1 reduced: 0x1D) = 0x9D; 0x9D ^ 2*1 = 0x9F.
  const uint8_t expected[] = {3, 2, 1, 0x9F};
  EXPECT_EQ(std::vector<uint8_t>(p, p + 4), std::vector<uint8_t>(expected, expected + 4));
}

// Encoding unit vectors reads the codec's parity rows out; they must equal the model's for
// every code MinIO can configure (and the wider ones it allows).
TEST(ReedSolomonTest, ParityRowsMatchIndependentModelOfKlauspostMatrix) {
  std::vector<std::pair<int, int>> codes;
  for (int k = 1; k <= 16; ++k) {
    for (int m = 1; k + m <= 32 && m <= 16; ++m) codes.emplace_back(k, m);
  }
  codes.emplace_back(40, 20);
  codes.emplace_back(100, 156);
  for (auto [k, m] : codes) {
    SCOPED_TRACE(std::to_string(k) + "+" + std::to_string(m));
    ReedSolomon codec = make_codec(k, m);
    const Matrix model = model_coding_matrix(k, m);
    for (int r = 0; r < k; ++r) {
      for (int c = 0; c < k; ++c) ASSERT_EQ(model[r][c], r == c ? 1 : 0);
    }
    // Shard j = e_j over k bytes at position j: parity[p][j] = matrix[k + p][j].
    std::vector<std::vector<uint8_t>> data(k, std::vector<uint8_t>(k));
    for (int j = 0; j < k; ++j) data[j][j] = 1;
    std::vector<std::vector<uint8_t>> parity(m, std::vector<uint8_t>(k));
    std::vector<const uint8_t*> in;
    std::vector<uint8_t*> out;
    for (auto& d : data) in.push_back(d.data());
    for (auto& p : parity) out.push_back(p.data());
    codec.encode(in, out, k);
    for (int p = 0; p < m; ++p) ASSERT_EQ(parity[p], model[k + p]) << "parity row " << p;
  }
}

// MinIO's erasureSelfTest (cmd/erasure-coding.go) encodes the bytes 0..255 with every code
// of 4 to 15 shards (data >= half) and checks xxhash64 over, for each shard i in order, the
// byte i followed by the shard. Its expected hashes come from klauspost/reedsolomon, so
// matching them proves the same matrix and the same split and padding.
TEST(ReedSolomonTest, MatchesMinioSelfTestHashes) {
  struct Answer {
    int data;
    int parity;
    uint64_t xxhash;
  };
  const Answer answers[] = {
      {2, 2, 0x23fb21be2496f5d3},  {2, 3, 0xa5cd5600ba0d8e7c},  {3, 1, 0x60ab052148b010b4},
      {3, 2, 0xe64927daef76435a},  {3, 3, 0x672f6f242b227b21},  {3, 4, 0x571e41ba23a6dc6},
      {4, 1, 0x524eaa814d5d86e2},  {4, 2, 0x62b9552945504fef},  {4, 3, 0xcbf9065ee053e518},
      {4, 4, 0x9a07581dcd03da8},   {4, 5, 0xbf2d27b55370113f},  {5, 1, 0xf71031a01d70daf},
      {5, 2, 0x8e5845859939d0f4},  {5, 3, 0x7ad9161acbb4c325},  {5, 4, 0xc446b88830b4f800},
      {5, 5, 0xabf1573cc6f76165},  {5, 6, 0x7b5598a85045bfb8},  {6, 1, 0xe2fc1e677cc7d872},
      {6, 2, 0x7ed133de5ca6a58e},  {6, 3, 0x39ef92d0a74cc3c0},  {6, 4, 0xcfc90052bc25d20},
      {6, 5, 0x71c96f6baeef9c58},  {6, 6, 0x4b79056484883e4c},  {6, 7, 0xb1a0e2427ac2dc1a},
      {7, 1, 0x937ba2b7af467a22},  {7, 2, 0x5fd13a734d27d37a},  {7, 3, 0x3be2722d9b66912f},
      {7, 4, 0x14c628e59011be3d},  {7, 5, 0xcc3b39ad4c083b9f},  {7, 6, 0x45af361b7de7a4ff},
      {7, 7, 0x456cc320cec8a6e6},  {7, 8, 0x1867a9f4db315b5c},  {8, 1, 0xbc5756b9a9ade030},
      {8, 2, 0xdfd7d9d0b3e36503},  {8, 3, 0x72bb72c2cdbcf99d},  {8, 4, 0x3ba5e9b41bf07f0},
      {8, 5, 0xd7dabc15800f9d41},  {8, 6, 0xb482a6169fd270f},   {8, 7, 0x50748e0099d657e8},
      {9, 1, 0xc77ae0144fcaeb6e},  {9, 2, 0x8a86c7dbebf27b68},  {9, 3, 0xa64e3be6d6fe7e92},
      {9, 4, 0x239b71c41745d207},  {9, 5, 0x2d0803094c5a86ce},  {9, 6, 0xa3c2539b3af84874},
      {10, 1, 0x7d30d91b89fcec21}, {10, 2, 0xfa5af9aa9f1857a3}, {10, 3, 0x84bc4bda8af81f90},
      {10, 4, 0x6c1cba8631de994a}, {10, 5, 0x4383e58a086cc1ac}, {11, 1, 0x4ed2929a2df690b},
      {11, 2, 0xecd6f1b1399775c0}, {11, 3, 0xc78cfbfc0dc64d01}, {11, 4, 0xb2643390973702d6},
      {12, 1, 0x3b2a88686122d082}, {12, 2, 0xfd2f30a48a8e2e9},  {12, 3, 0xd5ce58368ae90b13},
      {13, 1, 0x9c88e2a9d1b8fff8}, {13, 2, 0xcb8460aa4cf6613},  {14, 1, 0x78a28bbaec57996e},
  };
  // The self-test covers totals 4..15 with data from total/2 up: 60 codes.
  ASSERT_EQ(std::size(answers), 60u);
  uint8_t block[256];
  for (int i = 0; i < 256; ++i) block[i] = static_cast<uint8_t>(i);
  for (const Answer& a : answers) {
    SCOPED_TRACE(std::to_string(a.data) + "+" + std::to_string(a.parity));
    ReedSolomon codec = make_codec(a.data, a.parity);
    const size_t shard_size = codec.shard_size_for(sizeof(block));
    std::vector<std::vector<uint8_t>> shards(codec.total_shards(),
                                             std::vector<uint8_t>(shard_size));
    std::vector<uint8_t*> data;
    std::vector<uint8_t*> parity;
    for (int i = 0; i < codec.total_shards(); ++i) {
      (i < a.data ? data : parity).push_back(shards[i].data());
    }
    codec.split(block, data, shard_size);
    codec.encode(std::vector<const uint8_t*>(data.begin(), data.end()), parity, shard_size);
    std::string hashed;
    for (int i = 0; i < codec.total_shards(); ++i) {
      hashed.push_back(static_cast<char>(i));
      hashed.append(shards[i].begin(), shards[i].end());
    }
    EXPECT_EQ(XXH64(hashed.data(), hashed.size(), 0), a.xxhash);
  }
}

TEST(ReedSolomonTest, SplitPadsLikeMinio) {
  ReedSolomon codec = make_codec(4, 2);
  EXPECT_EQ(codec.shard_size_for(0), 0u);
  EXPECT_EQ(codec.shard_size_for(1), 1u);
  EXPECT_EQ(codec.shard_size_for(4), 1u);
  EXPECT_EQ(codec.shard_size_for(5), 2u);
  EXPECT_EQ(codec.shard_size_for(1 << 20), 262144u);
  EXPECT_EQ(make_codec(3, 2).shard_size_for(1 << 20), 349526u);
  EXPECT_EQ(make_codec(12, 4).shard_size_for(256), 22u);

  // 5 bytes over 4 shards of 2: the padding spills over more than the last shard.
  const uint8_t block[] = {1, 2, 3, 4, 5};
  std::vector<std::vector<uint8_t>> shards(4, std::vector<uint8_t>(2, 0xEE));
  std::vector<uint8_t*> data;
  for (auto& s : shards) data.push_back(s.data());
  codec.split(block, data, 2);
  EXPECT_EQ(shards, (std::vector<std::vector<uint8_t>>{{1, 2}, {3, 4}, {5, 0}, {0, 0}}));
}

// Every code with 2 <= k <= 12 and 0 <= m <= 4 (k + m <= 16): every pattern of up to m lost
// shards rebuilds byte for byte, in both modes; every pattern of m + 1 lost shards fails.
TEST(ReedSolomonTest, RebuildsEveryErasurePatternOfSmallCodes) {
  int patterns = 0;
  for (int k = 2; k <= 12; ++k) {
    for (int m = 0; m <= 4 && k + m <= 16; ++m) {
      SCOPED_TRACE(std::to_string(k) + "+" + std::to_string(m));
      ReedSolomon codec = make_codec(k, m);
      const int total = k + m;
      // Odd sizes reach ISA-L's vector loops and their scalar tails.
      const size_t shard_size = 1 + (k * 131 + m * 59) % 300;
      Stripe stripe(codec, shard_size, static_cast<uint32_t>(k * 100 + m));
      for (uint32_t missing = 0; missing < (1u << total); ++missing) {
        const int lost = std::popcount(missing);
        if (lost <= m) {
          expect_rebuilds(codec, stripe, missing, /*data_only=*/false);
          expect_rebuilds(codec, stripe, missing, /*data_only=*/true);
          ++patterns;
          if (HasFatalFailure()) return;
        } else if (lost == m + 1) {
          std::vector<std::vector<uint8_t>> work = stripe.bytes;
          std::vector<uint8_t*> shards;
          bool present[16];
          for (int i = 0; i < total; ++i) {
            shards.push_back(work[i].data());
            present[i] = !(missing >> i & 1);
          }
          for (bool data_only : {false, true}) {
            Status st = codec.reconstruct(shards, std::span<const bool>(present, total), shard_size,
                                          data_only);
            ASSERT_EQ(st.code(), ErrorCode::kInsufficientReadQuorum) << missing;
            EXPECT_NE(st.message().find(std::to_string(k) + " needed"), std::string::npos)
                << st.message();
          }
          EXPECT_EQ(work, stripe.bytes) << "a failed reconstruct wrote shards";
        }
      }
    }
  }
  RecordProperty("patterns", patterns);
  EXPECT_EQ(patterns, 12496);  // sum over the codes of C(k+m, 0) + ... + C(k+m, m)
}

TEST(ReedSolomonTest, RebuildsAtManyShardSizesAndAlignments) {
  for (auto [k, m] : {std::pair{4, 2}, {8, 4}, {12, 4}}) {
    ReedSolomon codec = make_codec(k, m);
    for (size_t size : {size_t{1}, size_t{2}, size_t{15}, size_t{16}, size_t{17}, size_t{31},
                        size_t{32}, size_t{33}, size_t{63}, size_t{64}, size_t{65}, size_t{127},
                        size_t{4097}, size_t{262144}, size_t{349526}}) {
      for (size_t misalign : {size_t{0}, size_t{1}, size_t{7}}) {
        SCOPED_TRACE(std::to_string(k) + "+" + std::to_string(m) + " size " + std::to_string(size) +
                     " misalign " + std::to_string(misalign));
        // Buffers start `misalign` bytes past an allocation, so they are not vector-aligned.
        std::vector<std::vector<uint8_t>> buffers(k + m, std::vector<uint8_t>(size + misalign));
        std::mt19937 rng(static_cast<uint32_t>(size));
        std::vector<const uint8_t*> data;
        std::vector<uint8_t*> parity;
        std::vector<uint8_t*> shards;
        for (int i = 0; i < k + m; ++i) {
          uint8_t* p = buffers[i].data() + misalign;
          shards.push_back(p);
          if (i < k) {
            for (size_t b = 0; b < size; ++b) p[b] = static_cast<uint8_t>(rng());
            data.push_back(p);
          } else {
            parity.push_back(p);
          }
        }
        codec.encode(data, parity, size);
        // The model's parity for one byte position, to catch tail handling.
        const Matrix model = model_coding_matrix(k, m);
        for (int p = 0; p < m; ++p) {
          uint8_t expect = 0;
          for (int j = 0; j < k; ++j) expect ^= model_mul(model[k + p][j], data[j][size - 1]);
          ASSERT_EQ(parity[p][size - 1], expect);
        }
        const std::vector<std::vector<uint8_t>> original = buffers;
        // Lose the first m data shards, then the last m shards.
        for (bool from_front : {true, false}) {
          bool present[16];
          for (int i = 0; i < k + m; ++i) {
            present[i] = from_front ? i >= m : i < k;
            if (!present[i]) std::memset(shards[i], kGarbage, size);
          }
          ASSERT_TRUE(codec.reconstruct(shards, std::span<const bool>(present, k + m), size, false)
                          .is_ok());
          ASSERT_EQ(buffers, original);
        }
      }
    }
  }
}

TEST(ReedSolomonTest, EncodeAndCachedReconstructDoNotAllocate) {
  const uint64_t start = g_allocations.load();
  delete new std::string(100, 'x');  // the counter sees allocations
  ASSERT_GT(g_allocations.load(), start);

  const ReedSolomon codec = make_codec(8, 4);
  Stripe stripe(codec, 4096, 5);
  std::vector<uint8_t*> shards;
  for (auto& s : stripe.bytes) shards.push_back(s.data());
  const std::vector<const uint8_t*> data(shards.begin(), shards.begin() + 8);
  const std::vector<uint8_t*> parity(shards.begin() + 8, shards.end());
  bool present[12] = {false, true, true, false, true, true, true, true, true, false, true, true};
  ASSERT_TRUE(codec.reconstruct(shards, present, 4096, false).is_ok());  // caches the pattern

  const uint64_t before = g_allocations.load();
  for (int i = 0; i < 100; ++i) {
    codec.encode(data, parity, 4096);
    if (!codec.reconstruct(shards, present, 4096, false)) break;
  }
  EXPECT_EQ(g_allocations.load(), before);
}

TEST(ReedSolomonTest, OneDataShardIsReplication) {
  ReedSolomon codec = make_codec(1, 3);
  const uint8_t data[] = {9, 8, 7, 0, 255};
  uint8_t copies[3][5];
  const uint8_t* in[] = {data};
  uint8_t* out[] = {copies[0], copies[1], copies[2]};
  codec.encode(in, out, 5);
  for (auto& copy : copies) EXPECT_EQ(std::memcmp(copy, data, 5), 0);
}

TEST(ReedSolomonTest, WithoutParityOnlyCompleteSetsPass) {
  ReedSolomon codec = make_codec(3, 0);
  uint8_t a[4] = {1, 2, 3, 4}, b[4] = {5, 6, 7, 8}, c[4] = {0};
  uint8_t* shards[] = {a, b, c};
  const uint8_t* data[] = {a, b, c};
  codec.encode(data, {}, 4);  // nothing to compute
  bool all[] = {true, true, true};
  EXPECT_TRUE(codec.reconstruct(shards, all, 4, false).is_ok());
  bool one_lost[] = {true, false, true};
  EXPECT_EQ(codec.reconstruct(shards, one_lost, 4, true).code(),
            ErrorCode::kInsufficientReadQuorum);
}

TEST(ReedSolomonTest, ReconstructChecksSpanSizes) {
  ReedSolomon codec = make_codec(2, 1);
  uint8_t a[1], b[1], c[1];
  uint8_t* two[] = {a, b};
  uint8_t* three[] = {a, b, c};
  bool present2[] = {true, true};
  bool present3[] = {true, true, false};
  EXPECT_EQ(codec.reconstruct(two, present3, 1, false).code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(codec.reconstruct(three, present2, 1, false).code(), ErrorCode::kInvalidArgument);
}

TEST(ReedSolomonTest, EmptyShardsNeedNoWork) {
  ReedSolomon codec = make_codec(4, 2);
  std::vector<uint8_t*> shards(6, nullptr);
  bool present[] = {false, true, true, false, true, true};
  EXPECT_TRUE(codec.reconstruct(shards, present, 0, false).is_ok());
}

// The widest code GF(2^8) allows, half of it lost.
TEST(ReedSolomonTest, RebuildsHalfOfAWideCode) {
  ReedSolomon codec = make_codec(128, 128);
  Stripe stripe(codec, 100, 7);
  std::vector<std::vector<uint8_t>> work = stripe.bytes;
  std::vector<uint8_t*> shards;
  bool present[256];
  std::mt19937 rng(3);
  std::vector<int> order(256);
  for (int i = 0; i < 256; ++i) order[i] = i;
  std::shuffle(order.begin(), order.end(), rng);
  for (int i = 0; i < 256; ++i) present[i] = true;
  for (int i = 0; i < 128; ++i) present[order[i]] = false;
  for (int i = 0; i < 256; ++i) {
    if (!present[i]) std::memset(work[i].data(), 0, 100);
    shards.push_back(work[i].data());
  }
  ASSERT_TRUE(codec.reconstruct(shards, present, 100, false).is_ok());
  EXPECT_EQ(work, stripe.bytes);
  present[order[128]] = false;
  EXPECT_EQ(codec.reconstruct(shards, present, 100, false).code(),
            ErrorCode::kInsufficientReadQuorum);
}

// Several threads share one codec and rebuild random patterns, more of them than the decode
// cache holds, so lookups, inserts and evictions race.
TEST(ReedSolomonTest, ConcurrentReconstructsShareTheCache) {
  const ReedSolomon codec = make_codec(8, 4);
  const Stripe stripe(codec, 1000, 11);
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      std::mt19937 rng(static_cast<uint32_t>(t));
      std::vector<std::vector<uint8_t>> work = stripe.bytes;
      std::vector<uint8_t*> shards;
      for (auto& w : work) shards.push_back(w.data());
      for (int iteration = 0; iteration < 1500; ++iteration) {
        bool present[12];
        for (bool& p : present) p = true;
        const int lost = static_cast<int>(rng() % 5);
        for (int i = 0; i < lost; ++i) present[rng() % 12] = false;
        for (int i = 0; i < 12; ++i) {
          if (!present[i]) std::memset(shards[i], kGarbage, 1000);
        }
        if (!codec.reconstruct(shards, std::span<const bool>(present, 12), 1000, false) ||
            work != stripe.bytes) {
          ++failures;
          work = stripe.bytes;
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
}

}  // namespace
}  // namespace maxio
