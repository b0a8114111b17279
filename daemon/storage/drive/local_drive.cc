#include "daemon/storage/drive/local_drive.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <set>
#include <system_error>

#include "daemon/storage/drive/layout.h"
#include "daemon/storage/xlmeta/xl_meta.h"
#include "shared/util/log.h"
#include "shared/util/uuid.h"

namespace maxio {

namespace {

using Clock = std::chrono::system_clock;

Status errno_status(int err, const std::string& what) {
  std::string msg = what + ": " + std::strerror(err);
  switch (err) {
    case ENOENT:
    case ENOTDIR:
      return Status(ErrorCode::kFileNotFound, msg);
    case ENOSPC:
    case EDQUOT:
      return Status(ErrorCode::kDriveFull, msg);
    case EACCES:
    case EPERM:
    case EROFS:
      return Status(ErrorCode::kDriveAccessDenied, msg);
    case ENAMETOOLONG:
      return Status(ErrorCode::kFileNameTooLong, msg);
    case EISDIR:
      return Status(ErrorCode::kIsNotRegular, msg);
    case ENOTEMPTY:
    case EEXIST:
      return Status(ErrorCode::kVolumeNotEmpty, msg);
    default:
      return Status(ErrorCode::kIo, msg);
  }
}

Clock::time_point to_time_point(const struct statx_timestamp& ts) {
  return Clock::time_point(std::chrono::duration_cast<Clock::duration>(
      std::chrono::seconds(ts.tv_sec) + std::chrono::nanoseconds(ts.tv_nsec)));
}

// Creation time of a directory: birth time where the file system records it, else mtime.
Result<Clock::time_point> creation_time(const std::string& path) {
  struct statx stx;
  if (::statx(AT_FDCWD, path.c_str(), AT_SYMLINK_NOFOLLOW, STATX_BTIME | STATX_MTIME | STATX_TYPE,
              &stx) != 0) {
    return errno_status(errno, "statx " + path);
  }
  if (!S_ISDIR(stx.stx_mode)) return Status(ErrorCode::kFileNotFound, path + " is not a directory");
  if (stx.stx_mask & STATX_BTIME) return to_time_point(stx.stx_btime);
  return to_time_point(stx.stx_mtime);
}

Status fsync_path(const std::string& path, bool sync) {
  if (!sync) return Status::ok();
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_DIRECTORY);
  if (fd < 0) return errno_status(errno, "open " + path);
  int rc = ::fsync(fd);
  int err = errno;
  ::close(fd);
  if (rc != 0) return errno_status(err, "fsync " + path);
  return Status::ok();
}

std::string parent_of(const std::string& path) {
  auto pos = path.rfind('/');
  return pos == std::string::npos ? std::string() : path.substr(0, pos);
}

// mkdir -p of `rel` (relative, validated) below `base` (existing).
Status make_dirs(const std::string& base, std::string_view rel, bool sync) {
  std::string cur = base;
  size_t start = 0;
  while (start < rel.size()) {
    size_t end = rel.find('/', start);
    if (end == std::string_view::npos) end = rel.size();
    cur += "/";
    cur.append(rel.substr(start, end - start));
    if (::mkdir(cur.c_str(), 0755) == 0) {
      // Make the new entry durable, so a committed object's directory survives a crash.
      MAXIO_RETURN_IF_ERROR(fsync_path(parent_of(cur), sync));
    } else if (errno != EEXIST) {
      return errno_status(errno, "mkdir " + cur);
    }
    struct stat st;
    if (::lstat(cur.c_str(), &st) != 0) return errno_status(errno, "stat " + cur);
    if (!S_ISDIR(st.st_mode)) {
      return Status(ErrorCode::kIsNotRegular, cur + " exists and is not a directory");
    }
    start = end + 1;
  }
  return Status::ok();
}

Status write_file_durably(const std::string& path, std::string_view data, bool sync) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
  if (fd < 0) return errno_status(errno, "create " + path);
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      int err = errno;
      ::close(fd);
      return errno_status(err, "write " + path);
    }
    done += static_cast<size_t>(n);
  }
  if (sync && ::fsync(fd) != 0) {
    int err = errno;
    ::close(fd);
    return errno_status(err, "fsync " + path);
  }
  if (::close(fd) != 0) return errno_status(errno, "close " + path);
  return Status::ok();
}

