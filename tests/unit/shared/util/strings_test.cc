// String helpers: case, trimming, splitting, AWS URI encoding, query parsing, UTF-8.

#include "shared/util/strings.h"

#include <gtest/gtest.h>

#include <string>

namespace maxio {
namespace {

using Pairs = std::vector<std::pair<std::string, std::string>>;

TEST(StringsTest, CaseHelpersAreAsciiOnly) {
  EXPECT_EQ(to_lower("X-Amz-Date ÄB"), "x-amz-date Äb");
  EXPECT_TRUE(iequals("Content-Type", "content-TYPE"));
  EXPECT_FALSE(iequals("Content-Type", "Content-Typ"));
  EXPECT_FALSE(iequals("a", "b"));
  EXPECT_TRUE(iequals("", ""));
}

TEST(StringsTest, TrimStripsSpacesAndTabsOnly) {
  EXPECT_EQ(trim("  \ta b\t "), "a b");
  EXPECT_EQ(trim("\n x \n"), "\n x \n");
  EXPECT_EQ(trim("   "), "");
  EXPECT_EQ(trim(""), "");
}

TEST(StringsTest, SplitKeepsEmptyParts) {
  EXPECT_EQ(split("a,,b", ','), (std::vector<std::string>{"a", "", "b"}));
  EXPECT_EQ(split("", ','), (std::vector<std::string>{""}));
  EXPECT_EQ(split(",", ','), (std::vector<std::string>{"", ""}));
  EXPECT_EQ(split("abc", ','), (std::vector<std::string>{"abc"}));
}

TEST(StringsTest, UriEncodeFollowsAwsRules) {
  EXPECT_EQ(uri_encode("AZaz09-_.~", true), "AZaz09-_.~");
  EXPECT_EQ(uri_encode("a b/c+d*e%", false), "a%20b/c%2Bd%2Ae%25");
  EXPECT_EQ(uri_encode("a/b", true), "a%2Fb");
  EXPECT_EQ(uri_encode("\xc3\xa9", true), "%C3%A9");
  EXPECT_EQ(uri_encode(std::string("\0", 1), true), "%00");
  EXPECT_EQ(uri_encode("", true), "");
}

TEST(StringsTest, UriDecode) {
  auto r = uri_decode("a%20b%2fc+d%C3%A9");
  ASSERT_TRUE(r.is_ok());
  EXPECT_EQ(*r, "a b/c+d\xc3\xa9");
  auto f = form_decode("a+b%2B");
  ASSERT_TRUE(f.is_ok());
  EXPECT_EQ(*f, "a b+");
}

TEST(StringsTest, UriDecodeRejectsMalformedEscapes) {
  for (const char* bad : {"%", "%2", "a%g0", "%0z", "abc%", "%%20"}) {
    EXPECT_EQ(uri_decode(bad).code(), ErrorCode::kInvalidArgument) << bad;
    EXPECT_EQ(form_decode(bad).code(), ErrorCode::kInvalidArgument) << bad;
  }
}

TEST(StringsTest, UriEncodeDecodeRoundTrip) {
  std::string all;
  for (int i = 0; i < 256; ++i) all.push_back(static_cast<char>(i));
  auto r = uri_decode(uri_encode(all, true));
  ASSERT_TRUE(r.is_ok());
  EXPECT_EQ(*r, all);
}

TEST(StringsTest, ParseQuery) {
  auto r = parse_query("a=1&b&c=%20&d=x=y&e=a+b");
  ASSERT_TRUE(r.is_ok());
  EXPECT_EQ(*r, (Pairs{{"a", "1"}, {"b", ""}, {"c", " "}, {"d", "x=y"}, {"e", "a b"}}));
  auto empty = parse_query("");
  ASSERT_TRUE(empty.is_ok());
  EXPECT_TRUE(empty->empty());
  auto uploads = parse_query("uploads");
  ASSERT_TRUE(uploads.is_ok());
  EXPECT_EQ(*uploads, (Pairs{{"uploads", ""}}));
  auto repeated = parse_query("x=1&&x=2&");
  ASSERT_TRUE(repeated.is_ok());
  EXPECT_EQ(*repeated, (Pairs{{"x", "1"}, {"x", "2"}}));
  EXPECT_EQ(parse_query("a=%zz").code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(parse_query("%=1").code(), ErrorCode::kInvalidArgument);
}

TEST(StringsTest, ValidUtf8) {
  EXPECT_TRUE(is_valid_utf8(""));
  EXPECT_TRUE(is_valid_utf8("plain ascii"));
  EXPECT_TRUE(is_valid_utf8("\xc3\xa9"));              // é
  EXPECT_TRUE(is_valid_utf8("\xe2\x82\xac"));          // €
  EXPECT_TRUE(is_valid_utf8("\xf0\x9f\x98\x80"));      // U+1F600
  EXPECT_TRUE(is_valid_utf8("\xf4\x8f\xbf\xbf"));      // U+10FFFF
  EXPECT_TRUE(is_valid_utf8("\xed\x9f\xbf"));          // U+D7FF, just below surrogates
  EXPECT_TRUE(is_valid_utf8(std::string("a\0b", 3)));  // NUL is valid UTF-8
}

TEST(StringsTest, InvalidUtf8) {
  for (const char* bad : {
           "\x80",                  // lone continuation
           "\xbf",                  // lone continuation
           "\xc0\xaf",              // overlong '/'
           "\xc1\xbf",              // overlong
           "\xe0\x80\xaf",          // overlong 3-byte
           "\xf0\x80\x80\xaf",      // overlong 4-byte
           "\xed\xa0\x80",          // U+D800 surrogate
           "\xed\xbf\xbf",          // U+DFFF surrogate
           "\xf4\x90\x80\x80",      // U+110000
           "\xf8\x88\x80\x80\x80",  // 5-byte form
           "\xff",
           "\xc3",           // truncated
           "\xe2\x82",       // truncated
           "\xf0\x9f\x98",   // truncated
           "\xc3\x28",       // bad continuation
           "a\xe2\x28\xa1",  // bad continuation in the middle
       }) {
    EXPECT_FALSE(is_valid_utf8(bad)) << testing::PrintToString(std::string(bad));
  }
}

TEST(StringsTest, CollapseSpaces) {
  EXPECT_EQ(collapse_spaces("  a   b  c "), "a b c");
  EXPECT_EQ(collapse_spaces("a b"), "a b");
  EXPECT_EQ(collapse_spaces("   "), "");
  EXPECT_EQ(collapse_spaces("\ta  b\t"), "a b");
}

}  // namespace
}  // namespace maxio
