// The S3 client without an S3 server: its XML documents, S3Error, the aws-chunked encoder
// against AWS's published example, and the requests it builds (multipart, retries) as a
// scripted HttpServer sees them.

#include <gtest/gtest.h>

#include <chrono>
#include <deque>
#include <mutex>
#include <string>
#include <vector>

#include "daemon/http/server.h"
#include "shared/crypto/hash.h"
#include "shared/s3/client.h"
#include "shared/s3/internal/aws_chunked.h"
#include "shared/s3/internal/xml.h"
#include "shared/sigv4/signer.h"
#include "shared/util/strings.h"
#include "shared/util/time.h"

namespace maxio::s3client {
namespace {

using namespace std::chrono_literals;

// A Reader over a string that can start over.
class RewindableReader final : public Reader {
 public:
  explicit RewindableReader(std::string_view data) : data_(data) {}
  Result<size_t> read(char* buffer, size_t size) override {
    size_t n = std::min(size, data_.size() - offset_);
    data_.copy(buffer, n, offset_);
    offset_ += n;
    return n;
  }
  Status rewind() {
    offset_ = 0;
    ++rewinds_;
    return Status::ok();
  }
  int rewinds() const { return rewinds_; }

 private:
  std::string_view data_;
  size_t offset_ = 0;
  int rewinds_ = 0;
};

// ---- XML ----

TEST(S3XmlTest, BuildsCompleteMultipartUpload) {
  std::string xml = internal::complete_multipart_upload_xml(
      {{1, "\"a54357aff0632cce46d942af68356b38\""}, {2, "0c78aef83f66abc1fa1e8477f296d394"}});
  EXPECT_EQ(xml,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            "<CompleteMultipartUpload xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
            "<Part><PartNumber>1</PartNumber><ETag>\"a54357aff0632cce46d942af68356b38\"</ETag>"
            "</Part><Part><PartNumber>2</PartNumber>"
            "<ETag>\"0c78aef83f66abc1fa1e8477f296d394\"</ETag></Part></CompleteMultipartUpload>");
}

TEST(S3XmlTest, BuildsDeleteObjectsAndBucketConfiguration) {
  std::string xml = internal::delete_objects_xml({{"a&b", ""}, {"c\rd", "v1"}}, true);
  EXPECT_NE(xml.find("<Quiet>true</Quiet>"), std::string::npos);
  EXPECT_NE(xml.find("<Object><Key>a&amp;b</Key></Object>"), std::string::npos);
  EXPECT_NE(xml.find("<Key>c&#13;d</Key><VersionId>v1</VersionId>"), std::string::npos) << xml;
  EXPECT_NE(internal::create_bucket_configuration_xml("eu-west-1")
                .find("<LocationConstraint>eu-west-1</LocationConstraint>"),
            std::string::npos);
}

TEST(S3XmlTest, ParsesInitiateCompleteAndListParts) {
  auto upload = internal::parse_create_multipart_upload(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<InitiateMultipartUploadResult "
      "xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Bucket>b</Bucket><Key>k</Key>"
      "<UploadId>VXBsb2FkIElE</UploadId></InitiateMultipartUploadResult>");
  ASSERT_TRUE(upload.is_ok()) << upload.status().to_string();
  EXPECT_EQ(*upload, "VXBsb2FkIElE");
  EXPECT_EQ(internal::parse_create_multipart_upload("<InitiateMultipartUploadResult/>").code(),
            ErrorCode::kInternal);

  auto complete = internal::parse_complete_multipart_upload(
      "<CompleteMultipartUploadResult><Location>http://h/b/k</Location><Bucket>b</Bucket>"
      "<Key>k</Key><ETag>\"3858f62230ac3c915f300c664312c11f-9\"</ETag>"
      "</CompleteMultipartUploadResult>");
  ASSERT_TRUE(complete.is_ok());
  EXPECT_EQ(complete->location, "http://h/b/k");
  EXPECT_EQ(complete->etag, "3858f62230ac3c915f300c664312c11f-9");

  auto parts = internal::parse_list_parts(
      "<ListPartsResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Bucket>b</Bucket>"
      "<Key>k</Key><UploadId>u</UploadId><PartNumberMarker>1</PartNumberMarker>"
      "<NextPartNumberMarker>3</NextPartNumberMarker><MaxParts>2</MaxParts>"
      "<IsTruncated>true</IsTruncated>"
      "<Part><PartNumber>2</PartNumber><LastModified>2010-11-10T20:48:34.000Z</LastModified>"
      "<ETag>\"7778aef83f66abc1fa1e8477f296d394\"</ETag><Size>10485760</Size></Part>"
      "<Part><PartNumber>3</PartNumber><LastModified>2010-11-10T20:48:33.000Z</LastModified>"
      "<ETag>\"aaaa18db4cc2f85cedef654fccc4a4x8\"</ETag><Size>10485761</Size></Part>"
      "</ListPartsResult>");
  ASSERT_TRUE(parts.is_ok()) << parts.status().to_string();
  ASSERT_EQ(parts->parts.size(), 2u);
  EXPECT_EQ(parts->parts[0].part_number, 2);
  EXPECT_EQ(parts->parts[0].etag, "7778aef83f66abc1fa1e8477f296d394");
  EXPECT_EQ(parts->parts[1].size, 10485761u);
  EXPECT_EQ(parts->parts[1].last_modified, *parse_iso8601("2010-11-10T20:48:33.000Z"));
  EXPECT_TRUE(parts->is_truncated);
  EXPECT_EQ(parts->next_part_number_marker, 3);
}

TEST(S3XmlTest, ParsesUrlEncodedListingsAndVersions) {
  auto list = internal::parse_list_objects_v2(
      "<ListBucketResult><Name>b</Name><EncodingType>url</EncodingType>"
      "<IsTruncated>true</IsTruncated><NextContinuationToken>tok+/=</NextContinuationToken>"
      "<Contents><Key>a%20b%2Bc/%E2%82%AC</Key><Size>3</Size><ETag>&quot;e&quot;</ETag>"
      "<LastModified>2024-01-02T03:04:05.000Z</LastModified><StorageClass>STANDARD"
      "</StorageClass></Contents>"
      "<CommonPrefixes><Prefix>dir%20x/</Prefix></CommonPrefixes></ListBucketResult>");
  ASSERT_TRUE(list.is_ok()) << list.status().to_string();
  ASSERT_EQ(list->objects.size(), 1u);
  EXPECT_EQ(list->objects[0].key, "a b+c/\xE2\x82\xAC");
  EXPECT_EQ(list->objects[0].etag, "e");
  EXPECT_EQ(list->common_prefixes, std::vector<std::string>{"dir x/"});
  EXPECT_TRUE(list->is_truncated);
  EXPECT_EQ(list->next_continuation_token, "tok+/=");  // never url-encoded

  auto versions = internal::parse_list_object_versions(
      "<s3:ListVersionsResult xmlns:s3=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
      "<s3:IsTruncated>false</s3:IsTruncated>"
      "<s3:Version><s3:Key>k</s3:Key><s3:VersionId>v2</s3:VersionId>"
      "<s3:IsLatest>false</s3:IsLatest><s3:Size>5</s3:Size></s3:Version>"
      "<s3:DeleteMarker><s3:Key>k</s3:Key><s3:VersionId>v3</s3:VersionId>"
      "<s3:IsLatest>true</s3:IsLatest></s3:DeleteMarker></s3:ListVersionsResult>");
  ASSERT_TRUE(versions.is_ok()) << versions.status().to_string();
  ASSERT_EQ(versions->versions.size(), 2u);
  EXPECT_FALSE(versions->versions[0].is_delete_marker);
  EXPECT_EQ(versions->versions[0].size, 5u);
  EXPECT_TRUE(versions->versions[1].is_delete_marker);
  EXPECT_TRUE(versions->versions[1].is_latest);
  EXPECT_EQ(versions->versions[1].version_id, "v3");
}

TEST(S3XmlTest, ParsesDeleteResultAndErrors) {
  auto result = internal::parse_delete_objects(
      "<DeleteResult><Deleted><Key>a</Key></Deleted><Deleted><Key>b</Key>"
      "<DeleteMarker>true</DeleteMarker><DeleteMarkerVersionId>m1</DeleteMarkerVersionId>"
      "</Deleted><Error><Key>c</Key><Code>AccessDenied</Code><Message>no</Message></Error>"
      "</DeleteResult>");
  ASSERT_TRUE(result.is_ok());
  ASSERT_EQ(result->deleted.size(), 2u);
  EXPECT_TRUE(result->deleted[1].delete_marker);
  EXPECT_EQ(result->deleted[1].delete_marker_version_id, "m1");
  ASSERT_EQ(result->errors.size(), 1u);
  EXPECT_EQ(result->errors[0].code, "AccessDenied");

  auto error = internal::parse_error(
      "<?xml version=\"1.0\"?><Error><Code>NoSuchKey</Code><Message>gone</Message>"
      "<Resource>/b/k</Resource><RequestId>ABC</RequestId></Error>");
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->code, "NoSuchKey");
  EXPECT_EQ(error->message, "gone");
  EXPECT_EQ(error->request_id, "ABC");
  EXPECT_FALSE(internal::parse_error("<ListBucketResult/>").has_value());
  EXPECT_FALSE(internal::parse_error("not xml").has_value());
  EXPECT_EQ(internal::parse_list_buckets("<Error/>").code(), ErrorCode::kInternal);
}

// ---- S3Error ----

TEST(S3ErrorTest, RoundTripsThroughStatus) {
  S3Error error{404, "NoSuchKey", "The specified key: gone]: really", "17A2B",
                "GET 127.0.0.1:9000/b/k%20x?versionId=1"};
  Status status = error.to_status();
  EXPECT_EQ(status.code(), ErrorCode::kNoSuchKey);
  EXPECT_EQ(status.message(),
            "NoSuchKey (HTTP 404) GET 127.0.0.1:9000/b/k%20x?versionId=1 [request 17A2B]: "
            "The specified key: gone]: really");
  auto back = S3Error::from_status(status);
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->http_status, 404);
  EXPECT_EQ(back->code, "NoSuchKey");
  EXPECT_EQ(back->message, error.message);
  EXPECT_EQ(back->request_id, "17A2B");
  EXPECT_EQ(back->request, error.request);

