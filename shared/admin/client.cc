// AdminClient: each call signs its request with SigV4 (service "s3"), sends it through the
// HttpClient and parses the JSON answer; non-2xx answers become AdminError statuses.

#include "shared/admin/client.h"

#include <charconv>
#include <chrono>

#include <nlohmann/json.hpp>

#include "shared/crypto/hash.h"
#include "shared/sigv4/signer.h"
#include "shared/util/strings.h"

namespace maxio::admin {

namespace {

using QueryList = std::vector<std::pair<std::string, std::string>>;

constexpr size_t kErrorBodyLimit = 64 * 1024;
constexpr size_t kJsonBodyLimit = 16 << 20;
constexpr size_t kLineLimit = 1 << 20;

constexpr std::string_view kHttpMarker = " (HTTP ";
constexpr std::string_view kRequestMarker = " [request ";
constexpr std::string_view kMessageMarker = "]: ";

ErrorCode code_for_status(int http_status) {
  switch (http_status) {
    case 401:
    case 403:
      return ErrorCode::kAccessDenied;
    case 404:
      return ErrorCode::kNoSuchKey;
    case 405:
      return ErrorCode::kMethodNotAllowed;
    case 501:
      return ErrorCode::kNotImplemented;
    case 503:
      return ErrorCode::kServiceUnavailable;
    default:
      return http_status >= 500 ? ErrorCode::kInternal : ErrorCode::kInvalidRequest;
  }
}

std::string encode_query(const QueryList& query) {
  std::string out;
  for (const auto& [name, value] : query) {
    if (!out.empty()) out.push_back('&');
    out.append(uri_encode(name, true)).append("=").append(uri_encode(value, true));
  }
  return out;
}

// The text of the first <name>...</name> in a small XML document ("" when absent).
std::string xml_element(std::string_view xml, std::string_view name) {
  std::string open = "<" + std::string(name) + ">";
  std::string close = "</" + std::string(name) + ">";
  auto start = xml.find(open);
  if (start == std::string_view::npos) return "";
  start += open.size();
  auto end = xml.find(close, start);
  if (end == std::string_view::npos) return "";
  return std::string(xml.substr(start, end - start));
}

Result<Json> parse_json(std::string_view text, std::string_view what) {
  if (trim(text).empty()) return Json::object();
  Json document = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (document.is_discarded()) {
    return Status(ErrorCode::kInternal, std::string(what) + ": the answer is not JSON");
  }
  return document;
}

}  // namespace

Status AdminError::to_status() const {
  std::string text = code;
  text.append(kHttpMarker).append(std::to_string(http_status)).append(") ");
  text.append(request).append(kRequestMarker).append(request_id).append(kMessageMarker);
  text.append(message);
  return Status(code_for_status(http_status), std::move(text));
}

std::optional<AdminError> AdminError::from_status(const Status& status) {
  const std::string& text = status.message();
  auto http = text.find(kHttpMarker);
  if (status.is_ok() || http == std::string::npos) return std::nullopt;
  auto close = text.find(") ", http);
  auto request = text.find(kRequestMarker, http);
  if (close == std::string::npos || request == std::string::npos) return std::nullopt;
  auto message = text.find(kMessageMarker, request);
  if (message == std::string::npos) return std::nullopt;
  AdminError error;
  error.code = text.substr(0, http);
  std::string_view digits(text.data() + http + kHttpMarker.size(),
                          close - http - kHttpMarker.size());
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), error.http_status);
  if (ec != std::errc() || end != digits.data() + digits.size()) return std::nullopt;
  error.request = text.substr(close + 2, request - close - 2);
  error.request_id =
      text.substr(request + kRequestMarker.size(), message - request - kRequestMarker.size());
  error.message = text.substr(message + kMessageMarker.size());
  return error;
}

// ---- JsonLineStream ----

JsonLineStream::JsonLineStream(http::Response response) : response_(std::move(response)) {}
JsonLineStream::~JsonLineStream() = default;

Result<std::optional<Json>> JsonLineStream::next() {
  while (true) {
    auto newline = buffer_.find('\n');
    if (newline != std::string::npos || (eof_ && !buffer_.empty())) {
      size_t end = newline == std::string::npos ? buffer_.size() : newline;
      std::string line = buffer_.substr(0, end);
      buffer_.erase(0, newline == std::string::npos ? end : end + 1);
      if (trim(line).empty() || line == "\r") continue;
      Json document = Json::parse(line, nullptr, /*allow_exceptions=*/false);
      if (document.is_discarded()) {
        return Status(ErrorCode::kInternal, "admin stream: a line is not JSON");
      }
      return std::optional<Json>(std::move(document));
    }
    if (eof_) return std::optional<Json>();
    if (buffer_.size() > kLineLimit) {
      return Status(ErrorCode::kInternal, "admin stream: a line is longer than 1 MiB");
    }
    char chunk[16384];
    MAXIO_TRY(size_t n, response_.body().read(chunk, sizeof(chunk)));
    if (n == 0) {
      eof_ = true;
    } else {
      buffer_.append(chunk, n);
    }
  }
}

// ---- AdminClient ----

class AdminClient::Impl {
 public:
  Impl(AdminClientOptions options, std::unique_ptr<http::HttpClient> http)
      : options_(std::move(options)), http_(std::move(http)) {}

