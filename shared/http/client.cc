// HttpClient: each pooled Connection owns a private io_context and a Beast stream (plain or
// TLS). Every socket operation is started asynchronously with a deadline on the stream and
// the calling thread runs that io_context until the operation completes: blocking calls
// with real timeouts (Beast's purely synchronous calls cannot time out). A connection is
// driven by one thread at a time, handed between threads through the pool's mutex.
// This is the only translation unit of maxio_http_client that includes Boost.Asio/Beast.

#include "shared/http/client.h"

#include <poll.h>

#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <algorithm>
#include <array>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <charconv>
#include <condition_variable>
#include <limits>
#include <mutex>
#include <vector>

#include "shared/util/strings.h"

namespace maxio::http {

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using beast::error_code;
using Clock = std::chrono::steady_clock;
using Parser = bhttp::response_parser<bhttp::buffer_body>;

// Bytes moved per socket write and per body read from a request Reader.
constexpr size_t kIoChunk = 64 * 1024;
// Limit of a response's status line plus header fields.
constexpr uint32_t kHeaderLimit = 64 * 1024;
// A response dropped with at most this many body bytes unread is drained to keep its
// connection; with more, the connection is closed.
constexpr uint64_t kMaxDrainBytes = 64 * 1024;

bool is_token_char(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool is_token(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), is_token_char);
}

bool is_field_value(std::string_view s) {
  return s.find_first_of(std::string_view("\r\n\0", 3)) == std::string_view::npos;
}

bool is_target(std::string_view s) {
  if (s.empty() || s.front() != '/') return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    auto u = static_cast<unsigned char>(c);
    return u > 0x20 && u < 0x7f;
  });
}

// An error that means the peer closed (or reset) the connection.
bool is_closed_error(const error_code& ec) {
  return ec == asio::error::eof || ec == asio::error::connection_reset ||
         ec == asio::error::broken_pipe || ec == asio::error::connection_aborted ||
         ec == bhttp::error::end_of_stream || ec == ssl::error::stream_truncated;
}

std::unique_ptr<Parser> new_parser(bool head_request) {
  auto parser = std::make_unique<Parser>();
  parser->header_limit(kHeaderLimit);
  // Not boost::none: Boost 1.74 compares lengths against the optional itself, so "no limit"
  // rejects every body.
  parser->body_limit(std::numeric_limits<uint64_t>::max());
  if (head_request) parser->skip(true);
  return parser;
}

Status status_for(const std::string& host_port, std::string_view step, const error_code& ec) {
  ErrorCode code = ec == beast::error::timeout ? ErrorCode::kTimeout : ErrorCode::kIo;
  std::string what = ec == beast::error::timeout ? std::string("timed out") : ec.message();
  return Status(code, host_port + ": " + std::string(step) + " failed: " + what);
}

}  // namespace

// ---- Headers and endpoints ----

void Headers::set(std::string_view name, std::string value) {
  remove(name);
  fields_.emplace_back(std::string(name), std::move(value));
}

void Headers::remove(std::string_view name) {
  std::erase_if(fields_, [&](const Field& field) { return iequals(field.first, name); });
}

std::optional<std::string_view> Headers::get(std::string_view name) const {
  for (const auto& [field_name, value] : fields_) {
    if (iequals(field_name, name)) return std::string_view(value);
  }
  return std::nullopt;
}

std::string_view Headers::value_or_empty(std::string_view name) const {
  return get(name).value_or(std::string_view());
}

