#!/usr/bin/env python3
"""Listing a large bucket through a real maxiod: every key exactly once, in order, for
ListObjectsV2 with and without the "/" delimiter, ListObjects V1 and ListObjectVersions,
over a flat directory and a nested layout, with the daemon's memory bounded.

The bucket is filled by populate_bucket (tests/bench) straight through the object layer,
on /dev/shm when it exists (no disk, fast to remove). MAXIO_LISTING_OBJECTS sets the key
count (default 100000; tests/bench/list_bench.py measures a million).
"""

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "bench"))
import list_bench  # noqa: E402

OBJECTS = int(os.environ.get("MAXIO_LISTING_OBJECTS", "100000"))
# A walk holds one directory's entries at a time: a flat directory of 100k keys needs a few
# tens of MiB. The bound catches a listing that keeps pages, keys or walks around.
MAX_RSS_MIB = 64 + OBJECTS * 200 / 2**20


class ListingScaleTest(unittest.TestCase):
    def setUp(self):
        base = "/dev/shm" if os.path.isdir("/dev/shm") else None
        self.tmp = tempfile.mkdtemp(prefix="maxio-listing-", dir=base)

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def serve(self, layout):
        drive = os.path.join(self.tmp, layout)
        os.makedirs(drive)
        subprocess.run([os.environ["POPULATE_BUCKET"], "--bucket", "bench", "--objects",
                        str(OBJECTS), "--layout", layout, drive], check=True,
                       stderr=subprocess.DEVNULL)
        port = list_bench.free_port()
        env = dict(os.environ, MAXIO_ROOT_USER=list_bench.ACCESS,
                   MAXIO_ROOT_PASSWORD=list_bench.SECRET, MAXIO_SCANNER_INTERVAL="0")
        daemon = subprocess.Popen([os.environ["MAXIOD"], "server", drive, "--address",
                                   f"127.0.0.1:{port}"], env=env, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL)
        self.addCleanup(lambda: (daemon.terminate(), daemon.wait(timeout=60)))
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                return daemon, port
            except OSError:
                time.sleep(0.1)
        self.fail("maxiod did not start")

    def check_layout(self, layout):
        daemon, port = self.serve(layout)
        want = list_bench.expected_keys(OBJECTS, layout == "nested")
        for kind, delimiter in (("v2", ""), ("v2", "/"), ("v1", ""), ("versions", "")):
            with self.subTest(layout=layout, kind=kind, delimiter=delimiter):
                entries, _, _, pages = list_bench.list_all(port, "bench", kind, delimiter)
                if delimiter and layout == "nested":
                    expect = sorted({k.split(b"/")[0] + b"/" for k in want})
                else:
                    expect = want
                self.assertEqual(len(entries), len(expect))
                self.assertTrue(entries == expect, "keys missing, repeated or out of order")
                self.assertEqual(pages, max(1, -(-len(expect) // 1000)))
        rss = list_bench.peak_rss_mib(daemon.pid)
        self.assertLess(rss, MAX_RSS_MIB, f"maxiod peak RSS {rss:.0f} MiB")

    def test_flat(self):
        self.check_layout("flat")

    def test_nested(self):
        self.check_layout("nested")


if __name__ == "__main__":
    unittest.main(verbosity=2)
