#!/usr/bin/env python3
"""Crash safety: kill -9 at a random moment leaves the old object or the new one, never a
torn one, and leftovers in .minio.sys/tmp are deleted at start-up.

Every scenario SIGKILLs a real maxiod while writes or deletes are in flight, restarts it
on the same drive (harness Daemon.kill9() / restart()) and checks, through the S3 API and
on the file system:
  * GET returns exactly one of the versions that may legitimately be there (MD5);
  * HEAD's ETag and Content-Length agree with the body;
  * ListObjectsV2 shows each key exactly once, with the size and ETag GET sees;
  * <drive>/.minio.sys/tmp is empty after start-up.

Randomness comes from one seeded RNG; the seed is printed (override: MAXIO_CRASH_SEED).
Iteration count: MAXIO_CRASH_ITERATIONS (default 30).
"""

import hashlib
import http.client
import os
import random
import re
import sys
import threading
import time
import urllib.parse
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import S3_NS, DaemonTestCase, deterministic_bytes, sign_v4  # noqa: E402

MiB = 1 << 20
SEED = int(os.environ.get("MAXIO_CRASH_SEED", str(random.SystemRandom().randrange(1 << 32))))
ITERATIONS = int(os.environ.get("MAXIO_CRASH_ITERATIONS", "30"))
UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")

# key -> (size of version A, size of version B, upload style). A and B differ in content
# and size, and stay in the same storage class (inline / part.1).
LOOP_KEYS = {
    "crash/empty": (0, 7, "length"),
    "crash/b100": (100, 101, "length"),
    "crash/inline128k": (131072, 131071, "length"),
    "crash/part3m": (3 * MiB + 5, 3 * MiB + 4099, "length"),
    # unknown length (Transfer-Encoding: chunked): always stored in part.1
    "crash/chunked64k": (64 * 1024, 64 * 1024 + 33, "chunked"),
}


def md5hex(data):
    return hashlib.md5(data).hexdigest()


class Client:
    """A small keep-alive S3 client (http.client + botocore SigV4, UNSIGNED-PAYLOAD)."""

    def __init__(self, daemon, timeout=60):
        self.d = daemon
        self.timeout = timeout
        self.conn = None

    def close(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def _headers(self, method, path, query, headers, unsigned):
        d = self.d
        h = dict(headers or {})
        h["Host"] = f"{d.host}:{d.port}"
        url = f"http://{d.host}:{d.port}{path}" + (f"?{query}" if query else "")
        return sign_v4(method, url, h, b"", d.access_key, d.secret_key,
                       unsigned_payload=unsigned)

    def request(self, method, path, query="", headers=None, body=b"", chunked=False,
                retry=True):
        """Returns (status, lower-cased headers, body). body may be bytes or, with
        chunked=True, an iterable of bytes sent with Transfer-Encoding: chunked."""
        h = dict(headers or {})
        if chunked:
            h["Transfer-Encoding"] = "chunked"
        elif method in ("PUT", "POST") or body:
            h["Content-Length"] = str(len(body))
        if method == "POST" and body:
            # DeleteObjects: sign the payload
            d = self.d
            h["Host"] = f"{d.host}:{d.port}"
            url = f"http://{d.host}:{d.port}{path}" + (f"?{query}" if query else "")
            h = sign_v4(method, url, h, body, d.access_key, d.secret_key)
        else:
            h = self._headers(method, path, query, h, unsigned=True)
        for attempt in (0, 1):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.d.host, self.d.port,
                                                       timeout=self.timeout)
            try:
                self.conn.putrequest(method, path + (f"?{query}" if query else ""),
                                     skip_host=True, skip_accept_encoding=True)
                for k, v in h.items():
                    self.conn.putheader(k, v)
                self.conn.endheaders()
                if chunked:
                    for piece in body:
                        if piece:
                            self.conn.send(b"%x\r\n" % len(piece) + piece + b"\r\n")
                    self.conn.send(b"0\r\n\r\n")
                elif body:
                    self.conn.send(body)
                resp = self.conn.getresponse()
                data = resp.read()
                if resp.will_close:
                    self.close()
                return resp.status, {k.lower(): v for k, v in resp.getheaders()}, data
            except (ConnectionError, http.client.HTTPException, OSError):
                self.close()
                if attempt or not retry or chunked:
                    raise
        raise AssertionError("unreachable")

    def put(self, bucket, key, data, chunked=False):
        if chunked:
            pieces = (data[i:i + 10000] for i in range(0, len(data), 10000))
            return self.request("PUT", f"/{bucket}/{key}", body=pieces, chunked=True)
        return self.request("PUT", f"/{bucket}/{key}", body=data)

    def get(self, bucket, key):
        return self.request("GET", f"/{bucket}/{key}")

    def head(self, bucket, key):
        return self.request("HEAD", f"/{bucket}/{key}")

    def list_all(self, bucket, prefix=""):
        """[(key, size, etag without quotes)] of every object under prefix."""
        out, token = [], None
        while True:
            q = {"list-type": "2", "prefix": prefix, "max-keys": "1000"}
            if token:
                q["continuation-token"] = token
            query = urllib.parse.urlencode(sorted(q.items()), quote_via=urllib.parse.quote)
            status, _, body = self.request("GET", f"/{bucket}", query=query)
            if status != 200:
                raise AssertionError(f"ListObjectsV2 -> {status} {body[:300]!r}")
            root = ET.fromstring(body)
            for c in root.iter(S3_NS + "Contents"):
                out.append((c.find(S3_NS + "Key").text, int(c.find(S3_NS + "Size").text),
                            c.find(S3_NS + "ETag").text.strip('"')))
            if root.findtext(S3_NS + "IsTruncated") != "true":
                return out
            token = root.findtext(S3_NS + "NextContinuationToken")


