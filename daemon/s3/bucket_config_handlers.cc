// Bucket configuration sub-resources: Get/Put/Delete of policy, tagging, cors, lifecycle,
// encryption, replication; Get/Put of notification and object-lock. Each is validated by
// daemon/bucket/configs.h (cors.h for CORS), stored in the bucket's metadata as sent, and
// returned byte for byte.

#include <algorithm>

#include "daemon/bucket/configs.h"
#include "daemon/bucket/cors.h"
#include "daemon/s3/request.h"
#include "daemon/s3/validation.h"
#include "shared/util/io.h"
#include "shared/util/strings.h"

namespace maxio::s3 {

namespace {

struct ConfigSpec {
  std::string BucketMetadata::*field;
  Timestamp BucketMetadata::*updated;
  ErrorCode not_found;
  const char* content_type;
  int put_status;  // AWS answers some puts 204, most 200
};

const ConfigSpec kPolicy{&BucketMetadata::policy_json, &BucketMetadata::policy_updated,
                         ErrorCode::kNoSuchBucketPolicy, "application/json", 204};
const ConfigSpec kTagging{&BucketMetadata::tagging_xml, &BucketMetadata::tagging_updated,
                          ErrorCode::kNoSuchTagSet, "application/xml", 204};
const ConfigSpec kCors{&BucketMetadata::cors_xml, &BucketMetadata::cors_updated,
                       ErrorCode::kNoSuchCORSConfiguration, "application/xml", 200};
const ConfigSpec kLifecycle{&BucketMetadata::lifecycle_xml, &BucketMetadata::lifecycle_updated,
                            ErrorCode::kNoSuchLifecycleConfiguration, "application/xml", 200};
const ConfigSpec kEncryption{&BucketMetadata::encryption_xml, &BucketMetadata::encryption_updated,
                             ErrorCode::kNoSuchEncryptionConfiguration, "application/xml", 200};
const ConfigSpec kNotification{&BucketMetadata::notification_xml,
                               &BucketMetadata::notification_updated, ErrorCode::kOk,
                               "application/xml", 200};
const ConfigSpec kReplication{&BucketMetadata::replication_xml,
                              &BucketMetadata::replication_updated,
                              ErrorCode::kNoSuchReplicationConfiguration, "application/xml", 200};
const ConfigSpec kObjectLock{&BucketMetadata::object_lock_xml, &BucketMetadata::object_lock_updated,
                             ErrorCode::kNoSuchObjectLockConfiguration, "application/xml", 200};

Status send_document(S3Request& request, const char* content_type, const std::string& body) {
  HttpHeaders all = base_headers(request);
  all.set("Content-Type", content_type);
  HttpResponseWriter& response = request.exchange.response;
  MAXIO_RETURN_IF_ERROR(response.send_headers(200, all, body.size()));
  if (!request.is_head()) MAXIO_RETURN_IF_ERROR(response.write(body));
  return response.finish();
}

Result<BucketMetadata> bucket_metadata(S3Request& request) {
  MAXIO_RETURN_IF_ERROR(validate_bucket_name(request.route.bucket));
  return request.buckets().get(request.route.bucket);
}

Status get_config(S3Request& request, const ConfigSpec& spec) {
  MAXIO_TRY(BucketMetadata m, bucket_metadata(request));
  const std::string& stored = m.*spec.field;
  if (stored.empty()) {
    if (&spec == &kNotification) {
      return send_document(request, spec.content_type, empty_notification_xml());
    }
    return Status(spec.not_found);
  }
  return send_document(request, spec.content_type, stored);
}

// Reads the body, checks the bucket, runs `validate`, stores the body as sent.
template <typename Validate>
Status put_config(S3Request& request, const ConfigSpec& spec, Validate validate) {
  MAXIO_TRY(std::string body, read_all(*request.auth.body, kMaxXmlBodySize));
  MAXIO_TRY(BucketMetadata current, bucket_metadata(request));
  MAXIO_RETURN_IF_ERROR(validate(body, current));
  MAXIO_RETURN_IF_ERROR(request.buckets().update(request.route.bucket, [&](BucketMetadata& m) {
    m.*spec.field = body;
    m.*spec.updated = request.now;
    return Status::ok();
  }));
  return send_empty(request, spec.put_status, {});
}

Status delete_config(S3Request& request, const ConfigSpec& spec) {
  MAXIO_TRY(BucketMetadata current, bucket_metadata(request));
  if (!(current.*spec.field).empty()) {
    MAXIO_RETURN_IF_ERROR(request.buckets().update(request.route.bucket, [&](BucketMetadata& m) {
      (m.*spec.field).clear();
      m.*spec.updated = request.now;
      return Status::ok();
    }));
  }
  return send_empty(request, 204, {});
}

bool object_lock_enabled(const BucketMetadata& m) {
  return m.lock_enabled || object_lock_xml_enabled(m.object_lock_xml);
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += ", ";
    out += item;
  }
  return out;
}

// The headers AWS sends for `origin` allowed by `rule`.
HttpHeaders cors_headers(const CorsRule& rule, std::string_view origin) {
  HttpHeaders h;
  const bool any_origin = std::find(rule.allowed_origins.begin(), rule.allowed_origins.end(),
                                    "*") != rule.allowed_origins.end();
  h.add("Access-Control-Allow-Origin", any_origin ? "*" : std::string(origin));
  if (!any_origin) h.add("Access-Control-Allow-Credentials", "true");
  h.add("Access-Control-Allow-Methods", join(rule.allowed_methods));
  if (!rule.expose_headers.empty()) {
    h.add("Access-Control-Expose-Headers", join(rule.expose_headers));
  }
  if (rule.max_age_seconds) {
    h.add("Access-Control-Max-Age", std::to_string(*rule.max_age_seconds));
  }
  h.add("Vary", "Origin, Access-Control-Request-Headers, Access-Control-Request-Method");
  return h;
}

std::vector<std::string> split_header_list(std::string_view list) {
  std::vector<std::string> out;
  while (!list.empty()) {
    auto comma = list.find(',');
    std::string_view item = trim(list.substr(0, comma));
    if (!item.empty()) out.emplace_back(item);
    if (comma == list.npos) break;
    list.remove_prefix(comma + 1);
  }
  return out;
}

}  // namespace

