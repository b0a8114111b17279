#!/usr/bin/env python3
"""S3 object tagging against a real maxiod with boto3, on one drive and on six (EC 4+2).

  put/get/delete    PutObjectTagging replaces the set, GetObjectTagging returns it,
                    DeleteObjectTagging empties it; x-amz-version-id on each
  versions          ?versionId= tags exactly that version, the others keep theirs
  on PUT            Tagging="a=1&b=2" on PutObject, the tagging field of POST object; HEAD/GET x-amz-tagging-count, never
                    the tags themselves
  copy              x-amz-tagging-directive COPY (default) keeps the source's tags,
                    REPLACE takes the header's; a bad directive is InvalidArgument
  limits            InvalidTag with AWS's messages (11 tags, key/value length, duplicate
                    keys, aws: prefix, also on the x-amz-tagging header); MalformedXML
  errors            NoSuchKey, NoSuchVersion, delete markers (404 latest / 405 by ID)
  bytes             tagging an inline and a multi-MiB object leaves their bytes and ETag
"""

import hashlib
import os
import sys
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import DaemonTestCase, deterministic_bytes, require_boto3  # noqa: E402

MiB = 1024 * 1024


def tagset(**tags):
    return {"TagSet": [{"Key": k, "Value": v} for k, v in tags.items()]}


def xml_tags(pairs):
    body = "".join(f"<Tag><Key>{k}</Key><Value>{v}</Value></Tag>" for k, v in pairs)
    return f"<Tagging><TagSet>{body}</TagSet></Tagging>".encode()


