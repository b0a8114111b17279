// Table-driven reflected CRCs (slicing-by-8), CRC32C with SSE4.2 when the CPU has it, and
// the Checksum wrappers over them and over the SHA hashers.

#include "shared/crypto/checksum.h"

#include <array>
#include <cstring>

#include "shared/crypto/hash.h"
#include "shared/util/encoding.h"
#include "shared/util/strings.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <nmmintrin.h>
#define MAXIO_HAVE_SSE42_PATH 1
#endif

namespace maxio {
namespace {

// Slicing-by-8 tables for a reflected CRC of width 32 or 64: table[0] is the classic
// byte-at-a-time table, table[k][b] advances table[k-1][b] by one more zero byte.
template <typename T>
using SliceTables = std::array<std::array<T, 256>, 8>;

template <typename T>
constexpr SliceTables<T> make_tables(T reflected_poly) {
  SliceTables<T> t{};
  for (unsigned b = 0; b < 256; ++b) {
    T crc = static_cast<T>(b);
    for (int k = 0; k < 8; ++k) crc = (crc & 1) ? (crc >> 1) ^ reflected_poly : crc >> 1;
    t[0][b] = crc;
  }
  for (unsigned b = 0; b < 256; ++b) {
    for (int k = 1; k < 8; ++k) t[k][b] = (t[k - 1][b] >> 8) ^ t[0][t[k - 1][b] & 0xff];
  }
  return t;
}

constexpr SliceTables<uint32_t> kCrc32Tables = make_tables<uint32_t>(0xEDB88320u);
constexpr SliceTables<uint32_t> kCrc32cTables = make_tables<uint32_t>(0x82F63B78u);
constexpr SliceTables<uint64_t> kCrc64NvmeTables = make_tables<uint64_t>(0x9A6C9329AC4BC9B5ull);

uint64_t load_le64(const uint8_t* p) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}

// Advances the raw (not inverted) register `crc` over the data.
template <typename T>
T crc_update(const SliceTables<T>& t, T crc, const uint8_t* p, size_t size) {
  while (size >= 8) {
    const uint64_t word = load_le64(p) ^ static_cast<uint64_t>(crc);
    if constexpr (sizeof(T) == 4) {
      const auto low = static_cast<uint32_t>(word);
      const auto high = static_cast<uint32_t>(word >> 32);
      crc = t[7][low & 0xff] ^ t[6][(low >> 8) & 0xff] ^ t[5][(low >> 16) & 0xff] ^
            t[4][low >> 24] ^ t[3][high & 0xff] ^ t[2][(high >> 8) & 0xff] ^
            t[1][(high >> 16) & 0xff] ^ t[0][high >> 24];
    } else {
      crc = t[7][word & 0xff] ^ t[6][(word >> 8) & 0xff] ^ t[5][(word >> 16) & 0xff] ^
            t[4][(word >> 24) & 0xff] ^ t[3][(word >> 32) & 0xff] ^ t[2][(word >> 40) & 0xff] ^
            t[1][(word >> 48) & 0xff] ^ t[0][word >> 56];
    }
    p += 8;
    size -= 8;
  }
  while (size-- > 0) crc = (crc >> 8) ^ t[0][(crc ^ *p++) & 0xff];
  return crc;
}

#ifdef MAXIO_HAVE_SSE42_PATH
__attribute__((target("sse4.2"))) uint32_t crc32c_sse42(uint32_t crc, const uint8_t* p,
                                                        size_t size) {
  uint64_t c = crc;
  while (size >= 8) {
    uint64_t word;
    std::memcpy(&word, p, 8);
    c = _mm_crc32_u64(c, word);
    p += 8;
    size -= 8;
  }
  auto c32 = static_cast<uint32_t>(c);
  while (size-- > 0) c32 = _mm_crc32_u8(c32, *p++);
  return c32;
}

bool cpu_has_sse42() {
  static const bool has = __builtin_cpu_supports("sse4.2");
  return has;
}
#endif

template <typename T>
class CrcChecksum final : public Checksum {
 public:
  using Function = T (*)(T, const void*, size_t);
  explicit CrcChecksum(Function function) : function_(function) {}

