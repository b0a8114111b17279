#include "tests/unit/daemon/s3/fake_object_layer.h"

#include <chrono>

#include "shared/crypto/hash.h"
#include "shared/util/encoding.h"

namespace maxio::s3::testing {

namespace {

class StringObjectReader final : public ObjectReader {
 public:
  StringObjectReader(ObjectInfo info, std::string data)
      : info_(std::move(info)), data_(std::move(data)), end_(data_.size()) {}
  const ObjectInfo& info() const override { return info_; }
  Status set_range(uint64_t offset, uint64_t length) override {
    if (offset + length > data_.size()) return Status(ErrorCode::kInvalidRange);
    pos_ = offset;
    end_ = offset + length;
    return Status::ok();
  }
  Result<size_t> read(char* buffer, size_t size) override {
    size_t n = std::min<size_t>(size, end_ - pos_);
    data_.copy(buffer, n, pos_);
    pos_ += n;
    return n;
  }

 private:
  ObjectInfo info_;
  std::string data_;
  size_t pos_ = 0;
  size_t end_;
};

}  // namespace

Status FakeObjectLayer::make_bucket(const std::string& bucket, const MakeBucketOptions&) {
  std::lock_guard lock(mutex_);
  if (buckets_.contains(bucket)) return Status(ErrorCode::kBucketAlreadyOwnedByYou);
  buckets_[bucket].info = {bucket, std::chrono::system_clock::now()};
  return Status::ok();
}

Result<BucketInfo> FakeObjectLayer::get_bucket_info(const std::string& bucket) {
  std::lock_guard lock(mutex_);
  auto it = buckets_.find(bucket);
  if (it == buckets_.end()) return Status(ErrorCode::kNoSuchBucket);
  return it->second.info;
}

Result<std::vector<BucketInfo>> FakeObjectLayer::list_buckets() {
  std::lock_guard lock(mutex_);
  std::vector<BucketInfo> out;
  for (const auto& [name, bucket] : buckets_) out.push_back(bucket.info);
  return out;
}

Status FakeObjectLayer::delete_bucket(const std::string& bucket, bool force) {
  std::lock_guard lock(mutex_);
  auto it = buckets_.find(bucket);
  if (it == buckets_.end()) return Status(ErrorCode::kNoSuchBucket);
  if (!force && !it->second.objects.empty()) return Status(ErrorCode::kBucketNotEmpty);
  buckets_.erase(it);
  return Status::ok();
}

Result<ObjectInfo> FakeObjectLayer::store(const std::string& bucket, const std::string& key,
                                          std::string data, const PutObjectOptions& options) {
  std::lock_guard lock(mutex_);
  auto it = buckets_.find(bucket);
  if (it == buckets_.end()) return Status(ErrorCode::kNoSuchBucket);
  auto existing = it->second.objects.find(key);
  if (options.if_none_match_any && existing != it->second.objects.end()) {
    return Status(ErrorCode::kPreconditionFailed);
  }
  if (options.if_match) {
    if (existing == it->second.objects.end()) return Status(ErrorCode::kNoSuchKey);
    if (existing->second.info.etag != *options.if_match) {
      return Status(ErrorCode::kPreconditionFailed);
    }
  }
  std::string digest = md5(data);
  if (options.expected_md5 && *options.expected_md5 != digest) {
    return Status(ErrorCode::kBadDigest);
  }
  Object object;
  object.info.bucket = bucket;
  object.info.name = key;
  object.info.size = data.size();
  object.info.etag = hex_encode(digest);
  object.info.mod_time = std::chrono::system_clock::now();
  object.info.user_defined = options.user_defined;
  if (options.checksum) object.info.checksum = options.checksum();
  auto type = options.user_defined.find("content-type");
  if (type != options.user_defined.end()) object.info.content_type = type->second;
  object.info.storage_class = "STANDARD";
  object.data = std::move(data);
  it->second.objects[key] = object;
  return object.info;
}

Result<ObjectInfo> FakeObjectLayer::put_object(const std::string& bucket, const std::string& key,
                                               Reader& data, const PutObjectOptions& options) {
  StringWriter writer;
  MAXIO_TRY(uint64_t copied, copy_stream(data, writer));
  if (options.size >= 0 && copied != static_cast<uint64_t>(options.size)) {
    return Status(ErrorCode::kIncompleteBody);
  }
  return store(bucket, key, writer.take(), options);
}

Result<ObjectInfo> FakeObjectLayer::get_object_info(const std::string& bucket,
                                                    const std::string& key,
                                                    const ObjectOptions& options) {
  std::lock_guard lock(mutex_);
  auto it = buckets_.find(bucket);
  if (it == buckets_.end()) return Status(ErrorCode::kNoSuchBucket);
  auto object = it->second.objects.find(key);
  if (object == it->second.objects.end()) return Status(ErrorCode::kNoSuchKey);
  if (!options.version_id.empty() && options.version_id != "null") {
    return Status(ErrorCode::kNoSuchVersion);
  }
  return object->second.info;
}

Result<std::unique_ptr<ObjectReader>> FakeObjectLayer::open_object(const std::string& bucket,
                                                                   const std::string& key,
                                                                   const ObjectOptions& options) {
  MAXIO_TRY(ObjectInfo info, get_object_info(bucket, key, options));
  std::lock_guard lock(mutex_);
  return std::unique_ptr<ObjectReader>(
      new StringObjectReader(info, buckets_[bucket].objects[key].data));
}

Result<ObjectInfo> FakeObjectLayer::copy_object(const std::string& src_bucket,
                                                const std::string& src_key,
                                                const ObjectOptions& src_options,
                                                const std::string& dst_bucket,
                                                const std::string& dst_key, const CopyPlan& plan) {
  MAXIO_TRY(auto reader, open_object(src_bucket, src_key, src_options));
  MAXIO_TRY(PutObjectOptions options, plan(reader->info()));
  return put_object(dst_bucket, dst_key, *reader, options);
}

Result<DeletedObject> FakeObjectLayer::delete_object(const std::string& bucket,
                                                     const std::string& key, const ObjectOptions&) {
  std::lock_guard lock(mutex_);
  auto it = buckets_.find(bucket);
  if (it == buckets_.end()) return Status(ErrorCode::kNoSuchBucket);
  it->second.objects.erase(key);
  return DeletedObject{key, "", false, ""};
}

std::vector<Result<DeletedObject>> FakeObjectLayer::delete_objects(
    const std::string& bucket, const std::vector<ObjectToDelete>& objects, const ObjectOptions&) {
  std::vector<Result<DeletedObject>> out;
  for (const auto& object : objects) out.push_back(delete_object(bucket, object.name, {}));
  return out;
}

Result<ListObjectsInfo> FakeObjectLayer::list_objects(const std::string& bucket,
                                                      const std::string& prefix,
                                                      const std::string& marker,
                                                      const std::string& delimiter, int max_keys) {
  std::lock_guard lock(mutex_);
  auto it = buckets_.find(bucket);
  if (it == buckets_.end()) return Status(ErrorCode::kNoSuchBucket);
  ListObjectsInfo out;
  int count = 0;
  for (auto object = it->second.objects.upper_bound(marker); object != it->second.objects.end();
       ++object) {
    const std::string& key = object->first;
    if (!key.starts_with(prefix)) continue;
    std::string common;
    if (!delimiter.empty()) {
      auto pos = key.find(delimiter, prefix.size());
      if (pos != std::string::npos) common = key.substr(0, pos + delimiter.size());
    }
    if (!common.empty() &&
        ((!out.prefixes.empty() && out.prefixes.back() == common) || marker.starts_with(common))) {
      continue;
    }
    if (count == max_keys) {
      out.is_truncated = true;
      break;
    }
    ++count;
    if (common.empty()) {
      out.objects.push_back(object->second.info);
      out.next_marker = key;
    } else {
      out.prefixes.push_back(common);
      out.next_marker = common;
    }
  }
  if (!out.is_truncated) out.next_marker.clear();
  return out;
}

Result<ListObjectVersionsInfo> FakeObjectLayer::list_object_versions(
    const std::string& bucket, const std::string& prefix, const std::string& key_marker,
    const std::string&, const std::string& delimiter, int max_keys) {
  MAXIO_TRY(ListObjectsInfo list, list_objects(bucket, prefix, key_marker, delimiter, max_keys));
  ListObjectVersionsInfo out;
  out.versions = std::move(list.objects);
  out.prefixes = std::move(list.prefixes);
  out.is_truncated = list.is_truncated;
  out.next_key_marker = list.next_marker;
  return out;
}

}  // namespace maxio::s3::testing
