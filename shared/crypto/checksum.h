#pragma once
// The checksums S3 accepts in x-amz-checksum-*: CRC32 (IEEE), CRC32C (Castagnoli),
// CRC64NVME, SHA1, SHA256, computed in a stream. Values print as base64 of the big-endian
// digest, as S3 sends them. One thread at a time per instance.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace maxio {

enum class ChecksumAlgorithm { kCrc32, kCrc32c, kCrc64Nvme, kSha1, kSha256 };

// "CRC32" / "crc32" ... → algorithm; nullopt for an unknown name.
std::optional<ChecksumAlgorithm> parse_checksum_algorithm(std::string_view name);
// "x-amz-checksum-crc32", ...
std::string checksum_header_name(ChecksumAlgorithm algorithm);
// "CRC32", "CRC32C", "CRC64NVME", "SHA1", "SHA256".
std::string checksum_algorithm_name(ChecksumAlgorithm algorithm);

class Checksum {
 public:
  virtual ~Checksum() = default;
  virtual void update(const void* data, size_t size) = 0;
  // The raw big-endian digest (4, 8, 20 or 32 bytes).
  virtual std::string finish() = 0;
  // base64 of finish().
  std::string finish_base64();
  static std::unique_ptr<Checksum> create(ChecksumAlgorithm algorithm);
};

uint32_t crc32_ieee(uint32_t crc, const void* data, size_t size);  // start with 0
uint32_t crc32c(uint32_t crc, const void* data, size_t size);      // start with 0
uint64_t crc64_nvme(uint64_t crc, const void* data, size_t size);  // start with 0

}  // namespace maxio
