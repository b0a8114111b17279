#pragma once
// TreeWalker: yields the object keys of one bucket on one drive in S3 byte order, reading
// one directory at a time (memory: the entries of the directories on the current path).
// An object "D" (D/xl.meta) sorts as "D", its sub-tree as "D/..."; "D__XLDIR__" is the
// directory marker object "D/". Not thread-safe; the drive must outlive the walker.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "daemon/storage/drive/storage_api.h"
#include "shared/util/status.h"

namespace maxio {

// Suffix of the path segment that stores a key ending in '/' (MinIO's globalDirSuffix).
inline constexpr std::string_view kDirObjectSuffix = "__XLDIR__";

// The drive path of object `key` ("a/b/" -> "a/b__XLDIR__"), and back.
std::string encode_dir_object(std::string_view key);
std::string decode_dir_object(std::string_view path);

struct WalkOptions {
  std::string volume;
  std::string prefix;  // only keys starting with prefix
  std::string marker;  // only keys (and prefixes) greater than marker
  // false: each directory below `prefix` is returned once as a prefix entry ("p/d/")
  // instead of being descended into (listing with delimiter "/").
  bool recursive = true;
};

struct WalkEntry {
  std::string key;  // object key, or a common prefix (ends with '/') when is_prefix
  bool is_prefix = false;
  std::string path;  // drive path of the object directory (objects only)
};

class TreeWalker {
 public:
  TreeWalker(StorageApi& drive, WalkOptions options);
  TreeWalker(const TreeWalker&) = delete;
  TreeWalker& operator=(const TreeWalker&) = delete;

  // The next entry in order, std::nullopt at the end, or a drive error (kVolumeNotFound
  // when the bucket is gone).
  Result<std::optional<WalkEntry>> next();

 private:
  enum class Kind { kObject, kDirectory };
  struct Entry {
    std::string sort_key;  // key of the object, or "dir/" for a directory
    Kind kind;
    std::string path;  // drive path
  };
  struct Frame {
    std::vector<Entry> entries;
    size_t next = 0;
  };

  // Reads directory `path` (key prefix `key_prefix`) into a frame of the entries that can
  // still contribute given prefix and marker, sorted.
  Result<Frame> read_frame(const std::string& path, const std::string& key_prefix);

  StorageApi& drive_;
  WalkOptions options_;
  std::vector<Frame> stack_;
  bool started_ = false;
};

}  // namespace maxio
