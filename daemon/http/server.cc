// HttpServer: one io_context per I/O thread (connections spread round-robin, so a
// connection's handlers never run concurrently and need no strand), one C++20 coroutine per
// connection, handlers on a worker thread pool. While a handler runs, its body reads and
// response writes are posted to the connection's io_context and the worker blocks on their
// completion; the connection coroutine is suspended meanwhile, so the stream has one user.
// (Strands are avoided on purpose: Boost 1.74's any_io_executor holding a strand corrupted
// the strand's reference count under this cross-thread use.)
// This is the only translation unit of maxio_http that includes Boost.Asio/Beast.

#include "daemon/http/server.h"

#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ip/v6_only.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/serializer.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <charconv>
#include <condition_variable>
#include <cstdio>
#include <exception>
#include <future>
#include <mutex>
#include <optional>
#include <random>
#include <set>
#include <thread>
#include <utility>
#include <vector>

#include "shared/util/log.h"
#include "shared/util/strings.h"
#include "shared/util/time.h"

namespace maxio {

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using beast::error_code;

constexpr size_t kReadChunk = 16 * 1024;
constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
constexpr size_t kMaxHeaderLimit = 64 * 1024 - 1;
// How long shutdown waits for force-closed connections to unwind.
constexpr std::chrono::seconds kForcedCloseGrace{5};
// After an error response, how long and how much we keep reading (and discarding) before
// closing, so that the peer reads our response instead of a connection reset.
constexpr auto kLingerTime = std::chrono::seconds(1);
constexpr uint64_t kLingerBytes = 1 << 20;

auto redirect(error_code& ec) { return asio::redirect_error(asio::use_awaitable, ec); }

std::string random_request_id() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  char buf[17];
  std::snprintf(buf, sizeof(buf), "%016llX", static_cast<unsigned long long>(rng()));
  return buf;
}

std::string xml_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '&':
        out += "&amp;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string error_xml(std::string_view code, std::string_view message, std::string_view resource,
                      std::string_view request_id) {
  std::string xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>";
  xml += code;
  xml += "</Code><Message>";
  xml += xml_escape(message);
  xml += "</Message><Resource>";
  xml += xml_escape(resource);
  xml += "</Resource><RequestId>";
  xml += request_id;
  xml += "</RequestId></Error>";
  return xml;
}

std::string endpoint_string(const tcp::endpoint& endpoint) {
  asio::ip::address address = endpoint.address();
  if (address.is_v6() && address.to_v6().is_v4_mapped()) {
    address = asio::ip::make_address_v4(asio::ip::v4_mapped, address.to_v6());
  }
  std::string host = address.to_string();
  if (address.is_v6()) host = "[" + host + "]";
  return host + ":" + std::to_string(endpoint.port());
}

struct HostPort {
  std::string host;  // "" for every interface
  uint16_t port = 0;
};

Result<HostPort> parse_address(std::string_view address) {
  HostPort out;
  std::string_view port;
  if (!address.empty() && address.front() == '[') {
    size_t close = address.find(']');
    if (close == std::string_view::npos || close + 1 >= address.size() ||
        address[close + 1] != ':') {
      return Status(ErrorCode::kInvalidArgument, "malformed address: " + std::string(address));
    }
    out.host = std::string(address.substr(1, close - 1));
    port = address.substr(close + 2);
  } else {
    size_t colon = address.rfind(':');
    if (colon == std::string_view::npos ||
        address.substr(0, colon).find(':') != std::string::npos) {
      return Status(ErrorCode::kInvalidArgument,
                    "malformed address (want host:port or :port): " + std::string(address));
    }
    out.host = std::string(address.substr(0, colon));
    port = address.substr(colon + 1);
  }
  unsigned value = 0;
  auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (port.empty() || ec != std::errc() || end != port.data() + port.size() || value > 65535) {
    return Status(ErrorCode::kInvalidArgument, "invalid port in address: " + std::string(address));
  }
  out.port = static_cast<uint16_t>(value);
  return out;
}

