// HttpServer over real loopback sockets: a test handler per case, a plain POSIX client.

#include "daemon/http/server.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <future>
#include <map>
#include <string>
#include <thread>

#include "shared/util/strings.h"

namespace maxio {
namespace {

using namespace std::chrono_literals;

struct Response {
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
  std::string header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? "" : it->second;
  }
};

// A blocking HTTP/1.1 client over one TCP connection, enough to drive the server byte by byte.
class Client {
 public:
  explicit Client(uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
    timeval tv{10, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  }
  ~Client() { ::close(fd_); }

  bool connected() const { return connected_; }

  bool send(std::string_view data) {
    while (!data.empty()) {
      ssize_t n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
      if (n <= 0) return false;
      data.remove_prefix(static_cast<size_t>(n));
    }
    return true;
  }

  void shutdown_write() { ::shutdown(fd_, SHUT_WR); }

  // True when bytes (or EOF) arrive within `timeout`.
  bool readable_within(std::chrono::milliseconds timeout) {
    if (!buffer_.empty()) return true;
    pollfd p{fd_, POLLIN, 0};
    return ::poll(&p, 1, static_cast<int>(timeout.count())) > 0;
  }

  // True when the peer closed the connection (EOF) within `timeout`, discarding any bytes.
  bool closed_within(std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    buffer_.clear();
    while (std::chrono::steady_clock::now() < deadline) {
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, 50) <= 0) continue;
      char buf[4096];
      ssize_t n = ::recv(fd_, buf, sizeof(buf), 0);
      if (n <= 0) return true;
    }
    return false;
  }

  // Reads one response; `head` when it answers a HEAD request (no body).
  std::optional<Response> read_response(bool head = false) {
    auto line = read_line();
    if (!line) return std::nullopt;
    Response r;
    if (line->size() < 12) return std::nullopt;
    r.status = std::stoi(line->substr(9, 3));
    for (;;) {
      auto field = read_line();
      if (!field) return std::nullopt;
      if (field->empty()) break;
      size_t colon = field->find(':');
      r.headers[to_lower(field->substr(0, colon))] = std::string(trim(field->substr(colon + 1)));
    }
    if (head || r.status == 100 || r.status == 204 || r.status == 304) return r;
    if (r.headers.count("content-length")) {
      size_t length = std::stoull(r.headers["content-length"]);
      if (!read_exact(length, &r.body)) return std::nullopt;
    } else if (iequals(r.header("transfer-encoding"), "chunked")) {
      for (;;) {
        auto size_line = read_line();
        if (!size_line) return std::nullopt;
        size_t size = std::stoull(*size_line, nullptr, 16);
        if (size == 0) {
          read_line();
          break;
        }
        if (!read_exact(size, &r.body)) return std::nullopt;
        read_line();
      }
    } else {
      while (fill()) {
      }
      r.body = std::move(buffer_);
      buffer_.clear();
    }
    return r;
  }

 private:
  bool fill() {
    char buf[64 * 1024];
    ssize_t n = ::recv(fd_, buf, sizeof(buf), 0);
    if (n <= 0) return false;
    buffer_.append(buf, static_cast<size_t>(n));
    return true;
  }
  std::optional<std::string> read_line() {
    for (;;) {
      size_t end = buffer_.find("\r\n");
      if (end != std::string::npos) {
        std::string line = buffer_.substr(0, end);
        buffer_.erase(0, end + 2);
        return line;
      }
      if (!fill()) return std::nullopt;
    }
  }
  bool read_exact(size_t n, std::string* out) {
    while (buffer_.size() < n) {
      if (!fill()) return false;
    }
    out->append(buffer_, 0, n);
    buffer_.erase(0, n);
    return true;
  }

  int fd_ = -1;
  bool connected_ = false;
  std::string buffer_;
};

HttpServerOptions test_options() {
  HttpServerOptions options;
  options.address = "127.0.0.1:0";
  options.io_threads = 2;
  options.worker_threads = 4;
  return options;
}

std::unique_ptr<HttpServer> start(HttpHandler handler, HttpServerOptions options = test_options()) {
  auto server = HttpServer::start(std::move(options), std::move(handler));
  EXPECT_TRUE(server.is_ok()) << server.status().to_string();
  return server.is_ok() ? std::move(server).value() : nullptr;
}

