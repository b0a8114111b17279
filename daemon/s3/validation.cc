#include "daemon/s3/validation.h"

#include <array>

#include "shared/util/encoding.h"
#include "shared/util/strings.h"

namespace maxio::s3 {

namespace {

constexpr size_t kMaxKeyLength = 1024;

bool is_lower_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

// "192.168.5.4": four dot-separated decimal numbers.
bool looks_like_ipv4(std::string_view s) {
  int parts = 0;
  size_t start = 0;
  while (true) {
    size_t dot = s.find('.', start);
    std::string_view part = s.substr(start, dot == std::string_view::npos ? s.npos : dot - start);
    if (part.empty() || part.size() > 3) return false;
    for (char c : part) {
      if (c < '0' || c > '9') return false;
    }
    ++parts;
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return parts == 4;
}

bool has_bad_segment(std::string_view key) {
  size_t start = 0;
  while (start <= key.size()) {
    size_t slash = key.find('/', start);
    std::string_view segment =
        key.substr(start, slash == std::string_view::npos ? key.npos : slash - start);
    if (segment == "." || segment == "..") return true;
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return false;
}

Status check_key_text(std::string_view key) {
  if (key.size() > kMaxKeyLength) return Status(ErrorCode::kKeyTooLong);
  if (!is_valid_utf8(key) || key.find('\0') != std::string_view::npos) {
    return Status(ErrorCode::kInvalidObjectName);
  }
  if (key.front() == '/') {
    return Status(ErrorCode::kInvalidObjectName, "Object name contains a leading slash.");
  }
  if (key.find("//") != std::string_view::npos || has_bad_segment(key)) {
    return Status(ErrorCode::kInvalidObjectName);
  }
  return Status::ok();
}

}  // namespace

Status validate_bucket_name(std::string_view bucket) {
  if (bucket.size() < 3 || bucket.size() > 63) return Status(ErrorCode::kInvalidBucketName);
  if (!is_lower_alnum(bucket.front()) || !is_lower_alnum(bucket.back())) {
    return Status(ErrorCode::kInvalidBucketName);
  }
  for (char c : bucket) {
    if (!is_lower_alnum(c) && c != '.' && c != '-') return Status(ErrorCode::kInvalidBucketName);
  }
  if (bucket.find("..") != bucket.npos || bucket.find(".-") != bucket.npos ||
      bucket.find("-.") != bucket.npos) {
    return Status(ErrorCode::kInvalidBucketName);
  }
  if (looks_like_ipv4(bucket)) return Status(ErrorCode::kInvalidBucketName);
  constexpr std::array<std::string_view, 3> kReservedPrefixes = {"xn--", "sthree-",
                                                                 "amzn-s3-demo-"};
  for (auto prefix : kReservedPrefixes) {
    if (bucket.starts_with(prefix)) return Status(ErrorCode::kInvalidBucketName);
  }
  constexpr std::array<std::string_view, 4> kReservedSuffixes = {"-s3alias", "--ol-s3", ".mrap",
                                                                 "--x-s3"};
  for (auto suffix : kReservedSuffixes) {
    if (bucket.ends_with(suffix)) return Status(ErrorCode::kInvalidBucketName);
  }
  return Status::ok();
}

Status validate_object_key(std::string_view key) {
  if (key.empty()) return Status(ErrorCode::kInvalidObjectName);
  return check_key_text(key);
}

Status validate_prefix(std::string_view prefix) {
  if (prefix.empty()) return Status::ok();
  if (prefix.size() > kMaxKeyLength) return Status(ErrorCode::kKeyTooLong);
  if (!is_valid_utf8(prefix)) return Status(ErrorCode::kInvalidObjectName);
  return Status::ok();
}

Status validate_version_id(std::string_view version_id) {
  if (version_id.empty() || version_id == "null") return Status::ok();
  bool uuid = version_id.size() == 36;
  for (size_t i = 0; uuid && i < version_id.size(); ++i) {
    const char c = version_id[i];
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      uuid = c == '-';
    } else {
      uuid = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
  }
  if (uuid) return Status::ok();
  return Status(ErrorCode::kInvalidArgumentS3, "Invalid version id specified");
}

Result<std::string> decode_continuation_token(std::string_view token) {
  const Status incorrect(ErrorCode::kInvalidArgumentS3,
                         "The continuation token provided is incorrect");
  if (token.empty()) return incorrect;
  auto decoded = base64_decode(token);
  if (!decoded || decoded->empty() || decoded->size() > kMaxKeyLength || !is_valid_utf8(*decoded) ||
      decoded->find('\0') != std::string::npos) {
    return incorrect;
  }
  return std::move(decoded).value();
}

Result<CopySource> parse_copy_source(std::string_view source) {
  CopySource out;
  if (auto q = source.find("?versionId="); q != source.npos) {
    auto version = uri_decode(source.substr(q + 11));
    if (!version) return Status(ErrorCode::kInvalidArgumentS3, "Invalid copy source version id");
    MAXIO_RETURN_IF_ERROR(validate_version_id(*version));
    out.options.version_id = *version;
    source = source.substr(0, q);
  }
  auto decoded = uri_decode(source);
  if (!decoded) return Status(ErrorCode::kInvalidArgumentS3, "Invalid copy source encoding");
  std::string_view path = *decoded;
  if (path.starts_with('/')) path.remove_prefix(1);
  auto slash = path.find('/');
  if (slash == path.npos || slash == 0 || slash + 1 == path.size()) {
    return Status(ErrorCode::kInvalidArgumentS3,
                  "Copy Source must mention the source bucket and key: sourcebucket/sourcekey");
  }
  out.bucket = std::string(path.substr(0, slash));
  out.key = std::string(path.substr(slash + 1));
  MAXIO_RETURN_IF_ERROR(validate_bucket_name(out.bucket));
  MAXIO_RETURN_IF_ERROR(validate_object_key(out.key));
  return out;
}

}  // namespace maxio::s3
