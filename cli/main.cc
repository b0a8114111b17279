// maxioctl: the Maxio command line. A thin main over maxio_cli (cli/app.h).

#include <unistd.h>

#include <csignal>
#include <iostream>
#include <string>
#include <vector>

#include "cli/app.h"

int main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);
  maxio::cli::install_interrupt_handler();
  std::vector<std::string> args(argv + 1, argv + argc);
  maxio::cli::RunEnvironment env{std::cout, std::cerr, std::cin, ::isatty(STDERR_FILENO) == 1,
                                 maxio::cli::process_env()};
  return maxio::cli::run_maxioctl(args, env);
}
