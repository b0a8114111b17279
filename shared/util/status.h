#pragma once
// Status and Result<T>: the error type of every storage and protocol path in Maxio.
// An ErrorCode names one failure in S3 or MinIO terms; daemon/s3/errors.cc maps each
// code to its S3 error code, HTTP status and default message in one table.
// Values are plain data: copy and move freely, no thread-safety concerns.

#include <cassert>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace maxio {

enum class ErrorCode : uint16_t {
  kOk = 0,

  // Generic failures.
  kInternal,         // a bug or an unexpected state; maps to InternalError
  kInvalidArgument,  // a caller passed a value outside the contract
  kNotImplemented,
  kIo,  // an I/O error from the OS or the network
  kTimeout,
  kCancelled,
  kEndOfStream,  // a reader ended before the promised number of bytes

  // One drive (StorageApi).
  kDriveNotFound,
  kDriveFaulty,
  kDriveFull,
  kDriveAccessDenied,
  kUnformattedDrive,
  kCorruptedFormat,
  kVolumeNotFound,
  kVolumeExists,
  kVolumeNotEmpty,
  kFileNotFound,
  kFileVersionNotFound,
  kFileCorrupt,
  kFileNameTooLong,
  kIsNotRegular,

  // Erasure sets and quorum.
  kInsufficientReadQuorum,
  kInsufficientWriteQuorum,

  // S3 API errors (names as AWS spells them).
  kAccessDenied,
  kAuthorizationHeaderMalformed,
  kAuthorizationQueryParametersError,
  kBadDigest,
  kBucketAlreadyExists,
  kBucketAlreadyOwnedByYou,
  kBucketNotEmpty,
  kEntityTooLarge,
  kEntityTooSmall,
  kExpiredPresignRequest,  // AccessDenied "Request has expired"
  kIncompleteBody,
  kIncompleteSignature,
  kInvalidAccessKeyId,
  kInvalidArgumentS3,  // S3's InvalidArgument (bad query/header value)
  kInvalidBucketName,
  kInvalidDigest,
  kInvalidEncodingMethod,
  kInvalidLocationConstraint,
  kInvalidObjectName,  // a key that cannot be stored (escapes the drive, bad UTF-8, ...)
  kInvalidPolicyDocument,
  kInvalidRange,
  kInvalidRequest,
  kInvalidStorageClass,
  kInvalidChecksum,  // x-amz-checksum-* value does not match the payload
  kKeyTooLong,
  kMalformedDate,
  kMalformedPOSTRequest,
  kMalformedXML,
  kMaxMessageLengthExceeded,
  kMetadataTooLarge,
  kMethodNotAllowed,
  kMissingContentLength,
  kMissingDateHeader,
  kMissingFields,
  kMissingRequestBodyError,
  kMissingSecurityHeader,
  kNoSuchBucket,
  kNoSuchKey,
  kNoSuchUpload,
  kNoSuchVersion,
  kNotModified,                // 304, no body
  kPostPolicyConditionFailed,  // AccessDenied "Invalid according to Policy: ..."
  kPreconditionFailed,
  kRequestHeaderSectionTooLarge,
  kRequestTimeTooSkewed,
  kRequestTimeout,
  kServiceUnavailable,
  kSignatureDoesNotMatch,
  kSlowDown,
  kUnsupportedSignature,  // a signature version or algorithm we do not accept
  kXAmzContentSHA256Mismatch,
  kXAmzContentChecksumMismatch,
  kInvalidContentSha256,   // x-amz-content-sha256 value malformed
  kContentLengthMismatch,  // IncompleteBody when short, (Bad request) when long
  kInvalidPartNumber,      // partNumber outside the object's parts (416)
  kInvalidPart,            // CompleteMultipartUpload names a part missing or with another ETag
  kInvalidPartOrder,       // CompleteMultipartUpload's parts are not in ascending order

