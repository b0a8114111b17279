// Bucket configuration routes: GET/PUT /bucket/versioning, GET/PUT/DELETE /bucket/quota,
// GET/PUT/DELETE /bucket/policy, each on the bucket named by the `bucket` query parameter.
// They read and write the same metadata as the S3 sub-resources (daemon/bucket).

#include "daemon/admin/request.h"
#include "daemon/bucket/bucket_metadata_store.h"
#include "daemon/bucket/configs.h"
#include "daemon/s3/validation.h"
#include "shared/util/io.h"

namespace maxio::admin {

namespace {

using json = nlohmann::ordered_json;

Result<std::string> bucket_param(AdminRequest& request) {
  std::string bucket = request.query_value("bucket").value_or("");
  if (bucket.empty()) return Status(ErrorCode::kInvalidArgument, "bucket: required");
  MAXIO_RETURN_IF_ERROR(s3::validate_bucket_name(bucket));
  if (!request.ctx().bucket_metadata) {
    return Status(ErrorCode::kInternal, "no bucket metadata store");
  }
  return bucket;
}

AdminStatus request_error(const Status& status) {
  if (status.code() == ErrorCode::kInvalidArgument) return bad_argument(status);
  return status;
}

Result<std::string> read_body(AdminRequest& request) {
  Reader& body = request.auth.body ? *request.auth.body : request.exchange.body;
  auto text = read_all(body, kMaxAdminBody);
  if (!text && text.code() == ErrorCode::kEntityTooLarge) {
    return Status(ErrorCode::kInvalidArgument,
                  "the body is larger than " + std::to_string(kMaxAdminBody) + " bytes");
  }
  return text;
}

const char* versioning_name(VersioningState state) {
  switch (state) {
    case VersioningState::kEnabled:
      return "Enabled";
    case VersioningState::kSuspended:
      return "Suspended";
    case VersioningState::kUnversioned:
      break;
  }
  return "Unversioned";
}

AdminStatus send_versioning(AdminRequest& request, const std::string& bucket) {
  MAXIO_TRY(BucketState state, request.ctx().bucket_metadata->state(bucket));
  return send_json(request, 200,
                   {{"bucket", bucket},
                    {"status", versioning_name(state.versioning)},
                    {"object_lock", state.object_lock}});
}

AdminStatus send_quota(AdminRequest& request, const std::string& bucket) {
  MAXIO_TRY(BucketState state, request.ctx().bucket_metadata->state(bucket));
  if (!state.hard_quota) return AdminStatus(AdminErrorCode::kNoSuchQuota);
  return send_json(request, 200,
                   {{"bucket", bucket}, {"quota", *state.hard_quota}, {"quotatype", "hard"}});
}

}  // namespace

AdminStatus handle_bucket_versioning_get(AdminRequest& request) {
  auto bucket = bucket_param(request);
  if (!bucket) return request_error(bucket.status());
  return send_versioning(request, *bucket);
}

AdminStatus handle_bucket_versioning_put(AdminRequest& request) {
  auto bucket = bucket_param(request);
  if (!bucket) return request_error(bucket.status());
  auto body = read_body(request);
  if (!body) return request_error(body.status());
  json doc = json::parse(*body, nullptr, /*allow_exceptions=*/false);
  if (!doc.is_object() || !doc.contains("status") || !doc["status"].is_string()) {
    return AdminStatus(AdminErrorCode::kInvalidArgument,
                       R"(expected {"status": "Enabled"} or {"status": "Suspended"})");
  }
  const std::string status = doc["status"].get<std::string>();
  VersioningState wanted;
  if (status == "Enabled") {
    wanted = VersioningState::kEnabled;
  } else if (status == "Suspended") {
    wanted = VersioningState::kSuspended;
  } else {
    return AdminStatus(AdminErrorCode::kInvalidArgument,
                       "status: expected \"Enabled\" or \"Suspended\"");
  }
  BucketMetadataStore& store = *request.ctx().bucket_metadata;
  MAXIO_TRY(BucketState current, store.state(*bucket));
  if (wanted == VersioningState::kSuspended && current.object_lock) {
    return Status(ErrorCode::kInvalidBucketState,
                  "An Object Lock configuration is present on this bucket, so the versioning "
                  "state cannot be changed.");
  }
  MAXIO_RETURN_IF_ERROR(store.update(*bucket, [&](BucketMetadata& m) {
    m.versioning_xml = versioning_xml(wanted);
    m.versioning_updated = request.now;
    return Status::ok();
  }));
  return send_versioning(request, *bucket);
}

AdminStatus handle_bucket_quota_get(AdminRequest& request) {
  auto bucket = bucket_param(request);
  if (!bucket) return request_error(bucket.status());
  return send_quota(request, *bucket);
}

AdminStatus handle_bucket_quota_put(AdminRequest& request) {
  auto bucket = bucket_param(request);
  if (!bucket) return request_error(bucket.status());
  auto body = read_body(request);
  if (!body) return request_error(body.status());
  auto quota = parse_quota(*body);
  if (!quota) return AdminStatus(AdminErrorCode::kInvalidArgument, quota.status().message());
  // Stored as sent, as MinIO stores it.
  MAXIO_RETURN_IF_ERROR(request.ctx().bucket_metadata->update(*bucket, [&](BucketMetadata& m) {
    m.quota_json = *body;
    m.quota_updated = request.now;
    return Status::ok();
  }));
  return send_quota(request, *bucket);
}

AdminStatus handle_bucket_quota_delete(AdminRequest& request) {
  auto bucket = bucket_param(request);
  if (!bucket) return request_error(bucket.status());
  MAXIO_RETURN_IF_ERROR(request.ctx().bucket_metadata->update(*bucket, [&](BucketMetadata& m) {
    m.quota_json.clear();
    m.quota_updated = request.now;
    return Status::ok();
  }));
  return send_json(request, 200, {{"bucket", *bucket}, {"quota", nullptr}});
}

AdminStatus handle_bucket_policy_get(AdminRequest& request) {
  auto bucket = bucket_param(request);
  if (!bucket) return request_error(bucket.status());
  MAXIO_TRY(BucketMetadata m, request.ctx().bucket_metadata->get(*bucket));
  if (m.policy_json.empty()) return Status(ErrorCode::kNoSuchBucketPolicy);
  json policy = json::parse(m.policy_json, nullptr, /*allow_exceptions=*/false);
  if (policy.is_discarded()) return Status(ErrorCode::kFileCorrupt, "stored policy");
  return send_json(request, 200, {{"bucket", *bucket}, {"policy", std::move(policy)}});
}

AdminStatus handle_bucket_policy_put(AdminRequest& request) {
  auto bucket = bucket_param(request);
  if (!bucket) return request_error(bucket.status());
  auto body = read_body(request);
  if (!body) return request_error(body.status());
  MAXIO_TRY(BucketMetadata current, request.ctx().bucket_metadata->get(*bucket));
  (void)current;  // the bucket exists
  MAXIO_RETURN_IF_ERROR(validate_bucket_policy(*body, *bucket));
  MAXIO_RETURN_IF_ERROR(request.ctx().bucket_metadata->update(*bucket, [&](BucketMetadata& m) {
    m.policy_json = *body;
    m.policy_updated = request.now;
    return Status::ok();
  }));
  return send_json(request, 200, {{"bucket", *bucket}, {"policy", json::parse(*body)}});
}

AdminStatus handle_bucket_policy_delete(AdminRequest& request) {
  auto bucket = bucket_param(request);
  if (!bucket) return request_error(bucket.status());
  MAXIO_RETURN_IF_ERROR(request.ctx().bucket_metadata->update(*bucket, [&](BucketMetadata& m) {
    m.policy_json.clear();
    m.policy_updated = request.now;
    return Status::ok();
  }));
  return send_json(request, 200, {{"bucket", *bucket}, {"policy", nullptr}});
}

}  // namespace maxio::admin
