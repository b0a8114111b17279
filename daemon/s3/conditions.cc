#include "daemon/s3/conditions.h"

#include <chrono>
#include <optional>
#include <string>

#include "shared/util/strings.h"

namespace maxio::s3 {

namespace {

std::optional<Timestamp> header_date(const HttpHeaders& headers, std::string_view name) {
  auto value = headers.get(name);
  if (!value) return std::nullopt;
  auto parsed = parse_http_date(trim(*value));
  if (!parsed) return std::nullopt;
  return *parsed;
}

Timestamp to_seconds(Timestamp t) { return std::chrono::time_point_cast<std::chrono::seconds>(t); }

}  // namespace

std::string_view unquote_etag(std::string_view etag) {
  etag = trim(etag);
  if (etag.starts_with("W/")) etag.remove_prefix(2);
  if (etag.size() >= 2 && etag.front() == '"' && etag.back() == '"') {
    etag = etag.substr(1, etag.size() - 2);
  }
  return etag;
}

bool etag_list_matches(std::string_view header, std::string_view etag) {
  for (const std::string& item : split(header, ',')) {
    std::string_view value = trim(item);
    if (value == "*") return true;
    if (!value.empty() && unquote_etag(value) == unquote_etag(etag)) return true;
  }
  return false;
}

Status evaluate_conditions(const HttpHeaders& headers, std::string_view etag, Timestamp mod_time,
                           ConditionSet set) {
  const bool copy = set == ConditionSet::kCopySource;
  const std::string_view if_match_name = copy ? "x-amz-copy-source-if-match" : "if-match";
  const std::string_view if_none_match_name =
      copy ? "x-amz-copy-source-if-none-match" : "if-none-match";
  const std::string_view if_modified_name =
      copy ? "x-amz-copy-source-if-modified-since" : "if-modified-since";
  const std::string_view if_unmodified_name =
      copy ? "x-amz-copy-source-if-unmodified-since" : "if-unmodified-since";
  const ErrorCode not_modified = copy ? ErrorCode::kPreconditionFailed : ErrorCode::kNotModified;
  const Timestamp modified = to_seconds(mod_time);

  auto if_match = headers.get(if_match_name);
  if (if_match) {
    if (!etag_list_matches(*if_match, etag)) return Status(ErrorCode::kPreconditionFailed);
  } else if (auto since = header_date(headers, if_unmodified_name)) {
    if (modified > to_seconds(*since)) return Status(ErrorCode::kPreconditionFailed);
  }
  auto if_none_match = headers.get(if_none_match_name);
  if (if_none_match) {
    if (etag_list_matches(*if_none_match, etag)) return Status(not_modified);
  } else if (auto since = header_date(headers, if_modified_name)) {
    if (modified <= to_seconds(*since)) return Status(not_modified);
  }
  return Status::ok();
}

}  // namespace maxio::s3
