#include "daemon/storage/list/listing_cache.h"

namespace maxio {

ListingCache::ListingCache(size_t capacity, std::chrono::milliseconds idle)
    : capacity_(capacity), idle_(idle) {}

void ListingCache::drop_expired(std::chrono::steady_clock::time_point now) {
  while (!items_.empty() && now - items_.front().kept > idle_) items_.pop_front();
}

std::optional<SuspendedListing> ListingCache::take(const std::string& key) {
  std::lock_guard<std::mutex> lock(mu_);
  drop_expired(std::chrono::steady_clock::now());
  for (auto it = items_.begin(); it != items_.end(); ++it) {
    if (it->key != key) continue;
    SuspendedListing listing = std::move(it->listing);
    items_.erase(it);
    return listing;
  }
  return std::nullopt;
}

void ListingCache::put(const std::string& key, SuspendedListing listing) {
  if (capacity_ == 0) return;
  std::lock_guard<std::mutex> lock(mu_);
  auto now = std::chrono::steady_clock::now();
  drop_expired(now);
  for (auto it = items_.begin(); it != items_.end(); ++it) {
    if (it->key == key) {
      items_.erase(it);
      break;
    }
  }
  if (items_.size() >= capacity_) items_.pop_front();
  items_.push_back(Item{key, std::move(listing), now});
}

void ListingCache::drop_bucket(const std::string& bucket) {
  const std::string key_start = bucket + '\0';
  std::lock_guard<std::mutex> lock(mu_);
  items_.remove_if([&](const Item& item) { return item.key.starts_with(key_start); });
}

size_t ListingCache::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return items_.size();
}

std::string listing_key(const std::string& bucket, const std::string& prefix,
                        const std::string& delimiter, const std::string& marker) {
  std::string key;
  key.reserve(bucket.size() + prefix.size() + delimiter.size() + marker.size() + 3);
  for (const std::string* part : {&bucket, &prefix, &delimiter, &marker}) {
    key += *part;
    key.push_back('\0');
  }
  return key;
}

}  // namespace maxio
