// S3Error <-> Status, and the S3 error codes a client meets mapped to maxio's ErrorCode.

#include "shared/s3/error.h"

#include <array>
#include <charconv>
#include <utility>

namespace maxio::s3client {

namespace {

constexpr std::string_view kHttpMarker = " (HTTP ";
constexpr std::string_view kRequestMarker = " [request ";
constexpr std::string_view kMessageMarker = "]: ";

// clang-format off
constexpr std::array<std::pair<std::string_view, ErrorCode>, 60> kCodes = {{
    {"AccessDenied", ErrorCode::kAccessDenied},
    {"AuthorizationHeaderMalformed", ErrorCode::kAuthorizationHeaderMalformed},
    {"AuthorizationQueryParametersError", ErrorCode::kAuthorizationQueryParametersError},
    {"BadDigest", ErrorCode::kBadDigest},
    {"BucketAlreadyExists", ErrorCode::kBucketAlreadyExists},
    {"BucketAlreadyOwnedByYou", ErrorCode::kBucketAlreadyOwnedByYou},
    {"BucketNotEmpty", ErrorCode::kBucketNotEmpty},
    {"EntityTooLarge", ErrorCode::kEntityTooLarge},
    {"EntityTooSmall", ErrorCode::kEntityTooSmall},
    {"ExpiredToken", ErrorCode::kAccessDenied},
    {"IncompleteBody", ErrorCode::kIncompleteBody},
    {"IncompleteSignature", ErrorCode::kIncompleteSignature},
    {"InternalError", ErrorCode::kInternal},
    {"InvalidAccessKeyId", ErrorCode::kInvalidAccessKeyId},
    {"InvalidArgument", ErrorCode::kInvalidArgumentS3},
    {"InvalidBucketName", ErrorCode::kInvalidBucketName},
    {"InvalidDigest", ErrorCode::kInvalidDigest},
    {"InvalidLocationConstraint", ErrorCode::kInvalidLocationConstraint},
    {"InvalidPart", ErrorCode::kInvalidRequest},
    {"InvalidPartNumber", ErrorCode::kInvalidPartNumber},
    {"InvalidPartOrder", ErrorCode::kInvalidRequest},
    {"InvalidPolicyDocument", ErrorCode::kInvalidPolicyDocument},
    {"InvalidRange", ErrorCode::kInvalidRange},
    {"InvalidRequest", ErrorCode::kInvalidRequest},
    {"InvalidStorageClass", ErrorCode::kInvalidStorageClass},
    {"InvalidToken", ErrorCode::kAccessDenied},
    {"KeyTooLongError", ErrorCode::kKeyTooLong},
    {"MalformedDate", ErrorCode::kMalformedDate},
    {"MalformedPOSTRequest", ErrorCode::kMalformedPOSTRequest},
    {"MalformedXML", ErrorCode::kMalformedXML},
    {"MaxMessageLengthExceeded", ErrorCode::kMaxMessageLengthExceeded},
    {"MetadataTooLarge", ErrorCode::kMetadataTooLarge},
    {"MethodNotAllowed", ErrorCode::kMethodNotAllowed},
    {"MissingContentLength", ErrorCode::kMissingContentLength},
    {"MissingFields", ErrorCode::kMissingFields},
    {"MissingRequestBodyError", ErrorCode::kMissingRequestBodyError},
    {"MissingSecurityHeader", ErrorCode::kMissingSecurityHeader},
    {"NoSuchBucket", ErrorCode::kNoSuchBucket},
    {"NoSuchKey", ErrorCode::kNoSuchKey},
    {"NoSuchUpload", ErrorCode::kNoSuchUpload},
    {"NoSuchVersion", ErrorCode::kNoSuchVersion},
    {"NotImplemented", ErrorCode::kNotImplemented},
    {"NotModified", ErrorCode::kNotModified},
    {"PreconditionFailed", ErrorCode::kPreconditionFailed},
    {"RequestHeaderSectionTooLarge", ErrorCode::kRequestHeaderSectionTooLarge},
    {"RequestTimeTooSkewed", ErrorCode::kRequestTimeTooSkewed},
    {"RequestTimeout", ErrorCode::kRequestTimeout},
    {"ServiceUnavailable", ErrorCode::kServiceUnavailable},
    {"SignatureDoesNotMatch", ErrorCode::kSignatureDoesNotMatch},
    {"SlowDown", ErrorCode::kSlowDown},
    {"SlowDownRead", ErrorCode::kSlowDown},
    {"SlowDownWrite", ErrorCode::kSlowDown},
    {"XAmzContentChecksumMismatch", ErrorCode::kXAmzContentChecksumMismatch},
    {"XAmzContentSHA256Mismatch", ErrorCode::kXAmzContentSHA256Mismatch},
    {"XMinioInvalidObjectName", ErrorCode::kInvalidObjectName},
    {"XMinioObjectExistsAsDirectory", ErrorCode::kIsNotRegular},
    {"XMinioServerNotInitialized", ErrorCode::kServiceUnavailable},
    {"XMinioStorageFull", ErrorCode::kDriveFull},
    {"NotFound", ErrorCode::kNoSuchKey},
    {"Forbidden", ErrorCode::kAccessDenied},
}};
// clang-format on

}  // namespace

ErrorCode error_code_for(std::string_view s3_code, int http_status) {
  for (const auto& [name, code] : kCodes) {
    if (name == s3_code) return code;
  }
  switch (http_status) {
    case 304:
      return ErrorCode::kNotModified;
    case 401:
    case 403:
      return ErrorCode::kAccessDenied;
    case 404:
      return ErrorCode::kNoSuchKey;
    case 405:
      return ErrorCode::kMethodNotAllowed;
    case 411:
      return ErrorCode::kMissingContentLength;
    case 412:
      return ErrorCode::kPreconditionFailed;
    case 416:
      return ErrorCode::kInvalidRange;
    case 501:
      return ErrorCode::kNotImplemented;
    case 503:
      return ErrorCode::kServiceUnavailable;
    default:
      return http_status >= 500 ? ErrorCode::kInternal : ErrorCode::kInvalidRequest;
  }
}

Status S3Error::to_status() const {
  std::string text = code;
  text.append(kHttpMarker).append(std::to_string(http_status)).append(") ");
  text.append(request).append(kRequestMarker).append(request_id).append(kMessageMarker);
  text.append(message);
  return Status(error_code_for(code, http_status), std::move(text));
}

std::optional<S3Error> S3Error::from_status(const Status& status) {
  // The fields before the message hold no "]: " (codes are words, requests are
  // percent-encoded targets, request ids hex), so the first occurrence ends them.
  std::string_view text = status.message();
  S3Error error;
  size_t http = text.find(kHttpMarker);
  if (status.is_ok() || http == std::string_view::npos || http == 0) return std::nullopt;
  error.code = std::string(text.substr(0, http));
  if (error.code.find(' ') != std::string::npos) return std::nullopt;
  text.remove_prefix(http + kHttpMarker.size());
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), error.http_status);
  if (ec != std::errc() || !std::string_view(end, text.data() + text.size()).starts_with(") ")) {
    return std::nullopt;
  }
  text.remove_prefix(static_cast<size_t>(end - text.data()) + 2);
  size_t request_end = text.find(kRequestMarker);
  size_t id_end = text.find(kMessageMarker);
  if (request_end == std::string_view::npos || id_end == std::string_view::npos ||
      id_end < request_end) {
    return std::nullopt;
  }
  error.request = std::string(text.substr(0, request_end));
  size_t id_start = request_end + kRequestMarker.size();
  error.request_id = std::string(text.substr(id_start, id_end - id_start));
  error.message = std::string(text.substr(id_end + kMessageMarker.size()));
  return error;
}

}  // namespace maxio::s3client
