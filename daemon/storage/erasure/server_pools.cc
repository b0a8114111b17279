#include "daemon/storage/erasure/server_pools.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <shared_mutex>
#include <thread>

#include "daemon/storage/drive/local_drive.h"
#include "daemon/storage/erasure/erasure_set.h"
#include "daemon/storage/erasure/format_quorum.h"
#include "daemon/storage/erasure/monitored_drive.h"
#include "daemon/storage/erasure/placement.h"
#include "daemon/storage/list/list_objects.h"
#include "daemon/storage/list/merge_walk.h"
#include "daemon/storage/list/tree_walk.h"
#include "daemon/storage/xlmeta/format.h"
#include "shared/util/log.h"
#include "shared/util/strings.h"
#include "shared/util/uuid.h"

namespace maxio {

namespace {

constexpr int64_t kMaxObjectSize = int64_t{5} << 40;  // 5 TiB, S3's limit
constexpr size_t kLockStripes = 64;
constexpr size_t kMrfCapacity = 100000;
constexpr std::string_view kSystemPrefix = "config/";         // system objects in .minio.sys
constexpr std::string_view kBucketSystemPrefix = "buckets/";  // bucket metadata in .minio.sys
constexpr size_t kMaxSystemObject = 16 << 20;

std::string meta_volume() { return std::string(kMinioMetaVolume); }

// A uniformly random number in [0, bound), bound > 0.
uint64_t random_below(uint64_t bound) {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  return std::uniform_int_distribution<uint64_t>(0, bound - 1)(rng);
}

Status check_bucket_name(const std::string& bucket) {
  if (!validate_path_segment(bucket).is_ok() || bucket == kMinioMetaVolume) {
    return Status(ErrorCode::kInvalidBucketName, bucket);
  }
  return Status::ok();
}

// "" (latest), "null" or a UUID; anything else names no version.
Status check_version_id(const std::string& version_id) {
  if (version_id.empty() || version_id == "null" || parse_uuid(version_id).is_ok()) {
    return Status::ok();
  }
  return Status(ErrorCode::kNoSuchVersion, "no version " + version_id);
}

// A read of a named version that finds nothing: the version does not exist.
Status version_error(const Status& st, const ObjectOptions& options) {
  if (st.code() == ErrorCode::kNoSuchKey && !options.version_id.empty()) {
    return Status(ErrorCode::kNoSuchVersion, st.message());
  }
  return st;
}

using UsageMap = std::map<std::string, BucketUsage>;

// Checks one drive: an offline drive whose format is back comes online; a drive found blank
// (replaced) gets its format back and is marked healing; a drive that vanished goes
// offline. Returns whether a rebuild is needed. May block as long as the drive does.
bool probe_drive(MonitoredDrive& drive, const FormatErasure& reference, bool sync);

// One drive's probe, run on a thread of its own so a hung drive stalls only itself. Shared
// with that thread, which may outlive the object layer.
struct ProbeTask {
  enum State { kIdle, kRunning, kDone };
  std::atomic<int> state{kIdle};
  std::atomic<bool> rebuilt{false};
};

struct Pool {
  FormatErasure reference;  // the format.json every drive of the pool should hold
  std::string deployment_id;
  std::string distribution_algo;
  std::vector<std::string> drive_paths;  // command-line order
  std::vector<std::unique_ptr<ErasureSet>> sets;
};

class ServerPools final : public ObjectLayer {
 public:
  explicit ServerPools(ObjectLayerOptions options) : options_(std::move(options)) {}

  ~ServerPools() override {
    {
      std::lock_guard<std::mutex> lock(bg_mu_);
      stopping_ = true;
    }
    bg_cv_.notify_all();
    for (auto& t : threads_) t.join();
  }

  // Opens every pool of local drives and starts the background threads.
  Status open() {
    for (size_t p = 0; p < options_.pools.size(); ++p) {
      const PoolLayout& layout = options_.pools[p];
      std::vector<std::shared_ptr<MonitoredDrive>> drives;
      for (const auto& path : layout.drive_paths) {
        auto drive = open_local_drive(path, LocalDriveOptions{.sync = options_.sync});
        if (drive) {
          drives.push_back(std::make_shared<MonitoredDrive>(path, std::move(*drive)));
        } else {
          log_warning("drive " + path + " is offline: " + drive.status().to_string());
          drives.push_back(
              std::make_shared<MonitoredDrive>(path, nullptr, drive.status().to_string()));
        }
      }
      int set_drive_count = layout.set_drive_count > 0
                                ? layout.set_drive_count
                                : static_cast<int>(layout.drive_paths.size());
      MAXIO_RETURN_IF_ERROR(
          add_pool(static_cast<int>(p), layout.drive_paths, std::move(drives), set_drive_count));
    }
    start_background();
    return Status::ok();
  }

  // Places drives the caller opened into one set (tests).
  Status open_single_set(std::vector<std::unique_ptr<StorageApi>> opened) {
    std::vector<std::shared_ptr<MonitoredDrive>> drives;
    std::vector<std::string> paths;
    for (auto& d : opened) {
      std::string endpoint = d->endpoint();
      paths.push_back(endpoint);
      drives.push_back(std::make_shared<MonitoredDrive>(endpoint, std::move(d)));
    }
    options_.pools = {PoolLayout{paths, static_cast<int>(paths.size())}};
    return add_pool(0, paths, std::move(drives), static_cast<int>(paths.size()));
  }

  // Buckets.

  Status make_bucket(const std::string& bucket, const MakeBucketOptions&) override {
    MAXIO_RETURN_IF_ERROR(check_bucket_name(bucket));
    bool first = true;
    for (auto* set : all_sets()) {
      Status st = set->make_bucket(bucket);
      if (st.code() == ErrorCode::kBucketAlreadyOwnedByYou) {
        if (first) return st;
        continue;  // a set that already had it (an earlier, interrupted attempt)
      }
      MAXIO_RETURN_IF_ERROR(st);
      first = false;
    }
    return Status::ok();
  }

  Result<BucketInfo> get_bucket_info(const std::string& bucket) override {
    MAXIO_RETURN_IF_ERROR(check_bucket_name(bucket));
    return first_set().stat_bucket(bucket);
  }

  Result<std::vector<BucketInfo>> list_buckets() override { return first_set().list_buckets(); }

  Status delete_bucket(const std::string& bucket, bool force) override {
    MAXIO_RETURN_IF_ERROR(check_bucket_name(bucket));
    // Exclusive: no object commits between the emptiness check and the removal.
    std::unique_lock<std::shared_mutex> bucket_lock(bucket_lock_for(bucket));
    MAXIO_TRY(BucketInfo info, first_set().stat_bucket(bucket));
    (void)info;
    if (!force) {
      for (auto* set : all_sets()) {
        MAXIO_TRY(bool has_objects, set->bucket_has_objects(bucket));
        if (has_objects) return Status(ErrorCode::kBucketNotEmpty, bucket);
      }
    }
    listing_cache_.drop_bucket(bucket);
    for (auto* set : all_sets()) MAXIO_RETURN_IF_ERROR(set->delete_bucket(bucket, force));
    return Status::ok();
  }

