// Object operations: PutObject, CopyObject, GetObject/HeadObject, DeleteObject,
// DeleteObjects, GetObjectAcl, Get/Put/DeleteObjectTagging.

#include <array>
#include <charconv>

#include "daemon/bucket/configs.h"
#include "daemon/s3/checksums.h"
#include "daemon/s3/conditions.h"
#include "daemon/s3/errors.h"
#include "daemon/s3/metadata.h"
#include "daemon/s3/range.h"
#include "daemon/s3/request.h"
#include "daemon/s3/validation.h"
#include "daemon/s3/versioning.h"
#include "daemon/s3/xml.h"
#include "shared/crypto/hash.h"
#include "shared/util/encoding.h"
#include "shared/util/strings.h"
#include "shared/util/time.h"

namespace maxio::s3 {

namespace {

constexpr std::array<std::pair<std::string_view, std::string_view>, 6> kResponseOverrides = {{
    {"response-content-type", "content-type"},
    {"response-content-language", "content-language"},
    {"response-expires", "expires"},
    {"response-cache-control", "cache-control"},
    {"response-content-disposition", "content-disposition"},
    {"response-content-encoding", "content-encoding"},
}};

Status validate_target(const S3Request& request) {
  MAXIO_RETURN_IF_ERROR(validate_bucket_name(request.route.bucket));
  return validate_object_key(request.route.key);
}

// versionId query parameter ("null" names the null version). Fails with
// kInvalidArgumentS3 for a value that is no version id.
Result<ObjectOptions> version_options(const S3Request& request) {
  ObjectOptions options;
  std::string_view version = request.route.query.get("versionId").value_or("");
  MAXIO_RETURN_IF_ERROR(validate_version_id(version));
  options.version_id = std::string(version);
  return options;
}

// GET/HEAD (or ACL) of a delete marker: 404 NoSuchKey when it is the latest version,
// 405 MethodNotAllowed when the request named it, with the headers AWS sends.
Status send_delete_marker(S3Request& request, const ObjectOptions& options,
                          const ObjectInfo& marker) {
  HttpHeaders headers;
  headers.add("x-amz-delete-marker", "true");
  headers.add("x-amz-version-id", shown_version_id(marker.version_id));
  if (options.version_id.empty()) {
    return send_error(request, Status(ErrorCode::kNoSuchKey), std::move(headers));
  }
  headers.add("Last-Modified", format_rfc1123(marker.mod_time));
  return send_error(request, Status(ErrorCode::kMethodNotAllowed), std::move(headers));
}

}  // namespace

Status handle_put_object(S3Request& request) {
  // Parse.
  MAXIO_RETURN_IF_ERROR(validate_target(request));
  const HttpHeaders& headers = request.headers();
  MAXIO_RETURN_IF_ERROR(check_unsupported_headers(headers));
  MAXIO_RETURN_IF_ERROR(check_request_checksums(headers));
  PutObjectOptions options;
  options.checksum = checksum_to_store(request.auth);
  if (request.auth.content_length) {
    options.size = static_cast<int64_t>(*request.auth.content_length);
  } else if (!request.http().chunked) {
    return Status(ErrorCode::kMissingContentLength);
  }
  if (options.size > static_cast<int64_t>(kMaxObjectSize)) {
    return Status(ErrorCode::kEntityTooLarge);
  }
  MAXIO_RETURN_IF_ERROR(enforce_bucket_quota(request, request.route.bucket, options.size));
  MAXIO_TRY(options.expected_md5, content_md5(headers));
  MAXIO_TRY(options.user_defined, extract_metadata(headers.fields()));
  if (auto tagging = headers.get("x-amz-tagging")) {
    MAXIO_RETURN_IF_ERROR(set_tagging(*tagging, options.user_defined));
  }
  MAXIO_RETURN_IF_ERROR(read_write_conditions(headers, options));
  MAXIO_TRY(BucketVersioning versioning, bucket_versioning(request, request.route.bucket));
  options.versioned = versioning.enabled;
  options.version_suspended = versioning.suspended;

  // Execute.
  MAXIO_TRY(ObjectInfo info, request.layer().put_object(request.route.bucket, request.route.key,
                                                        *request.auth.body, options));

  // Respond.
  HttpHeaders response = checksum_response_headers(request.auth);
  response.add("ETag", quote_etag(info.etag));
  if (versioning.enabled || versioning.suspended) {
    response.add("x-amz-version-id", shown_version_id(info.version_id));
  }
  return send_empty(request, 200, std::move(response));
}

Status handle_get_object(S3Request& request) {
  // Parse.
  MAXIO_RETURN_IF_ERROR(validate_target(request));
  const Query& q = request.route.query;
  MAXIO_TRY(ObjectOptions options, version_options(request));
  std::map<std::string, std::string> overrides;
  for (const auto& [param, header] : kResponseOverrides) {
    if (auto value = q.get(param)) {
      if (!is_field_value(*value)) {
        return Status(ErrorCode::kInvalidArgumentS3, "Invalid characters in " + std::string(param));
      }
      overrides[std::string(header)] = std::string(*value);
    }
  }
  auto range_header = request.headers().get("range");
  std::optional<int> part_number;
  if (auto part = q.get("partNumber")) {
    int number = 0;
    auto [end, ec] = std::from_chars(part->data(), part->data() + part->size(), number);
    if (ec != std::errc() || end != part->data() + part->size() || number < 1 || number > 10000) {
      return Status(ErrorCode::kInvalidArgumentS3,
                    "Part number must be an integer between 1 and 10000, inclusive");
    }
    if (range_header) {
      return Status(ErrorCode::kInvalidRequest,
                    "Cannot specify both Range header and partNumber query parameter");
    }
    part_number = number;
  }

  // Execute: HEAD needs only the metadata; GET opens the payload consistently with it.
  std::unique_ptr<ObjectReader> reader;
  ObjectInfo info;
  if (request.is_head()) {
    MAXIO_TRY(info,
              request.layer().get_object_info(request.route.bucket, request.route.key, options));
  } else {
    MAXIO_TRY(reader,
              request.layer().open_object(request.route.bucket, request.route.key, options));
    info = reader->info();
  }
  if (info.delete_marker) return send_delete_marker(request, options, info);
  Status conditions =
      evaluate_conditions(request.headers(), info.etag, info.mod_time, ConditionSet::kObject);
  if (conditions.code() == ErrorCode::kNotModified) {
    HttpHeaders headers;
    headers.add("ETag", quote_etag(info.etag));
    headers.add("Last-Modified", format_rfc1123(info.mod_time));
    return send_empty(request, 304, std::move(headers));
  }
  MAXIO_RETURN_IF_ERROR(conditions);
  Result<std::optional<ByteRange>> range = std::optional<ByteRange>();
  const bool multipart = info.etag.find('-') != std::string::npos && !info.parts.empty();
  if (part_number && multipart) {
    // Each part of a multipart object is its own range.
    std::vector<uint64_t> sizes;
    for (const auto& part : info.parts) sizes.push_back(part.size);
    auto part_range = resolve_multipart_part(*part_number, sizes);
    if (part_range) {
      range = std::optional<ByteRange>(*part_range);
    } else {
      range = part_range.status();
    }
  } else if (part_number) {
    range = resolve_part_number(*part_number, info.etag, info.size);
  } else {
    range = resolve_range(range_header.value_or(""), info.size);
  }
  if (!range && range.code() == ErrorCode::kInvalidRange) {
    HttpHeaders headers;
    headers.add("Content-Range", "bytes */" + std::to_string(info.size));
    return send_error(request, range.status(), std::move(headers));
  }
  MAXIO_RETURN_IF_ERROR(range.status());
  ByteRange span{0, info.size};
  if (range->has_value()) span = **range;
  if (reader && range->has_value()) {
    MAXIO_RETURN_IF_ERROR(reader->set_range(span.offset, span.length));
  }

  // Respond.
  HttpHeaders headers = object_headers(info, overrides);
  add_checksum_headers(request.headers(), info, !range->has_value(), headers);
  if (range->has_value()) headers.add("Content-Range", content_range(span, info.size));
  if (part_number && multipart) {
    headers.add("x-amz-mp-parts-count", std::to_string(info.parts.size()));
  }
  HttpHeaders all = base_headers(request);
  for (const auto& [name, value] : headers.fields()) all.add(name, value);
  HttpResponseWriter& response = request.exchange.response;
  MAXIO_RETURN_IF_ERROR(response.send_headers(range->has_value() ? 206 : 200, all, span.length));
  if (reader) {
    MAXIO_TRY(uint64_t copied, copy_stream(*reader, response));
    if (copied != span.length) {
      response.close_after_response();
      return Status(ErrorCode::kIncompleteBody, "object payload ended early");
    }
  }
  return response.finish();
}

Status handle_copy_object(S3Request& request) {
  // Parse.
  MAXIO_RETURN_IF_ERROR(validate_target(request));
  const HttpHeaders& headers = request.headers();
  MAXIO_RETURN_IF_ERROR(check_unsupported_headers(headers));
  MAXIO_TRY(CopySource source, parse_copy_source(headers.value_or_empty("x-amz-copy-source")));
  const std::string& src_bucket = source.bucket;
  const std::string& src_key = source.key;
  const ObjectOptions& source_options = source.options;
  std::string directive(headers.value_or_empty("x-amz-metadata-directive"));
  if (directive.empty()) directive = "COPY";
  if (directive != "COPY" && directive != "REPLACE") {
    return Status(ErrorCode::kInvalidArgumentS3, "Unknown metadata directive.");
  }
  const bool replace = directive == "REPLACE";
  std::string tagging_directive(headers.value_or_empty("x-amz-tagging-directive"));
  if (tagging_directive.empty()) tagging_directive = "COPY";
  if (tagging_directive != "COPY" && tagging_directive != "REPLACE") {
    return Status(ErrorCode::kInvalidArgumentS3, "Unknown tag directive.");
  }
  const bool replace_tags = tagging_directive == "REPLACE";
  std::map<std::string, std::string> new_tags;  // the header's, in the stored form
  if (replace_tags) {
    MAXIO_RETURN_IF_ERROR(set_tagging(headers.value_or_empty("x-amz-tagging"), new_tags));
  }
  MAXIO_TRY(BucketVersioning versioning, bucket_versioning(request, request.route.bucket));
  std::optional<ChecksumAlgorithm> checksum_algorithm;
  if (auto name = headers.get("x-amz-checksum-algorithm")) {
    checksum_algorithm = parse_checksum_algorithm(trim(*name));
    if (!checksum_algorithm) {
      return Status(ErrorCode::kInvalidRequest,
                    "Value for x-amz-checksum-algorithm header is invalid.");
    }
  }
  if (!replace && !replace_tags && src_bucket == request.route.bucket &&
      src_key == request.route.key && !headers.has("x-amz-storage-class")) {
    return Status(ErrorCode::kInvalidRequest,
                  "This copy request is illegal because it is trying to copy an object to "
                  "itself without changing the object's metadata, storage class, website "
                  "redirect location or encryption attributes.");
  }

  // Execute. The conditions and the metadata are taken from the source version the layer
  // opened, so a concurrent overwrite cannot slip between the check and the copy.
  ObjectInfo src;
  auto plan = [&](const ObjectInfo& source) -> Result<PutObjectOptions> {
    src = source;
    MAXIO_RETURN_IF_ERROR(
        evaluate_conditions(headers, src.etag, src.mod_time, ConditionSet::kCopySource));
    if (src.size > kMaxObjectSize) {
      return Status(ErrorCode::kInvalidRequest,
                    "The specified copy source is larger than the maximum allowable size for a "
                    "copy source: 5368709120");
    }
    MAXIO_RETURN_IF_ERROR(
        enforce_bucket_quota(request, request.route.bucket, static_cast<int64_t>(src.size)));
    PutObjectOptions options;
    options.versioned = versioning.enabled;
    options.version_suspended = versioning.suspended;
    // The bytes are copied unchanged, so a full-object checksum of the source holds for the
    // copy; a composite (multipart) one does not.
    auto checksum = decode_stored_checksum(src.checksum);
    if (checksum && checksum->full_object) {
      options.checksum = [stored = src.checksum] { return stored; };
    }
    if (checksum_algorithm &&
        (!checksum || !checksum->full_object || checksum->algorithm != *checksum_algorithm)) {
      return Status(ErrorCode::kNotImplemented,
                    "Computing a new checksum while copying is not supported yet.");
    }
    // Tags follow their own directive: the source's (COPY) or the header's (REPLACE).
    const std::string tagging_key(kTaggingKey);
    std::map<std::string, std::string> tags = new_tags;
    if (!replace_tags && src.user_defined.contains(tagging_key)) {
      tags[tagging_key] = src.user_defined.at(tagging_key);
    }
    if (replace) {
      MAXIO_TRY(options.user_defined, extract_metadata(headers.fields()));
      options.user_defined.erase(tagging_key);
      options.user_defined.insert(tags.begin(), tags.end());
      return options;
    }
    options.user_defined = src.user_defined;
    options.user_defined.erase(tagging_key);
    options.user_defined.insert(tags.begin(), tags.end());
    if (auto storage_class = headers.get("x-amz-storage-class")) {
      std::vector<std::pair<std::string, std::string>> field = {
          {"x-amz-storage-class", std::string(*storage_class)}};
      MAXIO_TRY(auto parsed, extract_metadata(field));
      options.user_defined.erase("x-amz-storage-class");
      if (parsed.contains("x-amz-storage-class")) {
        options.user_defined["x-amz-storage-class"] = parsed["x-amz-storage-class"];
      }
    }
    return options;
  };
  MAXIO_TRY(ObjectInfo copied,
            request.layer().copy_object(src_bucket, src_key, source_options, request.route.bucket,
                                        request.route.key, plan));

  // Respond.
  HttpHeaders response;
  if (!src.version_id.empty() || !source_options.version_id.empty()) {
    response.add("x-amz-copy-source-version-id", shown_version_id(src.version_id));
  }
  if (versioning.enabled || versioning.suspended) {
    response.add("x-amz-version-id", shown_version_id(copied.version_id));
  }
  return send_xml(request, 200, std::move(response), copy_object_result_xml(copied));
}

Status handle_delete_object(S3Request& request) {
  MAXIO_RETURN_IF_ERROR(validate_target(request));
  MAXIO_TRY(ObjectOptions options, version_options(request));
  MAXIO_TRY(BucketVersioning versioning, bucket_versioning(request, request.route.bucket));
  options.versioned = versioning.enabled;
  options.version_suspended = versioning.suspended;
  MAXIO_TRY(DeletedObject deleted,
            request.layer().delete_object(request.route.bucket, request.route.key, options));
  HttpHeaders headers;
  if (deleted.delete_marker) {
    headers.add("x-amz-delete-marker", "true");
    headers.add("x-amz-version-id", deleted.delete_marker_version_id);
  } else if (!deleted.version_id.empty()) {
    headers.add("x-amz-version-id", deleted.version_id);
  }
  return send_empty(request, 204, std::move(headers));
}

Status handle_get_object_acl(S3Request& request) {
  MAXIO_RETURN_IF_ERROR(validate_target(request));
  MAXIO_TRY(ObjectOptions options, version_options(request));
  MAXIO_TRY(ObjectInfo info,
            request.layer().get_object_info(request.route.bucket, request.route.key, options));
  if (info.delete_marker) return send_delete_marker(request, options, info);
  return send_xml(request, 200, {}, access_control_policy_xml());
}

Status handle_delete_objects(S3Request& request) {
  // Parse.
  MAXIO_RETURN_IF_ERROR(validate_bucket_name(request.route.bucket));
  MAXIO_TRY(auto expected_md5, content_md5(request.headers()));
  MAXIO_TRY(std::string body, read_all(*request.auth.body, kMaxXmlBodySize));
  if (expected_md5 && md5(body) != *expected_md5) return Status(ErrorCode::kBadDigest);
  MAXIO_TRY(DeleteObjectsRequest parsed, parse_delete_objects(body));

  // Execute: invalid keys fail alone; the rest go to the layer in one call.
  MAXIO_RETURN_IF_ERROR(request.layer().get_bucket_info(request.route.bucket).status());
  MAXIO_TRY(BucketVersioning versioning, bucket_versioning(request, request.route.bucket));
  ObjectOptions versioning_options;
  versioning_options.versioned = versioning.enabled;
  versioning_options.version_suspended = versioning.suspended;
  std::vector<DeleteError> errors;
  std::vector<ObjectToDelete> valid;
  for (ObjectToDelete& object : parsed.objects) {
    Status key_status = validate_object_key(object.name);
    if (key_status) key_status = validate_version_id(object.version_id);
    if (!key_status) {
      errors.push_back({object.name, object.version_id,
                        std::string(error_info(key_status.code()).code),
                        std::string(error_message(key_status))});
    } else {
      valid.push_back(std::move(object));
    }
  }
  std::vector<DeletedObject> deleted;
  if (!valid.empty()) {
    std::vector<Result<DeletedObject>> results =
        request.layer().delete_objects(request.route.bucket, valid, versioning_options);
    for (size_t i = 0; i < valid.size(); ++i) {
      if (i < results.size() && results[i].is_ok()) {
        deleted.push_back(results[i].value());
        continue;
      }
      Status failed = i < results.size() ? results[i].status() : Status(ErrorCode::kInternal);
      if (failed.code() == ErrorCode::kNoSuchKey || failed.code() == ErrorCode::kFileNotFound) {
        deleted.push_back({valid[i].name, valid[i].version_id, false, ""});
        continue;
      }
      errors.push_back({valid[i].name, valid[i].version_id,
                        std::string(error_info(failed.code()).code),
                        std::string(error_message(failed))});
    }
  }

  // Respond.
  return send_xml(request, 200, {}, delete_result_xml(parsed.quiet, deleted, errors));
}

Status handle_object_tagging(S3Request& request) {
  // Parse.
  MAXIO_RETURN_IF_ERROR(validate_target(request));
  MAXIO_TRY(ObjectOptions options, version_options(request));
  const Operation op = request.route.operation;
  std::optional<TagSet> put_tags;
  if (op == Operation::kPutObjectTagging) {
    MAXIO_TRY(std::string body, read_all(*request.auth.body, kMaxXmlBodySize));
    MAXIO_TRY(put_tags, parse_object_tagging_xml(body));
  }
  MAXIO_TRY(BucketVersioning versioning, bucket_versioning(request, request.route.bucket));
  const std::string& bucket = request.route.bucket;
  const std::string& key = request.route.key;

  // Execute.
  ObjectInfo info;
  if (op == Operation::kGetObjectTagging) {
    MAXIO_TRY(info, request.layer().get_object_info(bucket, key, options));
    if (info.delete_marker) return send_delete_marker(request, options, info);
  } else {
    const std::string tagging_key(kTaggingKey);
    auto updated = request.layer().update_object_metadata(
        bucket, key, options, [&](std::map<std::string, std::string>& user_defined) {
          user_defined.erase(tagging_key);
          if (put_tags && !put_tags->empty()) {
            user_defined[tagging_key] = object_tagging_query(*put_tags);
          }
          return Status::ok();
        });
    if (!updated && updated.code() == ErrorCode::kMethodNotAllowed) {
      MAXIO_TRY(ObjectInfo marker, request.layer().get_object_info(bucket, key, options));
      return send_delete_marker(request, options, marker);
    }
    MAXIO_TRY(info, std::move(updated));
  }

  // Respond.
  HttpHeaders headers;
  if (!info.version_id.empty() || versioning.enabled || versioning.suspended) {
    headers.add("x-amz-version-id", shown_version_id(info.version_id));
  }
  if (op == Operation::kPutObjectTagging) return send_empty(request, 200, std::move(headers));
  if (op == Operation::kDeleteObjectTagging) return send_empty(request, 204, std::move(headers));
  TagSet tags;
  if (auto stored = info.user_defined.find(std::string(kTaggingKey));
      stored != info.user_defined.end()) {
    auto parsed = parse_object_tagging_query(stored->second);
    if (parsed) tags = std::move(parsed).value();
  }
  return send_xml(request, 200, std::move(headers), object_tagging_xml(tags));
}

}  // namespace maxio::s3
