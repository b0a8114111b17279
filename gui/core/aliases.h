#pragma once
// The console's connections: an endpoint with credentials, typed in or taken from an alias
// of maxioctl's configuration file (<config dir>/config.json, where the config dir is
// $MAXIO_CONFIG_DIR, else $HOME/.config/maxio):
//   {"version":"1","aliases":{"NAME":{"url":"http://...","accessKey":"...",
//                                      "secretKey":"...","region":"..."}}}
// The console only reads the file. Plain data and functions; no Qt.

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "shared/util/status.h"

namespace maxio::console {

struct Connection {
  std::string endpoint;  // "http://127.0.0.1:9000"
  std::string access_key;
  std::string secret_key;
  std::string region = "us-east-1";
};

// Looks up an environment variable (nullopt when unset); tests pass their own.
using EnvLookup = std::function<std::optional<std::string>(const char* name)>;

// <config dir>/config.json as maxioctl finds it; kInvalidArgument when neither
// MAXIO_CONFIG_DIR nor HOME is set.
Result<std::string> default_alias_file(const EnvLookup& env);

// Every alias of the file, by name. A missing file is no aliases; kInvalidArgument (naming
// the file) for malformed JSON or an alias without "url"; kIo when it cannot be read.
Result<std::map<std::string, Connection>> load_aliases(const std::string& path);

// Fills empty endpoint / keys of `connection` from the environment: MAXIO_ENDPOINT,
// MAXIO_ACCESS_KEY and MAXIO_SECRET_KEY (else AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY).
void fill_from_environment(Connection& connection, const EnvLookup& env);

// kInvalidArgument naming what is missing (endpoint, keys) or malformed (the endpoint must
// start with http:// or https://).
Status validate(const Connection& connection);

}  // namespace maxio::console
