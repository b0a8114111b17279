// ErasureSet's multipart uploads, in MinIO's layout (cmd/erasure-multipart.go):
//
//   .minio.sys/multipart/<hex SHA-256 of "bucket/key">/<uuid>x<unix nanos>/
//       xl.meta                  the upload: metadata, erasure layout, initiation time
//       <data dir>/part.N        shard of part N (streaming HighwayHash-256 bitrot)
//       <data dir>/part.N.meta   msgpack ObjectPartInfo of part N (ETag, sizes, time)
//
// The upload ID the client sees is base64url("<deployment id>.<uuid>x<unix nanos>").
// Completing writes the object's xl.meta into the upload directory and commits it with
// rename_data, which moves the data directory (the parts) under the object.

#include <algorithm>
#include <charconv>
#include <map>
#include <set>
#include <thread>

#include "daemon/storage/drive/local_drive.h"
#include "daemon/storage/erasure/bitrot.h"
#include "daemon/storage/erasure/erasure_coding.h"
#include "daemon/storage/erasure/erasure_set.h"
#include "daemon/storage/erasure/internal/fan_out.h"
#include "daemon/storage/erasure/internal/quorum.h"
#include "daemon/storage/erasure/placement.h"
#include "daemon/storage/erasure/reed_solomon.h"
#include "daemon/storage/list/tree_walk.h"
#include "daemon/storage/xlmeta/part_meta.h"
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

// The object key of an upload, kept in its xl.meta's system metadata so uploads can be
// listed by prefix (MinIO can only list the uploads of one exact key: the directory name
// is a hash). MinIO ignores it.
constexpr std::string_view kUploadKeyMeta = "x-maxio-internal-multipart-key";
constexpr std::string_view kActualSizeMeta = "X-Minio-Internal-actual-size";

std::string base64url_encode(std::string_view bytes) {
  std::string out = base64_encode(bytes);
  while (!out.empty() && out.back() == '=') out.pop_back();
  for (char& c : out) {
    if (c == '+') c = '-';
    if (c == '/') c = '_';
  }
  return out;
}

std::optional<std::string> base64url_decode(std::string_view text) {
  std::string padded(text);
  for (char& c : padded) {
    if (c == '-')
      c = '+';
    else if (c == '_')
      c = '/';
    else if (c == '+' || c == '/' || c == '=')
      return std::nullopt;
  }
  while (padded.size() % 4 != 0) padded.push_back('=');
  auto decoded = base64_decode(padded);
  if (!decoded) return std::nullopt;
  return std::move(decoded).value();
}

// multipart/<sha256 of "bucket/key">.
std::string sha_dir(const std::string& bucket, const std::string& key) {
  return std::string(kMinioMultipartDir) + "/" + sha256_hex(bucket + "/" + key);
}

Status no_such_upload(const std::string& upload_id) {
  return Status(ErrorCode::kNoSuchUpload, "upload " + upload_id);
}

// The directory of an upload; kNoSuchUpload for an ID that cannot be one.
Result<std::string> upload_dir(const std::string& bucket, const std::string& key,
                               const std::string& upload_id) {
  auto decoded = base64url_decode(upload_id);
  if (!decoded) return no_such_upload(upload_id);
  auto dot = decoded->find('.');
  if (dot == std::string::npos) return no_such_upload(upload_id);
  std::string uuid = decoded->substr(dot + 1);
  if (uuid.empty() || !validate_path_segment(uuid).is_ok()) return no_such_upload(upload_id);
  return sha_dir(bucket, key) + "/" + uuid;
}

// When the upload named `dir_name` ("<uuid>x<unix nanos>") was initiated.
std::optional<Timestamp> initiated_from_name(std::string_view dir_name) {
  auto x = dir_name.rfind('x');
  if (x == std::string_view::npos) return std::nullopt;
  int64_t ns = 0;
  std::string_view digits = dir_name.substr(x + 1);
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), ns);
  if (ec != std::errc() || end != digits.data() + digits.size()) return std::nullopt;
  return Timestamp(std::chrono::duration_cast<Clock::duration>(std::chrono::nanoseconds(ns)));
}

// As erasure_set.cc: user metadata under the canonical MIME name MinIO writes.
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

std::string storage_class_of(const FileInfo& fi) {
  auto sc = fi.metadata.find("x-amz-storage-class");
  return sc != fi.metadata.end() ? sc->second : "STANDARD";
}

