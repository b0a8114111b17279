// AdminService end to end over an in-process exchange: root-only SigV4 authorization,
// routing errors as JSON, every route's answer over a fake object layer, the service hook,
// and the streams (ended by a gone client or by shutdown).

#include "daemon/admin/admin.h"

#include <gtest/gtest.h>

#include <condition_variable>
#include <nlohmann/json.hpp>
#include <thread>

#include "daemon/observe/log_hub.h"
#include "shared/crypto/hash.h"
#include "shared/sigv4/signer.h"
#include "shared/util/log.h"
#include "shared/util/strings.h"
#include "tests/unit/daemon/admin/fake_layer.h"

namespace maxio::admin {
namespace {

using nlohmann::json;
using std::chrono::milliseconds;

constexpr char kRootUser[] = "adminroot";
constexpr char kRootSecret[] = "adminroot-secret";
constexpr char kOtherUser[] = "someoneelse";
constexpr char kOtherSecret[] = "someoneelse-secret";

class TwoUsers final : public auth::CredentialProvider {
 public:
  std::optional<auth::Credentials> find(std::string_view access_key) const override {
    if (access_key == kRootUser) return auth::Credentials{kRootUser, kRootSecret};
    if (access_key == kOtherUser) return auth::Credentials{kOtherUser, kOtherSecret};
    return std::nullopt;
  }
};

// A response as the client saw it. Streams append to `body` while the handler runs, so
// reads go through the mutex.
struct Response {
  std::mutex mu;
  std::condition_variable cv;
  int status = 0;
  HttpHeaders headers;
  std::optional<uint64_t> content_length;
  std::string body;
  bool finished = false;
  bool close = false;
  int fail_writes_after = -1;  // a client that goes away after this many body writes
  int writes = 0;

  std::string text() {
    std::lock_guard<std::mutex> lock(mu);
    return body;
  }
  json parsed() { return json::parse(text()); }
  // The non-blank lines once at least `count` arrived (10 s at most).
  std::vector<json> wait_lines(size_t count) {
    std::unique_lock<std::mutex> lock(mu);
    std::vector<json> lines;
    cv.wait_for(lock, std::chrono::seconds(10), [&] {
      lines.clear();
      for (const std::string& line : split(body, '\n')) {
        if (!line.empty()) lines.push_back(json::parse(line));
      }
      return lines.size() >= count;
    });
    return lines;
  }
};

class Writer final : public HttpResponseWriter {
 public:
  explicit Writer(Response& out) : out_(out) {}
  using HttpResponseWriter::write;
  Status send_headers(int status, const HttpHeaders& headers,
                      std::optional<uint64_t> content_length) override {
    std::lock_guard<std::mutex> lock(out_.mu);
    if (sent_) return Status(ErrorCode::kInternal, "headers sent twice");
    sent_ = true;
    out_.status = status;
    out_.headers = headers;
    out_.content_length = content_length;
    out_.cv.notify_all();
    return Status::ok();
  }
  Status write(const char* data, size_t size) override {
    std::lock_guard<std::mutex> lock(out_.mu);
    if (!sent_ || out_.finished) return Status(ErrorCode::kInternal, "write out of order");
    if (out_.fail_writes_after >= 0 && out_.writes >= out_.fail_writes_after) {
      return Status(ErrorCode::kIo, "client gone");
    }
    ++out_.writes;
    out_.body.append(data, size);
    out_.cv.notify_all();
    return Status::ok();
  }
  Status finish() override {
    std::lock_guard<std::mutex> lock(out_.mu);
    out_.finished = true;
    out_.cv.notify_all();
    return Status::ok();
  }
  bool headers_sent() const override { return sent_; }
  void close_after_response() override { out_.close = true; }

