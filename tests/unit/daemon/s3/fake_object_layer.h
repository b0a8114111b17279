#pragma once
// An in-memory ObjectLayer for S3 handler tests: buckets and objects in maps, MD5 ETags,
// S3 listing semantics (marker, prefix, delimiter, max-keys). Thread-safe via one mutex.
// Test-only; holds whole objects in memory.

#include <map>
#include <mutex>
#include <string>

#include "daemon/storage/object_layer.h"

namespace maxio::s3::testing {

class FakeObjectLayer final : public ObjectLayer {
 public:
  Status make_bucket(const std::string& bucket, const MakeBucketOptions& options) override;
  Result<BucketInfo> get_bucket_info(const std::string& bucket) override;
  Result<std::vector<BucketInfo>> list_buckets() override;
  Status delete_bucket(const std::string& bucket, bool force) override;
  Result<ObjectInfo> put_object(const std::string& bucket, const std::string& key, Reader& data,
                                const PutObjectOptions& options) override;
  Result<ObjectInfo> get_object_info(const std::string& bucket, const std::string& key,
                                     const ObjectOptions& options) override;
  Result<std::unique_ptr<ObjectReader>> open_object(const std::string& bucket,
                                                    const std::string& key,
                                                    const ObjectOptions& options) override;
  Result<ObjectInfo> copy_object(const std::string& src_bucket, const std::string& src_key,
                                 const ObjectOptions& src_options, const std::string& dst_bucket,
                                 const std::string& dst_key, const CopyPlan& plan) override;
  Result<DeletedObject> delete_object(const std::string& bucket, const std::string& key,
                                      const ObjectOptions& options) override;
  std::vector<Result<DeletedObject>> delete_objects(const std::string& bucket,
                                                    const std::vector<ObjectToDelete>& objects,
                                                    const ObjectOptions& versioning) override;
  Result<ListObjectsInfo> list_objects(const std::string& bucket, const std::string& prefix,
                                       const std::string& marker, const std::string& delimiter,
                                       int max_keys) override;
  Result<ListObjectVersionsInfo> list_object_versions(
      const std::string& bucket, const std::string& prefix, const std::string& key_marker,
      const std::string& version_id_marker, const std::string& delimiter, int max_keys) override;
  Result<std::string> read_system_object(const std::string& path) override {
    return Status(ErrorCode::kNoSuchKey, path);
  }
  Status write_system_object(const std::string&, std::string_view) override {
    return Status(ErrorCode::kNotImplemented, "fake");
  }
  Status delete_system_object(const std::string&) override { return Status::ok(); }
  Result<std::vector<std::string>> list_system_objects(const std::string&) override {
    return std::vector<std::string>{};
  }
  Result<std::string> read_bucket_system_object(const std::string& path) override {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = bucket_system_objects_.find(path);
    if (it == bucket_system_objects_.end()) return Status(ErrorCode::kNoSuchKey, path);
    return it->second;
  }
  Status write_bucket_system_object(const std::string& path, std::string_view data) override {
    std::lock_guard<std::mutex> lock(mutex_);
    bucket_system_objects_[path] = std::string(data);
    return Status::ok();
  }
  Status delete_bucket_system_object(const std::string& path) override {
    std::lock_guard<std::mutex> lock(mutex_);
    bucket_system_objects_.erase(path);
    return Status::ok();
  }
  // One always-online drive: the health probes see a healthy single-drive deployment.
  StorageInfo storage_info() override {
    StorageInfo info;
    info.pools = 1;
    info.sets_per_pool = {1};
    info.drives_per_set = {1};
    DriveStatus drive;
    drive.endpoint = "memory";
    drive.state = "online";
    info.drives.push_back(drive);
    return info;
  }
  Result<HealSummary> heal(const std::string&, const std::string&, bool) override {
    return HealSummary{};
  }

 private:
  struct Object {
    ObjectInfo info;
    std::string data;
  };
  struct Bucket {
    BucketInfo info;
    std::map<std::string, Object> objects;
  };
  Result<ObjectInfo> store(const std::string& bucket, const std::string& key, std::string data,
                           const PutObjectOptions& options);

  std::mutex mutex_;
  std::map<std::string, Bucket> buckets_;
  std::map<std::string, std::string> bucket_system_objects_;  // .minio.sys/buckets/
};

}  // namespace maxio::s3::testing
