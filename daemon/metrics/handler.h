#pragma once
// The Prometheus scrape endpoints, /minio/v2/metrics/cluster and /minio/v2/metrics/node:
// authorizes the scrape (a bearer JWT as `mc admin prometheus generate` makes, unless
// MAXIO_PROMETHEUS_AUTH_TYPE=public), then writes the text exposition of ctx's state.
// Thread-safe: called concurrently from the server's worker threads.

#include <optional>
#include <string_view>

#include "daemon/http/exchange.h"
#include "daemon/observe/request_log.h"
#include "daemon/server/server_context.h"

namespace maxio::metrics {

enum class Endpoint { kCluster, kNode };

// The endpoint a request path (still percent-encoded) names, or nullopt for any other path.
std::optional<Endpoint> endpoint_for_path(std::string_view path);

// Serves one scrape: 200 with text/plain; version=0.0.4 for GET (HEAD: headers only);
// 403 AccessDenied (S3 XML error) when JWT auth is on and the request carries no valid
// "Authorization: Bearer <token>" signed for a known access key with issuer "prometheus";
// 405 MethodNotAllowed for other methods. Fills in record's api ("Metrics"), request ID
// and the token's access key.
void handle_request(ServerContext& ctx, Endpoint endpoint, HttpExchange& exchange,
                    RequestRecord* record = nullptr);

}  // namespace maxio::metrics