class TaggingCase(DaemonTestCase):
    @classmethod
    def setUpClass(cls):
        require_boto3()
        super().setUpClass()
        cls.s3 = cls.daemon.boto3_client()

    def bucket(self, versioning=None):
        name = f"it-tag-{uuid.uuid4().hex[:12]}"
        self.s3.create_bucket(Bucket=name)
        if versioning:
            self.s3.put_bucket_versioning(Bucket=name,
                                          VersioningConfiguration={"Status": versioning})
        return name

    def tags(self, bucket, key, **kw):
        r = self.s3.get_object_tagging(Bucket=bucket, Key=key, **kw)
        return {t["Key"]: t["Value"] for t in r["TagSet"]}

    def assertError(self, code, status, fn, *args, message=None, **kw):
        from botocore.exceptions import ClientError
        with self.assertRaises(ClientError) as ctx:
            fn(*args, **kw)
        err = ctx.exception.response
        self.assertEqual(err["Error"]["Code"], code, err)
        self.assertEqual(err["ResponseMetadata"]["HTTPStatusCode"], status, err)
        if message is not None:
            self.assertEqual(err["Error"]["Message"], message)
        return err

    def raw_put_tagging(self, bucket, key, body, query="tagging"):
        return self.daemon.raw_request("PUT", f"/{bucket}/{key}", query=query, body=body)

    # ------------------------------------------------------------------ tests
    def test_put_get_delete(self):
        b = self.bucket()
        self.s3.put_object(Bucket=b, Key="k", Body=b"hello")
        self.assertEqual(self.tags(b, "k"), {})
        r = self.s3.put_object_tagging(Bucket=b, Key="k", Tagging=tagset(a="1", b="two words"))
        self.assertEqual(r["ResponseMetadata"]["HTTPStatusCode"], 200)
        self.assertEqual(self.tags(b, "k"), {"a": "1", "b": "two words"})
        head = self.s3.head_object(Bucket=b, Key="k")
        headers = head["ResponseMetadata"]["HTTPHeaders"]
        self.assertEqual(headers.get("x-amz-tagging-count"), "2")
        self.assertNotIn("x-amz-tagging", headers)
        # Replaces the whole set.
        self.s3.put_object_tagging(Bucket=b, Key="k", Tagging=tagset(c="3"))
        self.assertEqual(self.tags(b, "k"), {"c": "3"})
        r = self.s3.delete_object_tagging(Bucket=b, Key="k")
        self.assertEqual(r["ResponseMetadata"]["HTTPStatusCode"], 204)
        self.assertEqual(self.tags(b, "k"), {})
        head = self.s3.head_object(Bucket=b, Key="k")
        self.assertNotIn("x-amz-tagging-count", head["ResponseMetadata"]["HTTPHeaders"])
        self.assertEqual(self.s3.get_object(Bucket=b, Key="k")["Body"].read(), b"hello")
        # Bucket tagging is still the bucket's.
        self.s3.put_bucket_tagging(Bucket=b, Tagging=tagset(bucket="yes"))
        got = self.s3.get_bucket_tagging(Bucket=b)["TagSet"]
        self.assertEqual(got, [{"Key": "bucket", "Value": "yes"}])
        self.assertEqual(self.tags(b, "k"), {})

    def test_bytes_untouched(self):
        b = self.bucket()
        for key, size in (("small", 1000), ("large", 3 * MiB + 5)):
            data = deterministic_bytes(size, seed=size)
            etag = self.s3.put_object(Bucket=b, Key=key, Body=data)["ETag"]
            before = self.s3.head_object(Bucket=b, Key=key)["LastModified"]
            self.s3.put_object_tagging(Bucket=b, Key=key, Tagging=tagset(x="y"))
            got = self.s3.get_object(Bucket=b, Key=key)
            self.assertEqual(got["ETag"], etag)
            self.assertEqual(got["LastModified"], before)
            self.assertEqual(got["TagCount"], 1)
            self.assertEqual(hashlib.md5(got["Body"].read()).hexdigest(),
                             hashlib.md5(data).hexdigest())

    def test_tagging_on_put(self):
        b = self.bucket()
        self.s3.put_object(Bucket=b, Key="k", Body=b"x", Tagging="a=1&b=2",
                           Metadata={"color": "red"})
        self.assertEqual(self.tags(b, "k"), {"a": "1", "b": "2"})
        head = self.s3.head_object(Bucket=b, Key="k")
        self.assertEqual(head["ResponseMetadata"]["HTTPHeaders"]["x-amz-tagging-count"], "2")
        self.assertEqual(head["Metadata"], {"color": "red"})
        self.assertError("InvalidTag", 400, self.s3.put_object, Bucket=b, Key="bad", Body=b"x",
                         Tagging="a=1&a=2",
                         message="Cannot provide multiple Tags with the same key")
        self.assertError("InvalidTag", 400, self.s3.put_object, Bucket=b, Key="bad", Body=b"x",
                         Tagging="&".join(f"k{i}=v" for i in range(11)),
                         message="Object tags cannot be greater than 10")
        self.assertError("NoSuchKey", 404, self.s3.get_object,
                         Bucket=b, Key="bad")

    def post(self, bucket, key, tagging):
        import urllib.error
        import urllib.request
        post = self.s3.generate_presigned_post(bucket, key, Fields={"tagging": tagging},
                                               Conditions=[{"tagging": tagging}],
                                               ExpiresIn=300)
        boundary = "----maxio" + uuid.uuid4().hex
        body = b"".join(
            [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'
             .encode() for k, v in post["fields"].items()] +
            [f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="f"\r\n'
             f'Content-Type: application/octet-stream\r\n\r\n'.encode() + b"form\r\n",
             f"--{boundary}--\r\n".encode()])
        req = urllib.request.Request(post["url"], data=body, method="POST", headers={
            "Content-Type": f"multipart/form-data; boundary={boundary}"})
        try:
            with urllib.request.urlopen(req, timeout=30) as resp:
                return resp.status, resp.read()
        except urllib.error.HTTPError as e:
            return e.code, e.read()

    def test_tagging_on_multipart_upload(self):
        b = self.bucket()
        up = self.s3.create_multipart_upload(Bucket=b, Key="mp", Tagging="team=storage&tier=1")
        part = self.s3.upload_part(Bucket=b, Key="mp", UploadId=up["UploadId"], PartNumber=1,
                                   Body=b"one part")
        self.s3.complete_multipart_upload(
            Bucket=b, Key="mp", UploadId=up["UploadId"],
            MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": part["ETag"]}]})
        self.assertEqual(self.tags(b, "mp"), {"team": "storage", "tier": "1"})
        head = self.s3.head_object(Bucket=b, Key="mp")
        self.assertEqual(head["ResponseMetadata"]["HTTPHeaders"]["x-amz-tagging-count"], "2")
        self.assertError("InvalidTag", 400, self.s3.create_multipart_upload, Bucket=b,
                         Key="bad", Tagging="aws:reserved=1")

    def test_tagging_on_post_object(self):
        b = self.bucket()
        status, body = self.post(b, "form", xml_tags([("p", "1"), ("q", "two")]).decode())
        self.assertEqual(status, 204, body)
        self.assertEqual(self.tags(b, "form"), {"p": "1", "q": "two"})
        status, body = self.post(b, "bad", xml_tags([("d", "1"), ("d", "2")]).decode())
        self.assertEqual(status, 400, body)
        self.assertIn(b"<Code>InvalidTag</Code>", body)
        self.assertError("NoSuchKey", 404, self.s3.get_object, Bucket=b, Key="bad")

    def test_versions(self):
        b = self.bucket("Enabled")
        v1 = self.s3.put_object(Bucket=b, Key="k", Body=b"one", Tagging="v=1")["VersionId"]
        v2 = self.s3.put_object(Bucket=b, Key="k", Body=b"two")["VersionId"]
        r = self.s3.put_object_tagging(Bucket=b, Key="k", VersionId=v1, Tagging=tagset(old="yes"))
        self.assertEqual(r["VersionId"], v1)
        self.assertEqual(self.tags(b, "k", VersionId=v1), {"old": "yes"})
        self.assertEqual(self.tags(b, "k", VersionId=v2), {})
        r = self.s3.get_object_tagging(Bucket=b, Key="k")
        self.assertEqual(r["VersionId"], v2)
        r = self.s3.put_object_tagging(Bucket=b, Key="k", Tagging=tagset(new="yes"))
        self.assertEqual(r["VersionId"], v2)
        self.assertEqual(self.tags(b, "k", VersionId=v1), {"old": "yes"})
        r = self.s3.delete_object_tagging(Bucket=b, Key="k", VersionId=v1)
        self.assertEqual(r["VersionId"], v1)
        self.assertEqual(self.tags(b, "k", VersionId=v1), {})
        self.assertEqual(self.tags(b, "k"), {"new": "yes"})
        self.assertEqual(self.s3.get_object(Bucket=b, Key="k", VersionId=v1)["Body"].read(),
                         b"one")
        versions = self.s3.list_object_versions(Bucket=b)["Versions"]
        self.assertEqual(len(versions), 2)
        # A delete marker: 404 as the latest, 405 by version ID.
        marker = self.s3.delete_object(Bucket=b, Key="k")["VersionId"]
        self.assertError("NoSuchKey", 404, self.s3.get_object_tagging, Bucket=b, Key="k")
        self.assertError("NoSuchKey", 404, self.s3.put_object_tagging, Bucket=b, Key="k",
                         Tagging=tagset(a="1"))
        self.assertError("MethodNotAllowed", 405, self.s3.put_object_tagging, Bucket=b,
                         Key="k", VersionId=marker, Tagging=tagset(a="1"))
        self.assertError("MethodNotAllowed", 405, self.s3.get_object_tagging, Bucket=b,
                         Key="k", VersionId=marker)
        self.assertError("MethodNotAllowed", 405, self.s3.delete_object_tagging, Bucket=b,
                         Key="k", VersionId=marker)
        self.assertError("NoSuchVersion", 404, self.s3.get_object_tagging, Bucket=b, Key="k",
                         VersionId="00000000-0000-0000-0000-000000000001")
        # The null version of a suspended bucket.
        self.s3.put_bucket_versioning(Bucket=b, VersioningConfiguration={"Status": "Suspended"})
        self.s3.put_object(Bucket=b, Key="n", Body=b"null")
        r = self.s3.put_object_tagging(Bucket=b, Key="n", Tagging=tagset(z="1"))
        self.assertEqual(r["VersionId"], "null")
        self.assertEqual(self.tags(b, "n", VersionId="null"), {"z": "1"})

    def test_copy(self):
        b = self.bucket()
        self.s3.put_object(Bucket=b, Key="src", Body=b"data", Tagging="s=1")
        src = {"Bucket": b, "Key": "src"}
        self.s3.copy_object(Bucket=b, Key="copy", CopySource=src)
        self.assertEqual(self.tags(b, "copy"), {"s": "1"})
        self.s3.copy_object(Bucket=b, Key="copy2", CopySource=src, Tagging="r=2",
                            TaggingDirective="REPLACE")
        self.assertEqual(self.tags(b, "copy2"), {"r": "2"})
        # Metadata REPLACE keeps the tags unless the tagging directive says otherwise.
        self.s3.copy_object(Bucket=b, Key="copy3", CopySource=src, MetadataDirective="REPLACE",
                            Metadata={"m": "1"})
        self.assertEqual(self.tags(b, "copy3"), {"s": "1"})
        self.s3.copy_object(Bucket=b, Key="copy4", CopySource=src, TaggingDirective="REPLACE")
        self.assertEqual(self.tags(b, "copy4"), {})
        status, _, body = self.daemon.raw_request(
            "PUT", f"/{b}/copy5", headers={"x-amz-copy-source": f"/{b}/src",
                                           "x-amz-tagging-directive": "BOGUS"})
        self.assertEqual(status, 400, body)
        self.assertIn(b"<Code>InvalidArgument</Code>", body)
        self.assertIn(b"<Message>Unknown tag directive.</Message>", body)
        self.assertError("InvalidTag", 400, self.s3.copy_object, Bucket=b, Key="copy6",
                         CopySource=src, Tagging="aws:x=1", TaggingDirective="REPLACE")

    def test_limits(self):
        b = self.bucket()
        self.s3.put_object(Bucket=b, Key="k", Body=b"x")
        ten = {f"k{i}": "v" for i in range(10)}
        self.s3.put_object_tagging(Bucket=b, Key="k", Tagging=tagset(**ten))
        self.assertEqual(self.tags(b, "k"), ten)
        cases = [
            (tagset(**ten, extra="v"), "Object tags cannot be greater than 10"),
            (tagset(**{"k" * 129: "v"}), "The TagKey you have provided is invalid"),
            (tagset(k="v" * 257), "The TagValue you have provided is invalid"),
            ({"TagSet": [{"Key": "d", "Value": "1"}, {"Key": "d", "Value": "2"}]},
             "Cannot provide multiple Tags with the same key"),
            (tagset(**{"aws:k": "v"}), "Your TagKey cannot be prefixed with aws:"),
        ]
        for tagging, message in cases:
            self.assertError("InvalidTag", 400, self.s3.put_object_tagging, Bucket=b, Key="k",
                             Tagging=tagging, message=message)
        # The longest key and value are fine.
        self.s3.put_object_tagging(Bucket=b, Key="k", Tagging=tagset(**{"k" * 128: "v" * 256}))
        # An empty key (boto3 refuses to send it) and broken documents, raw.
        status, _, body = self.raw_put_tagging(b, "k", xml_tags([("", "v")]))
        self.assertEqual(status, 400, body)
        self.assertIn(b"<Code>InvalidTag</Code>", body)
        for bad in (b"<Tagging><TagSet>", b"not xml", b"<Other/>",
                    b"<Tagging><TagSet><Tag><Key>k</Key></Tag></TagSet></Tagging>"):
            status, _, body = self.raw_put_tagging(b, "k", bad)
            self.assertEqual(status, 400, body)
            self.assertIn(b"<Code>MalformedXML</Code>", body)
        # Nothing refused was stored.
        self.assertEqual(self.tags(b, "k"), {"k" * 128: "v" * 256})

    def test_missing(self):
        b = self.bucket()
        self.assertError("NoSuchKey", 404, self.s3.get_object_tagging, Bucket=b, Key="nope")
        self.assertError("NoSuchKey", 404, self.s3.put_object_tagging, Bucket=b, Key="nope",
                         Tagging=tagset(a="1"))
        self.assertError("NoSuchKey", 404, self.s3.delete_object_tagging, Bucket=b, Key="nope")
        self.assertError("NoSuchBucket", 404, self.s3.get_object_tagging,
                         Bucket=f"it-tag-none-{uuid.uuid4().hex[:8]}", Key="k")


class OneDrive(TaggingCase):
    pass


class SixDrives(TaggingCase):
    daemon_drives = ["d{1...6}"]
    daemon_env = {"MAXIO_STORAGE_CLASS_STANDARD": "EC:2"}


del TaggingCase  # only the concrete daemons run


if __name__ == "__main__":
    harness.main()
