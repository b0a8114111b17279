#!/usr/bin/env python3
"""boto3 against a real maxiod. Run under both interpreters (pyenv python3 with boto3 1.43,
Debian /usr/bin/python3 with boto3 1.26) by ctest.

Exit code 77 (ctest SKIP_RETURN_CODE) when boto3 is missing from a non-Debian interpreter.
"""

import base64
import datetime
import email.utils
import hashlib
import io
import os
import sys
import time
import unittest
import urllib.error
import urllib.parse
import urllib.request
import uuid
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import DaemonTestCase, deterministic_bytes, error_code  # noqa: E402

harness.require_boto3()
import boto3  # noqa: E402,F401
import botocore  # noqa: E402
from botocore.exceptions import ClientError  # noqa: E402

KiB = 1024
MiB = 1024 * 1024


def new_bucket_name(tag="b"):
    return f"it-{tag}-{uuid.uuid4().hex[:12]}"


def md5_hex(data):
    return hashlib.md5(data).hexdigest()


def md5_b64(data):
    return base64.b64encode(hashlib.md5(data).digest()).decode()


def http_get(url, method="GET", data=None, headers=None):
    """urllib request; returns (status, headers, body) also for HTTP errors."""
    req = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


class Boto3Base(DaemonTestCase):
    # A class that sets this gets cls.bucket, created once for all its tests.
    shared_bucket_tag = None

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.s3 = cls.daemon.boto3_client()
        if cls.shared_bucket_tag:
            cls.bucket = new_bucket_name(cls.shared_bucket_tag)
            cls.s3.create_bucket(Bucket=cls.bucket)

    def assertClientError(self, fn, code, status=None, **kwargs):
        with self.assertRaises(ClientError) as cm:
            fn(**kwargs)
        err = cm.exception.response.get("Error", {})
        meta = cm.exception.response.get("ResponseMetadata", {})
        got = (err.get("Code"), meta.get("HTTPStatusCode"))
        detail = f"{fn.__name__ if hasattr(fn, '__name__') else fn}({kwargs}) -> {got} " \
                 f"{err.get('Message')!r}"
        self.assertEqual(str(err.get("Code")), str(code), detail)
        if status is not None:
            self.assertEqual(meta.get("HTTPStatusCode"), status, detail)
        return cm.exception.response

    def make_bucket(self, tag="b"):
        name = new_bucket_name(tag)
        self.s3.create_bucket(Bucket=name)
        return name


# ---------------------------------------------------------------------------- buckets
class BucketTest(Boto3Base):
    def test_create_head_list_delete(self):
        name = new_bucket_name("crud")
        r = self.s3.create_bucket(Bucket=name)
        self.assertEqual(r["ResponseMetadata"]["HTTPStatusCode"], 200)
        self.assertEqual(self.s3.head_bucket(Bucket=name)["ResponseMetadata"]["HTTPStatusCode"],
                         200)
        listed = self.s3.list_buckets()
        names = [b["Name"] for b in listed["Buckets"]]
        self.assertIn(name, names)
        for b in listed["Buckets"]:
            self.assertIsInstance(b["CreationDate"], datetime.datetime)
        self.assertIn("Owner", listed)
        loc = self.s3.get_bucket_location(Bucket=name)
        self.assertIn(loc.get("LocationConstraint"), (None, ""))
        r = self.s3.delete_bucket(Bucket=name)
        self.assertEqual(r["ResponseMetadata"]["HTTPStatusCode"], 204)
        self.assertNotIn(name, [b["Name"] for b in self.s3.list_buckets()["Buckets"]])
        self.assertClientError(self.s3.head_bucket, "404", 404, Bucket=name)

    def test_invalid_bucket_names(self):
        for name in ["ab", "Upper-Case-Bucket", "under_score", "-leading-dash",
                     "trailing-dash-", "192.168.1.1", "double..dot", "x" * 64,
                     "trailing.dot."]:
            with self.subTest(name=name):
                self.assertClientError(self.s3.create_bucket, "InvalidBucketName", 400,
                                       Bucket=name)
        self.assertNotIn("under_score", [b["Name"] for b in self.s3.list_buckets()["Buckets"]])
        # 3 and 63 characters are the valid extremes
        for name in ["abc", "m" * 63]:
            with self.subTest(name=name):
                self.s3.create_bucket(Bucket=name)
                self.s3.delete_bucket(Bucket=name)

    def test_no_leftovers_after_nested_deletes(self):
        name = self.make_bucket("nest")
        for k in ("x/y/z", "x/y/w", "p/q/r"):
            self.s3.put_object(Bucket=name, Key=k, Body=b"n")
        self.s3.delete_object(Bucket=name, Key="p/q/r")
        r = self.s3.list_objects_v2(Bucket=name, Delimiter="/")
        self.assertEqual([p["Prefix"] for p in r.get("CommonPrefixes", [])], ["x/"])
        r = self.s3.list_objects_v2(Bucket=name, Prefix="p/")
        self.assertEqual(r["KeyCount"], 0)
        self.s3.delete_objects(Bucket=name, Delete={"Objects": [{"Key": "x/y/z"},
                                                                {"Key": "x/y/w"}]})
        self.assertEqual(self.s3.list_objects_v2(Bucket=name)["KeyCount"], 0)
        r = self.s3.delete_bucket(Bucket=name)  # empty directories must not count
        self.assertEqual(r["ResponseMetadata"]["HTTPStatusCode"], 204)

    def test_already_owned(self):
        name = self.make_bucket("owned")
        self.assertClientError(self.s3.create_bucket, "BucketAlreadyOwnedByYou", 409,
                               Bucket=name)
        self.s3.delete_bucket(Bucket=name)

    def test_not_empty_and_no_such_bucket(self):
        name = self.make_bucket("full")
        self.s3.put_object(Bucket=name, Key="k", Body=b"x")
        self.assertClientError(self.s3.delete_bucket, "BucketNotEmpty", 409, Bucket=name)
        self.s3.delete_object(Bucket=name, Key="k")
        self.s3.delete_bucket(Bucket=name)
        self.assertClientError(self.s3.delete_bucket, "NoSuchBucket", 404, Bucket=name)
        self.assertClientError(self.s3.list_objects_v2, "NoSuchBucket", 404, Bucket=name)
        self.assertClientError(self.s3.list_objects, "NoSuchBucket", 404, Bucket=name)
        self.assertClientError(self.s3.put_object, "NoSuchBucket", 404, Bucket=name,
                               Key="k", Body=b"x")
        self.assertClientError(self.s3.get_object, "NoSuchBucket", 404, Bucket=name, Key="k")
        # re-created under the same name it is empty
        self.s3.create_bucket(Bucket=name)
        self.assertEqual(self.s3.list_objects_v2(Bucket=name)["KeyCount"], 0)
        self.assertClientError(self.s3.get_object, "NoSuchKey", 404, Bucket=name, Key="k")
        self.s3.delete_bucket(Bucket=name)


