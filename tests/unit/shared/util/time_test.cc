// HTTP and S3 time formats at fixed instants, round trips and rejected inputs.

#include "shared/util/time.h"

#include <gtest/gtest.h>

namespace maxio {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

Timestamp at(int64_t unix_seconds, int64_t millis = 0) {
  return Timestamp(std::chrono::duration_cast<Timestamp::duration>(seconds(unix_seconds) +
                                                                   milliseconds(millis)));
}

constexpr int64_t kGoReference = 1136214245;    // 2006-01-02T15:04:05Z, a Monday
constexpr int64_t kRfc7231Example = 784111777;  // 1994-11-06T08:49:37Z, a Sunday

TEST(TimeFormatTest, FixedInstants) {
  EXPECT_EQ(format_rfc1123(at(kGoReference)), "Mon, 02 Jan 2006 15:04:05 GMT");
  EXPECT_EQ(format_iso8601(at(kGoReference, 7)), "2006-01-02T15:04:05.007Z");
  EXPECT_EQ(format_amz_date(at(kGoReference, 999)), "20060102T150405Z");
  EXPECT_EQ(format_amz_day(at(kGoReference)), "20060102");
  EXPECT_EQ(format_rfc1123(at(kRfc7231Example)), "Sun, 06 Nov 1994 08:49:37 GMT");
  EXPECT_EQ(format_iso8601(at(0)), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(format_iso8601(at(1709251199, 500)), "2024-02-29T23:59:59.500Z");
  // Before the epoch the sub-second part still counts forward from the whole second.
  EXPECT_EQ(format_iso8601(at(0, -1)), "1969-12-31T23:59:59.999Z");
}

TEST(TimeParseTest, HttpDateForms) {
  for (const char* s : {"Sun, 06 Nov 1994 08:49:37 GMT", "Sunday, 06-Nov-94 08:49:37 GMT",
                        "Sun Nov  6 08:49:37 1994"}) {
    auto r = parse_http_date(s);
    ASSERT_TRUE(r.is_ok()) << s;
    EXPECT_EQ(*r, at(kRfc7231Example)) << s;
  }
  auto two_digit_day = parse_http_date("Mon Jan 02 15:04:05 2006");
  ASSERT_TRUE(two_digit_day.is_ok());
  EXPECT_EQ(*two_digit_day, at(kGoReference));
  auto lower_case = parse_http_date("mon, 02 JAN 2006 15:04:05 GMT");  // as Go accepts
  ASSERT_TRUE(lower_case.is_ok());
  EXPECT_EQ(*lower_case, at(kGoReference));
  auto unpadded_day = parse_http_date("Mon Jan 2 15:04:05 2006");
  ASSERT_TRUE(unpadded_day.is_ok());
  EXPECT_EQ(*unpadded_day, at(kGoReference));
  auto y2k = parse_http_date("Monday, 02-Jan-06 15:04:05 GMT");
  ASSERT_TRUE(y2k.is_ok());
  EXPECT_EQ(*y2k, at(kGoReference));
}

TEST(TimeParseTest, HttpDateRejections) {
  for (const char* s : {"", "Sun, 06 Nov 1994 08:49:37", "Sun, 06 Nov 1994 08:49:37 UTC",
                        "Sun, 6 Nov 1994 08:49:37 GMT", "Sun, 06 Foo 1994 08:49:37 GMT",
                        "Sun, 31 Feb 1994 08:49:37 GMT", "Sun, 06 Nov 1994 24:00:00 GMT",
                        "Sun, 06 Nov 1994 08:60:37 GMT", "Sun, 06 Nov 1994 08:49:37 GMT ",
                        "Xyz, 06 Nov 1994 08:49:37 GMT", "Sun Nov  6 08:49:37 94",
                        "Sun Nov   6 08:49:37 1994", "1994-11-06T08:49:37Z"}) {
    EXPECT_EQ(parse_http_date(s).code(), ErrorCode::kMalformedDate) << s;
  }
}

TEST(TimeParseTest, AmzDate) {
  auto r = parse_amz_date("20060102T150405Z");
  ASSERT_TRUE(r.is_ok());
  EXPECT_EQ(*r, at(kGoReference));
  auto leap = parse_amz_date("20240229T235959Z");
  ASSERT_TRUE(leap.is_ok());
  EXPECT_EQ(*leap, at(1709251199));
  for (const char* s :
       {"", "20060102T150405", "20060102 150405Z", "2006012T150405Z", "20061301T000000Z",
        "20230229T000000Z", "20060102T150460Z", "20060102T150405Zx", "2006-01-02T15:04:05Z"}) {
    EXPECT_EQ(parse_amz_date(s).code(), ErrorCode::kMalformedDate) << s;
  }
}

TEST(TimeParseTest, Iso8601) {
  auto whole = parse_iso8601("2006-01-02T15:04:05Z");
  ASSERT_TRUE(whole.is_ok());
  EXPECT_EQ(*whole, at(kGoReference));
  auto millis = parse_iso8601("2006-01-02T15:04:05.123Z");
  ASSERT_TRUE(millis.is_ok());
  EXPECT_EQ(*millis, at(kGoReference, 123));
  auto nanos = parse_iso8601("2006-01-02T15:04:05.123456789Z");
  ASSERT_TRUE(nanos.is_ok());
  EXPECT_EQ(
      std::chrono::duration_cast<std::chrono::microseconds>(*nanos - at(kGoReference)).count(),
      123456);
  auto offset = parse_iso8601("2006-01-02T17:04:05+02:00");
  ASSERT_TRUE(offset.is_ok());
  EXPECT_EQ(*offset, at(kGoReference));
  for (const char* s : {"", "2006-01-02", "2006-01-02T15:04:05", "2006-01-02T15:04:05.Z",
                        "2006-01-02T15:04:05.1234567890Z", "2006-1-02T15:04:05Z",
                        "2006-01-32T15:04:05Z", "2006-00-02T15:04:05Z", "2006-01-02 15:04:05Z",
                        "2006-01-02T15:04:05z", "2006-01-02T15:04:05ZZ", "20060102T150405Z"}) {
    EXPECT_EQ(parse_iso8601(s).code(), ErrorCode::kMalformedDate) << s;
  }
}

TEST(TimeRoundTripTest, FormatsParseBack) {
  for (int64_t t :
       {int64_t{0}, kGoReference, kRfc7231Example, int64_t{1709251199}, int64_t{4102444799}}) {
    SCOPED_TRACE(t);
    auto http = parse_http_date(format_rfc1123(at(t)));
    ASSERT_TRUE(http.is_ok());
    EXPECT_EQ(*http, at(t));
    auto amz = parse_amz_date(format_amz_date(at(t)));
    ASSERT_TRUE(amz.is_ok());
    EXPECT_EQ(*amz, at(t));
    auto iso = parse_iso8601(format_iso8601(at(t, 250)));
    ASSERT_TRUE(iso.is_ok());
    EXPECT_EQ(*iso, at(t, 250));
  }
}

}  // namespace
}  // namespace maxio
