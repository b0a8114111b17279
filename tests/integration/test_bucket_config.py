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


def policy_for(bucket, resource=None):
    return json.dumps({
        "Version": "2012-10-17",
        "Statement": [{
            "Sid": "read",
            "Effect": "Allow",
            "Principal": {"AWS": ["*"]},
            "Action": ["s3:GetObject"],
            "Resource": [resource or f"arn:aws:s3:::{bucket}/*"],
        }],
    }, indent=1)


class PolicyTest(ConfigBase):
    def test_put_get_delete_returns_what_was_stored(self):
        b = self.make_bucket("pol")
        self.assertClientError(self.s3.get_bucket_policy, "NoSuchBucketPolicy", 404, Bucket=b)
        doc = policy_for(b)
        r = self.s3.put_bucket_policy(Bucket=b, Policy=doc)
        self.assertEqual(r["ResponseMetadata"]["HTTPStatusCode"], 204)
        self.assertEqual(self.s3.get_bucket_policy(Bucket=b)["Policy"], doc)
        status, headers, body = self.raw("GET", b, "policy=")
        self.assertEqual((status, body), (200, doc.encode()))
        self.assertEqual(headers["content-type"], "application/json")
        r = self.s3.delete_bucket_policy(Bucket=b)
        self.assertEqual(r["ResponseMetadata"]["HTTPStatusCode"], 204)
        self.assertClientError(self.s3.get_bucket_policy, "NoSuchBucketPolicy", 404, Bucket=b)

    def test_malformed_policies(self):
        b = self.make_bucket("polbad")
        bad = [
            "not json",
            "[]",
            json.dumps({"Version": "2012-10-17"}),
            json.dumps({"Version": "2000-01-01", "Statement": []}),
            policy_for(b, resource="arn:aws:s3:::another-bucket/*"),
            policy_for(b, resource="*"),
            json.dumps({"Statement": [{"Effect": "Maybe", "Principal": "*",
                                       "Action": "s3:GetObject",
                                       "Resource": f"arn:aws:s3:::{b}/*"}]}),
            json.dumps({"Statement": [{"Effect": "Allow", "Action": "s3:GetObject",
                                       "Resource": f"arn:aws:s3:::{b}/*"}]}),
            json.dumps({"Statement": [{"Effect": "Allow", "Principal": "*",
                                       "Action": "GetObject",
                                       "Resource": f"arn:aws:s3:::{b}/*"}]}),
        ]
        for doc in bad:
            with self.subTest(doc=doc):
                self.assertClientError(self.s3.put_bucket_policy, "MalformedPolicy", 400,
                                       Bucket=b, Policy=doc)
        self.assertClientError(self.s3.get_bucket_policy, "NoSuchBucketPolicy", 404, Bucket=b)


class TaggingTest(ConfigBase):
    def test_put_get_delete(self):
        b = self.make_bucket("tag")
        self.assertClientError(self.s3.get_bucket_tagging, "NoSuchTagSet", 404, Bucket=b)
        tags = [{"Key": "team", "Value": "storage"}, {"Key": "cost", "Value": ""}]
        r = self.s3.put_bucket_tagging(Bucket=b, Tagging={"TagSet": tags})
        self.assertEqual(r["ResponseMetadata"]["HTTPStatusCode"], 204)
        self.assertEqual(self.s3.get_bucket_tagging(Bucket=b)["TagSet"], tags)
        self.s3.delete_bucket_tagging(Bucket=b)
        self.assertClientError(self.s3.get_bucket_tagging, "NoSuchTagSet", 404, Bucket=b)

    def test_limits(self):
        b = self.make_bucket("tagbad")
        cases = [
            [{"Key": f"k{i}", "Value": "v"} for i in range(51)],
            [{"Key": "k" * 129, "Value": "v"}],
            [{"Key": "k", "Value": "v" * 257}],
            [{"Key": "dup", "Value": "1"}, {"Key": "dup", "Value": "2"}],
            [{"Key": "aws:reserved", "Value": "1"}],
        ]
        for tags in cases:
            with self.subTest(n=len(tags), key=tags[0]["Key"][:10]):
                self.assertClientError(self.s3.put_bucket_tagging, "InvalidTag", 400,
                                       Bucket=b, Tagging={"TagSet": tags})
        # The extremes are fine: 50 tags, 128-character keys, 256-character values.
        self.s3.put_bucket_tagging(Bucket=b, Tagging={"TagSet": [
            {"Key": f"{i:03d}" + "k" * 125, "Value": "v" * 256} for i in range(50)]})
        self.assertEqual(len(self.s3.get_bucket_tagging(Bucket=b)["TagSet"]), 50)
        status, _, body = self.raw("PUT", b, "tagging=", body=b"<Tagging><TagSet>")
        self.assertEqual((status, error_code(body)), (400, "MalformedXML"))


