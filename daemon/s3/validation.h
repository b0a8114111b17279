#pragma once
// S3 name rules checked before a request reaches the object layer: bucket names (AWS's
// rules for new buckets) and object keys (AWS's length limit plus what MinIO refuses to
// store on a file system). Pure functions; thread-safe.

#include <string_view>

#include "shared/util/status.h"

namespace maxio::s3 {

// 3-63 characters of a-z 0-9 . -, starting and ending with a letter or digit, no "..",
// ".-" or "-.", not an IPv4 address, none of AWS's reserved prefixes and suffixes.
// Fails with kInvalidBucketName.
Status validate_bucket_name(std::string_view bucket);

// Fails with kKeyTooLong above 1024 bytes, kInvalidObjectName when empty, not UTF-8,
// containing NUL, "//", a "." or ".." segment, or starting with "/".
Status validate_object_key(std::string_view key);

// A listing prefix: like a key but may be empty; kInvalidObjectName otherwise.
Status validate_prefix(std::string_view prefix);

}  // namespace maxio::s3
