// The cluster and node scrape documents.

#include "daemon/metrics/collectors.h"

#include <chrono>

#include "daemon/metrics/health.h"

namespace maxio::metrics {

namespace {

Labels with(const Labels& common, Labels more) {
  more.insert(more.end(), common.begin(), common.end());
  return more;
}

double as_double(uint64_t value) { return static_cast<double>(value); }

double seconds_since_epoch(Timestamp t) {
  return std::chrono::duration<double>(t.time_since_epoch()).count();
}

struct DriveCounts {
  int online = 0, offline = 0, healing = 0, total = 0;
};

DriveCounts count_drives(const StorageInfo& storage) {
  DriveCounts counts;
  for (const DriveStatus& drive : storage.drives) {
    ++counts.total;
    if (drive.state == "online") {
      ++counts.online;
    } else if (drive.state == "healing") {
      ++counts.healing;
    } else {
      ++counts.offline;
    }
  }
  return counts;
}

Labels common_labels(const ScrapeInput& input) { return {{"server", input.server}}; }

}  // namespace

void add_cluster_metrics(MetricSet& out, const StorageInfo& storage, Timestamp now,
                         const Labels& common) {
  // Drives.
  DriveCounts drives = count_drives(storage);
  out.family("minio_cluster_drives_online", MetricType::kGauge,
             "Drives online in this cluster (not counting healing drives)")
      .set(common, drives.online);
  out.family("minio_cluster_drives_offline", MetricType::kGauge, "Drives offline in this cluster")
      .set(common, drives.offline);
  out.family("minio_cluster_drives_healing", MetricType::kGauge,
             "Drives being rebuilt by healing in this cluster")
      .set(common, drives.healing);
  out.family("minio_cluster_drives", MetricType::kGauge, "Drives in this cluster")
      .set(common, drives.total);

  // Capacity of the drives that answer; usable capacity counts only data shards.
  uint64_t raw_total = 0, raw_free = 0;
  double usable_total = 0, usable_free = 0;
  for (const DriveStatus& drive : storage.drives) {
    if (drive.state == "offline") continue;
    raw_total += drive.total_bytes;
    raw_free += drive.free_bytes;
    int set_drives = drive.pool_index < static_cast<int>(storage.drives_per_set.size())
                         ? storage.drives_per_set[drive.pool_index]
                         : 0;
    if (set_drives > 0) {
      double data_fraction = static_cast<double>(set_drives - storage.standard_parity) / set_drives;
      usable_total += as_double(drive.total_bytes) * data_fraction;
      usable_free += as_double(drive.free_bytes) * data_fraction;
    }
  }
  out.family("minio_cluster_capacity_raw_total_bytes", MetricType::kGauge,
             "Total capacity online in the cluster")
      .set(common, as_double(raw_total));
  out.family("minio_cluster_capacity_raw_free_bytes", MetricType::kGauge,
             "Total free capacity online in the cluster")
      .set(common, as_double(raw_free));
  out.family("minio_cluster_capacity_usable_total_bytes", MetricType::kGauge,
             "Total usable capacity online in the cluster (data shards only)")
      .set(common, static_cast<double>(static_cast<uint64_t>(usable_total)));
  out.family("minio_cluster_capacity_usable_free_bytes", MetricType::kGauge,
             "Total free usable capacity online in the cluster (data shards only)")
      .set(common, static_cast<double>(static_cast<uint64_t>(usable_free)));

  // Quorum health, as /minio/health/cluster judges it.
  ClusterHealth health = cluster_health(storage);
  out.family("minio_cluster_write_quorum", MetricType::kGauge,
             "Maximum write quorum across all pools and sets")
      .set(common, health.write_quorum);
  out.family("minio_cluster_health_status", MetricType::kGauge,
             "Get current cluster health status (1: every erasure set has write quorum)")
      .set(common, health.healthy ? 1 : 0);
  auto& set_status = out.family("minio_cluster_health_erasure_set_status", MetricType::kGauge,
                                "Get current health status for this erasure set");
  auto& set_read = out.family("minio_cluster_health_erasure_set_read_quorum", MetricType::kGauge,
                              "Get the read quorum for this erasure set");
  auto& set_write = out.family("minio_cluster_health_erasure_set_write_quorum", MetricType::kGauge,
                               "Get the write quorum for this erasure set");
  auto& set_online =
      out.family("minio_cluster_health_erasure_set_online_drives", MetricType::kGauge,
                 "Get the count of the online drives in this erasure set (healing included)");
  auto& set_healing =
      out.family("minio_cluster_health_erasure_set_healing_drives", MetricType::kGauge,
                 "Get the count of healing drives of this erasure set");
  for (const ErasureSetHealth& s : health.sets) {
    Labels labels =
        with(common, {{"pool", std::to_string(s.pool)}, {"set", std::to_string(s.set)}});
    set_status.set(labels, s.healthy ? 1 : 0);
    set_read.set(labels, s.read_quorum);
    set_write.set(labels, s.write_quorum);
    set_online.set(labels, s.online_drives);
    set_healing.set(labels, s.healing_drives);
  }

  // Usage, as the last complete scanner cycle counted it.
  if (storage.usage_updated) {
    auto since = std::chrono::duration_cast<std::chrono::nanoseconds>(now - *storage.usage_updated);
    out.family("minio_usage_last_activity_nano_seconds", MetricType::kGauge,
               "Time elapsed (in nano seconds) since last scan activity")
        .set(common, static_cast<double>(since.count() > 0 ? since.count() : 0));
    uint64_t objects = 0, bytes = 0;
    auto& bucket_objects = out.family("minio_bucket_usage_objects", MetricType::kGauge,
                                      "Total number of objects in a bucket");
    auto& bucket_bytes = out.family("minio_bucket_usage_total_bytes", MetricType::kGauge,
                                    "Total bucket size in bytes");
    for (const BucketUsage& usage : storage.usage) {
      Labels labels = with(common, {{"bucket", usage.bucket}});
      bucket_objects.set(labels, as_double(usage.objects));
      bucket_bytes.set(labels, as_double(usage.bytes));
      objects += usage.objects;
      bytes += usage.bytes;
    }
    out.family("minio_cluster_usage_objects", MetricType::kGauge,
               "Total number of objects in a cluster")
        .set(common, as_double(objects));
    out.family("minio_cluster_usage_total_bytes", MetricType::kGauge,
               "Total cluster usage in bytes")
        .set(common, as_double(bytes));
    out.family("minio_cluster_buckets", MetricType::kGauge,
               "Total number of buckets in the cluster")
        .set(common, as_double(storage.usage.size()));
  }

  // Healing and the scanner, since start.
  const HealingCounters& heal = storage.healing;
  out.family("minio_heal_objects_total", MetricType::kCounter,
             "Objects scanned by healing since server uptime")
      .set(common, as_double(heal.objects_scanned));
  out.family("minio_heal_objects_heal_total", MetricType::kCounter,
             "Objects healed since server uptime")
      .set(common, as_double(heal.objects_healed));
  out.family("minio_heal_objects_errors_total", MetricType::kCounter,
             "Objects with healing failed since server uptime")
      .set(common, as_double(heal.objects_heal_failed));
  out.family("minio_heal_objects_dangling_removed_total", MetricType::kCounter,
             "Dangling objects (without read quorum anywhere) removed since server uptime")
      .set(common, as_double(heal.dangling_removed));
  out.family("minio_heal_mrf_queued_total", MetricType::kCounter,
             "Objects queued for healing because a write or read missed a drive")
      .set(common, as_double(heal.mrf_queued));
  out.family("minio_heal_mrf_pending", MetricType::kGauge, "Objects waiting in the heal queue")
      .set(common, as_double(heal.mrf_pending));
  out.family("minio_heal_scanner_cycles_total", MetricType::kCounter,
             "Complete scanner cycles over every erasure set since server uptime")
      .set(common, as_double(heal.scanner_cycles));
  out.family("minio_heal_scanner_running", MetricType::kGauge,
             "1 while a scanner cycle is in progress")
      .set(common, heal.scanner_running ? 1 : 0);
}

void add_node_drive_metrics(MetricSet& out, const StorageInfo& storage, const Labels& common) {
  DriveCounts drives = count_drives(storage);
  out.family("minio_node_drives_online", MetricType::kGauge,
             "Drives online in this node (not counting healing drives)")
      .set(common, drives.online);
  out.family("minio_node_drives_offline", MetricType::kGauge, "Drives offline in this node")
      .set(common, drives.offline);
  out.family("minio_node_drives_healing", MetricType::kGauge,
             "Drives being rebuilt by healing in this node")
      .set(common, drives.healing);
  out.family("minio_node_drives", MetricType::kGauge, "Drives in this node")
      .set(common, drives.total);

  auto& used = out.family("minio_node_drive_used_bytes", MetricType::kGauge,
                          "Total storage used on a drive");
  auto& free = out.family("minio_node_drive_free_bytes", MetricType::kGauge,
                          "Total storage available on a drive");
  auto& total =
      out.family("minio_node_drive_total_bytes", MetricType::kGauge, "Total storage on a drive");
  auto& online = out.family("minio_node_drive_online", MetricType::kGauge,
                            "1 when the drive is online or healing, 0 when offline");
  auto& healed = out.family("minio_node_drive_healed_shards_total", MetricType::kCounter,
                            "Shards healing rebuilt onto a drive since server uptime");
  for (const DriveStatus& drive : storage.drives) {
    Labels labels = with(common, {{"drive", drive.endpoint},
                                  {"pool", std::to_string(drive.pool_index)},
                                  {"set", std::to_string(drive.set_index)}});
    used.set(labels, as_double(drive.used_bytes));
    free.set(labels, as_double(drive.free_bytes));
    total.set(labels, as_double(drive.total_bytes));
    online.set(labels, drive.state == "offline" ? 0 : 1);
    healed.set(labels, as_double(drive.healed_shards));
  }
  out.family("minio_node_storage_class_standard_parity", MetricType::kGauge,
             "standard storage class parity")
      .set(common, storage.standard_parity);
  out.family("minio_node_storage_class_rrs_parity", MetricType::kGauge,
             "reduced redundancy storage class parity")
      .set(common, storage.rrs_parity);
}

void add_process_metrics(MetricSet& out, const std::optional<ProcessStats>& process,
                         const std::string& version, Timestamp now, const Labels& common) {
  out.family("minio_software_version_info", MetricType::kGauge,
             "The server's version, in the version label (value 1)")
      .set(with(common, {{"version", version}}), 1);
  if (!process) return;
  out.family("minio_node_process_cpu_seconds_total", MetricType::kCounter,
             "Total user and system CPU time spent in seconds")
      .set(common, process->cpu_seconds);
  out.family("minio_node_process_resident_memory_bytes", MetricType::kGauge,
             "Resident memory size in bytes")
      .set(common, as_double(process->resident_memory_bytes));
  out.family("minio_node_process_virtual_memory_bytes", MetricType::kGauge,
             "Virtual memory size in bytes")
      .set(common, as_double(process->virtual_memory_bytes));
  out.family("minio_node_file_descriptor_open", MetricType::kGauge,
             "Total number of open file descriptors by the server process")
      .set(common, as_double(process->open_fds));
  out.family("minio_node_file_descriptor_limit", MetricType::kGauge,
             "Limit on total number of open file descriptors for the server process")
      .set(common, as_double(process->fd_limit));
  out.family("minio_node_process_starttime_seconds", MetricType::kGauge,
             "Start time for the server process, in seconds since the Unix epoch")
      .set(common, process->start_time_seconds);
  double uptime = seconds_since_epoch(now) - process->start_time_seconds;
  out.family("minio_node_process_uptime_seconds", MetricType::kGauge,
             "Uptime for the server process in seconds")
      .set(common, uptime > 0 ? uptime : 0);
}

std::string render_cluster_metrics(const ScrapeInput& input) {
  MetricSet out;
  Labels common = common_labels(input);
  add_cluster_metrics(out, input.storage, input.now, common);
  add_request_metrics(out, input.requests, common);
  add_process_metrics(out, input.process, input.version, input.now, common);
  return out.render();
}

std::string render_node_metrics(const ScrapeInput& input) {
  MetricSet out;
  Labels common = common_labels(input);
  add_node_drive_metrics(out, input.storage, common);
  add_request_metrics(out, input.requests, common);
  add_process_metrics(out, input.process, input.version, input.now, common);
  return out.render();
}

}  // namespace maxio::metrics