// Echoes the request body, and the request's fields in headers.
void echo_handler(HttpExchange& e) {
  auto body = read_all(e.body, 64 << 20);
  HttpHeaders headers;
  if (!body) {
    headers.add("X-Error", std::string(error_code_name(body.code())));
    (void)e.response.send_headers(400, headers, 0);
    (void)e.response.finish();
    return;
  }
  headers.add("X-Method", e.request.method);
  headers.add("X-Target", e.request.target);
  headers.add("X-Path", e.request.path);
  headers.add("X-Query", e.request.raw_query);
  headers.add("X-Chunked", e.request.chunked ? "1" : "0");
  headers.add("X-Length", e.request.content_length ? std::to_string(*e.request.content_length)
                                                   : std::string("none"));
  headers.add("X-Remote", e.request.remote_address);
  headers.add("X-Host", std::string(e.request.headers.value_or_empty("host")));
  if (e.request.method == "HEAD") {
    (void)e.response.send_headers(200, headers, 1234);
  } else {
    (void)e.response.send_headers(200, headers, body->size());
    (void)e.response.write(*body);
  }
  (void)e.response.finish();
}

TEST(HttpHeadersTest, CaseInsensitiveLookupSetRemove) {
  HttpHeaders h;
  h.add("Content-Type", "text/plain");
  h.add("X-Amz-Meta-A", "1");
  h.add("x-amz-meta-a", "2");
  EXPECT_EQ(h.get("content-type").value(), "text/plain");
  EXPECT_EQ(h.value_or_empty("X-AMZ-META-A"), "1");
  EXPECT_FALSE(h.has("missing"));
  EXPECT_EQ(h.value_or_empty("missing"), "");
  h.set("X-AMZ-META-A", "3");
  EXPECT_EQ(h.value_or_empty("x-amz-meta-a"), "3");
  EXPECT_EQ(h.fields().size(), 2u);
  h.remove("CONTENT-TYPE");
  EXPECT_FALSE(h.has("Content-Type"));
}

TEST(HttpServerTest, BadAddressFails) {
  HttpServerOptions options = test_options();
  options.address = "no-port";
  EXPECT_EQ(HttpServer::start(options, echo_handler).code(), ErrorCode::kInvalidArgument);
  options.address = "127.0.0.1:99999";
  EXPECT_EQ(HttpServer::start(options, echo_handler).code(), ErrorCode::kInvalidArgument);
}

TEST(HttpServerTest, PortInUseFails) {
  auto server = start(echo_handler);
  ASSERT_TRUE(server);
  HttpServerOptions options = test_options();
  options.address = "127.0.0.1:" + std::to_string(server->port());
  EXPECT_EQ(HttpServer::start(options, echo_handler).code(), ErrorCode::kIo);
}

TEST(HttpServerTest, EchoAndRequestFields) {
  auto server = start(echo_handler);
  ASSERT_TRUE(server);
  EXPECT_NE(server->port(), 0);
  Client c(server->port());
  ASSERT_TRUE(c.connected());
  ASSERT_TRUE(
      c.send("PUT /b/k%20x?acl&x=1 HTTP/1.1\r\nHost: h:1\r\nContent-Length: 5\r\n\r\nhello"));
  auto r = c.read_response();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "hello");
  EXPECT_EQ(r->header("x-method"), "PUT");
  EXPECT_EQ(r->header("x-target"), "/b/k%20x?acl&x=1");
  EXPECT_EQ(r->header("x-path"), "/b/k%20x");
  EXPECT_EQ(r->header("x-query"), "acl&x=1");
  EXPECT_EQ(r->header("x-chunked"), "0");
  EXPECT_EQ(r->header("x-length"), "5");
  EXPECT_EQ(r->header("x-host"), "h:1");
  EXPECT_EQ(r->header("x-remote").rfind("127.0.0.1:", 0), 0u);
  EXPECT_EQ(r->header("server"), "Maxio");
  EXPECT_NE(r->header("date"), "");
}

TEST(HttpServerTest, KeepAliveServesTwoRequestsOnOneConnection) {
  auto server = start(echo_handler);
  ASSERT_TRUE(server);
  Client c(server->port());
  ASSERT_TRUE(c.send("GET /one HTTP/1.1\r\nHost: x\r\n\r\n"));
  auto r1 = c.read_response();
  ASSERT_TRUE(r1);
  EXPECT_EQ(r1->header("x-path"), "/one");
  EXPECT_EQ(r1->header("x-length"), "none");
  ASSERT_TRUE(c.send("GET /two HTTP/1.1\r\nHost: x\r\n\r\n"));
  auto r2 = c.read_response();
  ASSERT_TRUE(r2);
  EXPECT_EQ(r2->header("x-path"), "/two");
}

