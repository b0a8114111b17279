// open_object_layer: builds the storage described on the command line. Today: one erasure
// set of local drives (daemon/storage/erasure); sets, pools and remote drives come later.

#include "daemon/storage/object_layer.h"

#include "daemon/storage/drive/local_drive.h"
#include "daemon/storage/erasure/erasure_objects.h"

namespace maxio {

Result<std::unique_ptr<ObjectLayer>> open_object_layer(const ObjectLayerOptions& options) {
  if (options.drive_paths.empty()) {
    return Status(ErrorCode::kInvalidArgument, "no drive given");
  }
  if (options.drive_paths.size() > 1) {
    // Checked before any drive is touched: nothing gets formatted for a layout we cannot
    // serve yet.
    return Status(ErrorCode::kNotImplemented,
                  "erasure coding over " + std::to_string(options.drive_paths.size()) +
                      " drives is not implemented yet; start maxiod with a single drive");
  }
  std::vector<std::unique_ptr<StorageApi>> drives;
  for (const auto& path : options.drive_paths) {
    MAXIO_TRY(auto drive, open_local_drive(path));
    drives.push_back(std::move(drive));
  }
  return open_erasure_set(std::move(drives));
}

}  // namespace maxio
