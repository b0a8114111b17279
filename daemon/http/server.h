#pragma once
// HttpServer: the HTTP/1.1 front end of maxiod. Accepts connections, parses requests with
// Beast (header first, body streamed), and runs the handler for each request on a worker
// thread pool with an HttpExchange (daemon/http/exchange.h). No Boost type in this header.
// Thread-safety: start/port/shutdown/wait may be called from any thread; the handler is
// called concurrently from the worker threads.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "daemon/http/exchange.h"
#include "shared/util/status.h"

namespace maxio {

struct HttpServerOptions {
  // "[host]:port", "host:port" or ":port" (all interfaces). Port 0 picks a free port.
  std::string address = ":9000";
  // Limit of the request line plus header fields; beyond it: 400
  // RequestHeaderSectionTooLarge and close. S3's 8 KiB header / 2 KiB user-metadata rules
  // are the API layer's (MetadataTooLarge). Capped below 64 KiB: Beast keeps field values
  // with 16-bit lengths and cannot hold a larger one.
  size_t max_header_bytes = 64 * 1024 - 1;
  // From the first byte of a request to its last header byte.
  std::chrono::milliseconds header_timeout{std::chrono::seconds(30)};
  // A keep-alive connection waiting for its next request (MinIO: 30 s).
  std::chrono::milliseconds idle_timeout{std::chrono::seconds(30)};
  // Inactivity limit of every body read and response write.
  std::chrono::milliseconds io_timeout{std::chrono::seconds(60)};
  // Unread request body bytes drained after a handler before the next keep-alive request;
  // beyond this the connection is closed instead.
  uint64_t max_drain_bytes = 1 << 20;
  int io_threads = 0;      // threads running the sockets; 0: one per core
  int worker_threads = 0;  // threads running handlers (blocking storage I/O); 0: 4 per core
};

// Called on a worker thread for every request; may block.
using HttpHandler = std::function<void(HttpExchange&)>;

class HttpServer {
 public:
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;
  // Shuts down with no drain time if shutdown() was not called.
  ~HttpServer();

  // Binds and listens on options.address and starts serving. Fails with kInvalidArgument
  // for a malformed address and kIo when the address cannot be resolved or bound.
  static Result<std::unique_ptr<HttpServer>> start(HttpServerOptions options, HttpHandler handler);

  // The bound port (the real one when options.address asked for port 0).
  uint16_t port() const;

  // Stops accepting, closes idle keep-alive connections, lets in-flight requests finish
  // (their responses say Connection: close) for up to `drain`, then closes what is left
  // and waits until every handler has returned. Idempotent; returns when all threads ended.
  // Must not be called from a handler (it would wait for itself).
  void shutdown(std::chrono::milliseconds drain);

  // Blocks until shutdown() has completed (from another thread).
  void wait();

  class Impl;  // defined in server.cc

 private:
  explicit HttpServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace maxio
