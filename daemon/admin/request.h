#pragma once
// Private to daemon/admin: one request as its handler sees it, the shared response helpers
// and the handlers. A handler answers JSON (or JSON lines) or returns an error before
// sending anything. One AdminRequest per exchange; not shared between threads.

#include <chrono>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "daemon/admin/errors.h"
#include "daemon/admin/router.h"
#include "daemon/admin/state.h"
#include "daemon/auth/auth.h"
#include "daemon/http/exchange.h"

namespace maxio::admin {

// Bodies the admin API accepts are small by contract (PUT /config).
inline constexpr size_t kMaxAdminBody = 64 * 1024;
// A stream writes a blank line after this long without data, to notice a gone client.
inline constexpr std::chrono::seconds kStreamHeartbeat{1};

struct AdminRequest {
  AdminState& state;
  HttpExchange& exchange;
  std::string request_id;
  std::chrono::system_clock::time_point now;
  std::vector<std::pair<std::string, std::string>> query;  // decoded, in order
  auth::AuthResult auth;

  ServerContext& ctx() const { return state.ctx; }
  const HttpRequest& http() const { return exchange.request; }
  // The first value of query parameter `name`, or nullopt.
  std::optional<std::string> query_value(std::string_view name) const;
};

// Query parameter `name` as a boolean: absent gives `fallback`, "" and "true" true,
// "false" false; anything else is kInvalidArgument naming the parameter.
Result<bool> query_bool(const AdminRequest& request, std::string_view name, bool fallback);
// A request error from a kInvalidArgument Status: 400 XMaxioAdminInvalidArgument with its
// message.
AdminStatus bad_argument(const Status& status);

// Sends `status` with a JSON body (Content-Type application/json, x-amz-request-id).
Status send_json(AdminRequest& request, int status, const nlohmann::ordered_json& body);
// Sends the JSON error for `error` (with an Allow header when `allow` is not empty). When
// headers were already sent it only asks to close the connection.
void send_error(AdminRequest& request, const AdminStatus& error, const std::string& allow = {});
// Starts a 200 response of JSON lines (application/x-ndjson, chunked).
Status start_stream(AdminRequest& request);
// One line of a stream; fails when the client is gone.
Status write_line(AdminRequest& request, const nlohmann::ordered_json& line);
// A blank line: clients skip it; a failed write shows the client is gone.
Status write_heartbeat(AdminRequest& request);

// The route table: every route of docs/admin-api.md, one row each.
std::span<const AdminRoute> admin_routes();

// Routes (docs/admin-api.md).
AdminStatus handle_info(AdminRequest& request);
AdminStatus handle_topology(AdminRequest& request);
AdminStatus handle_datausage(AdminRequest& request);
AdminStatus handle_heal_start(AdminRequest& request);
AdminStatus handle_heal_status(AdminRequest& request);
AdminStatus handle_heal_stop(AdminRequest& request);
AdminStatus handle_heal_stream(AdminRequest& request);
AdminStatus handle_config_get(AdminRequest& request);
AdminStatus handle_config_put(AdminRequest& request);
AdminStatus handle_config_history(AdminRequest& request);
AdminStatus handle_config_restore(AdminRequest& request);
AdminStatus handle_service_stop(AdminRequest& request);
AdminStatus handle_service_restart(AdminRequest& request);
AdminStatus handle_trace(AdminRequest& request);
AdminStatus handle_log(AdminRequest& request);
AdminStatus handle_bucket_versioning_get(AdminRequest& request);
AdminStatus handle_bucket_versioning_put(AdminRequest& request);
AdminStatus handle_bucket_quota_get(AdminRequest& request);
AdminStatus handle_bucket_quota_put(AdminRequest& request);
AdminStatus handle_bucket_quota_delete(AdminRequest& request);
AdminStatus handle_bucket_policy_get(AdminRequest& request);
AdminStatus handle_bucket_policy_put(AdminRequest& request);
AdminStatus handle_bucket_policy_delete(AdminRequest& request);

}  // namespace maxio::admin
