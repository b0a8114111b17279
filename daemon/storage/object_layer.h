#pragma once
// ObjectLayer: the interface every S3 (and later admin) handler uses to reach stored data.
// Handlers never name a drive; an implementation spreads buckets and objects over drives,
// sets and pools (today: one erasure set, possibly of a single drive).
// All methods are blocking, thread-safe, and stream object bytes through Reader/Writer so
// memory per call stays bounded whatever the object size.

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "shared/util/io.h"
#include "shared/util/status.h"

namespace maxio {

using Timestamp = std::chrono::system_clock::time_point;

struct BucketInfo {
  std::string name;
  Timestamp created;
};

// Metadata of one object version as S3 exposes it.
struct ObjectInfo {
  std::string bucket;
  std::string name;
  std::string version_id;  // empty for the null version
  bool is_latest = true;
  bool delete_marker = false;
  Timestamp mod_time;
  uint64_t size = 0;
  std::string etag;           // hex MD5 (or "md5-N" for multipart), without quotes
  std::string content_type;   // also present in user_defined as "content-type"
  std::string storage_class;  // "STANDARD" unless set
  // Every stored HTTP-visible metadata entry, keys lower-case: "content-type",
  // "content-encoding", "content-disposition", "content-language", "cache-control",
  // "expires", and "x-amz-meta-*" user metadata.
  std::map<std::string, std::string> user_defined;
  // The S3 checksum stored with the version (x-amz-checksum-*), in MinIO's encoding (xl.meta
  // MetaSys "x-minio-internal-crc"); empty when none was stored.
  std::string checksum;
  // The parts the object was uploaded in, in order (one for a plain PUT); GetObject
  // ?partNumber=N reads part N's byte range.
  struct Part {
    int number = 1;
    uint64_t size = 0;
  };
  std::vector<Part> parts;
};

struct MakeBucketOptions {
  std::string location;  // region; empty means the server's region
};

struct PutObjectOptions {
  // Total size when known (Content-Length / x-amz-decoded-content-length), -1 otherwise.
  int64_t size = -1;
  // Metadata to store, keys lower-case, same shape as ObjectInfo::user_defined.
  std::map<std::string, std::string> user_defined;
  // If set, the MD5 (raw 16 bytes) the payload must have; a mismatch fails with kBadDigest
  // and nothing is committed.
  std::optional<std::string> expected_md5;
  // Preconditions on the current object, checked atomically with the commit.
  std::optional<std::string> if_match;  // ETag without quotes
  bool if_none_match_any = false;       // If-None-Match: *
  // Called once the whole payload has been read and verified, before the commit: the S3
  // checksum to store with the version (ObjectInfo::checksum's encoding), or "" for none.
  std::function<std::string()> checksum;
  // The bucket's versioning state for this request (MinIO's ObjectOptions.Versioned /
  // VersionSuspended), decided by the caller from bucket metadata. Enabled: the write adds
  // a version with a fresh UUID and keeps the others. Suspended or unversioned: it replaces
  // the null version only.
  bool versioned = false;
  bool version_suspended = false;
};

struct ObjectOptions {
  // "": the latest version; "null": the null version; else a version UUID.
  std::string version_id;
  // The bucket's versioning state, as in PutObjectOptions. A delete without version_id
  // adds a delete marker with a fresh UUID (versioned), replaces the null version with a
  // null delete marker (suspended), or removes the null version (neither).
  bool versioned = false;
  bool version_suspended = false;
};

// The payload of one object version, opened consistently with its metadata: an overwrite
// that commits while this reader is open does not change what it returns.
class ObjectReader : public Reader {
 public:
  virtual const ObjectInfo& info() const = 0;
  // Restricts the stream to [offset, offset + length) of the object; call before the first
  // read. Fails with kInvalidRange when the range is outside the object.
  virtual Status set_range(uint64_t offset, uint64_t length) = 0;
};

// See ObjectLayer::update_object_metadata: edits one version's user_defined map (keys
// lower-case, as in ObjectInfo) in place; an error refuses the update.
using MetadataMutation = std::function<Status(std::map<std::string, std::string>& user_defined)>;

// See ObjectLayer::copy_object.
using CopyPlan = std::function<Result<PutObjectOptions>(const ObjectInfo& source)>;

struct ListObjectsInfo {
  std::vector<ObjectInfo> objects;    // sorted by key (byte order)
  std::vector<std::string> prefixes;  // common prefixes, sorted
  bool is_truncated = false;
  std::string next_marker;  // the last key or prefix returned, when truncated
};

struct ListObjectVersionsInfo {
  std::vector<ObjectInfo> versions;  // sorted by key, then newest first
  std::vector<std::string> prefixes;
  bool is_truncated = false;
  std::string next_key_marker;
  std::string next_version_id_marker;
};

// One drive as the administrator sees it.
struct DriveStatus {
  std::string endpoint;
  std::string state;     // "online", "offline", "healing"
  std::string reason;    // why it is offline
  std::string drive_id;  // its UUID in format.json
  int pool_index = 0;
  int set_index = 0;
  int drive_index = 0;  // position in its set
  uint64_t total_bytes = 0;
  uint64_t free_bytes = 0;
  uint64_t used_bytes = 0;
  uint64_t healed_shards = 0;  // shards rebuilt onto this drive since start
};

// What healing has done since start.
struct HealingCounters {
  uint64_t objects_scanned = 0;
  uint64_t objects_healed = 0;       // objects with at least one shard rebuilt
  uint64_t objects_heal_failed = 0;  // heal attempts that ended in an error
  uint64_t dangling_removed = 0;
  uint64_t mrf_queued = 0;       // objects queued because a write or read missed a drive
  uint64_t mrf_pending = 0;      // still waiting in the queue
  uint64_t scanner_cycles = 0;   // complete cycles
  bool scanner_running = false;  // a cycle is in progress
};

// Objects and bytes of one bucket, as the last complete scanner cycle counted them.
struct BucketUsage {
  std::string bucket;
  uint64_t objects = 0;
  uint64_t bytes = 0;
};

struct StorageInfo {
  std::string deployment_id;
  int pools = 0;
  std::vector<int> sets_per_pool;
  std::vector<int> drives_per_set;  // per pool
  int standard_parity = 0;          // of the first pool's sets
  int rrs_parity = 0;
  std::vector<DriveStatus> drives;  // pool, set, position order
  HealingCounters healing;
  // Per bucket, from the last complete scanner cycle (empty before the first one).
  std::vector<BucketUsage> usage;
  std::optional<Timestamp> usage_updated;
};

struct HealSummary {
  uint64_t buckets = 0;
  uint64_t objects_scanned = 0;
  uint64_t objects_healed = 0;
  uint64_t objects_failed = 0;
  uint64_t dangling_removed = 0;
};

struct ObjectToDelete {
  std::string name;
  std::string version_id;
};

struct DeletedObject {
  std::string name;
  std::string version_id;
  bool delete_marker = false;
  std::string delete_marker_version_id;
};

// Multipart uploads (S3 CreateMultipartUpload ... CompleteMultipartUpload).
struct MultipartUpload {
  std::string bucket;
  std::string key;
  std::string upload_id;
  Timestamp initiated;
  std::string storage_class;  // "STANDARD" unless set
};

// One uploaded part.
struct PartInfo {
  int number = 0;
  std::string etag;  // hex MD5 of the part, without quotes
  uint64_t size = 0;
  Timestamp last_modified;
};

struct ListPartsInfo {
  MultipartUpload upload;
  std::vector<PartInfo> parts;  // ascending part number
  int part_number_marker = 0;
  int next_part_number_marker = 0;
  int max_parts = 1000;
  bool is_truncated = false;
  std::map<std::string, std::string> user_defined;  // the metadata given at creation
};

struct ListMultipartUploadsInfo {
  std::vector<MultipartUpload> uploads;  // by key, then initiation time
  std::vector<std::string> prefixes;     // common prefixes (with a delimiter), sorted
  bool is_truncated = false;
  std::string next_key_marker;
  std::string next_upload_id_marker;
};

// One entry of CompleteMultipartUpload's part list.
struct CompletePart {
  int number = 0;
  std::string etag;  // without quotes
};

// S3's multipart limits.
inline constexpr int kMaxPartNumber = 10000;
inline constexpr uint64_t kMinPartSize = uint64_t{5} << 20;  // every part but the last
inline constexpr uint64_t kMaxPartSize = uint64_t{5} << 30;

class ObjectLayer {
 public:
  ObjectLayer() = default;
  ObjectLayer(const ObjectLayer&) = delete;
  ObjectLayer& operator=(const ObjectLayer&) = delete;
  virtual ~ObjectLayer() = default;

