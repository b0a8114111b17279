// admin info / datausage / heal / config / service / trace / log / prometheus: maxioctl
// over the admin API (shared/admin/client.h). JSON output wraps each server document in an
// object ({"info":...}, {"heal":...}, {"trace":...}) so every line carries "status".

#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <thread>

#include <nlohmann/json.hpp>

#include "cli/commands/commands.h"
#include "cli/format.h"
#include "shared/crypto/jwt.h"
#include "shared/http/client.h"

namespace maxio::cli {

namespace {

// A member as text: strings as they are, numbers and booleans printed, absent or null "".
std::string text_of(const Json& object, std::string_view key) {
  if (!object.is_object()) return "";
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) return "";
  if (it->is_string()) return it->get<std::string>();
  return it->dump();
}

uint64_t number_of(const Json& object, std::string_view key) {
  if (!object.is_object()) return 0;
  auto it = object.find(key);
  if (it == object.end()) return 0;
  if (it->is_number_unsigned()) return it->get<uint64_t>();
  if (it->is_number_integer())
    return static_cast<uint64_t>(std::max<int64_t>(0, it->get<int64_t>()));
  if (it->is_number_float()) return static_cast<uint64_t>(std::max(0.0, it->get<double>()));
  return 0;
}

const Json& member(const Json& object, std::string_view key) {
  static const Json kNull;
  if (!object.is_object()) return kNull;
  auto it = object.find(key);
  return it == object.end() ? kNull : *it;
}

std::string pad(std::string text, size_t width) {
  if (text.size() < width) text.append(width - text.size(), ' ');
  return text;
}

// The alias of an admin command's ALIAS argument (no bucket allowed unless `allow_path`).
Result<Target> admin_target(Invocation& invocation, bool allow_path) {
  const std::string& arg = invocation.args.positional[0];
  MAXIO_TRY(Target target, remote_target(invocation, arg, "alias"));
  if (!allow_path && !target.bucket.empty()) {
    return Status(ErrorCode::kInvalidArgument, "expected ALIAS, not a path: '" + arg + "'");
  }
  return target;
}

// ---- info ----

void print_info(Invocation& invocation, const AliasConfig& alias, const Json& info,
                const Json& topology) {
  Console& console = invocation.console;
  console.print("Server     : " + alias.url);
  if (auto version = text_of(info, "version"); !version.empty()) {
    console.print("Version    : " + version);
  }
  if (member(info, "uptime_seconds").is_number()) {
    console.print("Uptime     : " +
                  format_duration(std::chrono::seconds(number_of(info, "uptime_seconds"))));
  }
  if (auto region = text_of(info, "region"); !region.empty())
    console.print("Region     : " + region);
  std::string deployment = text_of(info, "deployment_id");
  if (deployment.empty()) deployment = text_of(topology, "deployment_id");
  if (!deployment.empty()) console.print("Deployment : " + deployment);
  if (member(info, "drives").is_number()) {
    console.print("Drives     : " + std::to_string(number_of(info, "drives")) + " (" +
                  std::to_string(number_of(info, "drives_online")) + " online, " +
                  std::to_string(number_of(info, "drives_offline")) + " offline, " +
                  std::to_string(number_of(info, "drives_healing")) + " healing) in " +
                  std::to_string(number_of(info, "pools")) + " pool(s), " +
                  std::to_string(number_of(info, "sets")) + " set(s)");
  }
  const Json& parity =
      member(info, "parity").is_object() ? member(info, "parity") : member(topology, "parity");
  if (parity.is_object()) {
    console.print("Parity     : EC:" + text_of(parity, "standard") +
                  " standard, EC:" + text_of(parity, "rrs") + " reduced redundancy");
  }
  const Json& pools = member(topology, "pools");
  if (!pools.is_array()) return;
  console.print("");
  console.print("POOL  SET  DRIVE  STATE     USED        TOTAL       USE%  ENDPOINT");
  uint64_t used_total = 0, size_total = 0;
  for (const Json& pool : pools) {
    for (const Json& set : member(pool, "sets")) {
      for (const Json& drive : member(set, "drives")) {
        uint64_t total = number_of(drive, "total_bytes");
        uint64_t used = number_of(drive, "used_bytes");
        if (used == 0 && total > 0 && member(drive, "free_bytes").is_number()) {
          used = total - std::min(total, number_of(drive, "free_bytes"));
        }
        used_total += used;
        size_total += total;
        char percent[16];
        if (total > 0) {
          std::snprintf(
              percent, sizeof(percent), "%3d%%",
              static_cast<int>(100.0 * static_cast<double>(used) / static_cast<double>(total)));
        } else {
          std::snprintf(percent, sizeof(percent), "   -");
        }
        std::string state = text_of(drive, "state");
        std::string endpoint = text_of(drive, "endpoint");
        if (auto reason = text_of(drive, "reason"); !reason.empty()) {
          endpoint += " (" + reason + ")";
        }
        console.print(pad(text_of(pool, "index"), 6) + pad(text_of(set, "index"), 5) +
                      pad(text_of(drive, "index"), 7) + pad(state, 10) +
                      pad(format_size(used), 12) + pad(format_size(total), 12) + percent + "  " +
                      endpoint);
      }
    }
  }
  if (size_total > 0) {
    console.print("");
    console.print("Usage      : " + format_size(used_total) + " of " + format_size(size_total) +
                  " used on the drives");
  }
}

// ---- heal ----

std::string heal_summary(const Json& status) {
  const Json& counters = member(status, "counters");
  std::string text = text_of(status, "state");
  if (member(status, "buckets_total").is_number()) {
    text += ": " + std::to_string(number_of(status, "buckets_done")) + "/" +
            std::to_string(number_of(status, "buckets_total")) + " buckets";
  }
  if (counters.is_object()) {
    text += ", " + std::to_string(number_of(counters, "objects_scanned")) + " objects scanned, " +
            std::to_string(number_of(counters, "objects_healed")) + " healed, " +
            std::to_string(number_of(counters, "objects_failed")) + " failed";
    if (uint64_t dangling = number_of(counters, "dangling_removed"); dangling > 0) {
      text += ", " + std::to_string(dangling) + " dangling removed";
    }
  }
  if (auto bucket = text_of(status, "current_bucket");
      !bucket.empty() && text_of(status, "state") == "running") {
    text += " (healing " + bucket + ")";
  }
  return text;
}

void print_heal(Invocation& invocation, const Json& status) {
  if (invocation.console.json()) {
    invocation.console.emit({{"heal", status}});
  } else {
    invocation.console.print("Heal " + heal_summary(status));
  }
}

int heal_result(Invocation& invocation, const Json& status) {
  std::string state = text_of(status, "state");
  for (const Json& error : member(status, "errors")) {
    invocation.console.error("heal " + text_of(error, "bucket") + ": " + text_of(error, "message"));
  }
  if (state == "done" || state == "idle") return kExitOk;
  if (state == "stopped") {
    invocation.console.error("the heal was stopped before it finished");
  } else if (state != "failed") {
    invocation.console.error("the heal ended in state '" + state + "'");
  }
  return kExitError;
}

// Follows the run until it leaves "running": the stream when the server has it, else
// polling the status once a second.
int follow_heal(Invocation& invocation, admin::AdminClient& client, Json last) {
  Console& console = invocation.console;
  auto show = [&](const Json& status, const Json& previous) {
    if (console.json()) {
      if (status != previous) console.emit({{"heal", status}});
    } else if (console.progress_enabled()) {
      console.show_progress("Heal " + heal_summary(status));
    } else if (number_of(status, "buckets_done") != number_of(previous, "buckets_done") ||
               text_of(status, "state") != text_of(previous, "state")) {
      console.info("Heal " + heal_summary(status));
    }
  };
  auto stream = client.heal_stream();
  while (text_of(last, "state") == "running") {
    if (interrupted()) {
      console.clear_progress();
      console.error("stopped following the heal; it goes on (see admin heal --status, --stop)");
      return kExitInterrupted;
    }
    Json next;
    if (stream) {
      auto line = (*stream)->next();
      if (!line) return fail(invocation, line.status(), "admin heal");
      if (!line->has_value()) {
        stream = Status(ErrorCode::kEndOfStream, "the heal stream ended");
        continue;
      }
      next = std::move(**line);
    } else {
      std::this_thread::sleep_for(std::chrono::seconds(1));
      auto status = client.heal_status();
      if (!status) return fail(invocation, status.status(), "admin heal");
      next = std::move(*status);
    }
    show(next, last);
    last = std::move(next);
  }
  console.clear_progress();
  if (!console.json()) console.print("Heal " + heal_summary(last));
  return heal_result(invocation, last);
}

// ---- config ----

// Flattens nested objects into dotted keys ("scanner.interval").
void flatten(const Json& value, const std::string& prefix,
             std::vector<std::pair<std::string, Json>>& out) {
  if (value.is_object() && !value.empty()) {
    for (const auto& [key, inner] : value.items()) {
      flatten(inner, prefix.empty() ? key : prefix + "." + key, out);
    }
    return;
  }
  out.emplace_back(prefix, value);
}

std::string value_text(const Json& value) {
  return value.is_string() ? value.get<std::string>() : value.dump();
}

// "5m" stays a string; 10, true, null become JSON values.
Json parse_config_value(const std::string& text) {
  Json parsed = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!parsed.is_discarded() && (parsed.is_number() || parsed.is_boolean() || parsed.is_null())) {
    return parsed;
  }
  return text;
}

