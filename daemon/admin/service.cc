// AdminService: authentication, routing and the JSON error of every admin request, and the
// response helpers the handlers share.

#include <algorithm>
#include <exception>

#include "daemon/admin/admin.h"
#include "daemon/admin/json.h"
#include "daemon/admin/request.h"
#include "daemon/admin/router.h"
#include "daemon/admin/state.h"
#include "shared/util/encoding.h"
#include "shared/util/log.h"
#include "shared/util/strings.h"
#include "shared/util/uuid.h"

namespace maxio::admin {

namespace {

constexpr AdminRoute kRoutes[] = {
    {"GET", "/info", "ServerInfo", &handle_info},
    {"GET", "/topology", "Topology", &handle_topology},
    {"GET", "/datausage", "DataUsage", &handle_datausage},
    {"POST", "/heal/start", "HealStart", &handle_heal_start},
    {"GET", "/heal/status", "HealStatus", &handle_heal_status},
    {"POST", "/heal/stop", "HealStop", &handle_heal_stop},
    {"GET", "/heal/stream", "HealStream", &handle_heal_stream},
    {"GET", "/config", "GetConfig", &handle_config_get},
    {"PUT", "/config", "SetConfig", &handle_config_put},
    {"GET", "/config/history", "ConfigHistory", &handle_config_history},
    {"POST", "/config/restore", "RestoreConfig", &handle_config_restore},
    {"POST", "/service/stop", "ServiceStop", &handle_service_stop},
    {"POST", "/service/restart", "ServiceRestart", &handle_service_restart},
    {"GET", "/trace", "Trace", &handle_trace},
    {"GET", "/log", "ConsoleLog", &handle_log},
    {"GET", "/bucket/versioning", "GetBucketVersioning", &handle_bucket_versioning_get},
    {"PUT", "/bucket/versioning", "SetBucketVersioning", &handle_bucket_versioning_put},
    {"GET", "/bucket/quota", "GetBucketQuota", &handle_bucket_quota_get},
    {"PUT", "/bucket/quota", "SetBucketQuota", &handle_bucket_quota_put},
    {"DELETE", "/bucket/quota", "ClearBucketQuota", &handle_bucket_quota_delete},
    {"GET", "/bucket/policy", "GetBucketPolicy", &handle_bucket_policy_get},
    {"PUT", "/bucket/policy", "SetBucketPolicy", &handle_bucket_policy_put},
    {"DELETE", "/bucket/policy", "DeleteBucketPolicy", &handle_bucket_policy_delete},
};

std::string new_request_id() {
  std::string id = hex_encode(random_bytes(8));
  for (char& c : id) {
    if (c >= 'a' && c <= 'f') c = static_cast<char>(c - 'a' + 'A');
  }
  return id;
}

HttpHeaders base_headers(const AdminRequest& request) {
  HttpHeaders headers;
  headers.add("x-amz-request-id", request.request_id);
  headers.add("Cache-Control", "no-store");
  return headers;
}

// Only the root user, and only with SigV4 (as MinIO's admin API): madmin signs with the
// "s3" service name and the server's region, which auth::authenticate verifies.
AdminStatus authorize(AdminRequest& request) {
  auto auth = auth::authenticate(request.http(), request.exchange.body, request.ctx().auth_config(),
                                 request.now);
  if (!auth) return auth.status();
  request.auth = std::move(auth).value();
  const auth::AuthType type = request.auth.type;
  if (type == auth::AuthType::kAnonymous) {
    return Status(ErrorCode::kAccessDenied, "Admin requests must be signed.");
  }
  if (type != auth::AuthType::kSigV4Header && type != auth::AuthType::kSigV4Presigned) {
    return Status(ErrorCode::kAccessDenied,
                  "Admin requests must be signed with AWS Signature Version 4.");
  }
  if (!auth::constant_time_equal(request.auth.access_key, request.ctx().config.root.access_key)) {
    return Status(ErrorCode::kAccessDenied, "Only the root user may use the admin API.");
  }
  return {};
}

class AdminServiceImpl final : public AdminService {
 public:
  AdminServiceImpl(ServerContext& ctx, LogHub& logs, const AdminOptions& options)
      : state_(ctx, logs, options) {}
  ~AdminServiceImpl() override { shutdown(); }

