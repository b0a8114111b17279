// The alias config file: mc's layout, mode 0600 whatever the umask or the old file's mode,
// atomic replacement, malformed files, and aliases from MAXIO_HOST_<NAME>.

#include "cli/config.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>

#include <nlohmann/json.hpp>

namespace maxio::cli {
namespace {

namespace fs = std::filesystem;

class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "maxioctl-config-XXXXXX").string();
    path_ = ::mkdtemp(pattern.data());
  }
  ~TempDir() { fs::remove_all(path_); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

EnvLookup env_of(std::map<std::string, std::string> values) {
  return [values](std::string_view name) -> std::optional<std::string> {
    auto it = values.find(std::string(name));
    if (it == values.end()) return std::nullopt;
    return it->second;
  };
}

mode_t mode_of(const std::string& path) {
  struct stat st;
  EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
  return st.st_mode & 0777;
}

Config sample() {
  Config config;
  config.aliases["local"] = {
      "http://127.0.0.1:9000", "minioadmin", "minio-secret", "s3v4", "auto", ""};
  config.aliases["aws"] = {
      "https://s3.amazonaws.com", "AKID", "SECRET", "s3v4", "off", "eu-west-1"};
  return config;
}

TEST(ConfigTest, SerializesMcsLayout) {
  auto document = nlohmann::json::parse(serialize_config(sample()));
  EXPECT_EQ(document["version"], "1");
  auto local = document["aliases"]["local"];
  EXPECT_EQ(local["url"], "http://127.0.0.1:9000");
  EXPECT_EQ(local["accessKey"], "minioadmin");
  EXPECT_EQ(local["secretKey"], "minio-secret");
  EXPECT_EQ(local["api"], "s3v4");
  EXPECT_EQ(local["path"], "auto");
  EXPECT_FALSE(local.contains("region"));
  EXPECT_EQ(document["aliases"]["aws"]["region"], "eu-west-1");
}

TEST(ConfigTest, RoundTripsThroughTheFileWithMode0600) {
  TempDir dir;
  std::string path = config_file(dir.path() + "/nested/maxio");
  mode_t old_umask = ::umask(0);  // a permissive umask must not widen the file
  Status saved = save_config(path, sample());
  ::umask(old_umask);
  ASSERT_TRUE(saved.is_ok()) << saved.to_string();
  EXPECT_EQ(mode_of(path), 0600u);
  EXPECT_EQ(mode_of(dir.path() + "/nested/maxio"), 0700u);
  auto loaded = load_config(path);
  ASSERT_TRUE(loaded.is_ok()) << loaded.status().to_string();
  ASSERT_EQ(loaded->aliases.size(), 2u);
  EXPECT_EQ(loaded->aliases["local"].secret_key, "minio-secret");
  EXPECT_EQ(loaded->aliases["aws"].path, "off");
  EXPECT_EQ(loaded->aliases["aws"].region, "eu-west-1");
  // Nothing is left behind from the atomic replacement.
  EXPECT_EQ(
      std::distance(fs::directory_iterator(dir.path() + "/nested/maxio"), fs::directory_iterator()),
      1);
}

TEST(ConfigTest, RewritingAWorldReadableFileMakesIt0600) {
  TempDir dir;
  std::string path = config_file(dir.path());
  { std::ofstream(path) << "{\"version\":\"1\",\"aliases\":{}}"; }
  ::chmod(path.c_str(), 0644);
  ASSERT_TRUE(save_config(path, sample()).is_ok());
  EXPECT_EQ(mode_of(path), 0600u);
}

TEST(ConfigTest, MissingFileIsEmptyMalformedFileIsAnError) {
  TempDir dir;
  auto missing = load_config(config_file(dir.path()));
  ASSERT_TRUE(missing.is_ok());
  EXPECT_TRUE(missing->aliases.empty());

  std::string path = config_file(dir.path());
  for (const char* text :
       {"{not json", "[]", "{\"version\":\"2\"}", "{\"version\":\"1\",\"aliases\":[]}",
        "{\"version\":\"1\",\"aliases\":{\"a\":{\"url\":5}}}"}) {
    std::ofstream(path, std::ios::trunc) << text;
    auto loaded = load_config(path);
    EXPECT_EQ(loaded.code(), ErrorCode::kInvalidArgument) << text;
    EXPECT_NE(loaded.status().message().find(path), std::string::npos);
  }
  std::ofstream(path, std::ios::trunc) << "{\"version\":\"1\"}";
  EXPECT_TRUE(load_config(path).is_ok());
}

TEST(ConfigTest, DefaultDirectory) {
  EXPECT_EQ(*default_config_dir(env_of({{"MAXIO_CONFIG_DIR", "/x"}, {"HOME", "/home/u"}})), "/x");
  EXPECT_EQ(*default_config_dir(env_of({{"HOME", "/home/u"}})), "/home/u/.config/maxio");
  EXPECT_EQ(default_config_dir(env_of({})).code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(config_file("/x"), "/x/config.json");
}

TEST(ConfigTest, AliasNames) {
  for (const char* good : {"local", "a", "My-Alias_2"}) {
    EXPECT_TRUE(validate_alias_name(good).is_ok()) << good;
  }
  for (const char* bad : {"", "1abc", "-a", "a/b", "a b", "a.b", "é"}) {
    EXPECT_EQ(validate_alias_name(bad).code(), ErrorCode::kInvalidArgument) << bad;
  }
}

TEST(ConfigTest, AliasUrls) {
  EXPECT_EQ(*normalize_alias_url("http://127.0.0.1:9000/"), "http://127.0.0.1:9000");
  EXPECT_EQ(*normalize_alias_url("https://s3.example.com"), "https://s3.example.com");
  for (const char* bad : {"127.0.0.1:9000", "ftp://x", "http://h/path", "http://"}) {
    EXPECT_EQ(normalize_alias_url(bad).code(), ErrorCode::kInvalidArgument) << bad;
  }
}

TEST(ConfigTest, PathStyle) {
  AliasConfig alias;
  alias.url = "https://s3.eu-west-1.amazonaws.com";
  EXPECT_FALSE(alias.path_style());
  alias.url = "http://127.0.0.1:9000";
  EXPECT_TRUE(alias.path_style());
  alias.path = "off";
  EXPECT_FALSE(alias.path_style());
  alias.path = "on";
  alias.url = "https://s3.amazonaws.com";
  EXPECT_TRUE(alias.path_style());
  EXPECT_EQ(alias.effective_region(), "us-east-1");
}

TEST(ConfigTest, AliasFromTheEnvironmentOverridesTheFile) {
  Config config = sample();
  auto env = env_of({{"MAXIO_HOST_local", "http://env%2Fkey:env%3Asecret@127.0.0.1:9999"},
                     {"MAXIO_HOST_bad", "http://127.0.0.1:9999"}});
  auto local = resolve_alias(config, "local", env);
  ASSERT_TRUE(local.is_ok() && local->has_value());
  EXPECT_EQ((*local)->url, "http://127.0.0.1:9999");
  EXPECT_EQ((*local)->access_key, "env/key");
  EXPECT_EQ((*local)->secret_key, "env:secret");
  auto aws = resolve_alias(config, "aws", env);
  ASSERT_TRUE(aws.is_ok() && aws->has_value());
  EXPECT_EQ((*aws)->access_key, "AKID");
  auto none = resolve_alias(config, "none", env);
  ASSERT_TRUE(none.is_ok());
  EXPECT_FALSE(none->has_value());
  EXPECT_EQ(resolve_alias(config, "bad", env).code(), ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace maxio::cli
