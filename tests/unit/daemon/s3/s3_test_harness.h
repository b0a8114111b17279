#pragma once
// Test harness for S3 handlers: an in-process HttpExchange (StringReader body, capturing
// HttpResponseWriter) over a ServerContext, with requests signed by shared/sigv4's client
// signer as the root user. One harness per test; not thread-safe.

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "daemon/s3/handler.h"
#include "daemon/server/server_context.h"
#include "shared/crypto/hash.h"
#include "shared/sigv4/signer.h"
#include "shared/util/strings.h"

namespace maxio::s3::testing {

struct CapturedResponse {
  int status = 0;
  HttpHeaders headers;
  std::optional<uint64_t> content_length;
  std::string body;
  bool finished = false;
  bool close = false;
  std::string header(std::string_view name) const {
    return std::string(headers.value_or_empty(name));
  }
};

class CapturingWriter final : public HttpResponseWriter {
 public:
  explicit CapturingWriter(CapturedResponse& out) : out_(out) {}
  using HttpResponseWriter::write;
  Status send_headers(int status, const HttpHeaders& headers,
                      std::optional<uint64_t> content_length) override {
    if (sent_) return Status(ErrorCode::kInternal, "headers sent twice");
    sent_ = true;
    out_.status = status;
    out_.headers = headers;
    out_.content_length = content_length;
    return Status::ok();
  }
  Status write(const char* data, size_t size) override {
    if (!sent_ || out_.finished) return Status(ErrorCode::kInternal, "write out of order");
    out_.body.append(data, size);
    return Status::ok();
  }
  Status finish() override {
    out_.finished = true;
    return Status::ok();
  }
  bool headers_sent() const override { return sent_; }
  void close_after_response() override { out_.close = true; }

 private:
  CapturedResponse& out_;
  bool sent_ = false;
};

struct TestRequest {
  std::string method = "GET";
  std::string path = "/";  // unencoded
  std::string query;       // encoded, as sent
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  bool sign = true;
  std::string payload_hash;  // default: hex SHA-256 of body
  bool omit_content_length = false;
  std::string host = "localhost:9000";
};

class S3Harness {
 public:
  explicit S3Harness(std::unique_ptr<ObjectLayer> layer) {
    ctx_.config.region = "us-east-1";
    ctx_.config.root = {"maxioadmin", "maxioadmin-secret"};
    ctx_.credentials = std::make_unique<auth::StaticCredentialProvider>(ctx_.config.root);
    ctx_.object_layer = std::move(layer);
    ctx_.bucket_metadata = std::make_unique<BucketMetadataStore>(*ctx_.object_layer);
  }

  ServerContext& ctx() { return ctx_; }

  CapturedResponse send(const TestRequest& t) {
    sigv4::HeaderList headers = {{"Host", t.host}};
    for (const auto& h : t.headers) headers.push_back(h);
    if (!t.omit_content_length && !t.body.empty()) {
      headers.emplace_back("Content-Length", std::to_string(t.body.size()));
    }
    if (t.sign) {
      sigv4::SigningParams params;
      params.access_key = ctx_.config.root.access_key;
      params.secret_key = ctx_.config.root.secret_key;
      params.region = ctx_.config.region;
      params.time = std::chrono::system_clock::now();
      sigv4::sign_request(t.method, t.path, t.query,
                          t.payload_hash.empty() ? sha256_hex(t.body) : t.payload_hash, params,
                          headers);
    }
    HttpRequest request;
    request.method = t.method;
    request.path = uri_encode(t.path, false);
    request.raw_query = t.query;
    request.target = request.path + (t.query.empty() ? "" : "?" + t.query);
    for (auto& [name, value] : headers) request.headers.add(name, value);
    if (!t.omit_content_length) request.content_length = t.body.size();
    request.remote_address = "127.0.0.1:40000";
    StringReader body(t.body);
    CapturedResponse out;
    CapturingWriter writer(out);
    HttpExchange exchange{request, body, writer};
    handle_request(ctx_, exchange);
    return out;
  }

  CapturedResponse send(std::string method, std::string path, std::string query = "",
                        std::string body = "",
                        std::vector<std::pair<std::string, std::string>> headers = {}) {
    TestRequest t;
    t.method = std::move(method);
    t.path = std::move(path);
    t.query = std::move(query);
    t.body = std::move(body);
    t.headers = std::move(headers);
    return send(t);
  }

 private:
  ServerContext ctx_;
};

}  // namespace maxio::s3::testing
