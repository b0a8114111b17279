// Multipart upload operations: CreateMultipartUpload, UploadPart, UploadPartCopy,
// CompleteMultipartUpload, AbortMultipartUpload, ListParts, ListMultipartUploads.
// Their request and response documents are built here; nothing else uses them.

#include <charconv>
#include <limits>
#include <pugixml.hpp>

#include "daemon/s3/checksums.h"
#include "daemon/s3/conditions.h"
#include "daemon/s3/errors.h"
#include "daemon/s3/internal/xml_writer.h"
#include "daemon/s3/metadata.h"
#include "daemon/s3/request.h"
#include "daemon/s3/validation.h"
#include "daemon/s3/versioning.h"
#include "daemon/s3/xml.h"
#include "shared/util/encoding.h"
#include "shared/util/strings.h"
#include "shared/util/time.h"

namespace maxio::s3 {

namespace {

constexpr int kMaxListParts = 1000;
constexpr int kMaxListUploads = 1000;

Status validate_target(const S3Request& request) {
  MAXIO_RETURN_IF_ERROR(validate_bucket_name(request.route.bucket));
  return validate_object_key(request.route.key);
}

// The uploadId query parameter; an empty one names no upload.
Result<std::string> upload_id(const S3Request& request) {
  std::string id(request.route.query.get("uploadId").value_or(""));
  if (id.empty()) return Status(ErrorCode::kNoSuchUpload);
  return id;
}

Result<int> part_number(const S3Request& request) {
  std::string_view text = request.route.query.get("partNumber").value_or("");
  int number = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (ec != std::errc() || end != text.data() + text.size() || number < 1 ||
      number > kMaxPartNumber) {
    return Status(ErrorCode::kInvalidArgumentS3,
                  "Part number must be an integer between 1 and 10000, inclusive");
  }
  return number;
}

// A non-negative integer query parameter, or `fallback` when absent.
Result<int> int_param(const S3Request& request, std::string_view name, int fallback,
                      std::string_view message) {
  auto text = request.route.query.get(name);
  if (!text) return fallback;
  int64_t value = -1;
  auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (ec != std::errc() || end != text->data() + text->size() || value < 0 ||
      value > std::numeric_limits<int32_t>::max()) {
    return Status(ErrorCode::kInvalidArgumentS3, std::string(message));
  }
  return static_cast<int>(value);
}

// ---- XML ----

std::string initiate_result_xml(const std::string& bucket, const std::string& key,
                                const std::string& id) {
  pugi::xml_document doc;
  pugi::xml_node root = add_root(doc, "InitiateMultipartUploadResult");
  add(root, "Bucket", bucket);
  add(root, "Key", key);
  add(root, "UploadId", id);
  return xml_document(doc);
}

std::string copy_part_result_xml(const PartInfo& part) {
  pugi::xml_document doc;
  pugi::xml_node root = add_root(doc, "CopyPartResult");
  add(root, "LastModified", format_iso8601(part.last_modified));
  add(root, "ETag", quote_etag(part.etag));
  return xml_document(doc);
}

std::string complete_result_xml(const std::string& location, const ObjectInfo& info) {
  pugi::xml_document doc;
  pugi::xml_node root = add_root(doc, "CompleteMultipartUploadResult");
  add(root, "Location", location);
  add(root, "Bucket", info.bucket);
  add(root, "Key", info.name);
  add(root, "ETag", quote_etag(info.etag));
  return xml_document(doc);
}

std::string list_parts_xml(const ListPartsInfo& list) {
  pugi::xml_document doc;
  pugi::xml_node root = add_root(doc, "ListPartsResult");
  add(root, "Bucket", list.upload.bucket);
  add(root, "Key", list.upload.key);
  add(root, "UploadId", list.upload.upload_id);
  add_owner(root, "Initiator");
  add_owner(root, "Owner");
  add(root, "StorageClass", list.upload.storage_class);
  add(root, "PartNumberMarker", std::to_string(list.part_number_marker));
  add(root, "NextPartNumberMarker", std::to_string(list.next_part_number_marker));
  add(root, "MaxParts", std::to_string(list.max_parts));
  add(root, "IsTruncated", list.is_truncated ? "true" : "false");
  for (const PartInfo& part : list.parts) {
    pugi::xml_node p = root.append_child("Part");
    add(p, "PartNumber", std::to_string(part.number));
    add(p, "LastModified", format_iso8601(part.last_modified));
    add(p, "ETag", quote_etag(part.etag));
    add(p, "Size", std::to_string(part.size));
  }
  return xml_document(doc);
}

struct ListUploadsParams {
  std::string prefix, delimiter, key_marker, upload_id_marker;
  int max_uploads = kMaxListUploads;
  bool url_encode = false;
};

std::string list_uploads_xml(const std::string& bucket, const ListUploadsParams& params,
                             const ListMultipartUploadsInfo& list) {
  auto encoded = [&](std::string_view value) {
    return params.url_encode ? uri_encode(value, false) : std::string(value);
  };
  pugi::xml_document doc;
  pugi::xml_node root = add_root(doc, "ListMultipartUploadsResult");
  add(root, "Bucket", bucket);
  add(root, "KeyMarker", encoded(params.key_marker));
  add(root, "UploadIdMarker", params.upload_id_marker);
  add(root, "NextKeyMarker", encoded(list.next_key_marker));
  add(root, "NextUploadIdMarker", list.next_upload_id_marker);
  if (!params.delimiter.empty()) add(root, "Delimiter", encoded(params.delimiter));
  add(root, "Prefix", encoded(params.prefix));
  add(root, "MaxUploads", std::to_string(params.max_uploads));
  add(root, "IsTruncated", list.is_truncated ? "true" : "false");
  for (const MultipartUpload& upload : list.uploads) {
    pugi::xml_node u = root.append_child("Upload");
    add(u, "Key", encoded(upload.key));
    add(u, "UploadId", upload.upload_id);
    add_owner(u, "Initiator");
    add_owner(u, "Owner");
    add(u, "StorageClass", upload.storage_class);
    add(u, "Initiated", format_iso8601(upload.initiated));
  }
  for (const std::string& prefix : list.prefixes) {
    add(root.append_child("CommonPrefixes"), "Prefix", encoded(prefix));
  }
  if (params.url_encode) add(root, "EncodingType", "url");
  return xml_document(doc);
}

// <CompleteMultipartUpload><Part><PartNumber/><ETag/></Part>...</CompleteMultipartUpload>.
// kMalformedXML when it does not parse, has no part, or a part lacks a number or ETag;
// order and existence are the layer's to check.
Result<std::vector<CompletePart>> parse_complete(std::string_view body) {
  if (body.find('\0') != body.npos) return Status(ErrorCode::kMalformedXML);
  pugi::xml_document doc;
  if (!doc.load_buffer(body.data(), body.size())) return Status(ErrorCode::kMalformedXML);
  pugi::xml_node root = doc.child("CompleteMultipartUpload");
  if (!root) return Status(ErrorCode::kMalformedXML);
  std::vector<CompletePart> parts;
  for (pugi::xml_node node : root.children("Part")) {
    pugi::xml_node number = node.child("PartNumber");
    pugi::xml_node etag = node.child("ETag");
    if (!number || !etag) return Status(ErrorCode::kMalformedXML);
    std::string text = std::string(trim(number.text().get()));
    int value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size()) {
      return Status(ErrorCode::kMalformedXML);
    }
    if (value < 1 || value > kMaxPartNumber) {
      return Status(ErrorCode::kInvalidArgumentS3,
                    "Part number must be an integer between 1 and 10000, inclusive");
    }
    parts.push_back({value, std::string(unquote_etag(trim(etag.text().get())))});
    if (parts.size() > static_cast<size_t>(kMaxPartNumber)) {
      return Status(ErrorCode::kMalformedXML);
    }
  }
  if (parts.empty()) return Status(ErrorCode::kMalformedXML);
  return parts;
}

// x-amz-copy-source-range "bytes=first-last" (both required, first <= last).
Result<std::pair<uint64_t, uint64_t>> parse_copy_range(std::string_view header) {
  auto bad = [] {
    return Status(ErrorCode::kInvalidArgumentS3,
                  "The x-amz-copy-source-range value must be of the form bytes=first-last "
                  "where first and last are the zero-based offsets of the first and last bytes "
                  "to copy");
  };
  header = trim(header);
  if (!header.starts_with("bytes=")) return bad();
  header.remove_prefix(6);
  auto dash = header.find('-');
  if (dash == header.npos) return bad();
  uint64_t first = 0, last = 0;
  std::string_view a = header.substr(0, dash), b = header.substr(dash + 1);
  auto [ea, eca] = std::from_chars(a.data(), a.data() + a.size(), first);
  auto [eb, ecb] = std::from_chars(b.data(), b.data() + b.size(), last);
  if (a.empty() || b.empty() || eca != std::errc() || ecb != std::errc() ||
      ea != a.data() + a.size() || eb != b.data() + b.size() || first > last) {
    return bad();
  }
  return std::pair{first, last};
}

}  // namespace

