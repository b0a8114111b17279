#pragma once
// MergedWalker: the union of several sorted KeyWalkers (the drives of one or more erasure
// sets) as one sorted stream without duplicates. An entry found by several walkers is
// returned once, tagged with the tag of the first walker that had it. A walker that fails
// is dropped when `tolerate_errors` (a drive that went away mid-listing) and its error is
// returned otherwise. Owns its walkers; not thread-safe.

#include <memory>
#include <optional>
#include <vector>

#include "daemon/storage/list/tree_walk.h"
#include "shared/util/status.h"

namespace maxio {

class MergedWalker final : public KeyWalker {
 public:
  explicit MergedWalker(bool tolerate_errors) : tolerate_errors_(tolerate_errors) {}
  // Adds a walker whose entries get `tag` as WalkEntry::source.
  void add(std::unique_ptr<KeyWalker> walker, int tag);
  Result<std::optional<WalkEntry>> next() override;

 private:
  struct Head {
    std::unique_ptr<KeyWalker> walker;
    int tag = 0;
    std::optional<WalkEntry> entry;  // the walker's current entry
    bool started = false;
    bool done = false;
  };
  Status advance(Head& head);

  bool tolerate_errors_;
  std::vector<Head> heads_;
  Status first_error_;
};

}  // namespace maxio
