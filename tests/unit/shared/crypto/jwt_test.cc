// JWTs as MinIO's Prometheus auth uses them: the token mc generates, and every reason
// verification refuses one. Expected tokens were computed independently (Python hmac).

#include "shared/crypto/jwt.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "shared/crypto/hash.h"
#include "shared/util/encoding.h"

namespace maxio::jwt {
namespace {

using std::chrono::seconds;
using std::chrono::system_clock;

// 2100-01-01T00:00:00Z
const system_clock::time_point kExp{seconds(4102444800)};
// 2026-01-01T00:00:00Z
const system_clock::time_point kNow{seconds(1767225600)};

// mc admin prometheus generate for minioadmin:minioadmin with that expiry.
constexpr std::string_view kMinioToken =
    "eyJhbGciOiJIUzUxMiIsInR5cCI6IkpXVCJ9."
    "eyJleHAiOjQxMDI0NDQ4MDAsImlzcyI6InByb21ldGhldXMiLCJzdWIiOiJtaW5pb2FkbWluIn0."
    "7Q0CBKxNRhdyXznST9UddSqEHNt4dNuAGk6DrFmA-siDAjFF0jT61zeIKCauIWq5gH5_wjjeu0IUp7_vnWXNXA";

SecretLookup root(std::string access, std::string secret) {
  return [access, secret](std::string_view key) -> std::optional<std::string> {
    if (key == access) return secret;
    return std::nullopt;
  };
}

// A token over arbitrary header and payload JSON, signed with HMAC-SHA512.
std::string make_token(std::string_view header, std::string_view payload, std::string_view secret) {
  std::string input = base64url_encode(header) + "." + base64url_encode(payload);
  return input + "." + base64url_encode(hmac_sha512(secret, input));
}

TEST(JwtTest, GeneratesTheTokenMinioGenerates) {
  EXPECT_EQ(generate_prometheus_token("minioadmin", "minioadmin", kExp), kMinioToken);
}

TEST(JwtTest, VerifiesAGoodToken) {
  auto claims = verify_prometheus_token(kMinioToken, root("minioadmin", "minioadmin"), kNow);
  ASSERT_TRUE(claims.is_ok()) << claims.status().to_string();
  EXPECT_EQ(claims->access_key, "minioadmin");
  EXPECT_EQ(claims->issuer, "prometheus");
  ASSERT_TRUE(claims->expires_at.has_value());
  EXPECT_EQ(*claims->expires_at, kExp);
}

TEST(JwtTest, RoundTripsAGeneratedToken) {
  std::string token = generate_prometheus_token("admin", "s3cr3t-key", kNow + seconds(60));
  EXPECT_TRUE(verify_prometheus_token(token, root("admin", "s3cr3t-key"), kNow).is_ok());
}

TEST(JwtTest, AcceptsHs256WithAccessKeyIatAndNbf) {
  // PyJWT-style HS256 with MinIO's "accessKey" claim instead of "sub".
  constexpr std::string_view token =
      "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9."
      "eyJhY2Nlc3NLZXkiOiJtaW5pb2FkbWluIiwiaXNzIjoicHJvbWV0aGV1cyIsImV4cCI6NDEwMjQ0NDgwMCwiaWF0Ij"
      "oxNjAwMDAwMDAwLCJuYmYiOjE2MDAwMDAwMDB9.T8Ump0TPqMYWitaetVW0YVIZLW1bV4EbfPaHUzp91ZA";
  auto claims = verify_prometheus_token(token, root("minioadmin", "minioadmin"), kNow);
  ASSERT_TRUE(claims.is_ok()) << claims.status().to_string();
  EXPECT_EQ(claims->access_key, "minioadmin");
}

TEST(JwtTest, RefusesAnExpiredToken) {
  std::string token = generate_prometheus_token("admin", "secret", kNow - seconds(1));
  auto claims = verify_prometheus_token(token, root("admin", "secret"), kNow);
  EXPECT_EQ(claims.code(), ErrorCode::kAccessDenied);
  EXPECT_NE(claims.status().message().find("expired"), std::string::npos);
}

TEST(JwtTest, RefusesTheWrongSecret) {
  auto claims = verify_prometheus_token(kMinioToken, root("minioadmin", "not-the-secret"), kNow);
  EXPECT_EQ(claims.code(), ErrorCode::kAccessDenied);
  EXPECT_NE(claims.status().message().find("signature"), std::string::npos);
}

TEST(JwtTest, RefusesAnUnknownAccessKey) {
  auto claims = verify_prometheus_token(kMinioToken, root("someone-else", "minioadmin"), kNow);
  EXPECT_EQ(claims.code(), ErrorCode::kAccessDenied);
}

TEST(JwtTest, RefusesOtherAlgorithms) {
  const std::string payload = R"({"exp":4102444800,"iss":"prometheus","sub":"admin"})";
  // alg "none" with an empty signature: the classic bypass.
  std::string none =
      base64url_encode(R"({"alg":"none","typ":"JWT"})") + "." + base64url_encode(payload) + ".";
  EXPECT_EQ(verify(none, root("admin", "secret"), kNow).code(), ErrorCode::kAccessDenied);
  // RS256 header, even with an HMAC signature over the right secret.
  EXPECT_EQ(verify(make_token(R"({"alg":"RS256","typ":"JWT"})", payload, "secret"),
                   root("admin", "secret"), kNow)
                .code(),
            ErrorCode::kAccessDenied);
  // Header says HS256 but the signature is HS512: the algorithms must agree.
  EXPECT_EQ(verify(make_token(R"({"alg":"HS256","typ":"JWT"})", payload, "secret"),
                   root("admin", "secret"), kNow)
                .code(),
            ErrorCode::kAccessDenied);
  // No alg at all.
  EXPECT_EQ(verify(make_token(R"({"typ":"JWT"})", payload, "secret"), root("admin", "secret"), kNow)
                .code(),
            ErrorCode::kAccessDenied);
}

TEST(JwtTest, PrometheusTokensNeedThePrometheusIssuer) {
  std::string other = make_token(R"({"alg":"HS512","typ":"JWT"})",
                                 R"({"exp":4102444800,"iss":"console","sub":"admin"})", "secret");
  EXPECT_TRUE(verify(other, root("admin", "secret"), kNow).is_ok());
  EXPECT_EQ(verify_prometheus_token(other, root("admin", "secret"), kNow).code(),
            ErrorCode::kAccessDenied);
  std::string none =
      make_token(R"({"alg":"HS512","typ":"JWT"})", R"({"exp":4102444800,"sub":"admin"})", "secret");
  EXPECT_EQ(verify_prometheus_token(none, root("admin", "secret"), kNow).code(),
            ErrorCode::kAccessDenied);
}

TEST(JwtTest, TimeClaims) {
  const std::string header = R"({"alg":"HS512","typ":"JWT"})";
  auto check = [&](const std::string& payload) {
    return verify(make_token(header, payload, "secret"), root("admin", "secret"), kNow).code();
  };
  // No exp: valid (as in MinIO; mc always sets one).
  EXPECT_EQ(check(R"({"iss":"prometheus","sub":"admin"})"), ErrorCode::kOk);
  EXPECT_EQ(check(R"({"sub":"admin","nbf":4102444800})"), ErrorCode::kAccessDenied);
  EXPECT_EQ(check(R"({"sub":"admin","iat":4102444800})"), ErrorCode::kAccessDenied);
  EXPECT_EQ(check(R"({"sub":"admin","exp":"tomorrow"})"), ErrorCode::kAccessDenied);
  EXPECT_EQ(check(R"({"sub":"admin","exp":1e300})"), ErrorCode::kOk);
  EXPECT_EQ(check(R"({"sub":"admin","exp":-1e300})"), ErrorCode::kAccessDenied);
  EXPECT_EQ(check(R"({"iss":"prometheus"})"), ErrorCode::kAccessDenied);  // no access key
}

TEST(JwtTest, RefusesMalformedTokens) {
  auto lookup = root("minioadmin", "minioadmin");
  for (std::string_view bad :
       {"", "abc", "a.b", "a.b.c.d", "..", "eyJhbGciOiJIUzUxMiJ9..", "!!!.eyJzdWIiOiJhIn0.sig"}) {
    EXPECT_EQ(verify(bad, lookup, kNow).code(), ErrorCode::kAccessDenied) << bad;
  }
  // The good token with one signature character changed, and with padding added.
  // (A middle character: the last one also holds bits past the 64 bytes, which base64
  // decoders ignore, as Go's does.)
  std::string flipped(kMinioToken);
  char& c = flipped[flipped.size() - 10];
  c = c == 'A' ? 'B' : 'A';
  EXPECT_EQ(verify(flipped, lookup, kNow).code(), ErrorCode::kAccessDenied);
  EXPECT_EQ(verify(std::string(kMinioToken) + "==", lookup, kNow).code(), ErrorCode::kAccessDenied);
  // A payload that is JSON but not an object.
  std::string array = base64url_encode(R"({"alg":"HS512"})") + "." + base64url_encode("[1]") + ".x";
  EXPECT_EQ(verify(array, lookup, kNow).code(), ErrorCode::kAccessDenied);
  EXPECT_EQ(verify(std::string(9000, 'a'), lookup, kNow).code(), ErrorCode::kAccessDenied);
}

TEST(JwtTest, Base64Url) {
  EXPECT_EQ(base64url_encode(""), "");
  EXPECT_EQ(base64url_encode("\xfb\xff"), "-_8");
  EXPECT_EQ(base64url_encode("f"), "Zg");
  auto decoded = base64url_decode("-_8");
  ASSERT_TRUE(decoded.is_ok());
  EXPECT_EQ(*decoded, "\xfb\xff");
  EXPECT_FALSE(base64url_decode("Zg==").is_ok());
  EXPECT_FALSE(base64url_decode("+/8").is_ok());
  EXPECT_FALSE(base64url_decode("Z").is_ok());
}

TEST(HmacTest, Sha384AndSha512Rfc4231Case2) {
  // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?".
  EXPECT_EQ(hex_encode(hmac_sha384("Jefe", "what do ya want for nothing?")),
            "af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e"
            "8e2240ca5e69e2c78b3239ecfab21649");
  EXPECT_EQ(hex_encode(hmac_sha512("Jefe", "what do ya want for nothing?")),
            "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea250554"
            "9758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737");
}

}  // namespace
}  // namespace maxio::jwt
