#pragma once
// Request routing for the S3 API: finds the bucket and key (path-style "/bucket/key" or
// virtual-host-style "bucket.domain/key") and the S3 operation from the method and the
// query's sub-resources. Pure functions; thread-safe.

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "daemon/http/exchange.h"
#include "shared/util/status.h"

namespace maxio::s3 {

enum class Operation {
  kHealthLive,
  kHealthReady,
  kHealthCluster,      // /minio/health/cluster: every erasure set has write quorum
  kHealthClusterRead,  // /minio/health/cluster/read: every erasure set has read quorum
  kListBuckets,
  kCreateBucket,
  kHeadBucket,
  kDeleteBucket,
  kGetBucketLocation,
  kGetBucketVersioning,
  kGetBucketAcl,
  kListObjectsV1,
  kListObjectsV2,
  kListObjectVersions,
  kDeleteObjects,
  kPostObject,
  kPutObject,
  kCopyObject,
  kGetObject,
  kHeadObject,
  kGetObjectAcl,
  kGetObjectAttributes,
  kDeleteObject,
  kCreateMultipartUpload,
  kUploadPart,
  kUploadPartCopy,
  kCompleteMultipartUpload,
  kAbortMultipartUpload,
  kListParts,
  kListMultipartUploads,
  kGetObjectTagging,
  kPutObjectTagging,
  kDeleteObjectTagging,
  kPutBucketVersioning,
  // Bucket configuration sub-resources (daemon/s3/bucket_config_handlers.cc).
  kGetBucketPolicy,
  kPutBucketPolicy,
  kDeleteBucketPolicy,
  kGetBucketTagging,
  kPutBucketTagging,
  kDeleteBucketTagging,
  kGetBucketCors,
  kPutBucketCors,
  kDeleteBucketCors,
  kGetBucketLifecycle,
  kPutBucketLifecycle,
  kDeleteBucketLifecycle,
  kGetBucketEncryption,
  kPutBucketEncryption,
  kDeleteBucketEncryption,
  kGetBucketNotification,
  kPutBucketNotification,
  kGetBucketReplication,
  kPutBucketReplication,
  kDeleteBucketReplication,
  kGetObjectLockConfiguration,
  kPutObjectLockConfiguration,
  kCorsPreflight,  // OPTIONS /bucket[/key]: answered from the bucket's CORS rules, unsigned
};

// Whether `operation` is one of the bucket configuration sub-resources.
bool is_bucket_config_operation(Operation operation);

// A query string decoded into pairs in arrival order.
class Query {
 public:
  Query() = default;
  explicit Query(std::vector<std::pair<std::string, std::string>> pairs)
      : pairs_(std::move(pairs)) {}
  bool has(std::string_view name) const { return get(name).has_value(); }
  // The first value of `name` (case-sensitive, as S3 parameters are), or nullopt.
  std::optional<std::string_view> get(std::string_view name) const;
  const std::vector<std::pair<std::string, std::string>>& pairs() const { return pairs_; }

 private:
  std::vector<std::pair<std::string, std::string>> pairs_;
};

struct Route {
  Operation operation = Operation::kListBuckets;
  std::string bucket;  // decoded; empty for service-level operations
  std::string key;     // decoded; empty for bucket-level operations
  Query query;
};

// Routes `request`. A Host header ending in ".<domain>" for one of `domains` (port ignored)
// makes its leading labels the bucket; otherwise the first path segment is the bucket.
// Errors: kNotImplemented for a sub-resource or operation Maxio does not serve yet,
// kMethodNotAllowed for a method that has no meaning on the resource, kInvalidArgument
// (InvalidURI-like) for a path or query with a malformed percent escape.
Result<Route> route_request(const HttpRequest& request, const std::vector<std::string>& domains);

// The bucket named by a virtual-host-style Host header, or "" when `host` is not below one
// of `domains`.
std::string bucket_from_host(std::string_view host, const std::vector<std::string>& domains);

std::string_view operation_name(Operation operation);

}  // namespace maxio::s3
