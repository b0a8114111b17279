// ObjectLayer::update_object_metadata on one drive and six: only the chosen version's user
// metadata changes; its bytes (inline or in part files), mod time, ETag and the other
// versions stay as they were; delete markers and missing versions are refused.

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <random>

#include "daemon/storage/erasure/server_pools.h"
#include "daemon/storage/object_layer.h"
#include "daemon/storage/xlmeta/xl_meta.h"

namespace maxio {
namespace {

namespace fs = std::filesystem;

std::string pattern(size_t n, uint32_t seed) {
  std::string s(n, '\0');
  std::mt19937 rng(seed);
  for (auto& c : s) c = static_cast<char>(rng());
  return s;
}

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

constexpr size_t kInlineSize = 1000;
constexpr size_t kPartSize = 3 * 1024 * 1024 + 17;

class MetadataUpdateTest : public ::testing::TestWithParam<int> {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/maxio-metaupdate-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    base_ = tmpl;
    ObjectLayerOptions options;
    PoolLayout pool;
    for (int i = 1; i <= drives(); ++i) pool.drive_paths.push_back(drive(i));
    pool.set_drive_count = drives();
    options.pools = {pool};
    options.scanner_interval = std::chrono::milliseconds(0);
    options.probe_interval = std::chrono::milliseconds(10);
    options.heal_on_access = false;
    options.sync = false;
    if (drives() == 6) options.standard_parity = 2;
    auto layer = open_object_layer(options);
    ASSERT_TRUE(layer.is_ok()) << layer.status().to_string();
    layer_ = std::move(*layer);
    ASSERT_TRUE(layer_->make_bucket("bucket", {}).is_ok());
  }
  void TearDown() override {
    layer_.reset();
    fs::remove_all(base_);
  }

  int drives() const { return GetParam(); }
  std::string drive(int i) const { return base_ + "/d" + std::to_string(i); }

  Result<ObjectInfo> put(const std::string& key, const std::string& data, bool versioned,
                         std::map<std::string, std::string> meta = {}) {
    StringReader reader(data);
    PutObjectOptions options;
    options.size = static_cast<int64_t>(data.size());
    options.versioned = versioned;
    options.user_defined = std::move(meta);
    return layer_->put_object("bucket", key, reader, options);
  }

  Result<std::string> get(const std::string& key, const std::string& version_id = "") {
    ObjectOptions options;
    options.version_id = version_id;
    MAXIO_TRY(auto reader, layer_->open_object("bucket", key, options));
    return read_all(*reader, 64 << 20);
  }

  Result<ObjectInfo> update(const std::string& key, const std::string& version_id,
                            const MetadataMutation& mutate) {
    ObjectOptions options;
    options.version_id = version_id;
    return layer_->update_object_metadata("bucket", key, options, mutate);
  }

  static Status set_tags(std::map<std::string, std::string>& m) {
    m["x-amz-tagging"] = "a=1&b=2";
    return Status::ok();
  }

