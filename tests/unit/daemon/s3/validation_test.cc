#include "daemon/s3/validation.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace maxio::s3 {
namespace {

TEST(BucketName, Valid) {
  for (std::string name :
       std::vector<std::string>{"abc", "my-bucket", "my.bucket.name", "123", "a1-b2.c3",
                                std::string(63, 'a'), "xn-ok", "192.168.1.1a"}) {
    EXPECT_TRUE(validate_bucket_name(name).is_ok()) << name;
  }
}

TEST(BucketName, Invalid) {
  for (std::string name : std::vector<std::string>{"",
                                                   "ab",
                                                   std::string(64, 'a'),
                                                   "Abc",
                                                   "my_bucket",
                                                   "-abc",
                                                   "abc-",
                                                   ".abc",
                                                   "abc.",
                                                   "a..b",
                                                   "a.-b",
                                                   "a-.b",
                                                   "192.168.5.4",
                                                   "xn--abc",
                                                   "sthree-x",
                                                   "amzn-s3-demo-x",
                                                   "bucket-s3alias",
                                                   "bucket--ol-s3",
                                                   "b.mrap",
                                                   "b--x-s3",
                                                   "a b",
                                                   "ab/c",
                                                   "bücket"}) {
    EXPECT_EQ(validate_bucket_name(name).code(), ErrorCode::kInvalidBucketName) << name;
  }
}

TEST(ObjectKey, Valid) {
  for (std::string key :
       std::vector<std::string>{"a", "dir/file.txt", "with space", "ünïcödé", "a/b/c/", "..a",
                                "a..b", "a/.b", "x?y#z", std::string(1024, 'k')}) {
    EXPECT_TRUE(validate_object_key(key).is_ok()) << key;
  }
}

TEST(ObjectKey, Invalid) {
  EXPECT_EQ(validate_object_key(std::string(1025, 'k')).code(), ErrorCode::kKeyTooLong);
  for (std::string key :
       std::vector<std::string>{std::string(), std::string("a\0b", 3), std::string("\xff\xfe"),
                                std::string("a//b"), std::string("/lead"), std::string(".."),
                                std::string("a/../b"), std::string("./a"), std::string("a/.")}) {
    EXPECT_EQ(validate_object_key(key).code(), ErrorCode::kInvalidObjectName) << key;
  }
}

TEST(Prefix, EmptyAndLong) {
  EXPECT_TRUE(validate_prefix("").is_ok());
  EXPECT_TRUE(validate_prefix("a/").is_ok());
  EXPECT_EQ(validate_prefix(std::string(1025, 'p')).code(), ErrorCode::kKeyTooLong);
}

TEST(ContinuationToken, DecodesAKey) {
  auto marker = decode_continuation_token("YS9i");  // "a/b"
  ASSERT_TRUE(marker.is_ok()) << marker.status().to_string();
  EXPECT_EQ(*marker, "a/b");
}

// Regression: a token that is base64 but not of a key (NUL, invalid UTF-8, empty, too
// long) was used as the listing marker; AWS answers InvalidArgument.
TEST(ContinuationToken, RejectsWhatIsNotAToken) {
  for (std::string token : std::vector<std::string>{"", "!!!!", "abc", "YS9", "AAAA",
                                                    "/w==", "====", std::string(1368, 'Y')}) {
    auto marker = decode_continuation_token(token);
    EXPECT_EQ(marker.code(), ErrorCode::kInvalidArgumentS3) << token;
    EXPECT_EQ(marker.status().message(), "The continuation token provided is incorrect");
  }
}

// Regression: versionId=garbage was looked up and answered 404 NoSuchVersion; AWS and
// MinIO answer 400 InvalidArgument.
TEST(VersionId, NullOrUuid) {
  for (std::string id : std::vector<std::string>{"", "null", "5610d642-f370-4117-b121-d47d6634c816",
                                                 "5610D642-F370-4117-B121-D47D6634C816"}) {
    EXPECT_TRUE(validate_version_id(id).is_ok()) << id;
  }
  for (std::string id : std::vector<std::string>{
           "garbage", "Null", "5610d642f3704117b121d47d6634c816",
           "5610d642-f370-4117-b121-d47d6634c81g", "5610d642-f370-4117-b121-d47d6634c8166"}) {
    auto status = validate_version_id(id);
    EXPECT_EQ(status.code(), ErrorCode::kInvalidArgumentS3) << id;
    EXPECT_EQ(status.message(), "Invalid version id specified");
  }
}

}  // namespace
}  // namespace maxio::s3