  // Buckets. Names are validated by the caller (S3 rules); the layer still refuses names
  // that are not a single safe path segment.
  virtual Status make_bucket(const std::string& bucket, const MakeBucketOptions& options) = 0;
  virtual Result<BucketInfo> get_bucket_info(const std::string& bucket) = 0;
  virtual Result<std::vector<BucketInfo>> list_buckets() = 0;  // sorted by name
  // Fails with kBucketNotEmpty unless `force`.
  virtual Status delete_bucket(const std::string& bucket, bool force) = 0;

  // Objects. Writes are atomic: readers see the old version or the new one, never a mix,
  // also across a crash. Errors: kNoSuchBucket, kNoSuchKey, kInvalidObjectName, kBadDigest,
  // kIncompleteBody (reader ended before options.size), kPreconditionFailed, I/O errors.
  virtual Result<ObjectInfo> put_object(const std::string& bucket, const std::string& key,
                                        Reader& data, const PutObjectOptions& options) = 0;
  // options.version_id picks the version (kNoSuchVersion when the key has no such version).
  // A delete marker is no error here: get_object_info returns it (delete_marker set) and
  // open_object a reader of no bytes whose info() has it set; the caller answers 404/405.
  virtual Result<ObjectInfo> get_object_info(const std::string& bucket, const std::string& key,
                                             const ObjectOptions& options) = 0;
  virtual Result<std::unique_ptr<ObjectReader>> open_object(const std::string& bucket,
                                                            const std::string& key,
                                                            const ObjectOptions& options) = 0;
  // Copies the source version's bytes to the destination. The source is opened first and
  // `plan` is called once with its metadata, before any byte is written: it returns the
  // destination's options (the caller resolves COPY/REPLACE metadata there) or an error
  // that refuses the copy (copy-source conditions), so what is checked is exactly what is
  // copied, whatever overwrites the source meanwhile. Source and destination may be the
  // same object (a metadata rewrite).
  virtual Result<ObjectInfo> copy_object(const std::string& src_bucket, const std::string& src_key,
                                         const ObjectOptions& src_options,
                                         const std::string& dst_bucket, const std::string& dst_key,
                                         const CopyPlan& plan) = 0;
  // Rewrites the metadata of options.version_id ("" = latest) without touching its bytes or
  // mod time (tags, later retention and legal hold): under the object's lock, `mutate` is
  // called once with the version's user_defined ("etag" and internal keys are not in it
  // and stay as they are) and the result is written back to the drives holding that
  // version with write quorum. Returns the updated version. kNoSuchKey / kNoSuchVersion,
  // kMethodNotAllowed for a delete marker, or mutate's error (nothing is written).
  virtual Result<ObjectInfo> update_object_metadata(const std::string& bucket,
                                                    const std::string& key,
                                                    const ObjectOptions& options,
                                                    const MetadataMutation& mutate) {
    return Status(ErrorCode::kNotImplemented, bucket + "/" + key);
  }
  // Deleting a missing key or version succeeds (S3 semantics); kNoSuchBucket for a missing
  // bucket. With options.version_id, removes exactly that version (object or delete
  // marker, its data directory with it); the next newer one becomes the latest. Otherwise
  // see ObjectOptions. The result names the version removed or the delete marker added.
  virtual Result<DeletedObject> delete_object(const std::string& bucket, const std::string& key,
                                              const ObjectOptions& options) = 0;
  // One result per requested object, in request order; `versioning` carries the bucket's
  // versioning state (its version_id is ignored: each object names its own).
  virtual std::vector<Result<DeletedObject>> delete_objects(
      const std::string& bucket, const std::vector<ObjectToDelete>& objects,
      const ObjectOptions& versioning) = 0;

