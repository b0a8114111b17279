#include "fuse/mount/stat_cache.h"

namespace maxio::fuse {

std::optional<std::optional<Attributes>> StatCache::get(std::string_view path,
                                                        Clock::time_point now) {
  std::lock_guard lock(mu_);
  auto it = entries_.find(path);
  if (it == entries_.end()) return std::nullopt;
  if (it->second.expires <= now) {
    entries_.erase(it);
    return std::nullopt;
  }
  return it->second.attr;
}

void StatCache::insert(std::string_view path, Entry entry, bool replace) {
  std::lock_guard lock(mu_);
  if (!replace) {
    auto it = entries_.find(path);
    if (it != entries_.end() && it->second.expires > Clock::now()) return;
  }
  if (entries_.size() >= capacity_ && entries_.find(path) == entries_.end()) {
    // Drop expired entries first; when none are, drop an arbitrary tenth (cheap and rare).
    auto now = Clock::now();
    for (auto it = entries_.begin(); it != entries_.end();) {
      it = it->second.expires <= now ? entries_.erase(it) : std::next(it);
    }
    size_t drop = entries_.size() >= capacity_ ? capacity_ / 10 + 1 : 0;
    for (auto it = entries_.begin(); drop > 0 && it != entries_.end(); --drop) {
      it = entries_.erase(it);
    }
  }
  entries_.insert_or_assign(std::string(path), std::move(entry));
}

void StatCache::put(std::string_view path, const Attributes& attr, Clock::time_point now) {
  if (ttl_ <= Clock::duration::zero()) return;
  insert(path, Entry{attr, now + ttl_});
}

void StatCache::put_if_absent(std::string_view path, const Attributes& attr,
                              Clock::time_point now) {
  if (ttl_ <= Clock::duration::zero()) return;
  insert(path, Entry{attr, now + ttl_}, /*replace=*/false);
}

void StatCache::put_negative(std::string_view path, Clock::time_point now) {
  if (negative_ttl_ <= Clock::duration::zero()) return;
  insert(path, Entry{std::nullopt, now + negative_ttl_});
}

void StatCache::erase(std::string_view path) {
  std::lock_guard lock(mu_);
  auto it = entries_.find(path);
  if (it != entries_.end()) entries_.erase(it);
}

void StatCache::erase_tree(std::string_view path) {
  std::lock_guard lock(mu_);
  auto it = entries_.find(path);
  if (it != entries_.end()) entries_.erase(it);
  std::string below(path);
  if (below.empty() || below.back() != '/') below.push_back('/');
  for (it = entries_.lower_bound(below);
       it != entries_.end() && it->first.compare(0, below.size(), below) == 0;) {
    it = entries_.erase(it);
  }
}

void StatCache::clear() {
  std::lock_guard lock(mu_);
  entries_.clear();
}

size_t StatCache::size() const {
  std::lock_guard lock(mu_);
  return entries_.size();
}

}  // namespace maxio::fuse
