#pragma once
// The admin API (docs/admin-api.md): JSON under /maxio/admin/v1/ on the S3 port, root only.
// AdminService owns what outlives a request (heal thread, open streams, config store); the
// Daemon owns the service. handle_request is thread-safe; the rest is for the Daemon.

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "daemon/http/exchange.h"
#include "daemon/observe/request_log.h"
#include "daemon/server/server_context.h"
#include "shared/util/status.h"

namespace maxio {

class LogHub;
class ObjectLayer;

namespace admin {

// True for every path the admin API answers instead of S3: "/maxio/admin/" and below (an
// unknown version gets the admin API's JSON 404 rather than an S3 error).
bool is_admin_path(std::string_view path);

struct AdminOptions {
  // The configuration the command line and environment gave, before stored settings were
  // applied: what a key left out of PUT /config falls back to.
  ServerConfig startup_config;
  // Streams (trace, log, heal progress) open at once; each holds an HTTP worker thread.
  size_t max_streams = 4;
};

// Created after the object layer, destroyed before it; handle_request runs concurrently on
// the HTTP worker threads, the other methods on the Daemon's thread.
class AdminService {
 public:
  AdminService() = default;
  AdminService(const AdminService&) = delete;
  AdminService& operator=(const AdminService&) = delete;
  // shutdown().
  virtual ~AdminService() = default;

  // `ctx` (with its object layer) and `logs` must outlive the service.
  static std::unique_ptr<AdminService> create(ServerContext& ctx, LogHub& logs,
                                              AdminOptions options);

  // Serves one request whose path is_admin_path(). Fills in record's api
  // ("admin.<Route>", "admin.Unknown"), request ID and signer when given.
  virtual void handle_request(HttpExchange& exchange, RequestRecord* record) = 0;
  // The API URLs GET /info reports (set once the HTTP server listens).
  virtual void set_endpoints(std::vector<std::string> urls) = 0;
  // Ends every open stream, asks a running heal to stop and refuses new streams and heal
  // runs; returns at once. Call before the HTTP server drains.
  virtual void begin_shutdown() = 0;
  // begin_shutdown(), then waits for the heal thread (and the bucket it is healing).
  virtual void shutdown() = 0;
};

// `config` with the settings stored by PUT /config applied (the settings win over the
// command line and environment). Errors: the object layer's, or kInvalidArgument when the
// stored document does not validate; the caller then keeps `config`.
Result<ServerConfig> with_stored_settings(ObjectLayer& layer, ServerConfig config);

}  // namespace admin
}  // namespace maxio
