#include "daemon/s3/metadata.h"

#include <gtest/gtest.h>

namespace maxio::s3 {
namespace {

// Regression: POST form fields reach extract_metadata unchecked by any HTTP parser; a
// Content-Type of "text/html\r\nSet-Cookie: x=1" was stored and sent back verbatim as two
// response headers on every GET of the object.
TEST(ExtractMetadata, RefusesControlCharactersThatWouldSplitResponseHeaders) {
  const std::string values[] = {"text/html\r\nSet-Cookie: evil=1", "a\nb", "a\rb",
                                std::string("nul\0x", 5)};
  for (const std::string& value : values) {
    for (const char* name : {"Content-Type", "x-amz-meta-note", "Cache-Control"}) {
      auto got = extract_metadata({{name, value}});
      EXPECT_EQ(got.code(), ErrorCode::kInvalidArgumentS3) << name;
    }
  }
  EXPECT_EQ(extract_metadata({{"x-amz-meta-a\r\nSet-Cookie: x", "1"}}).code(),
            ErrorCode::kInvalidArgumentS3);
  EXPECT_EQ(extract_metadata({{"x-amz-meta-a b", "1"}}).code(), ErrorCode::kInvalidArgumentS3);
  // Tabs and UTF-8 text stay allowed.
  auto ok = extract_metadata({{"x-amz-meta-note", "caf\xc3\xa9\tau lait"}});
  ASSERT_TRUE(ok.is_ok()) << ok.status().to_string();
  EXPECT_EQ(ok->at("x-amz-meta-note"), "caf\xc3\xa9\tau lait");
}

}  // namespace
}  // namespace maxio::s3