TEST(HttpServerTest, PipelinedRequestsAndHttp10) {
  auto server = start(echo_handler);
  ASSERT_TRUE(server);
  Client c(server->port());
  ASSERT_TRUE(c.send("PUT /a HTTP/1.1\r\nContent-Length: 3\r\n\r\nabcGET /b HTTP/1.0\r\n\r\n"));
  auto r1 = c.read_response();
  ASSERT_TRUE(r1);
  EXPECT_EQ(r1->body, "abc");
  auto r2 = c.read_response();
  ASSERT_TRUE(r2);
  EXPECT_EQ(r2->header("x-path"), "/b");
  EXPECT_TRUE(c.closed_within(2s));  // HTTP/1.0 without keep-alive
}

TEST(HttpServerTest, ChunkedRequestBodyIsDechunked) {
  auto server = start(echo_handler);
  ASSERT_TRUE(server);
  Client c(server->port());
  ASSERT_TRUE(
      c.send("PUT /c HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
             "5\r\nhello\r\n7;ext=1\r\n, world\r\n0\r\n\r\n"));
  auto r = c.read_response();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, "hello, world");
  EXPECT_EQ(r->header("x-chunked"), "1");
  EXPECT_EQ(r->header("x-length"), "none");
}

// A malformed chunked body is the client's fault: the body reader reports a 400-class
// error (not kIo, which the S3 layer answers with 500 and SDKs retry).
TEST(HttpServerTest, MalformedChunkedBodyIsAClientError) {
  auto server = start([](HttpExchange& e) {
    char buffer[64];
    Status status;
    for (;;) {
      auto n = e.body.read(buffer, sizeof buffer);
      if (!n.is_ok()) {
        status = n.status();
        break;
      }
      if (*n == 0) break;
    }
    HttpHeaders h;
    h.add("X-Error", std::string(error_code_name(status.code())));
    (void)e.response.send_headers(400, h, 0);
    (void)e.response.finish();
  });
  ASSERT_TRUE(server);
  for (const char* chunk : {"zz\r\nhello\r\n", "10000000000000000\r\nx\r\n", "-1\r\nx\r\n"}) {
    Client c(server->port());
    ASSERT_TRUE(
        c.send(std::string("PUT /c HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n") + chunk));
    auto r = c.read_response();
    ASSERT_TRUE(r) << chunk;
    EXPECT_EQ(r->header("x-error"), "InvalidRequest") << chunk;
    EXPECT_TRUE(c.closed_within(3s)) << chunk;
  }
}

TEST(HttpServerTest, StreamsLargeChunkedResponse) {
  constexpr size_t kBlock = 1 << 20, kBlocks = 20;
  auto server = start([](HttpExchange& e) {
    ASSERT_TRUE(e.response.send_headers(200, {}, std::nullopt).is_ok());
    std::string block(kBlock, '\0');
    for (size_t i = 0; i < kBlocks; ++i) {
      for (size_t j = 0; j < kBlock; ++j) block[j] = static_cast<char>((i * 31 + j) % 251);
      ASSERT_TRUE(e.response.write(block).is_ok());
    }
    ASSERT_TRUE(e.response.finish().is_ok());
  });
  ASSERT_TRUE(server);
  Client c(server->port());
  ASSERT_TRUE(c.send("GET /big HTTP/1.1\r\n\r\n"));
  auto r = c.read_response();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->header("transfer-encoding"), "chunked");
  ASSERT_EQ(r->body.size(), kBlock * kBlocks);
  bool same = true;
  for (size_t i = 0; i < kBlocks && same; ++i) {
    for (size_t j = 0; j < kBlock; ++j) {
      if (r->body[i * kBlock + j] != static_cast<char>((i * 31 + j) % 251)) {
        same = false;
        break;
      }
    }
  }
  EXPECT_TRUE(same);
  ASSERT_TRUE(c.send("GET /again HTTP/1.1\r\n\r\n"));
  EXPECT_TRUE(c.read_response());
}