Result<Endpoint> parse_endpoint(std::string_view url) {
  auto invalid = [&](std::string_view why) {
    return Status(ErrorCode::kInvalidArgument,
                  "invalid endpoint \"" + std::string(url) + "\": " + std::string(why));
  };
  Endpoint endpoint;
  std::string_view rest;
  std::string lower = to_lower(url.substr(0, std::min<size_t>(url.size(), 8)));
  if (lower.starts_with("http://")) {
    rest = url.substr(7);
  } else if (lower.starts_with("https://")) {
    endpoint.tls = true;
    rest = url.substr(8);
  } else {
    return invalid("want http://host[:port] or https://host[:port]");
  }
  if (rest.ends_with('/')) rest.remove_suffix(1);
  if (rest.find_first_of("/?#@") != std::string_view::npos) {
    return invalid("a path, query or user info is not supported");
  }
  std::string_view port;
  if (!rest.empty() && rest.front() == '[') {
    size_t close = rest.find(']');
    if (close == std::string_view::npos) return invalid("unterminated [IPv6] host");
    endpoint.host = std::string(rest.substr(1, close - 1));
    std::string_view after = rest.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return invalid("junk after the [IPv6] host");
      port = after.substr(1);
      if (port.empty()) return invalid("empty port");
    }
  } else {
    size_t colon = rest.find(':');
    endpoint.host = std::string(rest.substr(0, colon));
    if (colon != std::string_view::npos) {
      port = rest.substr(colon + 1);
      if (port.empty()) return invalid("empty port");
    }
  }
  if (endpoint.host.empty()) return invalid("no host");
  if (!port.empty()) {
    unsigned value = 0;
    auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (ec != std::errc() || end != port.data() + port.size() || value == 0 || value > 65535) {
      return invalid("bad port");
    }
    endpoint.port = static_cast<uint16_t>(value);
  } else {
    endpoint.port = endpoint.tls ? 443 : 80;
  }
  endpoint.authority = std::string(rest);
  return endpoint;
}

// ---- Connections ----

namespace {

class Connection {
 public:
  static constexpr size_t kReadBufferSize = 64 * 1024;

  Connection(const std::string& host_port, const ClientOptions& options, ssl::context* tls)
      : host_port_(host_port), options_(options) {
    // Beast reads at most the buffer's free capacity per socket read (512 bytes when it is
    // smaller): without room reserved, a body streamed through buffer_body arrived in
    // reads of about 1 KiB, a system call (and a timer update) per KiB.
    buffer_.reserve(kReadBufferSize);
    if (tls != nullptr) {
      tls_.emplace(ioc_, *tls);
    } else {
      plain_.emplace(ioc_);
    }
  }

  beast::tcp_stream& lowest() { return tls_ ? beast::get_lowest_layer(*tls_) : *plain_; }

  // Calls `f` with the stream requests and responses go through.
  template <typename F>
  void with_stream(F&& f) {
    if (tls_) {
      f(*tls_);
    } else {
      f(*plain_);
    }
  }

  // Starts the operation `initiate` (given a completion handler) with a deadline of
  // `timeout` and runs the io_context until it completed.
  template <typename Initiate>
  error_code run(std::chrono::milliseconds timeout, Initiate&& initiate) {
    error_code result;
    bool done = false;
    lowest().expires_after(timeout);
    initiate([&](error_code ec, auto&&...) {
      result = ec;
      done = true;
    });
    ioc_.restart();
    while (!done && ioc_.run_one() > 0) {
    }
    return done ? result : error_code(asio::error::operation_aborted);
  }

  Status connect(const Endpoint& endpoint) {
    error_code ec;
    tcp::resolver resolver(ioc_);
    auto results = resolver.resolve(endpoint.host, std::to_string(endpoint.port), ec);
    if (ec) return status_for(host_port_, "resolving the host", ec);
    ec = run(options_.connect_timeout,
             [&](auto handler) { lowest().async_connect(results, std::move(handler)); });
    if (ec) return status_for(host_port_, "connect", ec);
    lowest().socket().set_option(tcp::no_delay(true), ec);
    if (!tls_) return Status::ok();

    error_code address_ec;
    asio::ip::make_address(endpoint.host, address_ec);
    bool is_name = static_cast<bool>(address_ec);
    if (is_name && !SSL_set_tlsext_host_name(tls_->native_handle(), endpoint.host.c_str())) {
      return Status(ErrorCode::kIo, host_port_ + ": setting TLS server name failed");
    }
    if (options_.verify_tls) {
      tls_->set_verify_mode(ssl::verify_peer);
      tls_->set_verify_callback(ssl::host_name_verification(endpoint.host));
    } else {
      tls_->set_verify_mode(ssl::verify_none);
    }
    ec = run(options_.connect_timeout, [&](auto handler) {
      tls_->async_handshake(ssl::stream_base::client, std::move(handler));
    });
    if (ec) {
      std::string what = ec == beast::error::timeout ? "timed out" : ec.message();
      long verify = SSL_get_verify_result(tls_->native_handle());
      if (verify != X509_V_OK) {
        what += std::string(" (certificate: ") + X509_verify_cert_error_string(verify) + ")";
      }
      return Status(ec == beast::error::timeout ? ErrorCode::kTimeout : ErrorCode::kIo,
                    host_port_ + ": TLS handshake failed: " + what);
    }
    return Status::ok();
  }

