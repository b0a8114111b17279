#pragma once
// StorageApi: one drive as the erasure engine sees it (MinIO's StorageAPI): volumes
// (buckets and .minio.sys), xl.meta versions, part files and small files. LocalDrive is the
// POSIX implementation; a remote drive (internode RPC) implements the same interface.
// Implementations are thread-safe; readers and writers they return are used by one thread.

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "daemon/storage/xlmeta/file_info.h"
#include "shared/util/io.h"
#include "shared/util/status.h"

namespace maxio {

// The reserved volume holding format.json, tmp/, multipart/, buckets/ and config/.
inline constexpr std::string_view kMinioMetaVolume = ".minio.sys";
// Sub-paths of kMinioMetaVolume.
inline constexpr std::string_view kMinioTmpDir = "tmp";
inline constexpr std::string_view kMinioMultipartDir = "multipart";
inline constexpr std::string_view kMinioBucketsDir = "buckets";
inline constexpr std::string_view kFormatFile = "format.json";
// The metadata file of every object directory.
inline constexpr std::string_view kXlMetaFile = "xl.meta";

struct VolInfo {
  std::string name;
  std::chrono::system_clock::time_point created;
};

struct DiskInfo {
  uint64_t total = 0;  // bytes
  uint64_t free = 0;
  uint64_t used = 0;
  std::string mount_path;
};

// A streaming writer of one file; bytes are durable only after close() succeeds.
class FileWriter : public Writer {
 public:
  // Flushes (fsync) and closes. Destroying an unclosed writer closes without fsync.
  virtual Status close() = 0;
};

// A seekable reader of one file, opened once: later renames or unlinks of the path do not
// change what it returns.
class FileReader : public Reader {
 public:
  virtual uint64_t size() const = 0;
  // Moves the read position to `offset` (<= size()).
  virtual Status seek(uint64_t offset) = 0;
};

// A FileReader over bytes held in memory (inline data).
std::unique_ptr<FileReader> new_memory_file_reader(std::string data);

// Paths are relative to a volume, '/'-separated; every segment is checked: no "", ".",
// "..", NUL, or leading '/'; nothing reaches outside the drive root (kInvalidArgument,
// kFileNameTooLong for a segment over 255 bytes). Errors: kVolumeNotFound for a missing
// volume, kFileNotFound for a missing file, kDriveFull, kDriveAccessDenied, kIo.
class StorageApi {
 public:
  StorageApi() = default;
  StorageApi(const StorageApi&) = delete;
  StorageApi& operator=(const StorageApi&) = delete;
  virtual ~StorageApi() = default;

  // A printable name of the drive (its path or URL).
  virtual std::string endpoint() const = 0;
  virtual Result<DiskInfo> disk_info() = 0;

  // Volumes. make_vol fails with kVolumeExists; delete_vol with kVolumeNotEmpty unless force.
  // list_vols returns every top-level directory, including kMinioMetaVolume, unsorted.
  virtual Status make_vol(const std::string& volume) = 0;
  virtual Result<std::vector<VolInfo>> list_vols() = 0;
  virtual Result<VolInfo> stat_vol(const std::string& volume) = 0;
  virtual Status delete_vol(const std::string& volume, bool force) = 0;

  // Object metadata. `path` is the object directory holding xl.meta.
  // read_version: version_id "" = latest, "null" = the null version; kFileNotFound without
  // xl.meta, kFileVersionNotFound for a missing version, kFileCorrupt when unparsable;
  // read_data fills FileInfo::data with the inline payload.
  virtual Result<FileInfo> read_version(const std::string& volume, const std::string& path,
                                        const std::string& version_id, bool read_data) = 0;
  // The raw bytes of path/xl.meta.
  virtual Result<std::string> read_xl(const std::string& volume, const std::string& path) = 0;
  // Adds or replaces fi's version in path/xl.meta (creating it), atomically.
  virtual Status write_metadata(const std::string& volume, const std::string& path,
                                const FileInfo& fi) = 0;
  // Commits a version written under src_volume/src_path (holding fi.data_dir/part.N unless
  // fi is inline): merges fi into dst_path/xl.meta, moves the data directory into
  // dst_path, renames xl.meta into place last (durably), then removes src_path. A crash
  // leaves the old version or the new one. The data directory of the version fi replaced
  // stays until remove_unreferenced_data: the erasure layer keeps it until the new version
  // has quorum, so a commit cut short on some drives can still fall back to it.
  virtual Status rename_data(const std::string& src_volume, const std::string& src_path,
                             const FileInfo& fi, const std::string& dst_volume,
                             const std::string& dst_path) = 0;
  // Removes the data directories in object directory `path` that no version of its xl.meta
  // references (all of them when there is no xl.meta). Ok when `path` does not exist.
  virtual Status remove_unreferenced_data(const std::string& volume, const std::string& path) = 0;
  // Removes fi.version_id from path/xl.meta with its data directory; when no version is
  // left, removes xl.meta and then every now-empty directory from path up to (not
  // including) the volume.
  virtual Status delete_version(const std::string& volume, const std::string& path,
                                const FileInfo& fi) = 0;

  // Part files. create_file makes missing parent directories and truncates.
  virtual Result<std::unique_ptr<FileWriter>> create_file(const std::string& volume,
                                                          const std::string& path) = 0;
  virtual Result<std::unique_ptr<FileReader>> open_file(const std::string& volume,
                                                        const std::string& path) = 0;
  // Ok when path is a regular file, kFileNotFound otherwise.
  virtual Status check_file(const std::string& volume, const std::string& path) = 0;
  // Renames the file src into dst (making dst's missing parent directories, replacing a
  // file there) durably, then removes src's parents up to the volume while they are empty
  // (MinIO's RenameFile). kFileNotFound when src is missing.
  virtual Status rename_file(const std::string& src_volume, const std::string& src_path,
                             const std::string& dst_volume, const std::string& dst_path) = 0;

  // Small files (format.json, configs): whole-file read, and atomic replace via tmp/.
  virtual Result<std::string> read_all(const std::string& volume, const std::string& path) = 0;
  virtual Status write_all(const std::string& volume, const std::string& path,
                           std::string_view data) = 0;

  // Removes a file or directory (recursive: with its contents), then the now-empty parent
  // directories up to the volume. A missing path is kFileNotFound.
  virtual Status delete_path(const std::string& volume, const std::string& path,
                             bool recursive) = 0;
  // Entries of a directory ("" = the volume root), unsorted; directories end with '/'.
  // Symbolic links and special files are left out.
  virtual Result<std::vector<std::string>> list_dir(const std::string& volume,
                                                    const std::string& dir_path) = 0;
};

}  // namespace maxio
