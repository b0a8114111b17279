#pragma once
// Daemon: the running maxiod — the object layer, the one ServerContext, the admin API and
// the HTTP server that routes every request to the S3 or the admin API — started together
// and stopped together. The Daemon owns the context, the admin service and the LogHub; the
// HTTP handlers borrow them until shutdown() returns.
// start/shutdown from one thread (main); the context is shared with the worker threads.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "daemon/http/server.h"
#include "daemon/server/server_context.h"
#include "shared/util/status.h"

namespace maxio {

class LogHub;
namespace admin {
class AdminService;
}

class Daemon {
 public:
  Daemon(const Daemon&) = delete;
  Daemon& operator=(const Daemon&) = delete;
  ~Daemon();

  // Opens the drives, applies the settings stored through the admin API (they win over
  // `config`; unreadable ones are logged and ignored), builds the ServerContext and starts
  // serving on config.address. `service_hook` becomes ServerContext::service_hook.
  // Fails with the object layer's error (bad drives) or the HTTP server's (address in
  // use, malformed address).
  static Result<std::unique_ptr<Daemon>> start(
      ServerConfig config, HttpServerOptions http_options = {},
      std::function<void(ServiceAction)> service_hook = {});

  // The bound port (the real one for port 0).
  uint16_t port() const;
  // "http://127.0.0.1:9000": where a local client reaches the API.
  std::string api_url() const;
  const ServerContext& context() const { return *context_; }
  ServerContext& context() { return *context_; }

  // Ends the admin streams, stops accepting, lets in-flight requests finish for up to
  // `drain`, waits for an admin heal run's current bucket, then returns.
  void shutdown(std::chrono::milliseconds drain);

 private:
  Daemon();
  // Declared in the order they start; freed in reverse (the HTTP server stops first).
  std::unique_ptr<LogHub> log_hub_;
  std::unique_ptr<ServerContext> context_;
  std::unique_ptr<admin::AdminService> admin_;
  std::unique_ptr<HttpServer> http_;
};

}  // namespace maxio