  EXPECT_FALSE(S3Error::from_status(Status(ErrorCode::kIo, "127.0.0.1:1: connect failed")));
  EXPECT_FALSE(S3Error::from_status(Status::ok()));
  S3Error no_id{503, "SlowDown", "", "", "PUT [::1]:9000/b/k"};
  auto parsed = S3Error::from_status(no_id.to_status());
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(parsed->request, "PUT [::1]:9000/b/k");
  EXPECT_EQ(parsed->request_id, "");
}

TEST(S3ErrorTest, MapsCodesAndStatuses) {
  EXPECT_EQ(error_code_for("NoSuchBucket", 404), ErrorCode::kNoSuchBucket);
  EXPECT_EQ(error_code_for("SignatureDoesNotMatch", 403), ErrorCode::kSignatureDoesNotMatch);
  EXPECT_EQ(error_code_for("SlowDownWrite", 503), ErrorCode::kSlowDown);
  EXPECT_EQ(error_code_for("NotImplemented", 501), ErrorCode::kNotImplemented);
  EXPECT_EQ(error_code_for("SomethingNew", 403), ErrorCode::kAccessDenied);
  EXPECT_EQ(error_code_for("SomethingNew", 409), ErrorCode::kInvalidRequest);
  EXPECT_EQ(error_code_for("SomethingNew", 502), ErrorCode::kInternal);
  EXPECT_EQ(error_code_for("", 412), ErrorCode::kPreconditionFailed);
}

