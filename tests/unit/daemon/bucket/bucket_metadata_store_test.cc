// BucketMetadataStore over the real object layer on temp drives: metadata lands in
// .minio.sys/buckets/<bucket>/.metadata.bin as an erasure-coded object, survives a
// restart, and goes away with the bucket.

#include "daemon/bucket/bucket_metadata_store.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <thread>

#include "daemon/bucket/configs.h"

namespace maxio {
namespace {

namespace fs = std::filesystem;

class BucketMetadataStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/maxio-bmeta-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    base_ = tmpl;
    open(1);
  }
  void TearDown() override {
    store_.reset();
    layer_.reset();
    fs::remove_all(base_);
  }

  void open(int drives) {
    store_.reset();
    layer_.reset();
    ObjectLayerOptions options;
    PoolLayout pool;
    for (int i = 0; i < drives; ++i) pool.drive_paths.push_back(drive(drives, i));
    pool.set_drive_count = drives;
    options.pools.push_back(pool);
    options.scanner_interval = std::chrono::milliseconds(0);
    options.probe_interval = std::chrono::milliseconds(0);
    options.sync = false;
    auto layer = open_object_layer(options);
    ASSERT_TRUE(layer.is_ok()) << layer.status().to_string();
    layer_ = std::move(*layer);
    store_ = std::make_unique<BucketMetadataStore>(*layer_);
  }

  // Deployments of different sizes use different directories.
  std::string drive(int drives, int i) const {
    return base_ + "/n" + std::to_string(drives) + "d" + std::to_string(i);
  }

  std::string base_;
  std::unique_ptr<ObjectLayer> layer_;
  std::unique_ptr<BucketMetadataStore> store_;
};

TEST_F(BucketMetadataStoreTest, MissingBucket) {
  EXPECT_EQ(store_->get("nope").code(), ErrorCode::kNoSuchBucket);
  EXPECT_EQ(store_->versioning("nope").code(), ErrorCode::kNoSuchBucket);
}

TEST_F(BucketMetadataStoreTest, BucketWithoutMetadataGetsDefaults) {
  ASSERT_TRUE(layer_->make_bucket("old", {}).is_ok());
  auto m = store_->get("old");
  ASSERT_TRUE(m.is_ok()) << m.status().to_string();
  EXPECT_EQ(m->name, "old");
  EXPECT_NE(m->created, Timestamp{});
  EXPECT_EQ(*store_->versioning("old"), VersioningState::kUnversioned);
  // Nothing was written by reading.
  EXPECT_FALSE(fs::exists(drive(1, 0) + "/.minio.sys/buckets/old/.metadata.bin"));
}

TEST_F(BucketMetadataStoreTest, CreateWritesMinioPathAndSurvivesRestart) {
  ASSERT_TRUE(layer_->make_bucket("locked", {}).is_ok());
  Timestamp now = std::chrono::system_clock::now();
  ASSERT_TRUE(store_->create("locked", now, /*object_lock=*/true).is_ok());
  EXPECT_TRUE(fs::exists(drive(1, 0) + "/.minio.sys/buckets/locked/.metadata.bin/xl.meta"));
  open(1);
  auto m = store_->get("locked");
  ASSERT_TRUE(m.is_ok()) << m.status().to_string();
  EXPECT_EQ(m->created, now);
  EXPECT_EQ(m->object_lock_xml, kObjectLockEnabledXml);
  EXPECT_EQ(m->versioning_xml, kVersioningEnabledXml);
  auto state = store_->state("locked");
  ASSERT_TRUE(state.is_ok());
  EXPECT_TRUE(state->object_lock);
  EXPECT_EQ(state->versioning, VersioningState::kEnabled);
}

