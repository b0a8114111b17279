#pragma once
// Pieces of SigV4/SigV2 verification shared by authenticate() and the POST policy reader:
// the credential scope parser and the access key lookup. Internal to daemon/auth.
// Pure functions; thread-safe.

#include <string>
#include <string_view>

#include "daemon/auth/auth.h"
#include "shared/sigv4/signer.h"

namespace maxio::auth::internal {

struct V4Credential {
  std::string access_key;
  sigv4::Scope scope;
};

// Parses "AK/yyyymmdd/region/s3/aws4_request" (the access key may contain '/'); checks the
// date, the region against config.region (any when empty), the service and the terminator.
// Errors carry `code` and a message starting with `prefix`, worded as AWS words them.
Result<V4Credential> parse_credential(std::string_view text, const AuthConfig& config,
                                      ErrorCode code, std::string_view prefix);

// The credentials of `access_key`, or kInvalidAccessKeyId.
Result<Credentials> lookup(const AuthConfig& config, std::string_view access_key);

}  // namespace maxio::auth::internal
