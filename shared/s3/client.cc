// S3Client: every operation builds a Call (method, bucket, key, query, headers, body), and
// one retry loop signs it afresh per attempt (SigV4 with the current time), sends it through
// the HttpClient and turns non-2xx answers into S3Error statuses.

#include "shared/s3/client.h"

#include <algorithm>
#include <charconv>
#include <optional>
#include <random>
#include <thread>
#include <utility>

#include "shared/crypto/hash.h"
#include "shared/s3/internal/aws_chunked.h"
#include "shared/s3/internal/xml.h"
#include "shared/sigv4/signer.h"
#include "shared/util/encoding.h"
#include "shared/util/strings.h"

namespace maxio::s3client {

namespace {

using QueryList = std::vector<std::pair<std::string, std::string>>;

// The most of an error body read (error documents are small).
constexpr size_t kErrorBodyLimit = 64 * 1024;
// The most of an XML response body read (a 1000-key listing is far below).
constexpr size_t kXmlBodyLimit = 32 << 20;
// Streamed bodies at least this long ask for 100-continue, so a rejected request (bad
// credentials, missing bucket) does not upload its body first.
constexpr uint64_t kExpectContinueBytes = 1 << 20;
constexpr std::chrono::seconds kMaxPresignExpiry{7 * 24 * 3600};
constexpr size_t kMaxDeleteObjects = 1000;

// Query parameters encoded as S3 expects; an empty value gives a bare name ("?uploads").
std::string encode_query(const QueryList& query) {
  std::string out;
  for (const auto& [name, value] : query) {
    if (!out.empty()) out.push_back('&');
    out.append(uri_encode(name, true));
    if (!value.empty()) out.append("=").append(uri_encode(value, true));
  }
  return out;
}

// Adds `name`=`value` when the value is not empty.
void add_param(QueryList& query, std::string name, std::string_view value) {
  if (!value.empty()) query.emplace_back(std::move(name), std::string(value));
}

void add_number_param(QueryList& query, std::string name, int64_t value) {
  if (value > 0) query.emplace_back(std::move(name), std::to_string(value));
}

std::string quote_etag(std::string_view etag) {
  if (etag == "*" || (etag.size() >= 2 && etag.front() == '"')) return std::string(etag);
  return "\"" + std::string(etag) + "\"";
}

uint64_t parse_u64(std::string_view text) {
  text = trim(text);
  uint64_t value = 0;
  std::from_chars(text.data(), text.data() + text.size(), value);
  return value;
}

// Counts the bytes a Reader handed out, so a retry knows whether the body was consumed.
class CountingReader final : public Reader {
 public:
  explicit CountingReader(Reader& source) : source_(source) {}
  Result<size_t> read(char* buffer, size_t size) override {
    MAXIO_TRY(size_t n, source_.read(buffer, size));
    count_ += n;
    return n;
  }
  uint64_t count() const { return count_; }
  void reset() { count_ = 0; }

 private:
  Reader& source_;
  uint64_t count_ = 0;
};

// A GetObject body: reads from the response it owns.
class ResponseBody final : public Reader {
 public:
  explicit ResponseBody(http::Response response) : response_(std::move(response)) {}
  Result<size_t> read(char* buffer, size_t size) override {
    return response_.body().read(buffer, size);
  }

