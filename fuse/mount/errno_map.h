#pragma once
// The errno a FUSE operation returns for a failed S3 call or local step. Pure; thread-safe.

#include "shared/util/status.h"

namespace maxio::fuse {

// A positive errno for a non-ok status: NoSuchKey/NoSuchBucket -> ENOENT, AccessDenied and
// signature or key errors -> EACCES, a key that is too long -> ENAMETOOLONG, EntityTooLarge
// -> EFBIG, NotImplemented -> EOPNOTSUPP, a full drive -> ENOSPC, kInvalidArgument -> EINVAL,
// network errors, timeouts and 5xx (the client already retried those) -> EIO. 0 for ok.
int errno_for(const Status& status);

}  // namespace maxio::fuse