  // Objects.

  Result<ObjectInfo> put_object(const std::string& bucket, const std::string& key, Reader& data,
                                const PutObjectOptions& options) override {
    MAXIO_RETURN_IF_ERROR(check_bucket_name(bucket));
    MAXIO_RETURN_IF_ERROR(validate_object_key(key));
    if (options.size > kMaxObjectSize) {
      return Status(ErrorCode::kEntityTooLarge, "object larger than 5 TiB");
    }
    std::shared_lock<std::shared_mutex> bucket_lock(bucket_lock_for(bucket));
    MAXIO_RETURN_IF_ERROR(bucket_exists(bucket));
    MAXIO_TRY(ErasureSet * set, set_for_write(bucket, key, options.size));
    return set->put_object(bucket, key, data, options);
  }

  Result<ObjectInfo> get_object_info(const std::string& bucket, const std::string& key,
                                     const ObjectOptions& options) override {
    MAXIO_RETURN_IF_ERROR(check_object_args(bucket, key, options));
    MAXIO_TRY(ErasureSet * set, set_for_read(bucket, key));
    auto info = set->get_object_info(bucket, key, options.version_id);
    if (!info) return version_error(info.status(), options);
    return info;
  }

  Result<std::unique_ptr<ObjectReader>> open_object(const std::string& bucket,
                                                    const std::string& key,
                                                    const ObjectOptions& options) override {
    MAXIO_RETURN_IF_ERROR(check_object_args(bucket, key, options));
    MAXIO_TRY(ErasureSet * set, set_for_read(bucket, key));
    auto reader = set->open_object(bucket, key, options.version_id);
    if (!reader) return version_error(reader.status(), options);
    return reader;
  }

  Result<ObjectInfo> copy_object(const std::string& src_bucket, const std::string& src_key,
                                 const ObjectOptions& src_options, const std::string& dst_bucket,
                                 const std::string& dst_key, const CopyPlan& plan) override {
    // The source stays readable while the destination commits: it streams from shard files
    // already open, so src == dst is a plain rewrite.
    MAXIO_TRY(std::unique_ptr<ObjectReader> source, open_object(src_bucket, src_key, src_options));
    if (source->info().delete_marker) {
      if (src_options.version_id.empty()) {
        return Status(ErrorCode::kNoSuchKey, src_bucket + "/" + src_key);
      }
      return Status(ErrorCode::kInvalidRequest,
                    "The source of a copy request may not specifically refer to a delete marker "
                    "by version id.");
    }
    MAXIO_TRY(PutObjectOptions put, plan(source->info()));
    put.size = static_cast<int64_t>(source->info().size);
    return put_object(dst_bucket, dst_key, *source, put);
  }

  Result<ObjectInfo> update_object_metadata(const std::string& bucket, const std::string& key,
                                            const ObjectOptions& options,
                                            const MetadataMutation& mutate) override {
    MAXIO_RETURN_IF_ERROR(check_object_args(bucket, key, options));
    std::shared_lock<std::shared_mutex> bucket_lock(bucket_lock_for(bucket));
    MAXIO_RETURN_IF_ERROR(bucket_exists(bucket));
    MAXIO_TRY(ErasureSet * set, set_for_read(bucket, key));
    auto info = set->update_object_metadata(bucket, key, options.version_id, mutate);
    if (!info) return version_error(info.status(), options);
    return info;
  }

  Result<DeletedObject> delete_object(const std::string& bucket, const std::string& key,
                                      const ObjectOptions& options) override {
    MAXIO_RETURN_IF_ERROR(check_object_args(bucket, key, options));
    std::shared_lock<std::shared_mutex> bucket_lock(bucket_lock_for(bucket));
    MAXIO_RETURN_IF_ERROR(bucket_exists(bucket));
    if (!options.version_id.empty()) {
      // That version lives where the key does.
      MAXIO_TRY(ErasureSet * set, set_for_read(bucket, key));
      return set->delete_object(bucket, key, options);
    }
    if (options.versioned || options.version_suspended) {
      // A delete marker joins the key's other versions (or starts a key of its own).
      MAXIO_TRY(ErasureSet * set, set_for_write(bucket, key, 0));
      return set->delete_object(bucket, key, options);
    }
    DeletedObject deleted;
    for (auto& pool : pools_) {
      MAXIO_TRY(deleted, set_in_pool(pool, key).delete_object(bucket, key, options));
    }
    return deleted;
  }

  std::vector<Result<DeletedObject>> delete_objects(const std::string& bucket,
                                                    const std::vector<ObjectToDelete>& objects,
                                                    const ObjectOptions& versioning) override {
    std::vector<Result<DeletedObject>> results;
    results.reserve(objects.size());
    for (const auto& o : objects) {
      ObjectOptions options = versioning;
      options.version_id = o.version_id;
      results.push_back(delete_object(bucket, o.name, options));
    }
    return results;
  }

  // Multipart uploads: created on the set the object goes to, found there again by ID.

  Result<std::string> new_multipart_upload(const std::string& bucket, const std::string& key,
                                           const PutObjectOptions& options) override {
    MAXIO_RETURN_IF_ERROR(check_bucket_name(bucket));
    MAXIO_RETURN_IF_ERROR(validate_object_key(key));
    std::shared_lock<std::shared_mutex> bucket_lock(bucket_lock_for(bucket));
    MAXIO_RETURN_IF_ERROR(bucket_exists(bucket));
    MAXIO_TRY(ErasureSet * set, set_for_write(bucket, key, -1));
    return set->new_multipart_upload(bucket, key, options, deployment_id_of(*set));
  }

  Result<PartInfo> put_object_part(const std::string& bucket, const std::string& key,
                                   const std::string& upload_id, int part_number, Reader& data,
                                   const PutObjectOptions& options) override {
    MAXIO_RETURN_IF_ERROR(check_part_number(part_number));
    if (options.size > static_cast<int64_t>(kMaxPartSize)) {
      return Status(ErrorCode::kEntityTooLarge, "part larger than 5 GiB");
    }
    MAXIO_TRY(ErasureSet * set, set_for_upload(bucket, key, upload_id));
    return set->put_object_part(bucket, key, upload_id, part_number, data, options);
  }

