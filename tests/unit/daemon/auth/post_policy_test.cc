// Browser POST uploads: AWS's published SigV4 POST example, policies signed in the test
// (V4 and V2), and each rejection (expired, condition, size, signature, framing).

#include "daemon/auth/post_policy.h"

#include <gtest/gtest.h>

#include "shared/crypto/hash.h"
#include "shared/sigv4/signer.h"
#include "shared/util/encoding.h"
#include "tests/unit/daemon/auth/test_support.h"

namespace maxio::auth {
namespace {

using namespace testing_support;

constexpr char kBoundary[] = "----WebKitFormBoundary7MA4YWxkTrZu0gW";

// AWS's "Example: Browser-Based Upload using HTTP POST (Using AWS Signature Version 4)".
constexpr char kAwsPolicy[] =
    "eyAiZXhwaXJhdGlvbiI6ICIyMDEzLTA4LTA3VDEyOjAwOjAwLjAwMFoiLA0KICAiY29uZGl0aW9ucyI6IFsNCiAgIC"
    "B7ImJ1Y2tldCI6ICJleGFtcGxlYnVja2V0In0sDQogICAgWyJzdGFydHMtd2l0aCIsICIka2V5IiwgInVzZXIvdXNl"
    "cjEvIl0sDQogICAgeyJhY2wiOiAicHVibGljLXJlYWQifSwNCiAgICB7InN1Y2Nlc3NfYWN0aW9uX3JlZGlyZWN0Ij"
    "ogImh0dHA6Ly9leGFtcGxlYnVja2V0LnMzLmFtYXpvbmF3cy5jb20vc3VjY2Vzc2Z1bF91cGxvYWQuaHRtbCJ9LA0K"
    "ICAgIFsic3RhcnRzLXdpdGgiLCAiJENvbnRlbnQtVHlwZSIsICJpbWFnZS8iXSwNCiAgICB7IngtYW16LW1ldGEtdX"
    "VpZCI6ICIxNDM2NTEyMzY1MTI3NCJ9LA0KICAgIFsic3RhcnRzLXdpdGgiLCAiJHgtYW16LW1ldGEtdGFnIiwgIiJd"
    "LA0KDQogICAgeyJ4LWFtei1jcmVkZW50aWFsIjogIkFLSUFJT1NGT0ROTjdFWEFNUExFLzIwMTMwODA2L3VzLWVhc3"
    "QtMS9zMy9hd3M0X3JlcXVlc3QifSwNCiAgICB7IngtYW16LWFsZ29yaXRobSI6ICJBV1M0LUhNQUMtU0hBMjU2In0s"
    "DQogICAgeyJ4LWFtei1kYXRlIjogIjIwMTMwODA2VDAwMDAwMFoiIH0NCiAgXQ0KfQ==";
constexpr char kAwsSignature[] = "21496b44de44ccb73d545f1a995c68214c9cb0d41c45a17a5daeec0b1a6db047";

using Fields = std::vector<std::pair<std::string, std::string>>;

std::string form(const Fields& fields, std::string_view file, std::string_view filename = "a.jpg") {
  std::string body;
  for (const auto& [name, value] : fields) {
    body += "--" + std::string(kBoundary) + "\r\n";
    body += "Content-Disposition: form-data; name=\"" + name + "\"\r\n\r\n";
    body += value + "\r\n";
  }
  body += "--" + std::string(kBoundary) + "\r\n";
  body += "Content-Disposition: form-data; name=\"file\"; filename=\"" + std::string(filename) +
          "\"\r\nContent-Type: image/jpeg\r\n\r\n";
  body += std::string(file) + "\r\n--" + std::string(kBoundary) + "--\r\n";
  return body;
}

HttpRequest post_request() {
  return make_request(
      "POST", "/examplebucket",
      {{"Host", "localhost:9000"},
       {"Content-Type", "multipart/form-data; boundary=" + std::string(kBoundary)}});
}

Fields aws_fields(std::string signature = kAwsSignature) {
  return {
      {"key", "user/user1/${filename}"},
      {"acl", "public-read"},
      {"success_action_redirect", "http://examplebucket.s3.amazonaws.com/successful_upload.html"},
      {"Content-Type", "image/jpeg"},
      {"x-amz-meta-uuid", "14365123651274"},
      {"X-Amz-Credential", "AKIAIOSFODNN7EXAMPLE/20130806/us-east-1/s3/aws4_request"},
      {"X-Amz-Algorithm", "AWS4-HMAC-SHA256"},
      {"X-Amz-Date", "20130806T000000Z"},
      {"x-amz-meta-tag", ""},
      {"Policy", kAwsPolicy},
      {"X-Amz-Signature", std::move(signature)}};
}

// A V4-signed policy with `conditions` (JSON array body) expiring at `expiration`.
Fields signed_fields(const std::string& conditions, const std::string& expiration,
                     Fields extra = {}) {
  std::string policy = base64_encode("{\"expiration\": \"" + expiration + "\", \"conditions\": [" +
                                     conditions + "]}");
  sigv4::Scope scope{"20130806", "us-east-1", "s3"};
  std::string signature = sigv4::signature(sigv4::signing_key(kSecretKey, scope), policy);
  Fields fields = std::move(extra);
  fields.emplace_back("x-amz-credential", std::string(kAccessKey) + "/" + scope.to_string());
  fields.emplace_back("x-amz-algorithm", "AWS4-HMAC-SHA256");
  fields.emplace_back("x-amz-date", "20130806T000000Z");
  fields.emplace_back("policy", policy);
  fields.emplace_back("x-amz-signature", signature);
  return fields;
}

class PostPolicyTest : public ::testing::Test {
 protected:
  PostPolicyTest() : provider_({kAccessKey, kSecretKey}) { config_.credentials = &provider_; }

