"""maxio-mount when the server goes away: operations fail with EIO after the client's
retries instead of hanging, a failed upload is reported by close(2), and the mount works
again once the server is back."""

import errno
import os
import time

from mount_harness import MountTestCase, main


class FaultTest(MountTestCase):
    mount_args = ("-o", "stat_cache_ttl=0,negative_cache_ttl=0,attr_timeout=0,entry_timeout=0")

    def test_server_down_gives_eio_then_recovers(self):
        path = os.path.join(self.mnt, "kept.txt")
        with open(path, "wb") as f:
            f.write(b"before the outage")
        self.daemon.kill9()
        try:
            t0 = time.monotonic()
            with self.assertRaises(OSError) as e:
                os.stat(os.path.join(self.mnt, "unknown.txt"))
            self.assertEqual(e.exception.errno, errno.EIO)
            with self.assertRaises(OSError) as e:
                with open(path, "rb") as f:
                    f.read()
            self.assertEqual(e.exception.errno, errno.EIO)
            self.assertLess(time.monotonic() - t0, 60, "errors must come after bounded retries")
        finally:
            self.daemon.restart()
        # A write whose upload fails is reported by close(2), and the mount recovers.
        with open(path, "rb") as f:
            self.assertEqual(f.read(), b"before the outage")
        f = open(os.path.join(self.mnt, "during.txt"), "wb")
        f.write(b"data")
        self.daemon.kill9()
        try:
            with self.assertRaises(OSError) as e:
                f.close()
            self.assertEqual(e.exception.errno, errno.EIO)
        finally:
            self.daemon.restart()
        with open(os.path.join(self.mnt, "after.txt"), "wb") as f:
            f.write(b"after")
        self.assertEqual(self.get("after.txt"), b"after")


if __name__ == "__main__":
    main()
