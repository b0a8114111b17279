// maxiod's command line and environment parsing.

#include "daemon/server/config.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdlib>
#include <unordered_set>

#include "daemon/storage/erasure/placement.h"
#include "shared/util/strings.h"

#ifndef MAXIO_VERSION
#define MAXIO_VERSION "0.0.0"
#endif

namespace maxio {

namespace {

Status invalid(std::string message) {
  return Status(ErrorCode::kInvalidArgument, std::move(message));
}

// The first set, non-empty variable among `names`.
std::optional<std::string> first_env(const EnvLookup& env,
                                     std::initializer_list<std::string_view> names) {
  for (std::string_view name : names) {
    if (auto value = env(name); value && !value->empty()) return value;
  }
  return std::nullopt;
}

// The first set, non-empty variable among `names`, with its name (for error messages).
std::optional<std::pair<std::string_view, std::string>> first_env_named(
    const EnvLookup& env, std::initializer_list<std::string_view> names) {
  for (std::string_view name : names) {
    if (auto value = env(name); value && !value->empty()) {
      return std::make_pair(name, std::move(*value));
    }
  }
  return std::nullopt;
}

// Drives an argument may expand to; a guard against a typo such as {1...1000000}.
constexpr uint64_t kMaxExpandedDrives = 100000;

// One argument in MinIO's ellipsis notation: literal text around ranges,
// literals.size() == ranges.size() + 1.
struct EllipsisPattern {
  std::vector<std::string> literals;
  std::vector<std::vector<std::string>> ranges;  // the labels of each range, left to right
};

// MinIO's test for ellipsis notation: "..." anywhere, or both braces.
bool has_ellipses(std::string_view arg) {
  return arg.find("...") != std::string_view::npos ||
         (arg.find('{') != std::string_view::npos && arg.find('}') != std::string_view::npos);
}

std::optional<uint64_t> parse_bound(std::string_view text, bool& hexadecimal) {
  uint64_t value = 0;
  const char* end = text.data() + text.size();
  if (text.empty()) return std::nullopt;
  if (auto [ptr, ec] = std::from_chars(text.data(), end, value); ec == std::errc() && ptr == end) {
    return value;
  }
  if (auto [ptr, ec] = std::from_chars(text.data(), end, value, 16);
      ec == std::errc() && ptr == end) {
    hexadecimal = true;
    return value;
  }
  return std::nullopt;
}

// "{N...M}" without its braces: decimal, else hexadecimal, bounds; zero-padded to the width
// of M when N has a leading zero (and more than one digit) or M has one, as MinIO pads.
Result<std::vector<std::string>> parse_range(std::string_view body, std::string_view arg) {
  auto bad = [&](const std::string& why) {
    return invalid("invalid ellipsis in '" + std::string(arg) + "': " + why +
                   " (want {N...M} with N <= M)");
  };
  size_t dots = body.find("...");
  if (dots == std::string_view::npos || body.find("...", dots + 3) != std::string_view::npos) {
    return bad("'{" + std::string(body) + "}' is not a range");
  }
  for (char c : body) {
    bool ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || c == '.';
    if (!ok) return bad("'{" + std::string(body) + "}' is not a range");
  }
  std::string_view low = body.substr(0, dots), high = body.substr(dots + 3);
  bool hexadecimal = false;
  auto from = parse_bound(low, hexadecimal);
  auto to = parse_bound(high, hexadecimal);
  if (!from || !to) return bad("'{" + std::string(body) + "}' has a bound that is not a number");
  if (*from > *to) return bad("the range {" + std::string(body) + "} is reversed");
  if (*to - *from >= kMaxExpandedDrives)
    return bad("the range {" + std::string(body) + "} is too large");
  size_t width = ((low.size() > 1 && low.front() == '0') || high.front() == '0') ? high.size() : 0;
  std::vector<std::string> labels;
  for (uint64_t i = *from; i <= *to; ++i) {
    char buffer[32];
    auto [end, ec] = std::to_chars(buffer, buffer + sizeof(buffer), i, hexadecimal ? 16 : 10);
    std::string label(buffer, end);
    if (label.size() < width) label.insert(0, width - label.size(), '0');
    labels.push_back(std::move(label));
  }
  return labels;
}

Result<EllipsisPattern> parse_ellipses(std::string_view arg) {
  EllipsisPattern pattern;
  std::string literal;
  size_t i = 0;
  while (i < arg.size()) {
    char c = arg[i];
    if (c == '}') return invalid("invalid ellipsis in '" + std::string(arg) + "': stray '}'");
    if (c != '{') {
      literal.push_back(c);
      ++i;
      continue;
    }
    size_t close = arg.find('}', i);
    if (close == std::string_view::npos) {
      return invalid("invalid ellipsis in '" + std::string(arg) + "': '{' without '}'");
    }
    std::string_view body = arg.substr(i + 1, close - i - 1);
    if (body.find('{') != std::string_view::npos) {
      return invalid("invalid ellipsis in '" + std::string(arg) + "': nested '{'");
    }
    MAXIO_TRY(auto labels, parse_range(body, arg));
    pattern.literals.push_back(std::move(literal));
    literal.clear();
    pattern.ranges.push_back(std::move(labels));
    i = close + 1;
  }
  pattern.literals.push_back(std::move(literal));
  uint64_t total = 1;
  for (const auto& range : pattern.ranges) {
    total *= range.size();
    if (total > kMaxExpandedDrives) {
      return invalid("'" + std::string(arg) + "' expands to more than " +
                     std::to_string(kMaxExpandedDrives) + " drives");
    }
  }
  if (has_ellipses(arg) && pattern.ranges.empty()) {
    return invalid("invalid ellipsis in '" + std::string(arg) + "' (want {N...M} with N <= M)");
  }
  return pattern;
}

// MinIO's expansion order: the leftmost range varies fastest, so consecutive drives (and so
// each erasure set) step through it first, usually spreading a set across hosts.
std::vector<std::string> expand(const EllipsisPattern& pattern) {
  size_t total = 1;
  for (const auto& range : pattern.ranges) total *= range.size();
  std::vector<std::string> out;
  out.reserve(total);
  for (size_t n = 0; n < total; ++n) {
    std::string drive = pattern.literals[0];
    size_t rest = n;
    for (size_t r = 0; r < pattern.ranges.size(); ++r) {
      const auto& range = pattern.ranges[r];
      drive += range[rest % range.size()];
      rest /= range.size();
      drive += pattern.literals[r + 1];
    }
    out.push_back(std::move(drive));
  }
  return out;
}

// MinIO's pools: with no ellipsis at all the arguments are the drives of one pool; otherwise
// every argument must use ellipses and each is one pool. `requested_set_size` is 0 or the
// override of the set size (named `requested_from` in messages).
Result<std::vector<PoolConfig>> layout_pools(const std::vector<std::string>& args,
                                             int requested_set_size,
                                             std::string_view requested_from) {
  auto context = [&](const std::string& what, const Status& status) {
    std::string message = what + ": " + status.message();
    if (requested_set_size > 0) message += " (" + std::string(requested_from) + ")";
    return invalid(std::move(message));
  };
  std::vector<PoolConfig> pools;
  bool any_ellipses = false;
  for (const std::string& arg : args) any_ellipses = any_ellipses || has_ellipses(arg);
  if (!any_ellipses) {
    PoolConfig pool;
    for (const std::string& arg : args) {
      if (arg.empty()) return invalid("empty drive path");
      pool.drives.push_back(arg);
    }
    // One drive alone is MinIO's single-drive deployment; the override does not apply.
    pool.set_drive_count = 1;
    if (pool.drives.size() > 1) {
      auto size = choose_set_drive_count(pool.drives.size(), {}, requested_set_size);
      if (!size) return context("the drive list", size.status());
      pool.set_drive_count = *size;
    }
    pools.push_back(std::move(pool));
    return pools;
  }
  for (const std::string& arg : args) {
    if (!has_ellipses(arg)) {
      return invalid("'" + arg +
                     "' has no ellipsis: with several pools every argument is a pool in "
                     "ellipsis notation, such as /data{1...4}");
    }
    MAXIO_TRY(auto pattern, parse_ellipses(arg));
    PoolConfig pool;
    pool.drives = expand(pattern);
    std::vector<uint64_t> sizes;
    for (const auto& range : pattern.ranges) sizes.push_back(range.size());
    auto size = choose_set_drive_count(pool.drives.size(), sizes, requested_set_size);
    if (!size) return context("'" + arg + "'", size.status());
    pool.set_drive_count = *size;
    for (const std::string& drive : pool.drives) {
      if (drive.empty()) return invalid("empty drive path");
    }
    pools.push_back(std::move(pool));
  }
  return pools;
}

Status validate_address(std::string_view address) {
  size_t colon = address.rfind(':');
  if (colon == std::string_view::npos) {
    return invalid("invalid address '" + std::string(address) + "': want HOST:PORT or :PORT");
  }
  std::string_view port = address.substr(colon + 1);
  unsigned value = 0;
  auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (port.empty() || ec != std::errc() || end != port.data() + port.size() || value > 65535) {
    return invalid("invalid port in address '" + std::string(address) + "'");
  }
  return Status::ok();
}

Status validate_region(std::string_view region) {
  if (region.empty()) return invalid("invalid region: empty");
  for (char c : region) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_';
    if (!ok) return invalid("invalid region '" + std::string(region) + "'");
  }
  return Status::ok();
}

Result<std::vector<std::string>> parse_domains(std::string_view list) {
  std::vector<std::string> domains;
  for (const std::string& part : split(list, ',')) {
    std::string domain(trim(part));
    if (domain.empty()) return invalid("invalid domain list '" + std::string(list) + "'");
    for (char c : domain) {
      if (c == '/' || c == ':' || c == ' ') {
        return invalid("invalid domain '" + domain + "'");
      }
    }
    domains.push_back(to_lower(domain));
  }
  return domains;
}

}  // namespace

