#include "daemon/s3/versioning.h"

#include "daemon/bucket/bucket_metadata_store.h"
#include "daemon/s3/request.h"

namespace maxio::s3 {

Result<BucketVersioning> bucket_versioning(S3Request& request, const std::string& bucket) {
  MAXIO_TRY(VersioningState state, request.buckets().versioning(bucket));
  BucketVersioning versioning;
  versioning.enabled = state == VersioningState::kEnabled;
  versioning.suspended = state == VersioningState::kSuspended;
  return versioning;
}

}  // namespace maxio::s3
