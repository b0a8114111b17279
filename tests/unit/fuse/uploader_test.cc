// Uploader against a fake S3 server: the multipart path (parts in parallel, assembled in
// order), the fallback to one PUT when the server answers 501 (and that it is remembered),
// abort after a failed part, and single PUTs below the threshold. maxiod has no multipart
// uploads yet, so this is where the multipart path is exercised.

#include "fuse/mount/uploader.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <map>
#include <mutex>
#include <string>

#include "daemon/http/server.h"
#include "fuse/mount/work_queue.h"
#include "shared/util/strings.h"

namespace maxio::fuse {
namespace {

// A minimal S3 of one bucket: PUT object, multipart create/part/complete/abort.
class FakeS3 {
 public:
  explicit FakeS3(bool multipart) : multipart_(multipart) {
    HttpServerOptions options;
    options.address = "127.0.0.1:0";
    options.io_threads = 1;
    options.worker_threads = 4;
    auto server = HttpServer::start(options, [this](HttpExchange& e) { handle(e); });
    EXPECT_TRUE(server.is_ok());
    server_ = std::move(server).value();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(server_->port()); }

  std::string object(const std::string& path) {
    std::lock_guard lock(mu_);
    return objects_[path];
  }
  int count(const std::string& what) {
    std::lock_guard lock(mu_);
    return counts_[what];
  }
  std::atomic<int> fail_part{0};  // answer 500 to this part number

 private:
  void reply(HttpExchange& e, int status, const std::string& body,
             std::vector<std::pair<std::string, std::string>> headers = {}) {
    HttpHeaders h;
    for (auto& [n, v] : headers) h.add(n, v);
    (void)e.response.send_headers(status, h, body.size());
    (void)e.response.write(body);
    (void)e.response.finish();
  }

  void handle(HttpExchange& e) {
    std::string body = read_all(e.body, 64 << 20).value();
    const std::string& q = e.request.raw_query;
    const std::string& path = e.request.path;
    std::unique_lock lock(mu_);
    if (e.request.method == "POST" && q == "uploads") {
      ++counts_["create"];
      lock.unlock();
      if (!multipart_) {
        return reply(e, 501, "<Error><Code>NotImplemented</Code><Message>no</Message></Error>");
      }
      return reply(e, 200,
                   "<InitiateMultipartUploadResult><UploadId>U1</UploadId>"
                   "</InitiateMultipartUploadResult>");
    }
    if (e.request.method == "PUT" && q.find("partNumber=") != std::string::npos) {
      ++counts_["part"];
      int n = std::stoi(q.substr(q.find("partNumber=") + 11));
      if (n == fail_part.load()) {
        lock.unlock();
        return reply(e, 500, "<Error><Code>InternalError</Code></Error>");
      }
      parts_[n] = body;
      lock.unlock();
      return reply(e, 200, "", {{"ETag", "\"part-" + std::to_string(n) + "\""}});
    }
    if (e.request.method == "POST" && q.starts_with("uploadId=")) {
      ++counts_["complete"];
      std::string whole;
      for (auto& [n, data] : parts_) whole += data;
      objects_[path] = whole;
      parts_.clear();
      lock.unlock();
      return reply(e, 200,
                   "<CompleteMultipartUploadResult><ETag>\"multi-4\"</ETag>"
                   "</CompleteMultipartUploadResult>");
    }
    if (e.request.method == "DELETE" && q.starts_with("uploadId=")) {
      ++counts_["abort"];
      parts_.clear();
      lock.unlock();
      return reply(e, 204, "");
    }
    if (e.request.method == "PUT" && q.empty()) {
      ++counts_["put"];
      objects_[path] = body;
      lock.unlock();
      return reply(e, 200, "", {{"ETag", "\"single\""}});
    }
    lock.unlock();
    reply(e, 400, "<Error><Code>InvalidRequest</Code></Error>");
  }