class CrashSafetyTest(DaemonTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        print(f"crash-safety seed: {SEED} (set MAXIO_CRASH_SEED={SEED} to replay)", flush=True)
        cls.bucket = "crash-safety"
        status, _, body = cls.daemon.raw_request("PUT", f"/{cls.bucket}")
        if status != 200:
            raise AssertionError(f"PUT bucket -> {status} {body!r}")

    # ------------------------------------------------------------------ helpers
    def client(self):
        return Client(self.daemon)

    def tmp_dir(self):
        return os.path.join(self.daemon.drive, ".minio.sys", "tmp")

    def crash_and_restart(self):
        self.daemon.kill9()
        self.daemon.restart()
        leftovers = sorted(os.listdir(self.tmp_dir()))
        self.assertEqual(leftovers, [], ".minio.sys/tmp is not empty after start-up")

    def data_dirs(self, key):
        """UUID-named subdirectories of the object's directory (its data directories)."""
        p = os.path.join(self.daemon.drive, self.bucket, key)
        try:
            return [n for n in os.listdir(p) if UUID_RE.match(n)]
        except FileNotFoundError:
            return []

    @staticmethod
    def expected_dirs(key):
        size_a, _, style = LOOP_KEYS[key]
        return 1 if size_a > 131072 or style == "chunked" else 0

    def check_object(self, c, key, allowed, where):
        """GET/HEAD of key; the body must be exactly one of `allowed` ({md5: bytes}, where
        None stands for "absent"). Returns the md5 seen (or None)."""
        status, _, body = c.get(self.bucket, key)
        if status == 404:
            self.assertIn(None, allowed, f"{where}: {key} vanished (GET 404: {body[:200]!r})")
            status, _, _ = c.head(self.bucket, key)
            self.assertEqual(status, 404, f"{where}: GET {key} is 404 but HEAD is {status}")
            return None
        self.assertEqual(status, 200, f"{where}: GET {key} -> {status} {body[:300]!r}")
        got = md5hex(body)
        if got not in allowed:
            sizes = sorted(len(v) for v in allowed.values() if v is not None)
            self.fail(f"{where}: TORN OBJECT {key}: GET returned {len(body)} bytes, md5 {got}; "
                      f"expected one of {sorted(k for k in allowed if k)} (sizes {sizes})")
        status, h, _ = c.head(self.bucket, key)
        self.assertEqual(status, 200, f"{where}: HEAD {key} -> {status}")
        self.assertEqual(h.get("etag"), f'"{got}"', f"{where}: HEAD ETag of {key} differs "
                                                   "from the MD5 of the body GET returned")
        self.assertEqual(int(h.get("content-length", -1)), len(body),
                         f"{where}: HEAD Content-Length of {key} differs from the body length")
        return got

    def check_listing(self, c, prefix, seen, where):
        """seen: {key: (size, md5) or None}: the listing must show exactly the present
        keys, each once, with the size and ETag GET saw."""
        listed = c.list_all(self.bucket, prefix)
        names = [k for k, _, _ in listed]
        dupes = sorted({k for k in names if names.count(k) > 1})
        self.assertEqual(dupes, [], f"{where}: keys listed more than once")
        expected = {k: v for k, v in seen.items() if v is not None}
        got = {k: (size, etag) for k, size, etag in listed}
        self.assertEqual(sorted(got), sorted(expected), f"{where}: listing disagrees with GET")
        for k, (size, md5) in expected.items():
            self.assertEqual(got[k], (size, md5),
                             f"{where}: listing of {k} shows (size, etag) {got[k]}, GET saw "
                             f"{(size, md5)}")

    # ------------------------------------------------------------------ 1. overwrite loop
    def test_1_kill_during_overwrites(self):
        rng = random.Random(SEED)
        versions = {}  # key -> {"A": bytes, "B": bytes}
        for key, (size_a, size_b, _) in LOOP_KEYS.items():
            a = deterministic_bytes(size_a, seed=f"A-{key}")
            b = deterministic_bytes(size_b, seed=f"B-{key}")
            self.assertNotEqual(md5hex(a), md5hex(b))
            versions[key] = {"A": a, "B": b}
        c = self.client()
        for key, v in versions.items():
            status, h, body = c.put(self.bucket, key, v["A"], chunked=LOOP_KEYS[key][2] ==
                                    "chunked")
            self.assertEqual(status, 200, f"seed PUT {key}: {body[:300]!r}")
            self.assertEqual(h.get("etag"), f'"{md5hex(v["A"])}"')
        # without a crash, an overwrite leaves exactly one data directory (none inline)
        for _ in range(2):
            for key, v in versions.items():
                for label in ("B", "A"):
                    status, _, body = c.put(self.bucket, key, v[label],
                                            chunked=LOOP_KEYS[key][2] == "chunked")
                    self.assertEqual(status, 200, body[:300])
        for key in LOOP_KEYS:
            self.assertEqual(len(self.data_dirs(key)), self.expected_dirs(key),
                             f"{key}: data directories after clean overwrites: "
                             f"{self.data_dirs(key)}")
        c.close()

        stats = {"A": 0, "B": 0, "puts_ok": 0, "puts_cut": 0}
        t0 = time.monotonic()
        for it in range(ITERATIONS):
            delay = rng.uniform(0.0, 0.3)
            stop = threading.Event()
            counters = []

            def writer(key, first):
                # Alternates B, A, B, ... (starting with the version the key does not
                # hold) until the daemon dies or stop is set.
                cl = Client(self.daemon, timeout=10)
                n = {"ok": 0, "cut": 0}
                counters.append(n)
                label = first
                try:
                    while not stop.is_set():
                        try:
                            status, _, _ = cl.request(
                                "PUT", f"/{self.bucket}/{key}",
                                body=(versions[key][label] if LOOP_KEYS[key][2] == "length"
                                      else (versions[key][label][i:i + 10000] for i in
                                            range(0, len(versions[key][label]), 10000))),
                                chunked=LOOP_KEYS[key][2] == "chunked", retry=False)
                        except (OSError, http.client.HTTPException):
                            n["cut"] += 1
                            return
                        if status != 200:
                            n["cut"] += 1
                            return
                        n["ok"] += 1
                        label = "A" if label == "B" else "B"
                finally:
                    cl.close()

            # the version each key holds now (verified by the previous iteration)
            current = getattr(self, "_current", {k: "A" for k in LOOP_KEYS})
            threads = [threading.Thread(target=writer,
                                        args=(k, "B" if current[k] == "A" else "A"),
                                        daemon=True) for k in LOOP_KEYS]
            for t in threads:
                t.start()
            time.sleep(delay)
            self.daemon.kill9()
            stop.set()
            for t in threads:
                t.join(30)
                self.assertFalse(t.is_alive(), "a writer thread hangs after the kill")
            stats["puts_ok"] += sum(n["ok"] for n in counters)
            stats["puts_cut"] += sum(n["cut"] for n in counters)

            self.daemon.restart()
            where = f"iteration {it} (kill after {delay * 1000:.0f} ms)"
            leftovers = sorted(os.listdir(self.tmp_dir()))
            self.assertEqual(leftovers, [], f"{where}: .minio.sys/tmp not empty after start-up")
            c = self.client()
            seen, new_current = {}, {}
            for key, v in versions.items():
                allowed = {md5hex(v["A"]): v["A"], md5hex(v["B"]): v["B"]}
                got = self.check_object(c, key, allowed, where)
                label = "A" if got == md5hex(v["A"]) else "B"
                new_current[key] = label
                stats[label] += 1
                seen[key] = (len(v[label]), got)
            self.check_listing(c, "crash/", seen, where)
            c.close()
            self._current = new_current
        # Extra data directories are orphans from a kill between the data move and the
        # xl.meta commit, or during the removal of the replaced one (documented as not
        # cleaned up yet): reported, not failed.
        orphans = {k: len(self.data_dirs(k)) - self.expected_dirs(k) for k in LOOP_KEYS}
        stats["orphan_dirs"] = sum(orphans.values())
        print(f"orphaned data directories left on the drive per key: {orphans}", flush=True)
        print(f"{ITERATIONS} kill -9 iterations in {time.monotonic() - t0:.1f} s: "
              f"{stats['puts_ok']} PUTs acknowledged, {stats['puts_cut']} cut by the kill; "
              f"after restart {stats['A']} keys held A and {stats['B']} held B; "
              f"{stats['orphan_dirs']} orphaned data directories seen (known limitation)",
              flush=True)
        # the loop must actually have exercised overwrites
        self.assertGreater(stats["puts_ok"], 0, "no overwrite completed in any iteration")

    # ------------------------------------------------------------------ 2. large PUT
    def test_2_kill_during_200mib_put(self):
        size = 200 * MiB
        rng = random.Random(SEED ^ 0x200)
        base = hashlib.shake_256(b"crash-large").digest(MiB)

        def blocks(tag):
            for i in range(size // MiB):
                b = bytearray(base)
                b[0:16] = f"{tag}:{i:08d}".encode().ljust(16, b".")
                yield bytes(b)

        old_key, new_key = "big/existing", "big/absent"
        old = deterministic_bytes(MiB + 3, seed="big-old")
        c = self.client()
        status, _, body = c.put(self.bucket, old_key, old)
        self.assertEqual(status, 200, body)
        c.close()
        for rnd in range(3):
            thresholds = {old_key: rng.randrange(1, 199) * MiB,
                          new_key: rng.randrange(1, 199) * MiB}
            paused = {k: threading.Event() for k in thresholds}
            killed = threading.Event()
            errors = {}

            def sender(key):
                d = self.daemon
                try:
                    h = sign_v4("PUT", f"http://{d.host}:{d.port}/{self.bucket}/{key}",
                                {"Host": f"{d.host}:{d.port}", "Content-Length": str(size)},
                                b"", d.access_key, d.secret_key, unsigned_payload=True)
                    conn = http.client.HTTPConnection(d.host, d.port, timeout=30)
                    conn.putrequest("PUT", f"/{self.bucket}/{key}", skip_host=True,
                                    skip_accept_encoding=True)
                    for k, v in h.items():
                        conn.putheader(k, v)
                    conn.endheaders()
                    sent = 0
                    for block in blocks(f"r{rnd}{key[-3:]}"):
                        if sent >= thresholds[key]:
                            break
                        conn.send(block)
                        sent += len(block)
                    paused[key].set()  # stop mid-body; the daemon is killed now
                    killed.wait(120)
                    conn.close()
                except (OSError, http.client.HTTPException) as e:
                    errors[key] = repr(e)
                    paused[key].set()

            threads = [threading.Thread(target=sender, args=(k,), daemon=True)
                       for k in thresholds]
            for t in threads:
                t.start()
            for k, e in paused.items():
                self.assertTrue(e.wait(120), f"sender of {k} did not reach its threshold")
            self.assertEqual(errors, {}, "a sender failed before the kill")
            time.sleep(rng.uniform(0, 0.1))  # let the daemon consume what was sent
            self.crash_and_restart()
            killed.set()
            for t in threads:
                t.join(30)
            where = (f"round {rnd} (killed after {thresholds[old_key] // MiB} / "
                     f"{thresholds[new_key] // MiB} MiB of 200)")
            c = self.client()
            self.assertEqual(self.check_object(c, new_key, {None: None}, where), None)
            self.check_object(c, old_key, {md5hex(old): old}, where)
            self.check_listing(c, "big/", {old_key: (len(old), md5hex(old)), new_key: None},
                               where)
            c.close()
            self.assertFalse(os.path.exists(os.path.join(self.daemon.drive, self.bucket,
                                                         new_key)),
                             f"{where}: the interrupted new key left a directory")
            total = 0
            for dirpath, _, files in os.walk(self.daemon.drive):
                total += sum(os.path.getsize(os.path.join(dirpath, f)) for f in files)
            self.assertLess(total, 64 * MiB,
                            f"{where}: {total} bytes on the drive: partial upload data left")
        print("200 MiB PUT killed mid-body 3 times: no partial object, tmp clean", flush=True)

    # ------------------------------------------------------------------ 3. DeleteObjects
    def test_3_kill_during_delete_objects(self):
        rng = random.Random(SEED ^ 0xDE1)
        n = 1000
        keys = [f"del/k{i:04d}" for i in range(n)]
        content = {k: deterministic_bytes(200 * 1024 + i if i % 10 == 0 else 1000 + i,
                                          seed=f"del-{k}") for i, k in enumerate(keys)}
        md5s = {k: md5hex(v) for k, v in content.items()}
        body = ("<Delete><Quiet>true</Quiet>" +
                "".join(f"<Object><Key>{k}</Key></Object>" for k in keys) +
                "</Delete>").encode()

        def seed(c, missing):
            for k in missing:
                status, _, b = c.put(self.bucket, k, content[k])
                self.assertEqual(status, 200, f"seed PUT {k}: {b[:200]!r}")

        # calibration: one uninterrupted DeleteObjects
        c = self.client()
        seed(c, keys)
        t0 = time.monotonic()
        status, _, resp = c.request("POST", f"/{self.bucket}", query="delete=", body=body)
        full = time.monotonic() - t0
        self.assertEqual(status, 200, resp[:500])
        self.assertEqual(c.list_all(self.bucket, "del/"), [])
        present = set()
        totals = []
        for rnd in range(6):
            seed(c, [k for k in keys if k not in present])
            c.close()
            delay = rng.uniform(0, full * 1.1)
            result = {}

            def deleter():
                cl = Client(self.daemon, timeout=30)
                try:
                    result["status"] = cl.request("POST", f"/{self.bucket}", query="delete=",
                                                  body=body, retry=False)[0]
                except (OSError, http.client.HTTPException) as e:
                    result["error"] = repr(e)
                finally:
                    cl.close()

            t = threading.Thread(target=deleter, daemon=True)
            t.start()
            time.sleep(delay)
            self.crash_and_restart()
            t.join(30)
            where = f"round {rnd} (kill after {delay * 1000:.1f} ms of ~{full * 1000:.0f} ms)"
            c = self.client()
            seen = {}
            for k in keys:
                got = self.check_object(c, k, {md5s[k]: content[k], None: None}, where)
                seen[k] = None if got is None else (len(content[k]), got)
            self.check_listing(c, "del/", seen, where)
            present = {k for k, v in seen.items() if v is not None}
            totals.append(len(present))
            if result.get("status") == 200:
                self.assertEqual(present, set(), f"{where}: DeleteObjects answered 200 but "
                                                 "keys survived the crash")
        c.close()
        print(f"DeleteObjects of {n} keys takes {full * 1000:.0f} ms; keys left after each "
              f"of 6 killed deletes: {totals}", flush=True)


if __name__ == "__main__":
    harness.main()
