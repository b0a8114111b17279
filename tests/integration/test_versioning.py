#!/usr/bin/env python3
"""S3 object versioning against a real maxiod, with boto3 and awscli.

The same scenarios run on a one-drive daemon (OneDrive) and on one erasure set of six
drives with EC 4+2 (SixDrives), which also loses and rebuilds two drives and must then
serve every version byte-identical with two other drives gone:

  versions        PUT on an Enabled bucket: a version ID each, every version readable
  delete markers  DELETE adds one; GET/HEAD 404 with x-amz-delete-marker, 405 by ID,
                  ListObjects hides the key; deleting the marker brings the object back
  specific        DELETE ?versionId= removes exactly that version; the next is latest
  errors          NoSuchVersion, InvalidArgument for a malformed versionId
  suspended       PUT/DELETE replace only the null version
  copy            CopyObject from ?versionId= (x-amz-copy-source-version-id)
  multi-delete    DeleteObjects with VersionId entries (DeleteMarker, DeleteMarkerVersionId)
  pagination      ~50 versions over several keys, max-keys 7, key/version-id markers
  awscli          put-bucket-versioning, list-object-versions, get/delete-object --version-id

The aws binary comes from $AWS_CLI (else PATH).
"""

import hashlib
import json
import os
import shutil
import sys
import time
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import DaemonTestCase, deterministic_bytes, require_boto3, run  # noqa: E402

AWS = os.environ.get("AWS_CLI") or shutil.which("aws")
KiB = 1024
MiB = 1024 * KiB
HEAL_WAIT = 60.0


