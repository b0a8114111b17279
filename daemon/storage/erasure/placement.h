#pragma once
// Where data goes in a MinIO-compatible deployment, decided as MinIO decides it: drives per
// erasure set for a pool, default and configured parity (storage classes "EC:N"), an
// object's erasure set (sipHashMod) and its shard order in the set (hashOrder).
// Pure functions over their arguments; thread-safe.

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "shared/util/status.h"

namespace maxio {

// format.json's xl.distributionAlgo. All three survive in deployments MinIO wrote.
inline constexpr std::string_view kDistributionCrcMod = "CRCMOD";  // format v2: CRC32 mod sets
// SipHash mod sets; written when the default parity was half the set.
inline constexpr std::string_view kDistributionSipMod = "SIPMOD";
// SipHash mod sets, the same placement; written since the default parity became EC:4.
inline constexpr std::string_view kDistributionSipModParity = "SIPMOD+PARITY";

// True for the three algorithms above.
bool is_known_distribution_algo(std::string_view algo);

inline constexpr int kMinSetDriveCount = 2;
inline constexpr int kMaxSetDriveCount = 16;

// MinIO's choice of drives per erasure set for a pool of `drive_count` drives (getSetIndexes).
// `ellipsis_sizes` are the range lengths of the ellipses in the pool's argument, left to
// right ("/d{1...4}/x{1...8}" gives {4, 8}), empty for a plain list of drives. `requested`
// is 0 (choose) or a set size asked for (MinIO's MINIO_ERASURE_SET_DRIVE_COUNT).
// Returns the largest size in 2..16 that divides drive_count and, with ellipses, divides or
// is a multiple of the leftmost range's length (so each set spans it evenly); or the
// requested size when it divides drive_count. kInvalidArgument, with a one-line message,
// when drive_count < 2, drive_count < requested, no size fits, or requested does not fit.
Result<int> choose_set_drive_count(uint64_t drive_count, std::span<const uint64_t> ellipsis_sizes,
                                   int requested);

// MinIO's default STANDARD parity for a set of `set_drive_count` drives: 1 → 0, 2–3 → 1,
// 4–5 → 2, 6–7 → 3, otherwise 4.
int default_parity(int set_drive_count);

// MinIO's default REDUCED_REDUNDANCY parity: 1, or 0 for a one-drive set.
int default_rrs_parity(int set_drive_count);

// The S3 storage classes MinIO gives a parity to.
inline constexpr std::string_view kStorageClassStandard = "STANDARD";
inline constexpr std::string_view kStorageClassReducedRedundancy = "REDUCED_REDUNDANCY";

// Parses a storage class value "EC:N" into N, the number of parity drives (N >= 0).
// kInvalidArgument naming the problem for any other form ("EC", "EC:1:2", "RS:2", "EC:x",
// "EC:-1").
Result<int> parse_storage_class(std::string_view value);

struct StorageClassParity {
  int standard = 0;
  int rrs = 0;
};

// MinIO's storage class configuration for sets of `set_drive_count` drives: parses the
// values given (nullopt: the default), then validates that neither parity exceeds half
// the set and that REDUCED_REDUNDANCY parity is not above STANDARD parity (unless either
// is 0). kInvalidArgument with a one-line message on a malformed or out-of-range value.
Result<StorageClassParity> resolve_storage_class_parity(std::optional<std::string_view> standard,
                                                        std::optional<std::string_view> rrs,
                                                        int set_drive_count);

// The erasure set (0-based) of object `key` (the object name, without the bucket) among
// `set_count` sets of a pool: SipHash-2-4 keyed with the deployment ID's 16 bytes, mod
// set_count, for "SIPMOD" and "SIPMOD+PARITY"; CRC32 (IEEE) mod set_count for "CRCMOD".
// Returns -1, as MinIO does, when set_count <= 0 or the algorithm is unknown; also when a
// SipHash algorithm is given a deployment_id that is not a canonical UUID.
int object_set_index(std::string_view key, int set_count, std::string_view deployment_id,
                     std::string_view distribution_algo = kDistributionSipModParity);

// MinIO's hashOrder: the erasure distribution written in a new version's xl.meta, for a
// set of `cardinality` drives; MinIO passes "bucket/object" as `key`. A rotation of
// 1..cardinality whose element i (0-based) is 1 + (CRC32(key) mod cardinality + i + 1) mod
// cardinality. Empty when cardinality <= 0. Readers use the distribution stored in xl.meta.
std::vector<int> hash_order(std::string_view key, int cardinality);

}  // namespace maxio
