#pragma once
// AwsChunkedEncoder: a Reader that turns a payload into the aws-chunked body of
// STREAMING-AWS4-HMAC-SHA256-PAYLOAD, signing every chunk as it goes (chained from the
// request's seed signature), so a signed upload never holds more than one chunk.
// Borrows its source; driven by one thread at a time.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "shared/sigv4/signer.h"
#include "shared/util/io.h"

namespace maxio::s3client::internal {

// What chains the chunk signatures: the request's signing key, time, scope and signature.
struct ChunkSigner {
  std::string signing_key;  // raw, from sigv4::signing_key
  std::string amz_date;     // 20130524T000000Z
  sigv4::Scope scope;
  std::string seed_signature;  // hex, as sigv4::sign_request returned it
};

class AwsChunkedEncoder final : public Reader {
 public:
  // Encodes exactly `payload_size` bytes of `source` in chunks of `chunk_size` (> 0) bytes
  // (the last one shorter), then the final empty chunk.
  AwsChunkedEncoder(Reader& source, uint64_t payload_size, size_t chunk_size, ChunkSigner signer);

  // The encoded size of `payload_size` bytes: what Content-Length must say.
  static uint64_t encoded_length(uint64_t payload_size, size_t chunk_size);

  // Encoded bytes; kEndOfStream when the source ends before payload_size bytes.
  Result<size_t> read(char* buffer, size_t size) override;

  // Starts the encoding over (after the caller rewound the source).
  void restart();

 private:
  Status next_chunk();

  Reader& source_;
  const uint64_t payload_size_;
  const size_t chunk_size_;
  const ChunkSigner signer_;
  uint64_t remaining_;
  std::string previous_signature_;
  std::vector<char> data_;  // one chunk of payload
  std::string out_;         // the encoded chunk being handed out
  size_t out_pos_ = 0;
  bool final_sent_ = false;
};

}  // namespace maxio::s3client::internal