 private:
  http::Response response_;
};

// One S3 request as an operation describes it.
struct Call {
  std::string method = "GET";
  std::string_view bucket = {};
  std::string_view key = {};
  QueryList query = {};
  http::Headers headers = {};
  std::string body = {};       // in memory, signed with its SHA-256
  Payload* payload = nullptr;  // streamed instead of `body`
  bool idempotent = true;      // may be retried
  // What a bodiless 404 (HEAD) means: kNoSuchKey or kNoSuchBucket.
  ErrorCode not_found = ErrorCode::kNoSuchKey;
  // The operation can answer 200 with an <Error> document (CopyObject, Complete...).
  bool error_in_ok = false;
  // Counts what the attempts read of `payload` (set by the retry loop).
  CountingReader* counter = nullptr;
};

// A response read whole.
struct Reply {
  http::Headers headers;
  std::string body;
};

// The S3 code a bodiless error answer stands for.
std::string code_for_status(int status, ErrorCode not_found) {
  switch (status) {
    case 304:
      return "NotModified";
    case 400:
      return "BadRequest";
    case 403:
      return "Forbidden";
    case 404:
      return not_found == ErrorCode::kNoSuchBucket ? "NoSuchBucket" : "NoSuchKey";
    case 405:
      return "MethodNotAllowed";
    case 412:
      return "PreconditionFailed";
    case 416:
      return "InvalidRange";
    case 501:
      return "NotImplemented";
    case 503:
      return "ServiceUnavailable";
    default:
      return status >= 500 ? "InternalError" : "HTTP" + std::to_string(status);
  }
}

bool is_retryable(const Status& status) {
  if (status.code() == ErrorCode::kIo || status.code() == ErrorCode::kTimeout) return true;
  auto error = S3Error::from_status(status);
  if (!error) return false;
  if (error->http_status >= 500 && error->http_status != 501) return true;
  static constexpr std::string_view kRetryableCodes[] = {"SlowDown",
                                                         "SlowDownRead",
                                                         "SlowDownWrite",
                                                         "RequestTimeout",
                                                         "InternalError",
                                                         "ServiceUnavailable",
                                                         "XMinioServerNotInitialized"};
  return std::find(std::begin(kRetryableCodes), std::end(kRetryableCodes), error->code) !=
         std::end(kRetryableCodes);
}

void add_metadata(http::Headers& headers, const std::string& content_type,
                  const std::map<std::string, std::string>& metadata, const http::Headers& extra) {
  if (!content_type.empty()) headers.set("Content-Type", content_type);
  for (const auto& [name, value] : metadata) headers.add("x-amz-meta-" + name, value);
  for (const auto& [name, value] : extra.fields()) headers.add(name, value);
}

void add_conditions(http::Headers& headers, const GetObjectOptions& options) {
  if (!options.if_match.empty()) headers.set("If-Match", quote_etag(options.if_match));
  if (!options.if_none_match.empty()) {
    headers.set("If-None-Match", quote_etag(options.if_none_match));
  }
  if (options.if_modified_since) {
    headers.set("If-Modified-Since", format_rfc1123(*options.if_modified_since));
  }
  if (options.if_unmodified_since) {
    headers.set("If-Unmodified-Since", format_rfc1123(*options.if_unmodified_since));
  }
  for (const auto& [name, value] : options.extra_headers.fields()) headers.add(name, value);
}

ObjectInfo object_info(std::string_view key, const http::Headers& headers) {
  ObjectInfo info;
  info.key = std::string(key);
  info.size = parse_u64(headers.value_or_empty("content-length"));
  // A ranged answer: "Content-Range: bytes 0-99/1234" names the whole size.
  std::string_view range = headers.value_or_empty("content-range");
  if (size_t slash = range.rfind('/'); slash != std::string_view::npos) {
    info.size = parse_u64(range.substr(slash + 1));
  }
  info.etag = internal::unquote_etag(headers.value_or_empty("etag"));
  if (auto modified = parse_http_date(headers.value_or_empty("last-modified")); modified) {
    info.last_modified = *modified;
  }
  info.content_type = std::string(headers.value_or_empty("content-type"));
  info.version_id = std::string(headers.value_or_empty("x-amz-version-id"));
  info.storage_class = std::string(headers.value_or_empty("x-amz-storage-class"));
  constexpr std::string_view kMetaPrefix = "x-amz-meta-";
  for (const auto& [name, value] : headers.fields()) {
    std::string lower = to_lower(name);
    if (lower.starts_with(kMetaPrefix)) info.metadata[lower.substr(kMetaPrefix.size())] = value;
  }
  info.headers = headers;
  return info;
}

Status require_bucket(std::string_view bucket) {
  if (bucket.empty()) return Status(ErrorCode::kInvalidArgument, "the bucket name is empty");
  return Status::ok();
}

Status require_object(std::string_view bucket, std::string_view key) {
  MAXIO_RETURN_IF_ERROR(require_bucket(bucket));
  if (key.empty()) return Status(ErrorCode::kInvalidArgument, "the object key is empty");
  return Status::ok();
}

}  // namespace

class S3Client::Impl {
 public:
  Impl(S3ClientOptions options, std::unique_ptr<http::HttpClient> http)
      : options_(std::move(options)), http_(std::move(http)), endpoint_(http_->endpoint()) {}

