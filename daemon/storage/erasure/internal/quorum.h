#pragma once
// Private to erasure_set.cc and multipart.cc: the definition of ErasureSet::Quorum, the
// result of one quorum read of an xl.meta across the set's drives.

#include <optional>
#include <vector>

#include "daemon/storage/erasure/erasure_set.h"

namespace maxio {

// What every drive said about one object's latest version, and the version a quorum of
// them agrees on.
struct ErasureSet::Quorum {
  std::vector<Result<FileInfo>> per_drive;
  std::vector<bool> agrees;    // per drive: holds the agreed version
  std::optional<FileInfo> fi;  // the agreed version (erasure.index and data meaningless)
  int agreeing = 0;
  int not_found = 0;       // drives that answered that the object (or bucket) is missing
  int bucket_missing = 0;  // of those, drives without the bucket
  int holding_any = 0;     // drives holding some version
  int unreachable = 0;     // drives offline or failing
  Status status;           // ok when fi has read quorum
};

}  // namespace maxio
