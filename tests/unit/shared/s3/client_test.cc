// S3Client against a real maxiod (the built binary, started once for the suite on a free
// loopback port with a temporary drive): every operation maxiod serves today, streamed
// 64 MiB bodies in bounded memory, S3 errors, multipart's NotImplemented, presigned URLs.

#include "shared/s3/client.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "shared/crypto/hash.h"
#include "shared/util/encoding.h"
#include "shared/util/strings.h"

namespace maxio::s3client {
namespace {

using namespace std::chrono_literals;

constexpr char kUser[] = "s3clientadmin";
constexpr char kPassword[] = "s3clientsecret";

// ---- maxiod ----

class Maxiod {
 public:
  Maxiod() {
    char pattern[] = "/tmp/maxio-s3-client-test-XXXXXX";
    dir_ = ::mkdtemp(pattern);
    int out[2];
    if (::pipe(out) != 0) return;
    pid_ = ::fork();
    if (pid_ == 0) {
      ::dup2(out[1], STDOUT_FILENO);
      ::close(out[0]);
      ::setenv("MAXIO_ROOT_USER", kUser, 1);
      ::setenv("MAXIO_ROOT_PASSWORD", kPassword, 1);
      ::execl(MAXIOD_PATH, "maxiod", "server", "--address", "127.0.0.1:0", "--domain", "127.0.0.1",
              dir_.c_str(), static_cast<char*>(nullptr));
      ::_exit(127);
    }
    ::close(out[1]);
    stdout_ = ::fdopen(out[0], "r");
    char line[512];
    while (url_.empty() && std::fgets(line, sizeof line, stdout_) != nullptr) {
      std::string text(line);
      if (text.rfind("Ready: ", 0) == 0) url_ = text.substr(7, text.find_last_not_of("\r\n") - 6);
    }
  }
  ~Maxiod() {
    if (pid_ > 0) {
      ::kill(pid_, SIGTERM);
      int status = 0;
      ::waitpid(pid_, &status, 0);
    }
    if (stdout_) std::fclose(stdout_);
    std::filesystem::remove_all(dir_);
  }
  const std::string& url() const { return url_; }  // "http://127.0.0.1:PORT"

 private:
  std::string dir_;
  pid_t pid_ = -1;
  FILE* stdout_ = nullptr;
  std::string url_;
};

// ---- Helpers ----

char pattern_byte(uint64_t i) { return static_cast<char>((i * 13 + (i >> 12)) & 0xff); }

// `length` pattern bytes generated on the fly; rewindable.
class PatternReader final : public Reader {
 public:
  explicit PatternReader(uint64_t length) : length_(length) {}
  Result<size_t> read(char* buffer, size_t size) override {
    size_t n = static_cast<size_t>(std::min<uint64_t>(size, length_ - offset_));
    for (size_t i = 0; i < n; ++i) buffer[i] = pattern_byte(offset_ + i);
    offset_ += n;
    return n;
  }
  Status rewind() {
    offset_ = 0;
    return Status::ok();
  }
  uint64_t offset() const { return offset_; }

 private:
  uint64_t length_;
  uint64_t offset_ = 0;
};

struct Digest {
  std::string md5_hex;
  uint64_t size = 0;
};

Digest digest(Reader& reader, size_t buffer_size = 64 * 1024) {
  Hasher md5(HashAlgorithm::kMd5);
  std::vector<char> buffer(buffer_size);
  Digest out;
  for (;;) {
    auto n = reader.read(buffer.data(), buffer.size());
    EXPECT_TRUE(n.is_ok()) << n.status().to_string();
    if (!n.is_ok() || *n == 0) break;
    md5.update(buffer.data(), *n);
    out.size += *n;
  }
  out.md5_hex = hex_encode(md5.finish());
  return out;
}

// A /proc/self/status field in KiB ("VmHWM:", "VmRSS:").
uint64_t proc_status_kib(std::string_view field) {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind(field, 0) == 0) return std::stoull(line.substr(field.size()));
  }
  return 0;
}

// Resets the process's peak RSS (VmHWM) to its current RSS; false if the kernel refuses.
bool reset_peak_rss() {
  std::ofstream clear("/proc/self/clear_refs");
  clear << "5";
  clear.flush();
  return clear.good();
}