TEST(HttpServerTest, ManyConcurrentKeepAliveClients) {
  auto server = start(echo_handler);
  ASSERT_TRUE(server);
  std::atomic<int> ok{0};
  std::vector<std::thread> clients;
  for (int t = 0; t < 16; ++t) {
    clients.emplace_back([&, t] {
      Client c(server->port());
      for (int i = 0; i < 20; ++i) {
        std::string body(1000 + 997 * ((t + i) % 64), static_cast<char>('a' + (t + i) % 26));
        if (!c.send("PUT /k HTTP/1.1\r\nContent-Length: " + std::to_string(body.size()) +
                    "\r\n\r\n" + body)) {
          return;
        }
        auto r = c.read_response();
        if (r && r->status == 200 && r->body == body) ++ok;
      }
    });
  }
  for (auto& client : clients) client.join();
  EXPECT_EQ(ok.load(), 16 * 20);
}

TEST(HttpServerTest, HeadCarriesContentLengthWithoutBody) {
  auto server = start(echo_handler);
  ASSERT_TRUE(server);
  Client c(server->port());
  ASSERT_TRUE(c.send("HEAD /h HTTP/1.1\r\n\r\n"));
  auto r = c.read_response(/*head=*/true);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->header("content-length"), "1234");
  ASSERT_TRUE(c.send("GET /next HTTP/1.1\r\n\r\n"));
  auto r2 = c.read_response();
  ASSERT_TRUE(r2);  // no stray body bytes in between
  EXPECT_EQ(r2->header("x-path"), "/next");
}

TEST(HttpServerTest, ExpectContinueSentOnlyWhenHandlerReads) {
  std::promise<void> reading;
  auto server = start([&](HttpExchange& e) {
    std::this_thread::sleep_for(300ms);
    reading.set_value();
    echo_handler(e);
  });
  ASSERT_TRUE(server);
  Client c(server->port());
  ASSERT_TRUE(c.send("PUT /e HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n"));
  EXPECT_FALSE(c.readable_within(150ms));  // the handler has not read yet
  auto r100 = c.read_response();
  ASSERT_TRUE(r100);
  EXPECT_EQ(r100->status, 100);
  ASSERT_TRUE(c.send("data"));
  auto r = c.read_response();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "data");
}

TEST(HttpServerTest, ExpectContinueRejectedWithoutBody) {
  auto server = start([](HttpExchange& e) {
    HttpHeaders h;
    (void)e.response.send_headers(403, h, 6);
    (void)e.response.write("denied");
    (void)e.response.finish();
  });
  ASSERT_TRUE(server);
  Client c(server->port());
  ASSERT_TRUE(c.send("PUT /e HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 100000\r\n\r\n"));
  auto r = c.read_response();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 403);
  EXPECT_EQ(r->body, "denied");
  EXPECT_EQ(r->header("connection"), "close");
  EXPECT_TRUE(c.closed_within(3s));
}

// botocore sends "Expect: 100-continue" with empty PUTs and stalls on the next request of
// that connection unless a 100 arrives first.
TEST(HttpServerTest, ExpectContinueWithEmptyBodyGets100First) {
  auto server = start(echo_handler);
  ASSERT_TRUE(server);
  Client c(server->port());
  ASSERT_TRUE(c.send("PUT /e HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 0\r\n\r\n"));
  auto r100 = c.read_response();
  ASSERT_TRUE(r100);
  EXPECT_EQ(r100->status, 100);
  auto r = c.read_response();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  ASSERT_TRUE(c.send("GET /next HTTP/1.1\r\n\r\n"));
  auto r2 = c.read_response();
  ASSERT_TRUE(r2);
  EXPECT_EQ(r2->header("x-path"), "/next");
}

// Beast cannot hold a header value of 64 KiB or more; it must be a clean 400, not a
// connection left hanging (which also blocked shutdown).
TEST(HttpServerTest, HugeHeaderValueWithDefaultLimitAnswers400) {
  auto server = start(echo_handler, test_options());
  ASSERT_TRUE(server);
  Client c(server->port());
  ASSERT_TRUE(c.send("GET / HTTP/1.1\r\nX-Big: " + std::string(70000, 'a') + "\r\n\r\n"));
  auto r = c.read_response();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400);
  EXPECT_NE(r->body.find("<Code>RequestHeaderSectionTooLarge</Code>"), std::string::npos);
  EXPECT_TRUE(c.closed_within(3s));
  server->shutdown(std::chrono::milliseconds(0));
}

// A client still sending its header has nothing in flight: shutdown closes it at once
// instead of waiting out the drain time.
TEST(HttpServerTest, ShutdownClosesHalfSentHeadersAtOnce) {
  auto server = start(echo_handler);
  ASSERT_TRUE(server);
  Client c(server->port());
  ASSERT_TRUE(c.send("GET / HTTP/1.1\r\nHost: x\r\n"));
  std::this_thread::sleep_for(100ms);
  auto begin = std::chrono::steady_clock::now();
  server->shutdown(std::chrono::milliseconds(5000));
  EXPECT_LT(std::chrono::steady_clock::now() - begin, 2s);
  EXPECT_TRUE(c.closed_within(1s));
}

