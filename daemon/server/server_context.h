#pragma once
// ServerContext: the one object that holds what the daemon shares across requests (MinIO
// keeps these in globals). Built once at start-up by daemon/server, then read by every
// handler; members are thread-safe or immutable after start-up.

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "daemon/auth/auth.h"
#include "daemon/bucket/bucket_metadata_store.h"
#include "daemon/metrics/registry.h"
#include "daemon/observe/request_log.h"
#include "daemon/storage/object_layer.h"

namespace maxio {

// One server pool: its drives in command-line order (after ellipsis expansion), cut into
// erasure sets of set_drive_count consecutive drives. A one-drive pool has
// set_drive_count 1 (MinIO's "xl-single").
struct PoolConfig {
  std::vector<std::string> drives;
  int set_drive_count = 0;

  int set_count() const {
    return set_drive_count > 0 ? static_cast<int>(drives.size()) / set_drive_count : 0;
  }
  bool operator==(const PoolConfig&) const = default;
};

// Who may scrape /minio/v2/metrics/* (MAXIO_PROMETHEUS_AUTH_TYPE): the holder of a bearer
// JWT signed with a known secret (MinIO's default), or anyone.
enum class PrometheusAuthType { kJwt, kPublic };

struct ServerConfig {
  std::string address = ":9000";  // listen address, "[host]:port"
  std::string region = "us-east-1";
  std::vector<std::string> domains;  // --domain: enables virtual-host-style addressing
  std::vector<std::string> drives;   // every pool's drives, pool after pool
  std::vector<PoolConfig> pools;
  // Parity of the STANDARD and REDUCED_REDUNDANCY storage classes ("EC:N" in
  // MAXIO_STORAGE_CLASS_*); -1 means MinIO's default for the set size.
  int standard_parity = -1;
  int rrs_parity = -1;
  // Background healing (MAXIO_SCANNER_INTERVAL, MAXIO_DRIVE_PROBE_INTERVAL,
  // MAXIO_SCANNER_DEEP_EVERY): how often the scanner walks every set, how often drives are
  // probed, and which cycles also verify every shard's bitrot hashes (0: none).
  std::chrono::milliseconds scanner_interval = std::chrono::minutes(1);
  std::chrono::milliseconds drive_probe_interval = std::chrono::seconds(5);
  // MAXIO_DRIVE_MAX_TIMEOUT: a drive call unanswered this long takes the drive offline.
  std::chrono::milliseconds drive_timeout = std::chrono::seconds(30);
  int deep_scan_every = 0;
  // Multipart uploads older than this are removed (MAXIO_API_STALE_UPLOADS_EXPIRY, MinIO's
  // api.stale_uploads_expiry), checked every stale_uploads_cleanup_interval
  // (MAXIO_API_STALE_UPLOADS_CLEANUP_INTERVAL; 0 turns the sweep off).
  std::chrono::milliseconds stale_uploads_expiry = std::chrono::hours(24);
  std::chrono::milliseconds stale_uploads_cleanup_interval = std::chrono::hours(6);
  PrometheusAuthType prometheus_auth = PrometheusAuthType::kJwt;
  // Keys of the admin configuration document ("region", "scanner.interval",
  // "scanner.deep_every", "drive_probe_interval") set on the command line or in the
  // environment: as in MinIO, they win over the settings stored through the admin API.
  std::vector<std::string> pinned_settings;
  auth::Credentials root;
};

// What POST /maxio/admin/v1/service/{stop,restart} asks of the process.
enum class ServiceAction {
  kStop,     // drain and exit 0, as on SIGTERM
  kRestart,  // drain, then re-execute the same binary with the same arguments and environment
};

struct ServerContext {
  ServerConfig config;
  std::chrono::system_clock::time_point started = std::chrono::system_clock::now();
  metrics::MetricsRegistry metrics;  // request counters; outlives request_log's subscriber
  RequestLog request_log;            // every finished request (trace, metrics)
  std::unique_ptr<auth::CredentialProvider> credentials;
  std::unique_ptr<ObjectLayer> object_layer;
  // Every bucket's configuration, over object_layer (declared after it: destroyed first).
  std::unique_ptr<BucketMetadataStore> bucket_metadata;
  // Set by the process that runs the Daemon (maxiod's main) before serving, read-only after:
  // records the action and wakes the thread that owns the Daemon, then returns at once. It
  // is called on a worker thread after the admin response was sent. Empty: the service
  // routes answer 501.
  std::function<void(ServiceAction)> service_hook;
  auth::AuthConfig auth_config() const {
    auth::AuthConfig c;
    c.region = config.region;
    c.credentials = credentials.get();
    return c;
  }
};

}  // namespace maxio