std::string read_string(Reader& reader) { return read_all(reader, 64 << 20).value(); }

class S3ClientTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { server_ = new Maxiod(); }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }

  void SetUp() override {
    ASSERT_FALSE(server_->url().empty()) << "maxiod did not start";
    client_ = make_client();
    ASSERT_TRUE(client_);
  }

  static S3ClientOptions options(std::string secret = kPassword) {
    S3ClientOptions o;
    o.endpoint = server_->url();
    o.access_key = kUser;
    o.secret_key = std::move(secret);
    o.retry_base_delay = 5ms;
    return o;
  }

  static std::unique_ptr<S3Client> make_client(S3ClientOptions o = options()) {
    auto client = S3Client::create(std::move(o));
    EXPECT_TRUE(client.is_ok()) << client.status().to_string();
    return client.is_ok() ? std::move(client).value() : nullptr;
  }

  // A fresh bucket per test.
  std::string bucket() {
    std::string name =
        "t-" + to_lower(::testing::UnitTest::GetInstance()->current_test_info()->name());
    if (!made_) {
      Status made = client_->make_bucket(name);
      EXPECT_TRUE(made.is_ok()) << made.to_string();
      made_ = true;
    }
    return name;
  }

  std::string put(const std::string& bucket, const std::string& key, std::string_view data,
                  const PutObjectOptions& o = {}) {
    auto result = client_->put_object(bucket, key, data, o);
    EXPECT_TRUE(result.is_ok()) << result.status().to_string();
    return result.is_ok() ? result->etag : "";
  }

  static Maxiod* server_;
  std::unique_ptr<S3Client> client_;
  bool made_ = false;
};

Maxiod* S3ClientTest::server_ = nullptr;

// First, while the process's peak RSS is still small.
TEST_F(S3ClientTest, Streams64MiBUpAndDownInBoundedMemory) {
  constexpr uint64_t kSize = 64ull << 20;
  std::string b = bucket();
  PatternReader expected(kSize);
  Digest want = digest(expected);

  uint64_t rss_before = proc_status_kib("VmRSS:");
  bool reset = reset_peak_rss();
  uint64_t peak_before = proc_status_kib("VmHWM:");

  PatternReader reader(kSize);
  auto put = client_->put_object(b, "big/object.bin",
                                 Payload{reader, kSize, [&] { return reader.rewind(); }});
  ASSERT_TRUE(put.is_ok()) << put.status().to_string();
  EXPECT_EQ(put->etag, want.md5_hex);

  auto get = client_->get_object(b, "big/object.bin");
  ASSERT_TRUE(get.is_ok()) << get.status().to_string();
  EXPECT_EQ(get->content_length, kSize);
  EXPECT_EQ(get->info.size, kSize);
  EXPECT_EQ(get->info.etag, want.md5_hex);
  Digest got = digest(*get->body);
  EXPECT_EQ(got.size, kSize);
  EXPECT_EQ(got.md5_hex, want.md5_hex);

  uint64_t peak_after = proc_status_kib("VmHWM:");
  uint64_t growth_kib = peak_after - (reset ? rss_before : peak_before);
  EXPECT_LT(growth_kib, 16u * 1024) << "peak RSS grew by " << growth_kib << " KiB (reset "
                                    << (reset ? "worked" : "unavailable") << ")";
  std::printf("64 MiB PUT+GET: peak RSS growth %llu KiB (peak reset %s)\n",
              static_cast<unsigned long long>(growth_kib), reset ? "worked" : "unavailable");
}

