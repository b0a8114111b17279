#include "daemon/admin/errors.h"

#include "daemon/admin/json.h"

#include "daemon/s3/errors.h"

namespace maxio::admin {

namespace {

struct AdminErrorInfo {
  std::string_view code;
  int http_status;
  std::string_view message;
};

AdminErrorInfo info_of(AdminErrorCode code) {
  switch (code) {
    case AdminErrorCode::kNoSuchApi:
      return {"XMaxioAdminNoSuchAPI", 404, "The admin API has no such route."};
    case AdminErrorCode::kMethodNotAllowed:
      return {"MethodNotAllowed", 405,
              "The specified method is not allowed against this resource."};
    case AdminErrorCode::kInvalidArgument:
      return {"XMaxioAdminInvalidArgument", 400, "Invalid argument."};
    case AdminErrorCode::kBadConfig:
      return {"XMaxioAdminConfigInvalid", 400, "The configuration document is not valid."};
    case AdminErrorCode::kNoSuchConfigEntry:
      return {"XMaxioAdminNoSuchConfigHistory", 404,
              "The configuration history has no such entry."};
    case AdminErrorCode::kHealAlreadyRunning:
      return {"XMaxioHealAlreadyRunning", 409, "A heal run is already in progress."};
    case AdminErrorCode::kHealNotRunning:
      return {"XMaxioHealNotRunning", 409, "No heal run is in progress."};
    case AdminErrorCode::kTooManyStreams:
      return {"XMaxioAdminTooManyStreams", 429,
              "Too many admin streams are open; close one and retry."};
    case AdminErrorCode::kShuttingDown:
      return {"XMaxioServerShuttingDown", 503, "The server is shutting down."};
    case AdminErrorCode::kServiceUnsupported:
      return {"NotImplemented", 501, "This server process cannot stop or restart itself."};
    case AdminErrorCode::kNoSuchQuota:
      return {"XMinioAdminNoSuchQuotaConfiguration", 404, "The quota configuration does not exist"};
  }
  return {"InternalError", 500, "We encountered an internal error, please try again."};
}

}  // namespace

ApiError AdminStatus::to_api_error() const {
  if (is_admin_error_) {
    const AdminErrorInfo info = info_of(admin_code_);
    return {std::string(info.code), info.http_status,
            message_.empty() ? std::string(info.message) : message_};
  }
  const s3::ErrorInfo& info = s3::error_info(status_.code());
  return {std::string(info.code), info.http_status, std::string(s3::error_message(status_))};
}

std::string AdminStatus::to_string() const {
  if (!is_admin_error_) return status_.to_string();
  std::string out(info_of(admin_code_).code);
  if (!message_.empty()) out += ": " + message_;
  return out;
}

std::string error_json(const ApiError& error, std::string_view request_id) {
  nlohmann::ordered_json body = {
      {"Code", error.code}, {"Message", error.message}, {"RequestId", request_id}};
  return dump_json(body);
}

}  // namespace maxio::admin
