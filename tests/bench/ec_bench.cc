// ec_bench: erasure-coding throughput per core on 1 MiB blocks, against bare ISA-L measured
// in the same run. Write path: encode, each stage of a PUT (split, MD5, HighwayHash with
// each kernel, bitrot framing) alone, then erasure_encode end to end with the ETag MD5 on
// the caller's thread and on its own. Read path: rebuilding m lost data shards, and
// ErasureDecoder end to end (bitrot verification, reconstruction).
//
//   ec_bench [--seconds N]   about N seconds per row (default 2)
//
// The rows of one table run in turn, in kRounds slices each, and each row keeps its fastest
// slice: on a shared machine, interference only ever slows a slice down, and baseline and
// candidate see the same conditions.

#include <isa-l/erasure_code.h>
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <limits>
#include <memory>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "daemon/storage/erasure/bitrot.h"
#include "daemon/storage/erasure/erasure_coding.h"
#include "daemon/storage/erasure/reed_solomon.h"
#include "shared/crypto/hash.h"
#include "shared/crypto/highwayhash.h"

namespace maxio {
namespace {

constexpr size_t kBlockSize = size_t{1} << 20;
constexpr size_t kObjectSize = 16 * kBlockSize;  // objects of the end-to-end rows
constexpr int kRounds = 20;

// Drops everything: the drives' place in the write pipeline.
class NullWriter final : public Writer {
 public:
  using Writer::write;
  Status write(const char*, size_t) override { return Status::ok(); }
};

// `size` bytes cycled from `pattern` (whose length is not a multiple of the block size, so
// blocks differ), copied out as a socket's bytes would be, without holding the object.
class PatternReader final : public Reader {
 public:
  PatternReader(std::string_view pattern, uint64_t size) : pattern_(pattern), left_(size) {}
  Result<size_t> read(char* buffer, size_t size) override {
    size_t done = 0;
    while (done < size && left_ > 0) {
      const size_t n = std::min<uint64_t>({size - done, pattern_.size() - at_, left_});
      std::memcpy(buffer + done, pattern_.data() + at_, n);
      done += n;
      left_ -= n;
      at_ = (at_ + n) % pattern_.size();
    }
    return done;
  }

 private:
  std::string_view pattern_;
  uint64_t left_;
  size_t at_ = 0;
};

// A shard file held in memory by someone else: the drive of the read rows, without a copy.
class ViewFileReader final : public FileReader {
 public:
  explicit ViewFileReader(std::string_view data) : data_(data) {}
  uint64_t size() const override { return data_.size(); }
  Status seek(uint64_t offset) override {
    offset_ = std::min<uint64_t>(offset, data_.size());
    return Status::ok();
  }
  Result<size_t> read(char* buffer, size_t size) override {
    const size_t n = std::min<size_t>(size, data_.size() - offset_);
    std::memcpy(buffer, data_.data() + offset_, n);
    offset_ += n;
    return n;
  }

 private:
  std::string_view data_;
  uint64_t offset_ = 0;
};

// 64-byte aligned buffers, as ISA-L's vector code prefers.
struct AlignedFree {
  void operator()(uint8_t* p) const { std::free(p); }
};
using Buffer = std::unique_ptr<uint8_t[], AlignedFree>;

Buffer aligned_buffer(size_t size) {
  const size_t rounded = (size + 63) / 64 * 64;
  auto* p = static_cast<uint8_t*>(std::aligned_alloc(64, rounded));
  if (p == nullptr) std::abort();
  std::memset(p, 0, rounded);
  return Buffer(p);
}

std::string random_bytes(size_t size, uint64_t seed) {
  std::string out(size, '\0');
  std::mt19937_64 rng(seed);
  for (auto& c : out) c = static_cast<char>(rng());
  return out;
}

void check(const Status& st) {
  if (!st) {
    std::fprintf(stderr, "%s\n", st.to_string().c_str());
    std::exit(1);
  }
}

// Seconds per call of body over a slice of about `seconds`.
double seconds_per_call(double seconds, const std::function<void()>& body) {
  using Clock = std::chrono::steady_clock;
  const auto start = Clock::now();
  uint64_t calls = 0;
  double elapsed = 0;
  do {
    body();
    ++calls;
    elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  } while (elapsed < seconds);
  return elapsed / static_cast<double>(calls);
}

// One line of a table: what `bytes` of object data cost, compared with the table's first
// row (its baseline) and, when `versus` is set, with row `versus` too (named versus_name).
struct Row {
  Row(std::string what, std::function<void()> body, size_t bytes = kBlockSize, int versus = -1,
      std::string versus_name = {})
      : what(std::move(what)),
        body(std::move(body)),
        bytes(bytes),
        versus(versus),
        versus_name(std::move(versus_name)) {}