  // Sends a signed request; a non-2xx answer becomes its AdminError.
  Result<http::Response> send(std::string_view method, std::string_view route,
                              const QueryList& query, std::string body) {
    std::string path = std::string(kAdminPrefix) + std::string(route);
    std::string raw_query = encode_query(query);
    sigv4::HeaderList headers;
    headers.emplace_back("Host", http_->endpoint().authority);
    if (!body.empty()) headers.emplace_back("Content-Type", "application/json");
    sigv4::SigningParams params;
    params.access_key = options_.access_key;
    params.secret_key = options_.secret_key;
    params.region = options_.region;
    params.service = "s3";
    params.time = std::chrono::system_clock::now();
    sigv4::sign_request(method, path, raw_query, sha256_hex(body), params, headers);

    http::Request request;
    request.method = std::string(method);
    request.target = uri_encode(path, false) + (raw_query.empty() ? "" : "?" + raw_query);
    for (auto& [name, value] : headers) request.headers.add(std::move(name), std::move(value));
    request.body = std::move(body);
    MAXIO_TRY(http::Response response, http_->send(request));
    if (response.status() >= 200 && response.status() < 300) return response;

    AdminError error;
    error.http_status = response.status();
    error.request = std::string(method) + " " + path;
    error.request_id = std::string(response.headers().value_or_empty("x-amz-request-id"));
    auto text = response.read_body(kErrorBodyLimit);
    Json document = text ? Json::parse(*text, nullptr, false) : Json();
    if (document.is_object()) {
      error.code = document.value("Code", "");
      error.message = document.value("Message", "");
      if (auto id = document.value("RequestId", ""); !id.empty()) error.request_id = id;
    } else if (text) {
      // A server without the admin API answers as S3 does, with an XML error document.
      error.code = xml_element(*text, "Code");
      error.message = xml_element(*text, "Message");
    }
    if (error.code.empty()) error.code = "HTTP" + std::to_string(error.http_status);
    return error.to_status();
  }

  Result<Json> call(std::string_view method, std::string_view route, const QueryList& query,
                    std::string body) {
    MAXIO_TRY(http::Response response, send(method, route, query, std::move(body)));
    MAXIO_TRY(std::string text, response.read_body(kJsonBodyLimit));
    return parse_json(text, std::string(method) + " " + std::string(route));
  }

  Result<std::unique_ptr<JsonLineStream>> stream(std::string_view route, const QueryList& query) {
    MAXIO_TRY(http::Response response, send("GET", route, query, {}));
    return std::make_unique<JsonLineStream>(std::move(response));
  }

  AdminClientOptions options_;
  std::unique_ptr<http::HttpClient> http_;
};

AdminClient::AdminClient(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
AdminClient::~AdminClient() = default;

Result<std::unique_ptr<AdminClient>> AdminClient::create(AdminClientOptions options) {
  if (options.access_key.empty() || options.secret_key.empty()) {
    return Status(ErrorCode::kInvalidArgument, "admin client: empty credentials");
  }
  if (options.region.empty()) options.region = "us-east-1";
  MAXIO_TRY(auto http, http::HttpClient::create(options.endpoint, options.http));
  return std::unique_ptr<AdminClient>(
      new AdminClient(std::make_unique<Impl>(std::move(options), std::move(http))));
}

const AdminClientOptions& AdminClient::options() const { return impl_->options_; }

Result<Json> AdminClient::call(std::string_view method, std::string_view route,
                               const QueryList& query, std::string body) {
  return impl_->call(method, route, query, std::move(body));
}

Result<Json> AdminClient::server_info() { return call("GET", "/info"); }
Result<Json> AdminClient::topology() { return call("GET", "/topology"); }
Result<Json> AdminClient::data_usage() { return call("GET", "/datausage"); }

Result<Json> AdminClient::heal_start(const HealOptions& options) {
  QueryList query;
  if (!options.bucket.empty()) query.emplace_back("bucket", options.bucket);
  if (!options.prefix.empty()) query.emplace_back("prefix", options.prefix);
  if (options.deep) query.emplace_back("deep", "true");
  return call("POST", "/heal/start", query);
}

Result<Json> AdminClient::heal_status() { return call("GET", "/heal/status"); }
Result<Json> AdminClient::heal_stop() { return call("POST", "/heal/stop"); }
Result<std::unique_ptr<JsonLineStream>> AdminClient::heal_stream() {
  return impl_->stream("/heal/stream", {});
}

Result<Json> AdminClient::get_config() { return call("GET", "/config"); }
Result<Json> AdminClient::set_config(const Json& config) {
  return call("PUT", "/config", {}, config.dump());
}
Result<Json> AdminClient::config_history() { return call("GET", "/config/history"); }
Result<Json> AdminClient::restore_config(std::string_view id) {
  return call("POST", "/config/restore", {{"id", std::string(id)}});
}

Result<Json> AdminClient::service_stop() { return call("POST", "/service/stop"); }
Result<Json> AdminClient::service_restart() { return call("POST", "/service/restart"); }

Result<std::unique_ptr<JsonLineStream>> AdminClient::trace(const TraceOptions& options) {
  QueryList query;
  if (options.errors_only) query.emplace_back("errors-only", "true");
  if (!options.api.empty()) query.emplace_back("api", options.api);
  return impl_->stream("/trace", query);
}

Result<std::unique_ptr<JsonLineStream>> AdminClient::console_log(const LogOptions& options) {
  QueryList query;
  if (!options.level.empty()) query.emplace_back("level", options.level);
  if (options.last > 0) query.emplace_back("last", std::to_string(options.last));
  return impl_->stream("/log", query);
}

}  // namespace maxio::admin