Result<std::string> read_file(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) return errno_status(errno, "open " + path);
  struct stat st;
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return Status(ErrorCode::kFileNotFound, path + " is not a regular file");
  }
  std::string out;
  out.resize(static_cast<size_t>(st.st_size));
  size_t done = 0;
  while (true) {
    if (done == out.size()) out.resize(out.size() + 4096);
    ssize_t n = ::read(fd, out.data() + done, out.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      int err = errno;
      ::close(fd);
      return errno_status(err, "read " + path);
    }
    if (n == 0) break;
    done += static_cast<size_t>(n);
  }
  ::close(fd);
  out.resize(done);
  return out;
}

class LocalFileWriter final : public FileWriter {
 public:
  LocalFileWriter(int fd, std::string path, bool sync)
      : fd_(fd), path_(std::move(path)), sync_(sync) {}
  ~LocalFileWriter() override {
    if (fd_ >= 0) ::close(fd_);
  }
  using Writer::write;
  Status write(const char* data, size_t size) override {
    if (fd_ < 0) return Status(ErrorCode::kInternal, "write after close");
    while (size > 0) {
      ssize_t n = ::write(fd_, data, size);
      if (n < 0) {
        if (errno == EINTR) continue;
        return errno_status(errno, "write " + path_);
      }
      data += n;
      size -= static_cast<size_t>(n);
    }
    return Status::ok();
  }
  Status close() override {
    if (fd_ < 0) return Status::ok();
    int fd = fd_;
    fd_ = -1;
    if (sync_ && ::fsync(fd) != 0) {
      int err = errno;
      ::close(fd);
      return errno_status(err, "fsync " + path_);
    }
    if (::close(fd) != 0) return errno_status(errno, "close " + path_);
    return Status::ok();
  }

 private:
  int fd_;
  std::string path_;
  bool sync_;
};

class LocalFileReader final : public FileReader {
 public:
  LocalFileReader(int fd, uint64_t size, std::string path)
      : fd_(fd), size_(size), path_(std::move(path)) {}
  ~LocalFileReader() override { ::close(fd_); }
  uint64_t size() const override { return size_; }
  Status seek(uint64_t offset) override {
    if (offset > size_) return Status(ErrorCode::kInvalidArgument, "seek past end of " + path_);
    offset_ = offset;
    return Status::ok();
  }
  Result<size_t> read(char* buffer, size_t size) override {
    while (true) {
      ssize_t n = ::pread(fd_, buffer, size, static_cast<off_t>(offset_));
      if (n < 0) {
        if (errno == EINTR) continue;
        return errno_status(errno, "read " + path_);
      }
      offset_ += static_cast<uint64_t>(n);
      return static_cast<size_t>(n);
    }
  }

 private:
  int fd_;
  uint64_t size_;
  uint64_t offset_ = 0;
  std::string path_;
};

class MemoryFileReader final : public FileReader {
 public:
  explicit MemoryFileReader(std::string data) : data_(std::move(data)) {}
  uint64_t size() const override { return data_.size(); }
  Status seek(uint64_t offset) override {
    if (offset > data_.size()) return Status(ErrorCode::kInvalidArgument, "seek past end");
    offset_ = offset;
    return Status::ok();
  }
  Result<size_t> read(char* buffer, size_t size) override {
    size_t n = std::min(size, data_.size() - static_cast<size_t>(offset_));
    std::memcpy(buffer, data_.data() + offset_, n);
    offset_ += n;
    return n;
  }

 private:
  std::string data_;
  uint64_t offset_ = 0;
};

class LocalDrive final : public StorageApi {
 public:
  LocalDrive(std::string root, const LocalDriveOptions& options)
      : root_(std::move(root)), sync_(options.sync) {}