CORS_XML = (b'<CORSConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">'
            b'<CORSRule><ID>app</ID><AllowedOrigin>https://*.example.com</AllowedOrigin>'
            b'<AllowedMethod>GET</AllowedMethod><AllowedMethod>PUT</AllowedMethod>'
            b'<AllowedHeader>content-*</AllowedHeader><AllowedHeader>x-amz-date</AllowedHeader>'
            b'<ExposeHeader>ETag</ExposeHeader><MaxAgeSeconds>600</MaxAgeSeconds></CORSRule>'
            b'<CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>HEAD</AllowedMethod>'
            b'</CORSRule></CORSConfiguration>')


class CorsConfigTest(ConfigBase):
    def test_put_get_delete(self):
        b = self.make_bucket("cors")
        self.assertClientError(self.s3.get_bucket_cors, "NoSuchCORSConfiguration", 404,
                               Bucket=b)
        rules = [{"AllowedOrigins": ["https://app.example.com"],
                  "AllowedMethods": ["GET", "PUT"], "AllowedHeaders": ["*"],
                  "ExposeHeaders": ["ETag"], "MaxAgeSeconds": 300}]
        self.s3.put_bucket_cors(Bucket=b, CORSConfiguration={"CORSRules": rules})
        got = self.s3.get_bucket_cors(Bucket=b)["CORSRules"]
        self.assertEqual(got[0]["AllowedOrigins"], ["https://app.example.com"])
        self.assertEqual(got[0]["AllowedMethods"], ["GET", "PUT"])
        self.assertEqual(got[0]["MaxAgeSeconds"], 300)
        # Byte for byte what was sent.
        self.assertEqual(self.raw("PUT", b, "cors=", body=CORS_XML)[0], 200)
        self.assertEqual(self.raw("GET", b, "cors=")[2], CORS_XML)
        self.s3.delete_bucket_cors(Bucket=b)
        self.assertClientError(self.s3.get_bucket_cors, "NoSuchCORSConfiguration", 404,
                               Bucket=b)

    def test_invalid(self):
        b = self.make_bucket("corsbad")
        self.assertClientError(self.s3.put_bucket_cors, "InvalidRequest", 400, Bucket=b,
                               CORSConfiguration={"CORSRules": [
                                   {"AllowedOrigins": ["*"], "AllowedMethods": ["PATCH"]}]})
        self.assertClientError(self.s3.put_bucket_cors, "InvalidRequest", 400, Bucket=b,
                               CORSConfiguration={"CORSRules": [
                                   {"AllowedOrigins": ["*"], "AllowedMethods": ["GET"]}] * 101})
        status, _, body = self.raw("PUT", b, "cors=", body=b"<CORSConfiguration><CORSRule>")
        self.assertEqual((status, error_code(body)), (400, "MalformedXML"))
        status, _, body = self.raw(
            "PUT", b, "cors=",
            body=b"<CORSConfiguration><CORSRule><AllowedMethod>GET</AllowedMethod>"
                 b"</CORSRule></CORSConfiguration>")
        self.assertEqual((status, error_code(body)), (400, "MalformedXML"))


