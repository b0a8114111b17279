#include "cli/config.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include <nlohmann/json.hpp>

#include "shared/http/client.h"
#include "shared/util/strings.h"

namespace maxio::cli {

namespace {

using json = nlohmann::ordered_json;

Status io_error(std::string what, const std::string& path, int err) {
  return Status(ErrorCode::kIo, what + " " + path + ": " + std::strerror(err));
}

Status write_all(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return Status(ErrorCode::kIo, std::strerror(errno));
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
  return Status::ok();
}

}  // namespace

EnvLookup process_env() {
  return [](std::string_view name) -> std::optional<std::string> {
    const char* value = std::getenv(std::string(name).c_str());
    if (value == nullptr) return std::nullopt;
    return std::string(value);
  };
}

bool AliasConfig::path_style() const {
  if (path == "on") return true;
  if (path == "off") return false;
  auto endpoint = http::parse_endpoint(url);
  if (!endpoint) return true;
  return !to_lower(endpoint->host).ends_with("amazonaws.com");
}

Result<std::string> default_config_dir(const EnvLookup& env) {
  if (auto dir = env("MAXIO_CONFIG_DIR"); dir && !dir->empty()) return *dir;
  if (auto home = env("HOME"); home && !home->empty()) return *home + "/.config/maxio";
  return Status(ErrorCode::kInvalidArgument,
                "cannot find the config directory: set MAXIO_CONFIG_DIR or HOME");
}

std::string config_file(std::string_view dir) { return std::string(dir) + "/config.json"; }

std::string serialize_config(const Config& config) {
  json aliases = json::object();
  for (const auto& [name, alias] : config.aliases) {
    json entry = {{"url", alias.url},
                  {"accessKey", alias.access_key},
                  {"secretKey", alias.secret_key},
                  {"api", alias.api},
                  {"path", alias.path}};
    if (!alias.region.empty()) entry["region"] = alias.region;
    aliases[name] = std::move(entry);
  }
  json document = {{"version", config.version}, {"aliases", std::move(aliases)}};
  return document.dump(2) + "\n";
}

Result<Config> parse_config(std::string_view text) {
  json document = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (document.is_discarded()) return Status(ErrorCode::kInvalidArgument, "not valid JSON");
  if (!document.is_object()) return Status(ErrorCode::kInvalidArgument, "not a JSON object");
  Config config;
  if (auto it = document.find("version"); it != document.end()) {
    if (!it->is_string()) return Status(ErrorCode::kInvalidArgument, "\"version\" is not a string");
    config.version = it->get<std::string>();
  }
  if (config.version != "1") {
    return Status(ErrorCode::kInvalidArgument, "unsupported version \"" + config.version + "\"");
  }
  auto aliases = document.find("aliases");
  if (aliases == document.end() || aliases->is_null()) return config;
  if (!aliases->is_object()) {
    return Status(ErrorCode::kInvalidArgument, "\"aliases\" is not an object");
  }
  for (const auto& [name, entry] : aliases->items()) {
    if (!entry.is_object()) {
      return Status(ErrorCode::kInvalidArgument, "alias \"" + name + "\" is not an object");
    }
    AliasConfig alias;
    auto field = [&](const char* key, std::string& out) -> Status {
      auto it = entry.find(key);
      if (it == entry.end() || it->is_null()) return Status::ok();
      if (!it->is_string()) {
        return Status(ErrorCode::kInvalidArgument,
                      "alias \"" + name + "\": \"" + key + "\" is not a string");
      }
      out = it->get<std::string>();
      return Status::ok();
    };
    MAXIO_RETURN_IF_ERROR(field("url", alias.url));
    MAXIO_RETURN_IF_ERROR(field("accessKey", alias.access_key));
    MAXIO_RETURN_IF_ERROR(field("secretKey", alias.secret_key));
    MAXIO_RETURN_IF_ERROR(field("api", alias.api));
    MAXIO_RETURN_IF_ERROR(field("path", alias.path));
    MAXIO_RETURN_IF_ERROR(field("region", alias.region));
    config.aliases[name] = std::move(alias);
  }
  return config;
}

Result<Config> load_config(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return Config{};
    return io_error("cannot read", path, errno);
  }
  std::string text;
  char buffer[8192];
  while (true) {
    ssize_t n = ::read(fd, buffer, sizeof(buffer));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int err = errno;
      ::close(fd);
      return io_error("cannot read", path, err);
    }
    if (n == 0) break;
    text.append(buffer, static_cast<size_t>(n));
    if (text.size() > (16u << 20)) {
      ::close(fd);
      return Status(ErrorCode::kInvalidArgument, "config file " + path + " is too large");
    }
  }
  ::close(fd);
  auto config = parse_config(text);
  if (!config) {
    return Status(ErrorCode::kInvalidArgument,
                  "malformed config file " + path + ": " + config.status().message());
  }
  return config;
}