 private:
  Response& out_;
  bool sent_ = false;
};

struct Call {
  std::string method = "GET";
  std::string path;  // under /maxio/admin/v1
  std::string query;
  std::string body;
  std::string access_key = kRootUser;
  std::string secret_key = kRootSecret;
  bool sign = true;
};

class AdminServiceTest : public ::testing::Test {
 protected:
  AdminServiceTest() {
    ctx_.config.region = "us-east-1";
    ctx_.config.root = {kRootUser, kRootSecret};
    ctx_.config.scanner_interval = milliseconds(60'000);
    ctx_.credentials = std::make_unique<TwoUsers>();
    auto layer = std::make_unique<testing::FakeAdminLayer>();
    layer_ = layer.get();
    ctx_.object_layer = std::move(layer);
    ctx_.service_hook = [this](ServiceAction action) {
      std::lock_guard<std::mutex> lock(mu_);
      actions_.push_back(action);
    };
    AdminOptions options;
    options.startup_config = ctx_.config;
    options.max_streams = 2;
    service_ = AdminService::create(ctx_, hub_, options);
    service_->set_endpoints({"http://127.0.0.1:9000"});
  }

  // Runs one request to completion and returns what the client saw, with the record.
  void run(const Call& call, Response& out, RequestRecord* record = nullptr) {
    const std::string path = "/maxio/admin/v1" + call.path;
    sigv4::HeaderList headers = {{"Host", "127.0.0.1:9000"}};
    if (!call.body.empty())
      headers.emplace_back("Content-Length", std::to_string(call.body.size()));
    if (call.sign) {
      sigv4::SigningParams params;
      params.access_key = call.access_key;
      params.secret_key = call.secret_key;
      params.region = "us-east-1";
      params.time = std::chrono::system_clock::now();
      sigv4::sign_request(call.method, path, call.query, sha256_hex(call.body), params, headers);
    }
    HttpRequest request;
    request.method = call.method;
    request.path = path;
    request.raw_query = call.query;
    request.target = path + (call.query.empty() ? "" : "?" + call.query);
    for (auto& [name, value] : headers) request.headers.add(name, value);
    request.content_length = call.body.size();
    request.remote_address = "127.0.0.1:40000";
    StringReader body(call.body);
    Writer writer(out);
    HttpExchange exchange{request, body, writer};
    service_->handle_request(exchange, record);
  }

  struct Result {
    int status;
    json body;
    std::string raw;
    HttpHeaders headers;
  };
  Result call(const Call& c, RequestRecord* record = nullptr) {
    Response out;
    run(c, out, record);
    std::string raw = out.text();
    EXPECT_TRUE(out.finished) << c.path;
    json body = raw.empty() ? json() : json::parse(raw, nullptr, false);
    return {out.status, body, raw, out.headers};
  }
  Result get(std::string path, std::string query = "") {
    Call c;
    c.path = std::move(path);
    c.query = std::move(query);
    return call(c);
  }
  Result post(std::string path, std::string query = "") {
    Call c;
    c.method = "POST";
    c.path = std::move(path);
    c.query = std::move(query);
    return call(c);
  }
  Result put(std::string path, std::string body) {
    Call c;
    c.method = "PUT";
    c.path = std::move(path);
    c.body = std::move(body);
    return call(c);
  }

  json wait_heal_done() {
    for (int i = 0; i < 1000; ++i) {
      Result r = get("/heal/status");
      if (r.body["state"] != "running") return r.body;
      std::this_thread::sleep_for(milliseconds(5));
    }
    ADD_FAILURE() << "heal did not finish";
    return {};
  }

  std::mutex mu_;
  std::vector<ServiceAction> actions_;
  LogHub hub_;
  ServerContext ctx_;
  testing::FakeAdminLayer* layer_ = nullptr;
  std::unique_ptr<AdminService> service_;
};

TEST_F(AdminServiceTest, InfoForTheRootUser) {
  StorageInfo info;
  info.deployment_id = "dep";
  info.pools = 1;
  info.sets_per_pool = {1};
  info.drives.resize(2);
  info.drives[0].state = "online";
  info.drives[1].state = "offline";
  layer_->set_storage_info(info);
  RequestRecord record;
  Call c;
  c.path = "/info";
  Result r = call(c, &record);
  EXPECT_EQ(r.status, 200) << r.raw;
  EXPECT_EQ(r.headers.value_or_empty("Content-Type"), "application/json");
  EXPECT_EQ(r.body["deployment_id"], "dep");
  EXPECT_EQ(r.body["drives_online"], 1);
  EXPECT_EQ(r.body["drives_offline"], 1);
  EXPECT_EQ(r.body["endpoints"][0], "http://127.0.0.1:9000");
  EXPECT_FALSE(r.body["version"].get<std::string>().empty());
  EXPECT_EQ(record.api, "admin.ServerInfo");
  EXPECT_EQ(record.access_key, kRootUser);
  EXPECT_EQ(record.request_id, r.headers.value_or_empty("x-amz-request-id"));
}

TEST_F(AdminServiceTest, OnlyTheRootUserWithSigV4) {
  Call c;
  c.path = "/info";
  c.sign = false;
  RequestRecord record;
  Result r = call(c, &record);
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(r.body["Code"], "AccessDenied");
  EXPECT_EQ(r.body["RequestId"].get<std::string>().size(), 16u);
  EXPECT_EQ(record.api, "admin.ServerInfo");

  c.sign = true;
  c.access_key = kOtherUser;
  c.secret_key = kOtherSecret;
  r = call(c);
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(r.body["Code"], "AccessDenied");
  EXPECT_EQ(r.body["Message"], "Only the root user may use the admin API.");

  c.access_key = kRootUser;
  c.secret_key = "wrong-secret";
  r = call(c);
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(r.body["Code"], "SignatureDoesNotMatch");

  c.access_key = "nobody";
  r = call(c);
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(r.body["Code"], "InvalidAccessKeyId");

  // Unknown routes are not revealed to strangers either.
  c.path = "/nope";
  c.sign = false;
  EXPECT_EQ(call(c).status, 403);
}

TEST_F(AdminServiceTest, RoutingErrors) {
  RequestRecord record;
  Call c;
  c.path = "/nope";
  Result r = call(c, &record);
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.body["Code"], "XMaxioAdminNoSuchAPI");
  EXPECT_EQ(record.api, "admin.Unknown");

