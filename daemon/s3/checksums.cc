#include "daemon/s3/checksums.h"

#include <array>
#include <cstdint>
#include <memory>

#include "shared/util/encoding.h"
#include "shared/util/strings.h"

namespace maxio::s3 {

namespace {

// MinIO's ChecksumType bit flags (internal/hash/checksum.go); bit 0 (trailing) is never
// stored, and bit 7 (part checksums follow) is not written by Maxio and ignored on read.
constexpr uint64_t kTypeSha256 = 1 << 1;
constexpr uint64_t kTypeSha1 = 1 << 2;
constexpr uint64_t kTypeCrc32 = 1 << 3;
constexpr uint64_t kTypeCrc32c = 1 << 4;
constexpr uint64_t kTypeMultipart = 1 << 6;
constexpr uint64_t kTypeCrc64Nvme = 1 << 8;
constexpr uint64_t kTypeFullObject = 1 << 9;

struct AlgorithmBits {
  ChecksumAlgorithm algorithm;
  uint64_t bit;
  size_t size;
};
constexpr std::array<AlgorithmBits, 5> kAlgorithms = {{
    {ChecksumAlgorithm::kCrc32, kTypeCrc32, 4},
    {ChecksumAlgorithm::kCrc32c, kTypeCrc32c, 4},
    {ChecksumAlgorithm::kCrc64Nvme, kTypeCrc64Nvme, 8},
    {ChecksumAlgorithm::kSha1, kTypeSha1, 20},
    {ChecksumAlgorithm::kSha256, kTypeSha256, 32},
}};

const AlgorithmBits& bits_of(ChecksumAlgorithm algorithm) {
  for (const AlgorithmBits& a : kAlgorithms) {
    if (a.algorithm == algorithm) return a;
  }
  return kAlgorithms[0];
}

void append_uvarint(std::string& out, uint64_t value) {
  while (value >= 0x80) {
    out.push_back(static_cast<char>((value & 0x7f) | 0x80));
    value >>= 7;
  }
  out.push_back(static_cast<char>(value));
}

std::optional<uint64_t> read_uvarint(std::string_view& in) {
  uint64_t value = 0;
  for (int shift = 0, i = 0; i < 10 && i < static_cast<int>(in.size()); ++i, shift += 7) {
    auto byte = static_cast<uint8_t>(in[i]);
    value |= static_cast<uint64_t>(byte & 0x7f) << shift;
    if ((byte & 0x80) == 0) {
      in.remove_prefix(i + 1);
      return value;
    }
  }
  return std::nullopt;
}

}  // namespace

std::string encode_stored_checksum(const StoredChecksum& checksum) {
  const AlgorithmBits& a = bits_of(checksum.algorithm);
  uint64_t type = a.bit;
  if (checksum.parts > 0) {
    type |= kTypeMultipart;
    if (checksum.full_object) type |= kTypeFullObject;
  }
  std::string out;
  append_uvarint(out, type);
  out += checksum.raw;
  if (checksum.parts > 0) append_uvarint(out, static_cast<uint64_t>(checksum.parts));
  return out;
}

std::optional<StoredChecksum> decode_stored_checksum(std::string_view bytes) {
  auto type = read_uvarint(bytes);
  if (!type) return std::nullopt;
  const AlgorithmBits* found = nullptr;
  for (const AlgorithmBits& a : kAlgorithms) {
    if (*type & a.bit) {
      if (found) return std::nullopt;  // two algorithms
      found = &a;
    }
  }
  if (!found || bytes.size() < found->size) return std::nullopt;
  StoredChecksum out;
  out.algorithm = found->algorithm;
  out.raw = std::string(bytes.substr(0, found->size));
  bytes.remove_prefix(found->size);
  if (*type & kTypeMultipart) {
    auto parts = read_uvarint(bytes);
    if (!parts || *parts > 10000) return std::nullopt;
    out.parts = static_cast<int>(*parts);
    // A composite checksum prints "-N"; a full-object one (CRC64NVME always) does not.
    out.full_object = (*type & kTypeFullObject) != 0 || (*type & kTypeCrc64Nvme) != 0;
    if (out.full_object) out.parts = 0;
  }
  return out;
}

std::string checksum_value(const StoredChecksum& checksum) {
  std::string value = base64_encode(checksum.raw);
  if (!checksum.full_object && checksum.parts > 0) value += "-" + std::to_string(checksum.parts);
  return value;
}

Status check_request_checksums(const HttpHeaders& headers) {
  std::optional<ChecksumAlgorithm> sent;
  int count = 0;
  for (const AlgorithmBits& a : kAlgorithms) {
    if (headers.has(checksum_header_name(a.algorithm))) {
      sent = a.algorithm;
      ++count;
    }
  }
  if (auto trailer = headers.get("x-amz-trailer")) {
    for (const std::string& part : split(*trailer, ',')) {
      std::string name = to_lower(trim(part));
      for (const AlgorithmBits& a : kAlgorithms) {
        if (name == checksum_header_name(a.algorithm)) {
          sent = a.algorithm;
          ++count;
        }
      }
    }
  }
  if (count > 1) {
    return Status(ErrorCode::kInvalidRequest,
                  "Expecting a single x-amz-checksum- header. Multiple checksum Types are not "
                  "allowed.");
  }
  auto sdk = headers.get("x-amz-sdk-checksum-algorithm");
  if (!sdk) return Status::ok();
  auto algorithm = parse_checksum_algorithm(trim(*sdk));
  if (!algorithm) {
    return Status(ErrorCode::kInvalidRequest,
                  "Value for x-amz-sdk-checksum-algorithm header is invalid.");
  }
  if (!sent || *sent != *algorithm) {
    return Status(ErrorCode::kInvalidRequest,
                  "x-amz-sdk-checksum-algorithm specified, but no corresponding x-amz-checksum-* "
                  "or x-amz-trailer headers were found.");
  }
  return Status::ok();
}

HttpHeaders checksum_response_headers(const auth::AuthResult& auth) {
  HttpHeaders headers;
  if (auth.checksums) {
    for (const auto& [name, value] : auth.checksums->values) headers.add(name, value);
  }
  return headers;
}

std::function<std::string()> checksum_to_store(const auth::AuthResult& auth) {
  std::shared_ptr<auth::PayloadChecksums> computed = auth.checksums;
  if (!computed) return {};
  return [computed]() -> std::string {
    for (const AlgorithmBits& a : kAlgorithms) {
      auto it = computed->values.find(checksum_header_name(a.algorithm));
      if (it == computed->values.end()) continue;
      auto raw = base64_decode(it->second);
      if (!raw || raw->size() != a.size) continue;
      return encode_stored_checksum(StoredChecksum{a.algorithm, std::move(raw).value(), 0, true});
    }
    return {};
  };
}

void add_checksum_headers(const HttpHeaders& request, const ObjectInfo& info, bool whole_object,
                          HttpHeaders& response) {
  if (!whole_object || info.checksum.empty()) return;
  auto mode = request.get("x-amz-checksum-mode");
  if (!mode || to_lower(trim(*mode)) != "enabled") return;
  auto checksum = decode_stored_checksum(info.checksum);
  if (!checksum) return;
  response.add(checksum_header_name(checksum->algorithm), checksum_value(*checksum));
  response.add("x-amz-checksum-type", checksum->full_object ? "FULL_OBJECT" : "COMPOSITE");
}

}  // namespace maxio::s3