  // Multipart uploads, stored as MinIO stores them (.minio.sys/multipart/<sha256 of
  // "bucket/key">/<upload>/) on the set the completed object goes to; layers without them
  // answer kNotImplemented. Every call but
  // new_multipart_upload fails with kNoSuchUpload for an unknown (aborted, completed,
  // expired) upload ID; kNoSuchBucket for a missing bucket.
  // new_multipart_upload: options.user_defined is the object's metadata; returns the ID.
  virtual Result<std::string> new_multipart_upload(const std::string& bucket,
                                                   const std::string& key,
                                                   const PutObjectOptions& options) {
    return Status(ErrorCode::kNotImplemented, "multipart uploads");
  }
  // Stores part `part_number` (1..10000, kInvalidArgumentS3 otherwise), replacing an earlier
  // upload of the same number. Streams like put_object (options.size, expected_md5 honoured;
  // kEntityTooLarge above 5 GiB). Parts of one upload may be uploaded concurrently.
  virtual Result<PartInfo> put_object_part(const std::string& bucket, const std::string& key,
                                           const std::string& upload_id, int part_number,
                                           Reader& data, const PutObjectOptions& options) {
    return Status(ErrorCode::kNotImplemented, "multipart uploads");
  }
  // UploadPartCopy: opens the source, calls `plan` (copy-source conditions; its returned
  // options are ignored but for errors), and stores [offset, offset + length) of it (the
  // whole source when length < 0) as the part. kInvalidRange when the range is outside.
  virtual Result<PartInfo> copy_object_part(const std::string& src_bucket,
                                            const std::string& src_key,
                                            const ObjectOptions& src_options, int64_t offset,
                                            int64_t length, const std::string& bucket,
                                            const std::string& key, const std::string& upload_id,
                                            int part_number, const CopyPlan& plan) {
    return Status(ErrorCode::kNotImplemented, "multipart uploads");
  }
  // Parts with numbers above part_number_marker, at most max_parts of them.
  virtual Result<ListPartsInfo> list_object_parts(const std::string& bucket, const std::string& key,
                                                  const std::string& upload_id,
                                                  int part_number_marker, int max_parts) {
    return Status(ErrorCode::kNotImplemented, "multipart uploads");
  }
  // Uploads in progress under `prefix`, ordered by key then initiation; after
  // (key_marker, upload_id_marker) (upload_id_marker only counts with a key_marker).
  virtual Result<ListMultipartUploadsInfo> list_multipart_uploads(
      const std::string& bucket, const std::string& prefix, const std::string& key_marker,
      const std::string& upload_id_marker, const std::string& delimiter, int max_uploads) {
    return Status(ErrorCode::kNotImplemented, "multipart uploads");
  }
  // Removes the upload and every part of it.
  virtual Status abort_multipart_upload(const std::string& bucket, const std::string& key,
                                        const std::string& upload_id) {
    return Status(ErrorCode::kNotImplemented, "multipart uploads");
  }
  // Commits the listed parts as the object (atomically, as put_object). Errors:
  // kInvalidPartOrder (not ascending), kInvalidPart (missing or other ETag),
  // kEntityTooSmall (a part but the last under 5 MiB), kMalformedXML (no parts),
  // kPreconditionFailed (options.if_match / if_none_match_any). The upload is gone after
  // success; after an error it can be completed again.
  virtual Result<ObjectInfo> complete_multipart_upload(const std::string& bucket,
                                                       const std::string& key,
                                                       const std::string& upload_id,
                                                       const std::vector<CompletePart>& parts,
                                                       const PutObjectOptions& options) {
    return Status(ErrorCode::kNotImplemented, "multipart uploads");
  }
  // Removes uploads initiated more than `older_than` ago, on every set; returns how many.
  virtual Result<int> cleanup_stale_uploads(std::chrono::milliseconds older_than) {
    return Status(ErrorCode::kNotImplemented, "multipart uploads");
  }

