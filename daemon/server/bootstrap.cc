// Daemon start-up and shutdown.

#include "daemon/server/bootstrap.h"

#include <unistd.h>

#include <algorithm>
#include <thread>

#include "daemon/admin/admin.h"
#include "daemon/http/observed_exchange.h"
#include "daemon/metrics/handler.h"
#include "daemon/observe/log_hub.h"
#include "daemon/s3/handler.h"
#include "shared/util/log.h"

namespace maxio {

namespace {

// Serves one request (metrics, admin API, or S3) and publishes what happened to the request
// log.
void serve(ServerContext& context, admin::AdminService& admin, HttpExchange& exchange) {
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
  } else if (admin::is_admin_path(http.path)) {
    admin.handle_request(observed.exchange(), &record);
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

ObjectLayerOptions storage_options_of(const ServerConfig& config) {
  ObjectLayerOptions options;
  for (const PoolConfig& pool : config.pools) {
    options.pools.push_back(PoolLayout{pool.drives, pool.set_drive_count});
  }
  if (options.pools.empty() && !config.drives.empty()) {
    // A config built by hand (tests, embedders) with a drive list only: one set of them.
    options.pools.push_back(PoolLayout{config.drives, static_cast<int>(config.drives.size())});
  }
  options.standard_parity = config.standard_parity;
  options.rrs_parity = config.rrs_parity;
  options.scanner_interval = config.scanner_interval;
  options.probe_interval = config.drive_probe_interval;
  options.drive_timeout = config.drive_timeout;
  options.deep_scan_every = config.deep_scan_every;
  return options;
}

bool same_background_work(const ServerConfig& a, const ServerConfig& b) {
  return a.scanner_interval == b.scanner_interval &&
         a.drive_probe_interval == b.drive_probe_interval && a.drive_timeout == b.drive_timeout &&
         a.deep_scan_every == b.deep_scan_every;
}

// Half the HTTP workers at most may be held by admin streams.
size_t max_admin_streams(const HttpServerOptions& options) {
  size_t workers = options.worker_threads > 0
                       ? static_cast<size_t>(options.worker_threads)
                       : 4 * std::max(1u, std::thread::hardware_concurrency());
  return std::max<size_t>(1, workers / 2);
}

}  // namespace

Daemon::Daemon() = default;

Daemon::~Daemon() {
  if (admin_) admin_->begin_shutdown();
  if (http_) http_->shutdown(std::chrono::milliseconds(0));
}

Result<std::unique_ptr<Daemon>> Daemon::start(ServerConfig config, HttpServerOptions http_options,
                                              std::function<void(ServiceAction)> service_hook) {
  std::unique_ptr<Daemon> daemon(new Daemon());
  daemon->log_hub_ = std::make_unique<LogHub>();
  daemon->context_ = std::make_unique<ServerContext>();
  ServerContext& context = *daemon->context_;
  const ServerConfig startup_config = config;
  context.config = std::move(config);
  context.service_hook = std::move(service_hook);

  auto object_layer = open_object_layer(storage_options_of(context.config));
  if (!object_layer) return object_layer.status();
  context.object_layer = std::move(object_layer).value();

  // Settings stored through the admin API win over the command line. Background intervals
  // are options of the object layer: when they change, it is opened again with them.
  auto stored = admin::with_stored_settings(*context.object_layer, context.config);
  if (!stored) {
    log_warning("config: stored settings ignored: " + stored.status().to_string());
  } else {
    const bool reopen = !same_background_work(*stored, context.config);
    context.config = std::move(stored).value();
    if (reopen) {
      context.object_layer.reset();
      auto reopened = open_object_layer(storage_options_of(context.config));
      if (!reopened) return reopened.status();
      context.object_layer = std::move(reopened).value();
    }
  }
  context.bucket_metadata = std::make_unique<BucketMetadataStore>(*context.object_layer);
  context.credentials = std::make_unique<auth::StaticCredentialProvider>(context.config.root);
  context.request_log.subscribe(
      [&metrics = context.metrics](const RequestRecord& record) { metrics.record(record); });

  admin::AdminOptions admin_options;
  admin_options.startup_config = startup_config;
  admin_options.max_streams = max_admin_streams(http_options);
  daemon->admin_ = admin::AdminService::create(context, *daemon->log_hub_, admin_options);

  http_options.address = context.config.address;
  admin::AdminService& admin = *daemon->admin_;
  auto http = HttpServer::start(
      std::move(http_options),
      [&context, &admin](HttpExchange& exchange) { serve(context, admin, exchange); });
  if (!http) return http.status();
  daemon->http_ = std::move(http).value();
  context.metrics.set_server_name(server_name(context.config.address, daemon->http_->port()));
  daemon->admin_->set_endpoints({daemon->api_url()});
  return daemon;
}

uint16_t Daemon::port() const { return http_->port(); }

std::string Daemon::api_url() const {
  std::string host = listen_host(context_->config.address);
  if (host.empty()) host = "127.0.0.1";
  return "http://" + host + ":" + std::to_string(port());
}

void Daemon::shutdown(std::chrono::milliseconds drain) {
  admin_->begin_shutdown();
  http_->shutdown(drain);
  admin_->shutdown();
}

}  // namespace maxio
