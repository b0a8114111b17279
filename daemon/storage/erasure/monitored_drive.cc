#include "daemon/storage/erasure/monitored_drive.h"

#include <type_traits>

#include "shared/util/log.h"

namespace maxio {

const char* drive_state_name(DriveState state) {
  switch (state) {
    case DriveState::kOnline:
      return "online";
    case DriveState::kOffline:
      return "offline";
    case DriveState::kHealing:
      return "healing";
  }
  return "unknown";
}

bool is_drive_fault(ErrorCode code) {
  switch (code) {
    case ErrorCode::kIo:
    case ErrorCode::kTimeout:
    case ErrorCode::kDriveNotFound:
    case ErrorCode::kDriveFaulty:
    case ErrorCode::kDriveAccessDenied:
      return true;
    default:
      return false;
  }
}

MonitoredDrive::MonitoredDrive(std::string endpoint, std::unique_ptr<StorageApi> drive,
                               std::string reason)
    : endpoint_(std::move(endpoint)),
      drive_(std::move(drive)),
      reason_(std::move(reason)),
      state_(drive_ ? DriveState::kOnline : DriveState::kOffline) {}

std::string MonitoredDrive::offline_reason() const {
  std::lock_guard<std::mutex> lock(mu_);
  return reason_;
}

std::string MonitoredDrive::drive_id() const {
  std::lock_guard<std::mutex> lock(mu_);
  return drive_id_;
}

void MonitoredDrive::set_drive_id(std::string id) {
  std::lock_guard<std::mutex> lock(mu_);
  drive_id_ = std::move(id);
}

void MonitoredDrive::mark_offline(const std::string& reason) {
  DriveState before = state_.exchange(DriveState::kOffline);
  {
    std::lock_guard<std::mutex> lock(mu_);
    reason_ = reason;
  }
  if (before != DriveState::kOffline) log_warning("drive " + endpoint_ + " offline: " + reason);
}

void MonitoredDrive::set_state(DriveState state) {
  DriveState before = state_.exchange(state);
  if (before != state) {
    log_info("drive " + endpoint_ + " " + drive_state_name(state));
    if (state != DriveState::kOffline) {
      std::lock_guard<std::mutex> lock(mu_);
      reason_.clear();
    }
  }
}

void MonitoredDrive::reconnect(std::unique_ptr<StorageApi> drive, DriveState state) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    drive_ = std::move(drive);
  }
  set_state(state);
}

std::shared_ptr<StorageApi> MonitoredDrive::current() const {
  if (state_.load() == DriveState::kOffline) return nullptr;
  std::lock_guard<std::mutex> lock(mu_);
  return drive_;
}

Status MonitoredDrive::observe(const Status& st) {
  if (!st.is_ok() && is_drive_fault(st.code())) mark_offline(st.to_string());
  return st;
}

std::chrono::steady_clock::duration MonitoredDrive::stalled_for() const {
  std::lock_guard<std::mutex> lock(inflight_mu_);
  if (inflight_.empty()) return std::chrono::steady_clock::duration::zero();
  return std::chrono::steady_clock::now() - *inflight_.begin();
}

template <typename Fn>
auto MonitoredDrive::call(Fn&& fn) -> decltype(fn(std::declval<StorageApi&>())) {
  std::shared_ptr<StorageApi> drive = current();
  if (!drive) return Status(ErrorCode::kDriveFaulty, "drive " + endpoint_ + " is offline");
  // Registered while it runs, so a call that never returns shows as a stall.
  struct InFlight {
    MonitoredDrive& self;
    std::multiset<std::chrono::steady_clock::time_point>::iterator it;
    explicit InFlight(MonitoredDrive& d) : self(d) {
      std::lock_guard<std::mutex> lock(self.inflight_mu_);
      it = self.inflight_.insert(std::chrono::steady_clock::now());
    }
    ~InFlight() {
      std::lock_guard<std::mutex> lock(self.inflight_mu_);
      self.inflight_.erase(it);
    }
  } in_flight(*this);
  auto result = fn(*drive);
  if constexpr (std::is_same_v<decltype(result), Status>) {
    return observe(result);
  } else {
    if (!result) observe(result.status());
    return result;
  }
}