EnvLookup process_environment() {
  return [](std::string_view name) -> std::optional<std::string> {
    const char* value = std::getenv(std::string(name).c_str());
    if (value == nullptr) return std::nullopt;
    return std::string(value);
  };
}

Result<std::vector<std::string>> expand_ellipses(std::string_view arg) {
  MAXIO_TRY(auto pattern, parse_ellipses(arg));
  return expand(pattern);
}

Result<std::chrono::milliseconds> parse_interval(std::string_view text) {
  uint64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  std::string_view unit(end, static_cast<size_t>(text.data() + text.size() - end));
  if (ec != std::errc() || end == text.data()) {
    return Status(ErrorCode::kInvalidArgument,
                  "expected a duration such as 500ms, 10s or 5m, got '" + std::string(text) + "'");
  }
  if (unit == "ms") return std::chrono::milliseconds(value);
  if (unit == "s" || unit.empty()) return std::chrono::milliseconds(value * 1000);
  if (unit == "m") return std::chrono::milliseconds(value * 60 * 1000);
  if (unit == "h") return std::chrono::milliseconds(value * 3600 * 1000);
  return Status(ErrorCode::kInvalidArgument, "unknown unit '" + std::string(unit) + "' in '" +
                                                 std::string(text) + "' (use ms, s, m or h)");
}

