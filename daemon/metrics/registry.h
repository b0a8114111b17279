#pragma once
// MetricsRegistry: the daemon's own counters — requests by API and status code, their
// latency, bytes in and out — fed by a RequestLog subscriber, and the server name every
// series is labelled with. One per daemon, held by the ServerContext (no globals).
// Thread-safe: record() runs on the request threads while scrapes take snapshots.

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "daemon/metrics/exposition.h"
#include "daemon/observe/request_log.h"

namespace maxio::metrics {

// Upper bounds (seconds) of the request latency histogram: 1 ms to 10 s, then +Inf.
const std::vector<double>& default_latency_bounds();

struct ApiStats {
  std::map<int, uint64_t> by_status;  // HTTP status -> requests
  Histogram latency;                  // seconds, over latency bounds
  uint64_t requests() const;
  uint64_t errors_4xx() const;
  uint64_t errors_5xx() const;
};

struct RequestStats {
  std::map<std::string, ApiStats> apis;  // by RequestRecord::api
  uint64_t bytes_received = 0;           // request bodies
  uint64_t bytes_sent = 0;               // response bodies
};

class MetricsRegistry {
 public:
  explicit MetricsRegistry(std::vector<double> latency_bounds = default_latency_bounds());
  MetricsRegistry(const MetricsRegistry&) = delete;
  MetricsRegistry& operator=(const MetricsRegistry&) = delete;

  // Counts one finished request (the RequestLog subscriber). A record with status 0 (the
  // connection failed before any response) counts with status 0.
  void record(const RequestRecord& record);
  // A consistent copy of every counter.
  RequestStats snapshot() const;

  // The value of the "server" label ("host:port"), set at start-up once the port is bound.
  void set_server_name(std::string name);
  std::string server_name() const;

 private:
  const std::vector<double> latency_bounds_;
  mutable std::mutex mu_;
  RequestStats stats_;       // guarded by mu_
  std::string server_name_;  // guarded by mu_
};

// Adds the request families of `stats` to `out`, each sample labelled with `common` too:
// minio_s3_requests_total, minio_s3_requests_errors_total, minio_s3_requests_4xx_errors_total,
// minio_s3_requests_5xx_errors_total, minio_s3_requests_by_code_total,
// minio_s3_requests_ttlb_seconds (histogram), minio_s3_traffic_received_bytes_total and
// minio_s3_traffic_sent_bytes_total.
void add_request_metrics(MetricSet& out, const RequestStats& stats, const Labels& common);

}  // namespace maxio::metrics
