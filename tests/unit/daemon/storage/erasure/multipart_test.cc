// Multipart uploads through the object layer on one drive and on a six-drive erasure set
// (with drives lost): upload, complete, read back, list, abort, the Complete errors, healing
// of a multipart object, stale upload cleanup, and MinIO's on-disk layout.

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <thread>

#include "daemon/storage/erasure/server_pools.h"
#include "daemon/storage/object_layer.h"
#include "daemon/storage/xlmeta/part_meta.h"
#include "daemon/storage/xlmeta/xl_meta.h"
#include "shared/crypto/hash.h"
#include "shared/util/encoding.h"

namespace maxio {
namespace {

namespace fs = std::filesystem;

constexpr size_t kMiB = 1 << 20;

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

// Regular files below dir (relative paths).
std::vector<std::string> files_under(const fs::path& dir) {
  std::vector<std::string> out;
  if (!fs::exists(dir)) return out;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (e.is_regular_file()) out.push_back(fs::relative(e.path(), dir).string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

// The set under test: its drive count, and how many of its drives are lost (drives 2 and
// 5 vanish after the bucket is made, before anything else happens).
struct SetShape {
  int drives = 1;
  int lost = 0;
};

class MultipartTest : public ::testing::TestWithParam<SetShape> {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/maxio-mpu-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    base_ = tmpl;
    open();
    ASSERT_TRUE(layer_->make_bucket("bucket", {}).is_ok());
    for (int i : {2, 5}) {
      if (lost(i)) fs::rename(drive(i), drive(i) + ".lost");
    }
  }
  void TearDown() override {
    layer_.reset();
    fs::remove_all(base_);
  }

  int drives() const { return GetParam().drives; }
  // Whether drive i is one of the lost ones.
  bool lost(int i) const {
    return (GetParam().lost >= 1 && i == 2) || (GetParam().lost >= 2 && i == 5);
  }
  std::string drive(int i) const { return base_ + "/d" + std::to_string(i); }

  void open() {
    layer_.reset();
    ObjectLayerOptions options;
    PoolLayout pool;
    for (int i = 1; i <= drives(); ++i) pool.drive_paths.push_back(drive(i));
    options.pools.push_back(pool);
    options.scanner_interval = std::chrono::milliseconds(0);
    options.probe_interval = std::chrono::milliseconds(10);
    options.stale_uploads_cleanup_interval = std::chrono::milliseconds(0);
    options.sync = false;
    options.heal_on_access = heal_on_access_;
    options.standard_parity = drives() == 1 ? 0 : 2;
    auto layer = open_object_layer(options);
    ASSERT_TRUE(layer.is_ok()) << layer.status().to_string();
    layer_ = std::move(*layer);
  }

  std::string create(const std::string& key) {
    PutObjectOptions options;
    options.user_defined["content-type"] = "text/plain";
    options.user_defined["x-amz-meta-color"] = "blue";
    auto id = layer_->new_multipart_upload("bucket", key, options);
    EXPECT_TRUE(id.is_ok()) << id.status().to_string();
    return id.is_ok() ? *id : "";
  }

  Result<PartInfo> upload(const std::string& key, const std::string& id, int number,
                          const std::string& data) {
    StringReader reader(data);
    PutObjectOptions options;
    options.size = static_cast<int64_t>(data.size());
    return layer_->put_object_part("bucket", key, id, number, reader, options);
  }

  Result<std::string> get(const std::string& key) {
    MAXIO_TRY(auto reader, layer_->open_object("bucket", key, {}));
    return read_all(*reader, 64 << 20);
  }

  Result<std::string> get_range(const std::string& key, uint64_t offset, uint64_t length) {
    MAXIO_TRY(auto reader, layer_->open_object("bucket", key, {}));
    MAXIO_RETURN_IF_ERROR(reader->set_range(offset, length));
    return read_all(*reader, 64 << 20);
  }

  // Files of uploads and staged parts left on drive i.
  std::vector<std::string> leftovers(int i) {
    auto out = files_under(drive(i) + "/.minio.sys/multipart");
    for (auto& f : files_under(drive(i) + "/.minio.sys/tmp")) out.push_back("tmp/" + f);
    return out;
  }

  // Uploads three parts (5 MiB, 5 MiB, 1 MiB + 3) of key out of order and completes them.
  // Returns the object's bytes.
  std::string upload_three(const std::string& key, std::string* etag = nullptr) {
    std::string id = create(key);
    std::vector<std::string> data = {pattern(5 * kMiB, 1), pattern(5 * kMiB, 2),
                                     pattern(kMiB + 3, 3)};
    std::vector<CompletePart> parts(3);
    for (int number : {2, 3, 1}) {
      auto part = upload(key, id, number, data[number - 1]);
      EXPECT_TRUE(part.is_ok()) << part.status().to_string();
      if (!part.is_ok()) return "";
      EXPECT_EQ(part->etag, hex_encode(md5(data[number - 1])));
      parts[number - 1] = CompletePart{number, "\"" + part->etag + "\""};
    }
    auto done = layer_->complete_multipart_upload("bucket", key, id, parts, {});
    EXPECT_TRUE(done.is_ok()) << done.status().to_string();
    if (etag && done.is_ok()) *etag = done->etag;
    return data[0] + data[1] + data[2];
  }

  // Waits (up to 5 s) until the prober has every drive online again.
  void wait_all_online() {
    for (int i = 0; i < 500; ++i) {
      bool all = true;
      for (const auto& d : layer_->storage_info().drives) all = all && d.state == "online";
      if (all) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ADD_FAILURE() << "drives did not come back online";
  }

  std::string base_;
  bool heal_on_access_ = false;
  std::unique_ptr<ObjectLayer> layer_;
};

TEST_P(MultipartTest, CompletedUploadReadsBackByteIdentical) {
  std::string etag;
  std::string object = upload_three("dir/big", &etag);
  ASSERT_FALSE(object.empty());
  std::string md5s =
      md5(pattern(5 * kMiB, 1)) + md5(pattern(5 * kMiB, 2)) + md5(pattern(kMiB + 3, 3));
  EXPECT_EQ(etag, hex_encode(md5(md5s)) + "-3");

  auto got = get("dir/big");
  ASSERT_TRUE(got.is_ok()) << got.status().to_string();
  EXPECT_TRUE(*got == object);
  // Ranges inside one part, across a part boundary, and across all three.
  for (auto [offset, length] : std::vector<std::pair<uint64_t, uint64_t>>{
           {0, 10}, {5 * kMiB - 7, 20}, {kMiB, 9 * kMiB + 100}, {10 * kMiB, kMiB + 3}}) {
    auto range = get_range("dir/big", offset, length);
    ASSERT_TRUE(range.is_ok()) << range.status().to_string();
    EXPECT_TRUE(*range == object.substr(offset, length)) << offset << "+" << length;
  }
  auto info = layer_->get_object_info("bucket", "dir/big", {});
  ASSERT_TRUE(info.is_ok());
  EXPECT_EQ(info->size, object.size());
  EXPECT_EQ(info->content_type, "text/plain");
  EXPECT_EQ(info->user_defined["x-amz-meta-color"], "blue");
  ASSERT_EQ(info->parts.size(), 3u);
  EXPECT_EQ(info->parts[0].size, 5 * kMiB);
  EXPECT_EQ(info->parts[2].number, 3);
  EXPECT_EQ(info->parts[2].size, kMiB + 3);

  // On disk: one data directory holding part.1..3, xl.meta with three parts; the upload
  // is gone.
  for (int i = 1; i <= drives(); ++i) {
    if (lost(i)) continue;
    auto meta = XlMeta::parse(slurp(drive(i) + "/bucket/dir/big/xl.meta"));
    ASSERT_TRUE(meta.is_ok());
    auto fi = meta->file_info("bucket", "dir/big", "", false);
    ASSERT_TRUE(fi.is_ok());
    ASSERT_EQ(fi->parts.size(), 3u);
    EXPECT_EQ(fi->size, static_cast<int64_t>(object.size()));
    auto files = files_under(drive(i) + "/bucket/dir/big");
    std::vector<std::string> expected = {fi->data_dir + "/part.1", fi->data_dir + "/part.2",
                                         fi->data_dir + "/part.3", "xl.meta"};
    EXPECT_EQ(files, expected);
    EXPECT_TRUE(leftovers(i).empty());
    // Serialising the parsed xl.meta gives the same bytes back.
    auto again = XlMeta::parse(meta->serialize());
    ASSERT_TRUE(again.is_ok());
    EXPECT_EQ(again->serialize(), meta->serialize());
  }
}

TEST_P(MultipartTest, UploadLayoutIsMinIOs) {
  std::string id = create("k");
  auto decoded = base64_decode(id + std::string((4 - id.size() % 4) % 4, '='));
  ASSERT_TRUE(decoded.is_ok());
  auto dot = decoded->find('.');
  ASSERT_NE(dot, std::string::npos);
  EXPECT_EQ(decoded->substr(0, dot), layer_->storage_info().deployment_id);
  const std::string uuid = decoded->substr(dot + 1);
  EXPECT_NE(uuid.find('x'), std::string::npos);
  std::string data = pattern(1000, 9);
  ASSERT_TRUE(upload("k", id, 7, data).is_ok());
  const fs::path dir = fs::path(drive(1)) / ".minio.sys/multipart" / sha256_hex("bucket/k") / uuid;
  auto meta = XlMeta::parse(slurp(dir / "xl.meta"));
  ASSERT_TRUE(meta.is_ok());
  auto fi = meta->file_info("", "", "", false);
  ASSERT_TRUE(fi.is_ok());
  EXPECT_EQ(fi->metadata["content-type"], "text/plain");
  EXPECT_EQ(fi->metadata["X-Amz-Meta-Color"], "blue");
  auto part_meta = decode_part_meta(slurp(dir / fi->data_dir / "part.7.meta"));
  ASSERT_TRUE(part_meta.is_ok());
  EXPECT_EQ(part_meta->number, 7);
  EXPECT_EQ(part_meta->etag, hex_encode(md5(data)));
  EXPECT_EQ(part_meta->size, 1000);
  EXPECT_TRUE(fs::exists(dir / fi->data_dir / "part.7"));
}

TEST_P(MultipartTest, CompleteRefusesBadPartLists) {
  std::string id = create("k");
  std::string small = pattern(kMiB, 4);
  std::string big = pattern(5 * kMiB, 5);
  auto p1 = upload("k", id, 1, small);
  auto p2 = upload("k", id, 2, big);
  auto p3 = upload("k", id, 3, small);
  ASSERT_TRUE(p1.is_ok() && p2.is_ok() && p3.is_ok());
  auto complete = [&](std::vector<CompletePart> parts) {
    return layer_->complete_multipart_upload("bucket", "k", id, parts, {}).code();
  };
  EXPECT_EQ(complete({{2, p2->etag}, {1, p1->etag}}), ErrorCode::kInvalidPartOrder);
  EXPECT_EQ(complete({{1, p1->etag}, {1, p1->etag}}), ErrorCode::kInvalidPartOrder);
  EXPECT_EQ(complete({{2, p2->etag}, {4, p1->etag}}), ErrorCode::kInvalidPart);
  EXPECT_EQ(complete({{2, p1->etag}, {3, p3->etag}}), ErrorCode::kInvalidPart);
  EXPECT_EQ(complete({{1, p1->etag}, {2, p2->etag}}), ErrorCode::kEntityTooSmall);
  EXPECT_EQ(complete({}), ErrorCode::kMalformedXML);
  EXPECT_EQ(layer_->get_object_info("bucket", "k", {}).code(), ErrorCode::kNoSuchKey);
  // The upload survived the refusals; the last part may be small, parts may be skipped.
  auto done =
      layer_->complete_multipart_upload("bucket", "k", id, {{2, p2->etag}, {3, p3->etag}}, {});
  ASSERT_TRUE(done.is_ok()) << done.status().to_string();
  auto got = get("k");
  ASSERT_TRUE(got.is_ok());
  EXPECT_TRUE(*got == big + small);
  EXPECT_EQ(layer_->complete_multipart_upload("bucket", "k", id, {{2, p2->etag}}, {}).code(),
            ErrorCode::kNoSuchUpload);
  for (int i = 1; i <= drives(); ++i) {
    if (lost(i)) continue;
    EXPECT_TRUE(leftovers(i).empty());
    // The part left out and every part.N.meta are gone; parts keep their numbers.
    auto files = files_under(drive(i) + "/bucket/k");
    ASSERT_EQ(files.size(), 3u);
    EXPECT_TRUE(files[0].ends_with("/part.2")) << files[0];
    EXPECT_TRUE(files[1].ends_with("/part.3")) << files[1];
    EXPECT_EQ(files[2], "xl.meta");
  }
}

TEST_P(MultipartTest, AbortLeavesNothingAndUnknownIdsAreNoSuchUpload) {
  std::string id = create("k");
  ASSERT_TRUE(upload("k", id, 1, pattern(3 * kMiB, 6)).is_ok());
  ASSERT_TRUE(upload("k", id, 2, pattern(100, 7)).is_ok());
  EXPECT_FALSE(leftovers(1).empty());
  ASSERT_TRUE(layer_->abort_multipart_upload("bucket", "k", id).is_ok());
  for (int i = 1; i <= drives(); ++i) EXPECT_EQ(leftovers(i), std::vector<std::string>()) << i;
  EXPECT_EQ(layer_->abort_multipart_upload("bucket", "k", id).code(), ErrorCode::kNoSuchUpload);
  EXPECT_EQ(upload("k", id, 3, "x").code(), ErrorCode::kNoSuchUpload);
  EXPECT_EQ(layer_->list_object_parts("bucket", "k", id, 0, 100).code(), ErrorCode::kNoSuchUpload);
  for (std::string bogus : {"", "nope", "Li4v", "YS4uLw"}) {  // "...", "a../"
    EXPECT_EQ(upload("k", bogus, 1, "x").code(), ErrorCode::kNoSuchUpload) << bogus;
  }
  // The upload of another key is not this one.
  std::string other = create("other");
  EXPECT_EQ(upload("k", other, 1, "x").code(), ErrorCode::kNoSuchUpload);
  EXPECT_EQ(upload("k", id, 0, "x").code(), ErrorCode::kInvalidArgumentS3);
  EXPECT_EQ(upload("k", id, 10001, "x").code(), ErrorCode::kInvalidArgumentS3);
}

TEST_P(MultipartTest, ListPartsAndUploadsPaginate) {
  std::string id = create("k");
  for (int number = 1; number <= 5; ++number) {
    ASSERT_TRUE(upload("k", id, number * 2, pattern(number * 10, number)).is_ok());
  }
  // A part uploaded again replaces the earlier one.
  auto replaced = upload("k", id, 4, pattern(33, 99));
  ASSERT_TRUE(replaced.is_ok());
  auto page = layer_->list_object_parts("bucket", "k", id, 0, 2);
  ASSERT_TRUE(page.is_ok()) << page.status().to_string();
  ASSERT_EQ(page->parts.size(), 2u);
  EXPECT_EQ(page->parts[0].number, 2);
  EXPECT_EQ(page->parts[1].number, 4);
  EXPECT_EQ(page->parts[1].size, 33u);
  EXPECT_EQ(page->parts[1].etag, replaced->etag);
  EXPECT_TRUE(page->is_truncated);
  EXPECT_EQ(page->next_part_number_marker, 4);
  EXPECT_EQ(page->upload.storage_class, "STANDARD");
  page = layer_->list_object_parts("bucket", "k", id, 4, 2);
  ASSERT_TRUE(page.is_ok());
  ASSERT_EQ(page->parts.size(), 2u);
  EXPECT_EQ(page->parts[0].number, 6);
  EXPECT_TRUE(page->is_truncated);
  page = layer_->list_object_parts("bucket", "k", id, 8, 2);
  ASSERT_TRUE(page.is_ok());
  ASSERT_EQ(page->parts.size(), 1u);
  EXPECT_EQ(page->parts[0].number, 10);
  EXPECT_FALSE(page->is_truncated);

  std::string a1 = create("a/1");
  std::string a2 = create("a/2");
  std::string a2b = create("a/2");
  std::string b = create("b");
  auto all = layer_->list_multipart_uploads("bucket", "", "", "", "", 1000);
  ASSERT_TRUE(all.is_ok()) << all.status().to_string();
  std::vector<std::string> keys;
  for (const auto& u : all->uploads) keys.push_back(u.key);
  EXPECT_EQ(keys, (std::vector<std::string>{"a/1", "a/2", "a/2", "b", "k"}));
  EXPECT_EQ(all->uploads[1].upload_id, a2);  // initiated first
  EXPECT_EQ(all->uploads[2].upload_id, a2b);
  EXPECT_FALSE(all->is_truncated);

  // One at a time with the markers S3 returns.
  std::vector<std::string> ids;
  std::string key_marker, id_marker;
  for (int i = 0; i < 10; ++i) {
    auto one = layer_->list_multipart_uploads("bucket", "", key_marker, id_marker, "", 1);
    ASSERT_TRUE(one.is_ok());
    for (const auto& u : one->uploads) ids.push_back(u.upload_id);
    if (!one->is_truncated) break;
    key_marker = one->next_key_marker;
    id_marker = one->next_upload_id_marker;
  }
  EXPECT_EQ(ids, (std::vector<std::string>{a1, a2, a2b, b, id}));

  auto grouped = layer_->list_multipart_uploads("bucket", "", "", "", "/", 1000);
  ASSERT_TRUE(grouped.is_ok());
  EXPECT_EQ(grouped->prefixes, std::vector<std::string>{"a/"});
  ASSERT_EQ(grouped->uploads.size(), 2u);
  auto prefixed = layer_->list_multipart_uploads("bucket", "a/", "a/1", "", "", 1000);
  ASSERT_TRUE(prefixed.is_ok());
  ASSERT_EQ(prefixed->uploads.size(), 2u);
  EXPECT_EQ(prefixed->uploads[0].key, "a/2");
}

TEST_P(MultipartTest, PartsUploadConcurrently) {
  std::string id = create("k");
  constexpr int kParts = 6;
  std::vector<std::string> data;
  for (int i = 0; i < kParts; ++i) data.push_back(pattern(5 * kMiB + i, 100 + i));
  std::vector<Result<PartInfo>> results(kParts, Status(ErrorCode::kInternal));
  std::vector<std::thread> threads;
  for (int i = 0; i < kParts; ++i) {
    threads.emplace_back([&, i] { results[i] = upload("k", id, i + 1, data[i]); });
  }
  for (auto& t : threads) t.join();
  std::vector<CompletePart> parts;
  std::string object;
  for (int i = 0; i < kParts; ++i) {
    ASSERT_TRUE(results[i].is_ok()) << results[i].status().to_string();
    parts.push_back({i + 1, results[i]->etag});
    object += data[i];
  }
  ASSERT_TRUE(layer_->complete_multipart_upload("bucket", "k", id, parts, {}).is_ok());
  auto got = get("k");
  ASSERT_TRUE(got.is_ok());
  EXPECT_TRUE(*got == object);
}

TEST_P(MultipartTest, CompleteHonoursConditions) {
  ASSERT_TRUE(!upload_three("k").empty());
  std::string id = create("k");
  auto part = upload("k", id, 1, "tiny");
  ASSERT_TRUE(part.is_ok());
  PutObjectOptions options;
  options.if_none_match_any = true;
  EXPECT_EQ(layer_->complete_multipart_upload("bucket", "k", id, {{1, part->etag}}, options).code(),
            ErrorCode::kPreconditionFailed);
  options = {};
  options.if_match = "0123";
  EXPECT_EQ(layer_->complete_multipart_upload("bucket", "k", id, {{1, part->etag}}, options).code(),
            ErrorCode::kPreconditionFailed);
  options.if_match = layer_->get_object_info("bucket", "k", {})->etag;
  ASSERT_TRUE(
      layer_->complete_multipart_upload("bucket", "k", id, {{1, part->etag}}, options).is_ok());
  EXPECT_EQ(*get("k"), "tiny");
}

TEST_P(MultipartTest, StaleUploadsAreRemoved) {
  std::string old_id = create("old");
  ASSERT_TRUE(upload("old", old_id, 1, "x").is_ok());
  auto removed = layer_->cleanup_stale_uploads(std::chrono::hours(1));
  ASSERT_TRUE(removed.is_ok());
  EXPECT_EQ(*removed, 0);
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  removed = layer_->cleanup_stale_uploads(std::chrono::milliseconds(10));
  ASSERT_TRUE(removed.is_ok());
  EXPECT_EQ(*removed, 1);
  EXPECT_EQ(upload("old", old_id, 2, "x").code(), ErrorCode::kNoSuchUpload);
  for (int i = 1; i <= drives(); ++i) EXPECT_TRUE(leftovers(i).empty());
}

std::string shape_name(const ::testing::TestParamInfo<SetShape>& info) {
  return std::to_string(info.param.drives) + "Drives" +
         (info.param.lost ? std::to_string(info.param.lost) + "Lost" : "");
}

INSTANTIATE_TEST_SUITE_P(Drives, MultipartTest,
                         ::testing::Values(SetShape{1, 0}, SetShape{6, 0}, SetShape{6, 2}),
                         shape_name);

// Six drives, two of them lost while the upload runs; the object reads back and healing
// puts every part back on the lost drives.
class MultipartErasureTest : public MultipartTest {};

TEST_P(MultipartErasureTest, UploadWithTwoDrivesLostThenHeal) {
  fs::rename(drive(2), drive(2) + ".away");
  fs::rename(drive(5), drive(5) + ".away");
  std::string object = upload_three("k");
  ASSERT_FALSE(object.empty());
  auto got = get("k");
  ASSERT_TRUE(got.is_ok()) << got.status().to_string();
  EXPECT_TRUE(*got == object);
  // Blank replacements come back; healing rebuilds part.1..3 there.
  layer_.reset();
  fs::remove_all(drive(2) + ".away");
  fs::remove_all(drive(5) + ".away");
  fs::create_directory(drive(2));
  fs::create_directory(drive(5));
  open();
  auto summary = layer_->heal("bucket", "", /*deep=*/false);
  ASSERT_TRUE(summary.is_ok()) << summary.status().to_string();
  EXPECT_EQ(summary->objects_healed, 1u);
  for (int i : {2, 5}) {
    auto files = files_under(drive(i) + "/bucket/k");
    EXPECT_EQ(files.size(), 4u) << i;  // xl.meta and part.1..3
  }
  // Reads need the healed drives now: two others go.
  fs::rename(drive(1), drive(1) + ".away");
  fs::rename(drive(3), drive(3) + ".away");
  got = get("k");
  ASSERT_TRUE(got.is_ok()) << got.status().to_string();
  EXPECT_TRUE(*got == object);
  fs::rename(drive(1) + ".away", drive(1));
  fs::rename(drive(3) + ".away", drive(3));
  summary = layer_->heal("bucket", "", /*deep=*/true);
  ASSERT_TRUE(summary.is_ok());
  EXPECT_EQ(summary->objects_healed, 0u);
}

TEST_P(MultipartErasureTest, CorruptPartShardIsHealed) {
  std::string object = upload_three("k");
  ASSERT_FALSE(object.empty());
  // Damage part.2 on drive 4.
  std::string rel;
  for (const auto& f : files_under(drive(4) + "/bucket/k")) {
    if (f.ends_with("/part.2")) rel = f;
  }
  ASSERT_FALSE(rel.empty());
  const fs::path file = fs::path(drive(4)) / "bucket/k" / rel;
  const std::string pristine = slurp(file);
  {
    std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(100);
    f.put(static_cast<char>(pristine[100] ^ 1));
  }
  auto got = get("k");
  ASSERT_TRUE(got.is_ok());
  EXPECT_TRUE(*got == object);
  auto summary = layer_->heal("bucket", "", /*deep=*/true);
  ASSERT_TRUE(summary.is_ok()) << summary.status().to_string();
  EXPECT_EQ(summary->objects_healed, 1u);
  EXPECT_TRUE(slurp(file) == pristine);
}

// A drive away while one part was uploaded takes the completed object anyway; the object
// is queued for healing, which rebuilds the part it missed.
TEST_P(MultipartErasureTest, PartMissedByADriveIsHealedAfterComplete) {
  heal_on_access_ = true;
  open();
  std::string id = create("k");
  std::vector<std::string> data = {pattern(5 * kMiB, 21), pattern(5 * kMiB, 22), pattern(1000, 23)};
  std::vector<CompletePart> parts;
  for (int number = 1; number <= 3; ++number) {
    if (number == 2) fs::rename(drive(3), drive(3) + ".away");
    auto part = upload("k", id, number, data[number - 1]);
    ASSERT_TRUE(part.is_ok()) << part.status().to_string();
    parts.push_back({number, part->etag});
    if (number == 2) {
      fs::rename(drive(3) + ".away", drive(3));
      wait_all_online();
    }
  }
  auto done = layer_->complete_multipart_upload("bucket", "k", id, parts, {});
  ASSERT_TRUE(done.is_ok()) << done.status().to_string();
  bool healed = false;
  for (int i = 0; i < 500 && !healed; ++i) {
    auto files = files_under(drive(3) + "/bucket/k");
    healed = files.size() == 4;  // xl.meta and part.1..3
    if (!healed) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_TRUE(healed);
  auto got = get("k");
  ASSERT_TRUE(got.is_ok());
  EXPECT_TRUE(*got == data[0] + data[1] + data[2]);
}

INSTANTIATE_TEST_SUITE_P(SixDrives, MultipartErasureTest, ::testing::Values(SetShape{6, 0}),
                         shape_name);

// Two pools of two sets each: every upload is found again on the set it was created on,
// and listed once.
TEST(MultipartPoolsTest, UploadsAreFoundInTheirPoolAndSet) {
  char tmpl[] = "/tmp/maxio-mpu-pools-XXXXXX";
  ASSERT_NE(::mkdtemp(tmpl), nullptr);
  const std::string base = tmpl;
  {
    ObjectLayerOptions options;
    int next = 1;
    for (int p = 0; p < 2; ++p) {
      PoolLayout pool;
      for (int i = 0; i < 4; ++i) pool.drive_paths.push_back(base + "/d" + std::to_string(next++));
      pool.set_drive_count = 2;
      options.pools.push_back(pool);
    }
    options.scanner_interval = std::chrono::milliseconds(0);
    options.probe_interval = std::chrono::milliseconds(0);
    options.stale_uploads_cleanup_interval = std::chrono::milliseconds(0);
    options.sync = false;
    auto opened = open_object_layer(options);
    ASSERT_TRUE(opened.is_ok()) << opened.status().to_string();
    ObjectLayer& layer = **opened;
    ASSERT_TRUE(layer.make_bucket("bucket", {}).is_ok());
    std::map<std::string, std::string> ids;
    for (int k = 0; k < 12; ++k) {
      const std::string key = "key-" + std::to_string(k);
      auto id = layer.new_multipart_upload("bucket", key, {});
      ASSERT_TRUE(id.is_ok()) << id.status().to_string();
      ids[key] = *id;
    }
    auto listed = layer.list_multipart_uploads("bucket", "", "", "", "", 1000);
    ASSERT_TRUE(listed.is_ok());
    EXPECT_EQ(listed->uploads.size(), ids.size());
    for (const auto& [key, id] : ids) {
      std::string data = key + " data";
      StringReader reader(data);
      PutObjectOptions put;
      put.size = static_cast<int64_t>(data.size());
      auto part = layer.put_object_part("bucket", key, id, 1, reader, put);
      ASSERT_TRUE(part.is_ok()) << key << ": " << part.status().to_string();
      ASSERT_TRUE(
          layer.complete_multipart_upload("bucket", key, id, {{1, part->etag}}, {}).is_ok());
      auto got = layer.open_object("bucket", key, {});
      ASSERT_TRUE(got.is_ok());
      EXPECT_EQ(*read_all(**got, 1 << 20), data);
      // Another key's upload ID is no upload of this key.
      const std::string& other =
          ids.begin()->first == key ? ids.rbegin()->second : ids.begin()->second;
      EXPECT_EQ(layer.list_object_parts("bucket", key, other, 0, 10).code(),
                ErrorCode::kNoSuchUpload);
    }
  }
  fs::remove_all(base);
}

TEST(PartMetaTest, RoundTripsAndMatchesMinIOsEncoding) {
  ObjectPartInfo part;
  part.number = 3;
  part.etag = "5d41402abc4b2a76b9719d911017c592";
  part.size = 5242880;
  part.actual_size = 5242880;
  part.mod_time = std::chrono::system_clock::time_point(std::chrono::seconds(1700000000)) +
                  std::chrono::nanoseconds(123456789);
  std::string bytes = encode_part_meta(part);
  // map of 5: "e" str, "n" 3, "s" int32, "as" int32, "mt" ext8(12, type 5).
  ASSERT_GE(bytes.size(), 4u);
  EXPECT_EQ(static_cast<uint8_t>(bytes[0]), 0x85);
  EXPECT_EQ(bytes.substr(1, 2),
            "\xa1"
            "e");
  auto mt = bytes.find("\xa2mt");
  ASSERT_NE(mt, std::string::npos);
  EXPECT_EQ(bytes.substr(mt + 3, 3), std::string("\xc7\x0c\x05", 3));
  EXPECT_EQ(bytes.size(), mt + 3 + 15);
  auto back = decode_part_meta(bytes);
  ASSERT_TRUE(back.is_ok());
  EXPECT_EQ(back->number, 3);
  EXPECT_EQ(back->etag, part.etag);
  EXPECT_EQ(back->size, part.size);
  EXPECT_EQ(back->actual_size, part.actual_size);
  EXPECT_EQ(back->mod_time, part.mod_time);
  EXPECT_FALSE(decode_part_meta("\x85\xa1").is_ok());
}

}  // namespace
}  // namespace maxio