Status save_config(const std::string& path, const Config& config) {
  std::filesystem::path file(path);
  std::filesystem::path dir = file.parent_path();
  if (!dir.empty()) {
    std::error_code ec;
    if (!std::filesystem::exists(dir, ec)) {
      std::filesystem::create_directories(dir, ec);
      if (ec) {
        return Status(ErrorCode::kIo, "cannot create " + dir.string() + ": " + ec.message());
      }
      ::chmod(dir.c_str(), 0700);
    }
  }
  std::string temp = path + ".tmp." + std::to_string(::getpid());
  int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return io_error("cannot write", temp, errno);
  Status status = Status::ok();
  if (::fchmod(fd, 0600) != 0) status = io_error("cannot chmod", temp, errno);
  if (status) {
    status = write_all(fd, serialize_config(config));
    if (!status) status = Status(ErrorCode::kIo, "cannot write " + temp + ": " + status.message());
  }
  if (status && ::fsync(fd) != 0) status = io_error("cannot sync", temp, errno);
  if (::close(fd) != 0 && status) status = io_error("cannot close", temp, errno);
  if (status && ::rename(temp.c_str(), path.c_str()) != 0) {
    status = io_error("cannot replace", path, errno);
  }
  if (!status) ::unlink(temp.c_str());
  return status;
}

Status validate_alias_name(std::string_view name) {
  auto is_letter = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
  auto invalid = [&] {
    return Status(ErrorCode::kInvalidArgument,
                  "invalid alias name '" + std::string(name) +
                      "': use a letter followed by letters, digits, '-' or '_'");
  };
  if (name.empty() || !is_letter(name[0])) return invalid();
  for (char c : name) {
    if (!is_letter(c) && !(c >= '0' && c <= '9') && c != '-' && c != '_') return invalid();
  }
  return Status::ok();
}

Result<std::string> normalize_alias_url(std::string_view url) {
  std::string_view trimmed = url;
  if (trimmed.ends_with('/')) trimmed.remove_suffix(1);
  auto endpoint = http::parse_endpoint(trimmed);
  if (!endpoint) {
    return Status(ErrorCode::kInvalidArgument,
                  "invalid URL '" + std::string(url) + "': expected http(s)://host[:port]");
  }
  return std::string(trimmed);
}

Result<AliasConfig> alias_from_host_url(std::string_view url) {
  auto invalid = [&](std::string why) {
    return Status(ErrorCode::kInvalidArgument,
                  "invalid alias URL (expected http(s)://ACCESS:SECRET@host[:port]): " + why);
  };
  auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return invalid("no scheme");
  std::string_view rest = url.substr(scheme_end + 3);
  auto at = rest.rfind('@');
  if (at == std::string_view::npos) return invalid("no credentials");
  std::string_view userinfo = rest.substr(0, at);
  auto colon = userinfo.find(':');
  if (colon == std::string_view::npos) return invalid("no secret key");
  auto access = uri_decode(userinfo.substr(0, colon));
  auto secret = uri_decode(userinfo.substr(colon + 1));
  if (!access || !secret || access->empty() || secret->empty()) {
    return invalid("malformed credentials");
  }
  std::string plain = std::string(url.substr(0, scheme_end + 3)) + std::string(rest.substr(at + 1));
  auto normalized = normalize_alias_url(plain);
  if (!normalized) return invalid("malformed host");
  AliasConfig alias;
  alias.url = *normalized;
  alias.access_key = *access;
  alias.secret_key = *secret;
  return alias;
}

Result<std::optional<AliasConfig>> resolve_alias(const Config& config, std::string_view name,
                                                 const EnvLookup& env) {
  if (auto value = env("MAXIO_HOST_" + std::string(name)); value && !value->empty()) {
    auto alias = alias_from_host_url(*value);
    if (!alias) {
      return Status(ErrorCode::kInvalidArgument,
                    "MAXIO_HOST_" + std::string(name) + ": " + alias.status().message());
    }
    return std::optional<AliasConfig>(std::move(alias).value());
  }
  auto it = config.aliases.find(std::string(name));
  if (it == config.aliases.end()) return std::optional<AliasConfig>();
  return std::optional<AliasConfig>(it->second);
}

}  // namespace maxio::cli