  // Listing in byte order of keys. `marker` is exclusive (V1 marker, V2 start-after or
  // decoded continuation token). With a delimiter, keys sharing a prefix up to the first
  // delimiter after `prefix` collapse into one common prefix. max_keys counts objects plus
  // prefixes; 0 returns nothing. Memory is bounded whatever the bucket size.
  virtual Result<ListObjectsInfo> list_objects(const std::string& bucket, const std::string& prefix,
                                               const std::string& marker,
                                               const std::string& delimiter, int max_keys) = 0;
  // Every version and delete marker, by key then newest first. key_marker alone: keys
  // after it; with version_id_marker ("null" for the null version): the versions of
  // key_marker older than that one, then the keys after it. max_keys counts versions plus
  // prefixes. Memory is bounded by max_keys and the versions of one key.
  virtual Result<ListObjectVersionsInfo> list_object_versions(
      const std::string& bucket, const std::string& prefix, const std::string& key_marker,
      const std::string& version_id_marker, const std::string& delimiter, int max_keys) = 0;

  // Small system objects under .minio.sys/config/ (server configuration, IAM), stored and
  // healed like any object on the first pool. `path` is relative ("config.json",
  // "iam/users/alice.json") and validated like a key; read fails with kNoSuchKey.
  virtual Result<std::string> read_system_object(const std::string& path) = 0;
  virtual Status write_system_object(const std::string& path, std::string_view data) = 0;
  virtual Status delete_system_object(const std::string& path) = 0;
  // Paths under `prefix`, sorted.
  virtual Result<std::vector<std::string>> list_system_objects(const std::string& prefix) = 0;
  // The same under .minio.sys/buckets/ (bucket metadata, "<bucket>/.metadata.bin"). The
  // defaults, for layers that keep no bucket metadata, fail with kNotImplemented.
  virtual Result<std::string> read_bucket_system_object(const std::string& path) {
    return Status(ErrorCode::kNotImplemented, path);
  }
  virtual Status write_bucket_system_object(const std::string& path, std::string_view data) {
    return Status(ErrorCode::kNotImplemented, path);
  }
  virtual Status delete_bucket_system_object(const std::string& path) {
    return Status(ErrorCode::kNotImplemented, path);
  }

