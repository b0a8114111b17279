// libFuzzer target: decode_bucket_metadata must never crash on arbitrary bytes, and what
// it accepts must encode to bytes that decode to the same value and encode identically.
// The configuration parsers (CORS, lifecycle, policy, ...) must never crash on the
// configuration fields.

#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "daemon/bucket/bucket_metadata.h"
#include "daemon/bucket/configs.h"
#include "daemon/bucket/cors.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  auto decoded = maxio::decode_bucket_metadata(input);
  if (!decoded.is_ok()) {
    // Not metadata: feed the bytes to the configuration parsers instead.
    (void)maxio::parse_cors(input);
    (void)maxio::validate_lifecycle(input);
    (void)maxio::validate_bucket_policy(input, "bucket");
    (void)maxio::validate_bucket_tagging(input);
    (void)maxio::validate_object_lock(input);
    (void)maxio::parse_quota(input);
    return 0;
  }
  const std::string first = maxio::encode_bucket_metadata(*decoded);
  auto again = maxio::decode_bucket_metadata(first);
  if (!again.is_ok()) std::abort();
  if (maxio::encode_bucket_metadata(*again) != first) std::abort();
  return 0;
}
