#include "daemon/bucket/bucket_metadata_store.h"

#include "daemon/bucket/configs.h"
#include "daemon/bucket/cors.h"

namespace maxio {

namespace {

constexpr std::string_view kMetadataFile = "/.metadata.bin";

Status no_such_bucket(const Status& s) {
  if (s.code() == ErrorCode::kVolumeNotFound) return Status(ErrorCode::kNoSuchBucket);
  return s;
}

// Parses what requests act on. A stored configuration that does not parse is ignored
// rather than making the bucket unusable.
BucketState derive_state(const BucketMetadata& m) {
  BucketState state;
  state.object_lock = m.lock_enabled || object_lock_xml_enabled(m.object_lock_xml);
  state.versioning = stored_versioning_state(m.versioning_xml);
  if (state.object_lock) state.versioning = VersioningState::kEnabled;
  if (!m.quota_json.empty()) {
    auto q = parse_quota(m.quota_json);
    if (q) state.hard_quota = *q;
  }
  if (!m.cors_xml.empty()) {
    auto cors = parse_cors(m.cors_xml);
    if (cors) state.cors = std::make_shared<const CorsConfiguration>(std::move(cors).value());
  }
  return state;
}

}  // namespace

std::string bucket_metadata_path(const std::string& bucket) {
  return bucket + std::string(kMetadataFile);
}

BucketMetadataStore::BucketMetadataStore(ObjectLayer& layer) : layer_(layer) {}
BucketMetadataStore::~BucketMetadataStore() = default;

Result<std::shared_ptr<const BucketMetadataStore::Entry>> BucketMetadataStore::entry(
    const std::string& bucket) {
  {
    std::shared_lock<std::shared_mutex> lock(cache_mu_);
    auto it = cache_.find(bucket);
    if (it != cache_.end()) return it->second;
  }
  std::lock_guard<std::mutex> io(io_mu_);
  return load_locked(bucket);
}

Result<std::shared_ptr<const BucketMetadataStore::Entry>> BucketMetadataStore::load_locked(
    const std::string& bucket) {
  {
    std::shared_lock<std::shared_mutex> lock(cache_mu_);
    auto it = cache_.find(bucket);
    if (it != cache_.end()) return it->second;
  }
  BucketMetadata metadata;
  Result<std::string> data = layer_.read_bucket_system_object(bucket_metadata_path(bucket));
  if (data) {
    MAXIO_TRY(metadata, decode_bucket_metadata(*data));
    metadata.name = bucket;
    // A bucket deleted behind our back (another server, a drive swap) has stale metadata.
    MAXIO_RETURN_IF_ERROR(no_such_bucket(layer_.get_bucket_info(bucket).status()));
  } else if (data.code() == ErrorCode::kNoSuchKey || data.code() == ErrorCode::kFileNotFound ||
             data.code() == ErrorCode::kNotImplemented) {
    MAXIO_TRY(BucketInfo info, [&]() -> Result<BucketInfo> {
      auto r = layer_.get_bucket_info(bucket);
      if (!r) return no_such_bucket(r.status());
      return r;
    }());
    metadata.name = bucket;
    metadata.created = info.created;
  } else {
    return data.status();
  }
  auto e = std::make_shared<Entry>();
  e->state = derive_state(metadata);
  e->metadata = std::move(metadata);
  std::shared_ptr<const Entry> out = std::move(e);
  std::unique_lock<std::shared_mutex> lock(cache_mu_);
  cache_[bucket] = out;
  return out;
}

Status BucketMetadataStore::write_locked(const BucketMetadata& metadata) {
  MAXIO_RETURN_IF_ERROR(layer_.write_bucket_system_object(bucket_metadata_path(metadata.name),
                                                          encode_bucket_metadata(metadata)));
  auto e = std::make_shared<Entry>();
  e->metadata = metadata;
  e->state = derive_state(metadata);
  std::unique_lock<std::shared_mutex> lock(cache_mu_);
  cache_[metadata.name] = std::move(e);
  return Status::ok();
}

Result<BucketMetadata> BucketMetadataStore::get(const std::string& bucket) {
  MAXIO_TRY(auto e, entry(bucket));
  return e->metadata;
}

Result<BucketState> BucketMetadataStore::state(const std::string& bucket) {
  MAXIO_TRY(auto e, entry(bucket));
  return e->state;
}

Result<VersioningState> BucketMetadataStore::versioning(const std::string& bucket) {
  MAXIO_TRY(auto e, entry(bucket));
  return e->state.versioning;
}

Status BucketMetadataStore::create(const std::string& bucket, Timestamp created, bool object_lock) {
  BucketMetadata m;
  m.name = bucket;
  m.created = created;
  if (object_lock) {
    m.object_lock_xml = std::string(kObjectLockEnabledXml);
    m.versioning_xml = std::string(kVersioningEnabledXml);
    m.object_lock_updated = created;
    m.versioning_updated = created;
  }
  std::lock_guard<std::mutex> io(io_mu_);
  return write_locked(m);
}

Status BucketMetadataStore::update(const std::string& bucket,
                                   const std::function<Status(BucketMetadata&)>& change) {
  std::lock_guard<std::mutex> io(io_mu_);
  MAXIO_TRY(auto e, load_locked(bucket));
  BucketMetadata copy = e->metadata;
  MAXIO_RETURN_IF_ERROR(change(copy));
  copy.name = bucket;
  return write_locked(copy);
}

Status BucketMetadataStore::remove(const std::string& bucket) {
  std::lock_guard<std::mutex> io(io_mu_);
  {
    std::unique_lock<std::shared_mutex> lock(cache_mu_);
    cache_.erase(bucket);
  }
  Status deleted = layer_.delete_bucket_system_object(bucket_metadata_path(bucket));
  if (deleted.code() == ErrorCode::kNoSuchKey || deleted.code() == ErrorCode::kFileNotFound ||
      deleted.code() == ErrorCode::kNotImplemented) {
    return Status::ok();
  }
  return deleted;
}

}  // namespace maxio
