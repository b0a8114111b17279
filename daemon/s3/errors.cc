#include "daemon/s3/errors.h"

#include <pugixml.hpp>
#include <sstream>

#include "daemon/s3/xml.h"

namespace maxio::s3 {

namespace {

constexpr std::string_view kInternalMessage = "We encountered an internal error, please try again.";
constexpr std::string_view kIncompleteBodyMessage =
    "You did not provide the number of bytes specified by the Content-Length HTTP header.";
constexpr std::string_view kNoSuchBucketMessage = "The specified bucket does not exist";
constexpr std::string_view kNoSuchKeyMessage = "The specified key does not exist.";
constexpr std::string_view kOwnedByYouMessage =
    "Your previous request to create the named bucket succeeded and you already own it.";
constexpr std::string_view kBucketNotEmptyMessage = "The bucket you tried to delete is not empty";
constexpr std::string_view kKeyTooLongMessage = "Your key is too long";
constexpr std::string_view kNotInitializedMessage = "Server not initialized yet, please try again.";

ErrorInfo make_info(ErrorCode code) {
  switch (code) {
    case ErrorCode::kOk:
      return {"", 200, ""};
    case ErrorCode::kInternal:
    case ErrorCode::kIo:
    case ErrorCode::kFileCorrupt:
      return {"InternalError", 500, kInternalMessage};
    case ErrorCode::kInvalidArgument:
    case ErrorCode::kInvalidArgumentS3:
      return {"InvalidArgument", 400, "Invalid argument"};
    case ErrorCode::kNotImplemented:
      return {"NotImplemented", 501,
              "A header you provided implies functionality that is not implemented"};
    case ErrorCode::kTimeout:
    case ErrorCode::kRequestTimeout:
      return {"RequestTimeout", 400,
              "Your socket connection to the server was not read from or written to within "
              "the timeout period."};
    case ErrorCode::kCancelled:
      return {"ClientDisconnected", 499, "The client closed the connection."};
    case ErrorCode::kEndOfStream:
    case ErrorCode::kIncompleteBody:
    case ErrorCode::kContentLengthMismatch:
      return {"IncompleteBody", 400, kIncompleteBodyMessage};
    case ErrorCode::kDriveNotFound:
    case ErrorCode::kDriveFaulty:
      return {"XMinioServerNotInitialized", 503, kNotInitializedMessage};
    case ErrorCode::kUnformattedDrive:
    case ErrorCode::kCorruptedFormat:
      return {"XMinioServerNotInitialized", 503, kNotInitializedMessage};
    case ErrorCode::kDriveFull:
      return {"XMinioStorageFull", 507,
              "Storage backend has reached its minimum free drive threshold. Please delete a "
              "few objects to proceed."};
    case ErrorCode::kDriveAccessDenied:
      return {"InternalError", 500, "The server cannot access its drive."};
    case ErrorCode::kVolumeNotFound:
    case ErrorCode::kNoSuchBucket:
      return {"NoSuchBucket", 404, kNoSuchBucketMessage};
    case ErrorCode::kVolumeExists:
    case ErrorCode::kBucketAlreadyOwnedByYou:
      return {"BucketAlreadyOwnedByYou", 409, kOwnedByYouMessage};
    case ErrorCode::kVolumeNotEmpty:
    case ErrorCode::kBucketNotEmpty:
      return {"BucketNotEmpty", 409, kBucketNotEmptyMessage};
    case ErrorCode::kFileNotFound:
    case ErrorCode::kNoSuchKey:
      return {"NoSuchKey", 404, kNoSuchKeyMessage};
    case ErrorCode::kFileVersionNotFound:
    case ErrorCode::kNoSuchVersion:
      return {"NoSuchVersion", 404, "The specified version does not exist."};
    case ErrorCode::kFileNameTooLong:
    case ErrorCode::kKeyTooLong:
      return {"KeyTooLongError", 400, kKeyTooLongMessage};
    case ErrorCode::kIsNotRegular:
      return {"XMinioObjectExistsAsDirectory", 409, "Object name already exists as a directory."};
    case ErrorCode::kInsufficientReadQuorum:
      return {"SlowDownRead", 503,
              "Resource requested is unreadable, please reduce your request rate"};
    case ErrorCode::kInsufficientWriteQuorum:
      return {"SlowDownWrite", 503,
              "Resource requested is unwritable, please reduce your request rate"};
    case ErrorCode::kAccessDenied:
      return {"AccessDenied", 403, "Access Denied."};
    case ErrorCode::kAuthorizationHeaderMalformed:
      return {"AuthorizationHeaderMalformed", 400,
              "The authorization header that you provided is not valid."};
    case ErrorCode::kAuthorizationQueryParametersError:
      return {"AuthorizationQueryParametersError", 400,
              "The query-string authentication parameters are not valid."};
    case ErrorCode::kBadDigest:
      return {"BadDigest", 400, "The Content-Md5 you specified did not match what we received."};
    case ErrorCode::kBucketAlreadyExists:
      return {"BucketAlreadyExists", 409,
              "The requested bucket name is not available. The bucket namespace is shared by "
              "all users of the system. Please select a different name and try again."};
    case ErrorCode::kEntityTooLarge:
      return {"EntityTooLarge", 400,
              "Your proposed upload exceeds the maximum allowed object size."};
    case ErrorCode::kEntityTooSmall:
      return {"EntityTooSmall", 400,
              "Your proposed upload is smaller than the minimum allowed object size."};
    case ErrorCode::kExpiredPresignRequest:
      return {"AccessDenied", 403, "Request has expired"};
    case ErrorCode::kIncompleteSignature:
      return {"IncompleteSignature", 400,
              "The request signature does not conform to AWS standards."};
    case ErrorCode::kInvalidAccessKeyId:
      return {"InvalidAccessKeyId", 403,
              "The Access Key Id you provided does not exist in our records."};
    case ErrorCode::kInvalidBucketName:
      return {"InvalidBucketName", 400, "The specified bucket is not valid."};
    case ErrorCode::kInvalidDigest:
      return {"InvalidDigest", 400, "The Content-Md5 you specified is not valid."};
    case ErrorCode::kInvalidEncodingMethod:
      return {"InvalidArgument", 400, "Invalid Encoding Method specified in Request"};
    case ErrorCode::kInvalidLocationConstraint:
      return {"InvalidLocationConstraint", 400, "The specified location-constraint is not valid"};
    case ErrorCode::kInvalidObjectName:
      return {"XMinioInvalidObjectName", 400, "Object name contains unsupported characters."};
    case ErrorCode::kInvalidPolicyDocument:
      return {"InvalidPolicyDocument", 400,
              "The content of the form does not meet the conditions specified in the policy "
              "document."};
    case ErrorCode::kInvalidRange:
      return {"InvalidRange", 416, "The requested range is not satisfiable"};
    case ErrorCode::kInvalidPartNumber:
      return {"InvalidPartNumber", 416, "The requested partnumber is not satisfiable"};
    case ErrorCode::kInvalidRequest:
      return {"InvalidRequest", 400, "Invalid Request"};
    case ErrorCode::kInvalidStorageClass:
      return {"InvalidStorageClass", 400, "The storage class you specified is not valid"};
    case ErrorCode::kInvalidChecksum:
      return {"BadDigest", 400, "The checksum you specified did not match what we received."};
    case ErrorCode::kMalformedDate:
      return {"MalformedDate", 400,
              "Invalid date format header, expected to be in ISO8601, RFC1123 or RFC1123Z time "
              "format."};
    case ErrorCode::kMalformedPOSTRequest:
      return {"MalformedPOSTRequest", 400,
              "The body of your POST request is not well-formed multipart/form-data."};
    case ErrorCode::kMalformedXML:
      return {"MalformedXML", 400,
              "The XML you provided was not well-formed or did not validate against our "
              "published schema."};
    case ErrorCode::kMaxMessageLengthExceeded:
      return {"MaxMessageLengthExceeded", 400, "Your request was too big."};
    case ErrorCode::kMetadataTooLarge:
      return {"MetadataTooLarge", 400,
              "Your metadata headers exceed the maximum allowed metadata size."};
    case ErrorCode::kMethodNotAllowed:
      return {"MethodNotAllowed", 405,
              "The specified method is not allowed against this resource."};
    case ErrorCode::kMissingContentLength:
      return {"MissingContentLength", 411, "You must provide the Content-Length HTTP header."};
    case ErrorCode::kMissingDateHeader:
      return {"AccessDenied", 400, "AWS authentication requires a valid Date or x-amz-date header"};
    case ErrorCode::kMissingFields:
      return {"MissingFields", 400, "Missing fields in request."};
    case ErrorCode::kMissingRequestBodyError:
      return {"MissingRequestBodyError", 400, "Request body is empty."};
    case ErrorCode::kMissingSecurityHeader:
      return {"MissingSecurityHeader", 400, "Your request was missing a required header"};
    case ErrorCode::kNoSuchUpload:
      return {"NoSuchUpload", 404,
              "The specified multipart upload does not exist. The upload ID may be invalid, or "
              "the upload may have been aborted or completed."};
    case ErrorCode::kNotModified:
      return {"NotModified", 304, "Not Modified"};
    case ErrorCode::kPostPolicyConditionFailed:
      return {"AccessDenied", 403, "Invalid according to Policy: Policy Condition failed"};
    case ErrorCode::kPreconditionFailed:
      return {"PreconditionFailed", 412,
              "At least one of the pre-conditions you specified did not hold"};
    case ErrorCode::kRequestHeaderSectionTooLarge:
      return {"RequestHeaderSectionTooLarge", 400,
              "Your request header section exceeds the maximum allowed size."};
    case ErrorCode::kRequestTimeTooSkewed:
      return {"RequestTimeTooSkewed", 403,
              "The difference between the request time and the server's time is too large."};
    case ErrorCode::kServiceUnavailable:
      return {"ServiceUnavailable", 503, "The service is unavailable. Please retry."};
    case ErrorCode::kSignatureDoesNotMatch:
      return {"SignatureDoesNotMatch", 403,
              "The request signature we calculated does not match the signature you provided. "
              "Check your key and signing method."};
    case ErrorCode::kSlowDown:
      return {"SlowDown", 503, "Please reduce your request rate."};
    case ErrorCode::kUnsupportedSignature:
      return {"InvalidRequest", 400,
              "The authorization mechanism you have provided is not supported. Please use "
              "AWS4-HMAC-SHA256."};
    case ErrorCode::kXAmzContentSHA256Mismatch:
      return {"XAmzContentSHA256Mismatch", 400,
              "The provided 'x-amz-content-sha256' header does not match what was computed."};
    case ErrorCode::kXAmzContentChecksumMismatch:
      return {"XAmzContentChecksumMismatch", 400,
              "The provided 'x-amz-checksum' header does not match what was computed."};
    case ErrorCode::kInvalidContentSha256:
      return {"InvalidArgument", 400,
              "x-amz-content-sha256 must be UNSIGNED-PAYLOAD, a streaming payload type or a "
              "valid hex SHA-256."};
    case ErrorCode::kIllegalVersioningConfiguration:
      return {"IllegalVersioningConfigurationException", 400,
              "The Versioning element must be specified"};
    case ErrorCode::kInvalidBucketState:
      return {"InvalidBucketState", 409,
              "The request is not valid with the current state of the bucket."};
    case ErrorCode::kNoSuchBucketPolicy:
      return {"NoSuchBucketPolicy", 404, "The bucket policy does not exist"};
    case ErrorCode::kMalformedPolicy:
      return {"MalformedPolicy", 400, "Policies must be valid JSON and the first byte must be '{'"};
    case ErrorCode::kNoSuchTagSet:
      return {"NoSuchTagSet", 404, "The TagSet does not exist"};
    case ErrorCode::kInvalidTag:
      return {"InvalidTag", 400, "The tag provided was not a valid tag."};
    case ErrorCode::kNoSuchCORSConfiguration:
      return {"NoSuchCORSConfiguration", 404, "The CORS configuration does not exist"};
    case ErrorCode::kNoSuchLifecycleConfiguration:
      return {"NoSuchLifecycleConfiguration", 404, "The lifecycle configuration does not exist"};
    case ErrorCode::kNoSuchEncryptionConfiguration:
      return {"ServerSideEncryptionConfigurationNotFoundError", 404,
              "The server side encryption configuration was not found"};
    case ErrorCode::kNoSuchReplicationConfiguration:
      return {"ReplicationConfigurationNotFoundError", 404,
              "The replication configuration was not found"};
    case ErrorCode::kNoSuchObjectLockConfiguration:
      return {"ObjectLockConfigurationNotFoundError", 404,
              "Object Lock configuration does not exist for this bucket"};
    case ErrorCode::kCorsForbidden:
      return {"AccessForbidden", 403,
              "CORSResponse: This CORS request is not allowed. This is usually because the "
              "evalution of Origin, request method / Access-Control-Request-Method or "
              "Access-Control-Request-Headers are not whitelisted by the resource's CORS spec."};
    case ErrorCode::kInvalidNotificationArn:
      return {"InvalidArgument", 400,
              "A specified destination ARN does not exist or is not well-formed. Verify the "
              "destination ARN."};
    case ErrorCode::kReplicationNeedsVersioning:
      return {"InvalidRequest", 400,
              "Versioning must be 'Enabled' on the bucket to apply a replication configuration"};
    case ErrorCode::kRemoteTargetNotFound:
      return {"XMinioAdminRemoteTargetNotFoundError", 404, "The remote target does not exist"};
    case ErrorCode::kBucketQuotaExceeded:
      return {"XMinioAdminBucketQuotaExceeded", 400, "Bucket quota exceeded"};
  }
  return {"InternalError", 500, kInternalMessage};
}

// Codes whose Status message is written for the client (see ErrorInfo::detailed).
constexpr ErrorCode kDetailedCodes[] = {
    ErrorCode::kInvalidArgumentS3,
    ErrorCode::kInvalidRequest,
    ErrorCode::kNotImplemented,
    ErrorCode::kInvalidObjectName,
    ErrorCode::kAccessDenied,
    ErrorCode::kAuthorizationHeaderMalformed,
    ErrorCode::kAuthorizationQueryParametersError,
    ErrorCode::kInvalidPolicyDocument,
    ErrorCode::kPostPolicyConditionFailed,
    ErrorCode::kMalformedPOSTRequest,
    ErrorCode::kMissingFields,
    ErrorCode::kIncompleteSignature,
    ErrorCode::kIllegalVersioningConfiguration,
    ErrorCode::kInvalidBucketState,
    ErrorCode::kMalformedPolicy,
    ErrorCode::kInvalidTag,
    ErrorCode::kCorsForbidden,
};

constexpr size_t kTableSize = 256;

struct Table {
  ErrorInfo entries[kTableSize];
  Table() {
    for (size_t i = 0; i < kTableSize; ++i) entries[i] = make_info(static_cast<ErrorCode>(i));
    for (ErrorCode code : kDetailedCodes) entries[static_cast<size_t>(code)].detailed = true;
  }
};

}  // namespace

const ErrorInfo& error_info(ErrorCode code) {
  static const Table table;
  static const ErrorInfo internal{"InternalError", 500, kInternalMessage};
  auto index = static_cast<size_t>(code);
  return index < kTableSize ? table.entries[index] : internal;
}

std::string_view error_message(const Status& status) {
  const ErrorInfo& info = error_info(status.code());
  if (info.detailed && !status.message().empty()) return status.message();
  return info.message;
}

std::string error_xml(const Status& status, const ErrorContext& context) {
  const ErrorInfo& info = error_info(status.code());
  pugi::xml_document doc;
  pugi::xml_node error = doc.append_child("Error");
  auto add = [&error](const char* name, std::string_view value) {
    error.append_child(name).text().set(std::string(value).c_str());
  };
  add("Code", info.code);
  add("Message", error_message(status));
  if (!context.key.empty()) add("Key", context.key);
  if (!context.bucket.empty()) add("BucketName", context.bucket);
  if (!context.resource.empty()) add("Resource", context.resource);
  add("RequestId", context.request_id);
  add("HostId", context.host_id);
  std::ostringstream out;
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  doc.save(out, "", pugi::format_raw | pugi::format_no_declaration);
  return escape_carriage_returns(out.str());
}

}  // namespace maxio::s3
