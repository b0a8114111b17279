// AdminClient against a scripted HttpServer: routes, methods and queries as the admin API
// defines them, SigV4 with service "s3", JSON answers, JSON errors and JSON-lines streams.

#include "shared/admin/client.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/unit/shared/admin/fake_http_server.h"

namespace maxio::admin {
namespace {

using testing::FakeHttpServer;
using testing::Reply;
using testing::SeenRequest;

constexpr char kAccess[] = "AKIDADMIN";
constexpr char kSecret[] = "admin-secret-key";

std::unique_ptr<AdminClient> client_for(const FakeHttpServer& server,
                                        std::string region = "us-east-1") {
  AdminClientOptions options;
  options.endpoint = server.url();
  options.access_key = kAccess;
  options.secret_key = kSecret;
  options.region = std::move(region);
  auto client = AdminClient::create(options);
  EXPECT_TRUE(client.is_ok()) << client.status().to_string();
  return std::move(client).value();
}

Reply json_reply(const Json& body, int status = 200) {
  return {status, body.dump(), {{"Content-Type", "application/json"}}};
}

TEST(AdminClientTest, RejectsEmptyCredentials) {
  AdminClientOptions options;
  options.endpoint = "http://127.0.0.1:1";
  EXPECT_EQ(AdminClient::create(options).code(), ErrorCode::kInvalidArgument);
}

TEST(AdminClientTest, EveryRouteUsesItsMethodAndPath) {
  FakeHttpServer server([](const SeenRequest&) { return json_reply({{"ok", true}}); });
  ASSERT_TRUE(server.running());
  auto client = client_for(server);
  ASSERT_TRUE(client->server_info().is_ok());
  ASSERT_TRUE(client->topology().is_ok());
  ASSERT_TRUE(client->data_usage().is_ok());
  ASSERT_TRUE(client->heal_status().is_ok());
  ASSERT_TRUE(client->heal_stop().is_ok());
  ASSERT_TRUE(client->get_config().is_ok());
  ASSERT_TRUE(client->config_history().is_ok());
  ASSERT_TRUE(client->service_stop().is_ok());
  ASSERT_TRUE(client->service_restart().is_ok());
  std::vector<std::pair<std::string, std::string>> expected = {
      {"GET", "/maxio/admin/v1/info"},
      {"GET", "/maxio/admin/v1/topology"},
      {"GET", "/maxio/admin/v1/datausage"},
      {"GET", "/maxio/admin/v1/heal/status"},
      {"POST", "/maxio/admin/v1/heal/stop"},
      {"GET", "/maxio/admin/v1/config"},
      {"GET", "/maxio/admin/v1/config/history"},
      {"POST", "/maxio/admin/v1/service/stop"},
      {"POST", "/maxio/admin/v1/service/restart"}};
  auto seen = server.seen();
  ASSERT_EQ(seen.size(), expected.size());
  for (size_t i = 0; i < seen.size(); ++i) {
    EXPECT_EQ(seen[i].method, expected[i].first);
    EXPECT_EQ(seen[i].target, expected[i].second);
    EXPECT_TRUE(testing::signature_matches(seen[i], kSecret, "s3", "us-east-1"))
        << seen[i].headers.value_or_empty("authorization");
  }
}

TEST(AdminClientTest, SignsWithTheConfiguredRegionAndServiceS3) {
  FakeHttpServer server([](const SeenRequest&) { return json_reply({{"version", "1"}}); });
  auto client = client_for(server, "eu-central-1");
  auto info = client->server_info();
  ASSERT_TRUE(info.is_ok()) << info.status().to_string();
  EXPECT_EQ((*info)["version"], "1");
  auto seen = server.seen();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_NE(seen[0].headers.value_or_empty("authorization").find("/eu-central-1/s3/aws4_request"),
            std::string::npos);
  EXPECT_TRUE(testing::signature_matches(seen[0], kSecret, "s3", "eu-central-1"));
  EXPECT_FALSE(testing::signature_matches(seen[0], "wrong-secret", "s3", "eu-central-1"));
}

TEST(AdminClientTest, HealStartSendsBucketPrefixAndDeep) {
  FakeHttpServer server([](const SeenRequest&) {
    return json_reply({{"id", "run-1"}, {"state", "running"}}, 202);
  });
  auto client = client_for(server);
  auto started = client->heal_start({.bucket = "photos", .prefix = "2024/a b", .deep = true});
  ASSERT_TRUE(started.is_ok()) << started.status().to_string();
  EXPECT_EQ((*started)["id"], "run-1");
  auto seen = server.seen();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].method, "POST");
  EXPECT_EQ(seen[0].path, "/maxio/admin/v1/heal/start");
  EXPECT_EQ(seen[0].query("bucket"), "photos");
  EXPECT_EQ(seen[0].query("prefix"), "2024/a b");
  EXPECT_EQ(seen[0].query("deep"), "true");
  EXPECT_TRUE(testing::signature_matches(seen[0], kSecret, "s3", "us-east-1"));

