#pragma once
// Private to daemon/s3: the state one S3 request carries through its handler, the response
// helpers every handler shares, and the handler of each operation. A handler parses the
// request, runs it on ctx.object_layer and writes the response; it returns an error Status
// instead when nothing was sent yet, and handle_request() writes the XML error.
// One S3Request per exchange; not shared between threads.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "daemon/auth/auth.h"
#include "daemon/http/exchange.h"
#include "daemon/s3/router.h"
#include "daemon/server/server_context.h"
#include "shared/util/status.h"
#include "shared/util/time.h"

namespace maxio::s3 {

// 5 GiB: the largest single PUT or copy source S3 accepts.
constexpr uint64_t kMaxObjectSize = uint64_t{5} << 30;
// Request bodies parsed as XML are small by contract.
constexpr size_t kMaxXmlBodySize = 4 << 20;

struct S3Request {
  ServerContext& ctx;
  HttpExchange& exchange;
  Route route;
  bool routed = false;  // route holds the request's operation
  auth::AuthResult auth;
  std::string request_id;
  Timestamp now;
  // CORS headers every response carries: set by add_cors_headers() when the request has an
  // Origin that one of the bucket's CORS rules allows.
  HttpHeaders cors;

  const HttpRequest& http() const { return exchange.request; }
  const HttpHeaders& headers() const { return exchange.request.headers; }
  ObjectLayer& layer() const { return *ctx.object_layer; }
  BucketMetadataStore& buckets() const { return *ctx.bucket_metadata; }
  bool is_head() const { return exchange.request.method == "HEAD"; }
};

// Headers every response carries: x-amz-request-id and x-amz-id-2 ("Server" and "Date"
// come from the HTTP layer).
HttpHeaders base_headers(const S3Request& request);

// Sends `status` with `headers` (base headers added) and an XML body.
Status send_xml(S3Request& request, int status, HttpHeaders headers, const std::string& xml);
// Sends `status` with `headers` (base headers added) and no body.
Status send_empty(S3Request& request, int status, HttpHeaders headers);
// Sends the S3 error for `error` with `headers` added: Content-Type application/xml and the
// XML error document (no body for HEAD; kNotModified is a bare 304). Returns the write's
// status; when headers were already sent it only asks to close the connection.
Status send_error(S3Request& request, const Status& error, HttpHeaders headers = {});

// x-amz-request-id: 16 upper-case hex characters, unique per request.
std::string new_request_id();
// x-amz-id-2 of this process.
const std::string& host_id();

Status handle_list_buckets(S3Request& request);
Status handle_create_bucket(S3Request& request);
Status handle_head_bucket(S3Request& request);
Status handle_delete_bucket(S3Request& request);
Status handle_get_bucket_location(S3Request& request);
Status handle_get_bucket_versioning(S3Request& request);
Status handle_put_bucket_versioning(S3Request& request);
// Every bucket configuration sub-resource (is_bucket_config_operation).
Status handle_bucket_config(S3Request& request);
// OPTIONS preflight: 200 with the matching rule's Access-Control-* headers, 403
// AccessForbidden when no rule allows the Origin, method and headers asked for.
Status handle_cors_preflight(S3Request& request);
// Fills request.cors for a request with an Origin header on a bucket whose CORS rules allow
// that origin and the request's method. Never fails: no match adds nothing.
void add_cors_headers(S3Request& request);
// Refuses with kBucketQuotaExceeded a write of `size` bytes (-1: unknown, counted as 0)
// into `bucket` when it has a hard quota and, as MinIO decides, `size` alone reaches it or
// the usage the scanner last counted plus `size` does. kNoSuchBucket for a missing bucket.
Status enforce_bucket_quota(S3Request& request, const std::string& bucket, int64_t size);
Status handle_get_bucket_acl(S3Request& request);

Status handle_list_objects_v1(S3Request& request);
Status handle_list_objects_v2(S3Request& request);
Status handle_list_object_versions(S3Request& request);

Status handle_put_object(S3Request& request);
Status handle_post_object(S3Request& request);  // authenticates itself (POST policy)
Status handle_copy_object(S3Request& request);
Status handle_get_object(S3Request& request);  // also HeadObject
Status handle_delete_object(S3Request& request);
Status handle_get_object_acl(S3Request& request);
Status handle_get_object_attributes(S3Request& request);
// Get/Put/DeleteObjectTagging.
Status handle_object_tagging(S3Request& request);
Status handle_delete_objects(S3Request& request);

// Multipart uploads (multipart_handlers.cc).
Status handle_create_multipart_upload(S3Request& request);
Status handle_upload_part(S3Request& request);
Status handle_upload_part_copy(S3Request& request);
Status handle_complete_multipart_upload(S3Request& request);
Status handle_abort_multipart_upload(S3Request& request);
Status handle_list_parts(S3Request& request);
Status handle_list_multipart_uploads(S3Request& request);

}  // namespace maxio::s3