Result<Command> parse_command_line(const std::vector<std::string>& args, const EnvLookup& env) {
  Command command;
  if (args.empty()) return command;  // no subcommand: help
  const std::string& verb = args[0];
  if (verb == "--help" || verb == "-h" || verb == "help") return command;
  if (verb == "--version" || verb == "-v" || verb == "version") {
    command.kind = CommandKind::kVersion;
    return command;
  }
  if (verb != "server") return invalid("unknown command '" + verb + "' (try 'maxiod --help')");

  command.kind = CommandKind::kServer;
  ServerConfig& config = command.config;
  std::optional<std::string> address, domain, region;
  std::vector<std::string> positional;
  for (size_t i = 1; i < args.size(); ++i) {
    std::string arg = args[i];
    if (arg == "--help" || arg == "-h") {
      command.kind = CommandKind::kHelp;
      return command;
    }
    if (arg.size() < 2 || arg[0] != '-' || arg == "--") {
      if (arg != "--") positional.push_back(arg);
      continue;
    }
    std::string name = arg, value;
    bool has_value = false;
    if (size_t eq = arg.find('='); eq != std::string::npos) {
      name = arg.substr(0, eq);
      value = arg.substr(eq + 1);
      has_value = true;
    }
    if (name.rfind("--", 0) != 0 && name.size() > 1) name = "-" + name;  // -address: Go style
    if (name != "--address" && name != "--domain" && name != "--region" &&
        name != "--console-address") {
      return invalid("unknown flag '" + name + "' (try 'maxiod server --help')");
    }
    if (!has_value) {
      if (i + 1 >= args.size()) return invalid("flag " + name + " needs a value");
      value = args[++i];
    }
    if (name == "--address") address = value;
    if (name == "--domain") domain = value;
    if (name == "--region") region = value;
    if (name == "--console-address") {
      command.warnings.push_back("--console-address is ignored: the console is maxio-console");
    }
  }

  if (!address) address = first_env(env, {"MAXIO_ADDRESS", "MINIO_ADDRESS"});
  if (!domain) domain = first_env(env, {"MAXIO_DOMAIN", "MINIO_DOMAIN"});
  if (!region) region = first_env(env, {"MAXIO_REGION", "MINIO_REGION", "MINIO_SITE_REGION"});
  if (address) config.address = *address;
  MAXIO_RETURN_IF_ERROR(validate_address(config.address));
  if (domain) {
    MAXIO_TRY(config.domains, parse_domains(*domain));
  }
  if (region) {
    config.region = *region;
    config.pinned_settings.push_back("region");
  }
  MAXIO_RETURN_IF_ERROR(validate_region(config.region));

  if (positional.empty()) {
    auto volumes = first_env(env, {"MAXIO_VOLUMES", "MINIO_VOLUMES"});
    if (volumes) {
      for (const std::string& part : split(*volumes, ' ')) {
        if (!trim(part).empty()) positional.emplace_back(trim(part));
      }
    }
  }
  if (positional.empty()) return invalid("no drive given: maxiod server DIR...");
  for (const std::string& arg : positional) {
    if (arg.find("://") != std::string::npos) {
      return invalid("distributed mode ('" + arg + "') is not supported yet");
    }
  }
  int requested_set_size = 0;
  std::string requested_from;
  if (auto count = first_env_named(
          env, {"MAXIO_ERASURE_SET_DRIVE_COUNT", "MINIO_ERASURE_SET_DRIVE_COUNT"})) {
    const std::string& text = count->second;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), requested_set_size);
    if (ec != std::errc() || end != text.data() + text.size() || requested_set_size < 0) {
      return invalid(std::string(count->first) + "='" + text +
                     "' is not a number of drives per erasure set");
    }
    requested_from = std::string(count->first) + "=" + text;
  }
  MAXIO_TRY(config.pools, layout_pools(positional, requested_set_size, requested_from));
  std::unordered_set<std::string> seen;
  for (const PoolConfig& pool : config.pools) {
    for (const std::string& drive : pool.drives) {
      if (!seen.insert(drive).second) return invalid("drive '" + drive + "' given twice");
      config.drives.push_back(drive);
    }
  }

  int smallest_set = config.pools.front().set_drive_count;
  for (const PoolConfig& pool : config.pools) {
    smallest_set = std::min(smallest_set, pool.set_drive_count);
  }
  auto standard =
      first_env_named(env, {"MAXIO_STORAGE_CLASS_STANDARD", "MINIO_STORAGE_CLASS_STANDARD"});
  auto rrs = first_env_named(env, {"MAXIO_STORAGE_CLASS_RRS", "MINIO_STORAGE_CLASS_RRS"});
  for (const auto* given : {&standard, &rrs}) {
    if (!*given) continue;
    if (auto parity = parse_storage_class((*given)->second); !parity) {
      return invalid(std::string((*given)->first) + ": " + parity.status().message());
    }
  }
  auto parity = resolve_storage_class_parity(
      standard ? std::optional<std::string_view>(standard->second) : std::nullopt,
      rrs ? std::optional<std::string_view>(rrs->second) : std::nullopt, smallest_set);
  if (!parity) {
    return invalid("storage class for erasure sets of " + std::to_string(smallest_set) +
                   (smallest_set == 1 ? " drive: " : " drives: ") + parity.status().message());
  }
  if (standard) config.standard_parity = parity->standard;
  if (rrs) config.rrs_parity = parity->rrs;

  // Background healing.
  struct IntervalVariable {
    std::string_view name;
    std::chrono::milliseconds* target;
    std::string_view setting;  // its key in the admin configuration, if it has one
  };
  for (auto [name, target, setting] :
       {IntervalVariable{"MAXIO_SCANNER_INTERVAL", &config.scanner_interval, "scanner.interval"},
        IntervalVariable{"MAXIO_DRIVE_PROBE_INTERVAL", &config.drive_probe_interval,
                         "drive_probe_interval"},
        IntervalVariable{"MAXIO_DRIVE_MAX_TIMEOUT", &config.drive_timeout, ""}}) {
    if (auto value = first_env_named(env, {name})) {
      auto parsed = parse_interval(value->second);
      if (!parsed) return invalid(std::string(value->first) + ": " + parsed.status().message());
      *target = *parsed;
      if (!setting.empty()) config.pinned_settings.emplace_back(setting);
    }
  }
  // Multipart uploads left unfinished (MinIO's api.stale_uploads_* settings).
  for (auto [names, target] :
       {std::pair{std::array<std::string_view, 2>{"MAXIO_API_STALE_UPLOADS_EXPIRY",
                                                  "MINIO_API_STALE_UPLOADS_EXPIRY"},
                  &config.stale_uploads_expiry},
        std::pair{std::array<std::string_view, 2>{"MAXIO_API_STALE_UPLOADS_CLEANUP_INTERVAL",
                                                  "MINIO_API_STALE_UPLOADS_CLEANUP_INTERVAL"},
                  &config.stale_uploads_cleanup_interval}}) {
    if (auto value = first_env_named(env, {names[0], names[1]})) {
      auto parsed = parse_interval(value->second);
      if (!parsed) return invalid(std::string(value->first) + ": " + parsed.status().message());
      *target = *parsed;
    }
  }
  if (auto every = first_env_named(env, {"MAXIO_SCANNER_DEEP_EVERY"})) {
    int n = 0;
    auto [end, ec] =
        std::from_chars(every->second.data(), every->second.data() + every->second.size(), n);
    if (ec != std::errc() || end != every->second.data() + every->second.size() || n < 0) {
      return invalid("MAXIO_SCANNER_DEEP_EVERY: expected a number of cycles, got '" +
                     every->second + "'");
    }
    config.deep_scan_every = n;
    config.pinned_settings.push_back("scanner.deep_every");
  }

  if (auto auth =
          first_env_named(env, {"MAXIO_PROMETHEUS_AUTH_TYPE", "MINIO_PROMETHEUS_AUTH_TYPE"})) {
    std::string type = to_lower(trim(auth->second));
    if (type == "jwt") {
      config.prometheus_auth = PrometheusAuthType::kJwt;
    } else if (type == "public") {
      config.prometheus_auth = PrometheusAuthType::kPublic;
    } else {
      return invalid(std::string(auth->first) + "='" + auth->second +
                     "': expected 'jwt' or 'public'");
    }
  }

  auto user = first_env(env, {"MAXIO_ROOT_USER", "MINIO_ROOT_USER"});
  auto password = first_env(env, {"MAXIO_ROOT_PASSWORD", "MINIO_ROOT_PASSWORD"});
  if (!user && !password) {
    command.default_credentials = true;
    config.root = {std::string(kDefaultRootUser), std::string(kDefaultRootPassword)};
  } else if (!user) {
    return invalid("MAXIO_ROOT_PASSWORD is set but MAXIO_ROOT_USER (or MINIO_ROOT_USER) is not");
  } else if (!password) {
    return invalid(
        "MAXIO_ROOT_USER is set but MAXIO_ROOT_PASSWORD (or MINIO_ROOT_PASSWORD) is not");
  } else {
    if (user->size() < 3) {
      return invalid("invalid credentials: the root user must be at least 3 characters long");
    }
    if (password->size() < 8) {
      return invalid("invalid credentials: the root password must be at least 8 characters long");
    }
    config.root = {*user, *password};
    command.default_credentials = *user == kDefaultRootUser && *password == kDefaultRootPassword;
  }
  if (command.default_credentials) {
    command.warnings.push_back(
        "WARNING: using the default credentials 'minioadmin:minioadmin'; set "
        "MAXIO_ROOT_USER and MAXIO_ROOT_PASSWORD to change them");
  }
  return command;
}

