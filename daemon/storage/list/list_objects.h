#pragma once
// S3 listing semantics over a TreeWalker: prefix, exclusive marker, delimiter (common
// prefixes), max_keys with is_truncated/next_marker. Stateless functions; memory is bounded
// by max_keys plus the walker's directory entries.

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "daemon/storage/drive/storage_api.h"
#include "daemon/storage/list/listing_cache.h"
#include "daemon/storage/list/tree_walk.h"
#include "daemon/storage/object_layer.h"
#include "shared/util/status.h"

namespace maxio {

// Builds the ObjectInfo of a listed object, or std::nullopt to leave it out (corrupt or
// vanished meanwhile).
using ListedObjectInfoFn = std::function<Result<std::optional<ObjectInfo>>(const WalkEntry&)>;

// Lists `bucket` on `drive` as ListObjects (V1/V2) does. A common prefix is returned only
// when it sorts after the marker, so a next_marker that is a prefix skips that prefix's
// keys, and only when `info` lists at least one object below it. max_keys < 0 means 1000;
// 0 returns an empty, untruncated result.
Result<ListObjectsInfo> list_objects_on_drive(StorageApi& drive, const std::string& bucket,
                                              const std::string& prefix, const std::string& marker,
                                              const std::string& delimiter, int max_keys,
                                              const ListedObjectInfoFn& info);

// Makes the walker to list from, given the walk options list_objects_from derives from
// its arguments and the is-listed test it needs for common prefixes.
using KeyWalkerFactory =
    std::function<Result<std::unique_ptr<KeyWalker>>(const WalkOptions&, WalkIsListedFn)>;

// The same over any walker (several drives and sets merged). With a cache, a page that
// ends truncated leaves its walk there for the next page, and a page whose marker ends
// such a walk continues it (see listing_cache.h); walkers `make_walker` makes must then
// not refer to anything that ends with this call.
Result<ListObjectsInfo> list_objects_from(const KeyWalkerFactory& make_walker,
                                          const std::string& bucket, const std::string& prefix,
                                          const std::string& marker, const std::string& delimiter,
                                          int max_keys, const ListedObjectInfoFn& info,
                                          ListingCache* cache = nullptr);

// The versions of one listed object (delete markers included), newest first; empty to
// leave the key out.
using ListedVersionsFn = std::function<Result<std::vector<ObjectInfo>>(const WalkEntry&)>;
// The versions of the key-marker object itself (it is not walked: the walk starts after it).
using MarkerVersionsFn = std::function<Result<std::vector<ObjectInfo>>()>;

// ListObjectVersions over any walker: every version of every key, by key then as
// `versions` orders them. key_marker alone: keys after it. With version_id_marker ("null"
// = the null version): first the versions of key_marker after that one (marker_versions),
// then the keys after it. max_keys (< 0: 1000) counts versions plus common prefixes; when
// truncated, next_key_marker / next_version_id_marker name the last entry returned
// ("null" for a null version, "" after a common prefix). Memory: max_keys entries plus the
// versions of one key.
Result<ListObjectVersionsInfo> list_object_versions_from(
    const KeyWalkerFactory& make_walker, const std::string& bucket, const std::string& prefix,
    const std::string& key_marker, const std::string& version_id_marker,
    const std::string& delimiter, int max_keys, const ListedVersionsFn& versions,
    const MarkerVersionsFn& marker_versions);

}  // namespace maxio