  // Sends `call` (retrying as the options allow) and returns its 2xx response with the
  // body unread, or the error.
  Result<http::Response> execute(Call& call) {
    return with_retries(call, [&] { return send_once(call); });
  }

  // Sends `call` and reads the whole (small) response body.
  Result<Reply> execute_read(Call& call) {
    return with_retries(call, [&]() -> Result<Reply> {
      MAXIO_TRY(http::Response response, send_once(call));
      MAXIO_TRY(std::string body, response.read_body(kXmlBodyLimit));
      if (call.error_in_ok) {
        if (auto document = internal::parse_error(body)) {
          return to_error(call, response.status(), std::move(*document)).to_status();
        }
      }
      return Reply{response.headers(), std::move(body)};
    });
  }

  // "/bucket/key" (path style) or "/key" (virtual-host style): unencoded.
  std::string path_of(std::string_view bucket, std::string_view key) const {
    std::string path = "/";
    if (bucket.empty()) return path;
    if (options_.path_style) {
      path.append(bucket);
      if (!key.empty()) path.append("/").append(key);
    } else {
      path.append(key);
    }
    return path;
  }

  // The Host header: the endpoint's authority, prefixed by the bucket in virtual-host style.
  std::string authority_of(std::string_view bucket) const {
    if (options_.path_style || bucket.empty()) return endpoint_.authority;
    return std::string(bucket) + "." + endpoint_.authority;
  }

  sigv4::SigningParams signing_params(Timestamp now) const {
    sigv4::SigningParams params;
    params.access_key = options_.access_key;
    params.secret_key = options_.secret_key;
    params.region = options_.region;
    params.time = now;
    return params;
  }

  Result<std::string> presign(std::string_view method, std::string_view bucket,
                              std::string_view key, std::chrono::seconds expires,
                              std::string_view version_id) const {
    MAXIO_RETURN_IF_ERROR(require_object(bucket, key));
    if (expires.count() < 1 || expires > kMaxPresignExpiry) {
      return Status(ErrorCode::kInvalidArgument,
                    "a presigned URL expires after 1 second to 7 days, not " +
                        std::to_string(expires.count()) + " seconds");
    }
    QueryList query;
    add_param(query, "versionId", version_id);
    add_param(query, "X-Amz-Security-Token", options_.session_token);
    std::string endpoint = (endpoint_.tls ? "https://" : "http://") + authority_of(bucket);
    return sigv4::presign_url(method, endpoint, path_of(bucket, key), encode_query(query), expires,
                              signing_params(std::chrono::system_clock::now()));
  }

  S3ClientOptions options_;
  std::unique_ptr<http::HttpClient> http_;
  http::Endpoint endpoint_;

 private:
  bool streaming_signed() const {
    switch (options_.payload_signing) {
      case PayloadSigning::kAuto:
        return !endpoint_.tls;
      case PayloadSigning::kUnsigned:
        return false;
      case PayloadSigning::kStreaming:
        return true;
    }
    return true;
  }

  template <typename Attempt>
  auto with_retries(Call& call, Attempt attempt) -> decltype(attempt()) {
    std::optional<CountingReader> counter;
    if (call.payload) counter.emplace(call.payload->reader);
    call.counter = counter ? &*counter : nullptr;
    thread_local std::mt19937_64 rng{std::random_device{}()};
    for (int n = 0;; ++n) {
      if (n > 0 && counter && counter->count() > 0) {
        MAXIO_RETURN_IF_ERROR(call.payload->rewind());
        counter->reset();
      }
      auto result = attempt();
      if (result.is_ok()) return result;
      Status status = result.status();
      bool replayable = !counter || counter->count() == 0 || call.payload->rewind;
      if (!call.idempotent || n >= options_.max_retries || !replayable || !is_retryable(status)) {
        return status;
      }
      auto ceiling = std::min<int64_t>(options_.retry_max_delay.count(),
                                       options_.retry_base_delay.count() << std::min(n, 20));
      std::uniform_int_distribution<int64_t> delay(0, std::max<int64_t>(ceiling, 0));
      std::this_thread::sleep_for(std::chrono::milliseconds(delay(rng)));
    }
  }

