#include "fuse/mount/metadata.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

namespace maxio::fuse {
namespace {

using std::chrono::seconds;

const AttributeDefaults kDefaults{.uid = 1000, .gid = 100};
const Timestamp kLastModified{seconds(1600000000)};

TEST(DecodeAttributes, NoMetadataUsesDefaults) {
  Attributes a = decode_attributes({}, 42, kLastModified, false, kDefaults);
  EXPECT_EQ(a.kind, EntryKind::kFile);
  EXPECT_EQ(a.size, 42u);
  EXPECT_EQ(a.permissions, 0644u);
  EXPECT_EQ(a.uid, 1000u);
  EXPECT_EQ(a.gid, 100u);
  EXPECT_EQ(a.mtime, kLastModified);
  Attributes d = decode_attributes({}, 0, kLastModified, true, kDefaults);
  EXPECT_EQ(d.kind, EntryKind::kDirectory);
  EXPECT_EQ(d.permissions, 0755u);
}

TEST(DecodeAttributes, S3fsMetadata) {
  // What s3fs 1.90 writes for `-rw-r----- 501:20` and a directory `drwx------`.
  std::map<std::string, std::string> file{
      {"mode", "33184"}, {"uid", "501"}, {"gid", "20"}, {"mtime", "1700000000"}};
  Attributes a = decode_attributes(file, 7, kLastModified, false, {.umask = 0});
  EXPECT_EQ(a.kind, EntryKind::kFile);
  EXPECT_EQ(a.permissions, 0640u);
  EXPECT_EQ(a.uid, 501u);
  EXPECT_EQ(a.gid, 20u);
  EXPECT_EQ(a.mtime, Timestamp(seconds(1700000000)));
  Attributes d = decode_attributes({{"mode", "16832"}}, 0, kLastModified, true, {.umask = 0});
  EXPECT_EQ(d.kind, EntryKind::kDirectory);
  EXPECT_EQ(d.permissions, 0700u);
}

TEST(DecodeAttributes, SymlinkFromModeBits) {
  Attributes a = decode_attributes({{"mode", std::to_string(S_IFLNK | 0777)}}, 9, kLastModified,
                                   false, kDefaults);
  EXPECT_EQ(a.kind, EntryKind::kSymlink);
  EXPECT_EQ(a.permissions, 0777u);  // the umask does not apply to symlinks
  EXPECT_EQ(st_mode_of(a), static_cast<uint32_t>(S_IFLNK | 0777));
}

TEST(DecodeAttributes, UmaskAndForcedOwner) {
  AttributeDefaults forced{.uid = 7, .gid = 8, .umask = 077, .force_uid = true, .force_gid = true};
  Attributes a =
      decode_attributes({{"mode", std::to_string(S_IFREG | 0664)}, {"uid", "1"}, {"gid", "2"}}, 0,
                        kLastModified, false, forced);
  EXPECT_EQ(a.permissions, 0600u);
  EXPECT_EQ(a.uid, 7u);
  EXPECT_EQ(a.gid, 8u);
}

TEST(DecodeAttributes, MalformedValuesFallBack) {
  Attributes a = decode_attributes(
      {{"mode", "rw-r--r--"}, {"uid", "-1"}, {"gid", "x"}, {"mtime", "yesterday"}}, 3,
      kLastModified, false, kDefaults);
  EXPECT_EQ(a.permissions, 0644u);
  EXPECT_EQ(a.uid, 1000u);
  EXPECT_EQ(a.gid, 100u);
  EXPECT_EQ(a.mtime, kLastModified);
}

TEST(ParseMtime, SecondsAndFractions) {
  EXPECT_EQ(parse_mtime("0"), Timestamp(seconds(0)));
  EXPECT_EQ(parse_mtime("1700000000.5"),
            Timestamp(seconds(1700000000)) + std::chrono::milliseconds(500));
  EXPECT_EQ(parse_mtime("1700000000.000000001"),
            Timestamp(seconds(1700000000)) +
                std::chrono::duration_cast<Timestamp::duration>(std::chrono::nanoseconds(1)));
  EXPECT_FALSE(parse_mtime(""));
  EXPECT_FALSE(parse_mtime("1."));
  EXPECT_FALSE(parse_mtime("1.1234567890"));
  EXPECT_FALSE(parse_mtime("-5"));
}

TEST(EncodeAttributes, RoundTripsThroughDecode) {
  Attributes a{.kind = EntryKind::kFile,
               .size = 10,
               .permissions = 04751,
               .uid = 33,
               .gid = 44,
               .mtime = Timestamp(seconds(1234567890))};
  auto meta = encode_attributes(a);
  EXPECT_EQ(meta.at("mode"), std::to_string(S_IFREG | 04751));
  EXPECT_EQ(meta.at("uid"), "33");
  EXPECT_EQ(meta.at("gid"), "44");
  EXPECT_EQ(meta.at("mtime"), "1234567890");
  Attributes b = decode_attributes(meta, 10, kLastModified, false, {.umask = 0});
  EXPECT_EQ(b.kind, a.kind);
  EXPECT_EQ(b.permissions, a.permissions);
  EXPECT_EQ(b.uid, a.uid);
  EXPECT_EQ(b.gid, a.gid);
  EXPECT_EQ(b.mtime, a.mtime);
  Attributes dir{.kind = EntryKind::kDirectory, .permissions = 0750};
  EXPECT_EQ(encode_attributes(dir).at("mode"), std::to_string(S_IFDIR | 0750));
}

TEST(EncodeAttributes, SubSecondMtimeIsTruncated) {
  Attributes a{.mtime = Timestamp(seconds(99)) + std::chrono::milliseconds(999)};
  EXPECT_EQ(encode_attributes(a).at("mtime"), "99");
}

}  // namespace
}  // namespace maxio::fuse
