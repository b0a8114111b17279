#pragma once
// The two scrape documents, split as MinIO's v2 endpoints split them: /minio/v2/metrics/cluster
// has the storage-wide state (drives, capacity, quorum health, usage, healing) plus this
// node's requests and process; /minio/v2/metrics/node has this node's drives, requests and
// process. Every series carries the "server" label. Pure functions over a ScrapeInput.

#include <optional>
#include <string>

#include "daemon/metrics/exposition.h"
#include "daemon/metrics/process.h"
#include "daemon/metrics/registry.h"
#include "daemon/storage/object_layer.h"

namespace maxio::metrics {

struct ScrapeInput {
  std::string server;   // the "server" label: this node's host:port
  std::string version;  // maxiod's version, for minio_software_version_info
  StorageInfo storage;
  RequestStats requests;
  std::optional<ProcessStats> process;  // absent when /proc could not be read
  Timestamp now;
};

// Storage-wide families: drive counts and capacity, quorum health per erasure set, bucket
// usage from the last scanner cycle (left out before the first), healing and scanner
// counters.
void add_cluster_metrics(MetricSet& out, const StorageInfo& storage, Timestamp now,
                         const Labels& common);
// This node's drives: counts by state, per-drive bytes and healed shards (labels drive,
// pool, set), storage-class parity.
void add_node_drive_metrics(MetricSet& out, const StorageInfo& storage, const Labels& common);
// This process: CPU, memory, descriptors, start time and uptime, version.
void add_process_metrics(MetricSet& out, const std::optional<ProcessStats>& process,
                         const std::string& version, Timestamp now, const Labels& common);

// The text of each endpoint.
std::string render_cluster_metrics(const ScrapeInput& input);
std::string render_node_metrics(const ScrapeInput& input);

}  // namespace maxio::metrics