Status handle_cors_preflight(S3Request& request) {
  const std::string origin(request.headers().value_or_empty("origin"));
  const std::string method(request.headers().value_or_empty("access-control-request-method"));
  if (origin.empty() || method.empty()) {
    return Status(ErrorCode::kCorsForbidden,
                  "Insufficient information. Origin request header needed.");
  }
  MAXIO_RETURN_IF_ERROR(validate_bucket_name(request.route.bucket));
  MAXIO_TRY(BucketState state, request.buckets().state(request.route.bucket));
  if (!state.cors) {
    return Status(ErrorCode::kCorsForbidden, "CORSResponse: CORS is not enabled for this bucket.");
  }
  std::vector<std::string> headers =
      split_header_list(request.headers().value_or_empty("access-control-request-headers"));
  const CorsRule* rule = match_cors_rule(*state.cors, origin, method, headers);
  if (!rule) return Status(ErrorCode::kCorsForbidden);
  HttpHeaders h = cors_headers(*rule, origin);
  if (!headers.empty()) h.add("Access-Control-Allow-Headers", join(headers));
  return send_empty(request, 200, std::move(h));
}

void add_cors_headers(S3Request& request) {
  const std::string_view origin = request.headers().value_or_empty("origin");
  if (origin.empty() || request.route.bucket.empty() || !request.ctx.bucket_metadata) return;
  if (!validate_bucket_name(request.route.bucket).is_ok()) return;
  Result<BucketState> state = request.buckets().state(request.route.bucket);
  if (!state || !state->cors) return;
  const CorsRule* rule = match_cors_rule(*state->cors, origin, request.http().method, {});
  if (rule) request.cors = cors_headers(*rule, origin);
}

