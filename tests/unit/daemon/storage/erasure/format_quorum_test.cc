// Format resolution of a pool: fresh deployments, healing blank drives, drives found by
// UUID, foreign and corrupt drives, quorum and shape errors.

#include "daemon/storage/erasure/format_quorum.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

namespace maxio {
namespace {

using Reads = std::vector<Result<std::string>>;

Result<std::string> blank() { return Status(ErrorCode::kFileNotFound, "format.json"); }
Result<std::string> offline() { return Status(ErrorCode::kIo, "input/output error"); }

// format.json bytes of every drive of a new deployment, in slot order.
std::vector<std::string> deployment(int set_count, int set_drive_count) {
  std::vector<std::string> out;
  for (const auto& f : new_formats(set_count, set_drive_count)) {
    out.push_back(serialize_format_json(f));
  }
  return out;
}

Reads reads_of(const std::vector<std::string>& bytes) {
  Reads reads;
  for (const auto& b : bytes) reads.emplace_back(b);
  return reads;
}

FormatErasure parsed(const std::string& bytes) { return *parse_format_json(bytes); }

void expect_slot(const DriveFormat& drive, DriveFormatState state, int set, int index) {
  EXPECT_EQ(drive.state, state) << drive.reason;
  EXPECT_EQ(drive.set_index, set);
  EXPECT_EQ(drive.drive_index, index);
}

TEST(FormatQuorumTest, FreshDeployment) {
  Reads reads;
  for (int i = 0; i < 8; ++i) {
    reads.push_back(i % 2 ? blank() : Status(ErrorCode::kVolumeNotFound, ".minio.sys"));
  }
  auto pool = resolve_pool_format(reads, 2, 4);
  ASSERT_TRUE(pool.is_ok()) << pool.status().to_string();
  EXPECT_TRUE(pool->fresh);
  const FormatErasure& ref = pool->reference;
  EXPECT_TRUE(ref.this_drive.empty());
  EXPECT_EQ(ref.format, "xl");
  EXPECT_EQ(ref.distribution_algo, "SIPMOD+PARITY");
  ASSERT_EQ(ref.sets.size(), 2u);
  ASSERT_EQ(ref.sets[0].size(), 4u);
  ASSERT_EQ(pool->drives.size(), 8u);
  for (int i = 0; i < 8; ++i) {
    const DriveFormat& drive = pool->drives[i];
    expect_slot(drive, DriveFormatState::kBlank, i / 4, i % 4);
    ASSERT_TRUE(drive.format_to_write.has_value());
    EXPECT_EQ(drive.format_to_write->id, ref.id);
    EXPECT_EQ(drive.format_to_write->sets, ref.sets);
    EXPECT_EQ(drive.format_to_write->this_drive, ref.sets[i / 4][i % 4]);
  }
}

TEST(FormatQuorumTest, FreshSingleDriveIsXlSingle) {
  Reads reads;
  reads.push_back(blank());
  auto pool = resolve_pool_format(reads, 1, 1);
  ASSERT_TRUE(pool.is_ok()) << pool.status().to_string();
  EXPECT_TRUE(pool->fresh);
  EXPECT_EQ(pool->reference.format, "xl-single");
  ASSERT_TRUE(pool->drives[0].format_to_write.has_value());
  EXPECT_EQ(pool->drives[0].format_to_write->format, "xl-single");
  // What it writes is read back as the same deployment.
  Reads again;
  again.emplace_back(serialize_format_json(*pool->drives[0].format_to_write));
  auto reopened = resolve_pool_format(again, 1, 1);
  ASSERT_TRUE(reopened.is_ok()) << reopened.status().to_string();
  EXPECT_FALSE(reopened->fresh);
  EXPECT_EQ(reopened->reference, pool->reference);
  expect_slot(reopened->drives[0], DriveFormatState::kOk, 0, 0);
}

TEST(FormatQuorumTest, FreshDeploymentWaitsForOfflineDrives) {
  Reads reads;
  reads.push_back(blank());
  reads.push_back(offline());
  reads.push_back(blank());
  reads.push_back(blank());
  auto pool = resolve_pool_format(reads, 1, 4);
  EXPECT_EQ(pool.code(), ErrorCode::kInsufficientWriteQuorum);
  EXPECT_NE(pool.status().message().find("1 of 4"), std::string::npos) << pool.status().message();
}

TEST(FormatQuorumTest, FormattedPool) {
  auto bytes = deployment(2, 4);
  auto pool = resolve_pool_format(reads_of(bytes), 2, 4);
  ASSERT_TRUE(pool.is_ok()) << pool.status().to_string();
  EXPECT_FALSE(pool->fresh);
  FormatErasure expected = parsed(bytes[0]);
  expected.this_drive.clear();
  EXPECT_EQ(pool->reference, expected);
  for (int i = 0; i < 8; ++i) {
    expect_slot(pool->drives[i], DriveFormatState::kOk, i / 4, i % 4);
    EXPECT_FALSE(pool->drives[i].format_to_write.has_value());
  }
}

TEST(FormatQuorumTest, OneBlankDriveIsHealedIntoItsSlot) {
  auto bytes = deployment(2, 4);
  Reads reads = reads_of(bytes);
  reads[5] = blank();
  auto pool = resolve_pool_format(reads, 2, 4);
  ASSERT_TRUE(pool.is_ok()) << pool.status().to_string();
  EXPECT_FALSE(pool->fresh);
  const DriveFormat& healed = pool->drives[5];
  expect_slot(healed, DriveFormatState::kBlank, 1, 1);
  ASSERT_TRUE(healed.format_to_write.has_value());
  EXPECT_EQ(*healed.format_to_write, parsed(bytes[5]));  // exactly the lost drive's format
  for (int i = 0; i < 8; ++i) {
    if (i != 5) expect_slot(pool->drives[i], DriveFormatState::kOk, i / 4, i % 4);
  }
}

TEST(FormatQuorumTest, SwappedDrivesArePlacedByUuid) {
  auto bytes = deployment(2, 4);
  std::vector<std::string> swapped(bytes.rbegin(), bytes.rend());
  auto pool = resolve_pool_format(reads_of(swapped), 2, 4);
  ASSERT_TRUE(pool.is_ok()) << pool.status().to_string();
  for (int i = 0; i < 8; ++i) {
    int slot = 7 - i;
    expect_slot(pool->drives[i], DriveFormatState::kOk, slot / 4, slot % 4);
  }
}

TEST(FormatQuorumTest, BlankDriveTakesTheSlotNoDriveHolds) {
  // Drives 0 and 1 swapped on the command line, then the one now at position 1 (slot 0)
  // replaced: its own slot (0, 1) is held by position 0, so it takes the free slot (0, 0).
  auto bytes = deployment(1, 4);
  Reads reads;
  reads.emplace_back(bytes[1]);
  reads.push_back(blank());
  reads.emplace_back(bytes[2]);
  reads.emplace_back(bytes[3]);
  auto pool = resolve_pool_format(reads, 1, 4);
  ASSERT_TRUE(pool.is_ok()) << pool.status().to_string();
  expect_slot(pool->drives[0], DriveFormatState::kOk, 0, 1);
  expect_slot(pool->drives[1], DriveFormatState::kBlank, 0, 0);
  ASSERT_TRUE(pool->drives[1].format_to_write.has_value());
  EXPECT_EQ(*pool->drives[1].format_to_write, parsed(bytes[0]));
}

TEST(FormatQuorumTest, BlankDriveNeverTakesAnOfflineDrivesSlot) {
  // Position 0 is offline; position 1 is blank but its slot 1 is held by position 2;
  // position 3 holds slot 3. Free slots: 0, which the offline drive probably holds, and 2.
  auto bytes = deployment(1, 4);
  Reads reads;
  reads.push_back(offline());
  reads.push_back(blank());
  reads.emplace_back(bytes[1]);
  reads.emplace_back(bytes[3]);
  auto pool = resolve_pool_format(reads, 1, 4);
  ASSERT_TRUE(pool.is_ok()) << pool.status().to_string();
  EXPECT_EQ(pool->drives[0].state, DriveFormatState::kOffline);
  EXPECT_NE(pool->drives[0].reason.find("input/output error"), std::string::npos);
  expect_slot(pool->drives[1], DriveFormatState::kBlank, 0, 2);
  EXPECT_EQ(*pool->drives[1].format_to_write, parsed(bytes[2]));
  expect_slot(pool->drives[2], DriveFormatState::kOk, 0, 1);
  expect_slot(pool->drives[3], DriveFormatState::kOk, 0, 3);
}

TEST(FormatQuorumTest, ForeignDriveIsReportedNotPlaced) {
  auto bytes = deployment(1, 4);
  auto other = deployment(1, 4);
  Reads reads = reads_of(bytes);
  reads[2] = Result<std::string>(other[2]);
  auto pool = resolve_pool_format(reads, 1, 4);
  ASSERT_TRUE(pool.is_ok()) << pool.status().to_string();
  const DriveFormat& foreign = pool->drives[2];
  EXPECT_EQ(foreign.state, DriveFormatState::kForeign);
  EXPECT_NE(foreign.reason.find(parsed(other[2]).id), std::string::npos) << foreign.reason;
  EXPECT_EQ(foreign.set_index, -1);
  EXPECT_FALSE(foreign.format_to_write.has_value());
  for (int i : {0, 1, 3}) expect_slot(pool->drives[i], DriveFormatState::kOk, 0, i);
}

TEST(FormatQuorumTest, CorruptFormatJsonIsForeign) {
  auto bytes = deployment(1, 4);
  Reads reads = reads_of(bytes);
  reads[1] = Result<std::string>(std::string("{\"version\":\"1\",\"format\":\"xl\""));
  FormatErasure stray = parsed(bytes[3]);
  stray.this_drive = "00000000-0000-0000-0000-000000000000";  // not in its own sets
  reads[3] = Result<std::string>(serialize_format_json(stray));
  auto pool = resolve_pool_format(reads, 1, 4);
  ASSERT_TRUE(pool.is_ok()) << pool.status().to_string();
  EXPECT_EQ(pool->drives[1].state, DriveFormatState::kForeign);
  EXPECT_NE(pool->drives[1].reason.find("format.json"), std::string::npos);
  EXPECT_EQ(pool->drives[3].state, DriveFormatState::kForeign);
  EXPECT_NE(pool->drives[3].reason.find("xl.this"), std::string::npos) << pool->drives[3].reason;
  EXPECT_FALSE(pool->drives[1].format_to_write.has_value());
  expect_slot(pool->drives[0], DriveFormatState::kOk, 0, 0);
  expect_slot(pool->drives[2], DriveFormatState::kOk, 0, 2);

  // Other unusable formats: a deployment id that is not a UUID, an unknown algorithm,
  // an old xl.version.
  for (auto spoil : std::vector<void (*)(FormatErasure&)>{
           [](FormatErasure& f) { f.id = "deployment"; },
           [](FormatErasure& f) { f.distribution_algo = "SIPMOD+MAGIC"; },
           [](FormatErasure& f) { f.xl_version = "2"; }}) {
    FormatErasure f = parsed(bytes[0]);
    spoil(f);
    Reads spoiled = reads_of(bytes);
    spoiled[0] = Result<std::string>(serialize_format_json(f));
    auto result = resolve_pool_format(spoiled, 1, 4);
    ASSERT_TRUE(result.is_ok()) << result.status().to_string();
    EXPECT_EQ(result->drives[0].state, DriveFormatState::kForeign);
    EXPECT_FALSE(result->drives[0].reason.empty());
  }
}

TEST(FormatQuorumTest, DuplicateDriveUuid) {
  auto bytes = deployment(1, 4);
  Reads reads = reads_of(bytes);
  reads[3] = Result<std::string>(bytes[1]);  // a copy of drive 1
  auto pool = resolve_pool_format(reads, 1, 4);
  ASSERT_TRUE(pool.is_ok()) << pool.status().to_string();
  expect_slot(pool->drives[1], DriveFormatState::kOk, 0, 1);
  EXPECT_EQ(pool->drives[3].state, DriveFormatState::kForeign);
  EXPECT_NE(pool->drives[3].reason.find("already held by drive 2"), std::string::npos)
      << pool->drives[3].reason;
}

TEST(FormatQuorumTest, CrcModDeploymentsAreAccepted) {
  auto bytes = deployment(1, 2);
  for (auto& b : bytes) {
    FormatErasure f = parsed(b);
    f.distribution_algo = "CRCMOD";
    b = serialize_format_json(f);
  }
  auto pool = resolve_pool_format(reads_of(bytes), 1, 2);
  ASSERT_TRUE(pool.is_ok()) << pool.status().to_string();
  EXPECT_EQ(pool->reference.distribution_algo, "CRCMOD");
}

TEST(FormatQuorumTest, HalfThePoolIsAQuorum) {
  // MinIO's quorum: half the drives agreeing (here the other half offline, or blank).
  auto bytes = deployment(1, 4);
  Reads reads = reads_of(bytes);
  reads[0] = offline();
  reads[3] = offline();
  auto pool = resolve_pool_format(reads, 1, 4);
  ASSERT_TRUE(pool.is_ok()) << pool.status().to_string();
  expect_slot(pool->drives[1], DriveFormatState::kOk, 0, 1);

  auto pair = deployment(1, 2);
  Reads two;
  two.push_back(blank());
  two.emplace_back(pair[1]);
  pool = resolve_pool_format(two, 1, 2);
  ASSERT_TRUE(pool.is_ok()) << pool.status().to_string();
  expect_slot(pool->drives[0], DriveFormatState::kBlank, 0, 0);
  EXPECT_EQ(*pool->drives[0].format_to_write, parsed(pair[0]));
}

TEST(FormatQuorumTest, NoQuorum) {
  auto a = deployment(1, 4);
  auto b = deployment(1, 4);
  // Two deployments with two drives each: neither wins.
  Reads tie;
  tie.emplace_back(a[0]);
  tie.emplace_back(a[1]);
  tie.emplace_back(b[2]);
  tie.emplace_back(b[3]);
  auto pool = resolve_pool_format(tie, 1, 4);
  EXPECT_EQ(pool.code(), ErrorCode::kInsufficientReadQuorum);
  EXPECT_NE(pool.status().message().find("2 different formats"), std::string::npos)
      << pool.status().message();

  // One drive of a 4-drive pool readable.
  Reads few;
  few.emplace_back(a[0]);
  few.push_back(offline());
  few.push_back(offline());
  few.emplace_back(b[3]);
  pool = resolve_pool_format(few, 1, 4);
  EXPECT_EQ(pool.code(), ErrorCode::kInsufficientReadQuorum);

  // Only corrupt and offline drives.
  Reads corrupt;
  corrupt.emplace_back(std::string("garbage"));
  corrupt.push_back(offline());
  pool = resolve_pool_format(corrupt, 1, 2);
  EXPECT_EQ(pool.code(), ErrorCode::kInsufficientReadQuorum);

  // Most drives blank: MinIO waits rather than heal from a minority.
  Reads mostly_blank;
  mostly_blank.emplace_back(a[0]);
  mostly_blank.push_back(blank());
  mostly_blank.push_back(blank());
  mostly_blank.push_back(blank());
  pool = resolve_pool_format(mostly_blank, 1, 4);
  EXPECT_EQ(pool.code(), ErrorCode::kInsufficientReadQuorum);
  EXPECT_NE(pool.status().message().find("3 blank"), std::string::npos) << pool.status().message();
}

TEST(FormatQuorumTest, WrongShape) {
  auto bytes = deployment(1, 4);
  auto pool = resolve_pool_format(reads_of(bytes), 2, 2);
  EXPECT_EQ(pool.code(), ErrorCode::kCorruptedFormat);
  EXPECT_NE(pool.status().message().find("1 set of 4 drives"), std::string::npos)
      << pool.status().message();
  EXPECT_NE(pool.status().message().find("2 sets of 2 drives"), std::string::npos)
      << pool.status().message();
}

TEST(FormatQuorumTest, CountsMustMatchTheReads) {
  auto bytes = deployment(1, 4);
  EXPECT_EQ(resolve_pool_format(reads_of(bytes), 1, 3).code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(resolve_pool_format(reads_of(bytes), 0, 4).code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(resolve_pool_format({}, 1, 1).code(), ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace maxio
