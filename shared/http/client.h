#pragma once
// HttpClient: a blocking HTTP/1.1 client bound to one endpoint (http or https), with a
// bounded pool of keep-alive connections. Request bodies and response bodies stream through
// Reader objects, so memory stays bounded whatever the size. No Boost type in this header.
// Thread-safety: an HttpClient may be shared by any number of threads; a Response is used by
// one thread at a time (it keeps the pool alive, so it may outlive its client).

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "shared/util/io.h"
#include "shared/util/status.h"

namespace maxio::http {

// Header fields in order; lookups ignore ASCII case. Plain data.
class Headers {
 public:
  using Field = std::pair<std::string, std::string>;

  Headers() = default;
  Headers(std::initializer_list<Field> fields) : fields_(fields) {}

  void add(std::string name, std::string value) {
    fields_.emplace_back(std::move(name), std::move(value));
  }
  // Replaces every field named `name` with one.
  void set(std::string_view name, std::string value);
  void remove(std::string_view name);
  // The first value of `name`, or nullopt.
  std::optional<std::string_view> get(std::string_view name) const;
  bool has(std::string_view name) const { return get(name).has_value(); }
  // The first value of `name`, or "".
  std::string_view value_or_empty(std::string_view name) const;

  const std::vector<Field>& fields() const { return fields_; }
  // For code that edits the list in place (the SigV4 signer appends to it).
  std::vector<Field>& mutable_fields() { return fields_; }

 private:
  std::vector<Field> fields_;
};

// Where a client connects: "http://host[:port]" or "https://host[:port]".
struct Endpoint {
  bool tls = false;
  std::string host;       // "127.0.0.1", "s3.example.com", "::1" (no brackets)
  uint16_t port = 0;      // 80 / 443 when the URL names none
  std::string authority;  // the Host header value: "host[:port]" as the URL wrote it
  // "scheme://authority", no trailing slash.
  std::string url() const { return (tls ? "https://" : "http://") + authority; }
};

// Parses "scheme://host[:port][/]". kInvalidArgument for another scheme, a path, query,
// user info, or a malformed host or port.
Result<Endpoint> parse_endpoint(std::string_view url);

struct ClientOptions {
  // Limit of TCP connect plus TLS handshake. Name resolution is bounded by the system
  // resolver's own timeouts.
  std::chrono::milliseconds connect_timeout{std::chrono::seconds(10)};
  // Inactivity limit of every socket read and write (not of a whole request).
  std::chrono::milliseconds io_timeout{std::chrono::seconds(60)};
  // With Expect: 100-continue, how long to wait for the server's interim answer before
  // sending the body anyway.
  std::chrono::milliseconds continue_timeout{std::chrono::seconds(1)};
  // Most connections open at once (in use or idle); a request beyond waits up to
  // connect_timeout for one to be released, then fails with kTimeout. 0: no limit.
  size_t max_connections = 64;
  // Most idle keep-alive connections kept for reuse; more are closed when released.
  size_t max_idle_connections = 16;
  // An idle connection older than this is closed instead of reused (servers close theirs
  // after 30 s or so; reusing one as it closes costs a retry).
  std::chrono::milliseconds max_idle_time{std::chrono::seconds(20)};
  // https: verify the server's certificate chain and host name. Turn off only for tests
  // or self-signed servers you trust by other means.
  bool verify_tls = true;
  // https: PEM file of trusted CAs; empty: the system's default trust store.
  std::string ca_file = {};
  // Sent unless the request sets its own.
  std::string user_agent = "maxio-http/0.1";
};

struct Request {
  std::string method = "GET";
  std::string target = "/";  // already percent-encoded path and query: "/b/k%20x?uploads"
  // Host and User-Agent are added when absent; Content-Length, Transfer-Encoding and Expect
  // are the client's own (given ones are dropped). Fields with CR, LF or NUL, or names that
  // are not HTTP tokens, fail the request with kInvalidArgument.
  Headers headers = {};
  // An in-memory body. Sent with Content-Length (also for an empty body on PUT and POST).
  std::string body = {};
  // A streamed body, sent instead of `body` when set: exactly `body_length` bytes are read
  // from it, a bounded buffer at a time. Not owned; must stay valid until send() returns.
  // A reader that ends early fails the request (kEndOfStream).
  Reader* body_reader = nullptr;
  uint64_t body_length = 0;
  // Moves body_reader back to its first byte, making a streamed body replayable: without
  // it, a request is never resent once a body byte has left.
  std::function<Status()> rewind_body = {};
  // Sends Expect: 100-continue and waits (ClientOptions::continue_timeout) for the server
  // before the body, so a request the server rejects at once does not upload it.
  bool expect_continue = false;
};

// A response whose header has arrived; the body streams through body(). Move-only.
// While the body is unread, the response holds its connection: reading the body to its end
// returns the connection to the pool, destroying the response earlier closes it (or drains
// a few unread bytes to keep it).
class Response {
 public:
  class Impl;  // defined in client.cc
  explicit Response(std::unique_ptr<Impl> impl);
  Response(Response&&) noexcept;
  Response& operator=(Response&&) noexcept;
  ~Response();

  int status() const;
  const Headers& headers() const;
  // From Content-Length; nullopt for chunked bodies and bodies that end at close.
  std::optional<uint64_t> content_length() const;

  // The body as a stream: read() returns 0 at its end (at once for HEAD, 204 and 304),
  // kTimeout after ClientOptions::io_timeout without a byte, kIo when the connection
  // breaks before the end.
  Reader& body();
  // Reads the rest of the body into a string; kEntityTooLarge beyond `limit` bytes.
  Result<std::string> read_body(size_t limit = 1 << 20);

 private:
  std::unique_ptr<Impl> impl_;
};

class HttpClient {
 public:
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;
  // Closes idle connections; connections of live responses close when those end.
  ~HttpClient();

  // A client for `endpoint_url` ("http://127.0.0.1:9000"). Fails with kInvalidArgument for
  // a malformed URL and kIo when an https client cannot load its trust store or ca_file.
  // Connections are opened on demand.
  static Result<std::unique_ptr<HttpClient>> create(std::string_view endpoint_url,
                                                    ClientOptions options = {});

  // Sends `request` and waits for the response header; any HTTP status is a success here.
  // Fails with kInvalidArgument for a malformed request, kTimeout when connecting or a
  // socket read/write stalls, kIo for refused or broken connections and TLS failures,
  // kEndOfStream when the body reader ends early; messages name host:port and the step.
  // A reused connection that turns out closed by the server is replaced and the request
  // resent once, when no body byte was sent yet or the body is replayable.
  Result<Response> send(const Request& request);

  const Endpoint& endpoint() const;

  // Connections opened since creation (for tests and diagnostics).
  uint64_t connections_opened() const;
  // Idle connections in the pool right now.
  size_t idle_connections() const;

  class Impl;  // defined in client.cc

 private:
  explicit HttpClient(std::shared_ptr<Impl> impl);
  std::shared_ptr<Impl> impl_;
};

}  // namespace maxio::http
