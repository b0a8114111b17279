#pragma once
// The ObjectLayer over one erasure set of drives (MinIO's erasureObjects). Today a set must
// have exactly one drive (1 data block, 0 parity, 1 MiB blocks): multi-drive coding comes
// with the erasure engine. The returned layer owns its drives and is thread-safe; writes to
// one object are serialized by a striped lock table it owns.

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "daemon/storage/drive/storage_api.h"
#include "daemon/storage/object_layer.h"
#include "shared/util/status.h"

namespace maxio {

// MinIO's inline threshold (storage class inline block): a version whose shard file is at
// most this many bytes is stored inside xl.meta (unversioned buckets).
inline constexpr int64_t kInlineBlock = 128 * 1024;
// Erasure block size: bytes read from the client per encode step.
inline constexpr int64_t kErasureBlockSize = 1 << 20;

// Checks an object key as MinIO and the drive layout need: kInvalidObjectName when empty,
// starting with '/', holding "//", a "." or ".." segment, NUL, invalid UTF-8, a segment
// "xl.meta" or ending in "__XLDIR__"; kKeyTooLong above 1024 bytes or with a path segment
// over 255 bytes as stored.
Status validate_object_key(std::string_view key);

// put_object streams the body in kErasureBlockSize blocks; besides the ObjectLayer errors,
// a body longer than a known options.size fails with kContentLengthMismatch. Objects are
// unversioned: ObjectOptions::version_id must be "" or "null" (else kNoSuchVersion).
// Content-Type defaults to "binary/octet-stream" (AWS; MinIO says application/octet-stream).
//
// Opens the set over `drives` (in command-line order): reads each drive's
// .minio.sys/format.json, formatting blank drives, and creates .minio.sys/{tmp,multipart,
// buckets}. kNotImplemented for more than one drive; kCorruptedFormat for an unparsable
// format.json or one that describes a different layout (never overwritten).
Result<std::unique_ptr<ObjectLayer>> open_erasure_set(
    std::vector<std::unique_ptr<StorageApi>> drives);

}  // namespace maxio
