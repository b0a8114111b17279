#pragma once
// Conditional requests as S3 evaluates them: If-Match, If-Unmodified-Since, If-None-Match,
// If-Modified-Since for GetObject/HeadObject, and the x-amz-copy-source-if-* family for
// CopyObject. Pure functions; thread-safe.

#include <string_view>

#include "daemon/http/exchange.h"
#include "shared/util/status.h"
#include "shared/util/time.h"

namespace maxio::s3 {

enum class ConditionSet {
  kObject,      // If-Match, If-None-Match, If-Modified-Since, If-Unmodified-Since
  kCopySource,  // x-amz-copy-source-if-*; every failure is 412
};

// Evaluates the conditional headers against an object with `etag` (unquoted) and
// `mod_time`, in AWS's order: If-Match (412), If-Unmodified-Since (412, skipped when
// If-Match held), If-None-Match (304), If-Modified-Since (304, skipped when If-None-Match
// is present). Dates that do not parse are ignored. Returns ok, kPreconditionFailed or
// kNotModified (kPreconditionFailed for kCopySource).
Status evaluate_conditions(const HttpHeaders& headers, std::string_view etag, Timestamp mod_time,
                           ConditionSet set);

// True when an If-Match / If-None-Match value ("*", "\"abc\"", "a, \"b\"", W/"c") names
// `etag`.
bool etag_list_matches(std::string_view header, std::string_view etag);

// An ETag with surrounding quotes removed.
std::string_view unquote_etag(std::string_view etag);

}  // namespace maxio::s3