  ASSERT_TRUE(client->heal_start({}).is_ok());
  EXPECT_EQ(server.seen()[1].raw_query, "");
}

TEST(AdminClientTest, SetConfigSendsJsonSignedWithItsHash) {
  FakeHttpServer server([](const SeenRequest&) {
    return json_reply({{"id", "h1"}, {"restart_required", true}});
  });
  auto client = client_for(server);
  Json config = {{"region", "eu-west-1"}, {"scanner", {{"interval", "5m"}}}};
  auto answer = client->set_config(config);
  ASSERT_TRUE(answer.is_ok()) << answer.status().to_string();
  EXPECT_EQ((*answer)["id"], "h1");
  auto seen = server.seen();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].method, "PUT");
  EXPECT_EQ(seen[0].target, "/maxio/admin/v1/config");
  EXPECT_EQ(Json::parse(seen[0].body), config);
  EXPECT_EQ(seen[0].headers.value_or_empty("content-type"), "application/json");
  EXPECT_TRUE(testing::signature_matches(seen[0], kSecret, "s3", "us-east-1"));
}

TEST(AdminClientTest, RestoreConfigEncodesTheId) {
  FakeHttpServer server([](const SeenRequest&) { return json_reply({{"id", "h2"}}); });
  auto client = client_for(server);
  ASSERT_TRUE(client->restore_config("2024-01-01T00:00:00Z+x").is_ok());
  auto seen = server.seen();
  EXPECT_EQ(seen[0].method, "POST");
  EXPECT_EQ(seen[0].path, "/maxio/admin/v1/config/restore");
  EXPECT_EQ(seen[0].query("id"), "2024-01-01T00:00:00Z+x");
  EXPECT_TRUE(testing::signature_matches(seen[0], kSecret, "s3", "us-east-1"));
}

TEST(AdminClientTest, JsonErrorsBecomeAdminErrors) {
  FakeHttpServer server([](const SeenRequest&) {
    return json_reply({{"Code", "XMaxioHealAlreadyRunning"},
                       {"Message", "A heal run is already in progress."},
                       {"RequestId", "17A2B"}},
                      409);
  });
  auto client = client_for(server);
  auto started = client->heal_start({});
  ASSERT_FALSE(started.is_ok());
  EXPECT_EQ(started.code(), ErrorCode::kInvalidRequest);
  auto error = AdminError::from_status(started.status());
  ASSERT_TRUE(error.has_value()) << started.status().to_string();
  EXPECT_EQ(error->http_status, 409);
  EXPECT_EQ(error->code, "XMaxioHealAlreadyRunning");
  EXPECT_EQ(error->message, "A heal run is already in progress.");
  EXPECT_EQ(error->request_id, "17A2B");
  EXPECT_EQ(error->request, "POST /maxio/admin/v1/heal/start");
}

TEST(AdminClientTest, StatusCodesMapWithoutAJsonBody) {
  int status = 403;
  FakeHttpServer server([&status](const SeenRequest&) {
    return Reply{status, "<html>nope</html>", {{"x-amz-request-id", "RID"}}};
  });
  auto client = client_for(server);
  auto denied = client->server_info();
  EXPECT_EQ(denied.code(), ErrorCode::kAccessDenied);
  auto error = AdminError::from_status(denied.status());
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->code, "HTTP403");
  EXPECT_EQ(error->request_id, "RID");
  status = 501;
  EXPECT_EQ(client->service_restart().code(), ErrorCode::kNotImplemented);
  status = 404;
  EXPECT_EQ(client->topology().code(), ErrorCode::kNoSuchKey);
  status = 503;
  EXPECT_EQ(client->topology().code(), ErrorCode::kServiceUnavailable);
}

