// Checks the SigV4 signer against AWS's published vectors: the generic SigV4 test suite
// (service "service") and the S3 examples of "Signature Calculations for the Authorization
// Header" and "Query String Authentication".

#include "shared/sigv4/signer.h"

#include <gtest/gtest.h>

#include "shared/crypto/hash.h"
#include "shared/util/time.h"

namespace maxio::sigv4 {
namespace {

constexpr char kSuiteSecret[] = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
constexpr char kS3Secret[] = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

SigningParams suite_params() {
  SigningParams p;
  p.access_key = "AKIDEXAMPLE";
  p.secret_key = kSuiteSecret;
  p.region = "us-east-1";
  p.service = "service";
  p.time = parse_amz_date("20150830T123600Z").value();
  p.add_content_sha256 = false;
  return p;
}

SigningParams s3_params() {
  SigningParams p;
  p.access_key = "AKIAIOSFODNN7EXAMPLE";
  p.secret_key = kS3Secret;
  p.time = parse_amz_date("20130524T000000Z").value();
  return p;
}

std::string authorization_of(const HeaderList& headers) {
  for (const auto& [name, value] : headers) {
    if (name == "Authorization") return value;
  }
  return "";
}

std::string suite_authorization(std::string_view signed_headers, std::string_view sig) {
  return "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
         "SignedHeaders=" +
         std::string(signed_headers) + ", Signature=" + std::string(sig);
}

struct SuiteCase {
  const char* name;
  const char* method;
  const char* path;
  const char* query;
  HeaderList extra_headers;
  const char* payload_hash;
  const char* signed_headers;
  const char* signature;
};

class SuiteTest : public testing::TestWithParam<SuiteCase> {};

TEST_P(SuiteTest, MatchesPublishedSignature) {
  const SuiteCase& c = GetParam();
  HeaderList headers{{"Host", "example.amazonaws.com"}};
  for (const auto& h : c.extra_headers) headers.push_back(h);
  std::string sig =
      sign_request(c.method, c.path, c.query, c.payload_hash, suite_params(), headers);
  EXPECT_EQ(sig, c.signature) << c.name;
  EXPECT_EQ(authorization_of(headers), suite_authorization(c.signed_headers, c.signature));
}

INSTANTIATE_TEST_SUITE_P(
    AwsSuite, SuiteTest,
    testing::Values(
        SuiteCase{"get-vanilla",
                  "GET",
                  "/",
                  "",
                  {},
                  kEmptySha256.data(),
                  "host;x-amz-date",
                  "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"},
        SuiteCase{"post-vanilla",
                  "POST",
                  "/",
                  "",
                  {},
                  kEmptySha256.data(),
                  "host;x-amz-date",
                  "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b"},
        SuiteCase{"get-vanilla-query-order-key-case",
                  "GET",
                  "/",
                  "Param2=value2&Param1=value1",
                  {},
                  kEmptySha256.data(),
                  "host;x-amz-date",
                  "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500"},
        SuiteCase{"get-vanilla-utf8-query",
                  "GET",
                  "/",
                  "%E1%88%B4=bar",
                  {},
                  kEmptySha256.data(),
                  "host;x-amz-date",
                  "2cdec8eed098649ff3a119c94853b13c643bcf08f8b0a1d91e12c9027818dd04"},
        SuiteCase{"get-utf8",
                  "GET",
                  "/\xE1\x88\xB4",
                  "",
                  {},
                  kEmptySha256.data(),
                  "host;x-amz-date",
                  "8318018e0b0f223aa2bbf98705b62bb787dc9c0e678f255a891fd03141be5d85"},
        SuiteCase{"get-unreserved",
                  "GET",
                  "/-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
                  "",
                  {},
                  kEmptySha256.data(),
                  "host;x-amz-date",
                  "07ef7494c76fa4850883e2b006601f940f8a34d404d0cfa977f52a65bbf5f24f"},
        SuiteCase{"get-header-value-trim",
                  "GET",
                  "/",
                  "",
                  {{"My-Header1", " value1"}, {"My-Header2", " \"a   b   c\""}},
                  kEmptySha256.data(),
                  "host;my-header1;my-header2;x-amz-date",
                  "acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736"},
        SuiteCase{"get-header-key-duplicate",
                  "GET",
                  "/",
                  "",
                  {{"My-Header1", "value2"}, {"My-Header1", "value2"}, {"My-Header1", "value1"}},
                  kEmptySha256.data(),
                  "host;my-header1;x-amz-date",
                  "c9d5ea9f3f72853aea855b47ea873832890dbdd183b4468f858259531a5138ea"},
        SuiteCase{"post-x-www-form-urlencoded",
                  "POST",
                  "/",
                  "",
                  {{"Content-Type", "application/x-www-form-urlencoded"},
                   {"Content-Length", "13"},
                   {"X-Amz-Content-Sha256",
                    "9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e"}},
                  "9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e",
                  "content-length;content-type;host;x-amz-content-sha256;x-amz-date",
                  "d3875051da38690788ef43de4db0d8f280229d82040bfac253562e56c3f20e0b"}),
    [](const testing::TestParamInfo<SuiteCase>& info) {
      std::string name = info.param.name;
      for (char& ch : name) {
        if (ch == '-') ch = '_';
      }
      return name;
    });

TEST(SignerTest, CanonicalRequestOfQueryOrderKeyCase) {
  QueryList query = parse_raw_query("Param2=value2&Param1=value1").value();
  HeaderList headers{{"Host", "example.amazonaws.com"}, {"X-Amz-Date", "20150830T123600Z"}};
  std::string request = canonical_request("GET", canonical_uri("/"), canonical_query(query),
                                          canonical_headers(headers, {"host", "x-amz-date"}),
                                          "host;x-amz-date", kEmptySha256);
  EXPECT_EQ(request,
            "GET\n/\nParam1=value1&Param2=value2\nhost:example.amazonaws.com\n"
            "x-amz-date:20150830T123600Z\n\nhost;x-amz-date\n" +
                std::string(kEmptySha256));
  Scope scope{"20150830", "us-east-1", "service"};
  EXPECT_EQ(string_to_sign("20150830T123600Z", scope, request),
            "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n"
            "816cd5b414d056048ba4f7c5386d6e0533120fb1fcfa93762cf0fc39e2cf19e0");
}

TEST(SignerTest, CanonicalQueryEncodesAndSorts) {
  QueryList query = parse_raw_query("b=2&a=x%2Fy&acl&&c=%20+").value();
  EXPECT_EQ(canonical_query(query), "a=x%2Fy&acl=&b=2&c=%20%2B");
  EXPECT_FALSE(parse_raw_query("a=%zz").is_ok());
  EXPECT_EQ(canonical_uri(""), "/");
  EXPECT_EQ(canonical_uri("/a b/c$"), "/a%20b/c%24");
  EXPECT_EQ(signed_headers_string({"X-Amz-Date", "Host", "host"}), "host;x-amz-date");
}

TEST(SignerTest, S3GetObjectWithRange) {
  HeaderList headers{{"Host", "examplebucket.s3.amazonaws.com"}, {"Range", "bytes=0-9"}};
  std::string sig = sign_request("GET", "/test.txt", "", kEmptySha256, s3_params(), headers);
  EXPECT_EQ(sig, "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
  EXPECT_EQ(authorization_of(headers),
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/"
            "aws4_request, SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
            "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
}

TEST(SignerTest, S3PutObject) {
  HeaderList headers{{"Host", "examplebucket.s3.amazonaws.com"},
                     {"Date", "Fri, 24 May 2013 00:00:00 GMT"},
                     {"x-amz-storage-class", "REDUCED_REDUNDANCY"}};
  std::string payload_hash = sha256_hex("Welcome to Amazon S3.");
  EXPECT_EQ(payload_hash, "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072");
  std::string sig = sign_request("PUT", "/test$file.text", "", payload_hash, s3_params(), headers);
  EXPECT_EQ(sig, "98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd");
}

TEST(SignerTest, S3GetBucketLifecycle) {
  HeaderList headers{{"Host", "examplebucket.s3.amazonaws.com"}};
  std::string sig = sign_request("GET", "/", "lifecycle", kEmptySha256, s3_params(), headers);
  EXPECT_EQ(sig, "fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543");
}

TEST(SignerTest, S3ListObjects) {
  HeaderList headers{{"Host", "examplebucket.s3.amazonaws.com"}};
  std::string sig =
      sign_request("GET", "/", "max-keys=2&prefix=J", kEmptySha256, s3_params(), headers);
  EXPECT_EQ(sig, "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7");
}

TEST(SignerTest, S3PresignedUrl) {
  std::string url = presign_url("GET", "https://examplebucket.s3.amazonaws.com", "/test.txt", "",
                                std::chrono::seconds(86400), s3_params());
  EXPECT_EQ(url,
            "https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256"
            "&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request"
            "&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host"
            "&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404");
}

TEST(SignerTest, StreamingChunkSignaturesOfAwsExample) {
  Scope scope{"20130524", "us-east-1", "s3"};
  std::string key = signing_key(kS3Secret, scope);
  std::string first =
      chunk_signature(key, "20130524T000000Z", scope,
                      "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9",
                      sha256_hex(std::string(65536, 'a')));
  EXPECT_EQ(first, "ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648");
  std::string second =
      chunk_signature(key, "20130524T000000Z", scope, first, sha256_hex(std::string(1024, 'a')));
  EXPECT_EQ(second, "0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497");
  EXPECT_EQ(chunk_signature(key, "20130524T000000Z", scope, second, kEmptySha256),
            "b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9");
}

}  // namespace
}  // namespace maxio::sigv4
