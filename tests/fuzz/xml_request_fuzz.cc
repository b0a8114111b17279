// Fuzzes the S3 XML request parsers (DeleteObjects, CreateBucketConfiguration): arbitrary
// bytes never crash them, and a parsed request serialized and parsed again is equal.

#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "daemon/s3/xml.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);

  auto delete_request = maxio::s3::parse_delete_objects(input);
  if (delete_request.is_ok()) {
    auto again =
        maxio::s3::parse_delete_objects(maxio::s3::delete_objects_request_xml(*delete_request));
    if (!again.is_ok() || !(*again == *delete_request)) std::abort();
  }

  auto config = maxio::s3::parse_create_bucket_configuration(input);
  if (config.is_ok()) {
    auto again = maxio::s3::parse_create_bucket_configuration(
        maxio::s3::create_bucket_configuration_xml(*config));
    if (!again.is_ok() || !(*again == *config)) std::abort();
  }
  return 0;
}