class VersioningCase(DaemonTestCase):
    @classmethod
    def setUpClass(cls):
        require_boto3()
        super().setUpClass()
        cls.s3 = cls.daemon.boto3_client()

    # ------------------------------------------------------------------ helpers
    def bucket(self, status="Enabled"):
        name = f"it-ver-{uuid.uuid4().hex[:12]}"
        self.s3.create_bucket(Bucket=name)
        if status:
            self.s3.put_bucket_versioning(Bucket=name,
                                          VersioningConfiguration={"Status": status})
            got = self.s3.get_bucket_versioning(Bucket=name)
            self.assertEqual(got.get("Status"), status)
        return name

    def put(self, bucket, key, body):
        r = self.s3.put_object(Bucket=bucket, Key=key, Body=body)
        self.assertEqual(r["ETag"], f'"{hashlib.md5(body).hexdigest()}"')
        return r.get("VersionId")

    def get(self, bucket, key, version_id=None):
        args = {"Bucket": bucket, "Key": key}
        if version_id is not None:
            args["VersionId"] = version_id
        return self.s3.get_object(**args)["Body"].read()

    def client_error(self, fn, **kwargs):
        from botocore.exceptions import ClientError
        with self.assertRaises(ClientError) as cm:
            fn(**kwargs)
        return cm.exception.response

    def raw(self, method, bucket, key, query=""):
        return self.daemon.raw_request(method, f"/{bucket}/{key}", query=query)

    def all_versions(self, bucket, page_size, prefix=""):
        """Every version and delete marker, following the pagination markers."""
        entries, pages = [], 0
        args = {"Bucket": bucket, "MaxKeys": page_size, "Prefix": prefix}
        while True:
            r = self.s3.list_object_versions(**args)
            pages += 1
            page = [("v", v["Key"], v["VersionId"], v["IsLatest"]) for v in r.get("Versions", [])]
            page += [("d", m["Key"], m["VersionId"], m["IsLatest"])
                     for m in r.get("DeleteMarkers", [])]
            self.assertLessEqual(len(page), page_size)
            entries.extend(page)
            if not r["IsTruncated"]:
                return entries, pages
            self.assertIn("NextKeyMarker", r)
            self.assertIn("NextVersionIdMarker", r)
            args["KeyMarker"] = r["NextKeyMarker"]
            args["VersionIdMarker"] = r["NextVersionIdMarker"]
            self.assertLess(pages, 100)

    def run_aws(self, *args, check=True):
        env = self.daemon.aws_env()
        return run([AWS, "--endpoint-url", self.daemon.endpoint, *args], env=env, check=check)

    def s3api(self, *args):
        out = self.run_aws("s3api", *args).stdout.decode()
        return json.loads(out) if out.strip() else {}

    # ------------------------------------------------------------------ scenarios
    def test_versions_each_readable(self):
        b = self.bucket()
        bodies = [deterministic_bytes(300 * KiB, seed=1), b"small one",
                  deterministic_bytes(2 * MiB + 3, seed=2), b""]
        ids = [self.put(b, "k", body) for body in bodies]
        for vid in ids:
            self.assertEqual(len(vid), 36, vid)
        self.assertEqual(len(set(ids)), len(ids))
        for vid, body in zip(ids, bodies):
            self.assertEqual(self.get(b, "k", vid), body)
            head = self.s3.head_object(Bucket=b, Key="k", VersionId=vid)
            self.assertEqual(head["VersionId"], vid)
            self.assertEqual(head["ContentLength"], len(body))
        latest = self.s3.get_object(Bucket=b, Key="k")
        self.assertEqual(latest["VersionId"], ids[-1])
        self.assertEqual(latest["Body"].read(), bodies[-1])
        r = self.s3.list_object_versions(Bucket=b)
        self.assertEqual([v["VersionId"] for v in r["Versions"]], ids[::-1])
        self.assertEqual([v["IsLatest"] for v in r["Versions"]], [True, False, False, False])
        self.assertEqual([v["Size"] for v in r["Versions"]], [len(x) for x in bodies[::-1]])
        # ListObjectsV2 shows the latest only.
        r = self.s3.list_objects_v2(Bucket=b)
        self.assertEqual([(o["Key"], o["Size"]) for o in r["Contents"]], [("k", 0)])

    def multipart(self, bucket, key, parts):
        up = self.s3.create_multipart_upload(Bucket=bucket, Key=key)["UploadId"]
        done = []
        for number, body in enumerate(parts, 1):
            r = self.s3.upload_part(Bucket=bucket, Key=key, UploadId=up, PartNumber=number,
                                    Body=body)
            done.append({"PartNumber": number, "ETag": r["ETag"]})
        return self.s3.complete_multipart_upload(Bucket=bucket, Key=key, UploadId=up,
                                                 MultipartUpload={"Parts": done})

    def test_multipart_uploads_add_versions(self):
        b = self.bucket()
        first = [deterministic_bytes(5 * MiB, seed=7), b"tail one"]
        second = [deterministic_bytes(5 * MiB, seed=8), b"tail two"]
        v1 = self.multipart(b, "mp", first)["VersionId"]
        v2 = self.multipart(b, "mp", second)["VersionId"]
        self.assertEqual(len(v1), 36, v1)
        self.assertNotEqual(v1, v2)
        self.assertEqual(self.get(b, "mp", v1), b"".join(first))
        self.assertEqual(self.get(b, "mp"), b"".join(second))
        r = self.s3.list_object_versions(Bucket=b, Prefix="mp")
        self.assertEqual([v["VersionId"] for v in r["Versions"]], [v2, v1])
        # Suspended: a completed upload replaces the null version only.
        self.s3.put_bucket_versioning(Bucket=b, VersioningConfiguration={"Status": "Suspended"})
        self.assertEqual(self.multipart(b, "mp", [b"null one"])["VersionId"], "null")
        self.assertEqual(self.multipart(b, "mp", [b"null two"])["VersionId"], "null")
        r = self.s3.list_object_versions(Bucket=b, Prefix="mp")
        self.assertEqual([v["VersionId"] for v in r["Versions"]], ["null", v2, v1])
        self.assertEqual(self.get(b, "mp", "null"), b"null two")
        self.assertEqual(self.get(b, "mp", v1), b"".join(first))

    def test_upload_part_copy_from_the_null_version(self):
        b = self.bucket(status=None)
        self.put(b, "src", b"the null version")
        self.s3.put_bucket_versioning(Bucket=b, VersioningConfiguration={"Status": "Enabled"})
        self.put(b, "src", b"the latest version")
        up = self.s3.create_multipart_upload(Bucket=b, Key="dst")["UploadId"]
        part = self.s3.upload_part_copy(Bucket=b, Key="dst", UploadId=up, PartNumber=1,
                                        CopySource={"Bucket": b, "Key": "src",
                                                    "VersionId": "null"})
        self.s3.complete_multipart_upload(
            Bucket=b, Key="dst", UploadId=up,
            MultipartUpload={"Parts": [{"PartNumber": 1,
                                        "ETag": part["CopyPartResult"]["ETag"]}]})
        self.assertEqual(self.get(b, "dst"), b"the null version")

    def test_delete_marker(self):
        b = self.bucket()
        v1 = self.put(b, "k", b"version one")
        r = self.s3.delete_object(Bucket=b, Key="k")
        self.assertTrue(r["DeleteMarker"])
        marker = r["VersionId"]
        self.assertEqual(len(marker), 36)
        self.assertNotEqual(marker, v1)
        # GET/HEAD of the key: 404 NoSuchKey with the marker's headers.
        for method in ("GET", "HEAD"):
            status, headers, body = self.raw(method, b, "k")
            self.assertEqual(status, 404, method)
            self.assertEqual(headers.get("x-amz-delete-marker"), "true", method)
            self.assertEqual(headers.get("x-amz-version-id"), marker, method)
            if method == "GET":
                self.assertEqual(harness.error_code(body), "NoSuchKey")
        # Naming the marker: 405 MethodNotAllowed.
        status, headers, body = self.raw("GET", b, "k", f"versionId={marker}")
        self.assertEqual(status, 405)
        self.assertEqual(harness.error_code(body), "MethodNotAllowed")
        self.assertEqual(headers.get("x-amz-delete-marker"), "true")
        status, headers, _ = self.raw("HEAD", b, "k", f"versionId={marker}")
        self.assertEqual(status, 405)
        # The older version is still there; listings without versions skip the key.
        self.assertEqual(self.get(b, "k", v1), b"version one")
        self.assertEqual(self.s3.list_objects_v2(Bucket=b)["KeyCount"], 0)
        self.assertNotIn("Contents", self.s3.list_objects(Bucket=b))
        r = self.s3.list_object_versions(Bucket=b)
        self.assertEqual([(m["VersionId"], m["IsLatest"]) for m in r["DeleteMarkers"]],
                         [(marker, True)])
        self.assertEqual([(v["VersionId"], v["IsLatest"]) for v in r["Versions"]],
                         [(v1, False)])
        # Deleting the marker by ID brings the object back.
        r = self.s3.delete_object(Bucket=b, Key="k", VersionId=marker)
        self.assertTrue(r["DeleteMarker"])
        self.assertEqual(r["VersionId"], marker)
        self.assertEqual(self.get(b, "k"), b"version one")
        self.assertEqual(self.s3.list_objects_v2(Bucket=b)["KeyCount"], 1)

    def test_delete_specific_versions(self):
        b = self.bucket()
        bodies = [deterministic_bytes(700 * KiB, seed=s) for s in (3, 4, 5)]
        ids = [self.put(b, "k", body) for body in bodies]
        r = self.s3.delete_object(Bucket=b, Key="k", VersionId=ids[1])
        self.assertEqual(r["VersionId"], ids[1])
        self.assertNotIn("DeleteMarker", r)
        err = self.client_error(self.s3.get_object, Bucket=b, Key="k", VersionId=ids[1])
        self.assertEqual(err["Error"]["Code"], "NoSuchVersion")
        self.assertEqual(self.get(b, "k"), bodies[2])
        # Deleting the latest makes the next one latest.
        self.s3.delete_object(Bucket=b, Key="k", VersionId=ids[2])
        got = self.s3.get_object(Bucket=b, Key="k")
        self.assertEqual(got["VersionId"], ids[0])
        self.assertEqual(got["Body"].read(), bodies[0])
        r = self.s3.list_object_versions(Bucket=b)
        self.assertEqual([(v["VersionId"], v["IsLatest"]) for v in r["Versions"]],
                         [(ids[0], True)])
        # The last version takes the object with it.
        self.s3.delete_object(Bucket=b, Key="k", VersionId=ids[0])
        self.assertNotIn("Versions", self.s3.list_object_versions(Bucket=b))
        self.s3.delete_bucket(Bucket=b)

    def test_version_id_errors(self):
        b = self.bucket()
        self.put(b, "k", b"x")
        err = self.client_error(self.s3.get_object, Bucket=b, Key="k",
                                VersionId=str(uuid.uuid4()))
        self.assertEqual(err["Error"]["Code"], "NoSuchVersion")
        self.assertEqual(err["ResponseMetadata"]["HTTPStatusCode"], 404)
        for method in ("GET", "HEAD", "DELETE"):
            status, _, body = self.raw(method, b, "k", "versionId=not-a-version")
            self.assertEqual(status, 400, method)
            if method != "HEAD":
                self.assertEqual(harness.error_code(body), "InvalidArgument")
        status, _, body = self.raw("GET", b, "missing", f"versionId={uuid.uuid4()}")
        self.assertEqual(status, 404)
        self.assertEqual(harness.error_code(body), "NoSuchVersion")
        # No null version exists in a bucket only ever written with versioning on.
        err = self.client_error(self.s3.get_object, Bucket=b, Key="k", VersionId="null")
        self.assertEqual(err["Error"]["Code"], "NoSuchVersion")
        # A version-id-marker needs a key-marker.
        err = self.client_error(self.s3.list_object_versions, Bucket=b,
                                VersionIdMarker=str(uuid.uuid4()))
        self.assertEqual(err["Error"]["Code"], "InvalidArgument")

    def test_unversioned_bucket_has_no_version_ids(self):
        b = self.bucket(status=None)
        r = self.s3.put_object(Bucket=b, Key="k", Body=b"one")
        self.assertNotIn("VersionId", r)
        self.s3.put_object(Bucket=b, Key="k", Body=b"two")
        r = self.s3.list_object_versions(Bucket=b)
        self.assertEqual([(v["VersionId"], v["IsLatest"]) for v in r["Versions"]],
                         [("null", True)])
        self.assertEqual(self.get(b, "k", "null"), b"two")
        r = self.s3.delete_object(Bucket=b, Key="k")
        self.assertNotIn("DeleteMarker", r)
        self.assertNotIn("Versions", self.s3.list_object_versions(Bucket=b))

    def test_suspended_replaces_only_null(self):
        b = self.bucket(status=None)
        self.put(b, "k", b"null before versioning")
        self.s3.put_bucket_versioning(Bucket=b, VersioningConfiguration={"Status": "Enabled"})
        v1 = self.put(b, "k", b"enabled version")
        self.assertEqual(self.get(b, "k", "null"), b"null before versioning")
        self.s3.put_bucket_versioning(Bucket=b, VersioningConfiguration={"Status": "Suspended"})
        self.assertEqual(self.s3.get_bucket_versioning(Bucket=b)["Status"], "Suspended")
        self.assertEqual(self.put(b, "k", b"suspended 1"), "null")
        self.assertEqual(self.put(b, "k", deterministic_bytes(900 * KiB, seed=9)), "null")
        r = self.s3.list_object_versions(Bucket=b)
        self.assertEqual([(v["VersionId"], v["IsLatest"]) for v in r["Versions"]],
                         [("null", True), (v1, False)])
        self.assertEqual(self.get(b, "k"), deterministic_bytes(900 * KiB, seed=9))
        self.assertEqual(self.get(b, "k", v1), b"enabled version")
        # DELETE: a null delete marker in the null version's place.
        r = self.s3.delete_object(Bucket=b, Key="k")
        self.assertTrue(r["DeleteMarker"])
        self.assertEqual(r["VersionId"], "null")
        r = self.s3.list_object_versions(Bucket=b)
        self.assertEqual([(m["VersionId"], m["IsLatest"]) for m in r["DeleteMarkers"]],
                         [("null", True)])
        self.assertEqual([v["VersionId"] for v in r["Versions"]], [v1])
        self.s3.delete_object(Bucket=b, Key="k", VersionId="null")
        self.assertEqual(self.get(b, "k"), b"enabled version")

    def test_copy_from_version(self):
        b = self.bucket()
        old = deterministic_bytes(200 * KiB, seed=11)
        v1 = self.put(b, "src", old)
        self.put(b, "src", b"newer")
        r = self.s3.copy_object(Bucket=b, Key="dst",
                                CopySource={"Bucket": b, "Key": "src", "VersionId": v1})
        self.assertEqual(r["CopySourceVersionId"], v1)
        self.assertEqual(len(r["VersionId"]), 36)
        self.assertEqual(self.get(b, "dst"), old)
        self.assertEqual(self.get(b, "dst", r["VersionId"]), old)
        # A delete marker cannot be copied.
        marker = self.s3.delete_object(Bucket=b, Key="src")["VersionId"]
        err = self.client_error(self.s3.copy_object, Bucket=b, Key="dst2",
                                CopySource={"Bucket": b, "Key": "src"})
        self.assertEqual(err["Error"]["Code"], "NoSuchKey")
        err = self.client_error(self.s3.copy_object, Bucket=b, Key="dst2",
                                CopySource={"Bucket": b, "Key": "src", "VersionId": marker})
        self.assertEqual(err["ResponseMetadata"]["HTTPStatusCode"], 400)

    def test_delete_objects_with_versions(self):
        b = self.bucket()
        a1 = self.put(b, "a", b"a1")
        a2 = self.put(b, "a", b"a2")
        self.put(b, "c", b"c1")
        r = self.s3.delete_objects(Bucket=b, Delete={"Objects": [
            {"Key": "a", "VersionId": a1},
            {"Key": "c"},
            {"Key": "never"},
        ]})
        self.assertNotIn("Errors", r)
        deleted = {(d["Key"], d.get("VersionId")): d for d in r["Deleted"]}
        self.assertNotIn("DeleteMarker", deleted[("a", a1)])
        self.assertTrue(deleted[("c", None)]["DeleteMarker"])
        c_marker = deleted[("c", None)]["DeleteMarkerVersionId"]
        self.assertEqual(len(c_marker), 36)
        self.assertTrue(deleted[("never", None)]["DeleteMarker"])
        # Removing the marker by version: DeleteMarker true with its ID.
        r = self.s3.delete_objects(Bucket=b, Delete={"Objects": [
            {"Key": "c", "VersionId": c_marker}]})
        self.assertTrue(r["Deleted"][0]["DeleteMarker"])
        self.assertEqual(r["Deleted"][0]["DeleteMarkerVersionId"], c_marker)
        self.assertEqual(self.get(b, "c"), b"c1")
        r = self.s3.list_object_versions(Bucket=b)
        self.assertEqual([(v["Key"], v["VersionId"]) for v in r["Versions"]],
                         [("a", a2), ("c", r["Versions"][1]["VersionId"])])
        # Malformed version IDs fail alone.
        r = self.s3.delete_objects(Bucket=b, Delete={"Objects": [
            {"Key": "a", "VersionId": "bogus"}, {"Key": "a", "VersionId": a2}]})
        self.assertEqual([e["Code"] for e in r["Errors"]], ["InvalidArgument"])
        self.assertEqual([d["VersionId"] for d in r["Deleted"]], [a2])

    def test_list_versions_pagination(self):
        b = self.bucket()
        expected = []  # (kind, key, version id), in listing order
        keys = ["alpha", "beta/one", "beta/two", "gamma", "zeta"]
        for n, key in enumerate(keys):
            ids = []
            for i in range(10):
                body = deterministic_bytes(150 * KiB if i % 4 == 0 else 10 + i, seed=n * 100 + i)
                ids.append(("v", self.put(b, key, body)))
            if key in ("beta/two", "gamma"):
                ids.append(("d", self.s3.delete_object(Bucket=b, Key=key)["VersionId"]))
            expected += [(kind, key, vid) for kind, vid in reversed(ids)]
        self.assertEqual(len(expected), 52)
        entries, pages = self.all_versions(b, 7)
        self.assertEqual(pages, 8)
        # boto3 splits Versions and DeleteMarkers per page: compare as sets per key and
        # the order of versions within each key.
        got_versions = [(k, key, vid) for k, key, vid, _ in entries]
        self.assertEqual(sorted(got_versions), sorted(expected))
        versions_only = [e for e in entries if e[0] == "v"]
        self.assertEqual([(k, key, vid) for k, key, vid, _ in versions_only],
                         [e for e in expected if e[0] == "v"])
        latest = {key for _, key, _, is_latest in entries if is_latest}
        self.assertEqual(latest, set(keys))
        # A page boundary inside a key: markers name that key and its last version.
        r = self.s3.list_object_versions(Bucket=b, MaxKeys=7)
        self.assertTrue(r["IsTruncated"])
        self.assertEqual(r["NextKeyMarker"], "alpha")
        self.assertEqual(r["NextVersionIdMarker"], expected[6][2])
        r = self.s3.list_object_versions(Bucket=b, MaxKeys=7, KeyMarker="alpha",
                                         VersionIdMarker=expected[6][2])
        self.assertEqual([v["VersionId"] for v in r["Versions"]],
                         [e[2] for e in expected[7:14]])
        # KeyMarker alone starts after the key; delimiter and prefix roll keys up.
        r = self.s3.list_object_versions(Bucket=b, KeyMarker="gamma")
        self.assertEqual({v["Key"] for v in r["Versions"]}, {"zeta"})
        r = self.s3.list_object_versions(Bucket=b, Delimiter="/", MaxKeys=1000)
        self.assertEqual([p["Prefix"] for p in r["CommonPrefixes"]], ["beta/"])
        entries, _ = self.all_versions(b, 7, prefix="beta/")
        self.assertEqual(len(entries), 21)
        # ListObjectsV2: keys whose latest version is a delete marker are left out.
        r = self.s3.list_objects_v2(Bucket=b)
        self.assertEqual([o["Key"] for o in r["Contents"]], ["alpha", "beta/one", "zeta"])

    def test_post_object_adds_a_version(self):
        import urllib.request
        b = self.bucket()
        v1 = self.put(b, "form", b"first")
        post = self.s3.generate_presigned_post(b, "form", ExpiresIn=300)
        boundary = "----maxio" + uuid.uuid4().hex
        body = b"".join(
            [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'
             .encode() for k, v in post["fields"].items()] +
            [f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="f"\r\n'
             f'Content-Type: application/octet-stream\r\n\r\n'.encode() + b"second\r\n",
             f"--{boundary}--\r\n".encode()])
        req = urllib.request.Request(post["url"], data=body, method="POST", headers={
            "Content-Type": f"multipart/form-data; boundary={boundary}"})
        with urllib.request.urlopen(req, timeout=30) as resp:
            self.assertEqual(resp.status, 204)
            v2 = resp.headers.get("x-amz-version-id")
        self.assertEqual(len(v2 or ""), 36)
        self.assertNotEqual(v2, v1)
        self.assertEqual(self.get(b, "form", v1), b"first")
        self.assertEqual(self.get(b, "form", v2), b"second")

    def test_awscli(self):
        if not AWS or not os.access(AWS, os.X_OK):
            self.fail(f"aws CLI not found (AWS_CLI={AWS!r})")
        b = f"it-ver-cli-{uuid.uuid4().hex[:8]}"
        self.s3api("create-bucket", "--bucket", b)
        self.s3api("put-bucket-versioning", "--bucket", b,
                   "--versioning-configuration", "Status=Enabled")
        self.assertEqual(self.s3api("get-bucket-versioning", "--bucket", b)["Status"],
                         "Enabled")
        work = os.path.join(self.daemon.client_dir, f"aws-{b}")
        os.makedirs(work)
        bodies = [deterministic_bytes(n, seed=n) for n in (5, 400 * KiB, 77)]
        ids = []
        for i, body in enumerate(bodies):
            path = os.path.join(work, f"in{i}")
            with open(path, "wb") as f:
                f.write(body)
            ids.append(self.s3api("put-object", "--bucket", b, "--key", "doc", "--body",
                                  path)["VersionId"])
        listed = self.s3api("list-object-versions", "--bucket", b)
        self.assertEqual([v["VersionId"] for v in listed["Versions"]], ids[::-1])
        for vid, body in zip(ids, bodies):
            out = os.path.join(work, f"out-{vid}")
            meta = self.s3api("get-object", "--bucket", b, "--key", "doc", "--version-id", vid,
                              out)
            self.assertEqual(meta["VersionId"], vid)
            with open(out, "rb") as f:
                self.assertEqual(f.read(), body)
        r = self.s3api("delete-object", "--bucket", b, "--key", "doc", "--version-id", ids[2])
        self.assertEqual(r["VersionId"], ids[2])
        r = self.s3api("delete-object", "--bucket", b, "--key", "doc")
        self.assertTrue(r["DeleteMarker"])
        listed = self.s3api("list-object-versions", "--bucket", b)
        self.assertEqual([v["VersionId"] for v in listed["Versions"]], ids[1::-1])
        self.assertEqual([m["VersionId"] for m in listed["DeleteMarkers"]], [r["VersionId"]])
        p = self.run_aws("s3api", "get-object", "--bucket", b, "--key", "doc",
                         os.path.join(work, "gone"), check=False)
        self.assertNotEqual(p.returncode, 0)
        self.assertIn(b"NoSuchKey", p.stderr)
        p = self.run_aws("s3api", "get-object", "--bucket", b, "--key", "doc", "--version-id",
                         str(uuid.uuid4()), os.path.join(work, "none"), check=False)
        self.assertIn(b"NoSuchVersion", p.stderr)
        # Pages of 7 over 50 versions, followed by awscli's own paginator.
        for i in range(47):
            self.s3api("put-object", "--bucket", b, "--key", f"many/{i % 5}", "--body",
                       os.path.join(work, "in0"))
        listed = self.s3api("list-object-versions", "--bucket", b, "--page-size", "7")
        self.assertEqual(len(listed["Versions"]), 49)
        self.assertEqual(len(listed["DeleteMarkers"]), 1)
        keys = [v["Key"] for v in listed["Versions"]]
        self.assertEqual(keys, sorted(keys))