# ---------------------------------------------------------------------------- objects
class ObjectTest(Boto3Base):
    shared_bucket_tag = "obj"

    def test_sizes_roundtrip(self):
        sizes = [0, 1, 128 * KiB - 1, 128 * KiB, 128 * KiB + 1, MiB - 1, MiB, MiB + 1,
                 5 * MiB + 3]
        for size in sizes:
            with self.subTest(size=size):
                data = deterministic_bytes(size, seed=size)
                key = f"sizes/obj-{size}"
                meta = {"color": "blue", "x-size": str(size), "mixed-case": "VaLuE"}
                put = self.s3.put_object(Bucket=self.bucket, Key=key, Body=data, Metadata=meta)
                self.assertEqual(put["ETag"], f'"{md5_hex(data)}"')
                get = self.s3.get_object(Bucket=self.bucket, Key=key)
                body = get["Body"].read()
                self.assertEqual(len(body), size)
                self.assertTrue(body == data, f"body differs for size {size}")
                self.assertEqual(get["ContentLength"], size)
                self.assertEqual(get["ETag"], put["ETag"])
                self.assertEqual(get["Metadata"], meta)
                head = self.s3.head_object(Bucket=self.bucket, Key=key)
                self.assertEqual(head["ContentLength"], size)
                self.assertEqual(head["ETag"], put["ETag"])
                self.assertEqual(head["Metadata"], meta)
                self.assertIsInstance(head["LastModified"], datetime.datetime)
                self.assertEqual(head["ResponseMetadata"]["HTTPHeaders"].get("accept-ranges"),
                                 "bytes")

    def test_streaming_body_file_object(self):
        data = deterministic_bytes(3 * MiB + 17, seed=99)
        self.s3.put_object(Bucket=self.bucket, Key="stream/file", Body=io.BytesIO(data))
        self.s3.upload_fileobj(io.BytesIO(data), self.bucket, "stream/upload_fileobj")
        for key in ("stream/file", "stream/upload_fileobj"):
            got = self.s3.get_object(Bucket=self.bucket, Key=key)["Body"].read()
            self.assertTrue(got == data, key)

    def test_standard_headers_roundtrip(self):
        data = b"<html>hello</html>"
        expires = datetime.datetime(2037, 1, 1, 0, 0, 0, tzinfo=datetime.timezone.utc)
        self.s3.put_object(Bucket=self.bucket, Key="hdr/page.html", Body=data,
                           ContentType="text/html; charset=utf-8",
                           ContentEncoding="gzip",
                           ContentDisposition='attachment; filename="page.html"',
                           ContentLanguage="de-CH",
                           CacheControl="max-age=3600, public",
                           Expires=expires)
        for op in (self.s3.head_object, self.s3.get_object):
            with self.subTest(op=op.__name__):
                r = op(Bucket=self.bucket, Key="hdr/page.html")
                h = r["ResponseMetadata"]["HTTPHeaders"]
                self.assertEqual(h.get("content-type"), "text/html; charset=utf-8")
                self.assertEqual(h.get("content-encoding"), "gzip")
                self.assertEqual(h.get("content-disposition"), 'attachment; filename="page.html"')
                self.assertEqual(h.get("content-language"), "de-CH")
                self.assertEqual(h.get("cache-control"), "max-age=3600, public")
                self.assertEqual(h.get("expires"), "Thu, 01 Jan 2037 00:00:00 GMT")
                if op is self.s3.get_object:
                    self.assertEqual(r["Body"].read(), data)

    def test_default_content_type(self):
        self.s3.put_object(Bucket=self.bucket, Key="hdr/noctype", Body=b"x")
        h = self.s3.head_object(Bucket=self.bucket, Key="hdr/noctype")
        self.assertIn(h["ContentType"], ("binary/octet-stream", "application/octet-stream"))

    def test_directory_marker_objects(self):
        b = self.bucket
        self.s3.put_object(Bucket=b, Key="marker/dir/", Body=b"")
        self.s3.put_object(Bucket=b, Key="marker/dir/file", Body=b"f")
        r = self.s3.get_object(Bucket=b, Key="marker/dir/")
        self.assertEqual((r["ContentLength"], r["Body"].read()), (0, b""))
        keys = [o["Key"] for o in self.s3.list_objects_v2(Bucket=b, Prefix="marker/")["Contents"]]
        self.assertEqual(keys, ["marker/dir/", "marker/dir/file"])
        r = self.s3.list_objects_v2(Bucket=b, Prefix="marker/dir/", Delimiter="/")
        self.assertEqual([o["Key"] for o in r["Contents"]], ["marker/dir/", "marker/dir/file"])
        self.s3.delete_object(Bucket=b, Key="marker/dir/")
        self.assertClientError(self.s3.head_object, "404", 404, Bucket=b, Key="marker/dir/")
        self.assertEqual(self.s3.get_object(Bucket=b, Key="marker/dir/file")["Body"].read(), b"f")
        self.s3.delete_object(Bucket=b, Key="marker/dir/file")

    def test_empty_put_then_put_on_same_connection(self):
        # botocore sends "Expect: 100-continue" even for empty bodies; a final response
        # without a "100 Continue" first leaves botocore's pooled connection with a stale
        # status line (boto/botocore#3755), so the next PUT on it stalls until a timeout.
        # A server that always answers the expectation with 100 Continue avoids that.
        c = self.daemon.boto3_client(read_timeout=8, max_pool_connections=1)
        slow = []
        for i in range(3):
            for key, body in ((f"seq/empty{i}", b""), (f"seq/full{i}", b"data%d" % i)):
                t0 = time.monotonic()
                c.put_object(Bucket=self.bucket, Key=key, Body=body)
                took = time.monotonic() - t0
                if took > 4.0:
                    slow.append(f"PUT {key} ({len(body)} bytes) took {took:.1f} s")
        for i in range(3):
            self.assertEqual(c.get_object(Bucket=self.bucket, Key=f"seq/empty{i}")["Body"].read(),
                             b"")
            self.assertEqual(c.get_object(Bucket=self.bucket, Key=f"seq/full{i}")["Body"].read(),
                             b"data%d" % i)
        self.assertEqual(slow, [])

    def test_no_such_key(self):
        self.assertClientError(self.s3.get_object, "NoSuchKey", 404, Bucket=self.bucket,
                               Key="missing/key")
        self.assertClientError(self.s3.head_object, "404", 404, Bucket=self.bucket,
                               Key="missing/key")

    def test_overwrite(self):
        self.s3.put_object(Bucket=self.bucket, Key="ow", Body=b"first", Metadata={"v": "1"})
        self.s3.put_object(Bucket=self.bucket, Key="ow", Body=b"second-longer")
        r = self.s3.get_object(Bucket=self.bucket, Key="ow")
        self.assertEqual(r["Body"].read(), b"second-longer")
        self.assertEqual(r["Metadata"], {})

    def test_unicode_and_special_keys(self):
        keys = ["ünïcødé/ключ/日本語.txt", "with space/and+plus", "per%cent/100%", "amp&er;sand",
                "q?mark#hash", "lt<gt>&quot'", "tilde~star*", "emoji-😀"]
        for key in keys:
            with self.subTest(key=key):
                data = key.encode() * 3
                self.s3.put_object(Bucket=self.bucket, Key=key, Body=data)
                self.assertEqual(self.s3.get_object(Bucket=self.bucket, Key=key)["Body"].read(),
                                 data)
                self.s3.head_object(Bucket=self.bucket, Key=key)
        listed = self.s3.list_objects_v2(Bucket=self.bucket)
        got = {o["Key"] for o in listed.get("Contents", [])}
        for key in keys:
            self.assertIn(key, got)

    # -- ranges
    def test_ranges(self):
        data = deterministic_bytes(100, seed=7)
        self.s3.put_object(Bucket=self.bucket, Key="range/obj", Body=data)
        cases = [("bytes=0-9", 0, 9), ("bytes=90-", 90, 99), ("bytes=-10", 90, 99),
                 ("bytes=95-200", 95, 99), ("bytes=0-0", 0, 0), ("bytes=99-99", 99, 99),
                 ("bytes=-200", 0, 99)]
        for rng, first, last in cases:
            with self.subTest(range=rng):
                r = self.s3.get_object(Bucket=self.bucket, Key="range/obj", Range=rng)
                self.assertEqual(r["ResponseMetadata"]["HTTPStatusCode"], 206)
                self.assertEqual(r["ContentRange"], f"bytes {first}-{last}/100")
                self.assertEqual(r["ContentLength"], last - first + 1)
                self.assertEqual(r["Body"].read(), data[first:last + 1])
        h = self.s3.head_object(Bucket=self.bucket, Key="range/obj", Range="bytes=10-19")
        self.assertEqual(h["ContentLength"], 10)
        for rng in ("bytes=100-", "bytes=100-200"):
            with self.subTest(range=rng):
                resp = self.assertClientError(self.s3.get_object, "InvalidRange", 416,
                                              Bucket=self.bucket, Key="range/obj", Range=rng)
                # RFC 7233 says SHOULD; when present it must be right.
                cr = resp["ResponseMetadata"]["HTTPHeaders"].get("content-range")
                if cr is not None:
                    self.assertEqual(cr, "bytes */100")
        # A syntactically invalid range is ignored: the whole object with 200.
        r = self.s3.get_object(Bucket=self.bucket, Key="range/obj", Range="bytes=abc")
        self.assertEqual(r["ResponseMetadata"]["HTTPStatusCode"], 200)
        self.assertEqual(r["Body"].read(), data)
        # Empty object: any range is unsatisfiable.
        self.s3.put_object(Bucket=self.bucket, Key="range/empty", Body=b"")
        self.assertClientError(self.s3.get_object, "InvalidRange", 416, Bucket=self.bucket,
                               Key="range/empty", Range="bytes=0-0")

    # -- conditional requests
    def test_conditionals(self):
        self.s3.put_object(Bucket=self.bucket, Key="cond/obj", Body=b"conditional")
        head = self.s3.head_object(Bucket=self.bucket, Key="cond/obj")
        etag, mtime = head["ETag"], head["LastModified"]
        before = mtime - datetime.timedelta(hours=1)
        after = mtime + datetime.timedelta(seconds=1)
        b, k = self.bucket, "cond/obj"
        ok = [dict(IfMatch=etag), dict(IfMatch="*"), dict(IfNoneMatch='"0123"'),
              dict(IfModifiedSince=before), dict(IfUnmodifiedSince=after),
              dict(IfUnmodifiedSince=mtime),
              # If-Match true wins over If-Unmodified-Since false (RFC 7232 §6)
              dict(IfMatch=etag, IfUnmodifiedSince=before)]
        for cond in ok:
            with self.subTest(ok=cond):
                r = self.s3.get_object(Bucket=b, Key=k, **cond)
                self.assertEqual(r["Body"].read(), b"conditional")
                self.s3.head_object(Bucket=b, Key=k, **cond)
        not_modified = [dict(IfNoneMatch=etag), dict(IfNoneMatch="*"),
                        dict(IfModifiedSince=mtime), dict(IfModifiedSince=after),
                        # If-None-Match false wins; If-Modified-Since is then ignored
                        dict(IfNoneMatch=etag, IfModifiedSince=before)]
        for cond in not_modified:
            with self.subTest(not_modified=cond):
                resp = self.assertClientError(self.s3.get_object, "304", 304, Bucket=b, Key=k,
                                              **cond)
                self.assertEqual(resp["ResponseMetadata"]["HTTPHeaders"].get("etag"), etag)
                self.assertClientError(self.s3.head_object, "304", 304, Bucket=b, Key=k, **cond)
        failed = [dict(IfMatch='"0123456789abcdef0123456789abcdef"'),
                  dict(IfUnmodifiedSince=before)]
        for cond in failed:
            with self.subTest(failed=cond):
                self.assertClientError(self.s3.get_object, "PreconditionFailed", 412, Bucket=b,
                                       Key=k, **cond)
                self.assertClientError(self.s3.head_object, "412", 412, Bucket=b, Key=k, **cond)

    def test_response_overrides(self):
        self.s3.put_object(Bucket=self.bucket, Key="ovr/obj", Body=b"override me",
                           ContentType="text/plain")
        r = self.s3.get_object(Bucket=self.bucket, Key="ovr/obj",
                               ResponseContentType="application/x-override",
                               ResponseContentLanguage="fr",
                               ResponseExpires=datetime.datetime(2036, 2, 3, 4, 5, 6,
                                                                 tzinfo=datetime.timezone.utc),
                               ResponseCacheControl="no-cache",
                               ResponseContentDisposition='inline; filename="x.txt"',
                               ResponseContentEncoding="identity")
        h = r["ResponseMetadata"]["HTTPHeaders"]
        self.assertEqual(h.get("content-type"), "application/x-override")
        self.assertEqual(h.get("content-language"), "fr")
        self.assertEqual(h.get("expires"), "Sun, 03 Feb 2036 04:05:06 GMT")
        self.assertEqual(h.get("cache-control"), "no-cache")
        self.assertEqual(h.get("content-disposition"), 'inline; filename="x.txt"')
        self.assertEqual(h.get("content-encoding"), "identity")
        self.assertEqual(r["Body"].read(), b"override me")

    def test_content_md5(self):
        data = b"digest me"
        self.s3.put_object(Bucket=self.bucket, Key="md5/good", Body=data,
                           ContentMD5=md5_b64(data))
        self.assertClientError(self.s3.put_object, "BadDigest", 400, Bucket=self.bucket,
                               Key="md5/bad", Body=data, ContentMD5=md5_b64(b"something else"))
        self.assertClientError(self.s3.head_object, "404", 404, Bucket=self.bucket,
                               Key="md5/bad")
        self.assertClientError(self.s3.put_object, "InvalidDigest", 400, Bucket=self.bucket,
                               Key="md5/invalid", Body=data, ContentMD5="not-base64-md5")

    # -- copy
    def test_copy_object(self):
        b = self.bucket
        data = deterministic_bytes(200 * KiB, seed=3)
        src = "copy/src ünï+%"
        put = self.s3.put_object(Bucket=b, Key=src, Body=data, Metadata={"origin": "src"},
                                 ContentType="application/x-src")
        r = self.s3.copy_object(Bucket=b, Key="copy/dst-copy", CopySource={"Bucket": b,
                                                                          "Key": src})
        self.assertEqual(r["CopyObjectResult"]["ETag"], put["ETag"])
        g = self.s3.get_object(Bucket=b, Key="copy/dst-copy")
        self.assertEqual(g["Body"].read(), data)
        self.assertEqual(g["Metadata"], {"origin": "src"})
        self.assertEqual(g["ContentType"], "application/x-src")

        r = self.s3.copy_object(Bucket=b, Key="copy/dst-replace",
                                CopySource={"Bucket": b, "Key": src},
                                MetadataDirective="REPLACE", Metadata={"fresh": "yes"},
                                ContentType="text/x-replaced")
        g = self.s3.get_object(Bucket=b, Key="copy/dst-replace")
        self.assertEqual(g["Body"].read(), data)
        self.assertEqual(g["Metadata"], {"fresh": "yes"})
        self.assertEqual(g["ContentType"], "text/x-replaced")

        # Copy across buckets.
        other = self.make_bucket("copy2")
        self.s3.copy_object(Bucket=other, Key="x", CopySource=f"{b}/{src}")
        self.assertEqual(self.s3.get_object(Bucket=other, Key="x")["Body"].read(), data)

        # Copy onto itself needs REPLACE.
        self.assertClientError(self.s3.copy_object, "InvalidRequest", 400, Bucket=b, Key=src,
                               CopySource={"Bucket": b, "Key": src})
        self.s3.copy_object(Bucket=b, Key=src, CopySource={"Bucket": b, "Key": src},
                            MetadataDirective="REPLACE", Metadata={"origin": "self"})
        self.assertEqual(self.s3.head_object(Bucket=b, Key=src)["Metadata"], {"origin": "self"})

        # copy-source conditions
        head = self.s3.head_object(Bucket=b, Key=src)
        etag, mtime = head["ETag"], head["LastModified"]
        before = mtime - datetime.timedelta(hours=1)
        cs = {"Bucket": b, "Key": src}
        for cond in (dict(CopySourceIfMatch=etag), dict(CopySourceIfNoneMatch='"abc"'),
                     dict(CopySourceIfModifiedSince=before),
                     dict(CopySourceIfUnmodifiedSince=mtime)):
            with self.subTest(ok=cond):
                self.s3.copy_object(Bucket=b, Key="copy/cond", CopySource=cs, **cond)
        for cond in (dict(CopySourceIfMatch='"0123456789abcdef0123456789abcdef"'),
                     dict(CopySourceIfNoneMatch=etag),
                     dict(CopySourceIfModifiedSince=mtime),
                     dict(CopySourceIfUnmodifiedSince=before)):
            with self.subTest(failed=cond):
                self.assertClientError(self.s3.copy_object, "PreconditionFailed", 412, Bucket=b,
                                       Key="copy/cond-failed", CopySource=cs, **cond)
        self.assertClientError(self.s3.head_object, "404", 404, Bucket=b, Key="copy/cond-failed")
        self.assertClientError(self.s3.copy_object, "NoSuchKey", 404, Bucket=b, Key="copy/x",
                               CopySource={"Bucket": b, "Key": "copy/missing"})
        self.assertClientError(self.s3.copy_object, "NoSuchBucket", 404, Bucket=b, Key="copy/x",
                               CopySource={"Bucket": new_bucket_name("none"), "Key": "k"})

    # -- delete
    def test_delete_object_and_objects(self):
        b = self.make_bucket("del")
        r = self.s3.delete_object(Bucket=b, Key="never-existed")
        self.assertEqual(r["ResponseMetadata"]["HTTPStatusCode"], 204)
        keys = [f"d/{i}" for i in range(10)] + ["d/space key", "d/ünï"]
        for k in keys:
            self.s3.put_object(Bucket=b, Key=k, Body=k.encode())
        r = self.s3.delete_object(Bucket=b, Key=keys[0])
        self.assertEqual(r["ResponseMetadata"]["HTTPStatusCode"], 204)
        self.assertClientError(self.s3.head_object, "404", 404, Bucket=b, Key=keys[0])

        # verbose: every key reported as Deleted, including one that does not exist
        verbose = keys[1:6] + ["d/missing"]
        r = self.s3.delete_objects(Bucket=b, Delete={"Objects": [{"Key": k} for k in verbose]})
        self.assertEqual(sorted(d["Key"] for d in r.get("Deleted", [])), sorted(verbose))
        self.assertEqual(r.get("Errors", []), [])
        # quiet: nothing reported on success
        quiet = keys[6:]
        r = self.s3.delete_objects(Bucket=b, Delete={"Objects": [{"Key": k} for k in quiet],
                                                     "Quiet": True})
        self.assertEqual(r.get("Deleted", []), [])
        self.assertEqual(r.get("Errors", []), [])
        self.assertEqual(self.s3.list_objects_v2(Bucket=b)["KeyCount"], 0)
        self.s3.delete_bucket(Bucket=b)


