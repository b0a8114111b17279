#include "daemon/storage/erasure/server_pools.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <random>
#include <thread>

#include "daemon/storage/drive/local_drive.h"
#include "daemon/storage/erasure/bitrot.h"
#include "daemon/storage/object_layer.h"
#include "daemon/storage/xlmeta/format.h"
#include "daemon/storage/xlmeta/xl_meta.h"
#include "shared/crypto/hash.h"
#include "shared/util/encoding.h"

namespace maxio {
namespace {

namespace fs = std::filesystem;

ObjectLayerOptions one_drive(const std::string& path) {
  ObjectLayerOptions options;
  options.pools = {PoolLayout{{path}, 1}};
  return options;
}

std::string pattern(size_t n, uint32_t seed = 7) {
  std::string s(n, '\0');
  std::mt19937 rng(seed);
  for (auto& c : s) c = static_cast<char>(rng());
  return s;
}

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// A reader that returns its data in small uneven pieces, like a socket.
class ChunkyReader final : public Reader {
 public:
  explicit ChunkyReader(std::string data) : data_(std::move(data)) {}
  Result<size_t> read(char* buffer, size_t size) override {
    size_t n = std::min({size, data_.size() - pos_, chunk_});
    chunk_ = chunk_ * 7 % 70001 + 1;
    std::memcpy(buffer, data_.data() + pos_, n);
    pos_ += n;
    return n;
  }

 private:
  std::string data_;
  size_t pos_ = 0;
  size_t chunk_ = 1000;
};

Result<std::string> read_all_of(ObjectReader& r) {
  std::string out;
  char buf[100000];
  while (true) {
    MAXIO_TRY(size_t n, r.read(buf, sizeof buf));
    if (n == 0) return out;
    out.append(buf, n);
  }
}

class ErasureObjectsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/maxio-objects-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    base_ = tmpl;
    root_ = base_ + "/drive";
    reopen();
    ASSERT_TRUE(layer_->make_bucket("bucket", {}).is_ok());
  }
  void TearDown() override {
    layer_.reset();
    fs::remove_all(base_);
  }
  void reopen() {
    layer_.reset();
    auto layer = open_object_layer(one_drive(root_));
    ASSERT_TRUE(layer.is_ok()) << layer.status().to_string();
    layer_ = std::move(*layer);
  }

  Result<ObjectInfo> put(const std::string& key, const std::string& data,
                         PutObjectOptions options = {}) {
    if (options.size == -2)
      options.size = -1;
    else if (options.size == -1)
      options.size = static_cast<int64_t>(data.size());
    ChunkyReader reader(data);
    return layer_->put_object("bucket", key, reader, options);
  }
  Result<std::string> get(const std::string& key) {
    MAXIO_TRY(auto reader, layer_->open_object("bucket", key, {}));
    return read_all_of(*reader);
  }
  std::string obj_dir(const std::string& key) { return root_ + "/bucket/" + key; }

  std::string base_;
  std::string root_;
  std::unique_ptr<ObjectLayer> layer_;
};

TEST_F(ErasureObjectsTest, FormatsAFreshDrive) {
  auto format = parse_format_json(slurp(root_ + "/.minio.sys/format.json"));
  ASSERT_TRUE(format.is_ok());
  EXPECT_EQ(format->format, "xl-single");
  ASSERT_EQ(format->sets.size(), 1u);
  ASSERT_EQ(format->sets[0].size(), 1u);
  EXPECT_EQ(format->sets[0][0], format->this_drive);
  std::string before = slurp(root_ + "/.minio.sys/format.json");
  reopen();
  EXPECT_EQ(slurp(root_ + "/.minio.sys/format.json"), before);
}

TEST_F(ErasureObjectsTest, RefusesCorruptOrForeignFormat) {
  layer_.reset();
  std::ofstream(root_ + "/.minio.sys/format.json") << "{not json";
  auto layer = open_object_layer(one_drive(root_));
  EXPECT_EQ(layer.code(), ErrorCode::kCorruptedFormat);
  EXPECT_EQ(slurp(root_ + "/.minio.sys/format.json"), "{not json");

  auto formats = new_formats(1, 4);
  std::string foreign = serialize_format_json(formats[2]);
  std::ofstream(root_ + "/.minio.sys/format.json", std::ios::trunc) << foreign;
  layer = open_object_layer(one_drive(root_));
  EXPECT_EQ(layer.code(), ErrorCode::kCorruptedFormat);
  EXPECT_EQ(slurp(root_ + "/.minio.sys/format.json"), foreign);
}

