#pragma once
// The S3 error table: every maxio::ErrorCode mapped to the S3 error code string, HTTP
// status and default message a client sees, and the XML error body S3 sends.
// Pure functions over immutable data; thread-safe.

#include <string>
#include <string_view>

#include "shared/util/status.h"

namespace maxio::s3 {

struct ErrorInfo {
  std::string_view code;     // "NoSuchKey"
  int http_status = 500;     // 404
  std::string_view message;  // AWS's default message
  // True when a Status's own message is request-specific detail meant for the client
  // (InvalidArgument, InvalidRequest, NotImplemented, auth errors). For every other code
  // the client sees `message`: storage messages name buckets, paths and internals.
  bool detailed = false;
};

// The table entry for `code`. Codes without an S3 meaning (I/O, drive failures) map to
// the error S3 (or MinIO) reports for them, InternalError at worst. kOk maps to an empty
// code with status 200.
const ErrorInfo& error_info(ErrorCode code);

// Where an error happened, as the <Error> body reports it. Empty fields are omitted
// (except RequestId and HostId, always present).
struct ErrorContext {
  std::string bucket;
  std::string key;
  std::string resource;  // the request path, decoded ("/bucket/key")
  std::string request_id;
  std::string host_id;
};

// The <Message> a client sees for `status`: its own message when its code is `detailed`
// and the message is not empty, the table's default otherwise.
std::string_view error_message(const Status& status);

// The XML document of an S3 error response: <Error><Code/><Message/>... with
// error_message(status).
std::string error_xml(const Status& status, const ErrorContext& context);

}  // namespace maxio::s3
