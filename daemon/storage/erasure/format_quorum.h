#pragma once
// A pool's format.json decided at start-up, as MinIO decides it (connectLoadInitFormats,
// getFormatErasureInQuorum, newHealFormatSets): from what reading each drive's format.json
// gave, the pool's reference format, each drive's slot in it and the format.json to write on
// blank drives. A pure function: the caller reads and writes the files. Thread-safe.

#include <optional>
#include <string>
#include <vector>

#include "daemon/storage/xlmeta/format.h"
#include "shared/util/status.h"

namespace maxio {

enum class DriveFormatState {
  kOk,       // its format.json belongs to the reference; its UUID names its slot
  kBlank,    // no format.json: format it (fresh deployment) or heal it into a free slot
  kForeign,  // another deployment, a UUID not in the reference, or a corrupt format.json:
             // never to be written
  kOffline,  // reading format.json failed
};

struct DriveFormat {
  DriveFormatState state = DriveFormatState::kOffline;
  // The drive's erasure set and its position in the set: for kOk from its UUID (not from
  // its command-line position), for kBlank the slot it is given; -1 otherwise.
  int set_index = -1;
  int drive_index = -1;
  std::string reason;  // why kForeign or kOffline, or why a kBlank drive got no slot
  // kBlank drives with a slot: the format.json to write (serialize_format_json).
  std::optional<FormatErasure> format_to_write;
};

struct PoolFormat {
  bool fresh = false;               // every drive was blank: a new deployment
  FormatErasure reference;          // the pool's format, this_drive empty
  std::vector<DriveFormat> drives;  // one per drive, command-line order
};

// `format_reads` holds, for each drive of a pool in command-line order, the bytes of its
// .minio.sys/format.json, or the error reading it: kFileNotFound, kVolumeNotFound or
// kUnformattedDrive mean a blank drive, any other error an offline one. The pool has
// set_count x set_drive_count drives.
// - Every drive blank: a fresh deployment, new formats (new_formats; "xl-single" when
//   set_drive_count is 1) with drive i in slot i.
// - Otherwise the reference is the format (all fields but xl.this) held by the most drives:
//   at least n/2 of the pool's n drives, rounded down (MinIO's quorum), and more drives
//   than hold any other format.
// Errors: kInvalidArgument when the counts do not match format_reads; kInsufficientWriteQuorum
// when no drive is formatted but some are offline (a fresh format needs them all);
// kInsufficientReadQuorum when most drives are blank, or no format has quorum;
// kCorruptedFormat when the reference's sets differ in shape from set_count x set_drive_count.
Result<PoolFormat> resolve_pool_format(const std::vector<Result<std::string>>& format_reads,
                                       int set_count, int set_drive_count);

}  // namespace maxio
