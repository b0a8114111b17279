// The Prometheus scrape endpoints.

#include "daemon/metrics/handler.h"

#include <unistd.h>

#include <chrono>
#include <string>

#include "daemon/metrics/collectors.h"
#include "daemon/metrics/process.h"
#include "daemon/s3/errors.h"
#include "shared/crypto/hash.h"
#include "shared/crypto/jwt.h"
#include "shared/util/encoding.h"
#include "shared/util/strings.h"
#include "shared/util/uuid.h"

#ifndef MAXIO_VERSION
#define MAXIO_VERSION "0.0.0"
#endif

namespace maxio::metrics {

namespace {

constexpr std::string_view kClusterPath = "/minio/v2/metrics/cluster";
constexpr std::string_view kNodePath = "/minio/v2/metrics/node";
constexpr std::string_view kContentType = "text/plain; version=0.0.4; charset=utf-8";

// The same x-amz-request-id / x-amz-id-2 shapes as the S3 API's responses.
std::string new_request_id() {
  std::string id = hex_encode(random_bytes(8));
  for (char& c : id) {
    if (c >= 'a' && c <= 'f') c = static_cast<char>(c - 'a' + 'A');
  }
  return id;
}

const std::string& host_id() {
  static const std::string id = [] {
    char name[256] = {};
    if (gethostname(name, sizeof(name) - 1) != 0) name[0] = '\0';
    return sha256_hex(std::string("maxio:") + name);
  }();
  return id;
}

// The bearer token of an "Authorization: Bearer <token>" header ("bearer" in any case).
std::string_view bearer_token(const HttpHeaders& headers) {
  std::string_view value = headers.value_or_empty("authorization");
  if (value.size() < 7 || !iequals(value.substr(0, 7), "bearer ")) return {};
  return trim(value.substr(7));
}

Status send_error(HttpExchange& exchange, const std::string& request_id, const Status& error) {
  const s3::ErrorInfo& info = s3::error_info(error.code());
  s3::ErrorContext context;
  auto path = uri_decode(exchange.request.path);
  context.resource = path ? *path : exchange.request.path;
  context.request_id = request_id;
  context.host_id = host_id();
  std::string body = s3::error_xml(error, context);
  HttpHeaders headers;
  headers.add("x-amz-request-id", request_id);
  headers.add("x-amz-id-2", host_id());
  headers.add("Content-Type", "application/xml");
  HttpResponseWriter& response = exchange.response;
  MAXIO_RETURN_IF_ERROR(response.send_headers(info.http_status, headers, body.size()));
  if (exchange.request.method != "HEAD") MAXIO_RETURN_IF_ERROR(response.write(body));
  return response.finish();
}

// Who may scrape: everyone in public mode, else the holder of a valid Prometheus token.
// Returns the token's access key ("" in public mode). Every refusal carries MinIO's one
// message, so a scraper cannot tell an unknown access key from a bad signature.
Result<std::string> authorize(const ServerContext& ctx, const HttpRequest& request) {
  if (ctx.config.prometheus_auth == PrometheusAuthType::kPublic) return std::string();
  const Status refused(ErrorCode::kAccessDenied,
                       "Authentication failed, check your access credentials");
  std::string_view token = bearer_token(request.headers);
  if (token.empty()) return refused;
  auto lookup = [&ctx](std::string_view access_key) -> std::optional<std::string> {
    if (ctx.credentials == nullptr) return std::nullopt;
    auto credentials = ctx.credentials->find(access_key);
    if (!credentials) return std::nullopt;
    return credentials->secret_key;
  };
  auto claims = jwt::verify_prometheus_token(token, lookup, std::chrono::system_clock::now());
  if (!claims) return refused;
  return claims->access_key;
}

ScrapeInput collect(ServerContext& ctx) {
  ScrapeInput input;
  input.server = ctx.metrics.server_name();
  input.version = MAXIO_VERSION;
  if (ctx.object_layer) input.storage = ctx.object_layer->storage_info();
  input.requests = ctx.metrics.snapshot();
  if (auto process = read_process_stats()) input.process = *process;
  input.now = std::chrono::system_clock::now();
  return input;
}

Status serve(ServerContext& ctx, Endpoint endpoint, HttpExchange& exchange,
             const std::string& request_id, RequestRecord* record) {
  auto access_key = authorize(ctx, exchange.request);
  if (!access_key) return access_key.status();
  if (record) record->access_key = *access_key;
  const std::string& method = exchange.request.method;
  if (method != "GET" && method != "HEAD") return Status(ErrorCode::kMethodNotAllowed);

  ScrapeInput input = collect(ctx);
  std::string body =
      endpoint == Endpoint::kCluster ? render_cluster_metrics(input) : render_node_metrics(input);
  HttpHeaders headers;
  headers.add("x-amz-request-id", request_id);
  headers.add("Content-Type", std::string(kContentType));
  HttpResponseWriter& response = exchange.response;
  MAXIO_RETURN_IF_ERROR(response.send_headers(200, headers, body.size()));
  if (method != "HEAD") MAXIO_RETURN_IF_ERROR(response.write(body));
  return response.finish();
}

}  // namespace

std::optional<Endpoint> endpoint_for_path(std::string_view path) {
  if (path == kClusterPath) return Endpoint::kCluster;
  if (path == kNodePath) return Endpoint::kNode;
  return std::nullopt;
}

void handle_request(ServerContext& ctx, Endpoint endpoint, HttpExchange& exchange,
                    RequestRecord* record) {
  const std::string request_id = new_request_id();
  if (record) {
    record->api = "Metrics";
    record->request_id = request_id;
  }
  Status status = serve(ctx, endpoint, exchange, request_id, record);
  if (status.is_ok() || exchange.response.headers_sent()) return;
  // Nothing was sent yet: the error document. A failure to write it leaves the connection
  // to the server, which closes it.
  (void)send_error(exchange, request_id, status);
}

}  // namespace maxio::metrics
