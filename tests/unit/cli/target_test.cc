// Path arguments: ALIAS/BUCKET/KEY versus local paths, joining keys, and keys that must not
// become local paths.

#include "cli/target.h"

#include <gtest/gtest.h>

namespace maxio::cli {
namespace {

bool known(std::string_view name) { return name == "play" || name == "local"; }

TEST(TargetTest, AliasAloneBucketAndKey) {
  Target alias = parse_target("play", known);
  EXPECT_TRUE(alias.remote);
  EXPECT_EQ(alias.alias, "play");
  EXPECT_EQ(alias.bucket, "");
  EXPECT_EQ(alias.display(), "play");

  Target trailing = parse_target("play/", known);
  EXPECT_TRUE(trailing.remote);
  EXPECT_EQ(trailing.bucket, "");

  Target bucket = parse_target("play/photos", known);
  EXPECT_EQ(bucket.bucket, "photos");
  EXPECT_EQ(bucket.key, "");
  EXPECT_TRUE(bucket.names_directory());
  EXPECT_EQ(bucket.base_name(), "photos");

  Target key = parse_target("local/photos/2024/01/a b.jpg", known);
  EXPECT_EQ(key.alias, "local");
  EXPECT_EQ(key.bucket, "photos");
  EXPECT_EQ(key.key, "2024/01/a b.jpg");
  EXPECT_FALSE(key.names_directory());
  EXPECT_EQ(key.base_name(), "a b.jpg");
  EXPECT_EQ(key.display(), "local/photos/2024/01/a b.jpg");

  Target prefix = parse_target("play/photos/2024/", known);
  EXPECT_EQ(prefix.key, "2024/");
  EXPECT_TRUE(prefix.names_directory());
  EXPECT_EQ(prefix.base_name(), "2024");
}

TEST(TargetTest, KeysKeepTheirSlashes) {
  Target key = parse_target("play/b/a//b/", known);
  EXPECT_EQ(key.bucket, "b");
  EXPECT_EQ(key.key, "a//b/");
}

TEST(TargetTest, AnythingElseIsLocal) {
  for (const char* arg : {"./play/x", "/play/x", "playground/x", "file.txt", "dir/", ".", ""}) {
    Target target = parse_target(arg, known);
    EXPECT_FALSE(target.remote) << arg;
    EXPECT_EQ(target.path, arg);
    EXPECT_EQ(target.display(), arg);
  }
  EXPECT_TRUE(parse_target("dir/", known).names_directory());
  EXPECT_EQ(parse_target("/tmp/dir/", known).base_name(), "dir");
  EXPECT_EQ(parse_target("/tmp/file.txt", known).base_name(), "file.txt");
}

TEST(TargetTest, WithKey) {
  Target bucket = parse_target("play/b", known);
  Target object = bucket.with_key("x/y");
  EXPECT_EQ(object.display(), "play/b/x/y");
  EXPECT_EQ(object.text, "play/b/x/y");
}

TEST(TargetTest, FirstSegmentAndJoin) {
  EXPECT_EQ(first_segment("play/b/k"), "play");
  EXPECT_EQ(first_segment("play"), "play");
  EXPECT_EQ(first_segment("/abs"), "");
  EXPECT_EQ(join_key("", "a"), "a");
  EXPECT_EQ(join_key("dir", "a"), "dir/a");
  EXPECT_EQ(join_key("dir/", "a/b"), "dir/a/b");
  EXPECT_EQ(join_key("dir/", "/a"), "dir/a");
}

TEST(TargetTest, KeysThatCannotBeLocalPaths) {
  EXPECT_EQ(*key_to_relative_path("a/b/c.txt"), "a/b/c.txt");
  EXPECT_EQ(*key_to_relative_path("a..b/.c"), "a..b/.c");
  for (const char* key : {"", "../x", "a/../../x", "a/./b", "..", "/abs", "a//b", "dir/"}) {
    EXPECT_EQ(key_to_relative_path(key).code(), ErrorCode::kInvalidArgument) << key;
  }
  EXPECT_EQ(key_to_relative_path(std::string("a\0b", 3)).code(), ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace maxio::cli
