// Placement rules against the values of MinIO's own tests (cmd/erasure-sets_test.go,
// cmd/erasure-metadata-utils_test.go, cmd/endpoint-ellipses_test.go).

#include "daemon/storage/erasure/placement.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace maxio {
namespace {

// testUUID of cmd/erasure-sets_test.go.
constexpr std::string_view kTestDeploymentId = "f5c58c61-7175-4018-ab5e-a94fe9c2de4e";

struct KeyCase {
  std::string key;
  int expected;
};

std::vector<KeyCase> with_values(const std::vector<int>& values) {
  const std::vector<std::string> keys = {
      "object",
      "The Shining Script <v1>.pdf",
      "Cost Benefit Analysis (2009-2010).pptx",
      "117Gn8rfHL2ACARPAhaFd0AGzic9pUbIA/5OCn5A",
      "SH\xC3\x98RT",
      "There are far too many object names, and far too few bucket names!",
      "a/b/c/",
      "/a/b/c",
      std::string("\xff\xfe\xfd"),
  };
  std::vector<KeyCase> cases;
  for (size_t i = 0; i < keys.size(); ++i) cases.push_back({keys[i], values[i]});
  return cases;
}

TEST(PlacementTest, SipHashModMatchesMinio) {
  for (const auto& c : with_values({37, 38, 59, 35, 49, 8, 159, 96, 147})) {
    EXPECT_EQ(object_set_index(c.key, 200, kTestDeploymentId, kDistributionSipMod), c.expected)
        << c.key;
    // SIPMOD+PARITY places objects exactly as SIPMOD does.
    EXPECT_EQ(object_set_index(c.key, 200, kTestDeploymentId), c.expected) << c.key;
  }
  EXPECT_EQ(object_set_index("This will fail", -1, kTestDeploymentId), -1);
  EXPECT_EQ(object_set_index("This will fail", 0, kTestDeploymentId), -1);
  EXPECT_EQ(object_set_index("object", 1, kTestDeploymentId), 0);
}

TEST(PlacementTest, CrcHashModMatchesMinio) {
  for (const auto& c : with_values({28, 142, 133, 185, 97, 101, 193, 116, 61})) {
    // CRCMOD ignores the deployment ID.
    EXPECT_EQ(object_set_index(c.key, 200, kTestDeploymentId, kDistributionCrcMod), c.expected)
        << c.key;
    EXPECT_EQ(object_set_index(c.key, 200, "", kDistributionCrcMod), c.expected) << c.key;
  }
  EXPECT_EQ(object_set_index("This will fail", -1, kTestDeploymentId, kDistributionCrcMod), -1);
  EXPECT_EQ(object_set_index("This will fail", 0, kTestDeploymentId, kDistributionCrcMod), -1);
}

TEST(PlacementTest, UnknownAlgorithmOrBadDeploymentId) {
  EXPECT_EQ(object_set_index("object", 200, kTestDeploymentId, "UNKNOWN"), -1);
  EXPECT_EQ(object_set_index("object", 200, "not-a-uuid"), -1);
  EXPECT_TRUE(is_known_distribution_algo("SIPMOD+PARITY"));
  EXPECT_TRUE(is_known_distribution_algo("SIPMOD"));
  EXPECT_TRUE(is_known_distribution_algo("CRCMOD"));
  EXPECT_FALSE(is_known_distribution_algo("sipmod"));
  EXPECT_FALSE(is_known_distribution_algo(""));
}

TEST(PlacementTest, HashOrderMatchesMinio) {
  auto rotation = [](int first) {
    std::vector<int> order;
    for (int i = 0; i < 16; ++i) order.push_back(1 + (first - 1 + i) % 16);
    return order;
  };
  for (const auto& c : with_values({14, 16, 15, 3, 11, 15, 3, 6, 15})) {
    EXPECT_EQ(hash_order(c.key, 16), rotation(c.expected)) << c.key;
  }
  // The first case spelled out as MinIO's test has it.
  EXPECT_EQ(hash_order("object", 16),
            (std::vector<int>{14, 15, 16, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13}));
  EXPECT_TRUE(hash_order("This will fail", -1).empty());
  EXPECT_TRUE(hash_order("This will fail", 0).empty());
  EXPECT_EQ(hash_order("anything", 1), std::vector<int>{1});
}

TEST(PlacementTest, DefaultParity) {
  const int expected[17] = {4, 0, 1, 1, 2, 2, 3, 3, 4, 4, 4, 4, 4, 4, 4, 4, 4};
  for (int drives = 1; drives <= 16; ++drives) {
    EXPECT_EQ(default_parity(drives), expected[drives]) << drives;
  }
  EXPECT_EQ(default_rrs_parity(1), 0);
  EXPECT_EQ(default_rrs_parity(2), 1);
  EXPECT_EQ(default_rrs_parity(16), 1);
}

int set_size(uint64_t drives, std::vector<uint64_t> ellipses, int requested = 0) {
  auto size = choose_set_drive_count(drives, ellipses, requested);
  if (!size) {
    ADD_FAILURE() << size.status().to_string();
    return -1;
  }
  return *size;
}

ErrorCode set_size_error(uint64_t drives, std::vector<uint64_t> ellipses, int requested = 0) {
  return choose_set_drive_count(drives, ellipses, requested).code();
}

TEST(PlacementTest, SetSizeFromEllipses) {
  // TestGetSetIndexes and TestParseEndpointSet, one argument each.
  EXPECT_EQ(set_size(3, {3}), 3);              // data{1...3}
  EXPECT_EQ(set_size(27, {27}), 9);            // data{1...27}
  EXPECT_EQ(set_size(540, {3, 180}), 15);      // host{1...3}/data{1...180}
  EXPECT_EQ(set_size(1440, {2, 4, 180}), 16);  // host{1...2}.rack{1...4}/...
  EXPECT_EQ(set_size(360, {2, 180}), 12);      // host{1...2}/data{1...180}
  EXPECT_EQ(set_size(64, {64}), 16);           // data{1...64}
  EXPECT_EQ(set_size(24, {24}), 12);           // data{1...24}
  EXPECT_EQ(set_size(88, {11, 8}), 11);        // controller{1...11}/export{1...8}
  EXPECT_EQ(set_size(4, {4}), 4);              // data{1...4}
  EXPECT_EQ(set_size(832, {16, 52}), 16);      // data{1...16}/export{1...52}
  EXPECT_EQ(set_size(128, {2, 64}), 16);       // minio{2...3}/export/set{1...64}
  EXPECT_EQ(set_size(64, {4, 16}), 16);        // rack{1...4}.minio{1...16}/data
  EXPECT_EQ(set_size(32, {16, 2}), 16);        // minio{0...15}/data{0...1}
  EXPECT_EQ(set_size(256, {2, 64, 2}), 16);    // minio{2...3}/set{1...64}/test{1...2}
  EXPECT_EQ(set_size(100, {10, 10}), 10);      // /export{1...10}/disk{1...10}
  EXPECT_EQ(set_size(10, {10}), 10);           // /export{1...10}
  // 14144 drives: 2, 4, 8, 13, 16 divide it, none spreads evenly over 17 hosts.
  EXPECT_EQ(set_size_error(14144, {17, 52}), ErrorCode::kInvalidArgument);
}

TEST(PlacementTest, SetSizeOfAPlainList) {
  EXPECT_EQ(set_size(2, {}), 2);
  EXPECT_EQ(set_size(4, {}), 4);
  EXPECT_EQ(set_size(12, {}), 12);
  EXPECT_EQ(set_size(32, {}), 16);
  EXPECT_EQ(set_size(18, {}), 9);
  EXPECT_EQ(set_size_error(17, {}), ErrorCode::kInvalidArgument);  // prime above 16
  EXPECT_EQ(set_size_error(1, {}), ErrorCode::kInvalidArgument);
  EXPECT_EQ(set_size_error(0, {}), ErrorCode::kInvalidArgument);
}

TEST(PlacementTest, RequestedSetSize) {
  // TestGetSetIndexesEnvOverride.
  EXPECT_EQ(set_size(64, {64}, 8), 8);
  EXPECT_EQ(set_size(360, {2, 180}, 15), 15);  // no symmetry check when asked for
  EXPECT_EQ(set_size(144, {12, 12}, 12), 12);
  EXPECT_EQ(set_size(168, {6, 28}, 12), 12);
  EXPECT_EQ(set_size(121, {11, 11}, 11), 11);
  EXPECT_EQ(set_size(64, {64}, 2), 2);
  EXPECT_EQ(set_size_error(168, {6, 28}, 10), ErrorCode::kInvalidArgument);
  EXPECT_EQ(set_size_error(60, {60}, 8), ErrorCode::kInvalidArgument);
  EXPECT_EQ(set_size_error(64, {64}, 64), ErrorCode::kInvalidArgument);
  EXPECT_EQ(set_size_error(4, {4}, 8), ErrorCode::kInvalidArgument);  // fewer drives than asked
  EXPECT_EQ(set_size_error(4, {4}, -2), ErrorCode::kInvalidArgument);
  auto error = choose_set_drive_count(168, std::vector<uint64_t>{6, 28}, 10);
  EXPECT_NE(error.status().message().find("2, 3, 4, 6, 7, 8, 12, 14"), std::string::npos)
      << error.status().message();
}

TEST(PlacementTest, ParseStorageClass) {
  EXPECT_EQ(*parse_storage_class("EC:0"), 0);
  EXPECT_EQ(*parse_storage_class("EC:4"), 4);
  EXPECT_EQ(*parse_storage_class("EC:16"), 16);
  for (std::string_view bad :
       {"", "EC", "EC:", "EC:1:2", "RS:2", "ec:2", "EC:x", "EC:-1", "EC:2 ", " EC:2", "EC:1.5"}) {
    auto parity = parse_storage_class(bad);
    EXPECT_EQ(parity.code(), ErrorCode::kInvalidArgument) << bad;
    if (!parity) {
      EXPECT_NE(parity.status().message().find("storage class"), std::string::npos);
    }
  }
}

TEST(PlacementTest, ResolveStorageClassParity) {
  auto parity = resolve_storage_class_parity(std::nullopt, std::nullopt, 16);
  ASSERT_TRUE(parity.is_ok());
  EXPECT_EQ(parity->standard, 4);
  EXPECT_EQ(parity->rrs, 1);
  parity = resolve_storage_class_parity(std::nullopt, std::nullopt, 1);
  ASSERT_TRUE(parity.is_ok());
  EXPECT_EQ(parity->standard, 0);
  EXPECT_EQ(parity->rrs, 0);
  parity = resolve_storage_class_parity("EC:8", "EC:2", 16);
  ASSERT_TRUE(parity.is_ok());
  EXPECT_EQ(parity->standard, 8);
  EXPECT_EQ(parity->rrs, 2);
  parity = resolve_storage_class_parity("EC:0", "EC:3", 6);  // 0 disables the ordering rule
  ASSERT_TRUE(parity.is_ok());
  EXPECT_EQ(parity->standard, 0);

  // More than half the set.
  EXPECT_EQ(resolve_storage_class_parity("EC:9", std::nullopt, 16).code(),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(resolve_storage_class_parity("EC:3", std::nullopt, 5).code(),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(resolve_storage_class_parity("EC:1", std::nullopt, 1).code(),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(resolve_storage_class_parity(std::nullopt, "EC:3", 4).code(),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(resolve_storage_class_parity(std::nullopt, "EC:2", 2).code(),
            ErrorCode::kInvalidArgument);
  // RRS above STANDARD, also when STANDARD is the default.
  auto error = resolve_storage_class_parity("EC:2", "EC:3", 16);
  EXPECT_EQ(error.code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(error.status().message().find("REDUCED_REDUNDANCY"), std::string::npos);
  EXPECT_EQ(resolve_storage_class_parity(std::nullopt, "EC:3", 4).code(),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(resolve_storage_class_parity(std::nullopt, "EC:5", 16).code(),
            ErrorCode::kInvalidArgument);
  // Malformed values.
  EXPECT_EQ(resolve_storage_class_parity("EC4", std::nullopt, 16).code(),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(resolve_storage_class_parity(std::nullopt, "EC:-1", 16).code(),
            ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace maxio
