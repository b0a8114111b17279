// UUIDs and random bytes from OpenSSL's CSPRNG.

#include "shared/util/uuid.h"

#include <openssl/rand.h>

#include <cstdlib>

namespace maxio {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool is_dash_position(size_t i) { return i == 8 || i == 13 || i == 18 || i == 23; }

}  // namespace

std::string random_bytes(size_t size) {
  std::string out(size, '\0');
  if (size == 0) return out;
  // RAND_bytes fails only when the CSPRNG cannot be seeded; continuing would hand out
  // predictable identifiers, so stop.
  if (RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(size)) != 1) {
    std::abort();
  }
  return out;
}

std::string new_uuid() {
  const std::string raw = random_bytes(16);
  std::array<uint8_t, 16> bytes;
  for (size_t i = 0; i < 16; ++i) bytes[i] = static_cast<uint8_t>(raw[i]);
  bytes[6] = static_cast<uint8_t>((bytes[6] & 0x0f) | 0x40);  // version 4
  bytes[8] = static_cast<uint8_t>((bytes[8] & 0x3f) | 0x80);  // RFC 4122 variant
  return format_uuid(bytes);
}

std::string format_uuid(const std::array<uint8_t, 16>& bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(36);
  for (size_t i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back('-');
    out.push_back(kHex[bytes[i] >> 4]);
    out.push_back(kHex[bytes[i] & 0x0f]);
  }
  return out;
}

Result<std::array<uint8_t, 16>> parse_uuid(std::string_view text) {
  if (text.size() != 36) return Status(ErrorCode::kInvalidArgument, "UUID must be 36 characters");
  std::array<uint8_t, 16> bytes{};
  size_t out = 0;
  for (size_t i = 0; i < text.size();) {
    if (is_dash_position(i)) {
      if (text[i] != '-') return Status(ErrorCode::kInvalidArgument, "UUID dash expected");
      ++i;
      continue;
    }
    const int hi = hex_value(text[i]);
    const int lo = hex_value(text[i + 1]);
    if (hi < 0 || lo < 0) return Status(ErrorCode::kInvalidArgument, "UUID hex digit expected");
    bytes[out++] = static_cast<uint8_t>((hi << 4) | lo);
    i += 2;
  }
  return bytes;
}

}  // namespace maxio
