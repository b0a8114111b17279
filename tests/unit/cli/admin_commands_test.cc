// maxioctl admin ... against a fake admin API (the real routes are on another branch):
// the requests each command sends, its text and JSON output, exit codes, heal progress
// until done, config get/set, trace streams and the Prometheus scrape config.

#include <gtest/gtest.h>

#include <atomic>

#include "shared/crypto/jwt.h"
#include "shared/util/encoding.h"
#include "shared/util/strings.h"
#include "tests/unit/cli/cli_test_support.h"

namespace maxio::cli {
namespace {

using maxio::testing::FakeHttpServer;
using maxio::testing::Reply;
using maxio::testing::SeenRequest;
using testing::Cli;
using testing::RunResult;
using json = nlohmann::json;

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

Reply json_reply(const json& body, int status = 200) {
  return {status, body.dump(), {{"Content-Type", "application/json"}}};
}

const json kInfo = {{"version", "0.1.0"},
                    {"uptime_seconds", 3725},
                    {"deployment_id", "dep-1"},
                    {"region", "us-east-1"},
                    {"pools", 1},
                    {"sets", 1},
                    {"drives", 2},
                    {"drives_online", 1},
                    {"drives_offline", 1},
                    {"drives_healing", 0},
                    {"parity", {{"standard", 1}, {"rrs", 1}}}};

const json kTopology = {{"deployment_id", "dep-1"},
                        {"pools",
                         {{{"index", 0},
                           {"drives_per_set", 2},
                           {"sets",
                            {{{"index", 0},
                              {"drives",
                               {{{"endpoint", "/data1"},
                                 {"state", "online"},
                                 {"reason", ""},
                                 {"index", 0},
                                 {"total_bytes", 1000},
                                 {"free_bytes", 750},
                                 {"used_bytes", 250}},
                                {{"endpoint", "/data2"},
                                 {"state", "offline"},
                                 {"reason", "no such file"},
                                 {"index", 1},
                                 {"total_bytes", 0},
                                 {"free_bytes", 0},
                                 {"used_bytes", 0}}}}}}}}}}};

class AdminCommandsTest : public ::testing::Test {
 protected:
  AdminCommandsTest() : server_([this](const SeenRequest& request) { return route(request); }) {
    cli_.add_alias("srv", server_.url(), "AKADMIN", "admin-secret");
  }

