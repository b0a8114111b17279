// parse_flags: long and short forms, values, bundling, "--", and the usage errors.

#include "cli/args.h"

#include <gtest/gtest.h>

namespace maxio::cli {
namespace {

const std::vector<FlagSpec> kFlags = {
    {"recursive", 'r', "", "recurse"},
    {"force", 0, "", "force"},
    {"expire", 'e', "DURATION", "expiry"},
    {"json", 0, "", "json"},
};

TEST(ParseFlagsTest, SeparatesFlagsFromPositionalArgumentsInAnyOrder) {
  auto parsed = parse_flags(kFlags, {"a", "--recursive", "b", "--expire", "7d", "c", "--json"});
  ASSERT_TRUE(parsed.is_ok()) << parsed.status().to_string();
  EXPECT_EQ(parsed->positional, (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_TRUE(parsed->has("recursive"));
  EXPECT_TRUE(parsed->has("json"));
  EXPECT_FALSE(parsed->has("force"));
  EXPECT_EQ(parsed->get("expire"), "7d");
  EXPECT_EQ(parsed->get("force", "fallback"), "fallback");
}

TEST(ParseFlagsTest, AcceptsEqualsShortValuesAndBundles) {
  auto parsed = parse_flags(kFlags, {"--expire=1h", "-r", "x"});
  ASSERT_TRUE(parsed.is_ok());
  EXPECT_EQ(parsed->get("expire"), "1h");
  EXPECT_TRUE(parsed->has("recursive"));

  parsed = parse_flags(kFlags, {"-re", "30m", "y"});
  ASSERT_TRUE(parsed.is_ok()) << parsed.status().to_string();
  EXPECT_TRUE(parsed->has("recursive"));
  EXPECT_EQ(parsed->get("expire"), "30m");
  EXPECT_EQ(parsed->positional, std::vector<std::string>{"y"});

  parsed = parse_flags(kFlags, {"-e2d"});
  ASSERT_TRUE(parsed.is_ok());
  EXPECT_EQ(parsed->get("expire"), "2d");
}

TEST(ParseFlagsTest, LaterValueWins) {
  auto parsed = parse_flags(kFlags, {"--expire", "1h", "--expire", "2h"});
  ASSERT_TRUE(parsed.is_ok());
  EXPECT_EQ(parsed->get("expire"), "2h");
}

TEST(ParseFlagsTest, DoubleDashEndsFlagsAndDashIsPositional) {
  auto parsed = parse_flags(kFlags, {"-", "--", "--recursive", "-r"});
  ASSERT_TRUE(parsed.is_ok());
  EXPECT_EQ(parsed->positional, (std::vector<std::string>{"-", "--recursive", "-r"}));
  EXPECT_FALSE(parsed->has("recursive"));
}

TEST(ParseFlagsTest, VerbatimArgumentsMayStartWithADash) {
  // alias set NAME URL ACCESS SECRET: the keys are taken as they are.
  auto parsed = parse_flags(kFlags, {"--json", "n", "u", "-e1h", "--recursive", "-r"}, 2, 2);
  ASSERT_TRUE(parsed.is_ok()) << parsed.status().to_string();
  EXPECT_EQ(parsed->positional, (std::vector<std::string>{"n", "u", "-e1h", "--recursive"}));
  EXPECT_TRUE(parsed->has("json"));
  EXPECT_TRUE(parsed->has("recursive"));  // the -r after them is a flag again
  EXPECT_FALSE(parsed->has("expire"));
}

TEST(ParseFlagsTest, UsageErrors) {
  auto unknown = parse_flags(kFlags, {"--nope"});
  EXPECT_EQ(unknown.code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(unknown.status().message(), "unknown flag --nope");
  EXPECT_EQ(parse_flags(kFlags, {"-x"}).status().message(), "unknown flag -x");
  EXPECT_EQ(parse_flags(kFlags, {"--expire"}).status().message(),
            "flag --expire needs a value (DURATION)");
  EXPECT_EQ(parse_flags(kFlags, {"-e"}).status().message(), "flag -e needs a value (DURATION)");
  EXPECT_EQ(parse_flags(kFlags, {"--force=yes"}).status().message(), "flag --force takes no value");
}

}  // namespace
}  // namespace maxio::cli
