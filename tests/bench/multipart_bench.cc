// multipart_bench: upload throughput of one object through the object layer, as one PUT
// (the baseline) and as a multipart upload (parts one after another, and several parts in
// flight as S3 clients send them), then the GET of the multipart object; with the
// process's peak RSS. Drives are directories under --dir (default /tmp); fsync is on, as
// in the daemon.
//
//   multipart_bench [--size-mib N] [--part-mib N] [--parallel N] [--drives N] [--dir D]

#include <sys/resource.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "daemon/storage/object_layer.h"
#include "shared/util/io.h"

namespace maxio {
namespace {

constexpr uint64_t kMiB = 1 << 20;

// `size` bytes of non-repeating data generated on the fly from a 1 MiB block.
class PatternReader final : public Reader {
 public:
  PatternReader(uint64_t size, uint64_t seed) : remaining_(size), block_(kMiB, '\0') {
    uint64_t x = seed * 0x9E3779B97F4A7C15ull + 1;
    for (size_t i = 0; i < block_.size(); i += 8) {
      x ^= x << 13;
      x ^= x >> 7;
      x ^= x << 17;
      std::memcpy(&block_[i], &x, 8);
    }
  }
  Result<size_t> read(char* buffer, size_t size) override {
    size_t n = static_cast<size_t>(std::min<uint64_t>(size, remaining_));
    for (size_t done = 0; done < n;) {
      size_t at = static_cast<size_t>(offset_ % kMiB);
      size_t chunk = std::min(n - done, static_cast<size_t>(kMiB) - at);
      std::memcpy(buffer + done, block_.data() + at, chunk);
      if (at == 0) std::memcpy(buffer + done, &offset_, std::min<size_t>(8, chunk));
      done += chunk;
      offset_ += chunk;
    }
    remaining_ -= n;
    return n;
  }

 private:
  uint64_t remaining_;
  uint64_t offset_ = 0;
  std::string block_;
};

double peak_rss_mib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

void row(const char* what, uint64_t bytes, double seconds, double baseline) {
  const double gbs = static_cast<double>(bytes) / seconds / 1e9;
  std::printf("%-44s %7.3f GB/s %8.2f s  %5.2fx PUT  peak RSS %6.1f MiB\n", what, gbs, seconds,
              baseline > 0 ? baseline / seconds : 1.0, peak_rss_mib());
  std::fflush(stdout);
}

int run(int argc, char** argv) {
  uint64_t size_mib = 1024, part_mib = 16;
  int parallel = 4, drives = 1;
  std::string dir = "/tmp";
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    if (flag == "--size-mib")
      size_mib = std::stoull(argv[i + 1]);
    else if (flag == "--part-mib")
      part_mib = std::stoull(argv[i + 1]);
    else if (flag == "--parallel")
      parallel = std::stoi(argv[i + 1]);
    else if (flag == "--drives")
      drives = std::stoi(argv[i + 1]);
    else if (flag == "--dir")
      dir = argv[i + 1];
  }
  const uint64_t size = size_mib * kMiB, part_size = part_mib * kMiB;
  const int parts = static_cast<int>((size + part_size - 1) / part_size);
  const std::string root = dir + "/maxio-multipart-bench-" + std::to_string(::getpid());
  ObjectLayerOptions options;
  PoolLayout pool;
  for (int d = 1; d <= drives; ++d) pool.drive_paths.push_back(root + "/d" + std::to_string(d));
  options.pools.push_back(pool);
  options.scanner_interval = std::chrono::milliseconds(0);
  options.stale_uploads_cleanup_interval = std::chrono::milliseconds(0);
  auto layer = open_object_layer(options);
  if (!layer) {
    std::fprintf(stderr, "open: %s\n", layer.status().to_string().c_str());
    return 1;
  }
  ObjectLayer& ol = **layer;
  (void)ol.make_bucket("bench", {});
  std::printf("%llu MiB object, %d drive(s), %llu MiB parts (%d), %d in flight\n",
              static_cast<unsigned long long>(size_mib), drives,
              static_cast<unsigned long long>(part_mib), parts, parallel);

  // Baseline: one PUT.
  auto start = std::chrono::steady_clock::now();
  {
    PatternReader reader(size, 1);
    PutObjectOptions put;
    put.size = static_cast<int64_t>(size);
    auto info = ol.put_object("bench", "single", reader, put);
    if (!info) return std::fprintf(stderr, "put: %s\n", info.status().to_string().c_str()), 1;
  }
  const double baseline = seconds_since(start);
  row("PUT (baseline)", size, baseline, baseline);
  (void)ol.delete_object("bench", "single", {});

  for (int in_flight : {1, parallel}) {
    const std::string key = "multipart-" + std::to_string(in_flight);
    start = std::chrono::steady_clock::now();
    auto id = ol.new_multipart_upload("bench", key, {});
    if (!id) return std::fprintf(stderr, "create: %s\n", id.status().to_string().c_str()), 1;
    std::vector<CompletePart> done(parts);
    std::atomic<int> next{0};
    std::atomic<bool> failed{false};
    std::vector<std::thread> workers;
    for (int w = 0; w < in_flight; ++w) {
      workers.emplace_back([&] {
        for (int p = next++; p < parts && !failed; p = next++) {
          const uint64_t length = std::min(part_size, size - p * part_size);
          PatternReader reader(length, 100 + p);
          PutObjectOptions put;
          put.size = static_cast<int64_t>(length);
          auto part = ol.put_object_part("bench", key, *id, p + 1, reader, put);
          if (!part) {
            std::fprintf(stderr, "part %d: %s\n", p + 1, part.status().to_string().c_str());
            failed = true;
            return;
          }
          done[p] = {p + 1, part->etag};
        }
      });
    }
    for (auto& t : workers) t.join();
    if (failed) return 1;
    auto info = ol.complete_multipart_upload("bench", key, *id, done, {});
    if (!info) return std::fprintf(stderr, "complete: %s\n", info.status().to_string().c_str()), 1;
    const std::string what = "multipart, " + std::to_string(in_flight) + " part(s) in flight";
    row(what.c_str(), size, seconds_since(start), baseline);
  }

  start = std::chrono::steady_clock::now();
  {
    auto reader = ol.open_object("bench", "multipart-1", {});
    if (!reader) return 1;
    std::vector<char> buffer(kMiB);
    uint64_t total = 0;
    while (true) {
      auto n = (*reader)->read(buffer.data(), buffer.size());
      if (!n || *n == 0) break;
      total += *n;
    }
    if (total != size)
      return std::fprintf(stderr, "GET returned %llu bytes\n",
                          static_cast<unsigned long long>(total)),
             1;
  }
  row("GET of the multipart object", size, seconds_since(start), baseline);
  layer->reset();
  std::error_code ec;
  std::filesystem::remove_all(root, ec);
  return 0;
}

}  // namespace
}  // namespace maxio

int main(int argc, char** argv) { return maxio::run(argc, argv); }