  c.path = "/config";
  c.method = "DELETE";
  r = call(c);
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(r.body["Code"], "MethodNotAllowed");
  EXPECT_EQ(r.headers.value_or_empty("Allow"), "GET, PUT");
}

TEST_F(AdminServiceTest, TopologyAndDataUsage) {
  StorageInfo info;
  info.pools = 1;
  info.sets_per_pool = {1};
  info.drives_per_set = {1};
  info.drives.resize(1);
  info.drives[0].endpoint = "/data";
  info.drives[0].state = "online";
  info.usage = {{"b", 2, 20}};
  layer_->set_storage_info(info);
  Result r = get("/topology");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body["pools"][0]["sets"][0]["drives"][0]["endpoint"], "/data");
  r = get("/datausage");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body["totals"]["bytes"], 20);
  EXPECT_EQ(r.body["updated"], nullptr);
}

TEST_F(AdminServiceTest, HealStartStatusStop) {
  layer_->set_buckets({"a", "b"});
  Result r = get("/heal/status");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body["state"], "idle");
  EXPECT_EQ(post("/heal/stop").body["Code"], "XMaxioHealNotRunning");
  EXPECT_EQ(post("/heal/start", "deep=maybe").body["Code"], "XMaxioAdminInvalidArgument");
  EXPECT_EQ(post("/heal/start", "bucket=zzz").body["Code"], "NoSuchBucket");
  EXPECT_EQ(post("/heal/start", "prefix=x").status, 400);

  r = post("/heal/start", "bucket=b&prefix=p%2F&deep=true");
  EXPECT_EQ(r.status, 202) << r.raw;
  EXPECT_EQ(r.body["state"], "running");
  EXPECT_EQ(r.body["prefix"], "p/");
  const std::string id = r.body["id"];
  json done = wait_heal_done();
  EXPECT_EQ(done["id"], id);
  EXPECT_EQ(done["state"], "done");
  EXPECT_EQ(done["deep"], true);
  EXPECT_EQ(done["counters"]["objects_scanned"], 2);
  EXPECT_EQ(layer_->healed(), std::vector<std::string>{"b"});
}

TEST_F(AdminServiceTest, HealAlreadyRunningAndStop) {
  layer_->set_buckets({"a", "b"});
  std::mutex mu;
  std::condition_variable cv;
  bool entered = false, release = false;
  layer_->set_heal([&](const std::string&) -> maxio::Result<HealSummary> {
    std::unique_lock<std::mutex> lock(mu);
    entered = true;
    cv.notify_all();
    cv.wait(lock, [&] { return release; });
    return HealSummary{};
  });
  EXPECT_EQ(post("/heal/start").status, 202);
  {
    std::unique_lock<std::mutex> lock(mu);
    cv.wait(lock, [&] { return entered; });
  }
  Result r = post("/heal/start");
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(r.body["Code"], "XMaxioHealAlreadyRunning");
  r = post("/heal/stop");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body["stop_requested"], true);
  {
    std::lock_guard<std::mutex> lock(mu);
    release = true;
    cv.notify_all();
  }
  json done = wait_heal_done();
  EXPECT_EQ(done["state"], "stopped");
  EXPECT_EQ(done["buckets_done"], 1);
}

