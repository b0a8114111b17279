#pragma once
// The XML bodies of the S3 API: parsers for request documents (DeleteObjects,
// CreateBucketConfiguration) and builders for response documents (listings, CopyObject,
// DeleteObjects, POST object, bucket location). Builders take plain structs and return the
// whole document with its XML declaration; text is XML-escaped. Pure functions; thread-safe.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "daemon/storage/object_layer.h"
#include "shared/crypto/checksum.h"
#include "shared/util/status.h"

namespace maxio::s3 {

constexpr std::string_view kS3Namespace = "http://s3.amazonaws.com/doc/2006-03-01/";
// The owner every bucket and object reports (one root user today), as MinIO does.
constexpr std::string_view kOwnerId =
    "02d6176db174dc93cb1b899f7c6078f08654445fe8cf1b6ce98d8855f66bdbf4";
constexpr std::string_view kOwnerDisplayName = "minio";

// ---- Requests ----

struct DeleteObjectsRequest {
  bool quiet = false;
  std::vector<ObjectToDelete> objects;
  bool operator==(const DeleteObjectsRequest& other) const;
};

// Parses <Delete><Quiet/><Object><Key/><VersionId/></Object>...</Delete>. kMalformedXML
// when the document does not parse, the root is not Delete, an Object has no Key, or there
// are no objects or more than `max_objects`.
Result<DeleteObjectsRequest> parse_delete_objects(std::string_view body, size_t max_objects = 1000);
std::string delete_objects_request_xml(const DeleteObjectsRequest& request);

struct CreateBucketConfiguration {
  std::string location_constraint;  // empty when absent
  bool operator==(const CreateBucketConfiguration&) const = default;
};

// Parses <CreateBucketConfiguration><LocationConstraint/></...>; an empty or all-space body
// is an empty configuration. kMalformedXML when the document does not parse or its root is
// not CreateBucketConfiguration.
Result<CreateBucketConfiguration> parse_create_bucket_configuration(std::string_view body);
std::string create_bucket_configuration_xml(const CreateBucketConfiguration& config);

// ---- Responses ----

std::string list_buckets_xml(const std::vector<BucketInfo>& buckets);
std::string location_constraint_xml(std::string_view region);  // empty for us-east-1
std::string versioning_configuration_xml();                    // never enabled yet
// The owner holds FULL_CONTROL; nobody else has a grant.
std::string access_control_policy_xml();

struct ListObjectsParams {
  std::string bucket;
  std::string prefix;
  std::string delimiter;
  int max_keys = 1000;
  bool url_encode = false;  // encoding-type=url
  // V1
  std::string marker;
  // V2
  std::string continuation_token;  // as sent (opaque)
  std::string start_after;
  bool fetch_owner = false;
  // Versions
  std::string key_marker;
  std::string version_id_marker;
};

std::string list_objects_v1_xml(const ListObjectsParams& params, const ListObjectsInfo& result);
// `next_token` is the NextContinuationToken to send when truncated.
std::string list_objects_v2_xml(const ListObjectsParams& params, const ListObjectsInfo& result,
                                std::string_view next_token);
std::string list_object_versions_xml(const ListObjectsParams& params,
                                     const ListObjectVersionsInfo& result);

std::string copy_object_result_xml(const ObjectInfo& info);

// GetObjectAttributesResponse: each field present was asked for (and, for the checksum and
// the parts, exists).
struct ObjectAttributes {
  std::optional<std::string> etag;  // without quotes
  std::optional<std::string> storage_class;
  std::optional<uint64_t> object_size;
  std::optional<ChecksumAlgorithm> checksum_algorithm;
  std::string checksum_value;  // as checksum_value() prints it
  std::string checksum_type;   // FULL_OBJECT or COMPOSITE
  std::optional<int> total_parts_count;
};
std::string object_attributes_xml(const ObjectAttributes& attributes);

struct DeleteError {
  std::string key;
  std::string version_id;
  std::string code;
  std::string message;
};
std::string delete_result_xml(bool quiet, const std::vector<DeletedObject>& deleted,
                              const std::vector<DeleteError>& errors);

std::string post_response_xml(std::string_view location, std::string_view bucket,
                              std::string_view key, std::string_view etag);

// `xml` (a document pugixml wrote without indentation) with every carriage return as
// "&#13;": pugixml writes CR in text as is, and XML parsers turn a raw CR into LF, so a key
// such as "a\rb" would come back to the client as "a\nb".
std::string escape_carriage_returns(std::string_view xml);

// "\"<etag>\"".
std::string quote_etag(std::string_view etag);

}  // namespace maxio::s3