Result<DiskInfo> MonitoredDrive::disk_info() {
  return call([](StorageApi& d) { return d.disk_info(); });
}
Status MonitoredDrive::make_vol(const std::string& volume) {
  return call([&](StorageApi& d) { return d.make_vol(volume); });
}
Result<std::vector<VolInfo>> MonitoredDrive::list_vols() {
  return call([](StorageApi& d) { return d.list_vols(); });
}
Result<VolInfo> MonitoredDrive::stat_vol(const std::string& volume) {
  return call([&](StorageApi& d) { return d.stat_vol(volume); });
}
Status MonitoredDrive::delete_vol(const std::string& volume, bool force) {
  return call([&](StorageApi& d) { return d.delete_vol(volume, force); });
}
Result<FileInfo> MonitoredDrive::read_version(const std::string& volume, const std::string& path,
                                              const std::string& version_id, bool read_data) {
  return call([&](StorageApi& d) { return d.read_version(volume, path, version_id, read_data); });
}
Result<std::string> MonitoredDrive::read_xl(const std::string& volume, const std::string& path) {
  return call([&](StorageApi& d) { return d.read_xl(volume, path); });
}
Status MonitoredDrive::write_metadata(const std::string& volume, const std::string& path,
                                      const FileInfo& fi) {
  return call([&](StorageApi& d) { return d.write_metadata(volume, path, fi); });
}
Status MonitoredDrive::rename_data(const std::string& src_volume, const std::string& src_path,
                                   const FileInfo& fi, const std::string& dst_volume,
                                   const std::string& dst_path) {
  return call(
      [&](StorageApi& d) { return d.rename_data(src_volume, src_path, fi, dst_volume, dst_path); });
}
Status MonitoredDrive::remove_unreferenced_data(const std::string& volume,
                                                const std::string& path) {
  return call([&](StorageApi& d) { return d.remove_unreferenced_data(volume, path); });
}
Status MonitoredDrive::delete_version(const std::string& volume, const std::string& path,
                                      const FileInfo& fi) {
  return call([&](StorageApi& d) { return d.delete_version(volume, path, fi); });
}
Result<std::unique_ptr<FileWriter>> MonitoredDrive::create_file(const std::string& volume,
                                                                const std::string& path) {
  return call([&](StorageApi& d) { return d.create_file(volume, path); });
}
Result<std::unique_ptr<FileReader>> MonitoredDrive::open_file(const std::string& volume,
                                                              const std::string& path) {
  return call([&](StorageApi& d) { return d.open_file(volume, path); });
}
Status MonitoredDrive::check_file(const std::string& volume, const std::string& path) {
  return call([&](StorageApi& d) { return d.check_file(volume, path); });
}
Result<std::string> MonitoredDrive::read_all(const std::string& volume, const std::string& path) {
  return call([&](StorageApi& d) { return d.read_all(volume, path); });
}
Status MonitoredDrive::rename_file(const std::string& src_volume, const std::string& src_path,
                                   const std::string& dst_volume, const std::string& dst_path) {
  return call(
      [&](StorageApi& d) { return d.rename_file(src_volume, src_path, dst_volume, dst_path); });
}

Status MonitoredDrive::write_all(const std::string& volume, const std::string& path,
                                 std::string_view data) {
  return call([&](StorageApi& d) { return d.write_all(volume, path, data); });
}
Status MonitoredDrive::delete_path(const std::string& volume, const std::string& path,
                                   bool recursive) {
  return call([&](StorageApi& d) { return d.delete_path(volume, path, recursive); });
}
Result<std::vector<std::string>> MonitoredDrive::list_dir(const std::string& volume,
                                                          const std::string& dir_path) {
  return call([&](StorageApi& d) { return d.list_dir(volume, dir_path); });
}

}  // namespace maxio
