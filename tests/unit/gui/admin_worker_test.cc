#include "gui/core/admin_worker.h"

#include <gtest/gtest.h>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>
#include <QObject>
#include <chrono>

namespace maxio::console {
namespace {

// Runs connect_to on the calling thread (a direct signal) and returns the snapshot.
Snapshot connect_and_wait(AdminWorker& worker, const Connection& connection, quint64 generation) {
  Snapshot got;
  int emitted = 0;
  QObject::connect(&worker, &AdminWorker::refreshed, [&](const Snapshot& snapshot) {
    got = snapshot;
    ++emitted;
  });
  worker.connect_to(connection, generation);
  EXPECT_EQ(emitted, 1);
  return got;
}

TEST(AdminWorker, InvalidConnectionReportsWhyAndSendsNothing) {
  AdminWorker worker;
  Snapshot snapshot = connect_and_wait(worker, {"localhost:9000", "a", "s", "us-east-1"}, 7);
  EXPECT_EQ(snapshot.generation, 7u);
  ASSERT_EQ(snapshot.errors.size(), 1u);
  EXPECT_NE(snapshot.errors[0].find("http://"), std::string::npos);
  EXPECT_FALSE(snapshot.info || snapshot.topology || snapshot.usage || snapshot.buckets);
}

TEST(AdminWorker, UnreachableServerStopsAfterTheFirstRequest) {
  // A port nobody listens on: bind, read the port, close.
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  std::string endpoint = "http://127.0.0.1:" + std::to_string(ntohs(addr.sin_port));

  AdminWorker worker;
  auto started = std::chrono::steady_clock::now();
  Snapshot snapshot = connect_and_wait(worker, {endpoint, "a", "s", "us-east-1"}, 1);
  ASSERT_EQ(snapshot.errors.size(), 1u) << snapshot.errors.back();
  EXPECT_EQ(snapshot.errors[0].rfind("server info: ", 0), 0u) << snapshot.errors[0];
  EXPECT_FALSE(snapshot.info || snapshot.topology || snapshot.buckets);
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(10));
}

}  // namespace
}  // namespace maxio::console
