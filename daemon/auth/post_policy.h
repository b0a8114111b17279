#pragma once
// Browser-based uploads (S3 POST Object with a POST policy): parses the multipart/form-data
// body as it streams, verifies the policy's signature (SigV4 or SigV2), its expiration and
// conditions, and hands the file part to the caller as a bounded-memory Reader.
// Stateless; the returned reader is driven by one thread at a time.

#include <chrono>
#include <map>
#include <memory>
#include <string>

#include "daemon/auth/auth.h"
#include "daemon/http/exchange.h"
#include "shared/util/io.h"
#include "shared/util/status.h"

namespace maxio::auth {

struct PostPolicyUpload {
  // Form fields before the file part: names lower-cased, values as sent.
  std::map<std::string, std::string> fields;
  std::string key;  // the "key" field with ${filename} substituted
  std::string access_key;
  std::string filename;
  // The file part's bytes; ends at the closing boundary. Enforces the policy's
  // content-length-range at the end (kEntityTooLarge as soon as the maximum is passed,
  // kEntityTooSmall at the end), and fails with kMalformedPOSTRequest when the body ends
  // before the boundary. Reads from the `body` given to read_post_policy_upload, which must
  // outlive it.
  std::unique_ptr<Reader> file;
};

// Reads the form fields of a POST upload to `bucket` up to the "file" part and verifies
// them. Errors: kMalformedPOSTRequest (not multipart/form-data, truncated, no key or file),
// kInvalidPolicyDocument (policy not base64 JSON, unknown condition),
// kPostPolicyConditionFailed (expired or a condition not met), kAccessDenied (no
// signature), kSignatureDoesNotMatch, kInvalidAccessKeyId, kAuthorizationHeaderMalformed
// (a bad V4 credential scope or region).
Result<PostPolicyUpload> read_post_policy_upload(const HttpRequest& request, Reader& body,
                                                 const std::string& bucket,
                                                 const AuthConfig& config,
                                                 std::chrono::system_clock::time_point now);

}  // namespace maxio::auth
