// aws-chunked payloads through authenticate(): AWS's published signed streaming example,
// tampered and truncated variants, signed trailers, unsigned trailers with CRC32.

#include <gtest/gtest.h>

#include "daemon/auth/auth.h"
#include "daemon/auth/payload.h"
#include "shared/crypto/hash.h"
#include "shared/util/io.h"
#include "tests/unit/daemon/auth/test_support.h"

namespace maxio::auth {
namespace {

using namespace testing_support;

constexpr char kSeed[] = "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9";
constexpr char kChunk1[] = "ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648";
constexpr char kChunk2[] = "0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497";
constexpr char kFinal[] = "b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9";
const Timestamp kExampleTime = at("20130524T000000Z");

std::string example_body() {
  std::string body;
  body += "10000;chunk-signature=" + std::string(kChunk1) + "\r\n";
  body += std::string(65536, 'a') + "\r\n";
  body += "400;chunk-signature=" + std::string(kChunk2) + "\r\n";
  body += std::string(1024, 'a') + "\r\n";
  body += "0;chunk-signature=" + std::string(kFinal) + "\r\n\r\n";
  return body;
}

// AWS's "PUT examplebucket/chunkObject.txt" streaming example.
HttpRequest example_request() {
  return make_request(
      "PUT", "/examplebucket/chunkObject.txt",
      {{"Host", "s3.amazonaws.com"},
       {"x-amz-date", "20130524T000000Z"},
       {"x-amz-storage-class", "REDUCED_REDUNDANCY"},
       {"Authorization",
        "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,"
        "SignedHeaders=content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;"
        "x-amz-decoded-content-length;x-amz-storage-class,Signature=" +
            std::string(kSeed)},
       {"x-amz-content-sha256", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD"},
       {"Content-Encoding", "aws-chunked"},
       {"x-amz-decoded-content-length", "66560"},
       {"Content-Length", "66824"}});
}

class PayloadTest : public ::testing::Test {
 protected:
  PayloadTest() : provider_({kAccessKey, kSecretKey}) { config_.credentials = &provider_; }

  Result<AuthResult> run(const HttpRequest& request, std::string body) {
    body_text_ = std::move(body);
    body_ = std::make_unique<StringReader>(body_text_);
    return authenticate(request, *body_, config_, kExampleTime);
  }

  StaticCredentialProvider provider_;
  AuthConfig config_;
  std::string body_text_;
  std::unique_ptr<Reader> body_;
};

TEST_F(PayloadTest, DecodesAwsSignedStreamingExample) {
  std::string body = example_body();
  ASSERT_EQ(body.size(), 66824u);
  for (size_t buffer : {1, 7, 4096, 70000}) {
    auto result = run(example_request(), body);
    ASSERT_TRUE(result.is_ok()) << result.status().to_string();
    EXPECT_EQ(result->content_length, 66560u);
    auto data = drain(*result->body, buffer);
    ASSERT_TRUE(data.is_ok()) << data.status().to_string();
    EXPECT_EQ(*data, std::string(66560, 'a'));
  }
}

TEST_F(PayloadTest, RejectsTamperedChunk) {
  std::string body = example_body();
  body[body.find("400;") + 100] = 'b';  // inside the second chunk's data
  auto result = run(example_request(), body);
  ASSERT_TRUE(result.is_ok());
  // The first chunk is released, the second never is.
  std::string out;
  char buffer[4096];
  Status failure;
  for (;;) {
    auto n = result->body->read(buffer, sizeof buffer);
    if (!n.is_ok()) {
      failure = n.status();
      break;
    }
    ASSERT_NE(*n, 0u);
    out.append(buffer, *n);
  }
  EXPECT_EQ(failure.code(), ErrorCode::kSignatureDoesNotMatch);
  EXPECT_EQ(out.size(), 65536u);
}

TEST_F(PayloadTest, RejectsWrongChunkSignature) {
  std::string body = example_body();
  body.replace(body.find(kChunk1), 4, "0000");
  auto result = run(example_request(), body);
  ASSERT_TRUE(result.is_ok());
  EXPECT_EQ(drain(*result->body).code(), ErrorCode::kSignatureDoesNotMatch);
}

TEST_F(PayloadTest, RejectsTruncatedBody) {
  std::string body = example_body();
  for (size_t cut : {size_t{10}, size_t{5000}, size_t{65630}, body.size() - 90}) {
    auto result = run(example_request(), body.substr(0, cut));
    ASSERT_TRUE(result.is_ok());
    EXPECT_EQ(drain(*result->body).code(), ErrorCode::kIncompleteBody) << cut;
  }
}

TEST_F(PayloadTest, RejectsOversizedChunk) {
  auto result = run(example_request(), "1000001;chunk-signature=" + std::string(kChunk1) + "\r\n");
  ASSERT_TRUE(result.is_ok());
  EXPECT_EQ(drain(*result->body).code(), ErrorCode::kEntityTooLarge);
}

// A request our signer signs, with an aws-chunked body of `chunks`.
struct Streamed {
  HttpRequest request;
  std::string body;
};

Streamed signed_stream(std::string_view mode, const std::vector<std::string>& chunks,
                       std::string trailer_name = "", std::string trailer_value = "",
                       bool corrupt_trailer_signature = false) {
  uint64_t decoded = 0;
  for (const auto& c : chunks) decoded += c.size();
  sigv4::HeaderList headers{{"Host", "localhost:9000"},
                            {"Content-Encoding", "aws-chunked"},
                            {"x-amz-decoded-content-length", std::to_string(decoded)}};
  if (!trailer_name.empty()) headers.emplace_back("x-amz-trailer", trailer_name);
  sigv4::SigningParams params;
  params.access_key = kAccessKey;
  params.secret_key = kSecretKey;
  params.time = kExampleTime;
  std::string seed = sigv4::sign_request("PUT", "/bucket/key", "", mode, params, headers);
  sigv4::Scope scope{"20130524", "us-east-1", "s3"};
  std::string key = sigv4::signing_key(kSecretKey, scope);
  bool is_signed = mode != sigv4::kStreamingUnsignedTrailer;
  std::string previous = seed;
  std::string body;
  std::vector<std::string> all = chunks;
  all.emplace_back();
  for (const auto& chunk : all) {
    char size[32];
    std::snprintf(size, sizeof size, "%zx", chunk.size());
    body += size;
    if (is_signed) {
      previous =
          sigv4::chunk_signature(key, "20130524T000000Z", scope, previous, sha256_hex(chunk));
      body += ";chunk-signature=" + previous;
    }
    body += "\r\n";
    if (!chunk.empty()) body += chunk + "\r\n";
  }
  if (mode == sigv4::kStreamingPayload) {
    body += "\r\n";
  } else {
    std::string canonical;
    if (!trailer_name.empty()) {
      body += trailer_name + ":" + trailer_value + "\r\n";
      canonical = trailer_name + ":" + trailer_value + "\n";
    }
    if (is_signed) {
      std::string sig =
          sigv4::trailer_signature(key, "20130524T000000Z", scope, previous, canonical);
      if (corrupt_trailer_signature) sig[0] = sig[0] == '0' ? '1' : '0';
      body += "x-amz-trailer-signature:" + sig + "\r\n";
    }
    body += "\r\n";
  }
  headers.emplace_back("Content-Length", std::to_string(body.size()));
  return {make_request("PUT", "/bucket/key", headers), body};
}

TEST_F(PayloadTest, SignedStreamingFromOurSigner) {
  Streamed s = signed_stream(sigv4::kStreamingPayload, {"hello ", "world"});
  auto result = run(s.request, s.body);
  ASSERT_TRUE(result.is_ok()) << result.status().to_string();
  EXPECT_EQ(drain(*result->body, 3).value(), "hello world");
}

TEST_F(PayloadTest, MissingDecodedLength) {
  sigv4::HeaderList headers{{"Host", "localhost:9000"}, {"Content-Length", "5"}};
  sigv4::SigningParams params;
  params.access_key = kAccessKey;
  params.secret_key = kSecretKey;
  params.time = kExampleTime;
  sigv4::sign_request("PUT", "/bucket/key", "", sigv4::kStreamingPayload, params, headers);
  EXPECT_EQ(run(make_request("PUT", "/bucket/key", headers), "0\r\n\r\n").code(),
            ErrorCode::kMissingContentLength);
}

TEST_F(PayloadTest, SignedTrailerWithChecksum) {
  Streamed s = signed_stream(sigv4::kStreamingPayloadTrailer, {"hello world"},
                             "x-amz-checksum-crc32", "DUoRhQ==");
  auto result = run(s.request, s.body);
  ASSERT_TRUE(result.is_ok()) << result.status().to_string();
  EXPECT_EQ(drain(*result->body).value(), "hello world");
  EXPECT_EQ(result->checksums->values.at("x-amz-checksum-crc32"), "DUoRhQ==");

  Streamed bad = signed_stream(sigv4::kStreamingPayloadTrailer, {"hello world"},
                               "x-amz-checksum-crc32", "DUoRhQ==", true);
  auto rejected = run(bad.request, bad.body);
  ASSERT_TRUE(rejected.is_ok());
  EXPECT_EQ(drain(*rejected->body).code(), ErrorCode::kSignatureDoesNotMatch);
}

TEST_F(PayloadTest, UnsignedTrailerWithCrc32) {
  Streamed good = signed_stream(sigv4::kStreamingUnsignedTrailer, {"hello ", "world"},
                                "x-amz-checksum-crc32", "DUoRhQ==");
  auto result = run(good.request, good.body);
  ASSERT_TRUE(result.is_ok()) << result.status().to_string();
  EXPECT_EQ(result->content_length, 11u);
  EXPECT_EQ(drain(*result->body, 2).value(), "hello world");
  EXPECT_EQ(result->checksums->values.at("x-amz-checksum-crc32"), "DUoRhQ==");

  Streamed bad = signed_stream(sigv4::kStreamingUnsignedTrailer, {"hello ", "world"},
                               "x-amz-checksum-crc32", "AAAAAA==");
  auto rejected = run(bad.request, bad.body);
  ASSERT_TRUE(rejected.is_ok());
  EXPECT_EQ(drain(*rejected->body).code(), ErrorCode::kXAmzContentChecksumMismatch);

  Streamed missing =
      signed_stream(sigv4::kStreamingUnsignedTrailer, {"hello world"}, "x-amz-checksum-crc32", "");
  missing.body = "b\r\nhello world\r\n0\r\n\r\n";
  auto absent = run(missing.request, missing.body);
  ASSERT_TRUE(absent.is_ok());
  EXPECT_EQ(drain(*absent->body).code(), ErrorCode::kInvalidChecksum);
}

// minio-go ends the checksum trailer line with "\n" and then sends "\r\n" before the
// trailer signature line; the canonical trailer is still "name:value\n".
TEST_F(PayloadTest, SignedTrailerInMinioGoLayout) {
  Streamed s = signed_stream(sigv4::kStreamingPayloadTrailer, {"hello world"},
                             "x-amz-checksum-crc32", "DUoRhQ==");
  size_t at = s.body.find("x-amz-checksum-crc32:DUoRhQ==\r\n");
  ASSERT_NE(at, std::string::npos);
  s.body.replace(at, 31, "x-amz-checksum-crc32:DUoRhQ==\n\r\n");
  auto result = run(s.request, s.body);  // the raw body reader ends where the body does
  ASSERT_TRUE(result.is_ok()) << result.status().to_string();
  EXPECT_EQ(drain(*result->body).value(), "hello world");
  EXPECT_EQ(result->checksums->values.at("x-amz-checksum-crc32"), "DUoRhQ==");
}

TEST_F(PayloadTest, UnknownTrailerNameIsRejected) {
  Streamed s = signed_stream(sigv4::kStreamingUnsignedTrailer, {"hello world"},
                             "x-amz-checksum-md7", "AAAA");
  EXPECT_EQ(run(s.request, s.body).code(), ErrorCode::kInvalidRequest);
}

TEST_F(PayloadTest, DecodedLengthMismatch) {
  // Directly exercise the decoder and verifier: 11 bytes where 20 were declared.
  StringReader raw("b\r\nhello world\r\n0\r\n\r\n");
  auto decoder =
      std::make_unique<AwsChunkedReader>(std::make_unique<BorrowedReader>(raw), std::nullopt, true);
  const AwsChunkedReader* view = decoder.get();
  PayloadExpectations expect;
  expect.length = 20;
  auto reader =
      make_verifying_reader(std::move(decoder), view, expect, std::make_shared<PayloadChecksums>());
  EXPECT_EQ(drain(*reader).code(), ErrorCode::kIncompleteBody);

  StringReader raw_long("b\r\nhello world\r\n0\r\n\r\n");
  auto long_decoder = std::make_unique<AwsChunkedReader>(std::make_unique<BorrowedReader>(raw_long),
                                                         std::nullopt, false);
  PayloadExpectations shorter;
  shorter.length = 5;
  auto long_reader = make_verifying_reader(std::move(long_decoder), nullptr, shorter,
                                           std::make_shared<PayloadChecksums>());
  EXPECT_EQ(drain(*long_reader).code(), ErrorCode::kContentLengthMismatch);
}

TEST_F(PayloadTest, RejectsMalformedFraming) {
  for (const char* text :
       {"zz\r\nhello\r\n0\r\n\r\n", "5\r\nhelloXX0\r\n\r\n", "5\r\nhello\r\n0\r\n\r\ntrailing"}) {
    StringReader raw(text);
    AwsChunkedReader decoder(std::make_unique<BorrowedReader>(raw), std::nullopt, false);
    EXPECT_EQ(drain(decoder).code(), ErrorCode::kInvalidRequest) << text;
  }
}

}  // namespace
}  // namespace maxio::auth
