#!/usr/bin/env python3
"""Multipart uploads against a real maxiod, on one drive and on a six-drive erasure set.

boto3's low-level calls for every operation (CreateMultipartUpload, UploadPart,
UploadPartCopy with x-amz-copy-source-range, ListParts, ListMultipartUploads with
pagination, CompleteMultipartUpload with If-None-Match, AbortMultipartUpload, GET/HEAD
?partNumber) and their errors (InvalidPartOrder, InvalidPart, EntityTooSmall,
NoSuchUpload, MalformedXML); `aws s3 cp`, `rclone copy` and `s3cmd put` of files large
enough to go multipart, downloaded again and compared.

MAXIO_MULTIPART_LARGE=1 runs only the `aws s3 cp` round trip, with a 1 GiB file (ctest
label "large"); otherwise that file is 64 MiB.
"""

import hashlib
import os
import shutil
import struct
import sys
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import DaemonTestCase, deterministic_bytes, run  # noqa: E402

MiB = 1 << 20
GiB = 1 << 30
LARGE = os.environ.get("MAXIO_MULTIPART_LARGE") == "1"
AWS_FILE_SIZE = GiB if LARGE else 64 * MiB
AWS = os.environ.get("AWS_CLI") or shutil.which("aws")
RCLONE = os.environ.get("RCLONE") or shutil.which("rclone")
S3CMD = os.environ.get("S3CMD") or shutil.which("s3cmd")