TEST_F(S3ClientTest, BucketLifecycle) {
  std::string b = "t-bucket-lifecycle";
  ASSERT_TRUE(client_->make_bucket(b).is_ok());
  EXPECT_TRUE(client_->head_bucket(b).is_ok());
  auto buckets = client_->list_buckets();
  ASSERT_TRUE(buckets.is_ok()) << buckets.status().to_string();
  auto found = std::find_if(buckets->begin(), buckets->end(),
                            [&](const BucketInfo& info) { return info.name == b; });
  ASSERT_NE(found, buckets->end());
  EXPECT_GT(found->creation_date, Timestamp());

  Status again = client_->make_bucket(b);
  EXPECT_EQ(again.code(), ErrorCode::kBucketAlreadyOwnedByYou) << again.to_string();
  EXPECT_TRUE(client_->make_bucket("t-bucket-lifecycle-2", "us-east-1").is_ok());

  put(b, "x", "1");
  EXPECT_EQ(client_->remove_bucket(b).code(), ErrorCode::kBucketNotEmpty);
  ASSERT_TRUE(client_->delete_object(b, "x").is_ok());
  ASSERT_TRUE(client_->remove_bucket(b).is_ok());
  ASSERT_TRUE(client_->remove_bucket("t-bucket-lifecycle-2").is_ok());
  EXPECT_EQ(client_->head_bucket(b).code(), ErrorCode::kNoSuchBucket);
  Status gone = client_->remove_bucket(b);
  EXPECT_EQ(gone.code(), ErrorCode::kNoSuchBucket);
  auto error = S3Error::from_status(gone);
  ASSERT_TRUE(error.has_value()) << gone.to_string();
  EXPECT_EQ(error->http_status, 404);
  EXPECT_EQ(error->code, "NoSuchBucket");
}

TEST_F(S3ClientTest, PutHeadGetWithMetadataRangesAndConditions) {
  std::string b = bucket();
  PutObjectOptions o;
  o.content_type = "text/plain";
  o.metadata["color"] = "blue";
  o.extra_headers.add("Cache-Control", "max-age=60");
  std::string etag = put(b, "dir/hello world.txt", "hello world", o);
  EXPECT_EQ(etag, hex_encode(md5("hello world")));

  auto head = client_->head_object(b, "dir/hello world.txt");
  ASSERT_TRUE(head.is_ok()) << head.status().to_string();
  EXPECT_EQ(head->key, "dir/hello world.txt");
  EXPECT_EQ(head->size, 11u);
  EXPECT_EQ(head->etag, etag);
  EXPECT_EQ(head->content_type, "text/plain");
  EXPECT_EQ(head->metadata.at("color"), "blue");
  EXPECT_EQ(head->headers.value_or_empty("cache-control"), "max-age=60");
  EXPECT_LT(std::chrono::system_clock::now() - head->last_modified, 1h);

  auto get = client_->get_object(b, "dir/hello world.txt");
  ASSERT_TRUE(get.is_ok()) << get.status().to_string();
  EXPECT_EQ(read_string(*get->body), "hello world");
  EXPECT_EQ(get->info.metadata.at("color"), "blue");

  auto range = client_->get_object(b, "dir/hello world.txt", {.range = ByteRange{2, 5}});
  ASSERT_TRUE(range.is_ok()) << range.status().to_string();
  EXPECT_EQ(read_string(*range->body), "llo ");
  EXPECT_EQ(range->content_length, 4u);
  EXPECT_EQ(range->info.size, 11u);
  auto tail = client_->get_object(b, "dir/hello world.txt", {.range = ByteRange{6, {}}});
  ASSERT_TRUE(tail.is_ok());
  EXPECT_EQ(read_string(*tail->body), "world");

  EXPECT_EQ(client_->get_object(b, "dir/hello world.txt", {.if_none_match = etag}).code(),
            ErrorCode::kNotModified);
  EXPECT_EQ(client_->get_object(b, "dir/hello world.txt", {.if_match = "0000"}).code(),
            ErrorCode::kPreconditionFailed);
  EXPECT_EQ(client_->head_object(b, "dir/hello world.txt", {.if_match = "0000"}).code(),
            ErrorCode::kPreconditionFailed);
  auto matched = client_->get_object(b, "dir/hello world.txt", {.if_match = etag});
  ASSERT_TRUE(matched.is_ok()) << matched.status().to_string();
  EXPECT_EQ(read_string(*matched->body), "hello world");
  EXPECT_EQ(client_->get_object(b, "dir/hello world.txt", {.range = ByteRange{100, {}}}).code(),
            ErrorCode::kInvalidRange);
}

