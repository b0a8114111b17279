// MinIO's placement rules: set sizes (cmd/endpoint-ellipses.go), parity defaults and
// storage classes (internal/config/storageclass), set and shard hashing (cmd/erasure-sets.go,
// cmd/erasure-metadata-utils.go).

#include "daemon/storage/erasure/placement.h"

#include <charconv>
#include <string>

#include "shared/crypto/checksum.h"
#include "shared/crypto/siphash.h"
#include "shared/util/uuid.h"

namespace maxio {
namespace {

Status invalid(std::string message) {
  return Status(ErrorCode::kInvalidArgument, std::move(message));
}

std::string join_sizes(const std::vector<int>& sizes) {
  std::string out;
  for (int size : sizes) {
    if (!out.empty()) out += ", ";
    out += std::to_string(size);
  }
  return out;
}

uint64_t load_le64(const uint8_t* p) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}

Status validate_one(std::string_view name, int parity, int set_drive_count) {
  if (parity > set_drive_count / 2) {
    return invalid(std::string(name) + " parity " + std::to_string(parity) +
                   " is more than half of a " + std::to_string(set_drive_count) +
                   "-drive erasure set (at most " + std::to_string(set_drive_count / 2) + ")");
  }
  return Status::ok();
}

}  // namespace

bool is_known_distribution_algo(std::string_view algo) {
  return algo == kDistributionCrcMod || algo == kDistributionSipMod ||
         algo == kDistributionSipModParity;
}

Result<int> choose_set_drive_count(uint64_t drive_count, std::span<const uint64_t> ellipsis_sizes,
                                   int requested) {
  std::string drives = std::to_string(drive_count) + (drive_count == 1 ? " drive" : " drives");
  if (requested < 0)
    return invalid("a set size must be positive, not " + std::to_string(requested));
  if (drive_count < static_cast<uint64_t>(kMinSetDriveCount)) {
    return invalid(drives + " cannot form an erasure set: a set needs " +
                   std::to_string(kMinSetDriveCount) + " to " + std::to_string(kMaxSetDriveCount) +
                   " drives");
  }
  if (drive_count < static_cast<uint64_t>(requested)) {
    return invalid(drives + " are fewer than the requested set size of " +
                   std::to_string(requested));
  }
  std::vector<int> divisors;
  for (int size = kMinSetDriveCount; size <= kMaxSetDriveCount; ++size) {
    if (drive_count % size == 0) divisors.push_back(size);
  }
  if (divisors.empty()) {
    return invalid(drives + " cannot be divided evenly into erasure sets of " +
                   std::to_string(kMinSetDriveCount) + " to " + std::to_string(kMaxSetDriveCount) +
                   " drives");
  }
  if (requested > 0) {
    for (int size : divisors) {
      if (size == requested) return size;
    }
    return invalid("a set size of " + std::to_string(requested) + " is not possible for " + drives +
                   " (possible: " + join_sizes(divisors) + ")");
  }
  // MinIO checks symmetry against one range only: the last pattern it parses, which is the
  // leftmost ellipsis (usually the hosts), so that every set spans that range evenly.
  std::vector<int> symmetric;
  for (int size : divisors) {
    if (ellipsis_sizes.empty()) {
      symmetric.push_back(size);
      continue;
    }
    uint64_t range = ellipsis_sizes.front();
    uint64_t set = static_cast<uint64_t>(size);
    if (range == 0) continue;
    if (range > set ? range % set == 0 : set % range == 0) symmetric.push_back(size);
  }
  if (symmetric.empty()) {
    return invalid(drives + " cannot be spread symmetrically over a range of " +
                   std::to_string(ellipsis_sizes.front()) + " by any erasure set size (" +
                   join_sizes(divisors) + ")");
  }
  // The largest symmetric size: the fewest sets.
  return symmetric.back();
}

int default_parity(int set_drive_count) {
  switch (set_drive_count) {
    case 1:
      return 0;
    case 2:
    case 3:
      return 1;
    case 4:
    case 5:
      return 2;
    case 6:
    case 7:
      return 3;
    default:
      return 4;
  }
}

int default_rrs_parity(int set_drive_count) { return set_drive_count == 1 ? 0 : 1; }

Result<int> parse_storage_class(std::string_view value) {
  std::string quoted = "invalid storage class '" + std::string(value) + "'";
  size_t colon = value.find(':');
  if (colon == std::string_view::npos) return invalid(quoted + ": want EC:N");
  if (value.find(':', colon + 1) != std::string_view::npos) {
    return invalid(quoted + ": too many sections, want EC:N");
  }
  std::string_view scheme = value.substr(0, colon);
  if (scheme != "EC") {
    return invalid(quoted + ": unsupported scheme '" + std::string(scheme) + "', want EC");
  }
  std::string_view number = value.substr(colon + 1);
  int parity = 0;
  auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), parity);
  if (number.empty() || ec != std::errc() || end != number.data() + number.size()) {
    return invalid(quoted + ": the parity must be a number");
  }
  if (parity < 0) return invalid(quoted + ": the parity cannot be negative");
  return parity;
}

Result<StorageClassParity> resolve_storage_class_parity(std::optional<std::string_view> standard,
                                                        std::optional<std::string_view> rrs,
                                                        int set_drive_count) {
  StorageClassParity parity{default_parity(set_drive_count), default_rrs_parity(set_drive_count)};
  if (standard) {
    MAXIO_TRY(parity.standard, parse_storage_class(*standard));
  }
  if (rrs) {
    MAXIO_TRY(parity.rrs, parse_storage_class(*rrs));
  }
  // MinIO bounds RRS by half the set only for sets of more than 2 drives; a larger RRS parity
  // would leave no data drive, so it is refused for every set size here.
  MAXIO_RETURN_IF_ERROR(validate_one(kStorageClassStandard, parity.standard, set_drive_count));
  MAXIO_RETURN_IF_ERROR(validate_one(kStorageClassReducedRedundancy, parity.rrs, set_drive_count));
  if (parity.standard > 0 && parity.rrs > 0 && parity.standard < parity.rrs) {
    return invalid(std::string(kStorageClassReducedRedundancy) + " parity " +
                   std::to_string(parity.rrs) + " is above " + std::string(kStorageClassStandard) +
                   " parity " + std::to_string(parity.standard));
  }
  return parity;
}

int object_set_index(std::string_view key, int set_count, std::string_view deployment_id,
                     std::string_view distribution_algo) {
  if (set_count <= 0) return -1;
  if (distribution_algo == kDistributionCrcMod) {
    return static_cast<int>(crc32_ieee(0, key.data(), key.size()) %
                            static_cast<uint32_t>(set_count));
  }
  if (distribution_algo != kDistributionSipMod && distribution_algo != kDistributionSipModParity) {
    return -1;
  }
  auto id = parse_uuid(deployment_id);
  if (!id) return -1;
  uint64_t k0 = load_le64(id->data());
  uint64_t k1 = load_le64(id->data() + 8);
  return static_cast<int>(siphash24(k0, k1, key) % static_cast<uint64_t>(set_count));
}

std::vector<int> hash_order(std::string_view key, int cardinality) {
  if (cardinality <= 0) return {};
  uint32_t start = crc32_ieee(0, key.data(), key.size()) % static_cast<uint32_t>(cardinality);
  std::vector<int> order(cardinality);
  for (int i = 0; i < cardinality; ++i) {
    order[i] = 1 + static_cast<int>((start + i + 1) % static_cast<uint32_t>(cardinality));
  }
  return order;
}

}  // namespace maxio
