"""FUSE test harness: a real maxiod (tests/integration/harness.py) and maxio-mount mounts.

    from mount_harness import MountTestCase

    class MyTest(MountTestCase):           # one daemon, one bucket, one mount per class
        def test_x(self):
            self.mnt                        # the mountpoint (a directory)
            self.s3                         # boto3 client on the daemon
            self.bucket

The binary comes from $MAXIO_MOUNT (ctest sets it). Each Mount runs maxio-mount in the
foreground as a child; stop() unmounts with fusermount3 -u and asserts a clean exit.
"""

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "integration"))
from harness import Daemon, clean_env, require_boto3  # noqa: E402

MOUNT_TIMEOUT = 15.0


def maxio_mount_path():
    path = os.environ.get("MAXIO_MOUNT")
    if not path or not os.access(path, os.X_OK):
        raise RuntimeError("MAXIO_MOUNT must point at the maxio-mount binary")
    return path


def is_mounted(path):
    path = os.path.realpath(path)
    with open("/proc/self/mounts") as f:
        return any(line.split()[1] == path for line in f)


class Mount:
    """One maxio-mount process. args: extra command-line arguments; env: extra environment."""

    def __init__(self, daemon, bucket, mountpoint, args=(), env=None, secret_key=None,
                 background=False, log_dir=None):
        self.daemon = daemon
        self.bucket = bucket
        self.mountpoint = mountpoint
        self.args = list(args)
        self.extra_env = dict(env or {})
        self.secret_key = secret_key or daemon.secret_key
        self.background = background
        self.log_path = os.path.join(log_dir or daemon.client_dir,
                                     f"maxio-mount-{os.path.basename(mountpoint)}.log")
        self.proc = None

    def env(self):
        env = clean_env()
        env.update({"MAXIO_ENDPOINT": self.daemon.endpoint,
                    "MAXIO_ACCESS_KEY": self.daemon.access_key,
                    "MAXIO_SECRET_KEY": self.secret_key})
        env.update(self.extra_env)
        return env

    def start(self):
        os.makedirs(self.mountpoint, exist_ok=True)
        cmd = [maxio_mount_path()] + ([] if self.background else ["-f"]) + self.args + \
              [self.bucket, self.mountpoint]
        self.log = open(self.log_path, "ab")
        if self.background:
            rc = subprocess.run(cmd, env=self.env(), stdout=self.log, stderr=self.log,
                                timeout=MOUNT_TIMEOUT).returncode
            if rc != 0:
                raise AssertionError(f"maxio-mount exited {rc}\n{self.logs()}")
        else:
            self.proc = subprocess.Popen(cmd, env=self.env(), stdin=subprocess.DEVNULL,
                                         stdout=self.log, stderr=self.log)
        deadline = time.monotonic() + MOUNT_TIMEOUT
        while not is_mounted(self.mountpoint):
            if self.proc is not None and self.proc.poll() is not None:
                raise AssertionError(f"maxio-mount exited {self.proc.returncode}\n{self.logs()}")
            if time.monotonic() > deadline:
                self.kill()
                raise AssertionError(f"not mounted after {MOUNT_TIMEOUT}s\n{self.logs()}")
            time.sleep(0.05)
        return self

    def logs(self):
        try:
            with open(self.log_path, "rb") as f:
                return f.read()[-6000:].decode("utf-8", "replace")
        except OSError:
            return ""

    def stop(self, how="fusermount"):
        """Unmount (fusermount3 -u, or SIGTERM to the process) and wait for a clean exit."""
        try:
            if how == "sigterm" and self.proc is not None:
                self.proc.send_signal(signal.SIGTERM)
            else:
                deadline = time.monotonic() + 10
                while True:
                    p = subprocess.run(["fusermount3", "-u", self.mountpoint],
                                       capture_output=True)
                    if p.returncode == 0 or not is_mounted(self.mountpoint):
                        break
                    if time.monotonic() > deadline:
                        raise AssertionError(f"fusermount3 -u failed: {p.stderr!r}")
                    time.sleep(0.2)  # busy: a process of the test still has a file open
            if self.proc is not None:
                rc = self.proc.wait(15)
                if rc != 0:
                    raise AssertionError(f"maxio-mount exited {rc}\n{self.logs()}")
            else:
                deadline = time.monotonic() + 10
                while is_mounted(self.mountpoint) and time.monotonic() < deadline:
                    time.sleep(0.05)
            if is_mounted(self.mountpoint):
                raise AssertionError("still mounted after stop()")
        finally:
            self.proc = None
            self.log.close()

    def kill(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        subprocess.run(["fusermount3", "-u", "-z", self.mountpoint], capture_output=True)


class MountTestCase(unittest.TestCase):
    """One maxiod, one bucket and one mount of it per test class."""

    mount_args = ()
    bucket = "fuse-test"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        require_boto3()
        cls.daemon = Daemon().start()
        cls.s3 = cls.daemon.boto3_client()
        cls.s3.create_bucket(Bucket=cls.bucket)
        cls.work = tempfile.mkdtemp(prefix="maxio-fuse-", dir=cls.daemon.tmp)
        cls.mnt = os.path.join(cls.work, "mnt")
        cls.mount = Mount(cls.daemon, cls.bucket, cls.mnt, args=cls.mount_args).start()

    @classmethod
    def tearDownClass(cls):
        try:
            if cls.mount is not None:
                cls.mount.stop()
        finally:
            if cls.mount is not None:
                cls.mount.kill()
            cls.daemon.stop()
            super().tearDownClass()

    def new_mount(self, name, args=(), **kwargs):
        """Another mount of the class's bucket (stopped by the caller)."""
        return Mount(self.daemon, kwargs.pop("bucket", self.bucket),
                     os.path.join(self.work, name), args=args, **kwargs).start()

    def get(self, key):
        return self.s3.get_object(Bucket=self.bucket, Key=key)["Body"].read()

    def keys(self, prefix=""):
        out = []
        for page in self.s3.get_paginator("list_objects_v2").paginate(Bucket=self.bucket,
                                                                      Prefix=prefix):
            out += [o["Key"] for o in page.get("Contents", [])]
        return out


def main():
    unittest.main(verbosity=2)