Status handle_create_multipart_upload(S3Request& request) {
  // Parse.
  MAXIO_RETURN_IF_ERROR(validate_target(request));
  const HttpHeaders& headers = request.headers();
  MAXIO_RETURN_IF_ERROR(check_unsupported_headers(headers));
  PutObjectOptions options;
  MAXIO_TRY(options.user_defined, extract_metadata(headers.fields()));
  if (auto tagging = headers.get("x-amz-tagging")) {
    MAXIO_RETURN_IF_ERROR(set_tagging(*tagging, options.user_defined));
  }

  // Execute.
  MAXIO_TRY(std::string id,
            request.layer().new_multipart_upload(request.route.bucket, request.route.key, options));

  // Respond.
  return send_xml(request, 200, {},
                  initiate_result_xml(request.route.bucket, request.route.key, id));
}

Status handle_upload_part(S3Request& request) {
  // Parse.
  MAXIO_RETURN_IF_ERROR(validate_target(request));
  MAXIO_TRY(int number, part_number(request));
  MAXIO_TRY(std::string id, upload_id(request));
  const HttpHeaders& headers = request.headers();
  PutObjectOptions options;
  if (request.auth.content_length) {
    options.size = static_cast<int64_t>(*request.auth.content_length);
  } else if (!request.http().chunked) {
    return Status(ErrorCode::kMissingContentLength);
  }
  if (options.size > static_cast<int64_t>(kMaxPartSize)) {
    return Status(ErrorCode::kEntityTooLarge);
  }
  MAXIO_TRY(options.expected_md5, content_md5(headers));

  // Execute.
  MAXIO_TRY(PartInfo part,
            request.layer().put_object_part(request.route.bucket, request.route.key, id, number,
                                            *request.auth.body, options));

  // Respond.
  HttpHeaders response = checksum_response_headers(request.auth);
  response.add("ETag", quote_etag(part.etag));
  return send_empty(request, 200, std::move(response));
}

