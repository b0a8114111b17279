#pragma once
// Path and key mapping of maxio-mount: a mount of BUCKET/PREFIX shows the key PREFIX/a/b as
// the file /a/b and the key PREFIX/a/ (or any key below it) as the directory /a. Pure
// functions and an immutable KeyMapper; thread-safe.

#include <string>
#include <string_view>

#include "shared/util/status.h"

namespace maxio::fuse {

// The BUCKET[/PREFIX] argument of maxio-mount, split.
struct BucketPath {
  std::string bucket;
  std::string prefix;  // "" or "dir/sub/" (always ends with '/')
};

// kInvalidArgument for an empty bucket, a prefix with an empty, "." or ".." segment.
Result<BucketPath> parse_bucket_path(std::string_view arg);

class KeyMapper {
 public:
  // `prefix` is "" or ends with '/' (as parse_bucket_path gives it).
  explicit KeyMapper(std::string prefix) : prefix_(std::move(prefix)) {}

  const std::string& prefix() const { return prefix_; }

  // The object key of the regular file or symlink at `path` ("/a/b" -> PREFIX "a/b").
  // `path` is absolute and normalized, as FUSE passes it; "/" gives the prefix itself.
  std::string file_key(std::string_view path) const;
  // The key prefix of the directory at `path` ("/a" -> PREFIX "a/", "/" -> PREFIX): its
  // marker object's key, and the prefix that lists its entries.
  std::string dir_key(std::string_view path) const;
  // The mount path of a key below the prefix ("PREFIX a/b" -> "/a/b"; a trailing '/' is
  // dropped). "" when `key` is not below the prefix.
  std::string path_of(std::string_view key) const;

 private:
  std::string prefix_;
};

// The directory-entry name of a listing entry (an object key or a common prefix) in the
// listing of `dir_prefix`: "p/a" -> "a", "p/c/" -> "c". "" when the entry cannot be shown as
// a name in that directory: the directory's own marker, an empty, "." or ".." name, a name
// with a NUL, or one longer than 255 bytes.
std::string_view entry_name(std::string_view dir_prefix, std::string_view key_or_prefix);

// The parent directory of an absolute path ("/a/b" -> "/a", "/a" -> "/", "/" -> "/").
std::string_view parent_path(std::string_view path);

}  // namespace maxio::fuse