// Runs `function` on `pool` and resumes the calling coroutine on its own executor when it
// returned. The executor's outstanding work is tracked so the io_context keeps running.
template <typename Function>
asio::awaitable<void> run_on_pool(asio::thread_pool& pool, Function function) {
  auto executor = co_await asio::this_coro::executor;
  asio::use_awaitable_t<> token;
  co_await asio::async_initiate<asio::use_awaitable_t<>, void()>(
      [&pool, executor, &function](auto handler) {
        auto work = asio::prefer(executor, asio::execution::outstanding_work.tracked);
        asio::post(pool, [&function, work, handler = std::move(handler)]() mutable {
          function();
          asio::post(work, std::move(handler));
        });
      },
      token);
}

Status status_from_read_error(const error_code& ec) {
  if (ec == http::error::partial_message || ec == http::error::end_of_stream ||
      ec == asio::error::eof || ec == asio::error::connection_reset) {
    return Status(ErrorCode::kIncompleteBody,
                  "the client closed the connection before the end of the body");
  }
  if (ec == beast::error::timeout) {
    return Status(ErrorCode::kRequestTimeout, "timed out reading the request body");
  }
  if (ec == http::error::body_limit) {
    return Status(ErrorCode::kEntityTooLarge, "the request body is too large");
  }
  if (ec.category() == make_error_code(http::error::bad_chunk).category()) {
    // Beast's parse errors (bad chunk sizes, extensions, trailer fields): the client's
    // framing is wrong, which is a 400, not a server fault.
    return Status(ErrorCode::kInvalidRequest, "malformed request body: " + ec.message());
  }
  return Status(ErrorCode::kIo, "reading the request body: " + ec.message());
}

}  // namespace

class Connection;

class HttpServer::Impl {
 public:
  Impl(HttpServerOptions options, HttpHandler handler)
      : options_(std::move(options)),
        handler_(std::move(handler)),
        contexts_(make_contexts(options_.io_threads)),
        acceptor_(*contexts_[0]),
        workers_(static_cast<size_t>(options_.worker_threads)) {
    for (auto& context : contexts_) work_.push_back(asio::make_work_guard(*context));
  }

  static std::vector<std::unique_ptr<asio::io_context>> make_contexts(int count) {
    std::vector<std::unique_ptr<asio::io_context>> contexts;
    for (int i = 0; i < count; ++i) contexts.push_back(std::make_unique<asio::io_context>(1));
    return contexts;
  }

  Status listen();
  void start_threads();
  void shutdown(std::chrono::milliseconds drain);
  void wait();
  void remove(Connection* connection);

  asio::awaitable<void> accept_loop();
  std::vector<std::shared_ptr<Connection>> snapshot();

  HttpServerOptions options_;
  HttpHandler handler_;
  std::vector<std::unique_ptr<asio::io_context>> contexts_;  // one per I/O thread
  std::vector<asio::executor_work_guard<asio::io_context::executor_type>> work_;
  size_t next_context_ = 0;  // round-robin; used by the accept loop only
  tcp::acceptor acceptor_;   // on contexts_[0]
  asio::thread_pool workers_;
  std::vector<std::thread> io_threads_;
  uint16_t port_ = 0;
  std::atomic<bool> stopping_{false};

  std::mutex mu_;
  std::condition_variable cv_;
  std::set<std::shared_ptr<Connection>> connections_;  // guarded by mu_
  bool shutdown_started_ = false;                      // guarded by mu_
  bool shutdown_done_ = false;                         // guarded by mu_
};

namespace {

using Completion = std::function<void(error_code, size_t)>;

}  // namespace

// One client connection. Its members are touched only on its io_context's thread, except
// while a handler runs: then the worker owns the exchange objects and reaches the stream
// only by posting to that thread (see blocking()).
class Connection : public std::enable_shared_from_this<Connection> {
 public:
  using Parser = http::request_parser<http::buffer_body>;

  Connection(HttpServer::Impl& server, tcp::socket socket)
      : server_(server), executor_(socket.get_executor()), stream_(std::move(socket)) {
    error_code ec;
    auto endpoint = stream_.socket().remote_endpoint(ec);
    if (!ec) remote_ = endpoint_string(endpoint);
  }

  const asio::any_io_executor& executor() const { return executor_; }

  static asio::awaitable<void> run(std::shared_ptr<Connection> self) {
    try {
      co_await self->serve();
    } catch (const std::exception& e) {
      log_error(std::string("http connection: ") + e.what());
    }
    self->stream_.close();
    self->server_.remove(self.get());
  }

