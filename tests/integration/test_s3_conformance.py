#!/usr/bin/env python3
"""S3 conformance of each operation against the AWS S3 API reference: exact status codes,
error codes and headers, as raw SigV4-signed HTTP (botocore's signer) and through boto3.

Exit code 77 (ctest SKIP_RETURN_CODE) when boto3 is missing from a non-Debian interpreter.
"""

import base64
import datetime
import email.utils
import hashlib
import os
import re
import sys
import urllib.parse
import uuid
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import S3_NS, DaemonTestCase, error_code  # noqa: E402

harness.require_boto3()
import boto3  # noqa: E402,F401
from botocore.exceptions import ClientError  # noqa: E402

GiB = 1 << 30
ISO8601_MS = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")


def q(key):
    """Percent-encode a key for a request path the way SDKs do."""
    return urllib.parse.quote(key, safe="/~")


def qs(**params):
    """A query string; names with '_' are sent with '-' (max_keys → max-keys)."""
    return "&".join(f"{k.replace('_', '-')}={urllib.parse.quote(str(v), safe='-_.~')}"
                    for k, v in params.items())


def md5_b64(data):
    return base64.b64encode(hashlib.md5(data).digest()).decode()


def xml_text(root, path):
    """Text of the first element at `path` (names without namespace, '/'-separated)."""
    el = root.find("/".join(S3_NS + p for p in path.split("/")))
    return None if el is None else (el.text or "")


def xml_all(root, path):
    return [el.text or "" for el in root.findall("/".join(S3_NS + p for p in path.split("/")))]


def new_bucket_name(tag):
    return f"conf-{tag}-{uuid.uuid4().hex[:10]}"


