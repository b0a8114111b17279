#pragma once
// StatCache: what getattr learned about paths, for a time to live, including that a path
// does not exist (negative entries, with their own, shorter TTL). Thread-safe (one mutex).
// Time is passed in by the caller so tests control it.

#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "fuse/mount/metadata.h"

namespace maxio::fuse {

class StatCache {
 public:
  using Clock = std::chrono::steady_clock;

  // A TTL of 0 disables that kind of entry. At most `capacity` entries are kept (the
  // oldest inserted go first when full).
  StatCache(Clock::duration ttl, Clock::duration negative_ttl, size_t capacity = 100000)
      : ttl_(ttl), negative_ttl_(negative_ttl), capacity_(capacity) {}

  // A found entry: the attributes, or nullopt inside for "known not to exist".
  // std::nullopt (outer) when the cache knows nothing fresh about `path`.
  std::optional<std::optional<Attributes>> get(std::string_view path, Clock::time_point now);

  void put(std::string_view path, const Attributes& attr, Clock::time_point now);
  // Like put, but keeps a fresh entry that is already there (a prefetched answer must not
  // overwrite what a later operation of this mount stored meanwhile).
  void put_if_absent(std::string_view path, const Attributes& attr, Clock::time_point now);
  void put_negative(std::string_view path, Clock::time_point now);
  void erase(std::string_view path);
  // Erases `path` and every path below it ("/a" erases "/a/b", not "/ab").
  void erase_tree(std::string_view path);
  void clear();
  size_t size() const;

 private:
  struct Entry {
    std::optional<Attributes> attr;
    Clock::time_point expires;
  };
  void insert(std::string_view path, Entry entry, bool replace = true);

  const Clock::duration ttl_;
  const Clock::duration negative_ttl_;
  const size_t capacity_;
  mutable std::mutex mu_;
  std::map<std::string, Entry, std::less<>> entries_;  // guarded by mu_
};

}  // namespace maxio::fuse
