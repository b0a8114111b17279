// ec_bench: erasure-coding throughput of one core on 1 MiB blocks, against bare ISA-L
// measured in the same run: encode, each stage of the PUT path (split, MD5, bitrot
// HighwayHash) alone and together, and the rebuild of m lost data shards.
//
//   ec_bench [--seconds N]   about N seconds per row (default 2)
//
// The rows of one code run in turn, in kRounds slices each, and each row keeps its fastest
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
#include "daemon/storage/erasure/reed_solomon.h"
#include "shared/crypto/hash.h"

namespace maxio {
namespace {

constexpr size_t kBlockSize = size_t{1} << 20;
constexpr int kRounds = 10;

// Drops everything: the drives' place in the write pipeline.
class NullWriter final : public Writer {
 public:
  using Writer::write;
  Status write(const char*, size_t) override { return Status::ok(); }
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

// Seconds per call of body over a slice of about `seconds`.
double seconds_per_call(double seconds, const std::function<void()>& body) {
  using Clock = std::chrono::steady_clock;
  const auto start = Clock::now();
  uint64_t calls = 0;
  double elapsed = 0;
  do {
    for (int i = 0; i < 4; ++i) body();
    calls += 4;
    elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  } while (elapsed < seconds);
  return elapsed / static_cast<double>(calls);
}

// One line of the table: what one 1 MiB block costs, compared with row `baseline`.
struct Row {
  std::string what;
  std::function<void()> body;
  size_t baseline;
  double best = std::numeric_limits<double>::infinity();
};

volatile uint8_t g_sink;  // keeps hash results alive

void bench_code(int k, int m, double seconds) {
  auto created = ReedSolomon::create(k, m);
  if (!created) {
    std::fprintf(stderr, "%s\n", created.status().to_string().c_str());
    std::exit(1);
  }
  const ReedSolomon& codec = *created;
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

  // Bare ISA-L with its own (Cauchy) matrix, tables set up once.
  std::vector<uint8_t> isal_matrix((k + m) * k);
  gf_gen_cauchy1_matrix(isal_matrix.data(), k + m, k);
  std::vector<uint8_t> isal_tables(32 * k * m);
  ec_init_tables(k, m, &isal_matrix[k * k], isal_tables.data());

  Hasher md5(HashAlgorithm::kMd5);
  NullWriter drive;
  std::vector<std::unique_ptr<BitrotWriter>> bitrot;
  for (int i = 0; i < k + m; ++i) {
    bitrot.push_back(std::make_unique<BitrotWriter>(drive, shard_size));
  }
  auto frame_shards = [&] {
    for (int i = 0; i < k + m; ++i) {
      if (!bitrot[i]->write(reinterpret_cast<const char*>(all[i]), shard_size)) std::abort();
    }
  };

  // Rebuilding the first m data shards from the next k shards.
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

  std::vector<Row> rows;
  rows.push_back({"ISA-L ec_encode_data (baseline)",
                  [&] {
                    ec_encode_data(static_cast<int>(shard_size), k, m, isal_tables.data(),
                                   const_cast<uint8_t**>(data.data()),
                                   const_cast<uint8_t**>(parity.data()));
                  },
                  0});
  rows.push_back({"ReedSolomon::encode", [&] { codec.encode(data, parity, shard_size); }, 0});
  rows.push_back(
      {"  split: copy block into k shards", [&] { codec.split(input, data_out, shard_size); }, 0});
  // The ETag hash runs over the whole object: one update per block, one finish at the end.
  rows.push_back({"  MD5 of the block (ETag)", [&] { md5.update(block.get(), kBlockSize); }, 0});
  rows.push_back({"  bitrot HighwayHash-256 of k+m shards", frame_shards, 0});
  rows.push_back({"write pipeline: split+encode+bitrot+MD5",
                  [&] {
                    md5.update(block.get(), kBlockSize);
                    codec.split(input, data_out, shard_size);
                    codec.encode(data, parity, shard_size);
                    frame_shards();
                  },
                  0});
  const size_t decode_baseline = rows.size();
  rows.push_back({"ISA-L decode, " + lost_text + " (baseline)",
                  [&] {
                    ec_encode_data(static_cast<int>(shard_size), k, m, decode_tables.data(),
                                   const_cast<uint8_t**>(survivors.data()), lost.data());
                  },
                  decode_baseline});
  rows.push_back(
      {"ReedSolomon::reconstruct, " + lost_text,
       [&] {
         if (!codec.reconstruct(all, std::span<const bool>(present, k + m), shard_size, true)) {
           std::abort();
         }
       },
       decode_baseline});
  rows.push_back({"  ISA-L decode inverting the matrix per block",
                  [&] {
                    isal_decode_tables();
                    ec_encode_data(static_cast<int>(shard_size), k, m, decode_tables.data(),
                                   const_cast<uint8_t**>(survivors.data()), lost.data());
                  },
                  decode_baseline});

  for (Row& row : rows) {
    for (int i = 0; i < 4; ++i) row.body();  // warm caches and the decode-table cache
  }
  for (int round = 0; round < kRounds; ++round) {
    for (Row& row : rows) {
      row.best = std::min(row.best, seconds_per_call(seconds / kRounds, row.body));
    }
  }
  g_sink = static_cast<uint8_t>(md5.finish()[0]);

  for (const Row& row : rows) {
    std::printf("%-6s %-48s %8.2f %10.1f %8.2fx\n", code.c_str(), row.what.c_str(),
                static_cast<double>(kBlockSize) / row.best / 1e9, row.best * 1e6,
                rows[row.baseline].best / row.best);
  }
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
      "1 MiB blocks, one thread, best of %d slices per row over %.1f s; GB/s = 1e9 bytes of "
      "object data per second\n",
      maxio::kRounds, seconds);
  std::printf("%-6s %-48s %8s %10s %9s\n", "code", "what", "GB/s", "us/block", "vs ISA-L");
  for (auto [k, m] : {std::pair{4, 2}, {8, 4}, {12, 4}}) maxio::bench_code(k, m, seconds);
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  std::printf("peak RSS: %.1f MiB\n", static_cast<double>(usage.ru_maxrss) / 1024.0);
  return 0;
}