def write_big_file(path, size):
    """Writes `size` bytes of incompressible data block by block; returns its sha256."""
    base = hashlib.shake_256(b"maxio-multipart").digest(MiB)
    digest = hashlib.sha256()
    with open(path, "wb") as f:
        written = 0
        i = 0
        while written < size:
            block = bytearray(base)
            struct.pack_into("<Q", block, 0, i)
            struct.pack_into("<Q", block, MiB // 2, i * 0x9E3779B97F4A7C15 % (1 << 64))
            block = bytes(block[:min(MiB, size - written)])
            f.write(block)
            digest.update(block)
            written += len(block)
            i += 1
    return digest.hexdigest()


def sha256_file(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while True:
            block = f.read(4 * MiB)
            if not block:
                return digest.hexdigest()
            digest.update(block)


def multipart_etag(parts):
    md5s = b"".join(hashlib.md5(p).digest() for p in parts)
    return f'"{hashlib.md5(md5s).hexdigest()}-{len(parts)}"'


class MultipartApiTests:
    """The tests; mixed into one TestCase per deployment."""

    @classmethod
    def setUpClass(cls):
        harness.require_boto3()
        super().setUpClass()
        cls.s3 = cls.daemon.boto3_client()
        cls.bucket = f"it-mpu-{uuid.uuid4().hex[:10]}"
        cls.s3.create_bucket(Bucket=cls.bucket)

    def code_of(self, fn, **kwargs):
        from botocore.exceptions import ClientError
        with self.assertRaises(ClientError) as ctx:
            fn(**kwargs)
        return ctx.exception.response["Error"]["Code"]

    def upload_parts(self, key, parts):
        s3 = self.s3
        upload = s3.create_multipart_upload(Bucket=self.bucket, Key=key,
                                            ContentType="text/plain",
                                            Metadata={"color": "blue"})["UploadId"]
        etags = []
        for number, data in enumerate(parts, 1):
            r = s3.upload_part(Bucket=self.bucket, Key=key, UploadId=upload,
                               PartNumber=number, Body=data)
            self.assertEqual(r["ETag"], f'"{hashlib.md5(data).hexdigest()}"')
            etags.append(r["ETag"])
        return upload, etags

    def complete(self, key, upload, etags, numbers=None):
        numbers = numbers or list(range(1, len(etags) + 1))
        return self.s3.complete_multipart_upload(
            Bucket=self.bucket, Key=key, UploadId=upload,
            MultipartUpload={"Parts": [{"PartNumber": n, "ETag": e}
                                       for n, e in zip(numbers, etags)]})

    def test_upload_complete_and_read_back(self):
        s3 = self.s3
        parts = [deterministic_bytes(5 * MiB, seed=1), deterministic_bytes(5 * MiB + 7, seed=2),
                 deterministic_bytes(MiB + 3, seed=3)]
        upload, etags = self.upload_parts("dir/obj", parts)

        listed = s3.list_parts(Bucket=self.bucket, Key="dir/obj", UploadId=upload, MaxParts=2)
        self.assertEqual([p["PartNumber"] for p in listed["Parts"]], [1, 2])
        self.assertTrue(listed["IsTruncated"])
        self.assertEqual(listed["NextPartNumberMarker"], 2)
        self.assertEqual(listed["Parts"][1]["Size"], 5 * MiB + 7)
        self.assertEqual(listed["Parts"][1]["ETag"], etags[1])
        rest = s3.list_parts(Bucket=self.bucket, Key="dir/obj", UploadId=upload,
                             PartNumberMarker=2)
        self.assertEqual([p["PartNumber"] for p in rest["Parts"]], [3])
        self.assertFalse(rest["IsTruncated"])

        uploads = s3.list_multipart_uploads(Bucket=self.bucket, Prefix="dir/")
        self.assertEqual([(u["Key"], u["UploadId"]) for u in uploads["Uploads"]],
                         [("dir/obj", upload)])

        done = self.complete("dir/obj", upload, etags)
        self.assertEqual(done["ETag"], multipart_etag(parts))
        self.assertEqual(done["Key"], "dir/obj")
        body = s3.get_object(Bucket=self.bucket, Key="dir/obj")
        self.assertEqual(body["ETag"], multipart_etag(parts))
        self.assertEqual(body["ContentType"], "text/plain")
        self.assertEqual(body["Metadata"], {"color": "blue"})
        self.assertTrue(body["Body"].read() == b"".join(parts))
        self.assertEqual(s3.list_multipart_uploads(Bucket=self.bucket).get("Uploads", []), [])

        # A range across the boundary of parts 1 and 2.
        r = s3.get_object(Bucket=self.bucket, Key="dir/obj", Range=f"bytes={5 * MiB - 5}-{5 * MiB + 4}")
        self.assertEqual(r["Body"].read(), parts[0][-5:] + parts[1][:5])

        # ?partNumber=N: that part's bytes, 206, and the count of parts.
        whole = len(b"".join(parts))
        head = s3.head_object(Bucket=self.bucket, Key="dir/obj", PartNumber=2)
        self.assertEqual(head["ResponseMetadata"]["HTTPStatusCode"], 206)
        self.assertEqual(head["ContentLength"], 5 * MiB + 7)
        self.assertEqual(head["PartsCount"], 3)
        self.assertEqual(head["ResponseMetadata"]["HTTPHeaders"]["content-range"],
                         f"bytes {5 * MiB}-{10 * MiB + 6}/{whole}")
        got = s3.get_object(Bucket=self.bucket, Key="dir/obj", PartNumber=3)
        self.assertEqual(got["ResponseMetadata"]["HTTPStatusCode"], 206)
        self.assertEqual(got["PartsCount"], 3)
        self.assertTrue(got["Body"].read() == parts[2])
        self.assertEqual(self.code_of(s3.get_object, Bucket=self.bucket, Key="dir/obj",
                                      PartNumber=4), "InvalidPartNumber")

    def test_complete_errors(self):
        s3 = self.s3
        small = deterministic_bytes(MiB, seed=4)
        big = deterministic_bytes(5 * MiB, seed=5)
        upload, etags = self.upload_parts("errs", [big, small, small])
        complete = s3.complete_multipart_upload

        def parts(*pairs):
            return {"Parts": [{"PartNumber": n, "ETag": e} for n, e in pairs]}

        self.assertEqual(self.code_of(complete, Bucket=self.bucket, Key="errs", UploadId=upload,
                                      MultipartUpload=parts((2, etags[1]), (1, etags[0]))),
                         "InvalidPartOrder")
        self.assertEqual(self.code_of(complete, Bucket=self.bucket, Key="errs", UploadId=upload,
                                      MultipartUpload=parts((1, etags[0]), (7, etags[1]))),
                         "InvalidPart")
        self.assertEqual(self.code_of(complete, Bucket=self.bucket, Key="errs", UploadId=upload,
                                      MultipartUpload=parts((1, etags[0]),
                                                            (2, '"' + "0" * 32 + '"'))),
                         "InvalidPart")
        self.assertEqual(self.code_of(complete, Bucket=self.bucket, Key="errs", UploadId=upload,
                                      MultipartUpload=parts((2, etags[1]), (3, etags[2]))),
                         "EntityTooSmall")
        # Nothing was committed by the refusals; the upload still completes.
        self.assertEqual(self.code_of(s3.head_object, Bucket=self.bucket, Key="errs"), "404")
        done = complete(Bucket=self.bucket, Key="errs", UploadId=upload,
                        MultipartUpload=parts((1, etags[0]), (3, etags[2])))
        self.assertEqual(done["ETag"], multipart_etag([big, small]))
        self.assertTrue(s3.get_object(Bucket=self.bucket, Key="errs")["Body"].read() ==
                        big + small)

        # Unknown, completed and aborted uploads.
        for bad in [upload, "bm9wZQ", "definitely-not-an-upload"]:
            self.assertEqual(self.code_of(s3.upload_part, Bucket=self.bucket, Key="errs",
                                          UploadId=bad, PartNumber=1, Body=b"x"),
                             "NoSuchUpload")
            self.assertEqual(self.code_of(s3.list_parts, Bucket=self.bucket, Key="errs",
                                          UploadId=bad), "NoSuchUpload")
            self.assertEqual(self.code_of(s3.abort_multipart_upload, Bucket=self.bucket,
                                          Key="errs", UploadId=bad), "NoSuchUpload")
            self.assertEqual(self.code_of(complete, Bucket=self.bucket, Key="errs", UploadId=bad,
                                          MultipartUpload=parts((1, etags[0]))),
                             "NoSuchUpload")
        other, _ = self.upload_parts("other-key", [])
        self.assertEqual(self.code_of(s3.upload_part, Bucket=self.bucket, Key="errs",
                                      UploadId=other, PartNumber=1, Body=b"x"), "NoSuchUpload")
        self.assertEqual(self.code_of(s3.upload_part, Bucket=self.bucket, Key="other-key",
                                      UploadId=other, PartNumber=10001, Body=b"x"),
                         "InvalidArgument")
        # A body that is no part list.
        status, _, body = self.daemon.raw_request("POST", f"/{self.bucket}/other-key",
                                                  query=f"uploadId={other}", body=b"<nope/>")
        self.assertEqual(status, 400)
        self.assertEqual(harness.error_code(body), "MalformedXML")
        s3.abort_multipart_upload(Bucket=self.bucket, Key="other-key", UploadId=other)

    def test_abort_removes_everything(self):
        s3 = self.s3
        upload, _ = self.upload_parts("aborted", [deterministic_bytes(2 * MiB, seed=6),
                                                  b"tail"])
        r = s3.abort_multipart_upload(Bucket=self.bucket, Key="aborted", UploadId=upload)
        self.assertEqual(r["ResponseMetadata"]["HTTPStatusCode"], 204)
        self.assertEqual(s3.list_multipart_uploads(Bucket=self.bucket,
                                                   Prefix="aborted").get("Uploads", []), [])
        for drive in self.daemon.drives:
            left = []
            for sub in ("multipart", "tmp"):
                for root, _, files in os.walk(os.path.join(drive, ".minio.sys", sub)):
                    left += [os.path.join(root, f) for f in files]
            self.assertEqual(left, [], drive)

    def test_list_uploads_paginates(self):
        s3 = self.s3
        prefix = f"page-{uuid.uuid4().hex[:6]}/"
        ids = []
        for key in ["a/1", "a/2", "a/2", "b"]:
            ids.append(s3.create_multipart_upload(Bucket=self.bucket,
                                                  Key=prefix + key)["UploadId"])
        seen = []
        kwargs = {}
        for _ in range(10):
            page = s3.list_multipart_uploads(Bucket=self.bucket, Prefix=prefix, MaxUploads=1,
                                             **kwargs)
            seen += [u["UploadId"] for u in page.get("Uploads", [])]
            if not page["IsTruncated"]:
                break
            kwargs = {"KeyMarker": page["NextKeyMarker"],
                      "UploadIdMarker": page["NextUploadIdMarker"]}
        self.assertEqual(seen, ids)
        grouped = s3.list_multipart_uploads(Bucket=self.bucket, Prefix=prefix, Delimiter="/")
        self.assertEqual([p["Prefix"] for p in grouped["CommonPrefixes"]], [prefix + "a/"])
        self.assertEqual([u["Key"] for u in grouped["Uploads"]], [prefix + "b"])
        for key, upload in zip(["a/1", "a/2", "a/2", "b"], ids):
            s3.abort_multipart_upload(Bucket=self.bucket, Key=prefix + key, UploadId=upload)

    def test_upload_part_copy_with_range(self):
        s3 = self.s3
        source = deterministic_bytes(12 * MiB + 5, seed=7)
        put = s3.put_object(Bucket=self.bucket, Key="copy-src", Body=source)
        upload = s3.create_multipart_upload(Bucket=self.bucket, Key="copy-dst")["UploadId"]
        src = {"Bucket": self.bucket, "Key": "copy-src"}
        first = s3.upload_part_copy(Bucket=self.bucket, Key="copy-dst", UploadId=upload,
                                    PartNumber=1, CopySource=src,
                                    CopySourceRange=f"bytes=0-{6 * MiB - 1}",
                                    CopySourceIfMatch=put["ETag"])
        self.assertEqual(first["CopyPartResult"]["ETag"],
                         f'"{hashlib.md5(source[:6 * MiB]).hexdigest()}"')
        second = s3.upload_part_copy(Bucket=self.bucket, Key="copy-dst", UploadId=upload,
                                     PartNumber=2, CopySource=src,
                                     CopySourceRange=f"bytes={6 * MiB}-{len(source) - 1}")
        self.assertEqual(self.code_of(s3.upload_part_copy, Bucket=self.bucket, Key="copy-dst",
                                      UploadId=upload, PartNumber=3, CopySource=src,
                                      CopySourceRange=f"bytes=0-{len(source)}"),
                         "InvalidArgument")
        self.assertEqual(self.code_of(s3.upload_part_copy, Bucket=self.bucket, Key="copy-dst",
                                      UploadId=upload, PartNumber=3, CopySource=src,
                                      CopySourceIfMatch='"0123"'), "PreconditionFailed")
        done = self.complete("copy-dst", upload, [first["CopyPartResult"]["ETag"],
                                                  second["CopyPartResult"]["ETag"]])
        self.assertEqual(done["ETag"], multipart_etag([source[:6 * MiB], source[6 * MiB:]]))
        self.assertTrue(s3.get_object(Bucket=self.bucket, Key="copy-dst")["Body"].read() ==
                        source)
        # A whole multipart object copied as one part of another upload.
        upload = s3.create_multipart_upload(Bucket=self.bucket, Key="copy-dst2")["UploadId"]
        whole = s3.upload_part_copy(Bucket=self.bucket, Key="copy-dst2", UploadId=upload,
                                    PartNumber=1, CopySource={"Bucket": self.bucket,
                                                              "Key": "copy-dst"})
        self.complete("copy-dst2", upload, [whole["CopyPartResult"]["ETag"]])
        self.assertTrue(s3.get_object(Bucket=self.bucket, Key="copy-dst2")["Body"].read() ==
                        source)

    def test_complete_if_none_match(self):
        s3 = self.s3
        s3.put_object(Bucket=self.bucket, Key="cond", Body=b"exists")

        def if_none_match(request, **_):
            request.headers["If-None-Match"] = "*"

        event = "before-sign.s3.CompleteMultipartUpload"
        s3.meta.events.register(event, if_none_match)
        try:
            upload, etags = self.upload_parts("cond", [b"new"])
            self.assertEqual(self.code_of(self.complete, key="cond", upload=upload,
                                          etags=etags), "PreconditionFailed")
            upload2, etags2 = self.upload_parts("cond-new", [b"new"])
            self.complete("cond-new", upload2, etags2)
        finally:
            s3.meta.events.unregister(event, if_none_match)
        self.assertEqual(s3.get_object(Bucket=self.bucket, Key="cond")["Body"].read(),
                         b"exists")
        self.complete("cond", upload, etags)
        self.assertEqual(s3.get_object(Bucket=self.bucket, Key="cond")["Body"].read(), b"new")

    def _upload_part_aws_chunked(self, key, upload, number, data, chunk=64 * 1024):
        """UploadPart with a STREAMING-AWS4-HMAC-SHA256-PAYLOAD body, every chunk signed."""
        import hmac
        import http.client
        d = self.daemon
        empty = hashlib.sha256(b"").hexdigest()
        pieces = [data[i:i + chunk] for i in range(0, len(data), chunk)] + [b""]
        encoded_len = sum(len(f"{len(p):x};chunk-signature=".encode()) + 64 + 2 + len(p) + 2
                          for p in pieces)
        path = f"/{self.bucket}/{key}"
        query = {"partNumber": str(number), "uploadId": upload}
        headers = {"Host": f"{d.host}:{d.port}", "Content-Encoding": "aws-chunked",
                   "x-amz-decoded-content-length": str(len(data)),
                   "Content-Length": str(encoded_len)}
        h, prev, scope, amz_date, signing_key = harness.sign_v4_manual(
            "PUT", path, query, headers, "STREAMING-AWS4-HMAC-SHA256-PAYLOAD", d.access_key,
            d.secret_key)
        out = []
        for p in pieces:
            sts = "\n".join(["AWS4-HMAC-SHA256-PAYLOAD", amz_date, scope, prev, empty,
                             hashlib.sha256(p).hexdigest()])
            prev = hmac.new(signing_key, sts.encode(), hashlib.sha256).hexdigest()
            out.append(f"{len(p):x};chunk-signature={prev}\r\n".encode() + p + b"\r\n")
        conn = http.client.HTTPConnection(d.host, d.port, timeout=60)
        try:
            conn.putrequest("PUT", f"{path}?partNumber={number}&uploadId={upload}",
                            skip_host=True, skip_accept_encoding=True)
            for k, v in h.items():
                conn.putheader(k, v)
            conn.endheaders(b"".join(out))
            resp = conn.getresponse()
            return resp.status, resp.getheader("ETag"), resp.read()
        finally:
            conn.close()

    def test_upload_part_streaming_signed(self):
        s3 = self.s3
        upload = s3.create_multipart_upload(Bucket=self.bucket, Key="chunked")["UploadId"]
        first = deterministic_bytes(5 * MiB + 1, seed=11)
        second = deterministic_bytes(300 * 1024 + 7, seed=12)
        etags = []
        for number, data in ((1, first), (2, second)):
            status, etag, body = self._upload_part_aws_chunked("chunked", upload, number, data)
            self.assertEqual(status, 200, body)
            self.assertEqual(etag, f'"{hashlib.md5(data).hexdigest()}"')
            etags.append(etag)
        self.complete("chunked", upload, etags)
        self.assertTrue(s3.get_object(Bucket=self.bucket, Key="chunked")["Body"].read() ==
                        first + second)

    def test_rclone_multipart_copy(self):
        if not RCLONE:
            self.fail("rclone not found")
        work = os.path.join(self.daemon.client_dir, f"rclone-{uuid.uuid4().hex[:6]}")
        os.makedirs(os.path.join(work, "src"))
        path = os.path.join(work, "src", "big.bin")
        digest = write_big_file(path, 23 * MiB + 11)
        env = self.daemon.rclone_env()
        common = ["--s3-chunk-size", "5M", "--s3-upload-cutoff", "5M", "--retries", "1",
                  "--low-level-retries", "1", "--s3-upload-concurrency", "4"]
        run([RCLONE, *common, "copy", os.path.join(work, "src"), f"maxio:{self.bucket}/rclone"],
            env=env)
        head = self.s3.head_object(Bucket=self.bucket, Key="rclone/big.bin")
        self.assertTrue(head["ETag"].endswith('-5"'), head["ETag"])
        run([RCLONE, *common, "copy", f"maxio:{self.bucket}/rclone", os.path.join(work, "dst")],
            env=env)
        self.assertEqual(sha256_file(os.path.join(work, "dst", "big.bin")), digest)

    def test_s3cmd_multipart_put(self):
        if not S3CMD:
            self.fail("s3cmd not found")
        config = self.daemon.s3cmd_config()
        with open(config) as f:
            text = f.read().replace("enable_multipart = False", "enable_multipart = True")
        config_mp = config + "-multipart"
        with open(config_mp, "w") as f:
            f.write(text)
        work = os.path.join(self.daemon.client_dir, f"s3cmd-{uuid.uuid4().hex[:6]}")
        os.makedirs(work)
        path = os.path.join(work, "big.bin")
        digest = write_big_file(path, 17 * MiB + 3)
        env = harness.clean_env()
        run([S3CMD, "-c", config_mp, "--multipart-chunk-size-mb=5", "put", path,
             f"s3://{self.bucket}/s3cmd/big.bin"], env=env)
        head = self.s3.head_object(Bucket=self.bucket, Key="s3cmd/big.bin")
        self.assertTrue(head["ETag"].endswith('-4"'), head["ETag"])
        out = os.path.join(work, "back.bin")
        run([S3CMD, "-c", config_mp, "get", f"s3://{self.bucket}/s3cmd/big.bin", out], env=env)
        self.assertEqual(sha256_file(out), digest)
        # s3cmd's views of uploads in progress: multipart (ListMultipartUploads), listmp
        # (ListParts), abortmp.
        key = "s3cmd/pending.bin"
        upload = self.s3.create_multipart_upload(Bucket=self.bucket, Key=key)["UploadId"]
        self.s3.upload_part(Bucket=self.bucket, Key=key, UploadId=upload, PartNumber=3,
                            Body=b"seven b")
        p = run([S3CMD, "-c", config_mp, "multipart", f"s3://{self.bucket}"], env=env)
        self.assertIn(f"s3://{self.bucket}/{key}\t{upload}", p.stdout.decode())
        p = run([S3CMD, "-c", config_mp, "listmp", f"s3://{self.bucket}/{key}", upload], env=env)
        self.assertRegex(p.stdout.decode(),
                         rf'\t3\t"{hashlib.md5(b"seven b").hexdigest()}"\t7\n')
        run([S3CMD, "-c", config_mp, "abortmp", f"s3://{self.bucket}/{key}", upload], env=env)
        self.assertNotIn(upload, [u["UploadId"] for u in self.s3.list_multipart_uploads(
            Bucket=self.bucket).get("Uploads", [])])


class AwsCliCopy:
    """`aws s3 cp` of a file above the multipart threshold, there and back."""

    def test_aws_s3_cp_multipart(self):
        if not AWS:
            self.fail("aws CLI not found")
        bucket = f"it-mpu-aws-{uuid.uuid4().hex[:8]}"
        env = self.daemon.aws_env(multipart_threshold="8MB")
        base = [AWS, "--endpoint-url", self.daemon.endpoint]
        run(base + ["s3", "mb", f"s3://{bucket}"], env=env)
        work = os.path.join(self.daemon.client_dir, f"aws-{uuid.uuid4().hex[:6]}")
        os.makedirs(work)
        path = os.path.join(work, "big.bin")
        digest = write_big_file(path, AWS_FILE_SIZE)
        run(base + ["s3", "cp", path, f"s3://{bucket}/big.bin"], env=env, timeout=1800)
        # Parts stream: the daemon holds a few erasure blocks per part in flight (awscli
        # sends 10 at once), never a part or the object.
        rss_mib = self.daemon.peak_rss_kib() / 1024
        sys.stderr.write(f"\naws s3 cp {AWS_FILE_SIZE // MiB} MiB: daemon peak RSS "
                         f"{rss_mib:.0f} MiB\n")
        self.assertLess(rss_mib, 256)
        head = self.daemon.boto3_client().head_object(Bucket=bucket, Key="big.bin")
        self.assertEqual(head["ContentLength"], AWS_FILE_SIZE)
        self.assertIn("-", head["ETag"])
        os.remove(path)
        back = os.path.join(work, "back.bin")
        run(base + ["s3", "cp", f"s3://{bucket}/big.bin", back], env=env, timeout=1800)
        self.assertEqual(sha256_file(back), digest)
        os.remove(back)
        run(base + ["s3", "rm", f"s3://{bucket}/big.bin"], env=env)


class SingleDriveMultipartTest(MultipartApiTests, AwsCliCopy, DaemonTestCase):
    pass


class ErasureSetMultipartTest(MultipartApiTests, AwsCliCopy, DaemonTestCase):
    daemon_drives = ["d{1...6}"]


class StaleUploadsTest(DaemonTestCase):
    """MAXIO_API_STALE_UPLOADS_EXPIRY / _CLEANUP_INTERVAL: unfinished uploads go away."""
    daemon_env = {"MAXIO_API_STALE_UPLOADS_EXPIRY": "1s",
                  "MAXIO_API_STALE_UPLOADS_CLEANUP_INTERVAL": "200ms"}

    def test_stale_upload_is_removed(self):
        import time
        from botocore.exceptions import ClientError
        harness.require_boto3()
        s3 = self.daemon.boto3_client()
        s3.create_bucket(Bucket="stale")
        upload = s3.create_multipart_upload(Bucket="stale", Key="k")["UploadId"]
        s3.upload_part(Bucket="stale", Key="k", UploadId=upload, PartNumber=1, Body=b"x")
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if not s3.list_multipart_uploads(Bucket="stale").get("Uploads"):
                break
            time.sleep(0.2)
        self.assertEqual(s3.list_multipart_uploads(Bucket="stale").get("Uploads", []), [])
        with self.assertRaises(ClientError) as ctx:
            s3.list_parts(Bucket="stale", Key="k", UploadId=upload)
        self.assertEqual(ctx.exception.response["Error"]["Code"], "NoSuchUpload")
        left = []
        for root, _, files in os.walk(os.path.join(self.daemon.drive, ".minio.sys",
                                                   "multipart")):
            left += files
        self.assertEqual(left, [])


class AwsCliLargeTest(AwsCliCopy, DaemonTestCase):
    daemon_drives = ["d{1...6}"]


if __name__ == "__main__":
    if LARGE:
        sys.argv.append("AwsCliLargeTest")
    else:
        del AwsCliLargeTest
    harness.main()
