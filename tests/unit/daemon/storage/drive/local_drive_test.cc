#include "daemon/storage/drive/local_drive.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "daemon/storage/xlmeta/xl_meta.h"
#include "shared/util/uuid.h"

namespace maxio {
namespace {

namespace fs = std::filesystem;

class LocalDriveTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/maxio-drive-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    base_ = tmpl;
    root_ = base_ + "/drive";
    auto drive = open_local_drive(root_);
    ASSERT_TRUE(drive.is_ok()) << drive.status().to_string();
    drive_ = std::move(*drive);
  }
  void TearDown() override { fs::remove_all(base_); }

  static FileInfo inline_version(std::string payload) {
    FileInfo fi;
    fi.data_dir = new_uuid();
    fi.mod_time = std::chrono::system_clock::now();
    fi.size = static_cast<int64_t>(payload.size());
    fi.metadata["etag"] = "0123";
    fi.erasure.distribution = {1};
    fi.erasure.checksums = {ChecksumInfo{}};
    fi.parts = {ObjectPartInfo{}};
    fi.parts[0].size = fi.size;
    fi.parts[0].actual_size = fi.size;
    fi.system_metadata["x-minio-internal-inline-data"] = "true";
    fi.data = std::move(payload);
    return fi;
  }

  std::string base_;
  std::string root_;
  std::unique_ptr<StorageApi> drive_;
};

TEST(PathValidationTest, RejectsEveryEscape) {
  for (const char* bad : {"", ".", "..", "a/b", "/a"}) {
    EXPECT_FALSE(validate_path_segment(bad).is_ok()) << bad;
  }
  EXPECT_FALSE(validate_path_segment(std::string("a\0b", 3)).is_ok());
  EXPECT_EQ(validate_path_segment(std::string(256, 'x')).code(), ErrorCode::kFileNameTooLong);
  EXPECT_TRUE(validate_path_segment(std::string(255, 'x')).is_ok());
  for (const char* bad :
       {"/etc/passwd", "../x", "a/../../x", "a/./b", "a//b", "a/", "./a", "..", "a/.."}) {
    EXPECT_FALSE(validate_relative_path(bad, false).is_ok()) << bad;
  }
  EXPECT_FALSE(validate_relative_path("", false).is_ok());
  EXPECT_TRUE(validate_relative_path("", true).is_ok());
  EXPECT_TRUE(validate_relative_path("a/b.c/..d/e..", false).is_ok());
}

TEST_F(LocalDriveTest, NoOperationEscapesTheRoot) {
  ASSERT_TRUE(drive_->make_vol("bucket").is_ok());
  for (const char* vol : {"..", ".", "", "a/b", "/tmp"}) {
    EXPECT_FALSE(drive_->make_vol(vol).is_ok()) << vol;
    EXPECT_FALSE(drive_->stat_vol(vol).is_ok()) << vol;
    EXPECT_FALSE(drive_->write_all(vol, "x", "data").is_ok()) << vol;
    EXPECT_FALSE(drive_->delete_vol(vol, true).is_ok()) << vol;
  }
  for (const std::string& path : std::vector<std::string>{
           "../escape", "a/../../escape", "/tmp/escape", "a//b", "./x", std::string("a\0b", 3)}) {
    EXPECT_FALSE(drive_->write_all("bucket", path, "data").is_ok()) << path;
    EXPECT_FALSE(drive_->create_file("bucket", path).is_ok()) << path;
    EXPECT_FALSE(drive_->read_all("bucket", path).is_ok()) << path;
    EXPECT_FALSE(drive_->open_file("bucket", path).is_ok()) << path;
    EXPECT_FALSE(drive_->delete_path("bucket", path, true).is_ok()) << path;
    EXPECT_FALSE(drive_->list_dir("bucket", path).is_ok()) << path;
    EXPECT_FALSE(drive_->read_version("bucket", path, "", false).is_ok()) << path;
  }
  EXPECT_FALSE(fs::exists(base_ + "/escape"));
  EXPECT_FALSE(fs::exists("/tmp/escape"));
}

TEST_F(LocalDriveTest, StartUpCreatesMetaDirsAndRemovesTmpLeftovers) {
  for (const char* dir : {"tmp", "multipart", "buckets"}) {
    EXPECT_TRUE(fs::is_directory(root_ + "/.minio.sys/" + dir)) << dir;
  }
  fs::create_directories(root_ + "/.minio.sys/tmp/leftover/data");
  std::ofstream(root_ + "/.minio.sys/tmp/leftover/data/part.1") << "junk";
  std::ofstream(root_ + "/.minio.sys/tmp/file") << "junk";
  auto again = open_local_drive(root_);
  ASSERT_TRUE(again.is_ok());
  EXPECT_TRUE(fs::is_empty(root_ + "/.minio.sys/tmp"));
}

TEST_F(LocalDriveTest, Volumes) {
  EXPECT_EQ(drive_->stat_vol("b").code(), ErrorCode::kVolumeNotFound);
  ASSERT_TRUE(drive_->make_vol("b").is_ok());
  EXPECT_EQ(drive_->make_vol("b").code(), ErrorCode::kVolumeExists);
  auto info = drive_->stat_vol("b");
  ASSERT_TRUE(info.is_ok());
  EXPECT_EQ(info->name, "b");
  auto vols = drive_->list_vols();
  ASSERT_TRUE(vols.is_ok());
  EXPECT_EQ(vols->size(), 2u);  // b and .minio.sys
  ASSERT_TRUE(drive_->write_all("b", "x/y", "1").is_ok());
  EXPECT_EQ(drive_->delete_vol("b", false).code(), ErrorCode::kVolumeNotEmpty);
  EXPECT_TRUE(drive_->delete_vol("b", true).is_ok());
  EXPECT_EQ(drive_->stat_vol("b").code(), ErrorCode::kVolumeNotFound);
  EXPECT_TRUE(fs::is_empty(root_ + "/.minio.sys/tmp"));
}

