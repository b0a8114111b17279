#include "daemon/auth/auth.h"

#include <openssl/crypto.h>

#include <algorithm>
#include <array>
#include <cassert>

#include "daemon/auth/internal/credential.h"
#include "daemon/auth/payload.h"
#include "shared/crypto/checksum.h"
#include "shared/crypto/hash.h"
#include "shared/sigv4/signer.h"
#include "shared/util/encoding.h"
#include "shared/util/strings.h"
#include "shared/util/time.h"

namespace maxio::auth {

bool constant_time_equal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::optional<Credentials> StaticCredentialProvider::find(std::string_view access_key) const {
  if (root_.access_key.empty() || !constant_time_equal(access_key, root_.access_key)) {
    return std::nullopt;
  }
  return root_;
}

namespace {

using sigv4::HeaderList;
using sigv4::QueryList;

constexpr int64_t kMaxPresignExpires = 604800;

// ---- Request helpers -------------------------------------------------------------------

std::optional<std::string_view> header(const HttpRequest& request, std::string_view name) {
  for (const auto& [field, value] : request.headers.fields()) {
    if (iequals(field, name)) return std::string_view(value);
  }
  return std::nullopt;
}

const std::string* query_value(const QueryList& query, std::string_view name) {
  for (const auto& [key, value] : query) {
    if (key == name) return &value;
  }
  return nullptr;
}

bool is_hex_sha256(std::string_view s) {
  return s.size() == 64 && std::all_of(s.begin(), s.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
         });
}

std::optional<int64_t> parse_int(std::string_view s) {
  if (s.empty() || s.size() > 18) return std::nullopt;
  bool negative = s[0] == '-';
  if (negative) s.remove_prefix(1);
  if (s.empty()) return std::nullopt;
  int64_t value = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return negative ? -value : value;
}

std::chrono::seconds abs_seconds(std::chrono::system_clock::duration d) {
  auto s = std::chrono::duration_cast<std::chrono::seconds>(d);
  return s.count() < 0 ? -s : s;
}

// HTTP dates as SigV2 clients send them: RFC 1123 with "GMT" or the numeric "+0000" zone.
Result<Timestamp> parse_request_date(std::string_view text) {
  auto parsed = parse_http_date(text);
  constexpr std::string_view kNumericUtc = " +0000";
  if (!parsed.is_ok() && text.size() > kNumericUtc.size() &&
      text.substr(text.size() - kNumericUtc.size()) == kNumericUtc) {
    std::string gmt(text.substr(0, text.size() - kNumericUtc.size()));
    return parse_http_date(gmt + " GMT");
  }
  return parsed;
}

Status skew_error() {
  return Status(ErrorCode::kRequestTimeTooSkewed,
                "The difference between the request time and the server's time is too large.");
}

// ---- Payload ---------------------------------------------------------------------------

// How the body is framed and what it must match; built from the request headers.
struct PayloadPlan {
  enum class Framing { kRaw, kSignedChunks, kUnsignedChunks } framing = Framing::kRaw;
  bool trailer = false;
  PayloadExpectations expect;
  std::optional<uint64_t> content_length;
};

// Reads Content-MD5, x-amz-checksum-* and x-amz-trailer into `plan`.
Status add_integrity_headers(const HttpRequest& request, PayloadPlan& plan) {
  if (auto md5 = header(request, "content-md5")) {
    auto raw = base64_decode(trim(*md5));
    if (!raw.is_ok() || raw->size() != 16) {
      return Status(ErrorCode::kInvalidDigest, "The Content-MD5 you specified is not valid.");
    }
    plan.expect.content_md5 = std::move(raw).value();
  }
  static constexpr std::array<ChecksumAlgorithm, 5> kAlgorithms = {
      ChecksumAlgorithm::kCrc32, ChecksumAlgorithm::kCrc32c, ChecksumAlgorithm::kCrc64Nvme,
      ChecksumAlgorithm::kSha1, ChecksumAlgorithm::kSha256};
  static constexpr std::array<size_t, 5> kSizes = {4, 4, 8, 20, 32};
  for (size_t i = 0; i < kAlgorithms.size(); ++i) {
    auto value = header(request, checksum_header_name(kAlgorithms[i]));
    if (!value) continue;
    std::string text(trim(*value));
    auto raw = base64_decode(text);
    if (!raw.is_ok() || raw->size() != kSizes[i]) {
      return Status(ErrorCode::kInvalidChecksum,
                    "Value for " + checksum_header_name(kAlgorithms[i]) + " header is invalid.");
    }
    plan.expect.header_checksums.emplace_back(kAlgorithms[i], std::move(text));
  }
  if (plan.framing != PayloadPlan::Framing::kRaw) {
    if (auto names = header(request, "x-amz-trailer")) {
      for (const std::string& part : split(*names, ',')) {
        std::string name = to_lower(trim(part));
        if (name.empty()) continue;
        std::optional<ChecksumAlgorithm> found;
        for (ChecksumAlgorithm algorithm : kAlgorithms) {
          if (checksum_header_name(algorithm) == name) found = algorithm;
        }
        if (!found) {
          return Status(ErrorCode::kInvalidRequest,
                        "The value specified in the x-amz-trailer header is not supported");
        }
        plan.expect.trailer_checksums.push_back(*found);
      }
    }
  }
  return Status::ok();
}

// Plans the payload for `content_sha256` (the x-amz-content-sha256 value as signed, or "").
Result<PayloadPlan> plan_payload(const HttpRequest& request, std::string_view content_sha256) {
  PayloadPlan plan;
  plan.content_length = request.content_length;
  bool streaming = content_sha256 == sigv4::kStreamingPayload ||
                   content_sha256 == sigv4::kStreamingPayloadTrailer ||
                   content_sha256 == sigv4::kStreamingUnsignedTrailer;
  if (streaming) {
    plan.framing = content_sha256 == sigv4::kStreamingUnsignedTrailer
                       ? PayloadPlan::Framing::kUnsignedChunks
                       : PayloadPlan::Framing::kSignedChunks;
    plan.trailer = content_sha256 != sigv4::kStreamingPayload;
    auto decoded = header(request, "x-amz-decoded-content-length");
    if (!decoded) {
      return Status(ErrorCode::kMissingContentLength,
                    "You must provide the Content-Length HTTP header.");
    }
    auto length = parse_int(trim(*decoded));
    if (!length || *length < 0) {
      return Status(ErrorCode::kInvalidArgumentS3,
                    "x-amz-decoded-content-length must be a non-negative integer");
    }
    plan.content_length = static_cast<uint64_t>(*length);
  } else if (is_hex_sha256(content_sha256)) {
    plan.expect.sha256_hex = to_lower(content_sha256);
  }
  plan.expect.length = plan.content_length;
  MAXIO_RETURN_IF_ERROR(add_integrity_headers(request, plan));
  return plan;
}

// Builds the handler's body reader over `raw_body` following `plan`.
void attach_body(AuthResult& result, Reader& raw_body, PayloadPlan plan,
                 std::optional<ChunkSigning> signing) {
  std::unique_ptr<Reader> source = std::make_unique<BorrowedReader>(raw_body);
  const AwsChunkedReader* chunked = nullptr;
  if (plan.framing != PayloadPlan::Framing::kRaw) {
    if (plan.framing == PayloadPlan::Framing::kUnsignedChunks) signing.reset();
    // Signed chunks are only planned for a verified SigV4 header, which supplies the chain;
    // without it the decoder would silently accept unsigned chunks.
    assert(plan.framing != PayloadPlan::Framing::kSignedChunks || signing.has_value());
    auto decoder =
        std::make_unique<AwsChunkedReader>(std::move(source), std::move(signing), plan.trailer);
    chunked = decoder.get();
    source = std::move(decoder);
  }
  result.content_length = plan.content_length;
  result.body =
      make_verifying_reader(std::move(source), chunked, std::move(plan.expect), result.checksums);
}

// ---- SigV4 -----------------------------------------------------------------------------

}  // namespace