std::string usage_text() {
  return R"(maxiod: an S3-compatible object storage server

Usage:
  maxiod server [--address ADDR] [--domain D[,D2...]] [--region R] DIR...
  maxiod --help
  maxiod --version

Drives, pools and erasure sets (as in MinIO):
  DIR may use MinIO's ellipsis notation: /data{1...4} is /data1 /data2 /data3 /data4, and
  /mnt{1...2}/d{1...2} is /mnt1/d1 /mnt2/d1 /mnt1/d2 /mnt2/d2.
  maxiod server /d1 /d2 /d3 /d4       plain DIRs: the drives of one pool
  maxiod server /a{1...4} /b{1...8}   with ellipses every DIR is a pool (all DIRs use
                                      ellipses, or none do)
  Each pool is cut into erasure sets of 2 to 16 drives, the largest size that divides it
  evenly (/data{1...64}: 4 sets of 16). A single plain DIR is a one-drive deployment.

Flags:
  --address ADDR   listen address, HOST:PORT or :PORT (default ":9000"; port 0 picks one)
  --domain D       domain(s) for virtual-host-style requests, comma-separated
  --region R       the S3 region (default "us-east-1")

Environment (MinIO's MINIO_* names are read when the MAXIO_* one is unset):
  MAXIO_ROOT_USER, MAXIO_ROOT_PASSWORD   root credentials (default minioadmin / minioadmin)
  MAXIO_ADDRESS, MAXIO_DOMAIN, MAXIO_REGION, MAXIO_VOLUMES
  MAXIO_ERASURE_SET_DRIVE_COUNT          drives per erasure set (must divide every pool)
  MAXIO_STORAGE_CLASS_STANDARD           parity of STANDARD objects, EC:N (default by set
                                         size: 2-3 drives EC:1, 4-5 EC:2, 6-7 EC:3, 8+ EC:4)
  MAXIO_STORAGE_CLASS_RRS                parity of REDUCED_REDUNDANCY objects (default EC:1)
  MAXIO_SCANNER_INTERVAL                 pause between scanner cycles that heal every set
                                         (default 1m; 0 turns the scanner off)
  MAXIO_SCANNER_DEEP_EVERY               every Nth scanner cycle also verifies every shard's
                                         bitrot hashes (default 0: never)
  MAXIO_DRIVE_PROBE_INTERVAL             how often drives are checked: offline ones come
                                         back, blank replacements are formatted and healed
                                         (default 5s)
  MAXIO_DRIVE_MAX_TIMEOUT                a drive call unanswered this long takes the drive
                                         offline until a probe answers (default 30s)
  MAXIO_API_STALE_UPLOADS_EXPIRY         multipart uploads older than this are removed
                                         (default 24h)
  MAXIO_API_STALE_UPLOADS_CLEANUP_INTERVAL  how often stale uploads are looked for
                                         (default 6h; 0 turns the sweep off)
  MAXIO_PROMETHEUS_AUTH_TYPE             who may scrape /minio/v2/metrics/*: "jwt" (a bearer
                                         token from 'mc admin prometheus generate'; the
                                         default) or "public" (anyone)
)";
}

std::string version_text() { return "maxiod version " MAXIO_VERSION; }

}  // namespace maxio
