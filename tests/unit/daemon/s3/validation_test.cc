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

}  // namespace
}  // namespace maxio::s3
