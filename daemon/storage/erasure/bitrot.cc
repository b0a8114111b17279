#include "daemon/storage/erasure/bitrot.h"

#include <algorithm>
#include <cstring>

#include "shared/util/io.h"

namespace maxio {

uint64_t bitrot_file_size(uint64_t payload_size, uint64_t shard_size) {
  uint64_t blocks = (payload_size + shard_size - 1) / shard_size;
  return payload_size + blocks * kBitrotHashSize;
}

BitrotWriter::BitrotWriter(Writer& out, uint64_t shard_size)
    : out_(out), shard_size_(shard_size), hasher_(minio_bitrot_key()) {
  assert(shard_size > 0 && "a bitrot block cannot be empty");
}

Status BitrotWriter::emit(const char* block, size_t size) {
  char hash[kBitrotHashSize];
  hasher_.update(block, size);
  hasher_.finish(hash);
  MAXIO_RETURN_IF_ERROR(out_.write(hash, kBitrotHashSize));
  return out_.write(block, size);
}

Status BitrotWriter::write(const char* data, size_t size) {
  if (finished_) return Status(ErrorCode::kInternal, "bitrot write after finish");
  while (size > 0) {
    if (buffer_.empty() && size >= shard_size_) {
      MAXIO_RETURN_IF_ERROR(emit(data, shard_size_));
      data += shard_size_;
      size -= shard_size_;
      continue;
    }
    size_t take = std::min<size_t>(size, shard_size_ - buffer_.size());
    buffer_.append(data, take);
    data += take;
    size -= take;
    if (buffer_.size() == shard_size_) {
      MAXIO_RETURN_IF_ERROR(emit(buffer_.data(), buffer_.size()));
      buffer_.clear();
    }
  }
  return Status::ok();
}

Status BitrotWriter::finish() {
  if (finished_) return Status::ok();
  finished_ = true;
  if (buffer_.empty()) return Status::ok();
  Status st = emit(buffer_.data(), buffer_.size());
  buffer_.clear();
  buffer_.shrink_to_fit();
  return st;
}

BitrotReader::BitrotReader(std::unique_ptr<FileReader> source, uint64_t shard_size,
                           uint64_t payload_size)
    : source_(std::move(source)),
      shard_size_(shard_size),
      hasher_(minio_bitrot_key()),
      payload_size_(payload_size) {
  assert(shard_size > 0 && "a bitrot block cannot be empty");
}

Status BitrotReader::seek(uint64_t offset) {
  if (offset > payload_size_) return Status(ErrorCode::kInvalidRange, "seek past end of shard");
  offset_ = offset;
  return Status::ok();
}

Status BitrotReader::read_block(uint64_t index, char* into, uint64_t length) {
  const uint64_t file_offset = index * (shard_size_ + kBitrotHashSize);
  MAXIO_RETURN_IF_ERROR(source_->seek(std::min(file_offset, source_->size())));
  char expected[kBitrotHashSize];
  MAXIO_TRY(size_t got, read_full(*source_, expected, kBitrotHashSize));
  if (got != kBitrotHashSize) return Status(ErrorCode::kFileCorrupt, "bitrot: truncated shard");
  MAXIO_TRY(size_t n, read_full(*source_, into, length));
  if (n != length) return Status(ErrorCode::kFileCorrupt, "bitrot: truncated shard");
  char actual[kBitrotHashSize];
  hasher_.update(into, length);
  hasher_.finish(actual);
  if (std::memcmp(actual, expected, kBitrotHashSize) != 0) {
    return Status(ErrorCode::kFileCorrupt,
                  "bitrot: hash mismatch in block " + std::to_string(index));
  }
  return Status::ok();
}

Result<size_t> BitrotReader::read(char* buffer, size_t size) {
  if (offset_ >= payload_size_ || size == 0) return size_t{0};
  const uint64_t index = offset_ / shard_size_;
  const uint64_t in_block = offset_ - index * shard_size_;
  const uint64_t length = std::min(shard_size_, payload_size_ - index * shard_size_);
  if (index != block_index_) {
    if (in_block == 0 && size >= length) {
      // The caller takes the whole block: verify it in place, skipping a copy.
      MAXIO_RETURN_IF_ERROR(read_block(index, buffer, length));
      offset_ += length;
      return static_cast<size_t>(length);
    }
    block_index_ = UINT64_MAX;
    block_.resize(length);
    MAXIO_RETURN_IF_ERROR(read_block(index, block_.data(), length));
    block_index_ = index;
  }
  const size_t n = static_cast<size_t>(std::min<uint64_t>(size, length - in_block));
  std::memcpy(buffer, block_.data() + in_block, n);
  offset_ += n;
  return n;
}

}  // namespace maxio
