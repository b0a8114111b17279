#pragma once
// ErasureSet: one erasure set (MinIO's erasureObjects): 1–16 drives, each object
// Reed–Solomon coded over all of them with per-object shard order, written with write
// quorum and read with read quorum, and healed shard by shard. Buckets exist on every
// drive of the set. Owned by the object layer over pools (server_pools.cc), which routes
// each key to its set; keys are validated there. Thread-safe; writes to one object are
// serialized by a striped lock table it owns.

#include <array>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <vector>

#include "daemon/storage/erasure/monitored_drive.h"
#include "daemon/storage/list/tree_walk.h"
#include "daemon/storage/object_layer.h"
#include "daemon/storage/xlmeta/file_info.h"
#include "shared/util/status.h"

namespace maxio {

class BitrotReader;
class ReedSolomon;

// MinIO's inline threshold: a version whose shard file is at most this many bytes is
// stored inside xl.meta.
inline constexpr int64_t kInlineBlock = 128 * 1024;
// Erasure block size: bytes read from the client per encode step.
inline constexpr int64_t kErasureBlockSize = 1 << 20;

enum class HealScanMode {
  kNormal,  // metadata agrees and every shard file is there with the right size
  kDeep,    // also read every shard and verify its bitrot hashes
};

struct HealObjectResult {
  std::vector<int> healed_drives;  // drives (set positions) that got xl.meta and shard back
  bool dangling_removed = false;   // remnants below read quorum were deleted
  std::optional<int64_t> size;     // the object\'s size, when it exists
};

// Queues bucket/key for healing (the MRF queue): a write that missed a drive, a read that
// found a bad shard.
using HealRequestFn = std::function<void(const std::string& bucket, const std::string& key)>;

struct ErasureSetConfig {
  int pool_index = 0;
  int set_index = 0;
  int standard_parity = 0;  // parity for STANDARD objects
  int rrs_parity = 0;       // parity for REDUCED_REDUNDANCY objects
};

class ErasureSet {
 public:
  ErasureSet(ErasureSetConfig config, std::vector<std::shared_ptr<MonitoredDrive>> drives,
             HealRequestFn request_heal);
  ~ErasureSet();
  ErasureSet(const ErasureSet&) = delete;
  ErasureSet& operator=(const ErasureSet&) = delete;

  const ErasureSetConfig& config() const { return config_; }
  const std::vector<std::shared_ptr<MonitoredDrive>>& drives() const { return drives_; }
  int online_drives() const;

  // Buckets on this set's drives. make_bucket: kBucketAlreadyOwnedByYou when it exists on
  // write quorum; stat_bucket: kNoSuchBucket unless half the drives have it.
  Status make_bucket(const std::string& bucket);
  Result<BucketInfo> stat_bucket(const std::string& bucket);
  Result<std::vector<BucketInfo>> list_buckets();
  // Removes the bucket (with its contents when force) from every reachable drive; the
  // caller checked emptiness across sets.
  Status delete_bucket(const std::string& bucket, bool force);
  // Whether any object is stored under `bucket` on this set.
  Result<bool> bucket_has_objects(const std::string& bucket);
  // Creates the bucket on drives that lack it when a quorum has it, removes it from drives
  // that still have it when a quorum does not.
  Status heal_bucket(const std::string& bucket);

  // Objects. `bucket` exists; `key` is valid. Same contracts as ObjectLayer.
  Result<ObjectInfo> put_object(const std::string& bucket, const std::string& key, Reader& data,
                                const PutObjectOptions& options);
  // version_id: "" the latest version, "null" the null version, else a version UUID; a
  // missing version is kNoSuchKey (the caller maps it to kNoSuchVersion). Delete markers
  // are returned, not refused (ObjectLayer's contract).
  Result<ObjectInfo> get_object_info(const std::string& bucket, const std::string& key,
                                     const std::string& version_id = "");
  Result<std::unique_ptr<ObjectReader>> open_object(const std::string& bucket,
                                                    const std::string& key,
                                                    const std::string& version_id = "");
  // ObjectLayer::update_object_metadata on this set (a missing version is kNoSuchKey).
  Result<ObjectInfo> update_object_metadata(const std::string& bucket, const std::string& key,
                                            const std::string& version_id,
                                            const MetadataMutation& mutate);
  // ObjectLayer::delete_object on this set: removes options.version_id (or, without one,
  // adds a delete marker when versioned/suspended, or removes the null version).
  Result<DeletedObject> delete_object(const std::string& bucket, const std::string& key,
                                      const ObjectOptions& options);

  // Listing: a merged walker over enough reachable drives that every object committed with
  // write quorum is on at least one of them.
  // Entries are tagged `tag`. all_drives: walk every reachable drive (the scanner).
  std::unique_ptr<KeyWalker> walker(const WalkOptions& options, WalkIsListedFn is_listed, int tag,
                                    bool all_drives);
  // The listed object at drive path `path` (key `key`) as read quorum sees it; nullopt
  // when it does not exist (or is a delete marker, or unreadable).
  Result<std::optional<ObjectInfo>> listed_object(const std::string& bucket,
                                                  const std::string& path, const std::string& key);
  // Every version (and delete marker) of the listed object at `path` that read quorum of
  // the drives holds, newest first, the first one latest; empty when there is none.
  Result<std::vector<ObjectInfo>> listed_versions(const std::string& bucket,
                                                  const std::string& path, const std::string& key);

