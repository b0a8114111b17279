// maxio-console: the desktop console for Maxio servers (see docs/maxio-console.md).
#include "gui/widgets/app.h"

int main(int argc, char** argv) { return maxio::console::run_console(argc, argv); }
