#pragma once
// format.json of one drive (.minio.sys/format.json), MinIO's formatErasureV3: the deployment
// ID, this drive's UUID and the UUID matrix of every erasure set. Plain data and pure
// functions; thread-safe.

#include <string>
#include <string_view>
#include <vector>

#include "shared/util/status.h"

namespace maxio {

struct FormatErasure {
  std::string version = "1";
  std::string format = "xl";  // "xl" or "xl-single"
  std::string id;             // deployment id
  std::string xl_version = "3";
  std::string this_drive;
  std::vector<std::vector<std::string>> sets;
  std::string distribution_algo = "SIPMOD+PARITY";

  bool operator==(const FormatErasure&) const = default;
};

// Parses format.json. kCorruptedFormat when the JSON is invalid, a field has the wrong type,
// version is not "1", format is not "xl"/"xl-single", or xl.version/xl.this/xl.sets are
// missing. Unknown fields are ignored.
Result<FormatErasure> parse_format_json(std::string_view json);

// Encodes f as MinIO does: {"version","format","id","xl":{"version","this","sets",
// "distributionAlgo"}}.
std::string serialize_format_json(const FormatErasure& f);

// A fresh deployment: a new deployment id and drive UUIDs for set_count x drives_per_set
// drives; returns one FormatErasure per drive (this_drive set), set-major order.
// Both counts must be positive.
std::vector<FormatErasure> new_formats(int set_count, int drives_per_set);

}  // namespace maxio