namespace internal {

namespace {
// An empty configured region accepts any; "US" is the legacy name of us-east-1 that
// s3cmd and old SDKs still sign with (MinIO accepts it too).
bool region_matches(std::string_view requested, std::string_view configured) {
  auto canonical = [](std::string_view r) { return r == "US" ? std::string_view("us-east-1") : r; };
  return configured.empty() || canonical(requested) == canonical(configured);
}
}  // namespace

Result<V4Credential> parse_credential(std::string_view text, const AuthConfig& config,
                                      ErrorCode code, std::string_view prefix) {
  auto fail = [&](std::string_view what) {
    return Status(code, std::string(prefix) + std::string(what));
  };
  std::vector<std::string> parts = split(text, '/');
  if (parts.size() < 5) {
    return fail(
        "the Credential is mal-formed; expecting \"<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/"
        "aws4_request\".");
  }
  V4Credential cred;
  size_t n = parts.size();
  for (size_t i = 0; i + 4 < n; ++i) {
    if (i > 0) cred.access_key.push_back('/');
    cred.access_key.append(parts[i]);
  }
  cred.scope.date = parts[n - 4];
  cred.scope.region = parts[n - 3];
  cred.scope.service = parts[n - 2];
  if (cred.access_key.empty()) {
    return fail(
        "the Credential is mal-formed; expecting \"<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/"
        "aws4_request\".");
  }
  if (cred.scope.date.size() != 8 || !parse_amz_date(cred.scope.date + "T000000Z").is_ok()) {
    return fail("Invalid credential date \"" + cred.scope.date + "\".");
  }
  if (!region_matches(cred.scope.region, config.region)) {
    return fail("the region '" + cred.scope.region + "' is wrong; expecting '" + config.region +
                "'");
  }
  if (cred.scope.service != "s3") {
    return fail("incorrect service \"" + cred.scope.service +
                "\". This endpoint belongs to \"s3\".");
  }
  if (parts[n - 1] != sigv4::kTerminator) {
    return fail("incorrect terminal \"" + parts[n - 1] +
                "\". This endpoint uses \"aws4_request\".");
  }
  return cred;
}

Result<Credentials> lookup(const AuthConfig& config, std::string_view access_key) {
  std::optional<Credentials> creds;
  if (config.credentials != nullptr) creds = config.credentials->find(access_key);
  if (!creds) {
    return Status(ErrorCode::kInvalidAccessKeyId,
                  "The Access Key Id you provided does not exist in our records.");
  }
  return *creds;
}

}  // namespace internal