  const bool multipart_;
  std::unique_ptr<HttpServer> server_;
  std::mutex mu_;
  std::map<std::string, std::string> objects_;
  std::map<int, std::string> parts_;
  std::map<std::string, int> counts_;
};

std::unique_ptr<s3client::S3Client> client_for(const FakeS3& fake) {
  s3client::S3ClientOptions options;
  options.endpoint = fake.url();
  options.access_key = "AK";
  options.secret_key = "SK";
  options.payload_signing = s3client::PayloadSigning::kUnsigned;  // raw bodies in the fake
  options.max_retries = 1;
  options.retry_base_delay = std::chrono::milliseconds(1);
  return std::move(s3client::S3Client::create(options)).value();
}

// An unlinked temp file holding `data`.
int temp_file(const std::string& data) {
  int fd = ::open(testing::TempDir().c_str(), O_TMPFILE | O_RDWR, 0600);
  EXPECT_GE(fd, 0);
  EXPECT_EQ(::pwrite(fd, data.data(), data.size(), 0), static_cast<ssize_t>(data.size()));
  return fd;
}

std::string pattern(size_t size) {
  std::string s(size, '\0');
  for (size_t i = 0; i < size; ++i) s[i] = static_cast<char>((i * 131 + i / 4096) & 0xff);
  return s;
}

constexpr uint64_t kMiB = 1 << 20;
const UploaderConfig kConfig{.multipart_threshold = 6 * kMiB, .part_size = 5 * kMiB};

TEST(Uploader, MultipartUploadsPartsInParallelAndAssemblesThem) {
  FakeS3 fake(/*multipart=*/true);
  auto client = client_for(fake);
  WorkQueue queue(4);
  Uploader uploader(*client, queue, kConfig);
  std::string data = pattern(17 * kMiB + 5);
  int fd = temp_file(data);
  auto etag = uploader.upload(fd, data.size(), "b", "dir/big", {});
  ASSERT_TRUE(etag.is_ok()) << etag.status().to_string();
  EXPECT_EQ(fake.count("create"), 1);
  EXPECT_EQ(fake.count("part"), 4);
  EXPECT_EQ(fake.count("complete"), 1);
  EXPECT_EQ(fake.count("put"), 0);
  EXPECT_TRUE(fake.object("/b/dir/big") == data);
  EXPECT_EQ(uploader.multipart_uploads(), 1u);
  ::close(fd);
}

TEST(Uploader, NotImplementedFallsBackToOnePutAndIsRemembered) {
  FakeS3 fake(/*multipart=*/false);
  auto client = client_for(fake);
  WorkQueue queue(4);
  Uploader uploader(*client, queue, kConfig);
  std::string data = pattern(11 * kMiB);
  int fd = temp_file(data);
  ASSERT_TRUE(uploader.upload(fd, data.size(), "b", "k1", {}).is_ok());
  EXPECT_FALSE(uploader.multipart_supported());
  ASSERT_TRUE(uploader.upload(fd, data.size(), "b", "k2", {}).is_ok());
  EXPECT_EQ(fake.count("create"), 1);  // asked once per mount
  EXPECT_EQ(fake.count("put"), 2);
  EXPECT_TRUE(fake.object("/b/k1") == data);
  EXPECT_TRUE(fake.object("/b/k2") == data);
  EXPECT_EQ(uploader.single_uploads(), 2u);
  ::close(fd);
}

TEST(Uploader, FailedPartAbortsTheUpload) {
  FakeS3 fake(/*multipart=*/true);
  fake.fail_part = 2;
  auto client = client_for(fake);
  WorkQueue queue(2);
  Uploader uploader(*client, queue, kConfig);
  std::string data = pattern(16 * kMiB);
  int fd = temp_file(data);
  auto etag = uploader.upload(fd, data.size(), "b", "k", {});
  EXPECT_FALSE(etag.is_ok());
  EXPECT_EQ(fake.count("complete"), 0);
  EXPECT_EQ(fake.count("abort"), 1);
  EXPECT_TRUE(uploader.multipart_supported());  // a failure is not "unsupported"
  ::close(fd);
}

TEST(Uploader, SmallFilesUseOnePut) {
  FakeS3 fake(/*multipart=*/true);
  auto client = client_for(fake);
  WorkQueue queue(2);
  Uploader uploader(*client, queue, kConfig);
  std::string data = pattern(100000);
  int fd = temp_file(data);
  ASSERT_TRUE(uploader.upload(fd, data.size(), "b", "small", {}).is_ok());
  EXPECT_EQ(fake.count("create"), 0);
  EXPECT_TRUE(fake.object("/b/small") == data);
  ASSERT_TRUE(uploader.upload(fd, 0, "b", "empty", {}).is_ok());
  EXPECT_EQ(fake.object("/b/empty"), "");
  ::close(fd);
}

}  // namespace
}  // namespace maxio::fuse
