// maxiod: parses the command line, starts the Daemon, serves until SIGINT/SIGTERM, then
// drains in-flight requests and exits 0. Start-up errors: one line on stderr, exit 1.
// The admin API's service stop/restart record their action and raise SIGTERM, so they
// end the same sigwait; a restart then re-executes this binary with the same argv and
// environment (same PID, so supervisors and test harnesses keep tracking it).

#include <pthread.h>
#include <signal.h>

#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "daemon/server/bootstrap.h"
#include "daemon/server/config.h"

namespace {

// In-flight requests get this long to finish after SIGTERM.
constexpr auto kShutdownDrain = std::chrono::seconds(5);

std::string describe(const maxio::Status& status) {
  return status.message().empty() ? status.to_string() : status.message();
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  auto command = maxio::parse_command_line(args, maxio::process_environment());
  if (!command) {
    std::cerr << "maxiod: " << describe(command.status()) << "\n";
    return 1;
  }
  switch (command->kind) {
    case maxio::CommandKind::kHelp:
      std::cout << maxio::usage_text();
      return 0;
    case maxio::CommandKind::kVersion:
      std::cout << maxio::version_text() << "\n";
      return 0;
    case maxio::CommandKind::kServer:
      break;
  }
  for (const std::string& warning : command->warnings) std::cerr << warning << "\n";

  // Block the stop signals before any thread starts, so that every thread inherits the mask
  // and sigwait() below is the only place they are received.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  // Written by the service hook on a worker thread, read here after sigwait().
  std::atomic<int> requested_action{-1};
  auto service_hook = [&requested_action](maxio::ServiceAction action) {
    int none = -1;
    // The first request wins; a second one while shutting down changes nothing.
    if (requested_action.compare_exchange_strong(none, static_cast<int>(action))) {
      kill(getpid(), SIGTERM);  // pending until the sigwait below takes it
    }
  };

  const maxio::ServerConfig& config = command->config;
  auto daemon = maxio::Daemon::start(config, {}, service_hook);
  if (!daemon) {
    std::cerr << "maxiod: " << describe(daemon.status()) << "\n";
    return 1;
  }
  std::unique_ptr<maxio::Daemon> server = std::move(daemon).value();
  std::cout << "API: " << server->api_url() << "\n";
  std::cout << "RootUser: " << config.root.access_key << "\n";
  if (command->default_credentials) std::cout << "RootPass: " << config.root.secret_key << "\n";
  std::cout << "Drives: " << config.drives.size() << "\n";
  std::cout << "Ready: " << server->api_url() << std::endl;  // test harnesses wait for this

  int received = 0;
  sigwait(&stop_signals, &received);
  const int action = requested_action.load();
  if (action == static_cast<int>(maxio::ServiceAction::kRestart)) {
    std::cout << "Restart requested through the admin API, shutting down" << std::endl;
  } else if (action == static_cast<int>(maxio::ServiceAction::kStop)) {
    std::cout << "Stop requested through the admin API, shutting down" << std::endl;
  } else {
    std::cout << "Received " << (received == SIGINT ? "SIGINT" : "SIGTERM") << ", shutting down"
              << std::endl;
  }
  server->shutdown(kShutdownDrain);
  if (action != static_cast<int>(maxio::ServiceAction::kRestart)) return 0;

  // Every thread, socket and drive handle goes with the Daemon before the new image starts.
  server.reset();
  std::cout << "Restarting" << std::endl;
  std::cerr.flush();
  execv("/proc/self/exe", argv);
  std::cerr << "maxiod: restart failed: execv: " << std::strerror(errno) << "\n";
  return 1;
}
