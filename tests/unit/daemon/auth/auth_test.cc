// authenticate(): SigV4 header and presigned, SigV2 header and presigned, anonymous; every
// rejection path returns the S3 error AWS gives.

#include "daemon/auth/auth.h"

#include <gtest/gtest.h>

#include "shared/crypto/hash.h"
#include "shared/util/encoding.h"
#include "shared/util/io.h"
#include "shared/util/strings.h"
#include "tests/unit/daemon/auth/test_support.h"

namespace maxio::auth {
namespace {

using namespace testing_support;

class AuthTest : public ::testing::Test {
 protected:
  AuthTest() : provider_({kAccessKey, kSecretKey}) {
    config_.credentials = &provider_;
    config_.region = "us-east-1";
  }

  Result<AuthResult> run(const HttpRequest& request, Timestamp now, std::string_view body = "") {
    body_ = std::make_unique<StringReader>(body);
    return authenticate(request, *body_, config_, now);
  }

  // AWS's "GET object with Range" example.
  static HttpRequest get_object(std::string authorization) {
    return make_request("GET", "/test.txt",
                        {{"Host", "examplebucket.s3.amazonaws.com"},
                         {"Range", "bytes=0-9"},
                         {"x-amz-content-sha256", std::string(sigv4::kEmptySha256)},
                         {"x-amz-date", "20130524T000000Z"},
                         {"Authorization", std::move(authorization)}});
  }

  static std::string get_object_authorization(
      std::string_view credential_scope = "20130524/us-east-1/s3/aws4_request",
      std::string_view signed_headers = "host;range;x-amz-content-sha256;x-amz-date") {
    return "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/" + std::string(credential_scope) +
           ",SignedHeaders=" + std::string(signed_headers) +
           ",Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41";
  }

  // Signs a path-style request with the signer, as our client would.
  static HttpRequest signed_request(std::string method, std::string path, std::string query,
                                    sigv4::HeaderList headers, std::string_view payload_hash,
                                    Timestamp time, std::string secret = kSecretKey) {
    sigv4::SigningParams params;
    params.access_key = kAccessKey;
    params.secret_key = std::move(secret);
    params.time = time;
    headers.insert(headers.begin(), {"Host", "localhost:9000"});
    sigv4::sign_request(method, path, query, payload_hash, params, headers);
    std::string target = uri_encode(path, false) + (query.empty() ? "" : "?" + query);
    return make_request(std::move(method), target, headers);
  }

