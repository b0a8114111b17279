#pragma once
// Request authentication for the S3 API: decides who sent a request and wraps the request
// body in a Reader that verifies the payload as it streams (x-amz-content-sha256, aws-chunked
// chunk signatures, trailing and header x-amz-checksum-* values). Supports SigV4 (header,
// presigned, STREAMING-AWS4-HMAC-SHA256-PAYLOAD[-TRAILER], STREAMING-UNSIGNED-PAYLOAD-TRAILER,
// UNSIGNED-PAYLOAD), SigV2 (header and presigned) and anonymous requests.
// Browser POST policy uploads are in daemon/auth/post_policy.h.
// Stateless functions; the CredentialProvider must be thread-safe.

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "daemon/http/exchange.h"
#include "shared/util/io.h"
#include "shared/util/status.h"

namespace maxio::auth {

struct Credentials {
  std::string access_key;
  std::string secret_key;
};

// Looks up the secret for an access key. Root only today; IAM users later.
class CredentialProvider {
 public:
  virtual ~CredentialProvider() = default;
  virtual std::optional<Credentials> find(std::string_view access_key) const = 0;
};

class StaticCredentialProvider final : public CredentialProvider {
 public:
  explicit StaticCredentialProvider(Credentials root) : root_(std::move(root)) {}
  std::optional<Credentials> find(std::string_view access_key) const override;

 private:
  Credentials root_;
};

struct AuthConfig {
  std::string region = "us-east-1";
  const CredentialProvider* credentials = nullptr;  // never null in a running server
  std::chrono::seconds max_clock_skew{15 * 60};
};

enum class AuthType {
  kAnonymous,
  kSigV4Header,
  kSigV4Presigned,
  kSigV2Header,
  kSigV2Presigned,
  kPostPolicy,
};

// Checksums of the payload computed while it streamed, filled in when the body reader
// reached its end. Keys are the header names ("x-amz-checksum-crc32"), values base64.
struct PayloadChecksums {
  std::map<std::string, std::string> values;
};

struct AuthResult {
  AuthType type = AuthType::kAnonymous;
  std::string access_key;  // empty when anonymous
  // The payload as the handler must read it: de-chunked from aws-chunked, verified as it
  // streams. Reading it to the end fails with kXAmzContentSHA256Mismatch,
  // kSignatureDoesNotMatch (a chunk), kXAmzContentChecksumMismatch / kBadDigest (a checksum)
  // or kIncompleteBody when the payload does not match what was signed or declared.
  std::unique_ptr<Reader> body;
  // Length of the decoded payload when known (Content-Length, or
  // x-amz-decoded-content-length for aws-chunked).
  std::optional<uint64_t> content_length;
  // Filled when `body` has been read to its end.
  std::shared_ptr<PayloadChecksums> checksums = std::make_shared<PayloadChecksums>();
};

// Authenticates `request`. `raw_body` is the HTTP body (already de-chunked from HTTP
// Transfer-Encoding) and must outlive the returned body reader. `now` is the server clock.
// Errors: kSignatureDoesNotMatch, kInvalidAccessKeyId, kRequestTimeTooSkewed,
// kAccessDenied / kExpiredPresignRequest, kAuthorizationHeaderMalformed,
// kAuthorizationQueryParametersError, kMissingDateHeader, kUnsupportedSignature,
// kInvalidContentSha256, kMissingContentLength.
Result<AuthResult> authenticate(const HttpRequest& request, Reader& raw_body,
                                const AuthConfig& config,
                                std::chrono::system_clock::time_point now);

// True when two secrets/signatures are equal, in time independent of where they differ.
bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace maxio::auth