  // Writes `first` then `second` (one deadline per buffer; callers keep them small).
  // Empty buffers are dropped and TLS gets one buffer per write: Beast 1.74's ssl_stream
  // can complete a gathered write early, reporting success (an empty first buffer, or the
  // end of the first of two, reads as the end of the write).
  error_code write(asio::const_buffer first, asio::const_buffer second = {}) {
    if (first.size() == 0) std::swap(first, second);
    if (second.size() > 0 && tls_) {
      error_code ec = write(first);
      return ec ? ec : write(second);
    }
    size_t want = first.size() + second.size();
    size_t wrote = 0;
    error_code ec = run(options_.io_timeout, [&](auto handler) {
      auto count = [&wrote, handler = std::move(handler)](error_code ec, size_t n) mutable {
        wrote = n;
        handler(ec, n);
      };
      with_stream([&](auto& stream) {
        if (second.size() == 0) {
          asio::async_write(stream, first, std::move(count));
        } else {
          asio::async_write(stream, std::array{first, second}, std::move(count));
        }
      });
    });
    // Never report a short write as a success: the request would go out truncated.
    if (!ec && wrote != want) ec = make_error_code(boost::system::errc::io_error);
    return ec;
  }

  error_code read_header(Parser& parser) {
    return run(options_.io_timeout, [&](auto handler) {
      with_stream([&](auto& stream) {
        bhttp::async_read_header(stream, buffer_, parser, std::move(handler));
      });
    });
  }

  // Reads body bytes into parser's buffer_body; need_buffer is not an error.
  error_code read_body_some(Parser& parser) {
    error_code ec = run(options_.io_timeout, [&](auto handler) {
      with_stream([&](auto& stream) {
        bhttp::async_read_some(stream, buffer_, parser, std::move(handler));
      });
    });
    return ec == bhttp::error::need_buffer ? error_code() : ec;
  }

  // Waits up to continue_timeout for a response header (100 Continue or a final answer to
  // Expect: 100-continue). True when it arrived (in `parser`); false when the wait ended
  // with nothing received, so the body should be sent anyway.
  std::pair<error_code, bool> await_interim(Parser& parser) {
    bool read_done = false;
    bool timer_done = false;
    bool gave_up = false;
    error_code read_ec;
    asio::steady_timer timer(ioc_);
    timer.expires_after(options_.continue_timeout);
    timer.async_wait([&](error_code ec) {
      timer_done = true;
      if (!ec && !read_done) {
        gave_up = true;
        lowest().cancel();
      }
    });
    lowest().expires_after(options_.io_timeout);
    with_stream([&](auto& stream) {
      bhttp::async_read_header(stream, buffer_, parser, [&](error_code ec, size_t) {
        read_ec = ec;
        read_done = true;
        timer.cancel();
      });
    });
    ioc_.restart();
    while ((!read_done || !timer_done) && ioc_.run_one() > 0) {
    }
    if (gave_up && read_ec == asio::error::operation_aborted) {
      if (!parser.got_some()) return {error_code(), false};
      read_ec = read_header(parser);  // part of a header came: it is an answer after all
    }
    return {read_ec, !read_ec};
  }

  // A pooled connection the server has closed (or that has unexpected bytes) is readable.
  bool looks_closed() {
    pollfd p{lowest().socket().native_handle(), POLLIN, 0};
    return ::poll(&p, 1, 0) != 0 || buffer_.size() != 0;
  }

