#!/usr/bin/env python3
"""s3cmd against a real maxiod, with signature_v2 = False (SigV4) and True (SigV2)."""

import hashlib
import os
import shutil
import sys
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import DaemonTestCase, deterministic_bytes, make_tree, read_tree, run  # noqa: E402

S3CMD = os.environ.get("S3CMD") or shutil.which("s3cmd")


def tree_files():
    return {
        "a.txt": b"alpha\n",
        "empty": b"",
        "sub/b.bin": deterministic_bytes(200 * 1024, seed=8),
        "sub/deeper/c.txt": b"gamma" * 1000,
        "sp ace/d+plus.txt": b"delta",
        "big.bin": deterministic_bytes(6 * 1024 * 1024 + 5, seed=9),
    }


class S3cmdBase(DaemonTestCase):
    signature_v2 = False

    @classmethod
    def setUpClass(cls):
        if not S3CMD or not os.access(S3CMD, os.X_OK):
            raise AssertionError(f"s3cmd not found (S3CMD={S3CMD!r})")
        super().setUpClass()
        cls.cfg = cls.daemon.s3cmd_config(signature_v2=cls.signature_v2)
        cls.env = harness.clean_env()
        cls.work = os.path.join(cls.daemon.client_dir, f"s3cmd-{uuid.uuid4().hex[:6]}")
        os.makedirs(cls.work)

    def s3cmd(self, *args, check=True):
        return run([S3CMD, "-c", self.cfg, *args], env=self.env, check=check)

    def test_workflow(self):
        b = f"it-s3cmd-{'v2' if self.signature_v2 else 'v4'}-{uuid.uuid4().hex[:8]}"
        self.s3cmd("mb", f"s3://{b}")
        p = self.s3cmd("ls")
        self.assertIn(f"s3://{b}", p.stdout.decode())

        src = os.path.join(self.work, "src")
        files = tree_files()
        make_tree(src, files)

        # put / get / info
        self.s3cmd("put", os.path.join(src, "a.txt"), f"s3://{b}/single/a.txt")
        self.s3cmd("put", os.path.join(src, "big.bin"), f"s3://{b}/single/big.bin")
        self.s3cmd("put", os.path.join(src, "empty"), f"s3://{b}/single/empty")
        self.s3cmd("put", "--mime-type=text/x-custom", "--add-header=Cache-Control:no-store",
                   os.path.join(src, "a.txt"), f"s3://{b}/single/typed")
        for key, name in (("single/a.txt", "a.txt"), ("single/big.bin", "big.bin"),
                          ("single/empty", "empty")):
            out = os.path.join(self.work, f"got-{name}")
            self.s3cmd("get", "--force", f"s3://{b}/{key}", out)
            with open(out, "rb") as f:
                self.assertEqual(f.read(), files[name], key)
        p = self.s3cmd("info", f"s3://{b}/single/big.bin")
        info = p.stdout.decode()
        self.assertIn(f"{len(files['big.bin'])}", info)
        self.assertIn(hashlib.md5(files["big.bin"]).hexdigest(), info)
        p = self.s3cmd("info", f"s3://{b}/single/typed")
        info = p.stdout.decode()
        self.assertIn("text/x-custom", info)

        # ls (one level) and la
        p = self.s3cmd("ls", f"s3://{b}/single/")
        listed = {}
        for line in p.stdout.decode().splitlines():
            parts = line.split()
            listed[parts[-1]] = int(parts[2])
        self.assertEqual(listed, {f"s3://{b}/single/a.txt": 6,
                                  f"s3://{b}/single/big.bin": len(files["big.bin"]),
                                  f"s3://{b}/single/empty": 0,
                                  f"s3://{b}/single/typed": 6})
        p = self.s3cmd("ls", f"s3://{b}")
        self.assertIn("DIR", p.stdout.decode())
        self.assertIn(f"s3://{b}/single/", p.stdout.decode())
        p = self.s3cmd("la", "--recursive")
        self.assertIn(f"s3://{b}/single/big.bin", p.stdout.decode())

        # sync up, sync again (nothing to do), sync down and compare
        p = self.s3cmd("sync", src + "/", f"s3://{b}/tree/")
        p = self.s3cmd("sync", src + "/", f"s3://{b}/tree/")
        self.assertNotIn("upload:", p.stdout.decode())
        p = self.s3cmd("ls", "--recursive", f"s3://{b}/tree/")
        keys = sorted(line.split(None, 3)[3] for line in p.stdout.decode().splitlines())
        self.assertEqual(keys, sorted(f"s3://{b}/tree/{k}" for k in files))
        down = os.path.join(self.work, "down")
        os.makedirs(down)
        self.s3cmd("sync", f"s3://{b}/tree/", down + "/")
        self.assertEqual(read_tree(down), files)

        # del, recursive del, rb
        self.s3cmd("del", f"s3://{b}/single/a.txt")
        p = self.s3cmd("ls", f"s3://{b}/single/")
        self.assertNotIn("a.txt", p.stdout.decode())
        p = self.s3cmd("get", f"s3://{b}/single/a.txt", os.path.join(self.work, "gone"),
                       check=False)
        self.assertNotEqual(p.returncode, 0)
        p = self.s3cmd("rb", f"s3://{b}", check=False)
        self.assertNotEqual(p.returncode, 0)
        self.assertIn("BucketNotEmpty", (p.stdout + p.stderr).decode())
        self.s3cmd("del", "--recursive", "--force", f"s3://{b}/")
        p = self.s3cmd("ls", "--recursive", f"s3://{b}")
        self.assertEqual(p.stdout.decode().strip(), "")
        self.s3cmd("rb", f"s3://{b}")
        p = self.s3cmd("ls")
        self.assertNotIn(f"s3://{b}", p.stdout.decode())


class S3cmdSigV4Test(S3cmdBase):
    signature_v2 = False


class S3cmdSigV2Test(S3cmdBase):
    signature_v2 = True


del S3cmdBase  # only the two concrete variants run

if __name__ == "__main__":
    harness.main()