  void update(const void* data, size_t size) override { crc_ = function_(crc_, data, size); }

  std::string finish() override {
    std::string out(sizeof(T), '\0');
    for (size_t i = 0; i < sizeof(T); ++i) {
      out[i] = static_cast<char>(crc_ >> (8 * (sizeof(T) - 1 - i)));
    }
    crc_ = 0;
    return out;
  }

 private:
  Function function_;
  T crc_ = 0;
};

class HashChecksum final : public Checksum {
 public:
  explicit HashChecksum(HashAlgorithm algorithm) : hasher_(algorithm) {}
  void update(const void* data, size_t size) override { hasher_.update(data, size); }
  std::string finish() override { return hasher_.finish(); }

 private:
  Hasher hasher_;
};

}  // namespace

uint32_t crc32_ieee(uint32_t crc, const void* data, size_t size) {
  return ~crc_update(kCrc32Tables, ~crc, static_cast<const uint8_t*>(data), size);
}

uint32_t crc32c(uint32_t crc, const void* data, size_t size) {
  const auto* p = static_cast<const uint8_t*>(data);
#ifdef MAXIO_HAVE_SSE42_PATH
  if (cpu_has_sse42()) return ~crc32c_sse42(~crc, p, size);
#endif
  return ~crc_update(kCrc32cTables, ~crc, p, size);
}

uint64_t crc64_nvme(uint64_t crc, const void* data, size_t size) {
  return ~crc_update(kCrc64NvmeTables, ~crc, static_cast<const uint8_t*>(data), size);
}

std::optional<ChecksumAlgorithm> parse_checksum_algorithm(std::string_view name) {
  for (const auto algorithm :
       {ChecksumAlgorithm::kCrc32, ChecksumAlgorithm::kCrc32c, ChecksumAlgorithm::kCrc64Nvme,
        ChecksumAlgorithm::kSha1, ChecksumAlgorithm::kSha256}) {
    if (iequals(name, checksum_algorithm_name(algorithm))) return algorithm;
  }
  return std::nullopt;
}

std::string checksum_algorithm_name(ChecksumAlgorithm algorithm) {
  switch (algorithm) {
    case ChecksumAlgorithm::kCrc32:
      return "CRC32";
    case ChecksumAlgorithm::kCrc32c:
      return "CRC32C";
    case ChecksumAlgorithm::kCrc64Nvme:
      return "CRC64NVME";
    case ChecksumAlgorithm::kSha1:
      return "SHA1";
    case ChecksumAlgorithm::kSha256:
      return "SHA256";
  }
  return "";
}

std::string checksum_header_name(ChecksumAlgorithm algorithm) {
  return "x-amz-checksum-" + to_lower(checksum_algorithm_name(algorithm));
}

std::string Checksum::finish_base64() { return base64_encode(finish()); }

std::unique_ptr<Checksum> Checksum::create(ChecksumAlgorithm algorithm) {
  switch (algorithm) {
    case ChecksumAlgorithm::kCrc32:
      return std::make_unique<CrcChecksum<uint32_t>>(&crc32_ieee);
    case ChecksumAlgorithm::kCrc32c:
      return std::make_unique<CrcChecksum<uint32_t>>(&crc32c);
    case ChecksumAlgorithm::kCrc64Nvme:
      return std::make_unique<CrcChecksum<uint64_t>>(&crc64_nvme);
    case ChecksumAlgorithm::kSha1:
      return std::make_unique<HashChecksum>(HashAlgorithm::kSha1);
    case ChecksumAlgorithm::kSha256:
      return std::make_unique<HashChecksum>(HashAlgorithm::kSha256);
  }
  return nullptr;
}

}  // namespace maxio
