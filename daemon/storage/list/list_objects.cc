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
  if (cache && !marker.empty())
    listing = cache->take(listing_key(bucket, prefix, delimiter, marker));
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

Result<ListObjectVersionsInfo> list_object_versions_from(
    const KeyWalkerFactory& make_walker, const std::string& bucket, const std::string& prefix,
    const std::string& key_marker, const std::string& version_id_marker,
    const std::string& delimiter, int max_keys, const ListedVersionsFn& versions,
    const MarkerVersionsFn& marker_versions) {
  ListObjectVersionsInfo out;
  if (max_keys < 0) max_keys = 1000;
  if (max_keys == 0) return out;
  int count = 0;
  // Adds one version unless the page is full (then marks it truncated); false when full.
  auto add_version = [&](ObjectInfo version) {
    if (count == max_keys) {
      out.is_truncated = true;
      return false;
    }
    out.next_key_marker = version.name;
    out.next_version_id_marker = version.version_id.empty() ? "null" : version.version_id;
    out.versions.push_back(std::move(version));
    ++count;
    return true;
  };

  if (!version_id_marker.empty() && marker_versions) {
    MAXIO_TRY(std::vector<ObjectInfo> listed, marker_versions());
    const std::string wanted = version_id_marker == "null" ? "" : version_id_marker;
    size_t start = listed.size();
    for (size_t i = 0; i < listed.size(); ++i) {
      if (listed[i].version_id == wanted) {
        start = i + 1;
        break;
      }
    }
    for (size_t i = start; i < listed.size(); ++i) {
      if (!add_version(std::move(listed[i]))) return out;
    }
  }

  WalkOptions options;
  options.volume = bucket;
  options.prefix = prefix;
  options.marker = key_marker;
  options.recursive = delimiter != "/";
  auto is_listed = [&versions](const WalkEntry& entry) -> Result<bool> {
    MAXIO_TRY(std::vector<ObjectInfo> listed, versions(entry));
    return !listed.empty();
  };
  MAXIO_TRY(std::unique_ptr<KeyWalker> walker, make_walker(options, is_listed));
  std::string last_prefix;
  while (true) {
    MAXIO_TRY(std::optional<WalkEntry> entry, walker->next());
    if (!entry) break;
    std::string common_prefix;
    if (entry->is_prefix) {
      common_prefix = entry->key;
    } else if (!delimiter.empty()) {
      size_t pos = entry->key.find(delimiter, prefix.size());
      if (pos != std::string::npos) common_prefix = entry->key.substr(0, pos + delimiter.size());
    }
    if (!common_prefix.empty()) {
      if (common_prefix <= key_marker || common_prefix == last_prefix) continue;
      if (!entry->is_prefix) {
        MAXIO_TRY(bool listed, is_listed(*entry));
        if (!listed) continue;
      }
      if (count == max_keys) {
        out.is_truncated = true;
        break;
      }
      last_prefix = common_prefix;
      out.prefixes.push_back(common_prefix);
      out.next_key_marker = common_prefix;
      out.next_version_id_marker.clear();
      ++count;
      continue;
    }
    MAXIO_TRY(std::vector<ObjectInfo> listed, versions(*entry));
    bool full = false;
    for (ObjectInfo& version : listed) {
      if (!add_version(std::move(version))) {
        full = true;
        break;
      }
    }
    if (full) break;
  }
  if (!out.is_truncated) {
    out.next_key_marker.clear();
    out.next_version_id_marker.clear();
  }
  return out;
}

}  // namespace maxio
