// The scrape endpoints and health probes end to end: a Daemon on four temporary drives,
// raw HTTP requests on loopback.

#include "daemon/metrics/handler.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "daemon/server/bootstrap.h"
#include "shared/crypto/jwt.h"

namespace maxio::metrics {
namespace {

constexpr char kAccessKey[] = "metricsadmin";
constexpr char kSecretKey[] = "metrics-secret-key";

class TempDir {
 public:
  TempDir() {
    char pattern[] = "/tmp/maxio-metrics-test-XXXXXX";
    path_ = ::mkdtemp(pattern);
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

struct Response {
  int status = 0;
  std::string head;  // status line and headers
  std::string body;
};

// Sends one request on a fresh connection and reads until the peer closes.
Response round_trip(uint16_t port, const std::string& method, const std::string& target,
                    const std::string& extra_headers = "") {
  std::string request = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + extra_headers +
                        "Connection: close\r\n\r\n";
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  timeval tv{10, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  std::string raw;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0 &&
      ::send(fd, request.data(), request.size(), MSG_NOSIGNAL) ==
          static_cast<ssize_t>(request.size())) {
    char buf[4096];
    ssize_t n;
    while ((n = ::recv(fd, buf, sizeof(buf), 0)) > 0) raw.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  Response response;
  size_t end = raw.find("\r\n\r\n");
  response.head = raw.substr(0, end);
  if (end != std::string::npos) response.body = raw.substr(end + 4);
  if (raw.rfind("HTTP/1.1 ", 0) == 0) response.status = std::stoi(raw.substr(9, 3));
  return response;
}

std::string bearer(const std::string& token) { return "Authorization: Bearer " + token + "\r\n"; }

class MetricsEndpointTest : public ::testing::Test {
 protected:
  void start(PrometheusAuthType auth) {
    ServerConfig config;
    config.address = "127.0.0.1:0";
    for (int i = 0; i < 4; ++i) config.drives.push_back(root_.path() + "/d" + std::to_string(i));
    for (const auto& d : config.drives) std::filesystem::create_directories(d);
    config.root = {kAccessKey, kSecretKey};
    config.prometheus_auth = auth;
    config.scanner_interval = std::chrono::milliseconds(0);
    config.drive_probe_interval = std::chrono::milliseconds(50);
    auto daemon = Daemon::start(config);
    ASSERT_TRUE(daemon.is_ok()) << daemon.status().to_string();
    daemon_ = std::move(daemon).value();
    drives_ = config.drives;
  }
  void TearDown() override {
    if (daemon_) daemon_->shutdown(std::chrono::seconds(1));
  }
  uint16_t port() const { return daemon_->port(); }
  std::string token() const {
    return jwt::generate_prometheus_token(kAccessKey, kSecretKey,
                                          std::chrono::system_clock::now() + std::chrono::hours(1));
  }

  TempDir root_;
  std::vector<std::string> drives_;
  std::unique_ptr<Daemon> daemon_;
};

TEST(MetricsEndpointPathTest, Paths) {
  EXPECT_EQ(endpoint_for_path("/minio/v2/metrics/cluster"), Endpoint::kCluster);
  EXPECT_EQ(endpoint_for_path("/minio/v2/metrics/node"), Endpoint::kNode);
  EXPECT_FALSE(endpoint_for_path("/minio/v2/metrics/bucket").has_value());
  EXPECT_FALSE(endpoint_for_path("/minio/v2/metrics/cluster/").has_value());
  EXPECT_FALSE(endpoint_for_path("/bucket/key").has_value());
}

TEST_F(MetricsEndpointTest, RefusesScrapesWithoutAValidToken) {
  start(PrometheusAuthType::kJwt);
  Response r = round_trip(port(), "GET", "/minio/v2/metrics/cluster");
  EXPECT_EQ(r.status, 403) << r.head;
  EXPECT_NE(r.body.find("<Code>AccessDenied</Code>"), std::string::npos) << r.body;
  EXPECT_NE(r.head.find("Content-Type: application/xml"), std::string::npos) << r.head;
  const std::string message =
      "<Message>Authentication failed, check your access credentials</Message>";
  EXPECT_NE(r.body.find(message), std::string::npos) << r.body;

  auto now = std::chrono::system_clock::now();
  for (const std::string& bad : {
           jwt::generate_prometheus_token(kAccessKey, "wrong-secret", now + std::chrono::hours(1)),
           jwt::generate_prometheus_token(kAccessKey, kSecretKey, now - std::chrono::seconds(5)),
           jwt::generate_prometheus_token("someone", kSecretKey, now + std::chrono::hours(1)),
           std::string("not.a.token"),
       }) {
    r = round_trip(port(), "GET", "/minio/v2/metrics/node", bearer(bad));
    EXPECT_EQ(r.status, 403) << bad;
    // One message whatever failed: no telling unknown keys from bad signatures.
    EXPECT_NE(r.body.find(message), std::string::npos) << r.body;
  }
  // A token in another scheme is not a bearer token.
  r = round_trip(port(), "GET", "/minio/v2/metrics/node",
                 "Authorization: Basic " + token() + "\r\n");
  EXPECT_EQ(r.status, 403);
}

TEST_F(MetricsEndpointTest, ServesBothDocumentsWithAToken) {
  start(PrometheusAuthType::kJwt);
  Response r = round_trip(port(), "GET", "/minio/v2/metrics/cluster", bearer(token()));
  ASSERT_EQ(r.status, 200) << r.head << r.body;
  EXPECT_NE(r.head.find("Content-Type: text/plain; version=0.0.4; charset=utf-8"),
            std::string::npos)
      << r.head;
  const std::string server = "server=\"127.0.0.1:" + std::to_string(port()) + "\"";
  EXPECT_NE(r.body.find("minio_cluster_drives_online{" + server + "} 4\n"), std::string::npos)
      << r.body;
  EXPECT_NE(r.body.find("minio_cluster_health_status{" + server + "} 1\n"), std::string::npos);

  // "bearer" in any case, as MinIO's extractor accepts it.
  r = round_trip(port(), "GET", "/minio/v2/metrics/node",
                 "Authorization: bearer " + token() + "\r\n");
  ASSERT_EQ(r.status, 200);
  EXPECT_NE(r.body.find("minio_node_drive_total_bytes{drive=\"" + drives_[0] + "\""),
            std::string::npos)
      << r.body;

  // HEAD: the headers only.
  r = round_trip(port(), "HEAD", "/minio/v2/metrics/node", bearer(token()));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "");
  // Other methods are refused once authorized.
  r = round_trip(port(), "POST", "/minio/v2/metrics/node",
                 bearer(token()) + "Content-Length: 0\r\n");
  EXPECT_EQ(r.status, 405);
}

TEST_F(MetricsEndpointTest, ScrapesAreCountedAndLogged) {
  start(PrometheusAuthType::kJwt);
  std::mutex mu;
  std::vector<RequestRecord> records;
  daemon_->context().request_log.subscribe([&](const RequestRecord& record) {
    std::lock_guard<std::mutex> lock(mu);
    records.push_back(record);
  });
  EXPECT_EQ(round_trip(port(), "GET", "/minio/v2/metrics/node").status, 403);
  EXPECT_EQ(round_trip(port(), "GET", "/").status, 403);  // anonymous ListBuckets
  Response r = round_trip(port(), "GET", "/minio/v2/metrics/node", bearer(token()));
  ASSERT_EQ(r.status, 200);
  const std::string server = "server=\"127.0.0.1:" + std::to_string(port()) + "\"";
  // The 403 scrape and the anonymous request were counted before this scrape began.
  EXPECT_NE(r.body.find("minio_s3_requests_by_code_total{api=\"Metrics\",code=\"403\"," + server +
                        "} 1\n"),
            std::string::npos)
      << r.body;
  EXPECT_NE(
      r.body.find("minio_s3_requests_4xx_errors_total{api=\"ListBuckets\"," + server + "} 1\n"),
      std::string::npos)
      << r.body;

  // The request log sees the scrape as api "Metrics" signed by the token's access key
  // (published after the response, so wait for it).
  for (int i = 0; i < 100; ++i) {
    {
      std::lock_guard<std::mutex> lock(mu);
      if (records.size() >= 3) break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  std::lock_guard<std::mutex> lock(mu);
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[0].api, "Metrics");
  EXPECT_EQ(records[0].status, 403);
  EXPECT_EQ(records[0].access_key, "");
  EXPECT_EQ(records[2].api, "Metrics");
  EXPECT_EQ(records[2].status, 200);
  EXPECT_EQ(records[2].access_key, kAccessKey);
  EXPECT_EQ(records[2].bytes_out, r.body.size());
  EXPECT_EQ(records[2].request_id.size(), 16u);
}

TEST_F(MetricsEndpointTest, PublicModeNeedsNoToken) {
  start(PrometheusAuthType::kPublic);
  EXPECT_EQ(round_trip(port(), "GET", "/minio/v2/metrics/cluster").status, 200);
  EXPECT_EQ(round_trip(port(), "GET", "/minio/v2/metrics/node").status, 200);
  // Public metrics do not open the S3 API.
  EXPECT_EQ(round_trip(port(), "GET", "/").status, 403);
}

// Waits until `target` answers `status` (drives are probed every 50 ms).
bool wait_for_status(uint16_t port, const std::string& target, int status) {
  for (int i = 0; i < 200; ++i) {
    if (round_trip(port, "GET", target).status == status) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  return false;
}

TEST_F(MetricsEndpointTest, ClusterHealthFollowsWriteQuorum) {
  start(PrometheusAuthType::kJwt);
  Response r = round_trip(port(), "GET", "/minio/health/cluster");
  EXPECT_EQ(r.status, 200);
  EXPECT_NE(r.head.find("X-Minio-Write-Quorum: 3"), std::string::npos) << r.head;
  EXPECT_NE(r.head.find("X-Minio-Storage-Class-Defaults: true"), std::string::npos) << r.head;
  EXPECT_EQ(round_trip(port(), "HEAD", "/minio/health/cluster").status, 200);
  r = round_trip(port(), "GET", "/minio/health/cluster/read");
  EXPECT_EQ(r.status, 200);
  EXPECT_NE(r.head.find("X-Minio-Read-Quorum: 2"), std::string::npos) << r.head;
  EXPECT_EQ(round_trip(port(), "GET", "/minio/health/ready").status, 200);
  // Taking the only node down would lose every drive.
  EXPECT_EQ(round_trip(port(), "GET", "/minio/health/cluster?maintenance=true").status, 412);

  // One drive gone: 3 of 4 is still write quorum for EC:2.
  std::filesystem::rename(drives_[0], drives_[0] + ".away");
  const std::string one_offline =
      "minio_cluster_drives_offline{server=\"127.0.0.1:" + std::to_string(port()) + "\"} 1\n";
  bool seen = false;
  for (int i = 0; i < 200 && !seen; ++i) {
    seen = round_trip(port(), "GET", "/minio/v2/metrics/cluster", bearer(token()))
               .body.find(one_offline) != std::string::npos;
    if (!seen) std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  ASSERT_TRUE(seen);
  EXPECT_EQ(round_trip(port(), "GET", "/minio/health/cluster").status, 200);

  // Two gone: below write quorum, still read quorum.
  std::filesystem::rename(drives_[1], drives_[1] + ".away");
  EXPECT_TRUE(wait_for_status(port(), "/minio/health/cluster", 503));
  EXPECT_EQ(round_trip(port(), "HEAD", "/minio/health/cluster").status, 503);
  EXPECT_EQ(round_trip(port(), "GET", "/minio/health/ready").status, 503);
  EXPECT_EQ(round_trip(port(), "GET", "/minio/health/cluster/read").status, 200);
  EXPECT_EQ(round_trip(port(), "GET", "/minio/health/live").status, 200);
  r = round_trip(port(), "GET", "/minio/v2/metrics/cluster", bearer(token()));
  EXPECT_NE(r.body.find("minio_cluster_drives_offline{server=\"127.0.0.1:" +
                        std::to_string(port()) + "\"} 2\n"),
            std::string::npos)
      << r.body;
  EXPECT_NE(r.body.find("minio_cluster_health_status{server=\"127.0.0.1:" + std::to_string(port()) +
                        "\"} 0\n"),
            std::string::npos)
      << r.body;

  // Back: the prober reconnects them.
  std::filesystem::rename(drives_[0] + ".away", drives_[0]);
  std::filesystem::rename(drives_[1] + ".away", drives_[1]);
  EXPECT_TRUE(wait_for_status(port(), "/minio/health/cluster", 200));
  EXPECT_EQ(round_trip(port(), "GET", "/minio/health/ready").status, 200);
}

}  // namespace
}  // namespace maxio::metrics