  Result<PartInfo> copy_object_part(const std::string& src_bucket, const std::string& src_key,
                                    const ObjectOptions& src_options, int64_t offset,
                                    int64_t length, const std::string& bucket,
                                    const std::string& key, const std::string& upload_id,
                                    int part_number, const CopyPlan& plan) override {
    MAXIO_RETURN_IF_ERROR(check_part_number(part_number));
    MAXIO_TRY(ErasureSet * set, set_for_upload(bucket, key, upload_id));
    MAXIO_TRY(std::unique_ptr<ObjectReader> source, open_object(src_bucket, src_key, src_options));
    MAXIO_RETURN_IF_ERROR(plan(source->info()).status());
    const uint64_t size = source->info().size;
    PutObjectOptions put;
    if (length >= 0) {
      if (offset < 0 || static_cast<uint64_t>(offset) >= size ||
          static_cast<uint64_t>(length) > size - static_cast<uint64_t>(offset)) {
        return Status(ErrorCode::kInvalidRange, "copy source range outside the object");
      }
      MAXIO_RETURN_IF_ERROR(
          source->set_range(static_cast<uint64_t>(offset), static_cast<uint64_t>(length)));
      put.size = length;
    } else {
      put.size = static_cast<int64_t>(size);
    }
    if (put.size > static_cast<int64_t>(kMaxPartSize)) {
      return Status(ErrorCode::kEntityTooLarge, "part larger than 5 GiB");
    }
    return set->put_object_part(bucket, key, upload_id, part_number, *source, put);
  }

  Result<ListPartsInfo> list_object_parts(const std::string& bucket, const std::string& key,
                                          const std::string& upload_id, int part_number_marker,
                                          int max_parts) override {
    MAXIO_TRY(ErasureSet * set, set_for_upload(bucket, key, upload_id));
    return set->list_object_parts(bucket, key, upload_id, part_number_marker, max_parts);
  }

  Result<ListMultipartUploadsInfo> list_multipart_uploads(
      const std::string& bucket, const std::string& prefix, const std::string& key_marker,
      const std::string& upload_id_marker, const std::string& delimiter, int max_uploads) override {
    MAXIO_RETURN_IF_ERROR(check_bucket_name(bucket));
    MAXIO_RETURN_IF_ERROR(bucket_exists(bucket));
    std::vector<MultipartUpload> all;
    for (auto& pool : pools_) {
      for (auto& set : pool.sets) {
        MAXIO_TRY(auto uploads, set->list_uploads(bucket, prefix, pool.deployment_id));
        for (auto& u : uploads) all.push_back(std::move(u));
      }
    }
    std::stable_sort(all.begin(), all.end(),
                     [](const MultipartUpload& a, const MultipartUpload& b) {
                       if (a.key != b.key) return a.key < b.key;
                       return a.initiated < b.initiated;
                     });
    ListMultipartUploadsInfo out;
    bool after_marker = key_marker.empty();
    int count = 0;
    for (size_t i = 0; i < all.size(); ++i) {
      const MultipartUpload& u = all[i];
      if (!after_marker) {
        if (u.key < key_marker) continue;
        if (u.key == key_marker) {
          // Uploads of the marker key after upload_id_marker (none without one).
          if (upload_id_marker.empty()) continue;
          bool seen = false;
          for (size_t j = 0; j <= i && !seen; ++j) {
            seen = all[j].key == key_marker && all[j].upload_id == upload_id_marker;
          }
          if (!seen || u.upload_id == upload_id_marker) continue;
        }
        after_marker = true;
      }
      if (!delimiter.empty()) {
        auto at = u.key.find(delimiter, prefix.size());
        if (at != std::string::npos) {
          std::string common = u.key.substr(0, at + delimiter.size());
          if (!key_marker.empty() && common <= key_marker) continue;
          if (!out.prefixes.empty() && out.prefixes.back() == common) continue;
          if (count == max_uploads) {
            out.is_truncated = true;
            break;
          }
          out.prefixes.push_back(common);
          out.next_key_marker = common;
          out.next_upload_id_marker.clear();
          ++count;
          continue;
        }
      }
      if (count == max_uploads) {
        out.is_truncated = true;
        break;
      }
      out.uploads.push_back(u);
      out.next_key_marker = u.key;
      out.next_upload_id_marker = u.upload_id;
      ++count;
    }
    if (!out.is_truncated) {
      out.next_key_marker.clear();
      out.next_upload_id_marker.clear();
    }
    return out;
  }

  Status abort_multipart_upload(const std::string& bucket, const std::string& key,
                                const std::string& upload_id) override {
    MAXIO_TRY(ErasureSet * set, set_for_upload(bucket, key, upload_id));
    return set->abort_multipart_upload(bucket, key, upload_id);
  }

  Result<ObjectInfo> complete_multipart_upload(const std::string& bucket, const std::string& key,
                                               const std::string& upload_id,
                                               const std::vector<CompletePart>& parts,
                                               const PutObjectOptions& options) override {
    MAXIO_TRY(ErasureSet * set, set_for_upload(bucket, key, upload_id));
    std::shared_lock<std::shared_mutex> bucket_lock(bucket_lock_for(bucket));
    MAXIO_RETURN_IF_ERROR(bucket_exists(bucket));
    return set->complete_multipart_upload(bucket, key, upload_id, parts, options);
  }

  Result<int> cleanup_stale_uploads(std::chrono::milliseconds older_than) override {
    int removed = 0;
    for (auto* set : all_sets()) {
      MAXIO_TRY(int n, set->cleanup_stale_uploads(older_than));
      removed += n;
    }
    return removed;
  }

  // Listing.

  Result<ListObjectsInfo> list_objects(const std::string& bucket, const std::string& prefix,
                                       const std::string& marker, const std::string& delimiter,
                                       int max_keys) override {
    MAXIO_RETURN_IF_ERROR(check_bucket_name(bucket));
    MAXIO_RETURN_IF_ERROR(bucket_exists(bucket));
    std::vector<ErasureSet*> sets = all_sets();
    auto info = [&](const WalkEntry& entry) -> Result<std::optional<ObjectInfo>> {
      return sets[entry.source]->listed_object(bucket, entry.path, entry.key);
    };
    auto make_walker = [&](const WalkOptions& walk,
                           WalkIsListedFn is_listed) -> Result<std::unique_ptr<KeyWalker>> {
      if (sets.size() == 1) return sets[0]->walker(walk, std::move(is_listed), 0, false);
      auto merged = std::make_unique<MergedWalker>(/*tolerate_errors=*/false);
      for (size_t i = 0; i < sets.size(); ++i) {
        merged->add(sets[i]->walker(walk, is_listed, static_cast<int>(i), false),
                    static_cast<int>(i));
      }
      return std::unique_ptr<KeyWalker>(std::move(merged));
    };
    return list_objects_from(make_walker, bucket, prefix, marker, delimiter, max_keys, info,
                             &listing_cache_);
  }

