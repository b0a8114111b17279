#include "shared/s3/internal/aws_chunked.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <utility>

#include "shared/crypto/hash.h"

namespace maxio::s3client::internal {

namespace {

constexpr std::string_view kSignatureField = ";chunk-signature=";
constexpr size_t kSignatureHexLength = 64;

std::string hex_size(uint64_t n) {
  char buffer[17];
  int length = std::snprintf(buffer, sizeof buffer, "%llx", static_cast<unsigned long long>(n));
  return std::string(buffer, static_cast<size_t>(length));
}

// "<hex>;chunk-signature=<64 hex>\r\n" + data + "\r\n".
uint64_t chunk_length(uint64_t data_length) {
  return hex_size(data_length).size() + kSignatureField.size() + kSignatureHexLength + 2 +
         data_length + 2;
}

}  // namespace

AwsChunkedEncoder::AwsChunkedEncoder(Reader& source, uint64_t payload_size, size_t chunk_size,
                                     ChunkSigner signer)
    : source_(source),
      payload_size_(payload_size),
      chunk_size_(std::max<size_t>(chunk_size, 1)),
      signer_(std::move(signer)),
      remaining_(payload_size),
      previous_signature_(signer_.seed_signature) {}

uint64_t AwsChunkedEncoder::encoded_length(uint64_t payload_size, size_t chunk_size) {
  chunk_size = std::max<size_t>(chunk_size, 1);
  uint64_t full = payload_size / chunk_size;
  uint64_t rest = payload_size % chunk_size;
  uint64_t length = full * chunk_length(chunk_size) + chunk_length(0);
  if (rest > 0) length += chunk_length(rest);
  return length;
}

void AwsChunkedEncoder::restart() {
  remaining_ = payload_size_;
  previous_signature_ = signer_.seed_signature;
  out_.clear();
  out_pos_ = 0;
  final_sent_ = false;
}

Status AwsChunkedEncoder::next_chunk() {
  size_t length = static_cast<size_t>(std::min<uint64_t>(remaining_, chunk_size_));
  data_.resize(length);
  if (length > 0) {
    MAXIO_TRY(size_t got, read_full(source_, data_.data(), length));
    if (got < length) {
      return Status(ErrorCode::kEndOfStream, "the upload body ended after " +
                                                 std::to_string(payload_size_ - remaining_ + got) +
                                                 " of " + std::to_string(payload_size_) + " bytes");
    }
  }
  std::string_view data(data_.data(), length);
  std::string signature = sigv4::chunk_signature(
      signer_.signing_key, signer_.amz_date, signer_.scope, previous_signature_, sha256_hex(data));
  out_.clear();
  out_.reserve(length + 100);
  out_.append(hex_size(length)).append(kSignatureField).append(signature).append("\r\n");
  out_.append(data).append("\r\n");
  out_pos_ = 0;
  previous_signature_ = std::move(signature);
  remaining_ -= length;
  if (length == 0) final_sent_ = true;
  return Status::ok();
}

Result<size_t> AwsChunkedEncoder::read(char* buffer, size_t size) {
  if (out_pos_ == out_.size()) {
    if (final_sent_ || size == 0) return size_t{0};
    MAXIO_RETURN_IF_ERROR(next_chunk());
  }
  size_t n = std::min(size, out_.size() - out_pos_);
  std::memcpy(buffer, out_.data() + out_pos_, n);
  out_pos_ += n;
  return n;
}

}  // namespace maxio::s3client::internal
