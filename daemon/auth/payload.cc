#include "daemon/auth/payload.h"

#include <algorithm>
#include <cstring>

#include "shared/crypto/hash.h"
#include "shared/util/encoding.h"
#include "shared/util/strings.h"

namespace maxio::auth {
namespace {

constexpr size_t kReadBufferSize = 64 * 1024;
constexpr size_t kMaxLine = 4096;
constexpr size_t kMaxTrailerBytes = 16 * 1024;
constexpr std::string_view kChunkSignaturePrefix = "chunk-signature=";
constexpr std::string_view kTrailerSignature = "x-amz-trailer-signature";

Status incomplete() {
  return Status(ErrorCode::kIncompleteBody,
                "You did not provide the number of bytes specified by the Content-Length HTTP "
                "header.");
}

Status malformed(std::string_view what) {
  return Status(ErrorCode::kInvalidRequest, "Malformed aws-chunked encoding: " + std::string(what));
}

bool is_lower_hex(std::string_view s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

// Parses 1..16 hex digits.
std::optional<uint64_t> parse_hex_size(std::string_view s) {
  if (s.empty() || s.size() > 16) return std::nullopt;
  uint64_t value = 0;
  for (char c : s) {
    int digit;
    if (c >= '0' && c <= '9') {
      digit = c - '0';
    } else if (c >= 'a' && c <= 'f') {
      digit = c - 'a' + 10;
    } else if (c >= 'A' && c <= 'F') {
      digit = c - 'A' + 10;
    } else {
      return std::nullopt;
    }
    value = value * 16 + static_cast<uint64_t>(digit);
  }
  return value;
}

}  // namespace

AwsChunkedReader::AwsChunkedReader(std::unique_ptr<Reader> source,
                                   std::optional<ChunkSigning> signing, bool trailer)
    : source_(std::move(source)),
      signing_(std::move(signing)),
      trailer_(trailer),
      in_(kReadBufferSize) {
  if (signing_) previous_signature_ = signing_->seed_signature;
}

Result<bool> AwsChunkedReader::fill() {
  if (source_eof_) return false;
  if (in_pos_ == in_end_) {
    in_pos_ = in_end_ = 0;
  } else if (in_end_ == in_.size()) {
    std::memmove(in_.data(), in_.data() + in_pos_, in_end_ - in_pos_);
    in_end_ -= in_pos_;
    in_pos_ = 0;
  }
  if (in_end_ == in_.size()) return true;  // full: the caller consumes first
  MAXIO_TRY(size_t n, source_->read(in_.data() + in_end_, in_.size() - in_end_));
  if (n == 0) {
    source_eof_ = true;
    return false;
  }
  in_end_ += n;
  return true;
}

Result<std::optional<std::string>> AwsChunkedReader::read_line(size_t max) {
  size_t scanned = 0;
  for (;;) {
    const char* begin = in_.data() + in_pos_;
    size_t avail = in_end_ - in_pos_;
    const void* nl =
        avail > scanned ? std::memchr(begin + scanned, '\n', avail - scanned) : nullptr;
    if (nl != nullptr) {
      size_t len = static_cast<const char*>(nl) - begin;
      std::string line(begin, len);
      in_pos_ += len + 1;
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (line.size() > max) return malformed("line too long");
      return std::optional<std::string>(std::move(line));
    }
    scanned = avail;
    if (avail > max + 1) return malformed("line too long");
    MAXIO_TRY(bool more, fill());
    if (!more) {
      if (in_end_ == in_pos_) return std::optional<std::string>();
      return incomplete();
    }
  }
}

Status AwsChunkedReader::read_exact(std::string& out, size_t n) {
  out.resize(n);
  size_t got = std::min(n, in_end_ - in_pos_);
  std::memcpy(out.data(), in_.data() + in_pos_, got);
  in_pos_ += got;
  while (got < n) {
    MAXIO_TRY(size_t r, source_->read(out.data() + got, n - got));
    if (r == 0) {
      source_eof_ = true;
      return incomplete();
    }
    got += r;
  }
  return Status::ok();
}

Status AwsChunkedReader::expect_crlf() {
  MAXIO_TRY(std::optional<std::string> line, read_line(0));
  if (!line) return incomplete();
  if (!line->empty()) return malformed("chunk data not followed by CRLF");
  return Status::ok();
}

Status AwsChunkedReader::read_chunk_header() {
  MAXIO_TRY(std::optional<std::string> line, read_line(kMaxLine));
  if (!line) return incomplete();
  std::string_view header = *line;
  size_t semi = header.find(';');
  std::optional<uint64_t> size = parse_hex_size(trim(header.substr(0, semi)));
  if (!size) return malformed("bad chunk size");
  if (*size > kMaxChunkSize) {
    return Status(ErrorCode::kEntityTooLarge, "aws-chunked chunk larger than 16 MiB");
  }
  std::string_view given_signature;
  if (semi != std::string_view::npos) {
    std::string_view extensions = header.substr(semi + 1);
    while (!extensions.empty()) {
      size_t next = extensions.find(';');
      std::string_view ext = trim(extensions.substr(0, next));
      extensions =
          next == std::string_view::npos ? std::string_view() : extensions.substr(next + 1);
      if (ext.starts_with(kChunkSignaturePrefix)) {
        given_signature = ext.substr(kChunkSignaturePrefix.size());
      }
    }
  }
  if (signing_) {
    if (given_signature.size() != 64 || !is_lower_hex(given_signature)) {
      return Status(ErrorCode::kSignatureDoesNotMatch, "missing or malformed chunk-signature");
    }
  }
  std::string given(given_signature);
  if (*size == 0) {
    if (signing_) {
      std::string expected =
          sigv4::chunk_signature(signing_->signing_key, signing_->amz_date, signing_->scope,
                                 previous_signature_, sigv4::kEmptySha256);
      if (!constant_time_equal(expected, given)) {
        return Status(ErrorCode::kSignatureDoesNotMatch, "final chunk signature mismatch");
      }
      previous_signature_ = std::move(expected);
    }
    MAXIO_RETURN_IF_ERROR(finish_chunks());
    state_ = State::kDone;
    return Status::ok();
  }
  if (!signing_) {
    remaining_ = *size;
    state_ = State::kUnsignedData;
    return Status::ok();
  }
  MAXIO_RETURN_IF_ERROR(read_exact(chunk_, static_cast<size_t>(*size)));
  MAXIO_RETURN_IF_ERROR(expect_crlf());
  std::string expected =
      sigv4::chunk_signature(signing_->signing_key, signing_->amz_date, signing_->scope,
                             previous_signature_, sha256_hex(chunk_));
  if (!constant_time_equal(expected, given)) {
    chunk_.clear();
    return Status(ErrorCode::kSignatureDoesNotMatch, "chunk signature mismatch");
  }
  previous_signature_ = std::move(expected);
  chunk_pos_ = 0;
  state_ = State::kSignedData;
  return Status::ok();
}

Status AwsChunkedReader::finish_chunks() {
  if (!trailer_) {
    MAXIO_TRY(std::optional<std::string> line, read_line(kMaxLine));
    if (line && !line->empty()) return malformed("data after the final chunk");
    if (in_pos_ != in_end_) return malformed("data after the final chunk");
    MAXIO_TRY(bool more, fill());
    if (more) return malformed("data after the final chunk");
    return Status::ok();
  }
  std::string canonical;
  std::optional<std::string> signature;
  size_t total = 0;
  for (;;) {
    MAXIO_TRY(std::optional<std::string> line, read_line(kMaxLine));
    if (!line) break;
    total += line->size() + 2;
    if (total > kMaxTrailerBytes) return malformed("trailer too large");
    if (line->empty()) continue;
    size_t colon = line->find(':');
    if (colon == std::string::npos || colon == 0) return malformed("bad trailer line");
    std::string name = to_lower(trim(std::string_view(*line).substr(0, colon)));
    std::string value(trim(std::string_view(*line).substr(colon + 1)));
    if (name == kTrailerSignature) {
      signature = std::move(value);
      continue;
    }
    canonical.append(name).append(":").append(value).append("\n");
    trailers_[name] = std::move(value);
  }
  if (signing_) {
    if (!signature) {
      return Status(ErrorCode::kSignatureDoesNotMatch, "missing x-amz-trailer-signature");
    }
    std::string expected = sigv4::trailer_signature(
        signing_->signing_key, signing_->amz_date, signing_->scope, previous_signature_, canonical);
    if (!constant_time_equal(expected, *signature)) {
      return Status(ErrorCode::kSignatureDoesNotMatch, "trailer signature mismatch");
    }
  }
  return Status::ok();
}

Result<size_t> AwsChunkedReader::read(char* buffer, size_t size) {
  if (size == 0) return size_t{0};
  for (;;) {
    if (!error_.is_ok()) return error_;
    switch (state_) {
      case State::kHeader: {
        if (Status s = read_chunk_header(); !s.is_ok()) {
          error_ = s;
          return s;
        }
        continue;
      }
      case State::kSignedData: {
        if (chunk_pos_ == chunk_.size()) {
          state_ = State::kHeader;
          continue;
        }
        size_t n = std::min(size, chunk_.size() - chunk_pos_);
        std::memcpy(buffer, chunk_.data() + chunk_pos_, n);
        chunk_pos_ += n;
        if (chunk_pos_ == chunk_.size()) {
          chunk_.clear();
          chunk_pos_ = 0;
          state_ = State::kHeader;
        }
        return n;
      }
      case State::kUnsignedData: {
        if (remaining_ == 0) {
          if (Status s = expect_crlf(); !s.is_ok()) {
            error_ = s;
            return s;
          }
          state_ = State::kHeader;
          continue;
        }
        if (in_pos_ == in_end_) {
          auto more = fill();
          if (!more.is_ok()) {
            error_ = more.status();
            return error_;
          }
          if (!*more) {
            error_ = incomplete();
            return error_;
          }
        }
        size_t n = static_cast<size_t>(std::min<uint64_t>(
            {static_cast<uint64_t>(size), remaining_, static_cast<uint64_t>(in_end_ - in_pos_)}));
        std::memcpy(buffer, in_.data() + in_pos_, n);
        in_pos_ += n;
        remaining_ -= n;
        return n;
      }
      case State::kDone:
        return size_t{0};
    }
  }
}

namespace {

class VerifyingReader final : public Reader {
 public:
  VerifyingReader(std::unique_ptr<Reader> source, const AwsChunkedReader* chunked,
                  PayloadExpectations expect, std::shared_ptr<PayloadChecksums> checksums)
      : source_(std::move(source)),
        chunked_(chunked),
        expect_(std::move(expect)),
        checksums_(std::move(checksums)) {
    if (expect_.sha256_hex) sha256_.emplace(HashAlgorithm::kSha256);
    if (expect_.content_md5) md5_.emplace(HashAlgorithm::kMd5);
    for (const auto& [algorithm, value] : expect_.header_checksums) add_checksum(algorithm);
    for (ChecksumAlgorithm algorithm : expect_.trailer_checksums) add_checksum(algorithm);
  }

