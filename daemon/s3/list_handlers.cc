// Listing operations: ListObjects (V1), ListObjectsV2, ListObjectVersions.

#include <charconv>
#include <limits>

#include "daemon/s3/request.h"
#include "daemon/s3/validation.h"
#include "daemon/s3/xml.h"
#include "shared/util/encoding.h"
#include "shared/util/strings.h"

namespace maxio::s3 {

namespace {

constexpr int kMaxListKeys = 1000;

Status bucket_status(Status status) {
  if (status.code() == ErrorCode::kVolumeNotFound) return Status(ErrorCode::kNoSuchBucket);
  return status;
}

// A listing parameter echoed in the response (marker, start-after, key-marker, delimiter):
// it must be UTF-8, or the response would not be a well-formed XML document.
Result<std::string> echoed_param(const Query& query, std::string_view name) {
  std::string value(query.get(name).value_or(""));
  if (!is_valid_utf8(value) || value.find('\0') != std::string::npos) {
    return Status(ErrorCode::kInvalidArgumentS3,
                  "The " + std::string(name) + " parameter must be UTF-8 text.");
  }
  return value;
}

// The parameters every listing shares: prefix, delimiter, max-keys, encoding-type.
Result<ListObjectsParams> common_params(const S3Request& request) {
  const Query& q = request.route.query;
  ListObjectsParams params;
  params.bucket = request.route.bucket;
  params.prefix = std::string(q.get("prefix").value_or(""));
  MAXIO_TRY(params.delimiter, echoed_param(q, "delimiter"));
  MAXIO_RETURN_IF_ERROR(validate_bucket_name(params.bucket));
  MAXIO_RETURN_IF_ERROR(validate_prefix(params.prefix));
  if (auto max_keys = q.get("max-keys")) {
    int64_t value = -1;
    auto [end, ec] = std::from_chars(max_keys->data(), max_keys->data() + max_keys->size(), value);
    if (ec != std::errc() || end != max_keys->data() + max_keys->size() || value < 0 ||
        value > std::numeric_limits<int32_t>::max()) {
      return Status(ErrorCode::kInvalidArgumentS3,
                    "Argument maxKeys must be an integer between 0 and 2147483647");
    }
    params.max_keys = static_cast<int>(std::min<int64_t>(value, kMaxListKeys));
  }
  if (auto encoding = q.get("encoding-type")) {
    if (!iequals(*encoding, "url")) return Status(ErrorCode::kInvalidEncodingMethod);
    params.url_encode = true;
  }
  return params;
}

}  // namespace

Status handle_list_objects_v1(S3Request& request) {
  MAXIO_TRY(ListObjectsParams params, common_params(request));
  MAXIO_TRY(params.marker, echoed_param(request.route.query, "marker"));
  auto result = request.layer().list_objects(params.bucket, params.prefix, params.marker,
                                             params.delimiter, params.max_keys);
  MAXIO_RETURN_IF_ERROR(bucket_status(result.status()));
  return send_xml(request, 200, {}, list_objects_v1_xml(params, *result));
}

Status handle_list_objects_v2(S3Request& request) {
  const Query& q = request.route.query;
  MAXIO_TRY(ListObjectsParams params, common_params(request));
  MAXIO_TRY(params.start_after, echoed_param(q, "start-after"));
  params.fetch_owner = q.get("fetch-owner") == "true";
  std::string marker = params.start_after;
  if (auto token = q.get("continuation-token")) {
    params.continuation_token = std::string(*token);
    MAXIO_TRY(marker, decode_continuation_token(*token));
  }
  auto result = request.layer().list_objects(params.bucket, params.prefix, marker, params.delimiter,
                                             params.max_keys);
  MAXIO_RETURN_IF_ERROR(bucket_status(result.status()));
  std::string next_token = result->is_truncated ? base64_encode(result->next_marker) : "";
  return send_xml(request, 200, {}, list_objects_v2_xml(params, *result, next_token));
}

Status handle_list_object_versions(S3Request& request) {
  const Query& q = request.route.query;
  MAXIO_TRY(ListObjectsParams params, common_params(request));
  MAXIO_TRY(params.key_marker, echoed_param(q, "key-marker"));
  params.version_id_marker = std::string(q.get("version-id-marker").value_or(""));
  MAXIO_RETURN_IF_ERROR(validate_version_id(params.version_id_marker));
  if (!params.version_id_marker.empty() && params.key_marker.empty()) {
    return Status(ErrorCode::kInvalidArgumentS3,
                  "A version-id marker cannot be specified without a key marker.");
  }
  auto result = request.layer().list_object_versions(params.bucket, params.prefix,
                                                     params.key_marker, params.version_id_marker,
                                                     params.delimiter, params.max_keys);
  MAXIO_RETURN_IF_ERROR(bucket_status(result.status()));
  return send_xml(request, 200, {}, list_object_versions_xml(params, *result));
}

}  // namespace maxio::s3
