#include "daemon/s3/conditions.h"

#include <gtest/gtest.h>

namespace maxio::s3 {
namespace {

// Last modified Sun, 06 Nov 1994 08:49:37 GMT (plus some milliseconds, which S3 ignores).
const Timestamp kModified =
    std::chrono::system_clock::from_time_t(784111777) + std::chrono::milliseconds(250);
constexpr const char* kBefore = "Sun, 06 Nov 1994 08:49:36 GMT";
constexpr const char* kAt = "Sun, 06 Nov 1994 08:49:37 GMT";
constexpr const char* kAfter = "Sun, 06 Nov 1994 08:49:38 GMT";

ErrorCode eval(std::initializer_list<std::pair<const char*, const char*>> fields,
               ConditionSet set = ConditionSet::kObject) {
  HttpHeaders headers;
  for (const auto& [name, value] : fields) headers.add(name, value);
  return evaluate_conditions(headers, "abc", kModified, set).code();
}

TEST(Conditions, NoneIsOk) { EXPECT_EQ(eval({}), ErrorCode::kOk); }

TEST(Conditions, IfMatch) {
  EXPECT_EQ(eval({{"If-Match", "\"abc\""}}), ErrorCode::kOk);
  EXPECT_EQ(eval({{"If-Match", "abc"}}), ErrorCode::kOk);
  EXPECT_EQ(eval({{"If-Match", "*"}}), ErrorCode::kOk);
  EXPECT_EQ(eval({{"If-Match", "\"x\", \"abc\""}}), ErrorCode::kOk);
  EXPECT_EQ(eval({{"If-Match", "\"xyz\""}}), ErrorCode::kPreconditionFailed);
}

TEST(Conditions, IfUnmodifiedSince) {
  EXPECT_EQ(eval({{"If-Unmodified-Since", kAt}}), ErrorCode::kOk);
  EXPECT_EQ(eval({{"If-Unmodified-Since", kAfter}}), ErrorCode::kOk);
  EXPECT_EQ(eval({{"If-Unmodified-Since", kBefore}}), ErrorCode::kPreconditionFailed);
  EXPECT_EQ(eval({{"If-Unmodified-Since", "garbage"}}), ErrorCode::kOk);
}

TEST(Conditions, IfMatchTrueOverridesUnmodifiedSinceFalse) {
  EXPECT_EQ(eval({{"If-Match", "abc"}, {"If-Unmodified-Since", kBefore}}), ErrorCode::kOk);
}

TEST(Conditions, IfNoneMatch) {
  EXPECT_EQ(eval({{"If-None-Match", "\"abc\""}}), ErrorCode::kNotModified);
  EXPECT_EQ(eval({{"If-None-Match", "*"}}), ErrorCode::kNotModified);
  EXPECT_EQ(eval({{"If-None-Match", "\"other\""}}), ErrorCode::kOk);
}

TEST(Conditions, IfModifiedSince) {
  EXPECT_EQ(eval({{"If-Modified-Since", kAt}}), ErrorCode::kNotModified);
  EXPECT_EQ(eval({{"If-Modified-Since", kAfter}}), ErrorCode::kNotModified);
  EXPECT_EQ(eval({{"If-Modified-Since", kBefore}}), ErrorCode::kOk);
}

TEST(Conditions, IfNoneMatchFalseOverridesModifiedSince) {
  // ETag differs (If-None-Match holds) → 200 even though not modified since.
  EXPECT_EQ(eval({{"If-None-Match", "other"}, {"If-Modified-Since", kAfter}}), ErrorCode::kOk);
  // ETag matches → 304 even though modified since.
  EXPECT_EQ(eval({{"If-None-Match", "abc"}, {"If-Modified-Since", kBefore}}),
            ErrorCode::kNotModified);
}

TEST(Conditions, PreconditionFailedBeatsNotModified) {
  EXPECT_EQ(eval({{"If-Match", "xyz"}, {"If-None-Match", "abc"}}), ErrorCode::kPreconditionFailed);
  EXPECT_EQ(eval({{"If-Unmodified-Since", kBefore}, {"If-Modified-Since", kAfter}}),
            ErrorCode::kPreconditionFailed);
}

TEST(Conditions, CopySourceFailuresAre412) {
  auto copy = ConditionSet::kCopySource;
  EXPECT_EQ(eval({{"x-amz-copy-source-if-match", "abc"}}, copy), ErrorCode::kOk);
  EXPECT_EQ(eval({{"x-amz-copy-source-if-match", "nope"}}, copy), ErrorCode::kPreconditionFailed);
  EXPECT_EQ(eval({{"x-amz-copy-source-if-none-match", "abc"}}, copy),
            ErrorCode::kPreconditionFailed);
  EXPECT_EQ(eval({{"x-amz-copy-source-if-modified-since", kAfter}}, copy),
            ErrorCode::kPreconditionFailed);
  EXPECT_EQ(eval({{"x-amz-copy-source-if-unmodified-since", kBefore}}, copy),
            ErrorCode::kPreconditionFailed);
  // Plain conditional headers do not apply to the copy source.
  EXPECT_EQ(eval({{"If-Match", "nope"}}, copy), ErrorCode::kOk);
}

TEST(Conditions, EtagListMatching) {
  EXPECT_TRUE(etag_list_matches("W/\"abc\"", "abc"));
  EXPECT_TRUE(etag_list_matches("\"abc\"", "\"abc\""));
  EXPECT_FALSE(etag_list_matches("", "abc"));
  EXPECT_EQ(unquote_etag(" \"x\" "), "x");
}

}  // namespace
}  // namespace maxio::s3