  // On the connection's thread: closes the connection if it waits for a request or is
  // still receiving one's header (nothing has been started for it yet).
  void close_if_idle() {
    if (idle_ || reading_header_) stream_.close();
  }
  // On the connection's thread: closes the socket; pending operations fail.
  void force_close() { stream_.close(); }

  // From a worker: starts an operation on the connection's thread and blocks until it
  // completes.
  std::pair<error_code, size_t> blocking(const std::function<void(Completion)>& start) {
    auto promise = std::make_shared<std::promise<std::pair<error_code, size_t>>>();
    auto future = promise->get_future();
    asio::post(executor(), [&start, promise] {
      start([promise](error_code ec, size_t n) { promise->set_value({ec, n}); });
    });
    return future.get();
  }

  // Whether the response to the current request may keep the connection open.
  bool keep_alive_allowed(const Parser& parser, bool continue_pending, bool close_requested) const {
    if (!parser.get().keep_alive() || close_requested || server_.stopping_) return false;
    if (!parser.is_done()) {
      if (continue_pending) return false;  // the client may or may not send the body
      auto remaining = parser.content_length_remaining();
      if (remaining && *remaining > server_.options_.max_drain_bytes) return false;
    }
    return true;
  }

  HttpServer::Impl& server_;
  const asio::any_io_executor executor_;
  std::string remote_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  bool idle_ = false;
  bool reading_header_ = false;

 private:
  asio::awaitable<void> serve();
  asio::awaitable<bool> serve_one();
  asio::awaitable<bool> send_error(unsigned version, int status, std::string_view code,
                                   std::string_view message, std::string_view resource,
                                   bool keep_alive);
  asio::awaitable<bool> drain(Parser& parser);
  asio::awaitable<void> linger();
};

namespace {

// The request body as the handler reads it (on a worker thread).
class BodyReader final : public Reader {
 public:
  BodyReader(Connection& connection, Connection::Parser& parser, bool expect_continue)
      : connection_(connection), parser_(parser), expect_continue_(expect_continue) {}

  Result<size_t> read(char* buffer, size_t size) override {
    if (!error_.is_ok()) return error_;
    if (size == 0) return size_t{0};
    while (!parser_.is_done()) {
      auto [ec, n] = connection_.blocking([&](Completion done) {
        if (expect_continue_ && !continue_sent_) {
          continue_sent_ = true;
          connection_.stream_.expires_after(connection_.server_.options_.io_timeout);
          asio::async_write(connection_.stream_, asio::buffer(kContinue.data(), kContinue.size()),
                            [this, done, buffer, size](error_code ec, size_t) {
                              if (ec) return done(ec, 0);
                              start_read(buffer, size, done);
                            });
          return;
        }
        start_read(buffer, size, done);
      });
      if (ec) {
        error_ = status_from_read_error(ec);
        broken_ = true;
        return error_;
      }
      if (n > 0) return n;
    }
    return size_t{0};
  }

  bool broken() const { return broken_; }
  bool continue_pending() const { return expect_continue_ && !continue_sent_; }

 private:
  void start_read(char* buffer, size_t size, Completion done) {
    auto& body = parser_.get().body();
    body.data = buffer;
    body.size = size;
    body.more = true;
    connection_.stream_.expires_after(connection_.server_.options_.io_timeout);
    http::async_read_some(connection_.stream_, connection_.buffer_, parser_,
                          [this, size, done](error_code ec, size_t) {
                            size_t got = size - parser_.get().body().size;
                            if (ec == http::error::need_buffer) ec = {};
                            done(ec, got);
                          });
  }

  Connection& connection_;
  Connection::Parser& parser_;
  bool expect_continue_;
  bool continue_sent_ = false;
  bool broken_ = false;
  Status error_;
};

// The response as the handler writes it (on a worker thread).
class ResponseWriter final : public HttpResponseWriter {
 public:
  using HttpResponseWriter::write;

  ResponseWriter(Connection& connection, Connection::Parser& parser, const BodyReader& body,
                 bool head)
      : connection_(connection), parser_(parser), body_(body), head_(head) {}

