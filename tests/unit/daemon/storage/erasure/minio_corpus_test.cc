// ReedSolomon against an object MinIO erasure-coded over five drives
// (../shared/fixtures/minio/buildscripts/cicd-corpus): its shards, read through the bitrot
// frames, decode to the ETag's MD5 from every set of drives a read quorum allows, and the
// re-encoded data reproduces MinIO's parity byte for byte. The fixtures are only read.

#include <gtest/gtest.h>

#include <bit>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "daemon/storage/drive/storage_api.h"
#include "daemon/storage/erasure/bitrot.h"
#include "daemon/storage/erasure/reed_solomon.h"
#include "daemon/storage/xlmeta/xl_meta.h"
#include "shared/crypto/hash.h"
#include "shared/util/encoding.h"

namespace maxio {
namespace {

namespace fs = std::filesystem;

const std::string kCorpus = std::string(MAXIO_FIXTURES_DIR) + "/minio/buildscripts/cicd-corpus";
constexpr int kDrives = 5;

std::string object_dir(int drive) {
  return kCorpus + "/disk" + std::to_string(drive) + "/bucket/testobj";
}

std::optional<std::string> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// MinIO's Erasure.ShardFileSize: the payload bytes of one drive's part file.
uint64_t shard_file_size(const ErasureInfo& e, uint64_t size) {
  const uint64_t k = e.data_blocks;
  const uint64_t block = e.block_size;
  return size / block * ((block + k - 1) / k) + (size % block + k - 1) / k;
}

// One object version as the corpus holds it: its FileInfo on each drive with an xl.meta,
// and each shard's verified part.1 payload, by 0-based shard index.
struct CorpusVersion {
  std::map<int, FileInfo> meta_by_drive;
  std::map<int, std::string> payload_by_shard;
  const FileInfo& fi() const { return meta_by_drive.begin()->second; }
};

// Every version found in any drive's xl.meta, by version ID.
std::map<std::string, CorpusVersion> load_versions() {
  std::map<std::string, CorpusVersion> versions;
  for (int drive = 1; drive <= kDrives; ++drive) {
    std::optional<std::string> raw = read_file(object_dir(drive) + "/xl.meta");
    if (!raw) continue;
    auto meta = XlMeta::parse(*raw);
    EXPECT_TRUE(meta.is_ok()) << drive << ": " << meta.status().to_string();
    if (!meta) continue;
    for (FileInfo& fi : meta->versions("bucket", "testobj", false)) {
      versions[fi.version_id].meta_by_drive.emplace(drive, std::move(fi));
    }
  }
  return versions;
}

// Reads each drive's part.1 of the version through MinIO's bitrot frames. A drive's shard is
// distribution[drive - 1] (1-based), which its own xl.meta repeats as erasure.index.
void load_shards(CorpusVersion& version) {
  const FileInfo& fi = version.fi();
  const ErasureInfo& e = fi.erasure;
  const uint64_t shard_size = (e.block_size + e.data_blocks - 1) / e.data_blocks;
  const uint64_t payload_size = shard_file_size(e, fi.size);
  for (int drive = 1; drive <= kDrives; ++drive) {
    std::optional<std::string> file = read_file(object_dir(drive) + "/" + fi.data_dir + "/part.1");
    if (!file) continue;
    const int shard = e.distribution.at(drive - 1) - 1;
    if (auto it = version.meta_by_drive.find(drive); it != version.meta_by_drive.end()) {
      EXPECT_EQ(it->second.erasure.index - 1, shard) << "drive " << drive;
    }
    EXPECT_EQ(file->size(), bitrot_file_size(payload_size, shard_size)) << "drive " << drive;
    BitrotReader reader(new_memory_file_reader(std::move(*file)), shard_size, payload_size);
    std::string payload(payload_size, '\0');
    auto n = read_full(reader, payload.data(), payload.size());
    ASSERT_TRUE(n.is_ok()) << "drive " << drive << ": " << n.status().to_string();
    ASSERT_EQ(*n, payload_size) << "drive " << drive;
    version.payload_by_shard.emplace(shard, std::move(payload));
  }
}

// Decodes the object block by block from the shards not in `removed` (bits by shard index).
// Rebuilt shards that MinIO's drives also hold must equal them (parity too, unless
// data_only).
Result<std::string> decode(const ReedSolomon& codec, const CorpusVersion& version, uint32_t removed,
                           bool data_only) {
  const FileInfo& fi = version.fi();
  const int k = codec.data_shards();
  const int total = codec.total_shards();
  const uint64_t block_size = fi.erasure.block_size;
  const uint64_t shard_size = codec.shard_size_for(block_size);
  std::string object;
  object.reserve(fi.size);
  for (uint64_t offset = 0, block = 0; offset < static_cast<uint64_t>(fi.size);
       offset += block_size, ++block) {
    const size_t block_bytes = std::min<uint64_t>(block_size, fi.size - offset);
    const size_t shard_len = codec.shard_size_for(block_bytes);
    std::vector<std::string> shards(total, std::string(shard_len, '\0'));
    std::vector<uint8_t*> pointers;
    bool present[ReedSolomon::kMaxTotalShards];
    for (int i = 0; i < total; ++i) {
      auto it = version.payload_by_shard.find(i);
      present[i] = it != version.payload_by_shard.end() && !(removed >> i & 1);
      if (present[i]) shards[i] = it->second.substr(block * shard_size, shard_len);
      pointers.push_back(reinterpret_cast<uint8_t*>(shards[i].data()));
    }
    MAXIO_RETURN_IF_ERROR(
        codec.reconstruct(pointers, std::span<const bool>(present, total), shard_len, data_only));
    for (int i = 0; i < total; ++i) {
      auto it = version.payload_by_shard.find(i);
      if (present[i] || it == version.payload_by_shard.end() || (data_only && i >= k)) continue;
      EXPECT_EQ(shards[i], it->second.substr(block * shard_size, shard_len))
          << "rebuilt shard " << i << " of block " << block << " differs from MinIO's";
    }
    std::string data;
    for (int i = 0; i < k; ++i) data += shards[i];
    object.append(data, 0, block_bytes);
  }
  return object;
}

ReedSolomon codec_for(const FileInfo& fi) {
  auto codec = ReedSolomon::create(fi.erasure.data_blocks, fi.erasure.parity_blocks);
  EXPECT_TRUE(codec.is_ok()) << codec.status().to_string();
  return std::move(codec).value();
}

TEST(MinioCorpusTest, LayoutIsAsExpected) {
  ASSERT_TRUE(fs::is_directory(kCorpus)) << kCorpus;
  EXPECT_FALSE(fs::exists(object_dir(1) + "/xl.meta"));  // the drive MinIO would heal
  std::map<std::string, CorpusVersion> versions = load_versions();
  ASSERT_EQ(versions.size(), 2u);
  for (auto& [id, version] : versions) {
    SCOPED_TRACE(id);
    ASSERT_FALSE(version.fi().data_dir.empty());
    for (const auto& [drive, fi] : version.meta_by_drive) {
      EXPECT_EQ(fi.data_dir, version.fi().data_dir);
      EXPECT_EQ(fi.erasure.data_blocks, 3);
      EXPECT_EQ(fi.erasure.parity_blocks, 2);
      EXPECT_EQ(fi.erasure.distribution, version.fi().erasure.distribution);
    }
  }
}

// The version whose shards are on all five drives decodes to its ETag from every set of
// at least k drives, rebuilding MinIO's own data and parity shards exactly.
TEST(MinioCorpusTest, DecodesFromEveryReadQuorumOfDrives) {
  std::map<std::string, CorpusVersion> versions = load_versions();
  int decoded_versions = 0;
  for (auto& [id, version] : versions) {
    SCOPED_TRACE(id);
    load_shards(version);
    if (HasFatalFailure()) return;
    const FileInfo& fi = version.fi();
    ReedSolomon codec = codec_for(fi);
    if (version.payload_by_shard.size() < static_cast<size_t>(codec.data_shards())) continue;
    ++decoded_versions;
    const std::string etag = fi.metadata.at("etag");
    const int total = codec.total_shards();
    int patterns = 0;
    // Drives and shards correspond one to one, so removing shards removes drives.
    for (uint32_t removed = 0; removed < (1u << total); ++removed) {
      int removed_present = 0;
      for (int i = 0; i < total; ++i) {
        removed_present += (removed >> i & 1) && version.payload_by_shard.count(i);
      }
      // Only remove shards that are there, at most as many as the parity covers.
      if (removed_present != std::popcount(removed)) continue;
      if (version.payload_by_shard.size() - removed_present <
          static_cast<size_t>(codec.data_shards())) {
        continue;
      }
      for (bool data_only : {true, false}) {
        SCOPED_TRACE("removed=" + std::to_string(removed) +
                     " data_only=" + std::to_string(data_only));
        auto object = decode(codec, version, removed, data_only);
        ASSERT_TRUE(object.is_ok()) << object.status().to_string();
        ASSERT_EQ(object->size(), static_cast<size_t>(fi.size));
        EXPECT_EQ(hex_encode(md5(*object)), etag);
      }
      ++patterns;
    }
    // All five shards are there: 1 + C(5,1) + C(5,2) ways to keep a read quorum.
    EXPECT_EQ(version.payload_by_shard.size(), 5u);
    EXPECT_EQ(patterns, 16);
  }
  EXPECT_EQ(decoded_versions, 1);
}

// Re-encoding the decoded object gives exactly the shards MinIO wrote: our matrix is its.
TEST(MinioCorpusTest, ReencodingReproducesMinioShards) {
  std::map<std::string, CorpusVersion> versions = load_versions();
  for (auto& [id, version] : versions) {
    SCOPED_TRACE(id);
    load_shards(version);
    if (HasFatalFailure()) return;
    const FileInfo& fi = version.fi();
    ReedSolomon codec = codec_for(fi);
    if (version.payload_by_shard.size() < static_cast<size_t>(codec.data_shards())) continue;
    auto object = decode(codec, version, 0, true);
    ASSERT_TRUE(object.is_ok());
    const uint64_t block_size = fi.erasure.block_size;
    std::vector<std::string> encoded(codec.total_shards());
    for (uint64_t offset = 0; offset < object->size(); offset += block_size) {
      const auto block = std::span(reinterpret_cast<const uint8_t*>(object->data()) + offset,
                                   std::min<uint64_t>(block_size, object->size() - offset));
      const size_t shard_len = codec.shard_size_for(block.size());
      std::vector<std::vector<uint8_t>> shards(codec.total_shards(),
                                               std::vector<uint8_t>(shard_len));
      std::vector<uint8_t*> data;
      std::vector<uint8_t*> parity;
      for (int i = 0; i < codec.total_shards(); ++i) {
        (i < codec.data_shards() ? data : parity).push_back(shards[i].data());
      }
      codec.split(block, data, shard_len);
      codec.encode(std::vector<const uint8_t*>(data.begin(), data.end()), parity, shard_len);
      for (int i = 0; i < codec.total_shards(); ++i) {
        encoded[i].append(shards[i].begin(), shards[i].end());
      }
    }
    ASSERT_EQ(version.payload_by_shard.size(), static_cast<size_t>(codec.total_shards()));
    for (const auto& [shard, payload] : version.payload_by_shard) {
      EXPECT_TRUE(encoded[shard] == payload) << "shard " << shard << " differs from MinIO's";
    }
  }
}

// The other version's data directory survives on two drives only (shards 1 and 2 of 3+2):
// below read quorum, decoding must fail cleanly. Its ETag equals the decodable version's,
// and the two shards it has are byte for byte that version's.
TEST(MinioCorpusTest, VersionBelowReadQuorumFails) {
  std::map<std::string, CorpusVersion> versions = load_versions();
  const CorpusVersion* complete = nullptr;
  CorpusVersion* partial = nullptr;
  for (auto& [id, version] : versions) {
    load_shards(version);
    if (HasFatalFailure()) return;
    if (version.payload_by_shard.size() >= 3) {
      complete = &version;
    } else {
      partial = &version;
    }
  }
  ASSERT_NE(complete, nullptr);
  ASSERT_NE(partial, nullptr);
  ReedSolomon codec = codec_for(partial->fi());
  EXPECT_EQ(partial->payload_by_shard.size(), 2u);
  for (bool data_only : {true, false}) {
    auto object = decode(codec, *partial, 0, data_only);
    EXPECT_EQ(object.code(), ErrorCode::kInsufficientReadQuorum) << object.status().to_string();
  }
  EXPECT_EQ(partial->fi().metadata.at("etag"), complete->fi().metadata.at("etag"));
  for (const auto& [shard, payload] : partial->payload_by_shard) {
    EXPECT_TRUE(payload == complete->payload_by_shard.at(shard)) << "shard " << shard;
  }
}

}  // namespace
}  // namespace maxio