  Status init() {
    std::error_code ec;
    std::filesystem::create_directories(root_, ec);
    if (ec) return Status(ErrorCode::kDriveAccessDenied, "create " + root_ + ": " + ec.message());
    if (!std::filesystem::is_directory(root_, ec)) {
      return Status(ErrorCode::kDriveNotFound, root_ + " is not a directory");
    }
    for (std::string_view dir : {kMinioTmpDir, kMinioMultipartDir, kMinioBucketsDir}) {
      MAXIO_RETURN_IF_ERROR(
          make_dirs(root_, std::string(kMinioMetaVolume) + "/" + std::string(dir), sync_));
    }
    // Leftovers of interrupted writes: never part of a committed object.
    std::string tmp = tmp_root();
    for (const auto& entry : std::filesystem::directory_iterator(tmp, ec)) {
      std::error_code rm_ec;
      std::filesystem::remove_all(entry.path(), rm_ec);
      if (rm_ec) log_warning("cannot remove " + entry.path().string() + ": " + rm_ec.message());
    }
    if (ec) return Status(ErrorCode::kIo, "list " + tmp + ": " + ec.message());
    return Status::ok();
  }

  std::string endpoint() const override { return root_; }

  Result<DiskInfo> disk_info() override {
    struct statvfs vfs;
    if (::statvfs(root_.c_str(), &vfs) != 0) return errno_status(errno, "statvfs " + root_);
    DiskInfo info;
    info.total = static_cast<uint64_t>(vfs.f_blocks) * vfs.f_frsize;
    info.free = static_cast<uint64_t>(vfs.f_bavail) * vfs.f_frsize;
    info.used = info.total - static_cast<uint64_t>(vfs.f_bfree) * vfs.f_frsize;
    info.mount_path = root_;
    return info;
  }

  Status make_vol(const std::string& volume) override {
    MAXIO_TRY(std::string path, vol_path(volume));
    if (::mkdir(path.c_str(), 0755) != 0) {
      if (errno == EEXIST) return Status(ErrorCode::kVolumeExists, volume);
      return errno_status(errno, "mkdir " + path);
    }
    return fsync_path(root_, sync_);
  }

  Result<std::vector<VolInfo>> list_vols() override {
    MAXIO_TRY(auto names, read_dir(root_));
    std::vector<VolInfo> vols;
    for (auto& name : names) {
      if (name.empty() || name.back() != '/') continue;
      name.pop_back();
      auto created = creation_time(root_ + "/" + name);
      if (!created) continue;
      vols.push_back(VolInfo{name, *created});
    }
    return vols;
  }

  Result<VolInfo> stat_vol(const std::string& volume) override {
    MAXIO_TRY(std::string path, vol_path(volume));
    auto created = creation_time(path);
    if (!created) {
      if (created.code() == ErrorCode::kFileNotFound) {
        return missing_volume(volume);
      }
      return created.status();
    }
    return VolInfo{volume, *created};
  }

  Status delete_vol(const std::string& volume, bool force) override {
    MAXIO_TRY(std::string path, vol_path(volume));
    if (::rmdir(path.c_str()) == 0) return Status::ok();
    int err = errno;
    if (err == ENOENT) return missing_volume(volume);
    if (err != ENOTEMPTY && err != EEXIST) return errno_status(err, "rmdir " + path);
    if (!force) return Status(ErrorCode::kVolumeNotEmpty, volume);
    // Move it away first so the volume disappears atomically, then delete at leisure.
    std::string trash = tmp_root() + "/" + new_uuid();
    if (::rename(path.c_str(), trash.c_str()) != 0) return errno_status(errno, "rename " + path);
    std::error_code ec;
    std::filesystem::remove_all(trash, ec);
    if (ec) log_warning("cannot remove " + trash + ": " + ec.message());
    return Status::ok();
  }