Status handle_upload_part_copy(S3Request& request) {
  // Parse.
  MAXIO_RETURN_IF_ERROR(validate_target(request));
  MAXIO_TRY(int number, part_number(request));
  MAXIO_TRY(std::string id, upload_id(request));
  const HttpHeaders& headers = request.headers();
  MAXIO_TRY(CopySource source, parse_copy_source(headers.value_or_empty("x-amz-copy-source")));
  std::optional<std::pair<uint64_t, uint64_t>> range;
  if (auto header = headers.get("x-amz-copy-source-range")) {
    MAXIO_TRY(range, parse_copy_range(*header));
  }

  // Execute: conditions and the range are checked against the version being copied.
  ObjectInfo src;
  auto plan = [&](const ObjectInfo& info) -> Result<PutObjectOptions> {
    src = info;
    MAXIO_RETURN_IF_ERROR(
        evaluate_conditions(headers, info.etag, info.mod_time, ConditionSet::kCopySource));
    if (range && (range->second >= info.size)) {
      return Status(
          ErrorCode::kInvalidArgumentS3,
          "Range specified is not valid for source object of size: " + std::to_string(info.size));
    }
    const uint64_t length = range ? range->second - range->first + 1 : info.size;
    if (length > kMaxPartSize) return Status(ErrorCode::kEntityTooLarge);
    return PutObjectOptions{};
  };
  const int64_t offset = range ? static_cast<int64_t>(range->first) : 0;
  const int64_t length = range ? static_cast<int64_t>(range->second - range->first + 1) : -1;
  MAXIO_TRY(PartInfo part, request.layer().copy_object_part(
                               source.bucket, source.key, source.options, offset, length,
                               request.route.bucket, request.route.key, id, number, plan));

  // Respond.
  HttpHeaders response;
  if (!src.version_id.empty()) response.add("x-amz-copy-source-version-id", src.version_id);
  return send_xml(request, 200, std::move(response), copy_part_result_xml(part));
}