# ---------------------------------------------------------------------------- listing
def listing_keys():
    keys = ["a", "a/b", "a-c", "a/b/c", "a/b/d", "a/c", "a+b", "a b", "a%b", "a%2Fb", "b",
            "c/d/e/f",
            "ünïcødé", "ünïcødé/ключ", "日本語/ファイル.txt", "emoji-😀", "Ωmega",
            "dir with space/file name.txt", "plus+dir/x+y", "percent%dir/100%",
            "x&y", "q?z", "hash#tag", "lt<gt>", "quote'dq\""]
    keys += [f"logs/2024/01/{i:02d}.log" for i in range(20)]
    keys += [f"logs/2024/02/{i:02d}.log" for i in range(20)]
    keys += [f"photos/img{i:03d}.jpg" for i in range(40)]
    keys += [f"z{i}" for i in range(10)]
    return sorted(set(keys))


def ref_list(keys, prefix="", delimiter="", after=""):
    """What S3 lists: [(kind, name)] in order, kind 'key' or 'prefix'."""
    out, seen = [], set()
    for k in sorted(keys):  # code-point order == UTF-8 byte order
        if not k.startswith(prefix) or k <= after:
            continue
        rest = k[len(prefix):]
        if delimiter and delimiter in rest:
            cp = prefix + rest[:rest.index(delimiter) + len(delimiter)]
            if cp not in seen:
                seen.add(cp)
                out.append(("prefix", cp))
        else:
            out.append(("key", k))
    return out


