#pragma once
// ListingCache: walks suspended at the end of a truncated listing page, kept so the request
// for the next page (same bucket, prefix and delimiter, marker = the page's next marker)
// continues the walk instead of reading and sorting every directory on the path again — a
// flat directory of a million keys would otherwise be read once per page. A continued walk
// sees each directory as it was when the walk first read it; objects are still read fresh,
// so a key deleted since is left out. Bounded: at most `capacity` walks, each dropped after
// `idle` without a request (the next page then starts a new walk at its marker).
// Thread-safe; a suspended walk is handed to one request only.

#include <chrono>
#include <cstddef>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "daemon/storage/list/tree_walk.h"

namespace maxio {

// Where a listing page stopped.
struct SuspendedListing {
  std::unique_ptr<KeyWalker> walker;
  std::optional<WalkEntry> pending;  // read from the walker but not yet listed
  // What the walker's is-listed test calls; the request that resumes the walk points it at
  // its own object reader (the walker outlives the request that created it).
  std::shared_ptr<std::function<Result<bool>(const WalkEntry&)>> is_listed;
};

class ListingCache {
 public:
  explicit ListingCache(size_t capacity = 32,
                        std::chrono::milliseconds idle = std::chrono::seconds(60));
  ListingCache(const ListingCache&) = delete;
  ListingCache& operator=(const ListingCache&) = delete;

  // The listing `key` names (see listing_key), removed from the cache; nullopt when there
  // is none or it expired.
  std::optional<SuspendedListing> take(const std::string& key);
  // Keeps `listing` under `key`, dropping the least recently kept one when full.
  void put(const std::string& key, SuspendedListing listing);
  // Drops every listing of `bucket` (the bucket was deleted).
  void drop_bucket(const std::string& bucket);
  size_t size() const;

 private:
  struct Item {
    std::string key;
    SuspendedListing listing;
    std::chrono::steady_clock::time_point kept;
  };
  void drop_expired(std::chrono::steady_clock::time_point now);  // mu_ held

  const size_t capacity_;
  const std::chrono::milliseconds idle_;
  mutable std::mutex mu_;
  std::list<Item> items_;  // oldest first
};

// The cache key of the page that continues at `marker`.
std::string listing_key(const std::string& bucket, const std::string& prefix,
                        const std::string& delimiter, const std::string& marker);

}  // namespace maxio
