#pragma once
// The ObjectLayer over pools of erasure sets (MinIO's erasureServerPools + erasureSets):
// routes every key to one set of one pool, merges listings across sets and pools, keeps
// buckets on every drive, and runs the background work that keeps data whole: a drive
// prober (offline drives come back, blank replacements get their format back), the MRF
// queue (objects whose write missed a drive, or whose read found a bad shard) and the
// scanner that walks every set on a cycle and heals what it finds. The returned layer
// owns its drives and threads; thread-safe.

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "daemon/storage/drive/storage_api.h"
#include "daemon/storage/object_layer.h"
#include "shared/util/status.h"

namespace maxio {

// Checks an object key as MinIO and the drive layout need: kInvalidObjectName when empty,
// starting with '/', holding "//", a "." or ".." segment, NUL, invalid UTF-8, a segment
// "xl.meta" or ending in "__XLDIR__"; kKeyTooLong above 1024 bytes or with a path segment
// over 255 bytes as stored.
Status validate_object_key(std::string_view key);

// One erasure set over drives the caller opened (tests: in-memory or fault-injecting
// drives), formatted on first use; no background work. kCorruptedFormat when a drive holds
// a format of another layout.
Result<std::unique_ptr<ObjectLayer>> open_erasure_set(
    std::vector<std::unique_ptr<StorageApi>> drives);

}  // namespace maxio
