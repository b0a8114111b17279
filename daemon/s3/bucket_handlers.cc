// Bucket operations: ListBuckets, CreateBucket, HeadBucket, DeleteBucket,
// GetBucketLocation, Get/PutBucketVersioning, GetBucketAcl.

#include "daemon/bucket/configs.h"
#include "daemon/s3/request.h"
#include "daemon/s3/validation.h"
#include "daemon/s3/xml.h"
#include "shared/util/io.h"
#include "shared/util/log.h"
#include "shared/util/strings.h"

namespace maxio::s3 {

namespace {

// MinIO keeps this name for its own endpoints ("/minio/health/...").
constexpr std::string_view kReservedBucket = "minio";

// Storage codes that mean "no such bucket" for a bucket-level call.
Status bucket_status(Status status) {
  if (status.code() == ErrorCode::kVolumeNotFound) return Status(ErrorCode::kNoSuchBucket);
  return status;
}

}  // namespace

Status handle_list_buckets(S3Request& request) {
  MAXIO_TRY(auto buckets, request.layer().list_buckets());
  return send_xml(request, 200, {}, list_buckets_xml(buckets));
}

Status handle_create_bucket(S3Request& request) {
  const std::string& bucket = request.route.bucket;
  MAXIO_RETURN_IF_ERROR(validate_bucket_name(bucket));
  MAXIO_TRY(std::string body, read_all(*request.auth.body, kMaxXmlBodySize));
  MAXIO_TRY(CreateBucketConfiguration config, parse_create_bucket_configuration(body));
  const std::string& region = request.ctx.config.region;
  const std::string& location = config.location_constraint;
  // Only the server's own region (what GetBucketLocation will report) may be asked for.
  if (!location.empty() && location != region) {
    return Status(ErrorCode::kInvalidLocationConstraint);
  }
  // Object lock also enables versioning, for good (as AWS and MinIO do).
  const bool object_lock =
      iequals(request.headers().value_or_empty("x-amz-bucket-object-lock-enabled"), "true");
  if (bucket == kReservedBucket) return Status(ErrorCode::kBucketAlreadyExists);

  MakeBucketOptions options;
  options.location = region;
  Status made = request.layer().make_bucket(bucket, options);
  if (made.code() == ErrorCode::kVolumeExists) return Status(ErrorCode::kBucketAlreadyOwnedByYou);
  MAXIO_RETURN_IF_ERROR(made);
  MAXIO_RETURN_IF_ERROR(request.buckets().create(bucket, request.now, object_lock));

  HttpHeaders headers;
  headers.add("Location", "/" + bucket);
  return send_empty(request, 200, std::move(headers));
}

Status handle_head_bucket(S3Request& request) {
  MAXIO_RETURN_IF_ERROR(validate_bucket_name(request.route.bucket));
  MAXIO_RETURN_IF_ERROR(
      bucket_status(request.layer().get_bucket_info(request.route.bucket).status()));
  HttpHeaders headers;
  headers.add("x-amz-bucket-region", request.ctx.config.region);
  return send_empty(request, 200, std::move(headers));
}

Status handle_delete_bucket(S3Request& request) {
  MAXIO_RETURN_IF_ERROR(validate_bucket_name(request.route.bucket));
  Status deleted = request.layer().delete_bucket(request.route.bucket, /*force=*/false);
  if (deleted.code() == ErrorCode::kVolumeNotEmpty) return Status(ErrorCode::kBucketNotEmpty);
  MAXIO_RETURN_IF_ERROR(bucket_status(deleted));
  Status forgotten = request.buckets().remove(request.route.bucket);
  if (!forgotten) {
    log_warning("bucket " + request.route.bucket +
                ": metadata not removed: " + forgotten.to_string());
  }
  return send_empty(request, 204, {});
}

Status handle_get_bucket_location(S3Request& request) {
  MAXIO_RETURN_IF_ERROR(validate_bucket_name(request.route.bucket));
  MAXIO_RETURN_IF_ERROR(
      bucket_status(request.layer().get_bucket_info(request.route.bucket).status()));
  return send_xml(request, 200, {}, location_constraint_xml(request.ctx.config.region));
}

Status handle_get_bucket_versioning(S3Request& request) {
  MAXIO_RETURN_IF_ERROR(validate_bucket_name(request.route.bucket));
  MAXIO_TRY(VersioningState state, request.buckets().versioning(request.route.bucket));
  if (state == VersioningState::kUnversioned) {
    return send_xml(request, 200, {}, versioning_configuration_xml());
  }
  return send_xml(request, 200, {}, versioning_xml(state));
}

Status handle_put_bucket_versioning(S3Request& request) {
  const std::string& bucket = request.route.bucket;
  MAXIO_RETURN_IF_ERROR(validate_bucket_name(bucket));
  MAXIO_TRY(std::string body, read_all(*request.auth.body, kMaxXmlBodySize));
  MAXIO_TRY(BucketState current, request.buckets().state(bucket));
  MAXIO_TRY(VersioningState wanted, parse_versioning(body));
  if (wanted == VersioningState::kSuspended && current.object_lock) {
    return Status(ErrorCode::kInvalidBucketState,
                  "An Object Lock configuration is present on this bucket, so the versioning "
                  "state cannot be changed.");
  }
  MAXIO_RETURN_IF_ERROR(request.buckets().update(bucket, [&](BucketMetadata& m) {
    m.versioning_xml = versioning_xml(wanted);
    m.versioning_updated = request.now;
    return Status::ok();
  }));
  return send_empty(request, 200, {});
}

Status handle_get_bucket_acl(S3Request& request) {
  MAXIO_RETURN_IF_ERROR(validate_bucket_name(request.route.bucket));
  MAXIO_RETURN_IF_ERROR(
      bucket_status(request.layer().get_bucket_info(request.route.bucket).status()));
  return send_xml(request, 200, {}, access_control_policy_xml());
}

}  // namespace maxio::s3
