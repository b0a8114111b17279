#pragma once
// POSIX attributes of maxio-mount entries and their encoding as object metadata, with the
// names s3fs uses (x-amz-meta-mode, -uid, -gid, -mtime), so a bucket written by s3fs looks the
// same through maxio-mount and the other way round. Plain data and pure functions.

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "shared/util/time.h"

namespace maxio::fuse {

enum class EntryKind { kFile, kDirectory, kSymlink };

// What getattr reports for one entry.
struct Attributes {
  EntryKind kind = EntryKind::kFile;
  uint64_t size = 0;
  uint32_t permissions = 0644;  // the 07777 bits of st_mode
  uint32_t uid = 0;
  uint32_t gid = 0;
  Timestamp mtime = {};
};

// What an entry without (or with partial) metadata shows, and the mount's overrides.
struct AttributeDefaults {
  uint32_t uid = 0;  // the mounting user, or -o uid=
  uint32_t gid = 0;
  uint32_t umask = 022;    // applied to every entry's permissions, as s3fs does
  bool force_uid = false;  // -o uid= given: every entry shows `uid`
  bool force_gid = false;
};

// The st_mode (type bits and permissions) of `attr`.
uint32_t st_mode_of(const Attributes& attr);

// Attributes of an object from its user metadata (names lower-case without the x-amz-meta-
// prefix, as S3Client returns them), size and Last-Modified. `is_dir_marker` is true for a
// key ending in '/'. A mode with S_IFLNK makes a symlink; a missing or unparsable value
// falls back to `defaults` (0755 for a directory, 0644 for a file, 0777 for a symlink) and
// Last-Modified. The umask applies to every entry but symlinks.
Attributes decode_attributes(const std::map<std::string, std::string>& metadata, uint64_t size,
                             Timestamp last_modified, bool is_dir_marker,
                             const AttributeDefaults& defaults);

// The metadata that stores `attr` (mode with its type bits, uid, gid, mtime in whole seconds
// since the epoch, as s3fs writes them).
std::map<std::string, std::string> encode_attributes(const Attributes& attr);

// Parses an x-amz-meta-mtime value: seconds, optionally with a fraction ("1700000000",
// "1700000000.5"). nullopt when malformed.
std::optional<Timestamp> parse_mtime(const std::string& value);

}  // namespace maxio::fuse
