#pragma once
// Byte encodings: lower-case hex and standard base64 (with padding). Pure functions.

#include <string>
#include <string_view>

#include "shared/util/status.h"

namespace maxio {

std::string hex_encode(std::string_view bytes);        // lower-case
Result<std::string> hex_decode(std::string_view hex);  // kInvalidArgument on bad input
std::string base64_encode(std::string_view bytes);
// Accepts padded standard base64; kInvalidArgument on bad input.
Result<std::string> base64_decode(std::string_view text);

}  // namespace maxio