int write_quorum_of(const FileInfo& fi) {
  const int k = fi.erasure.data_blocks;
  return k == fi.erasure.parity_blocks ? k + 1 : k;
}

std::string part_name(int number) { return "part." + std::to_string(number); }

// N of a file named "part.N<suffix>", or nullopt.
std::optional<int> part_number_of(std::string_view name, std::string_view suffix) {
  if (!name.starts_with("part.") || !name.ends_with(suffix)) return std::nullopt;
  std::string_view digits = name.substr(5, name.size() - 5 - suffix.size());
  int number = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), number);
  if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size() || number < 1) {
    return std::nullopt;
  }
  return number;
}

// Part numbers of the part.N.meta names in a directory listing.
void collect_part_numbers(const std::vector<std::string>& names, std::set<int>& into) {
  for (const std::string& name : names) {
    if (auto number = part_number_of(name, ".meta")) into.insert(*number);
  }
}

std::string unquote(std::string_view etag) {
  if (etag.size() >= 2 && etag.front() == '"' && etag.back() == '"') {
    etag = etag.substr(1, etag.size() - 2);
  }
  return std::string(etag);
}

}  // namespace

std::mutex& ErasureSet::upload_lock_for(const std::string& upload_dir) {
  return upload_locks_[std::hash<std::string>{}(upload_dir) % kLockStripes];
}

Result<FileInfo> ErasureSet::read_upload(const std::string& dir, const std::string& upload_id) {
  MAXIO_TRY(Quorum q, read_quorum_metadata(meta_volume(), dir, "", false));
  if (!q.status) {
    if (q.status.code() == ErrorCode::kNoSuchKey || q.status.code() == ErrorCode::kNoSuchBucket) {
      return no_such_upload(upload_id);
    }
    return q.status;
  }
  return *q.fi;
}

Result<std::string> ErasureSet::new_multipart_upload(const std::string& bucket,
                                                     const std::string& key,
                                                     const PutObjectOptions& options,
                                                     const std::string& deployment_id) {
  const int n = static_cast<int>(drives_.size());
  int parity = parity_for(options);
  const int offline = n - online_drives();
  if (offline > 0 && parity < n / 2) parity = std::min(parity + offline, n / 2);
  const int k = n - parity;
  FileInfo fi;
  fi.volume = meta_volume();
  fi.data_dir = new_uuid();
  fi.mod_time = Clock::now();
  fi.erasure.algorithm = "ReedSolomon";
  fi.erasure.data_blocks = k;
  fi.erasure.parity_blocks = parity;
  fi.erasure.block_size = kErasureBlockSize;
  fi.erasure.distribution = hash_order(bucket + "/" + key, n);
  fi.erasure.checksums = {ChecksumInfo{1, "HighwayHash256S", ""}};
  fi.metadata = to_stored_metadata(options.user_defined);
  if (fi.metadata["x-amz-storage-class"] == "STANDARD" ||
      fi.metadata["x-amz-storage-class"].empty()) {
    fi.metadata.erase("x-amz-storage-class");
  }
  fi.system_metadata[std::string(kUploadKeyMeta)] = key;
  const int64_t nanos =
      std::chrono::duration_cast<std::chrono::nanoseconds>(fi.mod_time.time_since_epoch()).count();
  const std::string uuid = new_uuid() + "x" + std::to_string(nanos);
  const std::string dir = sha_dir(bucket, key) + "/" + uuid;
  fi.name = dir;

  std::vector<Status> written(n, Status(ErrorCode::kDriveFaulty, "offline"));
  for_each_parallel(static_cast<size_t>(n), [&](size_t d) {
    if (drives_[d]->state() == DriveState::kOffline) return;
    FileInfo mine = fi;
    mine.erasure.index = fi.erasure.distribution[d];
    written[d] = drives_[d]->write_metadata(meta_volume(), dir, mine);
  });
  const int ok = static_cast<int>(
      std::count_if(written.begin(), written.end(), [](const Status& s) { return s.is_ok(); }));
  if (ok < write_quorum_of(fi)) {
    for (int d = 0; d < n; ++d) {
      if (written[d]) (void)drives_[d]->delete_path(meta_volume(), dir, true);
    }
    return Status(ErrorCode::kInsufficientWriteQuorum, "upload of " + bucket + "/" + key +
                                                           " created on " + std::to_string(ok) +
                                                           " of " + std::to_string(n) + " drives");
  }
  return base64url_encode(deployment_id + "." + uuid);
}

