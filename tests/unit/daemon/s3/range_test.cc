#include "daemon/s3/range.h"

#include <gtest/gtest.h>

namespace maxio::s3 {
namespace {

std::optional<ByteRange> ok(std::string_view header, uint64_t size) {
  auto r = resolve_range(header, size);
  EXPECT_TRUE(r.is_ok()) << header;
  return r.is_ok() ? *r : std::nullopt;
}

TEST(Range, Forms) {
  EXPECT_EQ(ok("bytes=0-9", 100), (ByteRange{0, 10}));
  EXPECT_EQ(ok("bytes=10-", 100), (ByteRange{10, 90}));
  EXPECT_EQ(ok("bytes=-10", 100), (ByteRange{90, 10}));
  EXPECT_EQ(ok("bytes=99-99", 100), (ByteRange{99, 1}));
}

TEST(Range, ClampsEndAndSuffix) {
  EXPECT_EQ(ok("bytes=50-1000", 100), (ByteRange{50, 50}));
  EXPECT_EQ(ok("bytes=-1000", 100), (ByteRange{0, 100}));
}

TEST(Range, IgnoredWhenAbsentMalformedOrMultiple) {
  EXPECT_EQ(ok("", 100), std::nullopt);
  EXPECT_EQ(ok("bytes=0-1,5-6", 100), std::nullopt);
  EXPECT_EQ(ok("items=0-1", 100), std::nullopt);
  EXPECT_EQ(ok("bytes=abc", 100), std::nullopt);
  EXPECT_EQ(ok("bytes=5-2", 100), std::nullopt);
  EXPECT_EQ(ok("bytes=-", 100), std::nullopt);
  EXPECT_EQ(ok("bytes=1-x", 100), std::nullopt);
}

TEST(Range, Unsatisfiable) {
  EXPECT_EQ(resolve_range("bytes=100-", 100).code(), ErrorCode::kInvalidRange);
  EXPECT_EQ(resolve_range("bytes=200-300", 100).code(), ErrorCode::kInvalidRange);
  EXPECT_EQ(resolve_range("bytes=-0", 100).code(), ErrorCode::kInvalidRange);
  EXPECT_EQ(resolve_range("bytes=0-", 0).code(), ErrorCode::kInvalidRange);
  EXPECT_EQ(resolve_range("bytes=-5", 0).code(), ErrorCode::kInvalidRange);
}

TEST(Range, ContentRange) {
  EXPECT_EQ(content_range(ByteRange{0, 10}, 100), "bytes 0-9/100");
  EXPECT_EQ(content_range(ByteRange{99, 1}, 100), "bytes 99-99/100");
}

}  // namespace
}  // namespace maxio::s3