Status set_dotted(Json& document, const std::string& key, Json value) {
  Json* node = &document;
  size_t start = 0;
  while (true) {
    size_t dot = key.find('.', start);
    std::string part =
        key.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    if (part.empty()) return Status(ErrorCode::kInvalidArgument, "invalid key '" + key + "'");
    if (dot == std::string::npos) {
      (*node)[part] = std::move(value);
      return Status::ok();
    }
    Json& child = (*node)[part];
    if (child.is_null()) child = Json::object();
    if (!child.is_object()) {
      return Status(ErrorCode::kInvalidArgument,
                    "'" + key.substr(0, dot) + "' is a value, not a section");
    }
    node = &child;
    start = dot + 1;
  }
}

// ---- streams (trace, log) ----

std::string trace_line(const Json& record) {
  char duration[32] = "";
  if (member(record, "duration_us").is_number()) {
    std::snprintf(duration, sizeof(duration), "%.1fms",
                  static_cast<double>(number_of(record, "duration_us")) / 1000.0);
  }
  std::string path = text_of(record, "path");
  if (auto query = text_of(record, "query"); !query.empty()) path += "?" + query;
  return text_of(record, "time") + " " + text_of(record, "status") + " " +
         pad(text_of(record, "api"), 20) + " " + text_of(record, "method") + " " + path + " " +
         text_of(record, "remote_address") + " " + duration +
         " in=" + format_size(number_of(record, "bytes_in")) +
         " out=" + format_size(number_of(record, "bytes_out"));
}