  // Administration: the drives and what healing has done (admin API, metrics, health).
  virtual StorageInfo storage_info() = 0;
  // Heals every bucket (bucket "") or one bucket, and its objects under `prefix`, now;
  // kDeep also reads every shard to verify its bitrot hashes. Returns what was done.
  virtual Result<HealSummary> heal(const std::string& bucket, const std::string& prefix,
                                   bool deep) = 0;
};

struct PoolLayout {
  std::vector<std::string> drive_paths;  // in command-line order
  int set_drive_count = 0;               // drives per erasure set; 0: all in one set
};

struct ObjectLayerOptions {
  // One entry per pool; a single drive is a one-drive pool ("xl-single").
  std::vector<PoolLayout> pools;
  // Parity of STANDARD and REDUCED_REDUNDANCY objects; -1: MinIO's default for the set size.
  int standard_parity = -1;
  int rrs_parity = -1;
  // Background work: how often the scanner starts a cycle over every set, and how often
  // drives are probed (offline ones reconnected, replaced ones re-formatted). Zero turns
  // the thread off.
  std::chrono::milliseconds scanner_interval = std::chrono::minutes(1);
  std::chrono::milliseconds probe_interval = std::chrono::seconds(5);
  // A drive with a call unanswered for this long is marked offline (checked by the prober).
  std::chrono::milliseconds drive_timeout = std::chrono::seconds(30);
  // Every scanner cycle with this number reads every shard (deep); 0: never.
  int deep_scan_every = 0;
  // Heal objects in the background as soon as a write or read finds a drive missing their
  // shard (the MRF queue). Tests that heal explicitly turn it off.
  bool heal_on_access = true;
  // Multipart uploads older than stale_uploads_expiry are removed every
  // stale_uploads_cleanup_interval (zero turns the sweep off).
  std::chrono::milliseconds stale_uploads_expiry = std::chrono::hours(24);
  std::chrono::milliseconds stale_uploads_cleanup_interval = std::chrono::hours(6);
  bool sync = true;  // fsync on commit (tests that write thousands of tiny objects turn it off)
};

// Opens (formatting fresh drives with .minio.sys/format.json when all are blank) the
// storage described by `options`, cleans leftovers of interrupted writes under
// .minio.sys/tmp, and returns the object layer. Fails with kCorruptedFormat or
// kUnformattedDrive when drives disagree or a drive holds a foreign format.
Result<std::unique_ptr<ObjectLayer>> open_object_layer(const ObjectLayerOptions& options);

}  // namespace maxio
