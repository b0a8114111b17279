#!/usr/bin/env python3
"""S3 object checksums against a real maxiod: x-amz-checksum-* stored on PUT (header and
aws-chunked trailer forms), returned by GET/HEAD with x-amz-checksum-mode: ENABLED and by
GetObjectAttributes, kept by CopyObject, and refused when wrong or ambiguous. Runs under
both boto3 versions (1.26 sends checksums as headers, 1.43 as aws-chunked trailers), on one
drive and on a 6-drive erasure set.
"""

import base64
import hashlib
import os
import struct
import sys
import unittest
import uuid
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import DaemonTestCase, deterministic_bytes  # noqa: E402

harness.require_boto3()
from botocore.exceptions import ClientError  # noqa: E402


def _reflected_table(poly, bits):
    table = []
    for i in range(256):
        c = i
        for _ in range(8):
            c = (c >> 1) ^ poly if c & 1 else c >> 1
        table.append(c & ((1 << bits) - 1))
    return table


_CRC32C = _reflected_table(0x82F63B78, 32)
_CRC64NVME = _reflected_table(0x9A6C9329AC4BC9B5, 64)


def _crc_reflected(table, bits, data):
    mask = (1 << bits) - 1
    c = mask
    for b in data:
        c = table[(c ^ b) & 0xFF] ^ (c >> 8)
    return c ^ mask


def client_code(error):
    return error.response["Error"]["Code"]


def expected(algorithm, data):
    """The base64 value S3 prints for `data`."""
    if algorithm == "CRC32":
        raw = struct.pack(">I", zlib.crc32(data) & 0xFFFFFFFF)
    elif algorithm == "CRC32C":
        raw = struct.pack(">I", _crc_reflected(_CRC32C, 32, data))
    elif algorithm == "CRC64NVME":
        raw = struct.pack(">Q", _crc_reflected(_CRC64NVME, 64, data))
    elif algorithm == "SHA1":
        raw = hashlib.sha1(data).digest()
    else:
        raw = hashlib.sha256(data).digest()
    return base64.b64encode(raw).decode()