// ---- aws-chunked ----

constexpr char kExampleSecret[] = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

TEST(AwsChunkedEncoderTest, EncodesAwsSignedStreamingExample) {
  // AWS's "PUT examplebucket/chunkObject.txt" example: 66560 'a' in 64 KiB chunks.
  sigv4::Scope scope{"20130524", "us-east-1", "s3"};
  internal::ChunkSigner signer{sigv4::signing_key(kExampleSecret, scope), "20130524T000000Z", scope,
                               "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9"};
  std::string payload(66560, 'a');
  std::string expected =
      "10000;chunk-signature=ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648"
      "\r\n" +
      std::string(65536, 'a') +
      "\r\n400;chunk-signature="
      "0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497\r\n" +
      std::string(1024, 'a') +
      "\r\n0;chunk-signature=b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9"
      "\r\n\r\n";
  EXPECT_EQ(internal::AwsChunkedEncoder::encoded_length(66560, 65536), 66824u);
  ASSERT_EQ(expected.size(), 66824u);
  RewindableReader source(payload);
  internal::AwsChunkedEncoder encoder(source, payload.size(), 65536, signer);
  for (int pass = 0; pass < 2; ++pass) {
    std::string out;
    char buffer[1000];  // small reads cross chunk boundaries
    for (;;) {
      auto n = encoder.read(buffer, sizeof buffer);
      ASSERT_TRUE(n.is_ok()) << n.status().to_string();
      if (*n == 0) break;
      out.append(buffer, *n);
    }
    EXPECT_EQ(out, expected);
    ASSERT_TRUE(source.rewind().is_ok());  // and encode again
    encoder.restart();
  }
}

