#!/usr/bin/env python3
"""Erasure-coded deployments under drive loss, bitrot and crashes, checked by behaviour.

A real maxiod runs over several drive directories (harness Daemon(drives=[...])); the
tests break drives the way operators and disks do and assert what S3 clients and the
drive directories see:
  * every GET is byte-identical (MD5 of a body re-derived from (key, size)), HEAD agrees;
  * ListObjectsV2, paginated, with and without a delimiter, returns exactly the keys;
  * below quorum the daemon answers with a clean S3 error, never wrong bytes, never a
    lie, and changes nothing on the surviving drives;
  * healing puts back every file a drive lost, byte for byte (part files, format.json;
    xl.meta at least exists).

Configurations (each one daemon; scenario code shared):
  SixDrives        6 drives, one set, EC:2 (MAXIO_STORAGE_CLASS_STANDARD), 204 objects of
                   0 B .. 1 MiB+1, three of 10 MiB and one of 100 MiB:
                   1 upload, GET and list          2 two drives lost: rm -rf, chmod 000,
                   3 three drives lost (below        replaced by empty directories
                     quorum), 3b DELETE below      4 bitrot in data shards (healed by the
                     write quorum                    GET's MRF) and parity shards (deep scan)
                   5 blank drive rebuilt live      6 kill -9 during 50 MiB PUTs
                   7 kill -9 during a drive rebuild
  TwoSetsOf8       16 drives forced into 2 sets of 8 (MAXIO_ERASURE_SET_DRIVE_COUNT=8,
                   default EC:4), and
  TwoPools         <tmp>/p1-d{1...4} <tmp>/p2-d{1...4} (EC:2 each): the core suite
                   (upload, spread over sets / pools, listing of prefixes held by one set,
                   parity's worth of drives lost per set, a blank drive per set rebuilt)

Timing knobs of the daemon are set per scenario (MAXIO_DRIVE_PROBE_INTERVAL,
MAXIO_SCANNER_INTERVAL, MAXIO_SCANNER_DEEP_EVERY); waits are polls with a bound.
Daemon logs are only used as diagnostics in failure messages.

Randomness (crash cut points) comes from one seeded RNG; the seed is printed
(override: MAXIO_ERASURE_SEED). awscli (AWS_CLI, else `aws` on PATH) lists and reads
once in a healthy and once in a degraded deployment.
"""

import functools
import hashlib
import http.client
import json
import os
import random
import shutil
import signal
import stat
import subprocess
import sys
import time
import unittest
import urllib.parse
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import Daemon, deterministic_bytes, error_code, sign_v4  # noqa: E402

KiB = 1 << 10
MiB = 1 << 20
BUCKET = "erasure"
SEED = int(os.environ.get("MAXIO_ERASURE_SEED", str(random.SystemRandom().randrange(1 << 32))))

# Sizes around the inline threshold (a shard file of 128 KiB) and the 1 MiB erasure block.
SIZES = (0, 1, 128 * KiB - 1, 128 * KiB, 128 * KiB + 1, MiB - 1, MiB, MiB + 1)
# 5 prefixes against 8 sizes: every prefix gets every size. "" is a top-level key.
PREFIXES = ("alpha/", "alpha/deep/", "beta/", "gamma/x y/", "")
LISTINGS = (("", None), ("", "/"), ("alpha/", "/"), ("gamma/x y/", None), ("alpha/deep/", "/"))

# What a drive holds outside any object's or the format's business.
EXCLUDED = (".minio.sys/tmp", ".minio.sys/multipart")
FAST = {"MAXIO_DRIVE_PROBE_INTERVAL": "300ms", "MAXIO_SCANNER_INTERVAL": "1s"}

HEAL_WAIT = 60.0     # a whole drive rebuilt
BITROT_WAIT = 20.0   # a few shards rewritten
OFFLINE_WAIT = 5.0   # the prober noticing a vanished drive


def object_set(count, ten_mib=0, hundred_mib=0):
    """{key: size}: `count` small objects cycling over SIZES and PREFIXES, plus big ones."""
    objects = {}
    for i in range(count):
        objects[f"{PREFIXES[i % len(PREFIXES)]}obj-{i:03d}"] = SIZES[i % len(SIZES)]
    for i in range(ten_mib):
        objects[f"big/10m-{i}"] = 10 * MiB + 7 * i
    for i in range(hundred_mib):
        objects[f"big/100m-{i}"] = 100 * MiB
    return objects


def body(key, size):
    """The content of key: a function of (key, size) only, so it is re-derived, not kept."""
    return deterministic_bytes(size, seed=key)


@functools.lru_cache(maxsize=None)
def md5_of(key, size):
    return hashlib.md5(body(key, size)).hexdigest()


def utf8(s):
    return s.encode("utf-8")


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while True:
            chunk = f.read(4 * MiB)
            if not chunk:
                return h.hexdigest()
            h.update(chunk)


def drive_files(drive):
    """{relative path: sha256} of every file on a drive, leaving out EXCLUDED."""
    out = {}
    for dirpath, dirnames, filenames in os.walk(drive):
        rel_dir = os.path.relpath(dirpath, drive).replace(os.sep, "/")
        rel_dir = "" if rel_dir == "." else rel_dir + "/"
        dirnames[:] = [d for d in dirnames if (rel_dir + d) not in EXCLUDED]
        for name in filenames:
            out[rel_dir + name] = sha256_file(os.path.join(dirpath, name))
    return out


def rm_rf(path):
    """`rm -rf path`, repeated while the running daemon heals files back into it (an
    online drive that loses files gets them rebuilt, even as they are being deleted)."""
    for _ in range(50):
        subprocess.run(["rm", "-rf", path], capture_output=True)
        if not os.path.exists(path):
            return
        time.sleep(0.05)
    raise AssertionError(f"rm -rf {path} does not get rid of it")


def replace_with_empty(drive):
    """A disk swap: the drive directory is at once an empty one (the old one is moved
    aside, then deleted), so the daemon never sees it half-deleted."""
    trash = drive + ".replaced"
    os.rename(drive, trash)
    os.mkdir(drive)
    shutil.rmtree(trash)


def rebuild_expectation(drive):
    """drive_files(drive) minus the object directories that hold more than one data
    directory, or one without an xl.meta: orphans of a crashed overwrite (a known
    limitation, see test_crash_safety.py; a DELETE leaves them too) that no heal
    recreates. Returns (files, orphaned object dirs)."""
    files = drive_files(drive)
    data_dirs = {}
    for rel in files:
        parts = rel.split("/")
        if len(parts) >= 3 and parts[-1].startswith("part."):
            data_dirs.setdefault("/".join(parts[:-2]), set()).add(parts[-2])
    orphaned = sorted(d for d, dirs in data_dirs.items()
                      if len(dirs) > 1 or d + "/xl.meta" not in files)
    return {rel: h for rel, h in files.items()
            if not any(rel.startswith(o + "/") for o in orphaned)}, orphaned


