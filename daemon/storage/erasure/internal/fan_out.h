#pragma once
// Private to daemon/storage/erasure: what the set's object code (erasure_set.cc) and its
// multipart code (multipart.cc) share: the meta volume's name, the content type S3 reports
// when none was given, and running one call per drive in parallel.

#include <cstddef>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "daemon/storage/drive/storage_api.h"

namespace maxio::erasure_internal {

inline constexpr std::string_view kDefaultContentType = "binary/octet-stream";  // as AWS

inline std::string meta_volume() { return std::string(kMinioMetaVolume); }

// Runs fn(i) for i in [0, n) on n threads (drive fan-out: fsyncs and renames overlap).
template <typename Fn>
void for_each_parallel(size_t n, Fn&& fn) {
  if (n <= 1) {
    for (size_t i = 0; i < n; ++i) fn(i);
    return;
  }
  std::vector<std::thread> threads;
  threads.reserve(n - 1);
  for (size_t i = 1; i < n; ++i) threads.emplace_back([&fn, i] { fn(i); });
  fn(0);
  for (auto& t : threads) t.join();
}

}  // namespace maxio::erasure_internal
