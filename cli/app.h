#pragma once
// maxioctl's entry point and command table: run_maxioctl() parses the global flags, finds
// the command (one to three words: "ls", "alias set", "admin config get"), parses its flags
// and positional arguments, runs it and returns the exit code (console.h). main() is a thin
// wrapper over it; tests call it with their own streams and environment.
// Not reentrant per process: SIGINT handling is process-wide.

#include <cstddef>
#include <istream>
#include <ostream>
#include <string>
#include <vector>

#include "cli/args.h"
#include "cli/config.h"
#include "cli/console.h"
#include "cli/session.h"

namespace maxio::cli {

// What a command's handler gets.
struct Invocation {
  Session& session;
  Console& console;
  std::istream& in;
  ParsedArgs args;
  std::string command;  // "alias set"
};

using CommandHandler = int (*)(Invocation&);

struct Command {
  std::string name;     // "cp", "alias set", "admin config get"
  std::string usage;    // the arguments after the name: "[FLAGS] SOURCE... TARGET"
  std::string summary;  // one line for the command list
  std::string help;     // more text for --help (semantics, examples)
  std::vector<FlagSpec> flags;
  size_t min_args = 0;
  size_t max_args = static_cast<size_t>(-1);
  CommandHandler run = nullptr;
  bool hidden = false;  // left out of --help and completion
  bool needs_config = true;
  // After this many positional arguments, the next max_args - verbatim_after arguments are
  // positional even when they start with '-' (alias set: the keys).
  size_t verbatim_after = static_cast<size_t>(-1);
};

// Every command, in --help order.
const std::vector<Command>& commands();
// Flags every command accepts: --json, --quiet, --insecure, --config-dir, --help.
const std::vector<FlagSpec>& global_flags();

struct RunEnvironment {
  std::ostream& out;
  std::ostream& err;
  std::istream& in;
  bool err_is_tty = false;
  EnvLookup env;
};

// Runs one maxioctl command line (without the program name) and returns the exit code.
int run_maxioctl(const std::vector<std::string>& args, const RunEnvironment& env);

// The --help text of one command, and of the whole program or a group ("admin").
std::string command_help(const Command& command);
std::string group_help(const std::string& group);

}  // namespace maxio::cli