  // Bucket configurations (daemon/bucket): names as AWS (or MinIO) spells them.
  kIllegalVersioningConfiguration,  // IllegalVersioningConfigurationException
  kInvalidBucketState,
  kNoSuchBucketPolicy,
  kMalformedPolicy,
  kNoSuchTagSet,
  kInvalidTag,
  kNoSuchCORSConfiguration,
  kNoSuchLifecycleConfiguration,
  kNoSuchEncryptionConfiguration,   // ServerSideEncryptionConfigurationNotFoundError
  kNoSuchReplicationConfiguration,  // ReplicationConfigurationNotFoundError
  kNoSuchObjectLockConfiguration,   // ObjectLockConfigurationNotFoundError
  kCorsForbidden,                   // a CORS preflight no rule allows (AccessForbidden)
  kInvalidNotificationArn,          // an event target ARN that names no configured target
  kReplicationNeedsVersioning,
  kRemoteTargetNotFound,  // a replication destination ARN that names no remote target
  kBucketQuotaExceeded,   // XMinioAdminBucketQuotaExceeded
};

// A success or an ErrorCode with an optional message that overrides the table's default.
class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(ErrorCode code, std::string message = {}) : code_(code), message_(std::move(message)) {}

  static Status ok() { return Status(); }

  bool is_ok() const { return code_ == ErrorCode::kOk; }
  explicit operator bool() const { return is_ok(); }
  ErrorCode code() const { return code_; }
  const std::string& message() const { return message_; }

  // For logs and test failures: "kNoSuchKey: message".
  std::string to_string() const;

 private:
  ErrorCode code_ = ErrorCode::kOk;
  std::string message_;
};

// The symbolic name of a code ("NoSuchKey", "FileNotFound", ...), for logs and tests.
std::string_view error_code_name(ErrorCode code);

// Either a T or a non-ok Status. Access the value only after checking is_ok().
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::move(value)) {}
  Result(Status status) : state_(std::move(status)) {
    assert(!std::get<Status>(state_).is_ok() && "a Result holding a Status must be an error");
  }
  Result(ErrorCode code, std::string message = {}) : Result(Status(code, std::move(message))) {}

  bool is_ok() const { return std::holds_alternative<T>(state_); }
  explicit operator bool() const { return is_ok(); }

  // The error; Status::ok() when this holds a value.
  Status status() const { return is_ok() ? Status() : std::get<Status>(state_); }
  ErrorCode code() const { return is_ok() ? ErrorCode::kOk : std::get<Status>(state_).code(); }

  T& value() & { return std::get<T>(state_); }
  const T& value() const& { return std::get<T>(state_); }
  T&& value() && { return std::get<T>(std::move(state_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Status> state_;
};

namespace internal {
inline Status to_status(const Status& s) { return s; }
template <typename T>
Status to_status(const Result<T>& r) {
  return r.status();
}
}  // namespace internal

}  // namespace maxio

// Returns early from the enclosing function when `expr` (a Status or Result) is an error.
#define MAXIO_RETURN_IF_ERROR(expr)                       \
  do {                                                    \
    if (auto maxio_status_ = (expr); !maxio_status_) {    \
      return ::maxio::internal::to_status(maxio_status_); \
    }                                                     \
  } while (0)

// MAXIO_TRY(auto x, expr): evaluates a Result, returns its error or binds its value to x.
#define MAXIO_CONCAT_INNER_(a, b) a##b
#define MAXIO_CONCAT_(a, b) MAXIO_CONCAT_INNER_(a, b)
#define MAXIO_TRY(decl, expr) MAXIO_TRY_IMPL_(MAXIO_CONCAT_(maxio_result_, __LINE__), decl, expr)
#define MAXIO_TRY_IMPL_(tmp, decl, expr) \
  auto tmp = (expr);                     \
  if (!tmp.is_ok()) return tmp.status(); \
  decl = std::move(tmp).value()