TEST(AwsChunkedEncoderTest, LengthsAndShortSource) {
  EXPECT_EQ(internal::AwsChunkedEncoder::encoded_length(0, 65536), 86u);  // final chunk only
  // "10000;chunk-signature=<64>\r\n" + data + "\r\n", then the final chunk.
  EXPECT_EQ(internal::AwsChunkedEncoder::encoded_length(65536, 65536),
            5u + 17 + 64 + 2 + 65536 + 2 + 86);
  std::string payload(100, 'x');
  StringReader source(payload);
  internal::AwsChunkedEncoder encoder(source, 200, 64, {});
  std::string out;
  char buffer[4096];
  Status error;
  for (;;) {
    auto n = encoder.read(buffer, sizeof buffer);
    if (!n.is_ok()) {
      error = n.status();
      break;
    }
    if (*n == 0) break;
    out.append(buffer, *n);
  }
  EXPECT_EQ(error.code(), ErrorCode::kEndOfStream);
  EXPECT_NE(error.message().find("100 of 200"), std::string::npos) << error.message();
}

// ---- Requests as a server sees them ----

struct Seen {
  std::string method;
  std::string target;
  HttpHeaders headers;
  std::string body;
};

struct Scripted {
  int status = 200;
  std::string body = {};
  std::vector<std::pair<std::string, std::string>> headers = {};
  bool read_body = true;
};

// An HttpServer that records each request and answers from a script (200 when it is empty).
class FakeS3 {
 public:
  FakeS3() {
    HttpServerOptions options;
    options.address = "127.0.0.1:0";
    options.io_threads = 1;
    options.worker_threads = 2;
    auto server = HttpServer::start(options, [this](HttpExchange& e) { handle(e); });
    EXPECT_TRUE(server.is_ok());
    server_ = std::move(server).value();
  }
  void script(Scripted answer) {
    std::lock_guard lock(mu_);
    script_.push_back(std::move(answer));
  }
  std::vector<Seen> seen() {
    std::lock_guard lock(mu_);
    return seen_;
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(server_->port()); }

 private:
  void handle(HttpExchange& e) {
    Scripted answer;
    {
      std::lock_guard lock(mu_);
      if (!script_.empty()) {
        answer = std::move(script_.front());
        script_.pop_front();
      }
    }
    Seen seen{e.request.method, e.request.target, e.request.headers, ""};
    if (answer.read_body) seen.body = read_all(e.body, 64 << 20).value();
    {
      std::lock_guard lock(mu_);
      seen_.push_back(seen);
    }
    HttpHeaders headers;
    for (const auto& [name, value] : answer.headers) headers.add(name, value);
    (void)e.response.send_headers(answer.status, headers, answer.body.size());
    (void)e.response.write(answer.body);
    (void)e.response.finish();
  }

  std::unique_ptr<HttpServer> server_;
  std::mutex mu_;
  std::deque<Scripted> script_;
  std::vector<Seen> seen_;
};

std::unique_ptr<S3Client> client_for(const FakeS3& fake, int retries = 2) {
  S3ClientOptions options;
  options.endpoint = fake.url();
  options.access_key = "AKIDEXAMPLE";
  options.secret_key = "secretsecret";
  options.max_retries = retries;
  options.retry_base_delay = 1ms;
  options.retry_max_delay = 5ms;
  auto client = S3Client::create(options);
  EXPECT_TRUE(client.is_ok()) << client.status().to_string();
  return std::move(client).value();
}

