#include "gui/core/aliases.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>

namespace maxio::console {
namespace {

class AliasesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("console-aliases-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string write(const std::string& text) {
    std::string path = (dir_ / "config.json").string();
    std::ofstream(path) << text;
    return path;
  }
  std::filesystem::path dir_;
};

TEST_F(AliasesTest, ReadsMaxioctlConfig) {
  auto path = write(R"({"version":"1","aliases":{
    "local":{"url":"http://127.0.0.1:9000","accessKey":"AK","secretKey":"SK","api":"s3v4","path":"auto"},
    "eu":{"url":"https://s3.example.com","accessKey":"A2","secretKey":"S2","region":"eu-west-1"}}})");
  auto aliases = load_aliases(path);
  ASSERT_TRUE(aliases.is_ok()) << aliases.status().to_string();
  ASSERT_EQ(aliases->size(), 2u);
  const Connection& local = aliases->at("local");
  EXPECT_EQ(local.endpoint, "http://127.0.0.1:9000");
  EXPECT_EQ(local.access_key, "AK");
  EXPECT_EQ(local.secret_key, "SK");
  EXPECT_EQ(local.region, "us-east-1");
  EXPECT_EQ(aliases->at("eu").region, "eu-west-1");
}

TEST_F(AliasesTest, MissingFileIsNoAliasesButBadFilesAreErrors) {
  auto none = load_aliases((dir_ / "absent.json").string());
  ASSERT_TRUE(none.is_ok());
  EXPECT_TRUE(none->empty());
  EXPECT_EQ(load_aliases(write("{not json")).status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(load_aliases(write(R"({"aliases":{"x":{"accessKey":"a"}}})")).status().code(),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(load_aliases(write(R"({"aliases":[]})")).status().code(), ErrorCode::kInvalidArgument);
}

TEST(ConsoleConnection, DefaultFileAndEnvironment) {
  std::map<std::string, std::string> vars = {{"HOME", "/home/ann"}};
  EnvLookup env = [&](const char* name) -> std::optional<std::string> {
    auto it = vars.find(name);
    return it == vars.end() ? std::nullopt : std::optional<std::string>(it->second);
  };
  EXPECT_EQ(*default_alias_file(env), "/home/ann/.config/maxio/config.json");
  vars["MAXIO_CONFIG_DIR"] = "/etc/maxio";
  EXPECT_EQ(*default_alias_file(env), "/etc/maxio/config.json");
  vars.clear();
  EXPECT_FALSE(default_alias_file(env).is_ok());

  vars = {{"MAXIO_ENDPOINT", "http://h:9000"},
          {"AWS_ACCESS_KEY_ID", "A"},
          {"AWS_SECRET_ACCESS_KEY", "S"},
          {"MAXIO_SECRET_KEY", "MS"}};
  Connection c;
  fill_from_environment(c, env);
  EXPECT_EQ(c.endpoint, "http://h:9000");
  EXPECT_EQ(c.access_key, "A");
  EXPECT_EQ(c.secret_key, "MS");  // MAXIO_ first
  // Keys given explicitly are never mixed with the environment's.
  Connection given{"http://x:1", "mine", "", "us-east-1"};
  fill_from_environment(given, env);
  EXPECT_EQ(given.endpoint, "http://x:1");
  EXPECT_EQ(given.access_key, "mine");
  EXPECT_EQ(given.secret_key, "");
}

TEST(ConsoleConnection, Validation) {
  EXPECT_TRUE(validate({"http://h:9000", "a", "s", "us-east-1"}).is_ok());
  EXPECT_TRUE(validate({"https://h", "a", "s", "us-east-1"}).is_ok());
  EXPECT_EQ(validate({"", "a", "s", "r"}).code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(validate({"h:9000", "a", "s", "r"}).code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(validate({"http://h", "a", "", "r"}).code(), ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace maxio::console
