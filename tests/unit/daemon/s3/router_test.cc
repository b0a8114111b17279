#include "daemon/s3/router.h"

#include <gtest/gtest.h>

namespace maxio::s3 {
namespace {

HttpRequest make(std::string method, std::string target, std::string host = "localhost:9000") {
  HttpRequest r;
  r.method = std::move(method);
  r.target = target;
  auto q = target.find('?');
  r.path = target.substr(0, q);
  r.raw_query = q == std::string::npos ? "" : target.substr(q + 1);
  r.headers.add("Host", std::move(host));
  return r;
}

Route route_ok(const HttpRequest& r, const std::vector<std::string>& domains = {}) {
  auto route = route_request(r, domains);
  EXPECT_TRUE(route.is_ok()) << r.method << " " << r.target << ": " << route.status().to_string();
  return route.is_ok() ? *route : Route{};
}

TEST(Router, ServiceLevel) {
  EXPECT_EQ(route_ok(make("GET", "/")).operation, Operation::kListBuckets);
  EXPECT_EQ(route_request(make("PUT", "/"), {}).code(), ErrorCode::kMethodNotAllowed);
}

TEST(Router, Health) {
  EXPECT_EQ(route_ok(make("GET", "/minio/health/live")).operation, Operation::kHealthLive);
  EXPECT_EQ(route_ok(make("HEAD", "/minio/health/ready")).operation, Operation::kHealthReady);
  EXPECT_EQ(route_ok(make("GET", "/minio/health/cluster")).operation, Operation::kHealthCluster);
  EXPECT_EQ(route_ok(make("HEAD", "/minio/health/cluster?maintenance=true")).operation,
            Operation::kHealthCluster);
  EXPECT_EQ(route_ok(make("GET", "/minio/health/cluster/read")).operation,
            Operation::kHealthClusterRead);
  EXPECT_EQ(route_request(make("POST", "/minio/health/cluster"), {}).code(),
            ErrorCode::kMethodNotAllowed);
}

TEST(Router, PathStyleBucketAndKey) {
  Route r = route_ok(make("GET", "/bucket/dir/a%20b%2Bc.txt"));
  EXPECT_EQ(r.operation, Operation::kGetObject);
  EXPECT_EQ(r.bucket, "bucket");
  EXPECT_EQ(r.key, "dir/a b+c.txt");
  r = route_ok(make("GET", "/bucket/"));
  EXPECT_EQ(r.operation, Operation::kListObjectsV1);
  EXPECT_EQ(r.bucket, "bucket");
  EXPECT_EQ(r.key, "");
  r = route_ok(make("PUT", "/bucket//lead"));
  EXPECT_EQ(r.key, "/lead");
}

TEST(Router, VirtualHostStyle) {
  std::vector<std::string> domains = {"s3.example.com"};
  Route r = route_ok(make("GET", "/key/x", "my.bucket.s3.example.com:9000"), domains);
  EXPECT_EQ(r.bucket, "my.bucket");
  EXPECT_EQ(r.key, "key/x");
  EXPECT_EQ(r.operation, Operation::kGetObject);
  r = route_ok(make("GET", "/", "b1.S3.Example.com"), domains);
  EXPECT_EQ(r.bucket, "b1");
  EXPECT_EQ(r.operation, Operation::kListObjectsV1);
  // The domain itself is path-style.
  r = route_ok(make("GET", "/b2/k", "s3.example.com"), domains);
  EXPECT_EQ(r.bucket, "b2");
  EXPECT_EQ(r.key, "k");
  // Without configured domains, Host is ignored.
  r = route_ok(make("GET", "/b3", "b.s3.example.com"));
  EXPECT_EQ(r.bucket, "b3");
  EXPECT_EQ(bucket_from_host("notexample.com", {"example.com"}), "");
}

TEST(Router, BucketOperations) {
  EXPECT_EQ(route_ok(make("PUT", "/b")).operation, Operation::kCreateBucket);
  EXPECT_EQ(route_ok(make("HEAD", "/b")).operation, Operation::kHeadBucket);
  EXPECT_EQ(route_ok(make("DELETE", "/b")).operation, Operation::kDeleteBucket);
  EXPECT_EQ(route_ok(make("GET", "/b?location")).operation, Operation::kGetBucketLocation);
  EXPECT_EQ(route_ok(make("GET", "/b?location=")).operation, Operation::kGetBucketLocation);
  EXPECT_EQ(route_ok(make("GET", "/b?versioning")).operation, Operation::kGetBucketVersioning);
  EXPECT_EQ(route_ok(make("GET", "/b?versions&prefix=x")).operation,
            Operation::kListObjectVersions);
  EXPECT_EQ(route_ok(make("GET", "/b?list-type=2&prefix=a")).operation, Operation::kListObjectsV2);
  EXPECT_EQ(route_ok(make("GET", "/b?prefix=a&max-keys=2")).operation, Operation::kListObjectsV1);
  EXPECT_EQ(route_ok(make("POST", "/b?delete")).operation, Operation::kDeleteObjects);
  HttpRequest post = make("POST", "/b");
  post.headers.add("Content-Type", "multipart/form-data; boundary=xyz");
  EXPECT_EQ(route_ok(post).operation, Operation::kPostObject);
  EXPECT_EQ(route_request(make("POST", "/b"), {}).code(), ErrorCode::kMethodNotAllowed);
  EXPECT_EQ(route_request(make("PATCH", "/b"), {}).code(), ErrorCode::kMethodNotAllowed);
}

TEST(Router, ObjectOperations) {
  EXPECT_EQ(route_ok(make("PUT", "/b/k")).operation, Operation::kPutObject);
  HttpRequest copy = make("PUT", "/b/k");
  copy.headers.add("x-amz-copy-source", "/src/key");
  EXPECT_EQ(route_ok(copy).operation, Operation::kCopyObject);
  EXPECT_EQ(route_ok(make("GET", "/b/k?versionId=null")).operation, Operation::kGetObject);
  EXPECT_EQ(route_ok(make("HEAD", "/b/k?partNumber=1")).operation, Operation::kHeadObject);
  EXPECT_EQ(route_ok(make("DELETE", "/b/k")).operation, Operation::kDeleteObject);
  Route presigned =
      route_ok(make("GET", "/b/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=ab"));
  EXPECT_EQ(presigned.operation, Operation::kGetObject);
  EXPECT_EQ(presigned.query.get("X-Amz-Signature"), "ab");
}

TEST(Router, UnservedSubresourcesAreNotImplemented) {
  for (const char* target : {"/b/k?retention", "/b?website", "/b?logging"}) {
    EXPECT_EQ(route_request(make("GET", target), {}).code(), ErrorCode::kNotImplemented) << target;
  }
  EXPECT_EQ(route_request(make("PUT", "/b/k?acl"), {}).code(), ErrorCode::kNotImplemented);
}

TEST(Router, MultipartOperations) {
  EXPECT_EQ(route_ok(make("POST", "/b/k?uploads")).operation, Operation::kCreateMultipartUpload);
  EXPECT_EQ(route_ok(make("PUT", "/b/k?partNumber=1&uploadId=x")).operation,
            Operation::kUploadPart);
  HttpRequest copy = make("PUT", "/b/k?partNumber=1&uploadId=x");
  copy.headers.add("x-amz-copy-source", "/src/key");
  EXPECT_EQ(route_ok(copy).operation, Operation::kUploadPartCopy);
  EXPECT_EQ(route_ok(make("POST", "/b/k?uploadId=x")).operation,
            Operation::kCompleteMultipartUpload);
  EXPECT_EQ(route_ok(make("DELETE", "/b/k?uploadId=x")).operation,
            Operation::kAbortMultipartUpload);
  EXPECT_EQ(route_ok(make("GET", "/b/k?uploadId=x")).operation, Operation::kListParts);
  EXPECT_EQ(route_ok(make("GET", "/b?uploads")).operation, Operation::kListMultipartUploads);
  EXPECT_EQ(route_request(make("PUT", "/b/k?uploadId=x"), {}).code(), ErrorCode::kMethodNotAllowed);
  EXPECT_EQ(route_request(make("GET", "/b/k?uploads"), {}).code(), ErrorCode::kMethodNotAllowed);
}

TEST(Router, BucketConfigurations) {
  EXPECT_EQ(route_ok(make("GET", "/b?policy")).operation, Operation::kGetBucketPolicy);
  EXPECT_EQ(route_ok(make("PUT", "/b?policy")).operation, Operation::kPutBucketPolicy);
  EXPECT_EQ(route_ok(make("DELETE", "/b?policy")).operation, Operation::kDeleteBucketPolicy);
  EXPECT_EQ(route_ok(make("PUT", "/b?tagging")).operation, Operation::kPutBucketTagging);
  EXPECT_EQ(route_ok(make("DELETE", "/b?cors")).operation, Operation::kDeleteBucketCors);
  EXPECT_EQ(route_ok(make("GET", "/b?lifecycle")).operation, Operation::kGetBucketLifecycle);
  EXPECT_EQ(route_ok(make("PUT", "/b?encryption")).operation, Operation::kPutBucketEncryption);
  EXPECT_EQ(route_ok(make("GET", "/b?notification")).operation, Operation::kGetBucketNotification);
  EXPECT_EQ(route_ok(make("DELETE", "/b?replication")).operation,
            Operation::kDeleteBucketReplication);
  EXPECT_EQ(route_ok(make("PUT", "/b?object-lock")).operation,
            Operation::kPutObjectLockConfiguration);
  EXPECT_EQ(route_request(make("DELETE", "/b?notification"), {}).code(),
            ErrorCode::kMethodNotAllowed);
  EXPECT_EQ(route_request(make("DELETE", "/b?object-lock"), {}).code(),
            ErrorCode::kMethodNotAllowed);
  EXPECT_EQ(route_request(make("POST", "/b?cors"), {}).code(), ErrorCode::kMethodNotAllowed);
  EXPECT_TRUE(is_bucket_config_operation(Operation::kGetBucketCors));
  EXPECT_FALSE(is_bucket_config_operation(Operation::kPutBucketVersioning));
  EXPECT_EQ(route_ok(make("OPTIONS", "/b/k")).operation, Operation::kCorsPreflight);
  EXPECT_EQ(route_ok(make("OPTIONS", "/b?cors")).operation, Operation::kCorsPreflight);
  EXPECT_EQ(route_request(make("OPTIONS", "/"), {}).code(), ErrorCode::kMethodNotAllowed);
  // Object tagging is not the bucket's.
  EXPECT_EQ(route_ok(make("GET", "/b/k?tagging")).operation, Operation::kGetObjectTagging);
  EXPECT_EQ(route_ok(make("GET", "/b?tagging")).operation, Operation::kGetBucketTagging);
}

TEST(Router, ObjectTagging) {
  EXPECT_EQ(route_ok(make("GET", "/b/k?tagging&versionId=v")).operation,
            Operation::kGetObjectTagging);
  EXPECT_EQ(route_ok(make("PUT", "/b/k?tagging")).operation, Operation::kPutObjectTagging);
  EXPECT_EQ(route_ok(make("DELETE", "/b/dir/k?tagging")).operation,
            Operation::kDeleteObjectTagging);
  EXPECT_EQ(route_ok(make("DELETE", "/b?tagging")).operation, Operation::kDeleteBucketTagging);
  // Never a PutObject or DeleteObject of the object itself.
  EXPECT_EQ(route_request(make("POST", "/b/k?tagging"), {}).code(), ErrorCode::kMethodNotAllowed);
  EXPECT_EQ(route_request(make("HEAD", "/b/k?tagging"), {}).code(), ErrorCode::kMethodNotAllowed);
}

TEST(Router, GetObjectAttributes) {
  EXPECT_EQ(route_ok(make("GET", "/b/k?attributes")).operation, Operation::kGetObjectAttributes);
  EXPECT_EQ(route_ok(make("GET", "/b/k")).operation, Operation::kGetObject);
  // Never a PutObject that would overwrite the object.
  EXPECT_EQ(route_request(make("PUT", "/b/k?attributes"), {}).code(), ErrorCode::kNotImplemented);
  EXPECT_EQ(route_request(make("GET", "/b?attributes"), {}).code(), ErrorCode::kNotImplemented);
}

TEST(Router, GetAcl) {
  EXPECT_EQ(route_ok(make("GET", "/b?acl")).operation, Operation::kGetBucketAcl);
  EXPECT_EQ(route_ok(make("GET", "/b/k?acl")).operation, Operation::kGetObjectAcl);
}

TEST(Router, MalformedEscape) {
  EXPECT_EQ(route_request(make("GET", "/b/%zz"), {}).code(), ErrorCode::kInvalidArgumentS3);
}

// Regression: DELETE /b?metadataTable (and PUT/DELETE with a read-only bucket
// sub-resource) was routed to DeleteBucket / CreateBucket.
TEST(Router, BucketWritesWithOtherSubresourcesAreNotCreateOrDelete) {
  for (std::string method : {"PUT", "DELETE"}) {
    for (std::string target : {"/b?metadataTable", "/b?metadataConfiguration"}) {
      EXPECT_EQ(route_request(make(method, target), {}).code(), ErrorCode::kNotImplemented)
          << method << " " << target;
    }
    for (std::string target : {"/b?location", "/b?versions", "/b?list-type=2", "/b?delete"}) {
      EXPECT_EQ(route_request(make(method, target), {}).code(), ErrorCode::kMethodNotAllowed)
          << method << " " << target;
    }
  }
  EXPECT_EQ(route_ok(make("PUT", "/b?versioning")).operation, Operation::kPutBucketVersioning);
  EXPECT_EQ(route_request(make("DELETE", "/b?versioning"), {}).code(),
            ErrorCode::kMethodNotAllowed);
  EXPECT_EQ(route_ok(make("PUT", "/b?x-id=CreateBucket")).operation, Operation::kCreateBucket);
  EXPECT_EQ(route_ok(make("DELETE", "/b")).operation, Operation::kDeleteBucket);
}

}  // namespace
}  // namespace maxio::s3
