#pragma once
// Snapshot: what one refresh of the console fetched from a server, handed from the admin
// worker thread to the GUI thread by value. A part is empty when its request failed; the
// failures are in `errors`, one line each ("topology: ...").

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "gui/core/buckets_model.h"

namespace maxio::console {

struct Snapshot {
  uint64_t generation = 0;  // the connection it belongs to (see AdminWorker::connect_to)
  std::optional<nlohmann::ordered_json> info;        // GET /info
  std::optional<nlohmann::ordered_json> topology;    // GET /topology
  std::optional<nlohmann::ordered_json> usage;       // GET /datausage
  std::optional<nlohmann::ordered_json> heal;        // GET /heal/status
  std::optional<std::vector<ListedBucket>> buckets;  // S3 ListBuckets
  std::vector<std::string> errors;
};

}  // namespace maxio::console