Status enforce_bucket_quota(S3Request& request, const std::string& bucket, int64_t size) {
  MAXIO_TRY(BucketState state, request.buckets().state(bucket));
  if (!state.hard_quota) return Status::ok();
  const uint64_t quota = *state.hard_quota;
  const uint64_t incoming = size > 0 ? static_cast<uint64_t>(size) : 0;
  if (incoming >= quota) return Status(ErrorCode::kBucketQuotaExceeded);
  uint64_t used = 0;
  for (const BucketUsage& usage : request.layer().storage_info().usage) {
    if (usage.bucket == bucket) used = usage.bytes;
  }
  if (used > 0 && used + incoming >= quota) return Status(ErrorCode::kBucketQuotaExceeded);
  return Status::ok();
}

Status handle_bucket_config(S3Request& request) {
  using Op = Operation;
  switch (request.route.operation) {
    case Op::kGetBucketPolicy:
      return get_config(request, kPolicy);
    case Op::kPutBucketPolicy:
      return put_config(request, kPolicy, [&](const std::string& body, const BucketMetadata&) {
        return validate_bucket_policy(body, request.route.bucket);
      });
    case Op::kDeleteBucketPolicy:
      return delete_config(request, kPolicy);
    case Op::kGetBucketTagging:
      return get_config(request, kTagging);
    case Op::kPutBucketTagging:
      return put_config(request, kTagging, [](const std::string& body, const BucketMetadata&) {
        return validate_bucket_tagging(body);
      });
    case Op::kDeleteBucketTagging:
      return delete_config(request, kTagging);
    case Op::kGetBucketCors:
      return get_config(request, kCors);
    case Op::kPutBucketCors:
      return put_config(request, kCors, [](const std::string& body, const BucketMetadata&) {
        return parse_cors(body).status();
      });
    case Op::kDeleteBucketCors:
      return delete_config(request, kCors);
    case Op::kGetBucketLifecycle:
      return get_config(request, kLifecycle);
    case Op::kPutBucketLifecycle:
      return put_config(request, kLifecycle, [](const std::string& body, const BucketMetadata&) {
        return validate_lifecycle(body);
      });
    case Op::kDeleteBucketLifecycle:
      return delete_config(request, kLifecycle);
    case Op::kGetBucketEncryption:
      return get_config(request, kEncryption);
    case Op::kPutBucketEncryption:
      return put_config(request, kEncryption, [](const std::string& body, const BucketMetadata&) {
        return validate_bucket_encryption(body);
      });
    case Op::kDeleteBucketEncryption:
      return delete_config(request, kEncryption);
    case Op::kGetBucketNotification:
      return get_config(request, kNotification);
    case Op::kPutBucketNotification:
      return put_config(request, kNotification, [](const std::string& body, const BucketMetadata&) {
        return validate_notification(body);
      });
    case Op::kGetBucketReplication:
      return get_config(request, kReplication);
    case Op::kPutBucketReplication:
      return put_config(request, kReplication, [&](const std::string& body, const BucketMetadata&) {
        // As MinIO: versioning first, then the document, then its destinations.
        MAXIO_TRY(VersioningState state, request.buckets().versioning(request.route.bucket));
        if (state != VersioningState::kEnabled) {
          return Status(ErrorCode::kReplicationNeedsVersioning);
        }
        return validate_replication(body);
      });
    case Op::kDeleteBucketReplication:
      return delete_config(request, kReplication);
    case Op::kGetObjectLockConfiguration: {
      MAXIO_TRY(BucketMetadata m, bucket_metadata(request));
      if (!object_lock_enabled(m)) return Status(ErrorCode::kNoSuchObjectLockConfiguration);
      return send_document(
          request, kObjectLock.content_type,
          m.object_lock_xml.empty() ? std::string(kObjectLockEnabledXml) : m.object_lock_xml);
    }
    case Op::kPutObjectLockConfiguration:
      return put_config(request, kObjectLock, [](const std::string& body, const BucketMetadata& m) {
        if (!object_lock_enabled(m)) {
          return Status(ErrorCode::kInvalidBucketState,
                        "Object Lock configuration cannot be enabled on existing buckets");
        }
        return validate_object_lock(body);
      });
    default:
      return Status(ErrorCode::kNotImplemented);
  }
}

}  // namespace maxio::s3