class OneDrive(VersioningCase):
    pass


class SixDrives(VersioningCase):
    daemon_drives = ["d{1...6}"]
    daemon_env = {"MAXIO_STORAGE_CLASS_STANDARD": "EC:2", "MAXIO_DRIVE_PROBE_INTERVAL": "300ms",
                  "MAXIO_SCANNER_INTERVAL": "1s"}

    def test_replaced_drives_get_every_version_back(self):
        b = self.bucket()
        bodies = {}
        for i in range(6):
            body = deterministic_bytes(3 * MiB + i if i % 2 == 0 else 100 + i, seed=40 + i)
            bodies[self.put(b, "k", body)] = body
        marker = self.s3.delete_object(Bucket=b, Key="k")["VersionId"]
        drives = self.daemon.drives
        # Two drives swapped for blank ones (moved aside at once, so the daemon never sees
        # one half-deleted).
        for d in (drives[1], drives[4]):
            os.rename(d, d + ".replaced")
            os.mkdir(d)
            shutil.rmtree(d + ".replaced")
        deadline = time.monotonic() + HEAL_WAIT
        while True:
            healed = all(os.path.exists(os.path.join(d, b, "k", "xl.meta"))
                         and len([e for e in os.listdir(os.path.join(d, b, "k"))
                                  if e != "xl.meta"]) == 3
                         for d in (drives[1], drives[4]))
            if healed:
                break
            if time.monotonic() > deadline:
                self.fail("versions not healed onto the replaced drives\n" + self.daemon.logs())
            time.sleep(0.3)
        time.sleep(1.0)  # let the rename of the last xl.meta settle
        # Two other drives gone: every version still reads byte-identical.
        away = [drives[0], drives[2]]
        for d in away:
            os.rename(d, d + ".away")
        try:
            for vid, body in bodies.items():
                self.assertEqual(self.get(b, "k", vid), body, vid)
            status, headers, _ = self.raw("GET", b, "k")
            self.assertEqual(status, 404)
            self.assertEqual(headers.get("x-amz-version-id"), marker)
            r = self.s3.list_object_versions(Bucket=b)
            self.assertEqual(len(r["Versions"]), 6)
            self.assertEqual(r["DeleteMarkers"][0]["VersionId"], marker)
        finally:
            for d in away:
                os.rename(d + ".away", d)


del VersioningCase  # only the concrete deployments run

if __name__ == "__main__":
    harness.main()