class ListingTest(Boto3Base):
    shared_bucket_tag = "list"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.keys = listing_keys()
        for k in cls.keys:
            cls.s3.put_object(Bucket=cls.bucket, Key=k, Body=k.encode())

    CASES = [dict(), dict(prefix="a"), dict(prefix="a/"), dict(delimiter="/"),
             dict(prefix="a", delimiter="/"), dict(prefix="a/", delimiter="/"),
             dict(prefix="logs/", delimiter="/"), dict(prefix="logs/2024/", delimiter="/"),
             dict(prefix="logs/2024/01/", delimiter="/"), dict(prefix="ünïcødé"),
             dict(prefix="ünïcødé/", delimiter="/"), dict(prefix="dir with space/"),
             dict(prefix="plus+"), dict(prefix="percent%"), dict(delimiter="b"),
             dict(delimiter="/", after="c"), dict(after="a/b"), dict(after="photos/img039.jpg"),
             dict(prefix="nothing-here"), dict(delimiter="-"), dict(prefix="z", after="z5")]

    def list_v2_all(self, max_keys, prefix="", delimiter="", after="", **extra):
        items, token, pages = [], None, 0
        while True:
            args = dict(Bucket=self.bucket, MaxKeys=max_keys, Prefix=prefix,
                        Delimiter=delimiter, **extra)
            if after:
                args["StartAfter"] = after
            if token:
                args["ContinuationToken"] = token
            r = self.s3.list_objects_v2(**args)
            pages += 1
            page = [("key", o["Key"]) for o in r.get("Contents", [])]
            page += [("prefix", p["Prefix"]) for p in r.get("CommonPrefixes", [])]
            self.assertLessEqual(len(page), max_keys)
            self.assertEqual(r["KeyCount"], len(page))
            self.assertEqual(r["MaxKeys"], max_keys)
            items += sorted(page, key=lambda x: x[1])
            if not r["IsTruncated"]:
                self.assertNotIn("NextContinuationToken", r)
                return items, pages
            token = r["NextContinuationToken"]
            self.assertTrue(token)
            self.assertLess(pages, 500, "listing does not terminate")

    def list_v1_all(self, max_keys, prefix="", delimiter="", after=""):
        items, marker, pages = [], after, 0
        while True:
            r = self.s3.list_objects(Bucket=self.bucket, MaxKeys=max_keys, Prefix=prefix,
                                     Delimiter=delimiter, Marker=marker)
            pages += 1
            contents = [o["Key"] for o in r.get("Contents", [])]
            prefixes = [p["Prefix"] for p in r.get("CommonPrefixes", [])]
            page = [("key", k) for k in contents] + [("prefix", p) for p in prefixes]
            self.assertLessEqual(len(page), max_keys)
            items += sorted(page, key=lambda x: x[1])
            if not r["IsTruncated"]:
                return items, pages
            if delimiter:
                self.assertIn("NextMarker", r, "NextMarker required with a delimiter")
                marker = r["NextMarker"]
            else:
                marker = r.get("NextMarker") or contents[-1]
            self.assertLess(pages, 500, "listing does not terminate")

    def test_list_v2(self):
        for case in self.CASES:
            expected = ref_list(self.keys, **case)
            for mk in (1000, 7, 1):
                if mk == 1 and len(expected) > 40:
                    continue
                with self.subTest(case=case, max_keys=mk):
                    got, pages = self.list_v2_all(mk, **case)
                    self.assertEqual(got, expected)
                    if mk == 1000:
                        self.assertEqual(pages, 1)

    def test_list_v1(self):
        for case in self.CASES:
            expected = ref_list(self.keys, **case)
            for mk in (1000, 5):
                with self.subTest(case=case, max_keys=mk):
                    got, _ = self.list_v1_all(mk, **case)
                    self.assertEqual(got, expected)

    def test_list_v2_metadata(self):
        r = self.s3.list_objects_v2(Bucket=self.bucket, Prefix="a/b/c")
        self.assertEqual(r["Name"], self.bucket)
        self.assertEqual(r["Prefix"], "a/b/c")
        self.assertEqual(len(r["Contents"]), 1)
        o = r["Contents"][0]
        self.assertEqual(o["Key"], "a/b/c")
        self.assertEqual(o["Size"], len(b"a/b/c"))
        self.assertEqual(o["ETag"], f'"{md5_hex(b"a/b/c")}"')
        self.assertEqual(o["StorageClass"], "STANDARD")
        self.assertIsInstance(o["LastModified"], datetime.datetime)
        self.assertNotIn("Owner", o)
        r = self.s3.list_objects_v2(Bucket=self.bucket, Prefix="a/b/c", FetchOwner=True)
        self.assertIn("Owner", r["Contents"][0])
        self.assertTrue(r["Contents"][0]["Owner"].get("ID"))

    def test_max_keys_zero(self):
        r = self.s3.list_objects_v2(Bucket=self.bucket, MaxKeys=0)
        self.assertEqual(r.get("Contents", []), [])
        self.assertEqual(r["KeyCount"], 0)

    def test_url_encoding_type(self):
        # When the caller asks for encoding-type=url, botocore does not decode: we see
        # the raw encoding of the server.
        for api in ("v1", "v2"):
            with self.subTest(api=api):
                if api == "v1":
                    r = self.s3.list_objects(Bucket=self.bucket, EncodingType="url",
                                             MaxKeys=1000)
                else:
                    r = self.s3.list_objects_v2(Bucket=self.bucket, EncodingType="url",
                                                MaxKeys=1000)
                self.assertEqual(r.get("EncodingType"), "url")
                raw = [o["Key"] for o in r["Contents"]]
                for k in raw:
                    self.assertTrue(all(0x21 <= ord(c) < 0x7f for c in k),
                                    f"key not URL-encoded: {k!r}")
                    self.assertNotIn("&", k)
                    self.assertNotIn("<", k)
                self.assertEqual(sorted(urllib.parse.unquote_plus(k) for k in raw), self.keys)
                self.assertIn("a%2Bb", raw)  # '+' must be encoded, so '+' can mean space
                self.assertIn("a%25b", raw)

    def test_list_object_versions_unversioned(self):
        r = self.s3.list_object_versions(Bucket=self.bucket)
        versions = r.get("Versions", [])
        self.assertEqual(sorted(v["Key"] for v in versions), self.keys)
        for v in versions:
            self.assertEqual(v["VersionId"], "null")
            self.assertTrue(v["IsLatest"])
            self.assertEqual(v["ETag"], f'"{md5_hex(v["Key"].encode())}"')
        self.assertEqual(r.get("DeleteMarkers", []), [])
        r = self.s3.list_object_versions(Bucket=self.bucket, Prefix="a/", Delimiter="/")
        self.assertEqual([v["Key"] for v in r.get("Versions", [])], ["a/b", "a/c"])
        self.assertEqual([p["Prefix"] for p in r.get("CommonPrefixes", [])], ["a/b/"])
        # paging with key-marker
        got, marker = [], None
        for _ in range(100):
            args = dict(Bucket=self.bucket, MaxKeys=17)
            if marker:
                args["KeyMarker"] = marker
            r = self.s3.list_object_versions(**args)
            got += [v["Key"] for v in r.get("Versions", [])]
            if not r["IsTruncated"]:
                break
            marker = r["NextKeyMarker"]
        self.assertEqual(got, self.keys)


