// maxiod's command line and environment parsing.

#include "daemon/server/config.h"

#include <charconv>
#include <cstdlib>

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
  size_t open = arg.find('{');
  if (open == std::string_view::npos) return std::vector<std::string>{std::string(arg)};
  size_t close = arg.find('}', open);
  size_t dots = arg.find("...", open);
  if (close == std::string_view::npos || dots == std::string_view::npos || dots > close) {
    return invalid("invalid ellipsis in '" + std::string(arg) + "'");
  }
  std::string_view low = arg.substr(open + 1, dots - open - 1);
  std::string_view high = arg.substr(dots + 3, close - dots - 3);
  unsigned from = 0, to = 0;
  auto parse = [](std::string_view s, unsigned& out) {
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return !s.empty() && ec == std::errc() && end == s.data() + s.size();
  };
  if (!parse(low, from) || !parse(high, to) || from > to || to - from >= 10000) {
    return invalid("invalid ellipsis range in '" + std::string(arg) + "'");
  }
  size_t width = (low.size() > 1 && low.front() == '0') ? low.size() : 0;
  MAXIO_TRY(auto rest, expand_ellipses(arg.substr(close + 1)));
  std::vector<std::string> out;
  for (unsigned i = from; i <= to; ++i) {
    std::string number = std::to_string(i);
    if (number.size() < width) number.insert(0, width - number.size(), '0');
    for (const std::string& tail : rest) {
      out.push_back(std::string(arg.substr(0, open)) + number + tail);
    }
  }
  return out;
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
  if (region) config.region = *region;
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
    MAXIO_TRY(auto drives, expand_ellipses(arg));
    for (auto& drive : drives) {
      if (drive.empty()) return invalid("empty drive path");
      config.drives.push_back(std::move(drive));
    }
  }
  for (size_t i = 0; i < config.drives.size(); ++i) {
    for (size_t j = i + 1; j < config.drives.size(); ++j) {
      if (config.drives[i] == config.drives[j]) {
        return invalid("drive '" + config.drives[i] + "' given twice");
      }
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

DIR may use MinIO's ellipsis notation: /data{1...4} is /data1 /data2 /data3 /data4.

Flags:
  --address ADDR   listen address, HOST:PORT or :PORT (default ":9000"; port 0 picks one)
  --domain D       domain(s) for virtual-host-style requests, comma-separated
  --region R       the S3 region (default "us-east-1")

Environment (MinIO's MINIO_* names are read when the MAXIO_* one is unset):
  MAXIO_ROOT_USER, MAXIO_ROOT_PASSWORD   root credentials (default minioadmin / minioadmin)
  MAXIO_ADDRESS, MAXIO_DOMAIN, MAXIO_REGION, MAXIO_VOLUMES
)";
}

std::string version_text() { return "maxiod version " MAXIO_VERSION; }

}  // namespace maxio
