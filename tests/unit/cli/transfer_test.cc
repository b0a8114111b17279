// Transfers against a fake S3 server: multipart uploads with parallel parts (and their
// order in CompleteMultipartUpload), the fallback to one streamed PUT when the server
// answers 501, aborting a failed upload, parallel ranged downloads; part sizing,
// content types and run_parallel.

#include "cli/transfer.h"

#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <thread>

#include "tests/unit/cli/cli_test_support.h"

namespace maxio::cli {
namespace {

using testing::Cli;
using testing::FakeS3;
using testing::RunResult;

TEST(TransferTest, PartSizes) {
  EXPECT_EQ(choose_part_size(100, kDefaultPartSize), kDefaultPartSize);
  EXPECT_EQ(choose_part_size(100, 1), kMinPartSize);
  // 1 TiB in at most 10000 parts: 105 MiB parts (rounded up to whole MiB).
  uint64_t part = choose_part_size(1ull << 40, kDefaultPartSize);
  EXPECT_EQ(part % (1 << 20), 0u);
  EXPECT_LE((1ull << 40) / part + 1, kMaxParts);
  EXPECT_EQ(part, 105ull << 20);
  EXPECT_EQ(choose_part_size(5ull << 40, kDefaultPartSize), 525ull << 20);
}

TEST(TransferTest, ContentTypes) {
  EXPECT_EQ(guess_content_type("a/b/index.HTML"), "text/html");
  EXPECT_EQ(guess_content_type("x.json"), "application/json");
  EXPECT_EQ(guess_content_type("noext"), "application/octet-stream");
  EXPECT_EQ(guess_content_type(".bashrc"), "application/octet-stream");
  EXPECT_EQ(guess_content_type("dir.d/file"), "application/octet-stream");
}

TEST(TransferTest, RunParallelRunsEveryTaskAndStopsAfterAFailure) {
  std::atomic<int> ran{0};
  std::set<size_t> seen;
  std::mutex mu;
  EXPECT_TRUE(run_parallel(4, 100, [&](size_t i) {
                ++ran;
                std::lock_guard lock(mu);
                seen.insert(i);
                return Status::ok();
              }).is_ok());
  EXPECT_EQ(ran, 100);
  EXPECT_EQ(seen.size(), 100u);

  ran = 0;
  Status failed = run_parallel(1, 10, [&](size_t i) {
    ++ran;
    return i == 3 ? Status(ErrorCode::kIo, "boom") : Status::ok();
  });
  EXPECT_EQ(failed.code(), ErrorCode::kIo);
  EXPECT_EQ(ran, 4);
  // A real error wins over a cancellation (both tasks start before either returns).
  std::atomic<int> started{0};
  Status both = run_parallel(2, 2, [&](size_t i) {
    ++started;
    while (started < 2) std::this_thread::yield();
    return i == 0 ? Status(ErrorCode::kCancelled) : Status(ErrorCode::kIo);
  });
  EXPECT_EQ(both.code(), ErrorCode::kIo);
  EXPECT_TRUE(run_parallel(3, 0, [](size_t) { return Status(ErrorCode::kIo); }).is_ok());
}

TEST(TransferTest, MultipartUploadWithParallelParts) {
  FakeS3 s3;
  Cli cli;
  cli.add_alias("fake", s3.url());
  std::string data = testing::pattern_bytes((13 << 20) + 777);
  testing::write_file(cli.dir() / "big.bin", data);
  RunResult cp = cli.run({"cp", "--json", "--part-size", "5MiB", "--parallel", "3",
                          cli.dir() / "big.bin", "fake/bucket/dir/"});
  ASSERT_EQ(cp.code, 0) << cp.err;
  EXPECT_EQ(s3.object("bucket/dir/big.bin"), data);
  auto lines = cp.json();
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0]["method"], "multipart");
  EXPECT_EQ(lines[0]["etag"], "multi-etag-3");
  EXPECT_EQ(lines[0]["target"], "fake/bucket/dir/big.bin");
  int parts = 0;
  for (const auto& request : s3.seen()) {
    if (request.query("partNumber")) {
      ++parts;
      EXPECT_EQ(request.query("uploadId"), "upload-1");
    }
    if (request.method == "POST" && request.query("uploads")) {
      EXPECT_EQ(request.headers.value_or_empty("content-type"), "application/octet-stream");
    }
  }
  EXPECT_EQ(parts, 3);
}

TEST(TransferTest, SmallFilesUseOnePut) {
  FakeS3 s3;
  Cli cli;
  cli.add_alias("fake", s3.url());
  testing::write_file(cli.dir() / "page.html", "<p>hi</p>");
  RunResult cp = cli.run({"cp", cli.dir() / "page.html", "fake/bucket/index.html"});
  ASSERT_EQ(cp.code, 0) << cp.err;
  EXPECT_EQ(s3.object("bucket/index.html"), "<p>hi</p>");
  auto seen = s3.seen();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].method, "PUT");
  EXPECT_EQ(seen[0].headers.value_or_empty("content-type"), "text/html");
}