extern "C" void end_stream_on_sigint(int) { ::_exit(130); }

int follow_stream(Invocation& invocation, Result<std::unique_ptr<admin::JsonLineStream>> stream,
                  const char* wrapper, const std::function<std::string(const Json&)>& text) {
  if (!stream) return fail(invocation, stream.status(), invocation.command);
  // A stream has nothing to clean up and may wait long for its next line: Ctrl-C ends it at
  // once, with the usual 130 (every printed line is already flushed).
  std::signal(SIGINT, end_stream_on_sigint);
  while (!interrupted()) {
    auto line = (*stream)->next();
    if (!line) {
      if (interrupted()) break;
      return fail(invocation, line.status(), invocation.command);
    }
    if (!line->has_value()) return kExitOk;  // the server ended the stream
    const Json& document = **line;
    if (invocation.console.json()) {
      invocation.console.emit({{wrapper, document}});
    } else {
      invocation.console.print(text(document));
    }
  }
  return kExitOk;  // Ctrl-C is how a trace ends
}

}  // namespace

int run_admin_info(Invocation& invocation) {
  auto target = admin_target(invocation, false);
  if (!target) return fail(invocation, target.status(), "admin info");
  auto alias = invocation.session.alias(target->alias);
  auto client = invocation.session.admin(target->alias);
  if (!client) return fail(invocation, client.status(), "admin info");
  auto info = (*client)->server_info();
  if (!info) return fail(invocation, info.status(), "admin info");
  auto topology = (*client)->topology();
  if (!topology) return fail(invocation, topology.status(), "admin info");
  if (invocation.console.json()) {
    invocation.console.emit(
        {{"alias", target->alias}, {"url", alias->url}, {"info", *info}, {"topology", *topology}});
  } else {
    print_info(invocation, *alias, *info, *topology);
  }
  return kExitOk;
}

