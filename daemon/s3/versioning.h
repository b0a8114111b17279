#pragma once
// Private to daemon/s3: the versioning state of a bucket as one request acts on it, in the
// shape the storage options take (MinIO's ObjectOptions.Versioned / VersionSuspended).

#include <string>

#include "shared/util/status.h"

namespace maxio::s3 {

struct S3Request;

struct BucketVersioning {
  bool enabled = false;    // Status Enabled: writes add versions, deletes add markers
  bool suspended = false;  // Status Suspended: writes and deletes replace the null version
};

// The versioning state of `bucket` from its stored configuration (the bucket metadata
// store; Enabled also for object-lock buckets). Errors: kNoSuchBucket, storage errors.
Result<BucketVersioning> bucket_versioning(S3Request& request, const std::string& bucket);

// The version ID S3 shows for a stored version ("" is the null version).
std::string shown_version_id(const std::string& version_id);

}  // namespace maxio::s3
