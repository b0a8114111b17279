#pragma once
// Request payload decoders used by authenticate(): the aws-chunked decoder (signed chunks of
// STREAMING-AWS4-HMAC-SHA256-PAYLOAD[-TRAILER] and unsigned chunks of
// STREAMING-UNSIGNED-PAYLOAD-TRAILER, with trailers) and the verifying reader that checks
// x-amz-content-sha256, Content-MD5, x-amz-checksum-* and the length at the end of the stream.
// Memory is bounded: at most one signed chunk (kMaxChunkSize) plus a 64 KiB read buffer.
// Each reader is driven by one thread at a time.

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "daemon/auth/auth.h"
#include "shared/crypto/checksum.h"
#include "shared/sigv4/signer.h"
#include "shared/util/io.h"

namespace maxio::auth {

// Largest aws-chunked chunk accepted (a signed chunk is buffered whole until verified).
inline constexpr uint64_t kMaxChunkSize = 16ull << 20;

// What chains the chunk signatures of a signed aws-chunked body.
struct ChunkSigning {
  std::string signing_key;  // raw derived key (sigv4::signing_key)
  std::string amz_date;     // 20130524T000000Z
  sigv4::Scope scope;
  std::string seed_signature;  // the request's signature (hex)
};

// A Reader that forwards to a Reader it does not own.
class BorrowedReader final : public Reader {
 public:
  explicit BorrowedReader(Reader& source) : source_(source) {}
  Result<size_t> read(char* buffer, size_t size) override { return source_.read(buffer, size); }

 private:
  Reader& source_;
};

// Decodes "hex-size[;chunk-signature=sig]\r\n data \r\n ... 0[;...]\r\n [trailers] \r\n".
// With `signing`, every chunk's signature is verified before any of its bytes are returned
// (kSignatureDoesNotMatch) and, with `trailer`, so is x-amz-trailer-signature. Truncation
// fails with kIncompleteBody, bad framing with kInvalidRequest, a chunk larger than
// kMaxChunkSize with kEntityTooLarge. The decoder never returns more bytes than it consumed.
class AwsChunkedReader final : public Reader {
 public:
  AwsChunkedReader(std::unique_ptr<Reader> source, std::optional<ChunkSigning> signing,
                   bool trailer);
  Result<size_t> read(char* buffer, size_t size) override;
  // Trailer fields by lower-case name (x-amz-trailer-signature excluded); complete once
  // read() returned 0.
  const std::map<std::string, std::string>& trailers() const { return trailers_; }

 private:
  enum class State { kHeader, kSignedData, kUnsignedData, kDone };
  Result<bool> fill();  // false at the end of the source
  Result<std::optional<std::string>> read_line(size_t max);
  Status read_exact(std::string& out, size_t n);
  Status expect_crlf();
  Status read_chunk_header();
  Status finish_chunks();

  std::unique_ptr<Reader> source_;
  std::optional<ChunkSigning> signing_;
  bool trailer_;
  std::string previous_signature_;
  std::vector<char> in_;
  size_t in_pos_ = 0;
  size_t in_end_ = 0;
  bool source_eof_ = false;
  State state_ = State::kHeader;
  std::string chunk_;  // a verified signed chunk being handed out
  size_t chunk_pos_ = 0;
  uint64_t remaining_ = 0;  // unsigned chunk bytes still to pass through
  std::map<std::string, std::string> trailers_;
  Status error_;
};

// What the payload must match, checked when the stream ends.
struct PayloadExpectations {
  std::optional<std::string> sha256_hex;   // x-amz-content-sha256 when it is a hash
  std::optional<std::string> content_md5;  // Content-MD5, raw 16 bytes
  std::optional<uint64_t> length;          // exact payload length when declared
  // x-amz-checksum-* request headers: algorithm and expected base64 value.
  std::vector<std::pair<ChecksumAlgorithm, std::string>> header_checksums;
  // Checksums named by x-amz-trailer, whose values arrive in the aws-chunked trailer.
  std::vector<ChecksumAlgorithm> trailer_checksums;
};

// Wraps `source` (and, when the payload is aws-chunked, `chunked` — the same object, not
// owned separately) and verifies `expect` when the stream ends: kXAmzContentSHA256Mismatch,
// kBadDigest, kXAmzContentChecksumMismatch, kInvalidChecksum (a trailer missing),
// kIncompleteBody (short) or kContentLengthMismatch (long). Computed checksums go to
// `checksums` at the end.
std::unique_ptr<Reader> make_verifying_reader(std::unique_ptr<Reader> source,
                                              const AwsChunkedReader* chunked,
                                              PayloadExpectations expect,
                                              std::shared_ptr<PayloadChecksums> checksums);

}  // namespace maxio::auth
