#pragma once
// LocalDrive: StorageApi over a local directory with POSIX calls (MinIO's xl-storage).
// Every write goes to .minio.sys/tmp/<uuid> first and is renamed into place, xl.meta last,
// with fsync of files and directories. Thread-safe; per-object ordering is the caller's.

#include <memory>
#include <string>

#include "daemon/storage/drive/storage_api.h"
#include "shared/util/status.h"

namespace maxio {

struct LocalDriveOptions {
  // fsync files and directories on every commit. Only tests that write thousands of tiny
  // objects turn it off; without it a power loss may lose acknowledged writes.
  bool sync = true;
};

// Opens the drive rooted at `root` (created if missing, must be a directory), creates
// .minio.sys/{tmp,multipart,buckets} and removes everything left under tmp by interrupted
// writes.
Result<std::unique_ptr<StorageApi>> open_local_drive(const std::string& root,
                                                     const LocalDriveOptions& options = {});

// Checks one volume or path segment: not empty, ".", "..", no '/' or NUL, at most 255
// bytes (kFileNameTooLong); kInvalidArgument otherwise.
Status validate_path_segment(std::string_view segment);
// Checks a relative path segment by segment; "" is accepted when allow_empty.
Status validate_relative_path(std::string_view path, bool allow_empty);

}  // namespace maxio
