// maxiod: parses the command line, starts the Daemon, serves until SIGINT/SIGTERM, then
// drains in-flight requests and exits 0. Start-up errors: one line on stderr, exit 1.

#include <pthread.h>
#include <signal.h>

#include <chrono>
#include <cstring>
#include <iostream>
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

  const maxio::ServerConfig& config = command->config;
  auto daemon = maxio::Daemon::start(config);
  if (!daemon) {
    std::cerr << "maxiod: " << describe(daemon.status()) << "\n";
    return 1;
  }
  std::cout << "API: " << (*daemon)->api_url() << "\n";
  std::cout << "RootUser: " << config.root.access_key << "\n";
  if (command->default_credentials) std::cout << "RootPass: " << config.root.secret_key << "\n";
  std::cout << "Drives: " << config.drives.size() << "\n";
  std::cout << "Ready: " << (*daemon)->api_url() << std::endl;  // test harnesses wait for this

  int received = 0;
  sigwait(&stop_signals, &received);
  std::cout << "Received " << (received == SIGINT ? "SIGINT" : "SIGTERM") << ", shutting down"
            << std::endl;
  (*daemon)->shutdown(kShutdownDrain);
  return 0;
}
