// HttpClient against real loopback servers: the project's HttpServer with test handlers,
// a scripted raw-socket server for connection-closing races, and a small TLS server.

#include "shared/http/client.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "daemon/http/server.h"
#include "shared/crypto/hash.h"
#include "shared/util/encoding.h"
#include "shared/util/strings.h"

namespace maxio {
namespace {

using namespace std::chrono_literals;
using http::HttpClient;

// ---- Helpers ----

char pattern_byte(uint64_t i) { return static_cast<char>((i * 7 + (i >> 16)) & 0xff); }

// `length` bytes of a fixed pattern, generated on the fly; counts the bytes handed out.
class PatternReader final : public Reader {
 public:
  explicit PatternReader(uint64_t length) : length_(length) {}
  Result<size_t> read(char* buffer, size_t size) override {
    size_t n = static_cast<size_t>(std::min<uint64_t>(size, length_ - offset_));
    for (size_t i = 0; i < n; ++i) buffer[i] = pattern_byte(offset_ + i);
    offset_ += n;
    return n;
  }
  Status rewind() {
    offset_ = 0;
    ++rewinds_;
    return Status::ok();
  }
  uint64_t offset() const { return offset_; }
  int rewinds() const { return rewinds_; }

 private:
  uint64_t length_;
  uint64_t offset_ = 0;
  int rewinds_ = 0;
};

std::string pattern_sha256(uint64_t length) {
  PatternReader reader(length);
  Hasher hasher(HashAlgorithm::kSha256);
  std::vector<char> buffer(1 << 20);
  for (;;) {
    size_t n = *reader.read(buffer.data(), buffer.size());
    if (n == 0) break;
    hasher.update(buffer.data(), n);
  }
  return hex_encode(hasher.finish());
}

// Reads a stream to its end with small reads; returns hex SHA-256 and byte count.
std::pair<std::string, uint64_t> hash_stream(Reader& reader, Status* error = nullptr) {
  Hasher hasher(HashAlgorithm::kSha256);
  std::vector<char> buffer(64 * 1024);
  uint64_t total = 0;
  for (;;) {
    auto n = reader.read(buffer.data(), buffer.size());
    if (!n.is_ok()) {
      if (error) *error = n.status();
      break;
    }
    if (*n == 0) break;
    hasher.update(buffer.data(), *n);
    total += *n;
  }
  return {hex_encode(hasher.finish()), total};
}

uint64_t query_number(const HttpRequest& request, std::string_view name) {
  for (const auto& part : split(request.raw_query, '&')) {
    if (part.starts_with(std::string(name) + "=")) return std::stoull(part.substr(name.size() + 1));
  }
  return 0;
}

bool query_has(const HttpRequest& request, std::string_view name) {
  for (const auto& part : split(request.raw_query, '&')) {
    if (part == name || part.starts_with(std::string(name) + "=")) return true;
  }
  return false;
}

// Requests in /sleep right now, and the most seen at once.
std::atomic<int> g_sleeping{0};
std::atomic<int> g_most_sleeping{0};

void respond(HttpExchange& e, int status, HttpHeaders headers, std::string_view body) {
  (void)e.response.send_headers(status, headers, body.size());
  (void)e.response.write(body);
  (void)e.response.finish();
}

// The test server's routes:
//   /echo        reads the body (hashing it), answers X-Sha256, X-Count, X-Remote, X-Expect.
//   /bytes?n=N   answers N pattern bytes (Content-Length, or chunked with &chunked).
//   /sleep?ms=M  answers "slept" after M ms.
//   /stall       sends 10 of 100 promised body bytes, then the rest 1.5 s later.
//   /reject      403 without reading the body.
//   /head        HEAD: Content-Length 1234, no body.
void test_handler(HttpExchange& e) {
  const HttpRequest& request = e.request;
  HttpHeaders headers;
  headers.add("X-Remote", request.remote_address);
  if (request.path == "/echo") {
    Status error;
    auto [sha, count] = hash_stream(e.body, &error);
    headers.add("X-Sha256", sha);
    headers.add("X-Count", std::to_string(count));
    headers.add("X-Expect", std::string(request.headers.value_or_empty("expect")));
    headers.add("X-User-Agent", std::string(request.headers.value_or_empty("user-agent")));
    headers.add("X-Host", std::string(request.headers.value_or_empty("host")));
    respond(e, error.is_ok() ? 200 : 400, headers, "ok");
  } else if (request.path == "/bytes") {
    uint64_t n = query_number(request, "n");
    bool chunked = query_has(request, "chunked");
    (void)e.response.send_headers(200, headers, chunked ? std::nullopt : std::optional(n));
    std::vector<char> buffer(64 * 1024);
    for (uint64_t off = 0; off < n;) {
      size_t m = static_cast<size_t>(std::min<uint64_t>(buffer.size(), n - off));
      for (size_t i = 0; i < m; ++i) buffer[i] = pattern_byte(off + i);
      if (!e.response.write(buffer.data(), m).is_ok()) return;
      off += m;
    }
    (void)e.response.finish();
  } else if (request.path == "/sleep") {
    int now = ++g_sleeping;
    for (int most = g_most_sleeping;
         now > most && !g_most_sleeping.compare_exchange_weak(most, now);) {
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(query_number(request, "ms")));
    --g_sleeping;
    respond(e, 200, headers, "slept");
  } else if (request.path == "/stall") {
    (void)e.response.send_headers(200, headers, 100);
    (void)e.response.write(std::string(10, 'x'));
    std::this_thread::sleep_for(1500ms);
    (void)e.response.write(std::string(90, 'y'));
    (void)e.response.finish();
  } else if (request.path == "/reject") {
    respond(e, 403, headers, "denied");
  } else if (request.path == "/head") {
    (void)e.response.send_headers(200, headers, 1234);
    (void)e.response.finish();
  } else {
    respond(e, 404, headers, "no such route");
  }
}

std::unique_ptr<HttpServer> start_server(std::chrono::milliseconds idle_timeout = 30s) {
  HttpServerOptions options;
  options.address = "127.0.0.1:0";
  options.io_threads = 1;
  options.worker_threads = 8;
  options.idle_timeout = idle_timeout;
  auto server = HttpServer::start(options, test_handler);
  EXPECT_TRUE(server.is_ok()) << server.status().to_string();
  return server.is_ok() ? std::move(server).value() : nullptr;
}

std::string url_of(uint16_t port) { return "http://127.0.0.1:" + std::to_string(port); }

std::unique_ptr<HttpClient> make_client(uint16_t port, http::ClientOptions options = {}) {
  auto client = HttpClient::create(url_of(port), std::move(options));
  EXPECT_TRUE(client.is_ok()) << client.status().to_string();
  return client.is_ok() ? std::move(client).value() : nullptr;
}

http::Request get(std::string target) {
  http::Request request;
  request.target = std::move(target);
  return request;
}

// ---- Endpoints and headers ----

TEST(HttpEndpointTest, ParsesSchemesHostsAndPorts) {
  auto a = http::parse_endpoint("http://127.0.0.1:9000");
  ASSERT_TRUE(a.is_ok());
  EXPECT_FALSE(a->tls);
  EXPECT_EQ(a->host, "127.0.0.1");
  EXPECT_EQ(a->port, 9000);
  EXPECT_EQ(a->authority, "127.0.0.1:9000");
  EXPECT_EQ(a->url(), "http://127.0.0.1:9000");

  auto b = http::parse_endpoint("HTTPS://s3.example.com/");
  ASSERT_TRUE(b.is_ok());
  EXPECT_TRUE(b->tls);
  EXPECT_EQ(b->port, 443);
  EXPECT_EQ(b->authority, "s3.example.com");

  auto c = http::parse_endpoint("http://[::1]:8080");
  ASSERT_TRUE(c.is_ok());
  EXPECT_EQ(c->host, "::1");
  EXPECT_EQ(c->port, 8080);
  EXPECT_EQ(c->authority, "[::1]:8080");

  for (const char* bad :
       {"ftp://x", "127.0.0.1:9000", "http://", "http://h:0", "http://h:70000", "http://h:x",
        "http://h/path", "http://u@h", "http://h?q", "http://[::1"}) {
    EXPECT_EQ(http::parse_endpoint(bad).code(), ErrorCode::kInvalidArgument) << bad;
  }
}

TEST(HttpHeadersTest, OrderedCaseInsensitive) {
  http::Headers h{{"Content-Type", "a"}, {"X-A", "1"}};
  h.add("x-a", "2");
  EXPECT_EQ(h.value_or_empty("content-type"), "a");
  EXPECT_EQ(h.get("X-A").value(), "1");
  h.set("X-a", "3");
  EXPECT_EQ(h.fields().size(), 2u);
  EXPECT_EQ(h.value_or_empty("x-A"), "3");
  h.remove("CONTENT-TYPE");
  EXPECT_FALSE(h.has("content-type"));
  EXPECT_EQ(h.value_or_empty("missing"), "");
}

// ---- Requests and responses ----

TEST(HttpClientTest, KeepAliveReusesOneConnection) {
  auto server = start_server();
  ASSERT_TRUE(server);
  auto client = make_client(server->port());
  ASSERT_TRUE(client);
  std::string remote;
  for (int i = 0; i < 5; ++i) {
    http::Request request;
    request.method = "PUT";
    request.target = "/echo?i=" + std::to_string(i);
    request.body = "hello " + std::to_string(i);
    auto response = client->send(request);
    ASSERT_TRUE(response.is_ok()) << response.status().to_string();
    EXPECT_EQ(response->status(), 200);
    EXPECT_EQ(response->headers().value_or_empty("x-count"), std::to_string(request.body.size()));
    EXPECT_EQ(response->headers().value_or_empty("X-Sha256"), sha256_hex(request.body));
    EXPECT_EQ(response->content_length(), 2u);
    EXPECT_EQ(response->read_body().value(), "ok");
    if (i == 0) remote = std::string(response->headers().value_or_empty("x-remote"));
    EXPECT_EQ(response->headers().value_or_empty("x-remote"), remote);  // same client port
    EXPECT_EQ(response->headers().value_or_empty("x-host"),
              "127.0.0.1:" + std::to_string(server->port()));
    EXPECT_EQ(response->headers().value_or_empty("x-user-agent"), "maxio-http/0.1");
  }
  EXPECT_EQ(client->connections_opened(), 1u);
  EXPECT_EQ(client->idle_connections(), 1u);
}

TEST(HttpClientTest, StreamsALargeRequestBody) {
  auto server = start_server();
  ASSERT_TRUE(server);
  auto client = make_client(server->port());
  ASSERT_TRUE(client);
  constexpr uint64_t kSize = (32ull << 20) + 12345;
  PatternReader reader(kSize);
  http::Request request;
  request.method = "PUT";
  request.target = "/echo";
  request.body_reader = &reader;
  request.body_length = kSize;
  auto response = client->send(request);
  ASSERT_TRUE(response.is_ok()) << response.status().to_string();
  EXPECT_EQ(response->status(), 200);
  EXPECT_EQ(response->headers().value_or_empty("x-count"), std::to_string(kSize));
  EXPECT_EQ(response->headers().value_or_empty("x-sha256"), pattern_sha256(kSize));
  EXPECT_EQ(reader.offset(), kSize);
}

TEST(HttpClientTest, ShortRequestBodyReaderFails) {
  auto server = start_server();
  ASSERT_TRUE(server);
  auto client = make_client(server->port());
  ASSERT_TRUE(client);
  PatternReader reader(100);
  http::Request request;
  request.method = "PUT";
  request.target = "/echo";
  request.body_reader = &reader;
  request.body_length = 1000;
  auto response = client->send(request);
  EXPECT_EQ(response.code(), ErrorCode::kEndOfStream);
  EXPECT_NE(response.status().message().find("100 of 1000"), std::string::npos);
  // The half-sent connection is gone; the next request works on a new one.
  auto next = client->send(get("/sleep?ms=0"));
  ASSERT_TRUE(next.is_ok());
  EXPECT_EQ(next->read_body().value(), "slept");
}

TEST(HttpClientTest, StreamsLargeResponseBodiesWithLengthAndChunked) {
  auto server = start_server();
  ASSERT_TRUE(server);
  auto client = make_client(server->port());
  ASSERT_TRUE(client);
  constexpr uint64_t kSize = (24ull << 20) + 777;
  for (bool chunked : {false, true}) {
    std::string target = "/bytes?n=" + std::to_string(kSize) + (chunked ? "&chunked" : "");
    auto response = client->send(get(target));
    ASSERT_TRUE(response.is_ok()) << response.status().to_string();
    EXPECT_EQ(response->status(), 200);
    if (chunked) {
      EXPECT_FALSE(response->content_length().has_value());
      EXPECT_TRUE(iequals(response->headers().value_or_empty("transfer-encoding"), "chunked"));
    } else {
      EXPECT_EQ(response->content_length(), kSize);
    }
    auto [sha, count] = hash_stream(response->body());
    EXPECT_EQ(count, kSize);
    EXPECT_EQ(sha, pattern_sha256(kSize));
    EXPECT_EQ(response->body().read(nullptr, 0).value(), 0u);
  }
  EXPECT_EQ(client->connections_opened(), 1u);  // both bodies read to the end: reused
}

// Regression: the connection's read buffer never grew past the response header, and Beast
// reads at most its free capacity per socket read, so bodies arrived ~1 KiB per system call
// (a 1 MiB GET cost ~2,300 recvmsg calls). Each body read() returns what one socket read
// brought, so the count of reads shows the size of those.
TEST(HttpClientTest, ResponseBodiesArriveInLargeSocketReads) {
  auto server = start_server();
  ASSERT_TRUE(server);
  auto client = make_client(server->port());
  ASSERT_TRUE(client);
  constexpr uint64_t kSize = 8ull << 20;
  auto response = client->send(get("/bytes?n=" + std::to_string(kSize)));
  ASSERT_TRUE(response.is_ok()) << response.status().to_string();
  std::this_thread::sleep_for(100ms);  // let the body queue up in the socket
  std::vector<char> buffer(1 << 20);
  uint64_t total = 0;
  int reads = 0;
  for (;;) {
    auto n = response->body().read(buffer.data(), buffer.size());
    ASSERT_TRUE(n.is_ok()) << n.status().to_string();
    if (*n == 0) break;
    total += *n;
    ++reads;
  }
  EXPECT_EQ(total, kSize);
  EXPECT_LT(reads, static_cast<int>(kSize / (8 * 1024))) << "under 8 KiB per socket read";
}

TEST(HttpClientTest, SmallChunkedResponseAndReadBodyLimit) {
  auto server = start_server();
  ASSERT_TRUE(server);
  auto client = make_client(server->port());
  ASSERT_TRUE(client);
  auto small = client->send(get("/bytes?n=5000&chunked"));
  ASSERT_TRUE(small.is_ok());
  auto body = small->read_body();
  ASSERT_TRUE(body.is_ok());
  ASSERT_EQ(body->size(), 5000u);
  EXPECT_EQ((*body)[4999], pattern_byte(4999));

  auto big = client->send(get("/bytes?n=5000"));
  ASSERT_TRUE(big.is_ok());
  EXPECT_EQ(big->read_body(1000).code(), ErrorCode::kEntityTooLarge);
}

TEST(HttpClientTest, HeadResponseHasLengthButNoBody) {
  auto server = start_server();
  ASSERT_TRUE(server);
  auto client = make_client(server->port());
  ASSERT_TRUE(client);
  for (int i = 0; i < 2; ++i) {
    http::Request request = get("/head");
    request.method = "HEAD";
    auto response = client->send(request);
    ASSERT_TRUE(response.is_ok()) << response.status().to_string();
    EXPECT_EQ(response->status(), 200);
    EXPECT_EQ(response->content_length(), 1234u);
    EXPECT_EQ(response->read_body().value(), "");
  }
  EXPECT_EQ(client->connections_opened(), 1u);
}

TEST(HttpClientTest, DroppedResponseClosesOrDrainsItsConnection) {
  auto server = start_server();
  ASSERT_TRUE(server);
  auto client = make_client(server->port());
  ASSERT_TRUE(client);
  {
    auto response = client->send(get("/bytes?n=" + std::to_string(8 << 20)));
    ASSERT_TRUE(response.is_ok());
    char buffer[100];
    ASSERT_TRUE(response->body().read(buffer, sizeof buffer).is_ok());
  }  // 8 MiB unread: closed
  EXPECT_EQ(client->idle_connections(), 0u);
  {
    auto response = client->send(get("/bytes?n=1000"));
    ASSERT_TRUE(response.is_ok());
  }  // 1000 bytes unread: drained and kept
  EXPECT_EQ(client->idle_connections(), 1u);
  auto again = client->send(get("/sleep?ms=0"));
  ASSERT_TRUE(again.is_ok());
  EXPECT_EQ(again->read_body().value(), "slept");
  EXPECT_EQ(client->connections_opened(), 2u);
}

TEST(HttpClientTest, RejectsMalformedRequests) {
  auto server = start_server();
  ASSERT_TRUE(server);
  auto client = make_client(server->port());
  ASSERT_TRUE(client);
  http::Request request = get("/echo");
  request.headers.add("X-Bad", "a\r\nInjected: 1");
  EXPECT_EQ(client->send(request).code(), ErrorCode::kInvalidArgument);
  request = get("/echo");
  request.headers.add("Bad Name", "1");
  EXPECT_EQ(client->send(request).code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(client->send(get("no-slash")).code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(client->send(get("/a b")).code(), ErrorCode::kInvalidArgument);
  request = get("/echo");
  request.method = "G T";
  EXPECT_EQ(client->send(request).code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(client->connections_opened(), 0u);
}

// ---- Expect: 100-continue ----

TEST(HttpClientTest, ExpectContinueSendsTheBodyWhenTheServerReads) {
  auto server = start_server();
  ASSERT_TRUE(server);
  auto client = make_client(server->port());
  ASSERT_TRUE(client);
  PatternReader reader(3 << 20);
  http::Request request;
  request.method = "PUT";
  request.target = "/echo";
  request.body_reader = &reader;
  request.body_length = 3 << 20;
  request.expect_continue = true;
  auto start = std::chrono::steady_clock::now();
  auto response = client->send(request);
  ASSERT_TRUE(response.is_ok()) << response.status().to_string();
  EXPECT_LT(std::chrono::steady_clock::now() - start, 900ms);  // 100 came; no timeout wait
  EXPECT_EQ(response->status(), 200);
  EXPECT_EQ(response->headers().value_or_empty("x-expect"), "100-continue");
  EXPECT_EQ(response->headers().value_or_empty("x-sha256"), pattern_sha256(3 << 20));
  EXPECT_EQ(response->read_body().value(), "ok");
  EXPECT_EQ(client->idle_connections(), 1u);
}

TEST(HttpClientTest, ExpectContinueSkipsTheBodyTheServerRejects) {
  auto server = start_server();
  ASSERT_TRUE(server);
  auto client = make_client(server->port());
  ASSERT_TRUE(client);
  PatternReader reader(64 << 20);
  http::Request request;
  request.method = "PUT";
  request.target = "/reject";
  request.body_reader = &reader;
  request.body_length = 64 << 20;
  request.expect_continue = true;
  auto response = client->send(request);
  ASSERT_TRUE(response.is_ok()) << response.status().to_string();
  EXPECT_EQ(response->status(), 403);
  EXPECT_EQ(response->read_body().value(), "denied");
  EXPECT_EQ(reader.offset(), 0u);                // not one body byte read
  EXPECT_EQ(client->idle_connections(), 0u);     // the promised body never came: closed
  auto next = client->send(get("/sleep?ms=0"));  // and the client goes on
  ASSERT_TRUE(next.is_ok());
  EXPECT_EQ(next->status(), 200);
}

// ---- Pool ----

TEST(HttpClientTest, ConcurrentRequestsStayWithinThePoolBounds) {
  auto server = start_server();
  ASSERT_TRUE(server);
  http::ClientOptions options;
  options.max_connections = 3;
  options.max_idle_connections = 2;
  auto client = make_client(server->port(), options);
  ASSERT_TRUE(client);
  std::atomic<int> ok{0};
  g_most_sleeping = 0;
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 5; ++i) {
        auto response = client->send(get("/sleep?ms=20"));
        if (!response.is_ok()) continue;
        auto body = response->read_body();
        if (body.is_ok() && *body == "slept") ++ok;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(ok.load(), 40);
  EXPECT_EQ(g_most_sleeping.load(), 3);  // never more than max_connections at once
  EXPECT_GE(client->connections_opened(), 3u);
  EXPECT_LE(client->idle_connections(), 2u);
}

TEST(HttpClientTest, WaitingForAFreeConnectionTimesOut) {
  auto server = start_server();
  ASSERT_TRUE(server);
  http::ClientOptions options;
  options.max_connections = 1;
  options.connect_timeout = 200ms;
  auto client = make_client(server->port(), options);
  ASSERT_TRUE(client);
  auto held = client->send(get("/bytes?n=1000000"));  // holds the only connection
  ASSERT_TRUE(held.is_ok());
  auto blocked = client->send(get("/sleep?ms=0"));
  EXPECT_EQ(blocked.code(), ErrorCode::kTimeout);
  EXPECT_NE(blocked.status().message().find("127.0.0.1:"), std::string::npos);
  ASSERT_TRUE(held->read_body(2 << 20).is_ok());  // frees it
  EXPECT_TRUE(client->send(get("/sleep?ms=0")).is_ok());
}

TEST(HttpClientTest, ServerClosingIdleConnectionsIsTransparent) {
  auto server = start_server(/*idle_timeout=*/150ms);
  ASSERT_TRUE(server);
  auto client = make_client(server->port());
  ASSERT_TRUE(client);
  for (int i = 0; i < 3; ++i) {
    auto response = client->send(get("/sleep?ms=0"));
    ASSERT_TRUE(response.is_ok()) << i << ": " << response.status().to_string();
    EXPECT_EQ(response->read_body().value(), "slept");
    std::this_thread::sleep_for(400ms);  // the server closes the idle connection meanwhile
  }
  EXPECT_EQ(client->connections_opened(), 3u);
}

TEST(HttpClientTest, OldIdleConnectionsAreNotReused) {
  auto server = start_server();
  ASSERT_TRUE(server);
  http::ClientOptions options;
  options.max_idle_time = 100ms;
  auto client = make_client(server->port(), options);
  ASSERT_TRUE(client);
  ASSERT_TRUE(client->send(get("/head")).is_ok());
  std::this_thread::sleep_for(250ms);
  ASSERT_TRUE(client->send(get("/head")).is_ok());
  EXPECT_EQ(client->connections_opened(), 2u);
}

// A raw server that answers the first request of each connection and then, on the second,
// reads the request header and closes without answering: the race of a server closing a
// keep-alive connection just as the client reuses it.
class ClosingServer {
 public:
  ClosingServer() {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    ::listen(fd_, 16);
    socklen_t len = sizeof addr;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { run(); });
  }
  ~ClosingServer() {
    stop_ = true;
    ::shutdown(fd_, SHUT_RDWR);
    thread_.join();
    ::close(fd_);
  }
  uint16_t port() const { return port_; }
  int accepted() const { return accepted_; }
  // Body bytes the answered requests carried (first requests only).
  uint64_t body_bytes() const { return body_bytes_; }

 private:
  void run() {
    while (!stop_) {
      int c = ::accept(fd_, nullptr, nullptr);
      if (c < 0) return;
      ++accepted_;
      std::string buffer;
      for (int n = 0;; ++n) {
        auto header = read_header(c, buffer);
        if (!header) break;
        if (n == 1) break;  // close without answering
        uint64_t length = 0;
        if (auto pos = to_lower(*header).find("content-length:"); pos != std::string::npos) {
          length = std::stoull(header->substr(pos + 15));
        }
        while (buffer.size() < length && fill(c, buffer)) {
        }
        body_bytes_ += std::min<uint64_t>(length, buffer.size());
        buffer.erase(0, std::min<uint64_t>(length, buffer.size()));
        std::string ok = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
        ::send(c, ok.data(), ok.size(), MSG_NOSIGNAL);
      }
      ::close(c);
    }
  }
  static bool fill(int c, std::string& buffer) {
    char data[65536];
    ssize_t n = ::recv(c, data, sizeof data, 0);
    if (n <= 0) return false;
    buffer.append(data, static_cast<size_t>(n));
    return true;
  }
  static std::optional<std::string> read_header(int c, std::string& buffer) {
    for (;;) {
      if (auto end = buffer.find("\r\n\r\n"); end != std::string::npos) {
        std::string header = buffer.substr(0, end + 4);
        buffer.erase(0, end + 4);
        return header;
      }
      if (!fill(c, buffer)) return std::nullopt;
    }
  }

  int fd_ = -1;
  uint16_t port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<int> accepted_{0};
  std::atomic<uint64_t> body_bytes_{0};
  std::thread thread_;
};

TEST(HttpClientTest, RequestOnAConnectionTheServerClosedIsRetriedOnce) {
  ClosingServer server;
  auto client = make_client(server.port());
  ASSERT_TRUE(client);
  auto first = client->send(get("/a"));
  ASSERT_TRUE(first.is_ok()) << first.status().to_string();
  EXPECT_EQ(first->read_body().value(), "ok");
  auto second = client->send(get("/b"));  // the reused connection is closed under it
  ASSERT_TRUE(second.is_ok()) << second.status().to_string();
  EXPECT_EQ(second->read_body().value(), "ok");
  EXPECT_EQ(client->connections_opened(), 2u);
  EXPECT_EQ(server.accepted(), 2);
}

TEST(HttpClientTest, ReplayableStreamedBodyIsRewoundForTheRetry) {
  ClosingServer server;
  auto client = make_client(server.port());
  ASSERT_TRUE(client);
  ASSERT_TRUE(client->send(get("/a")).is_ok());
  PatternReader reader(4096);
  http::Request request;
  request.method = "PUT";
  request.target = "/b";
  request.body_reader = &reader;
  request.body_length = 4096;
  request.rewind_body = [&] { return reader.rewind(); };
  auto response = client->send(request);
  ASSERT_TRUE(response.is_ok()) << response.status().to_string();
  EXPECT_EQ(response->read_body().value(), "ok");
  EXPECT_EQ(reader.rewinds(), 1);
  EXPECT_EQ(server.body_bytes(), 4096u);
}

TEST(HttpClientTest, NonReplayableStreamedBodyIsNotResent) {
  ClosingServer server;
  auto client = make_client(server.port());
  ASSERT_TRUE(client);
  ASSERT_TRUE(client->send(get("/a")).is_ok());
  PatternReader reader(4096);
  http::Request request;
  request.method = "PUT";
  request.target = "/b";
  request.body_reader = &reader;
  request.body_length = 4096;
  auto response = client->send(request);
  EXPECT_EQ(response.code(), ErrorCode::kIo) << response.status().to_string();
  EXPECT_NE(response.status().message().find("127.0.0.1:" + std::to_string(server.port())),
            std::string::npos);
  EXPECT_EQ(client->connections_opened(), 1u);
}

TEST(HttpClientTest, ExpectContinueUnansweredSendsTheBodyAfterTheWait) {
  ClosingServer server;  // knows nothing of Expect: waits for the body
  http::ClientOptions options;
  options.continue_timeout = 100ms;
  auto client = make_client(server.port(), options);
  ASSERT_TRUE(client);
  PatternReader reader(100000);
  http::Request request;
  request.method = "PUT";
  request.target = "/a";
  request.body_reader = &reader;
  request.body_length = 100000;
  request.expect_continue = true;
  auto response = client->send(request);
  ASSERT_TRUE(response.is_ok()) << response.status().to_string();
  EXPECT_EQ(response->read_body().value(), "ok");
  EXPECT_EQ(server.body_bytes(), 100000u);
}

// ---- Failures and timeouts ----

TEST(HttpClientTest, ConnectionRefusedNamesTheServer) {
  uint16_t port;
  {
    auto server = start_server();
    ASSERT_TRUE(server);
    port = server->port();
    server->shutdown(0ms);
  }
  auto client = make_client(port);
  ASSERT_TRUE(client);
  auto response = client->send(get("/"));
  EXPECT_EQ(response.code(), ErrorCode::kIo);
  EXPECT_NE(response.status().message().find("127.0.0.1:" + std::to_string(port) + ": connect"),
            std::string::npos)
      << response.status().message();
  EXPECT_EQ(client->connections_opened(), 0u);
}

TEST(HttpClientTest, ResponseHeaderTimeout) {
  auto server = start_server();
  ASSERT_TRUE(server);
  http::ClientOptions options;
  options.io_timeout = 200ms;
  auto client = make_client(server->port(), options);
  ASSERT_TRUE(client);
  auto start = std::chrono::steady_clock::now();
  auto response = client->send(get("/sleep?ms=1000"));
  EXPECT_EQ(response.code(), ErrorCode::kTimeout);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 900ms);
  EXPECT_NE(response.status().message().find("reading the response header failed: timed out"),
            std::string::npos)
      << response.status().message();
}

TEST(HttpClientTest, ResponseBodyIdleTimeout) {
  auto server = start_server();
  ASSERT_TRUE(server);
  http::ClientOptions options;
  options.io_timeout = 300ms;
  auto client = make_client(server->port(), options);
  ASSERT_TRUE(client);
  auto response = client->send(get("/stall"));
  ASSERT_TRUE(response.is_ok()) << response.status().to_string();
  char buffer[200];
  auto first = response->body().read(buffer, sizeof buffer);
  ASSERT_TRUE(first.is_ok());
  EXPECT_EQ(*first, 10u);
  auto second = response->body().read(buffer, sizeof buffer);
  EXPECT_EQ(second.code(), ErrorCode::kTimeout);
  EXPECT_EQ(response->body().read(buffer, sizeof buffer).code(), ErrorCode::kTimeout);  // sticky
  EXPECT_EQ(client->idle_connections(), 0u);
}

TEST(HttpClientTest, ConnectTimeout) {
  // A listener that never accepts, its backlog filled: further SYNs go unanswered.
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(::listen(fd, 0), 0);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  std::vector<int> fillers;
  for (int i = 0; i < 4; ++i) {
    int c = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    ::connect(c, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    fillers.push_back(c);
  }
  std::this_thread::sleep_for(50ms);
  http::ClientOptions options;
  options.connect_timeout = 300ms;
  auto client = make_client(ntohs(addr.sin_port), options);
  ASSERT_TRUE(client);
  auto start = std::chrono::steady_clock::now();
  auto response = client->send(get("/"));
  auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(response.code(), ErrorCode::kTimeout) << response.status().to_string();
  EXPECT_LT(elapsed, 2s);
  EXPECT_NE(response.status().message().find("connect failed: timed out"), std::string::npos);
  for (int c : fillers) ::close(c);
  ::close(fd);
}

// ---- TLS ----

namespace asio = boost::asio;
namespace beast = boost::beast;

// A self-signed certificate for IP 127.0.0.1 (CN maxio-test), written as PEM files.
struct TestCertificate {
  std::string dir;
  std::string cert_file;
  std::string key_file;

  TestCertificate() {
    char pattern[] = "/tmp/maxio-http-tls-XXXXXX";
    dir = ::mkdtemp(pattern);
    cert_file = dir + "/cert.pem";
    key_file = dir + "/key.pem";
    EVP_PKEY* key = EVP_EC_gen("P-256");
    X509* cert = X509_new();
    X509_set_version(cert, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
    X509_gmtime_adj(X509_getm_notBefore(cert), -3600);
    X509_gmtime_adj(X509_getm_notAfter(cert), 86400);
    X509_set_pubkey(cert, key);
    X509_NAME* name = X509_get_subject_name(cert);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                               reinterpret_cast<const unsigned char*>("maxio-test"), -1, -1, 0);
    X509_set_issuer_name(cert, name);
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
    for (auto [nid, value] : {std::pair{NID_subject_alt_name, "IP:127.0.0.1"},
                              std::pair{NID_basic_constraints, "critical,CA:TRUE"}}) {
      X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
      X509_add_ext(cert, ext, -1);
      X509_EXTENSION_free(ext);
    }
    X509_sign(cert, key, EVP_sha256());
    FILE* f = std::fopen(cert_file.c_str(), "w");
    PEM_write_X509(f, cert);
    std::fclose(f);
    f = std::fopen(key_file.c_str(), "w");
    PEM_write_PrivateKey(f, key, nullptr, nullptr, 0, nullptr, nullptr);
    std::fclose(f);
    X509_free(cert);
    EVP_PKEY_free(key);
  }
  ~TestCertificate() { std::filesystem::remove_all(dir); }
};

// Serves "hello tls" over HTTPS, one connection at a time, keep-alive; knows nothing of
// Expect: 100-continue.
class TlsServer {
 public:
  explicit TlsServer(const TestCertificate& cert)
      : context_(asio::ssl::context::tls_server),
        acceptor_(ioc_, {asio::ip::make_address("127.0.0.1"), 0}) {
    context_.use_certificate_chain_file(cert.cert_file);
    context_.use_private_key_file(cert.key_file, asio::ssl::context::pem);
    thread_ = std::thread([this] { run(); });
  }
  ~TlsServer() {
    stop_ = true;
    ::shutdown(acceptor_.native_handle(), SHUT_RDWR);
    thread_.join();
  }
  uint16_t port() const { return acceptor_.local_endpoint().port(); }
  int requests() const { return requests_; }

 private:
  void run() {
    while (!stop_) {
      beast::error_code ec;
      asio::ip::tcp::socket socket(ioc_);
      acceptor_.accept(socket, ec);
      if (ec) return;
      asio::ssl::stream<asio::ip::tcp::socket> stream(std::move(socket), context_);
      stream.handshake(asio::ssl::stream_base::server, ec);
      if (ec) continue;
      beast::flat_buffer buffer;
      for (;;) {
        beast::http::request_parser<beast::http::string_body> parser;
        parser.body_limit(8 << 20);
        beast::http::read(stream, buffer, parser, ec);
        auto request = parser.release();
        if (ec) break;
        ++requests_;
        beast::http::response<beast::http::string_body> response{beast::http::status::ok, 11};
        response.body() = "hello tls";
        if (!request.body().empty()) response.set("X-Sha256", sha256_hex(request.body()));
        response.keep_alive(request.keep_alive());
        response.prepare_payload();
        beast::http::write(stream, response, ec);
        if (ec) break;
      }
    }
  }

  asio::io_context ioc_;
  asio::ssl::context context_;
  asio::ip::tcp::acceptor acceptor_;
  std::atomic<bool> stop_{false};
  std::atomic<int> requests_{0};
  std::thread thread_;
};

TEST(HttpClientTlsTest, VerifiesAgainstTheGivenCaFile) {
  TestCertificate cert;
  TlsServer server(cert);
  http::ClientOptions options;
  options.ca_file = cert.cert_file;
  auto client = HttpClient::create("https://127.0.0.1:" + std::to_string(server.port()), options);
  ASSERT_TRUE(client.is_ok()) << client.status().to_string();
  for (int i = 0; i < 2; ++i) {
    auto response = (*client)->send(get("/"));
    ASSERT_TRUE(response.is_ok()) << response.status().to_string();
    EXPECT_EQ(response->status(), 200);
    EXPECT_EQ(response->read_body().value(), "hello tls");
  }
  EXPECT_EQ((*client)->connections_opened(), 1u);
}

TEST(HttpClientTlsTest, StreamsARequestBody) {
  TestCertificate cert;
  TlsServer server(cert);
  http::ClientOptions options;
  options.ca_file = cert.cert_file;
  options.io_timeout = 10s;
  auto client = HttpClient::create("https://127.0.0.1:" + std::to_string(server.port()), options);
  ASSERT_TRUE(client.is_ok());
  for (uint64_t size : {uint64_t{100}, uint64_t{3 << 20} + 17}) {
    PatternReader reader(size);
    http::Request request;
    request.method = "PUT";
    request.target = "/upload";
    request.body_reader = &reader;
    request.body_length = size;
    auto response = (*client)->send(request);
    ASSERT_TRUE(response.is_ok()) << size << ": " << response.status().to_string();
    EXPECT_EQ(response->headers().value_or_empty("x-sha256"), pattern_sha256(size));
    EXPECT_EQ(response->read_body().value(), "hello tls");
  }
  http::Request in_memory = get("/upload");
  in_memory.method = "PUT";
  in_memory.body = std::string(200000, 'm');
  auto response = (*client)->send(in_memory);
  ASSERT_TRUE(response.is_ok()) << response.status().to_string();
  EXPECT_EQ(response->headers().value_or_empty("x-sha256"), sha256_hex(in_memory.body));
  EXPECT_EQ((*client)->connections_opened(), 1u);
}

TEST(HttpClientTlsTest, UnansweredExpectContinueOverTls) {
  // The server ignores Expect: the client's wait for 100 Continue is cancelled under TLS,
  // then the body goes out on the same TLS stream.
  TestCertificate cert;
  TlsServer server(cert);
  http::ClientOptions options;
  options.ca_file = cert.cert_file;
  options.continue_timeout = 100ms;
  auto client = HttpClient::create("https://127.0.0.1:" + std::to_string(server.port()), options);
  ASSERT_TRUE(client.is_ok());
  PatternReader reader(500000);
  http::Request request;
  request.method = "PUT";
  request.target = "/upload";
  request.body_reader = &reader;
  request.body_length = 500000;
  request.expect_continue = true;
  auto response = (*client)->send(request);
  ASSERT_TRUE(response.is_ok()) << response.status().to_string();
  EXPECT_EQ(response->read_body().value(), "hello tls");
  EXPECT_EQ(reader.offset(), 500000u);
  auto again = (*client)->send(get("/"));  // the stream is still in a good state
  ASSERT_TRUE(again.is_ok()) << again.status().to_string();
  EXPECT_EQ(again->read_body().value(), "hello tls");
  EXPECT_EQ((*client)->connections_opened(), 1u);
}

TEST(HttpClientTlsTest, UntrustedCertificateFails) {
  TestCertificate cert;
  TlsServer server(cert);
  auto client = HttpClient::create("https://127.0.0.1:" + std::to_string(server.port()));
  ASSERT_TRUE(client.is_ok()) << client.status().to_string();
  auto response = (*client)->send(get("/"));
  EXPECT_EQ(response.code(), ErrorCode::kIo);
  EXPECT_NE(response.status().message().find("TLS handshake failed"), std::string::npos)
      << response.status().message();
  EXPECT_NE(response.status().message().find("certificate"), std::string::npos)
      << response.status().message();
  EXPECT_EQ(server.requests(), 0);
}

TEST(HttpClientTlsTest, HostNameMustMatchTheCertificate) {
  TestCertificate cert;  // valid for IP 127.0.0.1 only
  TlsServer server(cert);
  http::ClientOptions options;
  options.ca_file = cert.cert_file;
  auto client = HttpClient::create("https://localhost:" + std::to_string(server.port()), options);
  ASSERT_TRUE(client.is_ok());
  auto response = (*client)->send(get("/"));
  EXPECT_EQ(response.code(), ErrorCode::kIo) << response.status().to_string();
  EXPECT_EQ(server.requests(), 0);
}

TEST(HttpClientTlsTest, VerificationCanBeTurnedOff) {
  TestCertificate cert;
  TlsServer server(cert);
  http::ClientOptions options;
  options.verify_tls = false;
  auto client = HttpClient::create("https://localhost:" + std::to_string(server.port()), options);
  ASSERT_TRUE(client.is_ok());
  auto response = (*client)->send(get("/"));
  ASSERT_TRUE(response.is_ok()) << response.status().to_string();
  EXPECT_EQ(response->read_body().value(), "hello tls");
}

TEST(HttpClientTlsTest, MissingCaFileFailsAtCreation) {
  http::ClientOptions options;
  options.ca_file = "/nonexistent/ca.pem";
  auto client = HttpClient::create("https://127.0.0.1:1", options);
  EXPECT_EQ(client.code(), ErrorCode::kIo);
  EXPECT_NE(client.status().message().find("/nonexistent/ca.pem"), std::string::npos);
}

}  // namespace
}  // namespace maxio
