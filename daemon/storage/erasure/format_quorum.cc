// Format resolution of one pool: classify each drive's format.json, find the format in
// quorum, place formatted drives by UUID and give blank drives the free slots.

#include "daemon/storage/erasure/format_quorum.h"

#include <map>
#include <utility>

#include "daemon/storage/erasure/placement.h"
#include "shared/util/uuid.h"

namespace maxio {
namespace {

std::string shape(size_t sets, size_t drives_per_set) {
  return std::to_string(sets) + (sets == 1 ? " set of " : " sets of ") +
         std::to_string(drives_per_set) + (drives_per_set == 1 ? " drive" : " drives");
}

std::string shape(const FormatErasure& f) {
  return shape(f.sets.size(), f.sets.empty() ? 0 : f.sets.front().size());
}

bool is_blank_error(ErrorCode code) {
  return code == ErrorCode::kFileNotFound || code == ErrorCode::kVolumeNotFound ||
         code == ErrorCode::kUnformattedDrive;
}

// Checks what parse_format_json leaves to the reader: a format Maxio can place objects with.
// Returns the reason it cannot, or "" when it can.
std::string unusable_reason(const FormatErasure& f) {
  if (f.xl_version != "3") {
    return "format.json: xl.version " + f.xl_version + " (MinIO migrates it; Maxio reads only 3)";
  }
  if (!parse_uuid(f.id).is_ok()) return "format.json: deployment id '" + f.id + "' is not a UUID";
  if (!is_known_distribution_algo(f.distribution_algo)) {
    return "format.json: unknown xl.distributionAlgo '" + f.distribution_algo + "'";
  }
  if (f.sets.empty() || f.sets.front().empty()) return "format.json: xl.sets is empty";
  for (const auto& set : f.sets) {
    if (set.size() != f.sets.front().size()) return "format.json: xl.sets are of unequal sizes";
  }
  if (f.format == "xl-single" && (f.sets.size() != 1 || f.sets.front().size() != 1)) {
    return "format.json: format xl-single with " + shape(f);
  }
  for (const auto& set : f.sets) {
    for (const auto& uuid : set) {
      if (uuid == f.this_drive) return "";
    }
  }
  return "format.json: xl.this " + f.this_drive + " is not in its own xl.sets";
}

// The slot (set, drive) of `uuid` in `f`, or nullopt.
std::optional<std::pair<int, int>> find_slot(const FormatErasure& f, const std::string& uuid) {
  for (size_t s = 0; s < f.sets.size(); ++s) {
    for (size_t d = 0; d < f.sets[s].size(); ++d) {
      if (f.sets[s][d] == uuid) return std::make_pair(static_cast<int>(s), static_cast<int>(d));
    }
  }
  return std::nullopt;
}

FormatErasure without_this(FormatErasure f) {
  f.this_drive.clear();
  return f;
}

PoolFormat fresh_pool(int set_count, int set_drive_count) {
  PoolFormat pool;
  pool.fresh = true;
  std::vector<FormatErasure> formats = new_formats(set_count, set_drive_count);
  for (size_t i = 0; i < formats.size(); ++i) {
    if (set_drive_count == 1) formats[i].format = "xl-single";
    DriveFormat drive;
    drive.state = DriveFormatState::kBlank;
    drive.set_index = static_cast<int>(i) / set_drive_count;
    drive.drive_index = static_cast<int>(i) % set_drive_count;
    drive.format_to_write = std::move(formats[i]);
    pool.drives.push_back(std::move(drive));
  }
  pool.reference = without_this(*pool.drives.front().format_to_write);
  return pool;
}

}  // namespace

Result<PoolFormat> resolve_pool_format(const std::vector<Result<std::string>>& format_reads,
                                       int set_count, int set_drive_count) {
  if (set_count < 1 || set_drive_count < 1 ||
      format_reads.size() != static_cast<size_t>(set_count) * set_drive_count) {
    return Status(ErrorCode::kInvalidArgument, std::to_string(format_reads.size()) +
                                                   " format.json reads for a pool of " +
                                                   shape(set_count, set_drive_count));
  }
  const size_t n = format_reads.size();

  // Each drive: blank, offline, unusable (kForeign) or a candidate format.
  PoolFormat pool;
  pool.drives.resize(n);
  std::vector<std::optional<FormatErasure>> formats(n);
  size_t blank = 0, offline = 0, unusable = 0;
  for (size_t i = 0; i < n; ++i) {
    DriveFormat& drive = pool.drives[i];
    const Result<std::string>& read = format_reads[i];
    if (!read.is_ok()) {
      if (is_blank_error(read.code())) {
        drive.state = DriveFormatState::kBlank;
        ++blank;
      } else {
        drive.state = DriveFormatState::kOffline;
        drive.reason = read.status().to_string();
        ++offline;
      }
      continue;
    }
    auto parsed = parse_format_json(*read);
    std::string reason = parsed ? unusable_reason(*parsed) : parsed.status().message();
    if (!reason.empty()) {
      drive.state = DriveFormatState::kForeign;
      drive.reason = std::move(reason);
      ++unusable;
      continue;
    }
    formats[i] = std::move(*parsed);
  }
  if (blank == n) return fresh_pool(set_count, set_drive_count);
  const size_t formatted = n - blank - offline - unusable;
  if (blank + offline == n) {
    return Status(ErrorCode::kInsufficientWriteQuorum,
                  "no drive of the pool is formatted and " + std::to_string(offline) + " of " +
                      std::to_string(n) +
                      " are offline: formatting a new deployment needs every drive");
  }
  std::string counts = std::to_string(formatted) + " formatted, " + std::to_string(blank) +
                       " blank, " + std::to_string(offline) + " offline, " +
                       std::to_string(unusable) + " unusable of " + std::to_string(n) + " drives";
  if (blank >= n / 2 + 1) {
    return Status(ErrorCode::kInsufficientReadQuorum,
                  "most drives of the pool are blank (" + counts +
                      "): the formatted ones are too few to heal them from");
  }

  // The reference: the format most drives hold (MinIO's quorum is half the pool), and no
  // other format held by as many.
  std::vector<std::pair<FormatErasure, size_t>> groups;
  for (const auto& f : formats) {
    if (!f) continue;
    FormatErasure key = without_this(*f);
    bool found = false;
    for (auto& [group, count] : groups) {
      if (group == key) {
        ++count;
        found = true;
        break;
      }
    }
    if (!found) groups.emplace_back(std::move(key), 1);
  }
  size_t best = 0, best_count = 0, ties = 0;
  for (size_t g = 0; g < groups.size(); ++g) {
    if (groups[g].second > best_count) {
      best = g;
      best_count = groups[g].second;
      ties = 0;
    } else if (groups[g].second == best_count) {
      ++ties;
    }
  }
  if (best_count == 0 || best_count < n / 2 || ties > 0) {
    std::string why;
    if (best_count == 0) {
      why = "no drive holds a usable format.json";
    } else if (ties > 0) {
      why = std::to_string(ties + 1) + " different formats are each held by " +
            std::to_string(best_count) + (best_count == 1 ? " drive" : " drives");
    } else {
      why = "the largest group of drives agreeing on a format has " + std::to_string(best_count) +
            ", fewer than half the pool";
    }
    return Status(ErrorCode::kInsufficientReadQuorum,
                  "no format.json quorum: " + why + " (" + counts + ")");
  }
  pool.reference = groups[best].first;
  const FormatErasure& ref = pool.reference;
  if (ref.sets.size() != static_cast<size_t>(set_count) ||
      ref.sets.front().size() != static_cast<size_t>(set_drive_count)) {
    return Status(ErrorCode::kCorruptedFormat, "the drives are formatted as " + shape(ref) +
                                                   " but the command line gives " +
                                                   shape(set_count, set_drive_count));
  }

  // Formatted drives take the slot their UUID names, wherever they stand on the command line.
  std::map<std::pair<int, int>, size_t> claimed;  // slot -> drive
  for (size_t i = 0; i < n; ++i) {
    if (!formats[i]) continue;
    DriveFormat& drive = pool.drives[i];
    const FormatErasure& f = *formats[i];
    drive.state = DriveFormatState::kForeign;
    if (f.id != ref.id) {
      drive.reason = "belongs to deployment " + f.id + ", not " + ref.id;
      continue;
    }
    if (without_this(f) != ref) {
      drive.reason = "its format.json (" + shape(f) + ", " + f.distribution_algo +
                     ") disagrees with the pool's for the same deployment " + ref.id;
      continue;
    }
    auto slot = find_slot(ref, f.this_drive);
    if (auto it = claimed.find(*slot); it != claimed.end()) {
      drive.reason = "drive UUID " + f.this_drive + " is already held by drive " +
                     std::to_string(it->second + 1) + " of the pool";
      continue;
    }
    claimed.emplace(*slot, i);
    drive.state = DriveFormatState::kOk;
    drive.set_index = slot->first;
    drive.drive_index = slot->second;
  }

  // Blank drives: first the slot of their own command-line position when no drive holds it,
  // then any free slot, except those at offline drives' positions, which may hold them.
  auto position_slot = [&](size_t i) {
    return std::make_pair(static_cast<int>(i) / set_drive_count,
                          static_cast<int>(i) % set_drive_count);
  };
  auto give_slot = [&](size_t i, std::pair<int, int> slot) {
    DriveFormat& drive = pool.drives[i];
    claimed.emplace(slot, i);
    drive.set_index = slot.first;
    drive.drive_index = slot.second;
    FormatErasure healed = ref;
    healed.this_drive = ref.sets[slot.first][slot.second];
    drive.format_to_write = std::move(healed);
  };
  std::vector<size_t> unplaced;
  for (size_t i = 0; i < n; ++i) {
    if (pool.drives[i].state != DriveFormatState::kBlank) continue;
    if (!claimed.count(position_slot(i))) {
      give_slot(i, position_slot(i));
    } else {
      unplaced.push_back(i);
    }
  }
  size_t next = 0;
  for (size_t i : unplaced) {
    while (next < n && (claimed.count(position_slot(next)) ||
                        pool.drives[next].state == DriveFormatState::kOffline)) {
      ++next;
    }
    // Counting shows a free slot always remains (free slots outnumber offline drives by the
    // blank and foreign ones); kept so a mistake here cannot hand out a held UUID.
    if (next == n) {
      pool.drives[i].reason =
          "no free slot: the drive UUIDs no drive holds may belong to offline drives";
      continue;
    }
    give_slot(i, position_slot(next));
  }
  return pool;
}

}  // namespace maxio
