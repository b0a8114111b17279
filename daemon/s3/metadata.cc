#include "daemon/s3/metadata.h"

#include <algorithm>
#include <array>

#include "daemon/bucket/configs.h"
#include "daemon/s3/conditions.h"
#include "daemon/s3/xml.h"
#include "shared/util/encoding.h"
#include "shared/util/strings.h"
#include "shared/util/time.h"

namespace maxio::s3 {

namespace {

constexpr std::string_view kUserMetaPrefix = "x-amz-meta-";
constexpr std::array<std::string_view, 6> kStandardHeaders = {
    "content-type",     "content-encoding", "content-disposition",
    "content-language", "cache-control",    "expires"};

// Content-Encoding without the aws-chunked token that only describes the transfer.
std::string strip_aws_chunked(std::string_view value) {
  std::string out;
  for (const std::string& item : split(value, ',')) {
    std::string_view token = trim(item);
    if (token.empty() || iequals(token, "aws-chunked")) continue;
    if (!out.empty()) out += ",";
    out += token;
  }
  return out;
}

// RFC 9110 token characters: what a header field name may hold.
bool is_token(std::string_view name) {
  if (name.empty()) return false;
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
    if (!ok) return false;
  }
  return true;
}

}  // namespace

bool is_field_value(std::string_view value) {
  for (char c : value) {
    auto u = static_cast<unsigned char>(c);
    if ((u < 0x20 && c != '\t') || u == 0x7f) return false;
  }
  return true;
}

Result<std::map<std::string, std::string>> extract_metadata(
    const std::vector<std::pair<std::string, std::string>>& fields) {
  std::map<std::string, std::string> metadata;
  size_t user_size = 0;
  for (const auto& [raw_name, value] : fields) {
    std::string name = to_lower(raw_name);
    // Form fields of a POST upload come here unchecked by the HTTP parser; what is stored
    // is sent back as response headers.
    const bool stored =
        name.starts_with(kUserMetaPrefix) ||
        std::find(kStandardHeaders.begin(), kStandardHeaders.end(), name) != kStandardHeaders.end();
    if (stored && (!is_token(name) || !is_field_value(value))) {
      return Status(ErrorCode::kInvalidArgumentS3,
                    "Invalid characters in the metadata field " + name + ".");
    }
    if (name.starts_with(kUserMetaPrefix)) {
      user_size += name.size() - kUserMetaPrefix.size() + value.size();
      auto [it, inserted] = metadata.emplace(name, value);
      if (!inserted) it->second += "," + value;
      continue;
    }
    if (name == "x-amz-storage-class") {
      if (value != "STANDARD" && value != "REDUCED_REDUNDANCY") {
        return Status(ErrorCode::kInvalidStorageClass);
      }
      if (value != "STANDARD") metadata[name] = value;
      continue;
    }
    for (auto standard : kStandardHeaders) {
      if (name != standard) continue;
      std::string stored = name == "content-encoding" ? strip_aws_chunked(value) : value;
      if (!stored.empty()) metadata[name] = stored;
    }
  }
  if (user_size > kMaxUserMetadataSize) return Status(ErrorCode::kMetadataTooLarge);
  if (!metadata.contains("content-type")) metadata["content-type"] = "binary/octet-stream";
  return metadata;
}

Status set_tagging(std::string_view header, std::map<std::string, std::string>& user_defined) {
  MAXIO_TRY(TagSet tags, parse_object_tagging_query(header));
  user_defined.erase(std::string(kTaggingKey));
  if (!tags.empty()) user_defined[std::string(kTaggingKey)] = object_tagging_query(tags);
  return Status::ok();
}

HttpHeaders object_headers(const ObjectInfo& info,
                           const std::map<std::string, std::string>& overrides) {
  HttpHeaders headers;
  std::map<std::string, std::string> values;
  for (const auto& [name, value] : info.user_defined) {
    bool standard = false;
    for (auto s : kStandardHeaders) standard = standard || name == s;
    if (standard || name.starts_with(kUserMetaPrefix) || name == "x-amz-storage-class") {
      values[name] = value;
    }
  }
  if (!info.content_type.empty()) values["content-type"] = info.content_type;
  if (!values.contains("content-type")) values["content-type"] = "binary/octet-stream";
  for (const auto& [name, value] : overrides) values[name] = value;
  headers.add("ETag", quote_etag(info.etag));
  headers.add("Last-Modified", format_rfc1123(info.mod_time));
  headers.add("Accept-Ranges", "bytes");
  for (const auto& [name, value] : values) headers.add(name, value);
  if (!info.version_id.empty()) headers.add("x-amz-version-id", info.version_id);
  if (auto tagging = info.user_defined.find(std::string(kTaggingKey));
      tagging != info.user_defined.end()) {
    size_t count = 0;
    for (const auto& item : split(tagging->second, '&')) count += !item.empty();
    if (count > 0) headers.add("x-amz-tagging-count", std::to_string(count));
  }
  return headers;
}

Result<std::optional<std::string>> content_md5(const HttpHeaders& headers) {
  auto header = headers.get("content-md5");
  if (!header) return std::optional<std::string>();
  auto decoded = base64_decode(trim(*header));
  if (!decoded || decoded->size() != 16) return Status(ErrorCode::kInvalidDigest);
  return std::optional<std::string>(std::move(decoded).value());
}

Status read_write_conditions(const HttpHeaders& headers, PutObjectOptions& options) {
  if (auto if_none_match = headers.get("if-none-match")) {
    if (trim(*if_none_match) != "*") {
      return Status(ErrorCode::kNotImplemented, "If-None-Match accepts only *.");
    }
    options.if_none_match_any = true;
  }
  if (auto if_match = headers.get("if-match")) {
    options.if_match = std::string(unquote_etag(*if_match));
  }
  return Status::ok();
}

Status check_unsupported_headers(const HttpHeaders& headers) {
  for (std::string_view name :
       {"x-amz-server-side-encryption", "x-amz-server-side-encryption-customer-algorithm"}) {
    if (headers.has(name)) {
      return Status(ErrorCode::kNotImplemented, "Server side encryption is not supported yet.");
    }
  }
  for (std::string_view name : {"x-amz-object-lock-mode", "x-amz-object-lock-legal-hold"}) {
    if (headers.has(name)) {
      return Status(ErrorCode::kNotImplemented, "Object locking is not supported yet.");
    }
  }
  return Status::ok();
}

}  // namespace maxio::s3
