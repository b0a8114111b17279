#!/usr/bin/env python3
"""awscli (v1 or v2) against a real maxiod.

The aws binary comes from $AWS_CLI (ctest runs this file once with awscli 1.x from the
pyenv python and once with Debian's /usr/bin/aws 2.x); $AWS_CLI_MAJOR ("1" or "2")
asserts the version. The generated AWS config sets multipart_threshold = 6GB, so every
cp/sync here is a single PUT (test_multipart.py covers awscli's multipart uploads).
"""

import hashlib
import json
import os
import shutil
import sys
import time
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import DaemonTestCase, deterministic_bytes, make_tree, read_tree, run  # noqa: E402

MiB = 1024 * 1024
AWS = os.environ.get("AWS_CLI") or shutil.which("aws")


def tree_files():
    return {
        "top.txt": b"top level\n",
        "empty.bin": b"",
        "nested/one.txt": b"one\n" * 100,
        "nested/deeper/two.bin": deterministic_bytes(300 * 1024, seed=2),
        "nested/deeper/deepest/three.txt": b"three",
        "with space/fi le+plus.txt": b"space and plus",
        "ünïcødé/ключ.txt": "unicode".encode(),
        "big/twenty-mib.bin": deterministic_bytes(20 * MiB, seed=20),
    }


