#include "daemon/storage/erasure/erasure_coding.h"

#include <algorithm>
#include <array>
#include <cstring>

namespace maxio {

namespace {
constexpr int kMaxShards = 256;
}  // namespace

int64_t ErasureGeometry::shard_file_size(int64_t size) const {
  if (size <= 0) return size;
  int64_t full = size / block_size;
  int64_t last = size % block_size;
  return full * shard_size() + (last + data - 1) / data;
}

Result<EncodeResult> erasure_encode(const ReedSolomon& codec, int64_t block_size, Reader& source,
                                    int64_t size, std::vector<Writer*> shards, int write_quorum,
                                    const ByteObserver& observe) {
  const int k = codec.data_shards();
  const int m = codec.parity_shards();
  const ErasureGeometry geometry{k, m, block_size};
  const size_t shard_size = static_cast<size_t>(geometry.shard_size());
  EncodeResult result;
  result.failed.assign(shards.size(), false);
  if (static_cast<int>(shards.size()) != k + m) {
    return Status(ErrorCode::kInternal, "encoder given the wrong number of shards");
  }
  int alive = static_cast<int>(
      std::count_if(shards.begin(), shards.end(), [](Writer* w) { return w != nullptr; }));
  if (alive < write_quorum) {
    return Status(ErrorCode::kInsufficientWriteQuorum,
                  std::to_string(alive) + " of " + std::to_string(k + m) +
                      " drives available, write quorum is " + std::to_string(write_quorum));
  }

  // Data shards are contiguous, so splitting a block is zero-padding its tail.
  std::string buffer(shard_size * static_cast<size_t>(k + m), '\0');
  std::vector<const uint8_t*> data_ptrs(k);
  std::vector<uint8_t*> parity_ptrs(m);

  uint64_t total = 0;
  while (true) {
    size_t want = static_cast<size_t>(block_size);
    if (size >= 0) want = static_cast<size_t>(std::min<uint64_t>(want, size - total));
    size_t n = 0;
    if (want > 0) {
      MAXIO_TRY(n, read_full(source, buffer.data(), want));
    }
    if (n == 0 && total != 0) break;
    if (n > 0 && observe) observe(buffer.data(), n);

    // This block's shard length; for an empty object, empty shards.
    const size_t len = (n + static_cast<size_t>(k) - 1) / static_cast<size_t>(k);
    if (len > 0) {
      // The data shards of this block are packed `len` bytes apart; pad the last.
      std::memset(buffer.data() + n, 0, len * k - n);
      for (int i = 0; i < k; ++i) {
        data_ptrs[i] = reinterpret_cast<const uint8_t*>(buffer.data()) + i * len;
      }
      for (int i = 0; i < m; ++i) {
        parity_ptrs[i] = reinterpret_cast<uint8_t*>(buffer.data()) + (k + i) * shard_size;
      }
      if (m > 0) codec.encode(data_ptrs, parity_ptrs, len);
      for (int i = 0; i < k + m; ++i) {
        if (!shards[i]) continue;
        const char* shard = i < k ? reinterpret_cast<const char*>(data_ptrs[i])
                                  : reinterpret_cast<const char*>(parity_ptrs[i - k]);
        Status st = shards[i]->write(shard, len);
        if (!st) {
          shards[i] = nullptr;
          result.failed[i] = true;
          if (--alive < write_quorum) {
            return Status(ErrorCode::kInsufficientWriteQuorum,
                          "write quorum lost: " + st.to_string());
          }
        }
      }
    }
    total += n;
    if (n < want || want == 0) {
      if (size >= 0 && total < static_cast<uint64_t>(size)) {
        return Status(ErrorCode::kIncompleteBody, "body ended after " + std::to_string(total) +
                                                      " of " + std::to_string(size) + " bytes");
      }
      break;
    }
    if (size >= 0 && total == static_cast<uint64_t>(size)) break;
  }
  if (size >= 0) {
    char extra;
    MAXIO_TRY(size_t n, source.read(&extra, 1));
    if (n != 0)
      return Status(ErrorCode::kContentLengthMismatch, "body longer than its declared size");
  }
  result.bytes = total;
  return result;
}

ErasureDecoder::ErasureDecoder(std::shared_ptr<const ReedSolomon> codec, ErasureGeometry geometry,
                               int64_t part_size, std::vector<std::unique_ptr<BitrotReader>> shards)
    : codec_(std::move(codec)),
      geometry_(geometry),
      part_size_(part_size),
      shards_(std::move(shards)),
      end_(static_cast<uint64_t>(part_size)) {
  buffers_.assign(shards_.size(), std::string(static_cast<size_t>(geometry_.shard_size()), '\0'));
  for (size_t i = 0; i < shards_.size(); ++i) {
    if (!shards_[i]) failed_.push_back(static_cast<int>(i));
  }
}

Status ErasureDecoder::set_range(uint64_t offset, uint64_t length) {
  if (offset > static_cast<uint64_t>(part_size_) || length > part_size_ - offset) {
    return Status(ErrorCode::kInvalidRange, "range outside the object");
  }
  offset_ = offset;
  end_ = offset + length;
  return Status::ok();
}

void ErasureDecoder::fail_shard(int shard) {
  shards_[shard].reset();
  failed_.push_back(shard);
}

Status ErasureDecoder::decode_block(int64_t block) {
  const int k = geometry_.data;
  const int total = geometry_.data + geometry_.parity;
  block_bytes_ = std::min<int64_t>(geometry_.block_size, part_size_ - block * geometry_.block_size);
  const size_t len = static_cast<size_t>((block_bytes_ + k - 1) / k);
  const uint64_t shard_offset = static_cast<uint64_t>(block) * geometry_.shard_size();

  std::array<bool, kMaxShards> present{};
  int have = 0;
  bool corrupt = false;  // a shard of this block failed its bitrot check or was short
  // Data shards first; a parity shard only for each data shard we could not read.
  for (int i = 0; i < total && have < k; ++i) {
    if (!shards_[i]) continue;
    Status st = shards_[i]->seek(shard_offset);
    size_t n = 0;
    if (st) {
      auto r = read_full(*shards_[i], buffers_[i].data(), len);
      if (r) {
        n = *r;
      } else {
        st = r.status();
      }
    }
    if (!st || n != len) {
      if (st.is_ok() || st.code() == ErrorCode::kFileCorrupt) corrupt = true;
      fail_shard(i);
      continue;
    }
    present[i] = true;
    ++have;
  }
  if (have < k) {
    // Damage beyond what parity repairs is corruption; drives that are merely gone are a
    // quorum problem that may pass.
    return Status(corrupt ? ErrorCode::kFileCorrupt : ErrorCode::kInsufficientReadQuorum,
                  "only " + std::to_string(have) + " of " + std::to_string(k) +
                      " shards needed are readable");
  }
  bool complete = true;
  for (int i = 0; i < k; ++i) complete = complete && present[i];
  if (!complete) {
    std::vector<uint8_t*> ptrs(total);
    for (int i = 0; i < total; ++i) ptrs[i] = reinterpret_cast<uint8_t*>(buffers_[i].data());
    MAXIO_RETURN_IF_ERROR(codec_->reconstruct(ptrs, std::span<const bool>(present.data(), total),
                                              len, /*data_only=*/true));
  }
  block_ = block;
  return Status::ok();
}

Result<size_t> ErasureDecoder::read(char* buffer, size_t size) {
  if (offset_ >= end_ || size == 0) return size_t{0};
  const int64_t block = static_cast<int64_t>(offset_ / geometry_.block_size);
  if (block != block_) MAXIO_RETURN_IF_ERROR(decode_block(block));
  const int k = geometry_.data;
  const size_t len = static_cast<size_t>((block_bytes_ + k - 1) / k);
  uint64_t in_block = offset_ - static_cast<uint64_t>(block) * geometry_.block_size;
  size_t copied = 0;
  // Data of a block is shard 0 .. k-1 concatenated, each `len` bytes.
  while (copied < size && offset_ < end_ && in_block < static_cast<uint64_t>(block_bytes_)) {
    size_t shard = static_cast<size_t>(in_block / len);
    size_t within = static_cast<size_t>(in_block % len);
    size_t n = std::min<size_t>({len - within, size - copied, static_cast<size_t>(end_ - offset_),
                                 static_cast<size_t>(block_bytes_ - in_block)});
    std::memcpy(buffer + copied, buffers_[shard].data() + within, n);
    copied += n;
    offset_ += n;
    in_block += n;
  }
  return copied;
}

}  // namespace maxio
