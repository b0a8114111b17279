// libFuzzer target: XlMeta::parse must never crash on arbitrary bytes, and whatever it
// accepts must serialize to bytes that parse again and serialize identically.

#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "daemon/storage/xlmeta/xl_meta.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  auto parsed = maxio::XlMeta::parse(input);
  if (!parsed.is_ok()) return 0;
  const std::string first = parsed->serialize();
  auto again = maxio::XlMeta::parse(first);
  if (!again.is_ok()) std::abort();
  if (again->serialize() != first) std::abort();
  // Exercise the decoders of every accepted version.
  (void)again->versions("b", "k", true);
  (void)again->file_info("b", "k", "", true);
  return 0;
}