TEST_F(ErasureObjectsTest, Buckets) {
  EXPECT_EQ(layer_->make_bucket("bucket", {}).code(), ErrorCode::kBucketAlreadyOwnedByYou);
  EXPECT_EQ(layer_->make_bucket(".minio.sys", {}).code(), ErrorCode::kInvalidBucketName);
  EXPECT_EQ(layer_->make_bucket("..", {}).code(), ErrorCode::kInvalidBucketName);
  ASSERT_TRUE(layer_->make_bucket("another", {}).is_ok());
  auto buckets = layer_->list_buckets();
  ASSERT_TRUE(buckets.is_ok());
  ASSERT_EQ(buckets->size(), 2u);
  EXPECT_EQ((*buckets)[0].name, "another");
  EXPECT_EQ((*buckets)[1].name, "bucket");
  auto info = layer_->get_bucket_info("bucket");
  ASSERT_TRUE(info.is_ok());
  EXPECT_LE(std::chrono::system_clock::now() - info->created, std::chrono::minutes(5));
  EXPECT_EQ(layer_->get_bucket_info("nope").code(), ErrorCode::kNoSuchBucket);

  ASSERT_TRUE(put("dir/obj", "x").is_ok());
  EXPECT_EQ(layer_->delete_bucket("bucket", false).code(), ErrorCode::kBucketNotEmpty);
  ASSERT_TRUE(layer_->delete_object("bucket", "dir/obj", {}).is_ok());
  EXPECT_TRUE(layer_->delete_bucket("bucket", false).is_ok());
  EXPECT_EQ(layer_->get_bucket_info("bucket").code(), ErrorCode::kNoSuchBucket);
  ASSERT_TRUE(layer_->make_bucket("bucket", {}).is_ok());
  ASSERT_TRUE(put("k", "x").is_ok());
  EXPECT_TRUE(layer_->delete_bucket("bucket", true).is_ok());
  EXPECT_EQ(layer_->delete_bucket("bucket", true).code(), ErrorCode::kNoSuchBucket);
  EXPECT_EQ(put("k", "x").code(), ErrorCode::kNoSuchBucket);
}

TEST_F(ErasureObjectsTest, RoundTripSizesInlineAndPartFiles) {
  const int64_t kKiB = 1024, kMiB = 1024 * 1024;
  const std::vector<int64_t> sizes = {0,        1,    128 * kKiB - 1, 128 * kKiB,  128 * kKiB + 1,
                                      kMiB - 1, kMiB, kMiB + 1,       5 * kMiB + 3};
  for (int64_t size : sizes) {
    SCOPED_TRACE(size);
    std::string key = "obj-" + std::to_string(size);
    std::string data = pattern(static_cast<size_t>(size), static_cast<uint32_t>(size));
    auto put_info = put(key, data);
    ASSERT_TRUE(put_info.is_ok()) << put_info.status().to_string();
    EXPECT_EQ(put_info->size, static_cast<uint64_t>(size));
    EXPECT_EQ(put_info->etag, hex_encode(md5(data)));
    EXPECT_EQ(put_info->content_type, "binary/octet-stream");
    auto got = get(key);
    ASSERT_TRUE(got.is_ok()) << got.status().to_string();
    EXPECT_TRUE(*got == data);

    // On disk: xl.meta parses; inline up to 128 KiB, else <dataDir>/part.1 with frames.
    auto meta = XlMeta::parse(slurp(obj_dir(key) + "/xl.meta"));
    ASSERT_TRUE(meta.is_ok()) << meta.status().to_string();
    auto fi = meta->file_info("bucket", key, "", true);
    ASSERT_TRUE(fi.is_ok());
    EXPECT_EQ(fi->size, size);
    EXPECT_EQ(fi->metadata["etag"], put_info->etag);
    EXPECT_EQ(fi->erasure.data_blocks, 1);
    EXPECT_EQ(fi->erasure.parity_blocks, 0);
    EXPECT_EQ(fi->erasure.block_size, kMiB);
    EXPECT_EQ(fi->erasure.algorithm, "ReedSolomon");
    EXPECT_EQ(fi->erasure.distribution, std::vector<int>{1});
    bool inline_expected = size <= 128 * kKiB;
    EXPECT_EQ(fi->inline_data(), inline_expected);
    std::string framed;
    if (inline_expected) {
      EXPECT_EQ(fs::directory_iterator(obj_dir(key))->path().filename(), "xl.meta");
      framed = fi->data;
    } else {
      std::string part = obj_dir(key) + "/" + fi->data_dir + "/part.1";
      ASSERT_TRUE(fs::exists(part));
      framed = slurp(part);
    }
    ASSERT_EQ(framed.size(), bitrot_file_size(size, kMiB));
    BitrotReader verify(new_memory_file_reader(framed), kMiB, size);
    std::string payload(size, '\0');
    auto n = read_full(verify, payload.data(), payload.size());
    ASSERT_TRUE(n.is_ok()) << n.status().to_string();
    EXPECT_TRUE(payload == data);
  }
  EXPECT_TRUE(fs::is_empty(root_ + "/.minio.sys/tmp"));
}

TEST_F(ErasureObjectsTest, UnknownSizeIsStreamedToAPartFile) {
  PutObjectOptions options;
  options.size = -2;  // put(): unknown size
  auto info = put("small", "tiny", options);
  ASSERT_TRUE(info.is_ok());
  EXPECT_EQ(info->size, 4u);
  EXPECT_EQ(*get("small"), "tiny");
}