TEST_F(S3ClientTest, StreamedPutsSignedAndUnsigned) {
  std::string b = bucket();
  for (PayloadSigning signing : {PayloadSigning::kStreaming, PayloadSigning::kUnsigned}) {
    S3ClientOptions o = options();
    o.payload_signing = signing;
    o.chunk_size = 1000;  // many chunks, a short last one
    auto client = make_client(o);
    PatternReader reader(123456);
    auto put = client->put_object(b, "streamed", Payload{reader, 123456},
                                  {.content_type = "application/octet-stream"});
    ASSERT_TRUE(put.is_ok()) << put.status().to_string();
    auto get = client->get_object(b, "streamed");
    ASSERT_TRUE(get.is_ok());
    PatternReader expected(123456);
    EXPECT_EQ(digest(*get->body).md5_hex, digest(expected).md5_hex);
    // aws-chunked is transfer framing only: it is not stored as the object's encoding.
    EXPECT_EQ(get->info.headers.value_or_empty("content-encoding"), "");
  }
}

TEST_F(S3ClientTest, ListObjectsV2PagesPrefixesAndOddKeys) {
  std::string b = bucket();
  std::vector<std::string> keys = {"a b+c", "dir/x", "dir/y", "z%25", "\xC3\xBC-umlaut", "&<>"};
  for (const auto& key : keys) put(b, key, key);
  std::sort(keys.begin(), keys.end());

  std::vector<std::string> listed;
  ListObjectsOptions o{.max_keys = 2};
  int pages = 0;
  for (;; ++pages) {
    auto page = client_->list_objects_v2(b, o);
    ASSERT_TRUE(page.is_ok()) << page.status().to_string();
    for (const auto& object : page->objects) {
      listed.push_back(object.key);
      EXPECT_EQ(object.size, object.key.size());
      EXPECT_EQ(object.etag, hex_encode(md5(object.key)));
    }
    if (!page->is_truncated) break;
    ASSERT_FALSE(page->next_continuation_token.empty());
    o.continuation_token = page->next_continuation_token;
  }
  EXPECT_EQ(listed, keys);
  EXPECT_EQ(pages, 2);

  auto top = client_->list_objects_v2(b, {.delimiter = "/"});
  ASSERT_TRUE(top.is_ok());
  EXPECT_EQ(top->common_prefixes, std::vector<std::string>{"dir/"});
  EXPECT_EQ(top->objects.size(), keys.size() - 2);

  auto dir = client_->list_objects_v2(b, {.prefix = "dir/", .delimiter = "/"});
  ASSERT_TRUE(dir.is_ok());
  ASSERT_EQ(dir->objects.size(), 2u);
  EXPECT_EQ(dir->objects[1].key, "dir/y");

  auto after = client_->list_objects_v2(b, {.start_after = "dir/x"});
  ASSERT_TRUE(after.is_ok());
  ASSERT_FALSE(after->objects.empty());
  EXPECT_EQ(after->objects[0].key, "dir/y");

  EXPECT_EQ(client_->list_objects_v2("t-no-such-bucket").code(), ErrorCode::kNoSuchBucket);
}

TEST_F(S3ClientTest, ListObjectVersionsOfAnUnversionedBucket) {
  std::string b = bucket();
  put(b, "v/1", "one");
  put(b, "v/2", "two!");
  auto versions = client_->list_object_versions(b, {.prefix = "v/"});
  ASSERT_TRUE(versions.is_ok()) << versions.status().to_string();
  ASSERT_EQ(versions->versions.size(), 2u);
  EXPECT_EQ(versions->versions[0].key, "v/1");
  EXPECT_EQ(versions->versions[1].size, 4u);
  for (const auto& version : versions->versions) {
    EXPECT_TRUE(version.is_latest);
    EXPECT_FALSE(version.is_delete_marker);
    EXPECT_EQ(version.version_id, "null");
  }
  auto paged = client_->list_object_versions(b, {.max_keys = 1});
  ASSERT_TRUE(paged.is_ok());
  EXPECT_TRUE(paged->is_truncated);
  EXPECT_EQ(paged->next_key_marker, "v/1");
}