class CorsRequestTest(ConfigBase):
    """Preflight OPTIONS (unsigned) and CORS headers on ordinary responses."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.bucket = new_bucket_name("corsreq")
        cls.s3.create_bucket(Bucket=cls.bucket)
        status, _, body = cls.daemon.raw_request("PUT", f"/{cls.bucket}", query="cors=",
                                                 body=CORS_XML)
        assert status == 200, body
        cls.s3.put_object(Bucket=cls.bucket, Key="obj", Body=b"hello")

    def preflight(self, origin, method, headers=None, key="obj", bucket=None):
        h = {}
        if origin:
            h["Origin"] = origin
        if method:
            h["Access-Control-Request-Method"] = method
        if headers:
            h["Access-Control-Request-Headers"] = headers
        return self.daemon.raw_request("OPTIONS", f"/{bucket or self.bucket}/{key}",
                                       headers=h, sign=False)

    def test_preflight_allowed(self):
        status, h, _ = self.preflight("https://app.example.com", "PUT",
                                      "Content-Type, X-Amz-Date")
        self.assertEqual(status, 200)
        self.assertEqual(h["access-control-allow-origin"], "https://app.example.com")
        self.assertEqual(h["access-control-allow-methods"], "GET, PUT")
        self.assertEqual(h["access-control-allow-headers"], "Content-Type, X-Amz-Date")
        self.assertEqual(h["access-control-expose-headers"], "ETag")
        self.assertEqual(h["access-control-max-age"], "600")
        self.assertEqual(h["access-control-allow-credentials"], "true")
        self.assertIn("Origin", h["vary"])
        # The wildcard rule: any origin may HEAD, answered with "*".
        status, h, _ = self.preflight("http://elsewhere.test", "HEAD", key="")
        self.assertEqual(status, 200)
        self.assertEqual(h["access-control-allow-origin"], "*")
        self.assertNotIn("access-control-allow-credentials", h)

    def test_preflight_denied(self):
        for origin, method, headers in [
                ("https://evil.test", "PUT", None),              # origin
                ("https://app.example.com", "DELETE", None),     # method
                ("https://app.example.com", "PUT", "Authorization"),  # header
                ("https://example.com", "GET", None)]:           # wildcard needs a label
            with self.subTest(origin=origin, method=method, headers=headers):
                status, h, body = self.preflight(origin, method, headers)
                self.assertEqual((status, error_code(body)), (403, "AccessForbidden"))
                self.assertIn(b"This CORS request is not allowed.", body)
                self.assertNotIn("access-control-allow-origin", h)
        status, _, body = self.preflight(None, "GET")
        self.assertEqual((status, error_code(body)), (403, "AccessForbidden"))
        plain = new_bucket_name("nocors")
        self.s3.create_bucket(Bucket=plain)
        status, _, body = self.preflight("https://app.example.com", "GET", bucket=plain)
        self.assertEqual((status, error_code(body)), (403, "AccessForbidden"))

    def test_headers_on_ordinary_responses(self):
        status, h, body = self.daemon.raw_request(
            "GET", f"/{self.bucket}/obj", headers={"Origin": "https://app.example.com"})
        self.assertEqual((status, body), (200, b"hello"))
        self.assertEqual(h["access-control-allow-origin"], "https://app.example.com")
        self.assertEqual(h["access-control-expose-headers"], "ETag")
        self.assertIn("Origin", h["vary"])
        # Errors carry them too, so the browser can read the error.
        status, h, _ = self.daemon.raw_request(
            "GET", f"/{self.bucket}/none", headers={"Origin": "https://app.example.com"})
        self.assertEqual(status, 404)
        self.assertEqual(h["access-control-allow-origin"], "https://app.example.com")
        # No match, no headers.
        for origin, method in (("https://evil.test", "GET"),
                               ("https://app.example.com", "DELETE")):
            status, h, _ = self.daemon.raw_request(method, f"/{self.bucket}/keep",
                                                   headers={"Origin": origin})
            self.assertNotIn("access-control-allow-origin", h)
        status, h, _ = self.daemon.raw_request("GET", f"/{self.bucket}/obj")
        self.assertNotIn("access-control-allow-origin", h)


class LifecycleTest(ConfigBase):
    def test_put_get_delete(self):
        b = self.make_bucket("lc")
        self.assertClientError(self.s3.get_bucket_lifecycle_configuration,
                               "NoSuchLifecycleConfiguration", 404, Bucket=b)
        rules = [
            {"ID": "logs", "Status": "Enabled", "Filter": {"Prefix": "logs/"},
             "Expiration": {"Days": 30}},
            {"ID": "old", "Status": "Disabled",
             "Filter": {"And": {"Prefix": "tmp/", "Tags": [{"Key": "t", "Value": "1"}]}},
             "NoncurrentVersionExpiration": {"NoncurrentDays": 7}},
            {"ID": "mpu", "Status": "Enabled", "Filter": {"Prefix": ""},
             "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 2}},
            {"ID": "date", "Status": "Enabled", "Filter": {"Prefix": "d/"},
             "Expiration": {"Date": "2031-01-01T00:00:00Z"}},
        ]
        self.s3.put_bucket_lifecycle_configuration(Bucket=b,
                                                   LifecycleConfiguration={"Rules": rules})
        got = self.s3.get_bucket_lifecycle_configuration(Bucket=b)["Rules"]
        self.assertEqual([r["ID"] for r in got], ["logs", "old", "mpu", "date"])
        self.assertEqual(got[0]["Expiration"]["Days"], 30)
        self.s3.delete_bucket_lifecycle(Bucket=b)
        self.assertClientError(self.s3.get_bucket_lifecycle_configuration,
                               "NoSuchLifecycleConfiguration", 404, Bucket=b)

    def test_invalid_rules(self):
        b = self.make_bucket("lcbad")
        base = {"Status": "Enabled", "Filter": {"Prefix": ""}}
        cases = [
            ({**base, "ID": "x" * 256, "Expiration": {"Days": 1}}, "InvalidArgument"),
            ({**base, "Expiration": {"Days": 0}}, "InvalidArgument"),
            ({**base, "Expiration": {"Date": "2031-01-01T10:00:00Z"}}, "InvalidArgument"),
            ({**base, "NoncurrentVersionExpiration": {"NoncurrentDays": 0}}, "InvalidArgument"),
            ({**base, "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 0}},
             "InvalidArgument"),
            ({**base, "ID": "noaction"}, "InvalidRequest"),
            ({**base, "Transitions": [{"Days": 1, "StorageClass": "GLACIER"}]},
             "InvalidStorageClass"),
        ]
        for rule, code in cases:
            with self.subTest(rule=rule):
                self.assertClientError(self.s3.put_bucket_lifecycle_configuration, code, 400,
                                       Bucket=b, LifecycleConfiguration={"Rules": [rule]})
        dup = [{**base, "ID": "same", "Expiration": {"Days": 1}}] * 2
        self.assertClientError(self.s3.put_bucket_lifecycle_configuration, "InvalidArgument",
                               400, Bucket=b, LifecycleConfiguration={"Rules": dup})
        status, _, body = self.raw(
            "PUT", b, "lifecycle=",
            body=b"<LifecycleConfiguration><Rule><Status>Maybe</Status><Filter/>"
                 b"<Expiration><Days>1</Days></Expiration></Rule></LifecycleConfiguration>")
        self.assertEqual((status, error_code(body)), (400, "MalformedXML"))
        self.assertClientError(self.s3.get_bucket_lifecycle_configuration,
                               "NoSuchLifecycleConfiguration", 404, Bucket=b)


class EncryptionTest(ConfigBase):
    def test_put_get_delete(self):
        b = self.make_bucket("sse")
        self.assertClientError(self.s3.get_bucket_encryption,
                               "ServerSideEncryptionConfigurationNotFoundError", 404, Bucket=b)
        for rule in ({"SSEAlgorithm": "AES256"},
                     {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": "my-key"}):
            self.s3.put_bucket_encryption(
                Bucket=b, ServerSideEncryptionConfiguration={
                    "Rules": [{"ApplyServerSideEncryptionByDefault": rule}]})
            got = self.s3.get_bucket_encryption(Bucket=b)
            self.assertEqual(got["ServerSideEncryptionConfiguration"]["Rules"][0]
                             ["ApplyServerSideEncryptionByDefault"], rule)
        self.s3.delete_bucket_encryption(Bucket=b)
        self.assertClientError(self.s3.get_bucket_encryption,
                               "ServerSideEncryptionConfigurationNotFoundError", 404, Bucket=b)

    def test_invalid(self):
        b = self.make_bucket("ssebad")
        for rule in ({"SSEAlgorithm": "DES"},
                     {"SSEAlgorithm": "AES256", "KMSMasterKeyID": "k"}):
            with self.subTest(rule=rule):
                self.assertClientError(
                    self.s3.put_bucket_encryption, "MalformedXML", 400, Bucket=b,
                    ServerSideEncryptionConfiguration={
                        "Rules": [{"ApplyServerSideEncryptionByDefault": rule}]})


class NotificationTest(ConfigBase):
    def test_empty_configuration_only(self):
        b = self.make_bucket("evt")
        r = self.s3.get_bucket_notification_configuration(Bucket=b)
        self.assertNotIn("QueueConfigurations", r)
        self.s3.put_bucket_notification_configuration(Bucket=b, NotificationConfiguration={})
        err = self.assertClientError(
            self.s3.put_bucket_notification_configuration, "InvalidArgument", 400, Bucket=b,
            NotificationConfiguration={"QueueConfigurations": [{
                "QueueArn": "arn:minio:sqs::1:webhook", "Events": ["s3:ObjectCreated:*"]}]})
        self.assertIn("destination ARN", err["Message"])
        self.assertNotIn("QueueConfigurations",
                         self.s3.get_bucket_notification_configuration(Bucket=b))


class ReplicationTest(ConfigBase):
    CONFIG = {"Role": "", "Rules": [{
        "ID": "r1", "Status": "Enabled", "Priority": 1, "Filter": {"Prefix": ""},
        "DeleteMarkerReplication": {"Status": "Disabled"},
        "Destination": {"Bucket": "arn:minio:replication::id:target"}}]}

    def test_needs_versioning_then_refuses_unknown_targets(self):
        b = self.make_bucket("repl")
        self.assertClientError(self.s3.get_bucket_replication,
                               "ReplicationConfigurationNotFoundError", 404, Bucket=b)
        self.assertClientError(self.s3.put_bucket_replication, "InvalidRequest", 400, Bucket=b,
                               ReplicationConfiguration=self.CONFIG)
        self.s3.put_bucket_versioning(Bucket=b, VersioningConfiguration={"Status": "Enabled"})
        self.assertClientError(self.s3.put_bucket_replication,
                               "XMinioAdminRemoteTargetNotFoundError", 404, Bucket=b,
                               ReplicationConfiguration=self.CONFIG)
        status, _, body = self.raw("PUT", b, "replication=", body=b"<ReplicationConfiguration>")
        self.assertEqual((status, error_code(body)), (400, "MalformedXML"))
        self.assertClientError(self.s3.get_bucket_replication,
                               "ReplicationConfigurationNotFoundError", 404, Bucket=b)
        self.assertEqual(self.s3.delete_bucket_replication(Bucket=b)
                         ["ResponseMetadata"]["HTTPStatusCode"], 204)


class ObjectLockConfigTest(ConfigBase):
    def test_only_on_lock_buckets(self):
        b = self.make_bucket("nolock")
        self.assertClientError(self.s3.get_object_lock_configuration,
                               "ObjectLockConfigurationNotFoundError", 404, Bucket=b)
        self.assertClientError(self.s3.put_object_lock_configuration, "InvalidBucketState", 409,
                               Bucket=b, ObjectLockConfiguration={"ObjectLockEnabled": "Enabled"})

    def test_default_retention(self):
        b = self.make_bucket("lockcfg", ObjectLockEnabledForBucket=True)
        got = self.s3.get_object_lock_configuration(Bucket=b)["ObjectLockConfiguration"]
        self.assertEqual(got, {"ObjectLockEnabled": "Enabled"})
        cfg = {"ObjectLockEnabled": "Enabled",
               "Rule": {"DefaultRetention": {"Mode": "GOVERNANCE", "Days": 3}}}
        self.s3.put_object_lock_configuration(Bucket=b, ObjectLockConfiguration=cfg)
        self.assertEqual(self.s3.get_object_lock_configuration(Bucket=b)
                         ["ObjectLockConfiguration"], cfg)
        for retention in ({"Mode": "FOREVER", "Days": 1}, {"Mode": "COMPLIANCE"},
                          {"Mode": "COMPLIANCE", "Days": 1, "Years": 1}):
            with self.subTest(retention=retention):
                self.assertClientError(
                    self.s3.put_object_lock_configuration, "MalformedXML", 400, Bucket=b,
                    ObjectLockConfiguration={"ObjectLockEnabled": "Enabled",
                                             "Rule": {"DefaultRetention": retention}})
        self.assertClientError(
            self.s3.put_object_lock_configuration, "InvalidArgument", 400, Bucket=b,
            ObjectLockConfiguration={"ObjectLockEnabled": "Enabled", "Rule": {
                "DefaultRetention": {"Mode": "COMPLIANCE", "Years": 0}}})
        self.assertEqual(self.s3.get_object_lock_configuration(Bucket=b)
                         ["ObjectLockConfiguration"], cfg)


class MissingBucketTest(ConfigBase):
    def test_every_subresource_on_a_missing_bucket(self):
        b = new_bucket_name("missing")
        for query in ("policy=", "tagging=", "cors=", "lifecycle=", "encryption=",
                      "notification=", "replication=", "object-lock="):
            with self.subTest(query=query):
                status, _, body = self.raw("GET", b, query)
                self.assertEqual((status, error_code(body)), (404, "NoSuchBucket"))


class AwsCliTest(ConfigBase):
    def aws(self, *args):
        env = self.daemon.aws_env()
        return subprocess.run([os.environ.get("AWS_CLI", "aws"), "--endpoint-url",
                               self.daemon.endpoint, "s3api", *args], env=env,
                              capture_output=True, text=True, timeout=120)

    def test_tagging_and_cors_with_awscli(self):
        b = self.make_bucket("cli")
        r = self.aws("put-bucket-tagging", "--bucket", b, "--tagging",
                     '{"TagSet":[{"Key":"env","Value":"test"}]}')
        self.assertEqual(r.returncode, 0, r.stderr)
        r = self.aws("get-bucket-tagging", "--bucket", b)
        self.assertEqual(json.loads(r.stdout)["TagSet"], [{"Key": "env", "Value": "test"}])
        r = self.aws("get-bucket-cors", "--bucket", b)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("NoSuchCORSConfiguration", r.stderr)
        r = self.aws("put-bucket-cors", "--bucket", b, "--cors-configuration",
                     '{"CORSRules":[{"AllowedOrigins":["*"],"AllowedMethods":["GET"]}]}')
        self.assertEqual(r.returncode, 0, r.stderr)
        r = self.aws("get-bucket-cors", "--bucket", b)
        self.assertEqual(json.loads(r.stdout)["CORSRules"][0]["AllowedMethods"], ["GET"])
        r = self.aws("put-bucket-versioning", "--bucket", b, "--versioning-configuration",
                     "Status=Enabled")
        self.assertEqual(r.returncode, 0, r.stderr)
        r = self.aws("get-bucket-versioning", "--bucket", b)
        self.assertEqual(json.loads(r.stdout)["Status"], "Enabled")
        r = self.aws("put-bucket-policy", "--bucket", b, "--policy", "{}")
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("MalformedPolicy", r.stderr)


class PersistenceTest(ConfigBase):
    def test_configuration_survives_restart(self):
        b = self.make_bucket("restart")
        self.s3.put_bucket_versioning(Bucket=b, VersioningConfiguration={"Status": "Suspended"})
        doc = policy_for(b)
        self.s3.put_bucket_policy(Bucket=b, Policy=doc)
        self.assertEqual(self.raw("PUT", b, "cors=", body=CORS_XML)[0], 200)
        self.daemon.kill9()
        self.daemon.restart()
        self.assertEqual(self.s3.get_bucket_versioning(Bucket=b)["Status"], "Suspended")
        self.assertEqual(self.s3.get_bucket_policy(Bucket=b)["Policy"], doc)
        self.assertEqual(self.raw("GET", b, "cors=")[2], CORS_XML)


class SixDriveTest(ConfigBase):
    daemon_drives = ["d{1...6}"]

    def test_versioning_on_an_erasure_set(self):
        b = self.make_bucket("six")
        self.s3.put_bucket_versioning(Bucket=b, VersioningConfiguration={"Status": "Enabled"})
        self.assertEqual(len(self.daemon.drives), 6)
        for path in self.metadata_files(b):
            self.assertTrue(os.path.exists(path), path)
        self.assertEqual(self.s3.get_bucket_versioning(Bucket=b)["Status"], "Enabled")

    def test_configurations_on_an_erasure_set(self):
        b = self.make_bucket("six-cfg", ObjectLockEnabledForBucket=True)
        self.assertClientError(self.s3.put_bucket_versioning, "InvalidBucketState", 409,
                               Bucket=b, VersioningConfiguration={"Status": "Suspended"})
        tags = [{"Key": "k", "Value": "v"}]
        self.s3.put_bucket_tagging(Bucket=b, Tagging={"TagSet": tags})
        self.assertEqual(self.s3.get_bucket_tagging(Bucket=b)["TagSet"], tags)
        # Two of six drives lose the metadata: still read from the others after a restart.
        import shutil
        for d in self.daemon.drives[:2]:
            shutil.rmtree(os.path.join(d, ".minio.sys", "buckets", b), ignore_errors=True)
        self.daemon.kill9()
        self.daemon.restart()
        self.assertEqual(self.s3.get_bucket_tagging(Bucket=b)["TagSet"], tags)
        self.assertEqual(self.s3.get_bucket_versioning(Bucket=b)["Status"], "Enabled")


if __name__ == "__main__":
    harness.main()