  std::vector<char>& scratch() {
    if (scratch_.empty()) scratch_.resize(kIoChunk);
    return scratch_;
  }

  const std::string& host_port() const { return host_port_; }
  const ClientOptions& options() const { return options_; }

  bool reused = false;  // served a request before
  Clock::time_point idle_since;

 private:
  const std::string& host_port_;
  const ClientOptions& options_;
  asio::io_context ioc_{1};
  std::optional<beast::tcp_stream> plain_;  // after ioc_: destroyed before it
  std::optional<beast::ssl_stream<beast::tcp_stream>> tls_;
  beast::flat_buffer buffer_;
  std::vector<char> scratch_;
};

}  // namespace

// ---- The pool ----

class HttpClient::Impl : public std::enable_shared_from_this<HttpClient::Impl> {
 public:
  Impl(Endpoint endpoint, ClientOptions options)
      : endpoint_(std::move(endpoint)), options_(std::move(options)) {
    host_port_ =
        endpoint_.host.find(':') != std::string::npos ? "[" + endpoint_.host + "]" : endpoint_.host;
    host_port_ += ":" + std::to_string(endpoint_.port);
  }

  Status init_tls() {
    if (!endpoint_.tls) return Status::ok();
    tls_.emplace(ssl::context::tls_client);
    error_code ec;
    if (!options_.verify_tls) return Status::ok();
    if (options_.ca_file.empty()) {
      tls_->set_default_verify_paths(ec);
    } else {
      tls_->load_verify_file(options_.ca_file, ec);
    }
    if (ec) {
      return Status(ErrorCode::kIo, "loading the TLS trust store " +
                                        (options_.ca_file.empty() ? std::string("(system default)")
                                                                  : options_.ca_file) +
                                        " failed: " + ec.message());
    }
    return Status::ok();
  }

  // A connection for one exchange: an idle one when `fresh` is false and one is usable,
  // else a new one, within max_connections.
  Result<std::unique_ptr<Connection>> acquire(bool fresh) {
    auto deadline = Clock::now() + options_.connect_timeout;
    std::unique_lock lock(mu_);
    for (;;) {
      std::unique_ptr<Connection> candidate;
      while (!fresh && !idle_.empty()) {
        candidate = std::move(idle_.back());
        idle_.pop_back();
        if (Clock::now() - candidate->idle_since <= options_.max_idle_time) break;
        candidate.reset();
        --open_;
      }
      if (candidate) {
        lock.unlock();
        if (!candidate->looks_closed()) return candidate;
        candidate.reset();
        lock.lock();
        --open_;
        continue;
      }
      if (options_.max_connections == 0 || open_ < options_.max_connections) {
        ++open_;
        lock.unlock();
        auto connection =
            std::make_unique<Connection>(host_port_, options_, tls_ ? &*tls_ : nullptr);
        Status status = connection->connect(endpoint_);
        connection = status.is_ok() ? std::move(connection) : nullptr;
        lock.lock();
        if (connection) {
          ++connects_;
          return connection;
        }
        --open_;
        cv_.notify_one();
        return status;
      }
      if (fresh && !idle_.empty()) {  // at the limit: make room for the fresh connection
        idle_.erase(idle_.begin());
        --open_;
        continue;
      }
      if (cv_.wait_until(lock, deadline) == std::cv_status::timeout && Clock::now() >= deadline) {
        return Status(ErrorCode::kTimeout,
                      host_port_ + ": no connection became free within the connect timeout (" +
                          std::to_string(options_.max_connections) + " in use)");
      }
    }
  }

  // Takes back a connection: kept for reuse when `reusable` and there is room, else closed.
  void release(std::unique_ptr<Connection> connection, bool reusable) {
    std::unique_lock lock(mu_);
    if (reusable && !closed_ && idle_.size() < options_.max_idle_connections) {
      connection->reused = true;
      connection->idle_since = Clock::now();
      idle_.push_back(std::move(connection));
    } else {
      --open_;
    }
    cv_.notify_one();
    lock.unlock();
    connection.reset();
  }

