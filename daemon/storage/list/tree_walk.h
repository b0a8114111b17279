#pragma once
// TreeWalker: yields the object keys of one bucket on one drive in S3 byte order, reading
// one directory at a time (memory: the entries of the directories on the current path).
// An object "D" (D/xl.meta) sorts as "D", its sub-tree as "D/..."; "D__XLDIR__" is the
// directory marker object "D/". Data directories (a UUID-named child of an object directory
// holding only part.N files) are never walked, and a common prefix is returned only when an
// object exists below it. Not thread-safe; the drive must outlive the walker.

#include <cstdint>
#include <functional>
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
  int source = 0;    // which walker of a merge found it (MergedWalker's tag)
};

// A sorted stream of walk entries: one drive (TreeWalker) or a merge of several.
class KeyWalker {
 public:
  KeyWalker() = default;
  KeyWalker(const KeyWalker&) = delete;
  KeyWalker& operator=(const KeyWalker&) = delete;
  virtual ~KeyWalker() = default;
  // The next entry in order, std::nullopt at the end, or an error.
  virtual Result<std::optional<WalkEntry>> next() = 0;
};

// Whether an object the walker found counts as listed (false for a delete marker or an
// unreadable xl.meta). An error ends the walk with that error.
using WalkIsListedFn = std::function<Result<bool>(const WalkEntry&)>;

class TreeWalker final : public KeyWalker {
 public:
  // A common prefix is returned only if some object below it is listed per `is_listed`;
  // without it, every directory holding xl.meta counts.
  TreeWalker(StorageApi& drive, WalkOptions options, WalkIsListedFn is_listed = {});

  // The next entry in order, std::nullopt at the end, or a drive error (kVolumeNotFound
  // when the bucket is gone).
  Result<std::optional<WalkEntry>> next() override;

 private:
  enum class Kind { kObject, kDirectory };
  // One child of a directory being walked. Its drive path is derived from the frame's
  // (a directory of a million keys holds two million entries: no second string each).
  struct Entry {
    std::string sort_key;  // key of the object, or "dir/" for a directory
    Kind kind;
    bool dir_object = false;  // an object stored as "<name>__XLDIR__" (key ends with '/')
  };
  struct Frame {
    std::string path;            // drive path of the directory
    size_t key_prefix_size = 0;  // sort keys start with the directory's key prefix
    std::vector<Entry> entries;
    size_t next = 0;
  };
  static std::string entry_path(const Frame& frame, const Entry& entry);

  // Reads directory `path` (key prefix `key_prefix`) into a frame of the entries that can
  // still contribute given prefix and marker, sorted. Leaves out files and data directories.
  Result<Frame> read_frame(const std::string& path, const std::string& key_prefix);
  // Whether `name`, a UUID-named child of object directory `path`, is a data directory:
  // it holds nothing but part.N files (no xl.meta, no subdirectory), whether or not the
  // object's xl.meta references it. One list_dir.
  Result<bool> looks_like_data_dir(const std::string& path, const std::string& name);
  // Whether the object directory at drive path `path` holds xl.meta.
  Result<bool> has_xl_meta(const std::string& path);
  // Whether at least one object (per is_listed_) exists below directory `path`
  // (key prefix `key_prefix`, which the prefix and marker already admit). Walks the
  // sub-tree in sorted order and stops at the first object found.
  Result<bool> has_object_below(const std::string& path, const std::string& key_prefix);

  StorageApi& drive_;
  WalkOptions options_;
  WalkIsListedFn is_listed_;
  std::vector<Frame> stack_;
  bool started_ = false;
};

}  // namespace maxio
