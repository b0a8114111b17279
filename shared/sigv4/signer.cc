#include "shared/sigv4/signer.h"

#include <algorithm>

#include "shared/crypto/hash.h"
#include "shared/util/encoding.h"
#include "shared/util/strings.h"
#include "shared/util/time.h"

namespace maxio::sigv4 {

std::string Scope::to_string() const {
  std::string out;
  out.reserve(date.size() + region.size() + service.size() + 16);
  out.append(date).append("/").append(region).append("/").append(service).append("/");
  out.append(kTerminator);
  return out;
}

std::string canonical_uri(std::string_view path) {
  if (path.empty()) return "/";
  return uri_encode(path, false);
}

Result<QueryList> parse_raw_query(std::string_view raw_query) {
  QueryList out;
  while (!raw_query.empty()) {
    size_t amp = raw_query.find('&');
    std::string_view part = raw_query.substr(0, amp);
    raw_query = amp == std::string_view::npos ? std::string_view() : raw_query.substr(amp + 1);
    if (part.empty()) continue;
    size_t eq = part.find('=');
    std::string_view name = part.substr(0, eq);
    std::string_view value =
        eq == std::string_view::npos ? std::string_view() : part.substr(eq + 1);
    MAXIO_TRY(std::string decoded_name, uri_decode(name));
    MAXIO_TRY(std::string decoded_value, uri_decode(value));
    out.emplace_back(std::move(decoded_name), std::move(decoded_value));
  }
  return out;
}

std::string canonical_query(const QueryList& query) {
  std::vector<std::pair<std::string, std::string>> encoded;
  encoded.reserve(query.size());
  for (const auto& [name, value] : query) {
    encoded.emplace_back(uri_encode(name, true), uri_encode(value, true));
  }
  std::sort(encoded.begin(), encoded.end());
  std::string out;
  for (const auto& [name, value] : encoded) {
    if (!out.empty()) out.push_back('&');
    out.append(name).append("=").append(value);
  }
  return out;
}

std::string signed_headers_string(std::vector<std::string> names) {
  for (auto& name : names) name = to_lower(name);
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  std::string out;
  for (const auto& name : names) {
    if (!out.empty()) out.push_back(';');
    out.append(name);
  }
  return out;
}

std::string canonical_headers(const HeaderList& headers,
                              const std::vector<std::string>& signed_names) {
  std::string out;
  for (const auto& name : signed_names) {
    out.append(name).push_back(':');
    bool first = true;
    for (const auto& [field, value] : headers) {
      if (!iequals(field, name)) continue;
      if (!first) out.push_back(',');
      out.append(collapse_spaces(value));
      first = false;
    }
    out.push_back('\n');
  }
  return out;
}

std::string canonical_request(std::string_view method, std::string_view canonical_uri,
                              std::string_view canonical_query, std::string_view canonical_headers,
                              std::string_view signed_headers, std::string_view payload_hash) {
  std::string out;
  out.reserve(method.size() + canonical_uri.size() + canonical_query.size() +
              canonical_headers.size() + signed_headers.size() + payload_hash.size() + 8);
  out.append(method).push_back('\n');
  out.append(canonical_uri).push_back('\n');
  out.append(canonical_query).push_back('\n');
  out.append(canonical_headers).push_back('\n');
  out.append(signed_headers).push_back('\n');
  out.append(payload_hash);
  return out;
}

std::string string_to_sign(std::string_view amz_date, const Scope& scope,
                           std::string_view canonical_request) {
  std::string out(kAlgorithm);
  out.push_back('\n');
  out.append(amz_date).push_back('\n');
  out.append(scope.to_string()).push_back('\n');
  out.append(sha256_hex(canonical_request));
  return out;
}

std::string signing_key(std::string_view secret_key, const Scope& scope) {
  std::string key = "AWS4";
  key.append(secret_key);
  std::string date_key = hmac_sha256(key, scope.date);
  std::string region_key = hmac_sha256(date_key, scope.region);
  std::string service_key = hmac_sha256(region_key, scope.service);
  return hmac_sha256(service_key, kTerminator);
}

std::string signature(std::string_view key, std::string_view string_to_sign) {
  return hex_encode(hmac_sha256(key, string_to_sign));
}

std::string chunk_signature(std::string_view key, std::string_view amz_date, const Scope& scope,
                            std::string_view previous_signature,
                            std::string_view chunk_sha256_hex) {
  std::string sts = "AWS4-HMAC-SHA256-PAYLOAD\n";
  sts.append(amz_date).push_back('\n');
  sts.append(scope.to_string()).push_back('\n');
  sts.append(previous_signature).push_back('\n');
  sts.append(kEmptySha256).push_back('\n');
  sts.append(chunk_sha256_hex);
  return signature(key, sts);
}

std::string trailer_signature(std::string_view key, std::string_view amz_date, const Scope& scope,
                              std::string_view previous_signature,
                              std::string_view canonical_trailers) {
  std::string sts = "AWS4-HMAC-SHA256-TRAILER\n";
  sts.append(amz_date).push_back('\n');
  sts.append(scope.to_string()).push_back('\n');
  sts.append(previous_signature).push_back('\n');
  sts.append(sha256_hex(canonical_trailers));
  return signature(key, sts);
}

namespace {

bool has_header(const HeaderList& headers, std::string_view name) {
  for (const auto& field : headers) {
    if (iequals(field.first, name)) return true;
  }
  return false;
}

Scope scope_for(const SigningParams& params) {
  return Scope{format_amz_day(params.time), params.region, params.service};
}

}  // namespace

std::string sign_request(std::string_view method, std::string_view path, std::string_view raw_query,
                         std::string_view payload_hash, const SigningParams& params,
                         HeaderList& headers) {
  std::string amz_date = format_amz_date(params.time);
  if (!has_header(headers, "x-amz-date")) headers.emplace_back("X-Amz-Date", amz_date);
  if (params.add_content_sha256 && !has_header(headers, "x-amz-content-sha256")) {
    headers.emplace_back("X-Amz-Content-Sha256", std::string(payload_hash));
  }
  std::vector<std::string> names;
  for (const auto& [name, value] : headers) {
    if (iequals(name, "authorization") || iequals(name, "user-agent")) continue;
    names.push_back(to_lower(name));
  }
  std::string signed_list = signed_headers_string(names);
  std::vector<std::string> sorted = split(signed_list, ';');

  QueryList query;
  if (auto parsed = parse_raw_query(raw_query); parsed.is_ok()) query = std::move(parsed).value();
  Scope scope = scope_for(params);
  std::string request =
      canonical_request(method, canonical_uri(path), canonical_query(query),
                        canonical_headers(headers, sorted), signed_list, payload_hash);
  std::string sig =
      signature(signing_key(params.secret_key, scope), string_to_sign(amz_date, scope, request));
  std::string authorization(kAlgorithm);
  authorization.append(" Credential=").append(params.access_key).append("/");
  authorization.append(scope.to_string());
  authorization.append(", SignedHeaders=").append(signed_list);
  authorization.append(", Signature=").append(sig);
  headers.emplace_back("Authorization", std::move(authorization));
  return sig;
}

std::string presign_url(std::string_view method, std::string_view endpoint, std::string_view path,
                        std::string_view raw_query, std::chrono::seconds expires,
                        const SigningParams& params) {
  std::string_view host = endpoint;
  if (size_t scheme = host.find("://"); scheme != std::string_view::npos) {
    host.remove_prefix(scheme + 3);
  }
  Scope scope = scope_for(params);
  std::string amz_date = format_amz_date(params.time);
  QueryList query;
  if (auto parsed = parse_raw_query(raw_query); parsed.is_ok()) query = std::move(parsed).value();
  query.emplace_back("X-Amz-Algorithm", std::string(kAlgorithm));
  query.emplace_back("X-Amz-Credential", params.access_key + "/" + scope.to_string());
  query.emplace_back("X-Amz-Date", amz_date);
  query.emplace_back("X-Amz-Expires", std::to_string(expires.count()));
  query.emplace_back("X-Amz-SignedHeaders", "host");
  std::string canonical_q = canonical_query(query);
  HeaderList headers{{"host", std::string(host)}};
  std::string uri = canonical_uri(path);
  std::string request = canonical_request(
      method, uri, canonical_q, canonical_headers(headers, {"host"}), "host", kUnsignedPayload);
  std::string sig =
      signature(signing_key(params.secret_key, scope), string_to_sign(amz_date, scope, request));
  std::string url(endpoint);
  url.append(uri).append("?").append(canonical_q).append("&X-Amz-Signature=").append(sig);
  return url;
}

}  // namespace maxio::sigv4