  Result<FileInfo> read_version(const std::string& volume, const std::string& path,
                                const std::string& version_id, bool read_data) override {
    MAXIO_TRY(std::string bytes, read_xl(volume, path));
    MAXIO_TRY(XlMeta meta, XlMeta::parse(bytes));
    return meta.file_info(volume, path, version_id, read_data);
  }

  Result<std::string> read_xl(const std::string& volume, const std::string& path) override {
    MAXIO_TRY(std::string dir, file_path(volume, path, /*allow_empty=*/false));
    auto bytes = read_file(dir + "/" + std::string(kXlMetaFile));
    if (!bytes) return not_found_or_volume(bytes.status(), volume);
    return bytes;
  }

  Status write_metadata(const std::string& volume, const std::string& path,
                        const FileInfo& fi) override {
    MAXIO_TRY(std::string dir, file_path(volume, path, false));
    MAXIO_TRY(XlMeta meta, load_meta(dir));
    MAXIO_RETURN_IF_ERROR(meta.add_version(fi));
    MAXIO_RETURN_IF_ERROR(ensure_volume(volume));
    std::string tmp_dir = tmp_root() + "/" + new_uuid();
    if (::mkdir(tmp_dir.c_str(), 0755) != 0) return errno_status(errno, "mkdir " + tmp_dir);
    std::string tmp_file = tmp_dir + "/" + std::string(kXlMetaFile);
    Status st = write_file_durably(tmp_file, meta.serialize(), sync_);
    if (st) st = make_dirs(vol_root(volume), path, sync_);
    if (st) st = rename_durably(tmp_file, dir + "/" + std::string(kXlMetaFile));
    std::error_code ec;
    std::filesystem::remove_all(tmp_dir, ec);
    return st;
  }