# ---------------------------------------------------------------------------- auth
class AuthTest(Boto3Base):
    shared_bucket_tag = "auth"

    def test_presigned_get_put(self):
        data = deterministic_bytes(70 * KiB, seed=11)
        self.s3.put_object(Bucket=self.bucket, Key="pre/get me", Body=data)
        url = self.s3.generate_presigned_url("get_object", Params={"Bucket": self.bucket,
                                                                   "Key": "pre/get me"},
                                             ExpiresIn=300)
        self.assertIn("X-Amz-Signature=", url)
        status, _, body = http_get(url)
        self.assertEqual(status, 200, body)
        self.assertEqual(body, data)

        put_data = deterministic_bytes(33 * KiB, seed=12)
        url = self.s3.generate_presigned_url("put_object", Params={"Bucket": self.bucket,
                                                                   "Key": "pre/put ünï"},
                                             ExpiresIn=300)
        status, _, body = http_get(url, method="PUT", data=put_data)
        self.assertEqual(status, 200, body)
        got = self.s3.get_object(Bucket=self.bucket, Key="pre/put ünï")["Body"].read()
        self.assertEqual(got, put_data)

        # tampered signature
        bad = url.replace("X-Amz-Signature=", "X-Amz-Signature=0")
        status, _, body = http_get(bad, method="PUT", data=b"x")
        self.assertEqual((status, error_code(body)), (403, "SignatureDoesNotMatch"), body)

    def test_presigned_expired(self):
        self.s3.put_object(Bucket=self.bucket, Key="pre/expiring", Body=b"soon gone")
        url = self.s3.generate_presigned_url("get_object", Params={"Bucket": self.bucket,
                                                                   "Key": "pre/expiring"},
                                             ExpiresIn=1)
        time.sleep(2.5)
        status, _, body = http_get(url)
        self.assertEqual((status, error_code(body)), (403, "AccessDenied"), body)

    def test_wrong_secret(self):
        bad = self.daemon.boto3_client(secret_key=self.daemon.secret_key + "x")
        self.assertClientError(bad.list_buckets, "SignatureDoesNotMatch", 403)
        self.assertClientError(bad.put_object, "SignatureDoesNotMatch", 403, Bucket=self.bucket,
                               Key="nope", Body=b"x")
        self.assertClientError(self.s3.head_object, "404", 404, Bucket=self.bucket, Key="nope")

    def test_unknown_access_key(self):
        bad = self.daemon.boto3_client(access_key="UNKNOWNKEY0123456789")
        self.assertClientError(bad.list_buckets, "InvalidAccessKeyId", 403)
        self.assertClientError(bad.get_object, "InvalidAccessKeyId", 403, Bucket=self.bucket,
                               Key="k")

    def test_anonymous_denied(self):
        status, hdrs, body = http_get(f"{self.daemon.endpoint}/{self.bucket}/")
        self.assertEqual((status, error_code(body)), (403, "AccessDenied"), body)

    def _post_form(self, url, fields, file_data, filename="upload.bin"):
        boundary = "----maxio" + uuid.uuid4().hex
        parts = []
        for k, v in fields.items():
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n'
                         f'{v}\r\n'.encode())
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
                     f'filename="{filename}"\r\nContent-Type: application/octet-stream\r\n\r\n'
                     .encode() + file_data + b"\r\n")
        parts.append(f"--{boundary}--\r\n".encode())
        return http_get(url, method="POST", data=b"".join(parts),
                        headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})

    def test_presigned_post(self):
        data = deterministic_bytes(5000, seed=21)
        post = self.s3.generate_presigned_post(
            self.bucket, "post/${filename}",
            Fields={"Content-Type": "text/plain", "x-amz-meta-via": "post"},
            Conditions=[{"Content-Type": "text/plain"}, {"x-amz-meta-via": "post"},
                        ["content-length-range", 1, 10000],
                        ["starts-with", "$key", "post/"]],
            ExpiresIn=300)
        status, _, body = self._post_form(post["url"], post["fields"], data,
                                          filename="form file.txt")
        self.assertEqual(status, 204, body)
        g = self.s3.get_object(Bucket=self.bucket, Key="post/form file.txt")
        self.assertEqual(g["Body"].read(), data)
        self.assertEqual(g["ContentType"], "text/plain")
        self.assertEqual(g["Metadata"], {"via": "post"})

        # success_action_status 201 returns a PostResponse document
        post = self.s3.generate_presigned_post(
            self.bucket, "post/201", Fields={"success_action_status": "201"},
            Conditions=[{"success_action_status": "201"}], ExpiresIn=300)
        status, _, body = self._post_form(post["url"], post["fields"], b"created")
        self.assertEqual(status, 201, body)
        root = ET.fromstring(body)
        self.assertTrue(root.tag.endswith("PostResponse"), body)
        self.assertEqual(self.s3.get_object(Bucket=self.bucket, Key="post/201")["Body"].read(),
                         b"created")

        # too large for content-length-range
        post = self.s3.generate_presigned_post(
            self.bucket, "post/big", Conditions=[["content-length-range", 1, 10]],
            ExpiresIn=300)
        status, _, body = self._post_form(post["url"], post["fields"], b"x" * 100)
        self.assertEqual((status, error_code(body)), (400, "EntityTooLarge"), body)
        # key outside the signed policy
        post = self.s3.generate_presigned_post(self.bucket, "post/exact", ExpiresIn=300)
        fields = dict(post["fields"])
        fields["key"] = "post/other"
        status, _, body = self._post_form(post["url"], fields, b"x")
        self.assertEqual(status, 403, body)
        # tampered signature
        fields = dict(post["fields"])
        sig_field = "x-amz-signature" if "x-amz-signature" in fields else "signature"
        fields[sig_field] = "0" * len(fields[sig_field])
        status, _, body = self._post_form(post["url"], fields, b"x")
        self.assertEqual((status, error_code(body)), (403, "SignatureDoesNotMatch"), body)
        for k in ("post/big", "post/other", "post/exact"):
            self.assertClientError(self.s3.head_object, "404", 404, Bucket=self.bucket, Key=k)


