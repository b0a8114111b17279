#include "daemon/storage/erasure/erasure_objects.h"

#include <algorithm>
#include <array>
#include <functional>
#include <mutex>
#include <shared_mutex>

#include "daemon/storage/drive/local_drive.h"
#include "daemon/storage/erasure/bitrot.h"
#include "daemon/storage/list/list_objects.h"
#include "daemon/storage/list/tree_walk.h"
#include "daemon/storage/xlmeta/format.h"
#include "daemon/storage/xlmeta/xl_meta.h"
#include "shared/crypto/hash.h"
#include "shared/util/encoding.h"
#include "shared/util/log.h"
#include "shared/util/strings.h"
#include "shared/util/uuid.h"

namespace maxio {

namespace {

using Clock = std::chrono::system_clock;

constexpr std::string_view kInlineDataKey = "x-minio-internal-inline-data";
constexpr std::string_view kDefaultContentType = "binary/octet-stream";  // what AWS returns
constexpr size_t kLockStripes = 64;
constexpr int64_t kMaxObjectSize = int64_t{5} << 40;  // 5 TiB, S3's limit

std::string meta_volume() { return std::string(kMinioMetaVolume); }

// xl.meta keeps user metadata under the header's canonical MIME name ("X-Amz-Meta-Color"),
// as MinIO writes it; standard headers ("content-type", ...) and "etag" stay lower-case.
std::map<std::string, std::string> to_stored_metadata(
    const std::map<std::string, std::string>& user_defined) {
  std::map<std::string, std::string> stored;
  for (const auto& [name, value] : user_defined) {
    if (!name.starts_with("x-amz-meta-")) {
      stored[name] = value;
      continue;
    }
    std::string canonical = name;
    bool upper = true;
    for (char& c : canonical) {
      if (upper && c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
      upper = c == '-';
    }
    stored[canonical] = value;
  }
  return stored;
}

// Maps drive errors to the S3 errors of an object or bucket operation.
Status object_error(const Status& st) {
  switch (st.code()) {
    case ErrorCode::kVolumeNotFound:
      return Status(ErrorCode::kNoSuchBucket, st.message());
    case ErrorCode::kFileNotFound:
      return Status(ErrorCode::kNoSuchKey, st.message());
    case ErrorCode::kFileVersionNotFound:
      return Status(ErrorCode::kNoSuchVersion, st.message());
    case ErrorCode::kIsNotRegular:
    case ErrorCode::kFileNameTooLong:
      return Status(ErrorCode::kInvalidObjectName, st.message());
    default:
      return st;
  }
}

// Only the null version exists in an unversioned bucket.
Status check_version_id(const std::string& version_id) {
  if (version_id.empty() || version_id == "null") return Status::ok();
  return Status(ErrorCode::kNoSuchVersion, "no version " + version_id);
}

Status check_bucket_name(const std::string& bucket) {
  if (!validate_path_segment(bucket).is_ok() || bucket == kMinioMetaVolume) {
    return Status(ErrorCode::kInvalidBucketName, bucket);
  }
  return Status::ok();
}

// Top-level directories that are not buckets (hidden or reserved names, lost+found).
bool is_listable_bucket(const std::string& name) {
  return !name.empty() && name[0] != '.' && name.find('+') == std::string::npos;
}

int64_t shard_size(const ErasureInfo& e) {
  return (e.block_size + e.data_blocks - 1) / e.data_blocks;
}

// Bytes of one drive's shard for an object of `size` (MinIO's ShardFileSize).
int64_t shard_file_size(const ErasureInfo& e, int64_t size) {
  if (size <= 0) return size;
  int64_t full = size / e.block_size;
  int64_t last = size % e.block_size;
  return full * shard_size(e) + (last + e.data_blocks - 1) / e.data_blocks;
}

ObjectInfo to_object_info(const std::string& bucket, const std::string& key, const FileInfo& fi) {
  ObjectInfo oi;
  oi.bucket = bucket;
  oi.name = key;
  oi.version_id = fi.version_id == "null" ? "" : fi.version_id;
  oi.is_latest = fi.is_latest;
  oi.delete_marker = fi.deleted;
  oi.mod_time = fi.mod_time;
  oi.size = fi.size < 0 ? 0 : static_cast<uint64_t>(fi.size);
  for (const auto& [k, v] : fi.metadata) {
    std::string name = to_lower(k);
    if (name == "etag") {
      oi.etag = v;
    } else if (!name.starts_with("x-minio-internal-")) {
      oi.user_defined[name] = v;
    }
  }
  auto ct = oi.user_defined.find("content-type");
  oi.content_type = ct != oi.user_defined.end() ? ct->second : std::string(kDefaultContentType);
  auto sc = oi.user_defined.find("x-amz-storage-class");
  oi.storage_class = sc != oi.user_defined.end() ? sc->second : "STANDARD";
  return oi;
}

// Streams one version's bytes: the part file (opened before the lock is released) or the
// inline payload, through bitrot verification, restricted to a range.
class ErasureObjectReader final : public ObjectReader {
 public:
  ErasureObjectReader(ObjectInfo info, std::unique_ptr<BitrotReader> source)
      : info_(std::move(info)), source_(std::move(source)), remaining_(info_.size) {}

  const ObjectInfo& info() const override { return info_; }

  Status set_range(uint64_t offset, uint64_t length) override {
    if (offset > info_.size || length > info_.size - offset) {
      return Status(ErrorCode::kInvalidRange, "range outside the object");
    }
    MAXIO_RETURN_IF_ERROR(source_->seek(offset));
    remaining_ = length;
    return Status::ok();
  }

  Result<size_t> read(char* buffer, size_t size) override {
    if (remaining_ == 0 || size == 0) return size_t{0};
    size = static_cast<size_t>(std::min<uint64_t>(size, remaining_));
    MAXIO_TRY(size_t n, source_->read(buffer, size));
    if (n == 0) return Status(ErrorCode::kFileCorrupt, "part file shorter than the object");
    remaining_ -= n;
    return n;
  }

 private:
  ObjectInfo info_;
  std::unique_ptr<BitrotReader> source_;
  uint64_t remaining_;
};

// Removes a tmp/<uuid> directory on every exit path (a no-op once committed).
class TmpDirGuard {
 public:
  TmpDirGuard(StorageApi& drive, std::string path) : drive_(drive), path_(std::move(path)) {}
  ~TmpDirGuard() { (void)drive_.delete_path(meta_volume(), path_, /*recursive=*/true); }

 private:
  StorageApi& drive_;
  std::string path_;
};

class ErasureObjects final : public ObjectLayer {
 public:
  explicit ErasureObjects(std::vector<std::unique_ptr<StorageApi>> drives)
      : drives_(std::move(drives)) {}

  Status load_or_format() {
    std::vector<std::optional<FormatErasure>> formats(drives_.size());
    size_t blank = 0;
    for (size_t i = 0; i < drives_.size(); ++i) {
      auto bytes = drives_[i]->read_all(meta_volume(), std::string(kFormatFile));
      if (!bytes) {
        if (bytes.code() != ErrorCode::kFileNotFound &&
            bytes.code() != ErrorCode::kVolumeNotFound) {
          return bytes.status();
        }
        ++blank;
        continue;
      }
      auto format = parse_format_json(*bytes);
      if (!format) {
        return Status(ErrorCode::kCorruptedFormat,
                      drives_[i]->endpoint() + ": " + format.status().message());
      }
      formats[i] = std::move(*format);
    }
    if (blank == drives_.size()) {
      std::vector<FormatErasure> fresh = new_formats(1, static_cast<int>(drives_.size()));
      for (size_t i = 0; i < drives_.size(); ++i) {
        if (drives_.size() == 1) fresh[i].format = "xl-single";
        MAXIO_RETURN_IF_ERROR(drives_[i]->write_all(meta_volume(), std::string(kFormatFile),
                                                    serialize_format_json(fresh[i])));
        formats[i] = fresh[i];
      }
    } else if (blank > 0) {
      return Status(ErrorCode::kUnformattedDrive, "some drives are formatted and some are blank");
    }
    for (size_t i = 0; i < drives_.size(); ++i) {
      const FormatErasure& f = *formats[i];
      if (f.sets.size() != 1 || f.sets[0].size() != drives_.size() ||
          f.sets[0][i] != f.this_drive || f.id != formats[0]->id) {
        return Status(ErrorCode::kCorruptedFormat,
                      drives_[i]->endpoint() + ": format.json describes " +
                          std::to_string(f.sets.size()) + " set(s) of " +
                          std::to_string(f.sets.empty() ? 0 : f.sets[0].size()) +
                          " drive(s), not this one-drive deployment");
      }
    }
    deployment_id_ = formats[0]->id;
    return Status::ok();
  }

  // Buckets.

  Status make_bucket(const std::string& bucket, const MakeBucketOptions& options) override {
    MAXIO_RETURN_IF_ERROR(check_bucket_name(bucket));
    for (auto& drive : drives_) {
      Status st = drive->make_vol(bucket);
      if (st.code() == ErrorCode::kVolumeExists) {
        return Status(ErrorCode::kBucketAlreadyOwnedByYou, bucket);
      }
      MAXIO_RETURN_IF_ERROR(st);
    }
    return Status::ok();
  }

  Result<BucketInfo> get_bucket_info(const std::string& bucket) override {
    MAXIO_RETURN_IF_ERROR(check_bucket_name(bucket));
    auto vol = drive().stat_vol(bucket);
    if (!vol) return object_error(vol.status());
    return BucketInfo{bucket, vol->created};
  }

  Result<std::vector<BucketInfo>> list_buckets() override {
    MAXIO_TRY(std::vector<VolInfo> vols, drive().list_vols());
    std::vector<BucketInfo> buckets;
    for (auto& v : vols) {
      if (v.name == kMinioMetaVolume || !is_listable_bucket(v.name)) continue;
      buckets.push_back(BucketInfo{v.name, v.created});
    }
    std::sort(buckets.begin(), buckets.end(),
              [](const BucketInfo& a, const BucketInfo& b) { return a.name < b.name; });
    return buckets;
  }

  Status delete_bucket(const std::string& bucket, bool force) override {
    MAXIO_RETURN_IF_ERROR(check_bucket_name(bucket));
    // Exclusive: no object commits between the emptiness check and the removal.
    std::unique_lock<std::shared_mutex> bucket_lock(bucket_lock_for(bucket));
    for (auto& drive : drives_) {
      Status st = drive->delete_vol(bucket, /*force=*/false);
      if (st.code() == ErrorCode::kVolumeNotEmpty) {
        if (!force) {
          // Only objects make a bucket non-empty; stray empty directories do not.
          TreeWalker walker(*drive, WalkOptions{bucket, "", "", true});
          MAXIO_TRY(std::optional<WalkEntry> first, walker.next());
          if (first) return Status(ErrorCode::kBucketNotEmpty, bucket);
        }
        st = drive->delete_vol(bucket, /*force=*/true);
      }
      if (!st) return object_error(st);
      Status meta = drive->delete_path(meta_volume(), std::string(kMinioBucketsDir) + "/" + bucket,
                                       /*recursive=*/true);
      if (!meta && meta.code() != ErrorCode::kFileNotFound) log_warning(meta.to_string());
    }
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
    MAXIO_RETURN_IF_ERROR(bucket_exists(bucket));
    const std::string path = encode_dir_object(key);

    FileInfo fi;
    fi.volume = bucket;
    fi.name = path;
    fi.data_dir = new_uuid();
    fi.mod_time = Clock::now();
    fi.erasure = ErasureInfo{};
    fi.erasure.algorithm = "ReedSolomon";
    fi.erasure.data_blocks = 1;
    fi.erasure.parity_blocks = 0;
    fi.erasure.block_size = kErasureBlockSize;
    fi.erasure.index = 1;
    fi.erasure.distribution = {1};
    fi.erasure.checksums = {ChecksumInfo{1, "HighwayHash256S", ""}};
    const bool inline_data =
        options.size >= 0 && shard_file_size(fi.erasure, options.size) <= kInlineBlock;

    // Stage the shard under .minio.sys/tmp/<uuid>/<data_dir>/part.1 (or in memory).
    const std::string tmp_path = std::string(kMinioTmpDir) + "/" + new_uuid();
    TmpDirGuard guard(drive(), tmp_path);
    StringWriter inline_buffer;
    std::unique_ptr<FileWriter> file;
    if (!inline_data) {
      MAXIO_TRY(file, drive().create_file(meta_volume(), tmp_path + "/" + fi.data_dir + "/part.1"));
    }
    Writer& sink = inline_data ? static_cast<Writer&>(inline_buffer) : *file;
    BitrotWriter bitrot(sink, static_cast<uint64_t>(shard_size(fi.erasure)));
    Hasher md5(HashAlgorithm::kMd5);

    const size_t block = static_cast<size_t>(fi.erasure.block_size);
    std::string buffer(options.size >= 0 ? std::min<int64_t>(options.size, block) : block, '\0');
    uint64_t total = 0;
    while (true) {
      size_t want = block;
      if (options.size >= 0) {
        want = static_cast<size_t>(std::min<uint64_t>(block, options.size - total));
      }
      if (want == 0) break;
      MAXIO_TRY(size_t n, read_full(data, buffer.data(), want));
      md5.update(buffer.data(), n);
      MAXIO_RETURN_IF_ERROR(bitrot.write(buffer.data(), n));
      total += n;
      if (n < want) {
        if (options.size >= 0) {
          return Status(ErrorCode::kIncompleteBody, "body ended after " + std::to_string(total) +
                                                        " of " + std::to_string(options.size) +
                                                        " bytes");
        }
        break;
      }
    }
    if (options.size >= 0) {
      char extra;
      MAXIO_TRY(size_t n, data.read(&extra, 1));
      if (n != 0) {
        return Status(ErrorCode::kContentLengthMismatch, "body longer than its declared size");
      }
    }
    MAXIO_RETURN_IF_ERROR(bitrot.finish());
    if (file) MAXIO_RETURN_IF_ERROR(file->close());
    std::string digest = md5.finish();
    if (options.expected_md5 && *options.expected_md5 != digest) {
      return Status(ErrorCode::kBadDigest, "Content-MD5 does not match the body");
    }

    const std::string etag = hex_encode(digest);
    fi.size = static_cast<int64_t>(total);
    fi.metadata = to_stored_metadata(options.user_defined);
    fi.metadata["etag"] = etag;
    if (!fi.metadata.count("content-type")) {
      fi.metadata["content-type"] = std::string(kDefaultContentType);
    }
    ObjectPartInfo part;
    part.number = 1;
    part.size = fi.size;
    part.actual_size = fi.size;
    part.mod_time = fi.mod_time;
    fi.parts = {part};
    if (inline_data) {
      fi.system_metadata[std::string(kInlineDataKey)] = "true";
      fi.data = inline_buffer.take();
    }

    {
      std::shared_lock<std::shared_mutex> bucket_lock(bucket_lock_for(bucket));
      std::lock_guard<std::mutex> lock(lock_for(bucket, path));
      MAXIO_RETURN_IF_ERROR(check_preconditions(bucket, path, options));
      for (auto& d : drives_) {
        Status st = d->rename_data(meta_volume(), tmp_path, fi, bucket, path);
        if (!st) return object_error(st);
      }
    }
    fi.data.clear();
    return to_object_info(bucket, key, fi);
  }

  Result<ObjectInfo> get_object_info(const std::string& bucket, const std::string& key,
                                     const ObjectOptions& options) override {
    MAXIO_RETURN_IF_ERROR(check_bucket_name(bucket));
    MAXIO_RETURN_IF_ERROR(validate_object_key(key));
    MAXIO_RETURN_IF_ERROR(check_version_id(options.version_id));
    const std::string path = encode_dir_object(key);
    MAXIO_TRY(FileInfo fi, read_latest(bucket, path, false));
    return to_object_info(bucket, key, fi);
  }

  Result<std::unique_ptr<ObjectReader>> open_object(const std::string& bucket,
                                                    const std::string& key,
                                                    const ObjectOptions& options) override {
    MAXIO_RETURN_IF_ERROR(check_bucket_name(bucket));
    MAXIO_RETURN_IF_ERROR(validate_object_key(key));
    MAXIO_RETURN_IF_ERROR(check_version_id(options.version_id));
    const std::string path = encode_dir_object(key);
    FileInfo fi;
    std::unique_ptr<FileReader> source;
    {
      // Metadata and part file are taken together: a commit cannot slip in between.
      std::lock_guard<std::mutex> lock(lock_for(bucket, path));
      MAXIO_TRY(fi, read_latest(bucket, path, true));
      if (fi.erasure.data_blocks != 1 || fi.erasure.parity_blocks != 0) {
        return Status(ErrorCode::kNotImplemented,
                      "objects erasure-coded over several drives are not readable yet");
      }
      if (fi.erasure.block_size <= 0) {
        return Status(ErrorCode::kFileCorrupt,
                      "xl.meta of " + bucket + "/" + key + " has no valid erasure block size");
      }
      if (fi.parts.size() > 1) {
        return Status(ErrorCode::kNotImplemented, "multipart objects are not readable yet");
      }
      // Bytes MinIO stored compressed or encrypted must not be served as if they were the
      // object.
      for (const auto& [name, value] : fi.system_metadata) {
        std::string lower = to_lower(name);
        if (lower.starts_with("x-minio-internal-compression") ||
            lower.starts_with("x-minio-internal-server-side-encryption")) {
          return Status(ErrorCode::kNotImplemented,
                        "compressed or encrypted objects are not readable yet");
        }
      }
      // As MinIO: inline data when present; a version flagged inline without data on this
      // drive is read from its part file.
      if (fi.size == 0 || !fi.data.empty()) {
        source = new_memory_file_reader(std::move(fi.data));
      } else {
        const int part_number = fi.parts.empty() ? 1 : fi.parts.front().number;
        auto file = drive().open_file(
            bucket, path + "/" + fi.data_dir + "/part." + std::to_string(part_number));
        if (!file) {
          if (file.code() == ErrorCode::kFileNotFound) {
            return Status(ErrorCode::kFileCorrupt,
                          "part file of " + bucket + "/" + key + " missing");
          }
          return object_error(file.status());
        }
        source = std::move(*file);
      }
    }
    auto bitrot = std::make_unique<BitrotReader>(std::move(source),
                                                 static_cast<uint64_t>(shard_size(fi.erasure)),
                                                 static_cast<uint64_t>(fi.size));
    return std::unique_ptr<ObjectReader>(
        new ErasureObjectReader(to_object_info(bucket, key, fi), std::move(bitrot)));
  }

  Result<ObjectInfo> copy_object(const std::string& src_bucket, const std::string& src_key,
                                 const ObjectOptions& src_options, const std::string& dst_bucket,
                                 const std::string& dst_key, const CopyPlan& plan) override {
    // The source stays readable while the destination commits: it is streamed from an
    // already open file, so src == dst is a plain rewrite.
    MAXIO_TRY(std::unique_ptr<ObjectReader> source, open_object(src_bucket, src_key, src_options));
    MAXIO_TRY(PutObjectOptions put, plan(source->info()));
    put.size = static_cast<int64_t>(source->info().size);
    return put_object(dst_bucket, dst_key, *source, put);
  }

  Result<DeletedObject> delete_object(const std::string& bucket, const std::string& key,
                                      const ObjectOptions& options) override {
    MAXIO_RETURN_IF_ERROR(check_bucket_name(bucket));
    MAXIO_RETURN_IF_ERROR(validate_object_key(key));
    MAXIO_RETURN_IF_ERROR(check_version_id(options.version_id));
    MAXIO_RETURN_IF_ERROR(bucket_exists(bucket));
    const std::string path = encode_dir_object(key);
    DeletedObject deleted;
    deleted.name = key;
    deleted.version_id = options.version_id;
    std::lock_guard<std::mutex> lock(lock_for(bucket, path));
    for (auto& d : drives_) {
      FileInfo fi;
      fi.volume = bucket;
      fi.name = path;
      Status st = d->delete_version(bucket, path, fi);
      if (!st && st.code() != ErrorCode::kFileNotFound &&
          st.code() != ErrorCode::kFileVersionNotFound) {
        return object_error(st);
      }
    }
    return deleted;
  }

  std::vector<Result<DeletedObject>> delete_objects(
      const std::string& bucket, const std::vector<ObjectToDelete>& objects) override {
    std::vector<Result<DeletedObject>> results;
    results.reserve(objects.size());
    for (const auto& o : objects) {
      ObjectOptions options;
      options.version_id = o.version_id;
      results.push_back(delete_object(bucket, o.name, options));
    }
    return results;
  }

  // Listing.

  Result<ListObjectsInfo> list_objects(const std::string& bucket, const std::string& prefix,
                                       const std::string& marker, const std::string& delimiter,
                                       int max_keys) override {
    MAXIO_RETURN_IF_ERROR(check_bucket_name(bucket));
    MAXIO_RETURN_IF_ERROR(bucket_exists(bucket));
    auto info = [this, &bucket](const WalkEntry& entry) -> Result<std::optional<ObjectInfo>> {
      auto fi = drive().read_version(bucket, entry.path, "", false);
      if (!fi) {
        switch (fi.code()) {
          case ErrorCode::kFileNotFound:
          case ErrorCode::kFileVersionNotFound:
            return std::optional<ObjectInfo>();
          case ErrorCode::kFileCorrupt:
            log_warning("listing skips corrupt " + bucket + "/" + entry.path + "/xl.meta");
            return std::optional<ObjectInfo>();
          default:
            return object_error(fi.status());
        }
      }
      if (fi->deleted) return std::optional<ObjectInfo>();
      return std::optional<ObjectInfo>(to_object_info(bucket, entry.key, *fi));
    };
    auto result = list_objects_on_drive(drive(), bucket, prefix, marker, delimiter, max_keys, info);
    if (!result) return object_error(result.status());
    return result;
  }

  Result<ListObjectVersionsInfo> list_object_versions(
      const std::string& bucket, const std::string& prefix, const std::string& key_marker,
      const std::string& version_id_marker, const std::string& delimiter, int max_keys) override {
    if (!version_id_marker.empty() && key_marker.empty()) {
      return Status(ErrorCode::kInvalidArgumentS3,
                    "A version-id marker cannot be specified without a key marker.");
    }
    // Unversioned: one null version per key, so a (key, version) marker is a key marker.
    MAXIO_TRY(ListObjectsInfo list, list_objects(bucket, prefix, key_marker, delimiter, max_keys));
    ListObjectVersionsInfo out;
    out.versions = std::move(list.objects);
    for (auto& v : out.versions) {
      v.version_id.clear();
      v.is_latest = true;
    }
    out.prefixes = std::move(list.prefixes);
    out.is_truncated = list.is_truncated;
    if (list.is_truncated) {
      out.next_key_marker = list.next_marker;
      out.next_version_id_marker = "null";
    }
    return out;
  }

 private:
  // Single-drive set: every read goes to the one drive. The erasure engine replaces this
  // with quorum reads over drives_.
  StorageApi& drive() { return *drives_[0]; }

  std::mutex& lock_for(const std::string& bucket, const std::string& path) {
    return locks_[std::hash<std::string>{}(bucket + "/" + path) % kLockStripes];
  }

  // Held shared while an object commits into `bucket`, exclusively while it is deleted;
  // taken before any lock_for().
  std::shared_mutex& bucket_lock_for(const std::string& bucket) {
    return bucket_locks_[std::hash<std::string>{}(bucket) % kLockStripes];
  }

  Status bucket_exists(const std::string& bucket) {
    auto vol = drive().stat_vol(bucket);
    if (!vol) return object_error(vol.status());
    return Status::ok();
  }

  Result<FileInfo> read_latest(const std::string& bucket, const std::string& path, bool read_data) {
    auto fi = drive().read_version(bucket, path, "", read_data);
    if (!fi) {
      Status st = object_error(fi.status());
      if (st.code() == ErrorCode::kNoSuchKey || st.code() == ErrorCode::kNoSuchVersion) {
        // A missing bucket reads as a missing key on the drive; tell them apart.
        MAXIO_RETURN_IF_ERROR(bucket_exists(bucket));
        return Status(ErrorCode::kNoSuchKey, bucket + "/" + path);
      }
      return st;
    }
    if (fi->deleted) return Status(ErrorCode::kNoSuchKey, bucket + "/" + path);
    return fi;
  }

  // Called with the object's lock held.
  Status check_preconditions(const std::string& bucket, const std::string& path,
                             const PutObjectOptions& options) {
    if (!options.if_match && !options.if_none_match_any) return Status::ok();
    auto current = read_latest(bucket, path, false);
    if (!current && current.code() != ErrorCode::kNoSuchKey) return current.status();
    if (options.if_none_match_any && current.is_ok()) {
      return Status(ErrorCode::kPreconditionFailed, "object exists (If-None-Match: *)");
    }
    if (options.if_match) {
      if (!current.is_ok()) return Status(ErrorCode::kPreconditionFailed, "object missing");
      auto etag = current->metadata.find("etag");
      if (etag == current->metadata.end() || etag->second != *options.if_match) {
        return Status(ErrorCode::kPreconditionFailed, "ETag does not match If-Match");
      }
    }
    return Status::ok();
  }

  std::vector<std::unique_ptr<StorageApi>> drives_;
  std::string deployment_id_;
  std::array<std::mutex, kLockStripes> locks_;
  std::array<std::shared_mutex, kLockStripes> bucket_locks_;
};

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
  if (drives.size() > 1) {
    return Status(ErrorCode::kNotImplemented,
                  "erasure coding over " + std::to_string(drives.size()) +
                      " drives is not implemented yet; start with a single drive");
  }
  auto layer = std::make_unique<ErasureObjects>(std::move(drives));
  MAXIO_RETURN_IF_ERROR(layer->load_or_format());
  return std::unique_ptr<ObjectLayer>(std::move(layer));
}

}  // namespace maxio