TEST(S3ClientRequestTest, MultipartRequestsAndResponses) {
  FakeS3 fake;
  auto client = client_for(fake);
  fake.script({200,
               "<InitiateMultipartUploadResult><Bucket>b</Bucket><Key>dir/k x</Key>"
               "<UploadId>up/1+2</UploadId></InitiateMultipartUploadResult>"});
  PutObjectOptions put;
  put.content_type = "text/plain";
  put.metadata["color"] = "blue";
  auto upload = client->create_multipart_upload("b", "dir/k x", put);
  ASSERT_TRUE(upload.is_ok()) << upload.status().to_string();
  EXPECT_EQ(*upload, "up/1+2");

  fake.script({200, "", {{"ETag", "\"etag-1\""}}});
  std::string part(300000, 'p');
  StringReader reader(part);
  auto etag = client->upload_part("b", "dir/k x", *upload, 1, Payload{reader, part.size()});
  ASSERT_TRUE(etag.is_ok()) << etag.status().to_string();
  EXPECT_EQ(*etag, "etag-1");

  fake.script({200,
               "<CompleteMultipartUploadResult><Location>http://h/b/k</Location>"
               "<Bucket>b</Bucket><Key>dir/k x</Key><ETag>\"abc-1\"</ETag>"
               "</CompleteMultipartUploadResult>",
               {{"x-amz-version-id", "v9"}}});
  auto done = client->complete_multipart_upload("b", "dir/k x", *upload, {{1, *etag}});
  ASSERT_TRUE(done.is_ok()) << done.status().to_string();
  EXPECT_EQ(done->etag, "abc-1");
  EXPECT_EQ(done->version_id, "v9");

  fake.script({200,
               "<ListPartsResult><IsTruncated>false</IsTruncated><Part><PartNumber>1"
               "</PartNumber><ETag>\"etag-1\"</ETag><Size>300000</Size></Part></ListPartsResult>"});
  auto parts =
      client->list_parts("b", "dir/k x", *upload, {.max_parts = 5, .part_number_marker = 0});
  ASSERT_TRUE(parts.is_ok()) << parts.status().to_string();
  ASSERT_EQ(parts->parts.size(), 1u);
  EXPECT_EQ(parts->parts[0].size, 300000u);

  fake.script({204, ""});
  EXPECT_TRUE(client->abort_multipart_upload("b", "dir/k x", *upload).is_ok());

  auto seen = fake.seen();
  ASSERT_EQ(seen.size(), 5u);
  EXPECT_EQ(seen[0].method, "POST");
  EXPECT_EQ(seen[0].target, "/b/dir/k%20x?uploads");
  EXPECT_EQ(seen[0].headers.value_or_empty("content-type"), "text/plain");
  EXPECT_EQ(seen[0].headers.value_or_empty("x-amz-meta-color"), "blue");
  EXPECT_EQ(seen[0].headers.value_or_empty("content-length"), "0");
  EXPECT_NE(seen[0].headers.value_or_empty("authorization").find("SignedHeaders="),
            std::string::npos);

  EXPECT_EQ(seen[1].method, "PUT");
  EXPECT_EQ(seen[1].target, "/b/dir/k%20x?partNumber=1&uploadId=up%2F1%2B2");
  // Over plain http the part is aws-chunked with signed chunks.
  EXPECT_EQ(seen[1].headers.value_or_empty("x-amz-content-sha256"), sigv4::kStreamingPayload);
  EXPECT_EQ(seen[1].headers.value_or_empty("content-encoding"), "aws-chunked");
  EXPECT_EQ(seen[1].headers.value_or_empty("x-amz-decoded-content-length"), "300000");
  EXPECT_EQ(seen[1].headers.value_or_empty("content-length"),
            std::to_string(internal::AwsChunkedEncoder::encoded_length(300000, 256 * 1024)));
  EXPECT_EQ(seen[1].body.size(), internal::AwsChunkedEncoder::encoded_length(300000, 256 * 1024));
  EXPECT_TRUE(seen[1].body.starts_with("40000;chunk-signature="));

  EXPECT_EQ(seen[2].method, "POST");
  EXPECT_EQ(seen[2].target, "/b/dir/k%20x?uploadId=up%2F1%2B2");
  EXPECT_NE(seen[2].body.find("<Part><PartNumber>1</PartNumber><ETag>\"etag-1\"</ETag></Part>"),
            std::string::npos)
      << seen[2].body;
  EXPECT_EQ(seen[2].headers.value_or_empty("x-amz-content-sha256"), sha256_hex(seen[2].body));

  EXPECT_EQ(seen[3].method, "GET");
  EXPECT_EQ(seen[3].target, "/b/dir/k%20x?uploadId=up%2F1%2B2&max-parts=5");
  EXPECT_EQ(seen[4].method, "DELETE");
  EXPECT_EQ(seen[4].target, "/b/dir/k%20x?uploadId=up%2F1%2B2");
}

