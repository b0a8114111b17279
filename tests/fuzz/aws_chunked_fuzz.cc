// Fuzzes the aws-chunked decoder two ways. Arbitrary bytes through the unsigned-trailer and
// the signed decoders: no crash and never more output than input. And a round trip: the
// input split into fuzzed chunk sizes, encoded (signed, and unsigned with a CRC32 trailer)
// and decoded again, must come back byte for byte with the right checksum.

#include <fuzzer/FuzzedDataProvider.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "daemon/auth/payload.h"
#include "shared/crypto/checksum.h"
#include "shared/crypto/hash.h"
#include "shared/sigv4/signer.h"

namespace {

using namespace maxio;

const char kDate[] = "20130524T000000Z";
const char kSeed[] = "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9";

auth::ChunkSigning signing() {
  sigv4::Scope scope{"20130524", "us-east-1", "s3"};
  return {sigv4::signing_key("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", scope), kDate, scope,
          kSeed};
}

// Drains `reader` with read sizes from `sizes`; the bytes read, or nullopt on an error.
std::optional<std::string> drain(Reader& reader, FuzzedDataProvider& sizes, size_t limit) {
  std::string out;
  std::vector<char> buffer(4096);
  for (;;) {
    size_t want = sizes.ConsumeIntegralInRange<size_t>(1, buffer.size());
    auto n = reader.read(buffer.data(), want);
    if (!n.is_ok()) return std::nullopt;
    if (*n > want) std::abort();
    if (*n == 0) return out;
    out.append(buffer.data(), *n);
    if (out.size() > limit) std::abort();
  }
}

std::string encode(const std::string& payload, FuzzedDataProvider& in, bool is_signed,
                   const std::string& trailer) {
  auth::ChunkSigning ctx = signing();
  std::string previous = ctx.seed_signature;
  std::string out;
  size_t pos = 0;
  for (;;) {
    size_t n =
        pos == payload.size() ? 0 : in.ConsumeIntegralInRange<size_t>(1, payload.size() - pos);
    std::string chunk = payload.substr(pos, n);
    pos += n;
    char size[32];
    std::snprintf(size, sizeof size, "%zx", n);
    out += size;
    if (is_signed) {
      previous = sigv4::chunk_signature(ctx.signing_key, ctx.amz_date, ctx.scope, previous,
                                        sha256_hex(chunk));
      out += ";chunk-signature=" + previous;
    }
    out += "\r\n";
    if (n == 0) break;
    out += chunk + "\r\n";
  }
  if (!trailer.empty()) out += trailer + "\r\n";
  out += "\r\n";
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzedDataProvider in(data, size);
  bool trailer = in.ConsumeBool();
  std::string input = in.ConsumeRandomLengthString(1 << 14);

  {  // Arbitrary bytes, unsigned then signed.
    StringReader raw(input);
    auth::AwsChunkedReader unsigned_reader(std::make_unique<auth::BorrowedReader>(raw),
                                           std::nullopt, trailer);
    drain(unsigned_reader, in, input.size());
    StringReader raw_signed(input);
    auth::AwsChunkedReader signed_reader(std::make_unique<auth::BorrowedReader>(raw_signed),
                                         signing(), trailer);
    drain(signed_reader, in, input.size());
  }

  {  // Round trip: unsigned with a CRC32 trailer, checked by the verifying reader.
    auto crc = Checksum::create(ChecksumAlgorithm::kCrc32);
    crc->update(input.data(), input.size());
    std::string value = crc->finish_base64();
    std::string wire = encode(input, in, false, "x-amz-checksum-crc32:" + value);
    StringReader raw(wire);
    auto decoder = std::make_unique<auth::AwsChunkedReader>(
        std::make_unique<auth::BorrowedReader>(raw), std::nullopt, true);
    const auth::AwsChunkedReader* view = decoder.get();
    auth::PayloadExpectations expect;
    expect.length = input.size();
    expect.trailer_checksums.push_back(ChecksumAlgorithm::kCrc32);
    auto checksums = std::make_shared<auth::PayloadChecksums>();
    auto reader = auth::make_verifying_reader(std::move(decoder), view, expect, checksums);
    auto out = drain(*reader, in, wire.size());
    if (!out || *out != input) std::abort();
    if (checksums->values["x-amz-checksum-crc32"] != value) std::abort();
  }

  {  // Round trip: signed chunks.
    std::string wire = encode(input, in, true, "");
    StringReader raw(wire);
    auth::AwsChunkedReader reader(std::make_unique<auth::BorrowedReader>(raw), signing(), false);
    auto out = drain(reader, in, wire.size());
    if (!out || *out != input) std::abort();
  }
  return 0;
}
