// Cluster health from drive states and quorums.

#include "daemon/metrics/health.h"

#include <algorithm>

namespace maxio::metrics {

int read_quorum(int set_drives, int parity) { return set_drives - parity; }

int write_quorum(int set_drives, int parity) {
  int data = set_drives - parity;
  return data == parity ? data + 1 : data;
}

ClusterHealth cluster_health(const StorageInfo& info, bool maintenance) {
  auto at = [](const std::vector<int>& per_pool, int pool) {
    return pool < static_cast<int>(per_pool.size()) ? per_pool[pool] : 0;
  };
  ClusterHealth health;
  // Sets are laid out pool after pool: (pool, set) is health.sets[first_set[pool] + set].
  std::vector<size_t> first_set;
  for (int pool = 0; pool < info.pools; ++pool) {
    first_set.push_back(health.sets.size());
    int drives = at(info.drives_per_set, pool);
    for (int set = 0; set < at(info.sets_per_pool, pool); ++set) {
      ErasureSetHealth s;
      s.pool = pool;
      s.set = set;
      s.drives = drives;
      s.read_quorum = read_quorum(drives, info.standard_parity);
      s.write_quorum = write_quorum(drives, info.standard_parity);
      health.sets.push_back(s);
    }
  }
  for (const DriveStatus& drive : info.drives) {
    if (drive.pool_index < 0 || drive.pool_index >= info.pools || drive.set_index < 0 ||
        drive.set_index >= at(info.sets_per_pool, drive.pool_index)) {
      continue;
    }
    ErasureSetHealth& s = health.sets[first_set[drive.pool_index] + drive.set_index];
    if (maintenance) continue;
    if (drive.state == "online" || drive.state == "healing") ++s.online_drives;
    if (drive.state == "healing") {
      ++s.healing_drives;
      ++health.healing_drives;
    }
  }
  health.healthy = !health.sets.empty();
  health.healthy_read = !health.sets.empty();
  for (ErasureSetHealth& s : health.sets) {
    s.healthy = s.online_drives >= s.write_quorum;
    s.healthy_read = s.online_drives >= s.read_quorum;
    health.healthy = health.healthy && s.healthy;
    health.healthy_read = health.healthy_read && s.healthy_read;
    health.write_quorum = std::max(health.write_quorum, s.write_quorum);
    health.read_quorum = std::max(health.read_quorum, s.read_quorum);
  }
  return health;
}

}  // namespace maxio::metrics
