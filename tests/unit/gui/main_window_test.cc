// MainWindow offscreen: requests run on the worker thread, so a server that never answers
// leaves the window responsive and closable; the timer refreshes; failures go to the status
// bar.
#include "gui/widgets/main_window.h"

#include <gtest/gtest.h>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>
#include <QApplication>
#include <QEventLoop>
#include <QStatusBar>
#include <QTimer>
#include <chrono>
#include <memory>
#include <thread>

#include "gui/core/topology_model.h"

namespace maxio::console {
namespace {

QApplication& app() {
  static int argc = 1;
  static char name[] = "console_window_test";
  static char* argv[] = {name, nullptr};
  qputenv("QT_QPA_PLATFORM", "offscreen");
  static QApplication instance(argc, argv);
  return instance;
}

// A loopback socket bound to a free port; listening (the kernel accepts connections into
// the backlog, nobody ever answers them) or not (connections are refused).
struct Port {
  explicit Port(bool listening) {
    fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    socklen_t len = sizeof addr;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    endpoint = "http://127.0.0.1:" + std::to_string(ntohs(addr.sin_port));
    if (listening) {
      EXPECT_EQ(::listen(fd, 16), 0);
    } else {
      ::close(fd);
      fd = -1;
    }
  }
  ~Port() {
    if (fd >= 0) ::close(fd);
  }
  int fd = -1;
  std::string endpoint;
};

void run_event_loop(std::chrono::milliseconds how_long) {
  QEventLoop loop;
  QTimer::singleShot(how_long, &loop, &QEventLoop::quit);
  loop.exec();
}

TEST(MainWindow, StalledServerNeitherFreezesNorHoldsTheWindow) {
  app();
  auto stalled = std::make_unique<Port>(/*listening=*/true);
  auto window = std::make_unique<MainWindow>();
  int refreshes = 0;
  QObject::connect(window.get(), &MainWindow::refresh_finished, [&] { ++refreshes; });
  window->connect_to({stalled->endpoint, "access", "secret", "us-east-1"});

  int ticks = 0;
  QTimer tick;
  tick.setInterval(10);
  QObject::connect(&tick, &QTimer::timeout, [&] { ++ticks; });
  tick.start();
  run_event_loop(std::chrono::milliseconds(1000));
  EXPECT_GE(ticks, 50);     // the GUI thread kept running while the request hangs
  EXPECT_EQ(refreshes, 0);  // which it still does
  EXPECT_EQ(window->topology_model().rowCount(), 0);

  auto started = std::chrono::steady_clock::now();
  window.reset();
  EXPECT_LT(std::chrono::steady_clock::now() - started,
            std::chrono::milliseconds(MainWindow::kCloseWait + 500));
  stalled.reset();  // the hanging request now fails; its worker thread ends on its own
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
}

TEST(MainWindow, RefreshesOnTheTimerAndShowsFailuresInTheStatusBar) {
  app();
  Port refused(/*listening=*/false);
  MainWindow window;
  window.set_refresh_interval(100);
  QStringList last_errors;
  int refreshes = 0;
  QObject::connect(&window, &MainWindow::refresh_finished, [&](const QStringList& errors) {
    ++refreshes;
    last_errors = errors;
  });
  window.connect_to({refused.endpoint, "access", "secret", "us-east-1"});
  run_event_loop(std::chrono::milliseconds(1500));
  EXPECT_GE(refreshes, 3);  // the first after Connect, then the timer's
  ASSERT_EQ(last_errors.size(), 1);
  EXPECT_TRUE(last_errors[0].startsWith("server info: ")) << last_errors[0].toStdString();
  EXPECT_TRUE(window.statusBar()->currentMessage().contains("server info: "))
      << window.statusBar()->currentMessage().toStdString();

  // A malformed endpoint is reported the same way, without a request.
  window.connect_to({"127.0.0.1:9000", "access", "secret", "us-east-1"});
  run_event_loop(std::chrono::milliseconds(300));
  EXPECT_TRUE(window.statusBar()->currentMessage().contains("http://"))
      << window.statusBar()->currentMessage().toStdString();
}

}  // namespace
}  // namespace maxio::console