TEST(S3ClientRequestTest, ErrorInsideA200IsAnError) {
  FakeS3 fake;
  auto client = client_for(fake, /*retries=*/0);
  fake.script({200,
               "<Error><Code>InvalidPart</Code><Message>part 1 is missing</Message>"
               "<RequestId>R1</RequestId></Error>"});
  auto done = client->complete_multipart_upload("b", "k", "u", {{1, "e"}});
  EXPECT_EQ(done.code(), ErrorCode::kInvalidRequest);
  auto error = S3Error::from_status(done.status());
  ASSERT_TRUE(error.has_value()) << done.status().to_string();
  EXPECT_EQ(error->code, "InvalidPart");
  EXPECT_EQ(error->http_status, 200);
  EXPECT_EQ(error->message, "part 1 is missing");
  EXPECT_EQ(error->request_id, "R1");
}

TEST(S3ClientRequestTest, RetriesSlowDownThenSucceeds) {
  FakeS3 fake;
  auto client = client_for(fake, /*retries=*/3);
  std::string slow = "<Error><Code>SlowDown</Code><Message>easy</Message></Error>";
  fake.script({503, slow});
  fake.script({500, "<Error><Code>InternalError</Code></Error>"});
  fake.script({200,
               "<ListAllMyBucketsResult><Buckets><Bucket><Name>x</Name></Bucket>"
               "</Buckets></ListAllMyBucketsResult>"});
  auto buckets = client->list_buckets();
  ASSERT_TRUE(buckets.is_ok()) << buckets.status().to_string();
  ASSERT_EQ(buckets->size(), 1u);
  EXPECT_EQ((*buckets)[0].name, "x");
  auto seen = fake.seen();
  ASSERT_EQ(seen.size(), 3u);
  // Each attempt is signed afresh.
  EXPECT_NE(seen[0].headers.value_or_empty("authorization"), "");
}

TEST(S3ClientRequestTest, GivesUpAfterMaxRetries) {
  FakeS3 fake;
  auto client = client_for(fake, /*retries=*/2);
  for (int i = 0; i < 5; ++i) fake.script({503, "<Error><Code>SlowDown</Code></Error>"});
  EXPECT_EQ(client->head_bucket("b").code(), ErrorCode::kServiceUnavailable);  // HEAD: no body
  EXPECT_EQ(fake.seen().size(), 3u);
}

TEST(S3ClientRequestTest, DoesNotRetryNonIdempotentOrPermanentErrors) {
  FakeS3 fake;
  auto client = client_for(fake, /*retries=*/3);
  fake.script({503, "<Error><Code>SlowDown</Code></Error>"});
  EXPECT_EQ(client->create_multipart_upload("b", "k").code(), ErrorCode::kSlowDown);
  EXPECT_EQ(fake.seen().size(), 1u);
  fake.script({501, "<Error><Code>NotImplemented</Code></Error>"});
  EXPECT_EQ(client->list_parts("b", "k", "u").code(), ErrorCode::kNotImplemented);
  fake.script({403, "<Error><Code>AccessDenied</Code></Error>"});
  EXPECT_EQ(client->delete_object("b", "k").code(), ErrorCode::kAccessDenied);
  EXPECT_EQ(fake.seen().size(), 3u);
}

