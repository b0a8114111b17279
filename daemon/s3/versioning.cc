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

std::string shown_version_id(const std::string& version_id) {
  return version_id.empty() ? "null" : version_id;
}

}  // namespace maxio::s3
