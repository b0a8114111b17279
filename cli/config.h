#pragma once
// maxioctl's configuration: named aliases (endpoint URL and credentials) kept in
// <config dir>/config.json, mode 0600, in mc's layout:
//   {"version":"1","aliases":{"NAME":{"url":"...","accessKey":"...","secretKey":"...",
//                                      "api":"s3v4","path":"auto"}}}
// The config dir is $MAXIO_CONFIG_DIR, else $HOME/.config/maxio. An alias may also come from
// the environment: MAXIO_HOST_<NAME>=http(s)://ACCESS:SECRET@host[:port] (as mc's MC_HOST_).
// Plain data and functions over files; not synchronized across processes (last writer wins;
// each write replaces the file atomically).

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "shared/util/status.h"

namespace maxio::cli {

// Looks up an environment variable (nullopt when unset); tests pass their own.
using EnvLookup = std::function<std::optional<std::string>(std::string_view name)>;
// The process environment.
EnvLookup process_env();

struct AliasConfig {
  std::string url;  // "http://127.0.0.1:9000"
  std::string access_key;
  std::string secret_key;
  std::string api = "s3v4";
  std::string path = "auto";  // "auto" | "on" (path-style) | "off" (virtual-host style)
  std::string region;         // optional; "" means us-east-1

  // Path-style addressing: "on", or "auto" for any host but *.amazonaws.com.
  bool path_style() const;
  std::string effective_region() const { return region.empty() ? "us-east-1" : region; }
};

struct Config {
  std::string version = "1";
  std::map<std::string, AliasConfig> aliases;
};

// $MAXIO_CONFIG_DIR, else $HOME/.config/maxio; kInvalidArgument when neither is set.
Result<std::string> default_config_dir(const EnvLookup& env);
// <dir>/config.json
std::string config_file(std::string_view dir);

// Reads the config; a missing file is an empty config. kInvalidArgument (naming the file)
// for malformed JSON or a wrong shape, kIo when it cannot be read.
Result<Config> load_config(const std::string& path);
// Writes the config atomically (a temporary file in the same directory, fsync, rename) with
// mode 0600, creating the directory (mode 0700) when needed. kIo on failure.
Status save_config(const std::string& path, const Config& config);

// The config as the file holds it (pretty-printed JSON).
std::string serialize_config(const Config& config);
Result<Config> parse_config(std::string_view text);

// A letter, then letters, digits, '-' or '_'. kInvalidArgument with the reason otherwise.
Status validate_alias_name(std::string_view name);

// Checks a URL for an alias: "http(s)://host[:port]" with an optional trailing '/'.
// Returns it without the trailing slash; kInvalidArgument otherwise.
Result<std::string> normalize_alias_url(std::string_view url);

// "http(s)://ACCESS:SECRET@host[:port]" (user and password percent-decoded), the form of
// MAXIO_HOST_<NAME>. kInvalidArgument when malformed or without credentials.
Result<AliasConfig> alias_from_host_url(std::string_view url);

// The alias `name`: MAXIO_HOST_<name> from `env` when set, else the config's entry; nullopt
// when neither has it. kInvalidArgument when the environment value is malformed.
Result<std::optional<AliasConfig>> resolve_alias(const Config& config, std::string_view name,
                                                 const EnvLookup& env);

}  // namespace maxio::cli
