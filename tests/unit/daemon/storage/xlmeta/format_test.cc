// format.json: MinIO's layout, round trips, rejection of malformed documents, new_formats.

#include "daemon/storage/xlmeta/format.h"

#include <gtest/gtest.h>

#include <set>

namespace maxio {
namespace {

// A format.json as MinIO writes it (2 sets of 2 drives).
constexpr char kMinioFormat[] =
    R"({"version":"1","format":"xl","id":"b1a8c0e2-5d7a-4bb5-9f4f-3a4c8a6f2d10",)"
    R"("xl":{"version":"3","this":"0c8cd9c3-9b9e-4a57-8bd1-3e0d1c3f6b21",)"
    R"("sets":[["0c8cd9c3-9b9e-4a57-8bd1-3e0d1c3f6b21","7a0c1c5f-6a07-4b9a-9e8f-1e4bb2f0f7e1"],)"
    R"(["2f7f1d43-0a61-4f4d-a5c4-0f9e0c33a2b9","c2e0b8a4-53a7-4cc4-8a09-5d38e6f0d4f2"]],)"
    R"("distributionAlgo":"SIPMOD+PARITY"}})";

TEST(FormatTest, ParsesMinioFormat) {
  auto f = parse_format_json(kMinioFormat);
  ASSERT_TRUE(f.is_ok()) << f.status().to_string();
  EXPECT_EQ(f->version, "1");
  EXPECT_EQ(f->format, "xl");
  EXPECT_EQ(f->id, "b1a8c0e2-5d7a-4bb5-9f4f-3a4c8a6f2d10");
  EXPECT_EQ(f->xl_version, "3");
  EXPECT_EQ(f->this_drive, "0c8cd9c3-9b9e-4a57-8bd1-3e0d1c3f6b21");
  ASSERT_EQ(f->sets.size(), 2u);
  ASSERT_EQ(f->sets[1].size(), 2u);
  EXPECT_EQ(f->sets[1][1], "c2e0b8a4-53a7-4cc4-8a09-5d38e6f0d4f2");
  EXPECT_EQ(f->distribution_algo, "SIPMOD+PARITY");
  // Field order and names as MinIO writes them.
  EXPECT_EQ(serialize_format_json(*f), kMinioFormat);
}

TEST(FormatTest, RoundTripAndXlSingle) {
  FormatErasure f;
  f.format = "xl-single";
  f.id = "id-1";
  f.this_drive = "d1";
  f.sets = {{"d1"}};
  auto back = parse_format_json(serialize_format_json(f));
  ASSERT_TRUE(back.is_ok());
  EXPECT_EQ(*back, f);
}

TEST(FormatTest, RejectsMalformed) {
  for (
      const char* bad : {
          "",
          "{",
          "[]",
          "null",
          R"({"version":"1","format":"xl"})",
          R"({"version":"2","format":"xl","id":"x","xl":{"version":"3","this":"a","sets":[["a"]]}})",
          R"({"version":"1","format":"fs","id":"x","xl":{"version":"3","this":"a","sets":[["a"]]}})",
          R"({"version":"1","format":"xl","id":"x","xl":{"version":3,"this":"a","sets":[["a"]]}})",
          R"({"version":"1","format":"xl","id":"x","xl":{"version":"3","sets":[["a"]]}})",
          R"({"version":"1","format":"xl","id":"x","xl":{"version":"3","this":"a","sets":["a"]}})",
          R"({"version":"1","format":"xl","id":"x","xl":{"version":"3","this":"a","sets":[[1]]}})",
          R"({"version":"1","format":"xl","id":7,"xl":{"version":"3","this":"a","sets":[["a"]]}})",
      }) {
    EXPECT_EQ(parse_format_json(bad).code(), ErrorCode::kCorruptedFormat) << bad;
  }
}

TEST(FormatTest, NewFormats) {
  auto formats = new_formats(2, 3);
  ASSERT_EQ(formats.size(), 6u);
  std::set<std::string> drives;
  for (size_t i = 0; i < formats.size(); ++i) {
    const FormatErasure& f = formats[i];
    EXPECT_EQ(f.id, formats[0].id);
    EXPECT_EQ(f.id.size(), 36u);
    EXPECT_EQ(f.sets, formats[0].sets);
    ASSERT_EQ(f.sets.size(), 2u);
    EXPECT_EQ(f.this_drive, f.sets[i / 3][i % 3]);  // set-major order
    EXPECT_EQ(f.format, "xl");
    EXPECT_EQ(f.distribution_algo, "SIPMOD+PARITY");
    drives.insert(f.this_drive);
    auto back = parse_format_json(serialize_format_json(f));
    ASSERT_TRUE(back.is_ok());
    EXPECT_EQ(*back, f);
  }
  EXPECT_EQ(drives.size(), 6u);
}

}  // namespace
}  // namespace maxio