  // Multipart uploads on this set (multipart.cc), in MinIO's layout under
  // .minio.sys/multipart. Same contracts as ObjectLayer; `bucket` exists and `key` is valid.
  // deployment_id goes into the upload ID as MinIO puts it there.
  Result<std::string> new_multipart_upload(const std::string& bucket, const std::string& key,
                                           const PutObjectOptions& options,
                                           const std::string& deployment_id);
  Result<PartInfo> put_object_part(const std::string& bucket, const std::string& key,
                                   const std::string& upload_id, int part_number, Reader& data,
                                   const PutObjectOptions& options);
  Result<ListPartsInfo> list_object_parts(const std::string& bucket, const std::string& key,
                                          const std::string& upload_id, int part_number_marker,
                                          int max_parts);
  // Every upload in `bucket` whose key starts with `prefix`, sorted by key then initiation.
  Result<std::vector<MultipartUpload>> list_uploads(const std::string& bucket,
                                                    const std::string& prefix,
                                                    const std::string& deployment_id);
  Status abort_multipart_upload(const std::string& bucket, const std::string& key,
                                const std::string& upload_id);
  Result<ObjectInfo> complete_multipart_upload(const std::string& bucket, const std::string& key,
                                               const std::string& upload_id,
                                               const std::vector<CompletePart>& parts,
                                               const PutObjectOptions& options);
  // Whether the upload exists here (routing between pools).
  Result<bool> has_upload(const std::string& bucket, const std::string& key,
                          const std::string& upload_id);
  // Removes uploads initiated before now - older_than from every drive; returns how many.
  Result<int> cleanup_stale_uploads(std::chrono::milliseconds older_than);

  // Rebuilds what drives lack or hold damaged for every version of bucket/key (its entry
  // in xl.meta and its shard; delete markers too), and removes dangling versions (on fewer
  // drives than read quorum, every other drive answering that it is missing).
  // kNoSuchKey when there is nothing.
  Result<HealObjectResult> heal_object(const std::string& bucket, const std::string& key,
                                       HealScanMode mode);

 private:
  struct Quorum;
  struct ShardSource;
  std::mutex& lock_for(const std::string& bucket, const std::string& path);
  // What every drive holds of version_id ("" = latest) and the version read quorum agrees
  // on; a missing version is kNoSuchKey in Quorum::status.
  Result<Quorum> read_quorum_metadata(const std::string& bucket, const std::string& path,
                                      const std::string& version_id, bool read_data);
  // The version IDs ("null" for the null version) any reachable drive holds for `path`.
  std::vector<std::string> version_ids_on_drives(const std::string& bucket,
                                                 const std::string& path);
  // heal_object for one version; clears healthy[d] for drives that lacked or had it wrong.
  // `known`: that version's quorum when already read (taken over), else read here.
  Status heal_version(const std::string& bucket, const std::string& key, const std::string& path,
                      const std::string& version_id, HealScanMode mode, HealObjectResult& result,
                      std::vector<bool>& healthy, Quorum* known = nullptr);
  int parity_for(const PutObjectOptions& options) const;
  // A commit cut short by a crash leaves drives split between two versions with no read
  // quorum. Takes the newest version whose shard files survive on enough drives (a drive
  // that moved on keeps the replaced version's data until the new one has quorum) and
  // writes its xl.meta back on them. Returns whether a version was restored.
  Result<bool> recover_cut_short_commit(const std::string& bucket, const std::string& path,
                                        Quorum& q);
  // Heals bucket/key when a read met `status`; returns whether a retry may now succeed.
  bool repair_on_read(const std::string& bucket, const std::string& key, const Status& status);
  // Readers of the shards of part `part_index` of version fi on the drives marked in `use`
  // (which must hold fi; their inline data is moved out of q, when given), indexed by shard;
  // null where a file is missing.
  std::vector<std::unique_ptr<BitrotReader>> open_shards(const std::string& bucket,
                                                         const std::string& path,
                                                         const FileInfo& fi, Quorum* q,
                                                         const std::vector<bool>& use,
                                                         size_t part_index = 0);
  Result<bool> shard_is_healthy(int drive, const FileInfo& fi, const std::string& bucket,
                                const std::string& path, HealScanMode mode);
  Result<bool> part_is_healthy(int drive, const FileInfo& fi, const std::string& bucket,
                               const std::string& path, HealScanMode mode, size_t index);

  ErasureSetConfig config_;
  std::vector<std::shared_ptr<MonitoredDrive>> drives_;
  HealRequestFn request_heal_;
  static constexpr size_t kLockStripes = 64;
  std::array<std::mutex, kLockStripes> locks_;
  // Serializes metadata changes of one multipart upload (part commits, complete, abort);
  // taken before an object's lock, never after.
  std::array<std::mutex, kLockStripes> upload_locks_;
  std::mutex& upload_lock_for(const std::string& upload_dir);
  // The upload in directory `dir` as read quorum sees it; kNoSuchUpload when it is gone.
  Result<FileInfo> read_upload(const std::string& dir, const std::string& upload_id);
  // Reads part.N.meta of `numbers` from the drives; nullopt for a part without read quorum.
  std::vector<std::optional<ObjectPartInfo>> read_part_metas(const std::string& part_dir,
                                                             const std::vector<int>& numbers,
                                                             int read_quorum);
  mutable std::mutex codecs_mu_;
  std::vector<std::shared_ptr<const ReedSolomon>> codecs_;  // by parity; guarded by codecs_mu_
  std::shared_ptr<const ReedSolomon> codec(int data, int parity);
};

// Metadata of one version as S3 shows it.
ObjectInfo file_info_to_object_info(const std::string& bucket, const std::string& key,
                                    const FileInfo& fi);

}  // namespace maxio