TEST(HttpServerTest, UnreadSmallBodyIsDrainedForKeepAlive) {
  auto server = start([](HttpExchange& e) {
    HttpHeaders h;
    h.add("X-Path", e.request.path);
    (void)e.response.send_headers(200, h, 0);
    (void)e.response.finish();
  });
  ASSERT_TRUE(server);
  Client c(server->port());
  ASSERT_TRUE(c.send("PUT /a HTTP/1.1\r\nContent-Length: 10\r\n\r\n0123456789"));
  auto r1 = c.read_response();
  ASSERT_TRUE(r1);
  EXPECT_EQ(r1->header("connection"), "");
  ASSERT_TRUE(c.send("GET /b HTTP/1.1\r\n\r\n"));
  auto r2 = c.read_response();
  ASSERT_TRUE(r2);
  EXPECT_EQ(r2->header("x-path"), "/b");
}

TEST(HttpServerTest, LargeUnreadBodyClosesConnection) {
  HttpServerOptions options = test_options();
  options.max_drain_bytes = 1000;
  auto server = start(
      [](HttpExchange& e) {
        (void)e.response.send_headers(200, {}, 0);
        (void)e.response.finish();
      },
      options);
  ASSERT_TRUE(server);
  Client c(server->port());
  ASSERT_TRUE(c.send("PUT /a HTTP/1.1\r\nContent-Length: 5000\r\n\r\n" + std::string(5000, 'x')));
  auto r = c.read_response();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->header("connection"), "close");
  EXPECT_TRUE(c.closed_within(3s));
}

TEST(HttpServerTest, Http10KeepAliveHonoured) {
  auto server = start(echo_handler);
  ASSERT_TRUE(server);
  Client c(server->port());
  ASSERT_TRUE(c.send("GET /a HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"));
  auto r1 = c.read_response();
  ASSERT_TRUE(r1);
  EXPECT_TRUE(iequals(r1->header("connection"), "keep-alive"));
  ASSERT_TRUE(c.send("GET /b HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"));
  auto r2 = c.read_response();
  ASSERT_TRUE(r2);
  EXPECT_EQ(r2->header("x-path"), "/b");
}

TEST(HttpServerTest, HeaderTooLargeAnswers400AndCloses) {
  HttpServerOptions options = test_options();
  options.max_header_bytes = 1024;
  auto server = start(echo_handler, options);
  ASSERT_TRUE(server);
  Client c(server->port());
  ASSERT_TRUE(c.send("GET / HTTP/1.1\r\nX-Big: " + std::string(4096, 'a') + "\r\n\r\n"));
  auto r = c.read_response();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400);
  EXPECT_NE(r->body.find("<Code>RequestHeaderSectionTooLarge</Code>"), std::string::npos);
  EXPECT_EQ(r->header("x-amz-request-id").size(), 16u);
  EXPECT_TRUE(c.closed_within(3s));
}

TEST(HttpServerTest, MalformedRequestAnswers400AndCloses) {
  auto server = start(echo_handler);
  ASSERT_TRUE(server);
  {
    Client c(server->port());
    ASSERT_TRUE(c.send("GET / HTTP/1.1\r\nBad Header\r\n\r\n"));
    auto r = c.read_response();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 400);
    EXPECT_NE(r->body.find("<Code>BadRequest</Code>"), std::string::npos);
    EXPECT_TRUE(c.closed_within(3s));
  }
  {
    Client c(server->port());
    ASSERT_TRUE(c.send("GET http://host/x HTTP/1.1\r\n\r\n"));  // target must start with '/'
    auto r = c.read_response();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 400);
  }
}

TEST(HttpServerTest, ShortBodyThenCloseGivesIncompleteBody) {
  std::promise<Status> seen;
  auto server = start([&](HttpExchange& e) {
    auto body = read_all(e.body, 1 << 20);
    seen.set_value(body.status());
  });
  ASSERT_TRUE(server);
  Client c(server->port());
  ASSERT_TRUE(c.send("PUT /s HTTP/1.1\r\nContent-Length: 100\r\n\r\n0123456789"));
  c.shutdown_write();
  auto future = seen.get_future();
  ASSERT_EQ(future.wait_for(5s), std::future_status::ready);
  EXPECT_EQ(future.get().code(), ErrorCode::kIncompleteBody);
}

