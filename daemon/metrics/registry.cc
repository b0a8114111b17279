// Request counters and their Prometheus families.

#include "daemon/metrics/registry.h"

namespace maxio::metrics {

namespace {

Labels with(const Labels& common, Labels more) {
  more.insert(more.end(), common.begin(), common.end());
  return more;
}

uint64_t count_in(const std::map<int, uint64_t>& by_status, int low, int high) {
  uint64_t n = 0;
  for (auto it = by_status.lower_bound(low); it != by_status.end() && it->first < high; ++it) {
    n += it->second;
  }
  return n;
}

}  // namespace

const std::vector<double>& default_latency_bounds() {
  // MinIO's TTFB buckets (0.05 .. 10 s) with a finer low end: most small requests end in
  // a few milliseconds.
  static const std::vector<double> bounds = {0.001, 0.005, 0.01, 0.025, 0.05, 0.1,
                                             0.25,  0.5,   1,    2.5,   5,    10};
  return bounds;
}

uint64_t ApiStats::requests() const { return count_in(by_status, 0, 1000); }
uint64_t ApiStats::errors_4xx() const { return count_in(by_status, 400, 500); }
uint64_t ApiStats::errors_5xx() const { return count_in(by_status, 500, 600); }

MetricsRegistry::MetricsRegistry(std::vector<double> latency_bounds)
    : latency_bounds_(std::move(latency_bounds)) {}

void MetricsRegistry::record(const RequestRecord& record) {
  const double seconds = std::chrono::duration<double>(record.duration).count();
  std::lock_guard<std::mutex> lock(mu_);
  auto it = stats_.apis.find(record.api);
  if (it == stats_.apis.end()) {
    ApiStats fresh;
    fresh.latency = Histogram::with_bounds(latency_bounds_);
    it = stats_.apis.emplace(record.api, std::move(fresh)).first;
  }
  ++it->second.by_status[record.status];
  it->second.latency.observe(seconds);
  stats_.bytes_received += record.bytes_in;
  stats_.bytes_sent += record.bytes_out;
}

RequestStats MetricsRegistry::snapshot() const {
  std::lock_guard<std::mutex> lock(mu_);
  return stats_;
}

void MetricsRegistry::set_server_name(std::string name) {
  std::lock_guard<std::mutex> lock(mu_);
  server_name_ = std::move(name);
}

std::string MetricsRegistry::server_name() const {
  std::lock_guard<std::mutex> lock(mu_);
  return server_name_;
}

void add_request_metrics(MetricSet& out, const RequestStats& stats, const Labels& common) {
  auto& total =
      out.family("minio_s3_requests_total", MetricType::kCounter, "Total number of S3 requests");
  auto& errors = out.family("minio_s3_requests_errors_total", MetricType::kCounter,
                            "Total number of S3 requests with (4xx and 5xx) errors");
  auto& errors_4xx = out.family("minio_s3_requests_4xx_errors_total", MetricType::kCounter,
                                "Total number of S3 requests with (4xx) errors");
  auto& errors_5xx = out.family("minio_s3_requests_5xx_errors_total", MetricType::kCounter,
                                "Total number of S3 requests with (5xx) errors");
  auto& by_code = out.family("minio_s3_requests_by_code_total", MetricType::kCounter,
                             "Total number of S3 requests by HTTP status code");
  auto& latency = out.family("minio_s3_requests_ttlb_seconds", MetricType::kHistogram,
                             "Time from the arrival of a request to the last byte of its response");
  for (const auto& [api, s] : stats.apis) {
    total.set(with(common, {{"api", api}}), static_cast<double>(s.requests()));
    errors.set(with(common, {{"api", api}}), static_cast<double>(s.errors_4xx() + s.errors_5xx()));
    errors_4xx.set(with(common, {{"api", api}}), static_cast<double>(s.errors_4xx()));
    errors_5xx.set(with(common, {{"api", api}}), static_cast<double>(s.errors_5xx()));
    for (const auto& [status, n] : s.by_status) {
      by_code.set(with(common, {{"api", api}, {"code", std::to_string(status)}}),
                  static_cast<double>(n));
    }
    latency.set_histogram(with(common, {{"api", api}}), s.latency);
  }
  out.family("minio_s3_traffic_received_bytes_total", MetricType::kCounter,
             "Total number of s3 bytes received (request bodies)")
      .set(common, static_cast<double>(stats.bytes_received));
  out.family("minio_s3_traffic_sent_bytes_total", MetricType::kCounter,
             "Total number of s3 bytes sent (response bodies)")
      .set(common, static_cast<double>(stats.bytes_sent));
}

}  // namespace maxio::metrics
