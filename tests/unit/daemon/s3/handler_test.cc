// End-to-end tests of the S3 API layer: signed requests through handle_request() over an
// in-memory object layer and, when maxio_storage is linked, the real one on a temp dir.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <functional>

#include "shared/crypto/checksum.h"
#include "shared/crypto/hash.h"
#include "shared/sigv4/signer.h"
#include "shared/util/encoding.h"
#include "shared/util/time.h"
#include "shared/util/uuid.h"
#include "tests/unit/daemon/s3/fake_object_layer.h"
#include "tests/unit/daemon/s3/s3_test_harness.h"

namespace maxio::s3::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::MatchesRegex;
using ::testing::Not;

struct LayerFactory {
  std::string name;
  std::function<std::unique_ptr<ObjectLayer>(const std::string& dir)> make;
};

void PrintTo(const LayerFactory& factory, std::ostream* os) { *os << factory.name; }

class S3HandlerTest : public ::testing::TestWithParam<LayerFactory> {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("maxio-s3-test-" + new_uuid());
    std::filesystem::create_directories(dir_);
    auto layer = GetParam().make(dir_.string());
    ASSERT_NE(layer, nullptr);
    harness_ = std::make_unique<S3Harness>(std::move(layer));
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
  void make_bucket(const std::string& name) { ASSERT_EQ(send("PUT", "/" + name).status, 200); }
  void put(const std::string& bucket, const std::string& key, const std::string& data,
           std::vector<std::pair<std::string, std::string>> headers = {}) {
    auto r = send("PUT", "/" + bucket + "/" + key, "", data, std::move(headers));
    ASSERT_EQ(r.status, 200) << r.body;
  }

  std::filesystem::path dir_;
  std::unique_ptr<S3Harness> harness_;
};

void expect_request_ids(const CapturedResponse& r) {
  EXPECT_THAT(r.header("x-amz-request-id"), MatchesRegex("[0-9A-F]{16}"));
  EXPECT_FALSE(r.header("x-amz-id-2").empty());
}

void expect_error(const CapturedResponse& r, int status, const std::string& code) {
  EXPECT_EQ(r.status, status) << r.body;
  EXPECT_THAT(r.body, HasSubstr("<Code>" + code + "</Code>"));
  EXPECT_THAT(r.body, HasSubstr("<RequestId>" + r.header("x-amz-request-id") + "</RequestId>"));
  expect_request_ids(r);
}

TEST_P(S3HandlerTest, HealthNeedsNoAuth) {
  TestRequest t;
  t.path = "/minio/health/live";
  t.sign = false;
  auto r = harness_->send(t);
  EXPECT_EQ(r.status, 200);
  EXPECT_TRUE(r.body.empty());
  expect_request_ids(r);
  t.path = "/minio/health/ready";
  t.method = "HEAD";
  EXPECT_EQ(harness_->send(t).status, 200);
}

TEST_P(S3HandlerTest, AnonymousIsDenied) {
  TestRequest t;
  t.sign = false;
  auto r = harness_->send(t);
  expect_error(r, 403, "AccessDenied");
  t.path = "/bucket/key";
  r = harness_->send(t);
  expect_error(r, 403, "AccessDenied");
  EXPECT_THAT(r.body, HasSubstr("<Resource>/bucket/key</Resource>"));
}

TEST_P(S3HandlerTest, BadSignatureIsRejected) {
  auto r = send("GET", "/", "", "", {{"Authorization", "AWS4-HMAC-SHA256 Credential=x"}});
  EXPECT_GE(r.status, 400);
  expect_request_ids(r);
}

TEST_P(S3HandlerTest, BucketLifecycle) {
  auto r = send("PUT", "/alpha");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.header("Location"), "/alpha");
  expect_request_ids(r);
  expect_error(send("PUT", "/alpha"), 409, "BucketAlreadyOwnedByYou");
  expect_error(send("PUT", "/Bad_Name"), 400, "InvalidBucketName");
  EXPECT_EQ(send("HEAD", "/alpha").status, 200);
  r = send("HEAD", "/missing");
  EXPECT_EQ(r.status, 404);
  EXPECT_TRUE(r.body.empty());

  r = send("GET", "/");
  EXPECT_EQ(r.status, 200);
  EXPECT_THAT(r.body, HasSubstr("<Bucket><Name>alpha</Name><CreationDate>"));
  EXPECT_THAT(r.header("Content-Type"), "application/xml");

  r = send("GET", "/alpha", "location=");
  EXPECT_EQ(r.status, 200);
  EXPECT_THAT(r.body, HasSubstr("<LocationConstraint xmlns=\"http://s3.amazonaws.com/doc/"
                                "2006-03-01/\"/>"));
  expect_error(send("GET", "/missing", "location="), 404, "NoSuchBucket");

  put("alpha", "k", "data");
  expect_error(send("DELETE", "/alpha"), 409, "BucketNotEmpty");
  EXPECT_EQ(send("DELETE", "/alpha/k").status, 204);
  EXPECT_EQ(send("DELETE", "/alpha").status, 204);
  expect_error(send("DELETE", "/alpha"), 404, "NoSuchBucket");
}

