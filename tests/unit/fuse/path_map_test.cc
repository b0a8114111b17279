#include "fuse/mount/path_map.h"

#include <gtest/gtest.h>

namespace maxio::fuse {
namespace {

TEST(ParseBucketPath, BucketAlone) {
  auto bp = parse_bucket_path("photos");
  ASSERT_TRUE(bp.is_ok());
  EXPECT_EQ(bp->bucket, "photos");
  EXPECT_EQ(bp->prefix, "");
}

TEST(ParseBucketPath, PrefixGetsOneTrailingSlash) {
  auto bp = parse_bucket_path("photos/2024/summer//");
  ASSERT_TRUE(bp.is_ok());
  EXPECT_EQ(bp->bucket, "photos");
  EXPECT_EQ(bp->prefix, "2024/summer/");
  EXPECT_EQ(parse_bucket_path("photos/")->prefix, "");
}

TEST(ParseBucketPath, RejectsEmptyBucketAndDotSegments) {
  EXPECT_FALSE(parse_bucket_path("").is_ok());
  EXPECT_FALSE(parse_bucket_path("/").is_ok());
  EXPECT_FALSE(parse_bucket_path("b/a//c").is_ok());
  EXPECT_FALSE(parse_bucket_path("b/../c").is_ok());
  EXPECT_FALSE(parse_bucket_path("b/./c").is_ok());
}

TEST(KeyMapper, WithoutPrefix) {
  KeyMapper keys("");
  EXPECT_EQ(keys.file_key("/a/b.txt"), "a/b.txt");
  EXPECT_EQ(keys.dir_key("/a"), "a/");
  EXPECT_EQ(keys.dir_key("/"), "");
  EXPECT_EQ(keys.path_of("a/b.txt"), "/a/b.txt");
  EXPECT_EQ(keys.path_of("a/"), "/a");
}

TEST(KeyMapper, WithPrefix) {
  KeyMapper keys("home/ann/");
  EXPECT_EQ(keys.file_key("/notes.md"), "home/ann/notes.md");
  EXPECT_EQ(keys.dir_key("/src/lib"), "home/ann/src/lib/");
  EXPECT_EQ(keys.dir_key("/"), "home/ann/");
  EXPECT_EQ(keys.path_of("home/ann/src/x.c"), "/src/x.c");
  EXPECT_EQ(keys.path_of("home/bob/x"), "");
  EXPECT_EQ(keys.path_of("home/ann/"), "");
}

TEST(EntryName, NamesOfKeysAndCommonPrefixes) {
  EXPECT_EQ(entry_name("p/", "p/a.txt"), "a.txt");
  EXPECT_EQ(entry_name("p/", "p/sub/"), "sub");
  EXPECT_EQ(entry_name("", "top"), "top");
}

TEST(EntryName, SkipsWhatCannotBeAName) {
  EXPECT_EQ(entry_name("p/", "p/"), "");   // the directory's own marker
  EXPECT_EQ(entry_name("p/", "p//"), "");  // empty segment
  EXPECT_EQ(entry_name("p/", "p/./"), "");
  EXPECT_EQ(entry_name("p/", "p/.."), "");
  EXPECT_EQ(entry_name("p/", "q/a"), "");    // not below the directory
  EXPECT_EQ(entry_name("p/", "p/a/b"), "");  // deeper than one level
  EXPECT_EQ(entry_name("p/", "p/" + std::string(256, 'x')), "");
  EXPECT_EQ(entry_name("p/", "p/" + std::string(255, 'x')), std::string(255, 'x'));
}

TEST(ParentPath, Parents) {
  EXPECT_EQ(parent_path("/a/b/c"), "/a/b");
  EXPECT_EQ(parent_path("/a"), "/");
  EXPECT_EQ(parent_path("/"), "/");
}

}  // namespace
}  // namespace maxio::fuse
