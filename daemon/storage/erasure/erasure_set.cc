#include "daemon/storage/erasure/erasure_set.h"

#include <algorithm>
#include <map>
#include <thread>

#include "daemon/storage/erasure/bitrot.h"
#include "daemon/storage/erasure/erasure_coding.h"
#include "daemon/storage/erasure/internal/fan_out.h"
#include "daemon/storage/erasure/internal/quorum.h"
#include "daemon/storage/erasure/placement.h"
#include "daemon/storage/erasure/reed_solomon.h"
#include "daemon/storage/list/merge_walk.h"
#include "daemon/storage/list/tree_walk.h"
#include "daemon/storage/xlmeta/xl_meta.h"
#include "shared/crypto/hash.h"
#include "shared/util/encoding.h"
#include "shared/util/log.h"
#include "shared/util/strings.h"
#include "shared/util/uuid.h"

namespace maxio {

namespace {

using erasure_internal::for_each_parallel;
using erasure_internal::kDefaultContentType;
using erasure_internal::meta_volume;

using Clock = std::chrono::system_clock;

constexpr std::string_view kInlineDataKey = "x-minio-internal-inline-data";
// The S3 checksum of a version (ObjectInfo::checksum), MinIO's MetaSys key.
constexpr std::string_view kChecksumKey = "x-minio-internal-crc";

// xl.meta keeps user metadata under the header's canonical MIME name ("X-Amz-Meta-Color"),
// as MinIO writes it; standard headers ("content-type", ...) and "etag" stay lower-case.
std::map<std::string, std::string> to_stored_metadata(
    const std::map<std::string, std::string>& user_defined) {
  std::map<std::string, std::string> stored;
  for (const auto& [name, value] : user_defined) {
    if (name == "x-amz-tagging") {
      stored["X-Amz-Tagging"] = value;  // MinIO's spelling
      continue;
    }
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

bool is_not_found(ErrorCode code) {
  return code == ErrorCode::kFileNotFound || code == ErrorCode::kFileVersionNotFound ||
         code == ErrorCode::kVolumeNotFound;
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

// What two drives must agree on for their xl.meta to describe the same version.
std::string version_signature(const FileInfo& fi) {
  std::string sig = fi.version_id + "|" + fi.data_dir + "|" +
                    std::to_string(fi.mod_time.time_since_epoch().count()) + "|" +
                    std::to_string(fi.size) + "|" + (fi.deleted ? "d" : "") + "|" +
                    std::to_string(fi.erasure.data_blocks) + "+" +
                    std::to_string(fi.erasure.parity_blocks) + "|" +
                    std::to_string(fi.erasure.block_size) + "|" + std::to_string(fi.parts.size());
  for (int d : fi.erasure.distribution) sig += "," + std::to_string(d);
  auto etag = fi.metadata.find("etag");
  if (etag != fi.metadata.end()) sig += "|" + etag->second;
  return sig;
}

// Drives that must agree on a version for it to be read: its data shards, or half the set
// for a delete marker (MinIO's).
int version_read_quorum(const FileInfo& fi, int drives) {
  if (fi.deleted) return std::max(1, drives / 2);
  return std::max(1, fi.erasure.data_blocks);
}

ErasureGeometry geometry_of(const FileInfo& fi) {
  return ErasureGeometry{fi.erasure.data_blocks, fi.erasure.parity_blocks, fi.erasure.block_size};
}

// Objects this engine cannot serve yet; refused rather than served as raw bytes.
Status check_readable(const FileInfo& fi, const std::string& what) {
  const int k = fi.erasure.data_blocks;
  const int m = fi.erasure.parity_blocks;
  if (k < 1 || m < 0 || k + m > 256 || fi.erasure.block_size <= 0) {
    return Status(ErrorCode::kFileCorrupt, "xl.meta of " + what + " has an invalid erasure layout");
  }
  int64_t parts_size = 0;
  for (const ObjectPartInfo& part : fi.parts) parts_size += part.size;
  if (fi.parts.size() > 1 && parts_size != fi.size) {
    return Status(ErrorCode::kFileCorrupt, "parts of " + what + " do not add up to its size");
  }
  for (const auto& [name, value] : fi.system_metadata) {
    std::string lower = to_lower(name);
    if (lower.starts_with("x-minio-internal-compression") ||
        lower.starts_with("x-minio-internal-server-side-encryption")) {
      return Status(ErrorCode::kNotImplemented,
                    "compressed or encrypted objects are not readable yet");
    }
  }
  return Status::ok();
}

// The file of the part at `index` of version fi in object directory `path`.
std::string part_path(const std::string& path, const FileInfo& fi, size_t index = 0) {
  const int part_number = index < fi.parts.size() ? fi.parts[index].number : 1;
  return path + "/" + fi.data_dir + "/part." + std::to_string(part_number);
}

// Bytes of the part at `index` of fi (the whole object for a version without parts).
int64_t part_size(const FileInfo& fi, size_t index) {
  return fi.parts.size() > 1 ? fi.parts[index].size : fi.size;
}

size_t part_count(const FileInfo& fi) { return std::max<size_t>(1, fi.parts.size()); }

// Removes a tmp/<uuid> directory on each drive on every exit path.
class TmpDirsGuard {
 public:
  TmpDirsGuard(const std::vector<std::shared_ptr<MonitoredDrive>>& drives, std::string path)
      : drives_(drives), path_(std::move(path)) {}
  ~TmpDirsGuard() {
    for (size_t d = 0; d < drives_.size(); ++d) {
      if (used_.size() > d && used_[d]) {
        (void)drives_[d]->delete_path(meta_volume(), path_, /*recursive=*/true);
      }
    }
  }
  void use(size_t drive) {
    if (used_.size() < drives_.size()) used_.resize(drives_.size(), false);
    used_[drive] = true;
  }
  const std::string& path() const { return path_; }

 private:
  const std::vector<std::shared_ptr<MonitoredDrive>>& drives_;
  std::string path_;
  std::vector<bool> used_;
};

// One drive's staged shard: a part file in tmp (or bytes kept for inline data), framed by
// bitrot hashes.
struct StagedShard {
  std::unique_ptr<FileWriter> file;
  std::unique_ptr<StringWriter> inline_bytes;
  std::unique_ptr<BitrotWriter> bitrot;
  bool ok = false;
};

// Opens staging for each drive in `targets`: shard of drive d goes to staged[d].
void open_staging(const std::vector<std::shared_ptr<MonitoredDrive>>& drives,
                  const std::vector<bool>& targets, bool inline_data, const FileInfo& fi,
                  TmpDirsGuard& guard, uint64_t shard_size, std::vector<StagedShard>& staged,
                  int part_number = 1) {
  staged.resize(drives.size());
  for (size_t d = 0; d < drives.size(); ++d) {
    if (!targets[d]) continue;
    StagedShard& s = staged[d];
    if (!inline_data) {
      guard.use(d);
      auto file = drives[d]->create_file(
          meta_volume(), guard.path() + "/" + fi.data_dir + "/part." + std::to_string(part_number));
      if (!file) {
        log_warning("cannot stage a shard on " + drives[d]->endpoint() + ": " +
                    file.status().to_string());
        continue;
      }
      s.file = std::move(*file);
      s.bitrot = std::make_unique<BitrotWriter>(*s.file, shard_size);
    } else {
      s.inline_bytes = std::make_unique<StringWriter>();
      s.bitrot = std::make_unique<BitrotWriter>(*s.inline_bytes, shard_size);
    }
    s.ok = true;
  }
}

// Finishes every staged shard (last bitrot frame, fsync) in parallel; returns how many
// succeeded.
int finish_staging(const std::vector<std::shared_ptr<MonitoredDrive>>& drives,
                   std::vector<StagedShard>& staged) {
  for_each_parallel(staged.size(), [&](size_t d) {
    StagedShard& s = staged[d];
    if (!s.ok) return;
    Status st = s.bitrot->finish();
    if (st && s.file) st = s.file->close();
    if (!st) {
      log_warning("staging a shard on " + drives[d]->endpoint() + " failed: " + st.to_string());
      s.ok = false;
    }
  });
  return static_cast<int>(
      std::count_if(staged.begin(), staged.end(), [](const StagedShard& s) { return s.ok; }));
}

// Opens the decoder of the part at `index`; the count of its shards missing at open goes
// to `missing`.
using PartDecoderFn =
    std::function<Result<std::unique_ptr<ErasureDecoder>>(size_t index, size_t& missing)>;

// Streams one version's bytes through the erasure decoder of each part in turn, restricted
// to a range; queues the object for healing when a shard turned out missing or corrupt.
// The first part's shards are opened with the metadata; a later part's when reading
// reaches it.
class ErasureObjectReader final : public ObjectReader {
 public:
  ErasureObjectReader(ObjectInfo info, std::unique_ptr<ErasureDecoder> decoder,
                      std::vector<int> missing_at_open, HealRequestFn request_heal,
                      std::vector<uint64_t> part_sizes = {}, PartDecoderFn open_part = {})
      : info_(std::move(info)),
        decoder_(std::move(decoder)),
        missing_(missing_at_open.size()),
        request_heal_(std::move(request_heal)),
        part_sizes_(std::move(part_sizes)),
        open_part_(std::move(open_part)),
        remaining_(info_.size) {
    if (part_sizes_.empty()) part_sizes_.push_back(info_.size);
    part_remaining_ = part_sizes_[0];
  }

  ~ErasureObjectReader() override { note_failures(); }

  const ObjectInfo& info() const override { return info_; }

  Status set_range(uint64_t offset, uint64_t length) override {
    if (offset > info_.size || length > info_.size - offset) {
      return Status(ErrorCode::kInvalidRange);
    }
    size_t index = 0;
    uint64_t start = 0;
    while (index + 1 < part_sizes_.size() && offset >= start + part_sizes_[index]) {
      start += part_sizes_[index++];
    }
    if (index != part_) MAXIO_RETURN_IF_ERROR(switch_to(index));
    const uint64_t in_part = std::min(length, part_sizes_[index] - (offset - start));
    MAXIO_RETURN_IF_ERROR(decoder_->set_range(offset - start, in_part));
    part_remaining_ = in_part;
    remaining_ = length;
    return Status::ok();
  }

  Result<size_t> read(char* buffer, size_t size) override {
    if (remaining_ == 0 || size == 0) return size_t{0};
    while (part_remaining_ == 0) {
      if (part_ + 1 >= part_sizes_.size()) {
        return Status(ErrorCode::kFileCorrupt, "parts shorter than the object");
      }
      MAXIO_RETURN_IF_ERROR(switch_to(part_ + 1));
      part_remaining_ = std::min(remaining_, part_sizes_[part_]);
      if (part_remaining_ < part_sizes_[part_]) {
        MAXIO_RETURN_IF_ERROR(decoder_->set_range(0, part_remaining_));
      }
    }
    size = static_cast<size_t>(std::min<uint64_t>(size, part_remaining_));
    MAXIO_TRY(size_t n, decoder_->read(buffer, size));
    if (n == 0) return Status(ErrorCode::kFileCorrupt, "shards shorter than the object");
    remaining_ -= n;
    part_remaining_ -= n;
    return n;
  }

 private:
  Status switch_to(size_t index) {
    if (!open_part_) return Status(ErrorCode::kInternal, "no part opener");
    note_failures();
    size_t missing = 0;
    MAXIO_TRY(decoder_, open_part_(index, missing));
    missing_ = missing;
    part_ = index;
    return Status::ok();
  }

  void note_failures() {
    if (request_heal_ && !heal_requested_ && decoder_ &&
        decoder_->failed_shards().size() > missing_) {
      heal_requested_ = true;
      request_heal_(info_.bucket, info_.name);
    }
  }

  ObjectInfo info_;
  std::unique_ptr<ErasureDecoder> decoder_;
  size_t missing_;
  HealRequestFn request_heal_;
  std::vector<uint64_t> part_sizes_;
  PartDecoderFn open_part_;
  size_t part_ = 0;
  uint64_t remaining_;
  uint64_t part_remaining_ = 0;
  bool heal_requested_ = false;
};

// What open_object returns for a delete marker: its metadata and no bytes.
class DeleteMarkerReader final : public ObjectReader {
 public:
  explicit DeleteMarkerReader(ObjectInfo info) : info_(std::move(info)) {}
  const ObjectInfo& info() const override { return info_; }
  Status set_range(uint64_t offset, uint64_t length) override {
    if (offset == 0 && length == 0) return Status::ok();
    return Status(ErrorCode::kInvalidRange, "a delete marker has no bytes");
  }
  Result<size_t> read(char*, size_t) override { return size_t{0}; }

 private:
  ObjectInfo info_;
};

}  // namespace

ObjectInfo file_info_to_object_info(const std::string& bucket, const std::string& key,
                                    const FileInfo& fi) {
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
  if (auto crc = fi.system_metadata.find(std::string(kChecksumKey));
      crc != fi.system_metadata.end()) {
    oi.checksum = crc->second;
  }
  auto ct = oi.user_defined.find("content-type");
  oi.content_type = ct != oi.user_defined.end() ? ct->second : std::string(kDefaultContentType);
  auto sc = oi.user_defined.find("x-amz-storage-class");
  oi.storage_class = sc != oi.user_defined.end() ? sc->second : "STANDARD";
  for (const ObjectPartInfo& part : fi.parts) {
    oi.parts.push_back({part.number, static_cast<uint64_t>(std::max<int64_t>(0, part.size))});
  }
  return oi;
}

ErasureSet::ErasureSet(ErasureSetConfig config, std::vector<std::shared_ptr<MonitoredDrive>> drives,
                       HealRequestFn request_heal)
    : config_(config), drives_(std::move(drives)), request_heal_(std::move(request_heal)) {}

ErasureSet::~ErasureSet() = default;

int ErasureSet::online_drives() const {
  return static_cast<int>(std::count_if(drives_.begin(), drives_.end(), [](const auto& d) {
    return d->state() != DriveState::kOffline;
  }));
}

std::shared_ptr<const ReedSolomon> ErasureSet::codec(int data, int parity) {
  std::lock_guard<std::mutex> lock(codecs_mu_);
  for (const auto& c : codecs_) {
    if (c->data_shards() == data && c->parity_shards() == parity) return c;
  }
  auto created = ReedSolomon::create(data, parity);
  if (!created) return nullptr;
  auto shared = std::make_shared<const ReedSolomon>(std::move(*created));
  codecs_.push_back(shared);
  return shared;
}

std::mutex& ErasureSet::lock_for(const std::string& bucket, const std::string& path) {
  return locks_[std::hash<std::string>{}(bucket + "/" + path) % kLockStripes];
}

int ErasureSet::parity_for(const PutObjectOptions& options) const {
  auto sc = options.user_defined.find("x-amz-storage-class");
  if (sc != options.user_defined.end() && sc->second == "REDUCED_REDUNDANCY") {
    return config_.rrs_parity;
  }
  return config_.standard_parity;
}

// Buckets.

Status ErasureSet::make_bucket(const std::string& bucket) {
  const int n = static_cast<int>(drives_.size());
  std::vector<Status> results(drives_.size());
  for_each_parallel(drives_.size(), [&](size_t d) { results[d] = drives_[d]->make_vol(bucket); });
  int made = 0, existed = 0;
  Status last_error;
  for (const auto& st : results) {
    if (st) {
      ++made;
    } else if (st.code() == ErrorCode::kVolumeExists) {
      ++existed;
    } else {
      last_error = st;
    }
  }
  const int quorum = n / 2 + 1;
  if (existed >= quorum || (existed > 0 && made == 0)) {
    return Status(ErrorCode::kBucketAlreadyOwnedByYou, bucket);
  }
  if (made + existed < quorum) {
    return Status(ErrorCode::kInsufficientWriteQuorum,
                  "bucket " + bucket + " created on " + std::to_string(made) + " of " +
                      std::to_string(n) + " drives: " + last_error.to_string());
  }
  return Status::ok();
}

Result<BucketInfo> ErasureSet::stat_bucket(const std::string& bucket) {
  int found = 0, missing = 0;
  std::optional<BucketInfo> info;
  for (auto& drive : drives_) {
    auto vol = drive->stat_vol(bucket);
    if (vol) {
      ++found;
      if (!info || vol->created < info->created) info = BucketInfo{bucket, vol->created};
    } else if (vol.code() == ErrorCode::kVolumeNotFound) {
      ++missing;
    }
  }
  const int n = static_cast<int>(drives_.size());
  // Read quorum for buckets is half the drives (MinIO's): a bucket is there when at least
  // half of the drives have it.
  if (found * 2 >= n && found > 0) return *info;
  if (missing * 2 >= n || found + missing > 0) return Status(ErrorCode::kNoSuchBucket, bucket);
  return Status(ErrorCode::kInsufficientReadQuorum, "no drive of the set answers");
}

Result<std::vector<BucketInfo>> ErasureSet::list_buckets() {
  std::map<std::string, std::pair<int, Timestamp>> seen;
  int answered = 0;
  for (auto& drive : drives_) {
    auto vols = drive->list_vols();
    if (!vols) continue;
    ++answered;
    for (const auto& v : *vols) {
      if (v.name.empty() || v.name[0] == '.' || v.name.find('+') != std::string::npos) continue;
      auto [it, inserted] = seen.try_emplace(v.name, 0, v.created);
      ++it->second.first;
      if (v.created < it->second.second) it->second.second = v.created;
    }
  }
  if (answered == 0) {
    return Status(ErrorCode::kInsufficientReadQuorum, "no drive of the set answers");
  }
  std::vector<BucketInfo> out;
  const int n = static_cast<int>(drives_.size());
  for (const auto& [name, entry] : seen) {
    if (entry.first * 2 >= n) out.push_back(BucketInfo{name, entry.second});
  }
  return out;
}

Result<bool> ErasureSet::bucket_has_objects(const std::string& bucket) {
  for (auto& drive : drives_) {
    if (drive->state() == DriveState::kOffline) continue;
    TreeWalker walker(*drive, WalkOptions{bucket, "", "", true});
    auto first = walker.next();
    if (!first) {
      if (first.code() == ErrorCode::kVolumeNotFound) continue;
      return first.status();
    }
    if (*first) return true;
  }
  return false;
}

Status ErasureSet::delete_bucket(const std::string& bucket, bool force) {
  int deleted = 0;
  for (auto& drive : drives_) {
    Status st = drive->delete_vol(bucket, force);
    if (st.code() == ErrorCode::kVolumeNotEmpty) {
      // Only objects make a bucket non-empty (checked by the caller); stray directories and
      // remnants of failed writes go with it.
      st = drive->delete_vol(bucket, /*force=*/true);
    }
    if (st || st.code() == ErrorCode::kVolumeNotFound) {
      ++deleted;
    } else {
      log_warning("delete bucket " + bucket + " on " + drive->endpoint() + ": " + st.to_string());
    }
    Status meta = drive->delete_path(meta_volume(), std::string(kMinioBucketsDir) + "/" + bucket,
                                     /*recursive=*/true);
    if (!meta && meta.code() != ErrorCode::kFileNotFound &&
        meta.code() != ErrorCode::kDriveFaulty) {
      log_warning(meta.to_string());
    }
  }
  const int n = static_cast<int>(drives_.size());
  if (deleted < n / 2 + 1) {
    return Status(ErrorCode::kInsufficientWriteQuorum, "bucket " + bucket + " removed from " +
                                                           std::to_string(deleted) + " of " +
                                                           std::to_string(n) + " drives");
  }
  return Status::ok();
}

Status ErasureSet::heal_bucket(const std::string& bucket) {
  int found = 0;
  std::vector<int> missing;
  for (size_t d = 0; d < drives_.size(); ++d) {
    auto vol = drives_[d]->stat_vol(bucket);
    if (vol) {
      ++found;
    } else if (vol.code() == ErrorCode::kVolumeNotFound) {
      missing.push_back(static_cast<int>(d));
    }
  }
  const int n = static_cast<int>(drives_.size());
  if (found * 2 < n) return Status::ok();  // not a bucket of this set (or already gone)
  for (int d : missing) {
    Status st = drives_[d]->make_vol(bucket);
    if (!st && st.code() != ErrorCode::kVolumeExists) return st;
    log_info("healed bucket " + bucket + " on " + drives_[d]->endpoint());
  }
  return Status::ok();
}

// Quorum reads.

Result<ErasureSet::Quorum> ErasureSet::read_quorum_metadata(const std::string& bucket,
                                                            const std::string& path,
                                                            const std::string& version_id,
                                                            bool read_data) {
  Quorum q;
  const size_t n = drives_.size();
  q.per_drive.reserve(n);
  for (size_t d = 0; d < n; ++d) {
    q.per_drive.push_back(drives_[d]->read_version(bucket, path, version_id, read_data));
  }
  std::map<std::string, std::pair<int, size_t>> groups;  // signature -> (count, first drive)
  for (size_t d = 0; d < n; ++d) {
    const auto& r = q.per_drive[d];
    if (r) {
      ++q.holding_any;
      auto [it, inserted] = groups.try_emplace(version_signature(*r), 0, d);
      ++it->second.first;
    } else if (is_not_found(r.code())) {
      ++q.not_found;
      if (r.code() == ErrorCode::kVolumeNotFound) ++q.bucket_missing;
    } else {
      ++q.unreachable;
    }
  }
  const FileInfo* best = nullptr;
  std::string best_sig;
  int best_count = 0;
  for (const auto& [sig, entry] : groups) {
    const FileInfo& fi = *q.per_drive[entry.second];
    if (entry.first > best_count ||
        (entry.first == best_count && best && fi.mod_time > best->mod_time)) {
      best = &fi;
      best_sig = sig;
      best_count = entry.first;
    }
  }
  q.agrees.assign(n, false);
  if (best) {
    for (size_t d = 0; d < n; ++d) {
      if (q.per_drive[d] && version_signature(*q.per_drive[d]) == best_sig) q.agrees[d] = true;
    }
    q.fi = *best;
    // User metadata is not part of the signature (an in-place metadata update keeps the
    // version): a drive that missed one must not be what readers see, so the metadata
    // most drives of the group hold wins.
    std::map<std::map<std::string, std::string>, int> metadata_votes;
    int top_votes = 0;
    for (size_t d = 0; d < n; ++d) {
      if (!q.agrees[d]) continue;
      int votes = ++metadata_votes[q.per_drive[d]->metadata];
      if (votes > top_votes) {
        top_votes = votes;
        q.fi->metadata = q.per_drive[d]->metadata;
      }
    }
    q.fi->data.clear();
    q.agreeing = best_count;
  }
  const int read_quorum = best ? version_read_quorum(*best, static_cast<int>(n)) : 1;
  if (best && best_count >= read_quorum) {
    q.status = Status::ok();
  } else if (q.bucket_missing * 2 > static_cast<int>(n)) {
    q.status = Status(ErrorCode::kNoSuchBucket, bucket);
  } else if (q.not_found * 2 > static_cast<int>(n) || (q.not_found > 0 && q.unreachable == 0)) {
    q.status = Status(ErrorCode::kNoSuchKey, bucket + "/" + path);
  } else {
    q.status = Status(ErrorCode::kInsufficientReadQuorum,
                      bucket + "/" + path + ": " + std::to_string(best_count) + " of " +
                          std::to_string(n) + " drives agree, " + std::to_string(q.unreachable) +
                          " unreachable");
  }
  return q;
}

// Objects.

Result<ObjectInfo> ErasureSet::put_object(const std::string& bucket, const std::string& key,
                                          Reader& data, const PutObjectOptions& options) {
  const std::string path = encode_dir_object(key);
  const int n = static_cast<int>(drives_.size());
  int parity = parity_for(options);
  // As MinIO: with drives offline, new objects get more parity (up to half the set) so they
  // keep the protection they were meant to have.
  const int offline = n - online_drives();
  if (offline > 0 && parity < n / 2) parity = std::min(parity + offline, n / 2);
  const int k = n - parity;
  const int write_quorum = k == parity ? k + 1 : k;
  auto rs = codec(k, parity);
  if (!rs)
    return Status(ErrorCode::kInternal,
                  "no codec for " + std::to_string(k) + "+" + std::to_string(parity));

  FileInfo fi;
  fi.volume = bucket;
  fi.name = path;
  // Enabled: a version of its own; otherwise the null version, replaced.
  if (options.versioned) fi.version_id = new_uuid();
  fi.data_dir = new_uuid();
  fi.mod_time = Clock::now();
  fi.erasure.algorithm = "ReedSolomon";
  fi.erasure.data_blocks = k;
  fi.erasure.parity_blocks = parity;
  fi.erasure.block_size = kErasureBlockSize;
  // MinIO hashes "bucket/object" for the shard order (the set index hashes the key alone).
  fi.erasure.distribution = hash_order(bucket + "/" + key, n);
  fi.erasure.checksums = {ChecksumInfo{1, "HighwayHash256S", ""}};
  const ErasureGeometry geometry = geometry_of(fi);
  const bool inline_data =
      options.size >= 0 && geometry.shard_file_size(options.size) <= kInlineBlock;

  TmpDirsGuard guard(drives_, std::string(kMinioTmpDir) + "/" + new_uuid());
  // Drives that cannot take the object (offline, or the bucket is gone from them) are left
  // out before anything is written, so a write below quorum leaves no trace.
  std::vector<bool> targets(n);
  int reachable = 0;
  for (int d = 0; d < n; ++d) {
    targets[d] =
        drives_[d]->state() != DriveState::kOffline && drives_[d]->stat_vol(bucket).is_ok();
    reachable += targets[d];
  }
  if (reachable < write_quorum) {
    return Status(ErrorCode::kInsufficientWriteQuorum,
                  std::to_string(reachable) + " of " + std::to_string(n) + " drives can take " +
                      bucket + "/" + key + ", write quorum is " + std::to_string(write_quorum));
  }
  std::vector<StagedShard> staged;
  open_staging(drives_, targets, inline_data, fi, guard,
               static_cast<uint64_t>(geometry.shard_size()), staged);
  std::vector<Writer*> shard_writers(n, nullptr);
  for (int d = 0; d < n; ++d) {
    if (staged[d].ok) shard_writers[fi.erasure.distribution[d] - 1] = staged[d].bitrot.get();
  }

  Hasher md5(HashAlgorithm::kMd5);
  MAXIO_TRY(EncodeResult encoded,
            erasure_encode(
                *rs, kErasureBlockSize, data, options.size, shard_writers, write_quorum,
                [&md5](const char* p, size_t len) { md5.update(p, len); }, ObserveOn::kOwnThread));
  for (int d = 0; d < n; ++d) {
    if (staged[d].ok && encoded.failed[fi.erasure.distribution[d] - 1]) staged[d].ok = false;
  }
  if (finish_staging(drives_, staged) < write_quorum) {
    return Status(ErrorCode::kInsufficientWriteQuorum,
                  "too few drives accepted the shards of " + bucket + "/" + key);
  }
  std::string digest = md5.finish();
  if (options.expected_md5 && *options.expected_md5 != digest) {
    return Status(ErrorCode::kBadDigest, "Content-MD5 does not match the body");
  }

  fi.size = static_cast<int64_t>(encoded.bytes);
  fi.metadata = to_stored_metadata(options.user_defined);
  fi.metadata["etag"] = hex_encode(digest);
  if (!fi.metadata.count("content-type")) {
    fi.metadata["content-type"] = std::string(kDefaultContentType);
  }
  ObjectPartInfo part;
  part.number = 1;
  part.size = fi.size;
  part.actual_size = fi.size;
  part.mod_time = fi.mod_time;
  fi.parts = {part};
  if (inline_data) fi.system_metadata[std::string(kInlineDataKey)] = "true";
  if (options.checksum) {
    std::string checksum = options.checksum();
    if (!checksum.empty()) fi.system_metadata[std::string(kChecksumKey)] = std::move(checksum);
  }

  {
    std::lock_guard<std::mutex> lock(lock_for(bucket, path));
    if (options.if_match || options.if_none_match_any) {
      MAXIO_TRY(Quorum current, read_quorum_metadata(bucket, path, "", false));
      const bool exists = current.status.is_ok() && !current.fi->deleted;
      if (!current.status && current.status.code() != ErrorCode::kNoSuchKey) {
        return current.status;
      }
      if (options.if_none_match_any && exists) {
        return Status(ErrorCode::kPreconditionFailed, "object exists (If-None-Match: *)");
      }
      if (options.if_match) {
        if (!exists) return Status(ErrorCode::kPreconditionFailed, "object missing");
        auto etag = current.fi->metadata.find("etag");
        if (etag == current.fi->metadata.end() || etag->second != *options.if_match) {
          return Status(ErrorCode::kPreconditionFailed, "ETag does not match If-Match");
        }
      }
    }
    std::vector<Status> committed(n, Status(ErrorCode::kDriveFaulty, "not written"));
    for_each_parallel(static_cast<size_t>(n), [&](size_t d) {
      if (!staged[d].ok) return;
      FileInfo mine = fi;
      mine.erasure.index = fi.erasure.distribution[d];
      if (inline_data) mine.data = staged[d].inline_bytes->take();
      committed[d] = drives_[d]->rename_data(meta_volume(), guard.path(), mine, bucket, path);
    });
    int ok = 0;
    Status first_error;
    for (const auto& st : committed) {
      if (st) {
        ++ok;
      } else if (first_error.is_ok()) {
        first_error = st;
      }
    }
    if (ok < n && request_heal_) request_heal_(bucket, key);
    if (ok < write_quorum) {
      if (first_error.code() == ErrorCode::kVolumeNotFound) return object_error(first_error);
      return Status(ErrorCode::kInsufficientWriteQuorum,
                    bucket + "/" + key + " committed on " + std::to_string(ok) + " of " +
                        std::to_string(n) + " drives: " + first_error.to_string());
    }
    // The new version has quorum: only now may the replaced version's data go.
    for_each_parallel(static_cast<size_t>(n), [&](size_t d) {
      if (committed[d]) (void)drives_[d]->remove_unreferenced_data(bucket, path);
    });
  }
  return file_info_to_object_info(bucket, key, fi);
}

bool ErasureSet::repair_on_read(const std::string& bucket, const std::string& key,
                                const Status& status) {
  // Every drive answered yet no version has quorum: a commit cut short (a crash between
  // drives). Healing can fall back to the version whose shards survive.
  if (status.code() != ErrorCode::kInsufficientReadQuorum) return false;
  auto healed = heal_object(bucket, key, HealScanMode::kNormal);
  return healed.is_ok();
}

Result<ObjectInfo> ErasureSet::get_object_info(const std::string& bucket, const std::string& key,
                                               const std::string& version_id) {
  const std::string path = encode_dir_object(key);
  MAXIO_TRY(Quorum q, read_quorum_metadata(bucket, path, version_id, false));
  if (!q.status && q.unreachable == 0 && repair_on_read(bucket, key, q.status)) {
    MAXIO_TRY(q, read_quorum_metadata(bucket, path, version_id, false));
  }
  if (!q.status) return q.status;
  return file_info_to_object_info(bucket, key, *q.fi);
}

Result<std::unique_ptr<ObjectReader>> ErasureSet::open_object(const std::string& bucket,
                                                              const std::string& key,
                                                              const std::string& version_id) {
  const std::string path = encode_dir_object(key);
  const size_t n = drives_.size();
  FileInfo fi;
  std::vector<std::unique_ptr<BitrotReader>> shards;
  std::vector<int> missing;
  std::vector<bool> agrees;
  for (int attempt = 0;; ++attempt) {
    // Metadata and shard files are opened together: a commit cannot slip in between.
    std::unique_lock<std::mutex> lock(lock_for(bucket, path));
    MAXIO_TRY(Quorum q, read_quorum_metadata(bucket, path, version_id, true));
    if (!q.status && attempt == 0 && q.unreachable == 0 &&
        q.status.code() == ErrorCode::kInsufficientReadQuorum) {
      lock.unlock();
      if (repair_on_read(bucket, key, q.status)) continue;
      return q.status;
    }
    if (!q.status) return q.status;
    fi = *q.fi;
    if (fi.deleted) {
      return std::unique_ptr<ObjectReader>(
          new DeleteMarkerReader(file_info_to_object_info(bucket, key, fi)));
    }
    MAXIO_RETURN_IF_ERROR(check_readable(fi, bucket + "/" + key));
    if (fi.erasure.distribution.size() != n) {
      return Status(ErrorCode::kFileCorrupt,
                    "xl.meta of " + bucket + "/" + key + " was written for a set of " +
                        std::to_string(fi.erasure.distribution.size()) + " drives");
    }
    shards = open_shards(bucket, path, fi, &q, q.agrees);
    agrees = q.agrees;
    for (size_t s = 0; s < n; ++s) {
      if (!shards[s]) missing.push_back(static_cast<int>(s));
    }
    break;
  }
  if (!missing.empty() && request_heal_) request_heal_(bucket, key);
  auto rs = codec(fi.erasure.data_blocks, fi.erasure.parity_blocks);
  if (!rs) return Status(ErrorCode::kFileCorrupt, "unsupported erasure layout");
  auto decoder =
      std::make_unique<ErasureDecoder>(rs, geometry_of(fi), part_size(fi, 0), std::move(shards));
  ObjectInfo info = file_info_to_object_info(bucket, key, fi);
  if (fi.parts.size() <= 1) {
    return std::unique_ptr<ObjectReader>(new ErasureObjectReader(
        std::move(info), std::move(decoder), std::move(missing), request_heal_));
  }
  // Multipart: each later part is its own erasure stream, opened when reading reaches it.
  std::vector<uint64_t> sizes;
  for (const ObjectPartInfo& part : fi.parts) sizes.push_back(static_cast<uint64_t>(part.size));
  auto shared_fi = std::make_shared<const FileInfo>(std::move(fi));
  PartDecoderFn open_part = [this, bucket, path, shared_fi, agrees, rs](
                                size_t index,
                                size_t& missing_shards) -> Result<std::unique_ptr<ErasureDecoder>> {
    auto part_shards = open_shards(bucket, path, *shared_fi, nullptr, agrees, index);
    missing_shards = static_cast<size_t>(
        std::count_if(part_shards.begin(), part_shards.end(), [](const auto& r) { return !r; }));
    return std::make_unique<ErasureDecoder>(rs, geometry_of(*shared_fi),
                                            part_size(*shared_fi, index), std::move(part_shards));
  };
  return std::unique_ptr<ObjectReader>(
      new ErasureObjectReader(std::move(info), std::move(decoder), std::move(missing),
                              request_heal_, std::move(sizes), std::move(open_part)));
}

Result<ObjectInfo> ErasureSet::update_object_metadata(const std::string& bucket,
                                                      const std::string& key,
                                                      const std::string& version_id,
                                                      const MetadataMutation& mutate) {
  const std::string path = encode_dir_object(key);
  const int n = static_cast<int>(drives_.size());
  std::lock_guard<std::mutex> lock(lock_for(bucket, path));
  // With the inline payload: each drive's xl.meta is rewritten from what it holds (its own
  // shard index and inline shard), only the user metadata changes.
  MAXIO_TRY(Quorum q, read_quorum_metadata(bucket, path, version_id, true));
  if (!q.status) return q.status;
  if (q.fi->deleted) {
    return Status(ErrorCode::kMethodNotAllowed, "a delete marker has no metadata to update");
  }
  ObjectInfo before = file_info_to_object_info(bucket, key, *q.fi);
  std::map<std::string, std::string> user_defined = before.user_defined;
  MAXIO_RETURN_IF_ERROR(mutate(user_defined));
  // etag and internal keys stay; every user-visible entry comes from the mutated map.
  std::map<std::string, std::string> metadata = to_stored_metadata(user_defined);
  for (const auto& [k, v] : q.fi->metadata) {
    std::string name = to_lower(k);
    if (name == "etag" || name.starts_with("x-minio-internal-")) metadata[k] = v;
  }
  const int k = q.fi->erasure.data_blocks;
  const int write_quorum = k == q.fi->erasure.parity_blocks ? k + 1 : k;
  std::vector<Status> written(n, Status(ErrorCode::kDriveFaulty, "does not hold the version"));
  for_each_parallel(static_cast<size_t>(n), [&](size_t d) {
    if (!q.agrees[d]) return;
    FileInfo mine = *q.per_drive[d];
    mine.metadata = metadata;
    written[d] = drives_[d]->write_metadata(bucket, path, mine);
  });
  int ok = 0;
  Status first_error;
  for (const auto& st : written) {
    if (st) {
      ++ok;
    } else if (first_error.is_ok() && st.code() != ErrorCode::kDriveFaulty) {
      first_error = st;
    }
  }
  if (ok < n && request_heal_) request_heal_(bucket, key);
  if (ok < write_quorum) {
    return Status(ErrorCode::kInsufficientWriteQuorum,
                  bucket + "/" + key + " metadata updated on " + std::to_string(ok) + " of " +
                      std::to_string(n) + " drives: " + first_error.to_string());
  }
  FileInfo updated = *q.fi;
  updated.metadata = std::move(metadata);
  return file_info_to_object_info(bucket, key, updated);
}

Result<DeletedObject> ErasureSet::delete_object(const std::string& bucket, const std::string& key,
                                                const ObjectOptions& options) {
  const std::string path = encode_dir_object(key);
  const int n = static_cast<int>(drives_.size());
  const int write_quorum = n / 2 + 1;
  DeletedObject deleted;
  deleted.name = key;
  deleted.version_id = options.version_id;
  std::lock_guard<std::mutex> lock(lock_for(bucket, path));
  // Refused before anything is changed when too few drives could take part: a delete below
  // quorum would leave remnants that healing then removes as dangling.
  std::vector<bool> reachable(n, false);
  int reachable_count = 0;
  for (int d = 0; d < n; ++d) {
    reachable[d] =
        drives_[d]->state() != DriveState::kOffline && drives_[d]->stat_vol(bucket).is_ok();
    reachable_count += reachable[d];
  }
  if (reachable_count < write_quorum) {
    return Status(ErrorCode::kInsufficientWriteQuorum,
                  std::to_string(reachable_count) + " of " + std::to_string(n) +
                      " drives can delete " + bucket + "/" + key);
  }
  const bool add_marker =
      options.version_id.empty() && (options.versioned || options.version_suspended);
  std::vector<Status> results(n, Status(ErrorCode::kDriveFaulty, "not reachable"));
  if (add_marker) {
    // A delete marker is a version of its own (Enabled) or the null version (Suspended),
    // replacing the null version with its data.
    FileInfo marker;
    marker.volume = bucket;
    marker.name = path;
    marker.deleted = true;
    marker.mod_time = Clock::now();
    if (options.versioned) marker.version_id = new_uuid();
    for_each_parallel(static_cast<size_t>(n), [&](size_t d) {
      if (reachable[d]) results[d] = drives_[d]->write_metadata(bucket, path, marker);
    });
    deleted.delete_marker = true;
    deleted.delete_marker_version_id = options.versioned ? marker.version_id : "null";
  } else {
    if (!options.version_id.empty()) {
      // Whether the version removed is a delete marker (the response says so).
      MAXIO_TRY(Quorum q, read_quorum_metadata(bucket, path, options.version_id, false));
      if (q.status && q.fi->deleted) {
        deleted.delete_marker = true;
        deleted.delete_marker_version_id = options.version_id;
      }
    }
    FileInfo fi;
    fi.volume = bucket;
    fi.name = path;
    fi.version_id = options.version_id;
    for_each_parallel(static_cast<size_t>(n), [&](size_t d) {
      if (reachable[d]) results[d] = drives_[d]->delete_version(bucket, path, fi);
    });
  }
  int done = 0;
  Status first_error;
  for (const auto& st : results) {
    if (st || (!add_marker && is_not_found(st.code()) && st.code() != ErrorCode::kVolumeNotFound)) {
      ++done;
    } else if (first_error.is_ok()) {
      first_error = st;
    }
  }
  if (done < n && request_heal_) request_heal_(bucket, key);
  if (done < write_quorum) {
    if (first_error.code() == ErrorCode::kVolumeNotFound) return object_error(first_error);
    return Status(ErrorCode::kInsufficientWriteQuorum,
                  bucket + "/" + key + " deleted on " + std::to_string(done) + " of " +
                      std::to_string(n) + " drives: " + first_error.to_string());
  }
  if (add_marker && options.version_suspended) {
    // The null version the marker replaced has lost its data only now that the marker has
    // quorum.
    for_each_parallel(static_cast<size_t>(n), [&](size_t d) {
      if (results[d]) (void)drives_[d]->remove_unreferenced_data(bucket, path);
    });
  }
  return deleted;
}

// Listing.

std::unique_ptr<KeyWalker> ErasureSet::walker(const WalkOptions& options, WalkIsListedFn is_listed,
                                              int tag, bool all_drives) {
  // Every committed object is on at least half the drives (write quorum >= data shards >=
  // half), so any n/2 + 1 drives see it; drives being rebuilt come last.
  const size_t n = drives_.size();
  const size_t wanted = all_drives ? n : std::min(n, (n + 1) / 2 + 1);
  std::vector<size_t> order;
  for (size_t d = 0; d < n; ++d) {
    if (drives_[d]->state() == DriveState::kOnline) order.push_back(d);
  }
  for (size_t d = 0; d < n; ++d) {
    if (drives_[d]->state() == DriveState::kHealing) order.push_back(d);
  }
  // The walkers ask whether a prefix holds a listed object: that is this set's question.
  WalkIsListedFn tagged;
  if (is_listed) {
    tagged = [is_listed, tag](const WalkEntry& entry) {
      WalkEntry mine = entry;
      mine.source = tag;
      return is_listed(mine);
    };
  }
  auto merged = std::make_unique<MergedWalker>(/*tolerate_errors=*/true);
  for (size_t i = 0; i < order.size() && i < wanted; ++i) {
    merged->add(std::make_unique<TreeWalker>(*drives_[order[i]], options, tagged), tag);
  }
  return merged;
}

Result<std::optional<ObjectInfo>> ErasureSet::listed_object(const std::string& bucket,
                                                            const std::string& path,
                                                            const std::string& key) {
  MAXIO_TRY(Quorum q, read_quorum_metadata(bucket, path, "", false));
  if (!q.status) {
    if (q.status.code() == ErrorCode::kNoSuchKey) return std::optional<ObjectInfo>();
    // Below read quorum the listing fails rather than leave the object out: a client that
    // syncs from it would take a missing entry for a deletion.
    return q.status;
  }
  if (q.fi->deleted) return std::optional<ObjectInfo>();
  return std::optional<ObjectInfo>(file_info_to_object_info(bucket, key, *q.fi));
}

Result<std::vector<ObjectInfo>> ErasureSet::listed_versions(const std::string& bucket,
                                                            const std::string& path,
                                                            const std::string& key) {
  const int n = static_cast<int>(drives_.size());
  // Per version (ID and content): how many drives hold it, and one copy.
  struct Seen {
    FileInfo fi;
    int count = 0;
  };
  std::map<std::string, Seen> seen;
  int answered = 0;
  for (int d = 0; d < n; ++d) {
    auto bytes = drives_[d]->read_xl(bucket, path);
    if (!bytes) {
      if (is_not_found(bytes.code())) ++answered;
      continue;
    }
    auto meta = XlMeta::parse(*bytes);
    if (!meta) continue;
    ++answered;
    for (FileInfo& fi : meta->versions(bucket, path, false)) {
      auto [it, inserted] = seen.try_emplace(version_signature(fi));
      if (inserted) it->second.fi = std::move(fi);
      ++it->second.count;
    }
  }
  if (answered < std::max(1, n / 2)) {
    return Status(ErrorCode::kInsufficientReadQuorum, bucket + "/" + key + ": " +
                                                          std::to_string(answered) + " of " +
                                                          std::to_string(n) + " drives answer");
  }
  // One entry per version ID: the content most drives agree on, if it has read quorum.
  std::map<std::string, const Seen*> best;
  for (const auto& [sig, entry] : seen) {
    if (entry.count < version_read_quorum(entry.fi, n)) continue;
    const Seen*& current = best[entry.fi.version_id];
    if (!current || entry.count > current->count ||
        (entry.count == current->count && entry.fi.mod_time > current->fi.mod_time)) {
      current = &entry;
    }
  }
  std::vector<const FileInfo*> ordered;
  for (const auto& [id, entry] : best) ordered.push_back(&entry->fi);
  std::sort(ordered.begin(), ordered.end(), [](const FileInfo* a, const FileInfo* b) {
    if (a->mod_time != b->mod_time) return a->mod_time > b->mod_time;
    return a->version_id > b->version_id;
  });
  std::vector<ObjectInfo> out;
  out.reserve(ordered.size());
  for (const FileInfo* fi : ordered) {
    ObjectInfo info = file_info_to_object_info(bucket, key, *fi);
    info.is_latest = out.empty();
    out.push_back(std::move(info));
  }
  return out;
}

std::vector<std::unique_ptr<BitrotReader>> ErasureSet::open_shards(const std::string& bucket,
                                                                   const std::string& path,
                                                                   const FileInfo& fi, Quorum* q,
                                                                   const std::vector<bool>& use,
                                                                   size_t part_index) {
  const size_t n = drives_.size();
  const ErasureGeometry geometry = geometry_of(fi);
  const int64_t size = part_size(fi, part_index);
  const uint64_t shard_file = static_cast<uint64_t>(geometry.shard_file_size(size));
  std::vector<std::unique_ptr<BitrotReader>> shards(n);
  for (size_t d = 0; d < n; ++d) {
    const int shard = fi.erasure.distribution[d] - 1;
    if (!use[d] || shard < 0 || shard >= static_cast<int>(n)) continue;
    std::string* inline_data = q ? &q->per_drive[d]->data : nullptr;
    std::unique_ptr<FileReader> source;
    if (size == 0 || (inline_data && !inline_data->empty())) {
      source = new_memory_file_reader(inline_data ? std::move(*inline_data) : std::string());
    } else {
      auto file = drives_[d]->open_file(bucket, part_path(path, fi, part_index));
      if (!file) continue;
      source = std::move(*file);
    }
    shards[shard] = std::make_unique<BitrotReader>(
        std::move(source), static_cast<uint64_t>(geometry.shard_size()), shard_file);
  }
  return shards;
}

// Healing.

Result<bool> ErasureSet::recover_cut_short_commit(const std::string& bucket,
                                                  const std::string& path, Quorum& q) {
  const int n = static_cast<int>(drives_.size());
  // The versions the drives hold, newest first.
  std::vector<const FileInfo*> candidates;
  for (const auto& r : q.per_drive) {
    if (!r || r->deleted || r->inline_data() || r->data_dir.empty()) continue;
    if (static_cast<int>(r->erasure.distribution.size()) != n) continue;
    bool seen = false;
    for (const FileInfo* c : candidates)
      seen = seen || version_signature(*c) == version_signature(*r);
    if (!seen) candidates.push_back(&*r);
  }
  std::sort(candidates.begin(), candidates.end(),
            [](const FileInfo* a, const FileInfo* b) { return a->mod_time > b->mod_time; });
  for (const FileInfo* candidate : candidates) {
    // Drives that still hold this version's shard file, whatever their xl.meta says.
    std::vector<int> holders;
    for (int d = 0; d < n; ++d) {
      if (drives_[d]->check_file(bucket, part_path(path, *candidate)).is_ok()) holders.push_back(d);
    }
    if (static_cast<int>(holders.size()) < candidate->erasure.data_blocks) continue;
    FileInfo fi = *candidate;
    fi.data.clear();
    const std::string id = fi.version_id.empty() ? "null" : fi.version_id;
    int restored = 0;
    for (int d : holders) {
      if (q.per_drive[d] && version_signature(*q.per_drive[d]) == version_signature(fi)) continue;
      // A drive that moved on to a new version of its own (versioning) still holds this
      // one: nothing to restore there; the cut-short version is dangling and goes when
      // its versions are healed.
      auto held = drives_[d]->read_version(bucket, path, id, false);
      if (held && version_signature(*held) == version_signature(fi)) continue;
      FileInfo mine = fi;
      mine.erasure.index = fi.erasure.distribution[d];
      MAXIO_RETURN_IF_ERROR(drives_[d]->write_metadata(bucket, path, mine));
      ++restored;
    }
    if (restored == 0) continue;
    log_warning("recovered " + bucket + "/" + path + ": a commit was cut short; version of " +
                std::to_string(holders.size()) + " shard(s) restored");
    return true;
  }
  return false;
}

Result<bool> ErasureSet::shard_is_healthy(int drive, const FileInfo& mine,
                                          const std::string& bucket, const std::string& path,
                                          HealScanMode mode) {
  if (mine.erasure.index != mine.erasure.distribution[drive]) return false;
  for (size_t index = 0; index < part_count(mine); ++index) {
    MAXIO_TRY(bool ok, part_is_healthy(drive, mine, bucket, path, mode, index));
    if (!ok) return false;
  }
  return true;
}

Result<bool> ErasureSet::part_is_healthy(int drive, const FileInfo& mine, const std::string& bucket,
                                         const std::string& path, HealScanMode mode, size_t index) {
  const ErasureGeometry geometry = geometry_of(mine);
  const uint64_t shard_size = static_cast<uint64_t>(geometry.shard_size());
  const int64_t size = part_size(mine, index);
  const uint64_t payload = static_cast<uint64_t>(geometry.shard_file_size(size));
  const uint64_t on_disk = bitrot_file_size(payload, shard_size);
  std::unique_ptr<FileReader> source;
  if (size == 0) return true;
  if (!mine.data.empty() || mine.inline_data()) {
    if (mine.data.size() != on_disk) return false;
    if (mode == HealScanMode::kNormal) return true;
    source = new_memory_file_reader(mine.data);
  } else {
    auto file = drives_[drive]->open_file(bucket, part_path(path, mine, index));
    if (!file) {
      if (is_not_found(file.code())) return false;
      return file.status();
    }
    if ((*file)->size() != on_disk) return false;
    if (mode == HealScanMode::kNormal) return true;
    source = std::move(*file);
  }
  BitrotReader reader(std::move(source), shard_size, payload);
  std::string buffer(1 << 20, '\0');
  while (true) {
    auto r = reader.read(buffer.data(), buffer.size());
    if (!r) {
      if (r.code() == ErrorCode::kFileCorrupt) return false;
      return r.status();
    }
    if (*r == 0) return true;
  }
}

Result<HealObjectResult> ErasureSet::heal_object(const std::string& bucket, const std::string& key,
                                                 HealScanMode mode) {
  const std::string path = encode_dir_object(key);
  const int n = static_cast<int>(drives_.size());
  HealObjectResult result;
  std::lock_guard<std::mutex> lock(lock_for(bucket, path));
  MAXIO_TRY(Quorum q, read_quorum_metadata(bucket, path, "", true));
  // Only with every drive answering: a version missing quorum because drives are away must
  // never be rolled back to an older one.
  if (!q.status && q.status.code() == ErrorCode::kInsufficientReadQuorum && q.unreachable == 0) {
    MAXIO_TRY(bool recovered, recover_cut_short_commit(bucket, path, q));
    if (recovered) {
      MAXIO_TRY(q, read_quorum_metadata(bucket, path, "", true));
    }
  }
  // Every version any drive holds is healed on its own (MinIO heals per version): each gets
  // its entry in xl.meta and its shard back where it is missing, or goes when dangling.
  // The common case needs no second look: every drive holding the object holds one and
  // the same version (the null version of an unversioned bucket), so q is its quorum.
  std::optional<std::string> only_version;
  bool single = true;
  for (const auto& r : q.per_drive) {
    if (!r) continue;
    const std::string id = r->version_id.empty() ? "null" : r->version_id;
    if (r->num_versions != 1 || (only_version && *only_version != id)) single = false;
    only_version = id;
  }
  const bool reuse = single && only_version.has_value();
  std::vector<std::string> ids =
      reuse ? std::vector<std::string>{*only_version} : version_ids_on_drives(bucket, path);
  if (ids.empty()) return q.status.is_ok() ? Status(ErrorCode::kNoSuchKey, key) : q.status;
  if (q.status && !q.fi->deleted) result.size = q.fi->size;
  std::vector<bool> healthy(n, true);
  Status first_error;
  for (const std::string& id : ids) {
    Status st = heal_version(bucket, key, path, id, mode, result, healthy, reuse ? &q : nullptr);
    if (!st && st.code() != ErrorCode::kNoSuchKey && first_error.is_ok()) first_error = st;
  }
  if (!first_error.is_ok()) return first_error;
  std::sort(result.healed_drives.begin(), result.healed_drives.end());
  result.healed_drives.erase(std::unique(result.healed_drives.begin(), result.healed_drives.end()),
                             result.healed_drives.end());
  if (result.healed_drives.empty()) {
    // Whole: data directories no version uses any more (a crash after a commit) can go.
    for (int d = 0; d < n; ++d) {
      if (healthy[d] && drives_[d]->state() != DriveState::kOffline) {
        (void)drives_[d]->remove_unreferenced_data(bucket, path);
      }
    }
  } else {
    log_info("healed " + bucket + "/" + key + " on " + std::to_string(result.healed_drives.size()) +
             " drive(s)");
  }
  return result;
}

std::vector<std::string> ErasureSet::version_ids_on_drives(const std::string& bucket,
                                                           const std::string& path) {
  std::vector<std::string> ids;
  for (auto& drive : drives_) {
    if (drive->state() == DriveState::kOffline) continue;
    auto bytes = drive->read_xl(bucket, path);
    if (!bytes) continue;
    auto meta = XlMeta::parse(*bytes);
    if (!meta) continue;
    for (const FileInfo& fi : meta->versions(bucket, path, false)) {
      std::string id = fi.version_id.empty() ? "null" : fi.version_id;
      if (std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(id);
    }
  }
  return ids;
}

Status ErasureSet::heal_version(const std::string& bucket, const std::string& key,
                                const std::string& path, const std::string& version_id,
                                HealScanMode mode, HealObjectResult& result,
                                std::vector<bool>& healthy_all, Quorum* known) {
  const int n = static_cast<int>(drives_.size());
  Quorum q;
  if (known) {
    q = std::move(*known);
  } else {
    MAXIO_TRY(q, read_quorum_metadata(bucket, path, version_id, true));
  }
  if (!q.status) {
    // Dangling: remnants of a write or delete that never reached quorum, and every drive
    // that does not hold them says so. Anything less certain is left alone.
    if (q.status.code() == ErrorCode::kNoSuchKey && q.holding_any > 0 && q.unreachable == 0) {
      for (int d = 0; d < n; ++d) {
        if (!q.per_drive[d]) continue;
        FileInfo fi;
        fi.volume = bucket;
        fi.name = path;
        fi.version_id = version_id;
        Status st = drives_[d]->delete_version(bucket, path, fi);
        if (!st && !is_not_found(st.code())) return st;
      }
      result.dangling_removed = true;
      log_info("removed dangling version " + version_id + " of " + bucket + "/" + key);
      return Status::ok();
    }
    return q.status;
  }
  if (q.fi->deleted) {
    // A delete marker has no shards: drives lacking it get it in their xl.meta.
    for (int d = 0; d < n; ++d) {
      if (q.agrees[d] || drives_[d]->state() == DriveState::kOffline) continue;
      if (!q.per_drive[d] && !is_not_found(q.per_drive[d].code()) &&
          q.per_drive[d].code() != ErrorCode::kFileCorrupt) {
        continue;  // unreachable, not wrong
      }
      healthy_all[d] = false;
      if (q.per_drive[d].code() == ErrorCode::kVolumeNotFound) (void)drives_[d]->make_vol(bucket);
      Status st = drives_[d]->write_metadata(bucket, path, *q.fi);
      if (!st) {
        log_warning("healing " + bucket + "/" + key + " on " + drives_[d]->endpoint() +
                    " failed: " + st.to_string());
        continue;
      }
      result.healed_drives.push_back(d);
    }
    return Status::ok();
  }
  FileInfo fi = *q.fi;
  MAXIO_RETURN_IF_ERROR(check_readable(fi, bucket + "/" + key));
  if (static_cast<int>(fi.erasure.distribution.size()) != n) {
    return Status(ErrorCode::kFileCorrupt,
                  "xl.meta of " + bucket + "/" + key + " does not fit this set");
  }

  std::vector<bool> outdated(n, false);
  std::vector<bool> healthy(n, false);
  int to_heal = 0;
  for (int d = 0; d < n; ++d) {
    if (drives_[d]->state() == DriveState::kOffline) continue;
    if (q.agrees[d]) {
      auto ok = shard_is_healthy(d, *q.per_drive[d], bucket, path, mode);
      if (!ok) continue;  // the drive failed while we looked: leave it
      if (*ok) {
        healthy[d] = true;
        if (q.per_drive[d]->metadata != fi.metadata) {
          // Missed an in-place metadata update: only its xl.meta entry is rewritten (its
          // own shard index and inline shard kept).
          FileInfo mine = *q.per_drive[d];
          mine.metadata = fi.metadata;
          Status st = drives_[d]->write_metadata(bucket, path, mine);
          if (st) {
            result.healed_drives.push_back(d);
          } else {
            log_warning("healing the metadata of " + bucket + "/" + key + " on " +
                        drives_[d]->endpoint() + " failed: " + st.to_string());
          }
        }
        continue;
      }
    } else if (!q.per_drive[d] && !is_not_found(q.per_drive[d].code()) &&
               q.per_drive[d].code() != ErrorCode::kFileCorrupt) {
      continue;  // unreachable, not wrong
    }
    outdated[d] = true;
    ++to_heal;
  }
  for (int d = 0; d < n; ++d) {
    if (!healthy[d]) healthy_all[d] = false;
  }
  if (to_heal == 0) return Status::ok();

  const ErasureGeometry geometry = geometry_of(fi);
  auto rs = codec(fi.erasure.data_blocks, fi.erasure.parity_blocks);
  if (!rs) return Status(ErrorCode::kFileCorrupt, "unsupported erasure layout");

  for (int d = 0; d < n; ++d) {
    if (outdated[d] && q.per_drive[d].code() == ErrorCode::kVolumeNotFound) {
      Status st = drives_[d]->make_vol(bucket);
      if (!st && st.code() != ErrorCode::kVolumeExists) outdated[d] = false;
    }
  }
  const bool inline_data = fi.inline_data();
  TmpDirsGuard guard(drives_, std::string(kMinioTmpDir) + "/" + new_uuid());
  // Every part is its own erasure stream: each is rebuilt in turn into the staged data
  // directory; a drive that fails any part gets none.
  std::vector<bool> writable = outdated;
  std::vector<StagedShard> staged;
  for (size_t index = 0; index < part_count(fi); ++index) {
    ErasureDecoder decoder(
        rs, geometry, part_size(fi, index),
        open_shards(bucket, path, fi, index == 0 ? &q : nullptr, healthy, index));
    staged.clear();
    open_staging(drives_, writable, inline_data, fi, guard,
                 static_cast<uint64_t>(geometry.shard_size()), staged,
                 index < fi.parts.size() ? fi.parts[index].number : 1);
    std::vector<Writer*> writers(n, nullptr);
    int writing = 0;
    for (int d = 0; d < n; ++d) {
      if (staged[d].ok) {
        writers[fi.erasure.distribution[d] - 1] = staged[d].bitrot.get();
        ++writing;
      }
    }
    if (writing == 0) return Status(ErrorCode::kDriveFaulty, "no drive to heal onto");
    MAXIO_TRY(EncodeResult encoded, erasure_encode(*rs, fi.erasure.block_size, decoder,
                                                   part_size(fi, index), writers, 1, {}));
    for (int d = 0; d < n; ++d) {
      if (staged[d].ok && encoded.failed[fi.erasure.distribution[d] - 1]) staged[d].ok = false;
    }
    finish_staging(drives_, staged);
    for (int d = 0; d < n; ++d) writable[d] = writable[d] && staged[d].ok;
  }
  for (int d = 0; d < n; ++d) staged[d].ok = writable[d];
  for (int d = 0; d < n; ++d) {
    if (!staged[d].ok) continue;
    FileInfo mine = fi;
    mine.erasure.index = fi.erasure.distribution[d];
    if (inline_data) mine.data = staged[d].inline_bytes->take();
    Status st = drives_[d]->rename_data(meta_volume(), guard.path(), mine, bucket, path);
    if (!st) {
      log_warning("healing " + bucket + "/" + key + " on " + drives_[d]->endpoint() +
                  " failed: " + st.to_string());
      continue;
    }
    result.healed_drives.push_back(d);
  }
  return Status::ok();
}

}  // namespace maxio