  Result<ListObjectVersionsInfo> list_object_versions(
      const std::string& bucket, const std::string& prefix, const std::string& key_marker,
      const std::string& version_id_marker, const std::string& delimiter, int max_keys) override {
    if (!version_id_marker.empty() && key_marker.empty()) {
      return Status(ErrorCode::kInvalidArgumentS3,
                    "A version-id marker cannot be specified without a key marker.");
    }
    MAXIO_RETURN_IF_ERROR(check_bucket_name(bucket));
    MAXIO_RETURN_IF_ERROR(bucket_exists(bucket));
    std::vector<ErasureSet*> sets = all_sets();
    auto versions = [&](const WalkEntry& entry) -> Result<std::vector<ObjectInfo>> {
      return sets[entry.source]->listed_versions(bucket, entry.path, entry.key);
    };
    auto marker_versions = [&]() -> Result<std::vector<ObjectInfo>> {
      if (!validate_object_key(key_marker).is_ok()) return std::vector<ObjectInfo>();
      MAXIO_TRY(ErasureSet * set, set_for_read(bucket, key_marker));
      return set->listed_versions(bucket, encode_dir_object(key_marker), key_marker);
    };
    auto make_walker = [&](const WalkOptions& walk,
                           WalkIsListedFn is_listed) -> Result<std::unique_ptr<KeyWalker>> {
      if (sets.size() == 1) return sets[0]->walker(walk, std::move(is_listed), 0, false);
      auto merged = std::make_unique<MergedWalker>(/*tolerate_errors=*/false);
      for (size_t i = 0; i < sets.size(); ++i) {
        merged->add(sets[i]->walker(walk, is_listed, static_cast<int>(i), false),
                    static_cast<int>(i));
      }
      return std::unique_ptr<KeyWalker>(std::move(merged));
    };
    return list_object_versions_from(make_walker, bucket, prefix, key_marker, version_id_marker,
                                     delimiter, max_keys, versions, marker_versions);
  }

  // System objects.

  Result<std::string> read_system_object(const std::string& path) override {
    MAXIO_TRY(std::string key, system_key(path));
    return read_meta_object(key);
  }

  Status write_system_object(const std::string& path, std::string_view data) override {
    MAXIO_TRY(std::string key, system_key(path));
    return write_meta_object(key, path, data);
  }

  Status delete_system_object(const std::string& path) override {
    MAXIO_TRY(std::string key, system_key(path));
    return system_set(key).delete_object(meta_volume(), key, ObjectOptions{}).status();
  }

  Result<std::string> read_bucket_system_object(const std::string& path) override {
    MAXIO_TRY(std::string key, system_key(path, kBucketSystemPrefix));
    return read_meta_object(key);
  }

  Status write_bucket_system_object(const std::string& path, std::string_view data) override {
    MAXIO_TRY(std::string key, system_key(path, kBucketSystemPrefix));
    return write_meta_object(key, path, data);
  }

  Status delete_bucket_system_object(const std::string& path) override {
    MAXIO_TRY(std::string key, system_key(path, kBucketSystemPrefix));
    return system_set(key).delete_object(meta_volume(), key, ObjectOptions{}).status();
  }

  Result<std::string> read_meta_object(const std::string& key) {
    MAXIO_TRY(auto reader, system_set(key).open_object(meta_volume(), key));
    if (reader->info().delete_marker) return Status(ErrorCode::kNoSuchKey, key);
    return read_all(*reader, kMaxSystemObject);
  }

  Status write_meta_object(const std::string& key, const std::string& path, std::string_view data) {
    if (data.size() > kMaxSystemObject) {
      return Status(ErrorCode::kEntityTooLarge, "system object " + path + " too large");
    }
    StringReader reader(data);
    PutObjectOptions options;
    options.size = static_cast<int64_t>(data.size());
    options.user_defined["content-type"] = "application/octet-stream";
    return system_set(key).put_object(meta_volume(), key, reader, options).status();
  }

  Result<std::vector<std::string>> list_system_objects(const std::string& prefix) override {
    std::vector<std::string> out;
    const std::string full = std::string(kSystemPrefix) + prefix;
    Pool& pool = pools_.front();
    auto merged = std::make_unique<MergedWalker>(/*tolerate_errors=*/false);
    for (size_t i = 0; i < pool.sets.size(); ++i) {
      merged->add(pool.sets[i]->walker(WalkOptions{meta_volume(), full, "", true}, {},
                                       static_cast<int>(i), false),
                  static_cast<int>(i));
    }
    while (true) {
      MAXIO_TRY(std::optional<WalkEntry> entry, merged->next());
      if (!entry) break;
      MAXIO_TRY(auto listed,
                pool.sets[entry->source]->listed_object(meta_volume(), entry->path, entry->key));
      if (listed) out.push_back(entry->key.substr(kSystemPrefix.size()));
    }
    return out;
  }

  // Administration.

  StorageInfo storage_info() override {
    StorageInfo info;
    info.deployment_id = pools_.empty() ? "" : pools_[0].deployment_id;
    info.pools = static_cast<int>(pools_.size());
    for (size_t p = 0; p < pools_.size(); ++p) {
      const Pool& pool = pools_[p];
      info.sets_per_pool.push_back(static_cast<int>(pool.sets.size()));
      info.drives_per_set.push_back(
          pool.sets.empty() ? 0 : static_cast<int>(pool.sets[0]->drives().size()));
      for (size_t s = 0; s < pool.sets.size(); ++s) {
        const auto& drives = pool.sets[s]->drives();
        for (size_t d = 0; d < drives.size(); ++d) {
          DriveStatus ds;
          ds.endpoint = drives[d]->endpoint();
          ds.state = drive_state_name(drives[d]->state());
          ds.reason = drives[d]->offline_reason();
          ds.drive_id = drives[d]->drive_id();
          ds.pool_index = static_cast<int>(p);
          ds.set_index = static_cast<int>(s);
          ds.drive_index = static_cast<int>(d);
          if (auto di = drives[d]->disk_info(); di) {
            ds.total_bytes = di->total;
            ds.free_bytes = di->free;
            ds.used_bytes = di->used;
          }
          ds.healed_shards = drives[d]->healed_shards();
          info.drives.push_back(std::move(ds));
        }
      }
    }
    if (!pools_.empty() && !pools_[0].sets.empty()) {
      info.standard_parity = pools_[0].sets[0]->config().standard_parity;
      info.rrs_parity = pools_[0].sets[0]->config().rrs_parity;
    }
    info.healing.objects_scanned = counters_.scanned.load();
    info.healing.objects_healed = counters_.healed.load();
    info.healing.objects_heal_failed = counters_.failed.load();
    info.healing.dangling_removed = counters_.dangling.load();
    info.healing.mrf_queued = counters_.mrf_queued.load();
    info.healing.scanner_cycles = counters_.cycles.load();
    info.healing.scanner_running = counters_.scanning.load();
    {
      std::lock_guard<std::mutex> lock(bg_mu_);
      info.healing.mrf_pending = mrf_queue_.size();
      info.usage = usage_;
      info.usage_updated = usage_updated_;
    }
    return info;
  }

