// The admin route table: exact matches, 404 for unknown paths, 405 with Allow for known
// paths under another method, the JSON error body, and every route documented in
// docs/admin-api.md.

#include "daemon/admin/router.h"

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "daemon/admin/admin.h"
#include "daemon/admin/errors.h"
#include "daemon/admin/request.h"

namespace maxio::admin {
namespace {

AdminStatus handler_a(AdminRequest&) { return {}; }
AdminStatus handler_b(AdminRequest&) { return {}; }

constexpr AdminRoute kTable[] = {
    {"GET", "/config", "GetConfig", &handler_a},
    {"PUT", "/config", "SetConfig", &handler_b},
    {"GET", "/config/history", "ConfigHistory", &handler_a},
};

TEST(AdminRouterTest, MatchesMethodAndExactPath) {
  RouteMatch match = match_route(kTable, "PUT", "/maxio/admin/v1/config");
  ASSERT_NE(match.route, nullptr);
  EXPECT_EQ(match.route->name, "SetConfig");
  EXPECT_EQ(match.route->handler, &handler_b);
  match = match_route(kTable, "GET", "/maxio/admin/v1/config/history");
  ASSERT_NE(match.route, nullptr);
  EXPECT_EQ(match.route->name, "ConfigHistory");
}

TEST(AdminRouterTest, UnknownPathIsNoSuchApi) {
  for (const char* path : {"/maxio/admin/v1/nope", "/maxio/admin/v1/config/", "/maxio/admin/v1",
                           "/maxio/admin/v2/config", "/maxio/admin/v1/configx"}) {
    RouteMatch match = match_route(kTable, "GET", path);
    EXPECT_EQ(match.route, nullptr) << path;
    EXPECT_EQ(match.error, AdminErrorCode::kNoSuchApi) << path;
    EXPECT_EQ(match.allow, "") << path;
  }
}

TEST(AdminRouterTest, KnownPathOtherMethodIsMethodNotAllowed) {
  RouteMatch match = match_route(kTable, "DELETE", "/maxio/admin/v1/config");
  EXPECT_EQ(match.route, nullptr);
  EXPECT_EQ(match.error, AdminErrorCode::kMethodNotAllowed);
  EXPECT_EQ(match.allow, "GET, PUT");
  match = match_route(kTable, "get", "/maxio/admin/v1/config/history");  // methods are exact
  EXPECT_EQ(match.error, AdminErrorCode::kMethodNotAllowed);
  EXPECT_EQ(match.allow, "GET");
}

TEST(AdminRouterTest, AdminPathPrefix) {
  EXPECT_TRUE(is_admin_path("/maxio/admin/v1/info"));
  EXPECT_TRUE(is_admin_path("/maxio/admin/v9/x"));
  EXPECT_FALSE(is_admin_path("/maxio/adminx"));
  EXPECT_FALSE(is_admin_path("/maxio/object"));
  EXPECT_FALSE(is_admin_path("/bucket/maxio/admin/v1/info"));
}

TEST(AdminRouterTest, RealTableHasUniqueRowsAndHandlers) {
  std::set<std::string> seen;
  std::set<std::string> names;
  for (const AdminRoute& route : admin_routes()) {
    EXPECT_NE(route.handler, nullptr) << route.path;
    EXPECT_TRUE(seen.insert(std::string(route.method) + " " + std::string(route.path)).second)
        << route.method << " " << route.path;
    EXPECT_TRUE(names.insert(std::string(route.name)).second) << route.name;
    RouteMatch match = match_route(admin_routes(), route.method,
                                   std::string(kAdminPathPrefix) + std::string(route.path));
    EXPECT_EQ(match.route, &route);
  }
  EXPECT_EQ(admin_routes().size(), 23u);
}

// docs/admin-api.md keeps in step with the table: every route has its "### METHOD path"
// heading.
TEST(AdminRouterTest, EveryRouteIsDocumented) {
  std::ifstream in(std::string(MAXIO_SOURCE_DIR) + "/docs/admin-api.md");
  ASSERT_TRUE(in) << "docs/admin-api.md is missing";
  std::stringstream text;
  text << in.rdbuf();
  for (const AdminRoute& route : admin_routes()) {
    const std::string heading = "### `" + std::string(route.method) + " " +
                                std::string(kAdminPathPrefix) + std::string(route.path);
    EXPECT_NE(text.str().find(heading), std::string::npos) << "not documented: " << heading;
  }
}

TEST(AdminErrorsTest, AdminCodesAndStatusesMapToJson) {
  ApiError error = AdminStatus(AdminErrorCode::kHealAlreadyRunning).to_api_error();
  EXPECT_EQ(error.code, "XMaxioHealAlreadyRunning");
  EXPECT_EQ(error.http_status, 409);
  EXPECT_FALSE(error.message.empty());

  error = AdminStatus(AdminErrorCode::kBadConfig, "unknown key 'x'").to_api_error();
  EXPECT_EQ(error.code, "XMaxioAdminConfigInvalid");
  EXPECT_EQ(error.http_status, 400);
  EXPECT_EQ(error.message, "unknown key 'x'");

  EXPECT_EQ(AdminStatus(AdminErrorCode::kNoSuchApi).to_api_error().http_status, 404);
  EXPECT_EQ(AdminStatus(AdminErrorCode::kMethodNotAllowed).to_api_error().http_status, 405);
  EXPECT_EQ(AdminStatus(AdminErrorCode::kTooManyStreams).to_api_error().http_status, 429);

  error = AdminStatus(Status(ErrorCode::kSignatureDoesNotMatch)).to_api_error();
  EXPECT_EQ(error.code, "SignatureDoesNotMatch");
  EXPECT_EQ(error.http_status, 403);
  // Storage messages never reach the client; the table's default does.
  error = AdminStatus(Status(ErrorCode::kIo, "/data/1/.minio.sys: EIO")).to_api_error();
  EXPECT_EQ(error.code, "InternalError");
  EXPECT_EQ(error.http_status, 500);
  EXPECT_EQ(error.message.find("/data"), std::string::npos);

  EXPECT_TRUE(AdminStatus().is_ok());
  EXPECT_TRUE(AdminStatus(Status::ok()).is_ok());
  EXPECT_FALSE(AdminStatus(AdminErrorCode::kNoSuchApi).is_ok());

  auto body = nlohmann::json::parse(error_json({"Code1", 418, "msg \xff"}, "REQ1"));
  EXPECT_EQ(body["Code"], "Code1");
  EXPECT_EQ(body["Message"], "msg \xEF\xBF\xBD");  // bad UTF-8 replaced, not thrown
  EXPECT_EQ(body["RequestId"], "REQ1");
}

}  // namespace
}  // namespace maxio::admin
