#pragma once
// The bearer token `maxioctl admin prometheus generate` prints: a JSON Web Token signed with
// HMAC-SHA512 under the alias's secret key, with the claims MinIO's mc puts in it, so that
// MinIO and Maxio accept it for /minio/v2/metrics/*. Pure functions; thread-safe.

#include <chrono>
#include <string>
#include <string_view>

namespace maxio::cli {

inline constexpr std::string_view kPrometheusIssuer = "prometheus";
// mc's lifetime of a generated scrape token: 100 years.
inline constexpr std::chrono::hours kPrometheusTokenLifetime{100 * 365 * 24};

// Base64url without padding (RFC 7515, section 2).
std::string base64url_encode(std::string_view bytes);

// A compact JWS "header.payload.signature": header {"alg":"HS512","typ":"JWT"}, payload
// `claims_json` as given, signature HMAC-SHA512(secret, "header.payload").
std::string sign_hs512(std::string_view claims_json, std::string_view secret_key);

// The Prometheus token: claims {"exp":<expires_at in unix seconds>,"iss":"prometheus",
// "sub":access_key} signed with `secret_key`.
std::string prometheus_token(std::string_view access_key, std::string_view secret_key,
                             std::chrono::system_clock::time_point expires_at);

}  // namespace maxio::cli