TEST_F(S3ClientTest, CopyObjectKeepsOrReplacesMetadata) {
  std::string b = bucket();
  std::string etag =
      put(b, "src", "copy me", {.content_type = "text/plain", .metadata = {{"color", "blue"}}});
  auto copied = client_->copy_object(b, "src", b, "dst/copy");
  ASSERT_TRUE(copied.is_ok()) << copied.status().to_string();
  EXPECT_EQ(copied->etag, etag);
  auto head = client_->head_object(b, "dst/copy");
  ASSERT_TRUE(head.is_ok());
  EXPECT_EQ(head->metadata.at("color"), "blue");
  EXPECT_EQ(head->content_type, "text/plain");

  auto replaced = client_->copy_object(b, "src", b, "dst/replaced",
                                       {.metadata_directive = MetadataDirective::kReplace,
                                        .content_type = "application/json",
                                        .metadata = {{"shape", "round"}}});
  ASSERT_TRUE(replaced.is_ok()) << replaced.status().to_string();
  head = client_->head_object(b, "dst/replaced");
  ASSERT_TRUE(head.is_ok());
  EXPECT_EQ(head->content_type, "application/json");
  EXPECT_EQ(head->metadata.count("color"), 0u);
  EXPECT_EQ(head->metadata.at("shape"), "round");
  auto get = client_->get_object(b, "dst/replaced");
  ASSERT_TRUE(get.is_ok());
  EXPECT_EQ(read_string(*get->body), "copy me");

  EXPECT_EQ(client_->copy_object(b, "missing", b, "x").code(), ErrorCode::kNoSuchKey);
  EXPECT_EQ(client_->copy_object(b, "src", "t-no-such-bucket", "x").code(),
            ErrorCode::kNoSuchBucket);
}

TEST_F(S3ClientTest, DeleteObjectAndDeleteObjects) {
  std::string b = bucket();
  put(b, "k1", "1");
  put(b, "k2", "2");
  put(b, "k3", "3");
  ASSERT_TRUE(client_->delete_object(b, "k3").is_ok());
  EXPECT_EQ(client_->head_object(b, "k3").code(), ErrorCode::kNoSuchKey);
  EXPECT_TRUE(client_->delete_object(b, "k3").is_ok());  // absent: still a success

  auto result = client_->delete_objects(b, {{"k1", ""}, {"k2", ""}, {"never-was", ""}});
  ASSERT_TRUE(result.is_ok()) << result.status().to_string();
  EXPECT_EQ(result->deleted.size(), 3u);
  EXPECT_TRUE(result->errors.empty());
  auto listing = client_->list_objects_v2(b);
  ASSERT_TRUE(listing.is_ok());
  EXPECT_TRUE(listing->objects.empty());

  put(b, "q1", "1");
  auto quiet = client_->delete_objects(b, {{"q1", ""}}, /*quiet=*/true);
  ASSERT_TRUE(quiet.is_ok()) << quiet.status().to_string();
  EXPECT_TRUE(quiet->deleted.empty());
  EXPECT_EQ(client_->head_object(b, "q1").code(), ErrorCode::kNoSuchKey);

  std::vector<ObjectIdentifier> many;
  for (int i = 0; i < 1000; ++i) many.push_back({"many/" + std::to_string(i), ""});
  auto batch = client_->delete_objects(b, many, true);
  EXPECT_TRUE(batch.is_ok()) << batch.status().to_string();
}

TEST_F(S3ClientTest, S3ErrorsAreParsed) {
  std::string b = bucket();
  auto missing = client_->get_object(b, "no/such key");
  EXPECT_EQ(missing.code(), ErrorCode::kNoSuchKey);
  auto error = S3Error::from_status(missing.status());
  ASSERT_TRUE(error.has_value()) << missing.status().to_string();
  EXPECT_EQ(error->http_status, 404);
  EXPECT_EQ(error->code, "NoSuchKey");
  EXPECT_EQ(error->message, "The specified key does not exist.");
  EXPECT_FALSE(error->request_id.empty());
  EXPECT_EQ(error->request, "GET " + server_->url().substr(7) + "/" + b + "/no/such%20key");

  EXPECT_EQ(client_->get_object("t-no-such-bucket", "k").code(), ErrorCode::kNoSuchBucket);
  EXPECT_EQ(client_->head_object(b, "no-such-key").code(), ErrorCode::kNoSuchKey);
  EXPECT_EQ(client_->make_bucket("Bad_Bucket").code(), ErrorCode::kInvalidBucketName);
}