  Status send_headers(int status, const HttpHeaders& headers,
                      std::optional<uint64_t> content_length) override {
    if (headers_sent_) return Status(ErrorCode::kInternal, "response headers sent twice");
    if (status < 200 || status > 999) {
      return Status(ErrorCode::kInternal, "invalid response status " + std::to_string(status));
    }
    response_.result(static_cast<unsigned>(status));
    response_.version(parser_.get().version());
    for (const auto& [name, value] : headers.fields()) {
      if (iequals(name, "Content-Length") || iequals(name, "Transfer-Encoding") ||
          iequals(name, "Connection")) {
        continue;
      }
      response_.insert(name, value);
    }
    response_.set(http::field::server, "Maxio");
    response_.set(http::field::date, format_rfc1123(std::chrono::system_clock::now()));
    no_body_ = head_ || status == 204 || status == 304;
    keep_alive_ =
        connection_.keep_alive_allowed(parser_, body_.continue_pending(), close_requested_);
    if (content_length) {
      response_.content_length(*content_length);
      length_ = *content_length;
    } else if (!no_body_) {
      if (response_.version() >= 11) {
        response_.chunked(true);
      } else {
        keep_alive_ = false;  // HTTP/1.0: the body ends when the connection closes
      }
    }
    response_.keep_alive(keep_alive_);
    serializer_.emplace(response_);
    headers_sent_ = true;
    auto [ec, n] = connection_.blocking([&](Completion done) {
      connection_.stream_.expires_after(connection_.server_.options_.io_timeout);
      http::async_write_header(connection_.stream_, *serializer_, std::move(done));
    });
    if (ec) return fail("writing the response header: " + ec.message());
    return Status::ok();
  }

  Status write(const char* data, size_t size) override {
    if (!headers_sent_ || finished_) {
      return Status(ErrorCode::kInternal, "response body written outside send_headers/finish");
    }
    if (broken_) return Status(ErrorCode::kIo, "the connection failed");
    if (size == 0 || no_body_) return Status::ok();
    if (length_ && written_ + size > *length_) {
      broken_ = true;
      return Status(ErrorCode::kInternal, "response body longer than its Content-Length");
    }
    written_ += size;
    return write_body(const_cast<char*>(data), size, true);
  }

  Status finish() override {
    if (!headers_sent_) return Status(ErrorCode::kInternal, "finish() before send_headers()");
    if (finished_) return broken_ ? Status(ErrorCode::kIo, "the connection failed") : Status::ok();
    finished_ = true;
    if (broken_) return Status(ErrorCode::kIo, "the connection failed");
    if (length_ && !no_body_ && written_ != *length_) {
      broken_ = true;
      return Status(ErrorCode::kInternal, "response body shorter than its Content-Length");
    }
    if (no_body_ && !response_.chunked()) {
      complete_ = true;
      return Status::ok();
    }
    Status status = write_body(nullptr, 0, false);
    complete_ = status.is_ok();
    return status;
  }

  bool headers_sent() const override { return headers_sent_; }
  void close_after_response() override { close_requested_ = true; }

  bool complete() const { return complete_ && !broken_; }
  bool keep_alive() const { return keep_alive_ && !close_requested_; }
  bool close_requested() const { return close_requested_; }

 private:
  Status write_body(char* data, size_t size, bool more) {
    auto& body = response_.body();
    body.data = data;
    body.size = size;
    body.more = more;
    auto [ec, n] = connection_.blocking([&](Completion done) {
      connection_.stream_.expires_after(connection_.server_.options_.io_timeout);
      http::async_write(connection_.stream_, *serializer_, [done](error_code ec, size_t n) {
        if (ec == http::error::need_buffer) ec = {};
        done(ec, n);
      });
    });
    if (ec) return fail("writing the response body: " + ec.message());
    return Status::ok();
  }

  Status fail(std::string message) {
    broken_ = true;
    return Status(ErrorCode::kIo, std::move(message));
  }

  Connection& connection_;
  Connection::Parser& parser_;
  const BodyReader& body_;
  bool head_;
  http::response<http::buffer_body> response_;
  std::optional<http::response_serializer<http::buffer_body>> serializer_;
  bool headers_sent_ = false;
  bool finished_ = false;
  bool complete_ = false;
  bool broken_ = false;
  bool no_body_ = false;
  bool keep_alive_ = false;
  bool close_requested_ = false;
  std::optional<uint64_t> length_;
  uint64_t written_ = 0;
};

}  // namespace

