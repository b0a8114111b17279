// maxiod command line and environment parsing.

#include "daemon/server/config.h"

#include <gtest/gtest.h>

#include <algorithm>
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

// Settings the admin API can also store: the ones given here are pinned (they win).
TEST(ConfigTest, SettingsFromFlagsAndEnvironmentArePinned) {
  auto defaults = parse({"server", "/tmp/d"});
  ASSERT_TRUE(defaults.is_ok());
  EXPECT_TRUE(defaults->config.pinned_settings.empty());
  Env env;
  env.vars["MAXIO_SCANNER_INTERVAL"] = "10s";
  env.vars["MAXIO_SCANNER_DEEP_EVERY"] = "3";
  env.vars["MAXIO_DRIVE_MAX_TIMEOUT"] = "20s";  // not a stored setting
  auto command = parse({"server", "--region", "eu-west-1", "/tmp/d"}, env);
  ASSERT_TRUE(command.is_ok()) << command.status().to_string();
  std::vector<std::string> pinned = command->config.pinned_settings;
  std::sort(pinned.begin(), pinned.end());
  EXPECT_EQ(pinned, (std::vector<std::string>{"region", "scanner.deep_every", "scanner.interval"}));
}

TEST(ConfigTest, StaleUploadSweepFromEnvironment) {
  auto defaults = parse({"server", "/tmp/d"});
  ASSERT_TRUE(defaults.is_ok());
  EXPECT_EQ(defaults->config.stale_uploads_expiry, std::chrono::hours(24));
  EXPECT_EQ(defaults->config.stale_uploads_cleanup_interval, std::chrono::hours(6));
  Env env;
  env.vars["MAXIO_API_STALE_UPLOADS_EXPIRY"] = "90m";
  env.vars["MAXIO_API_STALE_UPLOADS_CLEANUP_INTERVAL"] = "30s";
  auto set = parse({"server", "/tmp/d"}, env);
  ASSERT_TRUE(set.is_ok()) << set.status().to_string();
  EXPECT_EQ(set->config.stale_uploads_expiry, std::chrono::minutes(90));
  EXPECT_EQ(set->config.stale_uploads_cleanup_interval, std::chrono::seconds(30));
  Env minio;
  minio.vars["MINIO_API_STALE_UPLOADS_EXPIRY"] = "2h";
  auto from_minio = parse({"server", "/tmp/d"}, minio);
  ASSERT_TRUE(from_minio.is_ok());
  EXPECT_EQ(from_minio->config.stale_uploads_expiry, std::chrono::hours(2));
  env.vars["MAXIO_API_STALE_UPLOADS_EXPIRY"] = "soon";
  EXPECT_EQ(parse({"server", "/tmp/d"}, env).code(), ErrorCode::kInvalidArgument);
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
  // MinIO varies the leftmost range fastest, so consecutive drives (a set) span it.
  drives = expand_ellipses("/p{1...2}/d{1...2}");
  ASSERT_TRUE(drives.is_ok());
  EXPECT_EQ(*drives, (std::vector<std::string>{"/p1/d1", "/p2/d1", "/p1/d2", "/p2/d2"}));
  EXPECT_FALSE(expand_ellipses("/d{4...1}").is_ok());
  EXPECT_FALSE(expand_ellipses("/d{1..4}").is_ok());
  auto command = parse({"server", "/tmp/x{1...3}"});
  ASSERT_TRUE(command.is_ok());
  EXPECT_EQ(command->config.drives.size(), 3u);
}

TEST(ConfigTest, EllipsisNotationAsMinioParsesIt) {
  // Padding follows the upper bound's width when either bound has a leading zero.
  auto drives = expand_ellipses("/d{01...100}");
  ASSERT_TRUE(drives.is_ok());
  EXPECT_EQ(drives->front(), "/d001");
  EXPECT_EQ(drives->back(), "/d100");
  drives = expand_ellipses("/d{1...010}");
  ASSERT_TRUE(drives.is_ok());
  EXPECT_EQ(drives->front(), "/d001");
  drives = expand_ellipses("/d{0...2}");
  ASSERT_TRUE(drives.is_ok());
  EXPECT_EQ(*drives, (std::vector<std::string>{"/d0", "/d1", "/d2"}));
  // Hexadecimal bounds (TestParseEndpointSet: {1...a}, {001...00a}).
  drives = expand_ellipses("/d{1...a}");
  ASSERT_TRUE(drives.is_ok());
  EXPECT_EQ(drives->size(), 10u);
  EXPECT_EQ(drives->back(), "/da");
  drives = expand_ellipses("/d{001...00a}");
  ASSERT_TRUE(drives.is_ok());
  EXPECT_EQ(drives->front(), "/d001");
  EXPECT_EQ(drives->back(), "/d00a");
  // A plain argument is itself.
  drives = expand_ellipses("/plain");
  ASSERT_TRUE(drives.is_ok());
  EXPECT_EQ(*drives, std::vector<std::string>{"/plain"});
  // Malformed (TestCreateServerEndpoints, TestParseEndpointSet).
  for (std::string_view bad :
       {"...", "{...}", "/export1{-1...1}", "/export1{64...1}", "/export1{a...z}", "/export{1..2}",
        "/export/test{1...2O}", "/d{1...4", "/d1...4}", "/d}{1...4}", "/d{{1...4}}",
        "/d{1...100000000}"}) {
    EXPECT_EQ(expand_ellipses(bad).code(), ErrorCode::kInvalidArgument) << bad;
  }
}