  StaticCredentialProvider provider_;
  AuthConfig config_;
  std::unique_ptr<Reader> body_;
};

const Timestamp kExampleTime = at("20130524T000000Z");

TEST_F(AuthTest, AcceptsAwsGetObjectExample) {
  auto result = run(get_object(get_object_authorization()), kExampleTime);
  ASSERT_TRUE(result.is_ok()) << result.status().to_string();
  EXPECT_EQ(result->type, AuthType::kSigV4Header);
  EXPECT_EQ(result->access_key, kAccessKey);
  EXPECT_EQ(drain(*result->body).value(), "");
}

TEST_F(AuthTest, AcceptsSpacesAfterCommas) {
  std::string authorization = get_object_authorization();
  size_t pos;
  while ((pos = authorization.find(",S")) != std::string::npos) authorization.replace(pos, 1, ", ");
  EXPECT_TRUE(run(get_object(authorization), kExampleTime).is_ok());
}

TEST_F(AuthTest, RejectsWrongSecret) {
  HttpRequest request = signed_request("GET", "/bucket/key", "", {}, sigv4::kEmptySha256,
                                       kExampleTime, "not-the-secret");
  EXPECT_EQ(run(request, kExampleTime).code(), ErrorCode::kSignatureDoesNotMatch);
}

TEST_F(AuthTest, RejectsTamperedRequest) {
  HttpRequest request =
      signed_request("GET", "/bucket/key", "versionId=1", {}, sigv4::kEmptySha256, kExampleTime);
  ASSERT_TRUE(run(request, kExampleTime).is_ok());
  request.raw_query = "versionId=2";
  EXPECT_EQ(run(request, kExampleTime).code(), ErrorCode::kSignatureDoesNotMatch);
}

TEST_F(AuthTest, AcceptsEncodedKeysAndQueries) {
  HttpRequest request = signed_request("GET", "/bucket/a b/ü+$.txt", "prefix=a%2Fb&list-type=2", {},
                                       sigv4::kEmptySha256, kExampleTime);
  auto result = run(request, kExampleTime);
  EXPECT_TRUE(result.is_ok()) << result.status().to_string();
}

TEST_F(AuthTest, RejectsUnknownAccessKey) {
  HttpRequest request = get_object(get_object_authorization());
  request.headers = {};
  request.headers.add("Host", "examplebucket.s3.amazonaws.com");
  request.headers.add("x-amz-date", "20130524T000000Z");
  request.headers.add("Authorization",
                      "AWS4-HMAC-SHA256 Credential=NOPE/20130524/us-east-1/s3/aws4_request, "
                      "SignedHeaders=host;x-amz-date, Signature=00");
  EXPECT_EQ(run(request, kExampleTime).code(), ErrorCode::kInvalidAccessKeyId);
}

TEST_F(AuthTest, RejectsClockSkew) {
  HttpRequest request = get_object(get_object_authorization());
  EXPECT_TRUE(run(request, kExampleTime + std::chrono::minutes(14)).is_ok());
  EXPECT_EQ(run(request, kExampleTime + std::chrono::minutes(16)).code(),
            ErrorCode::kRequestTimeTooSkewed);
  EXPECT_EQ(run(request, kExampleTime - std::chrono::minutes(16)).code(),
            ErrorCode::kRequestTimeTooSkewed);
}

TEST_F(AuthTest, RejectsRegionMismatchWithAwsMessage) {
  config_.region = "eu-west-1";
  auto result = run(get_object(get_object_authorization()), kExampleTime);
  EXPECT_EQ(result.code(), ErrorCode::kAuthorizationHeaderMalformed);
  EXPECT_EQ(result.status().message(),
            "The authorization header is malformed; the region 'us-east-1' is wrong; "
            "expecting 'eu-west-1'");
  config_.region = "";
  EXPECT_TRUE(run(get_object(get_object_authorization()), kExampleTime).is_ok());
}

// s3cmd signs for "US" (the legacy name of us-east-1) unless told otherwise.
TEST_F(AuthTest, AcceptsLegacyUsRegionAsUsEast1) {
  sigv4::SigningParams params;
  params.access_key = kAccessKey;
  params.secret_key = kSecretKey;
  params.region = "US";
  params.time = kExampleTime;
  sigv4::HeaderList headers = {{"Host", "localhost:9000"}};
  sigv4::sign_request("GET", "/bucket", "", sigv4::kEmptySha256, params, headers);
  HttpRequest request = make_request("GET", "/bucket", headers);
  auto result = run(request, kExampleTime);
  EXPECT_TRUE(result.is_ok()) << result.status().to_string();
  config_.region = "eu-west-1";
  EXPECT_EQ(run(request, kExampleTime).code(), ErrorCode::kAuthorizationHeaderMalformed);
}

TEST_F(AuthTest, RejectsMalformedAuthorizationHeaders) {
  const char* kMalformed[] = {
      "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request",
      "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
      "SignedHeaders=host, Signature=",
      "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/aws4_request, "
      "SignedHeaders=host, Signature=abc",
      "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/ec2/aws4_request, "
      "SignedHeaders=host, Signature=abc",
      "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws5_request, "
      "SignedHeaders=host, Signature=abc",
      "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/2013-05-24/us-east-1/s3/aws4_request, "
      "SignedHeaders=host, Signature=abc",
      "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130525/us-east-1/s3/aws4_request, "
      "SignedHeaders=host;x-amz-date, Signature=abc",
      "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
      "SignedHeaders=, Signature=abc",
      "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
      "SignedHeaders=host, Signature=abc, Extra=1",
      "AWS4-HMAC-SHA256 Credential=/20130524/us-east-1/s3/aws4_request, "
      "SignedHeaders=host, Signature=abc",
  };
  for (const char* authorization : kMalformed) {
    auto result = run(get_object(authorization), kExampleTime);
    EXPECT_EQ(result.code(), ErrorCode::kAuthorizationHeaderMalformed) << authorization;
  }
  EXPECT_EQ(run(get_object("AWS4-HMAC-SHA512 Credential=x"), kExampleTime).code(),
            ErrorCode::kUnsupportedSignature);
  EXPECT_EQ(run(get_object("Bearer abc"), kExampleTime).code(), ErrorCode::kUnsupportedSignature);
}

TEST_F(AuthTest, RequiresSignedHost) {
  auto result = run(get_object(get_object_authorization("20130524/us-east-1/s3/aws4_request",
                                                        "range;x-amz-content-sha256;x-amz-date")),
                    kExampleTime);
  EXPECT_EQ(result.code(), ErrorCode::kAccessDenied);
}

TEST_F(AuthTest, RequiresDate) {
  HttpRequest request =
      make_request("GET", "/test.txt",
                   {{"Host", "examplebucket.s3.amazonaws.com"},
                    {"x-amz-content-sha256", std::string(sigv4::kEmptySha256)},
                    {"Authorization", get_object_authorization("20130524/us-east-1/s3/aws4_request",
                                                               "host;x-amz-content-sha256")}});
  EXPECT_EQ(run(request, kExampleTime).code(), ErrorCode::kMissingDateHeader);
}

TEST_F(AuthTest, VerifiesPayloadHash) {
  std::string body = "Welcome to Amazon S3.";
  HttpRequest request =
      signed_request("PUT", "/bucket/key", "", {{"Content-Length", std::to_string(body.size())}},
                     sha256_hex(body), kExampleTime);
  auto good = run(request, kExampleTime, body);
  ASSERT_TRUE(good.is_ok()) << good.status().to_string();
  EXPECT_EQ(good->content_length, body.size());
  EXPECT_EQ(drain(*good->body).value(), body);

  auto bad = run(request, kExampleTime, "Welcome to Amazon S4.");
  ASSERT_TRUE(bad.is_ok());
  EXPECT_EQ(drain(*bad->body).code(), ErrorCode::kXAmzContentSHA256Mismatch);

  auto short_body = run(request, kExampleTime, "Welcome");
  ASSERT_TRUE(short_body.is_ok());
  EXPECT_EQ(drain(*short_body->body).code(), ErrorCode::kIncompleteBody);
}

TEST_F(AuthTest, RejectsBadContentSha256) {
  HttpRequest request = signed_request("PUT", "/bucket/key", "", {{"Content-Length", "1"}},
                                       "not-a-hash", kExampleTime);
  EXPECT_EQ(run(request, kExampleTime, "x").code(), ErrorCode::kInvalidContentSha256);
}

TEST_F(AuthTest, UnsignedPayloadVerifiesChecksumHeader) {
  // CRC32("hello world") = 0x0d4a1185.
  HttpRequest request = signed_request(
      "PUT", "/bucket/key", "", {{"Content-Length", "11"}, {"x-amz-checksum-crc32", "DUoRhQ=="}},
      sigv4::kUnsignedPayload, kExampleTime);
  auto good = run(request, kExampleTime, "hello world");
  ASSERT_TRUE(good.is_ok()) << good.status().to_string();
  EXPECT_EQ(drain(*good->body).value(), "hello world");
  EXPECT_EQ(good->checksums->values.at("x-amz-checksum-crc32"), "DUoRhQ==");

  auto bad = run(request, kExampleTime, "hello World");
  ASSERT_TRUE(bad.is_ok());
  EXPECT_EQ(drain(*bad->body).code(), ErrorCode::kXAmzContentChecksumMismatch);
}

TEST_F(AuthTest, ContentMd5IsVerified) {
  // MD5("hello world") = 5eb63bbbe01eeed093cb22bb8f5acdc3.
  HttpRequest request =
      signed_request("PUT", "/bucket/key", "",
                     {{"Content-Length", "11"}, {"Content-MD5", "XrY7u+Ae7tCTyyK7j1rNww=="}},
                     sigv4::kUnsignedPayload, kExampleTime);
  auto good = run(request, kExampleTime, "hello world");
  ASSERT_TRUE(good.is_ok());
  EXPECT_TRUE(drain(*good->body).is_ok());
  auto bad = run(request, kExampleTime, "hello there");
  ASSERT_TRUE(bad.is_ok());
  EXPECT_EQ(drain(*bad->body).code(), ErrorCode::kBadDigest);
}

// ---- Presigned V4 ------------------------------------------------------------------------

constexpr char kPresignedTarget[] =
    "/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256"
    "&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request"
    "&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host"
    "&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404";

HttpRequest presigned(std::string target = kPresignedTarget) {
  return make_request("GET", std::move(target), {{"Host", "examplebucket.s3.amazonaws.com"}});
}

TEST_F(AuthTest, AcceptsAwsPresignedExample) {
  auto result = run(presigned(), kExampleTime + std::chrono::hours(1));
  ASSERT_TRUE(result.is_ok()) << result.status().to_string();
  EXPECT_EQ(result->type, AuthType::kSigV4Presigned);
  EXPECT_EQ(result->access_key, kAccessKey);
}

TEST_F(AuthTest, RejectsExpiredPresign) {
  auto result = run(presigned(), kExampleTime + std::chrono::seconds(86401));
  EXPECT_EQ(result.code(), ErrorCode::kExpiredPresignRequest);
  EXPECT_EQ(result.status().message(), "Request has expired");
}

TEST_F(AuthTest, RejectsBadPresignParameters) {
  std::string target = kPresignedTarget;
  std::string too_long = target;
  too_long.replace(too_long.find("86400"), 5, "604801");
  EXPECT_EQ(run(presigned(too_long), kExampleTime).code(),
            ErrorCode::kAuthorizationQueryParametersError);
  std::string missing = target.substr(0, target.find("&X-Amz-Signature"));
  EXPECT_EQ(run(presigned(missing), kExampleTime).code(),
            ErrorCode::kAuthorizationQueryParametersError);
  std::string region = target;
  region.replace(region.find("us-east-1"), 9, "us-west-2");
  EXPECT_EQ(run(presigned(region), kExampleTime).code(),
            ErrorCode::kAuthorizationQueryParametersError);
  std::string tampered = target;
  tampered.replace(tampered.size() - 4, 4, "0000");
  EXPECT_EQ(run(presigned(tampered), kExampleTime).code(), ErrorCode::kSignatureDoesNotMatch);
  EXPECT_EQ(run(presigned(), kExampleTime - std::chrono::hours(1)).code(),
            ErrorCode::kAccessDenied);
}

TEST_F(AuthTest, PresignUrlRoundTrip) {
  sigv4::SigningParams params;
  params.access_key = kAccessKey;
  params.secret_key = kSecretKey;
  params.time = kExampleTime;
  std::string url = sigv4::presign_url("PUT", "http://localhost:9000", "/bucket/a key.txt",
                                       "uploadId=x%2By", std::chrono::seconds(600), params);
  std::string target = url.substr(std::string("http://localhost:9000").size());
  HttpRequest request = make_request("PUT", target, {{"Host", "localhost:9000"}});
  auto result = run(request, kExampleTime + std::chrono::seconds(10));
  EXPECT_TRUE(result.is_ok()) << result.status().to_string();
}

// Regression: a presigned URL signs only the headers it names, and anyone holding it could
// add an unsigned x-amz-copy-source (or x-amz-metadata-directive, x-amz-meta-*) to turn a
// presigned PUT of one key into a copy of any object the signer can read. As AWS, unsigned
// x-amz-* headers on a presigned request are refused.
TEST_F(AuthTest, PresignedRequestRefusesUnsignedAmzHeaders) {
  sigv4::SigningParams params;
  params.access_key = kAccessKey;
  params.secret_key = kSecretKey;
  params.time = kExampleTime;
  std::string url = sigv4::presign_url("PUT", "http://localhost:9000", "/bucket/upload", "",
                                       std::chrono::seconds(600), params);
  std::string target = url.substr(std::string("http://localhost:9000").size());
  for (const char* name : {"x-amz-copy-source", "X-Amz-Meta-Owner", "x-amz-metadata-directive"}) {
    HttpRequest request =
        make_request("PUT", target, {{"Host", "localhost:9000"}, {name, "secret/passwords"}});
    auto result = run(request, kExampleTime + std::chrono::seconds(10));
    EXPECT_EQ(result.code(), ErrorCode::kAccessDenied) << name;
  }
  HttpRequest plain =
      make_request("PUT", target, {{"Host", "localhost:9000"}, {"Content-Type", "text/plain"}});
  auto result = run(plain, kExampleTime + std::chrono::seconds(10));
  EXPECT_TRUE(result.is_ok()) << result.status().to_string();
}

// ---- SigV2 -------------------------------------------------------------------------------

TEST_F(AuthTest, AcceptsSigV2HeaderExamples) {
  struct Case {
    const char* method;
    const char* target;
    sigv4::HeaderList headers;
    const char* signature;
  };
  const Case kCases[] = {
      {"GET", "/", {{"Date", "Wed, 28 Mar 2007 01:29:59 +0000"}}, "qGdzdERIC03wnaRNKh6OqZehG9s="},
      {"GET",
       "/dictionary/fran%C3%A7ais/pr%c3%a9f%c3%a8re",
       {{"Date", "Wed, 28 Mar 2007 01:49:49 +0000"}},
       "DNEZGsoieTZ92F3bUfSPQcbGmlM="},
      {"GET",
       "/johnsmith/photos/puppy.jpg",
       {{"Date", "Tue, 27 Mar 2007 19:36:42 +0000"}},
       "bWq2s1WEIj+Ydj0vQ697zp+IXMU="},
      {"GET",
       "/johnsmith/?acl",
       {{"Date", "Tue, 27 Mar 2007 19:44:46 +0000"}},
       "c2WLPFtWHVgbEmeEG93a4cG37dM="},
      {"PUT",
       "/johnsmith/photos/puppy.jpg",
       {{"Content-Type", "image/jpeg"}, {"Date", "Tue, 27 Mar 2007 21:15:45 +0000"}},
       "MyyxeRY7whkBe+bq8fHCL/2kKUg="},
  };
  for (const Case& c : kCases) {
    sigv4::HeaderList headers = c.headers;
    headers.emplace_back("Host", "s3.amazonaws.com");
    headers.emplace_back("Authorization", std::string("AWS AKIAIOSFODNN7EXAMPLE:") + c.signature);
    HttpRequest request = make_request(c.method, c.target, headers);
    Timestamp now =
        parse_http_date(std::string(c.headers.back().second).replace(26, 5, "GMT")).value();
    auto result = run(request, now);
    ASSERT_TRUE(result.is_ok()) << c.target << ": " << result.status().to_string();
    EXPECT_EQ(result->type, AuthType::kSigV2Header);
    EXPECT_EQ(result->access_key, kAccessKey);

    headers.back().second = std::string("AWS AKIAIOSFODNN7EXAMPLE:") + "AAAA" + (c.signature + 4);
    EXPECT_EQ(run(make_request(c.method, c.target, headers), now).code(),
              ErrorCode::kSignatureDoesNotMatch);
    EXPECT_EQ(run(request, now + std::chrono::hours(1)).code(), ErrorCode::kRequestTimeTooSkewed);
  }
}

// botocore's SigV2 signer signs "/bucket/" while it requests "/bucket".
TEST_F(AuthTest, SigV2AcceptsBucketResourceWithTrailingSlash) {
  const std::string date = "Tue, 27 Mar 2007 19:44:46 +0000";
  sigv4::HeaderList headers = {
      {"Date", date},
      {"Host", "s3.amazonaws.com"},
      {"Authorization", "AWS AKIAIOSFODNN7EXAMPLE:c2WLPFtWHVgbEmeEG93a4cG37dM="}};
  Timestamp now = parse_http_date("Tue, 27 Mar 2007 19:44:46 GMT").value();
  auto result = run(make_request("GET", "/johnsmith?acl", headers), now);
  EXPECT_TRUE(result.is_ok()) << result.status().to_string();
  // botocore 1.29 (Debian's) signs "/johnsmith?list-type=2" for ListObjectsV2.
  sigv4::HeaderList v2_list = {{"Date", date}, {"Host", "s3.amazonaws.com"}};
  v2_list.emplace_back(
      "Authorization",
      "AWS AKIAIOSFODNN7EXAMPLE:" +
          base64_encode(hmac_sha1(kSecretKey, "GET\n\n\n" + date + "\n/johnsmith?list-type=2")));
  result = run(make_request("GET", "/johnsmith?list-type=2&encoding-type=url", v2_list), now);
  EXPECT_TRUE(result.is_ok()) << result.status().to_string();
  // Only a bare bucket path gets the other forms.
  EXPECT_EQ(run(make_request("GET", "/johnsmith/x?acl", headers), now).code(),
            ErrorCode::kSignatureDoesNotMatch);
}

TEST_F(AuthTest, SigV2UnknownKey) {
  HttpRequest request = make_request(
      "GET", "/", {{"Date", "Wed, 28 Mar 2007 01:29:59 GMT"}, {"Authorization", "AWS NOPE:abc="}});
  EXPECT_EQ(run(request, parse_http_date("Wed, 28 Mar 2007 01:29:59 GMT").value()).code(),
            ErrorCode::kInvalidAccessKeyId);
}

TEST_F(AuthTest, AcceptsSigV2PresignedExample) {
  HttpRequest request =
      make_request("GET",
                   "/johnsmith/photos/puppy.jpg?AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE"
                   "&Signature=NpgCjnDzrM%2BWFzoENXmpNDUsSn8%3D&Expires=1175139620",
                   {{"Host", "s3.amazonaws.com"}});
  Timestamp before = Timestamp(std::chrono::seconds(1175139000));
  auto result = run(request, before);
  ASSERT_TRUE(result.is_ok()) << result.status().to_string();
  EXPECT_EQ(result->type, AuthType::kSigV2Presigned);
  EXPECT_EQ(run(request, Timestamp(std::chrono::seconds(1175139621))).code(),
            ErrorCode::kExpiredPresignRequest);
  request.raw_query.replace(request.raw_query.find("1175139620"), 10, "1175139629");
  EXPECT_EQ(run(request, before).code(), ErrorCode::kSignatureDoesNotMatch);
}

// ---- Anonymous ---------------------------------------------------------------------------

TEST_F(AuthTest, AnonymousPassesBodyThrough) {
  HttpRequest request = make_request("PUT", "/bucket/key", {{"Content-Length", "5"}});
  auto result = run(request, kExampleTime, "hello");
  ASSERT_TRUE(result.is_ok());
  EXPECT_EQ(result->type, AuthType::kAnonymous);
  EXPECT_TRUE(result->access_key.empty());
  EXPECT_EQ(result->content_length, 5u);
  EXPECT_EQ(drain(*result->body).value(), "hello");
}

TEST(ConstantTimeEqualTest, ComparesContent) {
  EXPECT_TRUE(constant_time_equal("", ""));
  EXPECT_TRUE(constant_time_equal("abc", "abc"));
  EXPECT_FALSE(constant_time_equal("abc", "abd"));
  EXPECT_FALSE(constant_time_equal("abc", "abcd"));
  StaticCredentialProvider provider({"ak", "sk"});
  EXPECT_EQ(provider.find("ak")->secret_key, "sk");
  EXPECT_FALSE(provider.find("AK").has_value());
}

}  // namespace
}  // namespace maxio::auth
