// MetricsRegistry: counting RequestRecords (directly and through a RequestLog), and the
// request families it renders.

#include "daemon/metrics/registry.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

namespace maxio::metrics {
namespace {

RequestRecord request(std::string api, int status, uint64_t in, uint64_t out,
                      std::chrono::microseconds duration) {
  RequestRecord r;
  r.api = std::move(api);
  r.status = status;
  r.bytes_in = in;
  r.bytes_out = out;
  r.duration = duration;
  return r;
}

bool contains(const std::string& text, const std::string& line) {
  return text.find(line + "\n") != std::string::npos;
}

TEST(MetricsRegistryTest, CountsByApiAndStatus) {
  MetricsRegistry registry;
  using std::chrono::microseconds;
  registry.record(request("PutObject", 200, 1000, 0, microseconds(500)));
  registry.record(request("PutObject", 200, 24, 0, microseconds(20000)));
  registry.record(request("PutObject", 403, 0, 300, microseconds(100)));
  registry.record(request("GetObject", 200, 0, 5000, microseconds(3000000)));
  registry.record(request("GetObject", 404, 0, 200, microseconds(100)));
  registry.record(request("GetObject", 503, 0, 200, microseconds(100)));
  registry.record(request("Unknown", 0, 0, 0, microseconds(1)));

  RequestStats stats = registry.snapshot();
  ASSERT_EQ(stats.apis.size(), 3u);
  const ApiStats& put = stats.apis.at("PutObject");
  EXPECT_EQ(put.requests(), 3u);
  EXPECT_EQ(put.by_status.at(200), 2u);
  EXPECT_EQ(put.by_status.at(403), 1u);
  EXPECT_EQ(put.errors_4xx(), 1u);
  EXPECT_EQ(put.errors_5xx(), 0u);
  const ApiStats& get = stats.apis.at("GetObject");
  EXPECT_EQ(get.requests(), 3u);
  EXPECT_EQ(get.errors_4xx(), 1u);
  EXPECT_EQ(get.errors_5xx(), 1u);
  EXPECT_EQ(stats.apis.at("Unknown").by_status.at(0), 1u);
  EXPECT_EQ(stats.bytes_received, 1024u);
  EXPECT_EQ(stats.bytes_sent, 5700u);

  // Latency: 0.5 ms and 20 ms and 0.1 ms for PutObject.
  EXPECT_EQ(put.latency.count(), 3u);
  EXPECT_NEAR(put.latency.sum, 0.0206, 1e-9);
  EXPECT_EQ(put.latency.bounds, default_latency_bounds());
  EXPECT_EQ(put.latency.counts[0], 2u);  // <= 1 ms
  EXPECT_EQ(put.latency.counts[3], 1u);  // <= 25 ms
  EXPECT_EQ(get.latency.counts.back(), 0u);
  EXPECT_EQ(get.latency.counts[get.latency.bounds.size() - 2], 1u);  // 3 s: <= 5 s
}

TEST(MetricsRegistryTest, RendersRequestFamilies) {
  MetricsRegistry registry;
  registry.record(request("PutObject", 200, 10, 0, std::chrono::milliseconds(2)));
  registry.record(request("PutObject", 500, 5, 100, std::chrono::milliseconds(7)));
  MetricSet set;
  add_request_metrics(set, registry.snapshot(), {{"server", "node1:9000"}});
  std::string text = set.render();
  const std::string l = "{api=\"PutObject\",server=\"node1:9000\"}";
  EXPECT_TRUE(contains(text, "# TYPE minio_s3_requests_total counter")) << text;
  EXPECT_TRUE(contains(text, "minio_s3_requests_total" + l + " 2")) << text;
  EXPECT_TRUE(contains(text, "minio_s3_requests_errors_total" + l + " 1")) << text;
  EXPECT_TRUE(contains(text, "minio_s3_requests_4xx_errors_total" + l + " 0")) << text;
  EXPECT_TRUE(contains(text, "minio_s3_requests_5xx_errors_total" + l + " 1")) << text;
  EXPECT_TRUE(contains(text,
                       "minio_s3_requests_by_code_total{api=\"PutObject\",code=\"500\","
                       "server=\"node1:9000\"} 1"))
      << text;
  EXPECT_TRUE(contains(text, "# TYPE minio_s3_requests_ttlb_seconds histogram")) << text;
  EXPECT_TRUE(contains(text,
                       "minio_s3_requests_ttlb_seconds_bucket{api=\"PutObject\",server=\"node1:"
                       "9000\",le=\"0.005\"} 1"))
      << text;
  EXPECT_TRUE(contains(text,
                       "minio_s3_requests_ttlb_seconds_bucket{api=\"PutObject\",server=\"node1:"
                       "9000\",le=\"+Inf\"} 2"))
      << text;
  EXPECT_TRUE(contains(text, "minio_s3_requests_ttlb_seconds_count" + l + " 2")) << text;
  // 0.002 + 0.007 in doubles: 0.009 give or take the last digit.
  EXPECT_NE(text.find("minio_s3_requests_ttlb_seconds_sum" + l + " 0.00"), std::string::npos)
      << text;
  EXPECT_TRUE(contains(text, "minio_s3_traffic_received_bytes_total{server=\"node1:9000\"} 15"))
      << text;
  EXPECT_TRUE(contains(text, "minio_s3_traffic_sent_bytes_total{server=\"node1:9000\"} 100"))
      << text;
}

TEST(MetricsRegistryTest, FedByTheRequestLog) {
  MetricsRegistry registry;
  RequestLog log;
  uint64_t id = log.subscribe([&registry](const RequestRecord& r) { registry.record(r); });
  log.publish(request("ListBuckets", 200, 0, 321, std::chrono::microseconds(10)));
  log.publish(request("ListBuckets", 200, 0, 321, std::chrono::microseconds(10)));
  log.unsubscribe(id);
  log.publish(request("ListBuckets", 200, 0, 321, std::chrono::microseconds(10)));
  RequestStats stats = registry.snapshot();
  EXPECT_EQ(stats.apis.at("ListBuckets").requests(), 2u);
  EXPECT_EQ(stats.bytes_sent, 642u);
}

TEST(MetricsRegistryTest, CountsConcurrentRequests) {
  MetricsRegistry registry;
  constexpr int kThreads = 4, kPerThread = 5000;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&registry, t] {
      for (int i = 0; i < kPerThread; ++i) {
        registry.record(
            request(t % 2 ? "GetObject" : "PutObject", 200, 1, 2, std::chrono::microseconds(i)));
      }
    });
  }
  for (auto& thread : threads) thread.join();
  RequestStats stats = registry.snapshot();
  EXPECT_EQ(stats.apis.at("GetObject").requests() + stats.apis.at("PutObject").requests(),
            uint64_t{kThreads * kPerThread});
  EXPECT_EQ(stats.bytes_received, uint64_t{kThreads * kPerThread});
  EXPECT_EQ(stats.apis.at("GetObject").latency.count(), uint64_t{2 * kPerThread});
}

TEST(MetricsRegistryTest, ServerName) {
  MetricsRegistry registry;
  EXPECT_EQ(registry.server_name(), "");
  registry.set_server_name("host:9000");
  EXPECT_EQ(registry.server_name(), "host:9000");
}

}  // namespace
}  // namespace maxio::metrics