TEST_F(AdminServiceTest, HealStreamEndsWithTheRun) {
  layer_->set_buckets({"a"});
  ASSERT_EQ(post("/heal/start").status, 202);
  wait_heal_done();
  Response out;
  Call c;
  c.path = "/heal/stream";
  run(c, out);
  EXPECT_EQ(out.status, 200);
  EXPECT_EQ(out.headers.value_or_empty("Content-Type"), "application/x-ndjson");
  EXPECT_FALSE(out.content_length.has_value());
  EXPECT_TRUE(out.finished);
  auto lines = out.wait_lines(1);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0]["state"], "done");
}

TEST_F(AdminServiceTest, ConfigGetPutHistoryRestore) {
  Result r = get("/config");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.raw, R"({"region":"us-east-1","scanner":{"interval":"1m","deep_every":0},)"
                   R"("drive_probe_interval":"5s"})"
                   "\n");

  r = put("/config", R"({"scanner": {"interval": "30s"}})");
  EXPECT_EQ(r.status, 200) << r.raw;
  EXPECT_EQ(r.body["restart_required"], true);
  EXPECT_EQ(r.body["config"]["scanner"]["interval"], "30s");
  const std::string first = r.body["id"];
  EXPECT_EQ(get("/config").body["scanner"]["interval"], "30s");

  r = put("/config", R"({"scanner": {"interval": "30s", "colour": 1}})");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.body["Code"], "XMaxioAdminConfigInvalid");
  EXPECT_EQ(r.body["Message"], "unknown key 'scanner.colour'");
  r = put("/config", "{");
  EXPECT_EQ(r.status, 400);
  r = put("/config", std::string(64 * 1024 + 1, ' '));
  EXPECT_EQ(r.status, 400);

  r = put("/config", R"({"drive_probe_interval": "10s"})");
  ASSERT_EQ(r.status, 200);
  // A PUT replaces the stored document: the scanner falls back to the command line.
  EXPECT_EQ(get("/config").body["scanner"]["interval"], "1m");
  EXPECT_EQ(get("/config").body["drive_probe_interval"], "10s");

  r = get("/config/history");
  ASSERT_EQ(r.status, 200);
  ASSERT_EQ(r.body["entries"].size(), 2u);
  EXPECT_EQ(r.body["entries"][1]["id"], first);
  EXPECT_EQ(r.body["entries"][1]["config"]["scanner"]["interval"], "30s");

  r = post("/config/restore", "id=" + first);
  EXPECT_EQ(r.status, 200) << r.raw;
  EXPECT_EQ(r.body["restored_from"], first);
  EXPECT_EQ(get("/config").body["scanner"]["interval"], "30s");
  EXPECT_EQ(get("/config").body["drive_probe_interval"], "5s");
  EXPECT_EQ(get("/config/history").body["entries"].size(), 3u);

  EXPECT_EQ(post("/config/restore", "id=1700000000000-00000000").body["Code"],
            "XMaxioAdminNoSuchConfigHistory");
  EXPECT_EQ(post("/config/restore", "id=..%2Fconfig").status, 404);
  EXPECT_EQ(post("/config/restore").status, 400);
}

TEST_F(AdminServiceTest, InvalidStoredConfigIsIgnoredAsAtStartUp) {
  ASSERT_TRUE(layer_->write_system_object("maxio/config.json", R"({"future_key": 1})").is_ok());
  Result r = get("/config");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body["scanner"]["interval"], "1m");
  ASSERT_TRUE(layer_
                  ->write_system_object("maxio/config-history/1700000000000-00000000.json",
                                        R"({"time":"2023-11-14T22:13:20.000Z","config":{"x":1}})")
                  .is_ok());
  r = post("/config/restore", "id=1700000000000-00000000");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.body["Code"], "XMaxioAdminConfigInvalid");
}