  virtual Reply route(const SeenRequest& request) {
    std::string route = request.path.substr(std::string("/maxio/admin/v1").size());
    if (route == "/info") return json_reply(kInfo);
    if (route == "/topology") return json_reply(kTopology);
    if (route == "/datausage") {
      return json_reply({{"updated", "2024-01-01T00:00:00.000Z"},
                         {"buckets", {{{"bucket", "photos"}, {"objects", 3}, {"bytes", 2048}}}},
                         {"totals", {{"buckets", 1}, {"objects", 3}, {"bytes", 2048}}}});
    }
    if (route == "/heal/start") {
      if (heal_conflict_) {
        return json_reply({{"Code", "XMaxioHealAlreadyRunning"},
                           {"Message", "A heal run is already in progress."},
                           {"RequestId", "R1"}},
                          409);
      }
      return json_reply(
          {{"id", "run-1"}, {"state", "running"}, {"buckets_total", 2}, {"buckets_done", 0}}, 202);
    }
    if (route == "/heal/stream") {
      std::string final_state = heal_final_state_;
      json done = {
          {"id", "run-1"},
          {"state", final_state},
          {"buckets_total", 2},
          {"buckets_done", 2},
          {"counters", {{"objects_scanned", 10}, {"objects_healed", 4}, {"objects_failed", 0}}}};
      if (final_state == "failed") {
        done["errors"] = {{{"bucket", "photos"}, {"message", "quorum lost"}}};
      }
      return {
          200,
          json({{"id", "run-1"}, {"state", "running"}, {"buckets_total", 2}, {"buckets_done", 1}})
                  .dump() +
              "\n\n" + done.dump() + "\n",
          {},
          true};
    }
    if (route == "/heal/status") return json_reply({{"state", "idle"}});
    if (route == "/heal/stop") {
      return json_reply({{"Code", "XMaxioHealNotRunning"}, {"Message", "No heal run."}}, 409);
    }
    if (route == "/config" && request.method == "GET") {
      return json_reply({{"region", "us-east-1"},
                         {"scanner", {{"interval", "1m"}, {"deep_every", 0}}},
                         {"drive_probe_interval", "5s"}});
    }
    if (route == "/config" && request.method == "PUT") {
      return json_reply({{"id", "hist-7"},
                         {"time", "2024-01-01T00:00:00.000Z"},
                         {"restart_required", true},
                         {"config", json::parse(request.body)}});
    }
    if (route == "/config/history") {
      return json_reply(
          {{"entries",
            {{{"id", "h1"}, {"time", "2024-01-01T00:00:00.000Z"}},
             {{"id", "h2"}, {"time", "2024-01-02T00:00:00.000Z"}, {"restored_from", "h1"}}}}});
    }
    if (route == "/config/restore") return json_reply({{"id", "h3"}, {"restored_from", "h1"}});
    if (route == "/service/restart" || route == "/service/stop") {
      return json_reply({{"action", route.substr(9)}, {"accepted", true}});
    }
    if (route == "/trace") {
      return {200,
              json({{"time", "2024-01-01T00:00:00.000Z"},
                    {"api", "PutObject"},
                    {"method", "PUT"},
                    {"path", "/b/k"},
                    {"query", ""},
                    {"status", 200},
                    {"bytes_in", 5},
                    {"bytes_out", 0},
                    {"duration_us", 1500},
                    {"remote_address", "127.0.0.1:5000"}})
                      .dump() +
                  "\n\n" + json({{"api", "GetObject"}, {"status", 404}}).dump() + "\n",
              {},
              true};
    }
    if (route == "/log") {
      return {200,
              json({{"time", "t"}, {"level", "warning"}, {"message", "disk slow"}}).dump(),
              {},
              true};
    }
    return json_reply({{"Code", "XMaxioAdminNoSuchAPI"}, {"Message", "no route"}}, 404);
  }

  std::vector<SeenRequest> admin_requests() { return server_.seen(); }

  Cli cli_;
  std::atomic<bool> heal_conflict_{false};
  std::string heal_final_state_ = "done";
  FakeHttpServer server_;
};

TEST_F(AdminCommandsTest, InfoPrintsTheTopologyTable) {
  RunResult result = cli_.run({"admin", "info", "srv"});
  ASSERT_EQ(result.code, 0) << result.err;
  EXPECT_TRUE(contains(result.out, "Uptime     : 1h2m5s\n"));
  EXPECT_TRUE(contains(result.out, "Drives     : 2 (1 online, 1 offline, 0 healing)"));
  EXPECT_TRUE(contains(result.out, "Parity     : EC:1 standard"));
  EXPECT_TRUE(contains(result.out, "POOL  SET  DRIVE  STATE"));
  EXPECT_TRUE(
      contains(result.out, "0     0    0      online    250 B       1000 B       25%  /data1\n"))
      << result.out;
  EXPECT_TRUE(contains(result.out, "offline   0 B         0 B            -  /data2 (no such file)"))
      << result.out;
  auto seen = admin_requests();
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0].target, "/maxio/admin/v1/info");
  EXPECT_TRUE(maxio::testing::signature_matches(seen[0], "admin-secret", "s3", "us-east-1"));
}

TEST_F(AdminCommandsTest, InfoJson) {
  RunResult result = cli_.run({"admin", "info", "srv", "--json"});
  ASSERT_EQ(result.code, 0) << result.err;
  auto lines = result.json();
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0]["status"], "success");
  EXPECT_EQ(lines[0]["alias"], "srv");
  EXPECT_EQ(lines[0]["info"]["deployment_id"], "dep-1");
  EXPECT_EQ(lines[0]["topology"]["pools"][0]["sets"][0]["drives"].size(), 2u);
}

