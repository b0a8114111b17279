// Filesystem (maxio-mount's operations without FUSE) against a real maxiod: the requests each
// operation sends, counted. Checks that the stat cache and its negative entries answer
// repeated lookups, that no operation but readdir lists a whole directory, that sequential
// reads fetch ahead in blocks while random reads fetch single chunks, and that readdir
// fetches entry attributes ahead.

#include "fuse/mount/filesystem.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "shared/s3/client.h"

namespace maxio::fuse {
namespace {

using namespace std::chrono_literals;

constexpr char kUser[] = "fsadmin";
constexpr char kPassword[] = "fsadminsecret";

class Maxiod {
 public:
  Maxiod() {
    char pattern[] = "/tmp/maxio-fuse-fs-test-XXXXXX";
    dir_ = ::mkdtemp(pattern);
    int out[2];
    if (::pipe(out) != 0) return;
    pid_ = ::fork();
    if (pid_ == 0) {
      ::dup2(out[1], STDOUT_FILENO);
      ::close(out[0]);
      ::setenv("MAXIO_ROOT_USER", kUser, 1);
      ::setenv("MAXIO_ROOT_PASSWORD", kPassword, 1);
      ::execl(MAXIOD_PATH, "maxiod", "server", "--address", "127.0.0.1:0", dir_.c_str(),
              static_cast<char*>(nullptr));
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
  const std::string& url() const { return url_; }

 private:
  std::string dir_;
  pid_t pid_ = -1;
  FILE* stdout_ = nullptr;
  std::string url_;
};

class FilesystemTest : public testing::Test {
 protected:
  static void SetUpTestSuite() {
    daemon_ = new Maxiod();
    ASSERT_FALSE(daemon_->url().empty()) << "maxiod did not start";
    s3client::S3ClientOptions options;
    options.endpoint = daemon_->url();
    options.access_key = kUser;
    options.secret_key = kPassword;
    client_ = std::move(s3client::S3Client::create(options)).value();
    ASSERT_TRUE(client_->make_bucket("fstest").is_ok());
  }
  static void TearDownTestSuite() {
    client_.reset();
    delete daemon_;
  }

  void SetUp() override {
    FilesystemConfig config;
    config.bucket = "fstest";
    config.cache_dir = testing::TempDir();
    config.defaults = {.uid = 0, .gid = 0};
    auto fs = Filesystem::create(client_, config);
    ASSERT_TRUE(fs.is_ok()) << fs.status().to_string();
    fs_ = std::move(fs).value();
  }

  void put(const std::string& key, const std::string& data) {
    ASSERT_TRUE(client_->put_object("fstest", key, std::string_view(data)).is_ok()) << key;
  }
  void put_many(const std::string& prefix, int count) {
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t) {
      threads.emplace_back([&, t] {
        for (int i = t; i < count; i += 8) {
          (void)client_->put_object("fstest", prefix + "f" + std::to_string(i), std::string_view());
        }
      });
    }
    for (auto& t : threads) t.join();
  }

  static Maxiod* daemon_;
  static std::shared_ptr<s3client::S3Client> client_;
  std::unique_ptr<Filesystem> fs_;
};

Maxiod* FilesystemTest::daemon_ = nullptr;
std::shared_ptr<s3client::S3Client> FilesystemTest::client_;

TEST_F(FilesystemTest, StatCacheAnswersRepeatedLookups) {
  put("cached.txt", "abc");
  Attributes attr;
  ASSERT_EQ(fs_->getattr("/cached.txt", &attr), 0);
  EXPECT_EQ(attr.size, 3u);
  EXPECT_EQ(fs_->stats().head_requests, 1u);
  ASSERT_EQ(fs_->getattr("/cached.txt", &attr), 0);
  EXPECT_EQ(fs_->stats().head_requests, 1u);

  EXPECT_EQ(fs_->getattr("/missing", &attr), -ENOENT);
  auto after_miss = fs_->stats();
  EXPECT_EQ(after_miss.head_requests, 2u);
  EXPECT_EQ(after_miss.list_requests, 1u);
  EXPECT_EQ(fs_->getattr("/missing", &attr), -ENOENT);  // the negative entry answers
  EXPECT_EQ(fs_->stats().head_requests, 2u);
  EXPECT_EQ(fs_->stats().list_requests, 1u);
}

TEST_F(FilesystemTest, OnlyReaddirListsAWholeDirectory) {
  put_many("big/", 2500);
  Attributes attr;
  ASSERT_EQ(fs_->getattr("/big", &attr), 0);
  EXPECT_EQ(attr.kind, EntryKind::kDirectory);
  EXPECT_EQ(fs_->rmdir("/big"), -ENOTEMPTY);
  Filesystem::Handle* h = nullptr;
  ASSERT_EQ(fs_->create("/big/new", 0644, O_WRONLY, 0, 0, &h), 0);
  ASSERT_EQ(fs_->write(h, "x", 1, 0), 1);
  ASSERT_EQ(fs_->flush(h), 0);
  ASSERT_EQ(fs_->release(h), 0);
  ASSERT_EQ(fs_->unlink("/big/new"), 0);
  ASSERT_EQ(fs_->chmod("/big/f7", 0600), 0);
  // Each of these listed at most one page of at most two keys.
  EXPECT_LE(fs_->stats().list_requests, 3u);

  uint64_t before = fs_->stats().list_requests;
  size_t entries = 0;
  ASSERT_EQ(fs_->readdir("/big",
                         [&](std::string_view, EntryKind) {
                           ++entries;
                           return true;
                         }),
            0);
  EXPECT_EQ(entries, 2500u + 2);                       // with . and ..
  EXPECT_EQ(fs_->stats().list_requests - before, 3u);  // pages of 1,000
}

TEST_F(FilesystemTest, ReaddirFetchesEntryAttributesAhead) {
  put_many("pre/", 40);
  ASSERT_EQ(fs_->readdir("/pre", [](std::string_view, EntryKind) { return true; }), 0);
  // The prefetch runs in the background: wait until its HEADs are done.
  for (int i = 0; i < 200 && fs_->stats().head_requests < 40; ++i) {
    std::this_thread::sleep_for(10ms);
  }
  uint64_t heads = fs_->stats().head_requests;
  EXPECT_GE(heads, 40u);
  for (int i = 0; i < 40; ++i) {
    Attributes attr;
    ASSERT_EQ(fs_->getattr("/pre/f" + std::to_string(i), &attr), 0);
  }
  EXPECT_EQ(fs_->stats().head_requests, heads);  // every answer came from the cache
}

TEST_F(FilesystemTest, SequentialReadsFetchAheadAndRandomReadsFetchChunks) {
  std::string data(24 << 20, '\0');
  for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<char>((i * 7 + i / 8191) & 0xff);
  put("seq.bin", data);
  Filesystem::Handle* h = nullptr;
  ASSERT_EQ(fs_->open("/seq.bin", O_RDONLY, &h), 0);
  std::string buffer(128 << 10, '\0');
  uint64_t gets_before = fs_->stats().get_requests;
  for (uint64_t off = 0; off < data.size(); off += buffer.size()) {
    ssize_t n = fs_->read(h, buffer.data(), buffer.size(), off);
    ASSERT_EQ(n, static_cast<ssize_t>(buffer.size()));
    ASSERT_EQ(0, std::memcmp(buffer.data(), data.data() + off, buffer.size())) << off;
  }
  EXPECT_EQ(fs_->stats().get_requests - gets_before, 6u);  // 24 MiB in 4 MiB blocks
  ASSERT_EQ(fs_->release(h), 0);

  ASSERT_EQ(fs_->open("/seq.bin", O_RDONLY, &h), 0);
  gets_before = fs_->stats().get_requests;
  char small[4096];
  const uint64_t offsets[] = {20 << 20, (3 << 20) + 8192, 11 << 20, (20 << 20) + 4096};
  for (uint64_t off : offsets) {
    ASSERT_EQ(fs_->read(h, small, sizeof small, off), 4096);
    ASSERT_EQ(0, std::memcmp(small, data.data() + off, sizeof small)) << off;
  }
  // Three distinct 1 MiB chunks; the fourth read hit the first one's chunk.
  EXPECT_EQ(fs_->stats().get_requests - gets_before, 3u);
  ASSERT_EQ(fs_->release(h), 0);
}

TEST_F(FilesystemTest, WritesAreUploadedOnFlushWithAttributes) {
  Filesystem::Handle* h = nullptr;
  ASSERT_EQ(fs_->create("/w.txt", 0640, O_WRONLY, 12, 34, &h), 0);
  ASSERT_EQ(fs_->write(h, "hello", 5, 0), 5);
  ASSERT_EQ(fs_->write(h, "!", 1, 10), 1);  // a hole
  EXPECT_EQ(fs_->stats().uploads, 0u);
  ASSERT_EQ(fs_->flush(h), 0);
  EXPECT_EQ(fs_->stats().uploads, 1u);
  ASSERT_EQ(fs_->flush(h), 0);  // nothing changed: no second upload
  EXPECT_EQ(fs_->stats().uploads, 1u);
  ASSERT_EQ(fs_->release(h), 0);
  auto get = client_->get_object("fstest", "w.txt");
  ASSERT_TRUE(get.is_ok());
  EXPECT_EQ(read_all(*get->body, 100).value(), std::string("hello\0\0\0\0\0!", 11));
  EXPECT_EQ(get->info.metadata["mode"], std::to_string(0100640));
  EXPECT_EQ(get->info.metadata["uid"], "12");
  EXPECT_EQ(get->info.metadata["gid"], "34");
}

}  // namespace
}  // namespace maxio::fuse
