#pragma once
// The XML documents of the S3 client: request bodies it builds (bucket configuration,
// DeleteObjects, CompleteMultipartUpload) and response bodies it parses (listings, copy,
// delete and multipart results, <Error>). Parsers accept any namespace prefix and decode
// EncodingType=url listings; a document that does not parse or has the wrong root fails
// with kInternal naming the document. Pure functions; thread-safe.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "shared/s3/types.h"
#include "shared/util/status.h"

namespace maxio::s3client::internal {

// ---- Requests ----

std::string create_bucket_configuration_xml(std::string_view location);
std::string delete_objects_xml(const std::vector<ObjectIdentifier>& objects, bool quiet);
// Parts are written in the given order; ETags are quoted when they are not already.
std::string complete_multipart_upload_xml(const std::vector<CompletedPart>& parts);

// ---- Responses ----

struct ErrorDocument {
  std::string code;
  std::string message;
  std::string request_id;
};
// The <Error> document in `body`; nullopt when `body` is not one.
std::optional<ErrorDocument> parse_error(std::string_view body);

Result<std::vector<BucketInfo>> parse_list_buckets(std::string_view body);
Result<ListObjectsResult> parse_list_objects_v2(std::string_view body);
Result<ListVersionsResult> parse_list_object_versions(std::string_view body);
// <CopyObjectResult>: etag and last_modified.
Result<CopyObjectResult> parse_copy_object(std::string_view body);
Result<DeleteObjectsResult> parse_delete_objects(std::string_view body);
// <InitiateMultipartUploadResult>: the upload id.
Result<std::string> parse_create_multipart_upload(std::string_view body);
Result<CompleteMultipartUploadResult> parse_complete_multipart_upload(std::string_view body);
Result<ListPartsResult> parse_list_parts(std::string_view body);

// An ETag without its quotes (and without a W/ prefix).
std::string unquote_etag(std::string_view etag);

}  // namespace maxio::s3client::internal
