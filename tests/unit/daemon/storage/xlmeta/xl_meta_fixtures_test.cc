// XlMeta against real xl.meta files written by MinIO (../shared/fixtures/minio): every
// minor version, inline and non-inline data, many parts, a truncated file, and an
// erasure set's drives.

#include <gtest/gtest.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "daemon/storage/xlmeta/xl_meta.h"

namespace maxio {
namespace {

namespace fs = std::filesystem;

const std::string kTestdata = std::string(MAXIO_FIXTURES_DIR) + "/minio/cmd/testdata";
const std::string kCorpus = std::string(MAXIO_FIXTURES_DIR) + "/minio/buildscripts/cicd-corpus";

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string zstd_decompress(const std::string& in) {
  std::string out;
  ZSTD_DCtx* ctx = ZSTD_createDCtx();
  ZSTD_inBuffer src{in.data(), in.size(), 0};
  std::string chunk(1 << 16, '\0');
  while (src.pos < src.size) {
    ZSTD_outBuffer dst{chunk.data(), chunk.size(), 0};
    size_t rc = ZSTD_decompressStream(ctx, &dst, &src);
    if (ZSTD_isError(rc)) break;
    out.append(chunk.data(), dst.pos);
  }
  ZSTD_freeDCtx(ctx);
  return out;
}

std::string gunzip(const std::string& in) {
  std::string out;
  z_stream zs{};
  if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK) return out;
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = static_cast<uInt>(in.size());
  std::string chunk(1 << 16, '\0');
  int rc = Z_OK;
  while (rc == Z_OK) {
    zs.next_out = reinterpret_cast<Bytef*>(chunk.data());
    zs.avail_out = static_cast<uInt>(chunk.size());
    rc = inflate(&zs, Z_NO_FLUSH);
    out.append(chunk.data(), chunk.size() - zs.avail_out);
  }
  inflateEnd(&zs);
  return out;
}

// Extracts a fixture zip into a fresh temp dir (removed by the destructor).
class Unzipped {
 public:
  explicit Unzipped(const std::string& zip) {
    char tmpl[] = "/tmp/maxio-xlmeta-XXXXXX";
    dir_ = mkdtemp(tmpl);
    std::string cmd = "unzip -o -q '" + zip + "' -d '" + dir_ + "'";
    ok_ = std::system(cmd.c_str()) == 0;
  }
  ~Unzipped() {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  bool ok() const { return ok_; }
  const std::string& dir() const { return dir_; }
  std::vector<std::string> xl_metas() const {
    std::vector<std::string> out;
    for (const auto& e : fs::recursive_directory_iterator(dir_)) {
      if (e.is_regular_file() && e.path().filename() == "xl.meta") out.push_back(e.path().string());
    }
    return out;
  }

 private:
  std::string dir_;
  bool ok_ = false;
};

XlMeta must_parse(const std::string& bytes) {
  auto x = XlMeta::parse(bytes);
  EXPECT_TRUE(x.is_ok()) << x.status().to_string();
  return x.is_ok() ? std::move(x).value() : XlMeta();
}

void expect_same(const FileInfo& a, const FileInfo& b) {
  EXPECT_EQ(a.version_id, b.version_id);
  EXPECT_EQ(a.deleted, b.deleted);
  EXPECT_EQ(a.data_dir, b.data_dir);
  EXPECT_EQ(a.mod_time, b.mod_time);
  EXPECT_EQ(a.size, b.size);
  EXPECT_EQ(a.metadata, b.metadata);
  EXPECT_EQ(a.system_metadata, b.system_metadata);
  ASSERT_EQ(a.parts.size(), b.parts.size());
  for (size_t i = 0; i < a.parts.size(); ++i) {
    EXPECT_EQ(a.parts[i].number, b.parts[i].number);
    EXPECT_EQ(a.parts[i].etag, b.parts[i].etag);
    EXPECT_EQ(a.parts[i].size, b.parts[i].size);
    EXPECT_EQ(a.parts[i].actual_size, b.parts[i].actual_size);
  }
  EXPECT_EQ(a.erasure.data_blocks, b.erasure.data_blocks);
  EXPECT_EQ(a.erasure.parity_blocks, b.erasure.parity_blocks);
  EXPECT_EQ(a.erasure.block_size, b.erasure.block_size);
  EXPECT_EQ(a.erasure.index, b.erasure.index);
  EXPECT_EQ(a.erasure.distribution, b.erasure.distribution);
  EXPECT_EQ(a.data, b.data);
  EXPECT_EQ(a.is_latest, b.is_latest);
  EXPECT_EQ(a.num_versions, b.num_versions);
  EXPECT_EQ(a.successor_mod_time, b.successor_mod_time);
}

// Our serialization of a MinIO xl.meta parses back to the same versions; rebuilding every
// version from its FileInfo (add_version) also yields the same FileInfos.
void expect_round_trip(const XlMeta& minio) {
  const auto original = minio.versions("b", "k", true);
  const auto reparsed = must_parse(minio.serialize()).versions("b", "k", true);
  ASSERT_EQ(original.size(), reparsed.size());
  for (size_t i = 0; i < original.size(); ++i) expect_same(original[i], reparsed[i]);

  XlMeta rebuilt;
  for (const FileInfo& fi : original) ASSERT_TRUE(rebuilt.add_version(fi).is_ok());
  const auto rebuilt_versions = must_parse(rebuilt.serialize()).versions("b", "k", true);
  ASSERT_EQ(original.size(), rebuilt_versions.size());
  for (size_t i = 0; i < original.size(); ++i) expect_same(original[i], rebuilt_versions[i]);
}

int64_t unix_nanos(std::chrono::system_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
}

TEST(XlMetaFixturesTest, V1_0SingleVersion) {
  XlMeta x = must_parse(read_file(kTestdata + "/xl.meta"));
  EXPECT_EQ(x.parsed_minor_version(), 0);
  ASSERT_EQ(x.version_count(), 1u);
  auto fi = x.file_info("bucket", "obj", "", true);
  ASSERT_TRUE(fi.is_ok()) << fi.status().to_string();
  EXPECT_EQ(fi->version_id, "");
  EXPECT_EQ(fi->data_dir, "70869277-e3b9-41e9-a6c8-0c193adb5f9a");
  EXPECT_EQ(fi->size, 6482);
  EXPECT_EQ(unix_nanos(fi->mod_time), 1610300046404396813);
  EXPECT_EQ(fi->metadata.at("etag"), "eb460a70e9e7eb0f36b2e28512318bb0");
  EXPECT_EQ(fi->metadata.at("content-type"), "application/json");
  ASSERT_EQ(fi->parts.size(), 1u);
  EXPECT_EQ(fi->parts[0].size, 6482);
  EXPECT_EQ(fi->erasure.data_blocks, 2);
  EXPECT_EQ(fi->erasure.parity_blocks, 2);
  EXPECT_EQ(fi->erasure.block_size, 10485760);
  EXPECT_EQ(fi->erasure.index, 3);
  EXPECT_EQ(fi->erasure.distribution, (std::vector<int>{3, 4, 1, 2}));
  expect_round_trip(x);
}

// XL2 1.0 has no CRC, so every damaged byte reaches the decoders: none may crash, and
// anything accepted must survive our own serialization.
TEST(XlMetaFixturesTest, DamagedV1_0NeverCrashes) {
  const std::string good = read_file(kTestdata + "/xl.meta");
  for (size_t i = 0; i < good.size(); ++i) {
    for (uint8_t mask : {0x01, 0x80, 0xff}) {
      std::string bad = good;
      bad[i] = static_cast<char>(bad[i] ^ mask);
      auto x = XlMeta::parse(bad);
      if (!x.is_ok()) {
        EXPECT_EQ(x.code(), ErrorCode::kFileCorrupt);
        continue;
      }
      auto again = XlMeta::parse(x->serialize());
      ASSERT_TRUE(again.is_ok()) << "offset " << i;
      EXPECT_EQ(again->serialize(), x->serialize());
      (void)again->versions("b", "k", true);
    }
  }
}

TEST(XlMetaFixturesTest, ManyParts) {
  XlMeta x = must_parse(read_file(kTestdata + "/xl-many-parts.meta"));
  EXPECT_EQ(x.parsed_minor_version(), 3);
  ASSERT_EQ(x.version_count(), 7u);
  auto fi = x.file_info("bucket", "obj", "", false);
  ASSERT_TRUE(fi.is_ok());
  EXPECT_EQ(fi->version_id, "8edd0b2c-0888-4a38-8184-9e213b6f92fb");
  EXPECT_EQ(fi->size, 56747702861);
  EXPECT_EQ(fi->num_versions, 7);
  ASSERT_EQ(fi->parts.size(), 9016u);
  EXPECT_EQ(fi->parts.front().number, 1);
  EXPECT_EQ(fi->parts.front().size, 6294528);
  EXPECT_EQ(fi->parts.front().actual_size, 6291456);
  EXPECT_EQ(fi->parts.back().number, 9016);
  EXPECT_EQ(fi->metadata.at("etag"), "43bc26cf9d1b65d8830884adf6f47bba-9016");
  EXPECT_EQ(fi->metadata.at("content-type"), "video/quicktime");
  EXPECT_EQ(fi->system_metadata.count("X-Minio-Internal-actual-size"), 1u);
  EXPECT_EQ(fi->erasure.data_blocks, 12);
  EXPECT_EQ(fi->erasure.parity_blocks, 4);
  EXPECT_EQ(fi->erasure.block_size, 1 << 20);
  EXPECT_EQ(fi->erasure.index, 2);
  ASSERT_EQ(fi->erasure.distribution.size(), 16u);
  EXPECT_EQ(fi->erasure.distribution.front(), 2);
  EXPECT_EQ(fi->erasure.distribution.back(), 1);
  auto all = x.versions("bucket", "obj", false);
  ASSERT_EQ(all.size(), 7u);
  for (size_t i = 1; i < all.size(); ++i) EXPECT_GE(all[i - 1].mod_time, all[i].mod_time);
  expect_round_trip(x);
}

TEST(XlMetaFixturesTest, V1_2Compressed) {
  const std::string bytes = zstd_decompress(read_file(kTestdata + "/xl.meta-v1.2.zst"));
  ASSERT_FALSE(bytes.empty());
  XlMeta x = must_parse(bytes);
  EXPECT_EQ(x.parsed_minor_version(), 2);
  EXPECT_EQ(x.version_count(), 855u);
  auto fi = x.file_info("b", "k", "", false);
  ASSERT_TRUE(fi.is_ok());
  EXPECT_EQ(fi->version_id, "dbaf9ae8-dae0-40a6-80f2-1c39e807382c");
  EXPECT_EQ(fi->size, 256);
  EXPECT_EQ(fi->erasure.data_blocks, 4);
  EXPECT_EQ(fi->erasure.parity_blocks, 4);
  EXPECT_EQ(fi->metadata.at("etag"), "beeb220fa9de6166bd1ff723f5b1f19f");
  EXPECT_TRUE(fi->inline_data());
  expect_round_trip(x);
}

TEST(XlMetaFixturesTest, CorruptIsRejected) {
  const std::string bytes = gunzip(read_file(kTestdata + "/xl.meta-corrupt.gz"));
  ASSERT_GT(bytes.size(), 1000000u);
  EXPECT_EQ(XlMeta::parse(bytes).code(), ErrorCode::kFileCorrupt);
}

TEST(XlMetaFixturesTest, EveryZipFixtureParses) {
  for (const char* zip :
       {"xl-meta-consist.zip", "xl-meta-inline-notinline.zip", "xl-meta-merge.zip"}) {
    Unzipped u(kTestdata + "/" + zip);
    ASSERT_TRUE(u.ok()) << zip;
    const auto files = u.xl_metas();
    EXPECT_FALSE(files.empty()) << zip;
    for (const auto& path : files) {
      SCOPED_TRACE(path);
      XlMeta x = must_parse(read_file(path));
      EXPECT_GE(x.version_count(), 1u);
      auto fi = x.file_info("b", "k", "", true);
      ASSERT_TRUE(fi.is_ok());
      EXPECT_FALSE(fi->metadata.at("etag").empty());
      expect_round_trip(x);
    }
  }
}

TEST(XlMetaFixturesTest, InlineAndNotInline) {
  Unzipped u(kTestdata + "/xl-meta-inline-notinline.zip");
  ASSERT_TRUE(u.ok());
  XlMeta disk1 = must_parse(read_file(u.dir() + "/disk1/testbucket/file/xl.meta"));
  auto inl = disk1.file_info("testbucket", "file", "", true);
  ASSERT_TRUE(inl.is_ok());
  EXPECT_EQ(inl->data.size(), 66080u);  // shard of 132096 bytes over 2 data blocks, + bitrot
  EXPECT_EQ(inl->erasure.index, 2);
  EXPECT_NE(disk1.inline_data("null"), nullptr);

  XlMeta disk2 = must_parse(read_file(u.dir() + "/disk2/testbucket/file/xl.meta"));
  auto dd = disk2.file_info("testbucket", "file", "", true);
  ASSERT_TRUE(dd.is_ok());
  EXPECT_TRUE(dd->data.empty());
  EXPECT_EQ(dd->data_dir, "9f6c3be2-463f-4771-a6c7-1204baaa3ff2");
  EXPECT_TRUE(fs::exists(u.dir() + "/disk2/testbucket/file/" + dd->data_dir + "/part.1"));
  auto freed = disk2.delete_version("");
  ASSERT_TRUE(freed.is_ok());
  EXPECT_EQ(*freed, "9f6c3be2-463f-4771-a6c7-1204baaa3ff2");
}

TEST(XlMetaFixturesTest, NullVersionInlineFromMerge) {
  Unzipped u(kTestdata + "/xl-meta-merge.zip");
  ASSERT_TRUE(u.ok());
  XlMeta x = must_parse(read_file(u.dir() + "/xl5/testbucket/hosts/xl.meta"));
  auto fi = x.file_info("testbucket", "hosts", "null", true);
  ASSERT_TRUE(fi.is_ok());
  EXPECT_EQ(fi->version_id, "");
  EXPECT_EQ(fi->size, 19113);
  EXPECT_EQ(fi->data.size(), 9589u);
}

struct CorpusDisk {
  int disk;
  int index;
  size_t versions;
};

TEST(XlMetaFixturesTest, CicdCorpusErasureSet) {
  for (const CorpusDisk& d :
       {CorpusDisk{2, 4, 1}, CorpusDisk{3, 5, 1}, CorpusDisk{4, 1, 2}, CorpusDisk{5, 2, 1}}) {
    SCOPED_TRACE(d.disk);
    const std::string raw =
        read_file(kCorpus + "/disk" + std::to_string(d.disk) + "/bucket/testobj/xl.meta");
    XlMeta x = must_parse(raw);
    EXPECT_EQ(x.parsed_minor_version(), 3);
    EXPECT_EQ(x.version_count(), d.versions);
    auto all = x.versions("bucket", "testobj", false);
    ASSERT_EQ(all.size(), d.versions);
    for (const FileInfo& fi : all) {
      EXPECT_EQ(fi.size, 644520);
      EXPECT_EQ(fi.erasure.data_blocks, 3);
      EXPECT_EQ(fi.erasure.parity_blocks, 2);
      EXPECT_EQ(fi.erasure.block_size, 1 << 20);
      EXPECT_EQ(fi.erasure.distribution, (std::vector<int>{3, 4, 5, 1, 2}));
      EXPECT_EQ(fi.erasure.index, d.index);
      EXPECT_EQ(fi.metadata.at("etag"), "9587ddd31fead633830366f45d221d56");
      EXPECT_EQ(fi.metadata.at("content-type"), "application/octet-stream");
      ASSERT_EQ(fi.parts.size(), 1u);
      EXPECT_EQ(fi.parts[0].size, 644520);
      EXPECT_TRUE(fs::exists(kCorpus + "/disk" + std::to_string(d.disk) + "/bucket/testobj/" +
                             fi.data_dir));
    }
    expect_round_trip(x);

    // Our version signature equals MinIO's: rebuild the latest version from its FileInfo
    // and find MinIO's 4-byte header signature (v2 header: bin8(4) at offset 46) in ours.
    ASSERT_EQ(static_cast<uint8_t>(raw[46]), 0xc4);
    ASSERT_EQ(static_cast<uint8_t>(raw[47]), 0x04);
    const std::string minio_sig = raw.substr(46, 6);
    XlMeta rebuilt;
    ASSERT_TRUE(rebuilt.add_version(all[0]).is_ok());
    EXPECT_NE(rebuilt.serialize().find(minio_sig), std::string::npos);
  }
}

}  // namespace
}  // namespace maxio
