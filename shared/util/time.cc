// UTC time formatting and parsing for HTTP and S3, without locale or time-zone dependence.

#include "shared/util/time.h"

#include "shared/util/strings.h"

#include <time.h>

#include <cstdint>
#include <cstdio>
#include <optional>

namespace maxio {
namespace {

constexpr const char* kDayNames[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
constexpr const char* kLongDayNames[] = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                         "Thursday", "Friday", "Saturday"};
constexpr const char* kMonthNames[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                       "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

// Calendar fields of a UTC instant, plus milliseconds.
struct Civil {
  int year = 1970, month = 1, day = 1, hour = 0, minute = 0, second = 0, weekday = 4;
  int64_t nanos = 0;  // sub-second part, [0, 1e9)
};

Civil to_civil(Timestamp t) {
  const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch());
  int64_t seconds = ns.count() / 1'000'000'000;
  int64_t nanos = ns.count() % 1'000'000'000;
  if (nanos < 0) {  // floor toward the past for instants before 1970
    nanos += 1'000'000'000;
    --seconds;
  }
  const time_t tt = static_cast<time_t>(seconds);
  struct tm tm_utc {};
  gmtime_r(&tt, &tm_utc);
  Civil c;
  c.year = tm_utc.tm_year + 1900;
  c.month = tm_utc.tm_mon + 1;
  c.day = tm_utc.tm_mday;
  c.hour = tm_utc.tm_hour;
  c.minute = tm_utc.tm_min;
  c.second = tm_utc.tm_sec;
  c.weekday = tm_utc.tm_wday;
  c.nanos = nanos;
  return c;
}

bool is_leap(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int days_in_month(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && is_leap(year) ? 29 : kDays[month - 1];
}

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's civil algorithm).
int64_t days_from_civil(int64_t y, int m, int d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

Result<Timestamp> from_civil(const Civil& c, int64_t offset_seconds = 0) {
  if (c.year < 0 || c.year > 9999 || c.month < 1 || c.month > 12 || c.day < 1 ||
      c.day > days_in_month(c.year, c.month) || c.hour < 0 || c.hour > 23 || c.minute < 0 ||
      c.minute > 59 || c.second < 0 || c.second > 59) {
    return Status(ErrorCode::kMalformedDate, "date field out of range");
  }
  const int64_t seconds = days_from_civil(c.year, c.month, c.day) * 86400 + c.hour * 3600 +
                          c.minute * 60 + c.second - offset_seconds;
  const auto since_epoch = std::chrono::seconds(seconds) + std::chrono::nanoseconds(c.nanos);
  return Timestamp(std::chrono::duration_cast<Timestamp::duration>(since_epoch));
}

// A cursor over the text being parsed; every step fails softly so the caller returns one
// kMalformedDate.
class Scanner {
 public:
  explicit Scanner(std::string_view s) : s_(s) {}

  bool done() const { return pos_ == s_.size(); }
  bool literal(std::string_view expected) {
    if (s_.substr(pos_, expected.size()) != expected) return false;
    pos_ += expected.size();
    return true;
  }
  // Exactly `width` decimal digits.
  std::optional<int> digits(size_t width) {
    if (s_.size() - pos_ < width) return std::nullopt;
    int value = 0;
    for (size_t i = 0; i < width; ++i) {
      const char c = s_[pos_ + i];
      if (c < '0' || c > '9') return std::nullopt;
      value = value * 10 + (c - '0');
    }
    pos_ += width;
    return value;
  }
  // One of `names`, ASCII case-insensitive as Go's time.Parse; returns its index. Longer
  // names must not be prefixes of later ones.
  template <size_t N>
  std::optional<int> name(const char* const (&names)[N]) {
    for (size_t i = 0; i < N; ++i) {
      const std::string_view candidate = names[i];
      if (iequals(s_.substr(pos_, candidate.size()), candidate)) {
        pos_ += candidate.size();
        return static_cast<int>(i);
      }
    }
    return std::nullopt;
  }
  // One or two decimal digits.
  std::optional<int> one_or_two_digits() {
    auto value = digits(1);
    if (!value) return std::nullopt;
    if (auto second = digits(1)) return *value * 10 + *second;
    return value;
  }
  char peek() const { return done() ? '\0' : s_[pos_]; }

 private:
  std::string_view s_;
  size_t pos_ = 0;
};

Status malformed() { return Status(ErrorCode::kMalformedDate, "malformed date"); }

// "15:04:05"
bool parse_clock(Scanner& in, Civil& c) {
  auto h = in.digits(2);
  if (!h || !in.literal(":")) return false;
  auto m = in.digits(2);
  if (!m || !in.literal(":")) return false;
  auto s = in.digits(2);
  if (!s) return false;
  c.hour = *h;
  c.minute = *m;
  c.second = *s;
  return true;
}

std::optional<Civil> parse_rfc1123(std::string_view s) {
  // Mon, 02 Jan 2006 15:04:05 GMT
  Scanner in(s);
  Civil c;
  if (!in.name(kDayNames) || !in.literal(", ")) return std::nullopt;
  auto day = in.digits(2);
  if (!day || !in.literal(" ")) return std::nullopt;
  auto month = in.name(kMonthNames);
  if (!month || !in.literal(" ")) return std::nullopt;
  auto year = in.digits(4);
  if (!year || !in.literal(" ") || !parse_clock(in, c) || !in.literal(" GMT") || !in.done()) {
    return std::nullopt;
  }
  c.day = *day;
  c.month = *month + 1;
  c.year = *year;
  return c;
}

std::optional<Civil> parse_rfc850(std::string_view s) {
  // Monday, 02-Jan-06 15:04:05 GMT
  Scanner in(s);
  Civil c;
  if (!in.name(kLongDayNames) || !in.literal(", ")) return std::nullopt;
  auto day = in.digits(2);
  if (!day || !in.literal("-")) return std::nullopt;
  auto month = in.name(kMonthNames);
  if (!month || !in.literal("-")) return std::nullopt;
  auto year = in.digits(2);
  if (!year || !in.literal(" ") || !parse_clock(in, c) || !in.literal(" GMT") || !in.done()) {
    return std::nullopt;
  }
  c.day = *day;
  c.month = *month + 1;
  c.year = *year >= 69 ? 1900 + *year : 2000 + *year;  // the pivot Go uses
  return c;
}

std::optional<Civil> parse_asctime(std::string_view s) {
  // Mon Jan  2 15:04:05 2006 (day padded with a space)
  Scanner in(s);
  Civil c;
  if (!in.name(kDayNames) || !in.literal(" ")) return std::nullopt;
  auto month = in.name(kMonthNames);
  if (!month || !in.literal(" ")) return std::nullopt;
  in.literal(" ");  // the day is space-padded ("Jan  2") but "Jan 2" and "Jan 02" also occur
  const std::optional<int> day = in.one_or_two_digits();
  if (!day || !in.literal(" ") || !parse_clock(in, c) || !in.literal(" ")) return std::nullopt;
  auto year = in.digits(4);
  if (!year || !in.done()) return std::nullopt;
  c.day = *day;
  c.month = *month + 1;
  c.year = *year;
  return c;
}

}  // namespace

std::string format_rfc1123(Timestamp t) {
  const Civil c = to_civil(t);
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%s, %02d %s %04d %02d:%02d:%02d GMT", kDayNames[c.weekday],
                c.day, kMonthNames[c.month - 1], c.year, c.hour, c.minute, c.second);
  return buf;
}

std::string format_iso8601(Timestamp t) {
  const Civil c = to_civil(t);
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", c.year, c.month, c.day,
                c.hour, c.minute, c.second, static_cast<int>(c.nanos / 1'000'000));
  return buf;
}

std::string format_amz_date(Timestamp t) {
  const Civil c = to_civil(t);
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%04d%02d%02dT%02d%02d%02dZ", c.year, c.month, c.day, c.hour,
                c.minute, c.second);
  return buf;
}