TEST_F(ErasureObjectsTest, MetadataAndContentType) {
  PutObjectOptions options;
  options.user_defined["content-type"] = "text/plain";
  options.user_defined["x-amz-meta-color"] = "blue";
  options.user_defined["x-amz-meta-my-long_key"] = "x";
  ASSERT_TRUE(put("m", "data", options).is_ok());
  // On disk as MinIO writes it: user metadata under canonical header names.
  auto meta = XlMeta::parse(slurp(obj_dir("m") + "/xl.meta"));
  ASSERT_TRUE(meta.is_ok());
  auto stored = meta->file_info("bucket", "m", "", false);
  ASSERT_TRUE(stored.is_ok());
  EXPECT_EQ(stored->metadata["X-Amz-Meta-Color"], "blue");
  EXPECT_EQ(stored->metadata["X-Amz-Meta-My-Long_key"], "x");
  EXPECT_EQ(stored->metadata["content-type"], "text/plain");
  auto info = layer_->get_object_info("bucket", "m", {});
  ASSERT_TRUE(info.is_ok());
  EXPECT_EQ(info->content_type, "text/plain");
  EXPECT_EQ(info->user_defined["x-amz-meta-color"], "blue");
  EXPECT_EQ(info->user_defined["x-amz-meta-my-long_key"], "x");
  EXPECT_EQ(info->user_defined.count("etag"), 0u);
  EXPECT_EQ(info->storage_class, "STANDARD");
  EXPECT_EQ(info->size, 4u);
  EXPECT_EQ(layer_->get_object_info("bucket", "m", ObjectOptions{"null"}).code(), ErrorCode::kOk);
  EXPECT_EQ(
      layer_->get_object_info("bucket", "m", ObjectOptions{"6f1c0b9e-1111-4a4a-9b9b-000000000000"})
          .code(),
      ErrorCode::kNoSuchVersion);
  EXPECT_EQ(layer_->get_object_info("bucket", "missing", {}).code(), ErrorCode::kNoSuchKey);
  EXPECT_EQ(layer_->get_object_info("nobucket", "m", {}).code(), ErrorCode::kNoSuchBucket);
}

TEST_F(ErasureObjectsTest, KeyValidation) {
  for (std::string bad :
       {std::string(""), std::string("/a"), std::string("a//b"), std::string("a/./b"),
        std::string("a/../b"), std::string(".."), std::string("."), std::string("a\0b", 3),
        std::string("\xff\xfe"), std::string("a/xl.meta"), std::string("x__XLDIR__")}) {
    EXPECT_EQ(put(bad, "x").code(), ErrorCode::kInvalidObjectName) << bad;
  }
  EXPECT_EQ(put(std::string(1025, 'a'), "x").code(), ErrorCode::kKeyTooLong);
  EXPECT_EQ(put(std::string(256, 'a'), "x").code(), ErrorCode::kKeyTooLong);
  EXPECT_EQ(put(std::string(250, 'a') + "/", "x").code(), ErrorCode::kKeyTooLong);
  EXPECT_TRUE(put(std::string(255, 'a'), "x").is_ok());
  EXPECT_TRUE(put("..a/b..", "x").is_ok());
  EXPECT_FALSE(fs::exists(base_ + "/b"));
}

TEST_F(ErasureObjectsTest, DirectoryMarkersAndPrefixKeys) {
  ASSERT_TRUE(put("dir/", "").is_ok());
  EXPECT_TRUE(fs::exists(obj_dir("dir__XLDIR__") + "/xl.meta"));
  ASSERT_TRUE(put("a", "top").is_ok());
  ASSERT_TRUE(put("a/b", "below").is_ok());
  ASSERT_TRUE(put("a/b/c", "deeper").is_ok());
  EXPECT_EQ(*get("a"), "top");
  EXPECT_EQ(*get("a/b"), "below");
  EXPECT_EQ(*get("a/b/c"), "deeper");
  EXPECT_EQ(*get("dir/"), "");
  EXPECT_EQ(get("dir").code(), ErrorCode::kNoSuchKey);
  ASSERT_TRUE(layer_->delete_object("bucket", "a", {}).is_ok());
  EXPECT_EQ(get("a").code(), ErrorCode::kNoSuchKey);
  EXPECT_EQ(*get("a/b/c"), "deeper");
  ASSERT_TRUE(layer_->delete_object("bucket", "dir/", {}).is_ok());
  EXPECT_FALSE(fs::exists(obj_dir("dir__XLDIR__")));
}