TEST(AdminClientTest, AnswerThatIsNotJsonIsInternal) {
  FakeHttpServer server([](const SeenRequest&) { return Reply{200, "not json"}; });
  auto client = client_for(server);
  EXPECT_EQ(client->server_info().code(), ErrorCode::kInternal);
}

TEST(AdminClientTest, StreamsSkipHeartbeatsAndEndWithTheBody) {
  FakeHttpServer server([](const SeenRequest& request) {
    Reply reply{200, "", {{"Content-Type", "application/x-ndjson"}}, true};
    if (request.path.ends_with("/trace")) {
      reply.body = "{\"api\":\"PutObject\",\"status\":200}\n\n\n{\"api\":\"GetObject\"}\n";
    } else if (request.path.ends_with("/log")) {
      reply.body = "{\"level\":\"info\"}\nnot json\n";
    } else {
      reply.body = "{\"state\":\"running\"}\n\n{\"state\":\"done\"}";  // no final newline
    }
    return reply;
  });
  auto client = client_for(server);
  auto trace = client->trace({.errors_only = true, .api = "PutObject,Get*"});
  ASSERT_TRUE(trace.is_ok()) << trace.status().to_string();
  auto first = (*trace)->next();
  ASSERT_TRUE(first.is_ok() && first->has_value());
  EXPECT_EQ((**first)["api"], "PutObject");
  auto second = (*trace)->next();
  ASSERT_TRUE(second.is_ok() && second->has_value());
  EXPECT_EQ((**second)["api"], "GetObject");
  auto end = (*trace)->next();
  ASSERT_TRUE(end.is_ok());
  EXPECT_FALSE(end->has_value());
  auto seen = server.seen();
  EXPECT_EQ(seen[0].path, "/maxio/admin/v1/trace");
  EXPECT_EQ(seen[0].query("errors-only"), "true");
  EXPECT_EQ(seen[0].query("api"), "PutObject,Get*");

  auto heal = client->heal_stream();
  ASSERT_TRUE(heal.is_ok());
  EXPECT_EQ((**(*heal)->next())["state"], "running");
  EXPECT_EQ((**(*heal)->next())["state"], "done");
  EXPECT_FALSE((*heal)->next()->has_value());

  auto log = client->console_log({.level = "warning", .last = 5});
  ASSERT_TRUE(log.is_ok());
  EXPECT_EQ((**(*log)->next())["level"], "info");
  EXPECT_EQ((*log)->next().code(), ErrorCode::kInternal);
  seen = server.seen();
  EXPECT_EQ(seen.back().query("level"), "warning");
  EXPECT_EQ(seen.back().query("last"), "5");
}

TEST(AdminClientTest, StreamErrorsComeBackBeforeTheStream) {
  FakeHttpServer server([](const SeenRequest&) {
    return json_reply({{"Code", "XMaxioAdminTooManyStreams"}, {"Message", "Too many"}}, 429);
  });
  auto client = client_for(server);
  auto trace = client->trace({});
  ASSERT_FALSE(trace.is_ok());
  EXPECT_EQ(AdminError::from_status(trace.status())->code, "XMaxioAdminTooManyStreams");
}

TEST(AdminClientTest, RefusedConnectionIsIo) {
  AdminClientOptions options;
  options.endpoint = "http://127.0.0.1:1";
  options.access_key = kAccess;
  options.secret_key = kSecret;
  auto client = AdminClient::create(options);
  ASSERT_TRUE(client.is_ok());
  auto info = (*client)->server_info();
  EXPECT_EQ(info.code(), ErrorCode::kIo);
  EXPECT_FALSE(AdminError::from_status(info.status()).has_value());
}

}  // namespace
}  // namespace maxio::admin
