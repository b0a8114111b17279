#pragma once
// run_mount: the whole maxio-mount program (parse the command line, check the bucket, mount,
// serve FUSE requests until unmounted or signalled). libfuse stays inside mount.cc.

namespace maxio::fuse {

// Returns the process exit code: 0 after a clean unmount, 1 when the mount fails, 2 for a
// command-line error.
int run_mount(int argc, char** argv);

}  // namespace maxio::fuse