asio::awaitable<void> Connection::serve() {
  const HttpServerOptions& options = server_.options_;
  for (bool first = true;; first = false) {
    if (server_.stopping_) co_return;
    if (buffer_.size() == 0) {
      // Wait for the first byte of the next request; shutdown closes us here.
      error_code ec;
      idle_ = true;
      stream_.expires_after(first ? options.header_timeout : options.idle_timeout);
      size_t n = co_await stream_.async_read_some(buffer_.prepare(kReadChunk), redirect(ec));
      idle_ = false;
      if (ec) co_return;
      buffer_.commit(n);
    }
    if (!co_await serve_one()) co_return;
  }
}

asio::awaitable<bool> Connection::serve_one() {
  const HttpServerOptions& options = server_.options_;
  error_code ec;
  Parser parser;
  // Beast stores header values with 16-bit lengths and throws (from inside the read, out of
  // the io thread) on a longer one: a limit below that turns it into a clean 400.
  parser.header_limit(
      static_cast<std::uint32_t>(std::min<size_t>(options.max_header_bytes, kMaxHeaderLimit)));
  // Unlimited (bodies are streamed). Not boost::none: Beast 1.74 compares Content-Length
  // against the optional and rejects every body when it is empty.
  parser.body_limit(std::numeric_limits<std::uint64_t>::max());
  stream_.expires_after(options.header_timeout);
  reading_header_ = true;
  co_await http::async_read_header(stream_, buffer_, parser, redirect(ec));
  reading_header_ = false;
  if (ec) {
    if (ec == http::error::header_limit) {
      co_await send_error(11, 400, "RequestHeaderSectionTooLarge",
                          "Your request header section exceeds the maximum allowed size.", "",
                          false);
      co_await linger();
    } else if (ec == http::error::end_of_stream || ec == http::error::partial_message ||
               ec == asio::error::eof || ec == beast::error::timeout ||
               ec == asio::error::operation_aborted || ec == asio::error::connection_reset ||
               ec == asio::error::bad_descriptor) {
      // The peer went away, was too slow, or shutdown closed us: nothing to answer.
    } else {
      log_debug("http: bad request from " + remote_ + ": " + ec.message());
      co_await send_error(11, 400, "BadRequest", "An error occurred when parsing the HTTP request.",
                          "", false);
      co_await linger();
    }
    co_return false;
  }

  const auto& message = parser.get();
  HttpRequest request;
  request.method = std::string(message.method_string());
  request.target = std::string(message.target());
  size_t question = request.target.find('?');
  request.path = request.target.substr(0, question);
  if (question != std::string::npos) request.raw_query = request.target.substr(question + 1);
  for (const auto& field : message) {
    request.headers.add(std::string(field.name_string()), std::string(field.value()));
  }
  request.chunked = parser.chunked();
  if (!request.chunked) {
    if (auto length = parser.content_length()) request.content_length = *length;
  }
  request.remote_address = remote_;

  if (request.target.empty() || request.target.front() != '/') {
    co_await send_error(message.version(), 400, "BadRequest",
                        "The request target must start with '/'.", request.target, false);
    co_await linger();
    co_return false;
  }

  const bool expects_continue =
      message.version() >= 11 && iequals(request.headers.value_or_empty("Expect"), "100-continue");
  if (expects_continue && parser.is_done()) {
    // No body to wait for, so answer the interim 100 at once: botocore sends
    // "Expect: 100-continue" with empty PUTs and, when no 100 comes, misreads the next
    // response on that pooled connection (it stalls until its read timeout).
    stream_.expires_after(options.io_timeout);
    co_await asio::async_write(stream_, asio::buffer(kContinue.data(), kContinue.size()),
                               redirect(ec));
    if (ec) co_return false;
  }
  bool expect_continue = expects_continue && !parser.is_done();
  BodyReader body(*this, parser, expect_continue);
  ResponseWriter response(*this, parser, body, message.method() == http::verb::head);
  HttpExchange exchange{request, body, response};
  co_await run_on_pool(server_.workers_, [&] {
    try {
      server_.handler_(exchange);
    } catch (const std::exception& e) {
      log_error("http handler threw: " + std::string(e.what()));
    } catch (...) {
      log_error("http handler threw a non-exception");
    }
  });

  if (body.broken()) co_return false;
  bool keep_alive;
  if (!response.headers_sent()) {
    keep_alive = keep_alive_allowed(parser, body.continue_pending(), response.close_requested());
    if (!co_await send_error(message.version(), 500, "InternalError",
                             "We encountered an internal error, please try again.", request.path,
                             keep_alive)) {
      co_return false;
    }
  } else {
    if (!response.complete()) co_return false;
    keep_alive = response.keep_alive();
  }
  if (!keep_alive) {
    if (!parser.is_done()) co_await linger();
    co_return false;
  }
  if (!parser.is_done()) {
    if (body.continue_pending()) co_return false;
    if (!co_await drain(parser)) co_return false;
  }
  co_return true;
}