TEST(S3ClientRequestTest, StreamedBodyIsRetriedOnlyWhenItCanRewind) {
  FakeS3 fake;
  auto client = client_for(fake, /*retries=*/3);
  std::string data(5000, 'd');
  {
    fake.script({503, "<Error><Code>SlowDown</Code></Error>"});  // after reading the body
    StringReader reader(data);
    auto put = client->put_object("b", "k", Payload{reader, data.size()});
    EXPECT_EQ(put.code(), ErrorCode::kSlowDown);
    EXPECT_EQ(fake.seen().size(), 1u);
  }
  {
    fake.script({503, "<Error><Code>SlowDown</Code></Error>"});
    fake.script({200, "", {{"ETag", "\"e2\""}}});
    RewindableReader reader(data);
    auto put =
        client->put_object("b", "k", Payload{reader, data.size(), [&] { return reader.rewind(); }});
    ASSERT_TRUE(put.is_ok()) << put.status().to_string();
    EXPECT_EQ(put->etag, "e2");
    EXPECT_EQ(reader.rewinds(), 1);
    auto seen = fake.seen();
    ASSERT_EQ(seen.size(), 3u);
    EXPECT_EQ(seen[1].body.size(), seen[2].body.size());  // the whole body, twice
  }
}

TEST(S3ClientRequestTest, ConnectionErrorsAreRetriedThenReported) {
  uint16_t port;
  {
    FakeS3 fake;
    port = static_cast<uint16_t>(std::stoi(fake.url().substr(fake.url().rfind(':') + 1)));
  }
  S3ClientOptions options;
  options.endpoint = "http://127.0.0.1:" + std::to_string(port);
  options.access_key = "a";
  options.secret_key = "b";
  options.max_retries = 2;
  options.retry_base_delay = 1ms;
  auto client = S3Client::create(options);
  ASSERT_TRUE(client.is_ok());
  auto buckets = (*client)->list_buckets();
  EXPECT_EQ(buckets.code(), ErrorCode::kIo);
  EXPECT_NE(buckets.status().message().find("127.0.0.1:" + std::to_string(port)),
            std::string::npos);
  EXPECT_FALSE(S3Error::from_status(buckets.status()).has_value());
}

TEST(S3ClientRequestTest, ValidatesArgumentsWithoutSending) {
  FakeS3 fake;
  auto client = client_for(fake);
  EXPECT_EQ(client->head_object("", "k").code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(client->head_object("b", "").code(), ErrorCode::kInvalidArgument);
  StringReader empty("");
  EXPECT_EQ(client->upload_part("b", "k", "u", 0, Payload{empty, 0}).code(),
            ErrorCode::kInvalidArgument);
  std::vector<ObjectIdentifier> many(1001, ObjectIdentifier{"k", ""});
  EXPECT_EQ(client->delete_objects("b", many).code(), ErrorCode::kInvalidArgument);
  EXPECT_TRUE(client->delete_objects("b", {}).is_ok());
  EXPECT_EQ(client->presign_get_object("b", "k", 0s).code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(client->presign_get_object("b", "k", 604801s).code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(fake.seen().size(), 0u);
  S3ClientOptions options;
  options.endpoint = fake.url();
  EXPECT_EQ(S3Client::create(options).code(), ErrorCode::kInvalidArgument);  // no credentials
  options.access_key = "a";
  options.secret_key = "b";
  options.endpoint = "127.0.0.1:9000";
  EXPECT_EQ(S3Client::create(options).code(), ErrorCode::kInvalidArgument);
}

TEST(S3ClientRequestTest, SessionTokenIsSentAndSigned) {
  FakeS3 fake;
  S3ClientOptions options;
  options.endpoint = fake.url();
  options.access_key = "a";
  options.secret_key = "b";
  options.session_token = "tok/en=";
  auto client = S3Client::create(options).value();
  ASSERT_TRUE(client->head_bucket("b").is_ok());
  auto seen = fake.seen();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].headers.value_or_empty("x-amz-security-token"), "tok/en=");
  EXPECT_NE(seen[0].headers.value_or_empty("authorization").find("x-amz-security-token"),
            std::string::npos);
  auto url = client->presign_get_object("b", "k", 60s);
  ASSERT_TRUE(url.is_ok());
  EXPECT_NE(url->find("X-Amz-Security-Token=tok%2Fen%3D"), std::string::npos) << *url;
}

}  // namespace
}  // namespace maxio::s3client
