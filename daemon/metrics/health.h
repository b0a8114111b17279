#pragma once
// Cluster health as MinIO's /minio/health/cluster judges it: every erasure set needs its
// write quorum of usable drives (online or healing) for the cluster to be healthy, and its
// read quorum for reads. Pure functions over a StorageInfo snapshot; thread-safe.

#include <vector>

#include "daemon/storage/object_layer.h"

namespace maxio::metrics {

struct ErasureSetHealth {
  int pool = 0;
  int set = 0;
  int drives = 0;         // drives in the set
  int online_drives = 0;  // usable drives: online or healing
  int healing_drives = 0;
  int read_quorum = 0;
  int write_quorum = 0;
  bool healthy = false;       // online_drives >= write_quorum
  bool healthy_read = false;  // online_drives >= read_quorum
};

struct ClusterHealth {
  bool healthy = false;       // every set has write quorum (false with no set at all)
  bool healthy_read = false;  // every set has read quorum
  int write_quorum = 0;       // the largest write quorum of any pool
  int read_quorum = 0;        // the largest read quorum of any pool
  int healing_drives = 0;
  std::vector<ErasureSetHealth> sets;  // pool, then set order
};

// MinIO's quorums for a set of `set_drives` drives with `parity` parity drives: reads need
// the data drives (set_drives - parity); writes need one more when data == parity, so two
// halves of a split set can never both accept a write.
int read_quorum(int set_drives, int parity);
int write_quorum(int set_drives, int parity);

// The health of every set in `info`, with STANDARD parity (info.standard_parity) applied to
// each pool's set size. With `maintenance`, this node's drives (all of them: Maxio runs on
// one node) are counted as gone, as MinIO does to tell whether the node may be taken down.
ClusterHealth cluster_health(const StorageInfo& info, bool maintenance = false);

}  // namespace maxio::metrics
