#pragma once
// Time formats of HTTP and S3: RFC 1123 ("Mon, 02 Jan 2006 15:04:05 GMT"), ISO 8601 with
// milliseconds ("2006-01-02T15:04:05.000Z", S3 XML), and the SigV4 basic form
// ("20060102T150405Z"). All in UTC. Pure functions.

#include <chrono>
#include <string>
#include <string_view>

#include "shared/util/status.h"

namespace maxio {

using Timestamp = std::chrono::system_clock::time_point;

std::string format_rfc1123(Timestamp t);
std::string format_iso8601(Timestamp t);   // millisecond precision
std::string format_amz_date(Timestamp t);  // 20060102T150405Z
std::string format_amz_day(Timestamp t);   // 20060102

// HTTP dates: RFC 1123, RFC 850 and asctime forms. kMalformedDate on failure.
Result<Timestamp> parse_http_date(std::string_view s);
// 20060102T150405Z. kMalformedDate on failure.
Result<Timestamp> parse_amz_date(std::string_view s);
// 2006-01-02T15:04:05Z or with fractional seconds. kMalformedDate on failure.
Result<Timestamp> parse_iso8601(std::string_view s);

}  // namespace maxio