// The single pool of a parsed command line (a copy: the Result is usually a temporary).
PoolConfig only_pool(const Result<Command>& command) {
  if (!command.is_ok()) {
    ADD_FAILURE() << command.status().to_string();
    return {};
  }
  EXPECT_EQ(command->config.pools.size(), 1u);
  return command->config.pools.empty() ? PoolConfig{} : command->config.pools.front();
}

TEST(ConfigTest, OneDriveIsASingleDrivePool) {
  PoolConfig pool = only_pool(parse({"server", "/data"}));
  EXPECT_EQ(pool.drives, std::vector<std::string>{"/data"});
  EXPECT_EQ(pool.set_drive_count, 1);
  EXPECT_EQ(pool.set_count(), 1);
  // The set size override does not apply to a single drive.
  Env env;
  env.vars = {{"MAXIO_ERASURE_SET_DRIVE_COUNT", "4"}};
  EXPECT_EQ(only_pool(parse({"server", "/data"}, env)).set_drive_count, 1);
}

TEST(ConfigTest, PlainDrivesFormOnePool) {
  PoolConfig pool = only_pool(parse({"server", "/d1", "/d2", "/d3", "/d4"}));
  EXPECT_EQ(pool.drives, (std::vector<std::string>{"/d1", "/d2", "/d3", "/d4"}));
  EXPECT_EQ(pool.set_drive_count, 4);
  std::vector<std::string> args = {"server"};
  for (int i = 1; i <= 32; ++i) args.push_back("/d" + std::to_string(i));
  EXPECT_EQ(only_pool(parse(args)).set_drive_count, 16);
  args.pop_back();
  args.pop_back();  // 30 drives: 15 divides them, 16 does not
  EXPECT_EQ(only_pool(parse(args)).set_drive_count, 15);
}

TEST(ConfigTest, SetSizesOfMinioExamples) {
  // /export{1...64}: 4 sets of 16 (the comment on MinIO's GetAllSets).
  PoolConfig pool = only_pool(parse({"server", "/export{1...64}"}));
  EXPECT_EQ(pool.drives.size(), 64u);
  EXPECT_EQ(pool.set_drive_count, 16);
  EXPECT_EQ(pool.set_count(), 4);
  EXPECT_EQ(only_pool(parse({"server", "/export{1...10}"})).set_drive_count, 10);
  EXPECT_EQ(only_pool(parse({"server", "/data{1...27}"})).set_drive_count, 9);
  EXPECT_EQ(only_pool(parse({"server", "/data{1...24}"})).set_drive_count, 12);
  EXPECT_EQ(only_pool(parse({"server", "/export1{01...64}"})).set_drive_count, 16);
  // The leftmost range decides the symmetry: 11 controllers of 8 drives give sets of 11.
  EXPECT_EQ(only_pool(parse({"server", "/data/controller{1...11}/export{1...8}"})).set_drive_count,
            11);
  EXPECT_EQ(only_pool(parse({"server", "/export{1...10}/disk{1...10}"})).set_drive_count, 10);
  EXPECT_EQ(only_pool(parse({"server", "/data{1...16}/export{1...52}"})).set_drive_count, 16);
}