TEST_P(S3HandlerTest, CreateBucketConfiguration) {
  std::string us =
      "<CreateBucketConfiguration><LocationConstraint>us-east-1"
      "</LocationConstraint></CreateBucketConfiguration>";
  EXPECT_EQ(send("PUT", "/bk1", "", us).status, 200);
  std::string eu =
      "<CreateBucketConfiguration><LocationConstraint>eu-west-1"
      "</LocationConstraint></CreateBucketConfiguration>";
  expect_error(send("PUT", "/bk2", "", eu), 400, "InvalidLocationConstraint");
  expect_error(send("PUT", "/bk3", "", "<CreateBucketConfiguration>"), 400, "MalformedXML");
}

TEST_P(S3HandlerTest, PutGetHeadObject) {
  make_bucket("bkt");
  std::string data = "hello, world";
  auto r = send("PUT", "/bkt/dir/a b.txt", "", data,
                {{"Content-Type", "text/plain"},
                 {"X-Amz-Meta-Color", "Blue"},
                 {"Cache-Control", "no-cache"},
                 {"Content-MD5", base64_encode(md5(data))}});
  ASSERT_EQ(r.status, 200) << r.body;
  std::string etag = "\"" + hex_encode(md5(data)) + "\"";
  EXPECT_EQ(r.header("ETag"), etag);
  expect_request_ids(r);

  r = send("GET", "/bkt/dir/a b.txt");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.body, data);
  EXPECT_EQ(r.content_length, data.size());
  EXPECT_EQ(r.header("ETag"), etag);
  EXPECT_EQ(r.header("Content-Type"), "text/plain");
  EXPECT_EQ(r.header("x-amz-meta-color"), "Blue");
  EXPECT_EQ(r.header("Cache-Control"), "no-cache");
  EXPECT_EQ(r.header("Accept-Ranges"), "bytes");
  EXPECT_THAT(r.header("Last-Modified"), HasSubstr(" GMT"));
  EXPECT_TRUE(r.finished);

  r = send("HEAD", "/bkt/dir/a b.txt");
  EXPECT_EQ(r.status, 200);
  EXPECT_TRUE(r.body.empty());
  EXPECT_EQ(r.content_length, data.size());

  r = send("GET", "/bkt/dir/a b.txt", "response-content-type=application%2Fjson");
  EXPECT_EQ(r.header("Content-Type"), "application/json");

  r = send("GET", "/bkt/dir/a b.txt", "partNumber=1");
  EXPECT_EQ(r.status, 206);  // part 1 of a one-piece object: a range over all of it
  EXPECT_EQ(r.body, data);
  EXPECT_EQ(r.header("Content-Range"),
            "bytes 0-" + std::to_string(data.size() - 1) + "/" + std::to_string(data.size()));
  EXPECT_EQ(r.header("x-amz-mp-parts-count"), "");
  expect_error(send("GET", "/bkt/dir/a b.txt", "partNumber=2"), 416, "InvalidPartNumber");
}

// Regression: response-content-disposition & co. were percent-decoded into response headers
// unchecked; a presigned URL carrying "%0D%0A" split the response (header injection).
TEST_P(S3HandlerTest, ResponseOverrideWithLineBreakIsRefused) {
  make_bucket("bkt");
  ASSERT_EQ(send("PUT", "/bkt/k", "", "data").status, 200);
  auto r = send("GET", "/bkt/k", "response-content-disposition=a%0D%0ASet-Cookie%3A%20x%3D1");
  expect_error(r, 400, "InvalidArgument");
  EXPECT_EQ(r.header("Set-Cookie"), "");
  r = send("GET", "/bkt/k", "response-content-disposition=attachment%3B%20filename%3D%22a.txt%22");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.header("Content-Disposition"), "attachment; filename=\"a.txt\"");
}

TEST_P(S3HandlerTest, PutErrors) {
  make_bucket("bkt");
  expect_error(send("PUT", "/bkt/k", "", "x", {{"Content-MD5", "notbase64!"}}), 400,
               "InvalidDigest");
  expect_error(send("PUT", "/bkt/k", "", "x", {{"Content-MD5", base64_encode(md5("y"))}}), 400,
               "BadDigest");
  auto r = send("PUT", "/nobucket/k", "", "x");
  expect_error(r, 404, "NoSuchBucket");
  EXPECT_THAT(r.body, HasSubstr("<BucketName>nobucket</BucketName>"));
  expect_error(send("PUT", "/bkt/" + std::string(1025, 'k'), "", "x"), 400, "KeyTooLongError");
  expect_error(send("PUT", "/bkt/a/../b", "", "x"), 400, "XMinioInvalidObjectName");

  TestRequest t;
  t.method = "PUT";
  t.path = "/bkt/k";
  t.omit_content_length = true;
  t.payload_hash = "UNSIGNED-PAYLOAD";
  r = harness_->send(t);
  EXPECT_EQ(r.status, 411) << r.body;

  expect_error(send("PUT", "/bkt/sse", "", "x", {{"x-amz-server-side-encryption", "AES256"}}), 501,
               "NotImplemented");
  put("bkt", "exists", "1");
  expect_error(send("PUT", "/bkt/exists", "", "2", {{"If-None-Match", "*"}}), 412,
               "PreconditionFailed");
}

