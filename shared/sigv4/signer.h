#pragma once
// AWS Signature Version 4 (AWS4-HMAC-SHA256) building blocks shared by the server's request
// verifier (daemon/auth) and our S3 client: canonical request pieces, string to sign,
// signing key, signature, and client-side header signing and URL presigning.
// Pure functions over values; thread-safe.

#include <chrono>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "shared/util/status.h"

namespace maxio::sigv4 {

inline constexpr std::string_view kAlgorithm = "AWS4-HMAC-SHA256";
inline constexpr std::string_view kTerminator = "aws4_request";
inline constexpr std::string_view kUnsignedPayload = "UNSIGNED-PAYLOAD";
inline constexpr std::string_view kStreamingPayload = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD";
inline constexpr std::string_view kStreamingPayloadTrailer =
    "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER";
inline constexpr std::string_view kStreamingUnsignedTrailer = "STREAMING-UNSIGNED-PAYLOAD-TRAILER";
inline constexpr std::string_view kEmptySha256 =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

// Header fields in arrival order (names in any case).
using HeaderList = std::vector<std::pair<std::string, std::string>>;
// Decoded query parameters in arrival order.
using QueryList = std::vector<std::pair<std::string, std::string>>;

// The credential scope "<yyyymmdd>/<region>/<service>/aws4_request".
struct Scope {
  std::string date;  // yyyymmdd
  std::string region;
  std::string service;
  std::string to_string() const;
};

// S3 canonical URI: the unencoded `path` URI-encoded once with '/' kept; "" becomes "/".
std::string canonical_uri(std::string_view path);

// Splits a raw (percent-encoded) query into decoded pairs; "acl" gives {"acl", ""}, empty
// segments are skipped, '+' stays '+'. kInvalidArgument on a malformed escape.
Result<QueryList> parse_raw_query(std::string_view raw_query);

// Canonical query string: every name and value URI-encoded ('/' encoded too), sorted by
// name then value, joined as "a=1&b=2".
std::string canonical_query(const QueryList& query);

// Lower-cased, sorted, de-duplicated names joined by ';' ("host;x-amz-date").
std::string signed_headers_string(std::vector<std::string> names);

// Canonical headers for the `signed_names` (lower-case, sorted): "name:value\n" per name,
// values of repeated fields joined by ',' in arrival order, each with spaces collapsed.
// A name absent from `headers` gets an empty value.
std::string canonical_headers(const HeaderList& headers,
                              const std::vector<std::string>& signed_names);

// The canonical request: method, URI, query, headers, signed headers, payload hash.
std::string canonical_request(std::string_view method, std::string_view canonical_uri,
                              std::string_view canonical_query, std::string_view canonical_headers,
                              std::string_view signed_headers, std::string_view payload_hash);

// "AWS4-HMAC-SHA256\n<amz_date>\n<scope>\n<hex sha256 of canonical_request>".
std::string string_to_sign(std::string_view amz_date, const Scope& scope,
                           std::string_view canonical_request);

// The derived signing key (32 raw bytes) for `secret_key` and `scope`.
std::string signing_key(std::string_view secret_key, const Scope& scope);

// The lower-case hex HMAC-SHA256 of `string_to_sign` under `key`.
std::string signature(std::string_view key, std::string_view string_to_sign);

// The signature of one aws-chunked chunk (STREAMING-AWS4-HMAC-SHA256-PAYLOAD), chained from
// `previous_signature` (the seed signature for the first chunk); `chunk_sha256_hex` is the
// hex SHA-256 of the chunk's data.
std::string chunk_signature(std::string_view key, std::string_view amz_date, const Scope& scope,
                            std::string_view previous_signature, std::string_view chunk_sha256_hex);

// The signature of the trailer block of STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER, chained
// from the final (empty) chunk's signature; `canonical_trailers` is "name:value\n"... .
std::string trailer_signature(std::string_view key, std::string_view amz_date, const Scope& scope,
                              std::string_view previous_signature,
                              std::string_view canonical_trailers);

struct SigningParams {
  std::string access_key;
  std::string secret_key;
  std::string region = "us-east-1";
  std::string service = "s3";
  std::chrono::system_clock::time_point time;
  // Adds X-Amz-Content-Sha256 (S3 requires it; the generic AWS test suite does not).
  bool add_content_sha256 = true;
};

// Signs a request for sending: adds X-Amz-Date (and X-Amz-Content-Sha256 when asked), then
// an Authorization header signing every field present except Authorization and User-Agent.
// `headers` must contain Host. `path` is unencoded; `raw_query` is encoded as it will be
// sent. `payload_hash` is the hex SHA-256 of the body, UNSIGNED-PAYLOAD or a STREAMING-*
// value. Returns the signature (the seed signature for aws-chunked bodies).
std::string sign_request(std::string_view method, std::string_view path, std::string_view raw_query,
                         std::string_view payload_hash, const SigningParams& params,
                         HeaderList& headers);

// A presigned URL "<endpoint><encoded path>?<query>" valid for `expires` (at most 7 days)
// from params.time, signing only the host header and UNSIGNED-PAYLOAD. `endpoint` is
// "scheme://host[:port]" with no trailing slash; `path` is unencoded; `raw_query` holds
// extra encoded parameters ("" if none).
std::string presign_url(std::string_view method, std::string_view endpoint, std::string_view path,
                        std::string_view raw_query, std::chrono::seconds expires,
                        const SigningParams& params);

}  // namespace maxio::sigv4
