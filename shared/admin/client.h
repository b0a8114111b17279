#pragma once
// AdminClient: Maxio's admin API (JSON over HTTP under /maxio/admin/v1/, SigV4-signed with
// service "s3" and the server's region, as MinIO's madmin signs) for maxioctl and the
// console. Every call returns the response's JSON document as it came; the streamed routes
// (heal progress, trace, console log) return a JsonLineStream. Owns its HttpClient and
// connection pool. Thread-safe: one client serves any number of threads; a JsonLineStream
// is read by one thread at a time.
// Errors: the server's JSON error {"Code","Message","RequestId"} (or an S3 XML error, from
// a server without the admin API) comes back as a Status (read it with
// AdminError::from_status), connection failures as the HTTP client's kIo / kTimeout, an
// unparsable answer as kInternal.

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "shared/http/client.h"
#include "shared/util/status.h"

namespace maxio::admin {

// The path every admin route hangs under.
inline constexpr std::string_view kAdminPrefix = "/maxio/admin/v1";

using Json = nlohmann::ordered_json;

// An error answer of the admin API carried inside a Status, like s3client::S3Error.
struct AdminError {
  int http_status = 0;
  std::string code;  // "XMaxioHealAlreadyRunning", "AccessDenied", ...
  std::string message;
  std::string request_id;
  std::string request;  // "POST /maxio/admin/v1/heal/start"

  // A Status whose code follows the HTTP status (403 kAccessDenied, 404 kNoSuchKey,
  // 501 kNotImplemented, 503 kServiceUnavailable, other 4xx kInvalidRequest, 5xx kInternal)
  // and whose message is "Code (HTTP n) request [request id]: Message".
  Status to_status() const;
  // The AdminError inside a Status made by to_status(); nullopt for any other Status.
  static std::optional<AdminError> from_status(const Status& status);
};

struct AdminClientOptions {
  std::string endpoint = {};  // "http://127.0.0.1:9000"
  std::string access_key = {};
  std::string secret_key = {};
  std::string region = "us-east-1";
  http::ClientOptions http = {};
};

struct HealOptions {
  std::string bucket = {};  // "" heals every bucket
  std::string prefix = {};  // needs a bucket
  bool deep = false;        // also verify every shard's bitrot hash
};

struct TraceOptions {
  bool errors_only = false;  // only requests answered with status >= 400
  std::string api = {};      // "PutObject,Get*": names or prefixes ending in '*'; "" all
};

struct LogOptions {
  std::string level = {};  // "debug", "info", "warning", "error"; "" for all
  size_t last = 0;         // lines of recent history sent first
};

// The JSON lines of a streamed route. Blank lines (the server's heartbeats) are skipped.
class JsonLineStream {
 public:
  explicit JsonLineStream(http::Response response);
  JsonLineStream(const JsonLineStream&) = delete;
  JsonLineStream& operator=(const JsonLineStream&) = delete;
  ~JsonLineStream();

  // The next document; nullopt once the server ended the stream. kInternal for a line that
  // is not JSON (or longer than 1 MiB), kIo / kTimeout when the connection fails.
  Result<std::optional<Json>> next();

 private:
  http::Response response_;
  std::string buffer_;
  bool eof_ = false;
};

class AdminClient {
 public:
  AdminClient(const AdminClient&) = delete;
  AdminClient& operator=(const AdminClient&) = delete;
  ~AdminClient();

  // kInvalidArgument for a malformed endpoint or empty credentials; no request is sent.
  static Result<std::unique_ptr<AdminClient>> create(AdminClientOptions options);

  // Server identity, drive counts and parity (GET /info).
  Result<Json> server_info();
  // Pools, sets and drives with their state and usage (GET /topology).
  Result<Json> topology();
  // Objects and bytes per bucket from the last scan (GET /datausage).
  Result<Json> data_usage();

  // Starts a heal run (POST /heal/start) and returns its first status.
  Result<Json> heal_start(const HealOptions& options);
  Result<Json> heal_status();  // GET /heal/status
  Result<Json> heal_stop();    // POST /heal/stop
  // The run's status once a second until it ends (GET /heal/stream).
  Result<std::unique_ptr<JsonLineStream>> heal_stream();

  // The server configuration (GET /config).
  Result<Json> get_config();
  // Replaces the stored configuration (PUT /config); returns the new history entry.
  Result<Json> set_config(const Json& config);
  Result<Json> config_history();                     // GET /config/history
  Result<Json> restore_config(std::string_view id);  // POST /config/restore?id=

  Result<Json> service_stop();     // POST /service/stop
  Result<Json> service_restart();  // POST /service/restart

  // One line per request the server finished (GET /trace), until the caller stops reading.
  Result<std::unique_ptr<JsonLineStream>> trace(const TraceOptions& options);
  // The server's log lines (GET /log).
  Result<std::unique_ptr<JsonLineStream>> console_log(const LogOptions& options);

  // Any route: `route` is the path after kAdminPrefix ("/info"); `query` holds decoded
  // name/value pairs; `body` is sent as application/json when not empty. Returns the
  // parsed response ({} for an empty body).
  Result<Json> call(std::string_view method, std::string_view route,
                    const std::vector<std::pair<std::string, std::string>>& query = {},
                    std::string body = {});

  const AdminClientOptions& options() const;

  class Impl;  // defined in client.cc

 private:
  explicit AdminClient(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace maxio::admin