TEST_F(LocalDriveTest, SmallFilesAndPartFiles) {
  ASSERT_TRUE(drive_->make_vol("b").is_ok());
  ASSERT_TRUE(drive_->write_all("b", "dir/f", "hello").is_ok());
  auto data = drive_->read_all("b", "dir/f");
  ASSERT_TRUE(data.is_ok());
  EXPECT_EQ(*data, "hello");
  EXPECT_EQ(drive_->read_all("b", "dir/g").code(), ErrorCode::kFileNotFound);
  EXPECT_EQ(drive_->read_all("nob", "dir/g").code(), ErrorCode::kVolumeNotFound);

  auto writer = drive_->create_file("b", "p/q/part.1");
  ASSERT_TRUE(writer.is_ok());
  ASSERT_TRUE((*writer)->write("abcdef").is_ok());
  ASSERT_TRUE((*writer)->close().is_ok());
  auto reader = drive_->open_file("b", "p/q/part.1");
  ASSERT_TRUE(reader.is_ok());
  EXPECT_EQ((*reader)->size(), 6u);
  ASSERT_TRUE((*reader)->seek(2).is_ok());
  char buf[8];
  auto n = (*reader)->read(buf, sizeof buf);
  ASSERT_TRUE(n.is_ok());
  EXPECT_EQ(std::string(buf, *n), "cdef");
  EXPECT_TRUE(drive_->check_file("b", "p/q/part.1").is_ok());
  EXPECT_EQ(drive_->check_file("b", "p/q").code(), ErrorCode::kFileNotFound);

  auto entries = drive_->list_dir("b", "");
  ASSERT_TRUE(entries.is_ok());
  std::sort(entries->begin(), entries->end());
  EXPECT_EQ(*entries, (std::vector<std::string>{"dir/", "p/"}));

  // Deleting removes now-empty parents, never the volume.
  ASSERT_TRUE(drive_->delete_path("b", "p/q/part.1", false).is_ok());
  EXPECT_FALSE(fs::exists(root_ + "/b/p"));
  ASSERT_TRUE(drive_->delete_path("b", "dir", true).is_ok());
  EXPECT_TRUE(fs::is_directory(root_ + "/b"));
  EXPECT_TRUE(fs::is_empty(root_ + "/b"));
}

TEST_F(LocalDriveTest, RenameDataCommitsAndReplaces) {
  ASSERT_TRUE(drive_->make_vol("b").is_ok());
  // A non-inline version staged in tmp.
  FileInfo big = inline_version("");
  big.system_metadata.clear();
  big.size = 3;
  {
    auto w = drive_->create_file(".minio.sys", "tmp/t1/" + big.data_dir + "/part.1");
    ASSERT_TRUE(w.is_ok());
    ASSERT_TRUE((*w)->write("xyz").is_ok());
    ASSERT_TRUE((*w)->close().is_ok());
  }
  ASSERT_TRUE(drive_->rename_data(".minio.sys", "tmp/t1", big, "b", "obj/key").is_ok()) << "rename";
  EXPECT_TRUE(fs::exists(root_ + "/b/obj/key/xl.meta"));
  EXPECT_TRUE(fs::exists(root_ + "/b/obj/key/" + big.data_dir + "/part.1"));
  EXPECT_FALSE(fs::exists(root_ + "/.minio.sys/tmp/t1"));
  EXPECT_TRUE(fs::exists(root_ + "/.minio.sys/tmp"));

  // Replacing it with an inline version keeps the old data dir until the caller says the
  // new version is safe; then it goes.
  FileInfo small = inline_version("hello");
  ASSERT_TRUE(drive_->rename_data(".minio.sys", "tmp/t2", small, "b", "obj/key").is_ok());
  EXPECT_TRUE(fs::exists(root_ + "/b/obj/key/" + big.data_dir));
  ASSERT_TRUE(drive_->remove_unreferenced_data("b", "obj/key").is_ok());
  EXPECT_FALSE(fs::exists(root_ + "/b/obj/key/" + big.data_dir));
  EXPECT_TRUE(drive_->remove_unreferenced_data("b", "no/such/object").is_ok());
  auto fi = drive_->read_version("b", "obj/key", "", true);
  ASSERT_TRUE(fi.is_ok()) << fi.status().to_string();
  EXPECT_EQ(fi->data, "hello");
  EXPECT_EQ(fi->size, 5);
  auto raw = drive_->read_xl("b", "obj/key");
  ASSERT_TRUE(raw.is_ok());
  auto meta = XlMeta::parse(*raw);
  ASSERT_TRUE(meta.is_ok());
  EXPECT_EQ(meta->version_count(), 1u);

  // Deleting the only version removes the object directory and its empty parents.
  ASSERT_TRUE(drive_->delete_version("b", "obj/key", FileInfo{}).is_ok());
  EXPECT_FALSE(fs::exists(root_ + "/b/obj"));
  EXPECT_TRUE(fs::is_directory(root_ + "/b"));
  EXPECT_EQ(drive_->read_version("b", "obj/key", "", false).code(), ErrorCode::kFileNotFound);
}

TEST_F(LocalDriveTest, DiskInfo) {
  auto info = drive_->disk_info();
  ASSERT_TRUE(info.is_ok());
  EXPECT_GT(info->total, 0u);
  EXPECT_EQ(info->mount_path, root_);
}

}  // namespace
}  // namespace maxio
