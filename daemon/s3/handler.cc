#include "daemon/s3/handler.h"

#include <unistd.h>

#include <chrono>

#include "daemon/metrics/health.h"
#include "daemon/s3/errors.h"
#include "daemon/s3/request.h"
#include "shared/crypto/hash.h"
#include "shared/util/encoding.h"
#include "shared/util/log.h"
#include "shared/util/strings.h"
#include "shared/util/uuid.h"

namespace maxio::s3 {

namespace {

// Unread request bodies larger than this are not drained: the connection is closed.
constexpr uint64_t kMaxDrainOnError = 1 << 20;

std::string upper(std::string s) {
  for (char& c : s) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return s;
}

// MinIO's probes: live answers while the process serves; ready, cluster and cluster/read
// answer 503 when an erasure set has lost its write (read, for cluster/read) quorum.
// cluster and cluster/read with ?maintenance=true count this node's drives as gone and
// answer 412 instead: may this node be taken down? (Never, with a single node.)
Status handle_health(S3Request& request) {
  const Operation op = request.route.operation;
  if (op == Operation::kHealthLive) return send_empty(request, 200, {});
  if (!request.ctx.object_layer) return send_empty(request, 503, {});
  const bool maintenance =
      op != Operation::kHealthReady && request.route.query.get("maintenance") == "true";
  metrics::ClusterHealth health =
      metrics::cluster_health(request.layer().storage_info(), maintenance);
  HttpHeaders headers;
  bool healthy = health.healthy;
  if (op == Operation::kHealthCluster) {
    headers.add("X-Minio-Write-Quorum", std::to_string(health.write_quorum));
  } else if (op == Operation::kHealthClusterRead) {
    headers.add("X-Minio-Read-Quorum", std::to_string(health.read_quorum));
    healthy = health.healthy_read;
  }
  if (op != Operation::kHealthReady) {
    headers.add("X-Minio-Storage-Class-Defaults",
                request.ctx.config.standard_parity < 0 ? "true" : "false");
    if (health.healing_drives > 0) {
      headers.add("X-Minio-Healing-Drives", std::to_string(health.healing_drives));
    }
  }
  return send_empty(request, healthy ? 200 : (maintenance ? 412 : 503), std::move(headers));
}

Status run_operation(S3Request& request) {
  switch (request.route.operation) {
    case Operation::kHealthLive:
    case Operation::kHealthReady:
    case Operation::kHealthCluster:
    case Operation::kHealthClusterRead:
      return handle_health(request);
    case Operation::kListBuckets:
      return handle_list_buckets(request);
    case Operation::kCreateBucket:
      return handle_create_bucket(request);
    case Operation::kHeadBucket:
      return handle_head_bucket(request);
    case Operation::kDeleteBucket:
      return handle_delete_bucket(request);
    case Operation::kGetBucketLocation:
      return handle_get_bucket_location(request);
    case Operation::kGetBucketVersioning:
      return handle_get_bucket_versioning(request);
    case Operation::kGetBucketAcl:
      return handle_get_bucket_acl(request);
    case Operation::kGetObjectAcl:
      return handle_get_object_acl(request);
    case Operation::kGetObjectAttributes:
      return handle_get_object_attributes(request);
    case Operation::kGetObjectTagging:
    case Operation::kPutObjectTagging:
    case Operation::kDeleteObjectTagging:
      return handle_object_tagging(request);
    case Operation::kListObjectsV1:
      return handle_list_objects_v1(request);
    case Operation::kListObjectsV2:
      return handle_list_objects_v2(request);
    case Operation::kListObjectVersions:
      return handle_list_object_versions(request);
    case Operation::kDeleteObjects:
      return handle_delete_objects(request);
    case Operation::kPostObject:
      return handle_post_object(request);
    case Operation::kPutObject:
      return handle_put_object(request);
    case Operation::kCopyObject:
      return handle_copy_object(request);
    case Operation::kGetObject:
    case Operation::kHeadObject:
      return handle_get_object(request);
    case Operation::kDeleteObject:
      return handle_delete_object(request);
    case Operation::kCreateMultipartUpload:
      return handle_create_multipart_upload(request);
    case Operation::kUploadPart:
      return handle_upload_part(request);
    case Operation::kUploadPartCopy:
      return handle_upload_part_copy(request);
    case Operation::kCompleteMultipartUpload:
      return handle_complete_multipart_upload(request);
    case Operation::kAbortMultipartUpload:
      return handle_abort_multipart_upload(request);
    case Operation::kListParts:
      return handle_list_parts(request);
    case Operation::kListMultipartUploads:
      return handle_list_multipart_uploads(request);
    case Operation::kPutBucketVersioning:
      return handle_put_bucket_versioning(request);
    case Operation::kGetBucketPolicy:
    case Operation::kPutBucketPolicy:
    case Operation::kDeleteBucketPolicy:
    case Operation::kGetBucketTagging:
    case Operation::kPutBucketTagging:
    case Operation::kDeleteBucketTagging:
    case Operation::kGetBucketCors:
    case Operation::kPutBucketCors:
    case Operation::kDeleteBucketCors:
    case Operation::kGetBucketLifecycle:
    case Operation::kPutBucketLifecycle:
    case Operation::kDeleteBucketLifecycle:
    case Operation::kGetBucketEncryption:
    case Operation::kPutBucketEncryption:
    case Operation::kDeleteBucketEncryption:
    case Operation::kGetBucketNotification:
    case Operation::kPutBucketNotification:
    case Operation::kGetBucketReplication:
    case Operation::kPutBucketReplication:
    case Operation::kDeleteBucketReplication:
    case Operation::kGetObjectLockConfiguration:
    case Operation::kPutObjectLockConfiguration:
      return handle_bucket_config(request);
    case Operation::kCorsPreflight:
      return handle_cors_preflight(request);
  }
  return Status(ErrorCode::kNotImplemented);
}

Status dispatch(S3Request& request) {
  Result<Route> route = route_request(request.http(), request.ctx.config.domains);
  if (route) {
    request.route = std::move(route).value();
    request.routed = true;
    Operation op = request.route.operation;
    if (op == Operation::kHealthLive || op == Operation::kHealthReady ||
        op == Operation::kHealthCluster || op == Operation::kHealthClusterRead) {
      return handle_health(request);
    }
    // Browsers send preflights without credentials; they only read the CORS rules.
    if (op == Operation::kCorsPreflight) return handle_cors_preflight(request);
    add_cors_headers(request);
    if (op == Operation::kPostObject) return handle_post_object(request);
  } else {
    // Fill in what the error body reports, as far as the path tells.
    auto path = uri_decode(request.http().path);
    if (path && path->size() > 1) {
      std::string_view p = std::string_view(*path).substr(1);
      auto slash = p.find('/');
      request.route.bucket = std::string(p.substr(0, slash));
      if (slash != p.npos) request.route.key = std::string(p.substr(slash + 1));
    }
  }
  Result<auth::AuthResult> auth = auth::authenticate(request.http(), request.exchange.body,
                                                     request.ctx.auth_config(), request.now);
  if (!auth) return auth.status();
  request.auth = std::move(auth).value();
  // No bucket policies yet: an anonymous request may do nothing.
  if (request.auth.type == auth::AuthType::kAnonymous) return Status(ErrorCode::kAccessDenied);
  if (!route) return route.status();
  return run_operation(request);
}

}  // namespace

std::string new_request_id() { return upper(hex_encode(random_bytes(8))); }

const std::string& host_id() {
  static const std::string id = [] {
    char name[256] = {};
    if (gethostname(name, sizeof(name) - 1) != 0) name[0] = '\0';
    return sha256_hex(std::string("maxio:") + name);
  }();
  return id;
}

HttpHeaders base_headers(const S3Request& request) {
  HttpHeaders headers;
  headers.add("x-amz-request-id", request.request_id);
  headers.add("x-amz-id-2", host_id());
  for (const auto& [name, value] : request.cors.fields()) headers.add(name, value);
  return headers;
}

namespace {

void merge(HttpHeaders& into, const HttpHeaders& from) {
  for (const auto& [name, value] : from.fields()) into.add(name, value);
}

}  // namespace

Status send_xml(S3Request& request, int status, HttpHeaders headers, const std::string& xml) {
  HttpHeaders all = base_headers(request);
  merge(all, headers);
  all.set("Content-Type", "application/xml");
  HttpResponseWriter& response = request.exchange.response;
  MAXIO_RETURN_IF_ERROR(response.send_headers(status, all, xml.size()));
  if (!request.is_head()) MAXIO_RETURN_IF_ERROR(response.write(xml));
  return response.finish();
}

Status send_empty(S3Request& request, int status, HttpHeaders headers) {
  HttpHeaders all = base_headers(request);
  merge(all, headers);
  HttpResponseWriter& response = request.exchange.response;
  // 204 and 304 carry no Content-Length at all.
  std::optional<uint64_t> length;
  if (status != 204 && status != 304) length = 0;
  MAXIO_RETURN_IF_ERROR(response.send_headers(status, all, length));
  return response.finish();
}

Status send_error(S3Request& request, const Status& error, HttpHeaders headers) {
  HttpResponseWriter& response = request.exchange.response;
  if (response.headers_sent()) {
    // Too late for an error document: the client sees a truncated body.
    response.close_after_response();
    return error;
  }
  const HttpRequest& http = request.http();
  if (http.chunked || http.content_length.value_or(0) > kMaxDrainOnError) {
    response.close_after_response();
  }
  const ErrorInfo& info = error_info(error.code());
  HttpHeaders all = base_headers(request);
  merge(all, headers);
  if (info.http_status != 304) all.set("Content-Type", "application/xml");
  if (request.is_head() || info.http_status == 304) {
    // HEAD: the error document's headers without its body; 304 is no error document.
    MAXIO_RETURN_IF_ERROR(response.send_headers(info.http_status, all, 0));
    return response.finish();
  }
  ErrorContext context;
  context.bucket = request.route.bucket;
  context.key = request.route.key;
  auto path = uri_decode(http.path);
  context.resource = path ? *path : http.path;
  context.request_id = request.request_id;
  context.host_id = host_id();
  std::string body = error_xml(error, context);
  MAXIO_RETURN_IF_ERROR(response.send_headers(info.http_status, all, body.size()));
  MAXIO_RETURN_IF_ERROR(response.write(body));
  return response.finish();
}

void handle_request(ServerContext& ctx, HttpExchange& exchange, RequestRecord* record) {
  S3Request request{
      ctx, exchange, {}, false, {}, new_request_id(), std::chrono::system_clock::now(), {}};
  Status status = dispatch(request);
  if (record) {
    record->request_id = request.request_id;
    record->api = request.routed ? std::string(operation_name(request.route.operation)) : "Unknown";
    record->bucket = request.route.bucket;
    record->key = request.route.key;
    record->access_key = request.auth.access_key;
  }
  if (status.is_ok()) return;
  const ErrorInfo& info = error_info(status.code());
  if (info.http_status >= 500 && info.http_status != 501) {
    log_warning("s3: " + request.http().method + " " + request.http().path + ": " +
                status.to_string());
  }
  Status sent = send_error(request, status);
  if (!sent.is_ok() && sent.code() != status.code()) {
    log_debug("s3: could not send the error response: " + sent.to_string());
  }
}

}  // namespace maxio::s3
