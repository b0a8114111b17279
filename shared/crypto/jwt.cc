// HMAC-signed JSON Web Tokens.

#include "shared/crypto/jwt.h"

#include <openssl/crypto.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "shared/crypto/hash.h"
#include "shared/util/encoding.h"

namespace maxio::jwt {

namespace {

// Tokens are a few hundred bytes; anything far larger is not one of ours.
constexpr size_t kMaxTokenSize = 8192;

Status denied(std::string why) { return Status(ErrorCode::kAccessDenied, std::move(why)); }

std::optional<std::string> sign(std::string_view alg, std::string_view key, std::string_view data) {
  if (alg == "HS512") return hmac_sha512(key, data);
  if (alg == "HS384") return hmac_sha384(key, data);
  if (alg == "HS256") return hmac_sha256(key, data);
  return std::nullopt;
}

// A JSON object from one base64url part; nullopt when either layer is malformed.
std::optional<nlohmann::json> decode_object(std::string_view part) {
  auto bytes = base64url_decode(part);
  if (!bytes) return std::nullopt;
  auto json = nlohmann::json::parse(*bytes, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded() || !json.is_object()) return std::nullopt;
  return json;
}

// A NumericDate claim (seconds since the epoch, possibly fractional) in `claims`.
// nullopt when absent; an error when present but not a number.
Result<std::optional<double>> numeric_date(const nlohmann::json& claims, const char* name) {
  auto it = claims.find(name);
  if (it == claims.end()) return std::optional<double>();
  if (!it->is_number() || !std::isfinite(it->get<double>())) {
    return denied(std::string("JWT claim '") + name + "' is not a number");
  }
  return std::optional<double>(it->get<double>());
}

}  // namespace

std::string base64url_encode(std::string_view bytes) {
  std::string text = base64_encode(bytes);
  while (!text.empty() && text.back() == '=') text.pop_back();
  for (char& c : text) {
    if (c == '+') c = '-';
    if (c == '/') c = '_';
  }
  return text;
}

Result<std::string> base64url_decode(std::string_view text) {
  std::string standard;
  standard.reserve(text.size() + 3);
  for (char c : text) {
    bool plain = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (plain) {
      standard += c;
    } else if (c == '-') {
      standard += '+';
    } else if (c == '_') {
      standard += '/';
    } else {
      return Status(ErrorCode::kInvalidArgument, "invalid base64url character");
    }
  }
  if (standard.size() % 4 == 1) return Status(ErrorCode::kInvalidArgument, "bad base64url length");
  while (standard.size() % 4 != 0) standard += '=';
  return base64_decode(standard);
}

std::string generate_prometheus_token(std::string_view access_key, std::string_view secret_key,
                                      std::chrono::system_clock::time_point expires_at) {
  // Field order as Go's jwt.StandardClaims marshals them (exp, iss, sub).
  nlohmann::ordered_json claims;
  claims["exp"] =
      std::chrono::duration_cast<std::chrono::seconds>(expires_at.time_since_epoch()).count();
  claims["iss"] = std::string(kPrometheusIssuer);
  claims["sub"] = std::string(access_key);
  std::string signing_input =
      base64url_encode(R"({"alg":"HS512","typ":"JWT"})") + "." + base64url_encode(claims.dump());
  return signing_input + "." + base64url_encode(hmac_sha512(secret_key, signing_input));
}

Result<Claims> verify(std::string_view token, const SecretLookup& secret_for,
                      std::chrono::system_clock::time_point now) {
  if (token.empty()) return denied("JWT token missing");
  if (token.size() > kMaxTokenSize) return denied("JWT token too large");
  size_t first = token.find('.');
  size_t last = token.rfind('.');
  if (first == std::string_view::npos || first == last || token.find('.', first + 1) != last) {
    return denied("malformed JWT: want header.payload.signature");
  }
  auto header = decode_object(token.substr(0, first));
  auto payload = decode_object(token.substr(first + 1, last - first - 1));
  auto signature = base64url_decode(token.substr(last + 1));
  if (!header || !payload || !signature) return denied("malformed JWT");

  auto alg = header->find("alg");
  if (alg == header->end() || !alg->is_string()) return denied("JWT header has no alg");
  const std::string alg_name = alg->get<std::string>();
  if (alg_name != "HS256" && alg_name != "HS384" && alg_name != "HS512") {
    return denied("JWT signing method '" + alg_name + "' is not accepted");
  }

  Claims claims;
  for (const char* name : {"accessKey", "sub"}) {
    auto it = payload->find(name);
    if (it != payload->end() && it->is_string() && !it->get<std::string>().empty()) {
      claims.access_key = it->get<std::string>();
      break;
    }
  }
  if (claims.access_key.empty()) return denied("JWT names no access key (accessKey/sub)");
  if (auto iss = payload->find("iss"); iss != payload->end()) {
    if (!iss->is_string()) return denied("JWT claim 'iss' is not a string");
    claims.issuer = iss->get<std::string>();
  }

  std::optional<std::string> secret = secret_for(claims.access_key);
  if (!secret) return denied("JWT access key is unknown");
  std::string_view signing_input = token.substr(0, last);
  std::optional<std::string> expected = sign(alg_name, *secret, signing_input);
  if (!expected || expected->size() != signature->size() ||
      CRYPTO_memcmp(expected->data(), signature->data(), expected->size()) != 0) {
    return denied("JWT signature does not match");
  }

  const double now_seconds = std::chrono::duration<double>(now.time_since_epoch()).count();
  MAXIO_TRY(std::optional<double> exp, numeric_date(*payload, "exp"));
  MAXIO_TRY(std::optional<double> nbf, numeric_date(*payload, "nbf"));
  MAXIO_TRY(std::optional<double> iat, numeric_date(*payload, "iat"));
  if (exp) {
    if (now_seconds > *exp) return denied("JWT token is expired");
    // Past what a time_point holds (year 2262 in nanoseconds): as good as never.
    claims.expires_at = *exp < 9e9 ? std::chrono::system_clock::time_point(
                                         std::chrono::duration_cast<std::chrono::seconds>(
                                             std::chrono::duration<double>(*exp)))
                                   : std::chrono::system_clock::time_point::max();
  }
  if (nbf && now_seconds < *nbf) return denied("JWT token is not valid yet");
  if (iat && now_seconds < *iat) return denied("JWT token used before issued");
  return claims;
}

Result<Claims> verify_prometheus_token(std::string_view token, const SecretLookup& secret_for,
                                       std::chrono::system_clock::time_point now) {
  MAXIO_TRY(Claims claims, verify(token, secret_for, now));
  if (claims.issuer != kPrometheusIssuer) {
    return denied("JWT issuer is not '" + std::string(kPrometheusIssuer) + "'");
  }
  return claims;
}

}  // namespace maxio::jwt