  void handle_request(HttpExchange& exchange, RequestRecord* record) override {
    AdminRequest request{state_, exchange, new_request_id(), std::chrono::system_clock::now(),
                         {},     {}};
    const HttpRequest& http = exchange.request;
    const RouteMatch match = match_route(admin_routes(), http.method, http.path);
    AdminStatus status = authorize(request);
    if (status && !match.route) status = AdminStatus(match.error);
    if (status) {
      auto query = parse_query(http.raw_query);
      if (!query) {
        status = AdminStatus(AdminErrorCode::kInvalidArgument, "malformed query string");
      } else {
        request.query = std::move(query).value();
        status = run_handler(*match.route, request);
      }
    }
    if (record) {
      record->api = "admin." + std::string(match.route ? match.route->name : "Unknown");
      record->request_id = request.request_id;
      record->access_key = request.auth.access_key;
    }
    if (status) return;
    const ApiError error = status.to_api_error();
    // Server faults only: not 501 (no service hook) nor 503 (shutting down, not ready).
    if (error.http_status >= 500 && error.http_status != 501 && error.http_status != 503) {
      log_error("admin: " + http.method + " " + http.path + ": " + status.to_string());
    }
    send_error(request, status,
               match.error == AdminErrorCode::kMethodNotAllowed ? match.allow : std::string());
  }

  void set_endpoints(std::vector<std::string> urls) override {
    state_.set_endpoints(std::move(urls));
  }

  void begin_shutdown() override {
    state_.streams.shutdown();
    state_.heal.stop();
  }

  void shutdown() override {
    begin_shutdown();
    state_.heal.shutdown();
  }

 private:
  // A handler that throws (a bug) answers 500 instead of taking the worker thread down.
  static AdminStatus run_handler(const AdminRoute& route, AdminRequest& request) {
    try {
      return route.handler(request);
    } catch (const std::exception& e) {
      return Status(ErrorCode::kInternal, std::string(route.name) + " threw: " + e.what());
    }
  }

  AdminState state_;
};

}  // namespace

bool is_admin_path(std::string_view path) { return path.starts_with("/maxio/admin/"); }

std::span<const AdminRoute> admin_routes() { return kRoutes; }

std::unique_ptr<AdminService> AdminService::create(ServerContext& ctx, LogHub& logs,
                                                   AdminOptions options) {
  return std::make_unique<AdminServiceImpl>(ctx, logs, options);
}

Result<ServerConfig> with_stored_settings(ObjectLayer& layer, ServerConfig config) {
  ConfigStore store(layer);
  MAXIO_TRY(ServerSettings stored, store.load());
  // As in MinIO, what the command line or environment sets wins over the stored value.
  for (const std::string& key : keys_set(stored)) {
    const auto& pinned = config.pinned_settings;
    if (std::find(pinned.begin(), pinned.end(), key) != pinned.end()) {
      log_info("config: " + key +
               " from the command line or environment overrides the stored "
               "value");
    }
  }
  return apply_settings(std::move(config), without(stored, config.pinned_settings));
}

std::optional<std::string> AdminRequest::query_value(std::string_view name) const {
  for (const auto& [key, value] : query) {
    if (key == name) return value;
  }
  return std::nullopt;
}

Result<bool> query_bool(const AdminRequest& request, std::string_view name, bool fallback) {
  const std::optional<std::string> value = request.query_value(name);
  if (!value) return fallback;
  if (value->empty() || *value == "true") return true;
  if (*value == "false") return false;
  return Status(ErrorCode::kInvalidArgument,
                std::string(name) + ": expected true or false, got '" + *value + "'");
}

AdminStatus bad_argument(const Status& status) {
  return AdminStatus(AdminErrorCode::kInvalidArgument, status.message());
}

Status send_json(AdminRequest& request, int status, const nlohmann::ordered_json& body) {
  const std::string text = dump_json(body) + "\n";
  HttpHeaders headers = base_headers(request);
  headers.set("Content-Type", "application/json");
  HttpResponseWriter& response = request.exchange.response;
  MAXIO_RETURN_IF_ERROR(response.send_headers(status, headers, text.size()));
  MAXIO_RETURN_IF_ERROR(response.write(text));
  return response.finish();
}

void send_error(AdminRequest& request, const AdminStatus& error, const std::string& allow) {
  HttpResponseWriter& response = request.exchange.response;
  if (response.headers_sent()) {
    response.close_after_response();  // too late for an error document
    return;
  }
  const HttpRequest& http = request.http();
  if (http.chunked || http.content_length.value_or(0) > kMaxAdminBody) {
    response.close_after_response();  // do not drain a large unread body
  }
  const ApiError api_error = error.to_api_error();
  const std::string body = error_json(api_error, request.request_id) + "\n";
  HttpHeaders headers = base_headers(request);
  headers.set("Content-Type", "application/json");
  if (!allow.empty()) headers.set("Allow", allow);
  if (!response.send_headers(api_error.http_status, headers, body.size())) return;
  if (!response.write(body)) return;
  (void)response.finish();
}

Status start_stream(AdminRequest& request) {
  HttpHeaders headers = base_headers(request);
  headers.set("Content-Type", "application/x-ndjson");
  return request.exchange.response.send_headers(200, headers, std::nullopt);
}

Status write_line(AdminRequest& request, const nlohmann::ordered_json& line) {
  return request.exchange.response.write(dump_json(line) + "\n");
}

Status write_heartbeat(AdminRequest& request) { return request.exchange.response.write("\n"); }

}  // namespace maxio::admin