class S3ConformanceTest(DaemonTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.s3 = cls.daemon.boto3_client()
        cls.bucket = new_bucket_name("main")
        cls.s3.create_bucket(Bucket=cls.bucket)

    # -------------------------------------------------------------- helpers
    def req(self, method, path, query="", headers=None, body=b"", **kw):
        """A signed raw request; every response must carry x-amz-request-id."""
        status, h, data = self.daemon.raw_request(method, path, query=query, headers=headers,
                                                  body=body, **kw)
        self.assertRegex(h.get("x-amz-request-id", ""), r"^[0-9A-F]{16}$",
                         f"{method} {path}?{query} -> {status}: no x-amz-request-id")
        return status, h, data

    def assertError(self, response, status, code, path=None):
        """An S3 error document: status, Code, Message, Resource, RequestId, XML type."""
        got_status, h, body = response
        self.assertEqual((got_status, error_code(body)), (status, code), body[:500])
        self.assertEqual(h.get("content-type"), "application/xml")
        root = ET.fromstring(body)
        self.assertEqual(root.tag, "Error")
        for field in ("Code", "Message", "Resource", "RequestId"):
            self.assertTrue(root.findtext(field), f"<{field}> missing: {body!r}")
        self.assertEqual(root.findtext("RequestId"), h["x-amz-request-id"])
        if path is not None:
            self.assertEqual(root.findtext("Resource"), path)
        return root

    def put(self, key, data=b"", bucket=None, headers=None):
        status, h, body = self.req("PUT", f"/{bucket or self.bucket}/{q(key)}", body=data,
                                   headers=headers)
        self.assertEqual(status, 200, body)
        return h

    def list_xml(self, bucket, query):
        status, _, body = self.req("GET", f"/{bucket}", query=query)
        self.assertEqual(status, 200, body)
        return ET.fromstring(body)

    def delete_objects_raw(self, bucket, xml_body):
        return self.req("POST", f"/{bucket}", query="delete=", body=xml_body,
                        headers={"Content-MD5": md5_b64(xml_body)})

    def make_listing_bucket(self, keys):
        bucket = new_bucket_name("list")
        self.s3.create_bucket(Bucket=bucket)
        for k in keys:
            self.put(k, k.encode(), bucket=bucket)
        return bucket

    # -------------------------------------------------------------- ListObjectsV2
    def test_list_v2_invalid_continuation_token(self):
        # Base64 of NULs or of invalid UTF-8 is no key either.
        for token in ("!!!not-base64!!!", "abc", "%%%", "AAAA", "/w=="):
            with self.subTest(token=token):
                self.assertError(
                    self.req("GET", f"/{self.bucket}",
                             query=qs(list_type=2, continuation_token=token)),
                    400, "InvalidArgument")

    def test_list_max_keys(self):
        bucket = self.make_listing_bucket(["k1", "k2"])
        root = self.list_xml(bucket, qs(list_type=2, max_keys=0))
        self.assertEqual(xml_text(root, "KeyCount"), "0")
        self.assertEqual(xml_text(root, "MaxKeys"), "0")
        self.assertEqual(xml_text(root, "IsTruncated"), "false")
        self.assertEqual(xml_all(root, "Contents/Key"), [])
        self.assertIsNone(xml_text(root, "NextContinuationToken"))
        root = self.list_xml(bucket, qs(list_type=2, max_keys=5000))
        self.assertEqual(xml_text(root, "MaxKeys"), "1000")
        self.assertEqual(xml_all(root, "Contents/Key"), ["k1", "k2"])
        for list_query in ({"list_type": 2}, {}, {"versions": ""}):
            for bad in ("-1", "abc", "1.5", "99999999999"):
                with self.subTest(query=list_query, max_keys=bad):
                    self.assertError(
                        self.req("GET", f"/{bucket}", query=qs(**list_query, max_keys=bad)),
                        400, "InvalidArgument")

    def test_list_delimiters_other_than_slash(self):
        bucket = self.make_listing_bucket(["b-1", "b-2", "c", "xaby", "xabz", "xy", "p/q-r"])
        root = self.list_xml(bucket, qs(list_type=2, delimiter="-"))
        self.assertEqual(xml_all(root, "CommonPrefixes/Prefix"), ["b-", "p/q-"])
        self.assertEqual(xml_all(root, "Contents/Key"), ["c", "xaby", "xabz", "xy"])
        self.assertEqual(xml_text(root, "Delimiter"), "-")
        self.assertEqual(xml_text(root, "KeyCount"), "6")
        root = self.list_xml(bucket, qs(list_type=2, delimiter="ab"))
        self.assertEqual(xml_all(root, "CommonPrefixes/Prefix"), ["xab"])
        self.assertEqual(xml_all(root, "Contents/Key"), ["b-1", "b-2", "c", "p/q-r", "xy"])
        root = self.list_xml(bucket, qs(list_type=2, delimiter="ab", prefix="x"))
        self.assertEqual(xml_all(root, "CommonPrefixes/Prefix"), ["xab"])
        self.assertEqual(xml_all(root, "Contents/Key"), ["xy"])
        # Paginated by one: the common prefix comes once.
        seen, token = [], None
        while True:
            params = dict(list_type=2, delimiter="-", max_keys=1)
            if token:
                params["continuation_token"] = token
            root = self.list_xml(bucket, qs(**params))
            seen += xml_all(root, "Contents/Key") + xml_all(root, "CommonPrefixes/Prefix")
            if xml_text(root, "IsTruncated") != "true":
                break
            token = xml_text(root, "NextContinuationToken")
        self.assertEqual(seen, ["b-", "c", "p/q-", "xaby", "xabz", "xy"])

    def test_list_prefix_delimiter_start_after(self):
        bucket = self.make_listing_bucket(["a/1", "a/2", "a/b/3", "a/c/4", "ab", "z"])
        root = self.list_xml(bucket, qs(list_type=2, prefix="a/", delimiter="/",
                                        start_after="a/zzz"))
        self.assertEqual(xml_all(root, "Contents/Key") + xml_all(root, "CommonPrefixes/Prefix"),
                         [])
        self.assertEqual(xml_text(root, "KeyCount"), "0")
        self.assertEqual(xml_text(root, "IsTruncated"), "false")
        self.assertEqual(xml_text(root, "StartAfter"), "a/zzz")
        root = self.list_xml(bucket, qs(list_type=2, prefix="a/", delimiter="/",
                                        start_after="a/1"))
        self.assertEqual(xml_all(root, "Contents/Key"), ["a/2"])
        self.assertEqual(xml_all(root, "CommonPrefixes/Prefix"), ["a/b/", "a/c/"])
        self.assertEqual(xml_text(root, "KeyCount"), "3")
        root = self.list_xml(bucket, qs(list_type=2, prefix="a", delimiter="/"))
        self.assertEqual(xml_all(root, "Contents/Key"), ["ab"])
        self.assertEqual(xml_all(root, "CommonPrefixes/Prefix"), ["a/"])
        self.assertEqual(xml_text(root, "KeyCount"), "2")
        self.assertEqual(xml_text(root, "Prefix"), "a")

    def test_list_v2_echoes_and_fetch_owner(self):
        bucket = self.make_listing_bucket(["k1", "k2", "k3"])
        root = self.list_xml(bucket, qs(list_type=2, max_keys=1))
        self.assertEqual(xml_text(root, "IsTruncated"), "true")
        self.assertIsNone(xml_text(root, "ContinuationToken"))
        self.assertIsNone(xml_text(root, "StartAfter"))
        self.assertIsNone(xml_text(root, "Contents/Owner"))
        token = xml_text(root, "NextContinuationToken")
        self.assertTrue(token)
        root = self.list_xml(bucket, qs(list_type=2, max_keys=1, continuation_token=token,
                                        fetch_owner="true", start_after="k0"))
        self.assertEqual(xml_text(root, "ContinuationToken"), token)
        self.assertEqual(xml_text(root, "StartAfter"), "k0")
        self.assertEqual(xml_all(root, "Contents/Key"), ["k2"])
        self.assertTrue(xml_text(root, "Contents/Owner/ID"))
        self.assertEqual(xml_text(root, "Name"), bucket)
        # boto3 pages through all of it.
        pages = self.s3.get_paginator("list_objects_v2").paginate(
            Bucket=bucket, PaginationConfig={"PageSize": 1})
        self.assertEqual([o["Key"] for p in pages for o in p.get("Contents", [])],
                         ["k1", "k2", "k3"])

    def test_list_encoding_type_url(self):
        keys = ["sp ace/x", "plus+/y", "ü/z", "amp&<x>", "tilde~", "pct%41"]
        bucket = self.make_listing_bucket(keys)
        prefix_param = "sp ace/"
        root = self.list_xml(bucket, qs(list_type=2, encoding_type="url", delimiter="/",
                                        start_after=" a+"))
        self.assertEqual(xml_text(root, "EncodingType"), "url")
        self.assertEqual(urllib.parse.unquote_plus(xml_text(root, "StartAfter")), " a+")
        self.assertEqual(urllib.parse.unquote_plus(xml_text(root, "Delimiter")), "/")
        found = [urllib.parse.unquote_plus(k) for k in
                 xml_all(root, "Contents/Key") + xml_all(root, "CommonPrefixes/Prefix")]
        self.assertEqual(sorted(found),
                         sorted(["amp&<x>", "tilde~", "pct%41", "sp ace/", "plus+/", "ü/"]))
        for raw in xml_all(root, "Contents/Key") + xml_all(root, "CommonPrefixes/Prefix"):
            self.assertNotRegex(raw, r"[ &<>\x80-\uffff]")
            self.assertNotIn("+/", raw)  # '+' must be %2B, or it decodes as a space
        root = self.list_xml(bucket, qs(list_type=2, encoding_type="url", prefix=prefix_param))
        self.assertEqual(urllib.parse.unquote_plus(xml_text(root, "Prefix")), prefix_param)
        self.assertEqual([urllib.parse.unquote_plus(k) for k in xml_all(root, "Contents/Key")],
                         ["sp ace/x"])
        root = self.list_xml(bucket, qs(encoding_type="url", marker="plus+/", prefix="p",
                                        delimiter="/"))
        self.assertEqual(urllib.parse.unquote_plus(xml_text(root, "Marker")), "plus+/")
        self.assertEqual(xml_all(root, "CommonPrefixes/Prefix"), [])
        self.assertError(self.req("GET", f"/{bucket}", query=qs(list_type=2, encoding_type="xml")),
                         400, "InvalidArgument")
        # boto3 asks for url encoding and decodes it.
        listed = self.s3.list_objects_v2(Bucket=bucket)
        self.assertEqual(sorted(o["Key"] for o in listed["Contents"]), sorted(keys))
        listed = self.s3.list_objects(Bucket=bucket)
        self.assertEqual(sorted(o["Key"] for o in listed["Contents"]), sorted(keys))

    def test_list_v1_markers(self):
        bucket = self.make_listing_bucket(["a/1", "a/2", "b", "c"])
        root = self.list_xml(bucket, qs(max_keys=2))
        self.assertEqual(xml_text(root, "IsTruncated"), "true")
        self.assertIsNone(xml_text(root, "NextMarker"))  # only with a delimiter
        self.assertEqual(xml_text(root, "Marker"), "")
        root = self.list_xml(bucket, qs(max_keys=1, delimiter="/"))
        self.assertEqual(xml_all(root, "CommonPrefixes/Prefix"), ["a/"])
        self.assertEqual(xml_text(root, "NextMarker"), "a/")
        root = self.list_xml(bucket, qs(max_keys=1, delimiter="/", marker="a/"))
        self.assertEqual(xml_text(root, "Marker"), "a/")
        self.assertEqual(xml_all(root, "Contents/Key"), ["b"])
        self.assertEqual(xml_text(root, "NextMarker"), "b")
        root = self.list_xml(bucket, qs(delimiter="/", marker="b"))
        self.assertEqual(xml_all(root, "Contents/Key"), ["c"])
        self.assertEqual(xml_text(root, "IsTruncated"), "false")
        self.assertIsNone(xml_text(root, "NextMarker"))

    def test_list_object_versions_markers(self):
        bucket = self.make_listing_bucket(["v1", "v2", "v3"])
        root = self.list_xml(bucket, qs(versions="", max_keys=2))
        self.assertEqual(xml_text(root, "MaxKeys"), "2")
        self.assertEqual(xml_text(root, "IsTruncated"), "true")
        self.assertEqual(xml_all(root, "Version/Key"), ["v1", "v2"])
        self.assertEqual(xml_all(root, "Version/VersionId"), ["null", "null"])
        self.assertEqual(xml_text(root, "NextKeyMarker"), "v2")
        self.assertEqual(xml_text(root, "NextVersionIdMarker"), "null")
        root = self.list_xml(bucket, qs(versions="", key_marker="v2",
                                        version_id_marker="null"))
        self.assertEqual(xml_text(root, "KeyMarker"), "v2")
        self.assertEqual(xml_text(root, "VersionIdMarker"), "null")
        self.assertEqual(xml_all(root, "Version/Key"), ["v3"])
        self.assertEqual(xml_text(root, "IsTruncated"), "false")
        self.assertIsNone(xml_text(root, "NextKeyMarker"))
        self.assertIsNone(xml_text(root, "NextVersionIdMarker"))
        self.assertError(self.req("GET", f"/{bucket}", query=qs(versions="",
                                                                version_id_marker="null")),
                         400, "InvalidArgument")
        pages = self.s3.get_paginator("list_object_versions").paginate(
            Bucket=bucket, PaginationConfig={"PageSize": 1})
        self.assertEqual([v["Key"] for p in pages for v in p.get("Versions", [])],
                         ["v1", "v2", "v3"])

    # -------------------------------------------------------------- PutObject
    def test_put_entity_too_large_without_body(self):
        # Only the headers are sent: the answer must not wait for 5 GiB of body.
        status, h, body = self.req(
            "PUT", f"/{self.bucket}/huge", headers={"Content-Length": str(5 * GiB + 1)},
            unsigned_payload=True, timeout=15)
        self.assertEqual((status, error_code(body)), (400, "EntityTooLarge"), body)

    def test_put_metadata_too_large(self):
        # AWS counts the bytes of each name (after x-amz-meta-) and value: 2 KiB at most.
        ok = {"x-amz-meta-k": "v" * 2047}
        self.put("meta-ok", b"x", headers=ok)
        self.assertError(self.req("PUT", f"/{self.bucket}/meta-big", body=b"x",
                                  headers={"x-amz-meta-k": "v" * 2048}),
                         400, "MetadataTooLarge")
        with self.assertRaises(ClientError) as cm:
            self.s3.put_object(Bucket=self.bucket, Key="meta-big",
                               Metadata={f"m{i}": "v" * 300 for i in range(8)})
        self.assertEqual(cm.exception.response["Error"]["Code"], "MetadataTooLarge")

    def test_put_content_md5(self):
        data = b"content md5 body"
        path = f"/{self.bucket}/md5"
        for bad in ("not base64!", base64.b64encode(b"x" * 15).decode(), "",
                    hashlib.md5(data).hexdigest()):
            with self.subTest(md5=bad):
                self.assertError(self.req("PUT", path, body=data, headers={"Content-MD5": bad}),
                                 400, "InvalidDigest")
        self.assertError(self.req("PUT", path, body=data,
                                  headers={"Content-MD5": md5_b64(b"other")}),
                         400, "BadDigest")
        h = self.put("md5", data, headers={"Content-MD5": md5_b64(data)})
        self.assertEqual(h["etag"], f'"{hashlib.md5(data).hexdigest()}"')

    def test_put_storage_class(self):
        self.assertError(self.req("PUT", f"/{self.bucket}/sc", body=b"x",
                                  headers={"x-amz-storage-class": "FOO"}),
                         400, "InvalidStorageClass")
        self.put("sc", b"x", headers={"x-amz-storage-class": "STANDARD"})
        head = self.s3.head_object(Bucket=self.bucket, Key="sc")
        self.assertNotIn("StorageClass", head)  # STANDARD is not echoed

    def test_put_features_not_stored_fail(self):
        # SSE and object lock would be dropped silently: the PUT fails instead.
        for headers in ({"x-amz-server-side-encryption": "AES256"},
                        {"x-amz-object-lock-mode": "GOVERNANCE"}):
            with self.subTest(headers=headers):
                self.assertError(self.req("PUT", f"/{self.bucket}/unstored", body=b"x",
                                          headers=headers), 501, "NotImplemented")
        self.assertEqual(self.req("HEAD", f"/{self.bucket}/unstored")[0], 404)

    def test_folder_marker(self):
        bucket = self.make_listing_bucket([])
        h = self.put("folder/", b"", bucket=bucket)
        self.assertEqual(h["etag"], '"d41d8cd98f00b204e9800998ecf8427e"')
        self.put("folder/inner", b"i", bucket=bucket)
        status, h, body = self.req("HEAD", f"/{bucket}/folder/")
        self.assertEqual((status, h.get("content-length")), (200, "0"))
        root = self.list_xml(bucket, qs(list_type=2))
        self.assertEqual(xml_all(root, "Contents/Key"), ["folder/", "folder/inner"])
        self.assertEqual(xml_all(root, "Contents/Size"), ["0", "1"])
        root = self.list_xml(bucket, qs(list_type=2, delimiter="/"))
        self.assertEqual(xml_all(root, "CommonPrefixes/Prefix"), ["folder/"])
        root = self.list_xml(bucket, qs(list_type=2, delimiter="/", prefix="folder/"))
        self.assertEqual(xml_all(root, "Contents/Key"), ["folder/", "folder/inner"])

    # -------------------------------------------------------------- GetObject / HeadObject
    def test_get_ranges(self):
        data = b"0123456789"
        self.put("range", data)
        path = f"/{self.bucket}/range"
        cases = [("bytes=0-0", 206, b"0", "bytes 0-0/10"),
                 ("bytes=-1", 206, b"9", "bytes 9-9/10"),
                 ("bytes=5-", 206, b"56789", "bytes 5-9/10"),
                 ("bytes=0-99999999999", 206, data, "bytes 0-9/10"),
                 ("bytes=-100", 206, data, "bytes 0-9/10"),
                 ("bytes=abc", 200, data, None),
                 ("bytes=5-2", 200, data, None),
                 ("bytes=0-1,4-5", 200, data, None),
                 ("items=0-1", 200, data, None)]
        for spec, status, body, content_range in cases:
            with self.subTest(range=spec):
                got_status, h, got = self.req("GET", path, headers={"Range": spec})
                self.assertEqual((got_status, got), (status, body))
                self.assertEqual(h.get("content-range"), content_range)
                self.assertEqual(h["content-length"], str(len(body)))
                self.assertEqual(h.get("accept-ranges"), "bytes")
        for spec in ("bytes=10-", "bytes=99999999999-", "bytes=-0", "bytes=10-20"):
            with self.subTest(range=spec):
                response = self.req("GET", path, headers={"Range": spec})
                self.assertError(response, 416, "InvalidRange")
                self.assertEqual(response[1].get("content-range"), "bytes */10")
        status, h, body = self.req("HEAD", path, headers={"Range": "bytes=2-5"})
        self.assertEqual((status, body), (206, b""))
        self.assertEqual(h["content-length"], "4")
        self.assertEqual(h["content-range"], "bytes 2-5/10")
        status, h, body = self.req("HEAD", path, headers={"Range": "bytes=10-"})
        self.assertEqual((status, body), (416, b""))

    def test_get_conditionals(self):
        self.put("cond", b"conditional")
        path = f"/{self.bucket}/cond"
        _, h, _ = self.req("HEAD", path)
        etag, last_modified = h["etag"], h["last-modified"]
        lm = email.utils.parsedate_to_datetime(last_modified)
        before = email.utils.format_datetime(lm - datetime.timedelta(seconds=1), usegmt=True)
        ok = [{"If-Match": etag}, {"If-Match": f'"nope", {etag}'}, {"If-Match": "*"},
              {"If-Match": etag.strip('"')}, {"If-Unmodified-Since": last_modified},
              {"If-Match": etag, "If-Unmodified-Since": before},
              {"If-None-Match": '"nope"'}, {"If-Modified-Since": before}]
        for headers in ok:
            for method in ("GET", "HEAD"):
                with self.subTest(method=method, headers=headers):
                    self.assertEqual(self.req(method, path, headers=headers)[0], 200)
        failed = [{"If-Match": '"nope"'}, {"If-Match": '"nope", "other"'},
                  {"If-Unmodified-Since": before}]
        for headers in failed:
            with self.subTest(headers=headers):
                self.assertError(self.req("GET", path, headers=headers), 412,
                                 "PreconditionFailed")
                self.assertEqual(self.req("HEAD", path, headers=headers)[0], 412)
        not_modified = [{"If-None-Match": "*"}, {"If-None-Match": etag},
                        {"If-None-Match": f'W/{etag}'}, {"If-None-Match": f'"a", {etag}'},
                        {"If-Modified-Since": last_modified},
                        {"If-None-Match": etag, "If-Modified-Since": before}]
        for headers in not_modified:
            for method in ("GET", "HEAD"):
                with self.subTest(method=method, headers=headers):
                    status, h, body = self.req(method, path, headers=headers)
                    self.assertEqual((status, body), (304, b""))
                    self.assertEqual(h.get("etag"), etag)
                    self.assertEqual(h.get("last-modified"), last_modified)

    def test_get_response_overrides(self):
        self.put("ovr", b"o", headers={"Content-Type": "text/plain"})
        overrides = {"response-content-type": "application/json",
                     "response-content-disposition": 'attachment; filename="x y.txt"',
                     "response-content-language": "de",
                     "response-content-encoding": "identity",
                     "response-cache-control": "no-cache",
                     "response-expires": "Thu, 01 Dec 1994 16:00:00 GMT"}
        for method in ("GET", "HEAD"):
            status, h, _ = self.req(method, f"/{self.bucket}/ovr", query=qs(**{
                k.replace("-", "_"): v for k, v in overrides.items()}))
            self.assertEqual(status, 200)
            for name, value in overrides.items():
                self.assertEqual(h.get(name[len("response-"):]), value, name)

    def test_get_part_number(self):
        self.put("parts", b"single part")
        for method in ("GET", "HEAD"):
            # AWS serves part 1 of a one-piece object as a range over all of it.
            status, h, body = self.req(method, f"/{self.bucket}/parts", query="partNumber=1")
            self.assertEqual(status, 206)
            self.assertEqual(h["content-length"], "11")
            self.assertEqual(h["content-range"], "bytes 0-10/11")
            self.assertNotIn("x-amz-mp-parts-count", h)
            if method == "GET":
                self.assertEqual(body, b"single part")
        self.assertError(self.req("GET", f"/{self.bucket}/parts", query="partNumber=2"),
                         416, "InvalidPartNumber")
        self.assertEqual(self.req("HEAD", f"/{self.bucket}/parts", query="partNumber=2")[0],
                         416)
        self.assertError(self.req("GET", f"/{self.bucket}/parts", query="partNumber=0"),
                         400, "InvalidArgument")
        self.assertError(self.req("GET", f"/{self.bucket}/parts", query="partNumber=1",
                                  headers={"Range": "bytes=0-1"}), 400, "InvalidRequest")
        self.put("parts-empty", b"")
        self.assertEqual(self.req("GET", f"/{self.bucket}/parts-empty",
                                  query="partNumber=1")[::2], (200, b""))
        response = self.s3.get_object(Bucket=self.bucket, Key="parts", PartNumber=1)
        self.assertEqual(response["Body"].read(), b"single part")
        self.assertNotIn("PartsCount", response)

    def test_head_missing_has_no_body(self):
        missing_bucket = new_bucket_name("none")
        for path in (f"/{self.bucket}/no-such-key", f"/{missing_bucket}",
                     f"/{missing_bucket}/key"):
            with self.subTest(path=path):
                status, h, body = self.req("HEAD", path)
                self.assertEqual((status, body), (404, b""))
                self.assertEqual(h.get("content-type"), "application/xml")
        root = self.assertError(self.req("GET", f"/{self.bucket}/no-such-key"), 404, "NoSuchKey",
                                path=f"/{self.bucket}/no-such-key")
        self.assertEqual(root.findtext("Key"), "no-such-key")
        self.assertEqual(root.findtext("BucketName"), self.bucket)
        root = self.assertError(self.req("GET", f"/{missing_bucket}"), 404, "NoSuchBucket")
        self.assertEqual(root.findtext("BucketName"), missing_bucket)

    # -------------------------------------------------------------- CopyObject
    def copy(self, dst_key, source, headers=None):
        h = {"x-amz-copy-source": source}
        h.update(headers or {})
        return self.req("PUT", f"/{self.bucket}/{q(dst_key)}", headers=h)

    def test_copy_source_forms(self):
        src = "copy src/ü+plus.txt"
        self.put(src, b"copy me")
        b = self.bucket
        for i, source in enumerate([q(f"{b}/{src}"), "/" + q(f"{b}/{src}"),
                                    q(f"{b}/{src}") + "?versionId=null",
                                    urllib.parse.quote(f"{b}/{src}", safe="")]):
            with self.subTest(source=source):
                status, h, body = self.copy(f"copied-{i}", source)
                self.assertEqual(status, 200, body)
                self.assertEqual(h["content-type"], "application/xml")
                root = ET.fromstring(body)
                self.assertEqual(root.tag, S3_NS + "CopyObjectResult")
                self.assertRegex(xml_text(root, "LastModified"), ISO8601_MS)
                self.assertEqual(xml_text(root, "ETag"),
                                 f'"{hashlib.md5(b"copy me").hexdigest()}"')
                self.assertEqual(self.req("GET", f"/{b}/copied-{i}")[2], b"copy me")
        # An unencoded '+' is a plus sign, never a space.
        self.put("a+b", b"plus")
        status, _, body = self.copy("plus-copy", f"{b}/a+b")
        self.assertEqual(status, 200, body)
        self.assertEqual(self.req("GET", f"/{b}/plus-copy")[2], b"plus")
        # boto3 encodes the source itself.
        self.s3.copy_object(Bucket=b, Key="boto-copy", CopySource={"Bucket": b, "Key": src})
        self.assertEqual(self.s3.get_object(Bucket=b, Key="boto-copy")["Body"].read(), b"copy me")

    def test_copy_errors(self):
        b = self.bucket
        self.assertError(self.copy("dst", f"{b}/does-not-exist"), 404, "NoSuchKey")
        self.assertError(self.copy("dst", f"{new_bucket_name('none')}/x"), 404, "NoSuchBucket")
        self.assertError(self.copy("dst", f"{b}"), 400, "InvalidArgument")
        self.put("self", b"self")
        self.assertError(self.copy("self", f"{b}/self"), 400, "InvalidRequest")
        status, _, body = self.copy("self", f"{b}/self",
                                    {"x-amz-metadata-directive": "REPLACE",
                                     "x-amz-meta-new": "1"})
        self.assertEqual(status, 200, body)
        self.assertEqual(self.s3.head_object(Bucket=b, Key="self")["Metadata"], {"new": "1"})
        self.assertError(self.copy("dst", f"{b}/self", {"x-amz-metadata-directive": "MOVE"}),
                         400, "InvalidArgument")

    def test_copy_metadata_directive(self):
        b = self.bucket
        self.put("meta-src", b"m", headers={"Content-Type": "text/plain",
                                            "x-amz-meta-old": "yes", "Cache-Control": "max-age=1",
                                            "Content-Disposition": "inline"})
        status, _, body = self.copy("meta-copy", f"{b}/meta-src")
        self.assertEqual(status, 200, body)
        head = self.s3.head_object(Bucket=b, Key="meta-copy")
        self.assertEqual(head["ContentType"], "text/plain")
        self.assertEqual(head["Metadata"], {"old": "yes"})
        self.assertEqual(head["CacheControl"], "max-age=1")
        self.assertEqual(head["ContentDisposition"], "inline")
        status, _, body = self.copy("meta-replace", f"{b}/meta-src",
                                    {"x-amz-metadata-directive": "REPLACE",
                                     "x-amz-meta-new": "n"})
        self.assertEqual(status, 200, body)
        head = self.s3.head_object(Bucket=b, Key="meta-replace")
        self.assertEqual(head["Metadata"], {"new": "n"})
        self.assertEqual(head["ContentType"], "binary/octet-stream")
        self.assertNotIn("CacheControl", head)
        self.assertNotIn("ContentDisposition", head)

    def test_copy_source_conditions(self):
        b = self.bucket
        self.put("csrc", b"c")
        _, h, _ = self.req("HEAD", f"/{b}/csrc")
        etag, lm = h["etag"], h["last-modified"]
        past = "Mon, 01 Jan 2001 00:00:00 GMT"
        future = "Fri, 01 Jan 2100 00:00:00 GMT"
        failing = [{"x-amz-copy-source-if-match": '"nope"'},
                   {"x-amz-copy-source-if-none-match": etag},
                   {"x-amz-copy-source-if-none-match": "*"},
                   {"x-amz-copy-source-if-unmodified-since": past},
                   {"x-amz-copy-source-if-modified-since": future},
                   {"x-amz-copy-source-if-modified-since": lm}]
        for headers in failing:
            with self.subTest(headers=headers):
                self.assertError(self.copy("cdst", f"{b}/csrc", headers), 412,
                                 "PreconditionFailed")
        passing = [{"x-amz-copy-source-if-match": etag},
                   {"x-amz-copy-source-if-none-match": '"nope"'},
                   {"x-amz-copy-source-if-unmodified-since": lm},
                   {"x-amz-copy-source-if-modified-since": past},
                   {"x-amz-copy-source-if-match": etag,
                    "x-amz-copy-source-if-unmodified-since": past}]
        for headers in passing:
            with self.subTest(headers=headers):
                self.assertEqual(self.copy("cdst", f"{b}/csrc", headers)[0], 200)

    # -------------------------------------------------------------- DeleteObjects
    def test_delete_objects_malformed(self):
        too_many = (b"<Delete>" + b"".join(b"<Object><Key>k%d</Key></Object>" % i
                                           for i in range(1001)) + b"</Delete>")
        for body in (too_many, b"<Delete/>", b"<Delete><Quiet>true</Quiet></Delete>",
                     b"<Delete><Object></Object></Delete>", b"<Nope/>"):
            with self.subTest(body=body[:40]):
                self.assertError(self.delete_objects_raw(self.bucket, body), 400, "MalformedXML")
        body = b"<Delete><Object><Key>x</Key></Object></Delete>"
        self.assertError(self.req("POST", f"/{self.bucket}", query="delete=", body=body,
                                  headers={"Content-MD5": md5_b64(b"other")}),
                         400, "BadDigest")
        self.assertError(self.delete_objects_raw(new_bucket_name("none"), body), 404,
                         "NoSuchBucket")

    def test_delete_objects_nul_and_cdata_keys(self):
        b = self.bucket
        self.put("nul/victim", b"keep")
        # XML has no NUL: "victim&#0;" must not be read as "victim".
        for body in (b"<Delete><Object><Key>nul/victim&#0;</Key></Object></Delete>",
                     b"<Delete><Object><Key>nul/victim&#x00;</Key></Object></Delete>",
                     b"<Delete><Object><Key>nul/victim\x00</Key></Object></Delete>"):
            with self.subTest(body=body):
                self.assertError(self.delete_objects_raw(b, body), 400, "MalformedXML")
        self.assertEqual(self.req("GET", f"/{b}/nul/victim")[2], b"keep")
        body = b"<Delete><Object><Key><![CDATA[nul/vic]]>tim</Key></Object></Delete>"
        root = ET.fromstring(self.delete_objects_raw(b, body)[2])
        self.assertEqual(xml_all(root, "Deleted/Key"), ["nul/victim"])
        self.assertEqual(self.req("HEAD", f"/{b}/nul/victim")[0], 404)

    def test_delete_objects_quiet_and_invalid_keys(self):
        b = self.bucket
        self.put("del-1", b"1")
        body = (b"<Delete><Quiet>true</Quiet><Object><Key>del-1</Key></Object>"
                b"<Object><Key>../x</Key></Object><Object><Key>never</Key></Object></Delete>")
        status, h, data = self.delete_objects_raw(b, body)
        self.assertEqual(status, 200, data)
        root = ET.fromstring(data)
        self.assertEqual(root.tag, S3_NS + "DeleteResult")
        self.assertEqual(xml_all(root, "Deleted/Key"), [])
        self.assertEqual(xml_all(root, "Error/Key"), ["../x"])
        self.assertTrue(xml_text(root, "Error/Code"))
        self.assertTrue(xml_text(root, "Error/Message"))
        self.assertEqual(self.req("HEAD", f"/{b}/del-1")[0], 404)
        body = (b"<Delete><Object><Key>never</Key></Object>"
                b"<Object><Key>a//b</Key></Object></Delete>")
        root = ET.fromstring(self.delete_objects_raw(b, body)[2])
        self.assertEqual(xml_all(root, "Deleted/Key"), ["never"])
        self.assertEqual(xml_all(root, "Error/Key"), ["a//b"])

    def test_delete_objects_escaped_keys(self):
        b = self.bucket
        # \r must come back as &#13; (XML parsers turn a raw CR into LF).
        keys = ["amp&er", "lt<gt>", "quote\"'", "tab\there", "new\nline", "cr\rhere",
                "crlf\r\nhere", "ü&<>"]
        for k in keys:
            self.put(k, b"e")
        result = self.s3.delete_objects(Bucket=b, Delete={
            "Objects": [{"Key": k} for k in keys]})
        self.assertEqual(result.get("Errors", []), [])
        self.assertEqual(sorted(d["Key"] for d in result["Deleted"]), sorted(keys))
        for k in keys:
            self.assertEqual(self.req("HEAD", f"/{b}/{q(k)}")[0], 404, repr(k))

    # -------------------------------------------------------------- CreateBucket
    def test_create_bucket_invalid_names(self):
        names = ["ab", "a" * 64, "MyBucket", "my_bucket", "192.168.5.4", "xn--abc",
                 "sthree-abc", "abc-s3alias", "abc--ol-s3", "abc--x-s3", "a..b", "a.-b",
                 "a-.b", "-abc", "abc-", ".abc", "abc."]
        for name in names:
            with self.subTest(name=name):
                self.assertError(self.req("PUT", f"/{name}"), 400, "InvalidBucketName")
        self.assertEqual(self.req("PUT", f"/{'a' * 63}")[0], 200)
        self.assertEqual(self.req("PUT", "/a.b-c.1")[0], 200)

    def test_create_bucket_configuration(self):
        def config(location):
            return (b'<CreateBucketConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">'
                    b"<LocationConstraint>" + location + b"</LocationConstraint>"
                    b"</CreateBucketConfiguration>")
        name = new_bucket_name("loc")
        self.assertError(self.req("PUT", f"/{name}", body=config(b"eu-west-1")), 400,
                         "InvalidLocationConstraint")
        for body in (b"<CreateBucketConfiguration>", b"not xml", b"<Other/>"):
            with self.subTest(body=body):
                self.assertError(self.req("PUT", f"/{name}", body=body), 400, "MalformedXML")
        self.assertEqual(self.req("HEAD", f"/{name}")[0], 404)
        status, h, _ = self.req("PUT", f"/{name}", body=config(harness.REGION.encode()))
        self.assertEqual(status, 200)
        self.assertEqual(h.get("location"), f"/{name}")
        self.assertError(self.req("PUT", f"/{name}"), 409, "BucketAlreadyOwnedByYou")
        root = ET.fromstring(self.req("GET", f"/{name}", query="location=")[2])
        self.assertEqual(root.tag, S3_NS + "LocationConstraint")
        self.assertEqual(self.s3.get_bucket_location(Bucket=name)["LocationConstraint"], None)

    # -------------------------------------------------------------- version ids
    def test_invalid_version_ids(self):
        b = self.bucket
        self.put("ver", b"v")
        missing = str(uuid.uuid4())
        for version, status, code in (("garbage", 400, "InvalidArgument"),
                                      ("Null", 400, "InvalidArgument"),
                                      (missing, 404, "NoSuchVersion")):
            with self.subTest(version=version):
                query = qs(versionId=version)
                root = self.assertError(self.req("GET", f"/{b}/ver", query=query), status, code)
                self.assertNotIn(version, root.findtext("Message"))
                self.assertEqual(self.req("HEAD", f"/{b}/ver", query=query)[:3:2],
                                 (status, b""))
                if status == 404:
                    # A well-formed version that does not exist: deleted already (AWS and
                    # MinIO answer 204 with the version ID).
                    got = self.req("DELETE", f"/{b}/ver", query=query)
                    self.assertEqual(got[0], 204)
                    self.assertEqual(got[1].get("x-amz-version-id"), version)
                else:
                    self.assertError(self.req("DELETE", f"/{b}/ver", query=query), status, code)
                self.assertError(self.copy("ver-copy", f"{b}/ver?versionId={version}"),
                                 status, code)
        self.assertEqual(self.req("GET", f"/{b}/ver", query="versionId=null")[2], b"v")
        self.assertError(self.req("GET", f"/{b}", query=qs(versions="", key_marker="ver",
                                                          version_id_marker="garbage")),
                         400, "InvalidArgument")
        body = (b"<Delete><Object><Key>ver</Key><VersionId>garbage</VersionId></Object>"
                b"<Object><Key>never</Key><VersionId>null</VersionId></Object></Delete>")
        root = ET.fromstring(self.delete_objects_raw(b, body)[2])
        self.assertEqual(xml_all(root, "Error/Key"), ["ver"])
        self.assertEqual(xml_all(root, "Error/Code"), ["InvalidArgument"])
        self.assertEqual(xml_all(root, "Deleted/Key"), ["never"])
        self.assertEqual(self.req("GET", f"/{b}/ver")[2], b"v")

    def test_list_params_must_be_utf8(self):
        # An echoed parameter that is not UTF-8 would make the response malformed XML.
        for query in ("list-type=2&start-after=%FF", "marker=%FF", "delimiter=%FE",
                      "versions=&key-marker=%FF"):
            with self.subTest(query=query):
                self.assertError(self.req("GET", f"/{self.bucket}", query=query), 400,
                                 "InvalidArgument")

    def test_error_messages_are_aws_messages(self):
        b = new_bucket_name("msg")
        root = self.assertError(self.req("GET", f"/{b}"), 404, "NoSuchBucket")
        self.assertEqual(root.findtext("Message"), "The specified bucket does not exist")
        self.assertEqual(self.req("PUT", f"/{b}")[0], 200)
        root = self.assertError(self.req("PUT", f"/{b}"), 409, "BucketAlreadyOwnedByYou")
        self.assertEqual(root.findtext("Message"), "Your previous request to create the named "
                         "bucket succeeded and you already own it.")
        self.put("x", b"x", bucket=b)
        root = self.assertError(self.req("DELETE", f"/{b}"), 409, "BucketNotEmpty")
        self.assertEqual(root.findtext("Message"), "The bucket you tried to delete is not empty")
        root = self.assertError(self.req("PUT", f"/{b}/y", body=b"y", headers={"If-Match": '"a"'}),
                                412, "PreconditionFailed")
        self.assertEqual(root.findtext("Message"),
                         "At least one of the pre-conditions you specified did not hold")

    # -------------------------------------------------------------- every response
    def test_unsupported_subresources(self):
        b = self.bucket
        self.put("sub", b"keep me")
        cases = [("DELETE", f"/{b}", "website="), ("PUT", f"/{b}", "acl="),
                 ("PUT", f"/{b}/sub", "retention="),
                 ("POST", f"/{b}/sub", "restore="), ("PUT", f"/{b}/sub", "acl="),
                 ("PUT", f"/{b}/sub", "attributes="), ("DELETE", f"/{b}", "metadataTable="),
                 ("PUT", f"/{b}", "metadataConfiguration=")]
        for method, path, query in cases:
            with self.subTest(method=method, path=path, query=query):
                self.assertError(self.req(method, path, query=query, body=b"<x/>"), 501,
                                 "NotImplemented")
        # A read-only bucket sub-resource never turns PUT/DELETE into Create/DeleteBucket.
        empty = new_bucket_name("sub")
        self.assertEqual(self.req("PUT", f"/{empty}")[0], 200)
        for method, query in (("DELETE", "location="), ("DELETE", "versions="),
                              ("DELETE", "metadataTable="), ("PUT", "location="),
                              ("DELETE", "list-type=2")):
            with self.subTest(method=method, query=query):
                status = self.req(method, f"/{empty}", query=query)[0]
                self.assertIn(status, (405, 501))
                self.assertEqual(self.req("HEAD", f"/{empty}")[0], 200)
        self.assertEqual(self.req("GET", f"/{b}/sub")[2], b"keep me")
        self.assertEqual(self.req("HEAD", f"/{b}")[0], 200)

    def test_request_id_on_every_kind_of_response(self):
        b = self.bucket
        self.put("rid", b"r")
        for method, path, headers, status in [
                ("GET", "/", {}, 200), ("HEAD", f"/{b}", {}, 200),
                ("GET", f"/{b}/rid", {}, 200), ("HEAD", f"/{b}/rid", {}, 200),
                ("GET", f"/{b}/rid", {"If-None-Match": "*"}, 304),
                ("DELETE", f"/{b}/rid-none", {}, 204), ("HEAD", f"/{b}/none", {}, 404),
                ("GET", f"/{b}/none", {}, 404)]:
            with self.subTest(method=method, path=path):
                self.assertEqual(self.req(method, path, headers=headers)[0], status)
        status, h, body = self.daemon.raw_request("GET", f"/{b}", sign=False)
        self.assertEqual(status, 403)
        self.assertIn("x-amz-request-id", h)
        self.assertEqual(h.get("content-type"), "application/xml")


class OtherRegionTest(DaemonTestCase):
    """A server started with --region: CreateBucket accepts that region only."""

    daemon_args = ("--region", "eu-west-1")

    def client(self):
        from botocore.config import Config
        d = self.daemon
        return boto3.client("s3", endpoint_url=d.endpoint, aws_access_key_id=d.access_key,
                            aws_secret_access_key=d.secret_key, region_name="eu-west-1",
                            config=Config(signature_version="s3v4",
                                          s3={"addressing_style": "path"},
                                          retries={"max_attempts": 1, "mode": "standard"}))

    def test_location_constraint(self):
        s3 = self.client()
        name = new_bucket_name("eu")
        for other in ("us-east-1", "us-west-2", "EU"):
            with self.subTest(location=other):
                with self.assertRaises(ClientError) as cm:
                    s3.create_bucket(Bucket=name,
                                     CreateBucketConfiguration={"LocationConstraint": other})
                self.assertEqual(cm.exception.response["Error"]["Code"],
                                 "InvalidLocationConstraint")
        s3.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
        self.assertEqual(s3.get_bucket_location(Bucket=name)["LocationConstraint"], "eu-west-1")
        self.assertEqual(s3.head_bucket(Bucket=name)["ResponseMetadata"]["HTTPHeaders"]
                         ["x-amz-bucket-region"], "eu-west-1")
        s3.create_bucket(Bucket=name + "-2")  # no configuration: the server's region
        self.assertEqual(s3.get_bucket_location(Bucket=name + "-2")["LocationConstraint"],
                         "eu-west-1")


if __name__ == "__main__":
    harness.main()
