#pragma once
// The values S3Client (shared/s3/client.h) takes and returns: bucket and object metadata,
// listing pages, operation options and results. Plain data, except Payload and
// GetObjectResult, which refer to streams (see each). Every option member has an
// initializer, so designated initializers ({.prefix = "logs/"}) compile without warnings.

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "shared/http/client.h"
#include "shared/util/io.h"
#include "shared/util/status.h"
#include "shared/util/time.h"

namespace maxio::s3client {

struct BucketInfo {
  std::string name;
  Timestamp creation_date;
};

// An object's metadata as HeadObject or GetObject report it.
struct ObjectInfo {
  std::string key;
  uint64_t size = 0;  // the whole object, also for a ranged GET
  std::string etag;   // without quotes
  Timestamp last_modified;
  std::string content_type;
  std::string version_id;  // "" when the bucket is not versioned
  std::string storage_class;
  std::map<std::string, std::string> metadata;  // x-amz-meta-*: lower-case name without prefix
  http::Headers headers;                        // every response header, for anything else
};

// One entry of ListObjectsV2 or ListObjectVersions.
struct ObjectSummary {
  std::string key;
  uint64_t size = 0;
  std::string etag;  // without quotes
  Timestamp last_modified;
  std::string storage_class;
  // ListObjectVersions only.
  std::string version_id;
  bool is_latest = false;
  bool is_delete_marker = false;
};

struct ListObjectsOptions {
  std::string prefix = {};
  std::string delimiter = {};
  std::string continuation_token = {};  // the previous page's next_continuation_token
  std::string start_after = {};
  int max_keys = 0;  // 0: the server's default (1000)
};

struct ListObjectsResult {
  std::vector<ObjectSummary> objects;
  std::vector<std::string> common_prefixes;
  bool is_truncated = false;
  std::string next_continuation_token;
};

struct ListVersionsOptions {
  std::string prefix = {};
  std::string delimiter = {};
  std::string key_marker = {};  // the previous page's next_key_marker
  std::string version_id_marker = {};
  int max_keys = 0;  // 0: the server's default (1000)
};

struct ListVersionsResult {
  std::vector<ObjectSummary> versions;  // versions and delete markers, in listing order
  std::vector<std::string> common_prefixes;
  bool is_truncated = false;
  std::string next_key_marker;
  std::string next_version_id_marker;
};

// Bytes first..last of an object, both included; no `last`: to the end.
struct ByteRange {
  uint64_t first = 0;
  std::optional<uint64_t> last = {};
};

// GetObject and HeadObject: version, range and the If-* conditions (a failed condition is
// an error: kPreconditionFailed, or kNotModified for If-None-Match / If-Modified-Since).
struct GetObjectOptions {
  std::string version_id = {};
  std::optional<ByteRange> range = {};  // GetObject only
  std::string if_match = {};            // an ETag, quoted or not, or "*"
  std::string if_none_match = {};
  std::optional<Timestamp> if_modified_since = {};
  std::optional<Timestamp> if_unmodified_since = {};
  http::Headers extra_headers = {};
};

// A streamed object body. The body reader holds a pooled connection until it is read to
// its end or destroyed; read it from one thread at a time.
struct GetObjectResult {
  ObjectInfo info;
  uint64_t content_length = 0;  // bytes in this response (the range's length)
  std::unique_ptr<Reader> body;
};

// A request body streamed from `reader` (not owned; valid until the call returns): exactly
// `size` bytes are read. `rewind`, when set, moves the reader back to its first byte, which
// lets a failed attempt be retried after the body was (partly) sent.
struct Payload {
  Reader& reader;
  uint64_t size = 0;
  std::function<Status()> rewind = {};
};

struct PutObjectOptions {
  std::string content_type = {};
  std::map<std::string, std::string> metadata = {};  // sent as x-amz-meta-<name>
  http::Headers extra_headers = {};  // Cache-Control, Content-Disposition, x-amz-storage-class, ...
};

struct PutObjectResult {
  std::string etag;  // without quotes
  std::string version_id;
};

enum class MetadataDirective { kCopy, kReplace };

struct CopyObjectOptions {
  std::string source_version_id = {};
  // kCopy keeps the source's metadata; kReplace sets content_type and metadata instead.
  MetadataDirective metadata_directive = MetadataDirective::kCopy;
  std::string content_type = {};
  std::map<std::string, std::string> metadata = {};
  http::Headers extra_headers = {};  // x-amz-copy-source-if-match, ...
};

struct CopyObjectResult {
  std::string etag;  // without quotes
  Timestamp last_modified;
  std::string version_id;
  std::string source_version_id;
};

struct ObjectIdentifier {
  std::string key;
  std::string version_id;  // "" for the latest version
};

struct DeletedObject {
  std::string key;
  std::string version_id;
  bool delete_marker = false;
  std::string delete_marker_version_id;
};

// A key DeleteObjects could not delete, with the S3 error code the server gave.
struct DeleteFailure {
  std::string key;
  std::string version_id;
  std::string code;
  std::string message;
};

struct DeleteObjectsResult {
  std::vector<DeletedObject> deleted;  // empty in quiet mode
  std::vector<DeleteFailure> errors;
};

struct CompletedPart {
  int part_number = 0;
  std::string etag;  // as UploadPart returned it
};

struct CompleteMultipartUploadResult {
  std::string location;
  std::string bucket;
  std::string key;
  std::string etag;  // without quotes
  std::string version_id;
};

struct PartInfo {
  int part_number = 0;
  std::string etag;  // without quotes
  uint64_t size = 0;
  Timestamp last_modified;
};

struct ListPartsOptions {
  int max_parts = 0;           // 0: the server's default (1000)
  int part_number_marker = 0;  // list parts after this one
};

struct ListPartsResult {
  std::vector<PartInfo> parts;
  bool is_truncated = false;
  int next_part_number_marker = 0;
};

}  // namespace maxio::s3client
