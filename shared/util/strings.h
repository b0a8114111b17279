#pragma once
// String helpers used across Maxio: ASCII case, trimming, splitting, and the URI
// encoding rules of AWS (SigV4 canonical form, S3 keys in listings). Pure functions.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "shared/util/status.h"

namespace maxio {

std::string to_lower(std::string_view s);              // ASCII only
bool iequals(std::string_view a, std::string_view b);  // ASCII case-insensitive
std::string_view trim(std::string_view s);             // strips spaces and tabs at both ends
// Splits on every `sep`; "a,,b" gives {"a", "", "b"}; "" gives {""}.
std::vector<std::string> split(std::string_view s, char sep);

// AWS URI encoding: keeps A-Z a-z 0-9 - _ . ~, encodes every other byte as %XX (upper-case
// hex); '/' is kept unless `encode_slash`.
std::string uri_encode(std::string_view s, bool encode_slash);
// Percent-decoding; '+' stays '+'. Fails with kInvalidArgument on a malformed escape.
Result<std::string> uri_decode(std::string_view s);
// Like uri_decode but '+' decodes to a space (application/x-www-form-urlencoded).
Result<std::string> form_decode(std::string_view s);

// Parses "a=1&b&c=%20" into decoded pairs in order ({"a","1"},{"b",""},{"c"," "}).
// Fails with kInvalidArgument on a malformed escape.
Result<std::vector<std::pair<std::string, std::string>>> parse_query(std::string_view raw);

bool is_valid_utf8(std::string_view s);

// Collapses runs of spaces to one and trims (SigV4 canonical header values).
std::string collapse_spaces(std::string_view s);

}  // namespace maxio
