// GET /info, /topology, /datausage and POST /service/stop, /service/restart.

#include "daemon/admin/request.h"
#include "daemon/admin/views.h"
#include "shared/util/log.h"

#ifndef MAXIO_VERSION
#define MAXIO_VERSION "unknown"
#endif

namespace maxio::admin {

namespace {

AdminStatus service_action(AdminRequest& request, ServiceAction action, std::string_view name) {
  const auto& hook = request.ctx().service_hook;
  if (!hook) return AdminStatus(AdminErrorCode::kServiceUnsupported);
  if (request.state.streams.shut_down()) return AdminStatus(AdminErrorCode::kShuttingDown);
  log_info("admin: service " + std::string(name) + " requested by " + request.auth.access_key);
  // The answer goes out first: the hook starts the shutdown, which drains this request.
  MAXIO_RETURN_IF_ERROR(send_json(request, 200, {{"action", name}, {"accepted", true}}));
  hook(action);
  return {};
}

}  // namespace

AdminStatus handle_info(AdminRequest& request) {
  ServerIdentity server;
  server.version = MAXIO_VERSION;
  server.region = request.ctx().config.region;
  server.endpoints = request.state.endpoints();
  server.started = request.ctx().started;
  server.now = request.now;
  return send_json(request, 200, info_json(server, request.ctx().object_layer->storage_info()));
}

AdminStatus handle_topology(AdminRequest& request) {
  return send_json(request, 200, topology_json(request.ctx().object_layer->storage_info()));
}

AdminStatus handle_datausage(AdminRequest& request) {
  return send_json(request, 200, datausage_json(request.ctx().object_layer->storage_info()));
}

AdminStatus handle_service_stop(AdminRequest& request) {
  return service_action(request, ServiceAction::kStop, "stop");
}

AdminStatus handle_service_restart(AdminRequest& request) {
  return service_action(request, ServiceAction::kRestart, "restart");
}

}  // namespace maxio::admin
