// Quorum arithmetic and cluster health as MinIO's /minio/health/cluster computes it.

#include "daemon/metrics/health.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace maxio::metrics {
namespace {

TEST(HealthTest, Quorums) {
  // read = data drives; write = data, plus one when data == parity.
  EXPECT_EQ(read_quorum(1, 0), 1);
  EXPECT_EQ(write_quorum(1, 0), 1);
  EXPECT_EQ(read_quorum(2, 1), 1);
  EXPECT_EQ(write_quorum(2, 1), 2);
  EXPECT_EQ(read_quorum(4, 2), 2);
  EXPECT_EQ(write_quorum(4, 2), 3);
  EXPECT_EQ(write_quorum(4, 1), 3);
  EXPECT_EQ(write_quorum(6, 3), 4);
  EXPECT_EQ(write_quorum(8, 4), 5);
  EXPECT_EQ(write_quorum(16, 4), 12);
  EXPECT_EQ(read_quorum(16, 4), 12);
}

// `layout`: per pool {sets, drives per set}; every drive online.
StorageInfo storage(std::vector<std::pair<int, int>> layout, int parity) {
  StorageInfo info;
  info.pools = static_cast<int>(layout.size());
  info.standard_parity = parity;
  for (int p = 0; p < info.pools; ++p) {
    auto [sets, drives] = layout[p];
    info.sets_per_pool.push_back(sets);
    info.drives_per_set.push_back(drives);
    for (int s = 0; s < sets; ++s) {
      for (int d = 0; d < drives; ++d) {
        DriveStatus drive;
        drive.endpoint =
            "/p" + std::to_string(p) + "/s" + std::to_string(s) + "/d" + std::to_string(d);
        drive.state = "online";
        drive.pool_index = p;
        drive.set_index = s;
        drive.drive_index = d;
        info.drives.push_back(drive);
      }
    }
  }
  return info;
}

void set_state(StorageInfo& info, int pool, int set, int count, const std::string& state) {
  for (DriveStatus& drive : info.drives) {
    if (count > 0 && drive.pool_index == pool && drive.set_index == set) {
      drive.state = state;
      --count;
    }
  }
}

TEST(HealthTest, SingleDrive) {
  StorageInfo info = storage({{1, 1}}, 0);
  ClusterHealth health = cluster_health(info);
  EXPECT_TRUE(health.healthy);
  EXPECT_EQ(health.write_quorum, 1);
  set_state(info, 0, 0, 1, "offline");
  EXPECT_FALSE(cluster_health(info).healthy);
  EXPECT_FALSE(cluster_health(info).healthy_read);
}

TEST(HealthTest, FourDrivesTwoParity) {
  StorageInfo info = storage({{1, 4}}, 2);
  ClusterHealth health = cluster_health(info);
  EXPECT_TRUE(health.healthy);
  EXPECT_TRUE(health.healthy_read);
  EXPECT_EQ(health.write_quorum, 3);
  EXPECT_EQ(health.read_quorum, 2);
  ASSERT_EQ(health.sets.size(), 1u);
  EXPECT_EQ(health.sets[0].online_drives, 4);

  set_state(info, 0, 0, 1, "offline");  // 3 left: still write quorum
  health = cluster_health(info);
  EXPECT_TRUE(health.healthy);
  EXPECT_EQ(health.sets[0].online_drives, 3);

  set_state(info, 0, 0, 2, "offline");  // 2 left: read quorum only
  health = cluster_health(info);
  EXPECT_FALSE(health.healthy);
  EXPECT_TRUE(health.healthy_read);
  EXPECT_FALSE(health.sets[0].healthy);

  set_state(info, 0, 0, 3, "offline");  // 1 left: neither
  health = cluster_health(info);
  EXPECT_FALSE(health.healthy);
  EXPECT_FALSE(health.healthy_read);
}

TEST(HealthTest, HealingDrivesCountTowardQuorum) {
  StorageInfo info = storage({{1, 4}}, 2);
  set_state(info, 0, 0, 1, "offline");
  // The first drive is offline; make the next one healing.
  for (DriveStatus& d : info.drives) {
    if (d.state == "online") {
      d.state = "healing";
      break;
    }
  }
  ClusterHealth health = cluster_health(info);
  EXPECT_TRUE(health.healthy);
  EXPECT_EQ(health.healing_drives, 1);
  EXPECT_EQ(health.sets[0].online_drives, 3);
  EXPECT_EQ(health.sets[0].healing_drives, 1);
}

TEST(HealthTest, EverySetOfEveryPoolMustHaveQuorum) {
  // Pool 0: two sets of 4; pool 1: one set of 6. EC:2 everywhere.
  StorageInfo info = storage({{2, 4}, {1, 6}}, 2);
  ClusterHealth health = cluster_health(info);
  ASSERT_EQ(health.sets.size(), 3u);
  EXPECT_TRUE(health.healthy);
  EXPECT_EQ(health.sets[0].write_quorum, 3);
  EXPECT_EQ(health.sets[2].write_quorum, 4);
  EXPECT_EQ(health.sets[2].pool, 1);
  EXPECT_EQ(health.sets[2].set, 0);
  EXPECT_EQ(health.write_quorum, 4);  // the largest
  EXPECT_EQ(health.read_quorum, 4);

  // Two drives of pool 1's set gone: 4 left of 6, still enough.
  set_state(info, 1, 0, 2, "offline");
  EXPECT_TRUE(cluster_health(info).healthy);
  // Two drives of pool 0, set 1: that set falls below 3; the others stay healthy.
  set_state(info, 0, 1, 2, "offline");
  health = cluster_health(info);
  EXPECT_FALSE(health.healthy);
  EXPECT_TRUE(health.sets[0].healthy);
  EXPECT_FALSE(health.sets[1].healthy);
  EXPECT_TRUE(health.sets[1].healthy_read);
  EXPECT_TRUE(health.sets[2].healthy);
}

TEST(HealthTest, MaintenanceCountsThisNodesDrivesAsGone) {
  StorageInfo info = storage({{1, 4}}, 2);
  ClusterHealth health = cluster_health(info, /*maintenance=*/true);
  EXPECT_FALSE(health.healthy);
  EXPECT_EQ(health.sets[0].online_drives, 0);
}

TEST(HealthTest, NoSetsIsNotHealthy) {
  StorageInfo info;
  EXPECT_FALSE(cluster_health(info).healthy);
}

TEST(HealthTest, IgnoresDrivesOutsideTheLayout) {
  StorageInfo info = storage({{1, 2}}, 1);
  DriveStatus stray;
  stray.state = "online";
  stray.pool_index = 3;
  info.drives.push_back(stray);
  stray.pool_index = 0;
  stray.set_index = 7;
  info.drives.push_back(stray);
  ClusterHealth health = cluster_health(info);
  EXPECT_TRUE(health.healthy);
  EXPECT_EQ(health.sets[0].online_drives, 2);
}

}  // namespace
}  // namespace maxio::metrics
