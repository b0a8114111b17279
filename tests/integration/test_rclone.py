#!/usr/bin/env python3
"""rclone against a real maxiod (remote "maxio:" configured purely by environment).

--s3-upload-cutoff 5G keeps every upload here a single PUT (test_multipart.py covers
rclone's multipart uploads).
"""

import hashlib
import json
import os
import shutil
import sys
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import DaemonTestCase, deterministic_bytes, make_tree, read_tree, run  # noqa: E402

RCLONE = os.environ.get("RCLONE") or shutil.which("rclone")
COMMON = ["--s3-upload-cutoff", "5G", "--retries", "1", "--low-level-retries", "1",
          "--contimeout", "10s", "--timeout", "60s"]


def tree_files():
    return {
        "root.txt": b"root\n",
        "empty.dat": b"",
        "d1/x.bin": deterministic_bytes(512 * 1024 + 3, seed=41),
        "d1/d2/y.txt": b"why\n" * 50,
        "d1/d2/d3/z.txt": b"zed",
        "spaced dir/plus+file.txt": b"plus",
        "ünïcødé/ファイル.txt": "unicode".encode(),
        "big.bin": deterministic_bytes(12 * 1024 * 1024 + 1, seed=42),
    }


class RcloneTest(DaemonTestCase):
    @classmethod
    def setUpClass(cls):
        if not RCLONE or not os.access(RCLONE, os.X_OK):
            raise AssertionError(f"rclone not found (RCLONE={RCLONE!r})")
        super().setUpClass()
        cls.env = cls.daemon.rclone_env()
        cls.work = os.path.join(cls.daemon.client_dir, "rclone-work")
        os.makedirs(cls.work)

    def rclone(self, *args, check=True):
        return run([RCLONE, *COMMON, *args], env=self.env, check=check)

    def test_workflow(self):
        b = f"it-rclone-{uuid.uuid4().hex[:10]}"
        src = os.path.join(self.work, "src")
        files = tree_files()
        make_tree(src, files)

        self.rclone("mkdir", f"maxio:{b}")
        p = self.rclone("lsd", "maxio:")
        self.assertIn(b, p.stdout.decode())

        self.rclone("copy", src, f"maxio:{b}/tree")
        # ls: size and path of every object
        p = self.rclone("ls", f"maxio:{b}/tree")
        listed = {}
        for line in p.stdout.decode().splitlines():
            size, path = line.strip().split(" ", 1)
            listed[path] = int(size)
        self.assertEqual(listed, {k: len(v) for k, v in files.items()})
        # lsjson -R with hashes
        p = self.rclone("lsjson", "-R", "--hash", "--files-only", f"maxio:{b}/tree")
        entries = json.loads(p.stdout.decode())
        got = {e["Path"]: (e["Size"], e.get("Hashes", {}).get("md5") or
                           e.get("Hashes", {}).get("MD5")) for e in entries}
        self.assertEqual(got, {k: (len(v), hashlib.md5(v).hexdigest())
                               for k, v in files.items()})
        # check: compares sizes and MD5 hashes
        p = self.rclone("check", src, f"maxio:{b}/tree")
        self.assertIn("0 differences found", p.stderr.decode())
        # a changed remote file is detected
        with open(os.path.join(self.work, "other"), "wb") as f:
            f.write(b"ROOT\n")
        self.rclone("copyto", os.path.join(self.work, "other"), f"maxio:{b}/tree/root.txt")
        p = self.rclone("check", src, f"maxio:{b}/tree", check=False)
        self.assertNotEqual(p.returncode, 0)
        self.assertIn("1 differences found", p.stderr.decode())
        self.rclone("copyto", os.path.join(src, "root.txt"), f"maxio:{b}/tree/root.txt")

        # cat
        p = self.rclone("cat", f"maxio:{b}/tree/d1/x.bin")
        self.assertTrue(p.stdout == files["d1/x.bin"])
        p = self.rclone("cat", f"maxio:{b}/tree/ünïcødé/ファイル.txt")
        self.assertEqual(p.stdout, "unicode".encode())

        # copy back down and compare byte for byte
        down = os.path.join(self.work, "down")
        self.rclone("copy", f"maxio:{b}/tree", down)
        self.assertEqual(read_tree(down), files)

        # delete a subtree
        self.rclone("delete", f"maxio:{b}/tree/d1")
        p = self.rclone("lsjson", "-R", "--files-only", f"maxio:{b}/tree")
        remaining = sorted(e["Path"] for e in json.loads(p.stdout.decode()))
        self.assertEqual(remaining, sorted(k for k in files if not k.startswith("d1/")))

        # purge removes the bucket with its content
        self.rclone("purge", f"maxio:{b}")
        p = self.rclone("lsd", "maxio:")
        self.assertNotIn(b, p.stdout.decode())
        s3 = self.daemon.boto3_client() if _has_boto3() else None
        if s3 is not None:
            self.assertNotIn(b, [x["Name"] for x in s3.list_buckets()["Buckets"]])


def _has_boto3():
    try:
        import boto3  # noqa: F401
        return True
    except ImportError:
        return False


if __name__ == "__main__":
    harness.main()
