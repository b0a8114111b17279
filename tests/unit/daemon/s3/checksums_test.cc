#include "daemon/s3/checksums.h"

#include <gtest/gtest.h>

#include "shared/util/encoding.h"

namespace maxio::s3 {
namespace {

std::string from_hex(std::string_view hex) { return hex_decode(hex).value(); }

// MinIO's encoding: uvarint type flags (CRC32 = 8, SHA256 = 2, multipart = 64, full object
// = 512, CRC64NVME = 256), the raw digest, and for multipart the uvarint part count.
TEST(StoredChecksum, EncodesAsMinioDoes) {
  StoredChecksum crc32{ChecksumAlgorithm::kCrc32, from_hex("0a0b0c0d"), 0, true};
  EXPECT_EQ(hex_encode(encode_stored_checksum(crc32)), "080a0b0c0d");
  StoredChecksum composite{ChecksumAlgorithm::kCrc32, from_hex("01020304"), 3, false};
  EXPECT_EQ(hex_encode(encode_stored_checksum(composite)), "480102030403");
  StoredChecksum nvme{ChecksumAlgorithm::kCrc64Nvme, std::string(8, '\x11'), 0, true};
  // 256 does not fit one varint byte: 0x80 0x02.
  EXPECT_EQ(hex_encode(encode_stored_checksum(nvme)), "80021111111111111111");
}

TEST(StoredChecksum, RoundTripsEveryAlgorithm) {
  const std::pair<ChecksumAlgorithm, size_t> algorithms[] = {{ChecksumAlgorithm::kCrc32, 4},
                                                             {ChecksumAlgorithm::kCrc32c, 4},
                                                             {ChecksumAlgorithm::kCrc64Nvme, 8},
                                                             {ChecksumAlgorithm::kSha1, 20},
                                                             {ChecksumAlgorithm::kSha256, 32}};
  for (auto [algorithm, size] : algorithms) {
    for (int parts : {0, 2, 10000}) {
      StoredChecksum in{algorithm, std::string(size, '\x5a'), parts, parts == 0};
      auto out = decode_stored_checksum(encode_stored_checksum(in));
      ASSERT_TRUE(out.has_value()) << checksum_algorithm_name(algorithm) << " " << parts;
      EXPECT_EQ(out->algorithm, algorithm);
      EXPECT_EQ(out->raw, in.raw);
      // CRC64NVME is always a full-object checksum, even over parts.
      const bool full = parts == 0 || algorithm == ChecksumAlgorithm::kCrc64Nvme;
      EXPECT_EQ(out->full_object, full);
      EXPECT_EQ(out->parts, full ? 0 : parts);
    }
  }
}

TEST(StoredChecksum, RejectsMalformedBytes) {
  EXPECT_FALSE(decode_stored_checksum("").has_value());
  EXPECT_FALSE(decode_stored_checksum(from_hex("08aabb")).has_value());      // short digest
  EXPECT_FALSE(decode_stored_checksum(from_hex("0aaabbccdd")).has_value());  // two algorithms
  EXPECT_FALSE(decode_stored_checksum(from_hex("20aabbccdd")).has_value());  // no algorithm
  EXPECT_FALSE(decode_stored_checksum(from_hex("4801020304")).has_value());  // parts missing
  EXPECT_FALSE(decode_stored_checksum(from_hex("ffffffffffffffffffff")).has_value());
}

TEST(StoredChecksum, ValuePrintsPartsOnlyForComposite) {
  StoredChecksum single{ChecksumAlgorithm::kCrc32, from_hex("00000001"), 0, true};
  EXPECT_EQ(checksum_value(single), "AAAAAQ==");
  StoredChecksum composite{ChecksumAlgorithm::kCrc32, from_hex("00000001"), 4, false};
  EXPECT_EQ(checksum_value(composite), "AAAAAQ==-4");
}

HttpHeaders headers_of(std::initializer_list<std::pair<std::string, std::string>> fields) {
  HttpHeaders headers;
  for (const auto& [name, value] : fields) headers.add(name, value);
  return headers;
}

TEST(RequestChecksums, OneChecksumAndAMatchingSdkAlgorithm) {
  EXPECT_TRUE(check_request_checksums(headers_of({})).is_ok());
  EXPECT_TRUE(check_request_checksums(headers_of({{"x-amz-checksum-crc32", "AAAAAA=="}})).is_ok());
  EXPECT_TRUE(check_request_checksums(headers_of({{"x-amz-sdk-checksum-algorithm", "crc32"},
                                                  {"x-amz-checksum-crc32", "AAAAAA=="}}))
                  .is_ok());
  EXPECT_TRUE(check_request_checksums(headers_of({{"x-amz-sdk-checksum-algorithm", "SHA256"},
                                                  {"x-amz-trailer", "x-amz-checksum-sha256"}}))
                  .is_ok());
  EXPECT_EQ(check_request_checksums(
                headers_of({{"x-amz-checksum-crc32", "AAAAAA=="}, {"x-amz-checksum-sha1", "x"}}))
                .code(),
            ErrorCode::kInvalidRequest);
  EXPECT_EQ(check_request_checksums(headers_of({{"x-amz-sdk-checksum-algorithm", "SHA1"}})).code(),
            ErrorCode::kInvalidRequest);
  EXPECT_EQ(check_request_checksums(headers_of({{"x-amz-sdk-checksum-algorithm", "MD5"},
                                                {"x-amz-checksum-crc32", "AAAAAA=="}}))
                .code(),
            ErrorCode::kInvalidRequest);
}

TEST(ChecksumHeaders, OnlyWithModeEnabledAndForTheWholeObject) {
  ObjectInfo info;
  info.checksum = encode_stored_checksum({ChecksumAlgorithm::kSha1, std::string(20, 'a'), 0, true});
  HttpHeaders none;
  add_checksum_headers(headers_of({}), info, true, none);
  EXPECT_FALSE(none.has("x-amz-checksum-sha1"));
  HttpHeaders ranged;
  add_checksum_headers(headers_of({{"x-amz-checksum-mode", "ENABLED"}}), info, false, ranged);
  EXPECT_FALSE(ranged.has("x-amz-checksum-sha1"));
  HttpHeaders whole;
  add_checksum_headers(headers_of({{"x-amz-checksum-mode", "enabled"}}), info, true, whole);
  EXPECT_EQ(whole.get("x-amz-checksum-sha1"), base64_encode(std::string(20, 'a')));
  EXPECT_EQ(whole.get("x-amz-checksum-type"), "FULL_OBJECT");
}

}  // namespace
}  // namespace maxio::s3
