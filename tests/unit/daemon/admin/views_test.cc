// The JSON documents of the admin routes (their shapes as docs/admin-api.md shows them),
// and that a trace line never carries a signature or token.

#include "daemon/admin/views.h"

#include <gtest/gtest.h>

#include "shared/util/time.h"

namespace maxio::admin {
namespace {

using std::chrono::seconds;

StorageInfo two_pools() {
  StorageInfo info;
  info.deployment_id = "dep-1";
  info.pools = 2;
  info.sets_per_pool = {2, 1};
  info.drives_per_set = {2, 3};
  info.standard_parity = 1;
  info.rrs_parity = 1;
  auto drive = [](int pool, int set, int index, const char* state) {
    DriveStatus d;
    d.endpoint = "/d/" + std::to_string(pool) + std::to_string(set) + std::to_string(index);
    d.state = state;
    d.reason = std::string(state) == "offline" ? "drive not found" : "";
    d.drive_id = "uuid-" + d.endpoint.substr(3);
    d.pool_index = pool;
    d.set_index = set;
    d.drive_index = index;
    d.total_bytes = 100;
    d.free_bytes = 60;
    d.used_bytes = 40;
    d.healed_shards = index;
    return d;
  };
  info.drives = {drive(0, 0, 0, "online"),  drive(0, 0, 1, "offline"), drive(0, 1, 0, "online"),
                 drive(0, 1, 1, "healing"), drive(1, 0, 0, "online"),  drive(1, 0, 1, "online"),
                 drive(1, 0, 2, "online")};
  info.usage = {{"alpha", 3, 300}, {"beta", 1, 10}};
  info.usage_updated = parse_iso8601("2024-05-06T07:08:09.000Z").value();
  info.healing.objects_scanned = 9;
  info.healing.scanner_cycles = 2;
  return info;
}

TEST(AdminViewsTest, Info) {
  ServerIdentity server;
  server.version = "0.1.0";
  server.region = "us-east-1";
  server.endpoints = {"http://127.0.0.1:9000"};
  server.started = parse_iso8601("2024-05-06T07:00:00.000Z").value();
  server.now = server.started + seconds(125);
  const auto info = info_json(server, two_pools());
  EXPECT_EQ(info.dump(),
            R"({"version":"0.1.0","started":"2024-05-06T07:00:00.000Z","uptime_seconds":125,)"
            R"("deployment_id":"dep-1","region":"us-east-1","endpoints":["http://127.0.0.1:9000"],)"
            R"("pools":2,"sets":3,"drives":7,"drives_online":5,"drives_offline":1,)"
            R"("drives_healing":1,"parity":{"standard":1,"rrs":1}})");
}

TEST(AdminViewsTest, TopologyGroupsDrivesByPoolAndSet) {
  const auto topology = topology_json(two_pools());
  EXPECT_EQ(topology["deployment_id"], "dep-1");
  ASSERT_EQ(topology["pools"].size(), 2u);
  const auto& pool0 = topology["pools"][0];
  EXPECT_EQ(pool0["index"], 0);
  EXPECT_EQ(pool0["drives_per_set"], 2);
  ASSERT_EQ(pool0["sets"].size(), 2u);
  ASSERT_EQ(pool0["sets"][1]["drives"].size(), 2u);
  EXPECT_EQ(pool0["sets"][1]["drives"][1]["state"], "healing");
  EXPECT_EQ(topology["pools"][1]["sets"][0]["drives"].size(), 3u);
  EXPECT_EQ(pool0["sets"][0]["drives"][1].dump(),
            R"({"endpoint":"/d/001","state":"offline","reason":"drive not found",)"
            R"("uuid":"uuid-001","pool":0,"set":0,"index":1,"total_bytes":100,)"
            R"("free_bytes":60,"used_bytes":40,"healed_shards":1})");
}

TEST(AdminViewsTest, DataUsageWithTotals) {
  EXPECT_EQ(
      datausage_json(two_pools()).dump(),
      R"({"updated":"2024-05-06T07:08:09.000Z","buckets":[)"
      R"({"bucket":"alpha","objects":3,"bytes":300},{"bucket":"beta","objects":1,"bytes":10}],)"
      R"("totals":{"buckets":2,"objects":4,"bytes":310}})");
  EXPECT_EQ(datausage_json(StorageInfo{}).dump(),
            R"({"updated":null,"buckets":[],"totals":{"buckets":0,"objects":0,"bytes":0}})");
}

TEST(AdminViewsTest, HealStatus) {
  HealingCounters background;
  background.mrf_queued = 4;
  auto idle = heal_status_json(std::nullopt, background);
  EXPECT_EQ(idle["state"], "idle");
  EXPECT_EQ(idle["background"]["mrf_queued"], 4);

  HealRunStatus run;
  run.id = "run-1";
  run.request = {"alpha", "logs/", true};
  run.state = HealState::kFailed;
  run.started = parse_iso8601("2024-05-06T07:00:00.000Z").value();
  run.finished = run.started + seconds(3);
  run.buckets_total = 1;
  run.buckets_done = 1;
  run.totals.objects_scanned = 10;
  run.totals.objects_healed = 2;
  run.errors = {{"alpha", "kInsufficientReadQuorum"}};
  const auto status = heal_status_json(run, background);
  EXPECT_EQ(status["state"], "failed");
  EXPECT_EQ(status["bucket"], "alpha");
  EXPECT_EQ(status["prefix"], "logs/");
  EXPECT_EQ(status["deep"], true);
  EXPECT_EQ(status["finished"], "2024-05-06T07:00:03.000Z");
  EXPECT_EQ(status["counters"].dump(),
            R"({"buckets":0,"objects_scanned":10,"objects_healed":2,"objects_failed":0,)"
            R"("dangling_removed":0})");
  EXPECT_EQ(status["errors"][0]["bucket"], "alpha");
  EXPECT_EQ(status["background"]["mrf_queued"], 4);
}

TEST(AdminViewsTest, TraceLineRedactsSignaturesAndTokens) {
  RequestRecord record;
  record.time = parse_iso8601("2024-05-06T07:00:00.000Z").value();
  record.request_id = "ABC";
  record.api = "GetObject";
  record.method = "GET";
  record.path = "/b/k";
  record.raw_query =
      "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AK%2F20240506%2Fus-east-1%2Fs3"
      "&X-Amz-Signature=deadbeef&x-amz-security-token=tok&Signature=v2sig&versionId=1";
  record.bucket = "b";
  record.key = "k";
  record.status = 200;
  record.duration = std::chrono::microseconds(1500);
  record.access_key = "AK";
  const auto line = trace_json(record);
  const std::string query = line["query"];
  EXPECT_EQ(query,
            "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AK%2F20240506%2Fus-east-1%2Fs3"
            "&X-Amz-Signature=REDACTED&x-amz-security-token=REDACTED&Signature=REDACTED"
            "&versionId=1");
  EXPECT_EQ(line.dump().find("deadbeef"), std::string::npos);
  EXPECT_EQ(line["duration_us"], 1500);
  EXPECT_EQ(line["api"], "GetObject");
  EXPECT_EQ(redact_query(""), "");
  EXPECT_EQ(redact_query("acl"), "acl");
  EXPECT_EQ(redact_query("a=1&&b"), "a=1&&b");
}

TEST(AdminViewsTest, LogLine) {
  LogEntry entry{parse_iso8601("2024-05-06T07:00:00.000Z").value(), LogLevel::kWarning, "hi"};
  EXPECT_EQ(log_json(entry).dump(),
            R"({"time":"2024-05-06T07:00:00.000Z","level":"WARNING","message":"hi"})");
}

}  // namespace
}  // namespace maxio::admin