  std::string what;
  std::function<void()> body;
  size_t bytes;
  int versus;
  std::string versus_name;
  double best = std::numeric_limits<double>::infinity();  // seconds per byte
};

void run_and_print(const std::string& code, std::vector<Row>& rows, double seconds) {
  for (Row& row : rows) row.body();  // warm caches and the decode-table cache
  for (int round = 0; round < kRounds; ++round) {
    for (Row& row : rows) {
      const double per_call = seconds_per_call(seconds / kRounds, row.body);
      row.best = std::min(row.best, per_call / static_cast<double>(row.bytes));
    }
  }
  for (const Row& row : rows) {
    std::printf("%-6s %-50s %8.2f %9.1f %8.2fx", code.c_str(), row.what.c_str(), 1e-9 / row.best,
                row.best * kBlockSize * 1e6, rows[0].best / row.best);
    if (row.versus >= 0) {
      std::printf("  %.2fx %s", rows[row.versus].best / row.best, row.versus_name.c_str());
    }
    std::printf("\n");
  }
}

volatile uint8_t g_sink;  // keeps hash results alive

ReedSolomon make_codec(int k, int m) {
  auto created = ReedSolomon::create(k, m);
  if (!created) {
    std::fprintf(stderr, "%s\n", created.status().to_string().c_str());
    std::exit(1);
  }
  return std::move(*created);
}

// Encodes an object of kObjectSize bytes from `pattern` onto k+m bitrot writers over null
// drives, hashing its ETag on the thread `observe_on` says (no ETag when `etag` is false).
void put_object(const ReedSolomon& codec, std::string_view pattern, bool etag,
                ObserveOn observe_on) {
  const int n = codec.total_shards();
  const size_t shard_size = codec.shard_size_for(kBlockSize);
  NullWriter drive;
  std::vector<std::unique_ptr<BitrotWriter>> framers;
  std::vector<Writer*> shards;
  for (int i = 0; i < n; ++i) {
    framers.push_back(std::make_unique<BitrotWriter>(drive, shard_size));
    shards.push_back(framers.back().get());
  }
  PatternReader body(pattern, kObjectSize);
  Hasher md5(HashAlgorithm::kMd5);
  ByteObserver observe;
  if (etag) observe = [&md5](const char* p, size_t len) { md5.update(p, len); };
  auto encoded = erasure_encode(codec, kBlockSize, body, kObjectSize, shards, codec.data_shards(),
                                observe, observe_on);
  check(encoded.status());
  for (auto& framer : framers) check(framer->finish());
  g_sink = static_cast<uint8_t>(md5.finish()[0]);
}

void bench_write(int k, int m, double seconds) {
  const ReedSolomon codec = make_codec(k, m);
  const size_t shard_size = codec.shard_size_for(kBlockSize);
  const std::string code = std::to_string(k) + "+" + std::to_string(m);

  Buffer block = aligned_buffer(kBlockSize);
  std::mt19937_64 rng(k * 100 + m);
  for (size_t i = 0; i < kBlockSize; ++i) block[i] = static_cast<uint8_t>(rng());
  std::vector<Buffer> shards;
  std::vector<uint8_t*> all;
  for (int i = 0; i < k + m; ++i) {
    shards.push_back(aligned_buffer(shard_size));
    all.push_back(shards.back().get());
  }
  const std::vector<const uint8_t*> data(all.begin(), all.begin() + k);
  const std::vector<uint8_t*> parity(all.begin() + k, all.end());
  const std::vector<uint8_t*> data_out(all.begin(), all.begin() + k);
  const auto input = std::span<const uint8_t>(block.get(), kBlockSize);
  codec.split(input, data_out, shard_size);
  const std::string pattern = random_bytes(kBlockSize + 4093, k * 100 + m);

  // Bare ISA-L with its own (Cauchy) matrix, tables set up once.
  std::vector<uint8_t> isal_matrix((k + m) * k);
  gf_gen_cauchy1_matrix(isal_matrix.data(), k + m, k);
  std::vector<uint8_t> isal_tables(32 * k * m);
  ec_init_tables(k, m, &isal_matrix[k * k], isal_tables.data());

  Hasher md5(HashAlgorithm::kMd5);
  auto hash_shards = [&](HighwayHashKernel kernel) {
    HighwayHash256 hasher(minio_bitrot_key(), kernel);
    char out[kHighwayHash256Size];
    for (int i = 0; i < k + m; ++i) {
      hasher.update(all[i], shard_size);
      hasher.finish(out);
    }
    g_sink = static_cast<uint8_t>(out[0]);
  };
  NullWriter drive;
  std::vector<std::unique_ptr<BitrotWriter>> bitrot;
  for (int i = 0; i < k + m; ++i) {
    bitrot.push_back(std::make_unique<BitrotWriter>(drive, shard_size));
  }

  std::vector<Row> rows;
  rows.push_back({"ISA-L ec_encode_data (baseline)", [&] {
                    ec_encode_data(static_cast<int>(shard_size), k, m, isal_tables.data(),
                                   const_cast<uint8_t**>(data.data()),
                                   const_cast<uint8_t**>(parity.data()));
                  }});
  rows.push_back({"ReedSolomon::encode", [&] { codec.encode(data, parity, shard_size); }});
  rows.push_back(
      {"  split: copy block into k shards", [&] { codec.split(input, data_out, shard_size); }});
  // The ETag hash runs over the whole object: one update per block, one finish at the end.
  rows.push_back({"  MD5 of the block (ETag)", [&] { md5.update(block.get(), kBlockSize); }});
  const int portable = static_cast<int>(rows.size());
  rows.push_back({"  HighwayHash-256 of k+m shards, portable",
                  [&] { hash_shards(HighwayHashKernel::kPortable); }});
  if (highwayhash_kernel_supported(HighwayHashKernel::kAvx2)) {
    rows.push_back({"  HighwayHash-256 of k+m shards, AVX2",
                    [&] { hash_shards(HighwayHashKernel::kAvx2); }, kBlockSize, portable,
                    "portable"});
  }
  rows.push_back({"  bitrot framing of k+m shards (BitrotWriter)", [&] {
                    for (int i = 0; i < k + m; ++i) {
                      check(bitrot[i]->write(reinterpret_cast<const char*>(all[i]), shard_size));
                    }
                  }});
  rows.push_back({"erasure_encode: read+encode+bitrot, no MD5",
                  [&] { put_object(codec, pattern, false, ObserveOn::kCallerThread); },
                  kObjectSize});
  const int single = static_cast<int>(rows.size());
  rows.push_back({"erasure_encode + MD5, one thread",
                  [&] { put_object(codec, pattern, true, ObserveOn::kCallerThread); },
                  kObjectSize});
  rows.push_back({"erasure_encode + MD5 on its own thread",
                  [&] { put_object(codec, pattern, true, ObserveOn::kOwnThread); }, kObjectSize,
                  single, "one thread"});
  run_and_print(code, rows, seconds);
  g_sink = static_cast<uint8_t>(md5.finish()[0]);
}

void bench_read(int k, int m, double seconds) {
  auto codec = std::make_shared<const ReedSolomon>(make_codec(k, m));
  const size_t shard_size = codec->shard_size_for(kBlockSize);
  const std::string code = std::to_string(k) + "+" + std::to_string(m);
  std::vector<Buffer> shards;
  std::vector<uint8_t*> all;
  for (int i = 0; i < k + m; ++i) {
    shards.push_back(aligned_buffer(shard_size));
    all.push_back(shards.back().get());
  }
  {
    std::mt19937_64 rng(k * 100 + m);
    for (int i = 0; i < k; ++i) {
      for (size_t j = 0; j < shard_size; ++j) all[i][j] = static_cast<uint8_t>(rng());
    }
    codec->encode(std::vector<const uint8_t*>(all.begin(), all.begin() + k),
                  std::vector<uint8_t*>(all.begin() + k, all.end()), shard_size);
  }

  // Rebuilding the first m data shards from the next k shards, ISA-L's way.
  std::vector<uint8_t> isal_matrix((k + m) * k);
  gf_gen_cauchy1_matrix(isal_matrix.data(), k + m, k);
  std::vector<const uint8_t*> survivors(all.begin() + m, all.begin() + m + k);
  std::vector<uint8_t*> lost(all.begin(), all.begin() + m);
  std::vector<uint8_t> decode_tables(32 * k * m);
  auto isal_decode_tables = [&] {
    std::vector<uint8_t> rows(isal_matrix.begin() + m * k, isal_matrix.begin() + (m + k) * k);
    std::vector<uint8_t> inverse(k * k);
    if (gf_invert_matrix(rows.data(), inverse.data(), k) != 0) std::abort();
    ec_init_tables(k, m, inverse.data(), decode_tables.data());  // rows 0..m-1: lost shards
  };
  isal_decode_tables();
  bool present[ReedSolomon::kMaxTotalShards];
  for (int i = 0; i < k + m; ++i) present[i] = i >= m;
  const std::string lost_text = std::to_string(m) + " data shards lost";

  // An object's shard files, framed as on disk, for the end-to-end rows.
  std::vector<StringWriter> files(k + m);
  {
    std::vector<std::unique_ptr<BitrotWriter>> framers;
    std::vector<Writer*> writers;
    for (auto& file : files) {
      framers.push_back(std::make_unique<BitrotWriter>(file, shard_size));
      writers.push_back(framers.back().get());
    }
    const std::string pattern = random_bytes(kBlockSize + 4093, k * 100 + m);
    PatternReader body(pattern, kObjectSize);
    check(erasure_encode(*codec, kBlockSize, body, kObjectSize, writers, k, {}).status());
    for (auto& framer : framers) check(framer->finish());
  }
  const ErasureGeometry geometry{k, m, static_cast<int64_t>(kBlockSize)};
  const uint64_t shard_file = static_cast<uint64_t>(geometry.shard_file_size(kObjectSize));
  std::vector<char> out(kBlockSize);
  auto get_object = [&](int missing) {
    std::vector<std::unique_ptr<BitrotReader>> sources(k + m);
    for (int i = missing; i < k + m; ++i) {
      sources[i] = std::make_unique<BitrotReader>(std::make_unique<ViewFileReader>(files[i].str()),
                                                  shard_size, shard_file);
    }
    ErasureDecoder decoder(codec, geometry, kObjectSize, std::move(sources));
    for (size_t done = 0; done < kObjectSize;) {
      auto n = read_full(decoder, out.data(), out.size());
      check(n.status());
      if (*n == 0) std::abort();
      done += *n;
    }
  };

  std::vector<Row> rows;
  rows.push_back({"ISA-L decode, " + lost_text + " (baseline)", [&] {
                    ec_encode_data(static_cast<int>(shard_size), k, m, decode_tables.data(),
                                   const_cast<uint8_t**>(survivors.data()), lost.data());
                  }});
  rows.push_back(
      {"ReedSolomon::reconstruct, " + lost_text, [&] {
         if (!codec->reconstruct(all, std::span<const bool>(present, k + m), shard_size, true)) {
           std::abort();
         }
       }});
  rows.push_back({"  ISA-L decode inverting the matrix per block", [&] {
                    isal_decode_tables();
                    ec_encode_data(static_cast<int>(shard_size), k, m, decode_tables.data(),
                                   const_cast<uint8_t**>(survivors.data()), lost.data());
                  }});
  rows.push_back(
      {"ErasureDecoder: bitrot verify, all shards", [&] { get_object(0); }, kObjectSize});
  rows.push_back(
      {"ErasureDecoder: bitrot verify, " + lost_text, [&] { get_object(m); }, kObjectSize});
  run_and_print(code, rows, seconds);
}

double peak_rss_mib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;
}

}  // namespace
}  // namespace maxio

