#pragma once
// MonitoredDrive: a StorageApi decorator that tracks whether its drive is usable. An error
// that means the drive itself is failing (I/O error, drive gone, access denied, timeout)
// marks it offline; while offline every call fails at once with kDriveFaulty, so a dead
// drive costs nothing on the request path. The erasure layer's prober brings it back with
// reconnect(). Thread-safe.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <set>
#include <string>

#include "daemon/storage/drive/storage_api.h"

namespace maxio {

enum class DriveState { kOnline, kOffline, kHealing };

const char* drive_state_name(DriveState state);  // "online", "offline", "healing"

class MonitoredDrive final : public StorageApi {
 public:
  // `drive` may be null: a drive that could not be opened starts offline.
  MonitoredDrive(std::string endpoint, std::unique_ptr<StorageApi> drive, std::string reason = {});

  DriveState state() const { return state_.load(); }
  // Why the drive is offline (empty when online).
  std::string offline_reason() const;
  // The UUID this drive has in format.json's set matrix (its slot); empty until known.
  std::string drive_id() const;
  void set_drive_id(std::string id);

  void mark_offline(const std::string& reason);
  // Marks a reachable drive as being rebuilt (kHealing) or back to kOnline.
  void set_state(DriveState state);
  // Puts a freshly opened drive in place and marks it online (or healing).
  void reconnect(std::unique_ptr<StorageApi> drive, DriveState state = DriveState::kOnline);

  // How long the oldest call still running on the drive has been waiting; zero when none.
  // Calls on streams it returned (FileReader, FileWriter) are not counted.
  std::chrono::steady_clock::duration stalled_for() const;

  // Shards healing rebuilt onto this drive since start.
  uint64_t healed_shards() const { return healed_shards_.load(); }
  void count_healed_shard() { ++healed_shards_; }

  // StorageApi.
  std::string endpoint() const override { return endpoint_; }
  Result<DiskInfo> disk_info() override;
  Status make_vol(const std::string& volume) override;
  Result<std::vector<VolInfo>> list_vols() override;
  Result<VolInfo> stat_vol(const std::string& volume) override;
  Status delete_vol(const std::string& volume, bool force) override;
  Result<FileInfo> read_version(const std::string& volume, const std::string& path,
                                const std::string& version_id, bool read_data) override;
  Result<std::string> read_xl(const std::string& volume, const std::string& path) override;
  Status write_metadata(const std::string& volume, const std::string& path,
                        const FileInfo& fi) override;
  Status rename_data(const std::string& src_volume, const std::string& src_path, const FileInfo& fi,
                     const std::string& dst_volume, const std::string& dst_path) override;
  Status remove_unreferenced_data(const std::string& volume, const std::string& path) override;
  Status delete_version(const std::string& volume, const std::string& path,
                        const FileInfo& fi) override;
  Result<std::unique_ptr<FileWriter>> create_file(const std::string& volume,
                                                  const std::string& path) override;
  Result<std::unique_ptr<FileReader>> open_file(const std::string& volume,
                                                const std::string& path) override;
  Status check_file(const std::string& volume, const std::string& path) override;
  Status rename_file(const std::string& src_volume, const std::string& src_path,
                     const std::string& dst_volume, const std::string& dst_path) override;
  Result<std::string> read_all(const std::string& volume, const std::string& path) override;
  Status write_all(const std::string& volume, const std::string& path,
                   std::string_view data) override;
  Status delete_path(const std::string& volume, const std::string& path, bool recursive) override;
  Result<std::vector<std::string>> list_dir(const std::string& volume,
                                            const std::string& dir_path) override;

 private:
  // The drive to call, or null when offline.
  std::shared_ptr<StorageApi> current() const;
  // Marks the drive offline when `st` says the drive itself failed; returns st.
  Status observe(const Status& st);
  template <typename Fn>
  auto call(Fn&& fn) -> decltype(fn(std::declval<StorageApi&>()));

  const std::string endpoint_;
  mutable std::mutex mu_;
  std::shared_ptr<StorageApi> drive_;  // guarded by mu_
  std::string reason_;                 // guarded by mu_
  std::string drive_id_;               // guarded by mu_
  std::atomic<DriveState> state_;
  std::atomic<uint64_t> healed_shards_{0};
  mutable std::mutex inflight_mu_;
  std::multiset<std::chrono::steady_clock::time_point> inflight_;  // guarded by inflight_mu_
};

// Whether `code` means the drive itself failed, rather than the request (a missing file).
bool is_drive_fault(ErrorCode code);

}  // namespace maxio
