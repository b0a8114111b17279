#!/usr/bin/env python3
"""The admin API's bucket configuration routes (docs/admin-api.md, "Buckets") against a
real maxiod: versioning, quota (and its enforcement on PutObject, CopyObject and POST
uploads) and policy, root-only, shared with the S3 sub-resources.
"""

import json
import os
import sys
import time
import unittest
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import DaemonTestCase  # noqa: E402
from test_admin import AdminClient  # noqa: E402

harness.require_boto3()
from botocore.exceptions import ClientError  # noqa: E402

KiB = 1024


def new_bucket_name(tag):
    return f"adm-{tag}-{uuid.uuid4().hex[:10]}"


class AdminBucketTest(DaemonTestCase):
    daemon_env = {"MAXIO_SCANNER_INTERVAL": "1s"}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin = AdminClient(cls.daemon)
        cls.s3 = cls.daemon.boto3_client()

    def make_bucket(self, tag, **kwargs):
        name = new_bucket_name(tag)
        self.s3.create_bucket(Bucket=name, **kwargs)
        return name

    def error(self, method, route, params=None, body=b""):
        status, _, doc, raw = self.admin.request(method, route, params, body)
        self.assertIsNotNone(doc, raw)
        return status, doc["Code"]

    def s3_error(self, fn, **kwargs):
        with self.assertRaises(ClientError) as cm:
            fn(**kwargs)
        r = cm.exception.response
        return r["ResponseMetadata"]["HTTPStatusCode"], r["Error"]["Code"]

    # ------------------------------------------------------------------ versioning
    def test_versioning(self):
        b = self.make_bucket("ver")
        self.assertEqual(self.admin.ok("GET", "/bucket/versioning", {"bucket": b}),
                         {"bucket": b, "status": "Unversioned", "object_lock": False})
        doc = self.admin.ok("PUT", "/bucket/versioning", {"bucket": b},
                            body=b'{"status":"Enabled"}')
        self.assertEqual(doc["status"], "Enabled")
        # The S3 API sees the same state.
        self.assertEqual(self.s3.get_bucket_versioning(Bucket=b)["Status"], "Enabled")
        self.s3.put_bucket_versioning(Bucket=b, VersioningConfiguration={"Status": "Suspended"})
        self.assertEqual(self.admin.ok("GET", "/bucket/versioning", {"bucket": b})["status"],
                         "Suspended")
        for body in (b"", b"{}", b'{"status":"On"}', b"[1]"):
            with self.subTest(body=body):
                self.assertEqual(self.error("PUT", "/bucket/versioning", {"bucket": b}, body),
                                 (400, "XMaxioAdminInvalidArgument"))

    def test_versioning_on_a_lock_bucket(self):
        b = self.make_bucket("lock", ObjectLockEnabledForBucket=True)
        self.assertEqual(self.admin.ok("GET", "/bucket/versioning", {"bucket": b}),
                         {"bucket": b, "status": "Enabled", "object_lock": True})
        self.assertEqual(self.error("PUT", "/bucket/versioning", {"bucket": b},
                                    b'{"status":"Suspended"}'), (409, "InvalidBucketState"))

    def test_bucket_parameter(self):
        self.assertEqual(self.error("GET", "/bucket/versioning"),
                         (400, "XMaxioAdminInvalidArgument"))
        self.assertEqual(self.error("GET", "/bucket/quota", {"bucket": "Bad_Name"}),
                         (400, "InvalidBucketName"))
        for route in ("/bucket/versioning", "/bucket/quota", "/bucket/policy"):
            with self.subTest(route=route):
                self.assertEqual(self.error("GET", route, {"bucket": new_bucket_name("none")}),
                                 (404, "NoSuchBucket"))

    def test_root_only(self):
        b = self.make_bucket("auth")
        status, _, doc, _ = self.admin.request("GET", "/bucket/policy", {"bucket": b},
                                               sign=False)
        self.assertEqual((status, doc["Code"]), (403, "AccessDenied"))
        status, _, doc, _ = self.admin.request("PUT", "/bucket/quota", {"bucket": b},
                                               body=b'{"quota":1,"quotatype":"hard"}',
                                               secret="wrong-secret")
        self.assertEqual((status, doc["Code"]), (403, "SignatureDoesNotMatch"))
        self.assertEqual(self.error("GET", "/bucket/quota", {"bucket": b}),
                         (404, "XMinioAdminNoSuchQuotaConfiguration"))

    # ------------------------------------------------------------------ quota
    def test_quota_set_get_clear(self):
        b = self.make_bucket("quota")
        self.assertEqual(self.error("GET", "/bucket/quota", {"bucket": b}),
                         (404, "XMinioAdminNoSuchQuotaConfiguration"))
        doc = self.admin.ok("PUT", "/bucket/quota", {"bucket": b},
                            body=b'{"quota":1048576,"quotatype":"hard"}')
        self.assertEqual(doc, {"bucket": b, "quota": 1048576, "quotatype": "hard"})
        self.assertEqual(self.admin.ok("GET", "/bucket/quota", {"bucket": b}), doc)
        for body in (b"nope", b'{"quota":10,"quotatype":"fifo"}', b'{"quota":0,"quotatype":"hard"}'):
            with self.subTest(body=body):
                self.assertEqual(self.error("PUT", "/bucket/quota", {"bucket": b}, body),
                                 (400, "XMaxioAdminInvalidArgument"))
        self.assertEqual(self.admin.ok("DELETE", "/bucket/quota", {"bucket": b}),
                         {"bucket": b, "quota": None})
        self.assertEqual(self.error("GET", "/bucket/quota", {"bucket": b}),
                         (404, "XMinioAdminNoSuchQuotaConfiguration"))

    def test_hard_quota_refuses_writes(self):
        b = self.make_bucket("full")
        self.admin.ok("PUT", "/bucket/quota", {"bucket": b},
                      body=b'{"quota":1048576,"quotatype":"hard"}')
        # An object as large as the quota is refused at once.
        self.assertEqual(self.s3_error(self.s3.put_object, Bucket=b, Key="big",
                                       Body=b"x" * 1048576),
                         (400, "XMinioAdminBucketQuotaExceeded"))
        self.s3.put_object(Bucket=b, Key="first", Body=b"a" * (600 * KiB))
        # Once the scanner has counted the first object, the second would pass the quota.
        deadline = time.time() + 20
        while time.time() < deadline:
            usage = {u["bucket"]: u for u in
                     self.admin.ok("GET", "/datausage").get("buckets", [])}
            if usage.get(b, {}).get("bytes", 0) > 0:
                break
            time.sleep(0.3)
        else:
            self.fail("the scanner never counted the bucket")
        self.assertEqual(self.s3_error(self.s3.put_object, Bucket=b, Key="second",
                                       Body=b"b" * (600 * KiB)),
                         (400, "XMinioAdminBucketQuotaExceeded"))
        self.assertEqual(self.s3_error(self.s3.copy_object, Bucket=b, Key="copy",
                                       CopySource={"Bucket": b, "Key": "first"}),
                         (400, "XMinioAdminBucketQuotaExceeded"))
        self.s3.put_object(Bucket=b, Key="small", Body=b"c" * KiB)  # still fits
        self.s3.head_object(Bucket=b, Key="small")
        # Cleared: writes pass again.
        self.admin.ok("DELETE", "/bucket/quota", {"bucket": b})
        self.s3.put_object(Bucket=b, Key="second", Body=b"b" * (600 * KiB))

    # ------------------------------------------------------------------ policy
    def test_policy(self):
        b = self.make_bucket("pol")
        self.assertEqual(self.error("GET", "/bucket/policy", {"bucket": b}),
                         (404, "NoSuchBucketPolicy"))
        policy = {"Version": "2012-10-17", "Statement": [{
            "Effect": "Allow", "Principal": {"AWS": ["*"]}, "Action": ["s3:GetObject"],
            "Resource": [f"arn:aws:s3:::{b}/*"]}]}
        body = json.dumps(policy).encode()
        self.assertEqual(self.admin.ok("PUT", "/bucket/policy", {"bucket": b}, body=body),
                         {"bucket": b, "policy": policy})
        self.assertEqual(self.admin.ok("GET", "/bucket/policy", {"bucket": b})["policy"], policy)
        # Byte for byte through S3.
        self.assertEqual(self.s3.get_bucket_policy(Bucket=b)["Policy"], body.decode())
        bad = dict(policy, Statement=[dict(policy["Statement"][0],
                                           Resource=["arn:aws:s3:::other/*"])])
        self.assertEqual(self.error("PUT", "/bucket/policy", {"bucket": b},
                                    json.dumps(bad).encode()), (400, "MalformedPolicy"))
        self.assertEqual(self.admin.ok("DELETE", "/bucket/policy", {"bucket": b}),
                         {"bucket": b, "policy": None})
        self.assertEqual(self.s3_error(self.s3.get_bucket_policy, Bucket=b),
                         (404, "NoSuchBucketPolicy"))


if __name__ == "__main__":
    harness.main()
