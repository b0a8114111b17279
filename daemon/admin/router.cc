#include "daemon/admin/router.h"

namespace maxio::admin {

RouteMatch match_route(std::span<const AdminRoute> routes, std::string_view method,
                       std::string_view path) {
  RouteMatch match;
  if (!path.starts_with(kAdminPathPrefix)) return match;
  const std::string_view rest = path.substr(kAdminPathPrefix.size());
  for (const AdminRoute& route : routes) {
    if (route.path != rest) continue;
    if (route.method == method) {
      match.route = &route;
      return match;
    }
    match.error = AdminErrorCode::kMethodNotAllowed;
    if (!match.allow.empty()) match.allow += ", ";
    match.allow += route.method;
  }
  return match;
}

}  // namespace maxio::admin