int run_admin_datausage(Invocation& invocation) {
  auto target = admin_target(invocation, false);
  if (!target) return fail(invocation, target.status(), "admin datausage");
  auto client = invocation.session.admin(target->alias);
  if (!client) return fail(invocation, client.status(), "admin datausage");
  auto usage = (*client)->data_usage();
  if (!usage) return fail(invocation, usage.status(), "admin datausage");
  Console& console = invocation.console;
  if (console.json()) {
    console.emit({{"datausage", *usage}});
    return kExitOk;
  }
  std::string updated = text_of(*usage, "updated");
  console.print("Last scan  : " + (updated.empty() ? std::string("not yet") : updated));
  console.print("");
  console.print("OBJECTS       SIZE        BUCKET");
  for (const Json& bucket : member(*usage, "buckets")) {
    console.print(pad(std::to_string(number_of(bucket, "objects")), 14) +
                  pad(format_size(number_of(bucket, "bytes")), 12) + text_of(bucket, "bucket"));
  }
  const Json& totals = member(*usage, "totals");
  console.print(pad(std::to_string(number_of(totals, "objects")), 14) +
                pad(format_size(number_of(totals, "bytes")), 12) + "(" +
                std::to_string(number_of(totals, "buckets")) + " buckets in total)");
  return kExitOk;
}

int run_admin_heal(Invocation& invocation) {
  auto target = admin_target(invocation, true);
  if (!target) return fail(invocation, target.status(), "admin heal");
  auto client = invocation.session.admin(target->alias);
  if (!client) return fail(invocation, client.status(), "admin heal");
  if (invocation.args.has("status")) {
    auto status = (*client)->heal_status();
    if (!status) return fail(invocation, status.status(), "admin heal");
    print_heal(invocation, *status);
    return kExitOk;
  }
  if (invocation.args.has("stop")) {
    auto status = (*client)->heal_stop();
    if (!status) return fail(invocation, status.status(), "admin heal --stop");
    print_heal(invocation, *status);
    return kExitOk;
  }
  admin::HealOptions options;
  options.bucket = target->bucket;
  options.prefix = target->key;
  options.deep = invocation.args.has("deep");
  auto started = (*client)->heal_start(options);
  if (!started) return fail(invocation, started.status(), "admin heal " + target->display());
  if (invocation.console.json()) {
    invocation.console.emit({{"heal", *started}});
  } else {
    std::string id = text_of(*started, "id");
    invocation.console.info("Heal of `" + target->display() + "` started" +
                            (id.empty() ? "" : " (" + id + ")") + (options.deep ? ", deep" : "") +
                            ".");
  }
  if (invocation.args.has("no-wait")) return kExitOk;
  return follow_heal(invocation, **client, *started);
}

