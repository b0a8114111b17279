// POST object: browser form uploads authenticated by a POST policy
// (daemon/auth/post_policy.h), answered per success_action_redirect / _status.

#include "daemon/auth/post_policy.h"
#include "daemon/bucket/configs.h"
#include "daemon/s3/metadata.h"
#include "daemon/s3/request.h"
#include "daemon/s3/validation.h"
#include "daemon/s3/versioning.h"
#include "daemon/s3/xml.h"
#include "shared/util/strings.h"

namespace maxio::s3 {

namespace {

std::string field(const std::map<std::string, std::string>& fields, const std::string& name) {
  auto it = fields.find(name);
  return it == fields.end() ? "" : it->second;
}

}  // namespace

Status handle_post_object(S3Request& request) {
  // Parse and authorize: the policy's signature and conditions are checked as the form
  // streams; the file part's size is checked against content-length-range at its end.
  MAXIO_RETURN_IF_ERROR(validate_bucket_name(request.route.bucket));
  MAXIO_TRY(
      auth::PostPolicyUpload upload,
      auth::read_post_policy_upload(request.http(), request.exchange.body, request.route.bucket,
                                    request.ctx.auth_config(), request.now));
  request.route.key = upload.key;
  MAXIO_RETURN_IF_ERROR(validate_object_key(upload.key));
  std::vector<std::pair<std::string, std::string>> fields(upload.fields.begin(),
                                                          upload.fields.end());
  PutObjectOptions options;
  MAXIO_TRY(options.user_defined, extract_metadata(fields));
  // The form's "tagging" field is a <Tagging> document (MinIO and AWS).
  if (std::string tagging = field(upload.fields, "tagging"); !tagging.empty()) {
    MAXIO_TRY(TagSet tags, parse_object_tagging_xml(tagging));
    if (!tags.empty()) options.user_defined[std::string(kTaggingKey)] = object_tagging_query(tags);
  }
  MAXIO_TRY(BucketVersioning versioning, bucket_versioning(request, request.route.bucket));
  options.versioned = versioning.enabled;
  options.version_suspended = versioning.suspended;

  // The form's size is unknown until it has streamed: only a quota already used up refuses.
  MAXIO_RETURN_IF_ERROR(enforce_bucket_quota(request, request.route.bucket, -1));

  // Execute.
  MAXIO_TRY(ObjectInfo info,
            request.layer().put_object(request.route.bucket, upload.key, *upload.file, options));

  // Respond.
  std::string location = std::string(request.http().secure ? "https://" : "http://") +
                         std::string(request.headers().value_or_empty("host")) + "/" +
                         request.route.bucket + "/" + uri_encode(upload.key, false);
  HttpHeaders headers;
  headers.add("ETag", quote_etag(info.etag));
  headers.add("Location", location);
  if (versioning.enabled || versioning.suspended) {
    headers.add("x-amz-version-id", info.version_id.empty() ? "null" : info.version_id);
  }
  std::string redirect = field(upload.fields, "success_action_redirect");
  if (!redirect.empty()) {
    redirect += redirect.find('?') == std::string::npos ? "?" : "&";
    redirect += "bucket=" + uri_encode(request.route.bucket, true) +
                "&key=" + uri_encode(upload.key, true) +
                "&etag=" + uri_encode(quote_etag(info.etag), true);
    headers.set("Location", redirect);
    return send_empty(request, 303, std::move(headers));
  }
  std::string status = field(upload.fields, "success_action_status");
  if (status == "200") return send_empty(request, 200, std::move(headers));
  if (status == "201") {
    return send_xml(request, 201, std::move(headers),
                    post_response_xml(location, request.route.bucket, upload.key, info.etag));
  }
  return send_empty(request, 204, std::move(headers));
}

}  // namespace maxio::s3
