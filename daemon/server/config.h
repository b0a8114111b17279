#pragma once
// maxiod's command line and environment: `maxiod server [flags] DIR...`, `--help`,
// `--version`, with MAXIO_* variables falling back to MinIO's MINIO_* names.
// Pure functions over their arguments (the environment comes in as a lookup function).

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "daemon/server/server_context.h"
#include "shared/util/status.h"

namespace maxio {

inline constexpr std::string_view kDefaultRootUser = "minioadmin";
inline constexpr std::string_view kDefaultRootPassword = "minioadmin";

enum class CommandKind { kServer, kHelp, kVersion };

struct Command {
  CommandKind kind = CommandKind::kHelp;
  ServerConfig config;                // meaningful for kServer
  bool default_credentials = false;   // no root credentials were set: minioadmin / minioadmin
  std::vector<std::string> warnings;  // to print on stderr before starting
};

// Returns the value of an environment variable, or nullopt when unset.
using EnvLookup = std::function<std::optional<std::string>(std::string_view name)>;

// The real process environment.
EnvLookup process_environment();

// Parses `args` (argv without the program name) and the environment. Flags beat MAXIO_*
// variables, which beat MINIO_* ones, which beat the defaults. Fails with kInvalidArgument
// and a one-line message for an unknown flag, a missing value, no drive, a malformed
// address, half-set or too-short credentials (user < 3, password < 8 characters).
Result<Command> parse_command_line(const std::vector<std::string>& args, const EnvLookup& env);

// Expands MinIO's ellipsis notation: "/data{1...4}" -> /data1 ... /data4 (zero-padded when
// the bounds are, "{01...16}"), several ellipses multiply. Fails for a malformed range.
Result<std::vector<std::string>> expand_ellipses(std::string_view arg);

// The text of `maxiod --help`.
std::string usage_text();

// "maxiod version 0.1.0".
std::string version_text();

}  // namespace maxio
