// Version-4 UUID generation, parsing and formatting; random bytes.

#include "shared/util/uuid.h"

#include <gtest/gtest.h>

#include <set>

namespace maxio {
namespace {

TEST(UuidTest, NewUuidIsCanonicalVersion4) {
  std::set<std::string> seen;
  for (int i = 0; i < 200; ++i) {
    const std::string id = new_uuid();
    ASSERT_EQ(id.size(), 36u);
    EXPECT_EQ(id[8], '-');
    EXPECT_EQ(id[13], '-');
    EXPECT_EQ(id[18], '-');
    EXPECT_EQ(id[23], '-');
    EXPECT_EQ(id[14], '4') << id;                                          // version
    EXPECT_NE(std::string("89ab").find(id[19]), std::string::npos) << id;  // variant 10xx
    for (char c : id) EXPECT_TRUE((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || c == '-');
    auto parsed = parse_uuid(id);
    ASSERT_TRUE(parsed.is_ok());
    EXPECT_EQ(format_uuid(*parsed), id);
    seen.insert(id);
  }
  EXPECT_EQ(seen.size(), 200u);
}

TEST(UuidTest, ParseAndFormat) {
  auto r = parse_uuid("2B4F7E41-df82-4a5e-a3c1-8df87f83332f");
  ASSERT_TRUE(r.is_ok());
  const std::array<uint8_t, 16> expected = {0x2b, 0x4f, 0x7e, 0x41, 0xdf, 0x82, 0x4a, 0x5e,
                                            0xa3, 0xc1, 0x8d, 0xf8, 0x7f, 0x83, 0x33, 0x2f};
  EXPECT_EQ(*r, expected);
  EXPECT_EQ(format_uuid(expected), "2b4f7e41-df82-4a5e-a3c1-8df87f83332f");
  EXPECT_EQ(format_uuid({}), "00000000-0000-0000-0000-000000000000");
}

TEST(UuidTest, ParseRejectsMalformed) {
  for (const char* bad :
       {"", "2b4f7e41df824a5ea3c18df87f83332f", "2b4f7e41-df82-4a5e-a3c1-8df87f83332",
        "2b4f7e41-df82-4a5e-a3c1-8df87f83332f0", "2b4f7e41-df82-4a5e-a3c18-df87f83332f",
        "2b4f7e41-df82-4a5e-a3c1-8df87f83332g", "{b4f7e41-df82-4a5e-a3c1-8df87f83332f"}) {
    EXPECT_EQ(parse_uuid(bad).code(), ErrorCode::kInvalidArgument) << bad;
  }
}

TEST(RandomBytesTest, SizesAndVariety) {
  EXPECT_EQ(random_bytes(0).size(), 0u);
  EXPECT_EQ(random_bytes(1).size(), 1u);
  const std::string a = random_bytes(32);
  const std::string b = random_bytes(32);
  EXPECT_EQ(a.size(), 32u);
  EXPECT_NE(a, b);
}

}  // namespace
}  // namespace maxio