TEST_F(AdminServiceTest, ServiceStopAndRestartCallTheHookAfterAnswering) {
  Result r = post("/service/restart");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body["action"], "restart");
  r = post("/service/stop");
  EXPECT_EQ(r.status, 200);
  std::lock_guard<std::mutex> lock(mu_);
  EXPECT_EQ(actions_, (std::vector<ServiceAction>{ServiceAction::kRestart, ServiceAction::kStop}));
}

TEST_F(AdminServiceTest, ServiceWithoutHookIsNotImplemented) {
  ctx_.service_hook = nullptr;
  Result r = post("/service/stop");
  EXPECT_EQ(r.status, 501);
  EXPECT_EQ(r.body["Code"], "NotImplemented");
}

TEST_F(AdminServiceTest, TraceStreamsFilteredRecordsUntilTheClientGoes) {
  Response out;
  out.fail_writes_after = 2;  // two lines, then the client is gone
  std::thread stream([&] {
    Call c;
    c.path = "/trace";
    c.query = "errors-only=true&api=PutObject,admin.*";
    run(c, out);
  });
  {
    std::unique_lock<std::mutex> lock(out.mu);
    out.cv.wait(lock, [&] { return out.status != 0; });
  }
  EXPECT_EQ(out.status, 200);
  RequestRecord ok_put;
  ok_put.api = "PutObject";
  ok_put.status = 200;
  RequestRecord failed_get;
  failed_get.api = "GetObject";
  failed_get.status = 404;
  RequestRecord failed_put;
  failed_put.api = "PutObject";
  failed_put.status = 403;
  failed_put.raw_query = "X-Amz-Signature=secret";
  RequestRecord failed_admin;
  failed_admin.api = "admin.Trace";
  failed_admin.status = 500;
  for (const RequestRecord* record : {&ok_put, &failed_get, &failed_put, &failed_admin}) {
    ctx_.request_log.publish(*record);
  }
  auto lines = out.wait_lines(2);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0]["api"], "PutObject");
  EXPECT_EQ(lines[0]["status"], 403);
  EXPECT_EQ(lines[0]["query"], "X-Amz-Signature=REDACTED");
  EXPECT_EQ(lines[1]["api"], "admin.Trace");
  stream.join();  // the next write (a heartbeat) fails: the handler returns
  EXPECT_EQ(out.text().find("secret"), std::string::npos);
  // Unsubscribed: publishing again reaches nobody (and does not crash).
  ctx_.request_log.publish(failed_put);
}

TEST_F(AdminServiceTest, LogStreamWithRecentLinesEndsAtShutdown) {
  log_warning("admin-test: before the stream");
  Response out;
  std::thread stream([&] {
    Call c;
    c.path = "/log";
    c.query = "last=50&level=warning";
    run(c, out);
  });
  auto lines = out.wait_lines(1);
  ASSERT_GE(lines.size(), 1u);
  EXPECT_EQ(lines.back()["message"], "admin-test: before the stream");
  EXPECT_EQ(lines.back()["level"], "WARNING");
  log_info("admin-test: info is below the level");
  log_error("admin-test: after");
  lines = out.wait_lines(2);
  ASSERT_GE(lines.size(), 2u);
  EXPECT_EQ(lines.back()["message"], "admin-test: after");
  service_->begin_shutdown();
  stream.join();
  EXPECT_TRUE(out.finished);
  EXPECT_EQ(out.text().find("below the level"), std::string::npos);
  // New streams are refused once shutting down.
  EXPECT_EQ(get("/log").status, 503);
}

TEST_F(AdminServiceTest, StreamsAreCapped) {
  Response a, b;
  std::thread first([&] {
    Call c;
    c.path = "/log";
    run(c, a);
  });
  std::thread second([&] {
    Call c;
    c.path = "/trace";
    run(c, b);
  });
  for (Response* r : {&a, &b}) {
    std::unique_lock<std::mutex> lock(r->mu);
    r->cv.wait(lock, [&] { return r->status != 0; });
  }
  Result third = get("/trace");
  EXPECT_EQ(third.status, 429);
  EXPECT_EQ(third.body["Code"], "XMaxioAdminTooManyStreams");
  EXPECT_EQ(get("/log", "level=loud").status, 400);
  EXPECT_EQ(get("/trace", "errors-only=perhaps").status, 400);
  service_->shutdown();
  first.join();
  second.join();
}

}  // namespace
}  // namespace maxio::admin