  S3Error to_error(const Call& call, int status, internal::ErrorDocument document) const {
    S3Error error;
    error.http_status = status;
    error.code = std::move(document.code);
    error.message = std::move(document.message);
    error.request_id = std::move(document.request_id);
    std::string raw_query = encode_query(call.query);
    error.request = call.method + " " + authority_of(call.bucket) +
                    sigv4::canonical_uri(path_of(call.bucket, call.key)) +
                    (raw_query.empty() ? "" : "?" + raw_query);
    return error;
  }

  // One signed attempt; a non-2xx answer becomes its S3Error status.
  Result<http::Response> send_once(Call& call) {
    auto now = std::chrono::system_clock::now();
    std::string path = path_of(call.bucket, call.key);
    std::string raw_query = encode_query(call.query);
    http::Request request;
    request.method = call.method;
    request.target = sigv4::canonical_uri(path) + (raw_query.empty() ? "" : "?" + raw_query);
    request.headers = call.headers;
    request.headers.set("Host", authority_of(call.bucket));
    if (!options_.session_token.empty()) {
      request.headers.set("X-Amz-Security-Token", options_.session_token);
    }

    bool streaming = call.payload && streaming_signed();
    std::string payload_hash;
    if (!call.payload) {
      payload_hash = sha256_hex(call.body);
    } else if (streaming) {
      payload_hash = sigv4::kStreamingPayload;
      std::string encoding = "aws-chunked";
      if (auto given = request.headers.get("content-encoding")) {
        encoding.append(",").append(*given);
      }
      request.headers.set("Content-Encoding", std::move(encoding));
      request.headers.set("X-Amz-Decoded-Content-Length", std::to_string(call.payload->size));
    } else {
      payload_hash = sigv4::kUnsignedPayload;
    }
    sigv4::SigningParams params = signing_params(now);
    std::string seed = sigv4::sign_request(call.method, path, raw_query, payload_hash, params,
                                           request.headers.mutable_fields());

    std::optional<internal::AwsChunkedEncoder> encoder;
    if (call.payload) {
      Payload& payload = *call.payload;
      if (streaming) {
        sigv4::Scope scope{format_amz_day(now), options_.region, "s3"};
        internal::ChunkSigner signer{sigv4::signing_key(options_.secret_key, scope),
                                     format_amz_date(now), scope, seed};
        encoder.emplace(*call.counter, payload.size, options_.chunk_size, std::move(signer));
        request.body_reader = &*encoder;
        request.body_length =
            internal::AwsChunkedEncoder::encoded_length(payload.size, options_.chunk_size);
      } else {
        request.body_reader = call.counter;
        request.body_length = payload.size;
      }
      if (payload.rewind) {
        request.rewind_body = [&]() -> Status {
          MAXIO_RETURN_IF_ERROR(payload.rewind());
          call.counter->reset();
          if (encoder) encoder->restart();
          return Status::ok();
        };
      }
      request.expect_continue = payload.size >= kExpectContinueBytes;
    } else {
      request.body = call.body;
    }

    MAXIO_TRY(http::Response response, http_->send(request));
    int status = response.status();
    if (status >= 200 && status < 300) return response;

    internal::ErrorDocument document;
    if (call.method != "HEAD") {
      if (auto body = response.read_body(kErrorBodyLimit); body.is_ok()) {
        if (auto parsed = internal::parse_error(*body)) document = std::move(*parsed);
      }
    }
    if (document.request_id.empty()) {
      document.request_id = std::string(response.headers().value_or_empty("x-amz-request-id"));
    }
    if (document.code.empty()) {
      document.code = code_for_status(status, call.not_found);
      if (document.message.empty()) {
        document.message = "HTTP " + std::to_string(status) + " without an error document";
      }
    }
    return to_error(call, status, std::move(document)).to_status();
  }
};

// ---- S3Client ----

S3Client::S3Client(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
S3Client::~S3Client() = default;

Result<std::unique_ptr<S3Client>> S3Client::create(S3ClientOptions options) {
  if (options.access_key.empty() || options.secret_key.empty()) {
    return Status(ErrorCode::kInvalidArgument, "S3 credentials are empty");
  }
  if (options.region.empty()) return Status(ErrorCode::kInvalidArgument, "the region is empty");
  MAXIO_TRY(std::unique_ptr<http::HttpClient> http,
            http::HttpClient::create(options.endpoint, options.http));
  return std::unique_ptr<S3Client>(
      new S3Client(std::make_unique<Impl>(std::move(options), std::move(http))));
}

const S3ClientOptions& S3Client::options() const { return impl_->options_; }

Result<std::vector<BucketInfo>> S3Client::list_buckets() {
  Call call{.method = "GET"};
  MAXIO_TRY(Reply reply, impl_->execute_read(call));
  return internal::parse_list_buckets(reply.body);
}

Status S3Client::make_bucket(std::string_view bucket, std::string_view location) {
  MAXIO_RETURN_IF_ERROR(require_bucket(bucket));
  Call call{.method = "PUT", .bucket = bucket};
  std::string region(location.empty() ? std::string_view(impl_->options_.region) : location);
  if (region != "us-east-1") {
    call.body = internal::create_bucket_configuration_xml(region);
    call.headers.set("Content-Type", "application/xml");
  }
  return impl_->execute_read(call).status();
}

Status S3Client::remove_bucket(std::string_view bucket) {
  MAXIO_RETURN_IF_ERROR(require_bucket(bucket));
  Call call{.method = "DELETE", .bucket = bucket};
  return impl_->execute_read(call).status();
}

Status S3Client::head_bucket(std::string_view bucket) {
  MAXIO_RETURN_IF_ERROR(require_bucket(bucket));
  Call call{.method = "HEAD", .bucket = bucket, .not_found = ErrorCode::kNoSuchBucket};
  return impl_->execute_read(call).status();
}

Result<ListObjectsResult> S3Client::list_objects_v2(std::string_view bucket,
                                                    const ListObjectsOptions& options) {
  MAXIO_RETURN_IF_ERROR(require_bucket(bucket));
  Call call{.method = "GET", .bucket = bucket};
  call.query.emplace_back("list-type", "2");
  add_param(call.query, "prefix", options.prefix);
  add_param(call.query, "delimiter", options.delimiter);
  add_param(call.query, "continuation-token", options.continuation_token);
  add_param(call.query, "start-after", options.start_after);
  add_number_param(call.query, "max-keys", options.max_keys);
  call.query.emplace_back("encoding-type", "url");
  MAXIO_TRY(Reply reply, impl_->execute_read(call));
  return internal::parse_list_objects_v2(reply.body);
}

Result<ListVersionsResult> S3Client::list_object_versions(std::string_view bucket,
                                                          const ListVersionsOptions& options) {
  MAXIO_RETURN_IF_ERROR(require_bucket(bucket));
  Call call{.method = "GET", .bucket = bucket};
  call.query.emplace_back("versions", "");
  add_param(call.query, "prefix", options.prefix);
  add_param(call.query, "delimiter", options.delimiter);
  add_param(call.query, "key-marker", options.key_marker);
  add_param(call.query, "version-id-marker", options.version_id_marker);
  add_number_param(call.query, "max-keys", options.max_keys);
  call.query.emplace_back("encoding-type", "url");
  MAXIO_TRY(Reply reply, impl_->execute_read(call));
  return internal::parse_list_object_versions(reply.body);
}

Result<ObjectInfo> S3Client::head_object(std::string_view bucket, std::string_view key,
                                         const GetObjectOptions& options) {
  MAXIO_RETURN_IF_ERROR(require_object(bucket, key));
  Call call{.method = "HEAD", .bucket = bucket, .key = key};
  add_param(call.query, "versionId", options.version_id);
  add_conditions(call.headers, options);
  MAXIO_TRY(Reply reply, impl_->execute_read(call));
  return object_info(key, reply.headers);
}

Result<GetObjectResult> S3Client::get_object(std::string_view bucket, std::string_view key,
                                             const GetObjectOptions& options) {
  MAXIO_RETURN_IF_ERROR(require_object(bucket, key));
  Call call{.method = "GET", .bucket = bucket, .key = key};
  add_param(call.query, "versionId", options.version_id);
  if (options.range) {
    std::string range = "bytes=" + std::to_string(options.range->first) + "-";
    if (options.range->last) range += std::to_string(*options.range->last);
    call.headers.set("Range", std::move(range));
  }
  add_conditions(call.headers, options);
  MAXIO_TRY(http::Response response, impl_->execute(call));
  GetObjectResult result;
  result.info = object_info(key, response.headers());
  result.content_length = response.content_length().value_or(0);
  result.body = std::make_unique<ResponseBody>(std::move(response));
  return result;
}

Result<PutObjectResult> S3Client::put_object(std::string_view bucket, std::string_view key,
                                             Payload body, const PutObjectOptions& options) {
  MAXIO_RETURN_IF_ERROR(require_object(bucket, key));
  Call call{.method = "PUT", .bucket = bucket, .key = key, .payload = &body};
  add_metadata(call.headers, options.content_type, options.metadata, options.extra_headers);
  MAXIO_TRY(Reply reply, impl_->execute_read(call));
  return PutObjectResult{internal::unquote_etag(reply.headers.value_or_empty("etag")),
                         std::string(reply.headers.value_or_empty("x-amz-version-id"))};
}

Result<PutObjectResult> S3Client::put_object(std::string_view bucket, std::string_view key,
                                             std::string_view data,
                                             const PutObjectOptions& options) {
  MAXIO_RETURN_IF_ERROR(require_object(bucket, key));
  Call call{.method = "PUT", .bucket = bucket, .key = key, .body = std::string(data)};
  add_metadata(call.headers, options.content_type, options.metadata, options.extra_headers);
  MAXIO_TRY(Reply reply, impl_->execute_read(call));
  return PutObjectResult{internal::unquote_etag(reply.headers.value_or_empty("etag")),
                         std::string(reply.headers.value_or_empty("x-amz-version-id"))};
}

Result<CopyObjectResult> S3Client::copy_object(std::string_view source_bucket,
                                               std::string_view source_key, std::string_view bucket,
                                               std::string_view key,
                                               const CopyObjectOptions& options) {
  MAXIO_RETURN_IF_ERROR(require_object(source_bucket, source_key));
  MAXIO_RETURN_IF_ERROR(require_object(bucket, key));
  Call call{.method = "PUT", .bucket = bucket, .key = key, .error_in_ok = true};
  std::string source = uri_encode("/" + std::string(source_bucket) + "/" + std::string(source_key),
                                  /*encode_slash=*/false);
  if (!options.source_version_id.empty()) {
    source += "?versionId=" + uri_encode(options.source_version_id, true);
  }
  call.headers.set("x-amz-copy-source", std::move(source));
  if (options.metadata_directive == MetadataDirective::kReplace) {
    call.headers.set("x-amz-metadata-directive", "REPLACE");
    add_metadata(call.headers, options.content_type, options.metadata, {});
  } else {
    call.headers.set("x-amz-metadata-directive", "COPY");
  }
  for (const auto& [name, value] : options.extra_headers.fields()) call.headers.add(name, value);
  MAXIO_TRY(Reply reply, impl_->execute_read(call));
  MAXIO_TRY(CopyObjectResult result, internal::parse_copy_object(reply.body));
  result.version_id = std::string(reply.headers.value_or_empty("x-amz-version-id"));
  result.source_version_id =
      std::string(reply.headers.value_or_empty("x-amz-copy-source-version-id"));
  return result;
}

Status S3Client::delete_object(std::string_view bucket, std::string_view key,
                               std::string_view version_id) {
  MAXIO_RETURN_IF_ERROR(require_object(bucket, key));
  Call call{.method = "DELETE", .bucket = bucket, .key = key};
  add_param(call.query, "versionId", version_id);
  return impl_->execute_read(call).status();
}

Result<DeleteObjectsResult> S3Client::delete_objects(std::string_view bucket,
                                                     const std::vector<ObjectIdentifier>& objects,
                                                     bool quiet) {
  MAXIO_RETURN_IF_ERROR(require_bucket(bucket));
  if (objects.size() > kMaxDeleteObjects) {
    return Status(ErrorCode::kInvalidArgument,
                  "DeleteObjects takes at most 1000 keys, not " + std::to_string(objects.size()));
  }
  if (objects.empty()) return DeleteObjectsResult{};
  Call call{.method = "POST", .bucket = bucket};
  call.query.emplace_back("delete", "");
  call.body = internal::delete_objects_xml(objects, quiet);
  call.headers.set("Content-Type", "application/xml");
  call.headers.set("Content-MD5", base64_encode(md5(call.body)));
  MAXIO_TRY(Reply reply, impl_->execute_read(call));
  return internal::parse_delete_objects(reply.body);
}

Result<std::string> S3Client::create_multipart_upload(std::string_view bucket, std::string_view key,
                                                      const PutObjectOptions& options) {
  MAXIO_RETURN_IF_ERROR(require_object(bucket, key));
  Call call{.method = "POST", .bucket = bucket, .key = key, .idempotent = false};
  call.query.emplace_back("uploads", "");
  add_metadata(call.headers, options.content_type, options.metadata, options.extra_headers);
  MAXIO_TRY(Reply reply, impl_->execute_read(call));
  return internal::parse_create_multipart_upload(reply.body);
}

Result<std::string> S3Client::upload_part(std::string_view bucket, std::string_view key,
                                          std::string_view upload_id, int part_number,
                                          Payload body) {
  MAXIO_RETURN_IF_ERROR(require_object(bucket, key));
  if (upload_id.empty() || part_number < 1 || part_number > 10000) {
    return Status(ErrorCode::kInvalidArgument,
                  "UploadPart needs an upload id and a part number from 1 to 10000");
  }
  Call call{.method = "PUT", .bucket = bucket, .key = key, .payload = &body};
  call.query.emplace_back("partNumber", std::to_string(part_number));
  call.query.emplace_back("uploadId", std::string(upload_id));
  MAXIO_TRY(Reply reply, impl_->execute_read(call));
  return internal::unquote_etag(reply.headers.value_or_empty("etag"));
}

Result<CompleteMultipartUploadResult> S3Client::complete_multipart_upload(
    std::string_view bucket, std::string_view key, std::string_view upload_id,
    const std::vector<CompletedPart>& parts) {
  MAXIO_RETURN_IF_ERROR(require_object(bucket, key));
  if (upload_id.empty() || parts.empty()) {
    return Status(ErrorCode::kInvalidArgument,
                  "CompleteMultipartUpload needs an upload id and at least one part");
  }
  Call call{.method = "POST", .bucket = bucket, .key = key, .error_in_ok = true};
  call.query.emplace_back("uploadId", std::string(upload_id));
  call.body = internal::complete_multipart_upload_xml(parts);
  call.headers.set("Content-Type", "application/xml");
  MAXIO_TRY(Reply reply, impl_->execute_read(call));
  MAXIO_TRY(CompleteMultipartUploadResult result,
            internal::parse_complete_multipart_upload(reply.body));
  result.version_id = std::string(reply.headers.value_or_empty("x-amz-version-id"));
  return result;
}

Status S3Client::abort_multipart_upload(std::string_view bucket, std::string_view key,
                                        std::string_view upload_id) {
  MAXIO_RETURN_IF_ERROR(require_object(bucket, key));
  if (upload_id.empty()) return Status(ErrorCode::kInvalidArgument, "the upload id is empty");
  Call call{.method = "DELETE", .bucket = bucket, .key = key};
  call.query.emplace_back("uploadId", std::string(upload_id));
  return impl_->execute_read(call).status();
}

Result<ListPartsResult> S3Client::list_parts(std::string_view bucket, std::string_view key,
                                             std::string_view upload_id,
                                             const ListPartsOptions& options) {
  MAXIO_RETURN_IF_ERROR(require_object(bucket, key));
  if (upload_id.empty()) return Status(ErrorCode::kInvalidArgument, "the upload id is empty");
  Call call{.method = "GET", .bucket = bucket, .key = key};
  call.query.emplace_back("uploadId", std::string(upload_id));
  add_number_param(call.query, "max-parts", options.max_parts);
  add_number_param(call.query, "part-number-marker", options.part_number_marker);
  MAXIO_TRY(Reply reply, impl_->execute_read(call));
  return internal::parse_list_parts(reply.body);
}

Result<std::string> S3Client::presign_get_object(std::string_view bucket, std::string_view key,
                                                 std::chrono::seconds expires,
                                                 std::string_view version_id) {
  return impl_->presign("GET", bucket, key, expires, version_id);
}

Result<std::string> S3Client::presign_put_object(std::string_view bucket, std::string_view key,
                                                 std::chrono::seconds expires) {
  return impl_->presign("PUT", bucket, key, expires, {});
}

}  // namespace maxio::s3client
