// Bucket configuration handlers end to end over the real object layer on a temp drive:
// versioning and object lock, a sub-resource's put/get/delete, CORS preflights (unsigned)
// and CORS headers, and the hard quota on PutObject.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "shared/util/uuid.h"
#include "tests/unit/daemon/s3/s3_test_harness.h"

namespace maxio::s3::testing {
namespace {

using ::testing::HasSubstr;

class BucketConfigHandlerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("maxio-s3-cfg-" + new_uuid());
    std::filesystem::create_directories(dir_);
    ObjectLayerOptions options;
    options.pools = {PoolLayout{{dir_.string()}, 1}};
    options.scanner_interval = std::chrono::milliseconds(0);
    options.probe_interval = std::chrono::milliseconds(0);
    auto layer = open_object_layer(options);
    ASSERT_TRUE(layer.is_ok()) << layer.status().to_string();
    harness_ = std::make_unique<S3Harness>(std::move(layer).value());
  }
  void TearDown() override {
    harness_.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  CapturedResponse send(std::string method, std::string path, std::string query = "",
                        std::string body = "",
                        std::vector<std::pair<std::string, std::string>> headers = {}) {
    return harness_->send(std::move(method), std::move(path), std::move(query), std::move(body),
                          std::move(headers));
  }
  static void expect_error(const CapturedResponse& r, int status, const std::string& code) {
    EXPECT_EQ(r.status, status) << r.body;
    EXPECT_THAT(r.body, HasSubstr("<Code>" + code + "</Code>"));
  }

  std::filesystem::path dir_;
  std::unique_ptr<S3Harness> harness_;
};

constexpr const char* kEnabled =
    "<VersioningConfiguration><Status>Enabled</Status></VersioningConfiguration>";
constexpr const char* kSuspended =
    "<VersioningConfiguration><Status>Suspended</Status></VersioningConfiguration>";

TEST_F(BucketConfigHandlerTest, Versioning) {
  ASSERT_EQ(send("PUT", "/ver").status, 200);
  auto r = send("GET", "/ver", "versioning=");
  EXPECT_EQ(r.status, 200);
  EXPECT_THAT(r.body, ::testing::Not(HasSubstr("<Status>")));
  EXPECT_EQ(send("PUT", "/ver", "versioning=", kEnabled).status, 200);
  EXPECT_THAT(send("GET", "/ver", "versioning=").body, HasSubstr("<Status>Enabled</Status>"));
  EXPECT_EQ(send("PUT", "/ver", "versioning=", kSuspended).status, 200);
  EXPECT_EQ(*harness_->ctx().bucket_metadata->versioning("ver"), VersioningState::kSuspended);
  expect_error(send("PUT", "/ver", "versioning=", "<VersioningConfiguration>"), 400,
               "MalformedXML");
  expect_error(send("PUT", "/none", "versioning=", kEnabled), 404, "NoSuchBucket");
}

TEST_F(BucketConfigHandlerTest, ObjectLockBucket) {
  ASSERT_EQ(send("PUT", "/locked", "", "", {{"x-amz-bucket-object-lock-enabled", "true"}}).status,
            200);
  EXPECT_EQ(*harness_->ctx().bucket_metadata->versioning("locked"), VersioningState::kEnabled);
  auto r = send("PUT", "/locked", "versioning=", kSuspended);
  expect_error(r, 409, "InvalidBucketState");
  EXPECT_THAT(send("GET", "/locked", "object-lock=").body,
              HasSubstr("<ObjectLockEnabled>Enabled</ObjectLockEnabled>"));
  ASSERT_EQ(send("PUT", "/plain").status, 200);
  expect_error(send("GET", "/plain", "object-lock="), 404, "ObjectLockConfigurationNotFoundError");
  expect_error(send("PUT", "/plain", "object-lock=",
                    "<ObjectLockConfiguration><ObjectLockEnabled>Enabled</ObjectLockEnabled>"
                    "</ObjectLockConfiguration>"),
               409, "InvalidBucketState");
}

TEST_F(BucketConfigHandlerTest, TaggingStoredAsSent) {
  ASSERT_EQ(send("PUT", "/tags").status, 200);
  expect_error(send("GET", "/tags", "tagging="), 404, "NoSuchTagSet");
  const std::string doc =
      "<Tagging>\n  <TagSet><Tag><Key>a</Key><Value>1</Value></Tag></TagSet>\n</Tagging>";
  EXPECT_EQ(send("PUT", "/tags", "tagging=", doc).status, 204);
  auto r = send("GET", "/tags", "tagging=");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, doc);
  EXPECT_EQ(send("DELETE", "/tags", "tagging=").status, 204);
  expect_error(send("GET", "/tags", "tagging="), 404, "NoSuchTagSet");
  // Deleting the bucket forgets its configuration.
  EXPECT_EQ(send("PUT", "/tags", "tagging=", doc).status, 204);
  EXPECT_EQ(send("DELETE", "/tags").status, 204);
  EXPECT_EQ(send("PUT", "/tags").status, 200);
  expect_error(send("GET", "/tags", "tagging="), 404, "NoSuchTagSet");
}

TEST_F(BucketConfigHandlerTest, CorsPreflightAndHeaders) {
  ASSERT_EQ(send("PUT", "/web").status, 200);
  ASSERT_EQ(send("PUT", "/web", "cors=",
                 "<CORSConfiguration><CORSRule><AllowedOrigin>https://a.test</AllowedOrigin>"
                 "<AllowedMethod>GET</AllowedMethod><AllowedHeader>*</AllowedHeader>"
                 "</CORSRule></CORSConfiguration>")
                .status,
            200);
  TestRequest t;
  t.method = "OPTIONS";
  t.path = "/web/k";
  t.sign = false;
  t.headers = {{"Origin", "https://a.test"},
               {"Access-Control-Request-Method", "GET"},
               {"Access-Control-Request-Headers", "x-custom"}};
  auto r = harness_->send(t);
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.header("Access-Control-Allow-Origin"), "https://a.test");
  EXPECT_EQ(r.header("Access-Control-Allow-Methods"), "GET");
  EXPECT_EQ(r.header("Access-Control-Allow-Headers"), "x-custom");
  t.headers[1].second = "PUT";
  expect_error(harness_->send(t), 403, "AccessForbidden");

  ASSERT_EQ(send("PUT", "/web/k", "", "v").status, 200);
  r = send("GET", "/web/k", "", "", {{"Origin", "https://a.test"}});
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.header("Access-Control-Allow-Origin"), "https://a.test");
  r = send("GET", "/web/k", "", "", {{"Origin", "https://b.test"}});
  EXPECT_EQ(r.header("Access-Control-Allow-Origin"), "");
}

TEST_F(BucketConfigHandlerTest, HardQuotaRefusesLargePut) {
  ASSERT_EQ(send("PUT", "/quota").status, 200);
  ASSERT_TRUE(harness_->ctx()
                  .bucket_metadata
                  ->update("quota",
                           [](BucketMetadata& m) {
                             m.quota_json = R"({"quota":10,"quotatype":"hard"})";
                             return Status::ok();
                           })
                  .is_ok());
  EXPECT_EQ(send("PUT", "/quota/small", "", "123456789").status, 200);
  auto r = send("PUT", "/quota/big", "", "0123456789");
  expect_error(r, 400, "XMinioAdminBucketQuotaExceeded");
  EXPECT_THAT(r.body, HasSubstr("<Message>Bucket quota exceeded</Message>"));
  expect_error(send("GET", "/quota/big"), 404, "NoSuchKey");
}

}  // namespace
}  // namespace maxio::s3::testing
