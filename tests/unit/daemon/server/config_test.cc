// maxiod command line and environment parsing.

#include "daemon/server/config.h"

#include <gtest/gtest.h>

#include <map>

namespace maxio {
namespace {

struct Env {
  std::map<std::string, std::string, std::less<>> vars;
  EnvLookup lookup() const {
    return [this](std::string_view name) -> std::optional<std::string> {
      auto it = vars.find(name);
      if (it == vars.end()) return std::nullopt;
      return it->second;
    };
  }
};

Result<Command> parse(std::vector<std::string> args, const Env& env = {}) {
  return parse_command_line(args, env.lookup());
}

TEST(ConfigTest, HelpAndVersion) {
  EXPECT_EQ(parse({})->kind, CommandKind::kHelp);
  EXPECT_EQ(parse({"--help"})->kind, CommandKind::kHelp);
  EXPECT_EQ(parse({"server", "--help"})->kind, CommandKind::kHelp);
  EXPECT_EQ(parse({"--version"})->kind, CommandKind::kVersion);
  EXPECT_NE(usage_text().find("maxiod server"), std::string::npos);
  EXPECT_EQ(version_text().rfind("maxiod version ", 0), 0u);
  EXPECT_EQ(parse({"frobnicate"}).code(), ErrorCode::kInvalidArgument);
}

TEST(ConfigTest, DefaultsWithOneDrive) {
  auto command = parse({"server", "/tmp/d"});
  ASSERT_TRUE(command.is_ok()) << command.status().to_string();
  EXPECT_EQ(command->kind, CommandKind::kServer);
  const ServerConfig& c = command->config;
  EXPECT_EQ(c.address, ":9000");
  EXPECT_EQ(c.region, "us-east-1");
  EXPECT_TRUE(c.domains.empty());
  EXPECT_EQ(c.drives, std::vector<std::string>{"/tmp/d"});
  EXPECT_TRUE(command->default_credentials);
  EXPECT_EQ(c.root.access_key, "minioadmin");
  EXPECT_EQ(c.root.secret_key, "minioadmin");
  ASSERT_FALSE(command->warnings.empty());
  EXPECT_NE(command->warnings[0].find("WARNING"), std::string::npos);
}

TEST(ConfigTest, FlagsInBothForms) {
  auto command =
      parse({"server", "--address", "127.0.0.1:0", "--domain=a.example.com,B.example.com",
             "--region", "eu-west-1", "/d1", "/d2"});
  ASSERT_TRUE(command.is_ok()) << command.status().to_string();
  const ServerConfig& c = command->config;
  EXPECT_EQ(c.address, "127.0.0.1:0");
  EXPECT_EQ(c.domains, (std::vector<std::string>{"a.example.com", "b.example.com"}));
  EXPECT_EQ(c.region, "eu-west-1");
  EXPECT_EQ(c.drives, (std::vector<std::string>{"/d1", "/d2"}));
}

TEST(ConfigTest, FlagsBeatMaxioEnvBeatsMinioEnv) {
  Env env;
  env.vars = {{"MAXIO_ADDRESS", ":7000"},
              {"MINIO_ADDRESS", ":6000"},
              {"MINIO_REGION", "minio-region"},
              {"MINIO_DOMAIN", "m.example"}};
  auto command = parse({"server", "/d"}, env);
  ASSERT_TRUE(command.is_ok());
  EXPECT_EQ(command->config.address, ":7000");
  EXPECT_EQ(command->config.region, "minio-region");
  EXPECT_EQ(command->config.domains, std::vector<std::string>{"m.example"});
  command = parse({"server", "--address", ":8000", "/d"}, env);
  ASSERT_TRUE(command.is_ok());
  EXPECT_EQ(command->config.address, ":8000");
}

TEST(ConfigTest, CredentialsFromEnvironment) {
  Env env;
  env.vars = {{"MINIO_ROOT_USER", "minio-user"}, {"MINIO_ROOT_PASSWORD", "minio-secret"}};
  auto command = parse({"server", "/d"}, env);
  ASSERT_TRUE(command.is_ok());
  EXPECT_FALSE(command->default_credentials);
  EXPECT_TRUE(command->warnings.empty());
  EXPECT_EQ(command->config.root.access_key, "minio-user");
  env.vars["MAXIO_ROOT_USER"] = "maxio-user";
  env.vars["MAXIO_ROOT_PASSWORD"] = "maxio-secret";
  command = parse({"server", "/d"}, env);
  ASSERT_TRUE(command.is_ok());
  EXPECT_EQ(command->config.root.access_key, "maxio-user");
  EXPECT_EQ(command->config.root.secret_key, "maxio-secret");
}

TEST(ConfigTest, BadCredentials) {
  Env short_user;
  short_user.vars = {{"MAXIO_ROOT_USER", "ab"}, {"MAXIO_ROOT_PASSWORD", "longenough"}};
  EXPECT_EQ(parse({"server", "/d"}, short_user).code(), ErrorCode::kInvalidArgument);
  Env short_password;
  short_password.vars = {{"MAXIO_ROOT_USER", "admin"}, {"MAXIO_ROOT_PASSWORD", "1234567"}};
  EXPECT_EQ(parse({"server", "/d"}, short_password).code(), ErrorCode::kInvalidArgument);
  Env half;
  half.vars = {{"MAXIO_ROOT_USER", "admin"}};
  EXPECT_EQ(parse({"server", "/d"}, half).code(), ErrorCode::kInvalidArgument);
}

TEST(ConfigTest, BadArguments) {
  EXPECT_EQ(parse({"server"}).code(), ErrorCode::kInvalidArgument);  // no drive
  EXPECT_EQ(parse({"server", "--bogus", "/d"}).code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(parse({"server", "/d", "--address"}).code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(parse({"server", "--address", "9000", "/d"}).code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(parse({"server", "--address", ":70000", "/d"}).code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(parse({"server", "--region", "bad region", "/d"}).code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(parse({"server", "--domain", "a,,b", "/d"}).code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(parse({"server", "/d", "/d"}).code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(parse({"server", "http://h{1...4}/d"}).code(), ErrorCode::kInvalidArgument);
}

TEST(ConfigTest, EllipsisExpansion) {
  auto drives = expand_ellipses("/data{1...4}");
  ASSERT_TRUE(drives.is_ok());
  EXPECT_EQ(*drives, (std::vector<std::string>{"/data1", "/data2", "/data3", "/data4"}));
  drives = expand_ellipses("/mnt/d{08...10}/x");
  ASSERT_TRUE(drives.is_ok());
  EXPECT_EQ(*drives, (std::vector<std::string>{"/mnt/d08/x", "/mnt/d09/x", "/mnt/d10/x"}));
  drives = expand_ellipses("/p{1...2}/d{1...2}");
  ASSERT_TRUE(drives.is_ok());
  EXPECT_EQ(*drives, (std::vector<std::string>{"/p1/d1", "/p1/d2", "/p2/d1", "/p2/d2"}));
  EXPECT_FALSE(expand_ellipses("/d{4...1}").is_ok());
  EXPECT_FALSE(expand_ellipses("/d{1..4}").is_ok());
  auto command = parse({"server", "/tmp/x{1...3}"});
  ASSERT_TRUE(command.is_ok());
  EXPECT_EQ(command->config.drives.size(), 3u);
}

}  // namespace
}  // namespace maxio