  std::string base_;
  std::unique_ptr<ObjectLayer> layer_;
};

TEST_P(MetadataUpdateTest, UpdatesOnlyTheMetadataOfInlineAndPartObjects) {
  for (size_t size : {kInlineSize, kPartSize}) {
    SCOPED_TRACE(size);
    const std::string key = "obj" + std::to_string(size);
    const std::string data = pattern(size, static_cast<uint32_t>(size));
    auto put_info = put(key, data, false, {{"x-amz-meta-color", "red"}});
    ASSERT_TRUE(put_info.is_ok()) << put_info.status().to_string();
    auto updated = update(key, "", [](std::map<std::string, std::string>& m) {
      EXPECT_EQ(m["x-amz-meta-color"], "red");
      EXPECT_EQ(m.count("etag"), 0u);
      m["x-amz-tagging"] = "k=v";
      m.erase("x-amz-meta-color");
      return Status::ok();
    });
    ASSERT_TRUE(updated.is_ok()) << updated.status().to_string();
    EXPECT_EQ(updated->user_defined.at("x-amz-tagging"), "k=v");
    EXPECT_EQ(updated->etag, put_info->etag);

    auto info = layer_->get_object_info("bucket", key, {});
    ASSERT_TRUE(info.is_ok());
    EXPECT_EQ(info->user_defined.at("x-amz-tagging"), "k=v");
    EXPECT_EQ(info->user_defined.count("x-amz-meta-color"), 0u);
    EXPECT_EQ(info->etag, put_info->etag);
    EXPECT_EQ(info->mod_time, put_info->mod_time);
    EXPECT_EQ(info->size, size);
    auto bytes = get(key);
    ASSERT_TRUE(bytes.is_ok()) << bytes.status().to_string();
    EXPECT_TRUE(*bytes == data);

    // On every drive: MinIO's key spelling, the shard layout unchanged.
    for (int d = 1; d <= drives(); ++d) {
      auto meta = XlMeta::parse(slurp(drive(d) + "/bucket/" + key + "/xl.meta"));
      ASSERT_TRUE(meta.is_ok());
      auto versions = meta->versions("bucket", key, false);
      ASSERT_EQ(versions.size(), 1u);
      EXPECT_EQ(versions[0].metadata.at("X-Amz-Tagging"), "k=v");
      EXPECT_EQ(versions[0].inline_data(), size == kInlineSize);
    }
  }
}

TEST_P(MetadataUpdateTest, TouchesOnlyTheChosenVersion) {
  auto v1 = put("key", pattern(kInlineSize, 1), true);
  auto v2 = put("key", pattern(kPartSize, 2), true);
  ASSERT_TRUE(v1.is_ok() && v2.is_ok());
  ASSERT_TRUE(update("key", v1->version_id, set_tags).is_ok());
  auto i1 = layer_->get_object_info("bucket", "key", ObjectOptions{v1->version_id});
  auto i2 = layer_->get_object_info("bucket", "key", ObjectOptions{v2->version_id});
  ASSERT_TRUE(i1.is_ok() && i2.is_ok());
  EXPECT_EQ(i1->user_defined.at("x-amz-tagging"), "a=1&b=2");
  EXPECT_FALSE(i1->is_latest);
  EXPECT_EQ(i2->user_defined.count("x-amz-tagging"), 0u);
  EXPECT_TRUE(i2->is_latest);
  EXPECT_EQ(*get("key", v1->version_id), pattern(kInlineSize, 1));
  EXPECT_EQ(*get("key", v2->version_id), pattern(kPartSize, 2));
}

TEST_P(MetadataUpdateTest, RefusesDeleteMarkersMissingVersionsAndFailedMutations) {
  ASSERT_TRUE(put("key", "x", true).is_ok());
  ObjectOptions del;
  del.versioned = true;
  auto marker = layer_->delete_object("bucket", "key", del);
  ASSERT_TRUE(marker.is_ok());
  EXPECT_EQ(update("key", "", set_tags).code(), ErrorCode::kMethodNotAllowed);
  EXPECT_EQ(update("key", marker->delete_marker_version_id, set_tags).code(),
            ErrorCode::kMethodNotAllowed);
  EXPECT_EQ(update("missing", "", set_tags).code(), ErrorCode::kNoSuchKey);
  EXPECT_EQ(update("key", "00000000-0000-0000-0000-000000000001", set_tags).code(),
            ErrorCode::kNoSuchVersion);

  ASSERT_TRUE(put("plain", "y", false).is_ok());
  auto refused = update("plain", "", [](std::map<std::string, std::string>& m) {
    m["x-amz-tagging"] = "z=1";
    return Status(ErrorCode::kInvalidTag, "no");
  });
  EXPECT_EQ(refused.code(), ErrorCode::kInvalidTag);
  auto info = layer_->get_object_info("bucket", "plain", {});
  ASSERT_TRUE(info.is_ok());
  EXPECT_EQ(info->user_defined.count("x-amz-tagging"), 0u);
}

TEST_P(MetadataUpdateTest, ADriveThatMissedTheUpdateIsOutvoted) {
  if (drives() == 1) GTEST_SKIP() << "needs several drives";
  ASSERT_TRUE(put("key", pattern(kPartSize, 3), false).is_ok());
  const std::string meta_path = drive(1) + "/bucket/key/xl.meta";
  const std::string stale = slurp(meta_path);
  ASSERT_TRUE(update("key", "", set_tags).is_ok());
  // Drive 1 as if it had been offline during the update.
  { std::ofstream(meta_path, std::ios::binary | std::ios::trunc) << stale; }
  auto info = layer_->get_object_info("bucket", "key", {});
  ASSERT_TRUE(info.is_ok());
  EXPECT_EQ(info->user_defined.at("x-amz-tagging"), "a=1&b=2");
  // Healing rewrites its xl.meta entry (and only that: the shard stays).
  auto healed = layer_->heal("bucket", "", false);
  ASSERT_TRUE(healed.is_ok()) << healed.status().to_string();
  EXPECT_EQ(healed->objects_healed, 1u);
  {
    auto meta = XlMeta::parse(slurp(meta_path));
    ASSERT_TRUE(meta.is_ok());
    EXPECT_EQ(meta->versions("bucket", "key", false).at(0).metadata.at("X-Amz-Tagging"), "a=1&b=2");
  }
  { std::ofstream(meta_path, std::ios::binary | std::ios::trunc) << stale; }
  // The next update rewrites every drive holding the version, the stale one too.
  ASSERT_TRUE(update("key", "", [](std::map<std::string, std::string>& m) {
                EXPECT_EQ(m["x-amz-tagging"], "a=1&b=2");
                m["x-amz-tagging"] = "c=3";
                return Status::ok();
              }).is_ok());
  auto meta = XlMeta::parse(slurp(meta_path));
  ASSERT_TRUE(meta.is_ok());
  EXPECT_EQ(meta->versions("bucket", "key", false).at(0).metadata.at("X-Amz-Tagging"), "c=3");
  EXPECT_EQ(*get("key"), pattern(kPartSize, 3));
}

INSTANTIATE_TEST_SUITE_P(Drives, MetadataUpdateTest, ::testing::Values(1, 6),
                         [](const auto& info) { return std::to_string(info.param) + "drives"; });

}  // namespace
}  // namespace maxio
