// GetObjectAttributes: what x-amz-object-attributes asks for of one object version (ETag,
// Checksum, ObjectParts, StorageClass, ObjectSize), without its payload.

#include <charconv>
#include <set>

#include "daemon/s3/checksums.h"
#include "daemon/s3/errors.h"
#include "daemon/s3/request.h"
#include "daemon/s3/validation.h"
#include "daemon/s3/xml.h"
#include "shared/util/strings.h"
#include "shared/util/time.h"

namespace maxio::s3 {

namespace {

// The part count a multipart ETag ("<md5>-N") names; nullopt for a single-part object.
std::optional<int> parts_in_etag(std::string_view etag) {
  auto dash = etag.rfind('-');
  if (dash == etag.npos) return std::nullopt;
  int parts = 0;
  auto tail = etag.substr(dash + 1);
  auto [end, ec] = std::from_chars(tail.data(), tail.data() + tail.size(), parts);
  if (ec != std::errc() || end != tail.data() + tail.size() || parts < 1) return std::nullopt;
  return parts;
}

Result<std::set<std::string>> requested_attributes(const HttpHeaders& headers) {
  static const std::set<std::string> kKnown = {"ETag", "Checksum", "ObjectParts", "StorageClass",
                                               "ObjectSize"};
  std::set<std::string> out;
  for (const auto& [name, value] : headers.fields()) {
    if (to_lower(name) != "x-amz-object-attributes") continue;
    for (const std::string& part : split(value, ',')) {
      std::string attribute(trim(part));
      if (attribute.empty()) continue;
      if (!kKnown.contains(attribute)) {
        return Status(ErrorCode::kInvalidArgumentS3, "Invalid attribute name specified.");
      }
      out.insert(attribute);
    }
  }
  if (out.empty()) {
    return Status(ErrorCode::kInvalidArgumentS3,
                  "The x-amz-object-attributes header specifying the attributes to be "
                  "retrieved is either missing or empty");
  }
  return out;
}

}  // namespace

Status handle_get_object_attributes(S3Request& request) {
  // Parse.
  MAXIO_RETURN_IF_ERROR(validate_bucket_name(request.route.bucket));
  MAXIO_RETURN_IF_ERROR(validate_object_key(request.route.key));
  MAXIO_TRY(std::set<std::string> wanted, requested_attributes(request.headers()));
  ObjectOptions options;
  std::string_view version = request.route.query.get("versionId").value_or("");
  MAXIO_RETURN_IF_ERROR(validate_version_id(version));
  options.version_id = std::string(version);  // "null" names the null version

  // Execute.
  MAXIO_TRY(ObjectInfo info,
            request.layer().get_object_info(request.route.bucket, request.route.key, options));
  if (info.delete_marker) {
    HttpHeaders headers;
    headers.add("x-amz-delete-marker", "true");
    headers.add("x-amz-version-id", info.version_id.empty() ? "null" : info.version_id);
    return send_error(
        request,
        Status(options.version_id.empty() ? ErrorCode::kNoSuchKey : ErrorCode::kMethodNotAllowed),
        std::move(headers));
  }

  // Respond.
  ObjectAttributes attributes;
  if (wanted.contains("ETag")) attributes.etag = info.etag;
  if (wanted.contains("StorageClass")) attributes.storage_class = info.storage_class;
  if (wanted.contains("ObjectSize")) attributes.object_size = info.size;
  if (wanted.contains("Checksum")) {
    if (auto checksum = decode_stored_checksum(info.checksum)) {
      attributes.checksum_algorithm = checksum->algorithm;
      attributes.checksum_value = checksum_value(*checksum);
      attributes.checksum_type = checksum->full_object ? "FULL_OBJECT" : "COMPOSITE";
    }
  }
  if (wanted.contains("ObjectParts")) attributes.total_parts_count = parts_in_etag(info.etag);
  HttpHeaders headers;
  headers.add("Last-Modified", format_rfc1123(info.mod_time));
  if (!info.version_id.empty()) headers.add("x-amz-version-id", info.version_id);
  return send_xml(request, 200, std::move(headers), object_attributes_xml(attributes));
}

}  // namespace maxio::s3
