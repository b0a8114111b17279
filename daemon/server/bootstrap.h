#pragma once
// Daemon: the running maxiod — the object layer, the one ServerContext and the HTTP server
// that routes every request to the S3 API — started together and stopped together.
// The Daemon owns the context; the HTTP handlers borrow it until shutdown() returns.
// start/shutdown from one thread (main); the context is shared with the worker threads.

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "daemon/http/server.h"
#include "daemon/server/server_context.h"
#include "shared/util/status.h"

namespace maxio {

class Daemon {
 public:
  Daemon(const Daemon&) = delete;
  Daemon& operator=(const Daemon&) = delete;
  ~Daemon();

  // Opens the drives, builds the ServerContext and starts serving on config.address.
  // Fails with the object layer's error (bad drives) or the HTTP server's (address in
  // use, malformed address).
  static Result<std::unique_ptr<Daemon>> start(ServerConfig config,
                                               HttpServerOptions http_options = {});

  // The bound port (the real one for port 0).
  uint16_t port() const;
  // "http://127.0.0.1:9000": where a local client reaches the API.
  std::string api_url() const;
  const ServerContext& context() const { return *context_; }
  ServerContext& context() { return *context_; }

  // Stops accepting, lets in-flight requests finish for up to `drain`, then returns.
  void shutdown(std::chrono::milliseconds drain);

 private:
  Daemon() = default;
  std::unique_ptr<ServerContext> context_;
  std::unique_ptr<HttpServer> http_;  // declared after context_: stops before it is freed
};

}  // namespace maxio
