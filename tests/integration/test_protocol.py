#!/usr/bin/env python3
"""Raw HTTP edge cases against a real maxiod (http.client / sockets, SigV4 via botocore)."""

import base64
import hashlib
import http.client
import os
import socket
import sys
import time
import unittest
import urllib.parse
import uuid
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import S3_NS, DaemonTestCase, error_code, sign_v4, snapshot_fs  # noqa: E402


def q(key):
    """Percent-encode a key for a request path the way SDKs do."""
    return urllib.parse.quote(key, safe="/~")


class FileSock:
    """Lets http.client.HTTPResponse read from an existing socket file."""

    def __init__(self, f):
        self.f = f

    def makefile(self, *args, **kwargs):
        return _NoClose(self.f)


class _NoClose:
    """HTTPResponse closes its file after each response; keep the socket file open."""

    def __init__(self, f):
        self.f = f

    def __getattr__(self, name):
        return getattr(self.f, name)

    def close(self):
        pass


class ProtocolTest(DaemonTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.bucket = f"it-proto-{uuid.uuid4().hex[:10]}"
        status, _, body = cls.daemon.raw_request("PUT", f"/{cls.bucket}")
        if status != 200:
            raise AssertionError(f"PUT bucket -> {status} {body!r}")
        cls.responses = []  # (request, status, headers) of every raw_request

    # -------------------------------------------------------------- helpers
    def req(self, method, path, **kw):
        status, headers, body = self.daemon.raw_request(method, path, **kw)
        self.responses.append((f"{method} {path}", status, headers))
        return status, headers, body

    def signed(self, method, path, query="", headers=None, body=b"", unsigned=False):
        d = self.daemon
        h = dict(headers or {})
        h["Host"] = f"{d.host}:{d.port}"
        url = f"http://{d.host}:{d.port}{path}" + (f"?{query}" if query else "")
        return sign_v4(method, url, h, body, d.access_key, d.secret_key,
                       unsigned_payload=unsigned)

    def connect(self, timeout=10):
        return socket.create_connection((self.daemon.host, self.daemon.port), timeout=timeout)

    def list_keys(self, prefix=""):
        query = "list-type=2" + (f"&prefix={urllib.parse.quote(prefix, safe='')}" if prefix
                                 else "")
        status, _, body = self.req("GET", f"/{self.bucket}", query=query)
        self.assertEqual(status, 200, body)
        return [e.text for e in ET.fromstring(body).iter(S3_NS + "Key")]

    def fs_outside_drive(self):
        """Everything in the daemon's temp dir except the drive's own content and logs."""
        d = self.daemon
        snap = snapshot_fs(d.tmp)
        return {p for p in snap if not p.startswith("drive" + os.sep)
                and not p.startswith("client") and not p.startswith("maxiod.")}

    def bucket_fs(self):
        return snapshot_fs(os.path.join(self.daemon.drive, self.bucket))

    def assertServes(self):
        status, _, body = self.req("GET", "/")
        self.assertEqual(status, 200, f"server no longer serves ListBuckets: {body!r}")

    # -------------------------------------------------------------- tests
    def test_escaping_keys(self):
        before_out = self.fs_outside_drive()
        before_bucket = self.bucket_fs()
        drive_top = set(os.listdir(self.daemon.drive))
        keys_before = self.list_keys()
        b = self.bucket
        paths = [f"/{b}/../x", f"/{b}/a/../../x", f"/{b}/%2E%2E/x", f"/{b}/..%2Fx",
                 f"/{b}/a/%2e%2e/%2e%2e/%2e%2e/outside/evil", f"/{b}/..", f"/{b}/a/..",
                 f"/{b}/./x", f"/{b}/a/./b", f"/{b}//abs", f"/{b}/a//b", f"/{b}/a%00b",
                 f"/{b}/%00", f"/{b}/a/%2E%2E%2F%2E%2E%2F%2E%2E%2Foutside%2Fevil",
                 "/../outside/evil", "/..%2Foutside/evil",
                 "/%2E%2E/outside/evil"]
        for path in paths:
            with self.subTest(path=path):
                status, _, body = self.req("PUT", path, body=b"escape attempt")
                code = error_code(body)
                self.assertTrue(400 <= status < 500,
                                f"PUT {path} -> {status} {code} {body[:300]!r}")
                self.assertNotEqual(code, "SignatureDoesNotMatch",
                                    f"PUT {path}: the signature covers the path as sent; the "
                                    f"key must be rejected on its own merits: {body[:300]!r}")
                status, _, body = self.req("GET", path)
                self.assertNotIn(b"escape attempt", body)
                self.assertNotIn(harness.CANARY.encode(), body)
        for path in (f"/{b}/..%2F..%2F..%2Foutside%2Fcanary", f"/{b}/../../outside/canary",
                     f"/{b}/%2E%2E/%2E%2E/outside/canary", "/../outside/canary",
                     f"/{b}/..%2F..%2F..%2F..%2F..%2F..%2Fetc%2Fpasswd"):
            with self.subTest(read=path):
                status, _, body = self.req("GET", path)
                self.assertTrue(400 <= status < 500, f"GET {path} -> {status} {body[:300]!r}")
                self.assertNotIn(harness.CANARY.encode(), body)
                self.assertNotIn(b"root:x:0:0", body)
        self.assertEqual(self.fs_outside_drive(), before_out,
                         "files appeared outside the drive directory")
        self.assertEqual(self.bucket_fs(), before_bucket, "rejected keys left files behind")
        self.assertEqual(set(os.listdir(self.daemon.drive)) - drive_top, set(),
                         "new top-level entries (buckets) in the drive")
        self.assertEqual(self.list_keys(), keys_before)
        # A backslash is an ordinary character on Linux (MinIO accepts it in keys): it
        # may be accepted, but must stay a plain name inside the bucket.
        path = f"/{b}/..%5C..%5Coutside%5Cevil"
        status, _, body = self.req("PUT", path, body=b"backslash")
        if status == 200:
            self.assertEqual(self.req("GET", path)[2], b"backslash")
            self.assertEqual(self.req("DELETE", path)[0], 204)
        self.assertEqual(self.fs_outside_drive(), before_out,
                         "files appeared outside the drive directory")
        self.assertServes()

    def test_key_length(self):
        seg = "é" * 100  # 200 bytes, below NAME_MAX
        key = "/".join([seg] * 5) + "x" * 20  # 5*200 + 4 + 20 = 1024 bytes
        self.assertEqual(len(key.encode()), 1024)
        status, _, body = self.req("PUT", f"/{self.bucket}/{q(key)}", body=b"long key")
        self.assertEqual(status, 200, body)
        status, _, body = self.req("GET", f"/{self.bucket}/{q(key)}")
        self.assertEqual((status, body), (200, b"long key"))
        self.assertIn(key, self.list_keys())
        status, _, body = self.req("PUT", f"/{self.bucket}/{q(key + 'y')}", body=b"too long")
        self.assertEqual((status, error_code(body)), (400, "KeyTooLongError"), body)
        status, _, body = self.req("DELETE", f"/{self.bucket}/{q(key)}")
        self.assertEqual(status, 204, body)

    def test_file_and_directory_keys_coexist(self):
        b = self.bucket
        for order in (["co/a", "co/a/b"], ["co2/a/b", "co2/a"]):
            for k in order:
                status, _, body = self.req("PUT", f"/{b}/{k}", body=k.encode())
                self.assertEqual(status, 200, f"PUT {k}: {body!r}")
            for k in order:
                status, _, body = self.req("GET", f"/{b}/{k}")
                self.assertEqual((status, body), (200, k.encode()), k)
            prefix = order[0].split("/")[0] + "/"
            self.assertEqual(self.list_keys(prefix), sorted(order))
        # deleting "a" keeps "a/b" and vice versa
        self.assertEqual(self.req("DELETE", f"/{b}/co/a")[0], 204)
        self.assertEqual(self.req("GET", f"/{b}/co/a/b")[2], b"co/a/b")
        self.assertEqual(self.req("GET", f"/{b}/co/a")[0], 404)
        self.assertEqual(self.req("DELETE", f"/{b}/co2/a/b")[0], 204)
        self.assertEqual(self.req("GET", f"/{b}/co2/a")[2], b"co2/a")
        # an intermediate "directory" that is not an object is not readable or deletable
        for k in ("co", "co/", "co/a/"):
            status, _, body = self.req("GET", f"/{b}/{k}")
            self.assertEqual((status, error_code(body)), (404, "NoSuchKey"), f"GET {k}: {body!r}")
            self.assertEqual(self.req("HEAD", f"/{b}/{k}")[0], 404, k)
            self.assertEqual(self.req("DELETE", f"/{b}/{k}")[0], 204, k)
        self.assertEqual(self.req("GET", f"/{b}/co/a/b")[2], b"co/a/b")
        for k in ("co/a/b", "co2/a"):
            self.req("DELETE", f"/{b}/{k}")
        self.assertEqual(self.list_keys("co"), [])

    def test_malformed_delete_objects(self):
        bodies = [b"<Delete><Object><Key>x</Key></Object>",
                  b"this is not xml at all",
                  b"<Delete><Object><Key>x</Key></Object></Delet>",
                  b"<Delete>" + b"".join(b"<Object><Key>k%d</Key></Object>" % i
                                         for i in range(1001)) + b"</Delete>"]
        for body in bodies:
            with self.subTest(body=body[:40]):
                md5 = base64.b64encode(hashlib.md5(body).digest()).decode()
                status, _, resp = self.req("POST", f"/{self.bucket}", query="delete=",
                                           body=body, headers={"Content-MD5": md5})
                self.assertEqual((status, error_code(resp)), (400, "MalformedXML"), resp)
        self.assertServes()

    def test_listing_encoding(self):
        b = self.bucket
        key = "enc/a b+c%d&é<"
        self.assertEqual(self.req("PUT", f"/{b}/{q(key)}", body=b"x")[0], 200)
        status, _, body = self.req("GET", f"/{b}", query="list-type=2&prefix=enc%2F")
        self.assertEqual(status, 200, body)
        self.assertEqual([e.text for e in ET.fromstring(body).iter(S3_NS + "Key")], [key])
        status, _, body = self.req("GET", f"/{b}",
                                   query="encoding-type=url&list-type=2&prefix=enc%2F")
        raw = [e.text for e in ET.fromstring(body).iter(S3_NS + "Key")]
        self.assertEqual(len(raw), 1, body)
        self.assertNotIn(" ", raw[0])
        self.assertEqual(urllib.parse.unquote_plus(raw[0]), key, body)
        self.req("DELETE", f"/{b}/{q(key)}")

    def test_oversized_headers(self):
        cases = {"one 64 KiB header": {"X-Big": "v" * 65536},
                 "one 1 MiB header": {"X-Huge": "v" * (1 << 20)},
                 "2000 headers": {f"X-H{i}": "v" * 50 for i in range(2000)}}
        for name, headers in cases.items():
            with self.subTest(name):
                try:
                    status, _, body = self.daemon.raw_request("GET", f"/{self.bucket}",
                                                              headers=headers, sign=False,
                                                              timeout=10)
                except (OSError, http.client.HTTPException) as e:
                    self.fail(f"{name}: connection dropped without an HTTP response ({e!r})")
                self.assertTrue(400 <= status < 500, f"{name}: {status} {body[:200]!r}")
                self.assertDaemonAlive()
        long_path = f"/{self.bucket}/" + "p" * 100000
        try:
            status, _, _ = self.daemon.raw_request("GET", long_path, sign=False, timeout=10)
            self.assertTrue(400 <= status < 500, status)
        except (OSError, http.client.HTTPException) as e:
            self.fail(f"100 KB request target: connection dropped without response ({e!r})")
        self.assertServes()

    def test_garbage_request(self):
        for raw in (b"GARBAGE\r\n\r\n", b"GET / HTTP/9.9\r\n\r\n",
                    b"\x16\x03\x01\x00\xa5\x01\x00\x00\xa1\x03\x03" + os.urandom(64)):
            with self.subTest(raw=raw[:12]):
                s = self.connect()
                try:
                    s.sendall(raw)
                    try:
                        data = s.recv(4096)
                    except (ConnectionError, socket.timeout):
                        data = b""
                finally:
                    s.close()
                if data:
                    self.assertRegex(data, rb"^HTTP/1\.[01] [45]\d\d")
                self.assertDaemonAlive()
        self.assertServes()

    def test_pipelined_keep_alive(self):
        paths = [f"/{self.bucket}/pipe/{i}" for i in range(3)]
        for i, p in enumerate(paths):
            self.assertEqual(self.req("PUT", p, body=b"pipe%d" % i)[0], 200)
        raw = b""
        for p in paths:
            h = self.signed("GET", p)
            raw += (f"GET {p} HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in h.items())
                    + "\r\n").encode()
        s = self.connect()
        s.sendall(raw)  # all three requests in one write
        f = s.makefile("rb")
        for i in range(3):
            resp = http.client.HTTPResponse(FileSock(f), method="GET")
            resp.begin()
            self.assertEqual((resp.status, resp.read()), (200, b"pipe%d" % i))
        s.close()
        for p in paths:
            self.req("DELETE", p)

    def test_many_idle_connections(self):
        socks = []
        try:
            for _ in range(300):
                socks.append(self.connect())
            self.assertServes()
        finally:
            for s in socks:
                s.close()
        self.assertServes()

    def test_short_body_then_close(self):
        key = "short/body"
        headers = self.signed("PUT", f"/{self.bucket}/{key}", unsigned=True,
                              headers={"Content-Length": "100000"})
        s = self.connect()
        head = f"PUT /{self.bucket}/{key} HTTP/1.1\r\n" + \
            "".join(f"{k}: {v}\r\n" for k, v in headers.items()) + "\r\n"
        s.sendall(head.encode() + b"x" * 40000)
        time.sleep(0.3)
        s.shutdown(socket.SHUT_WR)
        try:
            s.settimeout(10)
            s.recv(4096)
        except (ConnectionError, socket.timeout):
            pass
        s.close()
        time.sleep(0.5)
        status, _, body = self.req("HEAD", f"/{self.bucket}/{key}")
        self.assertEqual(status, 404, "an interrupted upload must not create the object")
        self.assertNotIn(key, self.list_keys())
        self.assertServes()

    def test_missing_content_length(self):
        headers = self.signed("PUT", f"/{self.bucket}/nolength", unsigned=True)
        s = self.connect()
        head = f"PUT /{self.bucket}/nolength HTTP/1.1\r\n" + \
            "".join(f"{k}: {v}\r\n" for k, v in headers.items()) + "\r\n"
        s.sendall(head.encode())
        f = s.makefile("rb")
        resp = http.client.HTTPResponse(FileSock(f), method="PUT")
        resp.begin()
        body = resp.read()
        s.close()
        self.assertEqual((resp.status, error_code(body)), (411, "MissingContentLength"), body)

    def test_expect_100_continue(self):
        data = os.urandom(256 * 1024)
        key = "expect/continue"
        headers = self.signed("PUT", f"/{self.bucket}/{key}", body=data,
                              headers={"Expect": "100-continue",
                                       "Content-Length": str(len(data))})
        s = self.connect()
        head = f"PUT /{self.bucket}/{key} HTTP/1.1\r\n" + \
            "".join(f"{k}: {v}\r\n" for k, v in headers.items()) + "\r\n"
        s.sendall(head.encode())
        f = s.makefile("rb")
        s.settimeout(5)
        try:
            line = f.readline()
        except socket.timeout:
            self.fail("no '100 Continue' within 5 s of the headers")
        self.assertRegex(line, rb"^HTTP/1\.1 100 ")
        while f.readline() not in (b"\r\n", b""):
            pass
        s.sendall(data)
        resp = http.client.HTTPResponse(FileSock(f), method="PUT")
        resp.begin()
        body = resp.read()
        s.close()
        self.assertEqual(resp.status, 200, body)
        self.assertEqual(resp.getheader("ETag"), f'"{hashlib.md5(data).hexdigest()}"')
        self.assertEqual(self.req("GET", f"/{self.bucket}/{key}")[2], data)

    def test_chunked_transfer_encoding(self):
        data = os.urandom(300 * 1024 + 7)
        key = "chunked/te"
        headers = self.signed("PUT", f"/{self.bucket}/{key}", unsigned=True,
                              headers={"Transfer-Encoding": "chunked"})
        conn = http.client.HTTPConnection(self.daemon.host, self.daemon.port, timeout=30)
        conn.putrequest("PUT", f"/{self.bucket}/{key}", skip_host=True,
                        skip_accept_encoding=True)
        for k, v in headers.items():
            conn.putheader(k, v)
        conn.endheaders()
        for i in range(0, len(data), 10000):
            piece = data[i:i + 10000]
            conn.send(b"%x\r\n" % len(piece) + piece + b"\r\n")
        conn.send(b"0\r\n\r\n")
        resp = conn.getresponse()
        body = resp.read()
        conn.close()
        self.assertEqual(resp.status, 200, body)
        status, hdrs, got = self.req("GET", f"/{self.bucket}/{key}")
        self.assertEqual(status, 200)
        self.assertEqual(int(hdrs["content-length"]), len(data))
        self.assertTrue(got == data, "chunked upload content differs")

    # -------------------------------------------------------------- SigV4 variants
    def send(self, method, path, headers, body=b""):
        conn = http.client.HTTPConnection(self.daemon.host, self.daemon.port, timeout=30)
        try:
            conn.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
            for k, v in headers.items():
                conn.putheader(k, v)
            conn.endheaders(body if body else None)
            resp = conn.getresponse()
            data = resp.read()
            self.responses.append((f"{method} {path}", resp.status,
                                   {k.lower(): v for k, v in resp.getheaders()}))
            return resp.status, {k.lower(): v for k, v in resp.getheaders()}, data
        finally:
            conn.close()

    def manual(self, method, path, headers, payload_hash, amz_date=None):
        d = self.daemon
        h = dict(headers)
        h["Host"] = f"{d.host}:{d.port}"
        return harness.sign_v4_manual(method, path, None, h, payload_hash, d.access_key,
                                      d.secret_key, amz_date=amz_date)

    def test_sigv4_manual_and_clock_skew(self):
        data = b"signed by hand"
        path = f"/{self.bucket}/manual/obj"
        h, *_ = self.manual("PUT", path, {"Content-Length": str(len(data))},
                            hashlib.sha256(data).hexdigest())
        status, _, body = self.send("PUT", path, h, data)
        self.assertEqual(status, 200, body)
        # payload hash that does not match the body
        h, *_ = self.manual("PUT", path, {"Content-Length": str(len(data))},
                            hashlib.sha256(b"other").hexdigest())
        status, _, body = self.send("PUT", path, h, data)
        self.assertEqual((status, error_code(body)), (400, "XAmzContentSHA256Mismatch"), body)
        skewed = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(time.time() - 20 * 60))
        h, *_ = self.manual("GET", path, {}, hashlib.sha256(b"").hexdigest(), amz_date=skewed)
        status, _, body = self.send("GET", path, h)
        self.assertEqual((status, error_code(body)), (403, "RequestTimeTooSkewed"), body)
        self.assertEqual(self.req("GET", path)[2], data)
        self.req("DELETE", path)

    def _aws_chunked_signed(self, path, data, chunk=64 * 1024, tamper=False):
        empty = hashlib.sha256(b"").hexdigest()
        pieces = [data[i:i + chunk] for i in range(0, len(data), chunk)] + [b""]
        encoded_len = sum(len(f"{len(p):x};chunk-signature=".encode()) + 64 + 2 + len(p) + 2
                          for p in pieces)
        headers = {"Content-Encoding": "aws-chunked",
                   "x-amz-decoded-content-length": str(len(data)),
                   "Content-Length": str(encoded_len)}
        h, prev, scope, amz_date, key = self.manual("PUT", path, headers,
                                                    "STREAMING-AWS4-HMAC-SHA256-PAYLOAD")
        import hmac
        out = []
        for i, p in enumerate(pieces):
            sts = "\n".join(["AWS4-HMAC-SHA256-PAYLOAD", amz_date, scope, prev, empty,
                             hashlib.sha256(p).hexdigest()])
            prev = hmac.new(key, sts.encode(), hashlib.sha256).hexdigest()
            if tamper and i == 1:
                p = bytes([p[0] ^ 0xFF]) + p[1:]
            out.append(f"{len(p):x};chunk-signature={prev}\r\n".encode() + p + b"\r\n")
        body = b"".join(out)
        self.assertEqual(len(body), encoded_len)
        return self.send("PUT", path, h, body)

    def test_aws_chunked_signed_payload(self):
        data = os.urandom(150 * 1024 + 11)
        path = f"/{self.bucket}/chunked/signed"
        status, hdrs, body = self._aws_chunked_signed(path, data)
        self.assertEqual(status, 200, body)
        self.assertEqual(hdrs.get("etag"), f'"{hashlib.md5(data).hexdigest()}"')
        status, hdrs, got = self.req("GET", path)
        self.assertEqual(status, 200)
        self.assertTrue(got == data, "aws-chunked upload stored different bytes")
        self.assertNotIn("aws-chunked", hdrs.get("content-encoding", ""))
        # a chunk altered in flight fails its chunk signature and stores nothing
        path2 = f"/{self.bucket}/chunked/tampered"
        status, _, body = self._aws_chunked_signed(path2, data, tamper=True)
        self.assertEqual((status, error_code(body)), (403, "SignatureDoesNotMatch"), body)
        self.assertEqual(self.req("HEAD", path2)[0], 404)
        self.req("DELETE", path)

    def _aws_chunked_trailer(self, path, data, crc_b64):
        pieces = [data[i:i + 50000] for i in range(0, len(data), 50000)]
        body = b"".join(f"{len(p):x}\r\n".encode() + p + b"\r\n" for p in pieces)
        body += b"0\r\n" + f"x-amz-checksum-crc32:{crc_b64}\r\n".encode() + b"\r\n"
        headers = {"Content-Encoding": "aws-chunked", "x-amz-trailer": "x-amz-checksum-crc32",
                   "x-amz-decoded-content-length": str(len(data)),
                   "Content-Length": str(len(body))}
        h, *_ = self.manual("PUT", path, headers, "STREAMING-UNSIGNED-PAYLOAD-TRAILER")
        return self.send("PUT", path, h, body)

    def test_aws_chunked_unsigned_trailer(self):
        import struct
        import zlib
        data = os.urandom(120 * 1024 + 5)
        crc = base64.b64encode(struct.pack(">I", zlib.crc32(data))).decode()
        path = f"/{self.bucket}/chunked/trailer"
        status, hdrs, body = self._aws_chunked_trailer(path, data, crc)
        self.assertEqual(status, 200, body)
        self.assertEqual(hdrs.get("etag"), f'"{hashlib.md5(data).hexdigest()}"')
        status, _, got = self.req("GET", path)
        self.assertTrue(got == data, "trailer upload stored different bytes")
        wrong = base64.b64encode(struct.pack(">I", zlib.crc32(data) ^ 1)).decode()
        path2 = f"/{self.bucket}/chunked/trailer-bad"
        status, _, body = self._aws_chunked_trailer(path2, data, wrong)
        self.assertEqual(status, 400, body)
        self.assertIn(error_code(body), ("BadDigest", "XAmzContentChecksumMismatch",
                                         "InvalidDigest"), body)
        self.assertEqual(self.req("HEAD", path2)[0], 404)
        self.req("DELETE", path)

    def test_request_id_everywhere(self):
        b = self.bucket
        self.req("PUT", f"/{b}/rid", body=b"0123456789")
        etag = self.req("HEAD", f"/{b}/rid")[1].get("etag", '"x"')
        self.req("GET", "/")
        self.req("GET", f"/{b}/rid")
        self.req("GET", f"/{b}/rid", headers={"Range": "bytes=50-"})          # 416
        self.req("GET", f"/{b}/rid", headers={"If-None-Match": etag})          # 304
        self.req("GET", f"/{b}/rid", headers={"If-Match": '"nomatch"'})       # 412
        self.req("GET", f"/{b}/missing")                                       # 404
        self.req("HEAD", f"/{b}/missing")                                      # 404 no body
        self.req("HEAD", f"/no-such-bucket-{uuid.uuid4().hex[:8]}")            # 404
        self.req("GET", f"/{b}/rid", sign=False)                               # 403 anonymous
        self.req("PUT", "/Invalid_Bucket")                                     # 400
        status, h, body = self.daemon.raw_request(
            "GET", "/", headers={"Authorization": "AWS4-HMAC-SHA256 garbage"}, sign=False)
        self.responses.append(("GET / (garbage Authorization)", status, h))
        self.req("DELETE", f"/{b}/rid")
        missing = [f"{request[:90]} -> {status}" for request, status, headers in self.responses
                   if not headers.get("x-amz-request-id")]
        self.assertEqual(missing, [], f"{len(missing)} of {len(self.responses)} responses "
                                      "have no x-amz-request-id")

    def test_zz_daemon_alive(self):
        self.assertDaemonAlive()
        conn = http.client.HTTPConnection(self.daemon.host, self.daemon.port, timeout=5)
        conn.request("GET", "/minio/health/live")
        self.assertEqual(conn.getresponse().status, 200)
        conn.close()
        self.assertServes()


