#pragma once
// S3Client: the S3 API over HttpClient and SigV4 for maxioctl, maxio-mount, the console and
// tests: buckets, objects (bodies streamed both ways), listings, batch delete, multipart
// uploads and presigned URLs. Owns its HttpClient and connection pool. Thread-safe: one
// client serves any number of threads.
// Errors: a failed call returns the S3 error as a Status (see shared/s3/error.h; read the
// details back with S3Error::from_status), or the HTTP client's kIo / kTimeout.

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "shared/http/client.h"
#include "shared/s3/error.h"
#include "shared/s3/types.h"
#include "shared/util/status.h"

namespace maxio::s3client {

// How streamed bodies (PutObject, UploadPart from a Reader) are signed. In-memory bodies
// are always signed with their SHA-256.
enum class PayloadSigning {
  kAuto,       // https: UNSIGNED-PAYLOAD (TLS protects the bytes); http: kStreaming
  kUnsigned,   // UNSIGNED-PAYLOAD everywhere
  kStreaming,  // STREAMING-AWS4-HMAC-SHA256-PAYLOAD: aws-chunked, each chunk signed
};

struct S3ClientOptions {
  std::string endpoint = {};  // "http://127.0.0.1:9000", "https://s3.example.com"
  std::string access_key = {};
  std::string secret_key = {};
  std::string session_token = {};  // temporary credentials: sent as X-Amz-Security-Token
  std::string region = "us-east-1";
  // true: http://host/bucket/key; false: http://bucket.host/key (virtual-host style).
  bool path_style = true;
  PayloadSigning payload_signing = PayloadSigning::kAuto;
  // Payload bytes per aws-chunked chunk; the client holds one chunk in memory.
  size_t chunk_size = 256 * 1024;
  // Extra attempts for idempotent requests that failed with a connection error, a timeout,
  // a 5xx other than 501, SlowDown or RequestTimeout. A streamed body is retried only when
  // none of it was read or its Payload can rewind.
  int max_retries = 3;
  // Backoff before retry n: a random delay up to min(retry_max_delay, base * 2^n).
  std::chrono::milliseconds retry_base_delay{100};
  std::chrono::milliseconds retry_max_delay{std::chrono::seconds(5)};
  http::ClientOptions http = {};  // timeouts, pool size, TLS verification
};

class S3Client {
 public:
  S3Client(const S3Client&) = delete;
  S3Client& operator=(const S3Client&) = delete;
  ~S3Client();

  // kInvalidArgument for a malformed endpoint or empty credentials; kIo when the TLS trust
  // store cannot be loaded. No request is sent.
  static Result<std::unique_ptr<S3Client>> create(S3ClientOptions options);

  // ---- Buckets ----
  Result<std::vector<BucketInfo>> list_buckets();
  // `location` "" means the client's region; us-east-1 sends no configuration.
  Status make_bucket(std::string_view bucket, std::string_view location = {});
  Status remove_bucket(std::string_view bucket);
  // Ok when the bucket exists and is accessible; kNoSuchBucket, kAccessDenied, ...
  Status head_bucket(std::string_view bucket);

  // ---- Listings (one page per call; pass the next marker for the next page) ----
  Result<ListObjectsResult> list_objects_v2(std::string_view bucket,
                                            const ListObjectsOptions& options = {});
  Result<ListVersionsResult> list_object_versions(std::string_view bucket,
                                                  const ListVersionsOptions& options = {});

  // ---- Objects ----
  // kNoSuchKey when absent (HEAD carries no body, so a missing bucket also gives
  // kNoSuchKey here).
  Result<ObjectInfo> head_object(std::string_view bucket, std::string_view key,
                                 const GetObjectOptions& options = {});
  // The body streams from the result; an error once streaming began is the body reader's.
  Result<GetObjectResult> get_object(std::string_view bucket, std::string_view key,
                                     const GetObjectOptions& options = {});
  // Streams `body` (never held whole in memory).
  Result<PutObjectResult> put_object(std::string_view bucket, std::string_view key, Payload body,
                                     const PutObjectOptions& options = {});
  // A small in-memory object, signed with its SHA-256.
  Result<PutObjectResult> put_object(std::string_view bucket, std::string_view key,
                                     std::string_view data, const PutObjectOptions& options = {});
  Result<CopyObjectResult> copy_object(std::string_view source_bucket, std::string_view source_key,
                                       std::string_view bucket, std::string_view key,
                                       const CopyObjectOptions& options = {});
  // Deleting an absent key succeeds, as in S3.
  Status delete_object(std::string_view bucket, std::string_view key,
                       std::string_view version_id = {});
  // At most 1000 objects (kInvalidArgument beyond). Per-key failures are in the result.
  Result<DeleteObjectsResult> delete_objects(std::string_view bucket,
                                             const std::vector<ObjectIdentifier>& objects,
                                             bool quiet = false);

  // ---- Multipart uploads ----
  // Returns the upload id. Not retried (a retry would start a second upload).
  Result<std::string> create_multipart_upload(std::string_view bucket, std::string_view key,
                                              const PutObjectOptions& options = {});
  // Returns the part's ETag (without quotes), for complete_multipart_upload.
  Result<std::string> upload_part(std::string_view bucket, std::string_view key,
                                  std::string_view upload_id, int part_number, Payload body);
  Result<CompleteMultipartUploadResult> complete_multipart_upload(
      std::string_view bucket, std::string_view key, std::string_view upload_id,
      const std::vector<CompletedPart>& parts);
  Status abort_multipart_upload(std::string_view bucket, std::string_view key,
                                std::string_view upload_id);
  Result<ListPartsResult> list_parts(std::string_view bucket, std::string_view key,
                                     std::string_view upload_id,
                                     const ListPartsOptions& options = {});

  // ---- Presigned URLs (no request is sent) ----
  // A URL anyone can GET (or PUT a body to) for `expires` (1 s to 7 days, else
  // kInvalidArgument), signed with the client's credentials at the current time.
  Result<std::string> presign_get_object(std::string_view bucket, std::string_view key,
                                         std::chrono::seconds expires,
                                         std::string_view version_id = {});
  Result<std::string> presign_put_object(std::string_view bucket, std::string_view key,
                                         std::chrono::seconds expires);

  const S3ClientOptions& options() const;

  class Impl;  // defined in client.cc

 private:
  explicit S3Client(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace maxio::s3client