  Result<PostPolicyUpload> run(std::string body, const std::string& bucket = "examplebucket",
                               HttpRequest request = post_request()) {
    body_text_ = std::move(body);
    body_ = std::make_unique<StringReader>(body_text_);
    return read_post_policy_upload(request, *body_, bucket, config_, now_);
  }

  StaticCredentialProvider provider_;
  AuthConfig config_;
  Timestamp now_ = at("20130806T120000Z");
  std::string body_text_;
  std::unique_ptr<Reader> body_;
};

TEST_F(PostPolicyTest, AcceptsAwsExample) {
  auto upload = run(form(aws_fields(), "JPEG bytes\r\n--not-a-boundary", "photo.jpg"));
  ASSERT_TRUE(upload.is_ok()) << upload.status().to_string();
  EXPECT_EQ(upload->key, "user/user1/photo.jpg");
  EXPECT_EQ(upload->filename, "photo.jpg");
  EXPECT_EQ(upload->access_key, kAccessKey);
  EXPECT_EQ(upload->fields.at("content-type"), "image/jpeg");
  EXPECT_EQ(upload->fields.at("x-amz-meta-uuid"), "14365123651274");
  for (size_t buffer : {1, 5, 4096}) {
    auto again = run(form(aws_fields(), "JPEG bytes\r\n--not-a-boundary", "photo.jpg"));
    ASSERT_TRUE(again.is_ok());
    EXPECT_EQ(drain(*again->file, buffer).value(), "JPEG bytes\r\n--not-a-boundary");
  }
}

TEST_F(PostPolicyTest, LargeFileStreams) {
  std::string file(300000, 'x');
  for (size_t i = 0; i < file.size(); i += 997) file[i] = '\r';
  auto upload = run(form(aws_fields(), file));
  ASSERT_TRUE(upload.is_ok());
  EXPECT_EQ(drain(*upload->file, 65536).value(), file);
}

TEST_F(PostPolicyTest, RejectsWrongSignatureAndUnknownKey) {
  std::string bad = kAwsSignature;
  bad[0] = '3';
  EXPECT_EQ(run(form(aws_fields(bad), "x")).code(), ErrorCode::kSignatureDoesNotMatch);
  Fields fields = aws_fields();
  fields[5].second = "NOPE/20130806/us-east-1/s3/aws4_request";
  EXPECT_EQ(run(form(fields, "x")).code(), ErrorCode::kInvalidAccessKeyId);
  config_.region = "eu-west-1";
  EXPECT_EQ(run(form(aws_fields(), "x")).code(), ErrorCode::kAuthorizationHeaderMalformed);
}

TEST_F(PostPolicyTest, RejectsExpiredPolicy) {
  now_ = at("20130808T000000Z");
  auto upload = run(form(aws_fields(), "x"));
  EXPECT_EQ(upload.code(), ErrorCode::kPostPolicyConditionFailed);
  EXPECT_EQ(upload.status().message(), "Invalid according to Policy: Policy expired.");
}

TEST_F(PostPolicyTest, RejectsViolatedConditions) {
  Fields fields = aws_fields();
  fields[0].second = "user/user2/${filename}";
  EXPECT_EQ(run(form(fields, "x")).code(), ErrorCode::kPostPolicyConditionFailed);
  EXPECT_EQ(run(form(aws_fields(), "x"), "otherbucket").code(),
            ErrorCode::kPostPolicyConditionFailed);
  fields = aws_fields();
  fields[3].second = "text/plain";
  EXPECT_EQ(run(form(fields, "x")).code(), ErrorCode::kPostPolicyConditionFailed);
  fields = aws_fields();
  fields.insert(fields.begin(), {"x-amz-meta-extra", "1"});
  auto extra = run(form(fields, "x"));
  EXPECT_EQ(extra.code(), ErrorCode::kPostPolicyConditionFailed);
  EXPECT_EQ(extra.status().message(),
            "Invalid according to Policy: Extra input fields: x-amz-meta-extra");
}

TEST_F(PostPolicyTest, EnforcesContentLengthRange) {
  Fields fields = signed_fields(
      "{\"bucket\": \"b\"}, [\"starts-with\", \"$key\", \"\"], [\"content-length-range\", 5, 10]",
      "2013-08-07T00:00:00Z", {{"key", "k"}});
  auto ok = run(form(fields, "123456"), "b");
  ASSERT_TRUE(ok.is_ok()) << ok.status().to_string();
  EXPECT_EQ(drain(*ok->file).value(), "123456");
  auto large = run(form(fields, "12345678901"), "b");
  ASSERT_TRUE(large.is_ok());
  EXPECT_EQ(drain(*large->file).code(), ErrorCode::kEntityTooLarge);
  auto small = run(form(fields, "1234"), "b");
  ASSERT_TRUE(small.is_ok());
  EXPECT_EQ(drain(*small->file).code(), ErrorCode::kEntityTooSmall);
}

TEST_F(PostPolicyTest, AcceptsSigV2Policy) {
  std::string policy = base64_encode(
      "{\"expiration\": \"2013-08-07T00:00:00.000Z\", \"conditions\": [{\"bucket\": \"b\"}, "
      "[\"eq\", \"$key\", \"k\"], {\"success_action_status\": \"201\"}]}");
  Fields fields{{"key", "k"},
                {"AWSAccessKeyId", kAccessKey},
                {"success_action_status", "201"},
                {"policy", policy},
                {"signature", base64_encode(hmac_sha1(kSecretKey, policy))}};
  auto upload = run(form(fields, "data"), "b");
  ASSERT_TRUE(upload.is_ok()) << upload.status().to_string();
  EXPECT_EQ(upload->access_key, kAccessKey);
  fields[4].second = base64_encode(hmac_sha1("wrong", policy));
  EXPECT_EQ(run(form(fields, "data"), "b").code(), ErrorCode::kSignatureDoesNotMatch);
}

TEST_F(PostPolicyTest, RejectsMalformedForms) {
  EXPECT_EQ(run(form({{"key", "k"}}, "x")).code(), ErrorCode::kAccessDenied);
  EXPECT_EQ(run(form(aws_fields(), "x"), "examplebucket",
                make_request("POST", "/b", {{"Content-Type", "application/json"}}))
                .code(),
            ErrorCode::kMalformedPOSTRequest);
  std::string body = form(aws_fields(), "x");
  EXPECT_EQ(run(body.substr(0, 200)).code(), ErrorCode::kMalformedPOSTRequest);
  Fields no_key = aws_fields();
  no_key.erase(no_key.begin());
  EXPECT_EQ(run(form(no_key, "x")).code(), ErrorCode::kMalformedPOSTRequest);
  std::string no_file = "--" + std::string(kBoundary) +
                        "\r\nContent-Disposition: form-data; name=\"key\"\r\n\r\nk\r\n--" +
                        std::string(kBoundary) + "--\r\n";
  EXPECT_EQ(run(no_file).code(), ErrorCode::kMalformedPOSTRequest);
  auto truncated = run(body.substr(0, body.size() - 30));
  ASSERT_TRUE(truncated.is_ok());
  EXPECT_EQ(drain(*truncated->file).code(), ErrorCode::kMalformedPOSTRequest);
  Fields bad_policy = aws_fields();
  bad_policy[9].second = "bm90IGpzb24=";  // "not json"
  EXPECT_EQ(run(form(bad_policy, "x")).code(), ErrorCode::kSignatureDoesNotMatch);
  Fields unknown =
      signed_fields("[\"matches\", \"$key\", \"k\"]", "2013-08-07T00:00:00Z", {{"key", "k"}});
  EXPECT_EQ(run(form(unknown, "x")).code(), ErrorCode::kInvalidPolicyDocument);
}

}  // namespace
}  // namespace maxio::auth