  Result<HealSummary> heal(const std::string& bucket, const std::string& prefix,
                           bool deep) override {
    if (!bucket.empty()) {
      MAXIO_RETURN_IF_ERROR(check_bucket_name(bucket));
      MAXIO_RETURN_IF_ERROR(bucket_exists(bucket));
    }
    HealSummary summary;
    for (auto* set : all_sets()) {
      MAXIO_RETURN_IF_ERROR(heal_set(*set, bucket, prefix,
                                     deep ? HealScanMode::kDeep : HealScanMode::kNormal, summary));
    }
    return summary;
  }

 private:
  struct Counters {
    std::atomic<uint64_t> scanned{0}, healed{0}, failed{0}, dangling{0}, mrf_queued{0}, cycles{0};
    std::atomic<bool> scanning{false};
  };

  Status add_pool(int pool_index, const std::vector<std::string>& paths,
                  std::vector<std::shared_ptr<MonitoredDrive>> drives, int set_drive_count);

  // The key of system object `path` in .minio.sys.
  static Result<std::string> system_key(const std::string& path,
                                        std::string_view prefix = kSystemPrefix) {
    std::string key = std::string(prefix) + path;
    MAXIO_RETURN_IF_ERROR(validate_object_key(key));
    return key;
  }
  ErasureSet& system_set(const std::string& key) { return set_in_pool(pools_.front(), key); }

  std::vector<ErasureSet*> all_sets() {
    std::vector<ErasureSet*> sets;
    for (auto& pool : pools_) {
      for (auto& set : pool.sets) sets.push_back(set.get());
    }
    return sets;
  }
  ErasureSet& first_set() { return *pools_.front().sets.front(); }
  ErasureSet& set_in_pool(Pool& pool, const std::string& key) {
    if (pool.sets.size() == 1) return *pool.sets[0];
    int index = object_set_index(key, static_cast<int>(pool.sets.size()), pool.deployment_id,
                                 pool.distribution_algo);
    if (index < 0) index = 0;
    return *pool.sets[static_cast<size_t>(index)];
  }

  // The set holding bucket/key: the pool where it exists (the newest if several do), else
  // the first pool's.
  Result<ErasureSet*> set_for_read(const std::string& bucket, const std::string& key) {
    if (pools_.size() == 1) return &set_in_pool(pools_[0], key);
    ErasureSet* best = nullptr;
    Timestamp newest{};
    Status last = Status(ErrorCode::kNoSuchKey, bucket + "/" + key);
    for (auto& pool : pools_) {
      ErasureSet& set = set_in_pool(pool, key);
      auto info = set.get_object_info(bucket, key);
      if (info) {
        if (!best || info->mod_time > newest) {
          best = &set;
          newest = info->mod_time;
        }
      } else if (info.code() != ErrorCode::kNoSuchKey) {
        last = info.status();
      }
    }
    if (best) return best;
    if (last.code() != ErrorCode::kNoSuchKey) return last;
    return &set_in_pool(pools_[0], key);
  }

  // Where a write of bucket/key goes: the pool already holding the key, else the pool with
  // the most free space.
  Result<ErasureSet*> set_for_write(const std::string& bucket, const std::string& key,
                                    int64_t size) {
    if (pools_.size() == 1) return &set_in_pool(pools_[0], key);
    for (auto& pool : pools_) {
      ErasureSet& set = set_in_pool(pool, key);
      auto info = set.get_object_info(bucket, key);
      if (info) return &set;
    }
    // As MinIO: a pool at random, weighted by its free space (pools on one file system
    // share the new objects evenly).
    std::vector<uint64_t> free(pools_.size(), 0);
    uint64_t total = 0;
    for (size_t p = 0; p < pools_.size(); ++p) {
      for (auto& set : pools_[p].sets) {
        for (auto& d : set->drives()) {
          if (auto di = d->disk_info(); di) free[p] += di->free;
        }
      }
      total += free[p];
    }
    (void)size;
    if (total == 0) return &set_in_pool(pools_.front(), key);
    uint64_t pick = random_below(total);
    for (size_t p = 0; p < pools_.size(); ++p) {
      if (pick < free[p]) return &set_in_pool(pools_[p], key);
      pick -= free[p];
    }
    return &set_in_pool(pools_.back(), key);
  }

  Status check_object_args(const std::string& bucket, const std::string& key,
                           const ObjectOptions& options) {
    MAXIO_RETURN_IF_ERROR(check_bucket_name(bucket));
    MAXIO_RETURN_IF_ERROR(validate_object_key(key));
    MAXIO_RETURN_IF_ERROR(check_version_id(options.version_id));
    return Status::ok();
  }

  Status bucket_exists(const std::string& bucket) {
    auto info = first_set().stat_bucket(bucket);
    return info ? Status::ok() : info.status();
  }

  std::shared_mutex& bucket_lock_for(const std::string& bucket) {
    return bucket_locks_[std::hash<std::string>{}(bucket) % kLockStripes];
  }

  static Status check_part_number(int part_number) {
    if (part_number < 1 || part_number > kMaxPartNumber) {
      return Status(ErrorCode::kInvalidArgumentS3,
                    "Part number must be an integer between 1 and 10000, inclusive");
    }
    return Status::ok();
  }

  std::string deployment_id_of(const ErasureSet& set) const {
    const size_t pool = static_cast<size_t>(set.config().pool_index);
    return pool < pools_.size() ? pools_[pool].deployment_id : std::string();
  }

  // The set holding upload_id of bucket/key: the key's set in the pool that has it.
  Result<ErasureSet*> set_for_upload(const std::string& bucket, const std::string& key,
                                     const std::string& upload_id) {
    MAXIO_RETURN_IF_ERROR(check_bucket_name(bucket));
    MAXIO_RETURN_IF_ERROR(validate_object_key(key));
    MAXIO_RETURN_IF_ERROR(bucket_exists(bucket));
    if (pools_.size() == 1) return &set_in_pool(pools_[0], key);
    for (auto& pool : pools_) {
      ErasureSet& set = set_in_pool(pool, key);
      MAXIO_TRY(bool found, set.has_upload(bucket, key, upload_id));
      if (found) return &set;
    }
    return Status(ErrorCode::kNoSuchUpload, upload_id);
  }

  // Healing.

  void request_heal(const std::string& bucket, const std::string& key) {
    if (!options_.heal_on_access) return;
    {
      std::lock_guard<std::mutex> lock(bg_mu_);
      if (mrf_queue_.size() >= kMrfCapacity) return;  // the scanner will find it
      if (!mrf_pending_.insert(bucket + "/" + key).second) return;
      mrf_queue_.emplace_back(bucket, key);
    }
    ++counters_.mrf_queued;
    bg_cv_.notify_all();
  }

