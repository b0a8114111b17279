// maxio-mount: mounts an S3 bucket as a directory (see docs/maxio-mount.md).
#include "fuse/mount/mount.h"

int main(int argc, char** argv) { return maxio::fuse::run_mount(argc, argv); }