namespace {

using internal::lookup;
using internal::parse_credential;
using internal::V4Credential;

// Lower-cased, sorted signed header names from "a;b;c"; empty names are an error.
std::optional<std::vector<std::string>> parse_signed_headers(std::string_view text) {
  if (text.empty()) return std::nullopt;
  std::vector<std::string> names = split(text, ';');
  for (const auto& name : names) {
    if (name.empty()) return std::nullopt;
  }
  return split(sigv4::signed_headers_string(names), ';');
}

// The header list used for canonical headers: Expect is restored when a proxy dropped it.
HeaderList canonical_header_source(const HttpRequest& request,
                                   const std::vector<std::string>& signed_names) {
  HeaderList headers = request.headers.fields();
  if (std::find(signed_names.begin(), signed_names.end(), "expect") != signed_names.end() &&
      !header(request, "expect")) {
    headers.emplace_back("expect", "100-continue");
  }
  return headers;
}

Result<std::string> canonical_path(const HttpRequest& request) {
  auto decoded = uri_decode(request.path);
  if (!decoded.is_ok()) {
    return Status(ErrorCode::kInvalidRequest, "The request path is not valid percent-encoding.");
  }
  return sigv4::canonical_uri(*decoded);
}

Status unsigned_headers() {
  return Status(ErrorCode::kAccessDenied,
                "There were headers present in the request which were not signed");
}

struct V4Signature {
  std::string signing_key;
  std::string signature;  // hex; the seed of aws-chunked chunk signatures
};

// Computes the SigV4 signature of `request` over `signed_query` and the signed headers
// `names`, and checks it against `given` in constant time.
Result<V4Signature> verify_v4_signature(const HttpRequest& request, const QueryList& signed_query,
                                        const std::vector<std::string>& names,
                                        const std::string& content_sha256,
                                        const Credentials& secret, const V4Credential& cred,
                                        const std::string& amz_date, std::string_view given) {
  MAXIO_TRY(std::string uri, canonical_path(request));
  HeaderList headers = canonical_header_source(request, names);
  std::string canonical =
      sigv4::canonical_request(request.method, uri, sigv4::canonical_query(signed_query),
                               sigv4::canonical_headers(headers, names),
                               sigv4::signed_headers_string(names), content_sha256);
  V4Signature out;
  out.signing_key = sigv4::signing_key(secret.secret_key, cred.scope);
  out.signature =
      sigv4::signature(out.signing_key, sigv4::string_to_sign(amz_date, cred.scope, canonical));
  if (!constant_time_equal(out.signature, to_lower(given)))
    return Status(ErrorCode::kSignatureDoesNotMatch);
  return out;
}

Result<AuthResult> authenticate_v4_header(const HttpRequest& request, std::string_view auth,
                                          Reader& raw_body, const AuthConfig& config,
                                          std::chrono::system_clock::time_point now) {
  constexpr std::string_view kPrefix = "The authorization header is malformed; ";
  auto malformed = [&](std::string_view what) {
    return Status(ErrorCode::kAuthorizationHeaderMalformed,
                  std::string(kPrefix) + std::string(what));
  };
  std::string_view rest = auth.substr(sigv4::kAlgorithm.size());
  if (rest.empty() || (rest[0] != ' ' && rest[0] != '\t')) {
    return Status(ErrorCode::kUnsupportedSignature,
                  "The authorization mechanism you have provided is not supported. Please use "
                  "AWS4-HMAC-SHA256.");
  }
  std::string compact;
  for (char c : rest) {
    if (c != ' ' && c != '\t') compact.push_back(c);
  }
  std::optional<std::string> credential, signed_headers, given_signature;
  for (const std::string& part : split(compact, ',')) {
    auto take = [&](std::string_view tag, std::optional<std::string>& slot) {
      if (!part.starts_with(tag)) return false;
      if (!slot)
        slot = part.substr(tag.size());
      else
        slot = "";  // repeated: treated as malformed below
      return true;
    };
    if (!take("Credential=", credential) && !take("SignedHeaders=", signed_headers) &&
        !take("Signature=", given_signature)) {
      return malformed(
          "the authorization header requires three components: Credential, "
          "SignedHeaders, and Signature.");
    }
  }
  if (!credential || !signed_headers || !given_signature || given_signature->empty()) {
    return malformed(
        "the authorization header requires three components: Credential, "
        "SignedHeaders, and Signature.");
  }
  MAXIO_TRY(V4Credential cred, parse_credential(*credential, config,
                                                ErrorCode::kAuthorizationHeaderMalformed, kPrefix));
  auto names = parse_signed_headers(*signed_headers);
  if (!names) return malformed("the SignedHeaders component is empty or malformed.");
  MAXIO_TRY(Credentials secret, lookup(config, cred.access_key));

  std::optional<Timestamp> time;
  if (auto amz_date = header(request, "x-amz-date")) {
    auto parsed = parse_amz_date(trim(*amz_date));
    if (!parsed.is_ok()) {
      return Status(ErrorCode::kAccessDenied,
                    "AWS authentication requires a valid Date or x-amz-date header");
    }
    time = *parsed;
  } else if (auto date = header(request, "date")) {
    auto parsed = parse_request_date(trim(*date));
    if (!parsed.is_ok()) {
      return Status(ErrorCode::kAccessDenied,
                    "AWS authentication requires a valid Date or x-amz-date header");
    }
    time = *parsed;
  } else {
    return Status(ErrorCode::kMissingDateHeader,
                  "AWS authentication requires a valid Date or x-amz-date header");
  }
  std::string amz_date = format_amz_date(*time);
  if (cred.scope.date != amz_date.substr(0, 8)) {
    return malformed("Invalid credential date \"" + cred.scope.date +
                     "\". This date is not the same as X-Amz-Date: \"" + amz_date.substr(0, 8) +
                     "\".");
  }
  if (abs_seconds(now - *time) > config.max_clock_skew) return skew_error();
  if (std::find(names->begin(), names->end(), "host") == names->end()) return unsigned_headers();

  std::string content_sha256;
  if (auto value = header(request, "x-amz-content-sha256")) {
    content_sha256 = std::string(trim(*value));
    bool known = is_hex_sha256(content_sha256) || content_sha256 == sigv4::kUnsignedPayload ||
                 content_sha256 == sigv4::kStreamingPayload ||
                 content_sha256 == sigv4::kStreamingPayloadTrailer ||
                 content_sha256 == sigv4::kStreamingUnsignedTrailer;
    if (!known) {
      return Status(ErrorCode::kInvalidContentSha256,
                    "x-amz-content-sha256 must be UNSIGNED-PAYLOAD, "
                    "STREAMING-AWS4-HMAC-SHA256-PAYLOAD or a valid sha256 value.");
    }
  } else {
    bool has_body = request.chunked || (request.content_length && *request.content_length > 0);
    if (has_body) {
      return Status(ErrorCode::kInvalidRequest,
                    "Missing required header for this request: x-amz-content-sha256");
    }
    content_sha256 = std::string(sigv4::kEmptySha256);
  }

  auto query = sigv4::parse_raw_query(request.raw_query);
  if (!query.is_ok()) {
    return Status(ErrorCode::kInvalidRequest, "The query string is not valid percent-encoding.");
  }
  MAXIO_TRY(V4Signature signed_, verify_v4_signature(request, *query, *names, content_sha256,
                                                     secret, cred, amz_date, *given_signature));

  MAXIO_TRY(PayloadPlan plan, plan_payload(request, content_sha256));
  AuthResult result;
  result.type = AuthType::kSigV4Header;
  result.access_key = cred.access_key;
  attach_body(result, raw_body, std::move(plan),
              ChunkSigning{std::move(signed_.signing_key), amz_date, cred.scope,
                           std::move(signed_.signature)});
  return result;
}

Result<AuthResult> authenticate_v4_presigned(const HttpRequest& request, const QueryList& query,
                                             Reader& raw_body, const AuthConfig& config,
                                             std::chrono::system_clock::time_point now) {
  auto error = [](std::string message) {
    return Status(ErrorCode::kAuthorizationQueryParametersError, std::move(message));
  };
  const std::string* algorithm = query_value(query, "X-Amz-Algorithm");
  const std::string* credential = query_value(query, "X-Amz-Credential");
  const std::string* given_signature = query_value(query, "X-Amz-Signature");
  const std::string* date = query_value(query, "X-Amz-Date");
  const std::string* signed_headers = query_value(query, "X-Amz-SignedHeaders");
  const std::string* expires = query_value(query, "X-Amz-Expires");
  if (!algorithm || !credential || !given_signature || !date || !signed_headers || !expires) {
    return error(
        "Query-string authentication version 4 requires the X-Amz-Algorithm, "
        "X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and "
        "X-Amz-Expires parameters.");
  }
  if (*algorithm != sigv4::kAlgorithm) {
    return error("X-Amz-Algorithm only supports \"AWS4-HMAC-SHA256\"");
  }
  MAXIO_TRY(V4Credential cred,
            parse_credential(*credential, config, ErrorCode::kAuthorizationQueryParametersError,
                             "Error parsing the X-Amz-Credential parameter; "));
  auto time = parse_amz_date(*date);
  if (!time.is_ok()) {
    return error("X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\"");
  }
  auto seconds = parse_int(*expires);
  if (!seconds) return error("X-Amz-Expires should be a number");
  if (*seconds < 0) return error("X-Amz-Expires must be non-negative");
  if (*seconds > kMaxPresignExpires) {
    return error("X-Amz-Expires must be less than a week (in seconds) that is 604800");
  }
  auto names = parse_signed_headers(*signed_headers);
  if (!names) return error("X-Amz-SignedHeaders is malformed");
  std::string amz_date = format_amz_date(*time);
  if (cred.scope.date != amz_date.substr(0, 8)) {
    return error("Error parsing the X-Amz-Credential parameter; Invalid credential date \"" +
                 cred.scope.date + "\". This date is not the same as X-Amz-Date: \"" +
                 amz_date.substr(0, 8) + "\".");
  }
  MAXIO_TRY(Credentials secret, lookup(config, cred.access_key));
  if (*time - now > config.max_clock_skew) {
    return Status(ErrorCode::kAccessDenied, "Request is not valid yet");
  }
  if (now > *time + std::chrono::seconds(*seconds)) {
    return Status(ErrorCode::kExpiredPresignRequest, "Request has expired");
  }
  if (std::find(names->begin(), names->end(), "host") == names->end()) return unsigned_headers();
  // The holder of a presigned URL is not its signer: an x-amz-* header outside the signature
  // (x-amz-copy-source, x-amz-meta-*, ...) would change the operation it authorizes.
  for (const auto& [field, value] : request.headers.fields()) {
    std::string name = to_lower(field);
    if (name.starts_with("x-amz-") &&
        std::find(names->begin(), names->end(), name) == names->end()) {
      return unsigned_headers();
    }
  }

  std::string content_sha256(sigv4::kUnsignedPayload);
  if (const std::string* value = query_value(query, "X-Amz-Content-Sha256")) {
    content_sha256 = *value;
    if (!is_hex_sha256(content_sha256) && content_sha256 != sigv4::kUnsignedPayload) {
      return Status(ErrorCode::kInvalidContentSha256,
                    "X-Amz-Content-Sha256 must be UNSIGNED-PAYLOAD or a valid sha256 value.");
    }
  }
  QueryList signed_query;
  for (const auto& entry : query) {
    if (entry.first != "X-Amz-Signature") signed_query.push_back(entry);
  }
  MAXIO_TRY(V4Signature signed_, verify_v4_signature(request, signed_query, *names, content_sha256,
                                                     secret, cred, amz_date, *given_signature));
  MAXIO_TRY(PayloadPlan plan, plan_payload(request, content_sha256));
  AuthResult result;
  result.type = AuthType::kSigV4Presigned;
  result.access_key = cred.access_key;
  attach_body(result, raw_body, std::move(plan), std::nullopt);
  return result;
}

// ---- SigV2 -----------------------------------------------------------------------------

// Query parameters that belong to the SigV2 CanonicalizedResource.
constexpr std::array<std::string_view, 33> kSubResources = {
    "acl",
    "cors",
    "delete",
    "encryption",
    "legal-hold",
    "lifecycle",
    "location",
    "logging",
    "notification",
    "object-lock",
    "partNumber",
    "policy",
    "replication",
    "requestPayment",
    "response-cache-control",
    "response-content-disposition",
    "response-content-encoding",
    "response-content-language",
    "response-content-type",
    "response-expires",
    "restore",
    "retention",
    "select",
    "select-type",
    "tagging",
    "torrent",
    "uploadId",
    "uploads",
    "versionId",
    "versioning",
    "versions",
    "website",
    "attributes",
};

// "?acl&versionId=1": the sub-resources of `query` as SigV2 signs them, sorted by name.
std::string v2_sub_resources(const QueryList& query, bool with_list_type) {
  std::vector<std::pair<std::string, std::string>> sub;
  for (const auto& [name, value] : query) {
    if (std::find(kSubResources.begin(), kSubResources.end(), name) != kSubResources.end() ||
        (with_list_type && name == "list-type")) {
      sub.emplace_back(name, value);
    }
  }
  std::stable_sort(sub.begin(), sub.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::string out;
  for (size_t i = 0; i < sub.size(); ++i) {
    out.push_back(i == 0 ? '?' : '&');
    out.append(sub[i].first);
    if (!sub[i].second.empty()) out.append("=").append(sub[i].second);
  }
  return out;
}

std::string v2_string_to_sign(const HttpRequest& request, std::string_view date_or_expires,
                              std::string_view canonical_resource) {
  std::string out = request.method + "\n";
  out.append(trim(header(request, "content-md5").value_or(""))).push_back('\n');
  out.append(trim(header(request, "content-type").value_or(""))).push_back('\n');
  out.append(date_or_expires).push_back('\n');
  std::map<std::string, std::string> amz;
  for (const auto& [name, value] : request.headers.fields()) {
    std::string lower = to_lower(name);
    if (!lower.starts_with("x-amz-")) continue;
    std::string& slot = amz[lower];
    if (!slot.empty()) slot.push_back(',');
    slot.append(trim(value));
  }
  for (const auto& [name, value] : amz) out.append(name).append(":").append(value).append("\n");
  out.append(canonical_resource);
  return out;
}

Status v2_signature_check(std::string_view secret, const HttpRequest& request,
                          const QueryList& query, std::string_view date_or_expires,
                          std::string_view given) {
  const std::string sub_resources = v2_sub_resources(query, false);
  std::vector<std::string> resources = {request.path + sub_resources};
  // botocore signs a bucket's resource as "/bucket/" while it sends "/bucket", and
  // botocore before 1.31 signs ListObjectsV2's "list-type=2" as a sub-resource: a bare
  // bucket path is accepted in each of those forms.
  if (request.path.size() > 1 && request.path.find('/', 1) == std::string::npos) {
    resources.push_back(request.path + "/" + sub_resources);
    std::string with_list_type = v2_sub_resources(query, true);
    if (with_list_type != sub_resources) resources.push_back(request.path + with_list_type);
  }
  for (const std::string& resource : resources) {
    std::string expected =
        base64_encode(hmac_sha1(secret, v2_string_to_sign(request, date_or_expires, resource)));
    if (constant_time_equal(expected, given)) return Status::ok();
  }
  return Status(ErrorCode::kSignatureDoesNotMatch);
}

Result<AuthResult> authenticate_v2_header(const HttpRequest& request, std::string_view auth,
                                          const QueryList& query, Reader& raw_body,
                                          const AuthConfig& config,
                                          std::chrono::system_clock::time_point now) {
  std::string_view rest = trim(auth.substr(4));
  size_t colon = rest.rfind(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == rest.size()) {
    return Status(ErrorCode::kAuthorizationHeaderMalformed,
                  "Authorization header is invalid -- expecting \"AWS AccessKeyId:Signature\"");
  }
  std::string_view access_key = rest.substr(0, colon);
  std::string_view given = rest.substr(colon + 1);
  MAXIO_TRY(Credentials secret, lookup(config, access_key));
  std::string date_line;
  std::optional<Timestamp> time;
  if (auto amz_date = header(request, "x-amz-date")) {
    auto parsed = parse_request_date(trim(*amz_date));
    if (parsed.is_ok()) time = *parsed;
  } else if (auto date = header(request, "date")) {
    date_line = std::string(trim(*date));
    auto parsed = parse_request_date(date_line);
    if (parsed.is_ok()) time = *parsed;
  }
  if (!time) {
    return Status(ErrorCode::kAccessDenied,
                  "AWS authentication requires a valid Date or x-amz-date header");
  }
  if (abs_seconds(now - *time) > config.max_clock_skew) return skew_error();
  MAXIO_RETURN_IF_ERROR(v2_signature_check(secret.secret_key, request, query, date_line, given));
  MAXIO_TRY(PayloadPlan plan, plan_payload(request, ""));
  AuthResult result;
  result.type = AuthType::kSigV2Header;
  result.access_key = std::string(access_key);
  attach_body(result, raw_body, std::move(plan), std::nullopt);
  return result;
}

Result<AuthResult> authenticate_v2_presigned(const HttpRequest& request, const QueryList& query,
                                             Reader& raw_body, const AuthConfig& config,
                                             std::chrono::system_clock::time_point now) {
  const std::string* access_key = query_value(query, "AWSAccessKeyId");
  const std::string* given = query_value(query, "Signature");
  const std::string* expires = query_value(query, "Expires");
  if (!access_key || !given || !expires) {
    return Status(ErrorCode::kAuthorizationQueryParametersError,
                  "Query-string authentication requires the AWSAccessKeyId, Expires and "
                  "Signature parameters.");
  }
  auto expiry = parse_int(*expires);
  if (!expiry || *expiry < 0) {
    return Status(ErrorCode::kAuthorizationQueryParametersError,
                  "Invalid date (should be seconds since epoch): " + *expires);
  }
  MAXIO_TRY(Credentials secret, lookup(config, *access_key));
  auto now_seconds = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch());
  if (now_seconds.count() > *expiry) {
    return Status(ErrorCode::kExpiredPresignRequest, "Request has expired");
  }
  MAXIO_RETURN_IF_ERROR(v2_signature_check(secret.secret_key, request, query, *expires, *given));
  MAXIO_TRY(PayloadPlan plan, plan_payload(request, ""));
  AuthResult result;
  result.type = AuthType::kSigV2Presigned;
  result.access_key = *access_key;
  attach_body(result, raw_body, std::move(plan), std::nullopt);
  return result;
}

}  // namespace