  void close_idle() {
    std::vector<std::unique_ptr<Connection>> idle;
    std::lock_guard lock(mu_);
    closed_ = true;
    open_ -= idle_.size();
    idle.swap(idle_);
  }

  Result<Response> send(const Request& request);

  const Endpoint endpoint_;
  const ClientOptions options_;
  std::string host_port_;  // "host:port", "[::1]:port": how error messages name the server
  std::optional<ssl::context> tls_;

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<Connection>> idle_;  // guarded by mu_; most recent last
  size_t open_ = 0;                                // guarded by mu_; in use plus idle
  uint64_t connects_ = 0;                          // guarded by mu_
  bool closed_ = false;                            // guarded by mu_

 private:
  struct Outcome {
    Status status;
    bool body_started = false;   // a body byte went to the socket
    bool server_closed = false;  // the peer closed the connection before answering
    bool must_close = false;     // the response is fine, the connection is not reusable
  };
  // One request on one connection. On success `parser` holds the final response header.
  Outcome exchange(Connection& connection, const Request& request, const std::string& head,
                   bool head_request, std::unique_ptr<Parser>& parser);
  // Sends the body, preceded by `head` unless `head_sent`.
  Outcome send_body(Connection& connection, const Request& request, const std::string& head,
                    bool head_sent);
  // Reads the final response header, skipping interim ones.
  Outcome read_response(Connection& connection, bool head_request, std::unique_ptr<Parser>& parser,
                        bool body_started);
};

// ---- Responses ----

class Response::Impl final : public Reader {
 public:
  Impl(std::shared_ptr<HttpClient::Impl> client, std::unique_ptr<Connection> connection,
       std::unique_ptr<Parser> parser, bool must_close)
      : client_(std::move(client)),
        connection_(std::move(connection)),
        parser_(std::move(parser)),
        must_close_(must_close) {
    const auto& message = parser_->get();
    status_ = static_cast<int>(message.result_int());
    for (const auto& field : message) {
      headers_.add(std::string(field.name_string()), std::string(field.value()));
    }
    if (parser_->content_length()) content_length_ = *parser_->content_length();
    if (parser_->is_done()) finish();
  }

  ~Impl() override {
    if (!connection_) return;
    auto remaining = parser_->content_length_remaining();
    if (error_.is_ok() && remaining && *remaining <= kMaxDrainBytes) {
      std::vector<char>& scratch = connection_->scratch();
      while (connection_) {
        auto n = read(scratch.data(), scratch.size());
        if (!n.is_ok() || *n == 0) break;
      }
    }
    if (connection_) client_->release(std::move(connection_), false);
  }

  Result<size_t> read(char* buffer, size_t size) override {
    if (!error_.is_ok()) return error_;
    if (!connection_) return size_t{0};
    if (size == 0) return size_t{0};
    while (!parser_->is_done()) {
      auto& body = parser_->get().body();
      body.data = buffer;
      body.size = size;
      body.more = true;
      error_code ec = connection_->read_body_some(*parser_);
      size_t got = size - body.size;
      body.data = nullptr;
      body.size = 0;
      if (ec) {
        if (is_closed_error(ec) || ec == bhttp::error::partial_message) {
          error_ = Status(ErrorCode::kIo, connection_->host_port() +
                                              ": the connection closed before the end of the "
                                              "response body");
        } else {
          error_ = status_for(connection_->host_port(), "reading the response body", ec);
        }
        client_->release(std::move(connection_), false);
        return error_;
      }
      if (got > 0) {
        if (parser_->is_done()) finish();
        return got;
      }
    }
    finish();
    return size_t{0};
  }

  int status_ = 0;
  Headers headers_;
  std::optional<uint64_t> content_length_;

 private:
  void finish() {
    if (connection_)
      client_->release(std::move(connection_), parser_->keep_alive() && !must_close_);
  }

  std::shared_ptr<HttpClient::Impl> client_;
  std::unique_ptr<Connection> connection_;  // null once the body ended or failed
  std::unique_ptr<Parser> parser_;
  bool must_close_;
  Status error_;
};

