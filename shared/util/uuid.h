#pragma once
// Random (version 4) UUIDs in their canonical lower-case text form, from OpenSSL's CSPRNG.

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "shared/util/status.h"

namespace maxio {

std::string new_uuid();  // "8f0c...-...."
// 16 raw bytes of a canonical UUID string; kInvalidArgument when malformed.
Result<std::array<uint8_t, 16>> parse_uuid(std::string_view text);
std::string format_uuid(const std::array<uint8_t, 16>& bytes);
// `size` random bytes (cryptographically strong).
std::string random_bytes(size_t size);

}  // namespace maxio
