#pragma once
// An ObjectLayer for admin tests: buckets by name, system objects in a map, a scripted
// heal (per-bucket callback) and a fixed StorageInfo; every data-path method fails with
// kNotImplemented. Thread-safe via one mutex (the heal callback runs outside it).

#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "daemon/storage/object_layer.h"

namespace maxio::admin::testing {

class FakeAdminLayer final : public ObjectLayer {
 public:
  using HealFn = std::function<Result<HealSummary>(const std::string& bucket)>;

  void set_buckets(std::vector<std::string> names) {
    std::lock_guard<std::mutex> lock(mu_);
    buckets_ = std::move(names);
  }
  void set_heal(HealFn heal) {
    std::lock_guard<std::mutex> lock(mu_);
    heal_ = std::move(heal);
  }
  void set_storage_info(StorageInfo info) {
    std::lock_guard<std::mutex> lock(mu_);
    info_ = std::move(info);
  }
  std::map<std::string, std::string> system_objects() {
    std::lock_guard<std::mutex> lock(mu_);
    return system_;
  }
  std::vector<std::string> healed() {
    std::lock_guard<std::mutex> lock(mu_);
    return healed_;
  }

  Status make_bucket(const std::string&, const MakeBucketOptions&) override { return no(); }
  Result<BucketInfo> get_bucket_info(const std::string& bucket) override {
    std::lock_guard<std::mutex> lock(mu_);
    for (const std::string& name : buckets_) {
      if (name == bucket) return BucketInfo{name, {}};
    }
    return Status(ErrorCode::kNoSuchBucket, bucket);
  }
  Result<std::vector<BucketInfo>> list_buckets() override {
    std::lock_guard<std::mutex> lock(mu_);
    std::vector<BucketInfo> out;
    for (const std::string& name : buckets_) out.push_back(BucketInfo{name, {}});
    return out;
  }
  Status delete_bucket(const std::string&, bool) override { return no(); }
  Result<ObjectInfo> put_object(const std::string&, const std::string&, Reader&,
                                const PutObjectOptions&) override {
    return no();
  }
  Result<ObjectInfo> get_object_info(const std::string&, const std::string&,
                                     const ObjectOptions&) override {
    return no();
  }
  Result<std::unique_ptr<ObjectReader>> open_object(const std::string&, const std::string&,
                                                    const ObjectOptions&) override {
    return no();
  }
  Result<ObjectInfo> copy_object(const std::string&, const std::string&, const ObjectOptions&,
                                 const std::string&, const std::string&, const CopyPlan&) override {
    return no();
  }
  Result<DeletedObject> delete_object(const std::string&, const std::string&,
                                      const ObjectOptions&) override {
    return no();
  }
  std::vector<Result<DeletedObject>> delete_objects(const std::string&,
                                                    const std::vector<ObjectToDelete>&,
                                                    const ObjectOptions&) override {
    return {};
  }
  Result<ListObjectsInfo> list_objects(const std::string&, const std::string&, const std::string&,
                                       const std::string&, int) override {
    return no();
  }
  Result<ListObjectVersionsInfo> list_object_versions(const std::string&, const std::string&,
                                                      const std::string&, const std::string&,
                                                      const std::string&, int) override {
    return no();
  }

  Result<std::string> read_system_object(const std::string& path) override {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = system_.find(path);
    if (it == system_.end()) return Status(ErrorCode::kNoSuchKey, path);
    return it->second;
  }
  Status write_system_object(const std::string& path, std::string_view data) override {
    std::lock_guard<std::mutex> lock(mu_);
    system_[path] = std::string(data);
    return Status::ok();
  }
  Status delete_system_object(const std::string& path) override {
    std::lock_guard<std::mutex> lock(mu_);
    system_.erase(path);
    return Status::ok();
  }
  Result<std::vector<std::string>> list_system_objects(const std::string& prefix) override {
    std::lock_guard<std::mutex> lock(mu_);
    std::vector<std::string> out;
    for (const auto& [path, data] : system_) {
      if (path.starts_with(prefix)) out.push_back(path);
    }
    return out;
  }

  StorageInfo storage_info() override {
    std::lock_guard<std::mutex> lock(mu_);
    return info_;
  }
  Result<HealSummary> heal(const std::string& bucket, const std::string&, bool) override {
    HealFn heal;
    {
      std::lock_guard<std::mutex> lock(mu_);
      healed_.push_back(bucket);
      heal = heal_;
    }
    if (heal) return heal(bucket);
    HealSummary summary;
    summary.buckets = 1;
    summary.objects_scanned = 2;
    summary.objects_healed = 1;
    return summary;
  }

 private:
  static Status no() { return Status(ErrorCode::kNotImplemented, "fake"); }

  std::mutex mu_;
  std::vector<std::string> buckets_;
  HealFn heal_;
  StorageInfo info_;
  std::map<std::string, std::string> system_;
  std::vector<std::string> healed_;
};

}  // namespace maxio::admin::testing