class SigV2Test(Boto3Base):
    """boto3 with signature_version 's3' (AWS SigV2). botocore signs bucket-level requests
    with the resource "/bucket/" while sending the path "/bucket" (as AWS accepts)."""

    def test_sigv2_object_operations(self):
        v2 = self.daemon.boto3_client(signature_version="s3")
        name = self.make_bucket("v2obj")  # created with SigV4
        data = deterministic_bytes(300 * KiB, seed=31)
        key = "v2/key with space+ünï"
        put = v2.put_object(Bucket=name, Key=key, Body=data, Metadata={"sig": "v2"},
                            ContentType="application/x-v2")
        self.assertEqual(put["ETag"], f'"{md5_hex(data)}"')
        g = v2.get_object(Bucket=name, Key=key)
        self.assertEqual(g["Body"].read(), data)
        self.assertEqual(g["Metadata"], {"sig": "v2"})
        self.assertEqual(v2.get_object(Bucket=name, Key=key, Range="bytes=1-2")["Body"].read(),
                         data[1:3])
        self.assertEqual(v2.head_object(Bucket=name, Key=key)["ContentLength"], len(data))
        v2.copy_object(Bucket=name, Key="v2/copy", CopySource={"Bucket": name, "Key": key})
        self.assertEqual(self.s3.get_object(Bucket=name, Key="v2/copy")["Body"].read(), data)
        url = v2.generate_presigned_url("get_object", Params={"Bucket": name, "Key": key},
                                        ExpiresIn=300)
        self.assertIn("Signature=", url)
        self.assertIn("AWSAccessKeyId=", url)
        status, _, body = http_get(url)
        self.assertEqual(status, 200, body)
        self.assertEqual(body, data)
        bad = self.daemon.boto3_client(signature_version="s3",
                                       secret_key=self.daemon.secret_key + "x")
        self.assertClientError(bad.get_object, "SignatureDoesNotMatch", 403, Bucket=name,
                               Key=key)
        v2.delete_object(Bucket=name, Key=key)
        self.assertClientError(self.s3.head_object, "404", 404, Bucket=name, Key=key)

    def test_sigv2_bucket_operations(self):
        v2 = self.daemon.boto3_client(signature_version="s3")
        self.assertIn("Buckets", v2.list_buckets())
        name = new_bucket_name("v2")
        v2.create_bucket(Bucket=name)
        v2.head_bucket(Bucket=name)
        v2.put_object(Bucket=name, Key="k1", Body=b"1")
        v2.put_object(Bucket=name, Key="k2", Body=b"2")
        self.assertEqual([o["Key"] for o in v2.list_objects(Bucket=name)["Contents"]],
                         ["k1", "k2"])
        self.assertEqual([o["Key"] for o in v2.list_objects_v2(Bucket=name)["Contents"]],
                         ["k1", "k2"])
        # botocore before 1.31 signs DeleteObjects' resource as "/bucket?delete?delete", a
        # string no server can reproduce (AWS rejects it too): use SigV4 there.
        deleter = v2 if botocore_version() >= (1, 31) else self.s3
        r = deleter.delete_objects(Bucket=name,
                                   Delete={"Objects": [{"Key": "k1"}, {"Key": "k2"}]})
        self.assertEqual(len(r.get("Deleted", [])), 2)
        v2.delete_bucket(Bucket=name)