TEST_P(S3HandlerTest, PutEchoesChecksums) {
  make_bucket("bkt");
  auto crc = Checksum::create(ChecksumAlgorithm::kCrc32);
  crc->update("checked", 7);
  std::string value = crc->finish_base64();
  auto r = send("PUT", "/bkt/ck", "", "checked", {{"x-amz-checksum-crc32", value}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.header("x-amz-checksum-crc32"), value);
  r = send("PUT", "/bkt/ck", "", "tampered", {{"x-amz-checksum-crc32", value}});
  EXPECT_EQ(r.status, 400) << r.body;
}

TEST_P(S3HandlerTest, Ranges) {
  make_bucket("bkt");
  put("bkt", "r", "0123456789");
  auto r = send("GET", "/bkt/r", "", "", {{"Range", "bytes=2-4"}});
  EXPECT_EQ(r.status, 206);
  EXPECT_EQ(r.body, "234");
  EXPECT_EQ(r.header("Content-Range"), "bytes 2-4/10");
  r = send("GET", "/bkt/r", "", "", {{"Range", "bytes=-3"}});
  EXPECT_EQ(r.body, "789");
  r = send("GET", "/bkt/r", "", "", {{"Range", "bytes=0-1,4-5"}});
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "0123456789");
  r = send("GET", "/bkt/r", "", "", {{"Range", "bytes=10-"}});
  expect_error(r, 416, "InvalidRange");
  EXPECT_EQ(r.header("Content-Range"), "bytes */10");
  r = send("HEAD", "/bkt/r", "", "", {{"Range", "bytes=5-"}});
  EXPECT_EQ(r.status, 206);
  EXPECT_EQ(r.content_length, 5u);
  EXPECT_TRUE(r.body.empty());
}

TEST_P(S3HandlerTest, Conditionals) {
  make_bucket("bkt");
  put("bkt", "c", "abc");
  std::string etag = "\"" + hex_encode(md5("abc")) + "\"";
  auto r = send("GET", "/bkt/c", "", "", {{"If-None-Match", etag}});
  EXPECT_EQ(r.status, 304);
  EXPECT_TRUE(r.body.empty());
  EXPECT_EQ(r.header("ETag"), etag);
  expect_error(send("GET", "/bkt/c", "", "", {{"If-Match", "\"nope\""}}), 412,
               "PreconditionFailed");
  EXPECT_EQ(send("GET", "/bkt/c", "", "", {{"If-Match", etag}}).status, 200);
  r = send("HEAD", "/bkt/c", "", "", {{"If-Match", "\"nope\""}});
  EXPECT_EQ(r.status, 412);
  EXPECT_TRUE(r.body.empty());
  EXPECT_EQ(send("GET", "/bkt/c", "", "", {{"If-Modified-Since", "Sat, 01 Jan 2000 00:00:00 GMT"}})
                .status,
            200);
  EXPECT_EQ(
      send("GET", "/bkt/c", "", "", {{"If-Unmodified-Since", "Sat, 01 Jan 2000 00:00:00 GMT"}})
          .status,
      412);
}

TEST_P(S3HandlerTest, MissingObject) {
  make_bucket("bkt");
  auto r = send("GET", "/bkt/nokey");
  expect_error(r, 404, "NoSuchKey");
  EXPECT_THAT(r.body, HasSubstr("<Key>nokey</Key>"));
  EXPECT_THAT(r.body, HasSubstr("<BucketName>bkt</BucketName>"));
  EXPECT_THAT(r.body, HasSubstr("<Resource>/bkt/nokey</Resource>"));
  EXPECT_EQ(r.header("Content-Type"), "application/xml");
  r = send("HEAD", "/bkt/nokey");
  EXPECT_EQ(r.status, 404);
  EXPECT_TRUE(r.body.empty());
  EXPECT_EQ(r.header("Content-Type"), "application/xml");  // as AWS sends it for HEAD
  expect_request_ids(r);
  expect_error(send("GET", "/nob/nokey"), 404, "NoSuchBucket");
  EXPECT_EQ(send("DELETE", "/bkt/nokey").status, 204);
  expect_error(send("DELETE", "/nob/nokey"), 404, "NoSuchBucket");
}