Result<bool> ErasureSet::has_upload(const std::string& bucket, const std::string& key,
                                    const std::string& upload_id) {
  MAXIO_TRY(std::string dir, upload_dir(bucket, key, upload_id));
  auto fi = read_upload(dir, upload_id);
  if (fi) return true;
  if (fi.code() == ErrorCode::kNoSuchUpload) return false;
  return fi.status();
}

Result<PartInfo> ErasureSet::put_object_part(const std::string& bucket, const std::string& key,
                                             const std::string& upload_id, int part_number,
                                             Reader& data, const PutObjectOptions& options) {
  MAXIO_TRY(std::string dir, upload_dir(bucket, key, upload_id));
  MAXIO_TRY(FileInfo fi, read_upload(dir, upload_id));
  const int n = static_cast<int>(drives_.size());
  if (static_cast<int>(fi.erasure.distribution.size()) != n) {
    return Status(ErrorCode::kFileCorrupt, "upload " + dir + " was made for another set");
  }
  const int write_quorum = write_quorum_of(fi);
  auto rs = codec(fi.erasure.data_blocks, fi.erasure.parity_blocks);
  if (!rs) return Status(ErrorCode::kFileCorrupt, "unsupported erasure layout of " + dir);
  const ErasureGeometry geometry{fi.erasure.data_blocks, fi.erasure.parity_blocks,
                                 fi.erasure.block_size};
  const uint64_t shard_size = static_cast<uint64_t>(geometry.shard_size());

  // Each part is staged in a tmp directory of its own, so uploads of the same part number
  // never write into one file; the last one committed wins.
  const std::string tmp = std::string(kMinioTmpDir) + "/" + new_uuid();
  const std::string staged_path = tmp + "/" + part_name(part_number);
  struct Staged {
    std::unique_ptr<FileWriter> file;
    std::unique_ptr<BitrotWriter> bitrot;
    bool ok = false;
  };
  std::vector<Staged> staged(n);
  struct Cleanup {
    ErasureSet* set;
    const std::string& tmp;
    ~Cleanup() {
      for (auto& drive : set->drives_) {
        if (drive->state() != DriveState::kOffline) {
          (void)drive->delete_path(meta_volume(), tmp, /*recursive=*/true);
        }
      }
    }
  } cleanup{this, tmp};
  int reachable = 0;
  for (int d = 0; d < n; ++d) {
    if (drives_[d]->state() == DriveState::kOffline) continue;
    auto file = drives_[d]->create_file(meta_volume(), staged_path);
    if (!file) continue;
    staged[d].file = std::move(*file);
    staged[d].bitrot = std::make_unique<BitrotWriter>(*staged[d].file, shard_size);
    staged[d].ok = true;
    ++reachable;
  }
  if (reachable < write_quorum) {
    return Status(ErrorCode::kInsufficientWriteQuorum,
                  std::to_string(reachable) + " of " + std::to_string(n) +
                      " drives can take a part of " + bucket + "/" + key);
  }
  std::vector<Writer*> writers(n, nullptr);
  for (int d = 0; d < n; ++d) {
    if (staged[d].ok) writers[fi.erasure.distribution[d] - 1] = staged[d].bitrot.get();
  }
  Hasher md5(HashAlgorithm::kMd5);
  MAXIO_TRY(EncodeResult encoded,
            erasure_encode(
                *rs, fi.erasure.block_size, data, options.size, writers, write_quorum,
                [&md5](const char* p, size_t len) { md5.update(p, len); }, ObserveOn::kOwnThread));
  if (encoded.bytes > kMaxPartSize) {
    return Status(ErrorCode::kEntityTooLarge, "part larger than 5 GiB");
  }
  for (int d = 0; d < n; ++d) {
    if (staged[d].ok && encoded.failed[fi.erasure.distribution[d] - 1]) staged[d].ok = false;
  }
  for_each_parallel(static_cast<size_t>(n), [&](size_t d) {
    Staged& s = staged[d];
    if (!s.ok) return;
    Status st = s.bitrot->finish();
    if (st) st = s.file->close();
    if (!st) s.ok = false;
  });
  if (std::count_if(staged.begin(), staged.end(), [](const Staged& s) { return s.ok; }) <
      write_quorum) {
    return Status(ErrorCode::kInsufficientWriteQuorum,
                  "too few drives accepted a part of " + bucket + "/" + key);
  }
  const std::string digest = md5.finish();
  if (options.expected_md5 && *options.expected_md5 != digest) {
    return Status(ErrorCode::kBadDigest, "Content-MD5 does not match the body");
  }

  ObjectPartInfo part;
  part.number = part_number;
  part.etag = hex_encode(digest);
  part.size = static_cast<int64_t>(encoded.bytes);
  part.actual_size = part.size;
  part.mod_time = Clock::now();
  const std::string part_meta = encode_part_meta(part);
  const std::string part_path = dir + "/" + fi.data_dir + "/" + part_name(part_number);

  // Committed under the upload's lock, after checking it still exists: an abort or complete
  // cannot interleave, and a part never lands in a removed upload.
  std::lock_guard<std::mutex> lock(upload_lock_for(dir));
  MAXIO_RETURN_IF_ERROR(read_upload(dir, upload_id).status());
  std::vector<Status> committed(n, Status(ErrorCode::kDriveFaulty, "not staged"));
  for_each_parallel(static_cast<size_t>(n), [&](size_t d) {
    if (!staged[d].ok) return;
    Status st = drives_[d]->rename_file(meta_volume(), staged_path, meta_volume(), part_path);
    if (st) st = drives_[d]->write_all(meta_volume(), part_path + ".meta", part_meta);
    committed[d] = st;
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
  if (ok < write_quorum) {
    for (int d = 0; d < n; ++d) {
      if (!committed[d]) continue;
      (void)drives_[d]->delete_path(meta_volume(), part_path + ".meta", false);
      (void)drives_[d]->delete_path(meta_volume(), part_path, false);
    }
    return Status(ErrorCode::kInsufficientWriteQuorum,
                  "part " + std::to_string(part_number) + " of " + bucket + "/" + key +
                      " committed on " + std::to_string(ok) + " of " + std::to_string(n) +
                      " drives: " + first_error.to_string());
  }
  return PartInfo{part.number, part.etag, static_cast<uint64_t>(part.size), part.mod_time};
}

std::vector<std::optional<ObjectPartInfo>> ErasureSet::read_part_metas(
    const std::string& part_dir, const std::vector<int>& numbers, int read_quorum) {
  const size_t n = drives_.size();
  // per drive, per number: the raw part.N.meta, or nullopt.
  std::vector<std::vector<std::optional<std::string>>> raw(n);
  for_each_parallel(n, [&](size_t d) {
    raw[d].resize(numbers.size());
    if (drives_[d]->state() == DriveState::kOffline) return;
    for (size_t i = 0; i < numbers.size(); ++i) {
      auto bytes =
          drives_[d]->read_all(meta_volume(), part_dir + "/" + part_name(numbers[i]) + ".meta");
      if (bytes) raw[d][i] = std::move(bytes).value();
    }
  });
  std::vector<std::optional<ObjectPartInfo>> out(numbers.size());
  for (size_t i = 0; i < numbers.size(); ++i) {
    std::map<std::string, int> votes;
    for (size_t d = 0; d < n; ++d) {
      if (raw[d][i]) ++votes[*raw[d][i]];
    }
    const std::string* best = nullptr;
    int best_count = 0;
    for (const auto& [bytes, count] : votes) {
      if (count > best_count) {
        best = &bytes;
        best_count = count;
      }
    }
    if (!best || best_count < read_quorum) continue;
    auto part = decode_part_meta(*best);
    if (!part || part->number != numbers[i]) continue;
    out[i] = std::move(part).value();
  }
  return out;
}

Result<ListPartsInfo> ErasureSet::list_object_parts(const std::string& bucket,
                                                    const std::string& key,
                                                    const std::string& upload_id,
                                                    int part_number_marker, int max_parts) {
  MAXIO_TRY(std::string dir, upload_dir(bucket, key, upload_id));
  MAXIO_TRY(FileInfo fi, read_upload(dir, upload_id));
  ListPartsInfo out;
  out.upload.bucket = bucket;
  out.upload.key = key;
  out.upload.upload_id = upload_id;
  out.upload.initiated = fi.mod_time;
  out.upload.storage_class = storage_class_of(fi);
  out.part_number_marker = part_number_marker;
  out.max_parts = max_parts;
  for (const auto& [name, value] : fi.metadata) out.user_defined[to_lower(name)] = value;

  const std::string part_dir = dir + "/" + fi.data_dir;
  std::set<int> numbers;
  for (auto& drive : drives_) {
    if (drive->state() == DriveState::kOffline) continue;
    auto names = drive->list_dir(meta_volume(), part_dir);
    if (names) collect_part_numbers(*names, numbers);
  }
  std::vector<int> wanted;
  for (int number : numbers) {
    if (number > part_number_marker) wanted.push_back(number);
  }
  // Read in batches until max_parts parts with quorum are found (one more tells whether
  // the listing is truncated).
  size_t next = 0;
  while (next < wanted.size() && static_cast<int>(out.parts.size()) <= max_parts) {
    const size_t batch =
        std::min(wanted.size() - next, static_cast<size_t>(max_parts) + 1 - out.parts.size());
    std::vector<int> numbers_batch(wanted.begin() + next, wanted.begin() + next + batch);
    next += batch;
    auto metas = read_part_metas(part_dir, numbers_batch, fi.erasure.data_blocks);
    for (auto& meta : metas) {
      if (!meta) continue;
      out.parts.push_back(PartInfo{meta->number, meta->etag,
                                   static_cast<uint64_t>(std::max<int64_t>(0, meta->size)),
                                   meta->mod_time});
    }
  }
  if (static_cast<int>(out.parts.size()) > max_parts) {
    out.parts.resize(static_cast<size_t>(max_parts));
    out.is_truncated = true;
  }
  if (!out.parts.empty()) out.next_part_number_marker = out.parts.back().number;
  return out;
}

Result<std::vector<MultipartUpload>> ErasureSet::list_uploads(const std::string& bucket,
                                                              const std::string& prefix,
                                                              const std::string& deployment_id) {
  const std::string root(kMinioMultipartDir);
  // Upload directories as any reachable drive has them.
  std::set<std::string> upload_dirs;
  int answered = 0;
  for (auto& drive : drives_) {
    if (drive->state() == DriveState::kOffline) continue;
    auto shas = drive->list_dir(meta_volume(), root);
    if (!shas) {
      if (shas.code() == ErrorCode::kFileNotFound) ++answered;
      continue;
    }
    ++answered;
    for (std::string sha : *shas) {
      if (sha.empty() || sha.back() != '/') continue;
      sha.pop_back();
      auto uploads = drive->list_dir(meta_volume(), root + "/" + sha);
      if (!uploads) continue;
      for (std::string upload : *uploads) {
        if (upload.empty() || upload.back() != '/') continue;
        upload.pop_back();
        upload_dirs.insert(root + "/" + sha + "/" + upload);
      }
    }
  }
  if (answered == 0) {
    return Status(ErrorCode::kInsufficientReadQuorum, "no drive of the set answers");
  }
  const std::string exact_sha = sha256_hex(bucket + "/" + prefix);
  std::vector<MultipartUpload> out;
  for (const std::string& dir : upload_dirs) {
    const size_t slash = dir.rfind('/');
    const std::string sha = dir.substr(root.size() + 1, slash - root.size() - 1);
    const std::string uuid = dir.substr(slash + 1);
    auto q = read_quorum_metadata(meta_volume(), dir, "", false);
    if (!q || !q->status) continue;
    const FileInfo& fi = *q->fi;
    std::string key;
    auto stored = fi.system_metadata.find(std::string(kUploadKeyMeta));
    if (stored != fi.system_metadata.end()) {
      key = stored->second;
    } else if (sha == exact_sha) {
      key = prefix;  // written by MinIO: only an exact key names it
    } else {
      continue;
    }
    if (!key.starts_with(prefix) || sha256_hex(bucket + "/" + key) != sha) continue;
    MultipartUpload upload;
    upload.bucket = bucket;
    upload.key = key;
    upload.upload_id = base64url_encode(deployment_id + "." + uuid);
    upload.initiated = fi.mod_time;
    upload.storage_class = storage_class_of(fi);
    out.push_back(std::move(upload));
  }
  std::sort(out.begin(), out.end(), [](const MultipartUpload& a, const MultipartUpload& b) {
    if (a.key != b.key) return a.key < b.key;
    if (a.initiated != b.initiated) return a.initiated < b.initiated;
    return a.upload_id < b.upload_id;
  });
  return out;
}

Status ErasureSet::abort_multipart_upload(const std::string& bucket, const std::string& key,
                                          const std::string& upload_id) {
  MAXIO_TRY(std::string dir, upload_dir(bucket, key, upload_id));
  std::lock_guard<std::mutex> lock(upload_lock_for(dir));
  MAXIO_RETURN_IF_ERROR(read_upload(dir, upload_id).status());
  std::vector<Status> removed(drives_.size());
  for_each_parallel(drives_.size(), [&](size_t d) {
    removed[d] = drives_[d]->delete_path(meta_volume(), dir, /*recursive=*/true);
  });
  int ok = 0;
  for (const auto& st : removed) ok += st.is_ok() || st.code() == ErrorCode::kFileNotFound;
  const int n = static_cast<int>(drives_.size());
  if (ok < n / 2 + 1) {
    return Status(ErrorCode::kInsufficientWriteQuorum, "upload " + dir + " removed from " +
                                                           std::to_string(ok) + " of " +
                                                           std::to_string(n) + " drives");
  }
  return Status::ok();
}

Result<ObjectInfo> ErasureSet::complete_multipart_upload(const std::string& bucket,
                                                         const std::string& key,
                                                         const std::string& upload_id,
                                                         const std::vector<CompletePart>& parts,
                                                         const PutObjectOptions& options) {
  MAXIO_TRY(std::string dir, upload_dir(bucket, key, upload_id));
  if (parts.empty()) {
    return Status(ErrorCode::kMalformedXML, "CompleteMultipartUpload lists no part");
  }
  if (parts.size() > static_cast<size_t>(kMaxPartNumber)) {
    return Status(ErrorCode::kInvalidArgumentS3,
                  "Part number must be an integer between 1 and 10000, inclusive");
  }
  for (size_t i = 1; i < parts.size(); ++i) {
    if (parts[i].number <= parts[i - 1].number) {
      return Status(ErrorCode::kInvalidPartOrder, "parts are not in ascending order");
    }
  }
  const std::string path = encode_dir_object(key);
  const int n = static_cast<int>(drives_.size());
  std::lock_guard<std::mutex> upload_lock(upload_lock_for(dir));
  MAXIO_TRY(Quorum uq, read_quorum_metadata(meta_volume(), dir, "", false));
  if (!uq.status) {
    if (uq.status.code() == ErrorCode::kNoSuchKey) return no_such_upload(upload_id);
    return uq.status;
  }
  const FileInfo upload = *uq.fi;
  const std::string part_dir = dir + "/" + upload.data_dir;
  std::vector<int> numbers;
  for (const CompletePart& p : parts) numbers.push_back(p.number);
  auto metas = read_part_metas(part_dir, numbers, upload.erasure.data_blocks);

  FileInfo fi = upload;
  fi.volume = bucket;
  fi.name = path;
  fi.mod_time = Clock::now();
  fi.parts.clear();
  fi.erasure.checksums.clear();
  fi.system_metadata.erase(std::string(kUploadKeyMeta));
  std::string md5_concat;
  int64_t total = 0;
  for (size_t i = 0; i < parts.size(); ++i) {
    const auto& meta = metas[i];
    if (!meta || meta->etag != unquote(parts[i].etag)) {
      return Status(ErrorCode::kInvalidPart,
                    "part " + std::to_string(parts[i].number) + " is missing or its ETag differs");
    }
    if (i + 1 < parts.size() && static_cast<uint64_t>(meta->actual_size) < kMinPartSize) {
      return Status(ErrorCode::kEntityTooSmall,
                    "part " + std::to_string(parts[i].number) + " is smaller than 5 MiB");
    }
    auto raw = hex_decode(meta->etag);
    md5_concat += raw ? *raw : meta->etag;
    total += meta->size;
    ObjectPartInfo part;
    part.number = meta->number;
    part.size = meta->size;
    part.actual_size = meta->actual_size;
    part.mod_time = meta->mod_time;
    fi.parts.push_back(part);
    fi.erasure.checksums.push_back(ChecksumInfo{part.number, "HighwayHash256S", ""});
  }
  fi.size = total;
  fi.metadata["etag"] = hex_encode(md5(md5_concat)) + "-" + std::to_string(parts.size());
  if (!fi.metadata.count("content-type")) {
    fi.metadata["content-type"] = std::string(kDefaultContentType);
  }
  fi.system_metadata[std::string(kActualSizeMeta)] = std::to_string(total);
  // Versioning Enabled: a version of its own; otherwise the null version, replaced.
  fi.version_id = options.versioned ? new_uuid() : "";

  std::lock_guard<std::mutex> object_lock(lock_for(bucket, path));
  if (options.if_match || options.if_none_match_any) {
    MAXIO_TRY(Quorum current, read_quorum_metadata(bucket, path, "", false));
    const bool exists = current.status.is_ok() && !current.fi->deleted;
    if (!current.status && current.status.code() != ErrorCode::kNoSuchKey) return current.status;
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

  // What the object does not take goes first: part.N.meta files and parts left out. A drive
  // that missed a part (away while it was uploaded) still takes the object; healing then
  // rebuilds the part there.
  std::set<int> kept(numbers.begin(), numbers.end());
  std::vector<char> short_of_parts(n, 0);
  for_each_parallel(static_cast<size_t>(n), [&](size_t d) {
    if (!uq.agrees[d]) return;
    auto names = drives_[d]->list_dir(meta_volume(), part_dir);
    if (!names) {
      short_of_parts[d] = 1;
      return;
    }
    size_t present = 0;
    for (const std::string& name : *names) {
      auto part = part_number_of(name, "");
      if (part_number_of(name, ".meta") || (part && !kept.count(*part))) {
        (void)drives_[d]->delete_path(meta_volume(), part_dir + "/" + name, false);
      } else if (part) {
        ++present;
      }
    }
    short_of_parts[d] = present < kept.size();
  });

  std::vector<Status> committed(n, Status(ErrorCode::kDriveFaulty, "not part of the upload"));
  for_each_parallel(static_cast<size_t>(n), [&](size_t d) {
    if (!uq.agrees[d]) return;
    FileInfo mine = fi;
    mine.erasure.index = fi.erasure.distribution[d];
    committed[d] = drives_[d]->rename_data(meta_volume(), dir, mine, bucket, path);
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
  const bool short_somewhere =
      std::any_of(short_of_parts.begin(), short_of_parts.end(), [](char c) { return c != 0; });
  if ((ok < n || short_somewhere) && request_heal_) request_heal_(bucket, key);
  if (ok < write_quorum_of(fi)) {
    if (first_error.code() == ErrorCode::kVolumeNotFound) {
      return Status(ErrorCode::kNoSuchBucket, bucket);
    }
    return Status(ErrorCode::kInsufficientWriteQuorum,
                  bucket + "/" + key + " completed on " + std::to_string(ok) + " of " +
                      std::to_string(n) + " drives: " + first_error.to_string());
  }
  // Committed: the replaced version's data and what is left of the upload go.
  for_each_parallel(static_cast<size_t>(n), [&](size_t d) {
    if (committed[d]) (void)drives_[d]->remove_unreferenced_data(bucket, path);
    (void)drives_[d]->delete_path(meta_volume(), dir, /*recursive=*/true);
  });
  return file_info_to_object_info(bucket, key, fi);
}

Result<int> ErasureSet::cleanup_stale_uploads(std::chrono::milliseconds older_than) {
  const Timestamp cutoff = Clock::now() - older_than;
  const std::string root(kMinioMultipartDir);
  std::set<std::string> removed;
  for (auto& drive : drives_) {
    if (drive->state() == DriveState::kOffline) continue;
    auto shas = drive->list_dir(meta_volume(), root);
    if (!shas) continue;
    for (std::string sha : *shas) {
      if (sha.empty() || sha.back() != '/') continue;
      sha.pop_back();
      auto uploads = drive->list_dir(meta_volume(), root + "/" + sha);
      if (!uploads) continue;
      for (std::string upload : *uploads) {
        if (upload.empty() || upload.back() != '/') continue;
        upload.pop_back();
        const std::string dir = root + "/" + sha + "/" + upload;
        std::optional<Timestamp> initiated = initiated_from_name(upload);
        if (!initiated) {
          auto fi = drive->read_version(meta_volume(), dir, "", false);
          if (fi) initiated = fi->mod_time;
        }
        if (!initiated || *initiated > cutoff) continue;
        std::lock_guard<std::mutex> lock(upload_lock_for(dir));
        Status st = drive->delete_path(meta_volume(), dir, /*recursive=*/true);
        if (st) removed.insert(dir);
      }
    }
  }
  for (const auto& dir : removed) log_info("removed stale multipart upload " + dir);
  return static_cast<int>(removed.size());
}

}  // namespace maxio