def botocore_version():
    import botocore
    return tuple(int(part) for part in botocore.__version__.split(".")[:2])


class ConcurrencyTest(Boto3Base):
    def test_parallel_put_get_and_same_key_overwrites(self):
        import concurrent.futures
        import random
        b = self.make_bucket("conc")
        rnd = random.Random(1234)
        sizes = [rnd.choice([0, 1, 100, 64 * KiB, 300 * KiB, MiB + 7, 2 * MiB + 1])
                 for _ in range(120)]
        objects = {f"par/{i:03d}": deterministic_bytes(sz, seed=1000 + i)
                   for i, sz in enumerate(sizes)}
        clients = [self.daemon.boto3_client(max_pool_connections=4) for _ in range(8)]

        def put_get(item):
            idx, (k, v) = item
            c = clients[idx % len(clients)]
            c.put_object(Bucket=b, Key=k, Body=v)
            got = c.get_object(Bucket=b, Key=k)["Body"].read()
            return k, got == v

        with concurrent.futures.ThreadPoolExecutor(16) as pool:
            results = list(pool.map(put_get, enumerate(objects.items())))
        self.assertEqual([k for k, ok in results if not ok], [])
        listed = []
        for page in self.s3.get_paginator("list_objects_v2").paginate(Bucket=b, Prefix="par/"):
            listed += [(o["Key"], o["Size"]) for o in page.get("Contents", [])]
        self.assertEqual(listed, sorted((k, len(v)) for k, v in objects.items()))

        # Many writers on one key: every read sees one complete version, never a mix.
        versions = [deterministic_bytes(512 * KiB + i, seed=5000 + i) for i in range(12)]
        digests = {hashlib.md5(v).hexdigest() for v in versions}

        def writer(i):
            clients[i % len(clients)].put_object(Bucket=b, Key="hot", Body=versions[i])

        def reader(i):
            for _ in range(5):
                try:
                    body = clients[i % len(clients)].get_object(Bucket=b, Key="hot")["Body"].read()
                except ClientError as e:
                    if e.response["Error"]["Code"] == "NoSuchKey":
                        continue
                    raise
                if hashlib.md5(body).hexdigest() not in digests:
                    return False
            return True

        with concurrent.futures.ThreadPoolExecutor(16) as pool:
            ws = [pool.submit(writer, i) for i in range(len(versions))]
            rs = [pool.submit(reader, i) for i in range(8)]
            for f in ws:
                f.result()
            self.assertTrue(all(f.result() for f in rs), "a reader saw a torn object")
        final = self.s3.get_object(Bucket=b, Key="hot")["Body"].read()
        self.assertIn(hashlib.md5(final).hexdigest(), digests)


