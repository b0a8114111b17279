#pragma once
// XlMeta: the in-memory form of one object's xl.meta (MinIO's XL2 format, xlMetaV2): the
// list of versions, newest first, and the inline data of small versions.
// A value type; not thread-safe (callers serialize access per object).

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "daemon/storage/xlmeta/file_info.h"
#include "shared/util/status.h"

namespace maxio {

class XlMeta {
 public:
  XlMeta() = default;  // an empty xl.meta (no versions)

  // Parses an xl.meta file of any XL2 1.x minor version MinIO writes (1.0 to 1.3), verifying
  // its xxhash64 CRC (1.2+). kFileCorrupt (never a crash or exception) on malformed input.
  static Result<XlMeta> parse(std::string_view bytes);

  // Encodes as XL2 v1.3 (header version 3, meta version 3) with the CRC and inline data.
  std::string serialize() const;

  bool empty() const { return versions_.empty(); }
  size_t version_count() const { return versions_.size(); }

  // Adds a version built from fi (an object version, or a delete marker when fi.deleted);
  // replaces a version with the same version_id (empty or "null" = the null version). Keeps
  // versions sorted newest first by mod_time. Stores fi.data as this version's inline data
  // when fi.inline_data() or fi.data is non-empty. kInvalidArgument when fi is not a valid
  // version (bad UUIDs, zero mod_time, data_blocks < parity_blocks or data_blocks == 0).
  Status add_version(const FileInfo& fi);

  // version_id: "" = latest version; "null" = the null version; else a UUID.
  // kFileNotFound when there is no (non-free) version and version_id is "";
  // kFileVersionNotFound when the requested version does not exist. include_data copies
  // inline data into FileInfo::data. Fills volume/name from the arguments, is_latest,
  // num_versions and successor_mod_time.
  Result<FileInfo> file_info(const std::string& volume, const std::string& name,
                             const std::string& version_id, bool include_data) const;

  // Every version except tiering free-versions, newest first (a listing of versions).
  // Versions that cannot be decoded (legacy V1 objects) are left out.
  std::vector<FileInfo> versions(const std::string& volume, const std::string& name,
                                 bool include_data) const;

  // Removes the version version_id ("" or "null" = the null version) and its inline data.
  // Returns the data_dir it used when no remaining version references that data_dir (the
  // caller deletes the directory), else "" (also for delete markers and for versions whose
  // data was stored inline in this xl.meta).
  // kFileVersionNotFound when no such version exists.
  Result<std::string> delete_version(const std::string& version_id);

  // The raw inline data stored under key ("null" or a version UUID), if any.
  const std::string* inline_data(std::string_view key) const;

  // The XL2 minor version this was parsed from (3 for a fresh XlMeta).
  int parsed_minor_version() const { return parsed_minor_; }

 private:
  // xlMetaV2VersionHeader.
  struct Header {
    std::array<uint8_t, 16> version_id{};
    int64_t mod_time = 0;
    std::array<uint8_t, 4> signature{};
    uint8_t type = 0;
    uint8_t flags = 0;
    uint8_t ec_n = 0;
    uint8_t ec_m = 0;
    bool operator==(const Header&) const = default;
    bool sorts_before(const Header& o) const;
  };
  // A version: its header and its msgpack-encoded xlMetaV2Version.
  struct Version {
    Header header;
    std::string meta;
  };

  void sort_versions();
  void set_inline(const std::string& key, std::string value);
  bool remove_inline(const std::string& key);

  std::vector<Version> versions_;
  // xlMetaInlineData entries in stored order: key ("null" or version UUID) -> payload.
  std::vector<std::pair<std::string, std::string>> inline_;
  uint8_t meta_version_ = 3;
  int parsed_minor_ = 3;
};

}  // namespace maxio
