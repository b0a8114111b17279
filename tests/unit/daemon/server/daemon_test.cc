// The Daemon bootstrap end to end on a temporary drive, and the maxiod binary's start-up
// and SIGTERM shutdown contract (the "Ready:" line, exit code 0).

#include "daemon/server/bootstrap.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <mutex>
#include <string>
#include <vector>

namespace maxio {
namespace {

class TempDir {
 public:
  TempDir() {
    char pattern[] = "/tmp/maxio-daemon-test-XXXXXX";
    path_ = ::mkdtemp(pattern);
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// Sends one request on a fresh connection and returns everything until the peer closes.
std::string round_trip(uint16_t port, const std::string& request) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  timeval tv{10, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  std::string out;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0 &&
      ::send(fd, request.data(), request.size(), MSG_NOSIGNAL) ==
          static_cast<ssize_t>(request.size())) {
    char buf[4096];
    ssize_t n;
    while ((n = ::recv(fd, buf, sizeof(buf), 0)) > 0) out.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  return out;
}

TEST(DaemonTest, ServesS3RequestsAndShutsDown) {
  TempDir drive;
  ServerConfig config;
  config.address = "127.0.0.1:0";
  config.drives = {drive.path()};
  config.root = {"testadmin", "testsecret"};
  auto daemon = Daemon::start(config);
  ASSERT_TRUE(daemon.is_ok()) << daemon.status().to_string();
  ASSERT_NE((*daemon)->port(), 0);
  EXPECT_EQ((*daemon)->api_url(), "http://127.0.0.1:" + std::to_string((*daemon)->port()));
  std::string response =
      round_trip((*daemon)->port(), "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(response.rfind("HTTP/1.1 ", 0), 0u) << response;
  EXPECT_NE(response.find("Server: Maxio"), std::string::npos) << response;
  EXPECT_NE(response.find("x-amz-request-id"), std::string::npos) << response;
  (*daemon)->shutdown(std::chrono::seconds(1));
}

// Every finished request reaches the request log's subscribers with what happened.
TEST(DaemonTest, PublishesEveryRequestToTheRequestLog) {
  TempDir drive;
  ServerConfig config;
  config.address = "127.0.0.1:0";
  config.drives = {drive.path()};
  config.root = {"testadmin", "testsecret"};
  auto daemon = Daemon::start(config);
  ASSERT_TRUE(daemon.is_ok()) << daemon.status().to_string();
  std::mutex mu;
  std::vector<RequestRecord> records;
  uint64_t id = (*daemon)->context().request_log.subscribe([&](const RequestRecord& r) {
    std::lock_guard<std::mutex> lock(mu);
    records.push_back(r);
  });
  std::string response =
      round_trip((*daemon)->port(),
                 "PUT /bkt/some%20key HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n"
                 "Connection: close\r\n\r\nhello");
  ASSERT_EQ(response.rfind("HTTP/1.1 403", 0), 0u) << response;
  (*daemon)->context().request_log.unsubscribe(id);
  round_trip((*daemon)->port(), "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  (*daemon)->shutdown(std::chrono::seconds(1));
  std::lock_guard<std::mutex> lock(mu);
  ASSERT_EQ(records.size(), 1u);
  const RequestRecord& r = records[0];
  EXPECT_EQ(r.api, "PutObject");
  EXPECT_EQ(r.method, "PUT");
  EXPECT_EQ(r.path, "/bkt/some%20key");
  EXPECT_EQ(r.bucket, "bkt");
  EXPECT_EQ(r.key, "some key");
  EXPECT_EQ(r.status, 403);
  EXPECT_GT(r.bytes_out, 0u);
  EXPECT_EQ(r.access_key, "");
  EXPECT_EQ(r.request_id.size(), 16u);
  EXPECT_EQ(r.remote_address.rfind("127.0.0.1:", 0), 0u) << r.remote_address;
}

TEST(DaemonTest, BadAddressFails) {
  TempDir drive;
  ServerConfig config;
  config.address = "127.0.0.1:notaport";
  config.drives = {drive.path()};
  config.root = {"testadmin", "testsecret"};
  EXPECT_FALSE(Daemon::start(config).is_ok());
}

#ifdef MAXIOD_PATH
TEST(MaxiodTest, PrintsReadyLineAndExitsZeroOnSigterm) {
  TempDir drive;
  int out[2];
  ASSERT_EQ(::pipe(out), 0);
  pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    ::dup2(out[1], STDOUT_FILENO);
    ::close(out[0]);
    ::setenv("MAXIO_ROOT_USER", "testadmin", 1);
    ::setenv("MAXIO_ROOT_PASSWORD", "testsecret", 1);
    ::execl(MAXIOD_PATH, "maxiod", "server", "--address", "127.0.0.1:0", drive.path().c_str(),
            static_cast<char*>(nullptr));
    ::_exit(127);
  }
  ::close(out[1]);
  FILE* stream = ::fdopen(out[0], "r");
  std::string api, ready;
  char line[512];
  while (ready.empty() && std::fgets(line, sizeof(line), stream) != nullptr) {
    std::string text(line);
    if (text.rfind("API: ", 0) == 0) api = text.substr(5);
    if (text.rfind("Ready: ", 0) == 0) ready = text.substr(7);
  }
  ASSERT_FALSE(ready.empty());
  EXPECT_EQ(api, ready);
  EXPECT_EQ(ready.find(":0\n"), std::string::npos) << ready;  // the real port
  ::kill(pid, SIGTERM);
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  EXPECT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
  std::fclose(stream);
}
#endif

}  // namespace
}  // namespace maxio
