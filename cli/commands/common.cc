// Helpers every command uses: error reporting and remote target checks.

#include <charconv>

#include "cli/commands/commands.h"

namespace maxio::cli {

int fail(Invocation& invocation, const Status& status, std::string_view context) {
  std::string reason = describe(status);
  invocation.console.error(context.empty() ? reason : std::string(context) + ": " + reason,
                           error_code(status));
  return status.code() == ErrorCode::kCancelled ? kExitInterrupted : kExitError;
}

int usage_error(Invocation& invocation, std::string_view message) {
  invocation.console.error(std::string(message) + " (see maxioctl " + invocation.command +
                           " --help)");
  return kExitUsage;
}

Result<Target> remote_target(Invocation& invocation, std::string_view arg, std::string_view need) {
  Target target = invocation.session.target(arg);
  if (!target.remote) {
    std::string alias = first_segment(arg);
    if (alias.empty()) {
      return Status(ErrorCode::kInvalidArgument,
                    "'" + std::string(arg) + "' is not a remote path (ALIAS/BUCKET/KEY)");
    }
    if (Status valid = validate_alias_name(alias); !valid) {
      return Status(ErrorCode::kInvalidArgument,
                    "'" + std::string(arg) + "' is not a remote path (ALIAS/BUCKET/KEY)");
    }
    // Reports the unknown alias with the hint how to add it.
    auto resolved = invocation.session.alias(alias);
    return resolved.status();
  }
  if ((need == "bucket" || need == "object") && target.bucket.empty()) {
    return Status(ErrorCode::kInvalidArgument, "'" + std::string(arg) +
                                                   "' names no bucket (ALIAS/BUCKET" +
                                                   (need == "object" ? "/KEY)" : ")"));
  }
  if (need == "object" && target.key.empty()) {
    return Status(ErrorCode::kInvalidArgument,
                  "'" + std::string(arg) + "' names no object (ALIAS/BUCKET/KEY)");
  }
  return target;
}

Result<int> int_flag(const Invocation& invocation, std::string_view name, int fallback, int min,
                     int max) {
  if (!invocation.args.has(name)) return fallback;
  std::string text = invocation.args.get(name);
  int value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < min || value > max) {
    return Status(ErrorCode::kInvalidArgument,
                  "--" + std::string(name) + ": expected a number from " + std::to_string(min) +
                      " to " + std::to_string(max) + ", got '" + text + "'");
  }
  return value;
}

}  // namespace maxio::cli