Status handle_complete_multipart_upload(S3Request& request) {
  // Parse.
  MAXIO_RETURN_IF_ERROR(validate_target(request));
  MAXIO_TRY(std::string id, upload_id(request));
  const HttpHeaders& headers = request.headers();
  PutObjectOptions options;
  MAXIO_RETURN_IF_ERROR(read_write_conditions(headers, options));
  MAXIO_TRY(std::string body, read_all(*request.auth.body, kMaxXmlBodySize));
  MAXIO_TRY(std::vector<CompletePart> parts, parse_complete(body));
  MAXIO_TRY(BucketVersioning versioning, bucket_versioning(request, request.route.bucket));
  options.versioned = versioning.enabled;
  options.version_suspended = versioning.suspended;

  // Execute.
  MAXIO_TRY(ObjectInfo info, request.layer().complete_multipart_upload(
                                 request.route.bucket, request.route.key, id, parts, options));

  // Respond.
  const std::string host(headers.value_or_empty("host"));
  const std::string location = "http://" + host + "/" + uri_encode(request.route.bucket, true) +
                               "/" + uri_encode(request.route.key, false);
  HttpHeaders response;
  if (versioning.enabled || versioning.suspended) {
    response.add("x-amz-version-id", shown_version_id(info.version_id));
  }
  return send_xml(request, 200, std::move(response), complete_result_xml(location, info));
}

Status handle_abort_multipart_upload(S3Request& request) {
  MAXIO_RETURN_IF_ERROR(validate_target(request));
  MAXIO_TRY(std::string id, upload_id(request));
  MAXIO_RETURN_IF_ERROR(
      request.layer().abort_multipart_upload(request.route.bucket, request.route.key, id));
  return send_empty(request, 204, {});
}

Status handle_list_parts(S3Request& request) {
  // Parse.
  MAXIO_RETURN_IF_ERROR(validate_target(request));
  MAXIO_TRY(std::string id, upload_id(request));
  MAXIO_TRY(int marker, int_param(request, "part-number-marker", 0,
                                  "Argument partNumberMarker must be an integer."));
  MAXIO_TRY(int max_parts, int_param(request, "max-parts", kMaxListParts,
                                     "Argument max-parts must be an integer between 0 and "
                                     "2147483647"));
  max_parts = std::min(max_parts, kMaxListParts);

  // Execute.
  MAXIO_TRY(ListPartsInfo list,
            request.layer().list_object_parts(request.route.bucket, request.route.key, id, marker,
                                              max_parts));

  // Respond.
  return send_xml(request, 200, {}, list_parts_xml(list));
}

Status handle_list_multipart_uploads(S3Request& request) {
  // Parse.
  MAXIO_RETURN_IF_ERROR(validate_bucket_name(request.route.bucket));
  const Query& q = request.route.query;
  ListUploadsParams params;
  params.prefix = std::string(q.get("prefix").value_or(""));
  params.delimiter = std::string(q.get("delimiter").value_or(""));
  params.key_marker = std::string(q.get("key-marker").value_or(""));
  params.upload_id_marker = std::string(q.get("upload-id-marker").value_or(""));
  MAXIO_TRY(params.max_uploads,
            int_param(request, "max-uploads", kMaxListUploads,
                      "Argument max-uploads must be an integer between 0 and 2147483647"));
  params.max_uploads = std::min(params.max_uploads, kMaxListUploads);
  if (auto encoding = q.get("encoding-type")) {
    if (!iequals(*encoding, "url")) return Status(ErrorCode::kInvalidEncodingMethod);
    params.url_encode = true;
  }
  if (params.key_marker.empty()) params.upload_id_marker.clear();

  // Execute.
  MAXIO_TRY(ListMultipartUploadsInfo list,
            request.layer().list_multipart_uploads(request.route.bucket, params.prefix,
                                                   params.key_marker, params.upload_id_marker,
                                                   params.delimiter, params.max_uploads));

  // Respond.
  return send_xml(request, 200, {}, list_uploads_xml(request.route.bucket, params, list));
}

}  // namespace maxio::s3