TEST_F(BucketMetadataStoreTest, UpdateWritesThroughAndErrorsWriteNothing) {
  ASSERT_TRUE(layer_->make_bucket("b", {}).is_ok());
  ASSERT_TRUE(store_->create("b", std::chrono::system_clock::now(), false).is_ok());
  ASSERT_TRUE(store_
                  ->update("b",
                           [](BucketMetadata& m) {
                             m.versioning_xml = versioning_xml(VersioningState::kSuspended);
                             m.quota_json = quota_json(1000);
                             return Status::ok();
                           })
                  .is_ok());
  EXPECT_EQ(*store_->versioning("b"), VersioningState::kSuspended);
  EXPECT_EQ(store_->state("b")->hard_quota, 1000u);
  Status refused = store_->update("b", [](BucketMetadata& m) {
    m.versioning_xml.clear();
    return Status(ErrorCode::kMalformedXML);
  });
  EXPECT_EQ(refused.code(), ErrorCode::kMalformedXML);
  open(1);  // from disk, not the cache
  EXPECT_EQ(*store_->versioning("b"), VersioningState::kSuspended);
  EXPECT_EQ(store_->state("b")->hard_quota, 1000u);
}

TEST_F(BucketMetadataStoreTest, RemoveForgetsTheBucket) {
  ASSERT_TRUE(layer_->make_bucket("gone", {}).is_ok());
  ASSERT_TRUE(store_->create("gone", std::chrono::system_clock::now(), true).is_ok());
  ASSERT_TRUE(layer_->delete_bucket("gone", false).is_ok());
  ASSERT_TRUE(store_->remove("gone").is_ok());
  EXPECT_FALSE(fs::exists(drive(1, 0) + "/.minio.sys/buckets/gone/.metadata.bin/xl.meta"));
  EXPECT_EQ(store_->get("gone").code(), ErrorCode::kNoSuchBucket);
  // A bucket made again with the same name starts clean.
  ASSERT_TRUE(layer_->make_bucket("gone", {}).is_ok());
  EXPECT_EQ(*store_->versioning("gone"), VersioningState::kUnversioned);
  EXPECT_TRUE(store_->remove("never-made").is_ok());
}

TEST_F(BucketMetadataStoreTest, ConcurrentUpdatesAreNotLost) {
  ASSERT_TRUE(layer_->make_bucket("c", {}).is_ok());
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 5; ++i) {
        ASSERT_TRUE(store_
                        ->update("c",
                                 [&](BucketMetadata& m) {
                                   m.policy_json += std::to_string(t);
                                   return Status::ok();
                                 })
                        .is_ok());
      }
    });
  }
  for (auto& t : threads) t.join();
  open(1);
  EXPECT_EQ(store_->get("c")->policy_json.size(), 20u);
}

TEST_F(BucketMetadataStoreTest, ErasureCodedOnSixDrives) {
  open(6);
  ASSERT_TRUE(layer_->make_bucket("six", {}).is_ok());
  ASSERT_TRUE(store_->create("six", std::chrono::system_clock::now(), false).is_ok());
  for (int i = 0; i < 6; ++i) {
    EXPECT_TRUE(fs::exists(drive(6, i) + "/.minio.sys/buckets/six/.metadata.bin/xl.meta")) << i;
  }
  // Two drives lost: still readable.
  fs::remove_all(drive(1, 0) + "/.minio.sys/buckets/six");
  fs::remove_all(base_ + "/d1/.minio.sys/buckets/six");
  open(6);
  EXPECT_EQ(store_->get("six")->name, "six");
  // Healing the bucket restores its metadata on the two drives.
  ASSERT_TRUE(layer_->heal("six", "", false).is_ok());
  for (int i = 0; i < 2; ++i) {
    EXPECT_TRUE(fs::exists(drive(6, i) + "/.minio.sys/buckets/six/.metadata.bin/xl.meta")) << i;
  }
  // So does a heal of everything.
  fs::remove_all(drive(6, 5) + "/.minio.sys/buckets/six");
  ASSERT_TRUE(layer_->heal("", "", false).is_ok());
  EXPECT_TRUE(fs::exists(drive(6, 5) + "/.minio.sys/buckets/six/.metadata.bin/xl.meta"));
}

}  // namespace
}  // namespace maxio
