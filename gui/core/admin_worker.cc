#include "gui/core/admin_worker.h"

#include <chrono>

#include "shared/admin/client.h"
#include "shared/s3/client.h"
#include "shared/util/time.h"

namespace maxio::console {
namespace {

// A console should notice a dead server in seconds, not minutes.
http::ClientOptions http_options() {
  http::ClientOptions options;
  options.connect_timeout = std::chrono::seconds(3);
  options.io_timeout = std::chrono::seconds(10);
  options.max_connections = 4;
  options.user_agent = "maxio-console/" MAXIO_VERSION;
  return options;
}

std::string describe(const Status& status) {
  return status.message().empty() ? status.to_string() : status.message();
}

bool unreachable(const Status& status) {
  return status.code() == ErrorCode::kIo || status.code() == ErrorCode::kTimeout;
}

}  // namespace

AdminWorker::AdminWorker(QObject* parent) : QObject(parent) {}

AdminWorker::~AdminWorker() = default;

void AdminWorker::register_types() {
  qRegisterMetaType<Connection>();
  qRegisterMetaType<Snapshot>();
}

void AdminWorker::connect_to(Connection connection, quint64 generation) {
  admin_.reset();
  s3_.reset();
  connect_error_.clear();
  generation_ = generation;
  if (Status valid = validate(connection); !valid.is_ok()) {
    connect_error_ = describe(valid);
  } else {
    auto admin = admin::AdminClient::create({.endpoint = connection.endpoint,
                                             .access_key = connection.access_key,
                                             .secret_key = connection.secret_key,
                                             .region = connection.region,
                                             .http = http_options()});
    s3client::S3ClientOptions s3_options;
    s3_options.endpoint = connection.endpoint;
    s3_options.access_key = connection.access_key;
    s3_options.secret_key = connection.secret_key;
    s3_options.region = connection.region;
    s3_options.max_retries = 1;
    s3_options.http = http_options();
    auto s3 = s3client::S3Client::create(std::move(s3_options));
    if (!admin) {
      connect_error_ = describe(admin.status());
    } else if (!s3) {
      connect_error_ = describe(s3.status());
    } else {
      admin_ = std::move(admin).value();
      s3_ = std::move(s3).value();
    }
  }
  refresh();
}

void AdminWorker::refresh() {
  Snapshot snapshot;
  snapshot.generation = generation_;
  if (!admin_ || !s3_) {
    snapshot.errors.push_back(connect_error_.empty() ? "not connected" : connect_error_);
    emit refreshed(std::move(snapshot));
    return;
  }
  // Returns false when the rest is not worth asking: the server cannot be reached (the
  // other requests would only wait for the same timeout), or server info, the first
  // request, failed (refused credentials would fail every request the same way).
  auto fetch = [&](const char* what, auto&& call,
                   std::optional<nlohmann::ordered_json>& into) -> bool {
    auto result = call();
    if (result) {
      into = std::move(result).value();
      return true;
    }
    snapshot.errors.push_back(std::string(what) + ": " + describe(result.status()));
    return !unreachable(result.status()) && snapshot.info.has_value();
  };
  bool reachable = fetch(
                       "server info", [&] { return admin_->server_info(); }, snapshot.info) &&
                   fetch(
                       "topology", [&] { return admin_->topology(); }, snapshot.topology) &&
                   fetch(
                       "data usage", [&] { return admin_->data_usage(); }, snapshot.usage) &&
                   fetch(
                       "heal status", [&] { return admin_->heal_status(); }, snapshot.heal);
  if (reachable) {
    auto buckets = s3_->list_buckets();
    if (buckets) {
      std::vector<ListedBucket> listed;
      for (const auto& bucket : *buckets) {
        listed.push_back({bucket.name, format_iso8601(bucket.creation_date)});
      }
      snapshot.buckets = std::move(listed);
    } else {
      snapshot.errors.push_back("bucket list: " + describe(buckets.status()));
    }
  }
  emit refreshed(std::move(snapshot));
}

}  // namespace maxio::console