  // Heals one object in every pool that has it, counting what happened.
  void heal_one(ErasureSet& set, const std::string& bucket, const std::string& key,
                HealScanMode mode, HealSummary& summary, UsageMap* usage = nullptr) {
    ++summary.objects_scanned;
    ++counters_.scanned;
    auto healed = set.heal_object(bucket, key, mode);
    if (healed && healed->size && usage) {
      BucketUsage& u = (*usage)[bucket];
      u.bucket = bucket;
      ++u.objects;
      u.bytes += static_cast<uint64_t>(*healed->size);
    }
    if (!healed) {
      if (healed.code() == ErrorCode::kNoSuchKey) return;
      ++summary.objects_failed;
      ++counters_.failed;
      log_warning("heal " + bucket + "/" + key + ": " + healed.status().to_string());
      return;
    }
    if (!healed->healed_drives.empty()) {
      ++summary.objects_healed;
      ++counters_.healed;
      for (int d : healed->healed_drives) set.drives()[d]->count_healed_shard();
    }
    if (healed->dangling_removed) {
      ++summary.dangling_removed;
      ++counters_.dangling;
    }
  }

  // Heals the buckets of one set and every object under bucket/prefix ("" = all buckets).
  // Heals the buckets of one set and every object under bucket/prefix; bucket "" means
  // every bucket and, without a prefix, the system objects (config/ and buckets/) too; one
  // bucket without a prefix also heals its metadata under buckets/<bucket>/. Counts sizes into
  // `usage`.
  Status heal_set(ErasureSet& set, const std::string& only_bucket, const std::string& prefix,
                  HealScanMode mode, HealSummary& summary, UsageMap* usage = nullptr) {
    std::vector<std::pair<std::string, std::string>> walks;  // bucket, prefix
    if (only_bucket.empty()) {
      MAXIO_TRY(std::vector<BucketInfo> listed, set.list_buckets());
      for (auto& b : listed) {
        MAXIO_RETURN_IF_ERROR(set.heal_bucket(b.name));
        ++summary.buckets;
        if (usage) (*usage)[b.name].bucket = b.name;
        walks.emplace_back(b.name, prefix);
      }
      if (prefix.empty()) {
        walks.emplace_back(meta_volume(), std::string(kSystemPrefix));
        walks.emplace_back(meta_volume(), std::string(kBucketSystemPrefix));
      }
    } else {
      MAXIO_RETURN_IF_ERROR(set.heal_bucket(only_bucket));
      ++summary.buckets;
      walks.emplace_back(only_bucket, prefix);
      // The bucket's own metadata (.minio.sys/buckets/<bucket>/) heals with it.
      if (prefix.empty()) {
        walks.emplace_back(meta_volume(), std::string(kBucketSystemPrefix) + only_bucket + "/");
      }
    }
    for (const auto& [bucket, walk_prefix] : walks) {
      // Every reachable drive: an object missing from most drives must still be found.
      auto walker =
          set.walker(WalkOptions{bucket, walk_prefix, "", true}, {}, 0, /*all_drives=*/true);
      while (!stopping()) {
        auto entry = walker->next();
        if (!entry) return entry.status();
        if (!*entry) break;
        heal_one(set, bucket, (*entry)->key, mode, summary,
                 bucket == meta_volume() ? nullptr : usage);
      }
      if (stopping()) return Status::ok();
    }
    return Status::ok();
  }

  bool stopping() {
    std::lock_guard<std::mutex> lock(bg_mu_);
    return stopping_;
  }

  void start_background() {
    if (options_.heal_on_access) threads_.emplace_back([this] { mrf_loop(); });
    if (options_.scanner_interval.count() > 0) threads_.emplace_back([this] { scanner_loop(); });
    if (options_.probe_interval.count() > 0) threads_.emplace_back([this] { prober_loop(); });
    if (options_.stale_uploads_cleanup_interval.count() > 0) {
      threads_.emplace_back([this] { stale_uploads_loop(); });
    }
  }

  // MinIO's stale upload cleanup: every interval, uploads initiated longer than the expiry
  // ago go.
  void stale_uploads_loop() {
    std::unique_lock<std::mutex> lock(bg_mu_);
    while (true) {
      bg_cv_.wait_for(lock, options_.stale_uploads_cleanup_interval, [this] { return stopping_; });
      if (stopping_) return;
      lock.unlock();
      auto removed = cleanup_stale_uploads(options_.stale_uploads_expiry);
      if (!removed) log_warning("stale upload cleanup: " + removed.status().to_string());
      lock.lock();
    }
  }

  void mrf_loop() {
    std::unique_lock<std::mutex> lock(bg_mu_);
    while (true) {
      bg_cv_.wait(lock, [this] { return stopping_ || !mrf_queue_.empty(); });
      if (stopping_) return;
      auto [bucket, key] = mrf_queue_.front();
      mrf_queue_.pop_front();
      lock.unlock();
      HealSummary summary;
      // A bad shard may have the right size: read everything of this one object.
      for (auto& pool : pools_)
        heal_one(set_in_pool(pool, key), bucket, key, HealScanMode::kDeep, summary);
      lock.lock();
      mrf_pending_.erase(bucket + "/" + key);
    }
  }

  void scanner_loop() {
    uint64_t cycle = 0;
    std::unique_lock<std::mutex> lock(bg_mu_);
    while (true) {
      bg_cv_.wait_for(lock, options_.scanner_interval, [this] { return stopping_ || scan_now_; });
      if (stopping_) return;
      scan_now_ = false;
      lock.unlock();
      ++cycle;
      const bool deep = options_.deep_scan_every > 0 && cycle % options_.deep_scan_every == 0;
      counters_.scanning = true;
      // Drives being rebuilt when the cycle started are whole once it ends.
      std::vector<MonitoredDrive*> healing;
      for (auto* set : all_sets()) {
        for (auto& d : set->drives()) {
          if (d->state() == DriveState::kHealing) healing.push_back(d.get());
        }
      }
      bool complete = true;
      UsageMap usage;
      for (auto* set : all_sets()) {
        HealSummary summary;
        Status st = heal_set(*set, "", "", deep ? HealScanMode::kDeep : HealScanMode::kNormal,
                             summary, &usage);
        if (!st) {
          complete = false;
          log_warning("scanner: " + st.to_string());
        }
      }
      counters_.scanning = false;
      lock.lock();
      if (stopping_) return;
      if (complete) {
        ++counters_.cycles;
        usage_.clear();
        for (auto& [bucket, u] : usage) usage_.push_back(u);
        usage_updated_ = std::chrono::system_clock::now();
        for (auto* d : healing) {
          if (d->state() == DriveState::kHealing) d->set_state(DriveState::kOnline);
        }
      }
    }
  }

