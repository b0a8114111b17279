#pragma once
// The maxio-console program: command line, window, and the --screenshot mode that tests
// and documentation use (connect, wait for the first refresh, save the window as a PNG,
// print what the models hold as one JSON line, exit). main() only calls run_console().

namespace maxio::console {

// Exit codes: 0 success; 1 the screenshot's refresh met errors; 2 usage error; 3 no refresh
// finished in time; 4 the PNG could not be written.
int run_console(int argc, char** argv);

}  // namespace maxio::console