TEST(ConfigTest, EachEllipsisArgumentIsAPool) {
  auto command = parse({"server", "/a{1...4}", "/b{1...4}"});
  ASSERT_TRUE(command.is_ok()) << command.status().to_string();
  const auto& pools = command->config.pools;
  ASSERT_EQ(pools.size(), 2u);
  EXPECT_EQ(pools[0].drives, (std::vector<std::string>{"/a1", "/a2", "/a3", "/a4"}));
  EXPECT_EQ(pools[0].set_drive_count, 4);
  EXPECT_EQ(pools[1].drives, (std::vector<std::string>{"/b1", "/b2", "/b3", "/b4"}));
  EXPECT_EQ(pools[1].set_drive_count, 4);
  EXPECT_EQ(command->config.drives,
            (std::vector<std::string>{"/a1", "/a2", "/a3", "/a4", "/b1", "/b2", "/b3", "/b4"}));

  // TestCreateServerEndpoints: two pools of 32.
  command = parse({"server", "/export1{1...32}", "/export1{33...64}"});
  ASSERT_TRUE(command.is_ok()) << command.status().to_string();
  ASSERT_EQ(command->config.pools.size(), 2u);
  EXPECT_EQ(command->config.pools[0].set_drive_count, 16);
  EXPECT_EQ(command->config.pools[1].set_count(), 2);

  // Pools choose their set sizes independently.
  command = parse({"server", "/a{1...4}", "/b{1...12}"});
  ASSERT_TRUE(command.is_ok());
  EXPECT_EQ(command->config.pools[0].set_drive_count, 4);
  EXPECT_EQ(command->config.pools[1].set_drive_count, 12);

  // Sets are consecutive runs of the expanded order.
  command = parse({"server", "/host{1...2}/d{1...8}"});
  ASSERT_TRUE(command.is_ok());
  const PoolConfig& pool = command->config.pools.front();
  EXPECT_EQ(pool.set_drive_count, 16);
  EXPECT_EQ(pool.drives[0], "/host1/d1");
  EXPECT_EQ(pool.drives[1], "/host2/d1");
}

TEST(ConfigTest, PoolLayoutErrors) {
  auto expect_error = [](std::vector<std::string> args, std::string_view fragment,
                         const Env& env = {}) {
    auto command = parse(args, env);
    ASSERT_EQ(command.code(), ErrorCode::kInvalidArgument) << args.back();
    EXPECT_NE(command.status().message().find(fragment), std::string::npos)
        << command.status().message();
    EXPECT_EQ(command.status().message().find('\n'), std::string::npos);
  };
  // Mixing ellipses and plain drives.
  expect_error({"server", "/a{1...4}", "/b"}, "'/b' has no ellipsis");
  expect_error({"server", "/b", "/a{1...4}"}, "'/b' has no ellipsis");
  // No set size divides 17 drives.
  expect_error({"server", "/d{1...17}"}, "17 drives");
  std::vector<std::string> seventeen = {"server"};
  for (int i = 1; i <= 17; ++i) seventeen.push_back("/d" + std::to_string(i));
  expect_error(seventeen, "17 drives");
  // One drive cannot be an erasure pool of its own next to others.
  expect_error({"server", "/a{1...1}", "/b{1...4}"}, "1 drive");
  expect_error({"server", "/a{1...1}"}, "1 drive");
  // No symmetric layout: 2..16 divide 52*17 drives, none spreads over 17.
  expect_error({"server", "/data{1...17}/export{1...52}"}, "symmetrically");
  // Duplicates, within and across pools.
  expect_error({"server", "/export1{1...32}", "/export1{1...32}"}, "given twice");
  expect_error({"server", "/a{1...4}", "/a{3...6}"}, "'/a3' given twice");
  expect_error({"server", "/d1", "/d2", "/d1", "/d3"}, "given twice");
  // Malformed ranges.
  expect_error({"server", "/export1{64...1}"}, "reversed");
  expect_error({"server", "/export1{a...z}"}, "not a number");
}

TEST(ConfigTest, ErasureSetDriveCountOverride) {
  Env env;
  env.vars = {{"MINIO_ERASURE_SET_DRIVE_COUNT", "8"}};
  EXPECT_EQ(only_pool(parse({"server", "/data{1...64}"}, env)).set_drive_count, 8);
  env.vars["MAXIO_ERASURE_SET_DRIVE_COUNT"] = "4";  // MAXIO_ wins
  EXPECT_EQ(only_pool(parse({"server", "/data{1...64}"}, env)).set_drive_count, 4);
  env.vars = {{"MAXIO_ERASURE_SET_DRIVE_COUNT", "2"}};
  EXPECT_EQ(only_pool(parse({"server", "/d1", "/d2", "/d3", "/d4"}, env)).set_drive_count, 2);
  // No symmetry check when the size is asked for (TestGetSetIndexesEnvOverride).
  env.vars = {{"MAXIO_ERASURE_SET_DRIVE_COUNT", "15"}};
  EXPECT_EQ(only_pool(parse({"server", "/host{1...2}/data{1...180}"}, env)).set_drive_count, 15);
  env.vars = {{"MAXIO_ERASURE_SET_DRIVE_COUNT", "0"}};  // 0: choose
  EXPECT_EQ(only_pool(parse({"server", "/data{1...64}"}, env)).set_drive_count, 16);

  for (std::string bad : {"10", "64", "32", "x", "-4", "8x"}) {
    env.vars = {{"MAXIO_ERASURE_SET_DRIVE_COUNT", bad}};
    auto command = parse({"server", "/data{1...64}"}, env);
    EXPECT_EQ(command.code(), ErrorCode::kInvalidArgument) << bad;
    EXPECT_NE(command.status().message().find("MAXIO_ERASURE_SET_DRIVE_COUNT"), std::string::npos)
        << command.status().message();
  }
  env.vars = {{"MAXIO_ERASURE_SET_DRIVE_COUNT", "8"}};
  EXPECT_EQ(parse({"server", "/data{1...4}"}, env).code(), ErrorCode::kInvalidArgument);
}

