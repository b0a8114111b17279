#pragma once
// Admin API errors: the admin-only failures (unknown route, a heal already running, an
// invalid configuration...) in one table, every maxio::Status mapped through the S3 table
// (daemon/s3/errors.h), and the JSON body {"Code", "Message", "RequestId"} sent for both.
// Values and pure functions; thread-safe.

#include <string>
#include <string_view>

#include "shared/util/status.h"

namespace maxio::admin {

enum class AdminErrorCode {
  kNoSuchApi,           // 404 XMaxioAdminNoSuchAPI: no route has this path
  kMethodNotAllowed,    // 405 MethodNotAllowed: the path exists with other methods
  kInvalidArgument,     // 400 XMaxioAdminInvalidArgument: a bad query parameter
  kBadConfig,           // 400 XMaxioAdminConfigInvalid: PUT /config body rejected
  kNoSuchConfigEntry,   // 404 XMaxioAdminNoSuchConfigHistory: restore of an unknown id
  kHealAlreadyRunning,  // 409 XMaxioHealAlreadyRunning
  kHealNotRunning,      // 409 XMaxioHealNotRunning: stop without a running heal
  kTooManyStreams,      // 429 XMaxioAdminTooManyStreams: every stream slot is taken
  kShuttingDown,        // 503 XMaxioServerShuttingDown
  kServiceUnsupported,  // 501 NotImplemented: this process cannot stop or restart itself
  kNoSuchQuota,         // 404 XMinioAdminNoSuchQuotaConfiguration: the bucket has no quota
};

// What the client sees.
struct ApiError {
  std::string code;  // "XMaxioHealAlreadyRunning", "SignatureDoesNotMatch", ...
  int http_status = 500;
  std::string message;
};

// An admin handler's outcome: success, a maxio::Status error (storage, auth) or an admin
// error, each with an optional message for the client. Converts implicitly from Status so
// that MAXIO_RETURN_IF_ERROR and MAXIO_TRY work in handlers.
class [[nodiscard]] AdminStatus {
 public:
  AdminStatus() = default;
  AdminStatus(Status status) : status_(std::move(status)) {}  // NOLINT: implicit on purpose
  AdminStatus(AdminErrorCode code, std::string message = {})
      : admin_code_(code), is_admin_error_(true), message_(std::move(message)) {}

  bool is_ok() const { return !is_admin_error_ && status_.is_ok(); }
  explicit operator bool() const { return is_ok(); }
  // The error as sent: for a Status, the S3 table's code and HTTP status with
  // s3::error_message (its own message only for codes meant for clients); for an admin
  // error, this module's table with the given message or the table's default. Only for
  // errors.
  ApiError to_api_error() const;
  // For logs: "XMaxioHealAlreadyRunning: message" or Status::to_string().
  std::string to_string() const;

 private:
  Status status_;
  AdminErrorCode admin_code_ = AdminErrorCode::kNoSuchApi;
  bool is_admin_error_ = false;
  std::string message_;
};

// {"Code": ..., "Message": ..., "RequestId": ...} on one line.
std::string error_json(const ApiError& error, std::string_view request_id);

}  // namespace maxio::admin