  void prober_loop() {
    std::unique_lock<std::mutex> lock(bg_mu_);
    while (true) {
      bg_cv_.wait_for(lock, options_.probe_interval, [this] { return stopping_; });
      if (stopping_) return;
      lock.unlock();
      bool rebuilt = probe_all();
      lock.lock();
      if (rebuilt) {
        scan_now_ = true;
        bg_cv_.notify_all();
      }
    }
  }

  // One prober tick: drives stuck in a call for longer than drive_timeout go offline;
  // every drive not being probed already gets a probe on its own thread. Returns whether
  // a finished probe asks for a rebuild.
  bool probe_all() {
    bool rebuilt = false;
    size_t i = 0;
    for (auto& pool : pools_) {
      for (auto& set : pool.sets) {
        for (auto& drive : set->drives()) {
          if (probes_.size() <= i) probes_.push_back(std::make_shared<ProbeTask>());
          std::shared_ptr<ProbeTask> task = probes_[i++];
          // A drive with a call still stuck stays offline until that call returns.
          if (drive->stalled_for() > options_.drive_timeout) {
            if (drive->state() != DriveState::kOffline) {
              drive->mark_offline("no answer for " +
                                  std::to_string(options_.drive_timeout.count()) + " ms");
            }
            continue;
          }
          int state = task->state.load();
          if (state == ProbeTask::kRunning) continue;
          if (state == ProbeTask::kDone) rebuilt = task->rebuilt.exchange(false) || rebuilt;
          task->state = ProbeTask::kRunning;
          std::thread([task, drive, reference = pool.reference, sync = options_.sync] {
            if (probe_drive(*drive, reference, sync)) task->rebuilt = true;
            task->state = ProbeTask::kDone;
          }).detach();
        }
      }
    }
    return rebuilt;
  }

  ObjectLayerOptions options_;
  std::vector<Pool> pools_;
  std::array<std::shared_mutex, kLockStripes> bucket_locks_;
  Counters counters_;
  ListingCache listing_cache_;  // walks of truncated listing pages, for the next page

