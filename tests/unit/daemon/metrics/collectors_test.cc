// The cluster and node documents over a synthetic StorageInfo, and /proc parsing.

#include "daemon/metrics/collectors.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <vector>

#include "daemon/metrics/process.h"

namespace maxio::metrics {
namespace {

using std::chrono::seconds;

bool contains(const std::string& text, const std::string& line) {
  return text.find(line + "\n") != std::string::npos;
}

// One pool, one set of 4 drives (EC:2): d0 online, d1 healing, d2 offline, d3 online.
ScrapeInput sample_input() {
  ScrapeInput input;
  input.server = "node1:9000";
  input.version = "1.2.3";
  input.now = Timestamp(seconds(1000000));
  StorageInfo& s = input.storage;
  s.pools = 1;
  s.sets_per_pool = {1};
  s.drives_per_set = {4};
  s.standard_parity = 2;
  s.rrs_parity = 1;
  const char* states[] = {"online", "healing", "offline", "online"};
  for (int d = 0; d < 4; ++d) {
    DriveStatus drive;
    drive.endpoint = "/data/d" + std::to_string(d);
    drive.state = states[d];
    drive.pool_index = 0;
    drive.set_index = 0;
    drive.drive_index = d;
    drive.total_bytes = drive.state == "offline" ? 0 : 1000;
    drive.free_bytes = drive.state == "offline" ? 0 : 400;
    drive.used_bytes = drive.state == "offline" ? 0 : 600;
    drive.healed_shards = d == 1 ? 7 : 0;
    s.drives.push_back(drive);
  }
  s.healing.objects_scanned = 11;
  s.healing.objects_healed = 3;
  s.healing.objects_heal_failed = 1;
  s.healing.dangling_removed = 2;
  s.healing.mrf_queued = 5;
  s.healing.mrf_pending = 4;
  s.healing.scanner_cycles = 9;
  s.healing.scanner_running = true;
  s.usage = {{"photos", 10, 2048}, {"logs \"2024\"", 1, 5}};
  s.usage_updated = Timestamp(seconds(999998));
  input.requests.bytes_received = 77;
  ProcessStats process;
  process.cpu_seconds = 1.5;
  process.resident_memory_bytes = 4096;
  process.virtual_memory_bytes = 8192;
  process.open_fds = 12;
  process.fd_limit = 1024;
  process.start_time_seconds = 999000;
  input.process = process;
  return input;
}

TEST(CollectorsTest, ClusterDocument) {
  const std::string text = render_cluster_metrics(sample_input());
  const std::string s = "{server=\"node1:9000\"}";
  for (const std::string& line : std::vector<std::string>{
           "minio_cluster_drives_online" + s + " 2",
           "minio_cluster_drives_healing" + s + " 1",
           "minio_cluster_drives_offline" + s + " 1",
           "minio_cluster_drives" + s + " 4",
           "minio_cluster_capacity_raw_total_bytes" + s + " 3000",
           "minio_cluster_capacity_raw_free_bytes" + s + " 1200",
           "minio_cluster_capacity_usable_total_bytes" + s + " 1500",
           "minio_cluster_capacity_usable_free_bytes" + s + " 600",
           "minio_cluster_write_quorum" + s + " 3",
           "minio_cluster_health_status" + s + " 1",
           "minio_cluster_health_erasure_set_online_drives{pool=\"0\",server=\"node1:9000\","
           "set=\"0\"} 3",
           "minio_cluster_health_erasure_set_healing_drives{pool=\"0\",server=\"node1:9000\","
           "set=\"0\"} 1",
           "minio_cluster_health_erasure_set_write_quorum{pool=\"0\",server=\"node1:9000\","
           "set=\"0\"} 3",
           "minio_cluster_health_erasure_set_read_quorum{pool=\"0\",server=\"node1:9000\","
           "set=\"0\"} 2",
           "minio_cluster_health_erasure_set_status{pool=\"0\",server=\"node1:9000\",set=\"0\"} 1",
           "minio_bucket_usage_objects{bucket=\"photos\",server=\"node1:9000\"} 10",
           "minio_bucket_usage_total_bytes{bucket=\"photos\",server=\"node1:9000\"} 2048",
           "minio_bucket_usage_objects{bucket=\"logs \\\"2024\\\"\",server=\"node1:9000\"} 1",
           "minio_cluster_usage_objects" + s + " 11",
           "minio_cluster_usage_total_bytes" + s + " 2053",
           "minio_cluster_buckets" + s + " 2",
           "minio_usage_last_activity_nano_seconds" + s + " 2000000000",
           "minio_heal_objects_total" + s + " 11",
           "minio_heal_objects_heal_total" + s + " 3",
           "minio_heal_objects_errors_total" + s + " 1",
           "minio_heal_objects_dangling_removed_total" + s + " 2",
           "minio_heal_mrf_queued_total" + s + " 5",
           "minio_heal_mrf_pending" + s + " 4",
           "minio_heal_scanner_cycles_total" + s + " 9",
           "minio_heal_scanner_running" + s + " 1",
           // This node's requests and process are part of the cluster document too.
           "minio_s3_traffic_received_bytes_total" + s + " 77",
           "minio_node_process_cpu_seconds_total" + s + " 1.5",
           "minio_node_process_resident_memory_bytes" + s + " 4096",
           "minio_node_process_virtual_memory_bytes" + s + " 8192",
           "minio_node_file_descriptor_open" + s + " 12",
           "minio_node_file_descriptor_limit" + s + " 1024",
           "minio_node_process_starttime_seconds" + s + " 999000",
           "minio_node_process_uptime_seconds" + s + " 1000",
           "minio_software_version_info{server=\"node1:9000\",version=\"1.2.3\"} 1",
           "# TYPE minio_heal_objects_total counter",
           "# TYPE minio_cluster_drives_online gauge",
       }) {
    EXPECT_TRUE(contains(text, line)) << "missing: " << line << "\n" << text;
  }
  // Per-drive series belong to the node document.
  EXPECT_EQ(text.find("minio_node_drive_used_bytes"), std::string::npos);
}

TEST(CollectorsTest, UsageIsLeftOutBeforeTheFirstScannerCycle) {
  ScrapeInput input = sample_input();
  input.storage.usage.clear();
  input.storage.usage_updated.reset();
  const std::string text = render_cluster_metrics(input);
  EXPECT_EQ(text.find("minio_bucket_usage"), std::string::npos);
  EXPECT_EQ(text.find("minio_cluster_usage"), std::string::npos);
  EXPECT_EQ(text.find("minio_usage_last_activity"), std::string::npos);
}

TEST(CollectorsTest, LostQuorumShowsInTheHealthFamilies) {
  ScrapeInput input = sample_input();
  input.storage.drives[0].state = "offline";  // 2 of 4 usable: below write quorum 3
  const std::string text = render_cluster_metrics(input);
  EXPECT_TRUE(contains(text, "minio_cluster_health_status{server=\"node1:9000\"} 0")) << text;
  EXPECT_TRUE(contains(
      text,
      "minio_cluster_health_erasure_set_status{pool=\"0\",server=\"node1:9000\",set=\"0\"} 0"))
      << text;
}

TEST(CollectorsTest, NodeDocument) {
  const std::string text = render_node_metrics(sample_input());
  const std::string s = "{server=\"node1:9000\"}";
  const std::string d1 = "{drive=\"/data/d1\",pool=\"0\",server=\"node1:9000\",set=\"0\"}";
  const std::string d2 = "{drive=\"/data/d2\",pool=\"0\",server=\"node1:9000\",set=\"0\"}";
  for (const std::string& line : std::vector<std::string>{
           "minio_node_drives_online" + s + " 2",
           "minio_node_drives_offline" + s + " 1",
           "minio_node_drives_healing" + s + " 1",
           "minio_node_drives" + s + " 4",
           "minio_node_drive_used_bytes" + d1 + " 600",
           "minio_node_drive_free_bytes" + d1 + " 400",
           "minio_node_drive_total_bytes" + d1 + " 1000",
           "minio_node_drive_online" + d1 + " 1",
           "minio_node_drive_online" + d2 + " 0",
           "minio_node_drive_healed_shards_total" + d1 + " 7",
           "minio_node_storage_class_standard_parity" + s + " 2",
           "minio_node_storage_class_rrs_parity" + s + " 1",
           "minio_s3_traffic_received_bytes_total" + s + " 77",
           "minio_node_process_uptime_seconds" + s + " 1000",
       }) {
    EXPECT_TRUE(contains(text, line)) << "missing: " << line << "\n" << text;
  }
  EXPECT_EQ(text.find("minio_cluster_"), std::string::npos);
  EXPECT_EQ(text.find("minio_heal_"), std::string::npos);
}

TEST(CollectorsTest, WithoutProcStatsOnlyTheVersionIsReported) {
  ScrapeInput input = sample_input();
  input.process.reset();
  const std::string text = render_node_metrics(input);
  EXPECT_EQ(text.find("minio_node_process_"), std::string::npos);
  EXPECT_NE(text.find("minio_software_version_info"), std::string::npos);
}

TEST(ProcessTest, ParsesProcStat) {
  // A command name with spaces and parentheses; fields as proc(5) numbers them.
  const std::string line =
      "4242 (my (odd) name) S 1 4242 4242 0 -1 4194560 1234 0 0 0 "
      "150 50 0 0 20 0 9 0 777 123456789 2500 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 "
      "17 1 0 0 0 0 0\n";
  auto stat = parse_proc_stat(line);
  ASSERT_TRUE(stat.is_ok()) << stat.status().to_string();
  EXPECT_EQ(stat->utime_ticks, 150u);
  EXPECT_EQ(stat->stime_ticks, 50u);
  EXPECT_EQ(stat->start_ticks, 777u);
  EXPECT_EQ(stat->vsize_bytes, 123456789u);
  EXPECT_EQ(stat->rss_pages, 2500u);
  EXPECT_FALSE(parse_proc_stat("4242 no parens here").is_ok());
  EXPECT_FALSE(parse_proc_stat("4242 (short) S 1 2 3").is_ok());
}

TEST(ProcessTest, ParsesBootTime) {
  auto boot = parse_boot_time("cpu  1 2 3\nintr 5\nbtime 1700000000\nprocesses 9\n");
  ASSERT_TRUE(boot.is_ok());
  EXPECT_EQ(*boot, 1700000000u);
  EXPECT_FALSE(parse_boot_time("cpu 1 2 3\n").is_ok());
}

TEST(ProcessTest, ReadsThisProcess) {
  auto stats = read_process_stats();
  ASSERT_TRUE(stats.is_ok()) << stats.status().to_string();
  EXPECT_GT(stats->resident_memory_bytes, 0u);
  EXPECT_GE(stats->virtual_memory_bytes, stats->resident_memory_bytes);
  EXPECT_GE(stats->open_fds, 3u);  // stdin, stdout, stderr at least
  EXPECT_GT(stats->fd_limit, 0u);
  const double now =
      std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
  // Started within the last hour (the test binary just started), and not in the future
  // beyond the clock-tick rounding.
  EXPECT_LT(stats->start_time_seconds, now + 2);
  EXPECT_GT(stats->start_time_seconds, now - 3600);
  EXPECT_GE(stats->cpu_seconds, 0);
}

}  // namespace
}  // namespace maxio::metrics