int run_admin_config_get(Invocation& invocation) {
  auto target = admin_target(invocation, false);
  if (!target) return fail(invocation, target.status(), "admin config get");
  auto client = invocation.session.admin(target->alias);
  if (!client) return fail(invocation, client.status(), "admin config get");
  auto config = (*client)->get_config();
  if (!config) return fail(invocation, config.status(), "admin config get");
  std::vector<std::pair<std::string, Json>> pairs;
  flatten(*config, "", pairs);
  std::vector<std::string> keys(invocation.args.positional.begin() + 1,
                                invocation.args.positional.end());
  std::vector<std::pair<std::string, Json>> shown;
  for (const std::string& key : keys) {
    size_t before = shown.size();
    for (const auto& pair : pairs) {
      if (pair.first == key || pair.first.starts_with(key + ".")) shown.push_back(pair);
    }
    if (shown.size() == before) {
      return fail(invocation, Status(ErrorCode::kInvalidArgument, "no key '" + key + "'"),
                  "admin config get");
    }
  }
  if (keys.empty()) shown = pairs;
  if (invocation.console.json()) {
    if (keys.empty()) {
      invocation.console.emit({{"config", *config}});
    } else {
      Json subset = Json::object();
      for (const auto& [key, value] : shown) subset[key] = value;
      invocation.console.emit({{"config", subset}});
    }
    return kExitOk;
  }
  for (const auto& [key, value] : shown) {
    if (!key.empty()) invocation.console.print(key + "=" + value_text(value));
  }
  return kExitOk;
}

int run_admin_config_set(Invocation& invocation) {
  auto target = admin_target(invocation, false);
  if (!target) return fail(invocation, target.status(), "admin config set");
  std::vector<std::pair<std::string, Json>> changes;
  for (size_t i = 1; i < invocation.args.positional.size(); ++i) {
    const std::string& arg = invocation.args.positional[i];
    auto eq = arg.find('=');
    if (eq == std::string::npos || eq == 0) {
      return usage_error(invocation, "expected KEY=VALUE, got '" + arg + "'");
    }
    changes.emplace_back(arg.substr(0, eq), parse_config_value(arg.substr(eq + 1)));
  }
  auto client = invocation.session.admin(target->alias);
  if (!client) return fail(invocation, client.status(), "admin config set");
  auto config = (*client)->get_config();
  if (!config) return fail(invocation, config.status(), "admin config set");
  Json document = config->is_object() ? *config : Json::object();
  for (auto& [key, value] : changes) {
    if (Status set = set_dotted(document, key, std::move(value)); !set) {
      return usage_error(invocation, set.message());
    }
  }
  auto answer = (*client)->set_config(document);
  if (!answer) return fail(invocation, answer.status(), "admin config set");
  if (invocation.console.json()) {
    invocation.console.emit({{"config", *answer}});
  } else {
    std::string id = text_of(*answer, "id");
    invocation.console.info("Configuration of `" + target->alias + "` saved" +
                            (id.empty() ? "" : " (history " + id + ")") +
                            "; it applies when the server restarts.");
  }
  return kExitOk;
}

int run_admin_config_history(Invocation& invocation) {
  auto target = admin_target(invocation, false);
  if (!target) return fail(invocation, target.status(), "admin config history");
  auto client = invocation.session.admin(target->alias);
  if (!client) return fail(invocation, client.status(), "admin config history");
  auto history = (*client)->config_history();
  if (!history) return fail(invocation, history.status(), "admin config history");
  for (const Json& entry : member(*history, "entries")) {
    if (invocation.console.json()) {
      invocation.console.emit({{"entry", entry}});
      continue;
    }
    std::string line = pad(text_of(entry, "id"), 38) + text_of(entry, "time");
    if (auto from = text_of(entry, "restored_from"); !from.empty()) {
      line += "  (restored from " + from + ")";
    }
    invocation.console.print(line);
  }
  return kExitOk;
}

int run_admin_config_restore(Invocation& invocation) {
  auto target = admin_target(invocation, false);
  if (!target) return fail(invocation, target.status(), "admin config restore");
  auto client = invocation.session.admin(target->alias);
  if (!client) return fail(invocation, client.status(), "admin config restore");
  const std::string& id = invocation.args.positional[1];
  auto answer = (*client)->restore_config(id);
  if (!answer) return fail(invocation, answer.status(), "admin config restore");
  if (invocation.console.json()) {
    invocation.console.emit({{"config", *answer}});
  } else {
    invocation.console.info("Configuration " + id + " restored on `" + target->alias +
                            "`; it applies when the server restarts.");
  }
  return kExitOk;
}

