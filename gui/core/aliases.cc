#include "gui/core/aliases.h"

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace maxio::console {

Result<std::string> default_alias_file(const EnvLookup& env) {
  if (auto dir = env("MAXIO_CONFIG_DIR"); dir && !dir->empty()) return *dir + "/config.json";
  if (auto home = env("HOME"); home && !home->empty()) {
    return *home + "/.config/maxio/config.json";
  }
  return Status(ErrorCode::kInvalidArgument,
                "neither MAXIO_CONFIG_DIR nor HOME is set: no alias file");
}

Result<std::map<std::string, Connection>> load_aliases(const std::string& path) {
  std::map<std::string, Connection> aliases;
  std::error_code ec;
  if (!std::filesystem::exists(path, ec) && !ec) return aliases;
  std::ifstream in(path);
  if (!in) return Status(ErrorCode::kIo, "cannot read " + path);
  std::stringstream text;
  text << in.rdbuf();
  auto doc = nlohmann::json::parse(text.str(), nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) {
    return Status(ErrorCode::kInvalidArgument, path + " is not a JSON object");
  }
  auto list = doc.find("aliases");
  if (list == doc.end()) return aliases;
  if (!list->is_object()) {
    return Status(ErrorCode::kInvalidArgument, path + ": \"aliases\" is not an object");
  }
  for (const auto& [name, entry] : list->items()) {
    if (!entry.is_object()) {
      return Status(ErrorCode::kInvalidArgument, path + ": alias " + name + " is not an object");
    }
    auto get = [&](const char* field) {
      auto it = entry.find(field);
      return it != entry.end() && it->is_string() ? it->get<std::string>() : std::string();
    };
    Connection connection{get("url"), get("accessKey"), get("secretKey"), get("region")};
    if (connection.region.empty()) connection.region = "us-east-1";
    if (connection.endpoint.empty()) {
      return Status(ErrorCode::kInvalidArgument, path + ": alias " + name + " has no url");
    }
    aliases.emplace(name, std::move(connection));
  }
  return aliases;
}

void fill_from_environment(Connection& connection, const EnvLookup& env) {
  auto fill = [&](std::string& field, std::initializer_list<const char*> names) {
    for (const char* name : names) {
      if (!field.empty()) return;
      if (auto value = env(name); value && !value->empty()) field = *value;
    }
  };
  fill(connection.endpoint, {"MAXIO_ENDPOINT"});
  if (connection.access_key.empty() && connection.secret_key.empty()) {
    fill(connection.access_key, {"MAXIO_ACCESS_KEY", "AWS_ACCESS_KEY_ID"});
    fill(connection.secret_key, {"MAXIO_SECRET_KEY", "AWS_SECRET_ACCESS_KEY"});
  }
}

Status validate(const Connection& connection) {
  if (connection.endpoint.empty()) {
    return Status(ErrorCode::kInvalidArgument, "no endpoint: give a URL or pick an alias");
  }
  if (connection.endpoint.rfind("http://", 0) != 0 &&
      connection.endpoint.rfind("https://", 0) != 0) {
    return Status(ErrorCode::kInvalidArgument,
                  "the endpoint must start with http:// or https://: " + connection.endpoint);
  }
  if (connection.access_key.empty() || connection.secret_key.empty()) {
    return Status(ErrorCode::kInvalidArgument, "no credentials: give an access and a secret key");
  }
  return Status::ok();
}

}  // namespace maxio::console