std::string format_amz_day(Timestamp t) {
  const Civil c = to_civil(t);
  char buf[16];
  std::snprintf(buf, sizeof(buf), "%04d%02d%02d", c.year, c.month, c.day);
  return buf;
}

Result<Timestamp> parse_http_date(std::string_view s) {
  std::optional<Civil> c = parse_rfc1123(s);
  if (!c) c = parse_rfc850(s);
  if (!c) c = parse_asctime(s);
  if (!c) return malformed();
  return from_civil(*c);
}

Result<Timestamp> parse_amz_date(std::string_view s) {
  Scanner in(s);
  Civil c;
  auto year = in.digits(4);
  auto month = in.digits(2);
  auto day = in.digits(2);
  if (!year || !month || !day || !in.literal("T")) return malformed();
  auto hour = in.digits(2);
  auto minute = in.digits(2);
  auto second = in.digits(2);
  if (!hour || !minute || !second || !in.literal("Z") || !in.done()) return malformed();
  c.year = *year;
  c.month = *month;
  c.day = *day;
  c.hour = *hour;
  c.minute = *minute;
  c.second = *second;
  return from_civil(c);
}

Result<Timestamp> parse_iso8601(std::string_view s) {
  Scanner in(s);
  Civil c;
  auto year = in.digits(4);
  if (!year || !in.literal("-")) return malformed();
  auto month = in.digits(2);
  if (!month || !in.literal("-")) return malformed();
  auto day = in.digits(2);
  if (!day || !in.literal("T") || !parse_clock(in, c)) return malformed();
  c.year = *year;
  c.month = *month;
  c.day = *day;
  if (in.literal(".")) {
    // 1 to 9 fractional digits.
    int count = 0;
    int64_t nanos = 0;
    while (in.peek() >= '0' && in.peek() <= '9') {
      if (++count > 9) return malformed();
      nanos = nanos * 10 + (in.peek() - '0');
      in.digits(1);
    }
    if (count == 0) return malformed();
    for (int i = count; i < 9; ++i) nanos *= 10;
    c.nanos = nanos;
  }
  int64_t offset_seconds = 0;
  if (!in.literal("Z")) {
    // A numeric offset, +hh:mm or -hh:mm.
    const char sign = in.peek();
    if (sign != '+' && sign != '-') return malformed();
    in.literal(std::string_view(&sign, 1));
    auto oh = in.digits(2);
    if (!oh || !in.literal(":")) return malformed();
    auto om = in.digits(2);
    if (!om || *oh > 23 || *om > 59) return malformed();
    offset_seconds = (*oh * 3600 + *om * 60) * (sign == '-' ? -1 : 1);
  }
  if (!in.done()) return malformed();
  return from_civil(c, offset_seconds);
}

}  // namespace maxio
