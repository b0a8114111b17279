#include "daemon/s3/router.h"

#include <array>

#include "shared/util/strings.h"

namespace maxio::s3 {

namespace {

// Sub-resources S3 defines that Maxio does not serve yet: answered NotImplemented rather
// than misread as a plain GET/PUT of the bucket or object. ("acl" and "attributes" are
// served for GET only.)
// clang-format off
constexpr std::array<std::string_view, 35> kUnservedSubresources = {
    "accelerate", "acl", "analytics", "attributes", "cors", "encryption", "events",
    "intelligent-tiering", "inventory", "lambda", "legal-hold", "lifecycle", "logging",
    "metadataConfiguration", "metadataInventoryTable", "metadataJournalTable", "metadataTable",
    "metrics", "notification", "object-lock", "ownershipControls", "policy", "policyStatus",
    "publicAccessBlock", "renameObject", "replication", "replication-metrics",
    "requestPayment", "restore", "retention", "select", "session", "tagging", "torrent",
    "website"};
// clang-format on

// Bucket sub-resources that only GET reads: with PUT or DELETE they name no operation, and
// must not be taken for CreateBucket or DeleteBucket.
constexpr std::array<std::string_view, 4> kBucketReadSubresources = {"location", "versions",
                                                                     "list-type", "delete"};

// Bucket configuration sub-resources and the operation of each method (nullopt: the
// method has no meaning there).
struct ConfigRoute {
  std::string_view subresource;
  std::optional<Operation> get, put, del;
};
const ConfigRoute kConfigRoutes[] = {
    {"policy", Operation::kGetBucketPolicy, Operation::kPutBucketPolicy,
     Operation::kDeleteBucketPolicy},
    {"tagging", Operation::kGetBucketTagging, Operation::kPutBucketTagging,
     Operation::kDeleteBucketTagging},
    {"cors", Operation::kGetBucketCors, Operation::kPutBucketCors, Operation::kDeleteBucketCors},
    {"lifecycle", Operation::kGetBucketLifecycle, Operation::kPutBucketLifecycle,
     Operation::kDeleteBucketLifecycle},
    {"encryption", Operation::kGetBucketEncryption, Operation::kPutBucketEncryption,
     Operation::kDeleteBucketEncryption},
    {"notification", Operation::kGetBucketNotification, Operation::kPutBucketNotification,
     std::nullopt},
    {"replication", Operation::kGetBucketReplication, Operation::kPutBucketReplication,
     Operation::kDeleteBucketReplication},
    {"object-lock", Operation::kGetObjectLockConfiguration, Operation::kPutObjectLockConfiguration,
     std::nullopt},
};

// The configuration operation of a bucket-level request, kMethodNotAllowed for a method
// its sub-resource has not, nullopt when it names no configuration sub-resource.
std::optional<Result<Operation>> config_operation(const std::string& method, const Query& q) {
  for (const ConfigRoute& r : kConfigRoutes) {
    if (!q.has(r.subresource)) continue;
    std::optional<Operation> op = method == "GET"      ? r.get
                                  : method == "PUT"    ? r.put
                                  : method == "DELETE" ? r.del
                                                       : std::nullopt;
    if (!op) return Result<Operation>(Status(ErrorCode::kMethodNotAllowed));
    return Result<Operation>(*op);
  }
  return std::nullopt;
}

std::string_view strip_port(std::string_view host) {
  if (!host.empty() && host.front() == '[') {  // [::1]:9000
    auto close = host.find(']');
    return close == host.npos ? host : host.substr(0, close + 1);
  }
  auto colon = host.rfind(':');
  return colon == host.npos ? host : host.substr(0, colon);
}

}  // namespace

std::optional<std::string_view> Query::get(std::string_view name) const {
  for (const auto& [k, v] : pairs_) {
    if (k == name) return std::string_view(v);
  }
  return std::nullopt;
}

std::string bucket_from_host(std::string_view host, const std::vector<std::string>& domains) {
  std::string lower = to_lower(strip_port(host));
  for (const auto& domain_raw : domains) {
    std::string domain = to_lower(domain_raw);
    if (domain.empty()) continue;
    if (lower.size() > domain.size() + 1 && lower.ends_with(domain) &&
        lower[lower.size() - domain.size() - 1] == '.') {
      return lower.substr(0, lower.size() - domain.size() - 1);
    }
  }
  return "";
}

Result<Route> route_request(const HttpRequest& request, const std::vector<std::string>& domains) {
  Route route;
  auto query = parse_query(request.raw_query);
  if (!query) return Status(ErrorCode::kInvalidArgumentS3, "Couldn't parse the specified URI.");
  route.query = Query(std::move(query).value());
  auto path = uri_decode(request.path);
  if (!path) return Status(ErrorCode::kInvalidArgumentS3, "Couldn't parse the specified URI.");
  std::string_view p = *path;
  const std::string& method = request.method;

  static constexpr std::pair<std::string_view, Operation> kHealthPaths[] = {
      {"/minio/health/live", Operation::kHealthLive},
      {"/minio/health/ready", Operation::kHealthReady},
      {"/minio/health/cluster", Operation::kHealthCluster},
      {"/minio/health/cluster/read", Operation::kHealthClusterRead},
  };
  for (const auto& [health_path, operation] : kHealthPaths) {
    if (p != health_path) continue;
    if (method != "GET" && method != "HEAD") return Status(ErrorCode::kMethodNotAllowed);
    route.operation = operation;
    return route;
  }
  if (p.empty() || p.front() != '/') return Status(ErrorCode::kInvalidArgumentS3, "Invalid URI.");
  p.remove_prefix(1);

  std::string vhost_bucket = bucket_from_host(request.headers.value_or_empty("host"), domains);
  if (!vhost_bucket.empty()) {
    route.bucket = vhost_bucket;
    route.key = std::string(p);
  } else {
    auto slash = p.find('/');
    route.bucket = std::string(p.substr(0, slash));
    if (slash != p.npos) route.key = std::string(p.substr(slash + 1));
  }

  if (method == "OPTIONS") {
    if (route.bucket.empty()) return Status(ErrorCode::kMethodNotAllowed);
    route.operation = Operation::kCorsPreflight;
    return route;
  }
  // GetBucketAcl / GetObjectAcl: a fixed owner-only ACL (no ACL support beyond it).
  if (method == "GET" && route.query.has("acl")) {
    route.operation = route.key.empty() ? Operation::kGetBucketAcl : Operation::kGetObjectAcl;
    if (route.bucket.empty()) return Status(ErrorCode::kMethodNotAllowed);
    return route;
  }
  if (!route.bucket.empty() && route.key.empty()) {
    if (auto op = config_operation(method, route.query)) {
      if (!*op) return op->status();
      route.operation = **op;
      return route;
    }
  }
  // GetObjectAttributes; ?attributes means nothing with another method or on a bucket.
  if (method == "GET" && !route.key.empty() && route.query.has("attributes")) {
    route.operation = Operation::kGetObjectAttributes;
    return route;
  }
  // Object tagging (bucket tagging is a configuration sub-resource, above).
  if (!route.key.empty() && route.query.has("tagging")) {
    if (method == "GET") {
      route.operation = Operation::kGetObjectTagging;
    } else if (method == "PUT") {
      route.operation = Operation::kPutObjectTagging;
    } else if (method == "DELETE") {
      route.operation = Operation::kDeleteObjectTagging;
    } else {
      return Status(ErrorCode::kMethodNotAllowed);
    }
    return route;
  }
  for (auto name : kUnservedSubresources) {
    if (route.query.has(name)) {
      return Status(ErrorCode::kNotImplemented,
                    "The " + std::string(name) + " sub-resource is not implemented yet.");
    }
  }
  const Query& q = route.query;

  if (route.bucket.empty()) {
    if (method == "GET") {
      route.operation = Operation::kListBuckets;
      return route;
    }
    return Status(ErrorCode::kMethodNotAllowed);
  }

  if (route.key.empty()) {
    if (method == "GET") {
      if (q.has("location")) {
        route.operation = Operation::kGetBucketLocation;
      } else if (q.has("versioning")) {
        route.operation = Operation::kGetBucketVersioning;
      } else if (q.has("versions")) {
        route.operation = Operation::kListObjectVersions;
      } else if (q.has("uploads")) {
        route.operation = Operation::kListMultipartUploads;
      } else if (q.get("list-type") == "2") {
        route.operation = Operation::kListObjectsV2;
      } else {
        route.operation = Operation::kListObjectsV1;
      }
    } else if (method == "HEAD") {
      route.operation = Operation::kHeadBucket;
    } else if (method == "PUT" || method == "DELETE") {
      if (q.has("versioning")) {
        if (method != "PUT") return Status(ErrorCode::kMethodNotAllowed);
        route.operation = Operation::kPutBucketVersioning;
        return route;
      }
      for (auto name : kBucketReadSubresources) {
        if (q.has(name)) return Status(ErrorCode::kMethodNotAllowed);
      }
      route.operation = method == "PUT" ? Operation::kCreateBucket : Operation::kDeleteBucket;
    } else if (method == "POST") {
      if (q.has("delete")) {
        route.operation = Operation::kDeleteObjects;
      } else if (to_lower(request.headers.value_or_empty("content-type"))
                     .starts_with("multipart/form-data")) {
        route.operation = Operation::kPostObject;
      } else {
        return Status(ErrorCode::kMethodNotAllowed);
      }
    } else {
      return Status(ErrorCode::kMethodNotAllowed);
    }
    return route;
  }

  // Multipart uploads: ?uploads starts one, ?uploadId names one.
  if (q.has("uploadId")) {
    if (method == "PUT") {
      if (!q.has("partNumber")) return Status(ErrorCode::kMethodNotAllowed);
      route.operation = request.headers.has("x-amz-copy-source") ? Operation::kUploadPartCopy
                                                                 : Operation::kUploadPart;
    } else if (method == "POST") {
      route.operation = Operation::kCompleteMultipartUpload;
    } else if (method == "DELETE") {
      route.operation = Operation::kAbortMultipartUpload;
    } else if (method == "GET") {
      route.operation = Operation::kListParts;
    } else {
      return Status(ErrorCode::kMethodNotAllowed);
    }
    return route;
  }
  if (q.has("uploads")) {
    if (method != "POST") return Status(ErrorCode::kMethodNotAllowed);
    route.operation = Operation::kCreateMultipartUpload;
    return route;
  }

  if (method == "GET") {
    route.operation = Operation::kGetObject;
  } else if (method == "HEAD") {
    route.operation = Operation::kHeadObject;
  } else if (method == "PUT") {
    route.operation =
        request.headers.has("x-amz-copy-source") ? Operation::kCopyObject : Operation::kPutObject;
  } else if (method == "DELETE") {
    route.operation = Operation::kDeleteObject;
  } else if (method == "POST") {
    return Status(ErrorCode::kNotImplemented);
  } else {
    return Status(ErrorCode::kMethodNotAllowed);
  }
  return route;
}

bool is_bucket_config_operation(Operation operation) {
  return operation >= Operation::kGetBucketPolicy &&
         operation <= Operation::kPutObjectLockConfiguration;
}

std::string_view operation_name(Operation operation) {
  switch (operation) {
    case Operation::kHealthLive:
      return "HealthLive";
    case Operation::kHealthReady:
      return "HealthReady";
    case Operation::kHealthCluster:
      return "HealthCluster";
    case Operation::kHealthClusterRead:
      return "HealthClusterRead";
    case Operation::kListBuckets:
      return "ListBuckets";
    case Operation::kCreateBucket:
      return "CreateBucket";
    case Operation::kHeadBucket:
      return "HeadBucket";
    case Operation::kDeleteBucket:
      return "DeleteBucket";
    case Operation::kGetBucketLocation:
      return "GetBucketLocation";
    case Operation::kGetBucketVersioning:
      return "GetBucketVersioning";
    case Operation::kGetBucketAcl:
      return "GetBucketAcl";
    case Operation::kGetObjectAcl:
      return "GetObjectAcl";
    case Operation::kGetObjectTagging:
      return "GetObjectTagging";
    case Operation::kPutObjectTagging:
      return "PutObjectTagging";
    case Operation::kDeleteObjectTagging:
      return "DeleteObjectTagging";
    case Operation::kGetObjectAttributes:
      return "GetObjectAttributes";
    case Operation::kListObjectsV1:
      return "ListObjects";
    case Operation::kListObjectsV2:
      return "ListObjectsV2";
    case Operation::kListObjectVersions:
      return "ListObjectVersions";
    case Operation::kDeleteObjects:
      return "DeleteObjects";
    case Operation::kPostObject:
      return "PostObject";
    case Operation::kPutObject:
      return "PutObject";
    case Operation::kCopyObject:
      return "CopyObject";
    case Operation::kGetObject:
      return "GetObject";
    case Operation::kHeadObject:
      return "HeadObject";
    case Operation::kDeleteObject:
      return "DeleteObject";
    case Operation::kCreateMultipartUpload:
      return "CreateMultipartUpload";
    case Operation::kUploadPart:
      return "UploadPart";
    case Operation::kUploadPartCopy:
      return "UploadPartCopy";
    case Operation::kCompleteMultipartUpload:
      return "CompleteMultipartUpload";
    case Operation::kAbortMultipartUpload:
      return "AbortMultipartUpload";
    case Operation::kListParts:
      return "ListParts";
    case Operation::kListMultipartUploads:
      return "ListMultipartUploads";
    case Operation::kPutBucketVersioning:
      return "PutBucketVersioning";
    case Operation::kGetBucketPolicy:
      return "GetBucketPolicy";
    case Operation::kPutBucketPolicy:
      return "PutBucketPolicy";
    case Operation::kDeleteBucketPolicy:
      return "DeleteBucketPolicy";
    case Operation::kGetBucketTagging:
      return "GetBucketTagging";
    case Operation::kPutBucketTagging:
      return "PutBucketTagging";
    case Operation::kDeleteBucketTagging:
      return "DeleteBucketTagging";
    case Operation::kGetBucketCors:
      return "GetBucketCors";
    case Operation::kPutBucketCors:
      return "PutBucketCors";
    case Operation::kDeleteBucketCors:
      return "DeleteBucketCors";
    case Operation::kGetBucketLifecycle:
      return "GetBucketLifecycleConfiguration";
    case Operation::kPutBucketLifecycle:
      return "PutBucketLifecycleConfiguration";
    case Operation::kDeleteBucketLifecycle:
      return "DeleteBucketLifecycle";
    case Operation::kGetBucketEncryption:
      return "GetBucketEncryption";
    case Operation::kPutBucketEncryption:
      return "PutBucketEncryption";
    case Operation::kDeleteBucketEncryption:
      return "DeleteBucketEncryption";
    case Operation::kGetBucketNotification:
      return "GetBucketNotificationConfiguration";
    case Operation::kPutBucketNotification:
      return "PutBucketNotificationConfiguration";
    case Operation::kGetBucketReplication:
      return "GetBucketReplication";
    case Operation::kPutBucketReplication:
      return "PutBucketReplication";
    case Operation::kDeleteBucketReplication:
      return "DeleteBucketReplication";
    case Operation::kGetObjectLockConfiguration:
      return "GetObjectLockConfiguration";
    case Operation::kPutObjectLockConfiguration:
      return "PutObjectLockConfiguration";
    case Operation::kCorsPreflight:
      return "PreflightCors";
  }
  return "Unknown";
}

}  // namespace maxio::s3