TEST_P(S3HandlerTest, CopyObject) {
  make_bucket("bkt");
  put("bkt", "src key", "payload", {{"X-Amz-Meta-A", "1"}, {"Content-Type", "text/x"}});
  auto r = send("PUT", "/bkt/dst", "", "", {{"x-amz-copy-source", "/bkt/src%20key"}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_THAT(r.body, HasSubstr("<CopyObjectResult"));
  EXPECT_THAT(r.body, HasSubstr("<ETag>\"" + hex_encode(md5("payload")) + "\"</ETag>"));
  r = send("GET", "/bkt/dst");
  EXPECT_EQ(r.body, "payload");
  EXPECT_EQ(r.header("x-amz-meta-a"), "1");
  EXPECT_EQ(r.header("Content-Type"), "text/x");

  r = send("PUT", "/bkt/dst2", "", "",
           {{"x-amz-copy-source", "bkt/src%20key"},
            {"x-amz-metadata-directive", "REPLACE"},
            {"X-Amz-Meta-B", "2"}});
  ASSERT_EQ(r.status, 200) << r.body;
  r = send("HEAD", "/bkt/dst2");
  EXPECT_EQ(r.header("x-amz-meta-b"), "2");
  EXPECT_EQ(r.header("x-amz-meta-a"), "");

  expect_error(send("PUT", "/bkt/src key", "", "", {{"x-amz-copy-source", "bkt/src%20key"}}), 400,
               "InvalidRequest");
  EXPECT_EQ(send("PUT", "/bkt/src key", "", "",
                 {{"x-amz-copy-source", "bkt/src%20key"}, {"x-amz-metadata-directive", "REPLACE"}})
                .status,
            200);
  expect_error(
      send("PUT", "/bkt/d3", "", "",
           {{"x-amz-copy-source", "bkt/src%20key"}, {"x-amz-copy-source-if-match", "\"nope\""}}),
      412, "PreconditionFailed");
  expect_error(send("PUT", "/bkt/d4", "", "", {{"x-amz-copy-source", "bkt/none"}}), 404,
               "NoSuchKey");
  expect_error(send("PUT", "/bkt/d5", "", "", {{"x-amz-copy-source", "bkt"}}), 400,
               "InvalidArgument");
}

TEST_P(S3HandlerTest, ListObjects) {
  make_bucket("bkt");
  for (std::string key : {"a.txt", "dir/b.txt", "dir/c d.txt", "dir/sub/e.txt", "z.txt"}) {
    put("bkt", key, "x");
  }
  auto r = send("GET", "/bkt", "delimiter=%2F");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_THAT(r.body, HasSubstr("<Key>a.txt</Key>"));
  EXPECT_THAT(r.body, HasSubstr("<CommonPrefixes><Prefix>dir/</Prefix></CommonPrefixes>"));
  EXPECT_THAT(r.body, Not(HasSubstr("<Key>dir/b.txt</Key>")));

  r = send("GET", "/bkt", "prefix=dir%2F&encoding-type=url");
  EXPECT_THAT(r.body, HasSubstr("<Key>dir/c%20d.txt</Key>"));
  EXPECT_THAT(r.body, HasSubstr("<EncodingType>url</EncodingType>"));

  r = send("GET", "/bkt", "max-keys=2");
  EXPECT_THAT(r.body, HasSubstr("<MaxKeys>2</MaxKeys>"));
  EXPECT_THAT(r.body, HasSubstr("<IsTruncated>true</IsTruncated>"));
  EXPECT_THAT(r.body, Not(HasSubstr("<NextMarker>")));
  r = send("GET", "/bkt", "marker=dir%2Fc%20d.txt");
  EXPECT_THAT(r.body, HasSubstr("<Key>dir/sub/e.txt</Key>"));
  EXPECT_THAT(r.body, Not(HasSubstr("<Key>a.txt</Key>")));

  expect_error(send("GET", "/bkt", "max-keys=-1"), 400, "InvalidArgument");
  expect_error(send("GET", "/bkt", "max-keys=abc"), 400, "InvalidArgument");
  expect_error(send("GET", "/bkt", "encoding-type=base64"), 400, "InvalidArgument");
  expect_error(send("GET", "/nob"), 404, "NoSuchBucket");
  r = send("GET", "/bkt", "max-keys=5000");
  EXPECT_THAT(r.body, HasSubstr("<MaxKeys>1000</MaxKeys>"));
}

TEST_P(S3HandlerTest, ListObjectsV2Pagination) {
  make_bucket("bkt");
  for (std::string key : {"k1", "k2", "k3", "k4", "k5"}) put("bkt", key, "x");
  std::vector<std::string> seen;
  std::string token;
  for (int page = 0; page < 10; ++page) {
    std::string query = "list-type=2&max-keys=2";
    if (!token.empty()) query += "&continuation-token=" + uri_encode(token, true);
    auto r = send("GET", "/bkt", query);
    ASSERT_EQ(r.status, 200) << r.body;
    for (size_t pos = 0; (pos = r.body.find("<Key>", pos)) != std::string::npos; ++pos) {
      seen.push_back(r.body.substr(pos + 5, r.body.find("</Key>", pos) - pos - 5));
    }
    auto t = r.body.find("<NextContinuationToken>");
    if (t == std::string::npos) {
      EXPECT_THAT(r.body, HasSubstr("<IsTruncated>false</IsTruncated>"));
      break;
    }
    EXPECT_THAT(r.body, HasSubstr("<KeyCount>2</KeyCount>"));
    t += 23;
    token = r.body.substr(t, r.body.find('<', t) - t);
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"k1", "k2", "k3", "k4", "k5"}));
  auto r = send("GET", "/bkt", "list-type=2&start-after=k3&fetch-owner=true");
  EXPECT_THAT(r.body, HasSubstr("<StartAfter>k3</StartAfter>"));
  EXPECT_THAT(r.body, HasSubstr("<Key>k4</Key>"));
  EXPECT_THAT(r.body, HasSubstr("<Owner>"));
  expect_error(send("GET", "/bkt", "list-type=2&continuation-token=%21%21"), 400,
               "InvalidArgument");
}

