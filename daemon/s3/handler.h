#pragma once
// The S3 API entry point: routes one HTTP exchange (path- or virtual-host-style) to its
// S3 operation, authenticates it, runs it against ctx.object_layer and writes the response
// (XML errors from the one table in daemon/s3/errors.h, x-amz-request-id on every response).
// Thread-safe: called concurrently from the server's worker threads.

#include "daemon/http/exchange.h"
#include "daemon/observe/request_log.h"
#include "daemon/server/server_context.h"

namespace maxio::s3 {

// Serves one S3 request. When `record` is given, fills in what only the S3 layer knows: the
// operation (api), request ID, bucket, key and the signer's access key.
void handle_request(ServerContext& ctx, HttpExchange& exchange, RequestRecord* record = nullptr);

}  // namespace maxio::s3
