#include "daemon/storage/erasure/reed_solomon.h"

#include <isa-l/erasure_code.h>

#include <algorithm>
#include <array>
#include <bitset>
#include <cassert>
#include <cstring>
#include <functional>
#include <list>
#include <mutex>
#include <string>
#include <unordered_map>
#include <utility>

namespace maxio {

namespace {

// ec_encode_data takes an int length; longer shards are coded in pieces of this size.
constexpr size_t kMaxCodeLength = size_t{1} << 30;

// Bounds of the decode-table cache. A MinIO set has at most 16 drives, so a pattern's
// tables (32 * k * rebuilt shards bytes) are at most 4 KiB there and the entry bound is
// what limits; the byte bound keeps very wide codes (k + m up to 256) in check.
constexpr size_t kDecodeCacheEntries = 512;
constexpr size_t kDecodeCacheBytes = size_t{4} << 20;

// ISA-L expands each coefficient into 32 bytes of lookup tables.
constexpr size_t kTableBytesPerCoefficient = 32;

using ShardSet = std::bitset<ReedSolomon::kMaxTotalShards>;

// One erasure pattern: which shards are read and which are rebuilt.
struct PatternKey {
  ShardSet sources;
  ShardSet outputs;
  bool operator==(const PatternKey&) const = default;
};

struct PatternKeyHash {
  size_t operator()(const PatternKey& key) const {
    std::hash<ShardSet> hash;
    return hash(key.sources) * 0x9e3779b97f4a7c15ULL ^ hash(key.outputs);
  }
};

// ISA-L tables that compute a pattern's rebuilt shards from its k source shards.
struct DecodePlan {
  std::vector<uint8_t> tables;
};

// base^exponent in GF(2^8), with 0^0 = 1 as klauspost/reedsolomon's galExp has it.
uint8_t gf_pow(uint8_t base, int exponent) {
  uint8_t result = 1;
  for (int i = 0; i < exponent; ++i) result = gf_mul(result, base);
  return result;
}

// klauspost/reedsolomon's default matrix (buildMatrix): the total x k Vandermonde matrix
// V[r][c] = r^c, multiplied on the right by the inverse of its top k x k square so that the
// top becomes the identity (data shards stored as they are) while every k x k selection of
// rows stays invertible.
std::vector<uint8_t> build_coding_matrix(int k, int total) {
  std::vector<uint8_t> vandermonde(static_cast<size_t>(total) * k);
  for (int r = 0; r < total; ++r) {
    for (int c = 0; c < k; ++c) vandermonde[r * k + c] = gf_pow(static_cast<uint8_t>(r), c);
  }
  // gf_invert_matrix destroys its input, so it gets a copy of the top square.
  std::vector<uint8_t> top(vandermonde.begin(), vandermonde.begin() + k * k);
  std::vector<uint8_t> top_inverse(static_cast<size_t>(k) * k);
  [[maybe_unused]] int singular = gf_invert_matrix(top.data(), top_inverse.data(), k);
  // A Vandermonde square over distinct points (0..k-1) is always invertible.
  assert(singular == 0);

  std::vector<uint8_t> matrix(static_cast<size_t>(total) * k);
  for (int r = 0; r < total; ++r) {
    for (int c = 0; c < k; ++c) {
      uint8_t sum = 0;
      for (int j = 0; j < k; ++j) sum ^= gf_mul(vandermonde[r * k + j], top_inverse[j * k + c]);
      matrix[r * k + c] = sum;
    }
  }
  return matrix;
}

// Runs ISA-L over shards of any length: outputs[i] = sum_j coefficient(i, j) * sources[j].
// ISA-L only reads the tables and sources; its API is not const-correct.
void run_code(int k, int rows, const uint8_t* tables, const uint8_t* const* sources,
              uint8_t* const* outputs, size_t length) {
  auto* gf_tables = const_cast<unsigned char*>(tables);
  if (length <= kMaxCodeLength) {
    ec_encode_data(static_cast<int>(length), k, rows, gf_tables,
                   const_cast<unsigned char**>(sources), const_cast<unsigned char**>(outputs));
    return;
  }
  std::array<unsigned char*, ReedSolomon::kMaxTotalShards> source_piece;
  std::array<unsigned char*, ReedSolomon::kMaxTotalShards> output_piece;
  for (size_t offset = 0; offset < length; offset += kMaxCodeLength) {
    const size_t piece = std::min(kMaxCodeLength, length - offset);
    for (int i = 0; i < k; ++i) source_piece[i] = const_cast<unsigned char*>(sources[i]) + offset;
    for (int i = 0; i < rows; ++i) output_piece[i] = outputs[i] + offset;
    ec_encode_data(static_cast<int>(piece), k, rows, gf_tables, source_piece.data(),
                   output_piece.data());
  }
}

// Inverts the rows of `sources` and derives the coefficients of every shard in `outputs`:
// a data shard d is row d of the inverse; a parity shard p is matrix row p times the inverse.
Result<std::shared_ptr<const DecodePlan>> build_decode_plan(const std::vector<uint8_t>& matrix,
                                                            int k, std::span<const uint8_t> sources,
                                                            std::span<const uint8_t> outputs) {
  std::vector<uint8_t> selected(static_cast<size_t>(k) * k);
  for (int j = 0; j < k; ++j) {
    std::memcpy(&selected[j * k], &matrix[sources[j] * k], k);
  }
  std::vector<uint8_t> inverse(static_cast<size_t>(k) * k);
  if (gf_invert_matrix(selected.data(), inverse.data(), k) != 0) {
    return Status(ErrorCode::kInternal, "reed-solomon: singular decode matrix");
  }
  std::vector<uint8_t> rows(outputs.size() * k);
  for (size_t t = 0; t < outputs.size(); ++t) {
    const int shard = outputs[t];
    if (shard < k) {
      std::memcpy(&rows[t * k], &inverse[shard * k], k);
      continue;
    }
    for (int c = 0; c < k; ++c) {
      uint8_t sum = 0;
      for (int j = 0; j < k; ++j) sum ^= gf_mul(matrix[shard * k + j], inverse[j * k + c]);
      rows[t * k + c] = sum;
    }
  }
  auto plan = std::make_shared<DecodePlan>();
  plan->tables.resize(kTableBytesPerCoefficient * k * outputs.size());
  ec_init_tables(k, static_cast<int>(outputs.size()), rows.data(), plan->tables.data());
  return std::shared_ptr<const DecodePlan>(std::move(plan));
}

}  // namespace

// Least-recently-used map from erasure pattern to decode plan. Plans are immutable and
// shared, so one evicted while another thread decodes with it stays alive until it is done.
struct ReedSolomon::DecodeCache {
  using Entry = std::pair<PatternKey, std::shared_ptr<const DecodePlan>>;

