#include "shared/util/status.h"

namespace maxio {

std::string_view error_code_name(ErrorCode code) {
  switch (code) {
#define MAXIO_NAME_(c)  \
  case ErrorCode::k##c: \
    return #c;
    MAXIO_NAME_(Ok)
    MAXIO_NAME_(Internal)
    MAXIO_NAME_(InvalidArgument)
    MAXIO_NAME_(NotImplemented)
    MAXIO_NAME_(Io)
    MAXIO_NAME_(Timeout)
    MAXIO_NAME_(Cancelled)
    MAXIO_NAME_(EndOfStream)
    MAXIO_NAME_(DriveNotFound)
    MAXIO_NAME_(DriveFaulty)
    MAXIO_NAME_(DriveFull)
    MAXIO_NAME_(DriveAccessDenied)
    MAXIO_NAME_(UnformattedDrive)
    MAXIO_NAME_(CorruptedFormat)
    MAXIO_NAME_(VolumeNotFound)
    MAXIO_NAME_(VolumeExists)
    MAXIO_NAME_(VolumeNotEmpty)
    MAXIO_NAME_(FileNotFound)
    MAXIO_NAME_(FileVersionNotFound)
    MAXIO_NAME_(FileCorrupt)
    MAXIO_NAME_(FileNameTooLong)
    MAXIO_NAME_(IsNotRegular)
    MAXIO_NAME_(InsufficientReadQuorum)
    MAXIO_NAME_(InsufficientWriteQuorum)
    MAXIO_NAME_(AccessDenied)
    MAXIO_NAME_(AuthorizationHeaderMalformed)
    MAXIO_NAME_(AuthorizationQueryParametersError)
    MAXIO_NAME_(BadDigest)
    MAXIO_NAME_(BucketAlreadyExists)
    MAXIO_NAME_(BucketAlreadyOwnedByYou)
    MAXIO_NAME_(BucketNotEmpty)
    MAXIO_NAME_(EntityTooLarge)
    MAXIO_NAME_(EntityTooSmall)
    MAXIO_NAME_(ExpiredPresignRequest)
    MAXIO_NAME_(IncompleteBody)
    MAXIO_NAME_(IncompleteSignature)
    MAXIO_NAME_(InvalidAccessKeyId)
    MAXIO_NAME_(InvalidArgumentS3)
    MAXIO_NAME_(InvalidBucketName)
    MAXIO_NAME_(InvalidDigest)
    MAXIO_NAME_(InvalidEncodingMethod)
    MAXIO_NAME_(InvalidLocationConstraint)
    MAXIO_NAME_(InvalidObjectName)
    MAXIO_NAME_(InvalidPolicyDocument)
    MAXIO_NAME_(InvalidRange)
    MAXIO_NAME_(InvalidRequest)
    MAXIO_NAME_(InvalidStorageClass)
    MAXIO_NAME_(InvalidChecksum)
    MAXIO_NAME_(KeyTooLong)
    MAXIO_NAME_(MalformedDate)
    MAXIO_NAME_(MalformedPOSTRequest)
    MAXIO_NAME_(MalformedXML)
    MAXIO_NAME_(MaxMessageLengthExceeded)
    MAXIO_NAME_(MetadataTooLarge)
    MAXIO_NAME_(MethodNotAllowed)
    MAXIO_NAME_(MissingContentLength)
    MAXIO_NAME_(MissingDateHeader)
    MAXIO_NAME_(MissingFields)
    MAXIO_NAME_(MissingRequestBodyError)
    MAXIO_NAME_(MissingSecurityHeader)
    MAXIO_NAME_(NoSuchBucket)
    MAXIO_NAME_(NoSuchKey)
    MAXIO_NAME_(NoSuchUpload)
    MAXIO_NAME_(NoSuchVersion)
    MAXIO_NAME_(NotModified)
    MAXIO_NAME_(PostPolicyConditionFailed)
    MAXIO_NAME_(PreconditionFailed)
    MAXIO_NAME_(RequestHeaderSectionTooLarge)
    MAXIO_NAME_(RequestTimeTooSkewed)
    MAXIO_NAME_(RequestTimeout)
    MAXIO_NAME_(ServiceUnavailable)
    MAXIO_NAME_(SignatureDoesNotMatch)
    MAXIO_NAME_(SlowDown)
    MAXIO_NAME_(UnsupportedSignature)
    MAXIO_NAME_(XAmzContentSHA256Mismatch)
    MAXIO_NAME_(XAmzContentChecksumMismatch)
    MAXIO_NAME_(InvalidContentSha256)
    MAXIO_NAME_(ContentLengthMismatch)
    MAXIO_NAME_(InvalidPartNumber)
    MAXIO_NAME_(IllegalVersioningConfiguration)
    MAXIO_NAME_(InvalidBucketState)
    MAXIO_NAME_(NoSuchBucketPolicy)
    MAXIO_NAME_(MalformedPolicy)
    MAXIO_NAME_(NoSuchTagSet)
    MAXIO_NAME_(InvalidTag)
    MAXIO_NAME_(NoSuchCORSConfiguration)
    MAXIO_NAME_(NoSuchLifecycleConfiguration)
    MAXIO_NAME_(NoSuchEncryptionConfiguration)
    MAXIO_NAME_(NoSuchReplicationConfiguration)
    MAXIO_NAME_(NoSuchObjectLockConfiguration)
    MAXIO_NAME_(CorsForbidden)
    MAXIO_NAME_(InvalidNotificationArn)
    MAXIO_NAME_(ReplicationNeedsVersioning)
    MAXIO_NAME_(RemoteTargetNotFound)
    MAXIO_NAME_(BucketQuotaExceeded)
#undef MAXIO_NAME_
  }
  return "Unknown";
}

std::string Status::to_string() const {
  std::string out(error_code_name(code_));
  if (!message_.empty()) {
    out += ": ";
    out += message_;
  }
  return out;
}

}  // namespace maxio
