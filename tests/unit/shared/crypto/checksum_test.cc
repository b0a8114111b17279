// CRC32 / CRC32C / CRC64NVME check values, AWS base64 forms and the Checksum factory.

#include "shared/crypto/checksum.h"

#include <gtest/gtest.h>

#include <string>

#include "shared/crypto/hash.h"
#include "shared/util/encoding.h"

namespace maxio {
namespace {

constexpr std::string_view kCheck = "123456789";

// Bit-at-a-time reference for a reflected CRC with all-ones init and xorout.
template <typename T>
T reference_crc(T poly, std::string_view data) {
  T crc = ~T{0};
  for (const char ch : data) {
    crc ^= static_cast<uint8_t>(ch);
    for (int k = 0; k < 8; ++k) crc = (crc & 1) ? (crc >> 1) ^ poly : crc >> 1;
  }
  return ~crc;
}

std::string pseudo_random(size_t size) {
  std::string s(size, '\0');
  uint32_t x = 12345;
  for (char& c : s) {
    x = x * 1103515245 + 12345;
    c = static_cast<char>(x >> 16);
  }
  return s;
}

TEST(CrcTest, CheckValues) {
  EXPECT_EQ(crc32_ieee(0, kCheck.data(), kCheck.size()), 0xCBF43926u);
  EXPECT_EQ(crc32c(0, kCheck.data(), kCheck.size()), 0xE3069283u);
  EXPECT_EQ(crc64_nvme(0, kCheck.data(), kCheck.size()), 0xAE8B14860A799888ull);
  EXPECT_EQ(crc32_ieee(0, nullptr, 0), 0u);
  EXPECT_EQ(crc32c(0, nullptr, 0), 0u);
  EXPECT_EQ(crc64_nvme(0, nullptr, 0), 0u);
}

TEST(CrcTest, MatchesBitwiseReferenceAtEveryLengthAndAlignment) {
  const std::string data = pseudo_random(300);
  for (size_t offset = 0; offset < 8; ++offset) {
    for (size_t size = 0; offset + size <= 100; ++size) {
      const std::string_view s(data.data() + offset, size);
      SCOPED_TRACE(testing::Message() << "offset " << offset << " size " << size);
      ASSERT_EQ(crc32_ieee(0, s.data(), s.size()), reference_crc<uint32_t>(0xEDB88320u, s));
      ASSERT_EQ(crc32c(0, s.data(), s.size()), reference_crc<uint32_t>(0x82F63B78u, s));
      ASSERT_EQ(crc64_nvme(0, s.data(), s.size()),
                reference_crc<uint64_t>(0x9A6C9329AC4BC9B5ull, s));
    }
  }
}

TEST(CrcTest, ChainingEqualsOneShot) {
  const std::string data = pseudo_random(100000);
  const uint32_t whole32 = crc32_ieee(0, data.data(), data.size());
  const uint32_t whole32c = crc32c(0, data.data(), data.size());
  const uint64_t whole64 = crc64_nvme(0, data.data(), data.size());
  for (size_t split : {1u, 7u, 8u, 4099u, 99999u}) {
    SCOPED_TRACE(split);
    EXPECT_EQ(
        crc32_ieee(crc32_ieee(0, data.data(), split), data.data() + split, data.size() - split),
        whole32);
    EXPECT_EQ(crc32c(crc32c(0, data.data(), split), data.data() + split, data.size() - split),
              whole32c);
    EXPECT_EQ(
        crc64_nvme(crc64_nvme(0, data.data(), split), data.data() + split, data.size() - split),
        whole64);
  }
}

std::string checksum_base64(ChecksumAlgorithm algorithm, std::string_view data) {
  auto checksum = Checksum::create(algorithm);
  checksum->update(data.data(), data.size());
  return checksum->finish_base64();
}

// The values S3 returns in x-amz-checksum-* (base64 of the big-endian digest).
TEST(ChecksumTest, AwsBase64Values) {
  EXPECT_EQ(checksum_base64(ChecksumAlgorithm::kCrc32, ""), "AAAAAA==");
  EXPECT_EQ(checksum_base64(ChecksumAlgorithm::kCrc32, "Hello world"), "i9aeUg==");
  EXPECT_EQ(checksum_base64(ChecksumAlgorithm::kCrc32c, "Hello world"), "crUfeA==");
  EXPECT_EQ(checksum_base64(ChecksumAlgorithm::kCrc64Nvme, "Hello world"), "OOJZ0D8xKts=");
  EXPECT_EQ(checksum_base64(ChecksumAlgorithm::kCrc32, kCheck), "y/Q5Jg==");
  EXPECT_EQ(checksum_base64(ChecksumAlgorithm::kCrc32c, kCheck), "4waSgw==");
  EXPECT_EQ(checksum_base64(ChecksumAlgorithm::kCrc64Nvme, kCheck), "rosUhgp5mIg=");
  EXPECT_EQ(checksum_base64(ChecksumAlgorithm::kCrc64Nvme, ""), "AAAAAAAAAAA=");
  EXPECT_EQ(checksum_base64(ChecksumAlgorithm::kSha1, ""), "2jmj7l5rSw0yVb/vlWAYkK/YBwk=");
  EXPECT_EQ(checksum_base64(ChecksumAlgorithm::kSha1, "Hello world"),
            "e1AsOh9IyGCa4hLN+2Od7jlnP14=");
  EXPECT_EQ(checksum_base64(ChecksumAlgorithm::kSha256, ""),
            "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=");
  EXPECT_EQ(checksum_base64(ChecksumAlgorithm::kSha256, "Hello world"),
            "ZOyIygCyaOW6GjVnihtTFtIS9PNmskdyMlNKiuyjfzw=");
}

TEST(ChecksumTest, FinishIsBigEndianAndStreamsInPieces) {
  auto crc = Checksum::create(ChecksumAlgorithm::kCrc32);
  crc->update("1234", 4);
  crc->update("56789", 5);
  EXPECT_EQ(hex_encode(crc->finish()), "cbf43926");
  auto crc64 = Checksum::create(ChecksumAlgorithm::kCrc64Nvme);
  for (const char c : kCheck) crc64->update(&c, 1);
  EXPECT_EQ(hex_encode(crc64->finish()), "ae8b14860a799888");
  auto sha = Checksum::create(ChecksumAlgorithm::kSha256);
  sha->update("Hello ", 6);
  sha->update("world", 5);
  EXPECT_EQ(sha->finish(), sha256("Hello world"));
}

TEST(ChecksumTest, NamesAndParsing) {
  EXPECT_EQ(parse_checksum_algorithm("CRC32"), ChecksumAlgorithm::kCrc32);
  EXPECT_EQ(parse_checksum_algorithm("crc32c"), ChecksumAlgorithm::kCrc32c);
  EXPECT_EQ(parse_checksum_algorithm("Crc64Nvme"), ChecksumAlgorithm::kCrc64Nvme);
  EXPECT_EQ(parse_checksum_algorithm("sha1"), ChecksumAlgorithm::kSha1);
  EXPECT_EQ(parse_checksum_algorithm("SHA256"), ChecksumAlgorithm::kSha256);
  EXPECT_EQ(parse_checksum_algorithm("MD5"), std::nullopt);
  EXPECT_EQ(parse_checksum_algorithm(""), std::nullopt);
  EXPECT_EQ(parse_checksum_algorithm("CRC32 "), std::nullopt);
  EXPECT_EQ(checksum_header_name(ChecksumAlgorithm::kCrc64Nvme), "x-amz-checksum-crc64nvme");
  EXPECT_EQ(checksum_header_name(ChecksumAlgorithm::kSha256), "x-amz-checksum-sha256");
  EXPECT_EQ(checksum_algorithm_name(ChecksumAlgorithm::kCrc32c), "CRC32C");
}

}  // namespace
}  // namespace maxio