TEST_F(S3ClientTest, WrongCredentialsAreReportedNotRetried) {
  std::string b = bucket();
  auto wrong_secret = make_client(options("not-the-secret"));
  auto list = wrong_secret->list_buckets();
  EXPECT_EQ(list.code(), ErrorCode::kSignatureDoesNotMatch) << list.status().to_string();
  auto error = S3Error::from_status(list.status());
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->http_status, 403);
  EXPECT_EQ(error->code, "SignatureDoesNotMatch");

  // A large streamed upload is refused before its body is sent (Expect: 100-continue).
  PatternReader reader(4 << 20);
  auto put = wrong_secret->put_object(b, "denied", Payload{reader, 4 << 20});
  EXPECT_EQ(put.code(), ErrorCode::kSignatureDoesNotMatch) << put.status().to_string();
  EXPECT_EQ(reader.offset(), 0u);

  S3ClientOptions o = options();
  o.access_key = "nobody";
  auto unknown = make_client(o)->head_bucket(b);
  EXPECT_EQ(unknown.code(), ErrorCode::kAccessDenied);  // HEAD: only the status says why
  EXPECT_EQ(make_client(o)->list_buckets().code(), ErrorCode::kInvalidAccessKeyId);
}

TEST_F(S3ClientTest, MultipartUploadRoundTrip) {
  std::string b = bucket();
  auto upload = client_->create_multipart_upload(b, "mp");
  ASSERT_TRUE(upload.is_ok()) << upload.status().to_string();
  // Every part but the last must be at least 5 MiB.
  const std::string first(5 << 20, 'a');
  const std::string last = "the last part";
  StringReader first_reader(first);
  auto etag1 = client_->upload_part(b, "mp", *upload, 1, Payload{first_reader, first.size()});
  ASSERT_TRUE(etag1.is_ok()) << etag1.status().to_string();
  StringReader last_reader(last);
  auto etag2 = client_->upload_part(b, "mp", *upload, 2, Payload{last_reader, last.size()});
  ASSERT_TRUE(etag2.is_ok()) << etag2.status().to_string();
  auto parts = client_->list_parts(b, "mp", *upload);
  ASSERT_TRUE(parts.is_ok()) << parts.status().to_string();
  ASSERT_EQ(parts->parts.size(), 2u);

  // A wrong ETag is refused with S3's error, and the upload stays usable.
  auto wrong = client_->complete_multipart_upload(b, "mp", *upload, {{1, *etag2}, {2, *etag2}});
  auto error = S3Error::from_status(wrong.status());
  ASSERT_TRUE(error.has_value()) << wrong.status().to_string();
  EXPECT_EQ(error->http_status, 400);
  EXPECT_EQ(error->code, "InvalidPart");

  auto done = client_->complete_multipart_upload(b, "mp", *upload, {{1, *etag1}, {2, *etag2}});
  ASSERT_TRUE(done.is_ok()) << done.status().to_string();
  EXPECT_TRUE(done->etag.ends_with("-2")) << done->etag;
  auto get = client_->get_object(b, "mp");
  ASSERT_TRUE(get.is_ok()) << get.status().to_string();
  EXPECT_EQ(read_string(*get->body), first + last);

  auto aborted = client_->create_multipart_upload(b, "gone");
  ASSERT_TRUE(aborted.is_ok());
  EXPECT_TRUE(client_->abort_multipart_upload(b, "gone", *aborted).is_ok());
  EXPECT_EQ(client_->list_parts(b, "gone", *aborted).code(), ErrorCode::kNoSuchUpload);
}

// Splits a URL into an HttpClient for its endpoint and the request target.
std::pair<std::unique_ptr<http::HttpClient>, std::string> split_url(const std::string& url) {
  size_t path = url.find('/', url.find("://") + 3);
  auto client = http::HttpClient::create(url.substr(0, path));
  EXPECT_TRUE(client.is_ok());
  return {std::move(client).value(), url.substr(path)};
}

