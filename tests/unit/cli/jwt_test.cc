// The Prometheus bearer token: base64url and an HS512 JWT checked against a token computed
// independently (Python's hmac and base64 modules) for the same claims and key.

#include "cli/jwt.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "shared/util/encoding.h"
#include "shared/util/strings.h"

namespace maxio::cli {
namespace {

std::string base64url_decode(std::string text) {
  for (char& c : text) {
    if (c == '-') c = '+';
    if (c == '_') c = '/';
  }
  while (text.size() % 4 != 0) text += '=';
  return base64_decode(text).value();
}

TEST(JwtTest, Base64Url) {
  EXPECT_EQ(base64url_encode(""), "");
  EXPECT_EQ(base64url_encode("f"), "Zg");
  EXPECT_EQ(base64url_encode("fo"), "Zm8");
  EXPECT_EQ(base64url_encode("foo"), "Zm9v");
  EXPECT_EQ(base64url_encode("\xfb\xff\xbf"), "-_-_");
}

TEST(JwtTest, PrometheusTokenMatchesAnIndependentSigner) {
  // python3: header/payload base64url of the JSON below, HMAC-SHA512 with "minioadmin".
  const std::string expected =
      "eyJhbGciOiJIUzUxMiIsInR5cCI6IkpXVCJ9."
      "eyJleHAiOjQxMDI0NDQ4MDAsImlzcyI6InByb21ldGhldXMiLCJzdWIiOiJtaW5pb2FkbWluIn0."
      "7Q0CBKxNRhdyXznST9UddSqEHNt4dNuAGk6DrFmA-siDAjFF0jT61zeIKCauIWq5gH5_wjjeu0IUp7_vnWXNXA";
  auto expires = std::chrono::system_clock::time_point(std::chrono::seconds(4102444800));
  EXPECT_EQ(prometheus_token("minioadmin", "minioadmin", expires), expected);
}

TEST(JwtTest, ClaimsAreMcs) {
  auto now = std::chrono::system_clock::now();
  std::string token = prometheus_token("AKID", "secret", now + kPrometheusTokenLifetime);
  auto parts = split(token, '.');
  ASSERT_EQ(parts.size(), 3u);
  auto header = nlohmann::json::parse(base64url_decode(parts[0]));
  EXPECT_EQ(header["alg"], "HS512");
  EXPECT_EQ(header["typ"], "JWT");
  auto claims = nlohmann::json::parse(base64url_decode(parts[1]));
  EXPECT_EQ(claims["sub"], "AKID");
  EXPECT_EQ(claims["iss"], "prometheus");
  int64_t exp = claims["exp"];
  int64_t now_s = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  EXPECT_NEAR(static_cast<double>(exp - now_s), 100.0 * 365 * 86400, 5);
  EXPECT_EQ(base64url_decode(parts[2]).size(), 64u);  // SHA-512
}

}  // namespace
}  // namespace maxio::cli