  Status rename_data(const std::string& src_volume, const std::string& src_path, const FileInfo& fi,
                     const std::string& dst_volume, const std::string& dst_path) override {
    MAXIO_TRY(std::string src_dir, file_path(src_volume, src_path, false));
    MAXIO_TRY(std::string dst_dir, file_path(dst_volume, dst_path, false));
    MAXIO_RETURN_IF_ERROR(ensure_volume(dst_volume));
    MAXIO_TRY(XlMeta meta, load_meta(dst_dir));

    MAXIO_RETURN_IF_ERROR(meta.add_version(fi));

    MAXIO_RETURN_IF_ERROR(make_dirs(vol_root(src_volume), src_path, sync_));
    std::string src_meta = src_dir + "/" + std::string(kXlMetaFile);
    MAXIO_RETURN_IF_ERROR(write_file_durably(src_meta, meta.serialize(), sync_));
    std::string src_data;
    if (!fi.data_dir.empty() && !fi.inline_data()) {
      MAXIO_RETURN_IF_ERROR(validate_path_segment(fi.data_dir));
      struct stat st;
      std::string candidate = src_dir + "/" + fi.data_dir;
      if (::lstat(candidate.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) src_data = candidate;
    }
    const std::string dst_meta = dst_dir + "/" + std::string(kXlMetaFile);
    // Until something is renamed into it, dst_dir and its new parents are empty, and a
    // concurrent delete of a sibling key may rmdir them: make them again and retry.
    constexpr int kAttempts = 8;
    bool moved_data = false;
    std::string replaced_data;  // a damaged copy of the same data directory, set aside
    for (int attempt = 1;; ++attempt) {
      const bool may_retry = attempt < kAttempts && !moved_data;
      Status made = make_dirs(vol_root(dst_volume), dst_path, sync_);
      if (!made) {
        if (made.code() == ErrorCode::kFileNotFound && may_retry) continue;
        if (moved_data) remove_moved_data(dst_dir, fi.data_dir);
        return made;
      }
      if (!src_data.empty() && !moved_data) {
        std::string dst_data = dst_dir + "/" + fi.data_dir;
        // Healing rewrites a version's shard into the data directory it already names:
        // the damaged copy moves aside to tmp first (a directory cannot be renamed over a
        // non-empty one).
        struct stat existing;
        if (::lstat(dst_data.c_str(), &existing) == 0) {
          replaced_data = tmp_root() + "/" + new_uuid();
          if (::rename(dst_data.c_str(), replaced_data.c_str()) != 0) {
            return errno_status(errno, "rename " + dst_data);
          }
        }
        if (::rename(src_data.c_str(), dst_data.c_str()) != 0) {
          int err = errno;
          if (err == ENOENT && may_retry) continue;
          return errno_status(err, "rename " + src_data);
        }
        moved_data = true;
      }
      if (::rename(src_meta.c_str(), dst_meta.c_str()) != 0) {
        int err = errno;
        if (err == ENOENT && may_retry) continue;
        if (moved_data) remove_moved_data(dst_dir, fi.data_dir);
        return errno_status(err, "rename " + src_meta + " -> " + dst_meta);
      }
      break;
    }
    // Committed: from here on the new data directory is referenced and must stay.
    Status synced = fsync_path(dst_dir, sync_);
    if (!synced) return synced;
    std::error_code ec;
    std::filesystem::remove_all(src_dir, ec);
    if (!replaced_data.empty()) std::filesystem::remove_all(replaced_data, ec);
    return Status::ok();
  }

  static void remove_moved_data(const std::string& dst_dir, const std::string& data_dir) {
    std::error_code ec;
    std::filesystem::remove_all(dst_dir + "/" + data_dir, ec);
  }

  // After a commit: removes the data directories no version of `meta` references: the
  // replaced version's, and any a crash left between moving a new one in and renaming
  // xl.meta. Best effort; a failure leaves only unused space.
  void remove_unreferenced_data_dirs(const std::string& volume, const std::string& path,
                                     const std::string& dir, const XlMeta& meta) {
    auto entries = list_dir(volume, path);
    if (!entries) return;
    std::set<std::string> referenced;
    for (const auto& version : meta.versions(volume, path, false)) {
      if (!version.data_dir.empty()) referenced.insert(version.data_dir);
    }
    for (std::string name : *entries) {
      if (name.empty() || name.back() != '/') continue;
      name.pop_back();
      if (referenced.count(name)) continue;
      auto inside = list_dir(volume, path + "/" + name);
      if (!inside || !is_data_dir(name, *inside)) continue;
      std::error_code ec;
      std::filesystem::remove_all(dir + "/" + name, ec);
    }
  }

  Status remove_unreferenced_data(const std::string& volume, const std::string& path) override {
    MAXIO_TRY(std::string dir, file_path(volume, path, false));
    struct stat st;
    if (::stat(dir.c_str(), &st) != 0) {
      if (errno == ENOENT) return Status::ok();
      return errno_status(errno, "stat " + dir);
    }
    XlMeta meta;
    auto bytes = read_file(dir + "/" + std::string(kXlMetaFile));
    if (bytes) {
      auto parsed = XlMeta::parse(*bytes);
      if (!parsed) return Status::ok();  // never judge data by a corrupt xl.meta
      meta = std::move(*parsed);
    } else if (bytes.code() != ErrorCode::kFileNotFound) {
      return bytes.status();
    }
    remove_unreferenced_data_dirs(volume, path, dir, meta);
    return Status::ok();
  }

  Status delete_version(const std::string& volume, const std::string& path,
                        const FileInfo& fi) override {
    MAXIO_TRY(std::string dir, file_path(volume, path, false));
    MAXIO_TRY(std::string bytes, read_xl(volume, path));
    MAXIO_TRY(XlMeta meta, XlMeta::parse(bytes));
    MAXIO_TRY(std::string freed_data_dir, meta.delete_version(fi.version_id));
    std::string meta_path = dir + "/" + std::string(kXlMetaFile);
    if (meta.empty()) {
      // The object disappears with this unlink; the rest is clean-up.
      if (::unlink(meta_path.c_str()) != 0) return errno_status(errno, "unlink " + meta_path);
      Status synced = fsync_path(dir, sync_);
      if (!synced) log_warning(synced.to_string());
    } else {
      std::string tmp_dir = tmp_root() + "/" + new_uuid();
      if (::mkdir(tmp_dir.c_str(), 0755) != 0) return errno_status(errno, "mkdir " + tmp_dir);
      std::string tmp_file = tmp_dir + "/" + std::string(kXlMetaFile);
      Status st = write_file_durably(tmp_file, meta.serialize(), sync_);
      if (st) st = rename_durably(tmp_file, meta_path);
      std::error_code ec;
      std::filesystem::remove_all(tmp_dir, ec);
      MAXIO_RETURN_IF_ERROR(st);
    }
    if (!freed_data_dir.empty() && validate_path_segment(freed_data_dir).is_ok()) {
      std::error_code ec;
      std::filesystem::remove_all(dir + "/" + freed_data_dir, ec);
    }
    if (meta.empty()) remove_empty_dirs(volume, path);
    return Status::ok();
  }

  Result<std::unique_ptr<FileWriter>> create_file(const std::string& volume,
                                                  const std::string& path) override {
    MAXIO_TRY(std::string full, file_path(volume, path, false));
    MAXIO_RETURN_IF_ERROR(ensure_volume(volume));
    std::string parent = parent_of(path);
    if (!parent.empty()) MAXIO_RETURN_IF_ERROR(make_dirs(vol_root(volume), parent, sync_));
    int fd = ::open(full.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
    if (fd < 0) return errno_status(errno, "create " + full);
    return std::unique_ptr<FileWriter>(new LocalFileWriter(fd, full, sync_));
  }

  Result<std::unique_ptr<FileReader>> open_file(const std::string& volume,
                                                const std::string& path) override {
    MAXIO_TRY(std::string full, file_path(volume, path, false));
    int fd = ::open(full.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) return not_found_or_volume(errno_status(errno, "open " + full), volume);
    struct stat st;
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
      ::close(fd);
      return Status(ErrorCode::kIsNotRegular, full);
    }
    return std::unique_ptr<FileReader>(
        new LocalFileReader(fd, static_cast<uint64_t>(st.st_size), full));
  }

  Status check_file(const std::string& volume, const std::string& path) override {
    MAXIO_TRY(std::string full, file_path(volume, path, false));
    struct stat st;
    if (::lstat(full.c_str(), &st) != 0) return errno_status(errno, "stat " + full);
    if (!S_ISREG(st.st_mode)) return Status(ErrorCode::kFileNotFound, full);
    return Status::ok();
  }

  Status rename_file(const std::string& src_volume, const std::string& src_path,
                     const std::string& dst_volume, const std::string& dst_path) override {
    MAXIO_TRY(std::string src, file_path(src_volume, src_path, false));
    MAXIO_TRY(std::string dst, file_path(dst_volume, dst_path, false));
    MAXIO_RETURN_IF_ERROR(ensure_volume(dst_volume));
    struct stat st;
    if (::lstat(src.c_str(), &st) != 0) {
      return not_found_or_volume(errno_status(errno, "stat " + src), src_volume);
    }
    if (!S_ISREG(st.st_mode)) return Status(ErrorCode::kFileNotFound, src + " is no file");
    std::string parent = parent_of(dst_path);
    if (!parent.empty()) MAXIO_RETURN_IF_ERROR(make_dirs(vol_root(dst_volume), parent, sync_));
    MAXIO_RETURN_IF_ERROR(rename_durably(src, dst));
    remove_empty_dirs(src_volume, parent_of(src_path));
    return Status::ok();
  }

  Result<std::string> read_all(const std::string& volume, const std::string& path) override {
    MAXIO_TRY(std::string full, file_path(volume, path, false));
    auto data = read_file(full);
    if (!data) return not_found_or_volume(data.status(), volume);
    return data;
  }

  Status write_all(const std::string& volume, const std::string& path,
                   std::string_view data) override {
    MAXIO_TRY(std::string full, file_path(volume, path, false));
    MAXIO_RETURN_IF_ERROR(ensure_volume(volume));
    std::string parent = parent_of(path);
    if (!parent.empty()) MAXIO_RETURN_IF_ERROR(make_dirs(vol_root(volume), parent, sync_));
    std::string tmp_file = tmp_root() + "/" + new_uuid();
    Status st = write_file_durably(tmp_file, data, sync_);
    if (st) st = rename_durably(tmp_file, full);
    if (!st) ::unlink(tmp_file.c_str());
    return st;
  }

  Status delete_path(const std::string& volume, const std::string& path, bool recursive) override {
    MAXIO_TRY(std::string full, file_path(volume, path, false));
    struct stat st;
    if (::lstat(full.c_str(), &st) != 0) {
      return not_found_or_volume(errno_status(errno, "stat " + full), volume);
    }
    if (S_ISDIR(st.st_mode)) {
      if (recursive) {
        std::error_code ec;
        std::filesystem::remove_all(full, ec);
        if (ec) return Status(ErrorCode::kIo, "remove " + full + ": " + ec.message());
      } else if (::rmdir(full.c_str()) != 0) {
        return errno_status(errno, "rmdir " + full);
      }
    } else if (::unlink(full.c_str()) != 0) {
      return errno_status(errno, "unlink " + full);
    }
    remove_empty_dirs(volume, parent_of(path));
    return Status::ok();
  }

  Result<std::vector<std::string>> list_dir(const std::string& volume,
                                            const std::string& dir_path) override {
    MAXIO_TRY(std::string full, file_path(volume, dir_path, /*allow_empty=*/true));
    auto names = read_dir(full);
    if (!names) return not_found_or_volume(names.status(), volume);
    return names;
  }

 private:
  std::string tmp_root() const {
    return root_ + "/" + std::string(kMinioMetaVolume) + "/" + std::string(kMinioTmpDir);
  }
  std::string vol_root(const std::string& volume) const { return root_ + "/" + volume; }

  Result<std::string> vol_path(const std::string& volume) const {
    MAXIO_RETURN_IF_ERROR(validate_path_segment(volume));
    return vol_root(volume);
  }

  Result<std::string> file_path(const std::string& volume, const std::string& path,
                                bool allow_empty) const {
    MAXIO_RETURN_IF_ERROR(validate_path_segment(volume));
    MAXIO_RETURN_IF_ERROR(validate_relative_path(path, allow_empty));
    return path.empty() ? vol_root(volume) : vol_root(volume) + "/" + path;
  }

  // A volume that is not there: kVolumeNotFound, unless the drive itself is gone (its root or
  // .minio.sys vanished: unmounted, deleted or replaced by an empty disk), which is
  // kDriveNotFound so the erasure layer takes the drive offline instead of trusting it.
  Status missing_volume(const std::string& volume) const {
    const std::string meta = root_ + "/" + std::string(kMinioMetaVolume);
    struct stat st;
    if (::stat(meta.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
      return Status(ErrorCode::kDriveNotFound, root_ + " has no " + std::string(kMinioMetaVolume) +
                                                   ": the drive is gone or was replaced");
    }
    return Status(ErrorCode::kVolumeNotFound, volume);
  }

  Status ensure_volume(const std::string& volume) const {
    struct stat st;
    std::string path = vol_root(volume);
    if (::stat(path.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
      return missing_volume(volume);
    }
    return Status::ok();
  }

  // Turns kFileNotFound into kVolumeNotFound when the volume itself is missing.
  Status not_found_or_volume(Status st, const std::string& volume) const {
    if (st.code() == ErrorCode::kFileNotFound && !ensure_volume(volume).is_ok()) {
      return missing_volume(volume);
    }
    return st;
  }

  // The xl.meta in `dir`, or an empty one when absent. A corrupt xl.meta is replaced (the
  // object is unreadable anyway) with a warning.
  Result<XlMeta> load_meta(const std::string& dir) const {
    auto bytes = read_file(dir + "/" + std::string(kXlMetaFile));
    if (!bytes) {
      if (bytes.code() == ErrorCode::kFileNotFound) return XlMeta();
      return bytes.status();
    }
    auto meta = XlMeta::parse(*bytes);
    if (!meta) {
      log_warning("replacing corrupt " + dir + "/xl.meta: " + meta.status().to_string());
      return XlMeta();
    }
    return meta;
  }

  Status rename_durably(const std::string& from, const std::string& to) const {
    if (::rename(from.c_str(), to.c_str()) != 0) {
      return errno_status(errno, "rename " + from + " -> " + to);
    }
    return fsync_path(parent_of(to), sync_);
  }

  // rmdir's `path` and its parents while empty, stopping below the volume (and below
  // .minio.sys/<dir>, whose top-level directories always stay).
  void remove_empty_dirs(const std::string& volume, std::string path) const {
    const bool meta = volume == kMinioMetaVolume;
    while (!path.empty() && !(meta && path.find('/') == std::string::npos)) {
      std::string full = vol_root(volume) + "/" + path;
      if (::rmdir(full.c_str()) != 0) return;
      path = parent_of(path);
    }
  }

  static Result<std::vector<std::string>> read_dir(const std::string& path) {
    DIR* dir = ::opendir(path.c_str());
    if (dir == nullptr) return errno_status(errno, "opendir " + path);
    std::vector<std::string> names;
    while (true) {
      errno = 0;
      struct dirent* ent = ::readdir(dir);
      if (ent == nullptr) {
        int err = errno;
        ::closedir(dir);
        if (err != 0) return errno_status(err, "readdir " + path);
        break;
      }
      std::string name = ent->d_name;
      if (name == "." || name == "..") continue;
      unsigned char type = ent->d_type;
      if (type == DT_UNKNOWN) {
        struct stat st;
        if (::fstatat(::dirfd(dir), ent->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) continue;
        type = S_ISDIR(st.st_mode) ? DT_DIR : S_ISREG(st.st_mode) ? DT_REG : DT_UNKNOWN;
      }
      if (type == DT_DIR) {
        names.push_back(name + "/");
      } else if (type == DT_REG) {
        names.push_back(std::move(name));
      }
    }
    return names;
  }

  std::string root_;
  const bool sync_;
};

}  // namespace

std::unique_ptr<FileReader> new_memory_file_reader(std::string data) {
  return std::make_unique<MemoryFileReader>(std::move(data));
}

Status validate_path_segment(std::string_view segment) {
  if (segment.empty() || segment == "." || segment == "..") {
    return Status(ErrorCode::kInvalidArgument,
                  "invalid path segment '" + std::string(segment) + "'");
  }
  if (segment.find('/') != std::string_view::npos || segment.find('\0') != std::string_view::npos) {
    return Status(ErrorCode::kInvalidArgument, "invalid character in path segment");
  }
  if (segment.size() > 255) return Status(ErrorCode::kFileNameTooLong, "path segment too long");
  return Status::ok();
}

Status validate_relative_path(std::string_view path, bool allow_empty) {
  if (path.empty()) {
    return allow_empty ? Status::ok() : Status(ErrorCode::kInvalidArgument, "empty path");
  }
  if (path.size() > 4096) return Status(ErrorCode::kFileNameTooLong, "path too long");
  size_t start = 0;
  while (true) {
    size_t end = path.find('/', start);
    std::string_view seg =
        path.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
    MAXIO_RETURN_IF_ERROR(validate_path_segment(seg));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return Status::ok();
}

Result<std::unique_ptr<StorageApi>> open_local_drive(const std::string& root,
                                                     const LocalDriveOptions& options) {
  if (root.empty()) return Status(ErrorCode::kInvalidArgument, "empty drive path");
  std::error_code ec;
  std::filesystem::path abs = std::filesystem::absolute(root, ec);
  if (ec) return Status(ErrorCode::kInvalidArgument, "bad drive path " + root);
  std::string path = abs.lexically_normal().string();
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  auto drive = std::make_unique<LocalDrive>(path, options);
  MAXIO_RETURN_IF_ERROR(drive->init());
  return std::unique_ptr<StorageApi>(std::move(drive));
}

}  // namespace maxio
