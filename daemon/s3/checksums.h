#pragma once
// Private to daemon/s3: S3 object checksums (x-amz-checksum-*) as stored and served. A PUT's
// verified checksum is stored with the version in MinIO's encoding (xl.meta MetaSys
// "x-minio-internal-crc": uvarint type flags, raw digest, and for multipart checksums a
// uvarint part count), and sent back on GET/HEAD with x-amz-checksum-mode: ENABLED and by
// GetObjectAttributes. Pure functions; thread-safe.

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "daemon/auth/auth.h"
#include "daemon/http/exchange.h"
#include "daemon/storage/object_layer.h"
#include "shared/crypto/checksum.h"
#include "shared/util/status.h"

namespace maxio::s3 {

struct StoredChecksum {
  ChecksumAlgorithm algorithm = ChecksumAlgorithm::kCrc32;
  std::string raw;          // the digest (4, 8, 20 or 32 bytes)
  int parts = 0;            // > 0: the checksum of a multipart object over this many parts
  bool full_object = true;  // x-amz-checksum-type FULL_OBJECT; false: COMPOSITE
};

// MinIO's encoding, and its inverse (nullopt for bytes that are not a valid checksum).
std::string encode_stored_checksum(const StoredChecksum& checksum);
std::optional<StoredChecksum> decode_stored_checksum(std::string_view bytes);

// Validates the checksum headers of a PUT: at most one x-amz-checksum-* value (or trailer),
// and an x-amz-sdk-checksum-algorithm that names one and matches it. kInvalidRequest /
// kInvalidArgumentS3 with AWS's messages.
Status check_request_checksums(const HttpHeaders& headers);

// The x-amz-checksum-* headers a write answers with: the checksums the request carried, as
// verified (complete once its body was read to the end).
HttpHeaders checksum_response_headers(const auth::AuthResult& auth);

// For PutObjectOptions::checksum: once the verified body has been read to its end, the
// encoded checksum it carried (header or trailer), or "" when it carried none.
std::function<std::string()> checksum_to_store(const auth::AuthResult& auth);

// x-amz-checksum-<algorithm> ("base64" or "base64-N" for a composite checksum) and
// x-amz-checksum-type for a stored checksum, added to `response` when `request` has
// x-amz-checksum-mode: ENABLED and the whole object is read.
void add_checksum_headers(const HttpHeaders& request, const ObjectInfo& info, bool whole_object,
                          HttpHeaders& response);

// The value as S3 prints it: base64 of the digest, with "-N" for a composite checksum.
std::string checksum_value(const StoredChecksum& checksum);

}  // namespace maxio::s3
