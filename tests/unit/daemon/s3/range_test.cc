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

// Regression: ?partNumber=1 answered 200; AWS serves part 1 of a one-piece object as a
// range over all of it (206), and Maxio cannot yet split a multipart object into parts.
TEST(PartNumber, OnePieceObjectHasOnePart) {
  auto whole = resolve_part_number(1, "d41d8cd98f00b204e9800998ecf8427e", 10);
  ASSERT_TRUE(whole.is_ok());
  EXPECT_EQ(*whole, (std::optional<ByteRange>(ByteRange{0, 10})));
  auto empty = resolve_part_number(1, "d41d8cd98f00b204e9800998ecf8427e", 0);
  ASSERT_TRUE(empty.is_ok());
  EXPECT_FALSE(empty->has_value());
  EXPECT_EQ(resolve_part_number(2, "d41d8cd98f00b204e9800998ecf8427e", 10).code(),
            ErrorCode::kInvalidPartNumber);
  EXPECT_EQ(resolve_part_number(1, "0123456789abcdef0123456789abcdef-3", 10).code(),
            ErrorCode::kNotImplemented);
}

TEST(PartNumber, MultipartObjectPartsAreTheirRanges) {
  const std::vector<uint64_t> sizes = {5, 7, 3};
  auto first = resolve_multipart_part(1, sizes);
  ASSERT_TRUE(first.is_ok());
  EXPECT_EQ(*first, (ByteRange{0, 5}));
  auto last = resolve_multipart_part(3, sizes);
  ASSERT_TRUE(last.is_ok());
  EXPECT_EQ(*last, (ByteRange{12, 3}));
  EXPECT_EQ(resolve_multipart_part(4, sizes).code(), ErrorCode::kInvalidPartNumber);
  EXPECT_EQ(resolve_multipart_part(0, sizes).code(), ErrorCode::kInvalidPartNumber);
}

}  // namespace
}  // namespace maxio::s3