Result<AuthResult> authenticate(const HttpRequest& request, Reader& raw_body,
                                const AuthConfig& config,
                                std::chrono::system_clock::time_point now) {
  auto query = sigv4::parse_raw_query(request.raw_query);
  if (!query.is_ok()) {
    return Status(ErrorCode::kInvalidRequest, "The query string is not valid percent-encoding.");
  }
  std::optional<std::string_view> auth = header(request, "authorization");
  if (auth && !trim(*auth).empty()) {
    std::string_view value = trim(*auth);
    if (value.starts_with(sigv4::kAlgorithm)) {
      return authenticate_v4_header(request, value, raw_body, config, now);
    }
    if (value.starts_with("AWS ")) {
      return authenticate_v2_header(request, value, *query, raw_body, config, now);
    }
    return Status(ErrorCode::kUnsupportedSignature,
                  "The authorization mechanism you have provided is not supported. Please use "
                  "AWS4-HMAC-SHA256.");
  }
  if (query_value(*query, "X-Amz-Credential") || query_value(*query, "X-Amz-Algorithm")) {
    return authenticate_v4_presigned(request, *query, raw_body, config, now);
  }
  if (query_value(*query, "AWSAccessKeyId") || query_value(*query, "Signature")) {
    return authenticate_v2_presigned(request, *query, raw_body, config, now);
  }
  // Anonymous: no signature, but an unsigned aws-chunked body is still decoded and every
  // declared digest verified.
  std::string_view content_sha256 = trim(header(request, "x-amz-content-sha256").value_or(""));
  if (content_sha256 != sigv4::kStreamingUnsignedTrailer && !is_hex_sha256(content_sha256)) {
    content_sha256 = "";
  }
  MAXIO_TRY(PayloadPlan plan, plan_payload(request, content_sha256));
  AuthResult result;
  result.type = AuthType::kAnonymous;
  attach_body(result, raw_body, std::move(plan), std::nullopt);
  return result;
}

}  // namespace maxio::auth
