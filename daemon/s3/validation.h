#pragma once
// S3 name rules checked before a request reaches the object layer: bucket names (AWS's
// rules for new buckets) and object keys (AWS's length limit plus what MinIO refuses to
// store on a file system). Pure functions; thread-safe.

#include <string>
#include <string_view>

#include "daemon/storage/object_layer.h"
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

// A version id as a request names it (versionId, a copy source's ?versionId=,
// version-id-marker, DeleteObjects <VersionId>): empty (none), "null", or a UUID in its
// 8-4-4-4-12 hex form, which is what MinIO and Maxio write. Fails with kInvalidArgumentS3
// ("Invalid version id specified", as AWS and MinIO answer) otherwise.
Status validate_version_id(std::string_view version_id);

// The listing position a ListObjectsV2 continuation-token names (Maxio's tokens are the
// base64 of the last key or prefix returned). kInvalidArgumentS3 ("The continuation token
// provided is incorrect", as AWS says) when the token is empty, not base64, or does not
// decode to a key: UTF-8 without NUL, at most 1024 bytes.
Result<std::string> decode_continuation_token(std::string_view token);

// An x-amz-copy-source value, "[/]bucket/key[?versionId=v]" URL-encoded: the source
// object, and the version it names ("null" for the null version; empty for the latest).
// Errors: kInvalidArgumentS3 (AWS's messages), and those of the name validators.
struct CopySource {
  std::string bucket;
  std::string key;
  ObjectOptions options;
};
Result<CopySource> parse_copy_source(std::string_view source);

}  // namespace maxio::s3