  Result<size_t> read(char* buffer, size_t size) override {
    if (!status_.is_ok()) return status_;
    if (done_ || size == 0) return size_t{0};
    auto result = source_->read(buffer, size);
    if (!result.is_ok()) {
      status_ = result.status();
      return status_;
    }
    size_t n = *result;
    if (n > 0) {
      if (sha256_) sha256_->update(buffer, n);
      if (md5_) md5_->update(buffer, n);
      for (auto& entry : running_) entry.second->update(buffer, n);
      count_ += n;
      if (expect_.length && count_ > *expect_.length) {
        status_ = Status(ErrorCode::kContentLengthMismatch,
                         "the payload is longer than its declared length");
        return status_;
      }
      return n;
    }
    done_ = true;
    status_ = finish();
    if (!status_.is_ok()) return status_;
    return size_t{0};
  }

 private:
  void add_checksum(ChecksumAlgorithm algorithm) {
    for (const auto& entry : running_) {
      if (entry.first == algorithm) return;
    }
    running_.emplace_back(algorithm, Checksum::create(algorithm));
  }

  Status finish() {
    if (expect_.length && count_ < *expect_.length) return incomplete();
    if (sha256_ && hex_encode(sha256_->finish()) != *expect_.sha256_hex) {
      return Status(ErrorCode::kXAmzContentSHA256Mismatch,
                    "The provided 'x-amz-content-sha256' header does not match what was "
                    "computed.");
    }
    if (md5_ && md5_->finish() != *expect_.content_md5) {
      return Status(ErrorCode::kBadDigest,
                    "The Content-MD5 you specified did not match what we received.");
    }
    std::map<ChecksumAlgorithm, std::string> computed;
    for (auto& [algorithm, checksum] : running_) computed[algorithm] = checksum->finish_base64();
    for (const auto& [algorithm, value] : expect_.header_checksums) {
      if (computed[algorithm] != value) return checksum_mismatch(algorithm);
    }
    for (ChecksumAlgorithm algorithm : expect_.trailer_checksums) {
      std::string name = checksum_header_name(algorithm);
      const std::string* value = nullptr;
      if (chunked_ != nullptr) {
        if (auto it = chunked_->trailers().find(name); it != chunked_->trailers().end()) {
          value = &it->second;
        }
      }
      if (value == nullptr) {
        return Status(ErrorCode::kInvalidChecksum, "the trailing " + name + " is missing");
      }
      if (computed[algorithm] != *value) return checksum_mismatch(algorithm);
    }
    for (const auto& [algorithm, value] : computed) {
      checksums_->values[checksum_header_name(algorithm)] = value;
    }
    return Status::ok();
  }

  static Status checksum_mismatch(ChecksumAlgorithm algorithm) {
    return Status(ErrorCode::kXAmzContentChecksumMismatch,
                  "The " + checksum_algorithm_name(algorithm) +
                      " you specified did not match the calculated checksum.");
  }

  std::unique_ptr<Reader> source_;
  const AwsChunkedReader* chunked_;
  PayloadExpectations expect_;
  std::shared_ptr<PayloadChecksums> checksums_;
  std::optional<Hasher> sha256_;
  std::optional<Hasher> md5_;
  std::vector<std::pair<ChecksumAlgorithm, std::unique_ptr<Checksum>>> running_;
  uint64_t count_ = 0;
  bool done_ = false;
  Status status_;
};

}  // namespace

std::unique_ptr<Reader> make_verifying_reader(std::unique_ptr<Reader> source,
                                              const AwsChunkedReader* chunked,
                                              PayloadExpectations expect,
                                              std::shared_ptr<PayloadChecksums> checksums) {
  return std::make_unique<VerifyingReader>(std::move(source), chunked, std::move(expect),
                                           std::move(checksums));
}

}  // namespace maxio::auth
