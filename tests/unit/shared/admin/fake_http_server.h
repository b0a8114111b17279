#pragma once
// A scriptable HTTP server for client tests (admin client, maxioctl commands): the project's
// HttpServer on a loopback port, a handler that answers each request, and a record of every
// request seen. Also a SigV4 check of a recorded request. Thread-safe.

#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "daemon/http/server.h"
#include "shared/crypto/hash.h"
#include "shared/sigv4/signer.h"
#include "shared/util/strings.h"
#include "shared/util/time.h"

namespace maxio::testing {

struct SeenRequest {
  std::string method;
  std::string target;     // as sent
  std::string path;       // decoded
  std::string raw_query;  // as sent
  HttpHeaders headers;
  std::string body;  // as sent (aws-chunked bodies undecoded)

  // The decoded query parameter, or nullopt.
  std::optional<std::string> query(std::string_view name) const {
    auto pairs = parse_query(raw_query);
    if (!pairs) return std::nullopt;
    for (const auto& [key, value] : *pairs) {
      if (key == name) return value;
    }
    return std::nullopt;
  }
};

struct Reply {
  int status = 200;
  std::string body = {};
  std::vector<std::pair<std::string, std::string>> headers = {};
  // Sent chunked, one write per line (a JSON-lines stream).
  bool stream_lines = false;
};

class FakeHttpServer {
 public:
  using Handler = std::function<Reply(const SeenRequest&)>;

  explicit FakeHttpServer(Handler handler) : handler_(std::move(handler)) {
    HttpServerOptions options;
    options.address = "127.0.0.1:0";
    options.io_threads = 1;
    options.worker_threads = 8;
    auto server = HttpServer::start(options, [this](HttpExchange& e) { handle(e); });
    if (server) server_ = std::move(server).value();
  }
  ~FakeHttpServer() {
    if (server_) server_->shutdown(std::chrono::milliseconds(100));
  }

  bool running() const { return server_ != nullptr; }
  uint16_t port() const { return server_->port(); }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port()); }

  std::vector<SeenRequest> seen() {
    std::lock_guard lock(mu_);
    return seen_;
  }

  void set_handler(Handler handler) {
    std::lock_guard lock(mu_);
    handler_ = std::move(handler);
  }

 private:
  void handle(HttpExchange& e) {
    SeenRequest seen;
    seen.method = e.request.method;
    seen.target = e.request.target;
    auto decoded = uri_decode(e.request.path);
    seen.path = decoded ? *decoded : e.request.path;
    seen.raw_query = e.request.raw_query;
    seen.headers = e.request.headers;
    auto body = read_all(e.body, 256 << 20);
    if (body) seen.body = std::move(body).value();
    Handler handler;
    {
      std::lock_guard lock(mu_);
      seen_.push_back(seen);
      handler = handler_;
    }
    Reply reply = handler ? handler(seen) : Reply{404};
    HttpHeaders headers;
    for (const auto& [name, value] : reply.headers) headers.add(name, value);
    if (!reply.stream_lines) {
      (void)e.response.send_headers(reply.status, headers, reply.body.size());
      (void)e.response.write(reply.body);
      (void)e.response.finish();
      return;
    }
    (void)e.response.send_headers(reply.status, headers, std::nullopt);
    size_t start = 0;
    while (start < reply.body.size()) {
      size_t end = reply.body.find('\n', start);
      end = end == std::string::npos ? reply.body.size() : end + 1;
      if (!e.response.write(std::string_view(reply.body).substr(start, end - start))) break;
      start = end;
    }
    (void)e.response.finish();
  }

  std::mutex mu_;
  Handler handler_;
  std::vector<SeenRequest> seen_;
  std::unique_ptr<HttpServer> server_;
};

// Recomputes the SigV4 signature of a recorded request with `secret_key` (service and
// region from its credential scope) and says whether it matches, and that the scope names
// `service` and `region`.
inline bool signature_matches(const SeenRequest& request, const std::string& secret_key,
                              const std::string& service, const std::string& region) {
  std::string authorization(request.headers.value_or_empty("authorization"));
  auto field = [&](std::string_view name) -> std::string {
    auto at = authorization.find(name);
    if (at == std::string::npos) return "";
    at += name.size();
    auto end = authorization.find_first_of(", ", at);
    return authorization.substr(at, end == std::string::npos ? std::string::npos : end - at);
  };
  std::string credential = field("Credential=");
  std::vector<std::string> scope_parts = split(credential, '/');
  if (scope_parts.size() != 5) return false;
  sigv4::Scope scope{scope_parts[1], scope_parts[2], scope_parts[3]};
  if (scope.service != service || scope.region != region) return false;
  std::vector<std::string> signed_names = split(field("SignedHeaders="), ';');
  sigv4::HeaderList headers(request.headers.fields().begin(), request.headers.fields().end());
  std::string payload_hash(request.headers.value_or_empty("x-amz-content-sha256"));
  if (payload_hash != sha256_hex(request.body)) return false;
  auto query = sigv4::parse_raw_query(request.raw_query);
  if (!query) return false;
  std::string canonical = sigv4::canonical_request(
      request.method, sigv4::canonical_uri(request.path), sigv4::canonical_query(*query),
      sigv4::canonical_headers(headers, signed_names), field("SignedHeaders="), payload_hash);
  std::string amz_date(request.headers.value_or_empty("x-amz-date"));
  std::string expected = sigv4::signature(sigv4::signing_key(secret_key, scope),
                                          sigv4::string_to_sign(amz_date, scope, canonical));
  return expected == field("Signature=");
}

}  // namespace maxio::testing