class AwsCliTest(DaemonTestCase):
    @classmethod
    def setUpClass(cls):
        if not AWS or not os.access(AWS, os.X_OK):
            raise AssertionError(f"aws CLI not found (AWS_CLI={AWS!r})")
        super().setUpClass()
        cls.env = cls.daemon.aws_env()
        cls.work = os.path.join(cls.daemon.client_dir, "aws-work")
        os.makedirs(cls.work)

    def run_aws(self, *args, check=True):
        return run([AWS, "--endpoint-url", self.daemon.endpoint, *args], env=self.env,
                   check=check)

    @classmethod
    def major(cls):
        if not hasattr(cls, "_major"):
            p = run([AWS, "--version"], env=cls.daemon.aws_env())
            text = (p.stdout + p.stderr).decode()
            cls._major = int(text.split("aws-cli/")[1].split(".")[0])
            print(f"using {AWS}: {text.strip()}")
        return cls._major

    def s3api(self, *args):
        p = self.run_aws("s3api", *args)
        out = p.stdout.decode()
        return json.loads(out) if out.strip() else {}

    def bucket(self):
        name = f"it-aws-{uuid.uuid4().hex[:12]}"
        self.run_aws("s3", "mb", f"s3://{name}")
        return name

    def test_version(self):
        want = os.environ.get("AWS_CLI_MAJOR")
        if want:
            self.assertEqual(str(self.major()), want, f"{AWS} is not awscli v{want}")

    def test_s3_high_level(self):
        b = self.bucket()
        src = os.path.join(self.work, "src")
        files = tree_files()
        make_tree(src, files)

        # cp a single file up and down
        self.run_aws("s3", "cp", os.path.join(src, "top.txt"), f"s3://{b}/single/top.txt")
        out = os.path.join(self.work, "top.down")
        self.run_aws("s3", "cp", f"s3://{b}/single/top.txt", out)
        with open(out, "rb") as f:
            self.assertEqual(f.read(), files["top.txt"])
        self.run_aws("s3", "cp", os.path.join(src, "big/twenty-mib.bin"), f"s3://{b}/single/big")
        head = self.s3api("head-object", "--bucket", b, "--key", "single/big")
        self.assertEqual(head["ContentLength"], 20 * MiB)
        # single PUT => the ETag is the plain MD5
        self.assertEqual(head["ETag"],
                         f'"{hashlib.md5(files["big/twenty-mib.bin"]).hexdigest()}"')

        # cp --recursive up, then down into a fresh dir (the tree has an empty file: the
        # upload must not stall on botocore's Expect: 100-continue handling)
        t0 = time.monotonic()
        self.run_aws("s3", "cp", "--recursive", src, f"s3://{b}/tree/")
        cp_took = time.monotonic() - t0  # asserted at the end, after everything else
        down = os.path.join(self.work, "down")
        self.run_aws("s3", "cp", "--recursive", f"s3://{b}/tree/", down)
        self.assertEqual(read_tree(down), files)

        # ls
        p = self.run_aws("s3", "ls", f"s3://{b}/tree/")
        lines = p.stdout.decode().splitlines()
        dirs = sorted(line.split("PRE ")[1] for line in lines if " PRE " in line)
        plain = sorted(line.split(None, 3)[3] for line in lines if " PRE " not in line)
        self.assertEqual(dirs, sorted(["nested/", "with space/", "ünïcødé/", "big/"]))
        self.assertEqual(plain, ["empty.bin", "top.txt"])
        p = self.run_aws("s3", "ls", "--recursive", f"s3://{b}/tree/")
        listed = {}
        for line in p.stdout.decode().splitlines():
            _, _, size, key = line.split(None, 3)
            listed[key] = int(size)
        self.assertEqual(listed, {f"tree/{k}": len(v) for k, v in files.items()})
        p = self.run_aws("s3", "ls")
        self.assertIn(b, p.stdout.decode())

        # sync up: first everything, second nothing
        p = self.run_aws("s3", "sync", src, f"s3://{b}/synced")
        uploaded = [line for line in p.stdout.decode().splitlines() if "upload:" in line]
        self.assertEqual(len(uploaded), len(files), p.stdout.decode())
        p = self.run_aws("s3", "sync", src, f"s3://{b}/synced")
        self.assertNotIn("upload:", p.stdout.decode())
        # change one file, add one, delete one with --delete
        with open(os.path.join(src, "top.txt"), "wb") as f:
            f.write(b"changed top, longer than before\n")
        with open(os.path.join(src, "nested/new.txt"), "wb") as f:
            f.write(b"new")
        os.remove(os.path.join(src, "nested/one.txt"))
        p = self.run_aws("s3", "sync", "--delete", src, f"s3://{b}/synced")
        text = p.stdout.decode()
        self.assertIn(f"s3://{b}/synced/top.txt", text)
        self.assertIn(f"s3://{b}/synced/nested/new.txt", text)
        self.assertIn(f"delete: s3://{b}/synced/nested/one.txt", text)
        # sync down and compare trees
        down2 = os.path.join(self.work, "down2")
        self.run_aws("s3", "sync", f"s3://{b}/synced", down2)
        self.assertEqual(read_tree(down2), read_tree(src))

        # rm
        self.run_aws("s3", "rm", f"s3://{b}/single/top.txt")
        p = self.run_aws("s3", "rm", "--recursive", f"s3://{b}/tree/")
        self.assertEqual(p.stdout.decode().count("delete:"), len(files))
        p = self.run_aws("s3", "ls", "--recursive", f"s3://{b}/tree/", check=False)
        self.assertEqual(p.stdout.decode().strip(), "")
        self.run_aws("s3", "rm", "--recursive", f"s3://{b}/")
        self.run_aws("s3", "rb", f"s3://{b}")
        p = self.run_aws("s3", "ls", f"s3://{b}", check=False)
        self.assertNotEqual(p.returncode, 0)
        self.assertIn("NoSuchBucket", p.stderr.decode())
        self.assertLess(cp_took, 20.0, f"aws s3 cp --recursive of {len(files)} files took "
                                       f"{cp_took:.0f} s (stalled connection?)")

    def test_s3api(self):
        b = self.bucket()
        body = os.path.join(self.work, "api-body")
        data = deterministic_bytes(150 * 1024, seed=5)
        with open(body, "wb") as f:
            f.write(data)
        etag = f'"{hashlib.md5(data).hexdigest()}"'
        r = self.s3api("put-object", "--bucket", b, "--key", "api/obj one", "--body", body,
                       "--content-type", "application/x-api", "--metadata", "k1=v1,k2=v2")
        self.assertEqual(r["ETag"], etag)
        r = self.s3api("head-object", "--bucket", b, "--key", "api/obj one")
        self.assertEqual(r["ContentLength"], len(data))
        self.assertEqual(r["ContentType"], "application/x-api")
        self.assertEqual(r["Metadata"], {"k1": "v1", "k2": "v2"})
        self.assertEqual(r["ETag"], etag)
        out = os.path.join(self.work, "api-out")
        r = self.s3api("get-object", "--bucket", b, "--key", "api/obj one", out)
        self.assertEqual(r["ContentLength"], len(data))
        self.assertEqual(r["ETag"], etag)
        with open(out, "rb") as f:
            self.assertEqual(f.read(), data)
        r = self.s3api("get-object", "--bucket", b, "--key", "api/obj one", "--range",
                       "bytes=10-19", out)
        self.assertEqual(r["ContentRange"], f"bytes 10-19/{len(data)}")
        with open(out, "rb") as f:
            self.assertEqual(f.read(), data[10:20])

        r = self.s3api("copy-object", "--bucket", b, "--key", "api/copy",
                       "--copy-source", f"{b}/api/obj one")
        self.assertEqual(r["CopyObjectResult"]["ETag"], etag)
        r = self.s3api("copy-object", "--bucket", b, "--key", "api/copy-replaced",
                       "--copy-source", f"{b}/api/obj one", "--metadata-directive", "REPLACE",
                       "--metadata", "new=1", "--content-type", "text/plain")
        r = self.s3api("head-object", "--bucket", b, "--key", "api/copy-replaced")
        self.assertEqual((r["Metadata"], r["ContentType"]), ({"new": "1"}, "text/plain"))
        for i in range(5):
            self.s3api("put-object", "--bucket", b, "--key", f"api/dir/f{i}", "--body", body)

        r = self.s3api("list-objects", "--bucket", b, "--prefix", "api/")
        self.assertEqual([o["Key"] for o in r["Contents"]],
                         ["api/copy", "api/copy-replaced"] + [f"api/dir/f{i}" for i in range(5)]
                         + ["api/obj one"])
        r = self.s3api("list-objects-v2", "--bucket", b, "--prefix", "api/", "--delimiter", "/")
        self.assertEqual([o["Key"] for o in r["Contents"]],
                         ["api/copy", "api/copy-replaced", "api/obj one"])
        self.assertEqual([p["Prefix"] for p in r["CommonPrefixes"]], ["api/dir/"])
        # the CLI paginates for us with --page-size
        r = self.s3api("list-objects-v2", "--bucket", b, "--page-size", "2")
        self.assertEqual(len(r["Contents"]), 8)
        r = self.s3api("list-object-versions", "--bucket", b, "--prefix", "api/dir/")
        self.assertEqual([(v["Key"], v["VersionId"], v["IsLatest"]) for v in r["Versions"]],
                         [(f"api/dir/f{i}", "null", True) for i in range(5)])
        r = self.s3api("get-bucket-location", "--bucket", b)
        self.assertIn(r.get("LocationConstraint"), (None, ""))

        spec = json.dumps({"Objects": [{"Key": f"api/dir/f{i}"} for i in range(5)]
                           + [{"Key": "api/missing"}], "Quiet": False})
        r = self.s3api("delete-objects", "--bucket", b, "--delete", spec)
        self.assertEqual(sorted(d["Key"] for d in r["Deleted"]),
                         [f"api/dir/f{i}" for i in range(5)] + ["api/missing"])
        self.assertNotIn("Errors", r)
        r = self.s3api("list-objects-v2", "--bucket", b, "--prefix", "api/dir/")
        self.assertNotIn("Contents", r)

        p = self.run_aws("s3api", "head-object", "--bucket", b, "--key", "api/missing",
                         check=False)
        self.assertNotEqual(p.returncode, 0)
        self.assertIn("Not Found", p.stderr.decode())
        p = self.run_aws("s3api", "get-object", "--bucket", b, "--key", "api/missing", out,
                         check=False)
        self.assertNotEqual(p.returncode, 0)
        self.assertIn("NoSuchKey", p.stderr.decode())
        p = self.run_aws("s3api", "create-bucket", "--bucket", b, check=False)
        self.assertIn("BucketAlreadyOwnedByYou", p.stderr.decode())
        p = self.run_aws("s3api", "delete-bucket", "--bucket", b, check=False)
        self.assertIn("BucketNotEmpty", p.stderr.decode())

    def test_wrong_credentials(self):
        env = dict(self.env)
        env["AWS_SECRET_ACCESS_KEY"] = "wrong-" + self.daemon.secret_key
        p = run([AWS, "--endpoint-url", self.daemon.endpoint, "s3", "ls"], env=env, check=False)
        self.assertNotEqual(p.returncode, 0)
        self.assertIn("SignatureDoesNotMatch", p.stderr.decode())
        env["AWS_ACCESS_KEY_ID"] = "NOSUCHACCESSKEY12345"
        p = run([AWS, "--endpoint-url", self.daemon.endpoint, "s3", "ls"], env=env, check=False)
        self.assertIn("InvalidAccessKeyId", p.stderr.decode())


if __name__ == "__main__":
    harness.main()
