#include "fuse/mount/errno_map.h"

#include <cerrno>

namespace maxio::fuse {

int errno_for(const Status& status) {
  switch (status.code()) {
    case ErrorCode::kOk:
      return 0;
    case ErrorCode::kNoSuchKey:
    case ErrorCode::kNoSuchBucket:
    case ErrorCode::kNoSuchVersion:
    case ErrorCode::kFileNotFound:
    case ErrorCode::kVolumeNotFound:
      return ENOENT;
    case ErrorCode::kAccessDenied:
    case ErrorCode::kSignatureDoesNotMatch:
    case ErrorCode::kInvalidAccessKeyId:
    case ErrorCode::kExpiredPresignRequest:
    case ErrorCode::kDriveAccessDenied:
    case ErrorCode::kRequestTimeTooSkewed:
      return EACCES;
    case ErrorCode::kKeyTooLong:
    case ErrorCode::kFileNameTooLong:
      return ENAMETOOLONG;
    case ErrorCode::kEntityTooLarge:
    case ErrorCode::kMetadataTooLarge:
      return EFBIG;
    case ErrorCode::kNotImplemented:
      return EOPNOTSUPP;
    case ErrorCode::kDriveFull:
      return ENOSPC;
    case ErrorCode::kInvalidArgument:
    case ErrorCode::kInvalidObjectName:
      return EINVAL;
    case ErrorCode::kVolumeNotEmpty:
    case ErrorCode::kBucketNotEmpty:
      return ENOTEMPTY;
    case ErrorCode::kTimeout:
    case ErrorCode::kRequestTimeout:
      return EIO;
    default:
      return EIO;
  }
}

}  // namespace maxio::fuse