int main(int argc, char** argv) {
  double seconds = 2;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--seconds" && i + 1 < argc) {
      seconds = std::atof(argv[++i]);
    } else {
      std::fprintf(stderr, "usage: %s [--seconds N]  (about N seconds per row, default 2)\n",
                   argv[0]);
      return arg == "--help" ? 0 : 2;
    }
  }
  std::printf(
      "1 MiB blocks, best of %d slices per row over %.1f s; GB/s = 1e9 bytes of object data "
      "per second, us/MiB of object data; HighwayHash kernel in use: %s\n",
      maxio::kRounds, seconds, maxio::highwayhash_kernel_name(maxio::highwayhash_best_kernel()));
  const std::pair<int, int> codes[] = {{4, 2}, {8, 4}, {12, 4}};
  std::printf("\nWrite path (end-to-end rows: %zu MiB objects into null drives)\n",
              maxio::kObjectSize >> 20);
  std::printf("%-6s %-50s %8s %9s %9s\n", "code", "what", "GB/s", "us/MiB", "vs ISA-L");
  for (auto [k, m] : codes) maxio::bench_write(k, m, seconds);
  std::printf("peak RSS after the write path: %.1f MiB\n", maxio::peak_rss_mib());
  std::printf("\nRead path (end-to-end rows: %zu MiB objects from shard files in memory)\n",
              maxio::kObjectSize >> 20);
  std::printf("%-6s %-50s %8s %9s %9s\n", "code", "what", "GB/s", "us/MiB", "vs ISA-L");
  for (auto [k, m] : codes) maxio::bench_read(k, m, seconds);
  std::printf("peak RSS: %.1f MiB\n", maxio::peak_rss_mib());
  return 0;
}
