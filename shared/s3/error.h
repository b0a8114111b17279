#pragma once
// S3Error: an error response of an S3 server (HTTP status, S3 code, message, request id)
// carried inside a maxio Status, so it travels through Result<T> like any error and can be
// read back where needed. Plain data and pure functions; thread-safe.

#include <optional>
#include <string>
#include <string_view>

#include "shared/util/status.h"

namespace maxio::s3client {

struct S3Error {
  int http_status = 0;
  std::string code;        // "NoSuchKey"; for bodiless answers (HEAD) derived from the status
  std::string message;     // the server's <Message>
  std::string request_id;  // <RequestId> or x-amz-request-id
  std::string request;     // what failed: "GET 127.0.0.1:9000/bucket/key%20x?versionId=1"

  // A Status with error_code_for(code, http_status) and a message of the form
  // "NoSuchKey (HTTP 404) GET 127.0.0.1:9000/b/k [request 17A2]: The specified key ...".
  Status to_status() const;

  // The S3Error inside a Status made by to_status(); nullopt for any other Status (such as
  // a connection failure, which has no HTTP status).
  static std::optional<S3Error> from_status(const Status& status);
};

// The ErrorCode for an S3 error code ("NoSuchKey" -> kNoSuchKey). A code without a maxio
// counterpart maps by HTTP status (403 -> kAccessDenied, 503 -> kServiceUnavailable, other
// 4xx -> kInvalidRequest, other 5xx -> kInternal).
ErrorCode error_code_for(std::string_view s3_code, int http_status);

}  // namespace maxio::s3client
