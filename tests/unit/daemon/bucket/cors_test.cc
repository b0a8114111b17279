// CORS configuration parsing and request matching.

#include "daemon/bucket/cors.h"

#include <gtest/gtest.h>

namespace maxio {
namespace {

constexpr const char* kConfig = R"(<CORSConfiguration>
  <CORSRule>
    <ID>web</ID>
    <AllowedOrigin>https://*.example.com</AllowedOrigin>
    <AllowedMethod>GET</AllowedMethod>
    <AllowedMethod>PUT</AllowedMethod>
    <AllowedHeader>Content-*</AllowedHeader>
    <AllowedHeader>x-amz-date</AllowedHeader>
    <ExposeHeader>ETag</ExposeHeader>
    <MaxAgeSeconds>3000</MaxAgeSeconds>
  </CORSRule>
  <CORSRule>
    <AllowedOrigin>*</AllowedOrigin>
    <AllowedMethod>HEAD</AllowedMethod>
  </CORSRule>
</CORSConfiguration>)";

TEST(Cors, Parses) {
  auto c = parse_cors(kConfig);
  ASSERT_TRUE(c.is_ok()) << c.status().to_string();
  ASSERT_EQ(c->rules.size(), 2u);
  EXPECT_EQ(c->rules[0].id, "web");
  EXPECT_EQ(c->rules[0].allowed_headers, (std::vector<std::string>{"content-*", "x-amz-date"}));
  EXPECT_EQ(c->rules[0].expose_headers, (std::vector<std::string>{"ETag"}));
  EXPECT_EQ(c->rules[0].max_age_seconds, 3000);
  EXPECT_FALSE(c->rules[1].max_age_seconds.has_value());
}

TEST(Cors, Refusals) {
  EXPECT_EQ(parse_cors("<CORSConfiguration>").code(), ErrorCode::kMalformedXML);
  EXPECT_EQ(parse_cors("<CORSConfiguration/>").code(), ErrorCode::kMalformedXML);
  EXPECT_EQ(parse_cors("<CORSConfiguration><CORSRule><AllowedMethod>GET</AllowedMethod>"
                       "</CORSRule></CORSConfiguration>")
                .code(),
            ErrorCode::kMalformedXML);
  EXPECT_EQ(parse_cors("<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin>"
                       "</CORSRule></CORSConfiguration>")
                .code(),
            ErrorCode::kMalformedXML);
  EXPECT_EQ(parse_cors("<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin>"
                       "<AllowedMethod>PATCH</AllowedMethod></CORSRule></CORSConfiguration>")
                .code(),
            ErrorCode::kInvalidRequest);
  EXPECT_EQ(parse_cors("<CORSConfiguration><CORSRule><AllowedOrigin>*.*</AllowedOrigin>"
                       "<AllowedMethod>GET</AllowedMethod></CORSRule></CORSConfiguration>")
                .code(),
            ErrorCode::kInvalidRequest);
  EXPECT_EQ(parse_cors("<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin>"
                       "<AllowedMethod>GET</AllowedMethod><MaxAgeSeconds>x</MaxAgeSeconds>"
                       "</CORSRule></CORSConfiguration>")
                .code(),
            ErrorCode::kMalformedXML);
  std::string many = "<CORSConfiguration>";
  for (int i = 0; i < 101; ++i) {
    many +=
        "<CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod>"
        "</CORSRule>";
  }
  many += "</CORSConfiguration>";
  EXPECT_EQ(parse_cors(many).code(), ErrorCode::kInvalidRequest);
  std::string long_id = "<CORSConfiguration><CORSRule><ID>" + std::string(256, 'i') +
                        "</ID><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET"
                        "</AllowedMethod></CORSRule></CORSConfiguration>";
  EXPECT_EQ(parse_cors(long_id).code(), ErrorCode::kInvalidRequest);
}

TEST(Cors, Wildcards) {
  EXPECT_TRUE(cors_wildcard_match("*", ""));
  EXPECT_TRUE(cors_wildcard_match("https://*.example.com", "https://a.example.com"));
  EXPECT_FALSE(cors_wildcard_match("https://*.example.com", "https://example.com"));
  EXPECT_FALSE(cors_wildcard_match("https://*.example.com", "http://a.example.com"));
  EXPECT_TRUE(cors_wildcard_match("exact", "exact"));
  EXPECT_FALSE(cors_wildcard_match("exact", "exactly"));
}

TEST(Cors, Matching) {
  auto c = parse_cors(kConfig);
  ASSERT_TRUE(c.is_ok());
  const CorsRule* r =
      match_cors_rule(*c, "https://app.example.com", "PUT", {"Content-Type", "X-Amz-Date"});
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->id, "web");
  EXPECT_EQ(match_cors_rule(*c, "https://app.example.com", "PUT", {"authorization"}), nullptr);
  EXPECT_EQ(match_cors_rule(*c, "https://app.example.com", "DELETE", {}), nullptr);
  r = match_cors_rule(*c, "http://anything", "HEAD", {});
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r, &c->rules[1]);
  EXPECT_EQ(match_cors_rule(*c, "http://anything", "HEAD", {"x-custom"}), nullptr);
}

}  // namespace
}  // namespace maxio