  std::mutex bg_mu_;
  std::condition_variable bg_cv_;
  bool stopping_ = false;                                      // guarded by bg_mu_
  bool scan_now_ = false;                                      // guarded by bg_mu_
  std::deque<std::pair<std::string, std::string>> mrf_queue_;  // guarded by bg_mu_
  std::set<std::string> mrf_pending_;                          // guarded by bg_mu_
  std::vector<BucketUsage> usage_;                             // guarded by bg_mu_
  std::optional<Timestamp> usage_updated_;                     // guarded by bg_mu_
  std::vector<std::thread> threads_;
  std::vector<std::shared_ptr<ProbeTask>> probes_;  // prober thread only; one per drive
};

Status ServerPools::add_pool(int pool_index, const std::vector<std::string>& paths,
                             std::vector<std::shared_ptr<MonitoredDrive>> drives,
                             int set_drive_count) {
  const int n = static_cast<int>(drives.size());
  if (set_drive_count <= 0 || n % set_drive_count != 0) {
    return Status(ErrorCode::kInvalidArgument, "pool of " + std::to_string(n) +
                                                   " drives cannot hold sets of " +
                                                   std::to_string(set_drive_count));
  }
  const int set_count = n / set_drive_count;
  const std::string pool_name = "pool " + std::to_string(pool_index + 1);
  std::vector<Result<std::string>> reads;
  for (auto& d : drives) {
    if (d->state() == DriveState::kOffline) {
      reads.push_back(Status(ErrorCode::kDriveFaulty, d->offline_reason()));
    } else {
      reads.push_back(d->read_all(meta_volume(), std::string(kFormatFile)));
    }
  }
  auto resolved = resolve_pool_format(reads, set_count, set_drive_count);
  if (!resolved) {
    // With every drive read, no quorum means the drives disagree: waiting cannot help.
    bool all_read = std::all_of(reads.begin(), reads.end(), [](const auto& r) {
      return r.is_ok() || r.code() == ErrorCode::kFileNotFound ||
             r.code() == ErrorCode::kVolumeNotFound;
    });
    ErrorCode code = resolved.code() == ErrorCode::kInsufficientReadQuorum && all_read
                         ? ErrorCode::kCorruptedFormat
                         : resolved.code();
    return Status(code, pool_name + ": " + resolved.status().message());
  }
  if (resolved->fresh && !pools_.empty()) {
    // Every pool belongs to the one deployment: a fresh pool takes the first pool's ID.
    resolved->reference.id = pools_.front().deployment_id;
    for (auto& df : resolved->drives) {
      if (df.format_to_write) df.format_to_write->id = pools_.front().deployment_id;
    }
  }
  if (!pools_.empty() && resolved->reference.id != pools_.front().deployment_id) {
    return Status(ErrorCode::kCorruptedFormat,
                  pool_name + " belongs to deployment " + resolved->reference.id + ", pool 1 to " +
                      pools_.front().deployment_id + ": all pools must share one deployment ID");
  }
  const FormatErasure& reference = resolved->reference;
  if (resolved->fresh) {
    log_info(pool_name + ": formatting " + std::to_string(n) + " drive(s) as " +
             std::to_string(set_count) + " set(s) of " + std::to_string(set_drive_count));
  }

  // Each drive goes to its slot of the matrix; a drive without one (foreign, or offline
  // with no free slot left) fills a free slot as an offline member.
  std::vector<int> drive_in_slot(n, -1);
  std::vector<int> unplaced;
  bool rebuild = false;
  for (int i = 0; i < n; ++i) {
    const DriveFormat& df = resolved->drives[i];
    MonitoredDrive& drive = *drives[i];
    if (df.set_index < 0) {
      unplaced.push_back(i);
    } else {
      drive_in_slot[df.set_index * set_drive_count + df.drive_index] = i;
      drive.set_drive_id(reference.sets[df.set_index][df.drive_index]);
    }
    switch (df.state) {
      case DriveFormatState::kOk:
        break;
      case DriveFormatState::kBlank: {
        if (!df.format_to_write) {
          drive.mark_offline(df.reason.empty() ? "blank drive without a free slot" : df.reason);
          break;
        }
        Status st = drive.write_all(meta_volume(), std::string(kFormatFile),
                                    serialize_format_json(*df.format_to_write));
        if (!st) {
          drive.mark_offline("cannot write format.json: " + st.to_string());
          break;
        }
        if (!resolved->fresh) {
          log_info(pool_name + ": " + paths[i] + " was blank: format restored, healing");
          drive.set_state(DriveState::kHealing);
          rebuild = true;
        }
        break;
      }
      case DriveFormatState::kForeign:
        log_warning(pool_name + ": " + paths[i] + " left alone: " + df.reason);
        drive.mark_offline(df.reason);
        break;
      case DriveFormatState::kOffline:
        drive.mark_offline(df.reason.empty() ? "unreachable" : df.reason);
        break;
    }
  }
  for (int slot = 0, next = 0; slot < n; ++slot) {
    if (drive_in_slot[slot] >= 0) continue;
    if (next >= static_cast<int>(unplaced.size())) {
      return Status(ErrorCode::kInternal, pool_name + ": drives and set slots do not match");
    }
    int i = unplaced[static_cast<size_t>(next++)];
    drive_in_slot[slot] = i;
    // An offline drive placed here is expected to come back as this slot's drive.
    if (resolved->drives[i].state == DriveFormatState::kOffline) {
      drives[i]->set_drive_id(reference.sets[slot / set_drive_count][slot % set_drive_count]);
    }
  }

  Pool pool;
  pool.deployment_id = reference.id;
  pool.distribution_algo = reference.distribution_algo;
  pool.reference = reference;
  pool.drive_paths = paths;
  const int standard =
      options_.standard_parity >= 0 ? options_.standard_parity : default_parity(set_drive_count);
  const int rrs = options_.rrs_parity >= 0
                      ? options_.rrs_parity
                      : std::min(standard, default_rrs_parity(set_drive_count));
  for (int s = 0; s < set_count; ++s) {
    std::vector<std::shared_ptr<MonitoredDrive>> members;
    for (int d = 0; d < set_drive_count; ++d) {
      members.push_back(drives[drive_in_slot[s * set_drive_count + d]]);
    }
    ErasureSetConfig config{pool_index, s, standard, rrs};
    pool.sets.push_back(std::make_unique<ErasureSet>(
        config, std::move(members),
        [this](const std::string& bucket, const std::string& key) { request_heal(bucket, key); }));
  }
  pools_.push_back(std::move(pool));
  if (rebuild) {
    std::lock_guard<std::mutex> lock(bg_mu_);
    scan_now_ = true;
  }
  return Status::ok();
}

bool probe_drive(MonitoredDrive& drive, const FormatErasure& reference, bool sync) {
  const std::string path = drive.endpoint();
  const std::string expected = drive.drive_id();
  auto reformat = [&](DriveState state_after) {
    auto reopened = open_local_drive(path, LocalDriveOptions{.sync = sync});
    if (!reopened) return false;
    FormatErasure f = reference;
    f.this_drive = expected;
    Status st =
        (*reopened)->write_all(meta_volume(), std::string(kFormatFile), serialize_format_json(f));
    if (!st) return false;
    log_info(path + ": blank drive got its format back; healing");
    drive.reconnect(std::move(*reopened), state_after);
    return true;
  };
  std::error_code ec;
  if (drive.state() == DriveState::kOffline) {
    // Never create a missing drive directory: it may be an unmounted disk.
    if (!std::filesystem::is_directory(path, ec)) return false;
    auto bytes = [&]() -> Result<std::string> {
      std::ifstream in(path + "/" + meta_volume() + "/" + std::string(kFormatFile),
                       std::ios::binary);
      if (!in) return Status(ErrorCode::kFileNotFound, "no format.json");
      return std::string(std::istreambuf_iterator<char>(in), {});
    }();
    if (!bytes) return reformat(DriveState::kHealing);
    auto parsed = parse_format_json(*bytes);
    if (!parsed || parsed->id != reference.id || parsed->this_drive != expected) {
      drive.mark_offline("format.json does not belong here");
      return false;
    }
    auto reopened = open_local_drive(path, LocalDriveOptions{.sync = sync});
    if (!reopened) return false;
    drive.reconnect(std::move(*reopened), DriveState::kOnline);
    return true;  // it may have missed writes while away
  }
  auto bytes = drive.read_all(meta_volume(), std::string(kFormatFile));
  if (bytes) {
    auto parsed = parse_format_json(*bytes);
    if (!parsed || parsed->id != reference.id || parsed->this_drive != expected) {
      drive.mark_offline("format.json changed under a running server");
    }
    return false;
  }
  if (bytes.code() != ErrorCode::kFileNotFound && bytes.code() != ErrorCode::kVolumeNotFound) {
    return false;
  }
  if (!std::filesystem::is_directory(path, ec)) {
    drive.mark_offline("drive directory " + path + " is gone");
    return false;
  }
  return reformat(DriveState::kHealing);
}

}  // namespace

Status validate_object_key(std::string_view key) {
  if (key.empty()) return Status(ErrorCode::kInvalidObjectName, "empty object name");
  if (key.size() > 1024) return Status(ErrorCode::kKeyTooLong, "object name over 1024 bytes");
  if (key[0] == '/') return Status(ErrorCode::kInvalidObjectName, "object name starts with '/'");
  if (key.find('\0') != std::string_view::npos || !is_valid_utf8(key)) {
    return Status(ErrorCode::kInvalidObjectName, "object name is not valid UTF-8 text");
  }
  std::string_view body = key;
  bool dir_marker = body.back() == '/';
  if (dir_marker) body.remove_suffix(1);
  size_t start = 0;
  while (true) {
    size_t end = body.find('/', start);
    std::string_view seg = body.substr(start, end == std::string_view::npos ? end : end - start);
    bool last = end == std::string_view::npos;
    if (seg.empty() || seg == "." || seg == "..") {
      return Status(ErrorCode::kInvalidObjectName, "object name has an empty, '.' or '..' segment");
    }
    if (seg == kXlMetaFile ||
        (seg.size() >= kDirObjectSuffix.size() &&
         seg.substr(seg.size() - kDirObjectSuffix.size()) == kDirObjectSuffix)) {
      return Status(ErrorCode::kInvalidObjectName, "object name uses a reserved segment");
    }
    size_t stored = seg.size() + (last && dir_marker ? kDirObjectSuffix.size() : 0);
    if (stored > 255) return Status(ErrorCode::kKeyTooLong, "object name segment over 255 bytes");
    if (last) break;
    start = end + 1;
  }
  return Status::ok();
}

Result<std::unique_ptr<ObjectLayer>> open_erasure_set(
    std::vector<std::unique_ptr<StorageApi>> drives) {
  if (drives.empty()) return Status(ErrorCode::kInvalidArgument, "no drives");
  auto layer = std::make_unique<ServerPools>(ObjectLayerOptions{});
  MAXIO_RETURN_IF_ERROR(layer->open_single_set(std::move(drives)));
  return std::unique_ptr<ObjectLayer>(std::move(layer));
}

Result<std::unique_ptr<ObjectLayer>> open_object_layer(const ObjectLayerOptions& options) {
  if (options.pools.empty()) return Status(ErrorCode::kInvalidArgument, "no drive given");
  auto layer = std::make_unique<ServerPools>(options);
  MAXIO_RETURN_IF_ERROR(layer->open());
  return std::unique_ptr<ObjectLayer>(std::move(layer));
}

}  // namespace maxio