class ShutdownTest(unittest.TestCase):
    """SIGTERM with idle, half-sent and mid-upload connections: exit 0 within 10 s."""

    def test_sigterm_with_open_connections(self):
        d = harness.Daemon().start()
        try:
            bucket = "shutdown-test"
            self.assertEqual(d.raw_request("PUT", f"/{bucket}")[0], 200)
            socks = []
            # idle keep-alive connection after one request
            s = socket.create_connection((d.host, d.port), timeout=10)
            h = harness.sign_v4("GET", f"http://{d.host}:{d.port}/", {"Host": f"{d.host}:{d.port}"},
                                b"", d.access_key, d.secret_key)
            s.sendall(("GET / HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in h.items())
                       + "\r\n").encode())
            self.assertTrue(s.recv(12).startswith(b"HTTP/1.1 200"))
            socks.append(s)
            # half-sent headers
            s = socket.create_connection((d.host, d.port), timeout=10)
            s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nX-Partial: ")
            socks.append(s)
            # an upload stalled in the middle of its body
            path = f"/{bucket}/stalled"
            h = harness.sign_v4("PUT", f"http://{d.host}:{d.port}{path}",
                                {"Host": f"{d.host}:{d.port}", "Content-Length": "1000000"},
                                b"", d.access_key, d.secret_key, unsigned_payload=True)
            s = socket.create_connection((d.host, d.port), timeout=10)
            s.sendall((f"PUT {path} HTTP/1.1\r\n" +
                       "".join(f"{k}: {v}\r\n" for k, v in h.items()) + "\r\n").encode()
                      + b"z" * 300000)
            socks.append(s)
            time.sleep(0.5)
            t0 = time.monotonic()
            drive = d.drive
            d.stop()  # raises unless exit code 0 within 10 s
            print(f"shutdown with 3 open connections took {time.monotonic() - t0:.2f} s")
        finally:
            for s in locals().get("socks", []):
                s.close()
            if d.proc is not None:
                d._kill()


if __name__ == "__main__":
    harness.main()