class ChecksumTests(DaemonTestCase):
    # 1 KiB is stored inline in xl.meta, 300 KiB in part.1: both paths keep the checksum.
    sizes = (1024, 300 * 1024)

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.s3 = cls.daemon.boto3_client()
        cls.bucket = f"it-crc-{uuid.uuid4().hex[:10]}"
        cls.s3.create_bucket(Bucket=cls.bucket)

    def put_with(self, key, data, algorithm):
        # botocore computes CRC32C only with awscrt, which Debian lacks: pass the value.
        extra = {"ChecksumCRC32C": expected("CRC32C", data)} if algorithm == "CRC32C" else {}
        return self.s3.put_object(Bucket=self.bucket, Key=key, Body=data,
                                  ChecksumAlgorithm=algorithm, **extra)

    def put_with_trailer(self, key, data, algorithm, value):
        """An aws-chunked PUT (STREAMING-UNSIGNED-PAYLOAD-TRAILER) whose checksum arrives in
        the trailer; returns (status, body)."""
        name = "x-amz-checksum-" + algorithm.lower()
        pieces = [data[i:i + 65536] for i in range(0, len(data), 65536)]
        chunks = [f"{len(p):x}\r\n".encode() + p + b"\r\n" for p in pieces]
        chunks.append(b"0\r\n" + f"{name}:{value}\r\n\r\n".encode())
        body = b"".join(chunks)
        path = f"/{self.bucket}/{key}"
        headers = {"Host": f"{self.daemon.host}:{self.daemon.port}",
                   "Content-Encoding": "aws-chunked", "x-amz-trailer": name,
                   "x-amz-decoded-content-length": str(len(data)),
                   "Content-Length": str(len(body))}
        signed, *_ = harness.sign_v4_manual("PUT", path, {}, headers,
                                            "STREAMING-UNSIGNED-PAYLOAD-TRAILER",
                                            self.daemon.access_key, self.daemon.secret_key)
        del signed["Host"]
        status, _, response = self.daemon.raw_request("PUT", path, headers=signed, body=body,
                                                      sign=False)
        return status, response

    def test_each_algorithm_is_stored_and_returned(self):
        for algorithm in ("CRC32", "CRC32C", "SHA1", "SHA256"):
            for size in self.sizes:
                with self.subTest(algorithm=algorithm, size=size):
                    data = deterministic_bytes(size, seed=size + len(algorithm))
                    key = f"alg/{algorithm}/{size}"
                    self.put_with(key, data, algorithm)
                    field = "Checksum" + algorithm
                    head = self.s3.head_object(Bucket=self.bucket, Key=key,
                                               ChecksumMode="ENABLED")
                    self.assertEqual(head.get(field), expected(algorithm, data))
                    get = self.s3.get_object(Bucket=self.bucket, Key=key,
                                             ChecksumMode="ENABLED")
                    self.assertEqual(get["Body"].read(), data)
                    self.assertEqual(get.get(field), expected(algorithm, data))
                    headers = get["ResponseMetadata"]["HTTPHeaders"]
                    self.assertEqual(headers.get("x-amz-checksum-type"), "FULL_OBJECT")

    def test_crc64nvme_header_form(self):
        # botocore computes CRC64NVME only with awscrt; send the header by hand.
        data = deterministic_bytes(5000, seed=64)
        value = expected("CRC64NVME", data)
        key = "alg/crc64nvme"
        status, _, body = self.daemon.raw_request(
            "PUT", f"/{self.bucket}/{key}", headers={"x-amz-checksum-crc64nvme": value},
            body=data)
        self.assertEqual(status, 200, body)
        status, headers, _ = self.daemon.raw_request(
            "HEAD", f"/{self.bucket}/{key}", headers={"x-amz-checksum-mode": "ENABLED"})
        self.assertEqual(status, 200)
        self.assertEqual(headers.get("x-amz-checksum-crc64nvme"), value)
        # A wrong value is refused and stores nothing.
        status, _, body = self.daemon.raw_request(
            "PUT", f"/{self.bucket}/{key}-bad",
            headers={"x-amz-checksum-crc64nvme": expected("CRC64NVME", b"other")}, body=data)
        self.assertEqual(status, 400, body)
        self.assertIn(b"<Code>XAmzContentChecksumMismatch</Code>", body)
        status, _, _ = self.daemon.raw_request("HEAD", f"/{self.bucket}/{key}-bad")
        self.assertEqual(status, 404)

    def test_trailer_form(self):
        for algorithm in ("CRC32", "CRC64NVME", "SHA256"):
            with self.subTest(algorithm=algorithm):
                data = deterministic_bytes(200_000, seed=len(algorithm))
                key = f"trailer/{algorithm}"
                status, body = self.put_with_trailer(key, data, algorithm,
                                                     expected(algorithm, data))
                self.assertEqual(status, 200, body)
                status, headers, got = self.daemon.raw_request(
                    "GET", f"/{self.bucket}/{key}", headers={"x-amz-checksum-mode": "ENABLED"})
                self.assertEqual(status, 200)
                self.assertEqual(got, data)
                self.assertEqual(headers.get("x-amz-checksum-" + algorithm.lower()),
                                 expected(algorithm, data))
        # A wrong trailer value stores nothing.
        status, body = self.put_with_trailer("trailer/bad", b"payload", "CRC32",
                                             expected("CRC32", b"other"))
        self.assertEqual(status, 400, body)
        status, _, _ = self.daemon.raw_request("HEAD", f"/{self.bucket}/trailer/bad")
        self.assertEqual(status, 404)

    def test_not_returned_without_mode_or_for_a_range(self):
        data = deterministic_bytes(4096, seed=7)
        self.put_with("mode", data, "SHA256")
        head = self.s3.head_object(Bucket=self.bucket, Key="mode")
        self.assertNotIn("ChecksumSHA256", head)
        ranged = self.s3.get_object(Bucket=self.bucket, Key="mode", Range="bytes=0-99",
                                    ChecksumMode="ENABLED")
        self.assertEqual(ranged["Body"].read(), data[:100])
        self.assertNotIn("x-amz-checksum-sha256", ranged["ResponseMetadata"]["HTTPHeaders"])

    def test_wrong_checksum_is_refused_and_nothing_stored(self):
        data = deterministic_bytes(2048, seed=3)
        with self.assertRaises(ClientError) as ctx:
            self.s3.put_object(Bucket=self.bucket, Key="wrong", Body=data,
                               ChecksumCRC32=expected("CRC32", b"not the body"))
        self.assertIn(client_code(ctx.exception), ("XAmzContentChecksumMismatch", "BadDigest"))
        with self.assertRaises(ClientError) as ctx:
            self.s3.head_object(Bucket=self.bucket, Key="wrong")
        self.assertEqual(ctx.exception.response["ResponseMetadata"]["HTTPStatusCode"], 404)

    def test_two_checksums_or_a_mismatched_sdk_algorithm_are_refused(self):
        data = b"two checksums"
        status, _, body = self.daemon.raw_request(
            "PUT", f"/{self.bucket}/two",
            headers={"x-amz-checksum-crc32": expected("CRC32", data),
                     "x-amz-checksum-sha1": expected("SHA1", data)}, body=data)
        self.assertEqual(status, 400, body)
        self.assertIn(b"<Code>InvalidRequest</Code>", body)
        status, _, body = self.daemon.raw_request(
            "PUT", f"/{self.bucket}/sdk",
            headers={"x-amz-sdk-checksum-algorithm": "SHA256",
                     "x-amz-checksum-crc32": expected("CRC32", data)}, body=data)
        self.assertEqual(status, 400, body)
        self.assertIn(b"<Code>InvalidRequest</Code>", body)

    def test_get_object_attributes(self):
        data = deterministic_bytes(10_000, seed=11)
        put = self.put_with("attrs", data, "CRC32C")
        attrs = self.s3.get_object_attributes(
            Bucket=self.bucket, Key="attrs",
            ObjectAttributes=["ETag", "Checksum", "ObjectSize", "StorageClass", "ObjectParts"])
        self.assertEqual(attrs["ETag"], put["ETag"].strip('"'))
        self.assertEqual(attrs["ObjectSize"], len(data))
        self.assertEqual(attrs["StorageClass"], "STANDARD")
        self.assertEqual(attrs["Checksum"]["ChecksumCRC32C"], expected("CRC32C", data))
        self.assertNotIn("ObjectParts", attrs)  # a single-part object
        only = self.s3.get_object_attributes(Bucket=self.bucket, Key="attrs",
                                             ObjectAttributes=["ObjectSize"])
        self.assertEqual(only["ObjectSize"], len(data))
        self.assertNotIn("ETag", only)
        status, _, body = self.daemon.raw_request(
            "GET", f"/{self.bucket}/attrs", query="attributes=",
            headers={"x-amz-object-attributes": "ETag,Colour"})
        self.assertEqual(status, 400, body)
        self.assertIn(b"<Code>InvalidArgument</Code>", body)
        status, _, body = self.daemon.raw_request("GET", f"/{self.bucket}/attrs",
                                                  query="attributes=")
        self.assertEqual(status, 400, body)
        with self.assertRaises(ClientError) as ctx:
            self.s3.get_object_attributes(Bucket=self.bucket, Key="missing",
                                          ObjectAttributes=["ETag"])
        self.assertEqual(client_code(ctx.exception), "NoSuchKey")

    def test_copy_keeps_the_checksum(self):
        data = deterministic_bytes(200_000, seed=21)
        self.put_with("copy-src", data, "SHA1")
        self.s3.copy_object(Bucket=self.bucket, Key="copy-dst",
                            CopySource={"Bucket": self.bucket, "Key": "copy-src"})
        head = self.s3.head_object(Bucket=self.bucket, Key="copy-dst", ChecksumMode="ENABLED")
        self.assertEqual(head.get("ChecksumSHA1"), expected("SHA1", data))


class ErasureChecksumTests(ChecksumTests):
    daemon_drives = ["d{1...6}"]


if __name__ == "__main__":
    harness.main()
