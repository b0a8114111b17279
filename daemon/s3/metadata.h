#pragma once
// Object metadata as HTTP headers carry it: which request headers PutObject, CopyObject
// (REPLACE) and POST object store, and which response headers GetObject/HeadObject send
// back. Pure functions; thread-safe.

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "daemon/http/exchange.h"
#include "daemon/storage/object_layer.h"
#include "shared/util/status.h"

namespace maxio::s3 {

// AWS's limit on user-defined metadata (x-amz-meta-* names and values), in bytes.
constexpr size_t kMaxUserMetadataSize = 2 * 1024;

// Whether `value` may be sent as a header field value: no control characters but tab (a CR
// or LF would end the header and start another).
bool is_field_value(std::string_view value);

// The metadata to store from request fields (header or form field names, any case):
// x-amz-meta-* (keys lower-cased, repeated fields joined with ","), Content-Type (default
// binary/octet-stream), Content-Encoding (without aws-chunked), Content-Disposition,
// Content-Language, Cache-Control, Expires, and x-amz-storage-class when not STANDARD.
// Errors: kMetadataTooLarge, kInvalidStorageClass.
Result<std::map<std::string, std::string>> extract_metadata(
    const std::vector<std::pair<std::string, std::string>>& fields);

// user_defined key of an object's tags: the URL-encoded tag set (xl.meta "X-Amz-Tagging").
constexpr std::string_view kTaggingKey = "x-amz-tagging";

// Stores the tags of an x-amz-tagging header (or POST form field) value into
// `user_defined` in the stored form (daemon/bucket/configs.h); none for an empty value.
// Errors: kInvalidTag.
Status set_tagging(std::string_view header, std::map<std::string, std::string>& user_defined);

// Content-MD5: base64 of 16 bytes (returned raw), nullopt when absent, else kInvalidDigest.
Result<std::optional<std::string>> content_md5(const HttpHeaders& headers);

// The conditional-write headers of a PUT or CompleteMultipartUpload into `options`:
// If-None-Match (only "*"; another value is kNotImplemented) and If-Match.
Status read_write_conditions(const HttpHeaders& headers, PutObjectOptions& options);

// Refuses headers of features Maxio does not have yet (server-side encryption, object lock)
// with kNotImplemented, rather than storing data without them.
Status check_unsupported_headers(const HttpHeaders& headers);

// The response headers for a stored object: Content-Type, the stored standard headers,
// x-amz-meta-*, ETag, Last-Modified, Accept-Ranges, x-amz-storage-class when not
// STANDARD, x-amz-tagging-count when tagged (never the tags themselves); Content-Length is the
// caller's. `overrides` are response-content-type style query parameters (name → value) that
// replace the stored value.
HttpHeaders object_headers(const ObjectInfo& info,
                           const std::map<std::string, std::string>& overrides);

}  // namespace maxio::s3