asio::awaitable<bool> Connection::send_error(unsigned version, int status, std::string_view code,
                                             std::string_view message, std::string_view resource,
                                             bool keep_alive) {
  http::response<http::string_body> response;
  response.version(version);
  response.result(static_cast<unsigned>(status));
  response.set(http::field::server, "Maxio");
  response.set(http::field::date, format_rfc1123(std::chrono::system_clock::now()));
  response.set(http::field::content_type, "application/xml");
  std::string request_id = random_request_id();
  response.set("x-amz-request-id", request_id);
  response.body() = error_xml(code, message, resource, request_id);
  response.prepare_payload();
  response.keep_alive(keep_alive);
  error_code ec;
  stream_.expires_after(server_.options_.io_timeout);
  co_await http::async_write(stream_, response, redirect(ec));
  co_return !ec;
}

asio::awaitable<bool> Connection::drain(Parser& parser) {
  std::vector<char> scratch(kReadChunk);
  uint64_t total = 0;
  while (!parser.is_done()) {
    auto& body = parser.get().body();
    body.data = scratch.data();
    body.size = scratch.size();
    body.more = true;
    error_code ec;
    stream_.expires_after(server_.options_.io_timeout);
    co_await http::async_read_some(stream_, buffer_, parser, redirect(ec));
    if (ec == http::error::need_buffer) ec = {};
    if (ec) co_return false;
    total += scratch.size() - body.size;
    if (total > server_.options_.max_drain_bytes) co_return false;
  }
  co_return true;
}

asio::awaitable<void> Connection::linger() {
  error_code ec;
  stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
  if (ec) co_return;
  std::vector<char> scratch(kReadChunk);
  uint64_t total = 0;
  stream_.expires_after(kLingerTime);
  while (total < kLingerBytes) {
    size_t n = co_await stream_.async_read_some(asio::buffer(scratch), redirect(ec));
    if (ec) break;
    total += n;
  }
}

Status HttpServer::Impl::listen() {
  auto parsed = parse_address(options_.address);
  if (!parsed) return parsed.status();
  std::vector<tcp::endpoint> endpoints;
  if (parsed->host.empty()) {
    endpoints.emplace_back(tcp::v6(), parsed->port);
    endpoints.emplace_back(tcp::v4(), parsed->port);
  } else {
    error_code ec;
    tcp::resolver resolver(*contexts_[0]);
    auto results = resolver.resolve(parsed->host, std::to_string(parsed->port),
                                    tcp::resolver::passive | tcp::resolver::numeric_service, ec);
    if (ec) {
      return Status(ErrorCode::kIo, "cannot resolve " + parsed->host + ": " + ec.message());
    }
    for (const auto& entry : results) endpoints.push_back(entry.endpoint());
  }
  error_code ec;
  for (const auto& endpoint : endpoints) {
    ec = {};
    acceptor_.close(ec);
    ec = {};
    acceptor_.open(endpoint.protocol(), ec);
    if (!ec && endpoint.protocol() == tcp::v6() && parsed->host.empty()) {
      acceptor_.set_option(asio::ip::v6_only(false), ec);
    }
    if (!ec) acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) acceptor_.bind(endpoint, ec);
    if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
    if (!ec) {
      port_ = acceptor_.local_endpoint(ec).port();
      if (!ec) return Status::ok();
    }
  }
  return Status(ErrorCode::kIo, "cannot listen on " + options_.address + ": " +
                                    (ec ? ec.message() : std::string("no address")));
}

