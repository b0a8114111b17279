#pragma once
// What a maxioctl path argument names: a local file or directory, or a remote
// ALIAS[/BUCKET[/KEY]]. An argument is remote when its first '/'-separated segment is a
// known alias (as in mc); anything else is a local path. Plain data and pure functions.

#include <functional>
#include <string>
#include <string_view>

#include "shared/util/status.h"

namespace maxio::cli {

struct Target {
  bool remote = false;
  std::string text;  // the argument as given

  // Local targets.
  std::string path;

  // Remote targets. `bucket` is "" for the alias alone; `key` is "" for a bucket, and keeps
  // a trailing '/' ("dir/" names a prefix).
  std::string alias;
  std::string bucket;
  std::string key;

  // "alias", "alias/bucket", "alias/bucket/key", or the local path.
  std::string display() const;
  // The same remote place with another key (display form of a listed object).
  Target with_key(std::string new_key) const;
  // The last path segment: the key's or path's base name, ignoring one trailing '/';
  // the bucket for a bucket target.
  std::string base_name() const;
  // A trailing '/' was given: the target names a directory or prefix.
  bool names_directory() const;
};

// Splits `arg` into a Target; `is_alias` says whether a name is a configured alias.
Target parse_target(std::string_view arg, const std::function<bool(std::string_view)>& is_alias);

// The first segment of `arg` (up to the first '/'): the alias a remote argument would name.
std::string first_segment(std::string_view arg);

// Joins a directory-like prefix and a relative name with exactly one '/' between them
// ("a/" + "b" -> "a/b", "" + "b" -> "b", "a" + "b" -> "a/b").
std::string join_key(std::string_view prefix, std::string_view name);

// A key (or relative name from a listing) as a relative local path: kInvalidArgument when
// a segment is empty, "." or "..", or holds a NUL, so that no key can escape the
// destination directory. Keys ending in '/' (directory markers) are rejected too.
Result<std::string> key_to_relative_path(std::string_view key);

}  // namespace maxio::cli
