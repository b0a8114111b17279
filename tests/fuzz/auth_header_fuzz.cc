// Fuzzes authenticate() with arbitrary Authorization headers, queries, dates, payload modes
// and bodies: it must never crash, and the body reader it returns must never yield more
// bytes than the raw body holds.

#include <fuzzer/FuzzedDataProvider.h>

#include <cstdlib>
#include <string>

#include "daemon/auth/auth.h"
#include "shared/util/io.h"
#include "shared/util/time.h"

namespace {

constexpr const char* kAuthPrefixes[] = {
    "",
    "AWS4-HMAC-SHA256 ",
    "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
    "SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=",
    "AWS ",
    "AWS AKIAIOSFODNN7EXAMPLE:",
};
constexpr const char* kQueryPrefixes[] = {
    "",
    "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-"
    "east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-SignedHeaders=host&",
    "AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE&",
};
constexpr const char* kContentSha[] = {
    "",
    "UNSIGNED-PAYLOAD",
    "STREAMING-AWS4-HMAC-SHA256-PAYLOAD",
    "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER",
    "STREAMING-UNSIGNED-PAYLOAD-TRAILER",
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace maxio;
  FuzzedDataProvider in(data, size);
  static auth::StaticCredentialProvider provider(
      {"AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"});
  auth::AuthConfig config;
  config.credentials = &provider;

  HttpRequest request;
  request.method = in.PickValueInArray({"GET", "PUT", "POST", "HEAD"});
  request.path = "/" + in.ConsumeRandomLengthString(64);
  request.raw_query =
      std::string(in.PickValueInArray(kQueryPrefixes)) + in.ConsumeRandomLengthString(256);
  request.target = request.path + "?" + request.raw_query;
  request.headers.add("Host", "localhost:9000");
  std::string authorization =
      std::string(in.PickValueInArray(kAuthPrefixes)) + in.ConsumeRandomLengthString(256);
  if (!authorization.empty()) request.headers.add("Authorization", authorization);
  if (in.ConsumeBool()) request.headers.add("x-amz-date", in.ConsumeRandomLengthString(24));
  if (in.ConsumeBool()) request.headers.add("Date", in.ConsumeRandomLengthString(40));
  std::string sha = in.PickValueInArray(kContentSha);
  if (!sha.empty()) request.headers.add("x-amz-content-sha256", sha);
  if (in.ConsumeBool()) {
    request.headers.add("x-amz-decoded-content-length", in.ConsumeRandomLengthString(8));
  }
  if (in.ConsumeBool()) request.headers.add("x-amz-trailer", in.ConsumeRandomLengthString(32));
  if (in.ConsumeBool()) request.headers.add("Content-MD5", in.ConsumeRandomLengthString(32));
  if (in.ConsumeBool()) {
    request.headers.add("x-amz-checksum-crc32", in.ConsumeRandomLengthString(12));
  }
  std::string body = in.ConsumeRemainingBytesAsString();
  request.content_length = body.size();

  StringReader raw(body);
  auto now = parse_amz_date("20130524T000000Z").value();
  auto result = auth::authenticate(request, raw, config, now);
  if (!result.is_ok()) return 0;
  if (!result->body) std::abort();
  size_t total = 0;
  char buffer[512];
  for (;;) {
    auto n = result->body->read(buffer, sizeof buffer);
    if (!n.is_ok() || *n == 0) break;
    total += *n;
    if (total > body.size()) std::abort();
  }
  return 0;
}
