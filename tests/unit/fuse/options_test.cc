#include "fuse/mount/options.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>

namespace maxio::fuse {
namespace {

EnvLookup env_of(std::map<std::string, std::string> vars) {
  return [vars](const char* name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

TEST(ParseMountOptions, EndpointAndKeysFromOptions) {
  auto o = parse_mount_options(
      {"-o", "endpoint=http://h:9000,access_key=AK,secret_key=SK", "bucket/some/prefix", "/mnt/x"},
      env_of({}));
  ASSERT_TRUE(o.is_ok()) << o.status().to_string();
  EXPECT_EQ(o->bucket, "bucket");
  EXPECT_EQ(o->prefix, "some/prefix/");
  EXPECT_EQ(o->mountpoint, "/mnt/x");
  EXPECT_EQ(o->endpoint, "http://h:9000");
  EXPECT_EQ(o->access_key, "AK");
  EXPECT_EQ(o->secret_key, "SK");
  EXPECT_FALSE(o->foreground);
}

TEST(ParseMountOptions, MountHelperConventionWithOptionsLast) {
  // mount(8) runs "maxio-mount BUCKET MOUNTPOINT -o rw,..." for a fuse.maxio-mount line.
  auto o = parse_mount_options(
      {"bkt", "/mnt/b", "-o",
       "rw,_netdev,noauto,x-systemd.automount,allow_other,uid=1000,gid=1000,umask=027,"
       "attr_timeout=2.5,entry_timeout=3,cache_dir=/var/cache/m,cache_size=2G,dev,suid"},
      env_of(
          {{"MAXIO_ENDPOINT", "http://e"}, {"MAXIO_ACCESS_KEY", "a"}, {"MAXIO_SECRET_KEY", "s"}}));
  ASSERT_TRUE(o.is_ok()) << o.status().to_string();
  EXPECT_TRUE(o->allow_other);
  EXPECT_FALSE(o->read_only);
  EXPECT_EQ(o->uid, 1000u);
  EXPECT_EQ(o->gid, 1000u);
  EXPECT_EQ(o->umask, 027u);
  EXPECT_DOUBLE_EQ(o->attr_timeout, 2.5);
  EXPECT_DOUBLE_EQ(o->entry_timeout, 3);
  EXPECT_EQ(o->cache_dir, "/var/cache/m");
  EXPECT_EQ(o->cache_size, 2ull << 30);
  EXPECT_EQ(o->fuse_options, (std::vector<std::string>{"dev", "suid"}));
}

TEST(ParseMountOptions, EnvironmentFallbacks) {
  auto o = parse_mount_options({"-f", "--endpoint", "http://x:1", "b", "m"},
                               env_of({{"AWS_ACCESS_KEY_ID", "aws-a"},
                                       {"AWS_SECRET_ACCESS_KEY", "aws-s"},
                                       {"AWS_SESSION_TOKEN", "tok"}}));
  ASSERT_TRUE(o.is_ok()) << o.status().to_string();
  EXPECT_TRUE(o->foreground);
  EXPECT_EQ(o->endpoint, "http://x:1");
  EXPECT_EQ(o->access_key, "aws-a");
  EXPECT_EQ(o->session_token, "tok");
  // MAXIO_* wins over AWS_*.
  o = parse_mount_options({"--endpoint=http://x:1", "b", "m"},
                          env_of({{"AWS_ACCESS_KEY_ID", "aws-a"},
                                  {"AWS_SECRET_ACCESS_KEY", "aws-s"},
                                  {"MAXIO_ACCESS_KEY", "mx-a"},
                                  {"MAXIO_SECRET_KEY", "mx-s"}}));
  ASSERT_TRUE(o.is_ok());
  EXPECT_EQ(o->access_key, "mx-a");
  EXPECT_EQ(o->secret_key, "mx-s");
}

TEST(ParseMountOptions, AliasFromTheMaxioctlConfig) {
  std::string dir = testing::TempDir() + "/maxio-mount-alias-" + std::to_string(::getpid());
  std::filesystem::create_directories(dir + "/maxio");
  std::ofstream(dir + "/maxio/config.json")
      << R"({"version":"1","aliases":{"local":{"url":"http://127.0.0.1:9000",)"
      << R"("accessKey":"ak","secretKey":"sk","api":"s3v4","path":"auto"},)"
      << R"("vh":{"url":"https://s3.example.com","accessKey":"a","secretKey":"s",)"
      << R"("api":"s3v4","path":"off"}}})";
  auto env = env_of({{"XDG_CONFIG_HOME", dir}, {"MAXIO_ACCESS_KEY", "ignored"}});
  auto o = parse_mount_options({"-o", "alias=local", "b", "m"}, env);
  ASSERT_TRUE(o.is_ok()) << o.status().to_string();
  EXPECT_EQ(o->endpoint, "http://127.0.0.1:9000");
  EXPECT_EQ(o->access_key, "ak");
  EXPECT_EQ(o->secret_key, "sk");
  EXPECT_TRUE(o->path_style);
  o = parse_mount_options({"--alias", "vh", "b", "m"}, env);
  ASSERT_TRUE(o.is_ok());
  EXPECT_FALSE(o->path_style);
  auto missing = parse_mount_options({"-o", "alias=nope", "b", "m"}, env);
  EXPECT_EQ(missing.code(), ErrorCode::kNoSuchKey);
  std::filesystem::remove_all(dir);
}

TEST(ParseMountOptions, Errors) {
  auto env = env_of(
      {{"MAXIO_ENDPOINT", "http://e"}, {"MAXIO_ACCESS_KEY", "a"}, {"MAXIO_SECRET_KEY", "s"}});
  EXPECT_FALSE(parse_mount_options({"b"}, env).is_ok());
  EXPECT_FALSE(parse_mount_options({"b", "m", "extra"}, env).is_ok());
  EXPECT_FALSE(parse_mount_options({"--bogus", "b", "m"}, env).is_ok());
  EXPECT_FALSE(parse_mount_options({"-o", "uid=abc", "b", "m"}, env).is_ok());
  EXPECT_FALSE(parse_mount_options({"-o", "umask=999", "b", "m"}, env).is_ok());
  EXPECT_FALSE(parse_mount_options({"-o", "part_size=1M", "b", "m"}, env).is_ok());
  EXPECT_FALSE(parse_mount_options({"-o", "payload_signing=maybe", "b", "m"}, env).is_ok());
  EXPECT_EQ(parse_mount_options({"-o", "payload_signing=unsigned", "b", "m"}, env)->payload_signing,
            "unsigned");
  EXPECT_FALSE(parse_mount_options({"b", "m"}, env_of({})).is_ok());  // no endpoint
  EXPECT_FALSE(parse_mount_options({"b", "m"}, env_of({{"MAXIO_ENDPOINT", "x"}})).is_ok());
  EXPECT_TRUE(parse_mount_options({"--help"}, env_of({})).is_ok());
}

TEST(ParseSize, Units) {
  EXPECT_EQ(parse_size("4096"), 4096u);
  EXPECT_EQ(parse_size("512k"), 512u << 10);
  EXPECT_EQ(parse_size("64M"), 64u << 20);
  EXPECT_EQ(parse_size("64Mi"), 64u << 20);
  EXPECT_EQ(parse_size("1G"), 1ull << 30);
  EXPECT_FALSE(parse_size(""));
  EXPECT_FALSE(parse_size("M"));
  EXPECT_FALSE(parse_size("1.5G"));
  EXPECT_FALSE(parse_size("99999999999999999999"));
}

}  // namespace
}  // namespace maxio::fuse