asio::awaitable<void> HttpServer::Impl::accept_loop() {
  for (;;) {
    error_code ec;
    tcp::socket socket(*contexts_[next_context_++ % contexts_.size()]);
    co_await acceptor_.async_accept(socket, redirect(ec));
    if (stopping_ || ec == asio::error::operation_aborted || !acceptor_.is_open()) co_return;
    if (ec) {
      // Out of descriptors or a connection reset before accept: back off briefly.
      asio::steady_timer timer(co_await asio::this_coro::executor, std::chrono::milliseconds(50));
      co_await timer.async_wait(redirect(ec));
      continue;
    }
    socket.set_option(tcp::no_delay(true), ec);
    auto connection = std::make_shared<Connection>(*this, std::move(socket));
    {
      std::lock_guard lock(mu_);
      connections_.insert(connection);
    }
    asio::co_spawn(connection->executor(), Connection::run(connection), asio::detached);
  }
}

void HttpServer::Impl::start_threads() {
  asio::co_spawn(acceptor_.get_executor(), accept_loop(), asio::detached);
  for (auto& context : contexts_) {
    io_threads_.emplace_back([context = context.get()] {
      for (;;) {
        try {
          context->run();
          return;
        } catch (const std::exception& e) {
          log_error(std::string("http io thread: ") + e.what());
        }
      }
    });
  }
}

void HttpServer::Impl::remove(Connection* connection) {
  std::lock_guard lock(mu_);
  for (auto it = connections_.begin(); it != connections_.end(); ++it) {
    if (it->get() == connection) {
      connections_.erase(it);
      break;
    }
  }
  cv_.notify_all();
}

std::vector<std::shared_ptr<Connection>> HttpServer::Impl::snapshot() {
  std::lock_guard lock(mu_);
  return {connections_.begin(), connections_.end()};
}

void HttpServer::Impl::shutdown(std::chrono::milliseconds drain) {
  {
    std::unique_lock lock(mu_);
    if (shutdown_started_) {
      cv_.wait(lock, [&] { return shutdown_done_; });
      return;
    }
    shutdown_started_ = true;
  }
  stopping_ = true;
  asio::post(acceptor_.get_executor(), [this] {
    error_code ec;
    acceptor_.close(ec);
  });
  for (auto& connection : snapshot()) {
    asio::post(connection->executor(), [connection] { connection->close_if_idle(); });
  }
  {
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, drain, [&] { return connections_.empty(); });
  }
  for (auto& connection : snapshot()) {
    asio::post(connection->executor(), [connection] { connection->force_close(); });
  }
  {
    // Handlers blocked on the socket fail now; ones in storage I/O finish on their own,
    // within a bound: a connection stuck beyond it must not keep the process alive.
    std::unique_lock lock(mu_);
    if (!cv_.wait_for(lock, kForcedCloseGrace, [&] { return connections_.empty(); })) {
      log_error("http: " + std::to_string(connections_.size()) +
                " connection(s) did not close; stopping anyway");
      for (auto& context : contexts_) context->stop();
    }
  }
  for (auto& work : work_) work.reset();
  for (auto& thread : io_threads_) thread.join();
  workers_.join();
  {
    std::lock_guard lock(mu_);
    shutdown_done_ = true;
  }
  cv_.notify_all();
}

void HttpServer::Impl::wait() {
  std::unique_lock lock(mu_);
  cv_.wait(lock, [&] { return shutdown_done_; });
}

HttpServer::HttpServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

HttpServer::~HttpServer() { impl_->shutdown(std::chrono::milliseconds(0)); }

Result<std::unique_ptr<HttpServer>> HttpServer::start(HttpServerOptions options,
                                                      HttpHandler handler) {
  int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  if (options.io_threads <= 0) options.io_threads = cores;
  if (options.worker_threads <= 0) options.worker_threads = 4 * cores;
  if (!handler) return Status(ErrorCode::kInvalidArgument, "no HTTP handler");
  auto impl = std::make_unique<Impl>(std::move(options), std::move(handler));
  if (Status status = impl->listen(); !status) {
    impl->workers_.join();
    return status;
  }
  impl->start_threads();
  return std::unique_ptr<HttpServer>(new HttpServer(std::move(impl)));
}

uint16_t HttpServer::port() const { return impl_->port_; }

void HttpServer::shutdown(std::chrono::milliseconds drain) { impl_->shutdown(drain); }

void HttpServer::wait() { impl_->wait(); }

}  // namespace maxio
