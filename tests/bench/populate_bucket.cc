// populate_bucket: fills a bucket with many small objects directly through the object layer
// (no HTTP, no fsync), so listing benchmarks can start from a bucket of a million keys in
// minutes. The drives are formatted as maxiod formats them; serve them afterwards with
// `maxiod server <drives>`.
//
//   populate_bucket --bucket B --objects N [--layout flat|nested] [--threads T] DRIVE...
//
// flat: keys "obj-0000000" ... in one directory; nested: "d000/o0000" ... (1000 keys per
// directory). Each object holds its key (a few bytes, stored inline in xl.meta).

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "daemon/storage/object_layer.h"
#include "shared/util/io.h"

namespace {

std::string key_of(uint64_t i, bool nested) {
  char buffer[32];
  if (nested) {
    std::snprintf(buffer, sizeof buffer, "d%03llu/o%04llu",
                  static_cast<unsigned long long>(i / 1000),
                  static_cast<unsigned long long>(i % 1000));
  } else {
    std::snprintf(buffer, sizeof buffer, "obj-%07llu", static_cast<unsigned long long>(i));
  }
  return buffer;
}

int usage() {
  std::fprintf(stderr,
               "usage: populate_bucket --bucket B --objects N [--layout flat|nested] "
               "[--threads T] DRIVE...\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::string bucket;
  uint64_t objects = 0;
  bool nested = false;
  int threads = 4;
  maxio::PoolLayout pool;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto value = [&]() -> std::string { return i + 1 < argc ? argv[++i] : ""; };
    if (arg == "--bucket") {
      bucket = value();
    } else if (arg == "--objects") {
      objects = std::strtoull(value().c_str(), nullptr, 10);
    } else if (arg == "--layout") {
      std::string layout = value();
      if (layout != "flat" && layout != "nested") return usage();
      nested = layout == "nested";
    } else if (arg == "--threads") {
      threads = std::atoi(value().c_str());
    } else if (arg.starts_with("--")) {
      return usage();
    } else {
      pool.drive_paths.push_back(arg);
    }
  }
  if (bucket.empty() || objects == 0 || pool.drive_paths.empty() || threads < 1) return usage();

  maxio::ObjectLayerOptions options;
  options.pools = {pool};
  options.scanner_interval = {};
  options.probe_interval = {};
  options.heal_on_access = false;
  options.sync = false;
  auto layer = maxio::open_object_layer(options);
  if (!layer) {
    std::fprintf(stderr, "populate_bucket: %s\n", layer.status().to_string().c_str());
    return 1;
  }
  maxio::Status made = (*layer)->make_bucket(bucket, {});
  if (!made && made.code() != maxio::ErrorCode::kBucketAlreadyOwnedByYou) {
    std::fprintf(stderr, "populate_bucket: %s\n", made.to_string().c_str());
    return 1;
  }
  std::atomic<uint64_t> next{0};
  std::atomic<bool> failed{false};
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&] {
      for (uint64_t i = next++; i < objects && !failed; i = next++) {
        std::string key = key_of(i, nested);
        maxio::StringReader body(key);
        maxio::PutObjectOptions put;
        put.size = static_cast<int64_t>(key.size());
        auto stored = (*layer)->put_object(bucket, key, body, put);
        if (!stored) {
          std::fprintf(stderr, "populate_bucket: %s: %s\n", key.c_str(),
                       stored.status().to_string().c_str());
          failed = true;
        }
        if (i % 100000 == 99999) std::fprintf(stderr, "%llu\n", (unsigned long long)(i + 1));
      }
    });
  }
  for (auto& worker : workers) worker.join();
  return failed ? 1 : 0;
}
