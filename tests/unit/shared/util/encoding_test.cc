// Hex and base64 round trips, RFC 4648 vectors and rejected inputs.

#include "shared/util/encoding.h"

#include <gtest/gtest.h>

#include <string>

namespace maxio {
namespace {

TEST(HexTest, EncodesLowerCase) {
  EXPECT_EQ(hex_encode(""), "");
  EXPECT_EQ(hex_encode(std::string("\x00\x01\xab\xff", 4)), "0001abff");
}

TEST(HexTest, DecodesBothCases) {
  auto r = hex_decode("0001ABff");
  ASSERT_TRUE(r.is_ok());
  EXPECT_EQ(*r, std::string("\x00\x01\xab\xff", 4));
  auto empty = hex_decode("");
  ASSERT_TRUE(empty.is_ok());
  EXPECT_EQ(*empty, "");
}

TEST(HexTest, RejectsBadInput) {
  EXPECT_EQ(hex_decode("abc").code(), ErrorCode::kInvalidArgument);  // odd length
  EXPECT_EQ(hex_decode("zz").code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(hex_decode("0g").code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(hex_decode(" 00").code(), ErrorCode::kInvalidArgument);
}

TEST(HexTest, RoundTripsEveryByte) {
  std::string all;
  for (int i = 0; i < 256; ++i) all.push_back(static_cast<char>(i));
  auto r = hex_decode(hex_encode(all));
  ASSERT_TRUE(r.is_ok());
  EXPECT_EQ(*r, all);
}

// RFC 4648 section 10.
TEST(Base64Test, Rfc4648Vectors) {
  const std::pair<const char*, const char*> vectors[] = {{"", ""},
                                                         {"f", "Zg=="},
                                                         {"fo", "Zm8="},
                                                         {"foo", "Zm9v"},
                                                         {"foob", "Zm9vYg=="},
                                                         {"fooba", "Zm9vYmE="},
                                                         {"foobar", "Zm9vYmFy"}};
  for (const auto& [plain, encoded] : vectors) {
    EXPECT_EQ(base64_encode(plain), encoded);
    auto decoded = base64_decode(encoded);
    ASSERT_TRUE(decoded.is_ok()) << encoded;
    EXPECT_EQ(*decoded, plain);
  }
}

TEST(Base64Test, RoundTripsBinary) {
  std::string all;
  for (int i = 0; i < 256; ++i) all.push_back(static_cast<char>(255 - i));
  for (size_t n = 0; n <= all.size(); n += 37) {
    const std::string part = all.substr(0, n);
    auto r = base64_decode(base64_encode(part));
    ASSERT_TRUE(r.is_ok());
    EXPECT_EQ(*r, part);
  }
  EXPECT_EQ(base64_encode(std::string("\xfb\xff", 2)), "+/8=");
}

TEST(Base64Test, RejectsBadInput) {
  for (const char* bad : {"Zg", "Zg=", "Zm9", "Z===", "=Zg=", "Zg==Zg==", "Zm9v!A==", "Zm9v YmFy",
                          "Zm-v", "Zm_v", "Zg=a", "===="}) {
    EXPECT_EQ(base64_decode(bad).code(), ErrorCode::kInvalidArgument) << bad;
  }
}

}  // namespace
}  // namespace maxio