static int service_action(Invocation& invocation, bool restart) {
  const char* name = restart ? "restart" : "stop";
  auto target = admin_target(invocation, false);
  if (!target) return fail(invocation, target.status(), std::string("admin service ") + name);
  auto client = invocation.session.admin(target->alias);
  if (!client) return fail(invocation, client.status(), std::string("admin service ") + name);
  auto answer = restart ? (*client)->service_restart() : (*client)->service_stop();
  if (!answer) return fail(invocation, answer.status(), std::string("admin service ") + name);
  if (invocation.console.json()) {
    invocation.console.emit({{"alias", target->alias}, {"service", *answer}});
  } else {
    invocation.console.info(std::string(restart ? "Restart" : "Stop") + " of `" + target->alias +
                            "` requested.");
  }
  return kExitOk;
}

int run_admin_service_restart(Invocation& invocation) { return service_action(invocation, true); }
int run_admin_service_stop(Invocation& invocation) { return service_action(invocation, false); }

int run_admin_trace(Invocation& invocation) {
  auto target = admin_target(invocation, false);
  if (!target) return fail(invocation, target.status(), "admin trace");
  auto client = invocation.session.admin(target->alias);
  if (!client) return fail(invocation, client.status(), "admin trace");
  admin::TraceOptions options;
  options.errors_only = invocation.args.has("errors");
  options.api = invocation.args.get("api");
  return follow_stream(invocation, (*client)->trace(options), "trace", trace_line);
}

int run_admin_log(Invocation& invocation) {
  auto target = admin_target(invocation, false);
  if (!target) return fail(invocation, target.status(), "admin log");
  auto last = int_flag(invocation, "last", 0, 0, 100000);
  if (!last) return usage_error(invocation, last.status().message());
  auto client = invocation.session.admin(target->alias);
  if (!client) return fail(invocation, client.status(), "admin log");
  admin::LogOptions options;
  options.level = invocation.args.get("level");
  options.last = static_cast<size_t>(*last);
  return follow_stream(invocation, (*client)->console_log(options), "log", [](const Json& entry) {
    return text_of(entry, "time") + " " + pad(text_of(entry, "level"), 8) + " " +
           text_of(entry, "message");
  });
}

int run_admin_prometheus_generate(Invocation& invocation) {
  auto target = admin_target(invocation, false);
  if (!target) return fail(invocation, target.status(), "admin prometheus generate");
  std::string type =
      invocation.args.positional.size() > 1 ? invocation.args.positional[1] : "cluster";
  if (type != "cluster" && type != "node") {
    return usage_error(invocation, "metrics type must be cluster or node, not '" + type + "'");
  }
  auto alias = invocation.session.alias(target->alias);
  if (!alias) return fail(invocation, alias.status(), "admin prometheus generate");
  auto endpoint = http::parse_endpoint(alias->url);
  if (!endpoint) return fail(invocation, endpoint.status(), "admin prometheus generate");
  // mc's lifetime of a generated scrape token: 100 years.
  constexpr std::chrono::hours kTokenLifetime{100 * 365 * 24};
  std::string token = jwt::generate_prometheus_token(
      alias->access_key, alias->secret_key, std::chrono::system_clock::now() + kTokenLifetime);
  std::string path = "/minio/v2/metrics/" + type;
  std::string scheme = endpoint->tls ? "https" : "http";
  std::string job = "maxio-job";
  if (invocation.console.json()) {
    invocation.console.emit({{"jobName", job},
                             {"bearerToken", token},
                             {"metricsPath", path},
                             {"scheme", scheme},
                             {"targets", Json::array({endpoint->authority})}});
    return kExitOk;
  }
  invocation.console.print("scrape_configs:");
  invocation.console.print("- job_name: " + job);
  invocation.console.print("  bearer_token: " + token);
  invocation.console.print("  metrics_path: " + path);
  invocation.console.print("  scheme: " + scheme);
  invocation.console.print("  static_configs:");
  invocation.console.print("  - targets: ['" + endpoint->authority + "']");
  return kExitOk;
}

}  // namespace maxio::cli
