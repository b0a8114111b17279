#pragma once
// Private to daemon/admin: the admin route table. A route is one row (method, path under
// /maxio/admin/v1, name, handler); match_route finds the row for a request or says why
// none fits (404 for an unknown path, 405 with the allowed methods for a known one).
// Pure functions over immutable tables; thread-safe.

#include <span>
#include <string>
#include <string_view>

#include "daemon/admin/errors.h"

namespace maxio::admin {

struct AdminRequest;
using AdminHandler = AdminStatus (*)(AdminRequest& request);

// Every admin path starts with this; the version is part of it.
inline constexpr std::string_view kAdminPathPrefix = "/maxio/admin/v1";

struct AdminRoute {
  std::string_view method;  // "GET", "PUT", "POST"
  std::string_view path;    // under kAdminPathPrefix: "/info", "/heal/start"
  std::string_view name;    // "ServerInfo": the request log records "admin.ServerInfo"
  AdminHandler handler = nullptr;
};

struct RouteMatch {
  const AdminRoute* route = nullptr;  // set on a match
  // Otherwise kNoSuchApi or kMethodNotAllowed; for the latter `allow` lists the path's
  // methods ("GET, PUT") for the Allow header.
  AdminErrorCode error = AdminErrorCode::kNoSuchApi;
  std::string allow;
};

// The route for `method` and `path` (the full request path, still percent-encoded; matched
// exactly, no trailing slash).
RouteMatch match_route(std::span<const AdminRoute> routes, std::string_view method,
                       std::string_view path);

}  // namespace maxio::admin