Response::Response(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Response::Response(Response&&) noexcept = default;
Response& Response::operator=(Response&&) noexcept = default;
Response::~Response() = default;
int Response::status() const { return impl_->status_; }
const Headers& Response::headers() const { return impl_->headers_; }
std::optional<uint64_t> Response::content_length() const { return impl_->content_length_; }
Reader& Response::body() { return *impl_; }
Result<std::string> Response::read_body(size_t limit) { return read_all(*impl_, limit); }

// ---- Sending ----

HttpClient::Impl::Outcome HttpClient::Impl::exchange(Connection& connection, const Request& request,
                                                     const std::string& head, bool head_request,
                                                     std::unique_ptr<Parser>& parser) {
  uint64_t length = request.body_reader ? request.body_length : request.body.size();
  if (!request.expect_continue || length == 0) {
    Outcome sent = send_body(connection, request, head, false);
    if (!sent.status.is_ok()) return sent;
    return read_response(connection, head_request, parser, length > 0);
  }
  error_code ec = connection.write(asio::buffer(head));
  if (ec) {
    return {status_for(host_port_, "sending the request", ec), false,
            connection.reused && is_closed_error(ec)};
  }
  for (;;) {
    auto [wait_ec, answered] = connection.await_interim(*parser);
    if (wait_ec) {
      return {status_for(host_port_, "reading the response header", wait_ec), false,
              connection.reused && is_closed_error(wait_ec) && !parser->got_some()};
    }
    if (!answered) break;  // no answer in time: send the body anyway
    int status = static_cast<int>(parser->get().result_int());
    if (status == 100) break;
    if (status > 100 && status < 200) {  // another interim response
      parser = new_parser(head_request);
      continue;
    }
    // A final answer before the body: the promised body was never sent, so the connection
    // cannot carry another request.
    Outcome outcome;
    outcome.must_close = true;
    return outcome;
  }
  parser = new_parser(head_request);
  Outcome sent = send_body(connection, request, head, true);
  if (!sent.status.is_ok()) return sent;
  return read_response(connection, head_request, parser, true);
}

HttpClient::Impl::Outcome HttpClient::Impl::send_body(Connection& connection,
                                                      const Request& request,
                                                      const std::string& head, bool head_sent) {
  auto failed = [&](const error_code& ec, bool body_started) {
    Outcome outcome{status_for(host_port_, "sending the request", ec), body_started};
    outcome.server_closed = connection.reused && is_closed_error(ec);
    return outcome;
  };
  asio::const_buffer prefix = head_sent ? asio::const_buffer() : asio::buffer(head);
  if (!request.body_reader) {
    std::string_view body = request.body;
    do {
      std::string_view slice = body.substr(0, kIoChunk);
      body.remove_prefix(slice.size());
      error_code ec = connection.write(prefix, asio::buffer(slice.data(), slice.size()));
      if (ec) return failed(ec, !slice.empty());
      prefix = asio::const_buffer();
    } while (!body.empty());
    return {};
  }
  std::vector<char>& buffer = connection.scratch();
  uint64_t remaining = request.body_length;
  bool started = false;
  do {
    size_t want = static_cast<size_t>(std::min<uint64_t>(remaining, buffer.size()));
    size_t got = 0;
    if (want > 0) {
      auto n = request.body_reader->read(buffer.data(), want);
      if (!n.is_ok()) return {n.status(), started};
      if (*n == 0) {
        return {Status(ErrorCode::kEndOfStream,
                       host_port_ + ": the request body ended after " +
                           std::to_string(request.body_length - remaining) + " of " +
                           std::to_string(request.body_length) + " bytes"),
                started};
      }
      got = *n;
    }
    error_code ec = connection.write(prefix, asio::buffer(buffer.data(), got));
    if (ec) return failed(ec, started || got > 0);
    started = started || got > 0;
    prefix = asio::const_buffer();
    remaining -= got;
  } while (remaining > 0);
  return {};
}

HttpClient::Impl::Outcome HttpClient::Impl::read_response(Connection& connection, bool head_request,
                                                          std::unique_ptr<Parser>& parser,
                                                          bool body_started) {
  for (;;) {
    error_code ec = connection.read_header(*parser);
    if (ec) {
      Outcome outcome{status_for(host_port_, "reading the response header", ec), body_started};
      outcome.server_closed = connection.reused && is_closed_error(ec) && !parser->got_some();
      return outcome;
    }
    int status = static_cast<int>(parser->get().result_int());
    if (status < 100 || status >= 200 || status == 101) return {};
    // An interim response (100 Continue sent unasked, 102, 103): the real one follows.
    parser = new_parser(head_request);
  }
}

Result<Response> HttpClient::Impl::send(const Request& request) {
  if (!is_token(request.method)) {
    return Status(ErrorCode::kInvalidArgument, "invalid HTTP method \"" + request.method + "\"");
  }
  if (!is_target(request.target)) {
    return Status(ErrorCode::kInvalidArgument, "invalid request target \"" + request.target +
                                                   "\" (want an encoded path starting with '/')");
  }
  bool head_request = request.method == "HEAD";
  uint64_t length = request.body_reader ? request.body_length : request.body.size();
  std::string head = request.method + " " + request.target + " HTTP/1.1\r\n";
  bool has_host = false;
  bool has_agent = false;
  for (const auto& [name, value] : request.headers.fields()) {
    if (!is_token(name) || !is_field_value(value)) {
      return Status(ErrorCode::kInvalidArgument, "invalid header field \"" + name + "\"");
    }
    if (iequals(name, "content-length") || iequals(name, "transfer-encoding") ||
        iequals(name, "expect")) {
      continue;  // the client's own
    }
    has_host = has_host || iequals(name, "host");
    has_agent = has_agent || iequals(name, "user-agent");
    head.append(name).append(": ").append(value).append("\r\n");
  }
  if (!has_host) head.append("Host: ").append(endpoint_.authority).append("\r\n");
  if (!has_agent && !options_.user_agent.empty()) {
    head.append("User-Agent: ").append(options_.user_agent).append("\r\n");
  }
  if (length > 0 || request.method == "PUT" || request.method == "POST") {
    head.append("Content-Length: ").append(std::to_string(length)).append("\r\n");
  }
  if (request.expect_continue && length > 0) head.append("Expect: 100-continue\r\n");
  head.append("\r\n");

  for (int attempt = 0;; ++attempt) {
    MAXIO_TRY(std::unique_ptr<Connection> connection, acquire(attempt > 0));
    auto parser = new_parser(head_request);
    Outcome outcome = exchange(*connection, request, head, head_request, parser);
    if (outcome.status.is_ok()) {
      return Response(std::make_unique<Response::Impl>(shared_from_this(), std::move(connection),
                                                       std::move(parser), outcome.must_close));
    }
    release(std::move(connection), false);
    bool replayable = !outcome.body_started || !request.body_reader || request.rewind_body;
    if (attempt > 0 || !outcome.server_closed || !replayable) return outcome.status;
    if (outcome.body_started && request.body_reader) {
      MAXIO_RETURN_IF_ERROR(request.rewind_body());
    }
  }
}

// ---- HttpClient ----

HttpClient::HttpClient(std::shared_ptr<Impl> impl) : impl_(std::move(impl)) {}

HttpClient::~HttpClient() { impl_->close_idle(); }

Result<std::unique_ptr<HttpClient>> HttpClient::create(std::string_view endpoint_url,
                                                       ClientOptions options) {
  MAXIO_TRY(Endpoint endpoint, parse_endpoint(endpoint_url));
  auto impl = std::make_shared<Impl>(std::move(endpoint), std::move(options));
  MAXIO_RETURN_IF_ERROR(impl->init_tls());
  return std::unique_ptr<HttpClient>(new HttpClient(std::move(impl)));
}

Result<Response> HttpClient::send(const Request& request) { return impl_->send(request); }

const Endpoint& HttpClient::endpoint() const { return impl_->endpoint_; }

uint64_t HttpClient::connections_opened() const {
  std::lock_guard lock(impl_->mu_);
  return impl_->connects_;
}

size_t HttpClient::idle_connections() const {
  std::lock_guard lock(impl_->mu_);
  return impl_->idle_.size();
}

}  // namespace maxio::http
