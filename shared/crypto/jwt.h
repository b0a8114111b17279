#pragma once
// JSON Web Tokens signed with HMAC, as MinIO uses them to authorize Prometheus scrapes: the
// bearer token `mc admin prometheus generate` prints (HS512, iss "prometheus", sub = access
// key, signed with that key's secret). Generation (for maxioctl) and verification (for the
// daemon). Pure functions; thread-safe when the SecretLookup is.

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "shared/util/status.h"

namespace maxio::jwt {

inline constexpr std::string_view kPrometheusIssuer = "prometheus";
// What `mc admin prometheus generate` gives a token: 100 years.
inline constexpr std::chrono::hours kPrometheusTokenLifetime{100 * 365 * 24};

struct Claims {
  std::string access_key;  // "accessKey" when present, else "sub"
  std::string issuer;      // "iss"; empty when absent
  std::optional<std::chrono::system_clock::time_point> expires_at;  // "exp"
};

// The secret key of `access_key`, or nullopt when the key is unknown.
using SecretLookup = std::function<std::optional<std::string>(std::string_view access_key)>;

// A compact HS512 token "header.payload.signature" (base64url without padding) with header
// {"alg":"HS512","typ":"JWT"} and claims {"exp":<unix seconds>,"iss":"prometheus",
// "sub":access_key}, signed with `secret_key`: the token MinIO's mc generates.
std::string generate_prometheus_token(std::string_view access_key, std::string_view secret_key,
                                      std::chrono::system_clock::time_point expires_at);

// Verifies a compact token as MinIO does: three base64url parts; "alg" HS256, HS384 or
// HS512 (anything else, "none" included, is refused); an "accessKey" or "sub" claim naming
// a key `secret_for` knows; the signature made with its secret (compared in constant time);
// "exp" (when present) after `now`, "nbf" and "iat" (when present) not after `now`.
// Returns the claims, or kAccessDenied with a message saying which check failed.
Result<Claims> verify(std::string_view token, const SecretLookup& secret_for,
                      std::chrono::system_clock::time_point now);

// verify() plus MinIO's metrics rule: the issuer must be "prometheus".
Result<Claims> verify_prometheus_token(std::string_view token, const SecretLookup& secret_for,
                                       std::chrono::system_clock::time_point now);

// Base64url without padding (RFC 7515, section 2), as JWTs encode their parts.
std::string base64url_encode(std::string_view bytes);
// Refuses padding and characters outside [A-Za-z0-9_-] with kInvalidArgument.
Result<std::string> base64url_decode(std::string_view text);

}  // namespace maxio::jwt
