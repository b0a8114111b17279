#include "daemon/storage/list/list_objects.h"

namespace maxio {

Result<ListObjectsInfo> list_objects_on_drive(StorageApi& drive, const std::string& bucket,
                                              const std::string& prefix, const std::string& marker,
                                              const std::string& delimiter, int max_keys,
                                              const ListedObjectInfoFn& info) {
  auto make_walker = [&drive](const WalkOptions& options,
                              WalkIsListedFn is_listed) -> Result<std::unique_ptr<KeyWalker>> {
    return std::unique_ptr<KeyWalker>(new TreeWalker(drive, options, std::move(is_listed)));
  };
  return list_objects_from(make_walker, bucket, prefix, marker, delimiter, max_keys, info);
}

Result<ListObjectsInfo> list_objects_from(const KeyWalkerFactory& make_walker,
                                          const std::string& bucket, const std::string& prefix,
                                          const std::string& marker, const std::string& delimiter,
                                          int max_keys, const ListedObjectInfoFn& info,
                                          ListingCache* cache) {
  ListObjectsInfo out;
  if (max_keys < 0) max_keys = 1000;
  if (max_keys == 0) return out;

  auto is_listed = [&info](const WalkEntry& entry) -> Result<bool> {
    MAXIO_TRY(std::optional<ObjectInfo> object, info(entry));
    return object.has_value();
  };
  std::optional<SuspendedListing> listing;
  if (cache && !marker.empty()) listing = cache->take(listing_key(bucket, prefix, delimiter, marker));
  if (listing) {
    *listing->is_listed = is_listed;
  } else {
    WalkOptions options;
    options.volume = bucket;
    options.prefix = prefix;
    options.marker = marker;
    options.recursive = delimiter != "/";
    listing.emplace();
    // The walker calls is_listed through this slot, which each resuming request repoints.
    listing->is_listed = std::make_shared<std::function<Result<bool>(const WalkEntry&)>>(is_listed);
    auto slot = listing->is_listed;
    MAXIO_TRY(listing->walker,
              make_walker(options, [slot](const WalkEntry& entry) { return (*slot)(entry); }));
  }
  KeyWalker& walker = *listing->walker;

  std::string last_prefix;
  int count = 0;
  while (true) {
    std::optional<WalkEntry> entry;
    if (listing->pending) {
      entry = std::move(listing->pending);
      listing->pending.reset();
    } else {
      MAXIO_TRY(entry, walker.next());
    }
    if (!entry) break;

    std::string common_prefix;
    if (entry->is_prefix) {
      common_prefix = entry->key;
    } else if (!delimiter.empty()) {
      size_t pos = entry->key.find(delimiter, prefix.size());
      if (pos != std::string::npos) common_prefix = entry->key.substr(0, pos + delimiter.size());
    }
    if (!common_prefix.empty()) {
      if (common_prefix <= marker || common_prefix == last_prefix) continue;
      if (!entry->is_prefix) {
        // A key rolled up by another delimiter: its prefix shows only if the key is listed.
        MAXIO_TRY(std::optional<ObjectInfo> object, info(*entry));
        if (!object) continue;
      }
      if (count == max_keys) {
        out.is_truncated = true;
        listing->pending = std::move(entry);
        break;
      }
      last_prefix = common_prefix;
      out.prefixes.push_back(common_prefix);
      out.next_marker = common_prefix;
      ++count;
      continue;
    }

    MAXIO_TRY(std::optional<ObjectInfo> object, info(*entry));
    if (!object) continue;
    if (count == max_keys) {
      out.is_truncated = true;
      listing->pending = std::move(entry);
      break;
    }
    out.next_marker = entry->key;
    out.objects.push_back(std::move(*object));
    ++count;
  }
  if (!out.is_truncated) {
    out.next_marker.clear();
  } else if (cache) {
    // The object reader belongs to this request: the walk holds none until resumed.
    *listing->is_listed = {};
    cache->put(listing_key(bucket, prefix, delimiter, out.next_marker), std::move(*listing));
  }
  return out;
}

}  // namespace maxio
