// Round trips of XlMeta built by Maxio: object versions, delete markers, the null version,
// ordering, inline data and delete_version.

#include "daemon/storage/xlmeta/xl_meta.h"

#include <gtest/gtest.h>

#include <chrono>

namespace maxio {
namespace {

using std::chrono::nanoseconds;
using std::chrono::system_clock;

system_clock::time_point at_nanos(int64_t ns) {
  return system_clock::time_point(
      std::chrono::duration_cast<system_clock::duration>(nanoseconds(ns)));
}

FileInfo object_version(const std::string& version_id, int64_t mod_time_ns,
                        const std::string& data_dir) {
  FileInfo fi;
  fi.version_id = version_id;
  fi.data_dir = data_dir;
  fi.mod_time = at_nanos(mod_time_ns);
  fi.size = 3 * 1024 * 1024;
  fi.metadata = {{"etag", "0123456789abcdef0123456789abcdef-2"},
                 {"content-type", "text/plain"},
                 {"x-amz-meta-color", "blue"}};
  fi.system_metadata = {{"x-minio-internal-actual-size", "3145728"}};
  ObjectPartInfo p1;
  p1.number = 1;
  p1.etag = "aaaa";
  p1.size = 2 * 1024 * 1024;
  p1.actual_size = p1.size;
  ObjectPartInfo p2;
  p2.number = 2;
  p2.etag = "bbbb";
  p2.size = 1024 * 1024;
  p2.actual_size = p2.size;
  fi.parts = {p1, p2};
  fi.erasure.data_blocks = 4;
  fi.erasure.parity_blocks = 2;
  fi.erasure.block_size = 1 << 20;
  fi.erasure.index = 3;
  fi.erasure.distribution = {3, 4, 5, 6, 1, 2};
  return fi;
}

FileInfo delete_marker(const std::string& version_id, int64_t mod_time_ns) {
  FileInfo fi;
  fi.version_id = version_id;
  fi.deleted = true;
  fi.mod_time = at_nanos(mod_time_ns);
  return fi;
}

XlMeta reparse(const XlMeta& x) {
  auto parsed = XlMeta::parse(x.serialize());
  EXPECT_TRUE(parsed.is_ok()) << parsed.status().to_string();
  return parsed.is_ok() ? std::move(parsed).value() : XlMeta();
}

constexpr char kV1[] = "8f0c4a5e-1b2d-4c3e-9f00-112233445566";
constexpr char kV2[] = "9a1b2c3d-4e5f-4a6b-8c7d-8e9fa0b1c2d3";
constexpr char kV3[] = "0badc0de-0000-4000-8000-000000000001";
constexpr char kDir1[] = "11111111-2222-4333-8444-555555555555";
constexpr char kDir2[] = "66666666-7777-4888-9999-aaaaaaaaaaaa";

TEST(XlMetaTest, EmptyRoundTrip) {
  XlMeta x;
  EXPECT_TRUE(x.empty());
  std::string bytes = x.serialize();
  ASSERT_GE(bytes.size(), 8u);
  EXPECT_EQ(bytes.substr(0, 4), "XL2 ");
  EXPECT_EQ(bytes.substr(4, 4), std::string("\x01\x00\x03\x00", 4));
  XlMeta back = reparse(x);
  EXPECT_TRUE(back.empty());
  EXPECT_EQ(back.file_info("b", "k", "", false).code(), ErrorCode::kFileNotFound);
  EXPECT_EQ(back.file_info("b", "k", kV1, false).code(), ErrorCode::kFileVersionNotFound);
}

TEST(XlMetaTest, ObjectWithDataDirRoundTrip) {
  XlMeta x;
  FileInfo in = object_version(kV1, 1700000000123456789, kDir1);
  ASSERT_TRUE(x.add_version(in).is_ok());
  XlMeta back = reparse(x);
  ASSERT_EQ(back.version_count(), 1u);
  auto fi = back.file_info("bucket", "key", "", true);
  ASSERT_TRUE(fi.is_ok()) << fi.status().to_string();
  EXPECT_EQ(fi->volume, "bucket");
  EXPECT_EQ(fi->name, "key");
  EXPECT_EQ(fi->version_id, kV1);
  EXPECT_EQ(fi->data_dir, kDir1);
  EXPECT_EQ(fi->mod_time, in.mod_time);
  EXPECT_EQ(fi->size, in.size);
  EXPECT_FALSE(fi->deleted);
  EXPECT_TRUE(fi->is_latest);
  EXPECT_EQ(fi->num_versions, 1);
  EXPECT_FALSE(fi->successor_mod_time.has_value());
  EXPECT_EQ(fi->metadata, in.metadata);
  EXPECT_EQ(fi->system_metadata, in.system_metadata);
  ASSERT_EQ(fi->parts.size(), 2u);
  for (size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(fi->parts[i].number, in.parts[i].number);
    EXPECT_EQ(fi->parts[i].etag, in.parts[i].etag);
    EXPECT_EQ(fi->parts[i].size, in.parts[i].size);
    EXPECT_EQ(fi->parts[i].actual_size, in.parts[i].actual_size);
  }
  EXPECT_EQ(fi->erasure.algorithm, "ReedSolomon");
  EXPECT_EQ(fi->erasure.data_blocks, 4);
  EXPECT_EQ(fi->erasure.parity_blocks, 2);
  EXPECT_EQ(fi->erasure.block_size, 1 << 20);
  EXPECT_EQ(fi->erasure.index, 3);
  EXPECT_EQ(fi->erasure.distribution, in.erasure.distribution);
  EXPECT_TRUE(fi->data.empty());
  // Serialization is stable.
  EXPECT_EQ(back.serialize(), x.serialize());
}

TEST(XlMetaTest, InternalKeysInMetadataGoToMetaSys) {
  XlMeta x;
  FileInfo in = object_version(kV1, 1700000000000000000, kDir1);
  in.metadata["X-Minio-Internal-compression"] = "klauspost/compress/s2";
  ASSERT_TRUE(x.add_version(in).is_ok());
  auto fi = reparse(x).file_info("b", "k", kV1, false);
  ASSERT_TRUE(fi.is_ok());
  EXPECT_EQ(fi->system_metadata.count("X-Minio-Internal-compression"), 1u);
  EXPECT_EQ(fi->metadata.count("X-Minio-Internal-compression"), 0u);
}

TEST(XlMetaTest, InlineNullVersionRoundTrip) {
  XlMeta x;
  FileInfo in = object_version("", 1700000000000000000, "");
  in.parts.resize(1);
  in.parts[0].etag.clear();
  in.size = 11;
  in.parts[0].size = 11;
  in.parts[0].actual_size = 11;
  in.system_metadata["x-minio-internal-inline-data"] = "true";
  in.data = "hello world";
  ASSERT_TRUE(x.add_version(in).is_ok());
  XlMeta back = reparse(x);
  ASSERT_NE(back.inline_data("null"), nullptr);
  EXPECT_EQ(*back.inline_data("null"), "hello world");
  for (const std::string id : {"", "null"}) {
    auto fi = back.file_info("b", "k", id, true);
    ASSERT_TRUE(fi.is_ok()) << id;
    EXPECT_EQ(fi->version_id, "");
    EXPECT_TRUE(fi->inline_data());
    EXPECT_EQ(fi->data, "hello world");
    EXPECT_EQ(fi->data_dir, "");
    EXPECT_EQ(fi->parts[0].etag, "");
  }
  auto no_data = back.file_info("b", "k", "", false);
  ASSERT_TRUE(no_data.is_ok());
  EXPECT_TRUE(no_data->data.empty());
  // The on-disk null version ID is 16 zero bytes.
  EXPECT_NE(x.serialize().find(std::string("\xc4\x10", 2) + std::string(16, '\0')),
            std::string::npos);
  // Deleting an inline version frees no directory and drops its data.
  auto freed = back.delete_version("null");
  ASSERT_TRUE(freed.is_ok());
  EXPECT_EQ(*freed, "");
  EXPECT_EQ(back.inline_data("null"), nullptr);
  EXPECT_TRUE(reparse(back).empty());
}

TEST(XlMetaTest, DeleteMarkerRoundTrip) {
  XlMeta x;
  ASSERT_TRUE(x.add_version(object_version(kV1, 1000, kDir1)).is_ok());
  ASSERT_TRUE(x.add_version(delete_marker(kV2, 2000)).is_ok());
  XlMeta back = reparse(x);
  auto latest = back.file_info("b", "k", "", false);
  ASSERT_TRUE(latest.is_ok());
  EXPECT_TRUE(latest->deleted);
  EXPECT_EQ(latest->version_id, kV2);
  EXPECT_TRUE(latest->is_latest);
  EXPECT_EQ(latest->num_versions, 2);
  EXPECT_EQ(latest->data_dir, "");
  auto older = back.file_info("b", "k", kV1, false);
  ASSERT_TRUE(older.is_ok());
  EXPECT_FALSE(older->deleted);
  EXPECT_FALSE(older->is_latest);
  ASSERT_TRUE(older->successor_mod_time.has_value());
  EXPECT_EQ(*older->successor_mod_time, at_nanos(2000));
  // Removing a delete marker frees nothing.
  auto freed = back.delete_version(kV2);
  ASSERT_TRUE(freed.is_ok());
  EXPECT_EQ(*freed, "");
  EXPECT_EQ(back.file_info("b", "k", "", false)->version_id, kV1);
}

TEST(XlMetaTest, NullDeleteMarker) {
  XlMeta x;
  ASSERT_TRUE(x.add_version(delete_marker("", 5000)).is_ok());
  auto fi = reparse(x).file_info("b", "k", "null", false);
  ASSERT_TRUE(fi.is_ok());
  EXPECT_TRUE(fi->deleted);
  EXPECT_EQ(fi->version_id, "");
}

TEST(XlMetaTest, VersionsSortedNewestFirst) {
  XlMeta x;
  ASSERT_TRUE(x.add_version(object_version(kV2, 2000, kDir2)).is_ok());
  ASSERT_TRUE(x.add_version(object_version(kV1, 1000, kDir1)).is_ok());
  ASSERT_TRUE(x.add_version(delete_marker(kV3, 3000)).is_ok());
  ASSERT_TRUE(x.add_version(object_version("", 1500, kDir1)).is_ok());
  XlMeta back = reparse(x);
  auto all = back.versions("b", "k", false);
  ASSERT_EQ(all.size(), 4u);
  EXPECT_EQ(all[0].version_id, kV3);
  EXPECT_EQ(all[1].version_id, kV2);
  EXPECT_EQ(all[2].version_id, "");
  EXPECT_EQ(all[3].version_id, kV1);
  EXPECT_TRUE(all[0].is_latest);
  for (size_t i = 0; i < all.size(); ++i) {
    EXPECT_EQ(all[i].num_versions, 4);
    if (i > 0) {
      EXPECT_FALSE(all[i].is_latest);
      ASSERT_TRUE(all[i].successor_mod_time.has_value());
      EXPECT_EQ(*all[i].successor_mod_time, all[i - 1].mod_time);
    }
  }
}

TEST(XlMetaTest, AddVersionReplacesSameId) {
  XlMeta x;
  ASSERT_TRUE(x.add_version(object_version("", 1000, kDir1)).is_ok());
  ASSERT_TRUE(x.add_version(object_version(kV1, 2000, kDir2)).is_ok());
  FileInfo replacement = object_version("null", 3000, kDir2);
  replacement.size = 42;
  ASSERT_TRUE(x.add_version(replacement).is_ok());
  ASSERT_EQ(x.version_count(), 2u);
  auto latest = x.file_info("b", "k", "", false);
  ASSERT_TRUE(latest.is_ok());
  EXPECT_EQ(latest->version_id, "");
  EXPECT_EQ(latest->size, 42);
}

TEST(XlMetaTest, DeleteVersionReturnsFreedDataDir) {
  XlMeta x;
  ASSERT_TRUE(x.add_version(object_version(kV1, 1000, kDir1)).is_ok());
  ASSERT_TRUE(x.add_version(object_version(kV2, 2000, kDir1)).is_ok());  // shares kDir1
  ASSERT_TRUE(x.add_version(object_version(kV3, 3000, kDir2)).is_ok());
  auto r = x.delete_version(kV1);
  ASSERT_TRUE(r.is_ok());
  EXPECT_EQ(*r, "");  // kV2 still uses kDir1
  r = x.delete_version(kV2);
  ASSERT_TRUE(r.is_ok());
  EXPECT_EQ(*r, kDir1);
  r = x.delete_version(kV3);
  ASSERT_TRUE(r.is_ok());
  EXPECT_EQ(*r, kDir2);
  EXPECT_TRUE(x.empty());
  EXPECT_EQ(x.delete_version(kV3).code(), ErrorCode::kFileVersionNotFound);
  EXPECT_EQ(x.delete_version("not-a-uuid").code(), ErrorCode::kFileVersionNotFound);
}

TEST(XlMetaTest, AddVersionRejectsInvalid) {
  XlMeta x;
  EXPECT_EQ(x.add_version(object_version("bogus", 1000, kDir1)).code(),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(x.add_version(object_version(kV1, 1000, "bogus")).code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(x.add_version(object_version(kV1, 0, kDir1)).code(), ErrorCode::kInvalidArgument);
  FileInfo bad_ec = object_version(kV1, 1000, kDir1);
  bad_ec.erasure.data_blocks = 1;
  bad_ec.erasure.parity_blocks = 2;
  EXPECT_EQ(x.add_version(bad_ec).code(), ErrorCode::kInvalidArgument);
  EXPECT_TRUE(x.empty());
}

TEST(XlMetaTest, RejectsMalformedInput) {
  XlMeta x;
  ASSERT_TRUE(x.add_version(object_version(kV1, 1000, kDir1)).is_ok());
  const std::string good = x.serialize();
  EXPECT_EQ(XlMeta::parse("").code(), ErrorCode::kFileCorrupt);
  EXPECT_EQ(XlMeta::parse("XL2 ").code(), ErrorCode::kFileCorrupt);
  EXPECT_EQ(XlMeta::parse("XL1 " + good.substr(4)).code(), ErrorCode::kFileCorrupt);
  std::string major2 = good;
  major2[4] = 2;
  EXPECT_EQ(XlMeta::parse(major2).code(), ErrorCode::kFileCorrupt);
  // Any flipped byte inside the metadata block breaks the CRC (or the framing).
  for (size_t i = 13; i < good.size() - 5; i += 7) {
    std::string bad = good;
    bad[i] = static_cast<char>(bad[i] ^ 0x5a);
    EXPECT_EQ(XlMeta::parse(bad).code(), ErrorCode::kFileCorrupt) << "offset " << i;
  }
  // Every truncation fails cleanly.
  for (size_t n = 0; n + 1 < good.size(); ++n) {
    EXPECT_FALSE(XlMeta::parse(good.substr(0, n)).is_ok()) << "length " << n;
  }
}

TEST(XlMetaTest, FreeVersionsAreHidden) {
  XlMeta x;
  ASSERT_TRUE(x.add_version(object_version(kV1, 1000, kDir1)).is_ok());
  FileInfo free_version = delete_marker(kV2, 2000);
  free_version.system_metadata["x-minio-internal-free-version"] = "";
  ASSERT_TRUE(x.add_version(free_version).is_ok());
  XlMeta back = reparse(x);
  EXPECT_EQ(back.version_count(), 2u);
  auto all = back.versions("b", "k", false);
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].version_id, kV1);
  auto latest = back.file_info("b", "k", "", false);
  ASSERT_TRUE(latest.is_ok());
  EXPECT_EQ(latest->version_id, kV1);
  EXPECT_TRUE(latest->is_latest);
  EXPECT_EQ(latest->num_versions, 1);
  // Still reachable by its ID (the scanner's view).
  auto free_fi = back.file_info("b", "k", kV2, false);
  ASSERT_TRUE(free_fi.is_ok());
  EXPECT_TRUE(free_fi->deleted);
}

}  // namespace
}  // namespace maxio
