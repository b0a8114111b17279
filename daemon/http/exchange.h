#pragma once
// HttpExchange: one HTTP request and its response as a handler sees them, with no Boost
// type in sight. The server (daemon/http/server.h) builds one per request and runs the
// handler on a worker thread; body reads and response writes block that worker while the
// connection's coroutine does the socket I/O. A handler must finish the response (or
// throw nothing and return: the server then answers 500 if no headers were sent).
// Not thread-safe: one handler drives one exchange.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "shared/util/io.h"

namespace maxio {

// Header fields in arrival order; lookups ignore ASCII case.
class HttpHeaders {
 public:
  void add(std::string name, std::string value) {
    fields_.emplace_back(std::move(name), std::move(value));
  }
  // Replaces every field of that name with one.
  void set(std::string_view name, std::string value);
  void remove(std::string_view name);
  // The first value of `name`, or nullopt.
  std::optional<std::string_view> get(std::string_view name) const;
  bool has(std::string_view name) const { return get(name).has_value(); }
  // The first value of `name`, or "".
  std::string_view value_or_empty(std::string_view name) const;
  const std::vector<std::pair<std::string, std::string>>& fields() const { return fields_; }

 private:
  std::vector<std::pair<std::string, std::string>> fields_;
};

struct HttpRequest {
  std::string method;     // "GET", "PUT", ... as sent
  std::string target;     // the request target exactly as sent ("/b/k%20x?acl")
  std::string path;       // target up to '?', still percent-encoded
  std::string raw_query;  // target after '?', still percent-encoded ("" if none)
  HttpHeaders headers;
  std::optional<uint64_t> content_length;  // absent when chunked or no body
  bool chunked = false;                    // Transfer-Encoding: chunked (the body reader de-chunks)
  std::string remote_address;              // "127.0.0.1:53422"
  bool secure = false;                     // arrived over TLS
};

// Writes the response: headers first, then the body in pieces.
class HttpResponseWriter : public Writer {
 public:
  using Writer::write;
  // Sends the status line and headers. With `content_length` the body must be exactly that
  // long; without it the body is sent chunked. Adds Date, Server and Connection itself.
  virtual Status send_headers(int status, const HttpHeaders& headers,
                              std::optional<uint64_t> content_length) = 0;
  // Body bytes (after send_headers).
  Status write(const char* data, size_t size) override = 0;
  // Completes the response (the last chunk when chunked). Further writes fail.
  virtual Status finish() = 0;
  virtual bool headers_sent() const = 0;
  // Asks the server to close the connection after this response (e.g. after an error
  // that left unread request body bytes the server should not drain).
  virtual void close_after_response() = 0;
};

struct HttpExchange {
  const HttpRequest& request;
  // The request body, de-chunked, 100-continue answered on the first read. Ends after
  // Content-Length bytes; fails with kIncompleteBody if the peer closes early.
  Reader& body;
  HttpResponseWriter& response;
};

}  // namespace maxio
