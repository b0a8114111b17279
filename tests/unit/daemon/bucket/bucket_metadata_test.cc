// BucketMetadata against MinIO's .metadata.bin layout: bytes built by hand the way MinIO's
// msgp-generated marshaller writes them decode to the right fields and encode back to the
// same bytes; round trips; corrupt input is refused.

#include "daemon/bucket/bucket_metadata.h"

#include <gtest/gtest.h>

#include <chrono>

namespace maxio {
namespace {

using std::chrono::seconds;

// An independent writer of the few msgpack forms MinIO's marshaller uses.
struct MinioBytes {
  std::string out;
  void raw(std::initializer_list<int> bytes) {
    for (int b : bytes) out.push_back(static_cast<char>(b));
  }
  void be(uint64_t v, int width) {
    for (int i = width - 1; i >= 0; --i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
  }
  void str(std::string_view s) {
    if (s.size() < 32) {
      out.push_back(static_cast<char>(0xa0 | s.size()));
    } else {
      raw({0xd9, static_cast<int>(s.size())});
    }
    out += s;
  }
  void bin(std::string_view s) {
    raw({0xc4, static_cast<int>(s.size())});
    out += s;
  }
  // msgp.AppendTime: ext8, length 12, type 5, int64 seconds, int32 nanoseconds.
  void time(int64_t unix_seconds, uint32_t nanos) {
    raw({0xc7, 12, 5});
    be(static_cast<uint64_t>(unix_seconds), 8);
    be(nanos, 4);
  }
};

constexpr int64_t kGoZero = -62135596800;

const char* kBytesNames[] = {"PolicyConfigJSON",           "NotificationConfigXML",
                             "LifecycleConfigXML",         "ObjectLockConfigXML",
                             "VersioningConfigXML",        "EncryptionConfigXML",
                             "TaggingConfigXML",           "QuotaConfigJSON",
                             "ReplicationConfigXML",       "BucketTargetsConfigJSON",
                             "BucketTargetsConfigMetaJSON"};
const char* kTimeNames[] = {"PolicyConfigUpdatedAt",
                            "ObjectLockConfigUpdatedAt",
                            "EncryptionConfigUpdatedAt",
                            "TaggingConfigUpdatedAt",
                            "QuotaConfigUpdatedAt",
                            "ReplicationConfigUpdatedAt",
                            "VersioningConfigUpdatedAt",
                            "LifecycleConfigUpdatedAt",
                            "NotificationConfigUpdatedAt",
                            "BucketTargetsConfigUpdatedAt",
                            "BucketTargetsConfigMetaUpdatedAt"};

// What MinIO writes for bucket "photos" created at 1700000000.123456789 with object lock,
// and a policy set at 1700000100.
std::string minio_layout() {
  MinioBytes b;
  b.raw({0x01, 0x00, 0x01, 0x00});  // format 1, version 1
  b.raw({0xde, 0x00, 0x19});        // map16, 25 entries
  b.str("Name");
  b.str("photos");
  b.str("Created");
  b.time(1700000000, 123456789);
  b.str("LockEnabled");
  b.raw({0xc2});
  for (const char* name : kBytesNames) {
    b.str(name);
    if (std::string_view(name) == "ObjectLockConfigXML") {
      b.bin(kObjectLockEnabledXml);
    } else if (std::string_view(name) == "VersioningConfigXML") {
      b.bin(kVersioningEnabledXml);
    } else if (std::string_view(name) == "PolicyConfigJSON") {
      b.bin(R"({"Version":"2012-10-17","Statement":[]})");
    } else {
      b.bin("");
    }
  }
  for (const char* name : kTimeNames) {
    b.str(name);
    if (std::string_view(name) == "PolicyConfigUpdatedAt") {
      b.time(1700000100, 0);
    } else {
      b.time(kGoZero, 0);
    }
  }
  return b.out;
}

Timestamp at(int64_t s, int64_t ns = 0) {
  return Timestamp(
      std::chrono::duration_cast<Timestamp::duration>(seconds(s) + std::chrono::nanoseconds(ns)));
}

TEST(BucketMetadata, DecodesMinioLayout) {
  auto m = decode_bucket_metadata(minio_layout());
  ASSERT_TRUE(m.is_ok()) << m.status().to_string();
  EXPECT_EQ(m->name, "photos");
  EXPECT_EQ(m->created, at(1700000000, 123456789));
  EXPECT_FALSE(m->lock_enabled);
  EXPECT_EQ(m->object_lock_xml, kObjectLockEnabledXml);
  EXPECT_EQ(m->versioning_xml, kVersioningEnabledXml);
  EXPECT_EQ(m->policy_json, R"({"Version":"2012-10-17","Statement":[]})");
  EXPECT_EQ(m->policy_updated, at(1700000100));
  EXPECT_EQ(m->tagging_updated, Timestamp{});  // Go's zero time
  EXPECT_TRUE(m->lifecycle_xml.empty());
}

TEST(BucketMetadata, EncodesExactlyMinioLayout) {
  auto m = decode_bucket_metadata(minio_layout());
  ASSERT_TRUE(m.is_ok());
  EXPECT_EQ(encode_bucket_metadata(*m), minio_layout());
}

TEST(BucketMetadata, RoundTripsEveryField) {
  BucketMetadata m;
  m.name = "b";
  m.created = at(1600000000, 5);
  m.lock_enabled = true;
  m.policy_json = "{}";
  m.notification_xml = "<N/>";
  m.lifecycle_xml = std::string(300, 'l');  // bin16
  m.object_lock_xml = "<O/>";
  m.versioning_xml = "<V/>";
  m.encryption_xml = "<E/>";
  m.tagging_xml = "<T/>";
  m.quota_json = R"({"quota":1})";
  m.replication_xml = "<R/>";
  m.bucket_targets_json = "[]";
  m.bucket_targets_meta_json = "{}";
  m.policy_updated = at(1);
  m.object_lock_updated = at(2);
  m.encryption_updated = at(3);
  m.tagging_updated = at(4);
  m.quota_updated = at(5);
  m.replication_updated = at(6);
  m.versioning_updated = at(7);
  m.lifecycle_updated = at(8);
  m.notification_updated = at(9);
  m.bucket_targets_updated = at(10);
  m.bucket_targets_meta_updated = at(-11, 999999999);  // before 1970
  m.cors_xml = "<CORSConfiguration/>";
  m.cors_updated = at(12);
  auto back = decode_bucket_metadata(encode_bucket_metadata(m));
  ASSERT_TRUE(back.is_ok()) << back.status().to_string();
  EXPECT_EQ(*back, m);
}

TEST(BucketMetadata, CorsIsAnExtraKeyOnlyWhenSet) {
  BucketMetadata m;
  m.name = "b";
  std::string plain = encode_bucket_metadata(m);
  EXPECT_EQ(plain.substr(4, 3), std::string("\xde\x00\x19", 3));
  EXPECT_EQ(plain.find("Cors"), std::string::npos);
  m.cors_xml = "<CORSConfiguration/>";
  std::string with = encode_bucket_metadata(m);
  EXPECT_EQ(with.substr(4, 3), std::string("\xde\x00\x1b", 3));
  EXPECT_NE(with.find("CorsConfigXML"), std::string::npos);
}

TEST(BucketMetadata, SkipsUnknownFieldsAndAcceptsStandardTimestamps) {
  MinioBytes b;
  b.raw({0x01, 0x00, 0x01, 0x00, 0x83});
  b.str("Name");
  b.str("x");
  b.str("FutureField");
  b.raw({0x92, 0x01, 0x02});  // [1, 2]
  b.str("Created");
  b.raw({0xd6, 0xff});  // timestamp32
  b.be(1234, 4);
  auto m = decode_bucket_metadata(b.out);
  ASSERT_TRUE(m.is_ok()) << m.status().to_string();
  EXPECT_EQ(m->name, "x");
  EXPECT_EQ(m->created, at(1234));
}

// Regression (fuzzing): a map32 header claiming 2^31 entries made msgpack-c allocate for
// all of them before finding the input short.
TEST(BucketMetadata, HugeCountsAreRefusedWithoutAllocating) {
  MinioBytes b;
  b.raw({0x01, 0x00, 0x01, 0x00, 0xdf, 0x80, 0x00, 0x00, 0x00});
  b.str("Name");
  EXPECT_EQ(decode_bucket_metadata(b.out).code(), ErrorCode::kFileCorrupt);
  MinioBytes nested;
  nested.raw({0x01, 0x00, 0x01, 0x00, 0x81});
  nested.str("Future");
  nested.raw({0xdd, 0x7f, 0xff, 0xff, 0xff});  // array32
  EXPECT_EQ(decode_bucket_metadata(nested.out).code(), ErrorCode::kFileCorrupt);
}

// Regression (fuzzing): a time beyond what a nanosecond clock holds overflowed.
TEST(BucketMetadata, TimesOutOfRangeReadAsUnset) {
  MinioBytes b;
  b.raw({0x01, 0x00, 0x01, 0x00, 0x82});
  b.str("Created");
  b.time(int64_t{1} << 62, 0);
  b.str("PolicyConfigUpdatedAt");
  b.time(253402300799, 0);  // 9999-12-31T23:59:59Z, a valid Go time
  auto m = decode_bucket_metadata(b.out);
  ASSERT_TRUE(m.is_ok()) << m.status().to_string();
  EXPECT_EQ(m->created, Timestamp{});
  EXPECT_EQ(m->policy_updated, Timestamp{});
}

TEST(BucketMetadata, RefusesCorruptInput) {
  std::string good = minio_layout();
  EXPECT_EQ(decode_bucket_metadata("").code(), ErrorCode::kFileCorrupt);
  EXPECT_EQ(decode_bucket_metadata(good.substr(0, 4)).code(), ErrorCode::kFileCorrupt);
  std::string bad_format = good;
  bad_format[0] = 2;
  EXPECT_EQ(decode_bucket_metadata(bad_format).code(), ErrorCode::kFileCorrupt);
  std::string bad_version = good;
  bad_version[2] = 9;
  EXPECT_EQ(decode_bucket_metadata(bad_version).code(), ErrorCode::kFileCorrupt);
  EXPECT_EQ(decode_bucket_metadata(good.substr(0, good.size() / 2)).code(),
            ErrorCode::kFileCorrupt);
  MinioBytes wrong_type;
  wrong_type.raw({0x01, 0x00, 0x01, 0x00, 0x81});
  wrong_type.str("Created");
  wrong_type.str("yesterday");
  EXPECT_EQ(decode_bucket_metadata(wrong_type.out).code(), ErrorCode::kFileCorrupt);
}

}  // namespace
}  // namespace maxio
