#pragma once
// FileInfo: one version of one object as the storage engine sees it on one drive: what
// xl.meta records (MinIO's FileInfo, cmd/storage-datatypes.go) plus where it lives.
// Plain data; copy freely.

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace maxio {

// One part of an object (a plain PUT has exactly one, number 1).
struct ObjectPartInfo {
  int number = 1;
  std::string etag;         // may be empty for a single-part object
  int64_t size = 0;         // bytes stored (after compression/encryption, if any)
  int64_t actual_size = 0;  // bytes the client sent
  std::chrono::system_clock::time_point mod_time{};
  std::map<std::string, std::string> checksums;  // S3 checksums of the part, if any
};

// Bitrot checksum of one part's shard on this drive. Empty hash with streaming bitrot
// ("HighwayHash256S"), where the hashes are inline in part.N.
struct ChecksumInfo {
  int part_number = 1;
  std::string algorithm = "HighwayHash256S";
  std::string hash;  // raw bytes; empty for streaming algorithms
};

struct ErasureInfo {
  std::string algorithm = "ReedSolomon";
  int data_blocks = 1;
  int parity_blocks = 0;
  int64_t block_size = 1 << 20;   // 1 MiB
  int index = 1;                  // this drive's shard index, 1-based
  std::vector<int> distribution;  // shard order over the set's drives, 1-based
  std::vector<ChecksumInfo> checksums;
};

struct FileInfo {
  std::string volume;      // bucket
  std::string name;        // object key
  std::string version_id;  // canonical UUID text; empty for the null version
  bool is_latest = true;
  bool deleted = false;  // a delete marker
  std::string data_dir;  // UUID of the directory holding part.N; empty when inline or deleted
  std::chrono::system_clock::time_point mod_time{};
  int64_t size = 0;
  uint32_t mode = 0;
  // User-visible metadata (MinIO's MetaUsr): "etag", "content-type", "x-amz-meta-*", ...
  std::map<std::string, std::string> metadata;
  // MinIO's MetaSys: internal keys ("x-minio-internal-inline-data" = "true", ...).
  std::map<std::string, std::string> system_metadata;
  std::vector<ObjectPartInfo> parts;
  ErasureInfo erasure;
  // Inline payload (this drive's shard) for small objects; empty otherwise.
  std::string data;
  int num_versions = 0;
  std::optional<std::chrono::system_clock::time_point> successor_mod_time;

  bool inline_data() const { return system_metadata.count("x-minio-internal-inline-data") > 0; }
};

}  // namespace maxio