TEST_P(S3HandlerTest, ListObjectVersions) {
  make_bucket("bkt");
  put("bkt", "v", "x");
  auto r = send("GET", "/bkt", "versions=");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_THAT(r.body, HasSubstr("<ListVersionsResult"));
  EXPECT_THAT(r.body, HasSubstr("<Version><Key>v</Key><VersionId>null</VersionId>"
                                "<IsLatest>true</IsLatest>"));
  expect_error(send("GET", "/bkt", "versions=&version-id-marker=x"), 400, "InvalidArgument");
}

TEST_P(S3HandlerTest, DeleteObjects) {
  make_bucket("bkt");
  put("bkt", "d1", "x");
  put("bkt", "d2", "x");
  std::string body =
      "<Delete><Object><Key>d1</Key></Object><Object><Key>d2</Key></Object>"
      "<Object><Key>missing</Key></Object><Object><Key>a/../b</Key></Object></Delete>";
  auto r = send("POST", "/bkt", "delete=", body, {{"Content-MD5", base64_encode(md5(body))}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_THAT(r.body, HasSubstr("<Deleted><Key>d1</Key></Deleted>"));
  EXPECT_THAT(r.body, HasSubstr("<Deleted><Key>missing</Key></Deleted>"));
  EXPECT_THAT(r.body, HasSubstr("<Error><Key>a/../b</Key><Code>XMinioInvalidObjectName</Code>"));
  EXPECT_EQ(send("HEAD", "/bkt/d1").status, 404);

  r = send("POST", "/bkt",
           "delete=", "<Delete><Quiet>true</Quiet><Object><Key>x</Key></Object></Delete>");
  EXPECT_EQ(r.status, 200);
  EXPECT_THAT(r.body, Not(HasSubstr("<Deleted>")));
  expect_error(send("POST", "/bkt", "delete=", "<Delete>"), 400, "MalformedXML");
  expect_error(send("POST", "/bkt", "delete=", "<Delete></Delete>"), 400, "MalformedXML");
  expect_error(send("POST", "/nob", "delete=", "<Delete><Object><Key>x</Key></Object></Delete>"),
               404, "NoSuchBucket");
}

// Regression: versionId=garbage answered 404 NoSuchVersion with the storage message, and
// a marker that is not UTF-8 was echoed into the listing XML.
TEST_P(S3HandlerTest, InvalidVersionIdsAndListParameters) {
  make_bucket("bkt");
  put("bkt", "k", "v");
  for (const char* method : {"GET", "DELETE"}) {
    auto r = send(method, "/bkt/k", "versionId=garbage");
    expect_error(r, 400, "InvalidArgument");
    EXPECT_THAT(r.body, HasSubstr("<Message>Invalid version id specified</Message>"));
  }
  expect_error(send("PUT", "/bkt/c", "", "", {{"x-amz-copy-source", "bkt/k?versionId=x"}}), 400,
               "InvalidArgument");
  expect_error(send("GET", "/bkt", "versions=&key-marker=k&version-id-marker=x"), 400,
               "InvalidArgument");
  for (const char* query :
       {"marker=%FF", "list-type=2&start-after=%C3", "delimiter=%FF", "versions=&key-marker=%FF"}) {
    expect_error(send("GET", "/bkt", query), 400, "InvalidArgument");
  }
  EXPECT_EQ(send("GET", "/bkt/k", "versionId=null").body, "v");
  // Invalid tags refuse the PUT before anything is stored.
  expect_error(send("PUT", "/bkt/t", "", "x", {{"x-amz-tagging", "a=1&a=2"}}), 400, "InvalidTag");
  expect_error(send("GET", "/bkt/t"), 404, "NoSuchKey");
  auto r = send("GET", "/no-such-bucket");
  expect_error(r, 404, "NoSuchBucket");
  EXPECT_THAT(r.body, HasSubstr("<Message>The specified bucket does not exist</Message>"));
}

TEST_P(S3HandlerTest, UnservedAndUnknownRoutes) {
  make_bucket("bkt");
  expect_error(send("PUT", "/bkt", "acl="), 501, "NotImplemented");
  auto acl = send("GET", "/bkt", "acl=");
  EXPECT_EQ(acl.status, 200);
  EXPECT_THAT(acl.body, HasSubstr("<Permission>FULL_CONTROL</Permission>"));
  expect_error(send("GET", "/bkt/none", "acl="), 404, "NoSuchKey");
  expect_error(send("GET", "/bkt/k", "uploadId="), 404, "NoSuchUpload");
  expect_error(send("PUT", "/"), 405, "MethodNotAllowed");
  auto r = send("GET", "/bkt", "versioning=");
  EXPECT_EQ(r.status, 200);
  EXPECT_THAT(r.body, HasSubstr("<VersioningConfiguration"));
}

TEST_P(S3HandlerTest, VirtualHostStyle) {
  harness_->ctx().config.domains = {"s3.local"};
  make_bucket("vbk");
  put("vbk", "obj", "vhost");
  TestRequest t;
  t.host = "vbk.s3.local:9000";
  t.path = "/obj";
  auto r = harness_->send(t);
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.body, "vhost");
}

// A browser form upload signed with a SigV4 POST policy.
TestRequest post_form(const std::string& bucket, const std::string& status_field,
                      const std::string& file, const std::string& secret) {
  auto now = std::chrono::system_clock::now();
  sigv4::Scope scope{format_amz_day(now), "us-east-1", "s3"};
  std::string credential = "maxioadmin/" + scope.to_string();
  std::string policy_json = "{\"expiration\":\"" + format_iso8601(now + std::chrono::hours(1)) +
                            "\",\"conditions\":[{\"bucket\":\"" + bucket +
                            "\"},[\"starts-with\",\"$key\",\"up/\"],"
                            "[\"content-length-range\",0,100]]}";
  std::string policy = base64_encode(policy_json);
  std::string signature = sigv4::signature(sigv4::signing_key(secret, scope), policy);
  std::vector<std::pair<std::string, std::string>> fields = {
      {"key", "up/${filename}"},
      {"x-amz-algorithm", "AWS4-HMAC-SHA256"},
      {"x-amz-credential", credential},
      {"x-amz-date", format_amz_date(now)},
      {"policy", policy},
      {"x-amz-signature", signature},
      {"Content-Type", "text/plain"},
  };
  if (!status_field.empty()) fields.emplace_back("success_action_status", status_field);
  std::string body;
  for (const auto& [name, value] : fields) {
    body +=
        "--XyZ\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value + "\r\n";
  }
  body +=
      "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"f.txt\"\r\n"
      "Content-Type: application/octet-stream\r\n\r\n" +
      file + "\r\n--XyZ--\r\n";
  TestRequest t;
  t.method = "POST";
  t.path = "/" + bucket;
  t.body = body;
  t.sign = false;
  t.headers = {{"Content-Type", "multipart/form-data; boundary=XyZ"}};
  return t;
}

TEST_P(S3HandlerTest, PostObject) {
  make_bucket("bkt");
  const std::string secret = harness_->ctx().config.root.secret_key;
  auto r = harness_->send(post_form("bkt", "", "form data", secret));
  ASSERT_EQ(r.status, 204) << r.body;
  EXPECT_EQ(r.header("ETag"), "\"" + hex_encode(md5("form data")) + "\"");
  r = send("GET", "/bkt/up/f.txt");
  EXPECT_EQ(r.body, "form data");
  EXPECT_EQ(r.header("Content-Type"), "text/plain");

  r = harness_->send(post_form("bkt", "201", "x", secret));
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_THAT(r.body, HasSubstr("<PostResponse><Location>http://localhost:9000/bkt/up/f.txt"
                                "</Location><Bucket>bkt</Bucket><Key>up/f.txt</Key>"));
  EXPECT_EQ(harness_->send(post_form("bkt", "200", "x", secret)).status, 200);

  expect_error(harness_->send(post_form("bkt", "", "x", "wrong-secret")), 403,
               "SignatureDoesNotMatch");
  expect_error(harness_->send(post_form("bkt", "", std::string(101, 'x'), secret)), 400,
               "EntityTooLarge");
}

std::vector<LayerFactory> factories() {
  std::vector<LayerFactory> out;
  out.push_back({"Fake", [](const std::string&) -> std::unique_ptr<ObjectLayer> {
                   return std::make_unique<FakeObjectLayer>();
                 }});
#ifdef MAXIO_S3_TEST_REAL_STORAGE
  out.push_back({"Real", [](const std::string& dir) -> std::unique_ptr<ObjectLayer> {
                   ObjectLayerOptions options;
                   options.pools = {PoolLayout{{dir}, 1}};
                   auto layer = open_object_layer(options);
                   if (!layer) {
                     ADD_FAILURE() << layer.status().to_string();
                     return nullptr;
                   }
                   return std::move(layer).value();
                 }});
#endif
  return out;
}

// A FakeObjectLayer whose object "huge" reports a size just above the 5 GiB copy limit.
class HugeSourceLayer final : public ObjectLayer {
 public:
  Status make_bucket(const std::string& b, const MakeBucketOptions& o) override {
    return fake_.make_bucket(b, o);
  }
  Result<BucketInfo> get_bucket_info(const std::string& b) override {
    return fake_.get_bucket_info(b);
  }
  Result<std::vector<BucketInfo>> list_buckets() override { return fake_.list_buckets(); }
  Status delete_bucket(const std::string& b, bool force) override {
    return fake_.delete_bucket(b, force);
  }
  Result<ObjectInfo> put_object(const std::string& b, const std::string& k, Reader& data,
                                const PutObjectOptions& o) override {
    return fake_.put_object(b, k, data, o);
  }
  Result<ObjectInfo> get_object_info(const std::string& b, const std::string& k,
                                     const ObjectOptions& o) override {
    MAXIO_TRY(ObjectInfo info, fake_.get_object_info(b, k, o));
    if (k == "huge") info.size = (uint64_t{5} << 30) + 1;
    return info;
  }
  Result<std::unique_ptr<ObjectReader>> open_object(const std::string& b, const std::string& k,
                                                    const ObjectOptions& o) override {
    return fake_.open_object(b, k, o);
  }
  Result<ObjectInfo> copy_object(const std::string& sb, const std::string& sk,
                                 const ObjectOptions& so, const std::string& db,
                                 const std::string& dk, const CopyPlan& plan) override {
    return fake_.copy_object(sb, sk, so, db, dk, [&](const ObjectInfo& source) {
      ObjectInfo info = source;
      if (sk == "huge") info.size = (uint64_t{5} << 30) + 1;
      return plan(info);
    });
  }
  Result<DeletedObject> delete_object(const std::string& b, const std::string& k,
                                      const ObjectOptions& o) override {
    return fake_.delete_object(b, k, o);
  }
  std::vector<Result<DeletedObject>> delete_objects(const std::string& b,
                                                    const std::vector<ObjectToDelete>& objects,
                                                    const ObjectOptions& versioning) override {
    return fake_.delete_objects(b, objects, versioning);
  }
  Result<ListObjectsInfo> list_objects(const std::string& b, const std::string& prefix,
                                       const std::string& marker, const std::string& delimiter,
                                       int max_keys) override {
    return fake_.list_objects(b, prefix, marker, delimiter, max_keys);
  }
  Result<ListObjectVersionsInfo> list_object_versions(
      const std::string& b, const std::string& prefix, const std::string& key_marker,
      const std::string& version_id_marker, const std::string& delimiter, int max_keys) override {
    return fake_.list_object_versions(b, prefix, key_marker, version_id_marker, delimiter,
                                      max_keys);
  }
  Result<std::string> read_system_object(const std::string& path) override {
    return fake_.read_system_object(path);
  }
  Status write_system_object(const std::string& path, std::string_view data) override {
    return fake_.write_system_object(path, data);
  }
  Status delete_system_object(const std::string& path) override {
    return fake_.delete_system_object(path);
  }
  Result<std::vector<std::string>> list_system_objects(const std::string& prefix) override {
    return fake_.list_system_objects(prefix);
  }
  Result<std::string> read_bucket_system_object(const std::string& path) override {
    return fake_.read_bucket_system_object(path);
  }
  Status write_bucket_system_object(const std::string& path, std::string_view data) override {
    return fake_.write_bucket_system_object(path, data);
  }
  Status delete_bucket_system_object(const std::string& path) override {
    return fake_.delete_bucket_system_object(path);
  }
  StorageInfo storage_info() override { return fake_.storage_info(); }
  Result<HealSummary> heal(const std::string& b, const std::string& p, bool deep) override {
    return fake_.heal(b, p, deep);
  }

 private:
  FakeObjectLayer fake_;
};

// A copy source above 5 GiB is refused before any byte is copied, with AWS's code and
// message (InvalidRequest; EntityTooLarge is PutObject's).
TEST(S3CopyLimit, SourceAbove5GiBIsInvalidRequest) {
  S3Harness harness(std::make_unique<HugeSourceLayer>());
  ASSERT_EQ(harness.send("PUT", "/bkt").status, 200);
  ASSERT_EQ(harness.send("PUT", "/bkt/huge", "", "small").status, 200);
  auto r = harness.send("PUT", "/bkt/dst", "", "", {{"x-amz-copy-source", "bkt/huge"}});
  expect_error(r, 400, "InvalidRequest");
  EXPECT_THAT(r.body, HasSubstr("maximum allowable size for a copy source: 5368709120"));
  expect_error(harness.send("GET", "/bkt/dst"), 404, "NoSuchKey");
}

#ifdef MAXIO_S3_TEST_REAL_STORAGE
// The multipart documents as S3 shapes them, on real storage.
TEST(S3Multipart, DocumentsAndErrors) {
  auto dir = std::filesystem::temp_directory_path() / ("maxio-s3-mpu-" + new_uuid());
  std::filesystem::create_directories(dir);
  {
    ObjectLayerOptions options;
    options.pools = {PoolLayout{{dir.string()}, 1}};
    options.scanner_interval = std::chrono::milliseconds(0);
    options.stale_uploads_cleanup_interval = std::chrono::milliseconds(0);
    auto layer = open_object_layer(options);
    ASSERT_TRUE(layer.is_ok());
    S3Harness harness(std::move(layer).value());
    ASSERT_EQ(harness.send("PUT", "/bkt").status, 200);
    auto created = harness.send("POST", "/bkt/a b", "uploads=");
    ASSERT_EQ(created.status, 200) << created.body;
    EXPECT_THAT(created.body, HasSubstr("<InitiateMultipartUploadResult xmlns=\"http://s3."
                                        "amazonaws.com/doc/2006-03-01/\"><Bucket>bkt</Bucket>"
                                        "<Key>a b</Key><UploadId>"));
    auto begin = created.body.find("<UploadId>") + 10;
    std::string id = created.body.substr(begin, created.body.find("</UploadId>") - begin);
    auto part = harness.send("PUT", "/bkt/a b", "partNumber=1&uploadId=" + id, "hello");
    ASSERT_EQ(part.status, 200) << part.body;
    EXPECT_EQ(part.header("etag"), "\"5d41402abc4b2a76b9719d911017c592\"");
    expect_error(harness.send("PUT", "/bkt/a b", "partNumber=0&uploadId=" + id, "x"), 400,
                 "InvalidArgument");
    auto parts = harness.send("GET", "/bkt/a b", "uploadId=" + id);
    ASSERT_EQ(parts.status, 200);
    EXPECT_THAT(parts.body, HasSubstr("<StorageClass>STANDARD</StorageClass>"
                                      "<PartNumberMarker>0</PartNumberMarker>"
                                      "<NextPartNumberMarker>1</NextPartNumberMarker>"
                                      "<MaxParts>1000</MaxParts><IsTruncated>false</IsTruncated>"
                                      "<Part><PartNumber>1</PartNumber><LastModified>"));
    EXPECT_THAT(parts.body, HasSubstr("<ETag>\"5d41402abc4b2a76b9719d911017c592\"</ETag>"
                                      "<Size>5</Size></Part>"));
    auto uploads = harness.send("GET", "/bkt", "uploads=&encoding-type=url");
    ASSERT_EQ(uploads.status, 200);
    EXPECT_THAT(uploads.body, HasSubstr("<Upload><Key>a%20b</Key><UploadId>" + id));
    EXPECT_THAT(uploads.body, HasSubstr("<EncodingType>url</EncodingType>"));
    expect_error(harness.send("POST", "/bkt/a b", "uploadId=" + id,
                              "<CompleteMultipartUpload></CompleteMultipartUpload>"),
                 400, "MalformedXML");
    expect_error(harness.send("POST", "/bkt/a b", "uploadId=" + id,
                              "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber>"
                              "<ETag>\"00\"</ETag></Part></CompleteMultipartUpload>"),
                 400, "InvalidPart");
    auto done = harness.send("POST", "/bkt/a b", "uploadId=" + id,
                             "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber>"
                             "<ETag>\"5d41402abc4b2a76b9719d911017c592\"</ETag></Part>"
                             "</CompleteMultipartUpload>");
    ASSERT_EQ(done.status, 200) << done.body;
    // md5 of the one part's binary MD5, "-1".
    EXPECT_THAT(done.body,
                HasSubstr("<Bucket>bkt</Bucket><Key>a b</Key><ETag>\"" +
                          hex_encode(md5(hex_decode("5d41402abc4b2a76b9719d911017c592").value())) +
                          "-1\"</ETag></CompleteMultipartUploadResult>"));
    auto got = harness.send("GET", "/bkt/a b", "partNumber=1");
    EXPECT_EQ(got.status, 206);
    EXPECT_EQ(got.body, "hello");
    EXPECT_EQ(got.header("x-amz-mp-parts-count"), "1");
    expect_error(harness.send("GET", "/bkt/a b", "partNumber=2"), 416, "InvalidPartNumber");
    expect_error(harness.send("DELETE", "/bkt/a b", "uploadId=" + id), 404, "NoSuchUpload");
  }
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
}
#endif

INSTANTIATE_TEST_SUITE_P(Layers, S3HandlerTest, ::testing::ValuesIn(factories()),
                         [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace maxio::s3::testing