class VirtualHostTest(Boto3Base):
    """Virtual-host-style addressing; needs maxiod --domain localhost."""
    daemon_domain = "localhost"

    def test_virtual_host_requests(self):
        d = self.daemon
        name = new_bucket_name("vh")
        host = f"{name}.localhost:{d.port}"
        status, _, body = d.raw_request("PUT", "/", host_header=host)
        self.assertEqual(status, 200, body)
        self.s3.head_bucket(Bucket=name)  # visible path-style
        data = b"virtual host data"
        status, hdrs, body = d.raw_request("PUT", "/dir/obj%20one", host_header=host, body=data)
        self.assertEqual(status, 200, body)
        self.assertEqual(hdrs.get("etag"), f'"{md5_hex(data)}"')
        self.assertEqual(self.s3.get_object(Bucket=name, Key="dir/obj one")["Body"].read(), data)
        status, _, body = d.raw_request("GET", "/dir/obj%20one", host_header=host)
        self.assertEqual((status, body), (200, data))
        status, _, body = d.raw_request("GET", "/", query="list-type=2", host_header=host)
        self.assertEqual(status, 200, body)
        root = ET.fromstring(body)
        keys = [e.text for e in root.iter(harness.S3_NS + "Key")]
        self.assertEqual(keys, ["dir/obj one"])
        # the bare domain is the service endpoint: ListBuckets
        status, _, body = d.raw_request("GET", "/", host_header=f"localhost:{d.port}")
        self.assertEqual(status, 200, body)
        self.assertIn(name.encode(), body)
        # path style keeps working with --domain
        self.s3.put_object(Bucket=name, Key="path-style", Body=b"p")
        status, _, body = d.raw_request("DELETE", "/dir/obj%20one", host_header=host)
        self.assertEqual(status, 204, body)
        status, _, body = d.raw_request("GET", "/", query="list-type=2", host_header=host)
        self.assertEqual([e.text for e in ET.fromstring(body).iter(harness.S3_NS + "Key")],
                         ["path-style"])


if __name__ == "__main__":
    print(f"boto3 {boto3.__version__} / botocore {botocore.__version__} on "
          f"{sys.executable} ({sys.version.split()[0]})")
    harness.main()
