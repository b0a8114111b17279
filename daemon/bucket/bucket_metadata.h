#pragma once
// BucketMetadata: one bucket's configuration as MinIO stores it in
// .minio.sys/buckets/<bucket>/.metadata.bin — a 4-byte header (format 1, version 1, each a
// little-endian uint16) and a msgpack map keyed by MinIO's field names. Configurations are
// kept as the bytes the client sent (XML or JSON), so what is stored is what GET returns.
// Plain value type and pure functions; no thread-safety concerns.

#include <string>
#include <string_view>

#include "daemon/storage/object_layer.h"
#include "shared/util/status.h"

namespace maxio {

// A timestamp field left unset is Timestamp{} here and Go's zero time.Time on disk.
struct BucketMetadata {
  std::string name;
  Timestamp created;
  bool lock_enabled = false;  // MinIO's legacy flag; object lock now lives in object_lock_xml
  std::string policy_json;
  std::string notification_xml;
  std::string lifecycle_xml;
  std::string object_lock_xml;
  std::string versioning_xml;
  std::string encryption_xml;
  std::string tagging_xml;
  std::string quota_json;
  std::string replication_xml;
  std::string bucket_targets_json;
  std::string bucket_targets_meta_json;

  Timestamp policy_updated;
  Timestamp object_lock_updated;
  Timestamp encryption_updated;
  Timestamp tagging_updated;
  Timestamp quota_updated;
  Timestamp replication_updated;
  Timestamp versioning_updated;
  Timestamp lifecycle_updated;
  Timestamp notification_updated;
  Timestamp bucket_targets_updated;
  Timestamp bucket_targets_meta_updated;

  // Maxio's extension (MinIO keeps no bucket CORS): written as "CorsConfigXML" and
  // "CorsConfigUpdatedAt" only when set, so metadata without CORS is byte-for-byte MinIO's,
  // and MinIO skips the unknown keys when it reads ours.
  std::string cors_xml;
  Timestamp cors_updated;

  bool operator==(const BucketMetadata&) const = default;
};

// What MinIO writes for a bucket created with object lock (and so versioning) enabled.
inline constexpr std::string_view kObjectLockEnabledXml =
    "<ObjectLockConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
    "<ObjectLockEnabled>Enabled</ObjectLockEnabled></ObjectLockConfiguration>";
inline constexpr std::string_view kVersioningEnabledXml =
    "<VersioningConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
    "<Status>Enabled</Status></VersioningConfiguration>";

// The bytes of .metadata.bin: header then every field, in MinIO's order and encodings
// (map16 of 25 entries, 27 with CORS; bin for configurations, msgp time extension 5 for
// timestamps).
std::string encode_bucket_metadata(const BucketMetadata& metadata);

// Parses .metadata.bin. Unknown fields are skipped; missing ones keep their defaults.
// Fails with kFileCorrupt on a short buffer, an unknown format or version, or a value of
// the wrong type.
Result<BucketMetadata> decode_bucket_metadata(std::string_view data);

}  // namespace maxio