TEST_F(S3ClientTest, PresignedUrlsWorkThroughThePlainHttpClient) {
  std::string b = bucket();
  put(b, "shared file.txt", "presigned content");
  auto get_url = client_->presign_get_object(b, "shared file.txt", 300s);
  ASSERT_TRUE(get_url.is_ok()) << get_url.status().to_string();
  EXPECT_NE(get_url->find("X-Amz-Signature="), std::string::npos);
  auto [http, target] = split_url(*get_url);
  http::Request get;
  get.target = target;
  auto response = http->send(get);
  ASSERT_TRUE(response.is_ok()) << response.status().to_string();
  EXPECT_EQ(response->status(), 200);
  EXPECT_EQ(response->read_body().value(), "presigned content");

  auto put_url = client_->presign_put_object(b, "uploaded via url", 300s);
  ASSERT_TRUE(put_url.is_ok());
  auto [put_http, put_target] = split_url(*put_url);
  http::Request put;
  put.method = "PUT";
  put.target = put_target;
  put.body = "uploaded bytes";
  auto put_response = put_http->send(put);
  ASSERT_TRUE(put_response.is_ok()) << put_response.status().to_string();
  EXPECT_EQ(put_response->status(), 200) << put_response->read_body().value();
  auto stored = client_->get_object(b, "uploaded via url");
  ASSERT_TRUE(stored.is_ok()) << stored.status().to_string();
  EXPECT_EQ(read_string(*stored->body), "uploaded bytes");

  // A tampered signature is refused.
  std::string tampered = target;
  tampered.back() = tampered.back() == '0' ? '1' : '0';
  get.target = tampered;
  auto refused = http->send(get);
  ASSERT_TRUE(refused.is_ok());
  EXPECT_EQ(refused->status(), 403);
  EXPECT_NE(refused->read_body().value().find("SignatureDoesNotMatch"), std::string::npos);

  // An expired one too.
  auto short_url = client_->presign_get_object(b, "shared file.txt", 1s);
  ASSERT_TRUE(short_url.is_ok());
  std::this_thread::sleep_for(2100ms);
  get.target = split_url(*short_url).second;
  auto expired = http->send(get);
  ASSERT_TRUE(expired.is_ok());
  EXPECT_EQ(expired->status(), 403);
  EXPECT_NE(expired->read_body().value().find("Request has expired"), std::string::npos);
}

TEST_F(S3ClientTest, VirtualHostStyleAddressing) {
  S3ClientOptions o = options();
  o.path_style = false;  // maxiod runs with --domain 127.0.0.1
  auto client = make_client(o);
  ASSERT_TRUE(client->make_bucket("t-vhost").is_ok());
  ASSERT_TRUE(client->put_object("t-vhost", "a/b c", "virtual host").is_ok());
  auto list = client->list_objects_v2("t-vhost");
  ASSERT_TRUE(list.is_ok()) << list.status().to_string();
  ASSERT_EQ(list->objects.size(), 1u);
  EXPECT_EQ(list->objects[0].key, "a/b c");
  auto head = client_->head_object("t-vhost", "a/b c");  // the path-style client sees it
  ASSERT_TRUE(head.is_ok());
  EXPECT_EQ(head->size, 12u);
  auto url = client->presign_get_object("t-vhost", "a/b c", 60s);
  ASSERT_TRUE(url.is_ok());
  EXPECT_EQ(url->rfind("http://t-vhost.127.0.0.1:", 0), 0u) << *url;
}

TEST_F(S3ClientTest, OneClientServesManyThreads) {
  std::string b = bucket();
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 10; ++i) {
        std::string key = "thread" + std::to_string(t) + "/" + std::to_string(i);
        std::string data(1000 + t * 100 + i, static_cast<char>('a' + t));
        if (!client_->put_object(b, key, data).is_ok()) continue;
        auto get = client_->get_object(b, key);
        if (get.is_ok() && read_string(*get->body) == data) ++ok;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(ok.load(), 80);
  auto list = client_->list_objects_v2(b, {.prefix = "thread3/"});
  ASSERT_TRUE(list.is_ok());
  EXPECT_EQ(list->objects.size(), 10u);
}

}  // namespace
}  // namespace maxio::s3client
