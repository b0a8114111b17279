// alias set / ls / rm: the named servers in the config file.

#include <iostream>
#include <string>

#include <nlohmann/json.hpp>

#include "cli/commands/commands.h"

namespace maxio::cli {

namespace {

Json alias_json(const std::string& name, const AliasConfig& alias, bool with_secret) {
  Json out = {{"alias", name}, {"URL", alias.url}, {"accessKey", alias.access_key}};
  if (with_secret) out["secretKey"] = alias.secret_key;
  out["api"] = alias.api;
  out["path"] = alias.path;
  if (!alias.region.empty()) out["region"] = alias.region;
  return out;
}

void print_alias(Console& console, const std::string& name, const AliasConfig& alias) {
  console.print(name);
  console.print("  URL       : " + alias.url);
  console.print("  AccessKey : " + alias.access_key);
  console.print("  SecretKey : " + alias.secret_key);
  console.print("  API       : " + alias.api);
  console.print("  Path      : " + alias.path);
  if (!alias.region.empty()) console.print("  Region    : " + alias.region);
}

}  // namespace

int run_alias_set(Invocation& invocation) {
  const auto& args = invocation.args.positional;
  if (args.size() == 3) return usage_error(invocation, "give both keys or neither");
  const std::string& name = args[0];
  if (Status valid = validate_alias_name(name); !valid)
    return usage_error(invocation, valid.message());
  auto url = normalize_alias_url(args[1]);
  if (!url) return usage_error(invocation, url.status().message());

  AliasConfig alias;
  alias.url = *url;
  if (args.size() == 4) {
    alias.access_key = args[2];
    alias.secret_key = args[3];
  } else {
    // Keys from standard input keep them out of the shell history and process list.
    std::getline(invocation.in, alias.access_key);
    std::getline(invocation.in, alias.secret_key);
    auto strip = [](std::string& s) {
      while (!s.empty() && (s.back() == '\r' || s.back() == '\n')) s.pop_back();
    };
    strip(alias.access_key);
    strip(alias.secret_key);
  }
  if (alias.access_key.empty() || alias.secret_key.empty()) {
    return usage_error(invocation, "the access key and the secret key must not be empty");
  }
  alias.api = invocation.args.get("api", "s3v4");
  if (alias.api != "s3v4") return usage_error(invocation, "--api: only s3v4 is supported");
  alias.path = invocation.args.get("path", "auto");
  if (alias.path != "auto" && alias.path != "on" && alias.path != "off") {
    return usage_error(invocation, "--path: expected auto, on or off");
  }
  alias.region = invocation.args.get("region");

  invocation.session.mutable_config().aliases[name] = alias;
  if (Status saved = invocation.session.save_config(); !saved) {
    return fail(invocation, saved, "alias set");
  }
  if (invocation.console.json()) {
    invocation.console.emit(alias_json(name, alias, false));
  } else {
    invocation.console.info("Added `" + name + "` successfully.");
  }
  return kExitOk;
}

int run_alias_ls(Invocation& invocation) {
  const auto& args = invocation.args.positional;
  if (!args.empty()) {
    auto alias = invocation.session.alias(args[0]);
    if (!alias) return fail(invocation, alias.status(), "alias ls");
    if (invocation.console.json()) {
      invocation.console.emit(alias_json(args[0], *alias, true));
    } else {
      print_alias(invocation.console, args[0], *alias);
    }
    return kExitOk;
  }
  for (const auto& [name, alias] : invocation.session.config().aliases) {
    if (invocation.console.json()) {
      invocation.console.emit(alias_json(name, alias, true));
    } else {
      print_alias(invocation.console, name, alias);
    }
  }
  return kExitOk;
}

int run_alias_rm(Invocation& invocation) {
  const std::string& name = invocation.args.positional[0];
  auto& aliases = invocation.session.mutable_config().aliases;
  if (aliases.erase(name) == 0) {
    return fail(invocation, Status(ErrorCode::kInvalidArgument, "unknown alias '" + name + "'"),
                "alias rm");
  }
  if (Status saved = invocation.session.save_config(); !saved) {
    return fail(invocation, saved, "alias rm");
  }
  if (invocation.console.json()) {
    invocation.console.emit({{"alias", name}});
  } else {
    invocation.console.info("Removed `" + name + "` successfully.");
  }
  return kExitOk;
}

}  // namespace maxio::cli
