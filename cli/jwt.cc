#include "cli/jwt.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <nlohmann/json.hpp>

namespace maxio::cli {

std::string base64url_encode(std::string_view bytes) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  size_t i = 0;
  auto byte = [&](size_t at) {
    return static_cast<uint32_t>(static_cast<unsigned char>(bytes[at]));
  };
  for (; i + 3 <= bytes.size(); i += 3) {
    uint32_t n = byte(i) << 16 | byte(i + 1) << 8 | byte(i + 2);
    out += kAlphabet[n >> 18 & 63];
    out += kAlphabet[n >> 12 & 63];
    out += kAlphabet[n >> 6 & 63];
    out += kAlphabet[n & 63];
  }
  if (bytes.size() - i == 1) {
    uint32_t n = byte(i) << 16;
    out += kAlphabet[n >> 18 & 63];
    out += kAlphabet[n >> 12 & 63];
  } else if (bytes.size() - i == 2) {
    uint32_t n = byte(i) << 16 | byte(i + 1) << 8;
    out += kAlphabet[n >> 18 & 63];
    out += kAlphabet[n >> 12 & 63];
    out += kAlphabet[n >> 6 & 63];
  }
  return out;
}

std::string sign_hs512(std::string_view claims_json, std::string_view secret_key) {
  std::string input =
      base64url_encode(R"({"alg":"HS512","typ":"JWT"})") + "." + base64url_encode(claims_json);
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_size = 0;
  HMAC(EVP_sha512(), secret_key.data(), static_cast<int>(secret_key.size()),
       reinterpret_cast<const unsigned char*>(input.data()), input.size(), mac, &mac_size);
  return input + "." +
         base64url_encode(std::string_view(reinterpret_cast<const char*>(mac), mac_size));
}

std::string prometheus_token(std::string_view access_key, std::string_view secret_key,
                             std::chrono::system_clock::time_point expires_at) {
  // Key order as Go's encoding/json writes jwt.StandardClaims: exp, iss, sub.
  nlohmann::ordered_json claims = {
      {"exp",
       std::chrono::duration_cast<std::chrono::seconds>(expires_at.time_since_epoch()).count()},
      {"iss", kPrometheusIssuer},
      {"sub", access_key}};
  return sign_hs512(claims.dump(), secret_key);
}

}  // namespace maxio::cli