def describe_changes(before, after):
    """The files that differ between two drive_files() snapshots."""
    out = []
    for rel in sorted(set(before) | set(after)):
        if rel not in after:
            out.append(f"{rel} removed")
        elif rel not in before:
            out.append(f"{rel} created")
        elif before[rel] != after[rel]:
            out.append(f"{rel} modified")
    return out


def object_dir(drive, key):
    return os.path.join(drive, BUCKET, key)


def part_files(drive, key):
    """The part.1 files of key on a drive (one per data directory)."""
    d = object_dir(drive, key)
    out = []
    try:
        for name in os.listdir(d):
            p = os.path.join(d, name, "part.1")
            if os.path.isfile(p):
                out.append(p)
    except FileNotFoundError:
        pass
    return out


def flip(path, offset, count=16):
    """XORs `count` bytes at offset; returns the file's original bytes."""
    with open(path, "rb") as f:
        original = f.read()
    data = bytearray(original)
    for i in range(offset, min(offset + count, len(data))):
        data[i] ^= 0xA5
    with open(path, "r+b") as f:
        f.write(bytes(data))
        f.flush()
        os.fsync(f.fileno())
    return original


def shard_geometry(size, data_blocks, block=0):
    """(offset of the block's frame in a part file, payload bytes per shard of that
    block, object offset of the block): 32-byte HighwayHash then the shard payload."""
    full_shard = -(-MiB // data_blocks)
    block_len = min(MiB, size - block * MiB)
    return block * (32 + full_shard), -(-block_len // data_blocks), block * MiB


def wait_until(predicate, timeout, interval=0.2):
    """Polls predicate() (returning None when satisfied, else a description of what is
    missing) until it is satisfied or timeout passes. Returns (elapsed, last missing)."""
    t0 = time.monotonic()
    while True:
        missing = predicate()
        if not missing:
            return time.monotonic() - t0, None
        if time.monotonic() - t0 > timeout:
            return time.monotonic() - t0, missing
        time.sleep(interval)


def aws_cli():
    path = os.environ.get("AWS_CLI") or shutil.which("aws")
    if not path or not os.access(path, os.X_OK):
        raise AssertionError("awscli not found (set AWS_CLI or put aws on PATH); "
                             "packaging/install-deps.sh installs it")
    return path


class ErasureCase(unittest.TestCase):
    """One daemon per class over DRIVES with ENV; OBJECTS uploaded in setUpClass.
    Scenario helpers collect problems and fail once at the end of a test, so a bug found
    early does not hide the others."""

    DRIVES = ["d{1...6}"]
    ENV = {}
    OBJECTS = {}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.daemon = Daemon(drives=cls.DRIVES, extra_env=cls.ENV).start()
        cls.objects = dict(cls.OBJECTS)  # scenarios add the objects they write
        cls.client = cls.daemon.boto3_client(read_timeout=300)
        cls.client.create_bucket(Bucket=BUCKET)
        t0 = time.monotonic()
        for key, size in cls.objects.items():
            r = cls.client.put_object(Bucket=BUCKET, Key=key, Body=body(key, size))
            if r["ETag"].strip('"') != md5_of(key, size):
                raise AssertionError(f"PUT {key}: ETag {r['ETag']} is not the MD5 of the body")
        total = sum(cls.objects.values())
        print(f"\n{cls.__name__}: {len(cls.DRIVES)} pool(s), {len(cls.daemon.drives)} drives; "
              f"uploaded {len(cls.objects)} objects ({total / MiB:.0f} MiB) in "
              f"{time.monotonic() - t0:.1f} s", flush=True)
        cls.sets = cls.read_sets()

    @classmethod
    def tearDownClass(cls):
        daemon, cls.daemon = cls.daemon, None
        try:
            if daemon is not None:
                for d in daemon.drives:  # chmod 000 must not outlive a failed test
                    if os.path.isdir(d):
                        os.chmod(d, 0o755)
                daemon.stop()
        finally:
            super().tearDownClass()

    def setUp(self):
        self.problems = []
        self.t0 = time.monotonic()

    def tearDown(self):
        print(f"  [{self._testMethodName}: {time.monotonic() - self.t0:.1f} s]", flush=True)
        if self.daemon is not None and not self.daemon.alive():
            self.fail(f"maxiod is no longer running (rc={self.daemon.proc.poll()})\n"
                      f"{self.daemon.logs()}")

    # ------------------------------------------------------------------ bookkeeping
    def problem(self, msg):
        self.problems.append(msg)

    def assertNoProblems(self):
        if self.problems:
            shown = self.problems[:40]
            more = len(self.problems) - len(shown)
            self.fail(f"{len(self.problems)} problem(s):\n  " + "\n  ".join(shown) +
                      (f"\n  ... and {more} more" if more > 0 else "") +
                      f"\n--- maxiod stderr, last lines (repeats folded) ---\n{self.log_tail()}")

    def log_tail(self, lines=40):
        """The daemon's last stderr lines, runs of lines alike but for their object folded."""
        try:
            with open(self.daemon.stderr_path, "rb") as f:
                text = f.read()[-200000:].decode("utf-8", "replace").splitlines()
        except OSError:
            return ""
        out, run_key, run_n = [], None, 0
        for line in text:
            words = line.split(" ")
            key = " ".join(words[1:3])  # level and the first word of the message
            if key == run_key:
                run_n += 1
                continue
            if run_n:
                out.append(f"    ... {run_n} more like it")
            out.append(line)
            run_key, run_n = key, 0
        if run_n:
            out.append(f"    ... {run_n} more like it")
        return "\n".join(out[-lines:])

    @classmethod
    def read_sets(cls):
        """The erasure sets as lists of drive paths, from each drive's format.json."""
        sets = []
        for pool in cls.daemon.pools:
            by_id = {}
            layout = None
            for d in pool:
                with open(os.path.join(d, ".minio.sys", "format.json")) as f:
                    fmt = json.load(f)
                by_id[fmt["xl"]["this"]] = d
                layout = fmt["xl"]["sets"]
            for ids in layout:
                sets.append([by_id[i] for i in ids])
        return sets

    def restart(self, env):
        """Stops the daemon (SIGTERM: it must exit 0) and starts it again on the same
        drives with ENV updated by env."""
        d = self.daemon
        d.proc.send_signal(signal.SIGTERM)
        rc = d.proc.wait(harness.STOP_TIMEOUT)
        self.assertEqual(rc, 0, f"maxiod exited with {rc} after SIGTERM\n{d.logs()}")
        d.restart(extra_env={**self.ENV, **env})

    # ------------------------------------------------------------------ S3 checks
    def get_md5(self, key, client=None):
        """(status, md5 or error code, length) of GET key."""
        from botocore.exceptions import ClientError
        try:
            r = (client or self.client).get_object(Bucket=BUCKET, Key=key)
            h = hashlib.md5()
            n = 0
            for chunk in r["Body"].iter_chunks(MiB):
                h.update(chunk)
                n += len(chunk)
            return 200, h.hexdigest(), n
        except ClientError as e:
            return (e.response["ResponseMetadata"]["HTTPStatusCode"],
                    e.response["Error"].get("Code"), 0)
        except Exception as e:  # connection reset, read timeout: never acceptable
            return 0, repr(e), 0

    def check_gets(self, where, keys=None):
        """Every object (or keys) reads back byte-identical."""
        bad = 0
        for key in sorted(keys if keys is not None else self.objects):
            size = self.objects[key]
            status, got, n = self.get_md5(key)
            if status != 200:
                self.problem(f"{where}: GET {key} -> {status} {got}")
                bad += 1
            elif got != md5_of(key, size) or n != size:
                self.problem(f"{where}: GET {key} returned WRONG BYTES ({n} bytes, md5 {got}; "
                             f"expected {size} bytes, md5 {md5_of(key, size)})")
                bad += 1
        return bad

    def list_v2(self, prefix, delimiter, page=37):
        keys, prefixes, pages, token = [], [], 0, None
        while True:
            kw = {"Bucket": BUCKET, "Prefix": prefix, "MaxKeys": page}
            if delimiter:
                kw["Delimiter"] = delimiter
            if token:
                kw["ContinuationToken"] = token
            r = self.client.list_objects_v2(**kw)
            pages += 1
            keys += [(o["Key"], o["Size"], o["ETag"].strip('"')) for o in r.get("Contents", [])]
            prefixes += [p["Prefix"] for p in r.get("CommonPrefixes", [])]
            if not r.get("IsTruncated"):
                return keys, prefixes, pages
            token = r["NextContinuationToken"]
            if pages > 1000:
                raise AssertionError("listing does not end")

    def expected_listing(self, prefix, delimiter):
        keys, prefixes = [], set()
        for k in self.objects:
            if not k.startswith(prefix):
                continue
            rest = k[len(prefix):]
            if delimiter and delimiter in rest:
                prefixes.add(prefix + rest[:rest.index(delimiter) + len(delimiter)])
            else:
                keys.append(k)
        return sorted(keys, key=utf8), sorted(prefixes, key=utf8)

    def check_listing(self, where):
        """ListObjectsV2 (37 keys a page) shows exactly the keys, in order, with their
        sizes and ETags; with a delimiter exactly the common prefixes."""
        from botocore.exceptions import ClientError
        for prefix, delimiter in LISTINGS:
            what = f"{where}: list prefix={prefix!r} delimiter={delimiter!r}"
            try:
                keys, prefixes, pages = self.list_v2(prefix, delimiter)
            except ClientError as e:
                self.problem(f"{what} -> {e.response['ResponseMetadata']['HTTPStatusCode']} "
                             f"{e.response['Error'].get('Code')}")
                continue
            want_keys, want_prefixes = self.expected_listing(prefix, delimiter)
            names = [k for k, _, _ in keys]
            if names != want_keys:
                missing = sorted(set(want_keys) - set(names))
                extra = sorted(set(names) - set(want_keys))
                dupes = sorted({n for n in names if names.count(n) > 1})
                self.problem(f"{what}: {len(names)} keys over {pages} pages, expected "
                             f"{len(want_keys)}; missing {len(missing)} (e.g. {missing[:8]}), "
                             f"extra {extra[:8]}, duplicated {dupes[:8]}, "
                             f"in order: {names == sorted(names, key=utf8)}")
            if sorted(prefixes, key=utf8) != want_prefixes or len(set(prefixes)) != len(prefixes):
                self.problem(f"{what}: common prefixes {prefixes}, expected {want_prefixes}")
            for k, size, etag in keys:
                want = (self.objects[k], md5_of(k, self.objects[k])) if k in self.objects else None
                if want and (size, etag) != want:
                    self.problem(f"{what}: {k} listed with (size, ETag) {(size, etag)}, "
                                 f"expected {want}")

    def check_everything(self, where):
        self.check_gets(where)
        self.check_listing(where)

    def put_new(self, where, tag, sizes=(100, 128 * KiB, 3 * MiB + 5)):
        """Writes new objects (inline and part file) in the current state; they must be
        acknowledged and read back."""
        for i, size in enumerate(sizes):
            key = f"written/{tag}-{i}"
            try:
                r = self.client.put_object(Bucket=BUCKET, Key=key, Body=body(key, size))
            except Exception as e:
                self.problem(f"{where}: PUT {key} ({size} bytes) failed: {e}")
                continue
            if r["ETag"].strip('"') != md5_of(key, size):
                self.problem(f"{where}: PUT {key}: ETag {r['ETag']} is not the body's MD5")
            self.objects[key] = size
            self.check_gets(f"{where} (just written)", [key])

    def awscli_check(self, where, keys):
        """awscli lists the bucket (paginating itself) and reads `keys` byte-identical."""
        aws = aws_cli()
        env = self.daemon.aws_env()
        p = harness.run([aws, "--endpoint-url", self.daemon.endpoint, "s3api",
                         "list-objects-v2", "--bucket", BUCKET, "--page-size", "50",
                         "--output", "json"], env=env)
        listed = [o["Key"] for o in json.loads(p.stdout or b"{}").get("Contents", [])]
        if sorted(listed) != sorted(self.objects):
            self.problem(f"{where}: awscli lists {len(listed)} keys, expected "
                         f"{len(self.objects)}; missing "
                         f"{sorted(set(self.objects) - set(listed))[:8]}")
        for key in keys:
            out = os.path.join(self.daemon.client_dir, "aws-get.out")
            harness.run([aws, "--endpoint-url", self.daemon.endpoint, "s3api", "get-object",
                         "--bucket", BUCKET, "--key", key, out], env=env)
            with open(out, "rb") as f:
                got = hashlib.md5(f.read()).hexdigest()
            os.remove(out)
            if got != md5_of(key, self.objects[key]):
                self.problem(f"{where}: awscli get-object {key} returned wrong bytes")

    # ------------------------------------------------------------------ drive checks
    def holders(self, key):
        """Drives holding key's xl.meta."""
        return [d for d in self.daemon.drives
                if os.path.isfile(os.path.join(object_dir(d, key), "xl.meta"))]

    def restored(self, drive, before, verified):
        """None when every file of `before` ({rel: sha256}) is back on drive with the same
        bytes (xl.meta: present), else a description of what is not. `verified` caches
        files already found right."""
        missing, different = [], []
        for rel, digest in before.items():
            if rel in verified:
                continue
            p = os.path.join(drive, rel)
            if not os.path.isfile(p):
                missing.append(rel)
            elif rel.endswith("xl.meta") or sha256_file(p) == digest:
                verified.add(rel)
            else:
                different.append(rel)
        if not missing and not different:
            return None
        return (f"{len(missing)} file(s) missing (e.g. {missing[:5]}), {len(different)} with "
                f"other bytes (e.g. {different[:5]})")

    def expect_rebuild(self, drive):
        files, orphaned = rebuild_expectation(drive)
        if orphaned:
            print(f"  note: {os.path.basename(drive)} holds orphaned data directories in "
                  f"{orphaned}; those objects are not expected back byte for byte", flush=True)
        return files

    def wait_restored(self, drives_before, where, timeout=HEAL_WAIT):
        """Polls until every drive in drives_before ({drive: {rel: sha256}}) has its files
        back; records a problem when the bound passes. Returns the elapsed time."""
        verified = {d: set() for d in drives_before}

        def check():
            out = []
            for d, before in drives_before.items():
                r = self.restored(d, before, verified[d])
                if r:
                    out.append(f"{os.path.basename(d)}: {r}")
            return "; ".join(out) or None

        elapsed, missing = wait_until(check, timeout, interval=0.25)
        if missing:
            self.problem(f"{where}: not restored within {timeout:.0f} s: {missing}")
        else:
            same = sum(1 for d, before in drives_before.items() for rel, digest in before.items()
                       if rel.endswith("xl.meta") and
                       sha256_file(os.path.join(d, rel)) == digest)
            total = sum(1 for before in drives_before.values() for rel in before
                        if rel.endswith("xl.meta"))
            print(f"  {where}: {sum(len(b) for b in drives_before.values())} files restored "
                  f"in {elapsed:.1f} s ({same}/{total} xl.meta byte-identical)", flush=True)
        return elapsed

    def wait_on_all_drives(self, keys, where, timeout=30.0):
        """Polls until every key in keys has xl.meta (and, for part-file objects, part.1)
        on every drive of its set."""
        def check():
            out = []
            for key in keys:
                held = self.holders(key)
                members = next((s for s in self.sets if held and held[0] in s), None)
                if not members or sorted(held) != sorted(members):
                    out.append(f"{key} on {len(held)} drives")
                    continue
                parts = [d for d in members if part_files(d, key)]
                if parts and len(parts) != len(members):
                    out.append(f"{key}: part.1 on {len(parts)} of {len(members)} drives")
            return "; ".join(out[:10]) or None

        elapsed, missing = wait_until(check, timeout, interval=0.25)
        if missing:
            self.problem(f"{where}: not on every drive of its set within {timeout:.0f} s: "
                         f"{missing}")
        return elapsed

    # ------------------------------------------------------------------ shared scenarios
    def scenario_upload_read_list(self):
        # one deployment: every drive of every pool carries the same deployment ID (MinIO
        # refuses to start on pools whose IDs differ)
        ids = {}
        for d in self.daemon.drives:
            with open(os.path.join(d, ".minio.sys", "format.json")) as f:
                ids.setdefault(json.load(f)["id"], []).append(os.path.basename(d))
        if len(ids) != 1:
            self.problem(f"format.json: {len(ids)} deployment IDs in one deployment: {ids}")
        for key in self.objects:
            if not self.holders(key):
                self.problem(f"upload: {key} is on no drive")
        self.check_everything("healthy")

    def scenario_spread(self):
        """Each object is on every drive of exactly one set; every set and pool holds some."""
        per_set = [0] * len(self.sets)
        for key in self.objects:
            held = sorted(self.holders(key))
            matches = [i for i, s in enumerate(self.sets) if sorted(s) == held]
            if len(matches) != 1:
                self.problem(f"spread: {key} is on {[os.path.basename(d) for d in held]}, not "
                             f"on all drives of exactly one set")
                continue
            per_set[matches[0]] += 1
        pool_of = {d: p for p, pool in enumerate(self.daemon.pools) for d in pool}
        per_pool = [0] * len(self.daemon.pools)
        for i, s in enumerate(self.sets):
            per_pool[pool_of[s[0]]] += per_set[i]
        print(f"  objects per set: {per_set}; per pool: {per_pool}", flush=True)
        # Sets: a hash of the key; pools: random, weighted by free space (MinIO's
        # getAvailablePoolIdx), and these pools share one file system. Either way each gets
        # about its share: below 40 % of it is a placement bug, not chance (for 122 objects
        # over 2, fewer than 25 in one has a probability under 1e-10).
        total = sum(per_set)
        for what, counts in (("set", per_set), ("pool", per_pool)):
            floor = 0.4 * total / len(counts)
            for i, n in enumerate(counts):
                if n < floor:
                    self.problem(f"spread: {what} {i + 1} holds {n} of {total} objects, under "
                                 f"40 % of an even share (per {what}: {counts})")

    def scenario_prefix_in_one_set(self):
        """Common prefixes whose keys all live in one set (or pool) are listed: 12 prefixes
        of one key each, so some are held by each set (all in one: 1 in 2^11 for 2 sets)."""
        keys = [f"lonely/p{i:02d}/obj" for i in range(12)]
        for key in keys:
            self.client.put_object(Bucket=BUCKET, Key=key, Body=body(key, 10))
            self.objects[key] = 10
        where = {}
        for key in keys:
            held = self.holders(key)
            where[key] = next((i + 1 for i, s in enumerate(self.sets) if held and held[0] in s), 0)
        per_set = [list(where.values()).count(i + 1) for i in range(len(self.sets))]
        if sum(1 for n in per_set if n) < 2:
            print(f"  note: all single-key prefixes landed in one set ({per_set}): this check "
                  f"proves nothing here", flush=True)
        _, prefixes, _ = self.list_v2("lonely/", "/", page=5)
        want = sorted(k[:k.rindex("/") + 1] for k in keys)
        missing = sorted(set(want) - set(prefixes))
        if missing or sorted(prefixes) != want:
            self.problem(f"list prefix='lonely/' delimiter='/': missing common prefixes "
                         f"{[(p, 'set %d' % where[p + 'obj']) for p in missing]} (got "
                         f"{len(prefixes)} of {len(want)}; keys per set: {per_set})")
        self.check_listing("single-key prefixes")

    def scenario_lose_drives(self, per_set):
        """Renames `per_set` drives of every set away (parity's worth): every GET and listing
        stays exact, the daemon notices, and the drives rejoin when put back."""
        lost = [d for s in self.sets for d in s[-per_set:]]
        try:
            for d in lost:
                os.rename(d, d + ".away")
            self.check_everything(f"{len(lost)} drives away, daemon unaware")
            time.sleep(1.0)  # > probe interval: the drives are offline now
            self.check_everything(f"{len(lost)} drives away and offline")
        finally:
            for d in lost:
                if os.path.isdir(d + ".away"):
                    os.rename(d + ".away", d)
        time.sleep(1.0)  # > probe interval: the drives are online again
        # back online: a new object must reach every drive of its set again
        self.put_new("drives back", f"back-{per_set}")
        self.wait_on_all_drives([k for k in self.objects
                                 if k.startswith(f"written/back-{per_set}")], "drives back")
        self.check_everything("drives back")

    def scenario_blank_one_drive_per_set(self):
        """A drive of every set replaced by an empty directory while running: every file it
        had comes back."""
        victims = [s[len(s) // 2] for s in self.sets]
        before = {d: self.expect_rebuild(d) for d in victims}
        for d in victims:
            replace_with_empty(d)
        self.check_gets("a drive per set blank")
        self.wait_restored(before, "blank drive per set")
        self.check_everything("after heal")


class SixDrives(ErasureCase):
    """Scenarios 1-7 on one set of 6 drives with EC 4+2."""

    DRIVES = ["d{1...6}"]
    ENV = {"MAXIO_STORAGE_CLASS_STANDARD": "EC:2", **FAST}
    OBJECTS = object_set(200, ten_mib=3, hundred_mib=1)
    DATA_BLOCKS = 4

    # ------------------------------------------------------------------ 1
    def test_1_upload_read_list(self):
        self.scenario_upload_read_list()
        self.awscli_check("healthy", ["big/10m-0", "obj-004"])
        self.assertNoProblems()

    # ------------------------------------------------------------------ 2
    def test_2_two_drives_lost_three_ways(self):
        d = self.daemon.drives
        # a) rm -rf of two drive directories (kept aside to put back afterwards)
        pair = [d[0], d[1]]
        for p in pair:
            shutil.copytree(p, p + ".backup", symlinks=True,
                            ignore=lambda d, names: names if d.endswith("tmp") else [])
            rm_rf(p)
        try:
            self.check_everything("rm -rf d1 d2")
            self.put_new("rm -rf d1 d2", "rm")
        finally:
            for p in pair:
                if os.path.isdir(p + ".backup"):
                    os.rename(p + ".backup", p)
        # the drives rejoin: what was written meanwhile reaches them
        self.wait_on_all_drives([k for k in self.objects if k.startswith("written/rm-")],
                                "d1 d2 put back")
        self.check_everything("d1 d2 put back")

        # b) chmod 000 (no effect as root, access denied otherwise)
        pair = [d[2], d[3]]
        modes = {p: stat.S_IMODE(os.stat(p).st_mode) for p in pair}
        for p in pair:
            os.chmod(p, 0)
        try:
            self.check_everything("chmod 000 d3 d4")
            self.put_new("chmod 000 d3 d4", "chmod")
        finally:
            for p, mode in modes.items():
                os.chmod(p, mode)
        self.wait_on_all_drives([k for k in self.objects if k.startswith("written/chmod-")],
                                "d3 d4 readable again")
        self.check_everything("d3 d4 readable again")

        # c) two drives replaced by empty directories: read, write, then rebuilt
        pair = [d[4], d[5]]
        before = {p: self.expect_rebuild(p) for p in pair}
        for p in pair:
            replace_with_empty(p)
        self.check_everything("d5 d6 replaced by empty directories")
        self.awscli_check("d5 d6 empty", ["big/100m-0", "alpha/obj-005"])
        self.put_new("d5 d6 empty", "empty")
        self.wait_restored(before, "d5 d6 rebuilt")
        self.wait_on_all_drives(list(self.objects), "d5 d6 rebuilt")
        self.check_everything("d5 d6 rebuilt")
        self.assertNoProblems()

    # ------------------------------------------------------------------ 3
    def below_quorum_checks(self, where, expect_503):
        """With 3 of 6 drives gone: reads and writes fail cleanly; nothing lies."""
        sample = [k for k in sorted(self.objects) if k.startswith(("alpha/obj", "big/10m-0"))][:14]
        answers = {}  # "GET -> 404 NoSuchKey" -> [keys]
        for key in sample:
            path = "/" + BUCKET + "/" + urllib.parse.quote(key)
            status, _, data = self.daemon.raw_request("GET", path)
            if status == 200:
                wrong = hashlib.md5(data).hexdigest() != md5_of(key, self.objects[key])
                answers.setdefault(f"GET -> 200 {'WRONG BYTES' if wrong else ''}", []).append(key)
            else:
                answers.setdefault(f"GET -> {status} {error_code(data)}", []).append(key)
            status, _, _ = self.daemon.raw_request("HEAD", path)
            answers.setdefault(f"HEAD -> {status}", []).append(key)
        print(f"  {where}: " + "; ".join(f"{a} x{len(k)}" for a, k in sorted(answers.items())),
              flush=True)
        for answer, keys in sorted(answers.items()):
            status = int(answer.split()[2])
            if status == 200:
                bad = "returned bytes from 3 shards of a 4+2 object"
            elif status == 404:
                bad = ("reports existing objects as absent (a 404 is a definite answer; MinIO "
                       "says 503 below read quorum)")
            elif status < 500 or answer.endswith("None"):
                bad = "is not a clean 5xx S3 error"
            elif expect_503 and answer.startswith("GET") and answer != "GET -> 503 SlowDownRead":
                bad = "is not 503 SlowDownRead"
            elif expect_503 and answer.startswith("HEAD") and answer != "HEAD -> 503":
                bad = "is not 503"
            else:
                continue
            self.problem(f"{where}: {answer} for {len(keys)} of {len(sample)} existing objects "
                         f"(e.g. {keys[0]}): {bad}")
        for key, size in (("below-quorum/new", 5000), ("alpha/obj-000", 777),
                          ("below-quorum/big", 3 * MiB)):
            status, _, data = self.daemon.raw_request("PUT", "/" + BUCKET + "/" + key,
                                                      body=body("x" + key, size))
            if status < 500 or error_code(data) is None:
                self.problem(f"{where}: PUT {key} -> {status} {error_code(data)}, expected a "
                             f"clean 5xx (503 SlowDownWrite)")
        status, _, data = self.daemon.raw_request("GET", "/" + BUCKET,
                                                  query="list-type=2&max-keys=1000")
        if status == 200:
            n = data.count(b"<Key>")
            if n != len(self.objects):
                self.problem(f"{where}: ListObjectsV2 -> 200 with {n} of {len(self.objects)} "
                             f"keys (below read quorum a listing must fail, not hide objects)")
        elif status < 500:
            self.problem(f"{where}: ListObjectsV2 -> {status} {error_code(data)}")
        if not self.daemon.alive():
            self.fail(f"{where}: maxiod died\n{self.daemon.logs()}")

    def three_drives_away(self, where, wait_offline):
        d = self.daemon.drives
        gone, kept = d[:3], d[3:]
        before = {k: drive_files(k) for k in kept}
        for g in gone:
            os.rename(g, g + ".away")
        try:
            if wait_offline:
                # the prober marks the drives offline; from then on GET must say 503
                def offline():
                    s, _, _ = self.daemon.raw_request("GET", f"/{BUCKET}/alpha/obj-005")
                    return None if s == 503 else f"GET -> {s}"
                elapsed, missing = wait_until(offline, OFFLINE_WAIT, 0.1)
                if missing:
                    self.problem(f"{where}: {OFFLINE_WAIT:.0f} s after 3 drives vanished, "
                                 f"{missing}, expected 503")
                time.sleep(2.5)  # scanner cycles run with 3 drives offline
            self.below_quorum_checks(where, expect_503=wait_offline)
        finally:
            for g in gone:
                if os.path.isdir(g + ".away"):
                    os.rename(g + ".away", g)
        # back: reads work again (the prober may need a cycle)
        def readable():
            s, _, _ = self.daemon.raw_request("GET", f"/{BUCKET}/alpha/obj-005")
            return None if s == 200 else f"GET -> {s}"
        _, missing = wait_until(readable, OFFLINE_WAIT, 0.1)
        if missing:
            self.problem(f"{where}: drives put back, still {missing}")
        time.sleep(1.5)  # a scanner cycle with everything back
        for k in kept:
            changes = describe_changes(before[k], drive_files(k))
            if changes:
                self.problem(f"{where}: surviving drive {os.path.basename(k)} changed: "
                             f"{changes[:10]}")
        self.check_everything(f"{where}, drives put back")

    def test_3_three_drives_lost(self):
        # a) before the prober runs: requests find the vanished drives themselves (a drive
        #    without .minio.sys answers "drive gone" and goes offline); the prober brings
        #    them back once they return
        self.restart({"MAXIO_DRIVE_PROBE_INTERVAL": "2s"})
        self.three_drives_away("3 drives away, daemon unaware", wait_offline=False)
        # b) the prober marked them offline
        self.restart({})
        self.three_drives_away("3 drives away and offline", wait_offline=True)
        self.assertNoProblems()

    def test_3b_delete_below_write_quorum_deletes_nothing(self):
        """A DELETE refused for lack of write quorum must leave the object in place."""
        key = "alpha/obj-010"
        d = self.daemon.drives
        gone, kept = d[:3], d[3:]
        before = {k: drive_files(k) for k in kept}
        for g in gone:
            os.rename(g, g + ".away")
        try:
            def offline():
                s, _, _ = self.daemon.raw_request("GET", f"/{BUCKET}/{key}")
                return None if s >= 500 else f"GET -> {s}"
            wait_until(offline, OFFLINE_WAIT, 0.1)
            status, _, data = self.daemon.raw_request("DELETE", f"/{BUCKET}/{key}")
            if status < 500:
                self.problem(f"DELETE {key} with 3 of 6 drives -> {status} {error_code(data)}, "
                             f"expected a 5xx")
            for k in kept:
                changes = describe_changes(before[k], drive_files(k))
                if changes:
                    self.problem(f"DELETE answered {status} {error_code(data)} but changed "
                                 f"surviving drive {os.path.basename(k)}: {changes[:6]}")
        finally:
            for g in gone:
                if os.path.isdir(g + ".away"):
                    os.rename(g + ".away", g)
        time.sleep(2.5)  # prober and scanner cycles with every drive back
        self.check_gets("drives back after the refused DELETE", [key])
        if not self.problems:
            self.check_listing("drives back after the refused DELETE")
        else:
            # keep the rest of the class meaningful: write the object again
            self.client.put_object(Bucket=BUCKET, Key=key, Body=body(key, self.objects[key]))
        self.assertNoProblems()

    # ------------------------------------------------------------------ 4
    def shard_roles(self, key):
        """{drive: shard index} for key (a part-file object), found by comparing each
        part.1's first block with the object's bytes; parity drives get None."""
        size = self.objects[key]
        data = body(key, size)[:MiB]
        off, ss, _ = shard_geometry(size, self.DATA_BLOCKS)
        roles = {}
        for d in self.daemon.drives:
            parts = part_files(d, key)
            self.assertEqual(len(parts), 1, f"{key} on {d}: part files {parts}")
            with open(parts[0], "rb") as f:
                head = f.read(32 + 64)[32:]
            roles[d] = next((j for j in range(self.DATA_BLOCKS)
                             if data[j * ss:j * ss + 64] == head), None)
        if sorted(j for j in roles.values() if j is not None) != list(range(self.DATA_BLOCKS)):
            raise AssertionError(f"{key}: cannot tell data shards apart: {roles}")
        return roles

    def inline_roles(self, key):
        """{drive: (shard index or None, offset of the shard payload in xl.meta)}."""
        size = self.objects[key]
        data = body(key, size)
        ss = -(-size // self.DATA_BLOCKS)
        found, lengths = {}, set()
        for d in self.daemon.drives:
            with open(os.path.join(object_dir(d, key), "xl.meta"), "rb") as f:
                meta = f.read()
            lengths.add(len(meta))
            for j in range(self.DATA_BLOCKS):
                pos = meta.find(data[j * ss:j * ss + 64])
                if pos >= 0:
                    found[d] = (j, pos)
        positions = {pos for _, pos in found.values()}
        if len(found) != self.DATA_BLOCKS or len(positions) != 1 or len(lengths) != 1:
            raise AssertionError(f"{key}: inline shards not found in xl.meta: {found}")
        pos = positions.pop()
        return {d: (found[d][0] if d in found else None, pos) for d in self.daemon.drives}

    def corrupt(self, targets, data_shards):
        """Flips bytes in one shard of each target key: a data shard (read by GET) or a
        parity shard. Returns {path: original bytes}."""
        originals = {}
        drives = self.daemon.drives
        for n, key in enumerate(targets):
            size = self.objects[key]
            inline = size <= 512 * KiB
            roles = self.inline_roles(key) if inline else self.shard_roles(key)
            pick = [d for d in drives
                    if ((roles[d][0] if inline else roles[d]) is not None) == data_shards]
            drive = pick[n % len(pick)]
            if inline:
                path = os.path.join(object_dir(drive, key), "xl.meta")
                offset = roles[drive][1] + 501
            else:
                path = part_files(drive, key)[0]
                block = (size // MiB) // 2  # a middle block of multi-block objects
                off, ss, _ = shard_geometry(size, self.DATA_BLOCKS, block)
                offset = off + 32 + min(777, ss - 16)
            originals[path] = flip(path, offset)
        return originals

    def wait_files_back(self, originals, where):
        def check():
            out = []
            for path, original in originals.items():
                try:
                    with open(path, "rb") as f:
                        if f.read() == original:
                            continue
                except FileNotFoundError:
                    pass
                out.append(os.path.relpath(path, self.daemon.tmp))
            return ", ".join(out) or None
        elapsed, missing = wait_until(check, BITROT_WAIT, 0.2)
        if missing:
            self.problem(f"{where}: still corrupt (or not the original bytes) after "
                         f"{BITROT_WAIT:.0f} s: {missing}")
        else:
            print(f"  {where}: {len(originals)} shard files restored in {elapsed:.1f} s",
                  flush=True)

    def test_4_bitrot(self):
        part_keys = ["alpha/obj-005", "alpha/deep/obj-006", "beta/obj-007", "big/10m-0",
                     "big/100m-0"]
        inline_keys = ["beta/obj-002", "gamma/x y/obj-003"]
        for k in part_keys + inline_keys:
            self.assertIn(k, self.objects)
        # a) data shards, scanner off: the GET that meets the bad shard must get it healed
        self.restart({"MAXIO_SCANNER_INTERVAL": "0"})
        originals = self.corrupt(part_keys + inline_keys, data_shards=True)
        self.check_gets("data shards flipped", part_keys + inline_keys)
        self.wait_files_back(originals, "data shards healed after GET (MRF)")
        # b) parity shards (a GET does not read them), deep scanner every cycle
        self.restart({"MAXIO_SCANNER_INTERVAL": "1s", "MAXIO_SCANNER_DEEP_EVERY": "1"})
        targets = ["alpha/obj-015", "big/10m-1", "beta/obj-012"]
        originals = self.corrupt(targets, data_shards=False)
        self.check_gets("parity shards flipped", targets)
        self.wait_files_back(originals, "parity shards healed by the deep scanner")
        self.restart({})
        self.check_everything("after bitrot heal")
        self.assertNoProblems()

    # ------------------------------------------------------------------ 5
    def test_5_blank_drive_rebuilt_while_running(self):
        victim = self.daemon.drives[2]
        before = self.expect_rebuild(victim)
        self.assertIn(".minio.sys/format.json", before)
        replace_with_empty(victim)
        self.wait_restored({victim: before}, "d3 rebuilt")
        self.check_everything("d3 rebuilt")
        self.assertNoProblems()

    # ------------------------------------------------------------------ 6
    def raw_put_killed(self, key, data, cut, delay, commit=None):
        """Streams a PUT of data, stops after `cut` bytes, waits `delay` s (None: until
        `commit` drives' xl.meta of key changed, mid-commit) and kills -9."""
        d = self.daemon
        path = f"/{BUCKET}/{urllib.parse.quote(key)}"
        h = sign_v4("PUT", f"http://{d.host}:{d.port}{path}",
                    {"Host": f"{d.host}:{d.port}", "Content-Length": str(len(data))}, b"",
                    d.access_key, d.secret_key, unsigned_payload=True)
        conn = http.client.HTTPConnection(d.host, d.port, timeout=30)
        try:
            conn.putrequest("PUT", path, skip_host=True, skip_accept_encoding=True)
            for k, v in h.items():
                conn.putheader(k, v)
            conn.endheaders()
            view = memoryview(data)
            sent = 0
            while sent < cut:
                n = min(MiB, cut - sent)
                conn.send(view[sent:sent + n])
                sent += n
            if delay is not None:
                time.sleep(delay)
            else:
                metas = [os.path.join(object_dir(dr, key), "xl.meta") for dr in d.drives]
                stamp = {m: os.stat(m).st_mtime_ns if os.path.exists(m) else None
                         for m in metas}
                t0 = time.monotonic()
                while time.monotonic() - t0 < 10 and sum(
                        (os.stat(m).st_mtime_ns if os.path.exists(m) else None) != stamp[m]
                        for m in metas) < commit:
                    pass  # spin: the window is a few milliseconds
            tmp_before = {dr: set(os.listdir(os.path.join(dr, ".minio.sys", "tmp")))
                          for dr in d.drives}
            d.kill9()
        finally:
            conn.close()
        return tmp_before

    def test_6_kill9_during_put(self):
        rng = random.Random(SEED)
        print(f"  seed {SEED} (MAXIO_ERASURE_SEED={SEED} replays)", flush=True)
        old_key = "crash/overwritten"
        self.objects[old_key] = MiB + 3
        self.client.put_object(Bucket=BUCKET, Key=old_key, Body=body(old_key, MiB + 3))
        # Each round PUTs body(key, size) with a size of its own, so every version that
        # may survive is known by (key, size).
        # "mid-body": killed while the body streams in; "whole body": killed 0-600 ms after
        # the last byte (encode, fsync, commit); "commit N": killed as soon as N drives'
        # xl.meta of the key changed, in the middle of the commit of an overwrite of a
        # small version (the kill lands after exactly 3 of 6 drives in some of these).
        rounds = [("crash/new-0", "mid-body"), (old_key, "mid-body"),
                  ("crash/new-1", "whole body"), (old_key, "whole body"),
                  ("crash/new-2", "whole body")] + \
            [(old_key, f"commit {n}") for n in (2, 3) * 5]
        outcome = []
        for r, (key, how) in enumerate(rounds):
            commit = int(how.split()[1]) if how.startswith("commit") else None
            if commit and self.objects.get(key) != MiB + 3:
                self.client.put_object(Bucket=BUCKET, Key=key, Body=body(key, MiB + 3))
                self.objects[key] = MiB + 3
            size = (3 * MiB if commit else 50 * MiB) + r
            new = body(key, size)
            cut = rng.randrange(5, 45) * MiB if how == "mid-body" else size
            delay = (rng.uniform(0, 0.05) if how == "mid-body" else
                     rng.uniform(0, 0.6) if how == "whole body" else None)
            tmp_before = self.raw_put_killed(key, new, cut, delay, commit)
            del new
            self.daemon.restart()
            when = (f"once {commit} drives' xl.meta changed" if delay is None else
                    f"{delay * 1000:.0f} ms")
            where = f"round {r}: {key}, killed {when} after {cut / MiB:.0f} of {size / MiB:.0f} MiB"
            # leftovers of the killed PUT are gone after start-up
            for dr, names in tmp_before.items():
                left = names & set(os.listdir(os.path.join(dr, ".minio.sys", "tmp")))
                if left:
                    self.problem(f"{where}: .minio.sys/tmp of {os.path.basename(dr)} still holds "
                                 f"{sorted(left)}")
            allowed = {md5_of(key, size): ("new", size)}
            if key in self.objects:
                allowed[md5_of(key, self.objects[key])] = ("old", self.objects[key])
            status, _, data = self.daemon.raw_request("GET", f"/{BUCKET}/{key}", timeout=120)
            if status == 404 and key not in self.objects:
                outcome.append(f"{how}: absent")
                continue
            if status != 200:
                metas = len(self.holders(key))
                self.problem(f"{where}: GET -> {status} {error_code(data)}: neither the old nor "
                             f"the new version is readable ({metas} drives hold xl.meta); "
                             f"{self.xl_meta_split(key)}")
                outcome.append(f"{how}: UNREADABLE")
                self.objects.pop(key, None)  # gone for the checks below
                self.unreadable.append(key)
                continue
            got = hashlib.md5(data).hexdigest()
            if got not in allowed:
                self.problem(f"{where}: TORN OBJECT: {len(data)} bytes, md5 {got}, expected one "
                             f"of {sorted(allowed.values())}")
                continue
            label, got_size = allowed[got]
            outcome.append(f"{how}: {label}")
            self.objects[key] = got_size
            status, headers, _ = self.daemon.raw_request("HEAD", f"/{BUCKET}/{key}")
            if status != 200 or headers.get("etag") != f'"{got}"' or \
                    int(headers.get("content-length", -1)) != len(data):
                self.problem(f"{where}: HEAD disagrees with GET: {status} {headers.get('etag')} "
                             f"{headers.get('content-length')}")
        print(f"  outcomes: {outcome}", flush=True)
        # heal completes: what exists is on every drive, what does not is on none
        present = [k for k in self.objects if k.startswith("crash/")]
        absent = sorted({k for k, _ in rounds if k not in self.objects} - set(self.unreadable))
        self.wait_on_all_drives(present, "after the crashes")

        def remnants():
            left = [f"{k} on {len(self.holders(k))} drives" for k in absent if self.holders(k)]
            return ", ".join(left) or None
        _, left = wait_until(remnants, 20.0, 0.25)
        if left:
            self.problem(f"after the crashes: remnants of absent keys still on drives: {left}")
        self.check_everything("after the crashes")
        status, _, data = self.daemon.raw_request("GET", "/")
        if status != 200 or b".minio.sys" in data:
            self.problem(f"ListBuckets -> {status}, shows .minio.sys: {b'.minio.sys' in data}")
        # the next scenarios start from a bucket without these keys, whatever happened here
        for key in sorted({k for k, _ in rounds}):
            status, _, _ = self.daemon.raw_request("DELETE", f"/{BUCKET}/{key}")
            if status != 204:
                self.problem(f"cleanup: DELETE {key} -> {status}")
            self.objects.pop(key, None)
        self.assertNoProblems()

    unreadable = []

    def xl_meta_split(self, key):
        """Which data directory each drive's xl.meta of key refers to (xl.meta holds the
        data directory's UUID as 16 raw bytes), and which data directories each drive
        holds: the picture of a torn commit."""
        groups = {}
        for d in self.daemon.drives:
            p = os.path.join(object_dir(d, key), "xl.meta")
            try:
                with open(p, "rb") as f:
                    meta = f.read()
            except FileNotFoundError:
                meta = None
            dirs = sorted(n for n in os.listdir(object_dir(d, key))
                          if os.path.isdir(os.path.join(object_dir(d, key), n)))
            refs = [n[:8] for n in dirs if meta and uuid.UUID(n).bytes in meta]
            label = "no xl.meta" if meta is None else f"xl.meta -> {refs or '?'}"
            groups.setdefault(label, []).append(
                f"{os.path.basename(d)} (holds {[n[:8] for n in dirs]})")
        return "; ".join(f"{g}: {', '.join(v)}" for g, v in sorted(groups.items()))

    # ------------------------------------------------------------------ 7
    def test_7_kill9_during_heal(self):
        victim = self.daemon.drives[1]
        before = self.expect_rebuild(victim)
        objects_on_victim = sum(1 for r in before if r.endswith("/xl.meta"))
        self.assertGreaterEqual(objects_on_victim, 100)
        self.daemon.kill9()
        replace_with_empty(victim)
        self.daemon.restart()  # finds the blank drive, formats it, heals it at once

        def count():
            n = 0
            for _, _, files in os.walk(os.path.join(victim, BUCKET)):
                n += files.count("xl.meta")
            return n
        t0 = time.monotonic()
        n = count()
        while n < 10 and time.monotonic() - t0 < 20:
            time.sleep(0.002)
            n = count()
        self.daemon.kill9()
        at_kill = count()
        print(f"  killed {time.monotonic() - t0:.2f} s into the heal with {at_kill} of "
              f"{objects_on_victim} objects rebuilt", flush=True)
        if at_kill >= objects_on_victim:
            self.problem(f"the heal finished ({at_kill} objects) before the kill: the scenario "
                         f"did not interrupt it")
        if at_kill == 0:
            self.problem("no object was rebuilt within 20 s of the start with a blank drive")
        self.daemon.restart()
        self.wait_restored({victim: before}, "d2 rebuilt after a kill -9 mid-heal")
        self.check_everything("after the interrupted heal")
        self.assertNoProblems()


class TwoSetsOf8(ErasureCase):
    """Scenario 8a: 16 drives in 2 sets of 8, default parity EC:4."""

    DRIVES = ["d{1...16}"]
    ENV = {"MAXIO_ERASURE_SET_DRIVE_COUNT": "8", **FAST}
    OBJECTS = object_set(120, ten_mib=2)

    def test_1_upload_read_list(self):
        self.assertEqual(len(self.sets), 2)
        self.assertEqual([len(s) for s in self.sets], [8, 8])
        self.scenario_upload_read_list()
        self.assertNoProblems()

    def test_2_spread_over_sets(self):
        self.scenario_spread()
        self.assertNoProblems()

    def test_2b_prefix_held_by_one_set_is_listed(self):
        self.scenario_prefix_in_one_set()
        self.assertNoProblems()

    def test_3_lose_4_drives_per_set(self):
        self.scenario_lose_drives(per_set=4)
        self.assertNoProblems()

    def test_4_blank_drive_per_set_healed(self):
        self.scenario_blank_one_drive_per_set()
        self.assertNoProblems()


class TwoPools(ErasureCase):
    """Scenario 8b: two pools of 4 drives (one set each, default EC:2)."""

    DRIVES = ["p1-d{1...4}", "p2-d{1...4}"]
    ENV = dict(FAST)
    OBJECTS = object_set(120, ten_mib=2)

    def test_1_upload_read_list(self):
        self.assertEqual(len(self.sets), 2)
        self.scenario_upload_read_list()
        self.assertNoProblems()

    def test_2_spread_over_pools(self):
        self.scenario_spread()
        self.assertNoProblems()

    def test_2b_prefix_held_by_one_pool_is_listed(self):
        self.scenario_prefix_in_one_set()
        self.assertNoProblems()

    def test_3_lose_2_drives_per_pool(self):
        self.scenario_lose_drives(per_set=2)
        self.assertNoProblems()

    def test_4_blank_drive_per_pool_healed(self):
        self.scenario_blank_one_drive_per_set()
        self.assertNoProblems()


if __name__ == "__main__":
    harness.require_boto3()
    harness.main()
