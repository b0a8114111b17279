"""maxio-mount at scale: a 1 GiB file copied in and out byte-identical (as a multipart upload
of 16 MiB parts, in bounded memory), and a directory of 100,000 entries listed completely."""

import hashlib
import os
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor

from mount_harness import MountTestCase, main

GIB = 1 << 30


def peak_rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(4 << 20):
            h.update(chunk)
    return h.hexdigest()


class LargeTest(MountTestCase):
    def test_one_gib_file_in_and_out(self):
        src = os.path.join(self.work, "src.bin")
        out = os.path.join(self.work, "out.bin")
        # 1 GiB of incompressible bytes, made quickly: a 1 MiB random block, each copy
        # prefixed by its index so no two MiB are equal.
        block = os.urandom(1 << 20)
        with open(src, "wb") as f:
            for i in range(GIB >> 20):
                f.write(i.to_bytes(8, "little") + block[8:])
        want = sha256_file(src)
        t0 = time.monotonic()
        subprocess.run(["cp", src, os.path.join(self.mnt, "big.bin")], check=True)
        t1 = time.monotonic()
        self.assertEqual(os.stat(os.path.join(self.mnt, "big.bin")).st_size, GIB)
        head = self.s3.head_object(Bucket=self.bucket, Key="big.bin")
        self.assertEqual(head["ContentLength"], GIB)
        self.assertTrue(head["ETag"].endswith('-64"'), head["ETag"])  # 64 parts of 16 MiB
        subprocess.run(["cp", os.path.join(self.mnt, "big.bin"), out], check=True)
        t2 = time.monotonic()
        self.assertEqual(sha256_file(out), want)
        rss = peak_rss_kib(self.mount.proc.pid)
        print(f"\n1 GiB: write {GIB / (t1 - t0) / 1e6:.0f} MB/s, "
              f"read {GIB / (t2 - t1) / 1e6:.0f} MB/s, mount peak RSS {rss // 1024} MiB")
        self.assertLess(rss, 512 * 1024, "the mount must not hold the file in memory")
        os.unlink(src)
        os.unlink(out)
        os.unlink(os.path.join(self.mnt, "big.bin"))

    def test_hundred_thousand_entries(self):
        count = int(os.environ.get("FUSE_MANY_ENTRIES", "100000"))
        names = [f"e{i:06d}" for i in range(count)]

        def put(batch):
            client = self.daemon.boto3_client()
            for n in batch:
                client.put_object(Bucket=self.bucket, Key=f"huge/{n}", Body=b"")

        batches = [names[i::8] for i in range(8)]
        t0 = time.monotonic()
        with ThreadPoolExecutor(8) as pool:
            list(pool.map(put, batches))
        t1 = time.monotonic()
        listed = os.listdir(os.path.join(self.mnt, "huge"))
        t2 = time.monotonic()
        print(f"\n{count} entries: created in {t1 - t0:.0f} s, listed in {t2 - t1:.1f} s")
        self.assertEqual(len(listed), count)
        self.assertEqual(sorted(listed), names)


if __name__ == "__main__":
    main()