TEST_F(AdminCommandsTest, InfoRejectsAPath) {
  RunResult result = cli_.run({"admin", "info", "srv/bucket"});
  EXPECT_EQ(result.code, 1);
  EXPECT_EQ(result.err, "maxioctl: admin info: expected ALIAS, not a path: 'srv/bucket'\n");
}

TEST_F(AdminCommandsTest, DataUsage) {
  RunResult result = cli_.run({"admin", "datausage", "srv"});
  ASSERT_EQ(result.code, 0) << result.err;
  EXPECT_TRUE(contains(result.out, "3             2.0 KiB     photos\n")) << result.out;
}

TEST_F(AdminCommandsTest, HealFollowsTheRunUntilDone) {
  RunResult result = cli_.run({"admin", "heal", "srv/photos/2024/", "--deep"});
  ASSERT_EQ(result.code, 0) << result.err;
  EXPECT_TRUE(contains(result.out, "Heal of `srv/photos/2024/` started (run-1), deep.\n"));
  EXPECT_TRUE(
      contains(result.out, "Heal done: 2/2 buckets, 10 objects scanned, 4 healed, 0 failed\n"))
      << result.out;
  auto seen = admin_requests();
  ASSERT_GE(seen.size(), 2u);
  EXPECT_EQ(seen[0].method, "POST");
  EXPECT_EQ(seen[0].path, "/maxio/admin/v1/heal/start");
  EXPECT_EQ(seen[0].query("bucket"), "photos");
  EXPECT_EQ(seen[0].query("prefix"), "2024/");
  EXPECT_EQ(seen[0].query("deep"), "true");
  EXPECT_EQ(seen[1].path, "/maxio/admin/v1/heal/stream");
}

TEST_F(AdminCommandsTest, HealJsonLinesAndFailure) {
  heal_final_state_ = "failed";
  RunResult result = cli_.run({"admin", "heal", "srv", "--json"});
  EXPECT_EQ(result.code, 1);
  EXPECT_TRUE(contains(result.err, "maxioctl: heal photos: quorum lost\n"));
  auto lines = result.json();
  ASSERT_GE(lines.size(), 3u);
  EXPECT_EQ(lines[0]["heal"]["state"], "running");
  EXPECT_EQ(lines[1]["heal"]["buckets_done"], 1);
  EXPECT_EQ(lines[2]["heal"]["state"], "failed");
  EXPECT_EQ(admin_requests()[0].raw_query, "");
}

TEST_F(AdminCommandsTest, HealConflictIsOneLine) {
  heal_conflict_ = true;
  RunResult result = cli_.run({"admin", "heal", "srv"});
  EXPECT_EQ(result.code, 1);
  EXPECT_EQ(result.err,
            "maxioctl: admin heal srv: A heal run is already in progress. "
            "(XMaxioHealAlreadyRunning)\n");
  RunResult stop = cli_.run({"admin", "heal", "srv", "--stop", "--json"});
  EXPECT_EQ(stop.code, 1);
  EXPECT_EQ(stop.json()[0]["error"]["code"], "XMaxioHealNotRunning");
  RunResult status = cli_.run({"admin", "heal", "srv", "--status"});
  EXPECT_EQ(status.code, 0);
  EXPECT_EQ(status.out, "Heal idle\n");
}

TEST_F(AdminCommandsTest, ConfigGetAsKeyValueLines) {
  RunResult all = cli_.run({"admin", "config", "get", "srv"});
  ASSERT_EQ(all.code, 0) << all.err;
  // In the server's order (the fake's JSON writer sorts keys).
  EXPECT_EQ(all.out,
            "drive_probe_interval=5s\nregion=us-east-1\nscanner.deep_every=0\n"
            "scanner.interval=1m\n");
  RunResult some = cli_.run({"admin", "config", "get", "srv", "scanner", "--json"});
  ASSERT_EQ(some.code, 0);
  EXPECT_EQ(some.json()[0]["config"],
            (json{{"scanner.interval", "1m"}, {"scanner.deep_every", 0}}));
  RunResult missing = cli_.run({"admin", "config", "get", "srv", "nope"});
  EXPECT_EQ(missing.code, 1);
  EXPECT_EQ(missing.err, "maxioctl: admin config get: no key 'nope'\n");
}

