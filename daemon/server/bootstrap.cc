// Daemon start-up and shutdown.

#include "daemon/server/bootstrap.h"

#include <unistd.h>

#include "daemon/http/observed_exchange.h"
#include "daemon/metrics/handler.h"
#include "daemon/s3/handler.h"

namespace maxio {

namespace {

// Serves one request and publishes what happened to the request log.
void serve(ServerContext& context, HttpExchange& exchange) {
  const auto start = std::chrono::steady_clock::now();
  const HttpRequest& http = exchange.request;
  RequestRecord record;
  record.time = std::chrono::system_clock::now();
  record.method = http.method;
  record.path = http.path;
  record.raw_query = http.raw_query;
  record.remote_address = http.remote_address;
  ObservedExchange observed(exchange);
  if (auto endpoint = metrics::endpoint_for_path(http.path)) {
    metrics::handle_request(context, *endpoint, observed.exchange(), &record);
  } else {
    s3::handle_request(context, observed.exchange(), &record);
  }
  // No status sent: the HTTP server answers 500 for the handler.
  record.status = observed.status() != 0 ? observed.status() : 500;
  record.bytes_in = observed.bytes_in();
  record.bytes_out = observed.bytes_out();
  record.duration = std::chrono::duration_cast<std::chrono::microseconds>(
      std::chrono::steady_clock::now() - start);
  context.request_log.publish(record);
}

// The host of a listen address ("[::1]" of "[::1]:9000"); "" when it listens everywhere.
std::string listen_host(const std::string& address) {
  std::string host;
  if (!address.empty() && address.front() == '[') {
    host = address.substr(0, address.find(']') + 1);
  } else {
    host = address.substr(0, address.rfind(':'));
  }
  return host == "0.0.0.0" || host == "[::]" ? "" : host;
}

// The "server" label of the metrics: the listen host with the bound port, the host name
// when listening everywhere (MinIO labels series with its node's host:port).
std::string server_name(const std::string& address, uint16_t port) {
  std::string host = listen_host(address);
  if (host.empty()) {
    char name[256] = {};
    host = gethostname(name, sizeof(name) - 1) == 0 && name[0] != '\0' ? name : "localhost";
  }
  return host + ":" + std::to_string(port);
}

}  // namespace

Daemon::~Daemon() {
  if (http_) http_->shutdown(std::chrono::milliseconds(0));
}

Result<std::unique_ptr<Daemon>> Daemon::start(ServerConfig config, HttpServerOptions http_options) {
  std::unique_ptr<Daemon> daemon(new Daemon());
  daemon->context_ = std::make_unique<ServerContext>();
  ServerContext& context = *daemon->context_;
  context.config = std::move(config);
  context.credentials = std::make_unique<auth::StaticCredentialProvider>(context.config.root);

  ObjectLayerOptions storage_options;
  for (const PoolConfig& pool : context.config.pools) {
    storage_options.pools.push_back(PoolLayout{pool.drives, pool.set_drive_count});
  }
  if (storage_options.pools.empty() && !context.config.drives.empty()) {
    // A config built by hand (tests, embedders) with a drive list only: one set of them.
    storage_options.pools.push_back(
        PoolLayout{context.config.drives, static_cast<int>(context.config.drives.size())});
  }
  storage_options.standard_parity = context.config.standard_parity;
  storage_options.rrs_parity = context.config.rrs_parity;
  storage_options.scanner_interval = context.config.scanner_interval;
  storage_options.probe_interval = context.config.drive_probe_interval;
  storage_options.drive_timeout = context.config.drive_timeout;
  storage_options.deep_scan_every = context.config.deep_scan_every;
  auto object_layer = open_object_layer(storage_options);
  if (!object_layer) return object_layer.status();
  context.object_layer = std::move(object_layer).value();

  context.request_log.subscribe(
      [&metrics = context.metrics](const RequestRecord& record) { metrics.record(record); });

  http_options.address = context.config.address;
  auto http = HttpServer::start(std::move(http_options),
                                [&context](HttpExchange& exchange) { serve(context, exchange); });
  if (!http) return http.status();
  daemon->http_ = std::move(http).value();
  context.metrics.set_server_name(server_name(context.config.address, daemon->http_->port()));
  return daemon;
}

uint16_t Daemon::port() const { return http_->port(); }

std::string Daemon::api_url() const {
  std::string host = listen_host(context_->config.address);
  if (host.empty()) host = "127.0.0.1";
  return "http://" + host + ":" + std::to_string(port());
}

void Daemon::shutdown(std::chrono::milliseconds drain) { http_->shutdown(drain); }

}  // namespace maxio