TEST_F(ErasureObjectsTest, BitrotCorruptionIsDetected) {
  std::string data = pattern(3 * 1024 * 1024);
  ASSERT_TRUE(put("big", data).is_ok());
  auto meta = XlMeta::parse(slurp(obj_dir("big") + "/xl.meta"));
  ASSERT_TRUE(meta.is_ok());
  std::string part =
      obj_dir("big") + "/" + meta->file_info("bucket", "big", "", false)->data_dir + "/part.1";
  {
    std::fstream f(part, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(32 + 1024 * 1024 + 32 + 5000);  // inside block 2
    char c;
    f.seekg(f.tellp());
    f.read(&c, 1);
    c ^= 0x20;
    f.seekp(32 + 1024 * 1024 + 32 + 5000);
    f.write(&c, 1);
  }
  EXPECT_EQ(get("big").code(), ErrorCode::kFileCorrupt);
  // A range inside the intact first block still reads.
  auto reader = layer_->open_object("bucket", "big", {});
  ASSERT_TRUE(reader.is_ok());
  ASSERT_TRUE((*reader)->set_range(10, 1000).is_ok());
  EXPECT_EQ(*read_all_of(**reader), data.substr(10, 1000));
}

TEST_F(ErasureObjectsTest, InlineCorruptionIsDetected) {
  ASSERT_TRUE(put("small", pattern(1000)).is_ok());
  std::string path = obj_dir("small") + "/xl.meta";
  std::string bytes = slurp(path);
  auto meta = XlMeta::parse(bytes);
  ASSERT_TRUE(meta.is_ok());
  // The inline payload sits at the end of xl.meta: flip a byte of it.
  bytes[bytes.size() - 10] ^= 0x01;
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
  auto got = get("small");
  EXPECT_FALSE(got.is_ok());
}

// MinIO may have stored an object compressed or encrypted: its bytes on disk are not the
// object, so reading must refuse rather than return them.
TEST_F(ErasureObjectsTest, CompressedOrEncryptedMinioObjectsAreRefused) {
  for (const char* key :
       {"X-Minio-Internal-compression", "X-Minio-Internal-Server-Side-Encryption-Sealed-Key"}) {
    ASSERT_TRUE(put("packed", std::string(200 * 1024, 'z')).is_ok());
    const std::string path = obj_dir("packed") + "/xl.meta";
    auto meta = XlMeta::parse(slurp(path));
    ASSERT_TRUE(meta.is_ok());
    auto fi = meta->file_info("bucket", "packed", "", true);
    ASSERT_TRUE(fi.is_ok());
    fi->system_metadata[key] = "klauspost/compress/s2";
    ASSERT_TRUE(meta->add_version(*fi).is_ok());
    std::ofstream(path, std::ios::binary | std::ios::trunc) << meta->serialize();
    EXPECT_EQ(layer_->open_object("bucket", "packed", {}).code(), ErrorCode::kNotImplemented)
        << key;
  }
}

// Regression: an xl.meta whose erasure block size is zero or negative (corrupt, or written
// by a broken tool) divided by zero in the bitrot reader and killed the daemon.
TEST_F(ErasureObjectsTest, CorruptErasureBlockSizeIsRefusedNotACrash) {
  for (int64_t block_size : {int64_t{0}, int64_t{-5}}) {
    for (size_t size : {size_t{1000}, size_t{200 * 1024}}) {
      ASSERT_TRUE(put("odd", std::string(size, 'q')).is_ok());
      const std::string path = obj_dir("odd") + "/xl.meta";
      auto meta = XlMeta::parse(slurp(path));
      ASSERT_TRUE(meta.is_ok());
      auto fi = meta->file_info("bucket", "odd", "", true);
      ASSERT_TRUE(fi.is_ok());
      fi->erasure.block_size = block_size;
      ASSERT_TRUE(meta->add_version(*fi).is_ok());
      std::ofstream(path, std::ios::binary | std::ios::trunc) << meta->serialize();
      auto reader = layer_->open_object("bucket", "odd", {});
      if (!reader.is_ok()) {
        EXPECT_EQ(reader.code(), ErrorCode::kFileCorrupt) << block_size << " " << size;
        continue;
      }
      EXPECT_FALSE(read_all_of(**reader).is_ok()) << block_size << " " << size;
    }
  }
}

// Regression: DeleteBucket on a bucket holding only empty directories checked for objects,
// then removed the whole tree; a PUT committed in between was acknowledged and lost.
TEST_F(ErasureObjectsTest, DeleteBucketRacingPutNeverLosesAnAcknowledgedObject) {
  int lost = 0;
  for (int round = 0; round < 3 && lost == 0; ++round) {
    const std::string bucket = "race" + std::to_string(round);
    ASSERT_TRUE(layer_->make_bucket(bucket, {}).is_ok());
    for (int i = 0; i < 3000; ++i)
      fs::create_directories(root_ + "/" + bucket + "/d" + std::to_string(i));
    Status put_status;
    std::thread writer([&] {
      std::this_thread::sleep_for(std::chrono::microseconds(500 * round));
      ChunkyReader reader("precious");
      PutObjectOptions options;
      options.size = 8;
      put_status = layer_->put_object(bucket, "zzz", reader, options).status();
    });
    Status deleted = layer_->delete_bucket(bucket, false);
    writer.join();
    EXPECT_FALSE(put_status.is_ok() && deleted.is_ok()) << "round " << round;
    if (put_status.is_ok() && deleted.is_ok()) ++lost;
    (void)layer_->delete_bucket(bucket, true);
  }
}

// Regression: deleting a/x removes the emptied directory a; a PUT of a/b/y creating a at
// the same moment found its parent gone and failed (as NoSuchKey).
TEST_F(ErasureObjectsTest, PutSurvivesConcurrentDeleteRemovingItsParentDirectory) {
  std::atomic<int> failures{0};
  std::string first_failure;
  std::mutex failure_mutex;
  auto churn = [&](const std::string& key, int id) {
    for (int i = 0; i < 600 && failures == 0; ++i) {
      ChunkyReader reader(std::string(10 + id, 'x'));
      PutObjectOptions options;
      options.size = 10 + id;
      auto put = layer_->put_object("bucket", key, reader, options);
      auto deleted = layer_->delete_object("bucket", key, {});
      if (!put.is_ok() || !deleted.is_ok()) {
        std::lock_guard<std::mutex> lock(failure_mutex);
        if (failures++ == 0) {
          first_failure = key + ": " + (put.is_ok() ? deleted.status() : put.status()).to_string();
        }
      }
    }
  };
  std::thread a(churn, "p/x", 0);
  std::thread b(churn, "p/q/y", 1);
  churn("p/q/r/z", 2);
  a.join();
  b.join();
  EXPECT_EQ(failures, 0) << first_failure;
}

// A crash between moving a data directory in and renaming xl.meta leaves one that nothing
// references; the next commit of the object removes it (but never a user key's directory).
TEST_F(ErasureObjectsTest, NextCommitRemovesOrphanedDataDirs) {
  ASSERT_TRUE(put("k", std::string(200 * 1024, 'a')).is_ok());
  const std::string orphan = obj_dir("k") + "/0b5e3f52-6a51-4c4a-9d43-0d4a2c1d9e77";
  fs::create_directories(orphan);
  std::ofstream(orphan + "/part.1") << "left by a crash";
  const std::string user_dir_key = "k/5c0ffee0-0000-4000-8000-000000000000/x";
  ASSERT_TRUE(put(user_dir_key, "user data").is_ok());
  ASSERT_TRUE(put("k", std::string(300 * 1024, 'b')).is_ok());
  EXPECT_FALSE(fs::exists(orphan));
  EXPECT_EQ(get(user_dir_key).value(), "user data");
  size_t data_dirs = 0;
  for (const auto& entry : fs::directory_iterator(obj_dir("k"))) {
    if (entry.is_directory() && entry.path().filename() != "5c0ffee0-0000-4000-8000-000000000000") {
      ++data_dirs;
    }
  }
  EXPECT_EQ(data_dirs, 1u);  // only the current version's
  EXPECT_EQ(get("k").value(), std::string(300 * 1024, 'b'));
}

TEST_F(ErasureObjectsTest, RangeReadsAtBlockBoundaries) {
  const uint64_t kMiB = 1024 * 1024;
  std::string data = pattern(3 * kMiB + 17);
  ASSERT_TRUE(put("r", data).is_ok());
  std::vector<std::pair<uint64_t, uint64_t>> ranges = {{0, 1},
                                                       {kMiB - 1, 1},
                                                       {kMiB - 1, 2},
                                                       {kMiB, 1},
                                                       {kMiB, kMiB},
                                                       {kMiB - 5, kMiB + 10},
                                                       {2 * kMiB + 3, kMiB + 14},
                                                       {data.size() - 1, 1},
                                                       {0, data.size()},
                                                       {data.size(), 0}};
  for (auto [off, len] : ranges) {
    auto reader = layer_->open_object("bucket", "r", {});
    ASSERT_TRUE(reader.is_ok());
    ASSERT_TRUE((*reader)->set_range(off, len).is_ok()) << off << "+" << len;
    auto got = read_all_of(**reader);
    ASSERT_TRUE(got.is_ok());
    EXPECT_TRUE(*got == data.substr(off, len)) << off << "+" << len;
  }
  auto reader = layer_->open_object("bucket", "r", {});
  EXPECT_EQ((*reader)->set_range(data.size(), 1).code(), ErrorCode::kInvalidRange);
  // Inline objects too.
  ASSERT_TRUE(put("s", data.substr(0, 5000)).is_ok());
  reader = layer_->open_object("bucket", "s", {});
  ASSERT_TRUE((*reader)->set_range(4000, 1000).is_ok());
  EXPECT_EQ(*read_all_of(**reader), data.substr(4000, 1000));
}

TEST_F(ErasureObjectsTest, OverwriteWhileReadingReturnsOldBytes) {
  std::string old_big = pattern(2 * 1024 * 1024 + 1, 1);
  std::string new_big = pattern(2 * 1024 * 1024 + 1, 2);
  ASSERT_TRUE(put("o", old_big).is_ok());
  auto reader = layer_->open_object("bucket", "o", {});
  ASSERT_TRUE(reader.is_ok());
  char first[10];
  ASSERT_EQ(*(*reader)->read(first, 10), 10u);
  ASSERT_TRUE(put("o", new_big).is_ok());
  auto rest = read_all_of(**reader);
  ASSERT_TRUE(rest.is_ok()) << rest.status().to_string();
  EXPECT_TRUE(std::string(first, 10) + *rest == old_big);
  EXPECT_TRUE(*get("o") == new_big);
  // The replaced data dir is gone: only xl.meta and one data dir remain.
  int entries = 0;
  for (auto& e : fs::directory_iterator(obj_dir("o"))) entries += e.exists();
  EXPECT_EQ(entries, 2);

  // Overwriting an inline object with a big one and back.
  ASSERT_TRUE(put("o", "small now").is_ok());
  EXPECT_EQ(*get("o"), "small now");
  entries = 0;
  for (auto& e : fs::directory_iterator(obj_dir("o"))) entries += e.exists();
  EXPECT_EQ(entries, 1);
}

TEST_F(ErasureObjectsTest, ConcurrentOverwritesAndReadsSeeWholeVersions) {
  std::vector<std::string> versions;
  for (uint32_t i = 0; i < 4; ++i) versions.push_back(pattern(i % 2 ? 50000 : 1200000, i));
  ASSERT_TRUE(put("hot", versions[0]).is_ok());
  std::atomic<int> bad{0};
  std::vector<std::thread> threads;
  for (int w = 0; w < 2; ++w) {
    threads.emplace_back([&, w] {
      for (int i = 0; i < 6; ++i) {
        const std::string& v = versions[(w + i) % versions.size()];
        StringReader reader(v);
        PutObjectOptions options;
        options.size = static_cast<int64_t>(v.size());
        if (!layer_->put_object("bucket", "hot", reader, options).is_ok()) ++bad;
      }
    });
  }
  for (int r = 0; r < 2; ++r) {
    threads.emplace_back([&] {
      for (int i = 0; i < 10; ++i) {
        auto reader = layer_->open_object("bucket", "hot", {});
        if (!reader.is_ok()) {
          ++bad;
          continue;
        }
        auto got = read_all_of(**reader);
        if (!got.is_ok() || std::find(versions.begin(), versions.end(), *got) == versions.end()) {
          ++bad;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(bad.load(), 0);
  int entries = 0;
  for (auto& e : fs::directory_iterator(obj_dir("hot"))) entries += e.exists();
  EXPECT_LE(entries, 2);  // xl.meta and at most the current data dir
}

// kill -9 in the middle of overwrites: after a restart the object is one whole version.
TEST_F(ErasureObjectsTest, KillDuringOverwriteLeavesOldOrNew) {
  const std::vector<std::string> versions = {pattern(1500000, 11), pattern(3000, 12)};
  auto first = put("k", versions[0]);
  ASSERT_TRUE(first.is_ok());
  layer_.reset();
  for (int round = 0; round < 4; ++round) {
    pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      auto layer = open_object_layer(one_drive(root_));
      if (!layer) ::_exit(1);
      for (size_t i = 0;; ++i) {
        const std::string& v = versions[i % versions.size()];
        StringReader reader(v);
        PutObjectOptions options;
        options.size = static_cast<int64_t>(v.size());
        (void)(*layer)->put_object("bucket", "k", reader, options);
      }
    }
    ::usleep(30000 + 37000 * round);
    ::kill(pid, SIGKILL);
    int status = 0;
    ::waitpid(pid, &status, 0);
    reopen();
    auto got = get("k");
    ASSERT_TRUE(got.is_ok()) << got.status().to_string();
    EXPECT_TRUE(*got == versions[0] || *got == versions[1]) << "round " << round;
    EXPECT_TRUE(fs::is_empty(root_ + "/.minio.sys/tmp"));
    layer_.reset();
  }
  reopen();
  // The children did commit overwrites (the test is not vacuous).
  EXPECT_NE(layer_->get_object_info("bucket", "k", {})->mod_time, first->mod_time);
}

TEST_F(ErasureObjectsTest, TmpLeftoversRemovedAtOpen) {
  fs::create_directories(root_ + "/.minio.sys/tmp/dead-write/some-data-dir");
  std::ofstream(root_ + "/.minio.sys/tmp/dead-write/some-data-dir/part.1") << "half";
  reopen();
  EXPECT_TRUE(fs::is_empty(root_ + "/.minio.sys/tmp"));
}

TEST_F(ErasureObjectsTest, BadDigestCommitsNothing) {
  ASSERT_TRUE(put("d", "original").is_ok());
  PutObjectOptions options;
  options.expected_md5 = md5("something else");
  EXPECT_EQ(put("d", "replacement", options).code(), ErrorCode::kBadDigest);
  EXPECT_EQ(*get("d"), "original");
  options.expected_md5 = md5("replacement");
  EXPECT_TRUE(put("d", "replacement", options).is_ok());
  EXPECT_EQ(*get("d"), "replacement");
  std::string big = pattern(300000);
  options.expected_md5 = md5("nope");
  EXPECT_EQ(put("d", big, options).code(), ErrorCode::kBadDigest);
  EXPECT_EQ(*get("d"), "replacement");
  EXPECT_TRUE(fs::is_empty(root_ + "/.minio.sys/tmp"));
}

TEST_F(ErasureObjectsTest, ShortOrLongBodyCommitsNothing) {
  PutObjectOptions options;
  options.size = 500000;
  EXPECT_EQ(put("short", pattern(400000), options).code(), ErrorCode::kIncompleteBody);
  EXPECT_EQ(get("short").code(), ErrorCode::kNoSuchKey);
  EXPECT_FALSE(fs::exists(obj_dir("short")));
  options.size = 10;
  EXPECT_FALSE(put("long", pattern(11), options).is_ok());
  EXPECT_EQ(get("long").code(), ErrorCode::kNoSuchKey);
  EXPECT_TRUE(fs::is_empty(root_ + "/.minio.sys/tmp"));
}

TEST_F(ErasureObjectsTest, Preconditions) {
  PutObjectOptions none_match;
  none_match.if_none_match_any = true;
  ASSERT_TRUE(put("p", "v1", none_match).is_ok());
  EXPECT_EQ(put("p", "v2", none_match).code(), ErrorCode::kPreconditionFailed);
  PutObjectOptions match;
  match.if_match = "0000";
  EXPECT_EQ(put("p", "v2", match).code(), ErrorCode::kPreconditionFailed);
  match.if_match = hex_encode(md5("v1"));
  EXPECT_TRUE(put("p", "v2", match).is_ok());
  EXPECT_EQ(*get("p"), "v2");
}

TEST_F(ErasureObjectsTest, CopyObject) {
  std::string data = pattern(1500000);
  ASSERT_TRUE(put("src", data).is_ok());
  PutObjectOptions options;
  options.user_defined["content-type"] = "image/png";
  auto plan = [&](const ObjectInfo&) -> Result<PutObjectOptions> { return options; };
  auto copied = layer_->copy_object("bucket", "src", {}, "bucket", "dst", plan);
  ASSERT_TRUE(copied.is_ok()) << copied.status().to_string();
  EXPECT_TRUE(*get("dst") == data);
  // Onto itself: a metadata rewrite.
  auto self = layer_->copy_object("bucket", "src", {}, "bucket", "src", plan);
  ASSERT_TRUE(self.is_ok()) << self.status().to_string();
  EXPECT_TRUE(*get("src") == data);
  EXPECT_EQ(layer_->get_object_info("bucket", "src", {})->content_type, "image/png");
  ASSERT_TRUE(put("small", "abc").is_ok());
  ASSERT_TRUE(layer_->copy_object("bucket", "small", {}, "bucket", "small", plan).is_ok());
  EXPECT_EQ(*get("small"), "abc");
  // A plan that refuses (a copy-source condition) writes nothing.
  auto refuse = [](const ObjectInfo&) -> Result<PutObjectOptions> {
    return Status(ErrorCode::kPreconditionFailed);
  };
  EXPECT_EQ(layer_->copy_object("bucket", "src", {}, "bucket", "never", refuse).code(),
            ErrorCode::kPreconditionFailed);
  EXPECT_EQ(layer_->get_object_info("bucket", "never", {}).code(), ErrorCode::kNoSuchKey);
}

// Copy-source conditions are judged on the version that is copied: an overwrite of the
// source after the plan saw it does not change what lands at the destination.
TEST_F(ErasureObjectsTest, CopyPlanSeesTheVersionItCopies) {
  const std::string old_data = pattern(300000);
  ASSERT_TRUE(put("src", old_data).is_ok());
  std::string planned_etag;
  auto plan = [&](const ObjectInfo& source) -> Result<PutObjectOptions> {
    planned_etag = source.etag;
    EXPECT_TRUE(put("src", "overwritten meanwhile").is_ok());
    return PutObjectOptions{};
  };
  auto copied = layer_->copy_object("bucket", "src", {}, "bucket", "dst", plan);
  ASSERT_TRUE(copied.is_ok()) << copied.status().to_string();
  EXPECT_EQ(copied->etag, planned_etag);
  EXPECT_TRUE(*get("dst") == old_data);
  EXPECT_EQ(*get("src"), "overwritten meanwhile");
}

TEST_F(ErasureObjectsTest, DeleteRemovesEmptyParents) {
  ASSERT_TRUE(put("x/y/z/obj", pattern(200000)).is_ok());
  ASSERT_TRUE(put("x/keep", "k").is_ok());
  auto deleted = layer_->delete_object("bucket", "x/y/z/obj", {});
  ASSERT_TRUE(deleted.is_ok());
  EXPECT_EQ(deleted->name, "x/y/z/obj");
  EXPECT_FALSE(fs::exists(obj_dir("x/y")));
  EXPECT_TRUE(fs::exists(obj_dir("x/keep")));
  ASSERT_TRUE(layer_->delete_object("bucket", "x/keep", {}).is_ok());
  EXPECT_FALSE(fs::exists(obj_dir("x")));
  EXPECT_TRUE(fs::is_directory(root_ + "/bucket"));
  EXPECT_TRUE(layer_->delete_object("bucket", "never/existed", {}).is_ok());
  EXPECT_EQ(layer_->delete_object("nobucket", "k", {}).code(), ErrorCode::kNoSuchBucket);

  ASSERT_TRUE(put("m1", "1").is_ok());
  ASSERT_TRUE(put("m2", "2").is_ok());
  auto results =
      layer_->delete_objects("bucket", {{"m1", ""}, {"m2", ""}, {"m3", ""}, {"", ""}}, {});
  ASSERT_EQ(results.size(), 4u);
  EXPECT_TRUE(results[0].is_ok());
  EXPECT_TRUE(results[1].is_ok());
  EXPECT_TRUE(results[2].is_ok());
  EXPECT_EQ(results[3].code(), ErrorCode::kInvalidObjectName);
  EXPECT_EQ(get("m1").code(), ErrorCode::kNoSuchKey);
}

TEST_F(ErasureObjectsTest, ListObjectVersionsShowsNullVersions) {
  ASSERT_TRUE(put("a", "1").is_ok());
  ASSERT_TRUE(put("b", "2").is_ok());
  auto versions = layer_->list_object_versions("bucket", "", "", "", "", 1);
  ASSERT_TRUE(versions.is_ok());
  ASSERT_EQ(versions->versions.size(), 1u);
  EXPECT_EQ(versions->versions[0].name, "a");
  EXPECT_EQ(versions->versions[0].version_id, "");
  EXPECT_TRUE(versions->versions[0].is_latest);
  EXPECT_TRUE(versions->is_truncated);
  EXPECT_EQ(versions->next_key_marker, "a");
  EXPECT_EQ(versions->next_version_id_marker, "null");
  versions = layer_->list_object_versions("bucket", "", "a", "null", "", 10);
  ASSERT_TRUE(versions.is_ok());
  ASSERT_EQ(versions->versions.size(), 1u);
  EXPECT_EQ(versions->versions[0].name, "b");
  EXPECT_FALSE(versions->is_truncated);
}

// MinIO's fixture: an object written by a 4-drive set (EC 2+2), inline on disk1 and in a
// part file on disk2. Not servable by a one-drive set, but readable through the drive API
// and its shards verify with the bitrot reader.
TEST(MinioFixtureTest, InlineAndPartShardsOfAMinioObject) {
  char tmpl[] = "/tmp/maxio-fixture-XXXXXX";
  ASSERT_NE(::mkdtemp(tmpl), nullptr);
  std::string dir = tmpl;
  std::string zip =
      std::string(MAXIO_FIXTURES_DIR) + "/minio/cmd/testdata/xl-meta-inline-notinline.zip";
  ASSERT_TRUE(fs::exists(zip)) << zip;
  ASSERT_EQ(std::system(("unzip -q -o '" + zip + "' -d '" + dir + "'").c_str()), 0);

  for (const char* disk : {"disk1", "disk2"}) {
    SCOPED_TRACE(disk);
    auto drive = open_local_drive(dir + "/" + disk);
    ASSERT_TRUE(drive.is_ok()) << drive.status().to_string();
    auto fi = (*drive)->read_version("testbucket", "file", "", true);
    ASSERT_TRUE(fi.is_ok()) << fi.status().to_string();
    EXPECT_EQ(fi->size, 132096);
    EXPECT_EQ(fi->erasure.data_blocks, 2);
    EXPECT_EQ(fi->erasure.parity_blocks, 2);
    EXPECT_EQ(fi->metadata["etag"], "fffb6377948ebea75ad2b8058e849ef5");
    const uint64_t shard = (fi->erasure.block_size + 1) / 2;
    const uint64_t shard_file = (132096 + 1) / 2;  // one block, split over 2 data shards
    std::unique_ptr<FileReader> source;
    // Both drives flag the version inline; only disk1 holds the data (MinIO then reads
    // the part file, as open_object does).
    EXPECT_TRUE(fi->inline_data());
    if (!fi->data.empty()) {
      EXPECT_STREQ(disk, "disk1");
      source = new_memory_file_reader(fi->data);
    } else {
      auto file = (*drive)->open_file("testbucket", "file/" + fi->data_dir + "/part.1");
      ASSERT_TRUE(file.is_ok()) << file.status().to_string();
      source = std::move(*file);
    }
    EXPECT_EQ(source->size(), bitrot_file_size(shard_file, shard));
    BitrotReader reader(std::move(source), shard, shard_file);
    std::string payload(shard_file, '\0');
    auto n = read_full(reader, payload.data(), payload.size());
    ASSERT_TRUE(n.is_ok()) << n.status().to_string();
    EXPECT_EQ(*n, shard_file);
  }
  fs::remove_all(dir);
}

}  // namespace
}  // namespace maxio