TEST_F(AdminCommandsTest, ConfigSetMergesIntoTheCurrentConfig) {
  RunResult result =
      cli_.run({"admin", "config", "set", "srv", "scanner.interval=5m", "scanner.deep_every=10",
                "region=eu-west-1", "drive_probe_interval=null"});
  ASSERT_EQ(result.code, 0) << result.err;
  EXPECT_EQ(result.out,
            "Configuration of `srv` saved (history hist-7); it applies when the server "
            "restarts.\n");
  auto seen = admin_requests();
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[1].method, "PUT");
  EXPECT_EQ(json::parse(seen[1].body), (json{{"region", "eu-west-1"},
                                             {"scanner", {{"interval", "5m"}, {"deep_every", 10}}},
                                             {"drive_probe_interval", nullptr}}));
  EXPECT_TRUE(maxio::testing::signature_matches(seen[1], "admin-secret", "s3", "us-east-1"));
  EXPECT_EQ(cli_.run({"admin", "config", "set", "srv", "novalue"}).code, 2);
  EXPECT_EQ(cli_.run({"admin", "config", "set", "srv", "region.x=1"}).code, 2);
}

TEST_F(AdminCommandsTest, ConfigHistoryAndRestore) {
  RunResult history = cli_.run({"admin", "config", "history", "srv", "--json"});
  ASSERT_EQ(history.code, 0);
  auto lines = history.json();
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[1]["entry"]["restored_from"], "h1");
  RunResult restore = cli_.run({"admin", "config", "restore", "srv", "h1"});
  ASSERT_EQ(restore.code, 0);
  EXPECT_EQ(admin_requests().back().query("id"), "h1");
}

TEST_F(AdminCommandsTest, ServiceRestartAndStop) {
  RunResult restart = cli_.run({"admin", "service", "restart", "srv"});
  ASSERT_EQ(restart.code, 0) << restart.err;
  EXPECT_EQ(restart.out, "Restart of `srv` requested.\n");
  RunResult stop = cli_.run({"admin", "service", "stop", "srv", "--json"});
  ASSERT_EQ(stop.code, 0);
  EXPECT_EQ(stop.json()[0]["service"]["accepted"], true);
  auto seen = admin_requests();
  EXPECT_EQ(seen[0].method, "POST");
  EXPECT_EQ(seen[0].path, "/maxio/admin/v1/service/restart");
  EXPECT_EQ(seen[1].path, "/maxio/admin/v1/service/stop");
}

TEST_F(AdminCommandsTest, TracePrintsEachRequest) {
  RunResult text = cli_.run({"admin", "trace", "srv", "--errors", "--api", "Get*"});
  ASSERT_EQ(text.code, 0) << text.err;
  EXPECT_TRUE(contains(text.out,
                       "2024-01-01T00:00:00.000Z 200 PutObject            PUT /b/k "
                       "127.0.0.1:5000 1.5ms in=5 B out=0 B\n"))
      << text.out;
  EXPECT_EQ(admin_requests()[0].query("errors-only"), "true");
  EXPECT_EQ(admin_requests()[0].query("api"), "Get*");
  RunResult lines = cli_.run({"admin", "trace", "srv", "--json"});
  auto docs = lines.json();
  ASSERT_EQ(docs.size(), 2u);
  EXPECT_EQ(docs[0]["status"], "success");
  EXPECT_EQ(docs[0]["trace"]["api"], "PutObject");
  EXPECT_EQ(docs[1]["trace"]["status"], 404);
  RunResult log = cli_.run({"admin", "log", "srv", "--level", "warning", "-n", "10"});
  ASSERT_EQ(log.code, 0);
  EXPECT_EQ(log.out, "t warning  disk slow\n");
  EXPECT_EQ(admin_requests().back().query("last"), "10");
}

