#!/usr/bin/env python3
"""5 GiB single PUT and streaming GET; the daemon's peak RSS must stay below 256 MiB.

The data is generated on the fly (never materialised) and sent through a presigned PUT
URL with http.client; the GET is read in 1 MiB pieces and its MD5 verified on the fly.
Size is overridable with MAXIO_LARGE_SIZE (bytes) for quick local runs.
"""

import hashlib
import http.client
import os
import struct
import sys
import time
import urllib.parse
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import DaemonTestCase, error_code  # noqa: E402

GiB = 1 << 30
MiB = 1 << 20
SIZE = int(os.environ.get("MAXIO_LARGE_SIZE", 5 * GiB))
RSS_LIMIT_MIB = 256
BLOCK = MiB


_BASE = hashlib.shake_256(b"maxio-large").digest(BLOCK)


def block_at(i, size):
    """Block i of the deterministic data: a fixed random 1 MiB block, index stamped in."""
    b = bytearray(_BASE)
    struct.pack_into("<Q", b, 0, i)
    struct.pack_into("<Q", b, BLOCK // 2, i ^ 0x5A5A5A5A5A5A5A5A)
    return bytes(b[:min(BLOCK, size - i * BLOCK)])


def generated_blocks(size):
    for i in range((size + BLOCK - 1) // BLOCK):
        yield block_at(i, size)


def presign(daemon, method, bucket, key, expires=3600):
    from botocore.auth import S3SigV4QueryAuth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials
    url = f"{daemon.endpoint}/{bucket}/{urllib.parse.quote(key, safe='/~')}"
    req = AWSRequest(method=method, url=url)
    S3SigV4QueryAuth(Credentials(daemon.access_key, daemon.secret_key), "s3",
                     harness.REGION, expires=expires).add_auth(req)
    parts = urllib.parse.urlsplit(req.url)
    return parts.path + "?" + parts.query


class LargeObjectTest(DaemonTestCase):
    def test_5gib_put_get(self):
        d = self.daemon
        bucket = f"it-large-{uuid.uuid4().hex[:8]}"
        status, _, body = d.raw_request("PUT", f"/{bucket}")
        self.assertEqual(status, 200, body)
        key = "large/object.bin"

        # PUT, streamed from the generator
        t0 = time.monotonic()
        put_md5 = hashlib.md5()
        conn = http.client.HTTPConnection(d.host, d.port, timeout=600)
        conn.putrequest("PUT", presign(d, "PUT", bucket, key), skip_accept_encoding=True)
        conn.putheader("Content-Length", str(SIZE))
        conn.putheader("Content-Type", "application/octet-stream")
        conn.endheaders()
        for block in generated_blocks(SIZE):
            put_md5.update(block)
            conn.send(block)
        resp = conn.getresponse()
        body = resp.read()
        conn.close()
        put_s = time.monotonic() - t0
        self.assertEqual(resp.status, 200, f"{error_code(body)} {body[:500]!r}")
        expected_etag = f'"{put_md5.hexdigest()}"'
        self.assertEqual(resp.getheader("ETag"), expected_etag)
        print(f"PUT {SIZE / MiB:.0f} MiB in {put_s:.1f} s ({SIZE / MiB / put_s:.0f} MiB/s)")

        # HEAD
        status, headers, _ = d.raw_request("HEAD", f"/{bucket}/{key}")
        self.assertEqual(status, 200)
        self.assertEqual(int(headers["content-length"]), SIZE)
        self.assertEqual(headers.get("etag"), expected_etag)

        # GET, streamed, MD5 on the fly
        t0 = time.monotonic()
        conn = http.client.HTTPConnection(d.host, d.port, timeout=600)
        conn.request("GET", presign(d, "GET", bucket, key))
        resp = conn.getresponse()
        self.assertEqual(resp.status, 200)
        self.assertEqual(int(resp.getheader("Content-Length")), SIZE)
        get_md5, got = hashlib.md5(), 0
        while True:
            piece = resp.read(BLOCK)
            if not piece:
                break
            get_md5.update(piece)
            got += len(piece)
        conn.close()
        get_s = time.monotonic() - t0
        self.assertEqual(got, SIZE)
        self.assertEqual(get_md5.hexdigest(), put_md5.hexdigest(), "downloaded data differs")
        print(f"GET {SIZE / MiB:.0f} MiB in {get_s:.1f} s ({SIZE / MiB / get_s:.0f} MiB/s)")

        # a range deep inside the object
        off = SIZE - 3 * MiB - 5
        status, headers, body = d.raw_request("GET", f"/{bucket}/{key}",
                                              headers={"Range": f"bytes={off}-{off + 99}"})
        self.assertEqual(status, 206)
        idx = off // BLOCK
        chunk = block_at(idx, SIZE) + block_at(idx + 1, SIZE)
        self.assertEqual(body, chunk[off - idx * BLOCK:off - idx * BLOCK + 100])

        peak_mib = d.peak_rss_kib() / 1024
        print(f"peak RSS: {peak_mib:.0f} MiB")
        self.assertLess(peak_mib, RSS_LIMIT_MIB, f"maxiod peak RSS {peak_mib:.0f} MiB")

        status, _, _ = d.raw_request("DELETE", f"/{bucket}/{key}")
        self.assertEqual(status, 204)
        status, _, _ = d.raw_request("DELETE", f"/{bucket}")
        self.assertEqual(status, 204)


if __name__ == "__main__":
    harness.main()
