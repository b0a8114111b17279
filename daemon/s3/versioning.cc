#include "daemon/s3/versioning.h"

#include "daemon/s3/request.h"

namespace maxio::s3 {

Result<BucketVersioning> bucket_versioning(S3Request& request, const std::string& bucket) {
  // Bucket metadata (PutBucketVersioning) is not wired yet: every bucket is unversioned.
  (void)request;
  (void)bucket;
  return BucketVersioning{};
}

}  // namespace maxio::s3
