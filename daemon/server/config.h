#pragma once
// maxiod's command line and environment: `maxiod server [flags] DIR...`, `--help`,
// `--version`, with MAXIO_* variables falling back to MinIO's MINIO_* names.
// Pure functions over their arguments (the environment comes in as a lookup function).

#include <chrono>
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
// variables, which beat MINIO_* ones, which beat the defaults.
// Drives form pools as in MinIO: arguments without ellipses are the drives of one pool,
// otherwise every argument must use ellipses and is a pool of its own. Each pool of more
// than one drive is cut into erasure sets of 2..16 drives chosen as MinIO does
// (choose_set_drive_count), or of MAXIO_ERASURE_SET_DRIVE_COUNT drives; one plain drive is
// a one-drive pool. MAXIO_STORAGE_CLASS_STANDARD / _RRS ("EC:N") are validated against the
// smallest set.
// Fails with kInvalidArgument and a one-line message for an unknown flag, a missing value,
// no drive, a malformed ellipsis, arguments mixing ellipses and plain drives, a pool that
// cannot be cut into sets, a drive given twice, a bad set size or storage class, a
// malformed address, half-set or too-short credentials (user < 3, password < 8 characters).
Result<Command> parse_command_line(const std::vector<std::string>& args, const EnvLookup& env);

// Expands MinIO's ellipsis notation: "/data{1...4}" -> /data1 ... /data4; bounds are decimal
// or hexadecimal ("{a...f}"), zero-padded to the upper bound's width when a bound has a
// leading zero ("{01...16}"). Several ellipses multiply, the leftmost varying fastest as in
// MinIO: "/p{1...2}/d{1...2}" -> /p1/d1 /p2/d1 /p1/d2 /p2/d2. An argument without ellipsis
// expands to itself. Fails with kInvalidArgument for a malformed or reversed range.
Result<std::vector<std::string>> expand_ellipses(std::string_view arg);

// A duration for the MAXIO_*_INTERVAL variables: "500ms", "10s", "5m", "1h", or a number of
// seconds; "0" turns the background work off. kInvalidArgument otherwise.
Result<std::chrono::milliseconds> parse_interval(std::string_view text);

// The text of `maxiod --help`.
std::string usage_text();

// "maxiod version 0.1.0".
std::string version_text();

}  // namespace maxio