TEST_F(AdminCommandsTest, PrometheusScrapeConfig) {
  RunResult result = cli_.run({"admin", "prometheus", "generate", "srv"});
  ASSERT_EQ(result.code, 0) << result.err;
  auto lines = split(result.out, '\n');
  ASSERT_GE(lines.size(), 7u);
  EXPECT_EQ(lines[0], "scrape_configs:");
  EXPECT_EQ(lines[1], "- job_name: maxio-job");
  ASSERT_TRUE(lines[2].starts_with("  bearer_token: "));
  EXPECT_EQ(lines[3], "  metrics_path: /minio/v2/metrics/cluster");
  EXPECT_EQ(lines[4], "  scheme: http");
  EXPECT_EQ(lines[5], "  static_configs:");
  EXPECT_EQ(lines[6], "  - targets: ['127.0.0.1:" + std::to_string(server_.port()) + "']");
  // The token is the HS512 JWT of the alias's keys: re-signing its claims gives it back.
  std::string token = lines[2].substr(std::string("  bearer_token: ").size());
  auto parts = split(token, '.');
  ASSERT_EQ(parts.size(), 3u);
  std::string claims_b64 = parts[1];
  for (char& c : claims_b64) c = c == '-' ? '+' : c == '_' ? '/' : c;
  while (claims_b64.size() % 4) claims_b64 += '=';
  auto claims = json::parse(*base64_decode(claims_b64));
  EXPECT_EQ(claims["sub"], "AKADMIN");
  EXPECT_EQ(claims["iss"], "prometheus");
  // Verifies with the daemon's own checker under the alias's secret.
  auto verified = jwt::verify_prometheus_token(
      token,
      [](std::string_view key) -> std::optional<std::string> {
        if (key == "AKADMIN") return std::string("admin-secret");
        return std::nullopt;
      },
      std::chrono::system_clock::now());
  ASSERT_TRUE(verified.is_ok()) << verified.status().to_string();
  EXPECT_EQ(verified->access_key, "AKADMIN");
  EXPECT_TRUE(admin_requests().empty());  // generated offline

  RunResult node = cli_.run({"admin", "prometheus", "generate", "srv", "node", "--json"});
  ASSERT_EQ(node.code, 0);
  EXPECT_EQ(node.json()[0]["metricsPath"], "/minio/v2/metrics/node");
  EXPECT_EQ(cli_.run({"admin", "prometheus", "generate", "srv", "bucket"}).code, 2);
}

TEST_F(AdminCommandsTest, AServerWithoutTheAdminApiIsReported) {
  // Today's maxiod takes /maxio/admin/v1/info for an object of a bucket "maxio".
  server_.set_handler([](const SeenRequest&) {
    return Reply{404,
                 "<Error><Code>NoSuchBucket</Code><Message>The specified bucket does not "
                 "exist</Message></Error>"};
  });
  RunResult missing = cli_.run({"admin", "info", "srv"});
  EXPECT_EQ(missing.code, 1);
  EXPECT_EQ(missing.err,
            "maxioctl: admin info: the server does not offer this admin API route (GET "
            "/maxio/admin/v1/info answered NoSuchBucket)\n");
  server_.set_handler([](const SeenRequest&) {
    return Reply{403,
                 "<Error><Code>SignatureDoesNotMatch</Code><Message>The request signature "
                 "we calculated does not match</Message></Error>"};
  });
  RunResult denied = cli_.run({"admin", "info", "srv"});
  EXPECT_EQ(denied.code, 1);
  EXPECT_EQ(denied.err,
            "maxioctl: admin info: The request signature we calculated does not match "
            "(SignatureDoesNotMatch)\n");
}

}  // namespace
}  // namespace maxio::cli