TEST(HttpServerTest, HandlerWithoutResponseGets500) {
  auto server = start([](HttpExchange&) {});
  ASSERT_TRUE(server);
  Client c(server->port());
  ASSERT_TRUE(c.send("GET /x HTTP/1.1\r\n\r\n"));
  auto r = c.read_response();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 500);
  EXPECT_NE(r->body.find("<Code>InternalError</Code>"), std::string::npos);
  EXPECT_EQ(r->header("x-amz-request-id").size(), 16u);
  ASSERT_TRUE(c.send("GET /y HTTP/1.1\r\n\r\n"));  // still usable
  EXPECT_TRUE(c.read_response());
}

TEST(HttpServerTest, UnfinishedResponseClosesConnection) {
  auto server = start([](HttpExchange& e) {
    (void)e.response.send_headers(200, {}, 10);
    (void)e.response.write("abc");
  });
  ASSERT_TRUE(server);
  Client c(server->port());
  ASSERT_TRUE(c.send("GET /x HTTP/1.1\r\n\r\n"));
  EXPECT_FALSE(c.read_response());  // 3 of 10 bytes, then EOF
}

TEST(HttpServerTest, IdleTimeoutClosesConnection) {
  HttpServerOptions options = test_options();
  options.idle_timeout = 200ms;
  auto server = start(echo_handler, options);
  ASSERT_TRUE(server);
  Client c(server->port());
  ASSERT_TRUE(c.send("GET / HTTP/1.1\r\n\r\n"));
  ASSERT_TRUE(c.read_response());
  auto begin = std::chrono::steady_clock::now();
  EXPECT_TRUE(c.closed_within(3s));
  EXPECT_GE(std::chrono::steady_clock::now() - begin, 150ms);
}

TEST(HttpServerTest, PeerDisconnectFailsResponseWrites) {
  std::promise<Status> seen;
  auto server = start([&](HttpExchange& e) {
    Status status = e.response.send_headers(200, {}, std::nullopt);
    std::string block(1 << 20, 'x');
    for (int i = 0; i < 1000 && status.is_ok(); ++i) status = e.response.write(block);
    seen.set_value(status);
  });
  ASSERT_TRUE(server);
  {
    Client c(server->port());
    ASSERT_TRUE(c.send("GET / HTTP/1.1\r\n\r\n"));
    ASSERT_TRUE(c.readable_within(2s));
  }
  auto future = seen.get_future();
  ASSERT_EQ(future.wait_for(10s), std::future_status::ready);
  EXPECT_EQ(future.get().code(), ErrorCode::kIo);
}

TEST(HttpServerTest, ShutdownLetsInFlightRequestFinish) {
  std::promise<void> started;
  auto server = start([&](HttpExchange& e) {
    started.set_value();
    std::this_thread::sleep_for(300ms);
    echo_handler(e);
  });
  ASSERT_TRUE(server);
  Client idle(server->port());
  Client busy(server->port());
  ASSERT_TRUE(busy.send("GET /slow HTTP/1.1\r\n\r\n"));
  started.get_future().wait();
  auto begin = std::chrono::steady_clock::now();
  std::thread stopper([&] { server->shutdown(5s); });
  auto r = busy.read_response();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->header("connection"), "close");
  EXPECT_TRUE(idle.closed_within(2s));
  stopper.join();
  EXPECT_LT(std::chrono::steady_clock::now() - begin, 4s);
  server->wait();  // returns at once after shutdown
  Client late(server->port());
  EXPECT_FALSE(late.connected());
}

TEST(HttpServerTest, ShutdownDeadlineClosesStuckReads) {
  std::promise<Status> seen;
  auto server = start([&](HttpExchange& e) { seen.set_value(read_all(e.body, 1 << 20).status()); });
  ASSERT_TRUE(server);
  Client c(server->port());
  ASSERT_TRUE(c.send("PUT / HTTP/1.1\r\nContent-Length: 100\r\n\r\nabc"));
  std::this_thread::sleep_for(100ms);
  auto begin = std::chrono::steady_clock::now();
  server->shutdown(200ms);
  EXPECT_LT(std::chrono::steady_clock::now() - begin, 3s);
  auto future = seen.get_future();
  ASSERT_EQ(future.wait_for(1s), std::future_status::ready);
  EXPECT_FALSE(future.get().is_ok());
}

}  // namespace
}  // namespace maxio
