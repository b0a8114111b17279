#pragma once
// BucketMetadataStore: every bucket's configuration (BucketMetadata), cached in memory over
// the ObjectLayer, where it lives as .minio.sys/buckets/<bucket>/.metadata.bin (MinIO's
// format). Loaded on first use, written through on every change, removed with the bucket.
// One per daemon, owned by the ServerContext; thread-safe.

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>

#include "daemon/bucket/bucket_metadata.h"
#include "daemon/storage/object_layer.h"
#include "shared/util/status.h"

namespace maxio {

struct CorsConfiguration;

enum class VersioningState { kUnversioned, kEnabled, kSuspended };

// What a bucket's stored configuration means for requests, parsed once per change.
struct BucketState {
  VersioningState versioning = VersioningState::kUnversioned;
  bool object_lock = false;                       // created with object lock enabled
  std::optional<uint64_t> hard_quota;             // bytes; absent: no quota
  std::shared_ptr<const CorsConfiguration> cors;  // null: no CORS configuration
};

class BucketMetadataStore {
 public:
  // `layer` must outlive the store.
  explicit BucketMetadataStore(ObjectLayer& layer);
  ~BucketMetadataStore();
  BucketMetadataStore(const BucketMetadataStore&) = delete;
  BucketMetadataStore& operator=(const BucketMetadataStore&) = delete;

  // The bucket's metadata. A bucket that exists without .metadata.bin (made before it
  // existed, or by a MinIO that never configured it) gets defaults: its name and creation
  // time. Errors: kNoSuchBucket, kFileCorrupt for unreadable metadata, storage errors.
  Result<BucketMetadata> get(const std::string& bucket);
  // The parsed view of get(bucket); same errors.
  Result<BucketState> state(const std::string& bucket);
  // The versioning state S3 requests act on: kEnabled also when object lock is enabled.
  Result<VersioningState> versioning(const std::string& bucket);

  // Writes the metadata of a bucket just made: name, creation time and, with object lock,
  // MinIO's object-lock and versioning-enabled configurations.
  Status create(const std::string& bucket, Timestamp created, bool object_lock);
  // Read-modify-write of one bucket's metadata, serialized with every other change:
  // `change` edits a copy; when it returns ok the copy is written, then cached. Its error
  // is returned as is and nothing is written.
  Status update(const std::string& bucket, const std::function<Status(BucketMetadata&)>& change);
  // Forgets a deleted bucket: removes its .metadata.bin (missing is fine) and cache entry.
  Status remove(const std::string& bucket);

 private:
  struct Entry {
    BucketMetadata metadata;
    BucketState state;
  };
  Result<std::shared_ptr<const Entry>> entry(const std::string& bucket);
  Result<std::shared_ptr<const Entry>> load_locked(const std::string& bucket);
  Status write_locked(const BucketMetadata& metadata);

  ObjectLayer& layer_;
  std::mutex io_mu_;  // serializes loads and writes, so the cache never goes back in time
  std::shared_mutex cache_mu_;
  std::map<std::string, std::shared_ptr<const Entry>> cache_;  // guarded by cache_mu_
};

// The path of a bucket's metadata relative to .minio.sys/buckets/.
std::string bucket_metadata_path(const std::string& bucket);

}  // namespace maxio