TEST(TransferTest, FallsBackToOnePutWhenMultipartIsNotImplemented) {
  FakeS3 s3;
  s3.set_multipart_supported(false);
  Cli cli;
  cli.add_alias("fake", s3.url());
  std::string one = testing::pattern_bytes((6 << 20) + 1);
  std::string two = testing::pattern_bytes((7 << 20) + 3);
  testing::write_file(cli.dir() / "up/one", one);
  testing::write_file(cli.dir() / "up/two", two);
  RunResult cp = cli.run({"cp", "--json", "-r", "--part-size", "5MiB", "--parallel", "1",
                          cli.dir() / "up/", "fake/bucket"});
  ASSERT_EQ(cp.code, 0) << cp.err;
  EXPECT_EQ(s3.object("bucket/one"), one);
  EXPECT_EQ(s3.object("bucket/two"), two);
  for (const auto& line : cp.json()) EXPECT_EQ(line["method"], "put");
  // The server is asked once; the second file goes straight to a PUT.
  int creates = 0;
  for (const auto& request : s3.seen()) {
    if (request.method == "POST" && request.query("uploads")) ++creates;
  }
  EXPECT_EQ(creates, 1);
}

TEST(TransferTest, AFailedPartAbortsTheUpload) {
  FakeS3 s3;
  s3.fail_part(2);
  Cli cli;
  cli.add_alias("fake", s3.url());
  testing::write_file(cli.dir() / "big.bin", testing::pattern_bytes(11 << 20));
  RunResult cp = cli.run({"cp", "--part-size", "5MiB", cli.dir() / "big.bin", "fake/bucket/k"});
  EXPECT_EQ(cp.code, 1);
  EXPECT_TRUE(cp.err.starts_with("maxioctl: cp ")) << cp.err;
  EXPECT_TRUE(cp.err.find("(AccessDenied)") != std::string::npos) << cp.err;
  EXPECT_EQ(s3.aborts(), 1);
  EXPECT_FALSE(s3.has("bucket/k"));
}

TEST(TransferTest, DownloadsInParallelRanges) {
  FakeS3 s3;
  std::string data = testing::pattern_bytes((11 << 20) + 5);
  s3.put("bucket/obj", data);
  Cli cli;
  cli.add_alias("fake", s3.url());
  RunResult cp =
      cli.run({"cp", "--part-size", "5MiB", "--preserve", "fake/bucket/obj", cli.dir() / "down/"});
  ASSERT_EQ(cp.code, 0) << cp.err;
  EXPECT_EQ(testing::read_file(cli.dir() / "down/obj"), data);
  std::set<std::string> ranges;
  for (const auto& request : s3.seen()) {
    if (request.method == "GET") {
      ranges.insert(std::string(request.headers.value_or_empty("range")));
      // Every range comes from the same version of the object.
      EXPECT_EQ(request.headers.value_or_empty("if-match"), "\"e-11534341\"");
    }
  }
  EXPECT_EQ(ranges, (std::set<std::string>{"bytes=0-5242879", "bytes=5242880-10485759",
                                           "bytes=10485760-11534340"}));
  struct stat st;
  ASSERT_EQ(::stat((cli.dir() / "down/obj").c_str(), &st), 0);
  EXPECT_EQ(st.st_mtim.tv_sec, 1714979289);  // 2024-05-06T07:08:09Z, from Last-Modified
}

TEST(TransferTest, StreamedCopyBetweenServersKeepsTheContentType) {
  FakeS3 a, b;
  a.put("src/x", "payload");
  Cli cli;
  cli.add_alias("a", a.url());
  cli.add_alias("b", b.url());
  RunResult cp = cli.run({"cp", "a/src/x", "b/dst/y"});
  ASSERT_EQ(cp.code, 0) << cp.err;
  EXPECT_EQ(b.object("dst/y"), "payload");
  auto seen = b.seen();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].headers.value_or_empty("content-type"), "application/x-test");
}

TEST(TransferTest, KeysThatEscapeTheTargetAreRefused) {
  FakeS3 s3;
  s3.put("bucket/ok", "fine");
  s3.put("bucket/../evil", "x");
  s3.put("bucket/a/..", "y");
  Cli cli;
  cli.add_alias("fake", s3.url());
  RunResult tree = cli.run({"cp", "-r", "fake/bucket/", cli.dir() / "safe/"});
  EXPECT_EQ(tree.code, 1);
  EXPECT_NE(tree.err.find("key '../evil' cannot be a local file name"), std::string::npos)
      << tree.err;
  EXPECT_EQ(testing::read_file(cli.dir() / "safe/ok"), "fine");
  EXPECT_FALSE(testing::fs::exists(cli.dir() / "evil"));
  RunResult single = cli.run({"cp", "fake/bucket/a/..", cli.dir() / "safe/"});
  EXPECT_EQ(single.code, 1);
  EXPECT_NE(single.err.find("cannot be a local file name"), std::string::npos) << single.err;
}

}  // namespace
}  // namespace maxio::cli