TEST(ConfigTest, StorageClassesFromEnvironment) {
  auto command = parse({"server", "/d{1...16}"});
  ASSERT_TRUE(command.is_ok());
  EXPECT_EQ(command->config.standard_parity, -1);
  EXPECT_EQ(command->config.rrs_parity, -1);

  Env env;
  env.vars = {{"MINIO_STORAGE_CLASS_STANDARD", "EC:6"}, {"MINIO_STORAGE_CLASS_RRS", "EC:2"}};
  command = parse({"server", "/d{1...16}"}, env);
  ASSERT_TRUE(command.is_ok()) << command.status().to_string();
  EXPECT_EQ(command->config.standard_parity, 6);
  EXPECT_EQ(command->config.rrs_parity, 2);
  env.vars["MAXIO_STORAGE_CLASS_STANDARD"] = "EC:3";
  command = parse({"server", "/d{1...16}"}, env);
  ASSERT_TRUE(command.is_ok()) << command.status().to_string();
  EXPECT_EQ(command->config.standard_parity, 3);

  // Validated against the smallest set: EC:6 fits sets of 16 but not of 4.
  env.vars = {{"MAXIO_STORAGE_CLASS_STANDARD", "EC:6"}};
  EXPECT_TRUE(parse({"server", "/a{1...16}"}, env).is_ok());
  command = parse({"server", "/a{1...16}", "/b{1...4}"}, env);
  EXPECT_EQ(command.code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(command.status().message().find("4 drives"), std::string::npos)
      << command.status().message();
  // One drive: no parity at all.
  env.vars = {{"MAXIO_STORAGE_CLASS_STANDARD", "EC:1"}};
  EXPECT_EQ(parse({"server", "/d"}, env).code(), ErrorCode::kInvalidArgument);
  env.vars = {{"MAXIO_STORAGE_CLASS_STANDARD", "EC:0"}};
  EXPECT_TRUE(parse({"server", "/d"}, env).is_ok());
  // RRS above STANDARD; malformed values name the variable.
  env.vars = {{"MAXIO_STORAGE_CLASS_STANDARD", "EC:2"}, {"MAXIO_STORAGE_CLASS_RRS", "EC:3"}};
  EXPECT_EQ(parse({"server", "/d{1...16}"}, env).code(), ErrorCode::kInvalidArgument);
  env.vars = {{"MAXIO_STORAGE_CLASS_RRS", "EC:two"}};
  command = parse({"server", "/d{1...16}"}, env);
  EXPECT_EQ(command.code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(command.status().message().find("MAXIO_STORAGE_CLASS_RRS"), std::string::npos);
}

TEST(ConfigTest, UsageMentionsPools) {
  std::string usage = usage_text();
  EXPECT_NE(usage.find("pool"), std::string::npos);
  EXPECT_NE(usage.find("{1...4}"), std::string::npos);
  EXPECT_NE(usage.find("MAXIO_ERASURE_SET_DRIVE_COUNT"), std::string::npos);
  EXPECT_NE(usage.find("MAXIO_STORAGE_CLASS_STANDARD"), std::string::npos);
}

TEST(ConfigTest, PrometheusAuthType) {
  auto command = parse({"server", "/d"});
  ASSERT_TRUE(command.is_ok());
  EXPECT_EQ(command->config.prometheus_auth, PrometheusAuthType::kJwt);
  Env env;
  env.vars["MINIO_PROMETHEUS_AUTH_TYPE"] = "public";
  command = parse({"server", "/d"}, env);
  ASSERT_TRUE(command.is_ok());
  EXPECT_EQ(command->config.prometheus_auth, PrometheusAuthType::kPublic);
  env.vars["MAXIO_PROMETHEUS_AUTH_TYPE"] = "JWT";  // MAXIO_* wins; case does not matter
  command = parse({"server", "/d"}, env);
  ASSERT_TRUE(command.is_ok());
  EXPECT_EQ(command->config.prometheus_auth, PrometheusAuthType::kJwt);
  env.vars["MAXIO_PROMETHEUS_AUTH_TYPE"] = "none";
  command = parse({"server", "/d"}, env);
  EXPECT_EQ(command.code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(command.status().message().find("MAXIO_PROMETHEUS_AUTH_TYPE"), std::string::npos);
  EXPECT_NE(usage_text().find("MAXIO_PROMETHEUS_AUTH_TYPE"), std::string::npos);
}

}  // namespace
}  // namespace maxio
