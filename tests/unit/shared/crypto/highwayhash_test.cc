// HighwayHash-256 against Google's frozen reference vectors and MinIO's bitrot frames.

#include "shared/crypto/highwayhash.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

#include "shared/util/encoding.h"

namespace maxio {
namespace {

// The reference test key: bytes 0x00..0x1f.
std::string reference_key() {
  std::string key(32, '\0');
  for (int i = 0; i < 32; ++i) key[i] = static_cast<char>(i);
  return key;
}

// Input of the reference tests: bytes 0, 1, ..., size-1.
std::string reference_input(size_t size) {
  std::string in(size, '\0');
  for (size_t i = 0; i < size; ++i) in[i] = static_cast<char>(i);
  return in;
}

// The 256-bit result as the four little-endian 64-bit lanes the reference prints.
std::string lanes_to_bytes(uint64_t a, uint64_t b, uint64_t c, uint64_t d) {
  std::string out;
  for (uint64_t lane : {a, b, c, d}) {
    for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>(lane >> (8 * i)));
  }
  return out;
}

std::string hash_once(std::string_view key, std::string_view data,
                      HighwayHashKernel kernel = highwayhash_best_kernel()) {
  HighwayHash256 h(key, kernel);
  EXPECT_EQ(h.kernel(), kernel);
  h.update(data.data(), data.size());
  return h.finish();
}

struct Vector {
  size_t size;
  uint64_t lanes[4];
};

// From google/highwayhash highwayhash_test.cc (kExpected256), sizes as indexed there.
constexpr Vector kVectors[] = {
    {0,
     {0xDD44482AC2C874F5ull, 0xD946017313C7351Full, 0xB3AEBECCB98714FFull, 0x41DA233145751DF4ull}},
    {1,
     {0xEDB941BCE45F8254ull, 0xE20D44EF3DCAC60Full, 0x72651B9BCB324A47ull, 0x2073624CB275E484ull}},
    {3,
     {0x480AA0D70DD1D95Cull, 0x89225E7C6911D1D0ull, 0x8EA8426B8BBB865Aull, 0xE23DFBC390E1C722ull}},
    {4,
     {0xC9CFC497212BE4DCull, 0xA85F9DF6AFD2929Bull, 0x1FDA9F211DF4109Eull, 0x07E4277A374D4F9Bull}},
    {16,
     {0xF51AD989A1B6CD1Full, 0xF7F075D62A627BD9ull, 0x7E01D5F579F28A06ull, 0x1AD415C16A174D9Full}},
    {17,
     {0x19F4CFA82CA4068Eull, 0x3B9D4ABD3A9275B9ull, 0x8000B0DDE9C010C6ull, 0x8884D50949215613ull}},
    {31,
     {0x6880E276601A644Dull, 0xB3728B20B10FB7DAull, 0xD0BD12060610D16Eull, 0x8AEF14EF33452EF2ull}},
    {32,
     {0xBCE38C9039A1C3FEull, 0x42D56326A3C11289ull, 0xE35595F764FCAEA9ull, 0xC9B03C6BC9475A99ull}},
    {33,
     {0xF60115CBF034A6E5ull, 0x6C36EA75BFCE46D0ull, 0x3B17C8D382725990ull, 0x7EDAA2ED11007A35ull}},
    {63,
     {0xF5B1F8266A3AEB67ull, 0x83B040BE4DEC1ADDull, 0x7FE1C8635B26FBAEull, 0xF4A3A447DEFED79Full}},
    {64,
     {0x90D8E6FF6AC12475ull, 0x1A422A196EDAC1F2ull, 0x9E3765FE1F8EB002ull, 0xC1BDD7C4C351CFBEull}},
};

// Every test of this suite runs once per kernel this CPU has.
class HighwayHashKernelTest : public testing::TestWithParam<HighwayHashKernel> {
 protected:
  void SetUp() override {
    if (!highwayhash_kernel_supported(GetParam())) {
      GTEST_SKIP() << highwayhash_kernel_name(GetParam()) << " is not supported by this CPU";
    }
  }
};

INSTANTIATE_TEST_SUITE_P(Kernels, HighwayHashKernelTest,
                         testing::Values(HighwayHashKernel::kPortable, HighwayHashKernel::kAvx2),
                         [](const testing::TestParamInfo<HighwayHashKernel>& info) {
                           return std::string(highwayhash_kernel_name(info.param));
                         });

TEST_P(HighwayHashKernelTest, MatchesReferenceVectors) {
  const std::string key = reference_key();
  for (const Vector& v : kVectors) {
    SCOPED_TRACE(v.size);
    EXPECT_EQ(hex_encode(hash_once(key, reference_input(v.size), GetParam())),
              hex_encode(lanes_to_bytes(v.lanes[0], v.lanes[1], v.lanes[2], v.lanes[3])));
  }
}

TEST_P(HighwayHashKernelTest, IncrementalUpdatesEqualOneShot) {
  const std::string key = reference_key();
  std::string data(1000, '\0');
  for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<char>(i * 131 + 7);
  for (size_t total : {0u, 1u, 31u, 32u, 33u, 95u, 1000u}) {
    const std::string_view whole(data.data(), total);
    const std::string expected = hash_once(key, whole, GetParam());
    for (size_t piece : {1u, 3u, 7u, 31u, 33u, 64u}) {
      SCOPED_TRACE(testing::Message() << "total " << total << " piece " << piece);
      HighwayHash256 h(key, GetParam());
      for (size_t pos = 0; pos < total; pos += piece) {
        const size_t n = std::min(piece, total - pos);
        h.update(whole.data() + pos, n);
      }
      h.update(nullptr, 0);
      EXPECT_EQ(h.finish(), expected);
    }
  }
}

TEST_P(HighwayHashKernelTest, FinishIntoBufferEqualsFinishAsString) {
  HighwayHash256 h(minio_bitrot_key(), GetParam());
  h.update("some block", 10);
  char out[kHighwayHash256Size];
  h.finish(out);
  h.update("some block", 10);
  EXPECT_EQ(std::string(out, sizeof out), h.finish());
}

// The SIMD kernel against the portable one on random keys and inputs of every length up to
// 1000 bytes and a few shard sizes of 1 MiB blocks, fed whole and in random pieces from
// unaligned addresses.
TEST(HighwayHash256Test, KernelsAgreeOnRandomInputs) {
  if (!highwayhash_kernel_supported(HighwayHashKernel::kAvx2)) {
    GTEST_SKIP() << "no SIMD kernel on this CPU";
  }
  std::mt19937_64 rng(20240611);
  std::vector<size_t> sizes;
  for (size_t n = 0; n <= 1000; ++n) sizes.push_back(n);
  for (size_t n : {4096u, 65536u + 13u, 87382u, 174763u, 262144u, 1048576u, 1048576u + 31u}) {
    sizes.push_back(n);
  }
  std::string buffer(1048576 + 64, '\0');
  for (auto& c : buffer) c = static_cast<char>(rng());
  for (size_t size : sizes) {
    SCOPED_TRACE(size);
    std::string key(32, '\0');
    for (auto& c : key) c = static_cast<char>(rng());
    const std::string_view data(buffer.data() + rng() % 32, size);
    const std::string expected = hash_once(key, data, HighwayHashKernel::kPortable);
    ASSERT_EQ(hash_once(key, data, HighwayHashKernel::kAvx2), expected);
    HighwayHash256 pieces(key, HighwayHashKernel::kAvx2);
    for (size_t pos = 0; pos < size;) {
      const size_t n = std::min<size_t>(size - pos, rng() % 200);
      pieces.update(data.data() + pos, n);
      pos += n;
    }
    ASSERT_EQ(pieces.finish(), expected);
  }
}

TEST(HighwayHash256Test, BestKernelIsSupported) {
  EXPECT_TRUE(highwayhash_kernel_supported(highwayhash_best_kernel()));
  EXPECT_TRUE(highwayhash_kernel_supported(HighwayHashKernel::kPortable));
  EXPECT_EQ(HighwayHash256(minio_bitrot_key()).kernel(), highwayhash_best_kernel());
}

TEST(HighwayHash256Test, FinishResetsForReuse) {
  HighwayHash256 h(reference_key());
  h.update("abc", 3);
  const std::string first = h.finish();
  h.update("abc", 3);
  EXPECT_EQ(h.finish(), first);
  h.update("zzz", 3);
  h.reset();
  h.update("abc", 3);
  EXPECT_EQ(h.finish(), first);
}

TEST(HighwayHash256Test, KeyChangesHash) {
  EXPECT_NE(hash_once(reference_key(), "data"), hash_once(minio_bitrot_key(), "data"));
}

TEST(HighwayHash256Test, MinioBitrotKeyIsFixed) {
  ASSERT_EQ(minio_bitrot_key().size(), 32u);
  EXPECT_EQ(hex_encode(minio_bitrot_key()),
            "4be734fa8e238acd263e83e6bb968552040f935da39f441497e09d1322de36a0");
}

// MinIO derives its key as HighwayHash-256 (zero key) of the first 100 decimals of pi; an
// independent check of both the key bytes and the hash on a 100-byte input.
TEST(HighwayHash256Test, MinioBitrotKeyIsHashOfPiDecimals) {
  const std::string decimals =
      "14159265358979323846264338327950288419716939937510582097494459230781640628620899862803482534"
      "21"
      "170679";
  ASSERT_EQ(decimals.size(), 100u);
  EXPECT_EQ(hash_once(std::string(32, '\0'), decimals), minio_bitrot_key());
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Verifies every 32-byte-hash + block frame of a MinIO streaming-bitrot file with blocks of
// `shard_size` bytes (the last shorter). Returns the number of frames, or -1 on a mismatch.
int verify_frames(const std::string& file, size_t shard_size) {
  int frames = 0;
  size_t pos = 0;
  while (pos < file.size()) {
    if (file.size() - pos <= 32) return -1;
    const size_t n = std::min(shard_size, file.size() - pos - 32);
    const std::string_view want(file.data() + pos, 32);
    if (hash_once(minio_bitrot_key(), std::string_view(file.data() + pos + 32, n)) != want) {
      return -1;
    }
    pos += 32 + n;
    ++frames;
  }
  return frames;
}

TEST(HighwayHash256Test, VerifiesMinioBitrotFramesOfRealShards) {
  const std::string dir = std::string(MAXIO_FIXTURES_DIR) + "/minio/buildscripts/cicd-corpus/";
  const std::string first = "/bucket/testobj/2b4f7e41-df82-4a5e-a3c1-8df87f83332f/part.1";
  const std::string second = "/bucket/testobj/a599bd9e-69fe-49b7-b6bf-fe53021039d5/part.1";
  const std::pair<const char*, std::string> shards[] = {{"disk2", first},  {"disk3", first},
                                                        {"disk4", first},  {"disk5", first},
                                                        {"disk4", second}, {"disk5", second}};
  for (const auto& [disk, object] : shards) {
    SCOPED_TRACE(std::string(disk) + object);
    const std::string file = read_file(dir + disk + object);
    ASSERT_GT(file.size(), 32u);
    // The shard size is ceil(1 MiB / data_blocks); find the data-block count whose framing
    // verifies end to end.
    int frames = -1;
    size_t data_blocks = 0;
    for (size_t d = 1; d <= 16 && frames < 0; ++d) {
      const size_t shard_size = ((size_t{1} << 20) + d - 1) / d;
      frames = verify_frames(file, shard_size);
      data_blocks = d;
    }
    EXPECT_GT(frames, 0) << "no data-block count gives verifying frames";
    // A corrupted byte must break verification.
    std::string corrupt = file;
    corrupt[corrupt.size() / 2] ^= 0x01;
    EXPECT_LT(verify_frames(corrupt, ((size_t{1} << 20) + data_blocks - 1) / data_blocks), 0);
  }
}

}  // namespace
}  // namespace maxio
