#pragma once
// Bucket CORS: the <CORSConfiguration> document (validated as AWS validates it) and the
// matching of a cross-origin request against its rules, for preflight OPTIONS requests and
// for the CORS headers of ordinary responses. Pure functions over immutable values;
// thread-safe.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "shared/util/status.h"

namespace maxio {

struct CorsRule {
  std::string id;
  std::vector<std::string> allowed_origins;  // each with at most one '*'
  std::vector<std::string> allowed_methods;  // GET, PUT, POST, DELETE, HEAD
  std::vector<std::string> allowed_headers;  // lower-case, each with at most one '*'
  std::vector<std::string> expose_headers;
  std::optional<int64_t> max_age_seconds;
};

struct CorsConfiguration {
  std::vector<CorsRule> rules;
};

// Parses and validates <CORSConfiguration><CORSRule>...</CORSRule>...</CORSConfiguration>.
// Errors: kMalformedXML (not XML, wrong root, no rule, a rule without AllowedOrigin or
// AllowedMethod, a MaxAgeSeconds that is not an integer), kInvalidRequest (more than 100
// rules, an unsupported method, more than one wildcard in an origin or header, an ID over
// 255 characters).
Result<CorsConfiguration> parse_cors(std::string_view xml);

// Whether `pattern` (at most one '*', matching any run of characters) matches `value`.
bool cors_wildcard_match(std::string_view pattern, std::string_view value);

// The first rule that allows `origin` to send `method` with `request_headers` (header
// names, any case), or nullptr.
const CorsRule* match_cors_rule(const CorsConfiguration& config, std::string_view origin,
                                std::string_view method,
                                const std::vector<std::string>& request_headers);

}  // namespace maxio