  std::shared_ptr<const DecodePlan> find(const PatternKey& key) {
    std::lock_guard<std::mutex> lock(mutex);
    auto it = index.find(key);
    if (it == index.end()) return nullptr;
    recent.splice(recent.begin(), recent, it->second);
    return it->second->second;
  }

  // Keeps `plan` unless another thread cached the same pattern first; returns the cached one.
  std::shared_ptr<const DecodePlan> insert(const PatternKey& key,
                                           std::shared_ptr<const DecodePlan> plan) {
    std::lock_guard<std::mutex> lock(mutex);
    if (auto it = index.find(key); it != index.end()) return it->second->second;
    const size_t size = plan->tables.size();
    while (!recent.empty() &&
           (recent.size() >= kDecodeCacheEntries || bytes + size > kDecodeCacheBytes)) {
      bytes -= recent.back().second->tables.size();
      index.erase(recent.back().first);
      recent.pop_back();
    }
    recent.emplace_front(key, plan);
    index.emplace(key, recent.begin());
    bytes += size;
    return plan;
  }

  std::mutex mutex;
  std::list<Entry> recent;  // most recently used first; guarded by mutex
  std::unordered_map<PatternKey, std::list<Entry>::iterator, PatternKeyHash>
      index;         // guarded by mutex
  size_t bytes = 0;  // table bytes held; guarded by mutex
};

ReedSolomon::ReedSolomon() = default;
ReedSolomon::ReedSolomon(ReedSolomon&&) noexcept = default;
ReedSolomon& ReedSolomon::operator=(ReedSolomon&&) noexcept = default;
ReedSolomon::~ReedSolomon() = default;

Result<ReedSolomon> ReedSolomon::create(int data_shards, int parity_shards) {
  if (data_shards < 1 || parity_shards < 0 || data_shards + parity_shards > kMaxTotalShards) {
    return Status(ErrorCode::kInvalidArgument,
                  "reed-solomon: need 1 or more data shards, 0 or more parity shards and at "
                  "most 256 in all, got " +
                      std::to_string(data_shards) + "+" + std::to_string(parity_shards));
  }
  ReedSolomon codec;
  codec.data_shards_ = data_shards;
  codec.parity_shards_ = parity_shards;
  codec.matrix_ = build_coding_matrix(data_shards, data_shards + parity_shards);
  codec.encode_tables_.resize(kTableBytesPerCoefficient * data_shards * parity_shards);
  if (parity_shards > 0) {
    ec_init_tables(data_shards, parity_shards, &codec.matrix_[data_shards * data_shards],
                   codec.encode_tables_.data());
  }
  codec.cache_ = std::make_unique<DecodeCache>();
  return codec;
}

size_t ReedSolomon::shard_size_for(size_t block_bytes) const {
  const size_t k = static_cast<size_t>(data_shards_);
  return (block_bytes + k - 1) / k;
}

void ReedSolomon::split(std::span<const uint8_t> block, std::span<uint8_t* const> data,
                        size_t shard_size) const {
  assert(data.size() == static_cast<size_t>(data_shards_));
  assert(shard_size == shard_size_for(block.size()));
  size_t offset = 0;
  for (uint8_t* shard : data) {
    const size_t take = offset < block.size() ? std::min(shard_size, block.size() - offset) : 0;
    if (take > 0) std::memcpy(shard, block.data() + offset, take);
    if (take < shard_size) std::memset(shard + take, 0, shard_size - take);
    offset += take;
  }
}

void ReedSolomon::encode(std::span<const uint8_t* const> data, std::span<uint8_t* const> parity,
                         size_t shard_size) const {
  assert(data.size() == static_cast<size_t>(data_shards_));
  assert(parity.size() == static_cast<size_t>(parity_shards_));
  if (parity_shards_ == 0 || shard_size == 0) return;
  run_code(data_shards_, parity_shards_, encode_tables_.data(), data.data(), parity.data(),
           shard_size);
}

Status ReedSolomon::reconstruct(std::span<uint8_t* const> shards, std::span<const bool> present,
                                size_t shard_size, bool data_only) const {
  const int k = data_shards_;
  const int total = total_shards();
  if (shards.size() != static_cast<size_t>(total) || present.size() != shards.size()) {
    return Status(ErrorCode::kInvalidArgument, "reed-solomon: " + std::to_string(total) +
                                                   " shards expected, got " +
                                                   std::to_string(shards.size()) + " buffers and " +
                                                   std::to_string(present.size()) + " flags");
  }
  // Sources: the first k present shards, so data shards are used whenever they are there.
  std::array<uint8_t, kMaxTotalShards> sources;
  std::array<uint8_t, kMaxTotalShards> outputs;
  int source_count = 0;
  int output_count = 0;
  int present_count = 0;
  PatternKey key;
  const int rebuilt_limit = data_only ? k : total;
  for (int i = 0; i < total; ++i) {
    if (present[i]) {
      ++present_count;
      if (source_count < k) {
        sources[source_count++] = static_cast<uint8_t>(i);
        key.sources.set(i);
      }
    } else if (i < rebuilt_limit) {
      outputs[output_count++] = static_cast<uint8_t>(i);
      key.outputs.set(i);
    }
  }
  if (output_count == 0) return Status::ok();
  if (source_count < k) {
    return Status(ErrorCode::kInsufficientReadQuorum,
                  "reed-solomon: " + std::to_string(present_count) + " of " +
                      std::to_string(total) + " shards present, " + std::to_string(k) + " needed");
  }
  if (shard_size == 0) return Status::ok();

  std::shared_ptr<const DecodePlan> plan = cache_->find(key);
  if (plan == nullptr) {
    MAXIO_TRY(plan, build_decode_plan(matrix_, k, std::span(sources.data(), source_count),
                                      std::span(outputs.data(), output_count)));
    plan = cache_->insert(key, std::move(plan));
  }
  std::array<const uint8_t*, kMaxTotalShards> source_buffers;
  std::array<uint8_t*, kMaxTotalShards> output_buffers;
  for (int j = 0; j < source_count; ++j) source_buffers[j] = shards[sources[j]];
  for (int t = 0; t < output_count; ++t) output_buffers[t] = shards[outputs[t]];
  run_code(k, output_count, plan->tables.data(), source_buffers.data(), output_buffers.data(),
           shard_size);
  return Status::ok();
}

}  // namespace maxio
